/*
 * docpane: the document pane drawn into a curses screen that writes to
 * /dev/null, read back cell by cell: decorations (selection, matches,
 * comments, suggestions) and the line numbers' margin.
 */
#include <curses.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "model/theme.h"
#include "ui/doclayout.h"
#include "ui/internal.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

/* The pane's rectangle: the text starts at column X0 + 1 (a blank column
 * first), on row Y0 + 1 (the title first). */
#define X0 0
#define Y0 0

static struct theme theme;
static struct doclayout lay;

static int
setup(void **state __attribute__((unused)))
{
	dl_init(&lay);
	return 0;
}

static int
teardown(void **state __attribute__((unused)))
{
	dl_free(&lay);
	return 0;
}

static void
draw(const char *text, const struct ui_doc_span *spans, size_t n,
    bool numbers)
{
	assert_true(dl_set_text(&lay, text, strlen(text)));
	struct ui_doc d = { .room = "lobby", .name = "notes", .lay = &lay,
	    .focused = true, .spans = spans, .nspans = n, .numbers = numbers };
	struct docpane_out out;
	werase(stdscr);
	docpane_draw(&d, &theme, (struct ui_rect){ X0, Y0, 40, 10 }, &out);
}

struct cell {
	wchar_t wc[CCHARW_MAX + 1];
	attr_t attrs;
	int pair;
};

static struct cell
cell_at(int y, int x)
{
	cchar_t c;
	struct cell out;
	memset(&out, 0, sizeof out);
	assert_int_equal(mvwin_wch(stdscr, y, x, &c), OK);
	short p;
	getcchar(&c, out.wc, &out.attrs, &p, &out.pair);
	if (out.pair == 0)
		out.pair = p;
	return out;
}

/* The text of row y from column x, n cells, base characters only. */
static void
row_text(int y, int x, int n, char *buf)
{
	for (int i = 0; i < n; i++) {
		struct cell c = cell_at(y, x + i);
		buf[i] = c.wc[0] < 128 ? (char)c.wc[0] : '?';
	}
	buf[n] = '\0';
}

/* ---- tests --------------------------------------------------------------- */

TEST(docpane__select__reverses_only_the_range)
{
	struct ui_doc_span sp[] = { { 2, 5, UI_SPAN_SELECT, NULL } };
	draw("abcdefgh", sp, 1, false);
	for (int i = 0; i < 8; i++) {
		bool in = i >= 2 && i < 5;
		attr_t a = cell_at(Y0 + 1, X0 + 1 + i).attrs;
		assert_int_equal((a & A_REVERSE) != 0, in);
	}
}

TEST(docpane__select__over_a_newline_marks_the_line_end)
{
	struct ui_doc_span sp[] = { { 1, 5, UI_SPAN_SELECT, NULL } };
	draw("abc\ndef", sp, 1, false);
	/* The newline (code point 3) is the cell after "abc". */
	assert_true(cell_at(Y0 + 1, X0 + 4).attrs & A_REVERSE);
	assert_true(cell_at(Y0 + 2, X0 + 1).attrs & A_REVERSE);
	assert_false(cell_at(Y0 + 2, X0 + 2).attrs & A_REVERSE);
}

TEST(docpane__match__takes_the_search_look_and_current_is_reversed)
{
	struct ui_doc_span sp[] = {
		{ 0, 3, UI_SPAN_MATCH, NULL },
		{ 4, 7, UI_SPAN_MATCH_CURRENT, NULL },
	};
	draw("foo foo bar", sp, 2, false);
	struct cell plain = cell_at(Y0 + 1, X0 + 1 + 9);
	struct cell m = cell_at(Y0 + 1, X0 + 1);
	struct cell cur = cell_at(Y0 + 1, X0 + 1 + 4);
	unsigned long sa;
	int spair;
	color_style(TH_SEARCH, UI_FG_THEME, &sa, &spair);
	assert_int_equal(m.pair, spair);
	assert_int_not_equal(m.pair, plain.pair);
	assert_false(m.attrs & A_REVERSE);
	assert_int_equal(cur.pair, spair);
	assert_true(cur.attrs & A_REVERSE);
}

TEST(docpane__comment__underlines_and_current_is_bold)
{
	struct ui_doc_span sp[] = {
		{ 0, 2, UI_SPAN_COMMENT, NULL },
		{ 3, 5, UI_SPAN_COMMENT_CURRENT, NULL },
	};
	draw("ab cd ef", sp, 2, false);
	assert_true(cell_at(Y0 + 1, X0 + 1).attrs & A_UNDERLINE);
	assert_false(cell_at(Y0 + 1, X0 + 1).attrs & A_BOLD);
	assert_false(cell_at(Y0 + 1, X0 + 3).attrs & A_UNDERLINE);
	assert_true(cell_at(Y0 + 1, X0 + 4).attrs & A_UNDERLINE);
	assert_true(cell_at(Y0 + 1, X0 + 4).attrs & A_BOLD);
}

