/*
 * ui: the parts of the terminal UI that need no terminal: making text
 * safe to draw, the message pane's display lines, the key table and the
 * colour mapping. Times are shown in UTC here (TZ is set in main).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curses.h>

#include "model/edit.h"
#include "model/room.h"
#include "model/textwidth.h"
#include "model/theme.h"
#include "ui/internal.h"

/* 2026-11-28 12:01 and 2026-11-27 23:59, UTC, in ms. */
#define SAT_1201 1795867260000LL
#define FRI_2359 1795823940000LL
#define MIN 60000LL

#define FFFD "\xef\xbf\xbd"
#define RULE "\xe2\x94\x80"

/* ---- helpers ------------------------------------------------------------- */

static char *
clean(const char *s, enum ui_nl nl)
{
	struct ui_buf b = { 0 };
	ui_sanitize(&b, s, strlen(s), nl);
	return b.s;
}

static int64_t next_seq;

static void
add(struct room *r, const char *user, const char *text, int64_t ts)
{
	char id[24];
	next_seq++;
	snprintf(id, sizeof id, "%lld", (long long)next_seq);
	struct proto_message m = { .room = r->name, .seq = next_seq, .id = id,
	    .user = user, .text = text, .ts = ts };
	assert_true(room_add_message(r, &m, true));
}

struct fixture {
	struct room *room;
	struct chat_notice notices[4];
	size_t nnotices;
	struct theme theme;
	struct pane_lines lines;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->room = room_new("lobby", "me");
	theme_default(&f->theme);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	pane_lines_free(&f->lines);
	room_free(f->room);
	free(f);
	return 0;
}

static int64_t mark_seq; /* the message build() marks; 0 none */

static void
build(struct fixture *f, int width, size_t need)
{
	struct pane_src src = {
		.mark_seq = mark_seq,
		.room = f->room,
		.notices = f->notices,
		.nnotices = f->nnotices,
		.me = "me",
		.theme = &f->theme,
		.timestamps = true,
		.first_unread = f->room->nmsgs,
	};
	pane_lines_free(&f->lines);
	pane_build(&src, width, need, &f->lines);
}

static const char *
line(struct fixture *f, size_t i)
{
	assert_true(i < f->lines.n);
	return f->lines.v[i].text;
}

/* The span that covers byte offset at of line i. */
static const struct ui_span *
span_at(struct fixture *f, size_t i, size_t at)
{
	const struct pane_line *l = &f->lines.v[i];
	for (int k = 0; k < l->nspans; k++)
		if (l->spans[k].start <= at && at < l->spans[k].end)
			return &l->spans[k];
	fail_msg("no span at %zu of line %zu", at, i);
	return NULL;
}

static size_t
offset_of(struct fixture *f, size_t i, const char *needle)
{
	const char *p = strstr(line(f, i), needle);
	assert_non_null(p);
	return (size_t)(p - line(f, i));
}

/* ---- sanitizing ---------------------------------------------------------- */

static void
sanitize__replaces_escape_and_controls__with_the_replacement_char(void **s)
{
	(void)s;
	char *t = clean("a\x1b[31mb\x07" "c\x7f" "d", UI_NL_BAD);
	assert_string_equal(t, "a" FFFD "[31mb" FFFD "c" FFFD "d");
	free(t);
}

static void
sanitize__replaces_c1_controls_and_invalid_bytes(void **s)
{
	(void)s;
	char *t = clean("x\xc2\x9b" "2J\xff\xc3", UI_NL_BAD);
	assert_string_equal(t, "x" FFFD "2J" FFFD FFFD);
	free(t);
}

static void
sanitize__handles_newlines_as_asked(void **s)
{
	(void)s;
	char *bad = clean("a\nb", UI_NL_BAD);
	char *keep = clean("a\nb", UI_NL_KEEP);
	char *show = clean("a\nb", UI_NL_SHOW);
	assert_string_equal(bad, "a" FFFD "b");
	assert_string_equal(keep, "a\nb");
	assert_string_equal(show, "a\xe2\x86\xb5" "b");
	free(bad);
	free(keep);
	free(show);
}

static void
sanitize__turns_tabs_into_spaces_and_drops_bidi_overrides(void **s)
{
	(void)s;
	char *t = clean("a\tb\xe2\x80\xae" "c\xe2\x81\xa6" "d", UI_NL_BAD);
	assert_string_equal(t, "a bcd");
	free(t);
}

