/*
 * doclayout: the document pane's pure parts: the text mirror and its line
 * index, soft wrap with wide and combining characters, the mapping between
 * code points and screen places, cursor motion and scrolling.
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

#include "model/ot.h"
#include "model/textwidth.h"
#include "model/utf8.h"
#include "ui/doclayout.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

#define WIDE2 "\xe6\x97\xa5"          /* U+65E5, 2 cells */
#define ACUTE "\xcc\x81"              /* U+0301 combining */
#define DOTTED "\xe2\x97\x8c"

/* ---- helpers ------------------------------------------------------------- */

static struct doclayout
layout_of(const char *text, int width)
{
	struct doclayout l;
	dl_init(&l);
	assert_true(dl_set_text(&l, text, strlen(text)));
	dl_set_width(&l, width);
	return l;
}

/* The index rebuilt from scratch must equal the incremental one. */
static void
assert_index_fresh(const struct doclayout *l)
{
	struct doclayout f = layout_of(l->text, l->width);
	assert_int_equal(f.nlines, l->nlines);
	assert_int_equal(f.ncp, l->ncp);
	assert_int_equal(f.len, l->len);
	for (size_t i = 0; i < f.nlines; i++) {
		assert_int_equal(f.lines[i].byte, l->lines[i].byte);
		assert_int_equal(f.lines[i].cp, l->lines[i].cp);
	}
	dl_free(&f);
}

/* Row r of line i, as drawn. */
static char *
row_text(const struct doclayout *l, size_t i, int r)
{
	struct dl_lay lay;
	dl_lay_line(l, i, &lay);
	assert_true(r < lay.rows);
	size_t a = lay.g[lay.row[r]].db, b = lay.g[lay.row[r + 1]].db;
	char *s = strndup(lay.disp + a, b - a);
	dl_lay_free(&lay);
	return s;
}

static void
assert_row(const struct doclayout *l, size_t i, int r, const char *want)
{
	char *s = row_text(l, i, r);
	assert_string_equal(s, want);
	free(s);
}

static size_t
cp_of(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	assert_non_null(p);
	return utf8_count(text, (size_t)(p - text));
}

/* ---- the mirror ---------------------------------------------------------- */

TEST(mirror__indexes_lines_by_byte_and_code_point)
{
	struct doclayout l = layout_of("h\xc3\xa9llo\n" WIDE2 "x\n\nend", 80);
	assert_int_equal(l.nlines, 4);
	assert_int_equal(l.ncp, 13);
	assert_int_equal(l.lines[1].cp, 6);
	assert_int_equal(l.lines[1].byte, 7);
	assert_int_equal(dl_line_cps(&l, 0), 5);
	assert_int_equal(dl_line_cps(&l, 2), 0);
	assert_int_equal(dl_line_of(&l, 5), 0); /* the newline is its line's */
	assert_int_equal(dl_line_of(&l, 6), 1);
	assert_int_equal(dl_line_of(&l, 99), 3);
	assert_int_equal(dl_byte_of(&l, 7), 10);
	dl_free(&l);
}

TEST(mirror__replace_with_newlines_splits_the_line_and_shifts_the_rest)
{
	struct doclayout l = layout_of("one\ntwo\nthree", 80);
	assert_true(dl_replace(&l, 5, 6, "X\nY\n", 4));
	assert_string_equal(l.text, "one\ntX\nY\no\nthree");
	assert_int_equal(l.nlines, 5);
	assert_index_fresh(&l);
	dl_free(&l);
}

TEST(mirror__deleting_a_newline_joins_two_lines)
{
	struct doclayout l = layout_of("ab\ncd\nef", 80);
	assert_true(dl_replace(&l, 1, 4, "", 0));
	assert_string_equal(l.text, "ad\nef");
	assert_int_equal(l.nlines, 2);
	assert_index_fresh(&l);
	dl_free(&l);
}

