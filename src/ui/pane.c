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
 */
#include "ui/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/mention.h"
#include "model/textwidth.h"
#include "model/urls.h"
#include "model/xmalloc.h"

#define NICK_MAX 12
#define NICK_SCAN 1000      /* recent messages whose nicks size the column */
#define RULE "\xe2\x94\x80" /* U+2500 */
#define PENDING_MARK " ~"
#define REASON_MAX 60       /* cells of a failure reason */

/* ---- lines --------------------------------------------------------------- */

/* A line being built: text and its spans. */
struct lb {
	struct ui_buf b;
	struct ui_span spans[UI_SPANS_MAX];
	int n;
};

static void
lb_add(struct lb *l, const char *s, size_t len, enum theme_elem e, int32_t fg)
{
	size_t start = l->b.len;
	ui_buf_add(&l->b, s, len);
	if (len == 0)
		return;
	struct ui_span *last = l->n ? &l->spans[l->n - 1] : NULL;
	if (last && ((last->elem == e && last->fg == fg) || l->n == UI_SPANS_MAX)) {
		last->end = l->b.len;
		return;
	}
	l->spans[l->n++] = (struct ui_span){ start, l->b.len, e, fg };
}

static void
lb_pad(struct lb *l, int n)
{
	for (int i = 0; i < n; i++)
		lb_add(l, " ", 1, TH_NORMAL, UI_FG_THEME);
}

static void
lines_take(struct pane_lines *pl, struct pane_line ln)
{
	xgrow(&pl->v, &pl->cap, pl->n + 1, sizeof *pl->v);
	pl->v[pl->n++] = ln;
}