static void
sanitize__gives_a_leading_combining_mark_a_dotted_circle(void **s)
{
	(void)s;
	char *t = clean("\xcc\x81x e\xcc\x81", UI_NL_KEEP);
	assert_string_equal(t, "\xe2\x97\x8c\xcc\x81x e\xcc\x81");
	free(t);
}

static void
sanitize__keeps_wide_characters_and_emoji(void **s)
{
	(void)s;
	const char *in = "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x91\x8d";
	char *t = clean(in, UI_NL_BAD);
	assert_string_equal(t, in);
	free(t);
}

static void
sanitize__maps_the_mark_to_the_output_offset(void **s)
{
	(void)s;
	struct ui_buf b = { 0 };
	size_t out = 0;
	ui_sanitize_mark(&b, "a\x1b" "b", 3, UI_NL_BAD, 2, &out);
	assert_int_equal(out, 4); /* after 'a' and the 3-byte U+FFFD */
	ui_buf_free(&b);
	ui_sanitize_mark(&b, "ab", 2, UI_NL_BAD, 2, &out);
	assert_int_equal(out, 2);
	ui_buf_free(&b);
}

/* ---- the message pane ---------------------------------------------------- */

static void
pane__starts_with_the_day_and_shows_time_nick_and_text(void **state)
{
	struct fixture *f = *state;
	add(f->room, "alice", "hi", SAT_1201);
	build(f, 40, SIZE_MAX);
	assert_int_equal(f->lines.n, 2);
	assert_true(f->lines.complete);
	assert_non_null(strstr(line(f, 0), " Saturday 28 November 2026 "));
	assert_true(strncmp(line(f, 0), RULE, strlen(RULE)) == 0);
	assert_string_equal(line(f, 1), "12:01 alice hi");
}

static void
pane__aligns_nicks_right_in_one_column(void **state)
{
	struct fixture *f = *state;
	add(f->room, "alice", "one", SAT_1201);
	add(f->room, "bo", "two", SAT_1201);
	build(f, 40, SIZE_MAX);
	assert_string_equal(line(f, 1), "12:01 alice one");
	assert_string_equal(line(f, 2), "12:01    bo two");
}

static void
pane__wraps_long_text_under_the_text_column(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "aaa bbb ccc ddd eee fff", SAT_1201);
	build(f, 20, SIZE_MAX);
	/* "12:01 bob " is 10 cells, so the text gets 10. */
	assert_string_equal(line(f, 1), "12:01 bob aaa bbb");
	assert_string_equal(line(f, 2), "          ccc ddd");
	assert_string_equal(line(f, 3), "          eee fff");
}


static void
pane__keeps_a_link_longer_than_the_text_column_whole_on_a_row_of_its_own(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "see https://example.org/a/rather/long/path?x=1 now",
	    SAT_1201);
	build(f, 50, SIZE_MAX);
	/* the text column is 40 wide, the link 42 */
	assert_string_equal(line(f, 1), "12:01 bob see");
	assert_string_equal(line(f, 2), "https://example.org/a/rather/long/path?x=1");
	assert_string_equal(line(f, 3), "          now");
}

static void
pane__wraps_around_a_link_that_fits_without_breaking_it(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "aaaa bbbb cccc https://ex.org/abcdef tail",
	    SAT_1201);
	build(f, 40, SIZE_MAX);
	assert_string_equal(line(f, 1), "12:01 bob aaaa bbbb cccc");
	assert_string_equal(line(f, 2), "          https://ex.org/abcdef tail");
}

static void
pane__highlights_what_a_search_found(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "Deploy went fine, deploy again", SAT_1201);
	struct pane_src src = {
		.room = f->room, .me = "me", .theme = &f->theme, .timestamps = true,
		.first_unread = f->room->nmsgs, .search = "deploy",
	};
	pane_lines_free(&f->lines);
	pane_build(&src, 60, SIZE_MAX, &f->lines);
	size_t at = offset_of(f, 1, "Deploy");
	assert_int_equal(span_at(f, 1, at)->elem, TH_SEARCH);
	assert_int_equal(span_at(f, 1, at + 6)->elem, TH_TEXT);
	assert_int_equal(span_at(f, 1, offset_of(f, 1, "deploy again"))->elem,
	    TH_SEARCH);
}

