/*
 * docs: the shared documents of confabd's rooms, the state side. Loads a
 * document when a session opens it (text from the newest snapshot plus the
 * operations after it, the transform log from the newest --doc-log
 * operations), keeps its viewers and their cursors, answers DOC_OPEN,
 * DOC_CLOSE and CURSOR, and unloads it when nobody needs it any more.
 * docs.h describes the in-memory model; docs_op.c has the operation path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/docs.h"
#include "server/abuse.h"

#define LOAD_PAGE 1024

void
docs_maybe_unload(struct server *srv, struct sdoc *d)
{
	if (d->viewers->len > 0 || d->refs > 0)
		return;
	/* out of the table now; its log (maybe a gigabyte of operations
	 * under a generous --doc-log-bytes) is freed by a job, in steps */
	g_hash_table_steal(srv->docs, d->key);
	docs_free_later(srv, d);
}

/* A failed commit: each document goes back to its committed revision by
 * the inverses of what came after; one that cannot is reloaded by its next
 * DOC_OPEN. This runs before the pending operations fail (batch.c), while
 * they still hold their documents. */
static void
docs_rollback(struct server *srv)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, srv->docs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct sdoc *d = v;
		if (d->head <= d->committed || d->loading != NULL)
			continue;
		docs_suggest_rollback(d);
		if (!docs_log_undo(d)) {
			lwsl_err("document %s: cannot undo to revision %lld\n", d->key,
			    (long long)d->committed);
			docs_log_clear(d);
			d->head = d->committed;
			d->broken = true;
		}
		size_t len = doc_length(d->text);
		for (guint i = 0; i < d->viewers->len; i++) {
			struct viewer *w = &g_array_index(d->viewers, struct viewer, i);
			w->sel.anchor = w->sel.anchor < len ? w->sel.anchor : len;
			w->sel.head = w->sel.head < len ? w->sel.head : len;
		}
	}
}

/* ---- viewers ------------------------------------------------------------- */

struct viewer *
docs_viewer(struct sdoc *d, const struct session *s)
{
	for (guint i = 0; i < d->viewers->len; i++) {
		struct viewer *v = &g_array_index(d->viewers, struct viewer, i);
		if (v->s == s)
			return v;
	}
	return NULL;
}

void
docs_broadcast(struct sdoc *d, const struct proto_frame *f,
    const struct session *except)
{
	char *json = proto_encode(f, PROTO_TO_CLIENT);
	struct outbuf *b = json ? outbuf_new(json, strlen(json)) : NULL;
	free(json);
	if (b == NULL)
		return;
	for (guint i = 0; i < d->viewers->len; i++) {
		struct viewer *v = &g_array_index(d->viewers, struct viewer, i);
		/* a viewer still replaying reads this revision from the log */
		if (v->s != except && v->replay_next == 0)
			session_send(v->s, b);
	}
	outbuf_unref(b);
}

static void
broadcast_cursor(struct sdoc *d, struct session *s, bool has_sel,
    struct ot_selection sel)
{
	struct proto_frame c = proto_frame_of(PT_CURSOR);
	c.room = d->room->name;
	c.doc = d->name;
	c.rev = d->committed;
	c.has_rev = true;
	c.user = s->user->name;
	c.session = s->sid;
	c.has_sel = has_sel;
	c.sel[0] = (int64_t)sel.anchor;
	c.sel[1] = (int64_t)sel.head;
	docs_broadcast(d, &c, s);
}

/* s stops viewing d; the others see its cursor go. */
static bool
drop_viewer(struct sdoc *d, struct session *s)
{
	for (guint i = 0; i < d->viewers->len; i++) {
		struct viewer *v = &g_array_index(d->viewers, struct viewer, i);
		if (v->s != s)
			continue;
		bool had_sel = v->has_sel;
		if (v->replay_next > 0)
			s->doc_replays--;
		g_free(v->open_cid);
		g_array_remove_index_fast(d->viewers, i);
		docs_where_drop(s, d);
		if (had_sel)
			broadcast_cursor(d, s, false, (struct ot_selection){0, 0});
		return true;
	}
	return false;
}

