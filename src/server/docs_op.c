/*
 * docs_op: the operation path of the shared documents, and the reads of
 * their history.
 *
 * DOC_OP: the op is validated (ot_decode_json), recognised when its
 * (user, cid) already produced a revision of the document, transformed
 * against every revision after the one it was made on (the server's
 * revision first: THE TIE RULE in ot.h), checked against the document,
 * then stored in the loop turn's transaction, applied to the text, logged
 * and queued on the server's pending list. hub_flush commits the
 * transaction and only then calls docs_pending_done, which ACKs the sender
 * and sends the op to the other viewers, in the order the revisions were
 * made. A snapshot of the text joins the same transaction every
 * DOCS_SNAPSHOT_EVERY revisions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/docs.h"

#define HISTORY_DEFAULT 50
#define HISTORY_MAX 200

static void
send_doc_ack(struct session *s, struct sdoc *d, const char *cid, int64_t rev)
{
	struct proto_frame a = proto_frame_of(PT_ACK);
	a.cid = cid;
	a.room = d->room->name;
	a.doc = d->name;
	a.rev = rev;
	a.has_rev = true;
	session_send_frame(s, &a);
}

static void
queue_pending(const struct req *q, struct sdoc *d, struct doc_pending *dp)
{
	dp->d = d;
	if (dp->user == NULL)
		dp->user = g_strdup(q->s->user->name);
	if (dp->cid == NULL)
		dp->cid = g_strdup(q->f->cid);
	d->refs++;
	struct pending p = {.session = q->s->id, .room = d->room, .docop = dp};
	g_array_append_val(q->srv->pending, p);
}

/* The same (user, cid) produced rev before: ACK it again, once committed. */
static void
ack_duplicate(const struct req *q, struct sdoc *d, int64_t rev)
{
	if (rev <= d->committed) {
		send_doc_ack(q->s, d, q->f->cid, rev);
		return;
	}
	struct doc_pending *dp = g_new0(struct doc_pending, 1);
	dp->rev = rev;
	dp->duplicate = true;
	queue_pending(q, d, dp); /* its revision is in the open transaction */
}

/* Transforms op (at revision *at) against the next logged revision. */
static enum ot_status
transform_one(struct sdoc *d, int64_t *at, struct ot_op *op)
{
	struct ot_op first = OT_OP_INIT, mine = OT_OP_INIT;
	enum ot_status st = ot_transform(&docs_log_at(d, *at + 1)->op, op, &first,
	    &mine);
	if (st != OT_OK)
		return st;
	ot_free(&first);
	ot_free(op);
	*op = mine;
	(*at)++;
	return OT_OK;
}

/* The op fits the document it was made on; false after the ERROR. */
static bool
fits(const struct req *q, struct sdoc *d, const struct ot_op *op)
{
	const struct proto_frame *f = q->f;
	size_t len = f->rev == d->head ? doc_length(d->text)
	    : docs_log_at(d, f->rev + 1)->op.base_len;
	if (op->base_len == len)
		return true;
	char reason[160];
	snprintf(reason, sizeof reason, "the op applies to %zu characters, "
	    "revision %lld has %zu", op->base_len, (long long)f->rev, len);
	hub_req_error(q, PE_BAD_OP, reason);
	return false;
}

/* The op, at the head now, within the bounds; false after the ERROR. */
static bool
within_bounds(const struct req *q, const struct ot_op *op)
{
	struct server *srv = q->srv;
	char reason[160];
	if (op->target_len > srv->cfg.max_doc) {
		snprintf(reason, sizeof reason, "the document would pass %zu characters",
		    srv->cfg.max_doc);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return false;
	}
	if (op->ncomps > srv->cfg.max_op) {
		snprintf(reason, sizeof reason, "the operation has more than %zu "
		    "components", srv->cfg.max_op);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return false;
	}
	return true;
}

static int
snapshot(struct server *srv, struct sdoc *d)
{
	char *text = doc_text(d->text, NULL);
	int rc = srv->store->ops->doc_snapshot_put(srv->store, d->id, d->head, text);
	free(text);
	return rc;
}

/* Stores op as the next revision and applies it; takes op. */
static void
commit_op(const struct req *q, struct sdoc *d, struct ot_op *op)
{
	struct docs_author a = {q->s->user->name, q->f->cid, NULL, 0};
	docs_commit_as(q, d, op, &a);
}