TEST(mirror__sync_touches_only_the_lines_that_differ)
{
	struct doclayout l = layout_of("aaa\nbbb\nccc\nddd", 80);
	for (size_t i = 0; i < l.nlines; i++)
		dl_rows(&l, i);
	assert_true(dl_sync(&l, "aaa\nbXb\nccc\nddd", 15));
	assert_int_equal(l.lines[0].rows, 1);
	assert_int_equal(l.lines[1].rows, -1);
	assert_int_equal(l.lines[2].rows, 1);
	assert_int_equal(l.lines[3].rows, 1);
	assert_string_equal(l.text, "aaa\nbXb\nccc\nddd");
	dl_free(&l);
}

TEST(mirror__sync_cuts_on_character_boundaries)
{
	/* é (C3 A9) and è (C3 A8) share their first byte. */
	struct doclayout l = layout_of("x\xc3\xa9y", 80);
	assert_true(dl_sync(&l, "x\xc3\xa8y", 4));
	assert_string_equal(l.text, "x\xc3\xa8y");
	assert_int_equal(l.ncp, 3);
	assert_index_fresh(&l);
	dl_free(&l);
}

TEST(mirror__apply_follows_an_operation_over_code_points)
{
	struct doclayout l = layout_of(WIDE2 "ab\ncd", 80);
	struct ot_op op = OT_OP_INIT;
	const char *json = "[1,\"\\n\xc3\xa9\",1,-2,2]";
	assert_int_equal(ot_decode(json, strlen(json), &op, NULL, 0), OT_OK);
	assert_true(dl_apply(&l, &op));
	assert_string_equal(l.text, WIDE2 "\n\xc3\xa9" "acd");
	assert_index_fresh(&l);
	ot_free(&op);
	dl_free(&l);
}

TEST(mirror__apply_refuses_an_operation_of_another_length)
{
	struct doclayout l = layout_of("abc", 80);
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_decode("[2,\"x\"]", 7, &op, NULL, 0), OT_OK);
	assert_false(dl_apply(&l, &op));
	assert_string_equal(l.text, "abc");
	ot_free(&op);
	dl_free(&l);
}

TEST(mirror__random_edits_keep_the_index_equal_to_a_fresh_one)
{
	static const char *pieces[] = { "a", "\n", "\xc3\xa9", WIDE2, "xy\nz",
	    "\n\n", "" };
	struct doclayout l = layout_of("start\nof\nthe text", 7);
	srand(7);
	for (int i = 0; i < 2000; i++) {
		size_t a = (size_t)rand() % (l.ncp + 1);
		size_t b = a + (size_t)rand() % 4;
		if (b > l.ncp)
			b = l.ncp;
		const char *s = pieces[rand() % 7];
		assert_true(dl_replace(&l, dl_byte_of(&l, a), dl_byte_of(&l, b), s,
		    strlen(s)));
		if (i % 50 == 0)
			assert_index_fresh(&l);
	}
	assert_index_fresh(&l);
	dl_free(&l);
}

/* ---- wrapping ------------------------------------------------------------ */

TEST(wrap__breaks_after_spaces_and_lets_one_space_hang)
{
	struct doclayout l = layout_of("hello world again", 5);
	assert_int_equal(dl_rows(&l, 0), 3);
	assert_row(&l, 0, 0, "hello ");
	assert_row(&l, 0, 1, "world ");
	assert_row(&l, 0, 2, "again");
	dl_free(&l);
}

TEST(wrap__breaks_a_word_longer_than_the_row_anywhere)
{
	struct doclayout l = layout_of("abcdefghij", 4);
	assert_int_equal(dl_rows(&l, 0), 3);
	assert_row(&l, 0, 1, "efgh");
	assert_row(&l, 0, 2, "ij");
	dl_free(&l);
}

TEST(wrap__never_splits_a_wide_character)
{
	/* 3 cells of "abc" leave one: the wide character goes down whole. */
	struct doclayout l = layout_of("abc" WIDE2 WIDE2, 4);
	assert_int_equal(dl_rows(&l, 0), 2);
	assert_row(&l, 0, 0, "abc");
	assert_row(&l, 0, 1, WIDE2 WIDE2);
	dl_free(&l);
}

