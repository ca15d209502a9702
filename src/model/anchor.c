/*
 * anchor: comment ranges moved through text operations (see anchor.h).
 *
 * One walk over the op finds the characters that are inside the anchor
 * afterwards (the ones it kept, and its inserts strictly inside) and takes
 * the span from the first to the last. Everything between two such
 * characters is inside too: a kept character between them lies in the old
 * range, and an insert between them stands after start and before end.
 */
#include "model/anchor.h"

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static size_t
max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

bool
anchor_fits(struct anchor a, size_t doc_len)
{
	return a.start <= a.end && a.end <= doc_len;
}

/* The span of what is inside after op, in target positions. */
struct span {
	bool found;
	size_t first, last;
};

static void
span_add(struct span *s, size_t from, size_t to)
{
	if (!s->found)
		s->first = from;
	s->found = true;
	s->last = to;
}

struct anchor
anchor_transform(const struct ot_op *op, struct anchor a)
{
	size_t end = min_size(a.end, op->base_len);
	size_t start = min_size(a.start, end);
	struct span s = {0};
	size_t at = 0, t = 0; /* base and target positions reached */
	for (size_t i = 0; i < op->ncomps && at < end; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->kind == OT_RETAIN) {
			size_t lo = max_size(at, start), hi = min_size(at + c->n, end);
			if (lo < hi)
				span_add(&s, t + (lo - at), t + (hi - at));
			at += c->n;
			t += c->n;
		} else if (c->kind == OT_INSERT) {
			if (start < at)
				span_add(&s, t, t + c->n);
			t += c->n;
		} else {
			at += c->n;
		}
	}
	if (s.found)
		return (struct anchor){s.first, s.last, a.removed};
	size_t p = ot_transform_index(op, start, false);
	return (struct anchor){p, p, a.removed || start < end};
}