/* Drops s from every document of room (every document when room is NULL). */
static void
drop_session(struct server *srv, struct session *s, const char *room)
{
	GPtrArray *idle = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, srv->docs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct sdoc *d = v;
		if ((room == NULL || strcmp(d->room->name, room) == 0) &&
		    drop_viewer(d, s))
			g_ptr_array_add(idle, d);
	}
	for (guint i = 0; i < idle->len; i++)
		docs_maybe_unload(srv, g_ptr_array_index(idle, i));
	g_ptr_array_free(idle, TRUE);
}

void
docs_session_left(struct server *srv, struct session *s, const char *room)
{
	drop_session(srv, s, room);
}

void
docs_session_closed(struct server *srv, struct session *s)
{
	drop_session(srv, s, NULL);
}

static char *
key_of(const struct proto_frame *f)
{
	return g_strdup_printf("%s/%s", f->room, f->doc);
}

struct sdoc *
docs_open_for(const struct req *q)
{
	if (hub_joined(q) == NULL)
		return NULL;
	char *key = key_of(q->f);
	struct sdoc *d = g_hash_table_lookup(q->srv->docs, key);
	g_free(key);
	if (d == NULL || docs_viewer(d, q->s) == NULL) {
		char reason[96];
		snprintf(reason, sizeof reason, "open %s first (DOC_OPEN)", q->f->doc);
		hub_req_error(q, PE_NOT_OPEN, reason);
		return NULL;
	}
	if (d->loading != NULL) {
		job_wait(d->loading, q); /* reloading after a failed commit */
		return NULL;
	}
	if (d->broken) {
		hub_req_error(q, PE_INTERNAL, "the document is unavailable: open it again");
		return NULL;
	}
	return d;
}

/* ---- DOC_OPEN, DOC_CLOSE, CURSOR ----------------------------------------- */

/* DOC_STATE for s at the committed revision, the text streamed when asked
 * for (a copy shared by every open at that revision). */
static void
send_state(struct session *s, struct sdoc *d, const char *cid, bool with_text)
{
	struct proto_cursor *cur = g_new0(struct proto_cursor, d->viewers->len + 1);
	size_t n = 0;
	for (guint i = 0; i < d->viewers->len; i++) {
		struct viewer *v = &g_array_index(d->viewers, struct viewer, i);
		if (v->s == s)
			continue;
		cur[n++] = (struct proto_cursor){v->s->user->name, v->s->sid, v->has_sel,
		    {(int64_t)v->sel.anchor, (int64_t)v->sel.head}};
	}
	struct proto_frame f = proto_frame_of(PT_DOC_STATE);
	f.room = d->room->name;
	f.doc = d->name;
	f.rev = d->committed;
	f.has_rev = true;
	f.cid = cid;
	f.cursors = cur;
	f.ncursors = n;
	docs_comments_state(d, &f);
	docs_suggest_fill(s->srv, d, s, &f);
	if (!with_text) {
		session_send_frame(s, &f);
		docs_comments_state_free(&f);
		docs_suggest_fill_free(&f);
		g_free(cur);
		return;
	}
	if (d->snap == NULL || d->snap->rev != d->committed) {
		size_t len;
		char *text = doc_text(d->text, &len);
		textsnap_unref(d->snap);
		d->snap = text ? textsnap_new(text, len, d->committed) : NULL;
	}
	struct ostream *o = d->snap ? stream_text(&f, d->snap) : NULL;
	if (o == NULL)
		session_send_error(s, PE_INTERNAL, cid, "DOC_OPEN", "out of memory");
	else
		session_send_stream(s, o);
	docs_comments_state_free(&f);
	docs_suggest_fill_free(&f);
	g_free(cur);
}

