/*
 * paneview: the message pane kept between frames (src/ui/paneview.c)
 * must show exactly what a fresh layout of the whole timeline shows at
 * the same scroll: after lines are added, the pane is resized, scrolled
 * either way, the theme or the search changes, the new-messages line
 * moves, pending lines are confirmed, history is paged in at the top and
 * old lines are dropped. Every step of a long randomised session is
 * checked against pane_build + pane_window, row by row and style by
 * style. Times are UTC (TZ is set in main).
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

#define DAY_MS 86400000LL
#define T0 1795867260000LL /* 2026-11-28 12:01 UTC */

static const char *texts[] = {
	"hi",
	"a line long enough that it has to wrap under the text column at "
	"every width the test uses, and then some more words to be sure",
	"links whole: https://example.org/a/very/long/path/that/does/not/fit/"
	"in/the/text/column/at/all?query=yes and after it",
	"CJK 漢字かな交じり文はセルふたつずつ 田中太郎さん、こんにちは",
	"emoji 👩‍👩‍👧 family, 🇫🇷 flag, 👍🏽 thumb",
	"/me waves",
	"two\nlines",
	"@me look at this deploy",
	"deploy deploy deploy",
	"",
};
static const char *users[] = { "bob", "carol", "me", "田中", "averyveryverylongnick" };

struct sim {
	struct room *room;
	struct chat_notice notices[64];
	size_t nnotices;
	struct theme themes[2];
	int theme;
	const char *search;
	int width, rows;
	int64_t ts, seq, oldest;
	unsigned rnd;
	struct pane_view pv;
	int scroll;                 /* what the core keeps */
	int steps;
	int op;                     /* the last random step, for a failure */
};

static unsigned
rnd(struct sim *s, unsigned n)
{
	s->rnd = s->rnd * 1103515245u + 12345u;
	return (s->rnd >> 8) % n;
}

static struct pane_src
src_of(struct sim *s)
{
	return (struct pane_src){
		.room = s->room,
		.notices = s->notices,
		.nnotices = s->nnotices,
		.me = "me",
		.theme = &s->themes[s->theme],
		.timestamps = true,
		.first_unread = room_marker_index(s->room),
		.search = s->search,
	};
}

static void
add_message(struct sim *s, int64_t seq, int64_t ts)
{
	struct proto_message m = { .room = "lobby", .seq = seq,
	    .user = users[rnd(s, sizeof users / sizeof *users)],
	    .text = texts[rnd(s, sizeof texts / sizeof *texts)], .ts = ts };
	room_add_message(s->room, &m, true);
}

static void
append(struct sim *s, int n)
{
	for (int i = 0; i < n; i++) {
		s->ts += rnd(s, 4) == 0 ? DAY_MS / 3 : 60000;
		add_message(s, ++s->seq, s->ts);
	}
}

static void
notice(struct sim *s)
{
	if (s->nnotices == sizeof s->notices / sizeof *s->notices)
		return;
	s->ts += 1000;
	s->notices[s->nnotices++] = (struct chat_notice){
		rnd(s, 3) == 0 ? "dev" : rnd(s, 2) ? "lobby" : NULL,
		(char *)"bob joined lobby, a notice of some length to wrap too",
		s->ts, rnd(s, 4) == 0 };
}

/* Older lines, as a history page brings them. */
static void
history(struct sim *s, int n)
{
	for (int i = 0; i < n && s->oldest > 1; i++) {
		s->oldest--;
		add_message(s, s->oldest, T0 - (1000 - s->oldest) * 60000);
	}
}

static void
assert_same_line(const struct pane_line *a, const struct pane_line *b)
{
	assert_string_equal(a->text, b->text);
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->nspans, b->nspans);
	for (int k = 0; k < a->nspans; k++) {
		assert_int_equal(a->spans[k].start, b->spans[k].start);
		assert_int_equal(a->spans[k].end, b->spans[k].end);
		assert_int_equal(a->spans[k].elem, b->spans[k].elem);
		assert_int_equal(a->spans[k].fg, b->spans[k].fg);
	}
	assert_int_equal(a->marked, b->marked);
}

