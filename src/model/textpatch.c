/*
 * textpatch: see textpatch.h.
 */
#include "model/textpatch.h"

#include "model/textdiff.h"
#include "model/utf8.h"

/* Line l with its '\n' when it has one in its text s[0..n). */
static size_t
with_newline(const struct textdiff_line *l, const char *s, size_t n)
{
	size_t end = (size_t)(l->text - s) + l->len;
	return end < n && s[end] == '\n' ? l->len + 1 : l->len;
}

static size_t
inserted(const struct ot_op *op)
{
	size_t bytes = 0;
	for (size_t i = 0; i < op->ncomps; i++)
		bytes += op->comps[i].kind == OT_INSERT ? op->comps[i].bytes : 0;
	return bytes;
}

static bool
lines_op(const struct textdiff *td, const char *a, size_t alen, const char *b,
    size_t blen, struct ot_op *op)
{
	for (size_t i = 0; i < td->n; i++) {
		const struct textdiff_line *l = &td->v[i];
		enum ot_status st;
		if (l->kind == TD_INS) {
			st = ot_insert(op, l->text, with_newline(l, b, blen));
		} else {
			size_t n = with_newline(l, a, alen);
			size_t cps = utf8_count(l->text, n);
			st = l->kind == TD_SAME ? ot_retain(op, cps) : ot_delete(op, cps);
		}
		if (st != OT_OK)
			return false;
	}
	return true;
}

bool
textpatch_op(const char *a, size_t alen, const char *b, size_t blen,
    size_t max_comps, struct ot_op *out, size_t *bytes)
{
	ot_init(out);
	if (!utf8_valid(a, alen) || !utf8_valid(b, blen))
		return false;
	struct textdiff td;
	textdiff_lines(a, alen, b, blen, &td);
	bool ok = lines_op(&td, a, alen, b, blen, out);
	textdiff_free(&td);
	if (!ok || out->ncomps > max_comps) {
		ot_free(out);
		if (!textdiff_op(a, alen, b, blen, out))
			return false;
	}
	if (bytes != NULL)
		*bytes = inserted(out);
	return true;
}