static void
pane__shows_times_in_the_format_asked_for(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "hi", SAT_1201);
	struct pane_src src = {
		.room = f->room, .me = "me", .theme = &f->theme, .timestamps = true,
		.first_unread = f->room->nmsgs, .time_format = "%H:%M:%S",
	};
	pane_lines_free(&f->lines);
	pane_build(&src, 60, SIZE_MAX, &f->lines);
	assert_string_equal(line(f, 1), "12:01:00 bob hi");
}

static void
pane__breaks_at_newlines_in_the_text(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "one\ntwo", SAT_1201);
	build(f, 40, SIZE_MAX);
	assert_string_equal(line(f, 1), "12:01 bob one");
	assert_string_equal(line(f, 2), "          two");
}

static void
pane__shows_me_lines_as_actions(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "/me waves", SAT_1201);
	build(f, 40, SIZE_MAX);
	assert_string_equal(line(f, 1), "12:01   * bob waves");
	assert_int_equal(span_at(f, 1, offset_of(f, 1, "bob"))->elem, TH_ACTION);
}

static void
pane__separates_days_in_local_time(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "late", FRI_2359);
	add(f->room, "bob", "early", SAT_1201);
	build(f, 40, SIZE_MAX);
	assert_int_equal(f->lines.n, 4);
	assert_non_null(strstr(line(f, 0), "Friday 27 November 2026"));
	assert_string_equal(line(f, 1), "23:59 bob late");
	assert_non_null(strstr(line(f, 2), "Saturday 28 November 2026"));
	assert_string_equal(line(f, 3), "12:01 bob early");
}

static void
pane__puts_the_unread_marker_before_the_first_unread(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "seen", SAT_1201);
	add(f->room, "bob", "new", SAT_1201 + MIN);
	struct pane_src src = { .room = f->room, .me = "me", .timestamps = true,
		.first_unread = 1 };
	pane_build(&src, 30, SIZE_MAX, &f->lines);
	assert_int_equal(f->lines.n, 4);
	assert_string_equal(line(f, 1), "12:01 bob seen");
	assert_non_null(strstr(line(f, 2), " new messages "));
	assert_int_equal(f->lines.v[2].spans[0].elem, TH_UNREAD_MARKER);
	assert_string_equal(line(f, 3), "12:02 bob new");
}

static void
pane__marks_pending_and_failed_messages(void **state)
{
	struct fixture *f = *state;
	assert_true(room_add_pending(f->room, "c1", "sending", SAT_1201));
	assert_true(room_add_pending(f->room, "c2", "nope", SAT_1201));
	assert_true(room_fail(f->room, "c2", "rate_limited"));
	build(f, 60, SIZE_MAX);
	assert_string_equal(line(f, 1), "12:01 me sending ~");
	assert_string_equal(line(f, 2), "12:01 me nope [failed: rate_limited]");
	assert_int_equal(span_at(f, 1, offset_of(f, 1, "sending"))->elem,
	    TH_PENDING);
	assert_int_equal(span_at(f, 2, offset_of(f, 2, "[failed"))->elem,
	    TH_FAILED);
	assert_int_equal(span_at(f, 1, offset_of(f, 1, "me"))->elem,
	    TH_NICK_SELF);
}

static void
pane__styles_mentions_and_colours_other_nicks(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "me: look", SAT_1201);
	build(f, 40, SIZE_MAX);
	assert_true(f->room->msgs[0]->mention);
	assert_int_equal(span_at(f, 1, offset_of(f, 1, "look"))->elem, TH_MENTION);
	const struct ui_span *nick = span_at(f, 1, offset_of(f, 1, "bob"));
	assert_int_equal(nick->fg, theme_nick_color(&f->theme, "bob"));
}

static void
pane__cuts_long_nicks_with_an_ellipsis(void **state)
{
	struct fixture *f = *state;
	add(f->room, "averyveryverylongnick", "hi", SAT_1201);
	build(f, 60, SIZE_MAX);
	assert_string_equal(line(f, 1), "12:01 averyveryve\xe2\x80\xa6 hi");
}

