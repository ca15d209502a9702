/*
 * docs_load: a document's text and log from the store, built by jobs a step
 * at a time: the snapshot, then one operation per step (a stored operation
 * may hold tens of thousands of components; applying it to a megabyte of
 * text moves the text). Loading also finds, newest first, how far back the
 * log reaches within --doc-log operations and about --doc-log-bytes (by an
 * estimate from the stored text, reading no further than that), and logs
 * those (docs_log.c trims by what they really take). DOC_GET of an old revision
 * is the same build without the log, its text streamed when done.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/docs.h"

#define OPS_PAGE 8      /* operations read from the store at a time */
#define SIZES_PAGE 16   /* operations sized a step when finding the log's start */

/* ---- building a text from the snapshot and the operations after it ------- */

struct builder {
	int64_t id, target; /* the document and the revision to reach */
	int64_t snap;       /* the snapshot's revision (-1: not read yet) */
	int64_t done;       /* the newest revision read */
	int64_t apply_after, log_from; /* apply above, log from (load only) */
	struct doc *text;
	struct store_doc_ops page;
	size_t at;
};

static void
builder_init(struct builder *b, int64_t id, int64_t target)
{
	memset(b, 0, sizeof *b);
	b->id = id;
	b->target = target;
	b->snap = -1;
	b->log_from = target + 1; /* nothing logged unless the load says */
}

static void
builder_free(struct builder *b)
{
	doc_free(b->text);
	store_doc_ops_free(&b->page);
}

static enum job_step
read_snapshot(struct builder *b, struct server *srv)
{
	struct store *st = srv->store;
	char *text;
	if (st->ops->doc_snapshot_at_or_before(st, b->id, b->target, &b->snap,
	    &text) != 0) {
		hub_store_error(srv);
		return JOB_FAILED;
	}
	b->text = doc_new_from(text, strlen(text));
	free(text);
	if (b->text == NULL) {
		lwsl_err("document %lld: snapshot %lld is unreadable\n",
		    (long long)b->id, (long long)b->snap);
		return JOB_FAILED;
	}
	b->apply_after = b->snap;
	return JOB_MORE;
}

/* The next stored revision, read a page at a time; NULL after a failure. */
static struct store_doc_op *
next_op(struct builder *b, struct server *srv)
{
	if (b->at == b->page.n) {
		store_doc_ops_free(&b->page);
		b->at = 0;
		struct store *st = srv->store;
		if (st->ops->doc_ops_range(st, b->id, b->done, b->target, OPS_PAGE,
		    &b->page) != 0) {
			hub_store_error(srv);
			return NULL;
		}
	}
	if (b->at == b->page.n || b->page.v[b->at].rev != b->done + 1) {
		lwsl_err("document %lld: revision %lld is missing\n", (long long)b->id,
		    (long long)b->done + 1);
		return NULL;
	}
	return &b->page.v[b->at++];
}

/* One revision: decoded, applied when after the snapshot, logged (into d)
 * when the log reaches it. */
static enum job_step
builder_step(struct builder *b, struct server *srv, struct sdoc *d)
{
	if (b->snap < 0)
		return read_snapshot(b, srv);
	if (b->done == b->target)
		return JOB_DONE;
	struct store_doc_op *o = next_op(b, srv);
	if (o == NULL)
		return JOB_FAILED;
	bool apply = o->rev > b->apply_after, log = d != NULL && o->rev >= b->log_from;
	if (apply || log) {
		struct ot_op op = OT_OP_INIT;
		char why[128];
		if (ot_decode(o->op, strlen(o->op), &op, why, sizeof why) != OT_OK ||
		    (apply && ot_apply_doc(b->text, &op) != OT_OK)) {
			lwsl_err("document %lld: revision %lld is unreadable\n",
			    (long long)b->id, (long long)o->rev);
			ot_free(&op);
			return JOB_FAILED;
		}
		if (log) {
			d->head = o->rev;
			struct logent e = {op, OT_OP_INIT, g_strdup(o->user),
			    g_strdup(o->cid), o->ts, 0};
			docs_log_push(srv, d, &e);
		} else {
			ot_free(&op);
		}
	}
	b->done = o->rev;
	return b->done == b->target ? JOB_DONE : JOB_MORE;
}