static void
send_op_frame(struct session *s, struct sdoc *d, int64_t rev)
{
	struct logent *e = docs_log_at(d, rev);
	char *text = ot_encode(&e->op);
	cJSON *op = text ? cJSON_CreateRaw(text) : NULL;
	free(text);
	struct proto_frame f = proto_frame_of(PT_DOC_OP);
	f.room = d->room->name;
	f.doc = d->name;
	f.rev = rev;
	f.has_rev = true;
	f.op = op;
	f.user = e->user;
	f.cid = e->cid;
	f.ts = e->ts;
	f.has_ts = true;
	if (op != NULL)
		session_send_frame(s, &f);
	cJSON_Delete(op);
}

/* Sends v's logged revisions while the queue has room; at the committed
 * head, the DOC_STATE that ends the replay. False while it goes on. */
static bool
replay_viewer(struct server *srv, struct sdoc *d, struct viewer *v,
    bool *deferred)
{
	struct session *s = v->s;
	while (v->replay_next <= d->committed) {
		if (s->dead || s->out_bytes >= SESSION_LOW_WATER(srv))
			return false;
		if (!hub_work_left(srv)) {
			*deferred = true;
			return false;
		}
		if (docs_log_at(d, v->replay_next) == NULL) {
			/* the log moved on past it meanwhile */
			session_send_error(s, PE_REV_TOO_OLD, v->open_cid, "DOC_OPEN",
			    "the revisions to replay are no longer kept: open again");
			return true;
		}
		send_op_frame(s, d, v->replay_next++);
	}
	if (d->head != d->committed) {
		/* cursors are kept at the head: wait for the commit */
		*deferred = true;
		return false;
	}
	v->replay_next = 0;
	send_state(s, d, v->open_cid, false);
	return true;
}

unsigned
docs_replaying(struct server *srv, struct session *s, bool *deferred)
{
	if (s->doc_replays == 0)
		return 0;
	GPtrArray *gone = g_ptr_array_new();
	GHashTableIter it;
	gpointer val;
	g_hash_table_iter_init(&it, srv->docs);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		struct sdoc *d = val;
		struct viewer *v = docs_viewer(d, s);
		if (v == NULL || v->replay_next == 0 || !replay_viewer(srv, d, v, deferred))
			continue;
		s->doc_replays--;
		if (v->replay_next > 0) {
			v->replay_next = 0; /* failed: it is no viewer any more */
			g_ptr_array_add(gone, d);
		}
		g_free(v->open_cid);
		v->open_cid = NULL;
	}
	for (guint i = 0; i < gone->len; i++) {
		struct sdoc *d = g_ptr_array_index(gone, i);
		drop_viewer(d, s);
		docs_maybe_unload(srv, d);
	}
	g_ptr_array_free(gone, TRUE);
	return s->doc_replays;
}

/* Checks a revision a client holds: not newer than the head, not older
 * than the log reaches back. */
static bool
rev_usable(const struct req *q, struct sdoc *d, int64_t rev)
{
	char reason[128];
	if (rev > d->committed) {
		snprintf(reason, sizeof reason, "revision %lld does not exist (head %lld)",
		    (long long)rev, (long long)d->committed);
		hub_req_error(q, PE_BAD_REV, reason);
		return false;
	}
	if (rev < d->head - (int64_t)d->nlog) {
		snprintf(reason, sizeof reason, "revision %lld is older than the %zu kept",
		    (long long)rev, d->nlog);
		hub_req_error(q, PE_REV_TOO_OLD, reason);
		return false;
	}
	return true;
}