TEST(wrap__keeps_combining_marks_with_their_letter)
{
	struct doclayout l = layout_of("abce" ACUTE "f", 4);
	assert_row(&l, 0, 0, "abce" ACUTE);
	assert_row(&l, 0, 1, "f");
	dl_free(&l);
}

TEST(wrap__gives_the_end_of_a_full_hanging_row_a_row_of_its_own)
{
	struct doclayout l = layout_of("abcd ", 4);
	assert_int_equal(dl_rows(&l, 0), 2);
	struct dl_pos p = dl_locate(&l, 5);
	assert_int_equal(p.row, 1);
	assert_int_equal(p.col, 0);
	/* A full row without a hanging space keeps the end on it, in the
	 * column kept for the cursor. */
	struct doclayout m = layout_of("abcd", 4);
	assert_int_equal(dl_rows(&m, 0), 1);
	assert_int_equal(dl_locate(&m, 4).col, 4);
	dl_free(&l);
	dl_free(&m);
}

TEST(wrap__shows_tabs_and_controls_in_one_cell_and_drops_bidi_controls)
{
	struct dl_lay lay;
	const char *s = "a\tb\x01" "c\xe2\x80\xae" "d";
	dl_lay_text(s, strlen(s), 80, &lay);
	assert_string_equal(lay.disp, "a b\xef\xbf\xbd" "cd");
	assert_int_equal(lay.g[lay.ng].col, 6);
	dl_lay_free(&lay);
}

TEST(wrap__puts_a_line_initial_mark_on_a_dotted_circle)
{
	struct dl_lay lay;
	const char *s = ACUTE "x";
	dl_lay_text(s, strlen(s), 80, &lay);
	assert_string_equal(lay.disp, DOTTED ACUTE "x");
	assert_int_equal(lay.ng, 2);
	assert_int_equal(lay.g[1].col, 1);
	dl_lay_free(&lay);
}

TEST(wrap__caches_row_counts_until_the_line_or_the_width_changes)
{
	struct doclayout l = layout_of("aaaa bbbb\ncc", 4);
	assert_int_equal(dl_rows(&l, 0), 2);
	assert_int_equal(l.lines[0].rows, 2);
	assert_int_equal(l.lines[1].rows, -1);
	dl_set_width(&l, 20);
	assert_int_equal(l.lines[0].rows, -1);
	assert_int_equal(dl_rows(&l, 0), 1);
	dl_free(&l);
}

TEST(wrap__measures_each_row_as_textwidth_measures_what_is_drawn)
{
	const char *t = "flag \xf0\x9f\x87\xab\xf0\x9f\x87\xb7 family "
	    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 "
	    "wave \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd e" ACUTE ACUTE " " WIDE2 "x\t\x7f"
	    "\xe2\x80\xae" WIDE2 WIDE2 WIDE2 " done";
	for (int width = 2; width < 30; width++) {
		struct dl_lay lay;
		dl_lay_text(t, strlen(t), width, &lay);
		for (int r = 0; r < lay.rows; r++) {
			size_t a = lay.row[r], b = lay.row[r + 1];
			int end = b > a ? lay.g[b - 1].col + lay.g[b - 1].w : 0;
			size_t da = lay.g[a].db, db = lay.g[b].db;
			assert_int_equal(tw_width(lay.disp + da, db - da), end);
			for (size_t k = a; k < b; k++)
				assert_int_equal(tw_width(lay.disp + da, lay.g[k].db - da),
				    lay.g[k].col);
		}
		dl_lay_free(&lay);
	}
}

/* ---- places -------------------------------------------------------------- */

TEST(locate__maps_code_points_to_rows_and_columns_with_wide_characters)
{
	struct doclayout l = layout_of("ab" WIDE2 "c\nxy", 4);
	struct dl_pos p = dl_locate(&l, 2);   /* the wide one */
	assert_int_equal(p.line, 0);
	assert_int_equal(p.row, 0);
	assert_int_equal(p.col, 2);
	p = dl_locate(&l, 3);                 /* c, wrapped */
	assert_int_equal(p.row, 1);
	assert_int_equal(p.col, 0);
	p = dl_locate(&l, 6);                 /* y */
	assert_int_equal(p.line, 1);
	assert_int_equal(p.col, 1);
	dl_free(&l);
}

