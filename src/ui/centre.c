/*
 * centre: the notification centre, drawn in place of the messages.
 *
 * A title row with the unread count, then one row an entry, newest first:
 * a dot when unread, when it came (the time today, the day before that),
 * its title in the colour of its level and its text, cut to the width. The
 * selected entry is a bar, as the current room is in the room list. The
 * last row names the keys. The list scrolls only as much as needed to keep
 * the selection on screen, so that moving it does not jump the page.
 */
#include "ui/internal.h"

#include "model/textwidth.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DOT "\xe2\x97\x8f"            /* ● */
#define KEYS "\xe2\x86\x91\xe2\x86\x93 move \xc2\xb7 Enter open \xc2\xb7 " \
	"r read \xc2\xb7 a all read \xc2\xb7 Esc close"

size_t
centre_first(size_t n, size_t selected, size_t top, int rows)
{
	size_t h = rows > 0 ? (size_t)rows : 1;
	if (n == 0)
		return 0;
	if (selected >= n)
		selected = n - 1;
	if (top > selected)
		top = selected;
	if (selected >= top + h)
		top = selected - h + 1;
	if (top + h > n)               /* no blank rows below while entries */
		top = n > h ? n - h : 0;   /* above are hidden */
	return top;
}

static void
local_day(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000);
	if (localtime_r(&t, tm) == NULL)
		memset(tm, 0, sizeof *tm);
}

/* "12:01" today, "27 Nov" before. */
static void
when(int64_t ts, int64_t now, char *buf, size_t size)
{
	struct tm a, b;
	local_day(ts, &a);
	local_day(now, &b);
	bool today = a.tm_year == b.tm_year && a.tm_yday == b.tm_yday;
	if (strftime(buf, size, today ? "%H:%M" : "%d %b", &a) == 0)
		snprintf(buf, size, "%s", "");
}

static enum theme_elem
level_elem(const char *level, bool read)
{
	if (level && (strcmp(level, "error") == 0 || strcmp(level, "warning") == 0))
		return TH_FAILED;
	if (level && strcmp(level, "success") == 0)
		return TH_ONLINE;
	return read ? TH_OFFLINE : TH_ROOM_UNREAD;
}

/* Draws s on one line from x to the clip's right edge, newlines and tabs
 * as spaces, ending in "…" when it does not fit. */
static int
draw_cut(int y, int x, const char *s, struct ui_clip clip, enum theme_elem e)
{
	struct ui_buf b = { 0 };
	ui_sanitize(&b, s, strlen(s), UI_NL_KEEP);
	for (size_t i = 0; i < b.len; i++)
		if (b.s[i] == '\n')
			b.s[i] = ' ';
	int avail = clip.right - x;
	ui_buf_cut(&b, avail);
	if (b.s != NULL && avail > 0)
		x = draw_text(y, x, b.s, b.len, clip, e, UI_FG_THEME);
	ui_buf_free(&b);
	return x;
}

static void
entry_row(const struct inbox_item *it, bool selected, int64_t now, int y,
    struct ui_rect r)
{
	struct ui_clip clip = { r.x, r.x + r.w };
	enum theme_elem bar = TH_ROOM_CURRENT;
	if (selected)
		draw_fill(y, r.x, r.w, bar);
	int x = r.x + 1;
	x = draw_str(y, x, it->read ? " " : DOT, clip,
	    selected ? bar : TH_ROOM_MENTION, UI_FG_THEME);
	char t[32];
	when(it->ts, now, t, sizeof t);
	x = draw_str(y, x + 1, t, clip, selected ? bar : TH_TIME, UI_FG_THEME);
	x = draw_cut(y, x + 1, it->title ? it->title : "", clip,
	    selected ? bar : level_elem(it->level, it->read));
	draw_cut(y, x + 2, it->message ? it->message : "", clip,
	    selected ? bar : it->read ? TH_OFFLINE : TH_TEXT);
}

void
centre_draw(const struct ui_centre *c, struct ui_rect r, size_t *top_out,
    int *rows_out)
{
	*top_out = 0;
	*rows_out = 0;
	if (r.h <= 0 || r.w <= 0)
		return;
	struct ui_clip clip = { r.x, r.x + r.w };
	for (int y = 0; y < r.h; y++)
		draw_fill(r.y + y, r.x, r.w, TH_NORMAL);
	char buf[96];
	int64_t unread = inbox_unread(c->inbox);
	if (unread > 0)
		snprintf(buf, sizeof buf, "notifications \xc2\xb7 %lld unread",
		    (long long)unread);
	else
		snprintf(buf, sizeof buf, "notifications");
	draw_str(r.y, r.x + 1, buf, clip, TH_DAY, UI_FG_THEME);
	int rows = r.h - 2;            /* the title row and the keys row */
	if (r.h >= 2)
		draw_str(r.y + r.h - 1, r.x + 1, KEYS, clip, TH_NOTICE, UI_FG_THEME);
	if (rows <= 0)
		return;
	size_t n = inbox_count(c->inbox);
	if (n == 0) {
		draw_str(r.y + 1, r.x + 3, c->loading ? "loading" UI_ELLIPSIS :
		    "no notifications", clip, TH_NOTICE, UI_FG_THEME);
		return;
	}
	bool tail = c->inbox->more || c->loading; /* a row saying so */
	int list_rows = rows;
	size_t top = centre_first(n, c->selected, c->top, list_rows);
	if (tail && top + (size_t)list_rows >= n && list_rows > 1) {
		list_rows--;
		top = centre_first(n, c->selected, c->top, list_rows);
	}
	int y = r.y + 1;
	for (size_t i = top; i < n && y < r.y + 1 + list_rows; i++, y++)
		entry_row(inbox_at(c->inbox, i), i == c->selected, c->now_ms, y, r);
	if (tail && y < r.y + 1 + rows)
		draw_str(y, r.x + 3, c->loading ? "loading older" UI_ELLIPSIS :
		    "older ones below: \xe2\x86\x93 loads them", clip, TH_NOTICE,
		    UI_FG_THEME);
	*top_out = top;
	*rows_out = list_rows;
}
