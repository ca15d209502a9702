/*
 * pane: the message pane's display lines, one timeline entry at a time,
 * without curses.
 *
 * The timeline of the room (confirmed messages by seq, then pending and
 * failed ones) is merged with the client notices for that room by time
 * (paneview.c walks it from any point), and every entry becomes one or
 * more screen rows:
 *
 *   ───────────── Saturday 28 November 2026 ─────────────   day change
 *   12:01  alice hello there, this is a long line that
 *                wraps under the text column                continuation
 *   ────────────────── new messages ─────────────────────   first unread
 *   12:02      * bob waves                                  "/me waves"
 *   12:03    me  on my way ~                                pending
 *   12:03    me  spam [failed: rate_limited]                refused
 *   12:04    --  bob joined dev                             notice
 *
 * Nicks sit right-aligned in a column as wide as the longest recent nick
 * (at most NICK_MAX cells, longer ones end in "…"), so that text starts at
 * the same column on every row. The geometry has a generation number that
 * changes with it (a resize, a longer nick, the time format): a message
 * keeps how many rows it took at a generation (room_msg.view_rows), so
 * that it is wrapped once per layout however often it is walked over.
 *
 * This file holds the geometry and the walk over entries; the rows of
 * one entry are made in pane_rows.c.
 */
#include "ui/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/textwidth.h"
#include "model/xmalloc.h"

#define NICK_MAX 12
#define NICK_SCAN 1000      /* recent messages whose nicks size the column */

/* ---- lines --------------------------------------------------------------- */

void
pane_lines_take(struct pane_lines *pl, struct pane_line ln)
{
	xgrow(&pl->v, &pl->cap, pl->n + 1, sizeof *pl->v);
	pl->v[pl->n++] = ln;
}

void
pane_lines_free(struct pane_lines *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		free(pl->v[i].text);
	free(pl->v);
	memset(pl, 0, sizeof *pl);
}

/* ---- days ---------------------------------------------------------------- */

void
pane_local_tm(int64_t ts_ms, struct tm *tm)
{
	time_t t = (time_t)(ts_ms >= 0 ? ts_ms / 1000 : (ts_ms - 999) / 1000);
	if (localtime_r(&t, tm) == NULL)
		memset(tm, 0, sizeof *tm);
}

