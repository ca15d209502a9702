/*
 * edit: the input line with readline's keys over UTF-8. The cursor counts
 * code points: a multibyte, wide or combining character is one step.
 * Words for Alt-B/F/D are letters and digits; for Ctrl-W and completion,
 * runs of non-space characters. Invalid input never changes the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/edit.h"

#define E_ACUTE "\xc3\xa9"       /* é, 2 bytes */
#define CJK_NI "\xe4\xbd\xa0"    /* 你, 3 bytes, wide */
#define CJK_HAO "\xe5\xa5\xbd"   /* 好 */
#define EMOJI "\xf0\x9f\x98\x80" /* 😀, 4 bytes, wide */
#define COMBINING_ACUTE "\xcc\x81"

static int
setup(void **state)
{
	struct edit *e = malloc(sizeof *e);
	if (e == NULL)
		return -1;
	edit_init(e);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	edit_free(*state);
	free(*state);
	return 0;
}

/* Sets the line and puts the cursor at code point at. */
static void
line(struct edit *e, const char *text, size_t at)
{
	assert_true(edit_set(e, text));
	e->cursor = at;
}

static void
assert_line(const struct edit *e, const char *text, size_t cursor)
{
	assert_string_equal(e->buf, text);
	assert_int_equal(e->len, strlen(text));
	assert_int_equal(e->cursor, cursor);
}

#define INS(e, lit) edit_insert((e), (lit), sizeof(lit) - 1)

/* ---- the empty line ------------------------------------------------------ */

static void
edit__init__gives_an_empty_line_with_the_cursor_at_0(void **state)
{
	struct edit *e = *state;
	assert_line(e, "", 0);
	assert_int_equal(edit_length(e), 0);
	assert_int_equal(edit_cursor_byte(e), 0);
	assert_null(e->killed);
}

static void
edit__apply__every_key_on_an_empty_line_changes_nothing(void **state)
{
	struct edit *e = *state;
	for (int op = EDIT_LEFT; op <= EDIT_TRANSPOSE; op++) {
		assert_false(edit_apply(e, (enum edit_op)op));
		assert_line(e, "", 0);
	}
}

/* ---- insert -------------------------------------------------------------- */

static void
edit__insert__appends_at_the_cursor_and_moves_it(void **state)
{
	struct edit *e = *state;
	assert_true(INS(e, "hello"));
	assert_line(e, "hello", 5);
}

static void
edit__insert__goes_in_the_middle_at_the_cursor(void **state)
{
	struct edit *e = *state;
	line(e, "held", 3);
	assert_true(INS(e, "l"));
	assert_line(e, "helld", 4);
}

static void
edit__insert__counts_the_cursor_in_code_points(void **state)
{
	struct edit *e = *state;
	assert_true(INS(e, "a" E_ACUTE CJK_NI EMOJI));
	assert_int_equal(e->cursor, 4);
	assert_int_equal(edit_length(e), 4);
	assert_int_equal(edit_cursor_byte(e), 1 + 2 + 3 + 4);
}

static void
edit__insert__takes_only_len_bytes(void **state)
{
	struct edit *e = *state;
	assert_true(edit_insert(e, "abcdef", 3));
	assert_line(e, "abc", 3);
}

static void
edit__insert__accepts_a_newline(void **state)
{
	struct edit *e = *state;
	assert_true(INS(e, "a\nb"));
	assert_line(e, "a\nb", 3);
}

static void
edit__insert__turns_a_tab_into_one_space(void **state)
{
	struct edit *e = *state;
	assert_true(INS(e, "a\tb\t"));
	assert_line(e, "a b ", 4);
}

static void
edit__insert__of_nothing_succeeds_and_changes_nothing(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 1);
	assert_true(edit_insert(e, "", 0));
	assert_line(e, "ab", 1);
}

static void
edit__insert__grows_past_any_initial_capacity(void **state)
{
	struct edit *e = *state;
	for (int i = 0; i < 1000; i++)
		assert_true(INS(e, CJK_NI));
	assert_int_equal(edit_length(e), 1000);
	assert_int_equal(e->len, 3000);
	assert_int_equal(e->cursor, 1000);
}

static void
edit__insert__rejects_invalid_utf8_leaving_the_line_unchanged(void **state)
{
	struct edit *e = *state;
	static const char *bad[] = {
		"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"ok\x80", "\xe4\xbd",
	};
	line(e, "keep", 2);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_false(edit_insert(e, bad[i], strlen(bad[i])));
		assert_line(e, "keep", 2);
	}
}