TEST(docpane__comment__marks_the_rows_it_covers_in_the_margin)
{
	struct ui_doc_span sp[] = {
		{ 4, 9, UI_SPAN_COMMENT, NULL },     /* "bc\nde": rows 2 and 3 */
		{ 0, 2, UI_SPAN_MATCH, NULL },       /* no mark for a match */
	};
	draw("xx\nabc\ndef\nghi", sp, 2, false);
	assert_true(cell_at(Y0 + 1, X0).wc[0] == L' ');
	assert_true(cell_at(Y0 + 2, X0).wc[0] == 0x258E);
	assert_true(cell_at(Y0 + 3, X0).wc[0] == 0x258E);
	assert_true(cell_at(Y0 + 4, X0).wc[0] == L' ');
}

TEST(docpane__comment__whose_text_is_gone_marks_its_row_only)
{
	struct ui_doc_span sp[] = {
		{ 4, 4, UI_SPAN_COMMENT, NULL },     /* on row 2, empty */
		{ 8, 8, UI_SPAN_COMMENT, NULL },     /* row 3, with a range there */
		{ 9, 10, UI_SPAN_COMMENT, NULL },
	};
	draw("xx\nabc\ndef\nghi", sp, 3, false);
	assert_true(cell_at(Y0 + 1, X0).wc[0] == L' ');
	assert_true(cell_at(Y0 + 2, X0).wc[0] == 0xD7);
	assert_true(cell_at(Y0 + 3, X0).wc[0] == 0x258E); /* the range wins */
	for (int i = 0; i < 3; i++) /* nothing underlined on row 2 */
		assert_false(cell_at(Y0 + 2, X0 + 1 + i).attrs & A_UNDERLINE);
}

TEST(docpane__status__takes_the_bottom_row)
{
	assert_true(dl_set_text(&lay, "one\ntwo", 7));
	struct ui_doc d = { .room = "lobby", .name = "notes", .lay = &lay,
	    .focused = true, .status = "comment 1/1 \xc2\xb7 bob: why?" };
	struct docpane_out out;
	werase(stdscr);
	docpane_draw(&d, &theme, (struct ui_rect){ X0, Y0, 40, 10 }, &out);
	char buf[16];
	row_text(Y0 + 9, X0 + 1, 9, buf);
	assert_string_equal(buf, "comment 1");
	assert_int_equal(out.rows, 8); /* the text has a row less */
	row_text(Y0 + 1, X0 + 1, 3, buf);
	assert_string_equal(buf, "one");
}

TEST(docpane__spans__stack_a_selection_over_a_comment)
{
	struct ui_doc_span sp[] = {
		{ 0, 6, UI_SPAN_COMMENT, NULL },
		{ 2, 4, UI_SPAN_SELECT, NULL },
	};
	draw("abcdef", sp, 2, false);
	attr_t a = cell_at(Y0 + 1, X0 + 3).attrs;
	assert_true(a & A_UNDERLINE);
	assert_true(a & A_REVERSE);
	assert_false(cell_at(Y0 + 1, X0 + 5).attrs & A_REVERSE);
}

TEST(docpane__inserted__in_the_users_colour_underlined)
{
	struct ui_doc_span sp[] = { { 1, 3, UI_SPAN_INSERTED, "bob" } };
	draw("abcd", sp, 1, false);
	unsigned long a;
	int pair;
	color_style(TH_TEXT, theme_nick_color(&theme, "bob"), &a, &pair);
	struct cell c = cell_at(Y0 + 1, X0 + 2);
	assert_true(c.attrs & A_UNDERLINE);
	assert_int_equal(c.pair, pair);
	assert_false(cell_at(Y0 + 1, X0 + 1).attrs & A_UNDERLINE);
}

TEST(docpane__deleted__strikes_each_glyph_through)
{
	struct ui_doc_span sp[] = { { 1, 3, UI_SPAN_DELETED, "bob" } };
	draw("abcd", sp, 1, false);
	char buf[8];
	row_text(Y0 + 1, X0 + 1, 4, buf);
	assert_string_equal(buf, "abcd");   /* no cell taken by the strokes */
	for (int i = 0; i < 4; i++) {
		struct cell c = cell_at(Y0 + 1, X0 + 1 + i);
		bool in = i >= 1 && i < 3;
		assert_int_equal(c.wc[1] == 0x336, in);
	}
	unsigned long a;
	int pair;
	color_style(TH_TEXT, theme_nick_color(&theme, "bob"), &a, &pair);
	assert_int_equal(cell_at(Y0 + 1, X0 + 2).pair, pair);
}