static void
pane__merges_notices_by_time_and_only_this_rooms(void **state)
{
	struct fixture *f = *state;
	add(f->room, "bob", "first", SAT_1201);
	add(f->room, "bob", "second", SAT_1201 + 2 * MIN);
	f->notices[0] = (struct chat_notice){ "lobby", "alice joined",
		SAT_1201 + MIN, false };
	f->notices[1] = (struct chat_notice){ "dev", "elsewhere",
		SAT_1201 + MIN, false };
	f->notices[2] = (struct chat_notice){ NULL, "everywhere",
		SAT_1201 + 3 * MIN, true };
	f->nnotices = 3;
	build(f, 40, SIZE_MAX);
	assert_int_equal(f->lines.n, 5);
	assert_string_equal(line(f, 1), "12:01 bob first");
	assert_string_equal(line(f, 2), "12:02  -- alice joined");
	assert_string_equal(line(f, 3), "12:03 bob second");
	assert_string_equal(line(f, 4), "12:04  !! everywhere");
	assert_int_equal(span_at(f, 4, offset_of(f, 4, "every"))->elem,
	    TH_FAILED);
}

static void
pane__never_lets_an_escape_through(void **state)
{
	struct fixture *f = *state;
	add(f->room, "x\x1b[2Jy", "\x1b]0;title\x07\x1b[31mred\r\n\xc2\x9b" "2J",
	    SAT_1201);
	build(f, 30, SIZE_MAX);
	for (size_t i = 0; i < f->lines.n; i++)
		for (const char *p = line(f, i); *p; p++)
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

static void
pane__keeps_every_line_within_the_width(void **state)
{
	struct fixture *f = *state;
	add(f->room, "\xe7\x94\xb0\xe4\xb8\xad", "\xe6\x97\xa5\xe6\x9c\xac\xe8"
	    "\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88"
	    " \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91"
	    "\xa7 cafe\xcc\x81 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    SAT_1201);
	add(f->room, "bob", "/me \xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad", SAT_1201);
	for (int w = 12; w <= 50; w++) {
		build(f, w, SIZE_MAX);
		for (size_t i = 0; i < f->lines.n; i++) {
			const struct pane_line *l = &f->lines.v[i];
			assert_true(tw_width(l->text, l->len) <= w);
			size_t at = 0;
			for (int k = 0; k < l->nspans; k++) {
				assert_true(l->spans[k].start >= at);
				at = l->spans[k].end;
			}
			assert_true(at <= l->len);
		}
	}
}

static void
pane__builds_only_what_is_needed_from_the_end(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 100; i++)
		add(f->room, "bob", "line", SAT_1201);
	build(f, 40, 10);
	assert_false(f->lines.complete);
	assert_true(f->lines.n >= 10 && f->lines.n < 20);
	assert_string_equal(line(f, f->lines.n - 1), "12:01 bob line");
}

static void
pane__window_clamps_the_scroll_and_reports_the_top(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 5; i++)
		add(f->room, "bob", "line", SAT_1201);
	build(f, 40, SIZE_MAX); /* 6 lines: the day and 5 messages */
	bool top;
	int scroll = 0;
	assert_int_equal(pane_window(&f->lines, 4, &scroll, &top), 2);
	assert_false(top);
	scroll = 100;
	assert_int_equal(pane_window(&f->lines, 4, &scroll, &top), 0);
	assert_int_equal(scroll, 2);
	assert_true(top);
	scroll = 0;
	assert_int_equal(pane_window(&f->lines, 10, &scroll, &top), 0);
	assert_true(top);
}

static void
pane__marks_every_line_of_the_message_a_jump_led_to(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 40; i++)
		add(f->room, "bob", i == 10 ? "the one the mention was in, long "
		    "enough to wrap" : "line", SAT_1201);
	mark_seq = next_seq - 29; /* the 11th message */
	build(f, 30, SIZE_MAX);
	mark_seq = 0;
	size_t m = f->lines.mark;
	assert_true(m != SIZE_MAX);
	assert_true(strstr(line(f, m), "the one") != NULL);
	size_t end = m;  /* the message's lines, and only they, are marked */
	while (end < f->lines.n && f->lines.v[end].marked)
		end++;
	assert_true(end - m >= 2);                       /* it wrapped */
	assert_true(strstr(line(f, end - 1), "wrap") != NULL);
	assert_string_equal(line(f, end), "12:01 bob line");
	size_t marked = 0;
	for (size_t i = 0; i < f->lines.n; i++)
		marked += f->lines.v[i].marked;
	assert_int_equal(marked, end - m);
	/* scrolled to, it shows a third of the way down a 12-row pane */
	int rows = 12, scroll = pane_scroll_to(&f->lines, m, rows);
	bool top;
	size_t first = pane_window(&f->lines, rows, &scroll, &top);
	assert_int_equal(m - first, (size_t)rows / 3);
	/* near the end, the pane stays at the bottom */
	assert_int_equal(pane_scroll_to(&f->lines, f->lines.n - 2, rows), 0);
	/* not held: nothing is marked */
	build(f, 30, SIZE_MAX);
	assert_true(f->lines.mark == SIZE_MAX);
}

