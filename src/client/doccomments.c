/*
 * doccomments: the comments of the open document (docs/protocol.md,
 * "Comments") in the client: what DOC_STATE and the COMMENT events say,
 * /comment, /reply, /resolve, /reopen, /editcomment and /uncomment, and
 * Alt-c / Alt-C from one to the next. doccomview.c shows them: the
 * thread (Enter right after Alt-c; elsewhere Enter is a newline, in
 * commented text too), the list of them all (/comments), the spans the
 * pane underlines them with.
 *
 * Ranges are kept at the server's revision (otclient_rev), as the server
 * sent them, and moved with model/anchor.h through every revision the
 * client learns of: another's DOC_OP (the server's op, before the OT
 * client transforms it) and the ACK of mine (the op in flight, which is
 * at the server's revision just before it). To be shown they are moved on
 * through what the local text has beyond the server's, the op in flight
 * and the buffer, so they sit on the text as I see it while my edits
 * travel. A comment is made on a range of the local text: sent at the
 * server's revision, moved back through what is pending (the server then
 * moves it on through my edits when they come, as through anyone's).
 *
 * Resolved comments are not underlined (as in Google Docs) and Alt-c
 * skips them; /comments lists them too, and Enter there opens the thread
 * (where /reopen works). A comment whose text was deleted is "text
 * removed": it stays, at the point where its text was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/doccomments_impl.h"
#include "model/utf8.h"
#include "model/xmalloc.h"
#include "net/outbox.h"

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

void
dcm_rows_free(struct doccomments *cm)
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
	dcm_rows_free(cm);
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

struct dcomment *
dcm_find(struct doccomments *cm, long long id)
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
	struct dcomment *c = dcm_find(cm, p->id);
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

struct anchor
dcm_local(const struct docs *d, const struct dcomment *c)
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
	struct dcomment *c = dcm_find(cm, id);
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
			if (cm->n == 0) /* nothing held that is at another revision */
				cm->rev = otclient_rev(d->ot);
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

/* An op of the shape that takes op's result back to its base: what op
 * inserted is deleted, what it deleted comes back (as placeholders: an
 * anchor moves by lengths and places only). */
static void
shape_inverse(const struct ot_op *op, struct ot_op *out)
{
	ot_init(out);
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->kind == OT_RETAIN) {
			ot_retain(out, c->n);
		} else if (c->kind == OT_INSERT) {
			ot_delete(out, c->n);
		} else {
			char *x = xmalloc(c->n);
			memset(x, 'x', c->n);
			ot_insert(out, x, c->n);
			free(x);
		}
	}
}

/* A range of the local text at the server's revision: moved back through
 * the buffer, then the op in flight. Text only they inserted is not in
 * it (the server moves it on through them, as through any edit). */
static struct anchor
to_server(const struct docs *d, struct anchor a)
{
	const struct ot_op *pend[2] = {otclient_buffer(d->ot),
	    otclient_inflight(d->ot)};
	for (int i = 0; i < 2; i++) {
		if (pend[i] == NULL)
			continue;
		struct ot_op inv;
		shape_inverse(pend[i], &inv);
		a = anchor_transform(&inv, a);
		ot_free(&inv);
	}
	a.removed = false; /* a new comment: on what is left, or a point */
	return a;
}

void
doccomments_comment(struct docs *d, const char *text)
{
	if (!ready(d, "comment"))
		return;
	struct ot_selection sel = otclient_selection(d->ot);
	size_t start = sel.anchor < sel.head ? sel.anchor : sel.head;
	size_t end = sel.anchor < sel.head ? sel.head : sel.anchor;
	if (start == end && !word_at(d, d->view.cursor, &start, &end)) {
		port_note(d->port, true, "/comment: select some text, or put the cursor "
		    "on a word");
		return;
	}
	struct anchor a = to_server(d, (struct anchor){start, end, false});
	struct proto_frame f = request(d, PT_COMMENT);
	f.rev = (int64_t)otclient_rev(d->ot);
	f.has_rev = true;
	f.range[0] = (int64_t)a.start;
	f.range[1] = (int64_t)a.end;
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
	struct dcomment *c = dcm_find(d->comments, d->comments ? d->comments->current : 0);
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
doccomments_edit(struct docs *d, const char *text)
{
	struct dcomment *c = current(d, "editcomment");
	if (c == NULL)
		return;
	if (strcmp(c->user, d->user) != 0) {
		port_note(d->port, true, "/editcomment: only %s edits their comment",
		    c->user);
		return;
	}
	struct proto_frame f = request(d, PT_COMMENT_EDIT);
	f.comment_id = c->id;
	f.has_comment_id = true;
	f.text = text;
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
void
dcm_follow_cursor(struct docs *d, struct doccomments *cm)
{
	if (cm->thread)
		return;
	size_t cur = d->view.cursor;
	if (cm->jumped && cur != cm->jump_at)
		cm->jumped = false;
	struct dcomment *c = dcm_find(cm, cm->current);
	if (c != NULL && covers(dcm_local(d, c), cur))
		return;
	cm->current = 0;
	for (size_t i = 0; i < cm->n && cm->current == 0; i++) {
		struct anchor a = dcm_local(d, &cm->v[i]);
		if (cm->v[i].resolved_by == NULL && covers(a, cur) && cur < a.end)
			cm->current = cm->v[i].id;
	}
}

void
dcm_go(struct docs *d, int dir)
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
		size_t s = dcm_local(d, c).start;
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
	cm->thread = false;
	dcm_go_to(d, best);
}

void
dcm_go_to(struct docs *d, struct dcomment *c)
{
	struct doccomments *cm = d->comments;
	size_t at = dcm_local(d, c).start;
	cm->current = c->id;
	otclient_set_selection(d->ot, (struct ot_selection){at, at});
	d->view.cursor = otclient_selection(d->ot).head;
	cm->jumped = true;
	cm->jump_at = d->view.cursor;
	d->view.goal = -1;
	otclient_undo_boundary(d->ot);
	docs_cursor_moved(d);
}

