/*
 * fuzz_ot: text operations (model/ot, model/doc): the decoder and the
 * algebra.
 *
 * The input is up to three parts separated by 0xFF bytes (a byte that no
 * UTF-8 text holds): a document, then two operations as JSON text.
 *
 *   document 0xFF op-a 0xFF op-b
 *
 * The decoder is checked against a reference reading of the same text
 * (jsonref plus the rules of ot.h: strict JSON at most OT_JSON_MAX_DEPTH
 * deep, integers, non-zero, in range, non-empty UTF-8 inserts without NUL,
 * normal form): both accept or both refuse with
 * the same status, and an accepted op has exactly the components the text
 * spells. Then, for the ops that decode:
 *
 *   - encode then decode gives the same op, through text and through cJSON;
 *   - applied to the document (or, when its length does not fit, to a
 *     document of the right length made from its characters), the result
 *     has the op's target length, equals what model/doc's in-place apply
 *     gives, and the inverse brings the document back;
 *   - compose(a, b) has the effect of a then b; transform(a, b) converges
 *     (also as ops: a.b' == b.a'), with b lengthened by a retain when it
 *     is shorter than a needs;
 *   - cursors move within the new document and keep their order;
 *   - a document or an op of the wrong length is refused, nothing written.
 */
#include <math.h>
#include <stdbool.h>

#include "fuzz.h"
#include "jsonref.h"
#include "model/doc.h"
#include "model/ot.h"
#include "model/utf8.h"

/* Longest document the harness makes up to fit an op. */
#define MADE_UP_MAX 4096

/* ---- the reference decoding ----------------------------------------------- */

struct ref_comp {
	enum ot_kind kind;
	size_t n;
	const char *text;
	size_t bytes;
};

/* What ot_decode must answer for the text, by the rules of ot.h. On OT_OK
 * the components are in comps[0..*ncomps) (their text in ref). */
static enum ot_status
ref_decode(const struct jref *ref, struct ref_comp *comps, size_t *ncomps)
{
	const double max = (double)OT_MAX_LENGTH;
	size_t base = 0, target = 0, n = 0;
	if (ref->type != JREF_ARRAY)
		return OT_EINVAL;
	for (size_t i = 0; i < ref->nkids; i++) {
		const struct jref *v = &ref->kids[i];
		struct ref_comp c = {OT_RETAIN, 0, NULL, 0};
		if (v->type == JREF_NUMBER) {
			if (v->num > max || v->num < -max)
				return OT_ERANGE;
			if (v->num != floor(v->num) || v->num == 0)
				return OT_EINVAL;
			c.kind = v->num > 0 ? OT_RETAIN : OT_DELETE;
			c.n = (size_t)fabs(v->num);
		} else if (v->type == JREF_STRING) {
			if (v->len == 0 || !utf8_valid(v->str, v->len) ||
			    memchr(v->str, '\0', v->len) != NULL)
				return OT_EINVAL;
			c.kind = OT_INSERT;
			c.n = utf8_count(v->str, v->len);
			c.text = v->str;
			c.bytes = v->len;
		} else {
			return OT_EINVAL;
		}
		if (n > 0 && (comps[n - 1].kind == c.kind ||
		    (c.kind == OT_INSERT && comps[n - 1].kind == OT_DELETE)))
			return OT_EINVAL;
		size_t *grow[2] = {c.kind != OT_INSERT ? &base : NULL,
		    c.kind != OT_DELETE ? &target : NULL};
		for (int k = 0; k < 2; k++) {
			if (grow[k] == NULL)
				continue;
			if (c.n > OT_MAX_LENGTH - *grow[k])
				return OT_ERANGE;
			*grow[k] += c.n;
		}
		comps[n++] = c;
	}
	*ncomps = n;
	return OT_OK;
}

static int
depth_of(const struct jref *v)
{
	int d = 0;
	for (size_t i = 0; i < v->nkids; i++) {
		int k = depth_of(&v->kids[i]);
		d = k > d ? k : d;
	}
	return v->type == JREF_ARRAY || v->type == JREF_OBJECT ? d + 1 : d;
}

static bool
normalised(const struct ot_op *op)
{
	size_t base = 0, target = 0;
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->n == 0)
			return false;
		if (i > 0 && (op->comps[i - 1].kind == c->kind ||
		    (c->kind == OT_INSERT && op->comps[i - 1].kind == OT_DELETE)))
			return false;
		if (c->kind == OT_INSERT && (c->text == NULL ||
		    strlen(c->text) != c->bytes || !utf8_valid(c->text, c->bytes) ||
		    utf8_count(c->text, c->bytes) != c->n))
			return false;
		if (c->kind != OT_INSERT)
			base += c->n;
		if (c->kind != OT_DELETE)
			target += c->n;
	}
	return base == op->base_len && target == op->target_len;
}