static void
centre__keeps_the_selection_on_screen_moving_as_little_as_possible(void **state)
{
	(void)state;
	assert_int_equal(centre_first(0, 0, 0, 5), 0);
	assert_int_equal(centre_first(20, 0, 0, 5), 0);
	assert_int_equal(centre_first(20, 4, 0, 5), 0);
	assert_int_equal(centre_first(20, 5, 0, 5), 1);   /* one down */
	assert_int_equal(centre_first(20, 12, 10, 5), 10); /* still shown */
	assert_int_equal(centre_first(20, 3, 10, 5), 3);   /* up to it */
	assert_int_equal(centre_first(20, 19, 0, 5), 15);
	assert_int_equal(centre_first(20, 50, 0, 5), 15);  /* clamped */
	assert_int_equal(centre_first(8, 7, 6, 5), 3);     /* no blank tail */
	assert_int_equal(centre_first(3, 2, 2, 5), 0);
	assert_int_equal(centre_first(20, 7, 0, 0), 7);    /* no room: one */
}

static void
pane__with_no_room_shows_every_notice(void **state)
{
	struct fixture *f = *state;
	struct chat_notice n[2] = {
		{ NULL, "welcome", SAT_1201, false },
		{ "dev", "for dev", SAT_1201, false },
	};
	struct pane_src src = { .notices = n, .nnotices = 2, .timestamps = false };
	pane_build(&src, 30, SIZE_MAX, &f->lines);
	assert_int_equal(f->lines.n, 3);
	assert_string_equal(line(f, 1), "-- welcome");
	assert_string_equal(line(f, 2), "-- for dev");
}

/* ---- keys ---------------------------------------------------------------- */

static struct ui_intent
map(uint32_t key)
{
	struct ui_intent in;
	memset(&in, 0xff, sizeof in);
	assert_true(input_map(key, &in));
	assert_null(in.text);
	return in;
}

static void
keys__map_readline_controls_to_edits(void **s)
{
	(void)s;
	static const struct { uint32_t key; int op; } t[] = {
		{ 1, EDIT_HOME }, { 5, EDIT_END }, { 2, EDIT_LEFT },
		{ 4, EDIT_DELETE }, { 23, EDIT_KILL_WORD_BACK },
		{ 21, EDIT_KILL_TO_START }, { 11, EDIT_KILL_TO_END }, { 25, EDIT_YANK },
		{ 20, EDIT_TRANSPOSE }, { 127, EDIT_BACKSPACE }, { 8, EDIT_BACKSPACE },
		{ INPUT_KEY | KEY_BACKSPACE, EDIT_BACKSPACE },
		{ INPUT_KEY | KEY_DC, EDIT_DELETE },
		{ INPUT_KEY | KEY_HOME, EDIT_HOME }, { INPUT_KEY | KEY_END, EDIT_END },
		{ INPUT_ALT | 'b', EDIT_WORD_LEFT }, { INPUT_ALT | 'f', EDIT_WORD_RIGHT },
		{ INPUT_ALT | 'd', EDIT_KILL_WORD_FORWARD },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct ui_intent in = map(t[i].key);
		assert_int_equal(in.kind, UI_EDIT);
		assert_int_equal(in.op, t[i].op);
	}
}

