/*
 * suggest: suggested edits transformed forward until accepted (see
 * suggest.h for the rules).
 *
 * Whether an insert-only suggestion was orphaned is decided per new op,
 * before the transform, while both ops still share base positions: an
 * insertion point q is orphaned when the new op deletes q - 1 and q. In
 * ot.js's normal form a delete run is one component (an insert next to it
 * stands before it), so "strictly inside one delete component" is the test.
 */
#include "model/suggest.h"

#include <stdlib.h>

#include "model/xmalloc.h"

const char *
suggest_strerror(enum suggest_status status)
{
	switch (status) {
	case SUGGEST_OK: return "success";
	case SUGGEST_ENOOP: return "the suggestion changes nothing";
	case SUGGEST_ELENGTH: return "the operation does not fit the document";
	case SUGGEST_EREV: return "the suggestion is at another revision";
	case SUGGEST_EDROPPED: return "the suggestion was dropped";
	}
	return "unknown status";
}

static bool
has_delete(const struct ot_op *op)
{
	for (size_t i = 0; i < op->ncomps; i++)
		if (op->comps[i].kind == OT_DELETE)
			return true;
	return false;
}

enum suggest_status
suggest_init(struct suggest *s, const struct ot_op *op, int64_t rev)
{
	if (ot_is_noop(op))
		return SUGGEST_ENOOP;
	*s = (struct suggest){.rev = rev, .deletes = has_delete(op)};
	ot_copy(&s->op, op);
	return SUGGEST_OK;
}

void
suggest_free(struct suggest *s)
{
	ot_free(&s->op);
}

/* A walk over the delete components of an op, by base position. */
struct runs {
	const struct ot_op *op;
	size_t i, at; /* component i starts at base position at */
};

/* True when base position q (non-decreasing over calls) lies strictly
 * inside a deleted run: the op deletes q - 1 and q. */
static bool
runs_cover(struct runs *r, size_t q)
{
	for (; r->i < r->op->ncomps; r->i++) {
		const struct ot_comp *c = &r->op->comps[r->i];
		size_t n = c->kind == OT_INSERT ? 0 : c->n;
		if (r->at + n > q)
			return c->kind == OT_DELETE && r->at < q;
		r->at += n;
	}
	return false;
}

static bool
inserts_orphaned(const struct ot_op *mine, const struct ot_op *next)
{
	struct runs r = {.op = next};
	size_t at = 0;
	bool any = false;
	for (size_t i = 0; i < mine->ncomps; i++) {
		const struct ot_comp *c = &mine->comps[i];
		if (c->kind != OT_INSERT) {
			at += c->n;
			continue;
		}
		if (!runs_cover(&r, at))
			return false;
		any = true;
	}
	return any;
}

enum suggest_status
suggest_advance(struct suggest *s, const struct ot_op *next)
{
	struct ot_op first = OT_OP_INIT, mine = OT_OP_INIT;
	if (ot_transform(next, &s->op, &first, &mine) != OT_OK)
		return SUGGEST_ELENGTH;
	ot_free(&first);
	bool orphaned = !s->deletes && inserts_orphaned(&s->op, next);
	if (orphaned || (s->deletes && !has_delete(&mine)))
		s->dropped = true;
	ot_free(&s->op);
	s->op = mine;
	s->rev++;
	return SUGGEST_OK;
}

enum suggest_status
suggest_accept(const struct suggest *s, int64_t head, struct ot_op *out)
{
	if (s->rev != head)
		return SUGGEST_EREV;
	if (s->dropped)
		return SUGGEST_EDROPPED;
	ot_copy(out, &s->op);
	return SUGGEST_OK;
}

void
suggest_marks(const struct suggest *s, struct suggest_marks *out)
{
	struct suggest_marks m = {0};
	if (s->op.ncomps > 0)
		m.v = xcalloc(s->op.ncomps, sizeof *m.v);
	size_t pos = 0, shown = 0;
	for (size_t i = 0; i < s->op.ncomps; i++) {
		const struct ot_comp *c = &s->op.comps[i];
		struct suggest_mark k = {.pos = pos, .shown = shown, .len = c->n};
		switch (c->kind) {
		case OT_RETAIN:
			pos += c->n;
			shown += c->n;
			continue;
		case OT_INSERT:
			k.kind = SUGGEST_INSERTED;
			k.text = xstrndup(c->text, c->bytes);
			k.bytes = c->bytes;
			shown += c->n;
			break;
		case OT_DELETE:
			k.kind = SUGGEST_DELETED;
			pos += c->n;
			shown += c->n;
			break;
		}
		m.v[m.n++] = k;
	}
	*out = m;
}

void
suggest_marks_free(struct suggest_marks *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].text);
	free(m->v);
	*m = (struct suggest_marks){0};
}
