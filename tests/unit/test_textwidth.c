/*
 * textwidth: cell widths, fitting and word wrap of UTF-8 text.
 * Widths come from the C library's wcwidth in the C.UTF-8 locale.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/textwidth.h"

#define FAMILY "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"
#define E_ACUTE "e\xCC\x81"             /* e + COMBINING ACUTE ACCENT */
#define ZHONG "\xE4\xB8\xAD"            /* 中 */
#define WEN "\xE6\x96\x87"              /* 文 */
#define ZI "\xE5\xAD\x97"               /* 字 */
#define GRIN "\xF0\x9F\x98\x80"         /* 😀 */
#define FLAG_FR "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"
#define HEART_EMOJI "\xE2\x9D\xA4\xEF\xB8\x8F" /* ❤ + VS16 */

static int
width(const char *s)
{
	return tw_width(s, strlen(s));
}

static size_t
fit(const char *s, int cols)
{
	return tw_fit(s, strlen(s), cols);
}

#define MAXL 16

/* Wraps s into lines[] and returns the line count. */
static size_t
wrap(const char *s, int cols, struct tw_line lines[MAXL])
{
	size_t n = tw_wrap(s, strlen(s), cols, lines, MAXL);
	assert_true(n <= MAXL);
	return n;
}

static void
assert_line(const char *s, const struct tw_line *l, const char *text, int w)
{
	assert_int_equal(l->end - l->start, strlen(text));
	assert_memory_equal(s + l->start, text, strlen(text));
	assert_int_equal(l->width, w);
}

/* ---- tw_width ---------------------------------------------------------- */

static void
tw__width__of_the_empty_text_is_zero(void **state)
{
	(void)state;
	assert_int_equal(width(""), 0);
}

static void
tw__width__counts_ascii_one_cell_each(void **state)
{
	(void)state;
	assert_int_equal(width("hello, world"), 12);
}

static void
tw__width__counts_cjk_two_cells_each(void **state)
{
	(void)state;
	assert_int_equal(width(ZHONG WEN), 4);
}

static void
tw__width__counts_a_combining_mark_as_zero(void **state)
{
	(void)state;
	assert_int_equal(width(E_ACUTE), 1);
	assert_int_equal(width("caf" E_ACUTE), 4);
}

static void
tw__width__counts_an_emoji_two_cells(void **state)
{
	(void)state;
	assert_int_equal(width(GRIN), 2);
}

static void
tw__width__counts_a_variation_selector_as_zero(void **state)
{
	(void)state;
	assert_int_equal(width(HEART_EMOJI), 1);
}

static void
tw__width__counts_a_zwj_family_as_its_people_as_curses_does(void **state)
{
	(void)state;
	assert_int_equal(width(FAMILY), 6);
}

static void
tw__width__adds_up_mixed_text(void **state)
{
	(void)state;
	assert_int_equal(width("a" ZHONG E_ACUTE GRIN " x"), 8);
}

static void
tw__width__counts_invalid_bytes_one_cell_each(void **state)
{
	(void)state;
	assert_int_equal(width("\xFF\xFE"), 2);
	assert_int_equal(width("a\xE4\xB8"), 3); /* truncated 3-byte char */
	assert_int_equal(width("\xC0\x80"), 2);  /* overlong NUL */
}

static void
tw__width__counts_control_characters_one_cell_each(void **state)
{
	(void)state;
	assert_int_equal(width("\t\x01\x7F"), 3);
}

static void
tw__width__counts_an_embedded_nul_as_one_cell(void **state)
{
	(void)state;
	assert_int_equal(tw_width("a\0b", 3), 3);
}

/* ---- tw_fit ------------------------------------------------------------ */

static void
tw__fit__takes_the_whole_text_when_it_fits(void **state)
{
	(void)state;
	assert_int_equal(fit("hello", 5), 5);
	assert_int_equal(fit("hello", 80), 5);
}

static void
tw__fit__cuts_ascii_at_the_width(void **state)
{
	(void)state;
	assert_int_equal(fit("hello", 3), 3);
}

static void
tw__fit__with_no_room_takes_nothing(void **state)
{
	(void)state;
	assert_int_equal(fit("hello", 0), 0);
	assert_int_equal(fit("hello", -3), 0);
}

static void
tw__fit__never_splits_a_wide_character(void **state)
{
	(void)state;
	assert_int_equal(fit(ZHONG WEN, 3), 3);
	assert_int_equal(fit(ZHONG, 1), 0);
}

