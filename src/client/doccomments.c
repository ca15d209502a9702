/*
 * doccomments: the comments of the open document (docs/protocol.md,
 * "Comments") in the client: what DOC_STATE and the COMMENT events say,
 * /comment, /reply, /resolve, /reopen and /uncomment, Alt-c / Alt-C to go
 * from one to the next, Enter right after for its thread (a list in place
 * of the messages; elsewhere Enter is a newline, in commented text too),
 * and the spans the pane underlines them with.
 *
 * Ranges are kept at the server's revision (otclient_rev), as the server
 * sent them, and moved with model/anchor.h through every revision the
 * client learns of: another's DOC_OP (the server's op, before the OT
 * client transforms it) and the ACK of mine (the op in flight, which is
 * at the server's revision just before it). To be shown they are moved on
 * through what the local text has beyond the server's, the op in flight
 * and the buffer, so they sit on the text as I see it while my edits
 * travel. A comment is made on a range of the local text, which is the
 * server's only when no edit of mine is pending; /comment waits for that.
 *
 * Resolved comments are not underlined (as in Google Docs) and Alt-c
 * skips them; their thread still opens with Enter while current. A
 * comment whose text was deleted is "text removed": it stays in the list
 * at the point where its text was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/docs.h"
#include "model/anchor.h"
#include "model/utf8.h"
#include "model/xmalloc.h"
#include "net/outbox.h"

#define ROWS_MAX 256 /* rows of the thread's list */

struct dreply {
	long long id;
	char *user, *text;
	int64_t ts;
};

struct dcomment {
	long long id;
	char *user, *text, *resolved_by;
	int64_t ts, edited_ts;
	struct anchor a;            /* at the server revision cm->rev */
	struct dreply *replies;
	size_t nreplies;
};

struct doccomments {
	struct dcomment *v;
	size_t n, cap;
	size_t rev;                 /* the server revision the ranges are at */
	long long current;          /* the comment under the cursor, 0: none */
	bool jumped;                /* gone to with Alt-c, the cursor still at */
	size_t jump_at;             /* where it went: there Enter opens it */
	bool thread;                /* its thread is shown */
	bool was_full;              /* the pane was full before the thread */
	char cid[17];               /* the last request, for its ERROR */
	struct ui_doc_span *spans;
	size_t nspans;
	char status[480];
	struct ui_list list;
	struct ui_list_row rows[ROWS_MAX];
	char *rowtext[ROWS_MAX];
	size_t nrows;
	char title[240];
};

/* ---- the list ------------------------------------------------------------- */

static void
comment_clear(struct dcomment *c)
{
	free(c->user);
	free(c->text);
	free(c->resolved_by);
	for (size_t i = 0; i < c->nreplies; i++) {
		free(c->replies[i].user);
		free(c->replies[i].text);
	}
	free(c->replies);
	memset(c, 0, sizeof *c);
}

static void
rows_free(struct doccomments *cm)
{
	for (size_t i = 0; i < cm->nrows; i++)
		free(cm->rowtext[i]);
	cm->nrows = 0;
}

static void
clear_all(struct doccomments *cm)
{
	for (size_t i = 0; i < cm->n; i++)
		comment_clear(&cm->v[i]);
	cm->n = 0;
}

void
doccomments_free(struct docs *d)
{
	struct doccomments *cm = d->comments;
	if (cm == NULL)
		return;
	clear_all(cm);
	rows_free(cm);
	free(cm->v);
	free(cm->spans);
	free(cm);
	d->comments = NULL;
}

static struct doccomments *
of(struct docs *d)
{
	if (d->comments == NULL)
		d->comments = xcalloc(1, sizeof *d->comments);
	return d->comments;
}

static struct dcomment *
find(struct doccomments *cm, long long id)
{
	for (size_t i = 0; cm != NULL && i < cm->n; i++)
		if (cm->v[i].id == id)
			return &cm->v[i];
	return NULL;
}

