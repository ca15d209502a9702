/*
 * pane_rows: the rows of one timeline entry (see pane.c for the layout):
 * a message (its time and nick, its wrapped text with search hits and
 * links, the rows under it: replies, reactions, seen by), a notice, and
 * the rules across the pane (a day, new messages).
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
lines_push(struct pane_lines *pl, struct lb *l)
{
	if (l->b.s == NULL)
		ui_buf_add(&l->b, "", 0);
	struct pane_line ln = { l->b.s, l->b.len, { { 0 } }, l->n, false };
	memcpy(ln.spans, l->spans, sizeof ln.spans);
	memset(l, 0, sizeof *l);
	pane_lines_take(pl, ln);
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
		pane_local_tm(ts, &tm);
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
	pane_local_tm(x->last_reply, &tm);
	strftime(when, sizeof when, pane_time_format(src), &tm);
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

void
pane_message_lines(struct pane_lines *out, const struct pane_src *src,
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
		prefix(&first, g, pane_time_format(src), m->ts, "*", bd.elem, UI_FG_THEME);
	else if (self)
		prefix(&first, g, pane_time_format(src), m->ts, user, TH_NICK_SELF,
		    UI_FG_THEME);
	else
		prefix(&first, g, pane_time_format(src), m->ts, user, TH_TEXT, src->theme ?
		    theme_nick_color(src->theme, user) : UI_FG_THEME);
	emit_body(out, &first, g, &bd);
	ui_buf_free(&bd.b);
	below_lines(out, src, g, m);
}

void
pane_notice_lines(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct chat_notice *n)
{
	enum theme_elem e = n->error ? TH_FAILED : TH_NOTICE;
	struct body bd = { .elem = e, .suffix_elem = e };
	const char *text = n->text ? n->text : "";
	ui_sanitize(&bd.b, text, strlen(text), UI_NL_KEEP);
	bd.split = bd.b.len;
	struct lb first = { 0 };
	prefix(&first, g, pane_time_format(src), n->ts, n->error ? "!!" : "--", e,
	    UI_FG_THEME);
	emit_body(out, &first, g, &bd);
	ui_buf_free(&bd.b);
}

/* "───── label ─────" across the pane. */
void
pane_rule_line(struct pane_lines *out, int width, const char *label,
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

void
pane_day_line(struct pane_lines *out, int width, int64_t ts)
{
	struct tm tm;
	char a[64], b[64], label[160];
	pane_local_tm(ts, &tm);
	strftime(a, sizeof a, "%A", &tm);
	strftime(b, sizeof b, "%B %Y", &tm);
	snprintf(label, sizeof label, "%s %d %s", a, tm.tm_mday, b);
	pane_rule_line(out, width, label, TH_DAY);
}