TEST(docpane__spans__past_the_shown_rows_are_ignored_and_later_ones_drawn)
{
	/* 30 lines of "xx"; a span on every line, sorted. The pane shows
	 * 9 text rows from the top: only those lines' spans draw. */
	char text[128] = "";
	struct ui_doc_span sp[30];
	for (int i = 0; i < 30; i++) {
		strcat(text, i ? "\nxx" : "xx");
		sp[i] = (struct ui_doc_span){ (size_t)i * 3, (size_t)i * 3 + 1,
		    UI_SPAN_SELECT, NULL };
	}
	draw(text, sp, 30, false);
	for (int y = 0; y < 9; y++) {
		assert_true(cell_at(Y0 + 1 + y, X0 + 1).attrs & A_REVERSE);
		assert_false(cell_at(Y0 + 1 + y, X0 + 2).attrs & A_REVERSE);
	}
}

TEST(docpane__numbers__margin_as_wide_as_the_last_number)
{
	char text[64] = "";
	for (int i = 0; i < 12; i++)
		strcat(text, i ? "\nab" : "ab");
	draw(text, NULL, 0, true);
	char buf[8];
	row_text(Y0 + 1, X0, 5, buf);
	assert_string_equal(buf, " 1 ab");
	row_text(Y0 + 1 + 8, X0, 5, buf);
	assert_string_equal(buf, " 9 ab");
	draw(text, NULL, 0, false);
	row_text(Y0 + 1, X0, 3, buf);
	assert_string_equal(buf, " ab");
}

TEST(docpane__numbers__only_on_a_lines_first_row)
{
	/* A pane of 40 columns less the margin (3) wraps at 36: a line of 50
	 * takes two rows, the second without a number. */
	char text[80];
	memset(text, 'a', 50);
	strcpy(text + 50, "\nb\nc\nd\ne\nf\ng\nh\ni\nj");
	draw(text, NULL, 0, true);
	char buf[8];
	row_text(Y0 + 1, X0, 4, buf);
	assert_string_equal(buf, " 1 a");
	row_text(Y0 + 2, X0, 4, buf);
	assert_string_equal(buf, "   a");
	row_text(Y0 + 3, X0, 4, buf);
	assert_string_equal(buf, " 2 b");
}

TEST(docpane__tabs__name_every_open_document_the_shown_one_bracketed)
{
	assert_true(dl_set_text(&lay, "x", 1));
	const char *tabs[] = { "notes", "plan" };
	struct ui_doc d = { .room = "lobby", .name = "plan", .lay = &lay,
	    .focused = true, .tabs = tabs, .ntabs = 2, .tab = 1 };
	struct docpane_out out;
	werase(stdscr);
	docpane_draw(&d, &theme, (struct ui_rect){ X0, Y0, 40, 10 }, &out);
	/* "✎ " then " notes " "[plan]": the title row from column 3 */
	char buf[24];
	row_text(Y0, X0 + 3, 22, buf);
	assert_string_equal(buf, " notes  [plan] ? lobby");
	/* the focused pane's bar is reversed, the shown tab cut out of it */
	int at = X0 + 3 + (int)strlen(" notes  ");
	assert_false(cell_at(Y0, at).attrs & A_REVERSE);  /* [plan] */
	assert_true(cell_at(Y0, X0 + 4).attrs & A_REVERSE); /* notes */
	/* not focused: the bar is plain, the shown tab reversed */
	d.focused = false;
	werase(stdscr);
	docpane_draw(&d, &theme, (struct ui_rect){ X0, Y0, 40, 10 }, &out);
	assert_true(cell_at(Y0, at).attrs & A_REVERSE);
	assert_false(cell_at(Y0, X0 + 4).attrs & A_REVERSE);
	d.focused = true;
	/* one document: its name alone, no brackets */
	d.ntabs = 1;
	d.tab = 0;
	werase(stdscr);
	docpane_draw(&d, &theme, (struct ui_rect){ X0, Y0, 40, 10 }, &out);
	row_text(Y0, X0 + 3, 12, buf);
	assert_string_equal(buf, "plan ? lobby");
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	FILE *null = fopen("/dev/null", "w");
	SCREEN *scr = newterm("xterm-256color", null, stdin);
	if (scr == NULL) {
		fprintf(stderr, "test_docpane: no terminal description\n");
		return 77;
	}
	resize_term(12, 60);
	theme_default(&theme);
	color_start(false);
	color_set_theme(&theme);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(docpane__select__reverses_only_the_range, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__select__over_a_newline_marks_the_line_end, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__match__takes_the_search_look_and_current_is_reversed, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__comment__underlines_and_current_is_bold, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__comment__marks_the_rows_it_covers_in_the_margin, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__comment__whose_text_is_gone_marks_its_row_only, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__status__takes_the_bottom_row, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__spans__stack_a_selection_over_a_comment, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__inserted__in_the_users_colour_underlined, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__deleted__strikes_each_glyph_through, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__spans__past_the_shown_rows_are_ignored_and_later_ones_drawn, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__numbers__margin_as_wide_as_the_last_number, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__numbers__only_on_a_lines_first_row, setup, teardown),
		cmocka_unit_test_setup_teardown(docpane__tabs__name_every_open_document_the_shown_one_bracketed, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	endwin();
	delscreen(scr);
	fclose(null);
	return rc;
}