/* One frame of the kept pane, checked against a fresh layout. */
static struct pane_frame
frame(struct sim *s)
{
	struct pane_src src = src_of(s);
	struct pane_frame fr;
	pane_view_frame(&s->pv, &src, s->width, s->rows, s->scroll, false, &fr);
	s->scroll = fr.scroll;

	struct pane_lines pl;
	pane_build(&src, s->width, SIZE_MAX, &pl);
	int scroll = fr.scroll;
	bool top;
	size_t first = pane_window(&pl, s->rows, &scroll, &top);
	if (scroll != fr.scroll)
		fail_msg("step %d: the kept pane is %d rows up, a fresh one %d",
		    s->steps, fr.scroll, scroll);
	size_t end = pl.n - (size_t)scroll;
	if (fr.lines.n != end - first ||
	    (fr.lines.n > 0 && strcmp(fr.lines.v[0].text, pl.v[first].text) != 0))
		print_error("step %d after op %d: scroll %d rows %d width %d, "
		    "kept %zu lines, fresh %zu\n", s->steps, s->op, fr.scroll,
		    s->rows, s->width, fr.lines.n, end - first);
	assert_int_equal(fr.lines.n, end - first);
	for (size_t i = first; i < end; i++)
		assert_same_line(&fr.lines.v[i - first], &pl.v[i]);
	assert_int_equal(fr.at_top, top);
	pane_lines_free(&pl);
	s->steps++;
	return fr;
}

static void
check(struct sim *s)
{
	struct pane_frame fr = frame(s);
	pane_frame_free(&fr);
}

/* The frame's lines, kept past the next frame. */
static struct pane_lines
copy_of(const struct pane_frame *fr)
{
	struct pane_lines c = { 0 };
	c.n = c.cap = fr->lines.n;
	c.v = calloc(c.n + 1, sizeof *c.v);
	for (size_t i = 0; i < c.n; i++) {
		c.v[i] = fr->lines.v[i];
		c.v[i].text = strdup(fr->lines.v[i].text);
	}
	return c;
}

static struct sim *
sim_new(unsigned seed)
{
	struct sim *s = calloc(1, sizeof *s);
	s->room = room_new("lobby", "me");
	theme_default(&s->themes[0]);
	theme_default(&s->themes[1]);
	s->themes[1].nick_colors[0] = 0x123456;
	s->themes[1].n_nick_colors = 1;
	s->width = 80;
	s->rows = 20;
	s->ts = T0;
	s->seq = 1000;
	s->oldest = 1001;
	s->rnd = seed;
	return s;
}

static void
sim_free(struct sim *s)
{
	pane_view_free(&s->pv);
	room_free(s->room);
	free(s);
}

/* ---- one behaviour at a time --------------------------------------------- */

static void
paneview__at_the_end__shows_what_a_fresh_layout_shows(void **state)
{
	(void)state;
	struct sim *s = sim_new(1);
	check(s); /* nothing at all */
	append(s, 3);
	check(s);
	append(s, 200);
	check(s);
	notice(s);
	check(s);
	sim_free(s);
}

static void
paneview__scrolled_back__new_lines_leave_the_view_where_it_is(void **state)
{
	(void)state;
	struct sim *s = sim_new(2);
	append(s, 300);
	check(s);
	s->scroll += 50;
	struct pane_frame fr = frame(s);
	int was = fr.scroll;
	struct pane_lines before = copy_of(&fr);
	pane_frame_free(&fr);
	append(s, 40);
	struct pane_frame after = frame(s);
	assert_true(after.scroll > was);
	assert_int_equal(before.n, after.lines.n);
	for (size_t i = 0; i < before.n; i++)
		assert_same_line(&before.v[i], &after.lines.v[i]);
	pane_lines_free(&before);
	pane_frame_free(&after);
	sim_free(s);
}