/* The comment as the server sent it, at revision rev of the server. */
static void
put(struct doccomments *cm, const struct proto_comment *p, size_t len)
{
	struct dcomment *c = find(cm, p->id);
	if (c == NULL) {
		xgrow(&cm->v, &cm->cap, cm->n + 1, sizeof *cm->v);
		c = &cm->v[cm->n++];
	} else {
		comment_clear(c);
	}
	c->id = p->id;
	c->user = xstrdup(p->user);
	c->text = xstrdup(p->text);
	c->resolved_by = p->resolved ? xstrdup(p->resolved_by ? p->resolved_by : "?")
	    : NULL;
	c->ts = p->ts;
	c->edited_ts = p->edited_ts;
	c->a = (struct anchor){(size_t)p->range[0], (size_t)p->range[1], p->removed};
	if (!anchor_fits(c->a, len)) { /* a revision this client does not hold */
		c->a.end = c->a.end < len ? c->a.end : len;
		c->a.start = c->a.start < c->a.end ? c->a.start : c->a.end;
	}
	c->replies = xcalloc(p->nreplies + 1, sizeof *c->replies);
	for (size_t i = 0; i < p->nreplies; i++)
		c->replies[i] = (struct dreply){p->replies[i].id,
		    xstrdup(p->replies[i].user), xstrdup(p->replies[i].text),
		    p->replies[i].ts};
	c->nreplies = p->nreplies;
}

/* The server's length at cm->rev: the local text less what is pending. */
static size_t
server_len(const struct docs *d)
{
	const struct ot_op *fl = otclient_inflight(d->ot);
	return fl ? fl->base_len : doc_length(otclient_doc(d->ot));
}

void
doccomments_state(struct docs *d, const struct proto_frame *f)
{
	struct doccomments *cm = of(d);
	clear_all(cm);
	cm->rev = (size_t)f->rev;
	size_t len = d->ot ? server_len(d) : 0;
	for (size_t i = 0; i < f->ncomments; i++)
		put(cm, &f->comments[i], len);
}

void
doccomments_server_op(struct docs *d, size_t rev, const struct ot_op *op)
{
	struct doccomments *cm = d->comments;
	if (cm == NULL || rev != cm->rev + 1)
		return;
	for (size_t i = 0; i < cm->n; i++)
		cm->v[i].a = anchor_transform(op, cm->v[i].a);
	cm->rev = rev;
}

/* The range as I see it: moved through what is pending. */
static struct anchor
local(const struct docs *d, const struct dcomment *c)
{
	struct anchor a = c->a;
	const struct ot_op *fl = otclient_inflight(d->ot);
	const struct ot_op *buf = otclient_buffer(d->ot);
	if (fl != NULL)
		a = anchor_transform(fl, a);
	if (buf != NULL)
		a = anchor_transform(buf, a);
	return a;
}

/* ---- frames --------------------------------------------------------------- */

static void
deleted(struct docs *d, long long id, const char *by)
{
	struct doccomments *cm = d->comments;
	struct dcomment *c = find(cm, id);
	if (c == NULL)
		return;
	if (by != NULL && strcmp(by, d->user) != 0)
		port_note(d->port, false, "%s deleted the comment \"%s\"", by, c->text);
	comment_clear(c);
	size_t i = (size_t)(c - cm->v);
	memmove(&cm->v[i], &cm->v[i + 1], (cm->n - i - 1) * sizeof *cm->v);
	cm->n--;
	if (cm->current == id) {
		cm->current = 0;
		cm->thread = false;
	}
}

bool
doccomments_frame(struct docs *d, const struct proto_frame *f)
{
	switch (f->type) {
	case PT_COMMENT:
		if (d->ot != NULL && f->ncomments == 1) {
			struct doccomments *cm = of(d);
			if ((size_t)f->rev != cm->rev)
				port_log(d->port, "doc %s: comment at rev %lld, ranges at %zu",
				    d->name, (long long)f->rev, cm->rev);
			put(cm, &f->comments[0], server_len(d));
			port_redraw(d->port);
		}
		return true;
	case PT_COMMENT_DELETE:
		deleted(d, f->comment_id, f->by);
		port_redraw(d->port);
		return true;
	case PT_ACK:
		return f->has_comment_id;
	case PT_ERROR:
		if (d->comments == NULL || f->cid == NULL ||
		    strcmp(f->cid, d->comments->cid) != 0)
			return false;
		port_note(d->port, true, "comment: %s", f->reason);
		return true;
	default:
		return false;
	}
}

/* ---- requests ------------------------------------------------------------- */