static void
keys__map_the_document_editing_keys(void **s)
{
	(void)s;
	static const struct { uint32_t key; int move; } sel[] = {
		{ INPUT_KEY | KEY_SLEFT, DL_LEFT }, { INPUT_KEY | KEY_SRIGHT, DL_RIGHT },
		{ INPUT_KEY | KEY_SR, DL_UP }, { INPUT_KEY | KEY_SF, DL_DOWN },
		{ INPUT_KEY | KEY_SHOME, DL_HOME }, { INPUT_KEY | KEY_SEND, DL_END },
		{ INPUT_KEY | KEY_SPREVIOUS, DL_PAGE_UP },
		{ INPUT_KEY | KEY_SNEXT, DL_PAGE_DOWN },
		{ INPUT_KEY | INPUT_K_CTRL_SHIFT_LEFT, DL_WORD_LEFT },
		{ INPUT_KEY | INPUT_K_CTRL_SHIFT_RIGHT, DL_WORD_RIGHT },
	};
	for (size_t i = 0; i < sizeof sel / sizeof *sel; i++) {
		struct ui_intent in = map(sel[i].key);
		assert_int_equal(in.kind, UI_SELECT);
		assert_int_equal(in.n, sel[i].move);
	}
	assert_int_equal(map(6).kind, UI_FIND);      /* Ctrl-F */
	assert_int_equal(map(7).kind, UI_GOTO);      /* Ctrl-G */
	assert_int_equal(map(INPUT_ALT | 'w').kind, UI_COPY);
	assert_int_equal(map(INPUT_ALT | 'Y').kind, UI_YANK_POP);
	assert_int_equal(map(INPUT_ALT | 'z').kind, UI_REDO);
}

static void
keys__map_enter_in_every_spelling_to_submit(void **s)
{
	(void)s;
	assert_int_equal(map('\r').kind, UI_SUBMIT);
	assert_int_equal(map('\n').kind, UI_SUBMIT);
	assert_int_equal(map(INPUT_KEY | KEY_ENTER).kind, UI_SUBMIT);
}

static void
keys__map_alt_digits_to_rooms_from_zero(void **s)
{
	(void)s;
	for (int d = 1; d <= 9; d++) {
		struct ui_intent in = map(INPUT_ALT | (uint32_t)('0' + d));
		assert_int_equal(in.kind, UI_ROOM);
		assert_int_equal(in.n, d - 1);
	}
	assert_false(input_map(INPUT_ALT | '0', &(struct ui_intent){ 0 }));
}

static void
keys__map_navigation_and_screen_keys(void **s)
{
	(void)s;
	struct ui_intent in = map(INPUT_KEY | KEY_PPAGE);
	assert_int_equal(in.kind, UI_SCROLL_PAGE);
	assert_int_equal(in.n, 1);
	in = map(INPUT_KEY | KEY_NPAGE);
	assert_int_equal(in.n, -1);
	assert_int_equal(map(INPUT_KEY | KEY_UP).kind, UI_HISTORY_PREV);
	assert_int_equal(map(INPUT_KEY | KEY_DOWN).kind, UI_HISTORY_NEXT);
	assert_int_equal(map('\t').kind, UI_COMPLETE);
	assert_int_equal(map(14).kind, UI_ROOM_NEXT);
	assert_int_equal(map(16).kind, UI_ROOM_PREV);
	assert_int_equal(map(INPUT_KEY | INPUT_K_ALT_LEFT).kind, UI_ROOM_PREV);
	assert_int_equal(map(INPUT_KEY | INPUT_K_ALT_RIGHT).kind, UI_ROOM_NEXT);
	assert_int_equal(map(INPUT_KEY | KEY_F(2)).kind, UI_TOGGLE_PANES);
	assert_int_equal(map(12).kind, UI_REDRAW);
	assert_int_equal(map(INPUT_KEY | KEY_RESIZE).kind, UI_REDRAW);
	assert_int_equal(map(3).kind, UI_QUIT);
	in = map(INPUT_KEY | INPUT_K_FOCUS_OUT);
	assert_int_equal(in.kind, UI_FOCUS);
	assert_int_equal(in.n, 0);
	assert_int_equal(map(INPUT_KEY | INPUT_K_FOCUS_IN).n, 1);
}

static void
keys__ignore_what_they_do_not_know(void **s)
{
	(void)s;
	struct ui_intent in;
	assert_false(input_map('a', &in));
	assert_false(input_map(INPUT_ALT | 'x', &in));
	assert_false(input_map(INPUT_KEY | KEY_F(9), &in));
	/* A character whose value equals a key code is still a character. */
	assert_false(input_map(KEY_PPAGE, &in));
}

/* ---- colours ------------------------------------------------------------- */

static void
color__keeps_the_default_and_drops_colour_without_a_palette(void **s)
{
	(void)s;
	assert_int_equal(color_map(THEME_COLOR_DEFAULT, 256, false), -1);
	assert_int_equal(color_map(3, 0, false), -1);
	assert_int_equal(color_map(THEME_RGB(255, 0, 0), 2, false), -1);
}