static void
tw__fit__never_ends_inside_a_multibyte_character(void **state)
{
	(void)state;
	assert_int_equal(fit("\xC3\xA9" "a", 1), 2); /* precomposed é */
}

static void
tw__fit__keeps_a_combining_mark_with_its_base(void **state)
{
	(void)state;
	assert_int_equal(fit(E_ACUTE "x", 1), 3);
	assert_int_equal(fit("ab" E_ACUTE, 2), 2);
}

static void
tw__fit__never_splits_a_zwj_sequence(void **state)
{
	(void)state;
	assert_int_equal(fit(FAMILY, 5), 0);
	assert_int_equal(fit(FAMILY, 6), strlen(FAMILY));
}

static void
tw__fit__keeps_a_flag_whole(void **state)
{
	(void)state;
	assert_int_equal(fit(FLAG_FR, 1), 0);
	assert_int_equal(fit(FLAG_FR, 2), strlen(FLAG_FR));
}

static void
tw__fit__counts_an_invalid_byte_as_one_cell(void **state)
{
	(void)state;
	assert_int_equal(fit("\xFF" "ab", 2), 2);
}

/* ---- tw_wrap ----------------------------------------------------------- */

static void
tw__wrap__gives_the_empty_text_one_empty_line(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	assert_int_equal(wrap("", 10, l), 1);
	assert_line("", &l[0], "", 0);
}

static void
tw__wrap__leaves_short_text_on_one_line(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "hello world";
	assert_int_equal(wrap(s, 20, l), 1);
	assert_line(s, &l[0], "hello world", 11);
}

static void
tw__wrap__fits_text_of_exactly_the_width_on_one_line(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "hello world";
	assert_int_equal(wrap(s, 11, l), 1);
	assert_line(s, &l[0], "hello world", 11);
}

static void
tw__wrap__breaks_at_a_space_and_drops_it(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "hello world";
	assert_int_equal(wrap(s, 5, l), 2);
	assert_line(s, &l[0], "hello", 5);
	assert_line(s, &l[1], "world", 5);
}

static void
tw__wrap__moves_a_word_that_does_not_fit_to_the_next_line(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "aa bbb";
	assert_int_equal(wrap(s, 4, l), 2);
	assert_line(s, &l[0], "aa", 2);
	assert_line(s, &l[1], "bbb", 3);
}

static void
tw__wrap__breaks_a_word_longer_than_the_line(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "abcdefgh";
	assert_int_equal(wrap(s, 3, l), 3);
	assert_line(s, &l[0], "abc", 3);
	assert_line(s, &l[1], "def", 3);
	assert_line(s, &l[2], "gh", 2);
}

static void
tw__wrap__starts_a_long_word_on_a_fresh_line_before_breaking_it(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "hi abcdefgh";
	assert_int_equal(wrap(s, 4, l), 3);
	assert_line(s, &l[0], "hi", 2);
	assert_line(s, &l[1], "abcd", 4);
	assert_line(s, &l[2], "efgh", 4);
}

static void
tw__wrap__keeps_several_spaces_inside_a_line(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "a   b";
	assert_int_equal(wrap(s, 10, l), 1);
	assert_line(s, &l[0], "a   b", 5);
}

static void
tw__wrap__drops_every_space_of_a_run_at_a_break(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "ab     cd";
	assert_int_equal(wrap(s, 3, l), 2);
	assert_line(s, &l[0], "ab", 2);
	assert_line(s, &l[1], "cd", 2);
}

static void
tw__wrap__drops_a_trailing_space_that_does_not_fit(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "abc ";
	assert_int_equal(wrap(s, 3, l), 1);
	assert_line(s, &l[0], "abc", 3);
}

static void
tw__wrap__keeps_a_trailing_space_that_fits(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "ab ";
	assert_int_equal(wrap(s, 3, l), 1);
	assert_line(s, &l[0], "ab ", 3);
}

static void
tw__wrap__keeps_the_indentation_of_a_paragraph(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "  ab cd";
	assert_int_equal(wrap(s, 5, l), 2);
	assert_line(s, &l[0], "  ab", 4);
	assert_line(s, &l[1], "cd", 2);
}

static void
tw__wrap__starts_a_new_line_at_each_newline(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "ab\ncd";
	assert_int_equal(wrap(s, 10, l), 2);
	assert_int_equal(l[0].start, 0);
	assert_int_equal(l[1].start, 3);
	assert_line(s, &l[0], "ab", 2);
	assert_line(s, &l[1], "cd", 2);
}