static void
edit__insert__rejects_control_characters_leaving_the_line_unchanged(void **state)
{
	struct edit *e = *state;
	static const char *bad[] = {
		"\x1b[31m", "a\rb", "\x7f", "\x01", "\xc2\x85" /* U+0085 NEL */,
		"\xc2\x9b" /* U+009B CSI */, "x\x08",
	};
	line(e, "keep", 4);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_false(edit_insert(e, bad[i], strlen(bad[i])));
		assert_line(e, "keep", 4);
	}
}

static void
edit__insert__rejects_a_nul_byte(void **state)
{
	struct edit *e = *state;
	assert_false(edit_insert(e, "a\0b", 3));
	assert_line(e, "", 0);
}

/* ---- set, clear ---------------------------------------------------------- */

static void
edit__set__replaces_the_line_and_puts_the_cursor_at_the_end(void **state)
{
	struct edit *e = *state;
	line(e, "old text", 2);
	assert_true(edit_set(e, CJK_NI CJK_HAO));
	assert_line(e, CJK_NI CJK_HAO, 2);
}

static void
edit__set__rejects_invalid_text_leaving_the_line_unchanged(void **state)
{
	struct edit *e = *state;
	line(e, "old", 1);
	assert_false(edit_set(e, "bad\x1b"));
	assert_false(edit_set(e, "bad\xc3"));
	assert_line(e, "old", 1);
}

static void
edit__clear__empties_the_line_but_keeps_the_kill_ring(void **state)
{
	struct edit *e = *state;
	line(e, "one two", 7);
	assert_true(edit_apply(e, EDIT_KILL_WORD_BACK));
	edit_clear(e);
	assert_line(e, "", 0);
	assert_true(edit_apply(e, EDIT_YANK));
	assert_line(e, "two", 3);
}

/* ---- moving -------------------------------------------------------------- */

static void
edit__left__steps_over_one_multibyte_code_point(void **state)
{
	struct edit *e = *state;
	line(e, "a" EMOJI, 2);
	assert_true(edit_apply(e, EDIT_LEFT));
	assert_int_equal(e->cursor, 1);
	assert_int_equal(edit_cursor_byte(e), 1);
}

static void
edit__left__stops_at_the_start(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 0);
	assert_false(edit_apply(e, EDIT_LEFT));
	assert_int_equal(e->cursor, 0);
}

static void
edit__right__steps_over_one_wide_code_point(void **state)
{
	struct edit *e = *state;
	line(e, CJK_NI "b", 0);
	assert_true(edit_apply(e, EDIT_RIGHT));
	assert_int_equal(e->cursor, 1);
	assert_int_equal(edit_cursor_byte(e), 3);
}

static void
edit__right__stops_at_the_end(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 2);
	assert_false(edit_apply(e, EDIT_RIGHT));
	assert_int_equal(e->cursor, 2);
}

static void
edit__right__treats_a_combining_mark_as_its_own_code_point(void **state)
{
	struct edit *e = *state;
	line(e, "e" COMBINING_ACUTE "x", 0);
	assert_int_equal(edit_length(e), 3);
	assert_true(edit_apply(e, EDIT_RIGHT));
	assert_int_equal(edit_cursor_byte(e), 1);
	assert_true(edit_apply(e, EDIT_RIGHT));
	assert_int_equal(edit_cursor_byte(e), 3);
}

static void
edit__home__goes_to_the_start(void **state)
{
	struct edit *e = *state;
	line(e, "abc", 2);
	assert_true(edit_apply(e, EDIT_HOME));
	assert_int_equal(e->cursor, 0);
	assert_false(edit_apply(e, EDIT_HOME));
}

static void
edit__end__goes_to_the_end(void **state)
{
	struct edit *e = *state;
	line(e, E_ACUTE "t" E_ACUTE, 0);
	assert_true(edit_apply(e, EDIT_END));
	assert_int_equal(e->cursor, 3);
	assert_false(edit_apply(e, EDIT_END));
}

/* ---- word motions -------------------------------------------------------- */

static void
edit__word_left__goes_to_the_start_of_the_current_word(void **state)
{
	struct edit *e = *state;
	line(e, "hello world", 9);
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_int_equal(e->cursor, 6);
}

static void
edit__word_left__skips_spaces_then_the_previous_word(void **state)
{
	struct edit *e = *state;
	line(e, "hello   world", 8);
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_int_equal(e->cursor, 0);
}