/* Decodes text both ways and checks that they agree; true with *op filled
 * when the text is an operation. */
static bool
decode_checked(const char *text, size_t len, struct ot_op *op)
{
	char why[200];
	struct ot_op out = OT_OP_INIT;
	enum ot_status st = ot_decode(text, len, &out, why, sizeof why);
	FUZZ_CHECK(st == OT_OK || out.comps == NULL);

	struct jref ref;
	enum ot_status want = OT_EINVAL;
	struct ref_comp *comps = fuzz_alloc((len + 1) * sizeof *comps);
	size_t ncomps = 0;
	if (jref_parse(text, len, &ref) == JREF_OK &&
	    depth_of(&ref) <= OT_JSON_MAX_DEPTH)
		want = ref_decode(&ref, comps, &ncomps);
	if (st != want)
		fprintf(stderr, "ot_decode: %s (%s), expected %s\n",
		    ot_strerror(st), st == OT_OK ? "" : why, ot_strerror(want));
	FUZZ_CHECK(st == want);
	for (size_t i = 0; st == OT_OK && i < ncomps; i++) {
		const struct ot_comp *c = &out.comps[i];
		FUZZ_CHECK(c->kind == comps[i].kind && c->n == comps[i].n);
		FUZZ_CHECK(c->kind != OT_INSERT || (c->bytes == comps[i].bytes &&
		    memcmp(c->text, comps[i].text, c->bytes) == 0));
	}
	FUZZ_CHECK(st != OT_OK || out.ncomps == ncomps);
	free(comps);
	jref_free(&ref);
	if (st != OT_OK)
		return false;
	FUZZ_CHECK(normalised(&out));
	*op = out;
	return true;
}

/* ---- the algebra ----------------------------------------------------------- */

static char *
apply_ok(const struct ot_op *op, const char *s, size_t len, size_t *out_len)
{
	char *out = NULL;
	FUZZ_CHECK(ot_apply(op, s, len, &out, out_len) == OT_OK);
	FUZZ_CHECK(utf8_valid(out, *out_len));
	FUZZ_CHECK(utf8_count(out, *out_len) == op->target_len);
	return out;
}

static bool
same_text(const char *a, size_t na, const char *b, size_t nb)
{
	return na == nb && memcmp(a, b, na) == 0;
}

static void
check_codec(const struct ot_op *op)
{
	char *s = ot_encode(op);
	FUZZ_CHECK(s != NULL);
	struct ot_op back = OT_OP_INIT;
	FUZZ_CHECK(ot_decode(s, strlen(s), &back, NULL, 0) == OT_OK);
	FUZZ_CHECK(ot_equal(op, &back));
	ot_free(&back);
	free(s);

	cJSON *j = ot_encode_json(op);
	FUZZ_CHECK(j != NULL);
	FUZZ_CHECK(ot_decode_json(j, &back, NULL, 0) == OT_OK);
	FUZZ_CHECK(ot_equal(op, &back));
	ot_free(&back);
	cJSON_Delete(j);
}

/* A document op applies to: the input's own when it fits, else one of
 * op's base length made of its characters (or 'x'), NULL when too long. */
static char *
document_for(const struct ot_op *op, const char *doc, size_t len,
    size_t *out_len)
{
	bool valid = utf8_valid(doc, len) && memchr(doc, '\0', len) == NULL;
	if (valid && utf8_count(doc, len) == op->base_len) {
		*out_len = len;
		char *s = fuzz_alloc(len + 1);
		memcpy(s, doc, len);
		s[len] = '\0';
		return s;
	}
	if (op->base_len > MADE_UP_MAX)
		return NULL;
	if (!valid || len == 0) {
		doc = "x";
		len = 1;
	}
	char *s = fuzz_alloc(op->base_len * 4 + 1);
	size_t w = 0, at = 0;
	for (size_t i = 0; i < op->base_len; i++) {
		if (at == len)
			at = 0;
		size_t k = utf8_offset(doc + at, len - at, 1);
		memcpy(s + w, doc + at, k);
		w += k;
		at += k;
	}
	s[w] = '\0';
	*out_len = w;
	return s;
}