static struct proto_frame
request(struct docs *d, enum proto_type t)
{
	struct doccomments *cm = of(d);
	struct proto_frame f = docs_frame_of(d, t);
	outbox_new_cid(cm->cid);
	f.cid = cm->cid;
	return f;
}

static bool
ready(struct docs *d, const char *what)
{
	if (d->name == NULL || d->ro || d->ot == NULL) {
		port_note(d->port, true, "/%s: %s", what, d->name == NULL ?
		    "no document open (/doc NAME opens one)" : d->ro ?
		    "an old revision takes no comments (Esc returns to the live text)"
		    : "the document is still opening");
		return false;
	}
	if (!d->online) {
		port_note(d->port, true, "/%s: not connected", what);
		return false;
	}
	return true;
}

static bool
word_cp(uint32_t c)
{
	return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') ||
	    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The word the cursor is on (or just after): false when there is none. */
static bool
word_at(const struct docs *d, size_t cur, size_t *start, size_t *end)
{
	size_t len;
	char *text = doc_text(otclient_doc(d->ot), &len);
	size_t n = utf8_count(text, len);
	uint32_t *cps = xcalloc(n + 1, sizeof *cps);
	for (size_t i = 0, b = 0; i < n; i++)
		b += utf8_decode(text + b, len - b, &cps[i]);
	free(text);
	if (cur > n)
		cur = n;
	if ((cur == n || !word_cp(cps[cur])) && cur > 0 && word_cp(cps[cur - 1]))
		cur--;
	bool ok = cur < n && word_cp(cps[cur]);
	if (ok) {
		size_t a = cur, b = cur;
		while (a > 0 && word_cp(cps[a - 1]))
			a--;
		while (b < n && word_cp(cps[b]))
			b++;
		*start = a;
		*end = b;
	}
	free(cps);
	return ok;
}

void
doccomments_comment(struct docs *d, const char *text)
{
	if (!ready(d, "comment"))
		return;
	if (otclient_pending(d->ot) > 0) {
		port_note(d->port, true, "/comment: your edits are on their way to the "
		    "server; comment once the pane says synced");
		return;
	}
	struct ot_selection sel = otclient_selection(d->ot);
	size_t start = sel.anchor < sel.head ? sel.anchor : sel.head;
	size_t end = sel.anchor < sel.head ? sel.head : sel.anchor;
	if (start == end && !word_at(d, d->view.cursor, &start, &end)) {
		port_note(d->port, true, "/comment: select some text, or put the cursor "
		    "on a word");
		return;
	}
	struct proto_frame f = request(d, PT_COMMENT);
	f.rev = (int64_t)otclient_rev(d->ot);
	f.has_rev = true;
	f.range[0] = (int64_t)start;
	f.range[1] = (int64_t)end;
	f.has_range = true;
	f.text = text;
	docs_send_frame(d, &f);
}

/* The comment a reply, resolve or delete is about: the current one. */
static struct dcomment *
current(struct docs *d, const char *what)
{
	if (!ready(d, what))
		return NULL;
	struct dcomment *c = find(d->comments, d->comments ? d->comments->current : 0);
	if (c == NULL)
		port_note(d->port, true, "/%s: no comment here (Alt-c goes to the next "
		    "one)", what);
	return c;
}

void
doccomments_reply(struct docs *d, const char *text)
{
	struct dcomment *c = current(d, "reply");
	if (c == NULL)
		return;
	struct proto_frame f = request(d, PT_COMMENT_REPLY);
	f.comment_id = c->id;
	f.has_comment_id = true;
	f.text = text;
	docs_send_frame(d, &f);
}

void
doccomments_resolve(struct docs *d, bool resolved)
{
	struct dcomment *c = current(d, resolved ? "resolve" : "reopen");
	if (c == NULL)
		return;
	struct proto_frame f = request(d, PT_COMMENT_RESOLVE);
	f.comment_id = c->id;
	f.has_comment_id = true;
	f.resolved = resolved;
	docs_send_frame(d, &f);
}

void
doccomments_delete(struct docs *d)
{
	struct dcomment *c = current(d, "uncomment");
	if (c == NULL)
		return;
	struct proto_frame f = request(d, PT_COMMENT_DELETE);
	f.comment_id = c->id;
	f.has_comment_id = true;
	docs_send_frame(d, &f);
}

/* ---- moving between comments ---------------------------------------------- */

static bool
covers(struct anchor a, size_t cur)
{
	return a.start == a.end ? cur == a.start : cur >= a.start && cur <= a.end;
}

/* The comment under the cursor: the one gone to, while the cursor stays
 * on it, else the first open one there. */
static void
follow_cursor(struct docs *d, struct doccomments *cm)
{
	if (cm->thread)
		return;
	size_t cur = d->view.cursor;
	if (cm->jumped && cur != cm->jump_at)
		cm->jumped = false;
	struct dcomment *c = find(cm, cm->current);
	if (c != NULL && covers(local(d, c), cur))
		return;
	cm->current = 0;
	for (size_t i = 0; i < cm->n && cm->current == 0; i++) {
		struct anchor a = local(d, &cm->v[i]);
		if (cm->v[i].resolved_by == NULL && covers(a, cur) && cur < a.end)
			cm->current = cm->v[i].id;
	}
}

static void
go(struct docs *d, int dir)
{
	struct doccomments *cm = d->comments;
	if (d->name == NULL || d->ro || d->ot == NULL)
		return;
	size_t cur = d->view.cursor, best_at = 0;
	struct dcomment *best = NULL, *wrap = NULL;
	size_t wrap_at = 0;
	for (size_t i = 0; cm != NULL && i < cm->n; i++) {
		struct dcomment *c = &cm->v[i];
		if (c->resolved_by != NULL)
			continue;
		size_t s = local(d, c).start;
		bool after = dir > 0 ? s > cur : s < cur;
		if (after && (best == NULL || (dir > 0 ? s < best_at : s > best_at))) {
			best = c;
			best_at = s;
		}
		if (wrap == NULL || (dir > 0 ? s < wrap_at : s > wrap_at)) {
			wrap = c;
			wrap_at = s;
		}
	}
	if (best == NULL) {
		best = wrap;
		best_at = wrap_at;
	}
	if (best == NULL) {
		port_note(d->port, false, "no open comments in %s (/comment TEXT makes "
		    "one)", d->name);
		return;
	}
	cm->current = best->id;
	cm->thread = false;
	otclient_set_selection(d->ot, (struct ot_selection){best_at, best_at});
	d->view.cursor = otclient_selection(d->ot).head;
	cm->jumped = true;
	cm->jump_at = d->view.cursor;
	d->view.goal = -1;
	otclient_undo_boundary(d->ot);
	docs_cursor_moved(d);
}

/* ---- the thread ------------------------------------------------------------ */

static void
when(int64_t ts, char *buf, size_t len)
{
	time_t t = (time_t)(ts / 1000);
	struct tm tm;
	buf[0] = '\0';
	if (localtime_r(&t, &tm) != NULL)
		strftime(buf, len, "%d %b %H:%M", &tm);
}

static void
row(struct doccomments *cm, char *text)
{
	if (cm->nrows == ROWS_MAX) {
		free(text);
		return;
	}
	cm->rowtext[cm->nrows] = text;
	cm->rows[cm->nrows] = (struct ui_list_row){.text = text};
	cm->nrows++;
}

/* The quoted text a comment is on, one line, cut. */
static char *
quoted(const struct docs *d, struct anchor a)
{
	if (a.removed)
		return xstrdup("(text removed)");
	size_t len;
	char *text = doc_text(otclient_doc(d->ot), &len);
	size_t b0 = utf8_offset(text, len, a.start), b1 = utf8_offset(text, len, a.end);
	size_t n = b1 - b0 > 60 ? utf8_prefix(text + b0, b1 - b0, 57) : b1 - b0;
	char *q = xasprintf("\"%.*s%s\"", (int)n, text + b0, n < b1 - b0 ? "..." : "");
	for (char *p = q; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	free(text);
	return q;
}

const struct ui_list *
doccomments_list(struct docs *d)
{
	struct doccomments *cm = d->comments;
	if (cm == NULL || !cm->thread || d->name == NULL || d->ot == NULL || d->ro)
		return NULL;
	struct dcomment *c = find(cm, cm->current);
	if (c == NULL) {
		cm->thread = false;
		return NULL;
	}
	rows_free(cm);
	char t[32];
	char *q = quoted(d, local(d, c));
	snprintf(cm->title, sizeof cm->title, "comment on %s%s", q,
	    c->resolved_by ? " \xc2\xb7 resolved" : "");
	free(q);
	when(c->ts, t, sizeof t);
	row(cm, xasprintf("%s  %s%s: %s", t, c->user, c->edited_ts ? " (edited)" : "",
	    c->text));
	for (size_t i = 0; i < c->nreplies; i++) {
		when(c->replies[i].ts, t, sizeof t);
		row(cm, xasprintf("%s  %s: %s", t, c->replies[i].user,
		    c->replies[i].text));
	}
	if (c->resolved_by != NULL)
		row(cm, xasprintf("resolved by %s", c->resolved_by));
	cm->list = (struct ui_list){.title = cm->title, .rows = cm->rows,
	    .nrows = cm->nrows, .selected = cm->nrows - 1,
	    .keys = c->resolved_by ? "/reply TEXT or type and Enter \xc2\xb7 /reopen "
	    "\xc2\xb7 Esc closes" : "/reply TEXT or type and Enter \xc2\xb7 /resolve "
	    "\xc2\xb7 Esc closes"};
	return &cm->list;
}

bool
doccomments_thread_open(const struct docs *d)
{
	return d->comments != NULL && d->comments->thread;
}

bool
doccomments_key(struct docs *d, struct ui_intent *in)
{
	struct doccomments *cm = d->comments;
	if (d->name == NULL)
		return false;
	if (in->kind == UI_DOC_COMMENT) {
		go(d, in->n);
		return true;
	}
	if (cm == NULL)
		return false;
	if (cm->thread && in->kind == UI_ESCAPE) {
		cm->thread = false;
		d->focused = true;
		d->full = cm->was_full;
		return true;
	}
	if (!cm->thread && d->focused && !d->ro && in->kind == UI_SUBMIT &&
	    find(cm, cm->current) != NULL) {
		/* only right after Alt-c: elsewhere Enter is a newline, also in
		 * commented text */
		follow_cursor(d, cm);
		if (cm->current == 0 || !cm->jumped)
			return false;
		cm->thread = true;
		d->focused = false; /* the input line takes /reply and the text */
		cm->was_full = d->full;
		d->full = false;    /* the thread goes where the messages are */
		return true;
	}
	return false;
}

/* ---- what the pane shows ---------------------------------------------------- */

static int
by_start(const void *a, const void *b)
{
	const struct ui_doc_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

void
doccomments_view(struct docs *d, struct ui_doc *u)
{
	struct doccomments *cm = d->comments;
	if (cm == NULL || d->ro || d->ot == NULL || cm->n == 0) {
		if (cm != NULL)
			cm->current = cm->thread ? cm->current : 0;
		return;
	}
	follow_cursor(d, cm);
	cm->spans = xreallocarray(cm->spans, cm->n + 1, sizeof *cm->spans);
	cm->nspans = 0;
	size_t open = 0, at = 0;
	for (size_t i = 0; i < cm->n; i++) {
		struct dcomment *c = &cm->v[i];
		if (c->resolved_by != NULL)
			continue;
		open++;
		struct anchor a = local(d, c);
		if (c->id == cm->current)
			at = open;
		if (a.end > a.start)
			cm->spans[cm->nspans++] = (struct ui_doc_span){a.start, a.end,
			    c->id == cm->current ? UI_SPAN_COMMENT_CURRENT : UI_SPAN_COMMENT,
			    c->user};
	}
	qsort(cm->spans, cm->nspans, sizeof *cm->spans, by_start);
	u->spans = cm->spans;
	u->nspans = cm->nspans;
	struct dcomment *c = find(cm, cm->current);
	if (c == NULL)
		return;
	char idx[32] = "", replies[48] = "";
	if (at > 0)
		snprintf(idx, sizeof idx, " %zu/%zu", at, open);
	if (c->nreplies > 0)
		snprintf(replies, sizeof replies, " \xc2\xb7 %zu repl%s", c->nreplies,
		    c->nreplies == 1 ? "y" : "ies");
	snprintf(cm->status, sizeof cm->status, "comment%s \xc2\xb7 %s: %s%s%s%s",
	    idx, c->user, c->text, local(d, c).removed ? " \xc2\xb7 text removed" : "",
	    replies, cm->thread || !cm->jumped ? "" : " \xc2\xb7 Enter: thread");
	u->status = cm->status;
}