void
docs_handle_open(const struct req *q)
{
	struct server *srv = q->srv;
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	char *key = key_of(q->f);
	struct sdoc *d = g_hash_table_lookup(srv->docs, key);
	/* What a client is shown must be durable: commit the turn's writes
	 * first (also the creation of the document, made outside them). */
	if (srv->store->in_txn && (d == NULL || d->head > d->committed))
		hub_flush(srv);
	d = g_hash_table_lookup(srv->docs, key);
	bool creating = false;
	if (d == NULL && !abuse_may_create_doc(q, sub->room, q->f->doc, &creating)) {
		g_free(key);
		return;
	}
	if (d == NULL) {
		d = docs_load(srv, sub->room, q->f->doc, key);
		if (d != NULL && creating)
			abuse_doc_created(q, d->id);
	} else if (d->broken && d->loading == NULL)
		docs_reload(srv, d);
	g_free(key);
	if (d != NULL && d->loading != NULL) {
		job_wait(d->loading, q); /* run again once it is loaded */
		return;
	}
	if (d == NULL || d->broken) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		if (d != NULL)
			docs_maybe_unload(srv, d);
		return;
	}
	if (q->f->has_since && !rev_usable(q, d, q->f->since)) {
		docs_maybe_unload(srv, d);
		return;
	}
	struct viewer *v = docs_viewer(d, q->s);
	if (v == NULL) {
		struct viewer nv = {q->s, false, {0, 0}, 0, NULL};
		g_array_append_val(d->viewers, nv);
		v = &g_array_index(d->viewers, struct viewer, d->viewers->len - 1);
	}
	docs_where_touch(q->s, d);
	if (!q->f->has_since) {
		if (v->replay_next > 0) {
			q->s->doc_replays--;
			v->replay_next = 0;
		}
		send_state(q->s, d, q->f->cid, true);
		return;
	}
	/* the revisions since are sent as the socket drains, then the state */
	if (v->replay_next == 0)
		q->s->doc_replays++;
	v->replay_next = q->f->since + 1;
	g_free(v->open_cid);
	v->open_cid = g_strdup(q->f->cid);
	hub_session_drained(srv, q->s);
}

void
docs_handle_close(const struct req *q)
{
	struct sdoc *d = docs_open_for(q);
	if (d == NULL)
		return;
	drop_viewer(d, q->s);
	if (q->f->cid != NULL) {
		struct proto_frame a = proto_frame_of(PT_ACK);
		a.cid = q->f->cid;
		a.room = q->f->room;
		a.doc = q->f->doc;
		session_send_frame(q->s, &a);
	}
	docs_maybe_unload(q->srv, d);
}

/* Moves sel through the logged revisions (from, to]. */
static struct ot_selection
move_sel(struct sdoc *d, struct ot_selection sel, int64_t from, int64_t to)
{
	for (int64_t rev = from + 1; rev <= to; rev++)
		sel = ot_transform_selection(&docs_log_at(d, rev)->op, sel, false);
	return sel;
}

void
docs_handle_cursor(const struct req *q)
{
	const struct proto_frame *f = q->f;
	struct sdoc *d = docs_open_for(q);
	if (d == NULL || !rev_usable(q, d, f->rev))
		return;
	struct ot_selection sel = {(size_t)f->sel[0], (size_t)f->sel[1]};
	if (f->has_sel && !docs_log_cheap(d, f->rev, d->head, 1)) {
		hub_req_error(q, PE_REV_TOO_OLD, "the cursor is too far behind the "
		    "document: send it at a newer revision");
		return;
	}
	if (f->has_sel) {
		size_t len = f->rev == d->head ? doc_length(d->text)
		    : docs_log_at(d, f->rev + 1)->op.base_len;
		if (sel.anchor > len || sel.head > len) {
			hub_req_error(q, PE_BAD_FIELD, "sel is past the end of the document");
			return;
		}
		sel = move_sel(d, sel, f->rev, d->committed);
	}
	struct viewer *v = docs_viewer(d, q->s);
	docs_where_touch(q->s, d);
	v->has_sel = f->has_sel;
	v->sel = f->has_sel ? move_sel(d, sel, d->committed, d->head)
	    : (struct ot_selection){0, 0};
	broadcast_cursor(d, q->s, f->has_sel, sel);
}

/* ---- life cycle ---------------------------------------------------------- */

void
docs_init(struct server *srv)
{
	static const struct batch_watch watch = {NULL, docs_rollback};
	srv->docs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, sdoc_free);
	hub_batch_watch(srv, &watch);
}

void
docs_destroy(struct server *srv)
{
	g_hash_table_destroy(srv->docs);
	srv->docs = NULL;
}