static void
edit__word_left__stops_at_punctuation(void **state)
{
	struct edit *e = *state;
	line(e, "foo.bar", 7);
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_int_equal(e->cursor, 4);
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_int_equal(e->cursor, 0);
}

static void
edit__word_left__stops_at_the_start(void **state)
{
	struct edit *e = *state;
	line(e, "  ab", 0);
	assert_false(edit_apply(e, EDIT_WORD_LEFT));
	line(e, "  ", 2);
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_int_equal(e->cursor, 0);
}

static void
edit__word_left__treats_accented_and_cjk_text_as_words(void **state)
{
	struct edit *e = *state;
	line(e, "caf" E_ACUTE " " CJK_NI CJK_HAO, 7);
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_int_equal(e->cursor, 5);
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_int_equal(e->cursor, 0);
}

static void
edit__word_left__keeps_combining_marks_inside_the_word(void **state)
{
	struct edit *e = *state;
	line(e, "x cafe" COMBINING_ACUTE, 7);
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_int_equal(e->cursor, 2);
}

static void
edit__word_right__goes_to_the_end_of_the_next_word(void **state)
{
	struct edit *e = *state;
	line(e, "hello world", 0);
	assert_true(edit_apply(e, EDIT_WORD_RIGHT));
	assert_int_equal(e->cursor, 5);
	assert_true(edit_apply(e, EDIT_WORD_RIGHT));
	assert_int_equal(e->cursor, 11);
	assert_false(edit_apply(e, EDIT_WORD_RIGHT));
}

static void
edit__word_right__stops_at_punctuation(void **state)
{
	struct edit *e = *state;
	line(e, "@bob, hi", 0);
	assert_true(edit_apply(e, EDIT_WORD_RIGHT));
	assert_int_equal(e->cursor, 4);
}

static void
edit__word_right__crosses_a_general_punctuation_dash(void **state)
{
	struct edit *e = *state;
	line(e, "a\xe2\x80\x94" "b", 0); /* a—b */
	assert_true(edit_apply(e, EDIT_WORD_RIGHT));
	assert_int_equal(e->cursor, 1);
	assert_true(edit_apply(e, EDIT_WORD_RIGHT));
	assert_int_equal(e->cursor, 3);
}

static void
edit__word_right__treats_emoji_as_word_characters(void **state)
{
	struct edit *e = *state;
	line(e, EMOJI EMOJI " x", 0);
	assert_true(edit_apply(e, EDIT_WORD_RIGHT));
	assert_int_equal(e->cursor, 2);
}

/* ---- deleting ------------------------------------------------------------ */

static void
edit__backspace__deletes_the_code_point_before_the_cursor(void **state)
{
	struct edit *e = *state;
	line(e, "a" EMOJI "b", 2);
	assert_true(edit_apply(e, EDIT_BACKSPACE));
	assert_line(e, "ab", 1);
}

static void
edit__backspace__removes_a_combining_mark_alone(void **state)
{
	struct edit *e = *state;
	line(e, "e" COMBINING_ACUTE, 2);
	assert_true(edit_apply(e, EDIT_BACKSPACE));
	assert_line(e, "e", 1);
}

static void
edit__backspace__does_nothing_at_the_start(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 0);
	assert_false(edit_apply(e, EDIT_BACKSPACE));
	assert_line(e, "ab", 0);
}

static void
edit__delete__deletes_the_code_point_at_the_cursor(void **state)
{
	struct edit *e = *state;
	line(e, "a" CJK_NI "b", 1);
	assert_true(edit_apply(e, EDIT_DELETE));
	assert_line(e, "ab", 1);
}

static void
edit__delete__does_nothing_at_the_end(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 2);
	assert_false(edit_apply(e, EDIT_DELETE));
	assert_line(e, "ab", 2);
}

/* ---- killing and yanking ------------------------------------------------- */

static void
edit__kill_word_back__kills_to_the_previous_space(void **state)
{
	struct edit *e = *state;
	line(e, "say foo.bar", 11);
	assert_true(edit_apply(e, EDIT_KILL_WORD_BACK));
	assert_line(e, "say ", 4);
	assert_string_equal(e->killed, "foo.bar");
}

static void
edit__kill_word_back__takes_the_spaces_before_the_cursor_along(void **state)
{
	struct edit *e = *state;
	line(e, "one two  ", 9);
	assert_true(edit_apply(e, EDIT_KILL_WORD_BACK));
	assert_line(e, "one ", 4);
	assert_string_equal(e->killed, "two  ");
}