static void
color__maps_rgb_to_the_256_cube_or_grey_ramp(void **s)
{
	(void)s;
	assert_int_equal(color_map(THEME_RGB(255, 0, 0), 256, false), 196);
	assert_int_equal(color_map(THEME_RGB(0, 0x87, 0xff), 256, false), 33);
	assert_int_equal(color_map(THEME_RGB(0x80, 0x80, 0x80), 256, false), 244);
	assert_int_equal(color_map(THEME_RGB(0, 0, 0), 256, false), 16);
}

static void
color__maps_rgb_and_high_indices_to_basic_colours(void **s)
{
	(void)s;
	assert_int_equal(color_map(THEME_RGB(250, 10, 10), 8, false), 1);
	assert_int_equal(color_map(THEME_RGB(250, 10, 10), 16, false), 9);
	assert_int_equal(color_map(9, 8, false), 1);      /* bright red */
	assert_int_equal(color_map(9, 16, false), 9);
	assert_int_equal(color_map(46, 8, false), 2);     /* cube green */
	assert_int_equal(color_map(200, 256, false), 200);
}

static void
color__passes_rgb_through_on_direct_colour_terminals(void **s)
{
	(void)s;
	assert_int_equal(color_map(THEME_RGB(0x12, 0x34, 0x56), 0x1000000, true),
	    0x123456);
	assert_int_equal(color_map(THEME_RGB(0, 0, 1), 0x1000000, true), 8);
	assert_int_equal(color_map(2, 0x1000000, true), 2);
	assert_int_equal(color_map(196, 0x1000000, true), 0xff0000);
}


/* ---- the status line ----------------------------------------------------- */

/* The parts a busy status line has, as ui.c makes them. */
static size_t
busy_status(struct status_part *p)
{
	static const struct status_part parts[] = {
		{ { "alice@chat.example.org:7681", "alice", "" }, 3, 8, false, false, TH_STATUS },
		{ { "[engineering]", "[engineer\xe2\x80\xa6]", "[eng\xe2\x80\xa6]",
		    "[e\xe2\x80\xa6]", "e\xe2\x80\xa6" }, 5, 0, true, false, TH_STATUS },
		{ { "doc notes rev 12 synced", "notes synced", "" }, 3, 5, false, true, TH_STATUS },
		{ { "retry in 17s (attempt 4)", "retry in 17s", "retry 17s" }, 3, 1, true, true, TH_STATUS_ALERT },
		{ { "(connection refused)", "" }, 2, 7, false, false, TH_STATUS_ALERT },
		{ { "12 unread", "\xe2\x97\x8f" "12" }, 2, 3, true, true, TH_STATUS_ALERT },
		{ { "3 pending", "~3" }, 2, 2, true, true, TH_STATUS },
		{ { "away: lunch", "away", "" }, 3, 6, false, true, TH_STATUS },
	};
	memcpy(p, parts, sizeof parts);
	return sizeof parts / sizeof *parts;
}

/* The line as status_draw would lay it out. */
static void
fitted(const struct status_part *p, size_t n, int cols, char *out, size_t size)
{
	int form[STATUS_PARTS_MAX];
	bool wide = status_fit(p, n, cols, form);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *s = p[i].forms[form[i]];
		if (*s == '\0')
			continue;
		if (out[0])
			strncat(out, p[i].sep && wide ? " \xc2\xb7 " : " ",
			    size - strlen(out) - 1);
		strncat(out, s, size - strlen(out) - 1);
	}
}

static void
status__keeps_everything_when_wide(void **state)
{
	(void)state;
	struct status_part p[STATUS_PARTS_MAX];
	size_t n = busy_status(p);
	char line[512];
	fitted(p, n, 200, line, sizeof line);
	assert_string_equal(line, "alice@chat.example.org:7681 [engineering] \xc2\xb7 "
	    "doc notes rev 12 synced \xc2\xb7 retry in 17s (attempt 4) (connection "
	    "refused) \xc2\xb7 12 unread \xc2\xb7 3 pending \xc2\xb7 away: lunch");
}