TEST(locate__and_at_agree_on_every_glyph_start)
{
	const char *t = "The " WIDE2 WIDE2 " quick e" ACUTE "x brown\nfox " WIDE2
	    " jumps over the lazy dog";
	struct doclayout l = layout_of(t, 6);
	for (size_t cp = 0; cp <= l.ncp; cp++) {
		size_t glyph = dl_prev(&l, dl_next(&l, cp));
		if (cp == l.ncp || glyph != cp)
			continue; /* inside a glyph or at a line end */
		struct dl_pos p = dl_locate(&l, cp);
		assert_int_equal(dl_at(&l, p.line, p.row, p.col), cp);
	}
	dl_free(&l);
}

TEST(locate__shows_a_code_point_inside_a_glyph_at_its_start)
{
	struct doclayout l = layout_of("xe" ACUTE "y", 80);
	assert_int_equal(dl_locate(&l, 2).col, 1);  /* the accent: on e */
	assert_int_equal(dl_locate(&l, 3).col, 2);
	dl_free(&l);
}

TEST(at__a_column_in_the_middle_of_a_wide_character_lands_on_it)
{
	struct doclayout l = layout_of("a" WIDE2 "b", 80);
	assert_int_equal(dl_at(&l, 0, 0, 2), 1);
	assert_int_equal(dl_at(&l, 0, 0, 3), 2);
	assert_int_equal(dl_at(&l, 0, 0, 99), 3);   /* past the end: the end */
	dl_free(&l);
}

/* ---- motion -------------------------------------------------------------- */

TEST(move__left_and_right_step_over_glyphs_and_newlines)
{
	const char *t = "e" ACUTE WIDE2 "\nz";
	struct doclayout l = layout_of(t, 80);
	struct dl_view v = { 0, -1, 0, 0 };
	assert_true(dl_move(&l, &v, DL_RIGHT, 10));
	assert_int_equal(v.cursor, 2);      /* past e and its accent */
	dl_move(&l, &v, DL_RIGHT, 10);
	dl_move(&l, &v, DL_RIGHT, 10);
	assert_int_equal(v.cursor, 4);      /* over the newline */
	dl_move(&l, &v, DL_LEFT, 10);
	dl_move(&l, &v, DL_LEFT, 10);
	assert_int_equal(v.cursor, 2);
	dl_move(&l, &v, DL_LEFT, 10);
	assert_int_equal(v.cursor, 0);
	assert_false(dl_move(&l, &v, DL_LEFT, 10));
	dl_free(&l);
}

TEST(move__up_and_down_go_by_display_row_keeping_the_column)
{
	/* Width 6: "aaaaa " / "bb" / then "cccccc" on the next line. */
	struct doclayout l = layout_of("aaaaa bb\ncccccc", 6);
	struct dl_view v = { 4, -1, 0, 0 };
	assert_true(dl_move(&l, &v, DL_DOWN, 10));
	assert_int_equal(v.cursor, 8);      /* the short row's end */
	dl_move(&l, &v, DL_DOWN, 10);
	assert_int_equal(v.cursor, 9 + 4);  /* column 4 again */
	dl_move(&l, &v, DL_UP, 10);
	dl_move(&l, &v, DL_UP, 10);
	assert_int_equal(v.cursor, 4);
	assert_false(dl_move(&l, &v, DL_UP, 10));
	dl_free(&l);
}

TEST(move__up_and_down_over_wide_characters_land_on_glyph_starts)
{
	struct doclayout l = layout_of("abcd\n" WIDE2 WIDE2, 80);
	struct dl_view v = { 1, -1, 0, 0 };   /* column 1 */
	dl_move(&l, &v, DL_DOWN, 10);
	assert_int_equal(v.cursor, 5);        /* the first wide one, col 0-1 */
	v.cursor = 3;
	v.goal = -1;                          /* column 3 */
	dl_move(&l, &v, DL_DOWN, 10);
	assert_int_equal(v.cursor, 6);
	dl_free(&l);
}