static void
check_apply_invert(const struct ot_op *a, const char *s, size_t n)
{
	size_t an;
	char *sa = apply_ok(a, s, n, &an);

	struct doc *d = doc_new_from(s, n);
	FUZZ_CHECK(d != NULL);
	struct ot_op inv_doc = OT_OP_INIT;
	FUZZ_CHECK(ot_invert_doc(a, d, &inv_doc) == OT_OK);
	FUZZ_CHECK(ot_apply_doc(d, a) == OT_OK);
	size_t dn;
	char *dt = doc_text(d, &dn);
	FUZZ_CHECK(dt != NULL && same_text(dt, dn, sa, an));
	FUZZ_CHECK(doc_length(d) == a->target_len);
	free(dt);
	doc_free(d);

	struct ot_op inv = OT_OP_INIT;
	FUZZ_CHECK(ot_invert(a, s, n, &inv) == OT_OK);
	FUZZ_CHECK(normalised(&inv) && ot_equal(&inv, &inv_doc));
	FUZZ_CHECK(inv.base_len == a->target_len && inv.target_len == a->base_len);
	size_t bn;
	char *back = apply_ok(&inv, sa, an, &bn);
	FUZZ_CHECK(same_text(back, bn, s, n));

	struct ot_op id = OT_OP_INIT;
	FUZZ_CHECK(ot_compose(a, &inv, &id) == OT_OK);
	FUZZ_CHECK(normalised(&id));
	size_t in;
	char *same = apply_ok(&id, s, n, &in);
	FUZZ_CHECK(same_text(same, in, s, n));

	free(same), free(back), free(sa);
	ot_free(&id), ot_free(&inv), ot_free(&inv_doc);
}

/* An op refuses a document or an op of the wrong length, writing nothing. */
static void
check_refusals(const struct ot_op *a, const struct ot_op *b, const char *doc,
    size_t len)
{
	bool fits = utf8_valid(doc, len) && utf8_count(doc, len) == a->base_len;
	if (!fits) {
		char *out = NULL;
		struct ot_op inv = OT_OP_INIT;
		FUZZ_CHECK(ot_apply(a, doc, len, &out, NULL) != OT_OK && out == NULL);
		FUZZ_CHECK(ot_invert(a, doc, len, &inv) != OT_OK && inv.comps == NULL);
	}
	struct ot_op x = OT_OP_INIT, y = OT_OP_INIT;
	if (b->base_len != a->base_len)
		FUZZ_CHECK(ot_transform(a, b, &x, &y) == OT_ELENGTH &&
		    x.comps == NULL && y.comps == NULL);
	if (b->base_len != a->target_len)
		FUZZ_CHECK(ot_compose(a, b, &x) == OT_ELENGTH && x.comps == NULL);
}

/* b made to start where it must: a retain at its end when it is shorter,
 * unless that would take it past the largest length (OT_ERANGE). */
static bool
fit_to(struct ot_op *b, size_t base_len)
{
	if (b->base_len > base_len)
		return false;
	enum ot_status st = ot_retain(b, base_len - b->base_len);
	FUZZ_CHECK(st == OT_OK || (st == OT_ERANGE &&
	    b->target_len > OT_MAX_LENGTH - (base_len - b->base_len)));
	return st == OT_OK && b->base_len == base_len;
}

static void
check_compose(const struct ot_op *a, struct ot_op *b, const char *s, size_t n)
{
	if (!fit_to(b, a->target_len))
		return;
	struct ot_op ab = OT_OP_INIT;
	FUZZ_CHECK(ot_compose(a, b, &ab) == OT_OK);
	FUZZ_CHECK(normalised(&ab));
	FUZZ_CHECK(ab.base_len == a->base_len && ab.target_len == b->target_len);
	if (s != NULL) {
		size_t an, abn, dn;
		char *sa = apply_ok(a, s, n, &an);
		char *sab = apply_ok(b, sa, an, &abn);
		char *direct = apply_ok(&ab, s, n, &dn);
		FUZZ_CHECK(same_text(sab, abn, direct, dn));
		free(sa), free(sab), free(direct);
	}
	ot_free(&ab);
}

static size_t
inserted(const struct ot_op *op)
{
	size_t n = 0;
	for (size_t i = 0; i < op->ncomps; i++)
		if (op->comps[i].kind == OT_INSERT)
			n += op->comps[i].n;
	return n;
}