static void
paneview__page_up_and_down__match_a_fresh_layout_at_every_depth(void **state)
{
	(void)state;
	struct sim *s = sim_new(3);
	append(s, 500);
	check(s);
	for (int i = 0; i < 60; i++) {
		s->scroll += s->rows - 2;
		check(s);
	}
	assert_true(s->scroll > 0);
	for (int i = 0; i < 70; i++) {
		s->scroll -= s->rows - 2;
		if (s->scroll < 0)
			s->scroll = 0;
		check(s);
	}
	assert_int_equal(s->scroll, 0);
	sim_free(s);
}

static void
paneview__past_the_top__stops_there_and_says_so(void **state)
{
	(void)state;
	struct sim *s = sim_new(4);
	append(s, 30);
	s->scroll = 100000;
	struct pane_frame fr = frame(s);
	assert_true(fr.at_top);
	assert_int_equal(fr.lines.n, (size_t)s->rows);
	pane_frame_free(&fr);
	history(s, 50); /* the page asked for comes */
	s->scroll += 30;
	check(s);
	sim_free(s);
}

static void
paneview__resize_theme_and_search__re_lay_out_the_kept_pane(void **state)
{
	(void)state;
	struct sim *s = sim_new(5);
	append(s, 400);
	s->scroll = 333;
	check(s);
	s->width = 37;
	check(s);
	s->rows = 7;
	check(s);
	s->width = 120;
	s->rows = 40;
	check(s);
	s->theme = 1;
	check(s);
	s->search = "deploy";
	check(s);
	s->search = "漢字";
	check(s);
	s->search = NULL;
	check(s);
	sim_free(s);
}

/* ---- everything at once ---------------------------------------------------- */

static void
paneview__a_random_session__always_matches_a_fresh_layout(void **state)
{
	(void)state;
	for (unsigned seed = 10; seed < 18; seed++) {
		struct sim *s = sim_new(seed);
		room_set_limit(s->room, 400);
		append(s, 100);
		for (int step = 0; step < 400; step++) {
			switch ((s->op = (int)rnd(s, 14))) {
			case 0: append(s, 1 + (int)rnd(s, 3)); break;
			case 1: append(s, 1 + (int)rnd(s, 60)); break;
			case 2: notice(s); break;
			case 3: s->width = 20 + (int)rnd(s, 120); break;
			case 4: s->rows = 1 + (int)rnd(s, 50); break;
			case 5: s->scroll += (int)rnd(s, 200); break;
			case 6:
				s->scroll -= (int)rnd(s, 200);
				if (s->scroll < 0)
					s->scroll = 0;
				break;
			case 7: s->theme = !s->theme; break;
			case 8: s->search = rnd(s, 2) ? "deploy" : NULL; break;
			case 9: {
				char cid[16];
				snprintf(cid, sizeof cid, "k%d", step);
				room_add_pending(s->room, cid, "pending words", s->ts);
				if (rnd(s, 2))
					room_ack(s->room, cid, ++s->seq, s->ts);
				else if (rnd(s, 2))
					room_fail(s->room, cid, "rate_limited");
				break;
			}
			case 10: history(s, (int)rnd(s, 60)); break;
			case 11:
				if (rnd(s, 2)) {
					room_unsee(s->room);
					s->room->unread = 1;
					s->room->read_seq = s->seq - (int64_t)rnd(s, 50);
					room_see(s->room);
				} else {
					room_unsee(s->room);
				}
				break;
			case 12: room_hold(s->room, rnd(s, 2)); break;
			case 13: s->scroll = 0; break;
			}
			check(s);
		}
		sim_free(s);
	}
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paneview__at_the_end__shows_what_a_fresh_layout_shows),
		cmocka_unit_test(paneview__scrolled_back__new_lines_leave_the_view_where_it_is),
		cmocka_unit_test(paneview__page_up_and_down__match_a_fresh_layout_at_every_depth),
		cmocka_unit_test(paneview__past_the_top__stops_there_and_says_so),
		cmocka_unit_test(paneview__resize_theme_and_search__re_lay_out_the_kept_pane),
		cmocka_unit_test(paneview__a_random_session__always_matches_a_fresh_layout),
	};
	return cmocka_run_group_tests_name("paneview", tests, NULL, NULL);
}
