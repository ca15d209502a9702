/*
 * pane: what messages gained after they were sent, on screen. An edit's
 * "(edited)", a tombstone, a root's replies, reactions (and who, on the
 * selected message), who has seen my last message; the room's timeline
 * leaves replies to the thread view, which shows the root and them; and
 * the pane kept between frames shows a change as a fresh layout does.
 * Times are in UTC (TZ is set in main).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/room.h"
#include "model/theme.h"
#include "ui/internal.h"

#define SAT_1201 1795867260000LL /* 2026-11-28 12:01 UTC, in ms */
#define MIN 60000LL

struct fixture {
	struct room *room;
	struct theme theme;
	struct pane_lines lines;
	struct pane_src src;
	int64_t seq;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->room = room_new("lobby", "me");
	theme_default(&f->theme);
	f->src = (struct pane_src){ .room = f->room, .me = "me",
	    .theme = &f->theme, .timestamps = true };
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

static int64_t
add(struct fixture *f, const char *user, const char *text, int64_t thread)
{
	f->seq++;
	struct proto_message m = { .room = "lobby", .seq = f->seq,
	    .user = user, .text = text, .ts = SAT_1201 + f->seq * MIN,
	    .thread = thread };
	assert_true(room_add_message(f->room, &m, false));
	return f->seq;
}

/* The pane's rows, as one string: rows joined by '|', spaces squeezed. */
static const char *
screen(struct fixture *f)
{
	static char out[4096];
	f->src.first_unread = f->room->nmsgs;
	pane_lines_free(&f->lines);
	pane_build(&f->src, 60, SIZE_MAX, &f->lines);
	size_t n = 0;
	for (size_t i = 1; i < f->lines.n; i++) { /* the day line left out */
		const char *s = f->lines.v[i].text;
		for (size_t k = 0; k < f->lines.v[i].len && n + 2 < sizeof out; k++)
			if (s[k] != ' ' || (n > 0 && out[n - 1] != ' ' &&
			    out[n - 1] != '|'))
				out[n++] = s[k];
		while (n > 0 && out[n - 1] == ' ')
			n--;
		out[n++] = '|';
	}
	out[n] = '\0';
	return out;
}

static void
pane__an_edit_says_so_and_a_tombstone_replaces_the_text(void **state)
{
	struct fixture *f = *state;
	add(f, "bob", "helo", 0);
	add(f, "carol", "secret", 0);
	room_apply_edit(f->room, 1, "hello", SAT_1201 + 9 * MIN);
	room_apply_delete(f->room, 2);
	assert_string_equal(screen(f),
	    "12:02 bob hello (edited)|12:03 carol message deleted|");
}

static void
pane__reactions_show_counts_and_on_selection_who(void **state)
{
	struct fixture *f = *state;
	add(f, "bob", "lunch?", 0);
	room_apply_reaction(f->room, 1, "👍", "carol", true, 1);
	room_apply_reaction(f->room, 1, "👍", "me", true, 2);
	room_apply_reaction(f->room, 1, "🎉", "dave", true, 1);
	assert_string_equal(screen(f), "12:02 bob lunch?|👍 2 🎉 1|");
	f->src.selected = 1;
	assert_string_equal(screen(f),
	    "12:02 bob lunch?|👍 carol, me 🎉 dave|");
}

static void
pane__a_root_counts_its_replies_which_the_timeline_leaves_out(void **state)
{
	struct fixture *f = *state;
	add(f, "bob", "plan for friday", 0);
	add(f, "carol", "in the thread", 1);
	room_note_reply(f->room, 1, SAT_1201 + 2 * MIN);
	add(f, "dave", "not in it", 0);
	add(f, "me", "me too", 1);
	room_note_reply(f->room, 1, SAT_1201 + 4 * MIN);
	assert_string_equal(screen(f), "12:02 bob plan for friday|"
	    "\xe2\x86\xb3 2 replies, last 12:05|12:04 dave not in it|");
	f->src.thread = 1;
	assert_string_equal(screen(f), "12:02 bob plan for friday|"
	    "12:03 carol in the thread|12:05 me me too|");
}

static void
pane__a_root_says_how_many_replies_are_new_since_the_read_mark(void **state)
{
	struct fixture *f = *state;
	add(f, "bob", "plan for friday", 0);
	room_set_read(f->room, 1);
	add(f, "carol", "in the thread", 1);
	room_note_reply(f->room, 1, SAT_1201 + 2 * MIN);
	add(f, "me", "me too", 1); /* mine: not news */
	room_note_reply(f->room, 1, SAT_1201 + 3 * MIN);
	assert_string_equal(screen(f), "12:02 bob plan for friday|"
	    "\xe2\x86\xb3 2 replies (1 new), last 12:04|");
	/* the kept pane shows it go once read, as a fresh layout would */
	struct pane_view pv = { 0 };
	struct pane_frame fr;
	f->src.first_unread = f->room->nmsgs;
	pane_view_frame(&pv, &f->src, 60, 10, 0, false, &fr);
	bool shown = false;
	for (size_t i = 0; i < fr.lines.n; i++)
		shown |= strstr(fr.lines.v[i].text, "(1 new)") != NULL;
	assert_true(shown);
	pane_frame_free(&fr);
	room_mark_read(f->room);
	pane_view_frame(&pv, &f->src, 60, 10, 0, false, &fr);
	for (size_t i = 0; i < fr.lines.n; i++)
		assert_null(strstr(fr.lines.v[i].text, "(1 new)"));
	pane_frame_free(&fr);
	pane_view_free(&pv);
	assert_string_equal(screen(f), "12:02 bob plan for friday|"
	    "\xe2\x86\xb3 2 replies, last 12:04|");
}

static void
pane__seen_by_goes_under_my_last_message(void **state)
{
	struct fixture *f = *state;
	add(f, "me", "first", 0);
	add(f, "me", "second", 0);
	add(f, "bob", "ok", 0);
	struct proto_receipt v[] = { { "bob", 3 }, { "carol", 2 }, { "dave", 1 },
		{ "me", 3 } };
	room_set_receipts(f->room, v, 4);
	f->src.seen_seq = room_last_own(f->room)->seq;
	assert_int_equal(f->src.seen_seq, 2);
	assert_string_equal(screen(f), "12:02 me first|12:03 me second|"
	    "seen by bob, carol|12:04 bob ok|");
}

/* The pane kept between frames draws what a fresh layout draws, after a
 * reaction, an edit and a deletion land on a line already on screen, and
 * as the selection shows who reacted and goes. */
static void
pane__the_kept_view_shows_changes_to_lines_on_screen(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 6; i++)
		add(f, "bob", "line", 0);
	struct pane_view pv = { 0 };
	struct pane_frame fr;
	for (int step = 0; step < 6; step++) {
		if (step == 1) {
			room_apply_reaction(f->room, 5, "👍", "carol", true, 1);
			room_apply_reaction(f->room, 5, "🎉", "somebody-long", true, 1);
			room_apply_reaction(f->room, 5, "🎉", "another-long-name", true,
			    2);
		}
		if (step == 4 || step == 5) { /* selected, who reacted wraps */
			f->src.selected = step == 4 ? 5 : 0;
			room_touch(f->room, 5);
		}
		if (step == 2)
			room_apply_edit(f->room, 4, "a much longer line that wraps "
			    "past the width of the pane for sure, twice over", 1);
		if (step == 3)
			room_apply_delete(f->room, 6);
		f->src.first_unread = f->room->nmsgs;
		pane_view_frame(&pv, &f->src, 40, 8, 0, false, &fr);
		struct pane_lines fresh;
		pane_build(&f->src, 40, 8, &fresh);
		size_t off = fresh.n - fr.lines.n;
		for (size_t i = 0; i < fr.lines.n; i++)
			assert_string_equal(fr.lines.v[i].text,
			    fresh.v[off + i].text);
		pane_lines_free(&fresh);
		pane_frame_free(&fr);
	}
	pane_view_free(&pv);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	setenv("TZ", "UTC", 1);
	setlocale(LC_CTYPE, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		T(pane__an_edit_says_so_and_a_tombstone_replaces_the_text),
		T(pane__reactions_show_counts_and_on_selection_who),
		T(pane__a_root_counts_its_replies_which_the_timeline_leaves_out),
		T(pane__a_root_says_how_many_replies_are_new_since_the_read_mark),
		T(pane__seen_by_goes_under_my_last_message),
		T(pane__the_kept_view_shows_changes_to_lines_on_screen),
	};
	return cmocka_run_group_tests_name("pane_changes", tests, NULL, NULL);
}