static void
edit__kill_word_back__kills_only_up_to_the_cursor(void **state)
{
	struct edit *e = *state;
	line(e, "ab " CJK_NI CJK_HAO "cd", 5);
	assert_true(edit_apply(e, EDIT_KILL_WORD_BACK));
	assert_line(e, "ab cd", 3);
	assert_string_equal(e->killed, CJK_NI CJK_HAO);
}

static void
edit__kill_word_back__does_nothing_at_the_start(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 0);
	assert_false(edit_apply(e, EDIT_KILL_WORD_BACK));
	assert_null(e->killed);
}

static void
edit__kill_word_forward__kills_to_the_end_of_the_next_word(void **state)
{
	struct edit *e = *state;
	line(e, "a  foo.bar", 1);
	assert_true(edit_apply(e, EDIT_KILL_WORD_FORWARD));
	assert_line(e, "a.bar", 1);
	assert_string_equal(e->killed, "  foo");
}

static void
edit__kill_word_forward__does_nothing_at_the_end(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 2);
	assert_false(edit_apply(e, EDIT_KILL_WORD_FORWARD));
	assert_line(e, "ab", 2);
}

static void
edit__kill_to_start__kills_everything_before_the_cursor(void **state)
{
	struct edit *e = *state;
	line(e, E_ACUTE "t" E_ACUTE " ok", 3);
	assert_true(edit_apply(e, EDIT_KILL_TO_START));
	assert_line(e, " ok", 0);
	assert_string_equal(e->killed, E_ACUTE "t" E_ACUTE);
}

static void
edit__kill_to_end__kills_everything_from_the_cursor(void **state)
{
	struct edit *e = *state;
	line(e, "keep" EMOJI "gone", 4);
	assert_true(edit_apply(e, EDIT_KILL_TO_END));
	assert_line(e, "keep", 4);
	assert_string_equal(e->killed, EMOJI "gone");
}

static void
edit__kill_to_end__at_the_end_keeps_the_previous_kill(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 1);
	assert_true(edit_apply(e, EDIT_KILL_TO_END));
	assert_false(edit_apply(e, EDIT_KILL_TO_END));
	assert_string_equal(e->killed, "b");
}

static void
edit__kill__replaces_the_kill_ring_entry(void **state)
{
	struct edit *e = *state;
	line(e, "one two", 7);
	assert_true(edit_apply(e, EDIT_KILL_WORD_BACK));
	assert_true(edit_apply(e, EDIT_KILL_WORD_BACK));
	assert_string_equal(e->killed, "one ");
}

static void
edit__yank__inserts_the_killed_text_at_the_cursor(void **state)
{
	struct edit *e = *state;
	line(e, "hello world", 11);
	assert_true(edit_apply(e, EDIT_KILL_WORD_BACK));
	assert_true(edit_apply(e, EDIT_HOME));
	assert_true(edit_apply(e, EDIT_YANK));
	assert_line(e, "worldhello ", 5);
}

static void
edit__yank__can_repeat(void **state)
{
	struct edit *e = *state;
	line(e, CJK_NI, 1);
	assert_true(edit_apply(e, EDIT_KILL_TO_START));
	assert_true(edit_apply(e, EDIT_YANK));
	assert_true(edit_apply(e, EDIT_YANK));
	assert_line(e, CJK_NI CJK_NI, 2);
}

static void
edit__yank__with_an_empty_kill_ring_does_nothing(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 1);
	assert_false(edit_apply(e, EDIT_YANK));
	assert_line(e, "ab", 1);
}

/* ---- transpose ----------------------------------------------------------- */

static void
edit__transpose__swaps_around_the_cursor_and_steps_forward(void **state)
{
	struct edit *e = *state;
	line(e, "abcd", 2);
	assert_true(edit_apply(e, EDIT_TRANSPOSE));
	assert_line(e, "acbd", 3);
}

static void
edit__transpose__at_the_end_swaps_the_last_two(void **state)
{
	struct edit *e = *state;
	line(e, "abcd", 4);
	assert_true(edit_apply(e, EDIT_TRANSPOSE));
	assert_line(e, "abdc", 4);
}

static void
edit__transpose__swaps_multibyte_code_points_whole(void **state)
{
	struct edit *e = *state;
	line(e, "a" EMOJI CJK_NI, 2);
	assert_true(edit_apply(e, EDIT_TRANSPOSE));
	assert_line(e, "a" CJK_NI EMOJI, 3);
}