TEST(move__home_and_end_stay_on_the_display_row)
{
	struct doclayout l = layout_of("hello world again", 6);
	struct dl_view v = { cp_of(l.text, "rld"), -1, 0, 0 };
	dl_move(&l, &v, DL_HOME, 10);
	assert_int_equal(v.cursor, cp_of(l.text, "world"));
	dl_move(&l, &v, DL_END, 10);
	assert_int_equal(v.cursor, cp_of(l.text, " again")); /* before the space */
	v.cursor = cp_of(l.text, "gain");
	dl_move(&l, &v, DL_END, 10);
	assert_int_equal(v.cursor, l.ncp);
	dl_free(&l);
}

TEST(move__words_skip_punctuation_and_cross_lines)
{
	const char *t = "foo.bar, baz\n  qux";
	struct doclayout l = layout_of(t, 80);
	struct dl_view v = { 0, -1, 0, 0 };
	dl_move(&l, &v, DL_WORD_RIGHT, 10);
	assert_int_equal(v.cursor, 3);
	dl_move(&l, &v, DL_WORD_RIGHT, 10);
	assert_int_equal(v.cursor, 7);
	dl_move(&l, &v, DL_WORD_RIGHT, 10);
	dl_move(&l, &v, DL_WORD_RIGHT, 10);
	assert_int_equal(v.cursor, l.ncp);
	dl_move(&l, &v, DL_WORD_LEFT, 10);
	assert_int_equal(v.cursor, cp_of(t, "qux"));
	dl_move(&l, &v, DL_WORD_LEFT, 10);
	assert_int_equal(v.cursor, cp_of(t, "baz"));
	dl_free(&l);
}

TEST(move__page_down_moves_the_cursor_and_the_view_together)
{
	char text[400] = "";
	for (int i = 0; i < 40; i++)
		strcat(text, i ? "\nline" : "line");
	struct doclayout l = layout_of(text, 20);
	struct dl_view v = { 2, -1, 0, 0 };
	assert_true(dl_move(&l, &v, DL_PAGE_DOWN, 10));
	assert_int_equal(dl_locate(&l, v.cursor).line, 9);
	assert_int_equal(v.top_line, 9);
	assert_int_equal(dl_locate(&l, v.cursor).col, 2);
	dl_move(&l, &v, DL_PAGE_UP, 10);
	assert_int_equal(v.top_line, 0);
	assert_int_equal(v.cursor, 2);
	dl_free(&l);
}

TEST(step__counts_rows_across_wrapped_lines_and_stops_at_the_ends)
{
	struct doclayout l = layout_of("aaaa bbbb cccc\nd\neeee ffff", 5);
	size_t line = 0;
	int row = 1;
	assert_int_equal(dl_step(&l, &line, &row, 3), 3);
	assert_int_equal(line, 2);
	assert_int_equal(row, 0);
	assert_int_equal(dl_step(&l, &line, &row, 10), 1);
	assert_int_equal(dl_step(&l, &line, &row, -100), -5);
	assert_int_equal(line, 0);
	assert_int_equal(row, 0);
	dl_free(&l);
}

/* ---- scrolling ----------------------------------------------------------- */

TEST(scroll__keeps_the_cursor_on_screen_moving_the_view_least)
{
	char text[2000] = "";
	for (int i = 0; i < 100; i++)
		strcat(text, i ? "\nrow" : "row");
	struct doclayout l = layout_of(text, 20);
	struct dl_view v = { 0, -1, 0, 0 };
	v.cursor = l.lines[30].cp;
	dl_scroll(&l, &v, 10);
	assert_int_equal(v.top_line, 21);       /* the cursor on the last row */
	v.cursor = l.lines[25].cp;
	dl_scroll(&l, &v, 10);
	assert_int_equal(v.top_line, 21);       /* visible: no move */
	v.cursor = l.lines[5].cp;
	dl_scroll(&l, &v, 10);
	assert_int_equal(v.top_line, 5);        /* above: on the first row */
	dl_free(&l);
}