static void
tw__wrap__gives_an_empty_paragraph_an_empty_line(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "a\n\nb";
	assert_int_equal(wrap(s, 10, l), 3);
	assert_line(s, &l[1], "", 0);
	assert_int_equal(l[1].start, 2);
}

static void
tw__wrap__ends_with_an_empty_line_after_a_final_newline(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "a\n";
	assert_int_equal(wrap(s, 10, l), 2);
	assert_line(s, &l[1], "", 0);
	assert_int_equal(l[1].start, 2);
}

static void
tw__wrap__breaks_between_wide_characters(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = ZHONG WEN ZI;
	assert_int_equal(wrap(s, 4, l), 2);
	assert_line(s, &l[0], ZHONG WEN, 4);
	assert_line(s, &l[1], ZI, 2);
}

static void
tw__wrap__moves_a_wide_character_that_would_stick_out(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "a" ZHONG;
	assert_int_equal(wrap(s, 2, l), 2);
	assert_line(s, &l[0], "a", 1);
	assert_line(s, &l[1], ZHONG, 2);
}

static void
tw__wrap__at_one_column_gives_each_wide_character_its_own_line(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = ZHONG WEN;
	assert_int_equal(wrap(s, 1, l), 2);
	assert_line(s, &l[0], ZHONG, 2);
	assert_line(s, &l[1], WEN, 2);
}

static void
tw__wrap__at_one_column_makes_progress_through_mixed_text(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "a" ZHONG "b " GRIN;
	assert_int_equal(wrap(s, 1, l), 4);
	assert_line(s, &l[0], "a", 1);
	assert_line(s, &l[1], ZHONG, 2);
	assert_line(s, &l[2], "b", 1);
	assert_line(s, &l[3], GRIN, 2);
}

static void
tw__wrap__keeps_combining_marks_with_their_base(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = E_ACUTE E_ACUTE E_ACUTE;
	assert_int_equal(wrap(s, 2, l), 2);
	assert_line(s, &l[0], E_ACUTE E_ACUTE, 2);
	assert_line(s, &l[1], E_ACUTE, 1);
}

static void
tw__wrap__never_splits_a_zwj_sequence(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "ab" FAMILY;
	assert_int_equal(wrap(s, 7, l), 2);
	assert_line(s, &l[0], "ab", 2);
	assert_line(s, &l[1], FAMILY, 6);
}

static void
tw__wrap__counts_invalid_bytes_one_cell_each(void **state)
{
	(void)state;
	struct tw_line l[MAXL];
	const char *s = "\xFF\xFE\xFD";
	assert_int_equal(wrap(s, 2, l), 2);
	assert_line(s, &l[0], "\xFF\xFE", 2);
	assert_line(s, &l[1], "\xFD", 1);
}

static void
tw__wrap__counts_lines_beyond_max_without_writing_them(void **state)
{
	(void)state;
	struct tw_line l[3];
	memset(l, 0x5A, sizeof l);
	const char *s = "a\nb\nc\nd";
	assert_int_equal(tw_wrap(s, strlen(s), 10, l, 2), 4);
	assert_int_equal(l[1].start, 2);
	assert_int_equal(l[2].width, 0x5A5A5A5A); /* untouched */
}

static void
tw__wrap__only_counts_when_given_no_array(void **state)
{
	(void)state;
	const char *s = "hello world";
	assert_int_equal(tw_wrap(s, strlen(s), 5, NULL, 0), 2);
}

/* Every line fits (unless it is one glyph wider than the line), lines come
 * in order, and what lies between two lines is only spaces or one '\n'. */
static void
tw__wrap__at_every_width_loses_nothing_but_spaces_at_breaks(void **state)
{
	(void)state;
	const char *s = "Le caf" E_ACUTE " " ZHONG WEN ZI " est  ouvert "
	    FAMILY " tous les jours\n\n" GRIN GRIN " fin \xFF de ligne";
	size_t len = strlen(s);
	for (int cols = 1; cols <= 30; cols++) {
		struct tw_line l[64];
		size_t n = tw_wrap(s, len, cols, l, 64);
		assert_true(n > 0 && n <= 64);
		size_t prev = 0;
		for (size_t i = 0; i < n; i++) {
			assert_true(l[i].start >= prev && l[i].end >= l[i].start);
			assert_int_equal(l[i].width,
			    tw_width(s + l[i].start, l[i].end - l[i].start));
			if (l[i].width > cols)
				assert_int_equal(tw_fit(s + l[i].start,
				    l[i].end - l[i].start, cols), 0);
			size_t newlines = 0;
			for (size_t k = prev; k < l[i].start; k++) {
				assert_true(s[k] == ' ' || s[k] == '\n');
				newlines += s[k] == '\n';
			}
			assert_true(newlines <= 1);
			prev = l[i].end;
		}
		assert_int_equal(prev, len);
	}
}