static void
edit__transpose__at_the_start_does_nothing(void **state)
{
	struct edit *e = *state;
	line(e, "ab", 0);
	assert_false(edit_apply(e, EDIT_TRANSPOSE));
	assert_line(e, "ab", 0);
}

static void
edit__transpose__with_one_character_does_nothing(void **state)
{
	struct edit *e = *state;
	line(e, E_ACUTE, 1);
	assert_false(edit_apply(e, EDIT_TRANSPOSE));
	assert_line(e, E_ACUTE, 1);
}

/* ---- completion helpers -------------------------------------------------- */

static void
edit__word_before__gives_the_word_up_to_the_cursor(void **state)
{
	struct edit *e = *state;
	char out[64];
	line(e, "hi @bo", 6);
	assert_int_equal(edit_word_before(e, out, sizeof out), 3);
	assert_string_equal(out, "@bo");
}

static void
edit__word_before__ignores_what_follows_the_cursor(void **state)
{
	struct edit *e = *state;
	char out[64];
	line(e, "/joinxyz", 3);
	assert_int_equal(edit_word_before(e, out, sizeof out), 0);
	assert_string_equal(out, "/jo");
}

static void
edit__word_before__is_empty_after_a_space(void **state)
{
	struct edit *e = *state;
	char out[64];
	line(e, "hi ", 3);
	assert_int_equal(edit_word_before(e, out, sizeof out), 3);
	assert_string_equal(out, "");
}

static void
edit__word_before__counts_its_start_in_code_points(void **state)
{
	struct edit *e = *state;
	char out[64];
	line(e, CJK_NI CJK_HAO " " E_ACUTE "x", 5);
	assert_int_equal(edit_word_before(e, out, sizeof out), 3);
	assert_string_equal(out, E_ACUTE "x");
}

static void
edit__word_before__cuts_on_a_code_point_boundary_when_out_is_small(void **state)
{
	struct edit *e = *state;
	char out[5];
	line(e, "a" CJK_NI CJK_HAO, 3);
	assert_int_equal(edit_word_before(e, out, sizeof out), 0);
	assert_string_equal(out, "a" CJK_NI);
}

static void
edit__replace_before__replaces_the_word_and_moves_the_cursor_after_it(void **state)
{
	struct edit *e = *state;
	line(e, "hi @bo!", 6);
	assert_true(edit_replace_before(e, 3, "@bob: "));
	assert_line(e, "hi @bob: !", 9);
}

static void
edit__replace_before__accepts_multibyte_text(void **state)
{
	struct edit *e = *state;
	line(e, "x " CJK_NI, 3);
	assert_true(edit_replace_before(e, 2, CJK_NI CJK_HAO EMOJI));
	assert_line(e, "x " CJK_NI CJK_HAO EMOJI, 5);
}

static void
edit__replace_before__rejects_a_start_after_the_cursor(void **state)
{
	struct edit *e = *state;
	line(e, "abc", 1);
	assert_false(edit_replace_before(e, 2, "x"));
	assert_line(e, "abc", 1);
}

static void
edit__replace_before__rejects_invalid_text_leaving_the_line_unchanged(void **state)
{
	struct edit *e = *state;
	line(e, "abc", 3);
	assert_false(edit_replace_before(e, 0, "\x1b"));
	assert_false(edit_replace_before(e, 0, "\xe4\xbd"));
	assert_line(e, "abc", 3);
}

/* ---- a session ----------------------------------------------------------- */

