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

#define LOAD_PAGE 1024

/* ---- the transform log --------------------------------------------------- */

static void
logent_clear(struct logent *e)
{
	ot_free(&e->op);
	g_free(e->user);
	g_free(e->cid);
}

struct logent *
docs_log_at(struct sdoc *d, int64_t rev)
{
	int64_t first = d->head - (int64_t)d->nlog + 1;
	if (rev < first || rev > d->head)
		return NULL;
	return &d->log[(d->start + (size_t)(rev - first)) % d->cap];
}

/* Appends e (taking what it owns) as revision d->head, which the caller has
 * just advanced; the oldest entry goes when the log is full. */
void
docs_log_push(struct server *srv, struct sdoc *d, struct logent *e)
{
	if (d->nlog > 0 && d->nlog >= srv->cfg.doc_log) {
		logent_clear(&d->log[d->start]);
		d->start = (d->start + 1) % d->cap;
		d->nlog--;
	}
	if (d->nlog == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		if (cap > srv->cfg.doc_log)
			cap = srv->cfg.doc_log > d->nlog ? srv->cfg.doc_log : d->nlog + 1;
		struct logent *v = g_new(struct logent, cap);
		for (size_t i = 0; i < d->nlog; i++)
			v[i] = d->log[(d->start + i) % d->cap];
		g_free(d->log);
		d->log = v;
		d->cap = cap;
		d->start = 0;
	}
	d->log[(d->start + d->nlog) % d->cap] = *e;
	d->nlog++;
}

/* Forgets the revisions after upto (a rolled-back transaction's). */
static void
log_truncate(struct sdoc *d, int64_t upto)
{
	while (d->head > upto) {
		if (d->nlog > 0) {
			logent_clear(&d->log[(d->start + d->nlog - 1) % d->cap]);
			d->nlog--;
		}
		d->head--;
	}
}

/* ---- loading ------------------------------------------------------------- */

/*
 * Reads the stored revisions (from, to] in order: applies those after
 * apply_after to text and, when d is given, logs those among the newest
 * --doc-log, advancing d->head with them.
 */
static int
replay(struct server *srv, int64_t id, struct doc *text, int64_t from,
    int64_t to, int64_t apply_after, struct sdoc *d)
{
	struct store *st = srv->store;
	int64_t keep_after = to - (int64_t)srv->cfg.doc_log;
	while (from < to) {
		struct store_doc_ops ops;
		if (st->ops->doc_ops_range(st, id, from, to, LOAD_PAGE, &ops) != 0) {
			hub_store_error(srv);
			return -1;
		}
		int rc = ops.n == 0 ? -1 : 0;
		for (size_t i = 0; i < ops.n && rc == 0; i++) {
			struct store_doc_op *o = &ops.v[i];
			struct ot_op op = OT_OP_INIT;
			char why[128];
			if (o->rev != from + 1 || ot_decode(o->op, strlen(o->op), &op, why,
			    sizeof why) != OT_OK ||
			    (o->rev > apply_after && ot_apply_doc(text, &op) != OT_OK)) {
				ot_free(&op);
				rc = -1;
				break;
			}
			from = o->rev;
			if (d != NULL)
				d->head = o->rev;
			if (d != NULL && o->rev > keep_after) {
				struct logent e = {op, g_strdup(o->user), g_strdup(o->cid), o->ts};
				docs_log_push(srv, d, &e);
			} else {
				ot_free(&op);
			}
		}
		store_doc_ops_free(&ops);
		if (rc != 0) {
			lwsl_err("document %lld: revision %lld is missing or unreadable\n",
			    (long long)id, (long long)from + 1);
			return -1;
		}
	}
	return 0;
}

/* The text at rev with the snapshot it starts from; NULL on failure. */
static struct doc *
snapshot_doc(struct server *srv, int64_t id, int64_t rev, int64_t *snap)
{
	struct store *st = srv->store;
	char *text;
	if (st->ops->doc_snapshot_at_or_before(st, id, rev, snap, &text) != 0) {
		hub_store_error(srv);
		return NULL;
	}
	struct doc *t = doc_new_from(text, strlen(text));
	free(text);
	if (t == NULL)
		lwsl_err("document %lld: snapshot %lld is unreadable\n", (long long)id,
		    (long long)*snap);
	return t;
}