long
pane_day_of(int64_t ts_ms)
{
	struct tm tm;
	pane_local_tm(ts_ms, &tm);
	return (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* ---- geometry ------------------------------------------------------------ */

const char *
pane_time_format(const struct pane_src *src)
{
	return src->time_format && *src->time_format ? src->time_format : "%H:%M";
}

/* The widest the format makes a time, over the months and the days of
 * the week (names differ in length), and a space after it; cached for
 * the last format. */
static int
time_width(const char *fmt)
{
	static char last[64];
	static int width;
	if (strcmp(last, fmt) == 0)
		return width;
	int w = 0;
	for (int mon = 0; mon < 12; mon++) {
		for (int day = 0; day < 7; day++) {
			struct tm tm = { .tm_year = 126, .tm_mon = mon,
			    .tm_mday = 22 + day, .tm_wday = day, .tm_hour = 23,
			    .tm_min = 59, .tm_sec = 59 };
			char t[64];
			size_t n = strftime(t, sizeof t, fmt, &tm);
			int tw = tw_width(t, n);
			if (tw > w)
				w = tw;
		}
	}
	snprintf(last, sizeof last, "%s", fmt);
	width = w + 1;
	return width;
}

/* The width of an interned nick: names are kept once per room, so their
 * widths are kept by address (and checked against a copy, as a room's
 * names go with it), in a small direct-mapped cache. */
static int
nick_width(const char *u)
{
	static struct { const char *at; char name[32]; int w; } cache[512];
	size_t n = strlen(u);
	if (n >= sizeof cache[0].name)
		return tw_width(u, n);
	size_t h = ((uintptr_t)u >> 4) % (sizeof cache / sizeof *cache);
	if (cache[h].at != u || strcmp(cache[h].name, u) != 0) {
		cache[h].at = u;
		memcpy(cache[h].name, u, n + 1);
		cache[h].w = tw_width(u, n);
	}
	return cache[h].w;
}

/* The longest nick of the room's last NICK_SCAN lines, remembered for
 * the room as it was (the same lines, the same edits). */
static int
recent_nick_width(const struct room *r)
{
	static struct {
		const struct room *room;
		size_t n;
		uint32_t edits;
		const struct room_msg *last;
		int64_t seq, ts;   /* the last line's: addresses come back */
		char name[72];
		int w;
	} memo;
	size_t nm = r ? r->nmsgs : 0;
	if (nm == 0)
		return 0;
	const struct room_msg *last = r->msgs[nm - 1];
	if (memo.room == r && memo.n == nm && memo.edits == r->edits &&
	    memo.last == last && memo.seq == last->seq && memo.ts == last->ts &&
	    strcmp(memo.name, r->name) == 0)
		return memo.w;
	int w = 0;
	for (size_t i = nm > NICK_SCAN ? nm - NICK_SCAN : 0; i < nm; i++) {
		int nw = nick_width(r->msgs[i]->user);
		if (nw > w)
			w = nw;
	}
	memo.room = r;
	memo.n = nm;
	memo.edits = r->edits;
	memo.last = last;
	memo.seq = last->seq;
	memo.ts = last->ts;
	snprintf(memo.name, sizeof memo.name, "%s", r->name);
	memo.w = w;
	return w;
}

/* A new generation whenever the geometry differs from the last one of
 * the same view: the room's timeline and a thread pane each keep theirs
 * (a root shows its replies' row in one and not the other), numbered from
 * one counter so that no two geometries share a number. */
static uint32_t
generation(const struct pane_geom *g, bool thread)
{
	static struct { struct pane_geom last; uint32_t gen; } view[2];
	static uint32_t counter;
	struct pane_geom *last = &view[thread].last;
	if (view[thread].gen == 0 || g->width != last->width ||
	    g->time_w != last->time_w || g->nick_w != last->nick_w ||
	    strcmp(g->fmt, last->fmt) != 0) {
		*last = *g;
		if (++counter == 0)
			counter = 1;
		view[thread].gen = counter;
	}
	return view[thread].gen;
}

void
pane_geometry(const struct pane_src *src, int width, struct pane_geom *out)
{
	if (width < 1)
		width = 1;
	struct pane_geom g = { width,
	    src->timestamps ? time_width(pane_time_format(src)) : 0, 2, 0, 0, 0, "" };
	int nw = recent_nick_width(src->room);
	if (nw > g.nick_w)
		g.nick_w = nw;
	if (g.nick_w > NICK_MAX)
		g.nick_w = NICK_MAX;
	/* Text keeps at least half of a narrow pane. */
	if (g.time_w + g.nick_w + 1 > width / 2)
		g.nick_w = width / 2 - g.time_w - 1;
	if (g.nick_w < 2) {
		g.time_w = 0;
		g.nick_w = width / 2 - 1 > 1 ? width / 2 - 1 : 1;
	}
	g.text_col = g.time_w + g.nick_w + 1;
	g.text_w = width - g.text_col > 1 ? width - g.text_col : 1;
	if (g.time_w)
		snprintf(g.fmt, sizeof g.fmt, "%s", pane_time_format(src));
	g.gen = generation(&g, src->thread != 0);
	*out = g;
}

/* ---- one timeline entry --------------------------------------------------- */

static bool
marked(const struct pane_src *src, const struct pane_item *it)
{
	return it->msg && src->mark_seq > 0 && it->msg->seq == src->mark_seq;
}

/* The rows before the entry itself: the day when it changes, the
 * new-messages line. */
static void
decorations(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct pane_item *it,
    const struct pane_item *prev)
{
	if (prev == NULL || pane_day_of(prev->ts) != pane_day_of(it->ts))
		pane_day_line(out, g->width, it->ts);
	if (it->msg && it->index == src->first_unread)
		pane_rule_line(out, g->width, "new messages", TH_UNREAD_MARKER);
}

static void
body_lines(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct pane_item *it)
{
	if (it->msg)
		pane_message_lines(out, src, g, it->msg);
	else
		pane_notice_lines(out, src, g, it->notice);
}

void
pane_item_lines(const struct pane_src *src, const struct pane_geom *g,
    const struct pane_item *it, const struct pane_item *prev,
    struct pane_lines *out)
{
	decorations(out, src, g, it, prev);
	size_t from = out->n;
	body_lines(out, src, g, it);
	if (marked(src, it))
		for (size_t k = from; k < out->n; k++)
			out->v[k].marked = true;
}

/* The message's own rows, measured once per generation. The message is
 * the model's: only its view cache is written (room.h). */
static int
body_rows(const struct pane_src *src, const struct pane_geom *g,
    const struct pane_item *it)
{
	struct room_msg *m = (struct room_msg *)it->msg;
	if (m && m->view_gen == g->gen)
		return m->view_rows;
	struct pane_lines tmp = { 0 };
	body_lines(&tmp, src, g, it);
	int n = (int)tmp.n;
	pane_lines_free(&tmp);
	if (m) {
		m->view_gen = g->gen;
		m->view_rows = (uint16_t)(n < UINT16_MAX ? n : UINT16_MAX);
	}
	return n;
}

int
pane_item_rows(const struct pane_src *src, const struct pane_geom *g,
    const struct pane_item *it, const struct pane_item *prev)
{
	int n = body_rows(src, g, it);
	if (prev == NULL || pane_day_of(prev->ts) != pane_day_of(it->ts))
		n++;
	if (it->msg && it->index == src->first_unread)
		n++;
	return n;
}

/* ---- a fresh layout ------------------------------------------------------- */

void
pane_build(const struct pane_src *src, int width, size_t need,
    struct pane_lines *out)
{
	memset(out, 0, sizeof *out);
	struct pane_geom g;
	pane_geometry(src, width, &g);
	struct pane_pos pos = pane_end(src);
	struct pane_item it, prev;
	bool have = pane_prev(src, &pos, &it);
	while (have && out->n < need) {
		bool more = pane_prev(src, &pos, &prev);
		struct pane_lines group = { 0 };
		pane_item_lines(src, &g, &it, more ? &prev : NULL, &group);
		for (size_t k = group.n; k-- > 0;)
			pane_lines_take(out, group.v[k]);
		free(group.v);
		it = prev;
		have = more;
	}
	out->complete = !have;
	for (size_t i = 0, j = out->n; i + 1 < j; i++, j--) {
		struct pane_line t = out->v[i];
		out->v[i] = out->v[j - 1];
		out->v[j - 1] = t;
	}
	out->mark = SIZE_MAX;
	for (size_t i = 0; i < out->n && out->mark == SIZE_MAX; i++)
		if (out->v[i].marked)
			out->mark = i;
}

int
pane_scroll_to(const struct pane_lines *pl, size_t line, int rows)
{
	if (line >= pl->n || rows <= 0)
		return 0;
	size_t end = line + (size_t)rows - (size_t)rows / 3;
	return end >= pl->n ? 0 : (int)(pl->n - end);
}

size_t
pane_window(const struct pane_lines *pl, int rows, int *scroll, bool *at_top)
{
	size_t h = rows > 0 ? (size_t)rows : 0;
	size_t max = pl->n > h ? pl->n - h : 0;
	if (*scroll < 0)
		*scroll = 0;
	if ((size_t)*scroll > max)
		*scroll = (int)max;
	size_t end = pl->n - (size_t)*scroll;
	size_t first = end > h ? end - h : 0;
	*at_top = pl->complete && first == 0;
	return first;
}