static void
check_transform(const struct ot_op *a, struct ot_op *b, const char *s,
    size_t n)
{
	if (!fit_to(b, a->base_len))
		return;
	struct ot_op ap = OT_OP_INIT, bp = OT_OP_INIT, ab = OT_OP_INIT,
	    ba = OT_OP_INIT;
	enum ot_status st = ot_transform(a, b, &ap, &bp);
	if (st == OT_ERANGE) {
		/* both ops' inserts together may not fit in the largest length:
		 * at most the base, less what either deletes, plus both inserts */
		size_t del_a = a->base_len - (a->target_len - inserted(a));
		size_t del_b = b->base_len - (b->target_len - inserted(b));
		size_t longest = a->base_len - (del_a > del_b ? del_a : del_b);
		FUZZ_CHECK(inserted(a) + inserted(b) > OT_MAX_LENGTH - longest);
		FUZZ_CHECK(ap.comps == NULL && bp.comps == NULL);
		return;
	}
	FUZZ_CHECK(st == OT_OK);
	FUZZ_CHECK(normalised(&ap) && normalised(&bp));
	FUZZ_CHECK(ap.base_len == b->target_len && bp.base_len == a->target_len);
	FUZZ_CHECK(ot_compose(a, &bp, &ab) == OT_OK);
	FUZZ_CHECK(ot_compose(b, &ap, &ba) == OT_OK);
	FUZZ_CHECK(ot_equal(&ab, &ba));
	if (s != NULL) {
		size_t an, bn, abn, ban;
		char *sa = apply_ok(a, s, n, &an), *sb = apply_ok(b, s, n, &bn);
		char *sab = apply_ok(&bp, sa, an, &abn);
		char *sba = apply_ok(&ap, sb, bn, &ban);
		FUZZ_CHECK(same_text(sab, abn, sba, ban));
		free(sa), free(sb), free(sab), free(sba);
	}
	ot_free(&ap), ot_free(&bp), ot_free(&ab), ot_free(&ba);
}

static void
check_cursors(const struct ot_op *a, uint64_t seed)
{
	size_t prev[2] = {0, 0};
	size_t step = a->base_len / 16 + 1;
	for (size_t i = 0; i <= a->base_len + 1; i += step) {
		size_t at = i + (size_t)(seed % step);
		for (int own = 0; own < 2; own++) {
			size_t t = ot_transform_index(a, at, own);
			FUZZ_CHECK(t <= a->target_len);
			FUZZ_CHECK(t >= prev[own]);
			prev[own] = t;
		}
		if (step > OT_MAX_LENGTH - i)
			break;
	}
}

/* ---- the input ------------------------------------------------------------- */

/* The part of data[0..size) from *at to the next 0xFF (or the end). */
static const char *
next_part(const uint8_t *data, size_t size, size_t *at, size_t *len)
{
	if (*at > size)
		return NULL;
	const uint8_t *start = data + *at;
	const uint8_t *sep = memchr(start, 0xff, size - *at);
	*len = sep != NULL ? (size_t)(sep - start) : size - *at;
	*at += *len + 1;
	return (const char *)start;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 0, dlen = 0, alen = 0, blen = 0;
	const char *doc = next_part(data, size, &at, &dlen);
	const char *ta = next_part(data, size, &at, &alen);
	const char *tb = next_part(data, size, &at, &blen);
	uint64_t seed = 0;
	for (size_t i = 0; i < size; i++)
		seed = seed * 31 + data[i];

	struct ot_op a = OT_OP_INIT, b = OT_OP_INIT;
	char *copy_a = ta ? fuzz_bytes((const uint8_t *)ta, alen) : NULL;
	char *copy_b = tb ? fuzz_bytes((const uint8_t *)tb, blen) : NULL;
	bool have_a = copy_a && decode_checked(copy_a, alen, &a);
	bool have_b = copy_b && decode_checked(copy_b, blen, &b);
	free(copy_a);
	free(copy_b);
	if (!have_a) {
		ot_free(&b);
		return 0;
	}

	check_codec(&a);
	check_cursors(&a, seed);
	size_t n = 0;
	char *s = document_for(&a, doc, dlen, &n);
	if (s != NULL)
		check_apply_invert(&a, s, n);
	if (have_b) {
		check_refusals(&a, &b, doc, dlen);
		struct ot_op b2 = OT_OP_INIT;
		ot_copy(&b2, &b);
		check_transform(&a, &b, s, n);
		check_compose(&a, &b2, s, n);
		ot_free(&b2);
	}
	free(s);
	ot_free(&a);
	ot_free(&b);
	return 0;
}