static void
edit__keys__compose_like_readline(void **state)
{
	struct edit *e = *state;
	assert_true(INS(e, "teh quick " CJK_NI));
	assert_true(edit_apply(e, EDIT_HOME));
	assert_true(edit_apply(e, EDIT_RIGHT));
	assert_true(edit_apply(e, EDIT_RIGHT));
	assert_true(edit_apply(e, EDIT_TRANSPOSE));
	assert_line(e, "the quick " CJK_NI, 3);
	assert_true(edit_apply(e, EDIT_END));
	assert_true(edit_apply(e, EDIT_KILL_WORD_BACK));
	assert_true(edit_apply(e, EDIT_WORD_LEFT));
	assert_true(edit_apply(e, EDIT_YANK));
	assert_true(INS(e, " "));
	assert_line(e, "the " CJK_NI " quick ", 6);
	assert_int_equal(edit_length(e), 12);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(edit__init__gives_an_empty_line_with_the_cursor_at_0),
		T(edit__apply__every_key_on_an_empty_line_changes_nothing),
		T(edit__insert__appends_at_the_cursor_and_moves_it),
		T(edit__insert__goes_in_the_middle_at_the_cursor),
		T(edit__insert__counts_the_cursor_in_code_points),
		T(edit__insert__takes_only_len_bytes),
		T(edit__insert__accepts_a_newline),
		T(edit__insert__turns_a_tab_into_one_space),
		T(edit__insert__of_nothing_succeeds_and_changes_nothing),
		T(edit__insert__grows_past_any_initial_capacity),
		T(edit__insert__rejects_invalid_utf8_leaving_the_line_unchanged),
		T(edit__insert__rejects_control_characters_leaving_the_line_unchanged),
		T(edit__insert__rejects_a_nul_byte),
		T(edit__set__replaces_the_line_and_puts_the_cursor_at_the_end),
		T(edit__set__rejects_invalid_text_leaving_the_line_unchanged),
		T(edit__clear__empties_the_line_but_keeps_the_kill_ring),
		T(edit__left__steps_over_one_multibyte_code_point),
		T(edit__left__stops_at_the_start),
		T(edit__right__steps_over_one_wide_code_point),
		T(edit__right__stops_at_the_end),
		T(edit__right__treats_a_combining_mark_as_its_own_code_point),
		T(edit__home__goes_to_the_start),
		T(edit__end__goes_to_the_end),
		T(edit__word_left__goes_to_the_start_of_the_current_word),
		T(edit__word_left__skips_spaces_then_the_previous_word),
		T(edit__word_left__stops_at_punctuation),
		T(edit__word_left__stops_at_the_start),
		T(edit__word_left__treats_accented_and_cjk_text_as_words),
		T(edit__word_left__keeps_combining_marks_inside_the_word),
		T(edit__word_right__goes_to_the_end_of_the_next_word),
		T(edit__word_right__stops_at_punctuation),
		T(edit__word_right__crosses_a_general_punctuation_dash),
		T(edit__word_right__treats_emoji_as_word_characters),
		T(edit__backspace__deletes_the_code_point_before_the_cursor),
		T(edit__backspace__removes_a_combining_mark_alone),
		T(edit__backspace__does_nothing_at_the_start),
		T(edit__delete__deletes_the_code_point_at_the_cursor),
		T(edit__delete__does_nothing_at_the_end),
		T(edit__kill_word_back__kills_to_the_previous_space),
		T(edit__kill_word_back__takes_the_spaces_before_the_cursor_along),
		T(edit__kill_word_back__kills_only_up_to_the_cursor),
		T(edit__kill_word_back__does_nothing_at_the_start),
		T(edit__kill_word_forward__kills_to_the_end_of_the_next_word),
		T(edit__kill_word_forward__does_nothing_at_the_end),
		T(edit__kill_to_start__kills_everything_before_the_cursor),
		T(edit__kill_to_end__kills_everything_from_the_cursor),
		T(edit__kill_to_end__at_the_end_keeps_the_previous_kill),
		T(edit__kill__replaces_the_kill_ring_entry),
		T(edit__yank__inserts_the_killed_text_at_the_cursor),
		T(edit__yank__can_repeat),
		T(edit__yank__with_an_empty_kill_ring_does_nothing),
		T(edit__transpose__swaps_around_the_cursor_and_steps_forward),
		T(edit__transpose__at_the_end_swaps_the_last_two),
		T(edit__transpose__swaps_multibyte_code_points_whole),
		T(edit__transpose__at_the_start_does_nothing),
		T(edit__transpose__with_one_character_does_nothing),
		T(edit__word_before__gives_the_word_up_to_the_cursor),
		T(edit__word_before__ignores_what_follows_the_cursor),
		T(edit__word_before__is_empty_after_a_space),
		T(edit__word_before__counts_its_start_in_code_points),
		T(edit__word_before__cuts_on_a_code_point_boundary_when_out_is_small),
		T(edit__replace_before__replaces_the_word_and_moves_the_cursor_after_it),
		T(edit__replace_before__accepts_multibyte_text),
		T(edit__replace_before__rejects_a_start_after_the_cursor),
		T(edit__replace_before__rejects_invalid_text_leaving_the_line_unchanged),
		T(edit__keys__compose_like_readline),
	};
	return cmocka_run_group_tests_name("edit", tests, NULL, NULL);
}