static void
status__never_loses_state_room_pending_or_unread_down_to_20_columns(void **state)
{
	(void)state;
	struct status_part p[STATUS_PARTS_MAX];
	size_t n = busy_status(p);
	for (int cols = 120; cols >= 20; cols--) {
		char line[512];
		fitted(p, n, cols, line, sizeof line);
		int w = tw_width(line, strlen(line));
		if (w > cols)
			fail_msg("%d columns: \"%s\" is %d wide", cols, line, w);
		bool room = strstr(line, "[e") != NULL ||
		    strstr(line, "e\xe2\x80\xa6") != NULL;
		if (!room || strstr(line, "retry") == NULL ||
		    strstr(line, "3") == NULL || strstr(line, "12") == NULL)
			fail_msg("%d columns: \"%s\" lost an essential part", cols, line);
	}
}

static void
status__drops_the_least_important_first(void **state)
{
	(void)state;
	struct status_part p[STATUS_PARTS_MAX];
	size_t n = busy_status(p);
	char line[512];
	fitted(p, n, 100, line, sizeof line);
	assert_non_null(strstr(line, "3 pending")); /* whole, not "3 pendin" */
	assert_non_null(strstr(line, "12 unread"));
	assert_non_null(strstr(line, "[engineering]"));
	assert_null(strstr(line, "alice@"));
	fitted(p, n, 40, line, sizeof line);
	assert_string_equal(line, "[engineering] retry in 17s \xe2\x97\x8f" "12 ~3");
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
#define P(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    sanitize__replaces_escape_and_controls__with_the_replacement_char),
		cmocka_unit_test(sanitize__replaces_c1_controls_and_invalid_bytes),
		cmocka_unit_test(sanitize__handles_newlines_as_asked),
		cmocka_unit_test(
		    sanitize__turns_tabs_into_spaces_and_drops_bidi_overrides),
		cmocka_unit_test(
		    sanitize__gives_a_leading_combining_mark_a_dotted_circle),
		cmocka_unit_test(sanitize__keeps_wide_characters_and_emoji),
		cmocka_unit_test(sanitize__maps_the_mark_to_the_output_offset),
		cmocka_unit_test(status__keeps_everything_when_wide),
		cmocka_unit_test(status__never_loses_state_room_pending_or_unread_down_to_20_columns),
		cmocka_unit_test(status__drops_the_least_important_first),
		P(pane__starts_with_the_day_and_shows_time_nick_and_text),
		P(pane__aligns_nicks_right_in_one_column),
		P(pane__keeps_a_link_longer_than_the_text_column_whole_on_a_row_of_its_own),
		P(pane__wraps_around_a_link_that_fits_without_breaking_it),
		P(pane__highlights_what_a_search_found),
		P(pane__shows_times_in_the_format_asked_for),
		P(pane__wraps_long_text_under_the_text_column),
		P(pane__breaks_at_newlines_in_the_text),
		P(pane__shows_me_lines_as_actions),
		P(pane__separates_days_in_local_time),
		P(pane__puts_the_unread_marker_before_the_first_unread),
		P(pane__marks_pending_and_failed_messages),
		P(pane__styles_mentions_and_colours_other_nicks),
		P(pane__cuts_long_nicks_with_an_ellipsis),
		P(pane__merges_notices_by_time_and_only_this_rooms),
		P(pane__never_lets_an_escape_through),
		P(pane__keeps_every_line_within_the_width),
		P(pane__builds_only_what_is_needed_from_the_end),
		P(pane__window_clamps_the_scroll_and_reports_the_top),
		P(pane__with_no_room_shows_every_notice),
		P(pane__marks_every_line_of_the_message_a_jump_led_to),
		cmocka_unit_test(
		    centre__keeps_the_selection_on_screen_moving_as_little_as_possible),
		cmocka_unit_test(keys__map_readline_controls_to_edits),
		cmocka_unit_test(keys__map_the_document_editing_keys),
		cmocka_unit_test(keys__map_enter_in_every_spelling_to_submit),
		cmocka_unit_test(keys__map_alt_digits_to_rooms_from_zero),
		cmocka_unit_test(keys__map_navigation_and_screen_keys),
		cmocka_unit_test(keys__ignore_what_they_do_not_know),
		cmocka_unit_test(
		    color__keeps_the_default_and_drops_colour_without_a_palette),
		cmocka_unit_test(color__maps_rgb_to_the_256_cube_or_grey_ramp),
		cmocka_unit_test(color__maps_rgb_and_high_indices_to_basic_colours),
		cmocka_unit_test(color__passes_rgb_through_on_direct_colour_terminals),
	};
	return cmocka_run_group_tests_name("ui", tests, NULL, NULL);
}
