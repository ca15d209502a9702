/*
 * docmove: cursor motion and scrolling over a doclayout (see doclayout.h).
 *
 * Every motion lays out only the lines it crosses: a row step asks the
 * (cached) row count of each line it passes, and placing the cursor lays
 * out its one line. Up and Down keep the goal column through short rows,
 * as editors do, until a horizontal move or an edit forgets it.
 */
#include "ui/doclayout.h"

#include <limits.h>
#include <stdint.h>

#include "model/utf8.h"

size_t
dl_prev(struct doclayout *l, size_t cp)
{
	if (cp == 0)
		return 0;
	if (cp > l->ncp)
		return l->ncp;
	size_t i = dl_line_of(l, cp), start = l->lines[i].cp;
	if (cp == start)
		return cp - 1; /* over the newline, to the previous line's end */
	struct dl_lay lay;
	dl_lay_line(l, i, &lay);
	size_t k = dl_lay_glyph(&lay, cp - start);
	if (lay.g[k].cp == cp - start && k > 0)
		k--;
	size_t r = start + lay.g[k].cp;
	dl_lay_free(&lay);
	return r;
}

size_t
dl_next(struct doclayout *l, size_t cp)
{
	if (cp >= l->ncp)
		return l->ncp;
	size_t i = dl_line_of(l, cp), start = l->lines[i].cp;
	if (cp - start >= dl_line_cps(l, i))
		return cp + 1; /* over the newline */
	struct dl_lay lay;
	dl_lay_line(l, i, &lay);
	size_t k = dl_lay_glyph(&lay, cp - start);
	size_t r = start + lay.g[k + 1].cp;
	dl_lay_free(&lay);
	return r;
}

/* ---- words --------------------------------------------------------------- */

/* Letters and digits of any script; ASCII and Latin-1 punctuation, the
 * general and CJK punctuation blocks and the fullwidth ASCII punctuation
 * separate words, as in the input line. */
static bool
is_word(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '_';
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return false;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF0F) ||
	    (c >= 0xFF1A && c <= 0xFF20))
		return false;
	return true;
}

/* The character ending at byte b (> 0) of the text, and its start. */
static uint32_t
char_before(const struct doclayout *l, size_t *b)
{
	size_t s = *b - 1;
	while (s > 0 && (l->text[s] & 0xc0) == 0x80)
		s--;
	uint32_t c;
	utf8_decode(l->text + s, *b - s, &c);
	*b = s;
	return c;
}

static size_t
word_right(const struct doclayout *l, size_t cp)
{
	size_t b = dl_byte_of(l, cp);
	bool seen = false;
	while (b < l->len) {
		uint32_t c;
		size_t n = utf8_decode(l->text + b, l->len - b, &c);
		if (is_word(c))
			seen = true;
		else if (seen)
			break;
		b += n;
		cp++;
	}
	return cp;
}

static size_t
word_left(const struct doclayout *l, size_t cp)
{
	size_t b = dl_byte_of(l, cp);
	bool seen = false;
	while (b > 0) {
		size_t s = b;
		uint32_t c = char_before(l, &s);
		if (is_word(c))
			seen = true;
		else if (seen)
			break;
		b = s;
		cp--;
	}
	return cp;
}

/* ---- rows ---------------------------------------------------------------- */

int
dl_step(struct doclayout *l, size_t *line, int *row, int delta)
{
	int moved = 0;
	while (delta > 0) {
		int left = dl_rows(l, *line) - 1 - *row; /* rows below in this line */
		if (left < 0)
			left = 0;
		if (delta <= left) {
			*row += delta;
			moved += delta;
			break;
		}
		if (*line + 1 >= l->nlines) {
			*row += left;
			moved += left;
			break;
		}
		(*line)++;
		*row = 0;
		delta -= left + 1;
		moved += left + 1;
	}
	while (delta < 0) {
		if (-delta <= *row) {
			*row += delta;
			moved += delta;
			break;
		}
		if (*line == 0) {
			moved -= *row;
			*row = 0;
			break;
		}
		delta += *row + 1;
		moved -= *row + 1;
		(*line)--;
		*row = dl_rows(l, *line) - 1;
	}
	return moved;
}

/* Up and Down (and pages): n rows from the cursor at the goal column. */
static bool
move_rows(struct doclayout *l, struct dl_view *v, int n, bool scroll)
{
	struct dl_pos p = dl_locate(l, v->cursor);
	int goal = v->goal >= 0 ? v->goal : p.col;
	int moved = dl_step(l, &p.line, &p.row, n);
	if (moved == 0)
		return false;
	v->cursor = dl_at(l, p.line, p.row, goal);
	v->goal = goal;
	if (scroll)
		dl_step(l, &v->top_line, &v->top_row, moved);
	return true;
}

static size_t
row_edge(struct doclayout *l, size_t cp, bool end)
{
	struct dl_pos p = dl_locate(l, cp);
	return dl_at(l, p.line, p.row, end ? INT_MAX : 0);
}

bool
dl_move(struct doclayout *l, struct dl_view *v, enum dl_move m, int page)
{
	size_t before = v->cursor;
	int n = page > 2 ? page - 1 : 1;
	if (v->cursor > l->ncp)
		v->cursor = l->ncp;
	switch (m) {
	case DL_UP: return move_rows(l, v, -1, false);
	case DL_DOWN: return move_rows(l, v, 1, false);
	case DL_PAGE_UP: return move_rows(l, v, -n, true);
	case DL_PAGE_DOWN: return move_rows(l, v, n, true);
	case DL_LEFT: v->cursor = dl_prev(l, v->cursor); break;
	case DL_RIGHT: v->cursor = dl_next(l, v->cursor); break;
	case DL_HOME: v->cursor = row_edge(l, v->cursor, false); break;
	case DL_END: v->cursor = row_edge(l, v->cursor, true); break;
	case DL_WORD_LEFT: v->cursor = word_left(l, v->cursor); break;
	case DL_WORD_RIGHT: v->cursor = word_right(l, v->cursor); break;
	case DL_DOC_START: v->cursor = 0; break;
	case DL_DOC_END: v->cursor = l->ncp; break;
	}
	v->goal = -1;
	return v->cursor != before;
}

void
dl_scroll(struct doclayout *l, struct dl_view *v, int rows)
{
	if (rows < 1)
		rows = 1;
	if (v->cursor > l->ncp)
		v->cursor = l->ncp;
	if (v->top_line >= l->nlines) {
		v->top_line = l->nlines - 1;
		v->top_row = 0;
	}
	int tr = dl_rows(l, v->top_line);
	if (v->top_row >= tr)
		v->top_row = tr - 1;
	if (v->top_row < 0)
		v->top_row = 0;
	struct dl_pos p = dl_locate(l, v->cursor);
	if (p.line < v->top_line ||
	    (p.line == v->top_line && p.row < v->top_row)) {
		v->top_line = p.line;
		v->top_row = p.row;
		return;
	}
	if (p.line - v->top_line < (size_t)rows) {
		/* Each line is a row at least: only these few need counting. */
		long dist = -v->top_row;
		for (size_t i = v->top_line; i < p.line; i++)
			dist += dl_rows(l, i);
		if (dist + p.row < rows)
			return;
	}
	dl_step(l, &p.line, &p.row, -(rows - 1));
	v->top_line = p.line;
	v->top_row = p.row;
}