bool
docs_commit_as(const struct req *q, struct sdoc *d, struct ot_op *op,
    const struct docs_author *a)
{
	struct server *srv = q->srv;
	struct store *st = srv->store;
	int64_t rev = d->head + 1, ts = now_ms();
	/* the text once, for the store and (as a raw node) every frame: a
	 * tree of numbers would be printed digit by digit again */
	char *text = ot_encode(op);
	cJSON *json = cJSON_CreateRaw(text);
	struct ot_op undo = OT_OP_INIT; /* until committed: see docs_rollback */
	if (ot_invert_doc(op, d->text, &undo) != OT_OK ||
	    hub_batch_begin(srv) != 0 ||
	    st->ops->doc_op_append(st, d->id, rev, a->user, a->cid, text, ts) != 0 ||
	    ot_apply_doc(d->text, op) != OT_OK) {
		ot_free(&undo);
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		hub_batch_abort(srv);
		goto bad;
	}
	free(text);
	text = NULL;
	d->head = rev;
	for (guint i = 0; i < d->viewers->len; i++) {
		struct viewer *v = &g_array_index(d->viewers, struct viewer, i);
		if (v->has_sel)
			v->sel = ot_transform_selection(op, v->sel, false);
	}
	struct logent e = {*op, undo, g_strdup(a->user), g_strdup(a->cid), ts, 0};
	ot_init(op); /* the log has it now */
	docs_log_push(srv, d, &e);
	if ((rev % DOCS_SNAPSHOT_EVERY == 0 && snapshot(srv, d) != 0) ||
	    docs_suggest_advance(srv, d, &docs_log_at(d, rev)->op) != 0) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		hub_batch_abort(srv); /* takes the document back to committed */
		goto bad;
	}
	struct doc_pending *dp = g_new0(struct doc_pending, 1);
	dp->rev = rev;
	dp->op = json;
	dp->ts = ts;
	dp->user = g_strdup(a->user);
	dp->cid = g_strdup(a->cid);
	if (a->suggestion > 0) {
		dp->suggestion = a->suggestion;
		dp->by = g_strdup(a->by);
		dp->ack_cid = g_strdup(q->f->cid);
	}
	queue_pending(q, d, dp);
	return true;
bad:
	free(text);
	cJSON_Delete(json);
	ot_free(op);
	return false;
}

/* ---- a late operation: transformed by a job ------------------------------ */

struct xform_job {
	struct job base;
	uint64_t session;
	struct sdoc *d;
	struct ot_op op;
	int64_t at;     /* the revision op applies to */
	bool too_old;   /* the log moved past it */
};

static enum job_step
xform_step(struct job *j, struct server *srv)
{
	(void)srv;
	struct xform_job *x = (struct xform_job *)j;
	struct sdoc *d = x->d;
	if (d->broken || d->loading != NULL || x->at > d->head)
		return JOB_FAILED; /* rolled back under it: the client retries */
	if (x->at == d->head)
		return JOB_DONE;
	if (docs_log_at(d, x->at + 1) == NULL) {
		x->too_old = true;
		return JOB_FAILED;
	}
	if (transform_one(d, &x->at, &x->op) != OT_OK)
		return JOB_FAILED;
	return x->at == d->head ? JOB_DONE : JOB_MORE;
}

static void
xform_finish(struct job *j, struct server *srv, bool ok)
{
	struct xform_job *x = (struct xform_job *)j;
	struct sdoc *d = x->d;
	struct session *s = g_hash_table_lookup(srv->sessions,
	    GSIZE_TO_POINTER(x->session));
	d->refs--;
	if (s != NULL && s->parked != NULL) {
		struct req q = {srv, s, s->parked, "DOC_OP"};
		if (ok && within_bounds(&q, &x->op))
			commit_op(&q, d, &x->op);
		else if (!ok)
			hub_req_error(&q, x->too_old ? PE_REV_TOO_OLD : PE_INTERNAL,
			    x->too_old ? "the revisions to transform against are no longer kept"
			    : "the document changed under the operation: send it again");
		hub_unpark(srv, s);
	}
	docs_maybe_unload(srv, d);
}

static void
xform_free(struct job *j)
{
	struct xform_job *x = (struct xform_job *)j;
	ot_free(&x->op);
	g_free(x);
}

