/*
 * docs_log: a loaded document's transform log, the newest operations as a
 * ring, bounded both in operations (--doc-log) and in the memory they take
 * (--doc-log-bytes): a heavy operation costs its weight, so that a few
 * thousand edits of ten thousand components each cannot take gigabytes.
 * Uncommitted entries carry their inverse (docs.h).
 */
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/docs.h"

static size_t
op_bytes(const struct ot_op *op)
{
	size_t n = op->cap * sizeof *op->comps;
	for (size_t i = 0; i < op->ncomps; i++)
		if (op->comps[i].kind == OT_INSERT)
			n += op->comps[i].cap;
	return n;
}

static void
logent_clear(struct logent *e)
{
	ot_free(&e->op);
	ot_free(&e->undo);
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

static void
drop_oldest(struct sdoc *d)
{
	struct logent *e = &d->log[d->start];
	d->log_bytes -= e->bytes;
	logent_clear(e);
	d->start = (d->start + 1) % d->cap;
	d->nlog--;
}

static void
grow(struct server *srv, struct sdoc *d)
{
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

/* Gives back what an op's array holds beyond its components: a log
 * keeps it long. */
static void
shrink(struct ot_op *op)
{
	if (op->ncomps == 0 || op->cap == op->ncomps)
		return;
	op->comps = xreallocarray(op->comps, op->ncomps, sizeof *op->comps);
	op->cap = op->ncomps;
}

void
docs_log_push(struct server *srv, struct sdoc *d, struct logent *e)
{
	shrink(&e->op);
	shrink(&e->undo);
	e->bytes = sizeof *e + op_bytes(&e->op) + op_bytes(&e->undo) +
	    (e->user ? strlen(e->user) : 0) + (e->cid ? strlen(e->cid) : 0);
	/* the newest always stays, even alone over the bound */
	while (d->nlog > 0 && (d->nlog >= srv->cfg.doc_log ||
	    d->log_bytes + e->bytes > srv->cfg.doc_log_bytes))
		drop_oldest(d);
	if (d->nlog == d->cap)
		grow(srv, d);
	d->log[(d->start + d->nlog) % d->cap] = *e;
	d->nlog++;
	d->log_bytes += e->bytes;
}

bool
docs_log_clear_some(struct sdoc *d, size_t work)
{
	size_t done = 0;
	while (d->nlog > 0 && done < work) {
		done += d->log[d->start].op.ncomps + 1;
		drop_oldest(d);
	}
	return d->nlog == 0;
}

void
docs_log_clear(struct sdoc *d)
{
	while (d->nlog > 0)
		drop_oldest(d);
	d->log_bytes = 0;
}

bool
docs_log_undo(struct sdoc *d)
{
	while (d->head > d->committed) {
		struct logent *e = docs_log_at(d, d->head);
		if (e == NULL || ot_apply_doc(d->text, &e->undo) != OT_OK)
			return false;
		d->log_bytes -= e->bytes;
		logent_clear(e);
		d->nlog--;
		d->head--;
	}
	return true;
}

void
docs_log_committed(struct sdoc *d, int64_t rev)
{
	struct logent *e = docs_log_at(d, rev);
	if (e == NULL || e->undo.cap == 0)
		return;
	size_t before = op_bytes(&e->undo);
	ot_free(&e->undo);
	e->bytes -= before;
	d->log_bytes -= before;
}

bool
docs_log_cheap(struct sdoc *d, int64_t from, int64_t to, size_t per_rev)
{
	size_t w = 0;
	for (int64_t r = from + 1; r <= to; r++) {
		struct logent *e = docs_log_at(d, r);
		if (e == NULL || (w += e->op.ncomps + per_rev) > DOCS_SYNC_WORK)
			return false;
	}
	return true;
}