int
main(void)
{
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return 77; /* meson's "skipped" */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tw__width__of_the_empty_text_is_zero),
		cmocka_unit_test(tw__width__counts_ascii_one_cell_each),
		cmocka_unit_test(tw__width__counts_cjk_two_cells_each),
		cmocka_unit_test(tw__width__counts_a_combining_mark_as_zero),
		cmocka_unit_test(tw__width__counts_an_emoji_two_cells),
		cmocka_unit_test(tw__width__counts_a_variation_selector_as_zero),
		cmocka_unit_test(tw__width__counts_a_zwj_family_as_its_people_as_curses_does),
		cmocka_unit_test(tw__width__adds_up_mixed_text),
		cmocka_unit_test(tw__width__counts_invalid_bytes_one_cell_each),
		cmocka_unit_test(tw__width__counts_control_characters_one_cell_each),
		cmocka_unit_test(tw__width__counts_an_embedded_nul_as_one_cell),
		cmocka_unit_test(tw__fit__takes_the_whole_text_when_it_fits),
		cmocka_unit_test(tw__fit__cuts_ascii_at_the_width),
		cmocka_unit_test(tw__fit__with_no_room_takes_nothing),
		cmocka_unit_test(tw__fit__never_splits_a_wide_character),
		cmocka_unit_test(tw__fit__never_ends_inside_a_multibyte_character),
		cmocka_unit_test(tw__fit__keeps_a_combining_mark_with_its_base),
		cmocka_unit_test(tw__fit__never_splits_a_zwj_sequence),
		cmocka_unit_test(tw__fit__keeps_a_flag_whole),
		cmocka_unit_test(tw__fit__counts_an_invalid_byte_as_one_cell),
		cmocka_unit_test(tw__wrap__gives_the_empty_text_one_empty_line),
		cmocka_unit_test(tw__wrap__leaves_short_text_on_one_line),
		cmocka_unit_test(tw__wrap__fits_text_of_exactly_the_width_on_one_line),
		cmocka_unit_test(tw__wrap__breaks_at_a_space_and_drops_it),
		cmocka_unit_test(tw__wrap__moves_a_word_that_does_not_fit_to_the_next_line),
		cmocka_unit_test(tw__wrap__breaks_a_word_longer_than_the_line),
		cmocka_unit_test(tw__wrap__starts_a_long_word_on_a_fresh_line_before_breaking_it),
		cmocka_unit_test(tw__wrap__keeps_several_spaces_inside_a_line),
		cmocka_unit_test(tw__wrap__drops_every_space_of_a_run_at_a_break),
		cmocka_unit_test(tw__wrap__drops_a_trailing_space_that_does_not_fit),
		cmocka_unit_test(tw__wrap__keeps_a_trailing_space_that_fits),
		cmocka_unit_test(tw__wrap__keeps_the_indentation_of_a_paragraph),
		cmocka_unit_test(tw__wrap__starts_a_new_line_at_each_newline),
		cmocka_unit_test(tw__wrap__gives_an_empty_paragraph_an_empty_line),
		cmocka_unit_test(tw__wrap__ends_with_an_empty_line_after_a_final_newline),
		cmocka_unit_test(tw__wrap__breaks_between_wide_characters),
		cmocka_unit_test(tw__wrap__moves_a_wide_character_that_would_stick_out),
		cmocka_unit_test(tw__wrap__at_one_column_gives_each_wide_character_its_own_line),
		cmocka_unit_test(tw__wrap__at_one_column_makes_progress_through_mixed_text),
		cmocka_unit_test(tw__wrap__keeps_combining_marks_with_their_base),
		cmocka_unit_test(tw__wrap__never_splits_a_zwj_sequence),
		cmocka_unit_test(tw__wrap__counts_invalid_bytes_one_cell_each),
		cmocka_unit_test(tw__wrap__counts_lines_beyond_max_without_writing_them),
		cmocka_unit_test(tw__wrap__only_counts_when_given_no_array),
		cmocka_unit_test(tw__wrap__at_every_width_loses_nothing_but_spaces_at_breaks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
