/*
 * listpane: a list drawn in place of the messages, for what the user
 * picks from: the emoji picker, the server's search results, the room
 * directory.
 *
 * A title row; a search field when the list has one (the terminal's
 * cursor goes there, as what is typed filters the list); one row an
 * entry, the selected one a bar, as in the notification centre, with a
 * search's matches drawn highlighted; the last row names the keys. The
 * list scrolls only as much as it must to keep the selection shown.
 */
#include "ui/internal.h"

#include <string.h>

/* Draws text[a, e) from x; returns the column after it. */
static int
segment(int y, int x, const char *text, size_t a, size_t e,
    struct ui_clip clip, enum theme_elem elem)
{
	struct ui_buf b = { 0 };
	ui_sanitize(&b, text + a, e - a, UI_NL_BAD);
	if (b.s != NULL)
		x = draw_text(y, x, b.s, b.len, clip, elem, UI_FG_THEME);
	ui_buf_free(&b);
	return x;
}

static void
row(const struct ui_list_row *rw, bool selected, int y, struct ui_rect r)
{
	struct ui_clip clip = { r.x, r.x + r.w };
	enum theme_elem base = selected ? TH_ROOM_CURRENT : TH_TEXT;
	if (selected)
		draw_fill(y, r.x, r.w, TH_ROOM_CURRENT);
	const char *t = rw->text ? rw->text : "";
	size_t len = strlen(t), at = 0;
	int x = r.x + 1;
	for (int i = 0; i < rw->nmarks; i++) {
		size_t a = rw->marks[i][0], e = rw->marks[i][1];
		if (a < at || e > len || a >= e)
			continue; /* out of order or out of the text */
		x = segment(y, x, t, at, a, clip, base);
		x = segment(y, x, t, a, e, clip, TH_SEARCH);
		at = e;
	}
	segment(y, x, t, at, len, clip, base);
}

int
listpane_draw(const struct ui_list *l, struct ui_rect r, int *cy)
{
	*cy = -1;
	if (r.h <= 0 || r.w <= 0)
		return -1;
	struct ui_clip clip = { r.x, r.x + r.w };
	for (int y = 0; y < r.h; y++)
		draw_fill(r.y + y, r.x, r.w, TH_NORMAL);
	draw_str(r.y, r.x + 1, l->title ? l->title : "", clip, TH_DAY,
	    UI_FG_THEME);
	int y = r.y + 1, cx = -1;
	if (l->query != NULL && y < r.y + r.h) {
		int x = draw_str(y, r.x + 1, "search: ", clip, TH_NOTICE,
		    UI_FG_THEME);
		cx = draw_str(y, x, l->query, clip, TH_INPUT, UI_FG_THEME);
		*cy = y;
		y++;
	}
	if (l->keys != NULL && r.h >= 3)
		draw_str(r.y + r.h - 1, r.x + 1, l->keys, clip, TH_NOTICE,
		    UI_FG_THEME);
	int rows = r.y + r.h - 1 - y;
	if (rows <= 0)
		return cx;
	if (l->nrows == 0) {
		draw_str(y, r.x + 3, l->empty ? l->empty : "nothing", clip,
		    TH_NOTICE, UI_FG_THEME);
		return cx;
	}
	size_t top = centre_first(l->nrows, l->selected, 0, rows);
	for (size_t i = top; i < l->nrows && rows > 0; i++, y++, rows--)
		row(&l->rows[i], i == l->selected, y, r);
	return cx;
}