/* ---- loading a document --------------------------------------------------- */

struct load_job {
	struct job base;
	struct sdoc *d;
	struct builder b;
	bool sized;        /* the log's start is known */
	int64_t size_next; /* finding it: the newest revision not yet counted */
	size_t count, bytes;
};

/* What an operation's text takes once decoded, about: its bytes and a
 * component for each comma (an overestimate when inserts hold commas). */
static size_t
est_bytes(const char *op)
{
	size_t n = 0, commas = 0;
	for (; op[n]; n++)
		commas += op[n] == ',';
	return n + (commas + 1) * sizeof(struct ot_comp);
}

/* Counts stored sizes, newest first, until a bound is met: there the log
 * starts. Reads no further back than the bounds reach. */
static enum job_step
find_log_start(struct load_job *lj, struct server *srv)
{
	struct store *st = srv->store;
	struct store_doc_ops page = {0};
	int64_t from = lj->size_next > SIZES_PAGE ? lj->size_next - SIZES_PAGE : 0;
	if (lj->size_next > 0 && st->ops->doc_ops_range(st, lj->d->id, from,
	    lj->size_next, SIZES_PAGE, &page) != 0) {
		hub_store_error(srv);
		return JOB_FAILED;
	}
	for (size_t i = page.n; i-- > 0 && !lj->sized;) {
		size_t n = est_bytes(page.v[i].op);
		if (lj->count >= srv->cfg.doc_log ||
		    (lj->count > 0 && lj->bytes + n > srv->cfg.doc_log_bytes)) {
			lj->sized = true;
			break;
		}
		lj->count++;
		lj->bytes += n;
		lj->size_next = page.v[i].rev - 1;
	}
	/* at revision 1, or revisions missing (the build will say) */
	if (lj->size_next == 0 || page.n == 0)
		lj->sized = true;
	store_doc_ops_free(&page);
	if (lj->sized) {
		lj->b.log_from = lj->size_next + 1;
		/* read from the older of the snapshot and the log's start */
		int64_t start = lj->size_next < lj->b.snap ? lj->size_next : lj->b.snap;
		lj->b.done = start;
		lj->d->head = start;
	}
	return JOB_MORE;
}

static enum job_step
load_step(struct job *j, struct server *srv)
{
	struct load_job *lj = (struct load_job *)j;
	if (lj->b.snap < 0)
		return read_snapshot(&lj->b, srv);
	if (!lj->sized)
		return find_log_start(lj, srv);
	enum job_step st = builder_step(&lj->b, srv, lj->d);
	if (st != JOB_DONE)
		return st;
	return docs_comments_load(srv, lj->d, lj->b.target, doc_length(lj->b.text));
}

static void
load_finish(struct job *j, struct server *srv, bool ok)
{
	struct load_job *lj = (struct load_job *)j;
	struct sdoc *d = lj->d;
	d->loading = NULL;
	d->refs--;
	if (ok) {
		doc_free(d->text);
		d->text = lj->b.text;
		lj->b.text = NULL;
		d->head = d->committed = lj->b.target;
		d->broken = false;
		/* after a reload the viewers' cursors may point past the end */
		size_t len = doc_length(d->text);
		for (guint i = 0; i < d->viewers->len; i++) {
			struct viewer *v = &g_array_index(d->viewers, struct viewer, i);
			v->sel.anchor = v->sel.anchor < len ? v->sel.anchor : len;
			v->sel.head = v->sel.head < len ? v->sel.head : len;
		}
	} else {
		docs_log_clear(d);
		d->broken = true;
		lwsl_err("document %s: cannot load it\n", d->key);
	}
	job_wake(j, srv, ok);
	docs_maybe_unload(srv, d);
}

static void
load_free(struct job *j)
{
	struct load_job *lj = (struct load_job *)j;
	builder_free(&lj->b);
	g_free(lj);
}