struct doc *
docs_text_at(struct server *srv, int64_t doc_id, int64_t rev)
{
	int64_t snap;
	struct doc *t = snapshot_doc(srv, doc_id, rev, &snap);
	if (t != NULL && replay(srv, doc_id, t, snap, rev, snap, NULL) != 0) {
		doc_free(t);
		t = NULL;
	}
	return t;
}

static void
sdoc_free(void *p)
{
	struct sdoc *d = p;
	while (d->nlog > 0) {
		logent_clear(&d->log[(d->start + d->nlog - 1) % d->cap]);
		d->nlog--;
	}
	g_free(d->log);
	doc_free(d->text);
	textsnap_unref(d->snap);
	for (guint i = 0; i < d->viewers->len; i++)
		g_free(g_array_index(d->viewers, struct viewer, i).open_cid);
	g_array_free(d->viewers, TRUE);
	g_free(d->key);
	g_free(d->name);
	g_free(d);
}

/* Text and log at the stored head (d->id set); -1 on failure. */
static int
sdoc_fill(struct server *srv, struct sdoc *d, int64_t head)
{
	int64_t snap;
	d->text = snapshot_doc(srv, d->id, head, &snap);
	if (d->text == NULL)
		return -1;
	int64_t from = head - (int64_t)srv->cfg.doc_log;
	if (from < 0)
		from = 0;
	if (snap < from)
		from = snap;
	d->head = from;
	if (replay(srv, d->id, d->text, from, head, snap, d) != 0)
		return -1;
	d->committed = head;
	return 0;
}

static struct sdoc *
sdoc_load(struct server *srv, struct room *r, const char *name, const char *key)
{
	struct store *st = srv->store;
	int64_t id, head;
	if (st->ops->doc_ensure(st, r->id, name, now_ms(), &id, &head) != 0) {
		hub_store_error(srv);
		return NULL;
	}
	struct sdoc *d = g_new0(struct sdoc, 1);
	d->key = g_strdup(key);
	d->room = r;
	d->name = g_strdup(name);
	d->id = id;
	d->viewers = g_array_new(FALSE, FALSE, sizeof(struct viewer));
	if (sdoc_fill(srv, d, head) != 0) {
		sdoc_free(d);
		return NULL;
	}
	g_hash_table_insert(srv->docs, d->key, d);
	return d;
}

void
docs_maybe_unload(struct server *srv, struct sdoc *d)
{
	if (d->viewers->len == 0 && d->refs == 0)
		g_hash_table_remove(srv->docs, d->key);
}

/* Back to the committed revision after a rollback, or after one that
 * could not reload it. */
static void
sdoc_reload(struct server *srv, struct sdoc *d)
{
	log_truncate(d, d->committed);
	doc_free(d->text);
	d->text = docs_text_at(srv, d->id, d->committed);
	d->broken = d->text == NULL;
	if (d->broken) {
		d->text = doc_new();
		lwsl_err("document %s: cannot reload it\n", d->key);
	}
	size_t len = doc_length(d->text);
	for (guint i = 0; i < d->viewers->len; i++) {
		struct viewer *v = &g_array_index(d->viewers, struct viewer, i);
		v->sel.anchor = v->sel.anchor < len ? v->sel.anchor : len;
		v->sel.head = v->sel.head < len ? v->sel.head : len;
	}
}

void
docs_rollback(struct server *srv)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, srv->docs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct sdoc *d = v;
		if (d->head > d->committed)
			sdoc_reload(srv, d);
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
	if (!with_text) {
		session_send_frame(s, &f);
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
	g_free(cur);
}

static void
send_op_frame(struct session *s, struct sdoc *d, int64_t rev)
{
	struct logent *e = docs_log_at(d, rev);
	cJSON *op = ot_encode_json(&e->op);
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
	if (d == NULL)
		d = sdoc_load(srv, sub->room, q->f->doc, key);
	else if (d->broken)
		sdoc_reload(srv, d);
	g_free(key);
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
	v->has_sel = f->has_sel;
	v->sel = f->has_sel ? move_sel(d, sel, d->committed, d->head)
	    : (struct ot_selection){0, 0};
	broadcast_cursor(d, q->s, f->has_sel, sel);
}

/* ---- life cycle ---------------------------------------------------------- */

void
docs_init(struct server *srv)
{
	srv->docs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, sdoc_free);
}

void
docs_destroy(struct server *srv)
{
	g_hash_table_destroy(srv->docs);
	srv->docs = NULL;
}