TEST(scroll__repairs_a_top_left_beyond_a_shrunk_document)
{
	struct doclayout l = layout_of("a\nb\nc\nd", 20);
	struct dl_view v = { 0, -1, 3, 0 };
	assert_true(dl_sync(&l, "a", 1));
	dl_scroll(&l, &v, 10);
	assert_int_equal(v.top_line, 0);
	assert_int_equal(v.top_row, 0);
	dl_free(&l);
}

TEST(scroll__of_a_large_document_lays_out_only_what_it_crosses)
{
	size_t n = 100000;
	char *text = malloc(n * 6 + 1), *p = text;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s", i + 1 < n ? "line\n" : "line");
	struct doclayout l = layout_of(text, 40);
	struct dl_view v = { l.ncp, -1, 0, 0 };
	dl_scroll(&l, &v, 30);
	assert_int_equal(v.top_line, n - 30);
	size_t laid = 0;
	for (size_t i = 0; i < n; i++)
		laid += l.lines[i].rows >= 0;
	assert_true(laid <= 31);
	free(text);
	dl_free(&l);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mirror__indexes_lines_by_byte_and_code_point),
		cmocka_unit_test(
		    mirror__replace_with_newlines_splits_the_line_and_shifts_the_rest),
		cmocka_unit_test(mirror__deleting_a_newline_joins_two_lines),
		cmocka_unit_test(mirror__sync_touches_only_the_lines_that_differ),
		cmocka_unit_test(mirror__sync_cuts_on_character_boundaries),
		cmocka_unit_test(mirror__apply_follows_an_operation_over_code_points),
		cmocka_unit_test(mirror__apply_refuses_an_operation_of_another_length),
		cmocka_unit_test(
		    mirror__random_edits_keep_the_index_equal_to_a_fresh_one),
		cmocka_unit_test(wrap__breaks_after_spaces_and_lets_one_space_hang),
		cmocka_unit_test(wrap__breaks_a_word_longer_than_the_row_anywhere),
		cmocka_unit_test(wrap__never_splits_a_wide_character),
		cmocka_unit_test(wrap__keeps_combining_marks_with_their_letter),
		cmocka_unit_test(
		    wrap__gives_the_end_of_a_full_hanging_row_a_row_of_its_own),
		cmocka_unit_test(
		    wrap__shows_tabs_and_controls_in_one_cell_and_drops_bidi_controls),
		cmocka_unit_test(wrap__puts_a_line_initial_mark_on_a_dotted_circle),
		cmocka_unit_test(
		    wrap__caches_row_counts_until_the_line_or_the_width_changes),
		cmocka_unit_test(
		    wrap__measures_each_row_as_textwidth_measures_what_is_drawn),
		cmocka_unit_test(
		    locate__maps_code_points_to_rows_and_columns_with_wide_characters),
		cmocka_unit_test(locate__and_at_agree_on_every_glyph_start),
		cmocka_unit_test(locate__shows_a_code_point_inside_a_glyph_at_its_start),
		cmocka_unit_test(
		    at__a_column_in_the_middle_of_a_wide_character_lands_on_it),
		cmocka_unit_test(move__left_and_right_step_over_glyphs_and_newlines),
		cmocka_unit_test(move__up_and_down_go_by_display_row_keeping_the_column),
		cmocka_unit_test(
		    move__up_and_down_over_wide_characters_land_on_glyph_starts),
		cmocka_unit_test(move__home_and_end_stay_on_the_display_row),
		cmocka_unit_test(move__words_skip_punctuation_and_cross_lines),
		cmocka_unit_test(move__page_down_moves_the_cursor_and_the_view_together),
		cmocka_unit_test(
		    step__counts_rows_across_wrapped_lines_and_stops_at_the_ends),
		cmocka_unit_test(scroll__keeps_the_cursor_on_screen_moving_the_view_least),
		cmocka_unit_test(scroll__repairs_a_top_left_beyond_a_shrunk_document),
		cmocka_unit_test(
		    scroll__of_a_large_document_lays_out_only_what_it_crosses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