static void
start_load(struct server *srv, struct sdoc *d, int64_t head)
{
	struct load_job *lj = g_new0(struct load_job, 1);
	job_init(&lj->base);
	lj->base.step = load_step;
	lj->base.finish = load_finish;
	lj->base.free = load_free;
	lj->d = d;
	builder_init(&lj->b, d->id, head);
	lj->size_next = head;
	docs_log_clear(d);
	docs_comments_free(d); /* read again with the text */
	d->head = 0;
	d->refs++;
	d->loading = &lj->base;
	jobs_add(srv, &lj->base);
}

struct sdoc *
docs_load(struct server *srv, struct room *r, const char *name, const char *key)
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
	d->text = doc_new();
	d->viewers = g_array_new(FALSE, FALSE, sizeof(struct viewer));
	g_hash_table_insert(srv->docs, d->key, d);
	start_load(srv, d, head);
	return d;
}

void
docs_reload(struct server *srv, struct sdoc *d)
{
	start_load(srv, d, d->committed);
}

void
sdoc_free(void *p)
{
	struct sdoc *d = p;
	docs_suggest_free(d);
	docs_log_clear(d);
	g_free(d->log);
	docs_comments_free(d);
	doc_free(d->text);
	textsnap_unref(d->snap);
	for (guint i = 0; i < d->viewers->len; i++)
		g_free(g_array_index(d->viewers, struct viewer, i).open_cid);
	g_array_free(d->viewers, TRUE);
	g_free(d->key);
	g_free(d->name);
	g_free(d);
}

/* ---- freeing ---------------------------------------------------------------- */

struct free_job {
	struct job base;
	struct sdoc *d;
};

static enum job_step
free_step(struct job *j, struct server *srv)
{
	(void)srv;
	return docs_log_clear_some(((struct free_job *)j)->d, DOCS_SYNC_WORK)
	    ? JOB_DONE : JOB_MORE;
}

static void
free_finish(struct job *j, struct server *srv, bool ok)
{
	(void)srv;
	(void)ok;
	sdoc_free(((struct free_job *)j)->d);
}

static void
free_free(struct job *j)
{
	g_free(j);
}

void
docs_free_later(struct server *srv, struct sdoc *d)
{
	struct free_job *f = g_new0(struct free_job, 1);
	job_init(&f->base);
	f->base.step = free_step;
	f->base.finish = free_finish;
	f->base.free = free_free;
	f->d = d;
	jobs_add(srv, &f->base);
}

/* ---- DOC_GET of an old revision -------------------------------------------- */

struct get_job {
	struct job base;
	uint64_t session;
	struct builder b;
};

static enum job_step
get_step(struct job *j, struct server *srv)
{
	return builder_step(&((struct get_job *)j)->b, srv, NULL);
}

static void
get_finish(struct job *j, struct server *srv, bool ok)
{
	struct get_job *g = (struct get_job *)j;
	struct session *s = g_hash_table_lookup(srv->sessions,
	    GSIZE_TO_POINTER(g->session));
	if (s == NULL || s->parked == NULL)
		return;
	if (!ok) {
		hub_resume(srv, s, false);
		return;
	}
	const struct proto_frame *f = s->parked;
	size_t len;
	char *text = doc_text(g->b.text, &len);
	struct proto_frame t = proto_frame_of(PT_DOC_TEXT);
	t.room = f->room;
	t.doc = f->doc;
	t.rev = g->b.target;
	t.has_rev = true;
	t.cid = f->cid;
	struct textsnap *snap = textsnap_new(text, len, g->b.target);
	struct ostream *o = stream_text(&t, snap);
	textsnap_unref(snap);
	if (o == NULL)
		session_send_error(s, PE_INTERNAL, f->cid, "DOC_GET", "out of memory");
	else
		session_send_stream(s, o);
	hub_unpark(srv, s);
}

static void
get_free(struct job *j)
{
	struct get_job *g = (struct get_job *)j;
	builder_free(&g->b);
	g_free(g);
}

void
docs_get_job(const struct req *q, int64_t id, int64_t rev)
{
	struct get_job *g = g_new0(struct get_job, 1);
	job_init(&g->base);
	g->base.step = get_step;
	g->base.finish = get_finish;
	g->base.free = get_free;
	g->session = q->s->id;
	builder_init(&g->b, id, rev);
	hub_park(q);
	jobs_add(q->srv, &g->base);
}