/* Parks q while a job brings op (taken) to the head. */
static void
transform_later(const struct req *q, struct sdoc *d, struct ot_op *op)
{
	struct xform_job *x = g_new0(struct xform_job, 1);
	job_init(&x->base);
	x->base.step = xform_step;
	x->base.finish = xform_finish;
	x->base.free = xform_free;
	x->session = q->s->id;
	x->d = d;
	x->op = *op;
	ot_init(op);
	x->at = q->f->rev;
	d->refs++;
	hub_park(q);
	jobs_add(q->srv, &x->base);
}

/* A new operation, not seen before: brought to the head and stored. */
static void
apply_new(const struct req *q, struct sdoc *d, struct ot_op *op)
{
	if (!fits(q, d, op))
		return;
	if (!docs_log_cheap(d, q->f->rev, d->head, op->ncomps)) {
		transform_later(q, d, op);
		return;
	}
	int64_t at = q->f->rev;
	while (at < d->head) {
		enum ot_status st = transform_one(d, &at, op);
		if (st != OT_OK) {
			hub_req_error(q, PE_BAD_OP, ot_strerror(st));
			return;
		}
	}
	if (within_bounds(q, op))
		commit_op(q, d, op);
}

void
docs_handle_op(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	struct sdoc *d = docs_open_for(q);
	if (d == NULL)
		return;
	docs_where_touch(q->s, d);
	/* components bound the work of every later transform: counted before
	 * anything is decoded */
	if (cJSON_GetArraySize(f->op) > (int)srv->cfg.max_op) {
		char reason[96];
		snprintf(reason, sizeof reason, "the operation has more than %zu "
		    "components", srv->cfg.max_op);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	struct ot_op op = OT_OP_INIT;
	char why[128] = "";
	enum ot_status st = ot_decode_json(f->op, &op, why, sizeof why);
	if (st != OT_OK) {
		hub_req_error(q, PE_BAD_OP, why[0] ? why : ot_strerror(st));
		return;
	}
	int64_t prev;
	if (srv->store->ops->doc_op_by_cid(srv->store, d->id, q->s->user->name,
	    f->cid, &prev) != 0) {
		hub_store_failed(srv, q->s, f->cid, q->ref);
		ot_free(&op);
		return;
	}
	if (prev > 0) {
		ack_duplicate(q, d, prev); /* made before any protection: still ACKed */
	} else if (!docs_suggest_may_edit(q, d)) {
		/* ERROR forbidden: a protected document */
	} else if (f->rev > d->committed || f->rev < d->head - (int64_t)d->nlog) {
		char reason[128];
		bool newer = f->rev > d->committed;
		snprintf(reason, sizeof reason, newer ? "revision %lld does not exist"
		    : "revision %lld is older than the transform log", (long long)f->rev);
		hub_req_error(q, newer ? PE_BAD_REV : PE_REV_TOO_OLD, reason);
	} else {
		apply_new(q, d, &op);
	}
	ot_free(&op);
}

void
docs_pending_done(struct server *srv, struct pending *p, bool committed)
{
	struct doc_pending *dp = p->docop;
	struct sdoc *d = dp->d;
	struct session *s = g_hash_table_lookup(srv->sessions,
	    GSIZE_TO_POINTER(p->session));
	if (!committed && s != NULL) {
		session_send_error(s, PE_INTERNAL, dp->cid, "DOC_OP",
		    "storage failure, try again");
	} else if (committed) {
		if (!dp->duplicate) {
			if (dp->rev > d->committed)
				d->committed = dp->rev;
			docs_log_committed(d, dp->rev);
			docs_comments_advance(srv, d, dp->rev, dp->op);
			struct proto_frame f = proto_frame_of(PT_DOC_OP);
			f.room = d->room->name;
			f.doc = d->name;
			f.rev = dp->rev;
			f.has_rev = true;
			f.op = dp->op;
			f.user = dp->user;
			f.cid = dp->cid;
			f.ts = dp->ts;
			f.has_ts = true;
			f.by = dp->by;
			f.suggestion = dp->suggestion;
			f.has_suggestion = dp->suggestion > 0;
			/* an accepted suggestion is news to the one who accepted */
			docs_broadcast(d, &f, dp->suggestion > 0 ? NULL : s);
			docs_suggest_committed(d, dp->rev);
		}
		if (s != NULL && dp->suggestion > 0) {
			struct proto_frame a = proto_frame_of(PT_ACK);
			a.cid = dp->ack_cid;
			a.room = d->room->name;
			a.doc = d->name;
			a.rev = dp->rev;
			a.has_rev = true;
			a.suggestion = dp->suggestion;
			a.has_suggestion = true;
			session_send_frame(s, &a);
		} else if (s != NULL) {
			send_doc_ack(s, d, dp->cid, dp->rev);
		}
	}
	cJSON_Delete(dp->op);
	g_free(dp->user);
	g_free(dp->cid);
	g_free(dp->by);
	g_free(dp->ack_cid);
	g_free(dp);
	p->docop = NULL;
	d->refs--;
	docs_maybe_unload(srv, d);
}

/* ---- DOC_HISTORY and DOC_GET --------------------------------------------- */

/* The document q names: its id (0 if it does not exist) and committed
 * head; false after an ERROR. */
static bool
find_doc(const struct req *q, int64_t *id, int64_t *head, struct sdoc **loaded)
{
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return false;
	char *key = g_strdup_printf("%s/%s", q->f->room, q->f->doc);
	struct sdoc *d = g_hash_table_lookup(q->srv->docs, key);
	g_free(key);
	*loaded = d != NULL && !d->broken && d->loading == NULL ? d : NULL;
	if (*loaded != NULL) {
		*id = d->id;
		*head = d->committed;
		return true;
	}
	struct store *st = q->srv->store;
	if (st->ops->doc_find(st, sub->room->id, q->f->doc, id, head) != 0) {
		hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
		return false;
	}
	return true;
}

void
docs_handle_history(const struct req *q)
{
	const struct proto_frame *f = q->f;
	struct sdoc *d;
	int64_t id, head;
	if (!find_doc(q, &id, &head, &d))
		return;
	int64_t before = head + 1;
	if (f->has_before && f->before < before)
		before = f->before;
	size_t limit = f->has_limit ? (size_t)f->limit : HISTORY_DEFAULT;
	if (limit > HISTORY_MAX)
		limit = HISTORY_MAX;
	struct store_doc_ops ops = {0};
	bool more = false;
	struct store *st = q->srv->store;
	if (id != 0 && st->ops->doc_revisions(st, id, before, limit, &ops, &more) != 0) {
		hub_store_failed(q->srv, q->s, f->cid, q->ref);
		return;
	}
	struct proto_tag *tags;
	struct store_doc_tag *held;
	size_t ntags;
	if (docs_tags_of(q->srv, id, &tags, &ntags, &held) != 0) {
		store_doc_ops_free(&ops);
		hub_store_failed(q->srv, q->s, f->cid, q->ref);
		return;
	}
	struct proto_revision *revs = g_new0(struct proto_revision, ops.n + 1);
	for (size_t i = 0; i < ops.n; i++)
		revs[i] = (struct proto_revision){ops.v[i].rev, ops.v[i].user, ops.v[i].ts};
	struct proto_frame h = proto_frame_of(PT_DOC_HISTORY);
	h.room = f->room;
	h.doc = f->doc;
	h.cid = f->cid;
	h.revisions = revs;
	h.nrevisions = ops.n;
	h.more = more;
	h.tags = tags;
	h.ntags = ntags;
	session_send_frame(q->s, &h);
	g_free(revs);
	g_free(tags);
	store_doc_tags_free(held, ntags);
	store_doc_ops_free(&ops);
}

void
docs_handle_get(const struct req *q)
{
	const struct proto_frame *f = q->f;
	struct sdoc *d;
	int64_t id, head;
	if (!find_doc(q, &id, &head, &d))
		return;
	if (f->rev > head) {
		char reason[96];
		snprintf(reason, sizeof reason, "revision %lld does not exist (head %lld)",
		    (long long)f->rev, (long long)head);
		hub_req_error(q, PE_BAD_REV, reason);
		return;
	}
	char *text;
	size_t len = 0;
	if (d != NULL && f->rev == d->head) {
		text = doc_text(d->text, &len);
	} else if (f->rev == 0) {
		text = xstrdup("");
	} else {
		/* an older revision: rebuilt step by step */
		docs_get_job(q, id, f->rev);
		return;
	}
	struct proto_frame t = proto_frame_of(PT_DOC_TEXT);
	t.room = f->room;
	t.doc = f->doc;
	t.rev = f->rev;
	t.has_rev = true;
	t.cid = f->cid;
	struct textsnap *snap = textsnap_new(text, len, f->rev);
	struct ostream *o = stream_text(&t, snap);
	textsnap_unref(snap);
	if (o == NULL)
		hub_req_error(q, PE_INTERNAL, "out of memory");
	else
		session_send_stream(q->s, o);
}