static void
lines_push(struct pane_lines *pl, struct lb *l)
{
	if (l->b.s == NULL)
		ui_buf_add(&l->b, "", 0);
	struct pane_line ln = { l->b.s, l->b.len, { { 0 } }, l->n, false };
	memcpy(ln.spans, l->spans, sizeof ln.spans);
	memset(l, 0, sizeof *l);
	lines_take(pl, ln);
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

static void
local_tm(int64_t ts_ms, struct tm *tm)
{
	time_t t = (time_t)(ts_ms >= 0 ? ts_ms / 1000 : (ts_ms - 999) / 1000);
	if (localtime_r(&t, tm) == NULL)
		memset(tm, 0, sizeof *tm);
}

long
pane_day_of(int64_t ts_ms)
{
	struct tm tm;
	local_tm(ts_ms, &tm);
	return (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* ---- geometry ------------------------------------------------------------ */

static const char *
time_format(const struct pane_src *src)
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
	    src->timestamps ? time_width(time_format(src)) : 0, 2, 0, 0, 0, "" };
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
		snprintf(g.fmt, sizeof g.fmt, "%s", time_format(src));
	g.gen = generation(&g, src->thread != 0);
	*out = g;
}

/* ---- one entry ----------------------------------------------------------- */

#define BODY_HITS_MAX 16

/* Body text in two styles, the text then a suffix, with what a search
 * found drawn in its own. */
struct body {
	struct ui_buf b;
	size_t split;                 /* bytes [split, len) are the suffix */
	enum theme_elem elem, suffix_elem;
	size_t hit[BODY_HITS_MAX][2]; /* byte ranges of search matches */
	int nhits;
};

/* The occurrences of query in bd's text (before the suffix). */
static void
find_hits(struct body *bd, const char *query)
{
	bd->nhits = 0;
	if (query == NULL || *query == '\0' || bd->b.s == NULL)
		return;
	size_t n = strlen(query);
	char save = bd->b.s[bd->split];
	bd->b.s[bd->split] = '\0';
	for (size_t at = mention_find(bd->b.s, query, 0);
	    at != SIZE_MAX && bd->nhits < BODY_HITS_MAX;
	    at = mention_find(bd->b.s, query, at + n)) {
		bd->hit[bd->nhits][0] = at;
		bd->hit[bd->nhits][1] = at + n;
		bd->nhits++;
	}
	bd->b.s[bd->split] = save;
}

/* Adds s[a, e) of the body to l, its search hits in their style. */
static void
add_hits(struct lb *l, const struct body *bd, size_t a, size_t e,
    enum theme_elem elem)
{
	const char *s = bd->b.s;
	for (int h = 0; h < bd->nhits && a < e; h++) {
		size_t ha = bd->hit[h][0], he = bd->hit[h][1];
		if (he <= a || ha >= e)
			continue;
		if (ha > a)
			lb_add(l, s + a, ha - a, elem, UI_FG_THEME);
		size_t to = he < e ? he : e, from = ha > a ? ha : a;
		lb_add(l, s + from, to - from, TH_SEARCH, UI_FG_THEME);
		a = to;
	}
	lb_add(l, s + a, e - a, elem, UI_FG_THEME);
}

static void
prefix(struct lb *l, const struct pane_geom *g, const char *fmt, int64_t ts,
    const char *nick, enum theme_elem ne, int32_t nfg)
{
	if (g->time_w) {
		struct tm tm;
		char t[64];
		local_tm(ts, &tm);
		size_t n = strftime(t, sizeof t, fmt, &tm);
		struct ui_buf safe = { 0 };
		ui_sanitize(&safe, t, n, UI_NL_BAD);
		if (safe.s) {
			size_t fit = tw_fit(safe.s, safe.len, g->time_w - 1);
			lb_add(l, safe.s, fit, TH_TIME, UI_FG_THEME);
			lb_pad(l, g->time_w - tw_width(safe.s, fit));
		} else {
			lb_pad(l, g->time_w);
		}
		ui_buf_free(&safe);
	}
	struct ui_buf n = { 0 };
	ui_sanitize(&n, nick, strlen(nick), UI_NL_BAD);
	ui_buf_cut(&n, g->nick_w);
	int w = n.s ? tw_width(n.s, n.len) : 0;
	lb_pad(l, g->nick_w - w);
	if (n.s)
		lb_add(l, n.s, n.len, ne, nfg);
	ui_buf_free(&n);
	lb_pad(l, 1);
}

/* Rows of s[from, to) wrapped to cols, each added to a row builder: the
 * first row goes to *first while it is unused, the others get indent
 * cells of padding. */
static void
emit_rows(struct pane_lines *out, struct lb *first, bool *first_used,
    const struct body *bd, size_t from, size_t to, int cols, int indent)
{
	const char *s = bd->b.s ? bd->b.s : "";
	size_t nl = tw_wrap(s + from, to - from, cols, NULL, 0);
	struct tw_line *lines = xreallocarray(NULL, nl ? nl : 1, sizeof *lines);
	tw_wrap(s + from, to - from, cols, lines, nl);
	if (nl == 0) {
		lines[0] = (struct tw_line){ 0, 0, 0 };
		nl = 1;
	}
	for (size_t k = 0; k < nl; k++) {
		struct lb cont = { 0 };
		struct lb *l = *first_used ? &cont : first;
		if (*first_used)
			lb_pad(l, indent);
		*first_used = true;
		size_t a = from + lines[k].start, e = from + lines[k].end;
		size_t mid = bd->split < a ? a : bd->split > e ? e : bd->split;
		add_hits(l, bd, a, mid, bd->elem);
		lb_add(l, s + mid, e - mid, bd->suffix_elem, UI_FG_THEME);
		lines_push(out, l);
	}
	free(lines);
}

/*
 * The body under its prefix, wrapped to the text column. A link too long
 * for the text column is never broken there: it starts a row of its own
 * at the pane's left edge, where it has the whole width, so that the
 * terminal sees it whole (only one longer than the pane itself is cut,
 * at the pane's edge).
 */
static void
emit_body_from(struct pane_lines *out, struct lb *first, const struct pane_geom *g,
    const struct body *bd, bool prefixed);

static void
emit_body(struct pane_lines *out, struct lb *first, const struct pane_geom *g,
    const struct body *bd)
{
	emit_body_from(out, first, g, bd, true);
}

/* prefixed: first holds the time and nick, and is a row even when the
 * body starts with a link of its own row. */
static void
emit_body_from(struct pane_lines *out, struct lb *first, const struct pane_geom *g,
    const struct body *bd, bool prefixed)
{
	const char *s = bd->b.s ? bd->b.s : "";
	size_t len = bd->b.len, pos = 0, us, ue;
	bool used = false;
	while (pos < bd->split && url_next(s, bd->split, pos, &us, &ue)) {
		if (tw_width(s + us, ue - us) <= g->text_w) {
			pos = ue; /* the wrap moves it whole to a row of its own */
			continue;
		}
		size_t lead = us;
		while (lead > 0 && s[lead - 1] == ' ')
			lead--;
		if (lead > 0 || prefixed)
			emit_rows(out, first, &used, bd, 0, lead, g->text_w, g->text_col);
		else
			ui_buf_free(&first->b);
		used = true;
		emit_rows(out, first, &used, bd, us, ue, g->width, 0);
		size_t rest = ue;
		while (rest < len && s[rest] == ' ')
			rest++;
		/* what follows goes on as a body of its own */
		struct body tail = *bd;
		tail.b.s = (char *)s + rest;
		tail.b.len = len - rest;
		tail.split = bd->split > rest ? bd->split - rest : 0;
		for (int h = 0; h < tail.nhits; h++)
			for (int k = 0; k < 2; k++)
				tail.hit[h][k] = bd->hit[h][k] > rest ?
				    bd->hit[h][k] - rest : 0;
		if (tail.b.len > 0) {
			struct lb cont = { 0 };
			lb_pad(&cont, g->text_col);
			emit_body_from(out, &cont, g, &tail, false);
		}
		return;
	}
	emit_rows(out, first, &used, bd, 0, len, g->text_w, g->text_col);
}

/* A row under the message's text, at the text column, in elem: s wrapped
 * as a body of its own. */
static void
under_row(struct pane_lines *out, const struct pane_geom *g, const char *s,
    enum theme_elem elem)
{
	struct body bd = { .elem = elem, .suffix_elem = elem };
	ui_sanitize(&bd.b, s, strlen(s), UI_NL_BAD);
	bd.split = bd.b.len;
	struct lb first = { 0 };
	lb_pad(&first, g->text_col);
	emit_body_from(out, &first, g, &bd, false);
	ui_buf_free(&bd.b);
}

/* "3 replies, last 10:42" (a thread's root, in the room's timeline),
 * "3 replies (1 new), last 10:42" with replies after the read mark. */
static void
replies_row(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct room_msg *m)
{
	const struct room_extra *x = m->x;
	char when[64] = "", fresh[32] = "", row[200];
	struct tm tm;
	local_tm(x->last_reply, &tm);
	strftime(when, sizeof when, time_format(src), &tm);
	size_t n = src->room != NULL ? room_new_replies(src->room, m) : 0;
	if (n > 0)
		snprintf(fresh, sizeof fresh, " (%zu new)", n);
	snprintf(row, sizeof row, "\xe2\x86\xb3 %lld repl%s%s, last %s",
	    (long long)x->replies, x->replies == 1 ? "y" : "ies", fresh, when);
	under_row(out, g, row, TH_TIME);
}

/* "👍 3  🎉 1"; on the selected message, who: "👍 bob, carol  🎉 dave". */
static void
reactions_row(struct pane_lines *out, const struct room_extra *x,
    const struct pane_geom *g, bool who)
{
	struct ui_buf b = { 0 };
	for (size_t i = 0; i < x->nreactions; i++) {
		const struct room_reaction *rc = &x->reactions[i];
		char n[32];
		if (i > 0)
			ui_buf_adds(&b, "  ");
		ui_buf_adds(&b, rc->emoji);
		ui_buf_adds(&b, " ");
		if (who && rc->nusers > 0) {
			for (size_t k = 0; k < rc->nusers; k++) {
				if (k > 0)
					ui_buf_adds(&b, ", ");
				ui_buf_adds(&b, rc->users[k]);
			}
			if (rc->count > (int64_t)rc->nusers) {
				snprintf(n, sizeof n, " +%lld",
				    (long long)(rc->count - (int64_t)rc->nusers));
				ui_buf_adds(&b, n);
			}
		} else {
			snprintf(n, sizeof n, "%lld", (long long)rc->count);
			ui_buf_adds(&b, n);
		}
	}
	if (b.s != NULL)
		under_row(out, g, b.s, TH_TEXT);
	ui_buf_free(&b);
}

/* "seen by bob, carol" under my last message. */
static void
seen_row(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct room_msg *m)
{
	const char *who[8];
	size_t n = room_seen_by(src->room, m->seq, who, 8);
	if (n == 0)
		return;
	struct ui_buf b = { 0 };
	ui_buf_adds(&b, "seen by ");
	for (size_t i = 0; i < n && i < 8; i++) {
		if (i > 0)
			ui_buf_adds(&b, ", ");
		ui_buf_adds(&b, who[i]);
	}
	if (n > 8) {
		char more[32];
		snprintf(more, sizeof more, " and %zu more", n - 8);
		ui_buf_adds(&b, more);
	}
	under_row(out, g, b.s, TH_TIME);
	ui_buf_free(&b);
}

/* The rows under a message: its thread, its reactions, who saw it. */
static void
below_lines(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct room_msg *m)
{
	const struct room_extra *x = m->x;
	if (x != NULL && x->replies > 0 && src->thread == 0)
		replies_row(out, src, g, m);
	if (x != NULL && x->nreactions > 0)
		reactions_row(out, x, g, src->selected == m->seq &&
		    m->state == ROOM_MSG_CONFIRMED);
	if (src->seen_seq > 0 && m->seq == src->seen_seq &&
	    m->state == ROOM_MSG_CONFIRMED && src->room != NULL)
		seen_row(out, src, g, m);
}

static bool
is_action(const char *text)
{
	return strncmp(text, "/me ", 4) == 0;
}

static void
message_lines(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct room_msg *m)
{
	const char *user = m->user ? m->user : "";
	const char *text = m->text;
	bool self = src->me && strcmp(user, src->me) == 0;
	bool action = is_action(text);
	struct body bd = { .elem = TH_TEXT, .suffix_elem = TH_TEXT };

	if (action) {
		ui_sanitize(&bd.b, user, strlen(user), UI_NL_BAD);
		ui_buf_add(&bd.b, " ", 1);
		text += 4;
		bd.elem = TH_ACTION;
	} else if (m->mention && !self) {
		bd.elem = TH_MENTION;
	}
	if (m->deleted) {
		text = "message deleted";
		bd.elem = TH_NOTICE;
	}
	ui_sanitize(&bd.b, text, strlen(text), UI_NL_KEEP);
	bd.split = bd.b.len;
	find_hits(&bd, src->search);
	if (m->x != NULL && m->x->edited_ts > 0 && !m->deleted) {
		bd.suffix_elem = TH_TIME;
		ui_buf_adds(&bd.b, " (edited)");
	}
	if (m->state == ROOM_MSG_PENDING) {
		bd.elem = bd.suffix_elem = TH_PENDING;
		ui_buf_adds(&bd.b, PENDING_MARK);
	} else if (m->state == ROOM_MSG_FAILED) {
		struct ui_buf r = { 0 };
		const char *why = m->error ? m->error : "refused";
		ui_sanitize(&r, why, strlen(why), UI_NL_BAD);
		ui_buf_cut(&r, REASON_MAX);
		bd.elem = bd.suffix_elem = TH_FAILED;
		ui_buf_adds(&bd.b, " [failed: ");
		if (r.s)
			ui_buf_add(&bd.b, r.s, r.len);
		ui_buf_adds(&bd.b, "]");
		ui_buf_free(&r);
	}

	struct lb first = { 0 };
	if (action)
		prefix(&first, g, time_format(src), m->ts, "*", bd.elem, UI_FG_THEME);
	else if (self)
		prefix(&first, g, time_format(src), m->ts, user, TH_NICK_SELF,
		    UI_FG_THEME);
	else
		prefix(&first, g, time_format(src), m->ts, user, TH_TEXT, src->theme ?
		    theme_nick_color(src->theme, user) : UI_FG_THEME);
	emit_body(out, &first, g, &bd);
	ui_buf_free(&bd.b);
	below_lines(out, src, g, m);
}

static void
notice_lines(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct chat_notice *n)
{
	enum theme_elem e = n->error ? TH_FAILED : TH_NOTICE;
	struct body bd = { .elem = e, .suffix_elem = e };
	const char *text = n->text ? n->text : "";
	ui_sanitize(&bd.b, text, strlen(text), UI_NL_KEEP);
	bd.split = bd.b.len;
	struct lb first = { 0 };
	prefix(&first, g, time_format(src), n->ts, n->error ? "!!" : "--", e,
	    UI_FG_THEME);
	emit_body(out, &first, g, &bd);
	ui_buf_free(&bd.b);
}

/* "───── label ─────" across the pane. */
static void
rule_line(struct pane_lines *out, int width, const char *label,
    enum theme_elem e)
{
	struct lb l = { 0 };
	struct ui_buf s = { 0 };
	ui_buf_adds(&s, " ");
	ui_sanitize(&s, label, strlen(label), UI_NL_BAD);
	ui_buf_adds(&s, " ");
	int w = tw_width(s.s, s.len);
	if (w > width) {
		s.len = tw_fit(s.s, s.len, width);
		w = tw_width(s.s, s.len);
	}
	int left = (width - w) / 2, right = width - w - left;
	struct ui_buf rule = { 0 };
	ui_buf_repeat(&rule, RULE, left > right ? left : right);
	lb_add(&l, rule.s ? rule.s : "", (size_t)left * strlen(RULE), e,
	    UI_FG_THEME);
	lb_add(&l, s.s ? s.s : "", s.len, e, UI_FG_THEME);
	lb_add(&l, rule.s ? rule.s : "", (size_t)right * strlen(RULE), e,
	    UI_FG_THEME);
	ui_buf_free(&rule);
	ui_buf_free(&s);
	lines_push(out, &l);
}

static void
day_line(struct pane_lines *out, int width, int64_t ts)
{
	struct tm tm;
	char a[64], b[64], label[160];
	local_tm(ts, &tm);
	strftime(a, sizeof a, "%A", &tm);
	strftime(b, sizeof b, "%B %Y", &tm);
	snprintf(label, sizeof label, "%s %d %s", a, tm.tm_mday, b);
	rule_line(out, width, label, TH_DAY);
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
		day_line(out, g->width, it->ts);
	if (it->msg && it->index == src->first_unread)
		rule_line(out, g->width, "new messages", TH_UNREAD_MARKER);
}

static void
body_lines(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct pane_item *it)
{
	if (it->msg)
		message_lines(out, src, g, it->msg);
	else
		notice_lines(out, src, g, it->notice);
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
			lines_take(out, group.v[k]);
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
