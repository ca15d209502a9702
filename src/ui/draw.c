/*
 * draw: putting sanitized text on the screen, by display width.
 *
 * Everything is drawn on stdscr, region by region, between one werase and
 * one wnoutrefresh: curses compares the result with what the terminal
 * shows and sends only the difference, so nothing flickers. A region is a
 * range of columns (a clip); text that starts left of it or runs past it
 * is cut at glyph boundaries, and where a wide glyph straddles an edge the
 * cells on our side get spaces, so no half of a character is ever written
 * and nothing spills into the next pane.
 */
#include "ui/internal.h"

#include <curses.h>
#include <string.h>

#include "model/textwidth.h"

#define VLINE "\xe2\x94\x82" /* U+2502 */

static void
set_style(enum theme_elem e, int32_t fg, unsigned long extra)
{
	unsigned long a;
	int pair;
	color_style(e, fg, &a, &pair);
	wattr_set(stdscr, (attr_t)(a | extra), (short)pair, &pair);
}

/* n blanks in the current style, at once. */
static void
spaces(int y, int x, int n)
{
	if (n <= 0)
		return;
	attr_t a;
	short p;
	int pair = 0;
	wattr_get(stdscr, &a, &p, &pair);
	cchar_t c;
	wchar_t blank[] = L" ";
	setcchar(&c, blank, a, p, &pair);
	mvwhline_set(stdscr, y, x, &c, n);
	wmove(stdscr, y, x + n < COLS ? x + n : COLS - 1);
}

/* The first glyph boundary of s at or after column skip; *col gets its
 * column. */
static size_t
skip_cols(const char *s, size_t len, int skip, int *col)
{
	size_t b = tw_fit(s, len, skip);
	*col = tw_width(s, b);
	for (int c = skip + 1; *col < skip && b < len; c++) {
		size_t b2 = tw_fit(s, len, c);
		if (b2 > b) {
			b = b2;
			*col = tw_width(s, b);
		}
	}
	return b;
}

int
draw_text(int y, int x, const char *s, size_t len, struct ui_clip clip,
    enum theme_elem e, int32_t fg)
{
	return draw_text_attr(y, x, s, len, clip, e, fg, 0);
}

int
draw_text_attr(int y, int x, const char *s, size_t len, struct ui_clip clip,
    enum theme_elem e, int32_t fg, unsigned long extra)
{
	int end = x + tw_width(s, len);
	if (clip.left < 0)
		clip.left = 0;
	if (clip.right > COLS)
		clip.right = COLS;
	if (y < 0 || y >= LINES || x >= clip.right || end <= clip.left ||
	    clip.left >= clip.right)
		return end;
	set_style(e, fg, extra);
	size_t b = 0;
	int col = x;
	if (x < clip.left) {
		int c;
		b = skip_cols(s, len, clip.left - x, &c);
		col = x + c;
		int pad = (col < clip.right ? col : clip.right) - clip.left;
		spaces(y, clip.left, pad);
	}
	if (col >= clip.right)
		return end;
	size_t n = tw_fit(s + b, len - b, clip.right - col);
	if (n > 0)
		mvwaddnstr(stdscr, y, col, s + b, (int)n);
	if (b + n < len) {
		int after = col + tw_width(s + b, n);
		spaces(y, after, clip.right - after);
	}
	return end;
}

int
draw_str(int y, int x, const char *s, struct ui_clip clip, enum theme_elem e,
    int32_t fg)
{
	struct ui_buf b = { 0 };
	ui_sanitize(&b, s, strlen(s), UI_NL_BAD);
	int end = b.s ? draw_text(y, x, b.s, b.len, clip, e, fg) : x;
	ui_buf_free(&b);
	return end;
}

/* A marked line (the message a notification led to) is drawn reversed. */
void
draw_line(int y, int x, const struct pane_line *l, struct ui_clip clip)
{
	unsigned long extra = l->marked ? A_REVERSE : 0;
	size_t at = 0;
	for (int i = 0; i < l->nspans; i++) {
		const struct ui_span *sp = &l->spans[i];
		if (sp->start > at)
			x = draw_text_attr(y, x, l->text + at, sp->start - at, clip,
			    TH_NORMAL, UI_FG_THEME, extra);
		x = draw_text_attr(y, x, l->text + sp->start, sp->end - sp->start,
		    clip, sp->elem, sp->fg, extra);
		at = sp->end;
	}
	if (at < l->len)
		draw_text_attr(y, x, l->text + at, l->len - at, clip, TH_NORMAL,
		    UI_FG_THEME, extra);
}

void
draw_fill(int y, int x, int n, enum theme_elem e)
{
	if (y < 0 || y >= LINES)
		return;
	if (x < 0) {
		n += x;
		x = 0;
	}
	if (x + n > COLS)
		n = COLS - x;
	set_style(e, UI_FG_THEME, 0);
	spaces(y, x, n);
}

void
draw_vline(int x, int y, int rows, enum theme_elem e)
{
	if (x < 0 || x >= COLS)
		return;
	set_style(e, UI_FG_THEME, 0);
	for (int i = 0; i < rows && y + i < LINES; i++)
		mvwaddstr(stdscr, y + i, x, VLINE);
}
