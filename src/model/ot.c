/*
 * ot: text operations (see ot.h for the contract and the tie rule).
 *
 * The algorithms follow ot.js (TextOperation: compose, transform, invert,
 * Selection.Range.transform) so that a JavaScript client and this code agree
 * component for component. Each binary algorithm walks both ops with a
 * cursor that can stand inside a component (part of a retain, delete or
 * insert already consumed), and builds its result with the normalising
 * builders into temporaries: an output is written only on success.
 */
#include "model/ot.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsoncheck.h"
#include "model/ot_fast.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

/* An operation is a flat array: deeper nesting is never valid anyway. */
#define OT_JSON_DEPTH 64

const char *
ot_strerror(enum ot_status status)
{
	switch (status) {
	case OT_OK: return "success";
	case OT_EINVAL: return "invalid operation or text";
	case OT_ELENGTH: return "lengths do not match";
	case OT_ERANGE: return "length out of range";
	}
	return "unknown status";
}

void
ot_init(struct ot_op *op)
{
	*op = (struct ot_op)OT_OP_INIT;
}

void
ot_free(struct ot_op *op)
{
	for (size_t i = 0; i < op->ncomps; i++)
		free(op->comps[i].text);
	free(op->comps);
	ot_init(op);
}

/* Room for one more component (the test inline: ops are built one
 * component at a time on every path). */
static void
reserve_comp(struct ot_op *op)
{
	if (op->ncomps == op->cap)
		xgrow(&op->comps, &op->cap, op->ncomps + 1, sizeof *op->comps);
}

static struct ot_comp *
last_comp(struct ot_op *op, size_t back)
{
	return op->ncomps > back ? &op->comps[op->ncomps - 1 - back] : NULL;
}

static bool
is_kind(const struct ot_comp *c, enum ot_kind kind)
{
	return c != NULL && c->kind == kind;
}

/* Checked a + n <= OT_MAX_LENGTH. */
static bool
fits(size_t a, size_t n)
{
	return n <= OT_MAX_LENGTH && a <= OT_MAX_LENGTH - n;
}

enum ot_status
ot_retain(struct ot_op *op, size_t n)
{
	if (n == 0)
		return OT_OK;
	if (!fits(op->base_len, n) || !fits(op->target_len, n))
		return OT_ERANGE;
	struct ot_comp *last = last_comp(op, 0);
	if (is_kind(last, OT_RETAIN)) {
		last->n += n;
	} else {
		reserve_comp(op);
		op->comps[op->ncomps++] = (struct ot_comp){.kind = OT_RETAIN, .n = n};
	}
	op->base_len += n;
	op->target_len += n;
	return OT_OK;
}

enum ot_status
ot_delete(struct ot_op *op, size_t n)
{
	if (n == 0)
		return OT_OK;
	if (!fits(op->base_len, n))
		return OT_ERANGE;
	struct ot_comp *last = last_comp(op, 0);
	if (is_kind(last, OT_DELETE)) {
		last->n += n;
	} else {
		reserve_comp(op);
		op->comps[op->ncomps++] = (struct ot_comp){.kind = OT_DELETE, .n = n};
	}
	op->base_len += n;
	return OT_OK;
}

/* Appends len bytes to the text of insert component c, growing it
 * geometrically so that building text one character at a time stays
 * linear. */
static void
text_append(struct ot_comp *c, const char *s, size_t len, size_t cps)
{
	if (c->bytes + len + 1 > c->cap)
		xgrow(&c->text, &c->cap, c->bytes + len + 1, 1);
	memcpy(c->text + c->bytes, s, len);
	c->bytes += len;
	c->text[c->bytes] = '\0';
	c->n += cps;
}

/* ot.js's insert: merge into an insert that ends the op or stands just
 * before a final delete; otherwise slide in before a final delete. s is
 * trusted: valid UTF-8 without NUL, cps code points. */
static enum ot_status
insert_raw(struct ot_op *op, const char *s, size_t len, size_t cps)
{
	if (len == 0)
		return OT_OK;
	if (!fits(op->target_len, cps))
		return OT_ERANGE;
	struct ot_comp *last = last_comp(op, 0);
	struct ot_comp *target = NULL;
	if (is_kind(last, OT_INSERT))
		target = last;
	else if (is_kind(last, OT_DELETE) && is_kind(last_comp(op, 1), OT_INSERT))
		target = last_comp(op, 1);
	if (target != NULL) {
		text_append(target, s, len, cps);
	} else {
		reserve_comp(op);
		last = last_comp(op, 0); /* reserve_comp may have moved it */
		struct ot_comp c = {.kind = OT_INSERT};
		text_append(&c, s, len, cps);
		if (is_kind(last, OT_DELETE)) {
			op->comps[op->ncomps] = *last;
			*last = c;
		} else {
			op->comps[op->ncomps] = c;
		}
		op->ncomps++;
	}
	op->target_len += cps;
	return OT_OK;
}

enum ot_status
ot_insert(struct ot_op *op, const char *utf8, size_t len)
{
	if (len == 0)
		return OT_OK;
	if (!utf8_valid(utf8, len) || memchr(utf8, '\0', len) != NULL)
		return OT_EINVAL;
	return insert_raw(op, utf8, len, utf8_count(utf8, len));
}

void
ot_copy(struct ot_op *out, const struct ot_op *op)
{
	struct ot_op copy = OT_OP_INIT;
	if (op->ncomps > 0) {
		copy.comps = xcalloc(op->ncomps, sizeof *copy.comps);
		copy.cap = op->ncomps;
	}
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		struct ot_comp *d = &copy.comps[i];
		*d = (struct ot_comp){.kind = c->kind, .n = c->n};
		if (c->kind == OT_INSERT) {
			d->n = 0;
			text_append(d, c->text, c->bytes, c->n);
		}
	}
	copy.ncomps = op->ncomps;
	copy.base_len = op->base_len;
	copy.target_len = op->target_len;
	*out = copy;
}

bool
ot_equal(const struct ot_op *a, const struct ot_op *b)
{
	if (a->ncomps != b->ncomps || a->base_len != b->base_len ||
	    a->target_len != b->target_len)
		return false;
	for (size_t i = 0; i < a->ncomps; i++) {
		const struct ot_comp *x = &a->comps[i], *y = &b->comps[i];
		if (x->kind != y->kind || x->n != y->n)
			return false;
		if (x->kind == OT_INSERT && (x->bytes != y->bytes ||
		    memcmp(x->text, y->text, x->bytes) != 0))
			return false;
	}
	return true;
}

bool
ot_is_noop(const struct ot_op *op)
{
	return op->ncomps == 0 ||
	    (op->ncomps == 1 && op->comps[0].kind == OT_RETAIN);
}

/* ---- JSON ------------------------------------------------------------ */

/* Writes a reason into err (when there is room) and returns st. */
__attribute__((format(printf, 4, 5))) static enum ot_status
fail(enum ot_status st, char *err, size_t errlen, const char *fmt, ...)
{
	if (err != NULL && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return st;
}

static const char *const kind_names[] = {"retain", "insert", "delete"};

static const char *
json_type_name(const cJSON *item)
{
	if (cJSON_IsArray(item)) return "an array";
	if (cJSON_IsObject(item)) return "an object";
	if (cJSON_IsBool(item)) return "a boolean";
	if (cJSON_IsNull(item)) return "null";
	if (cJSON_IsNumber(item)) return "a number";
	if (cJSON_IsString(item)) return "a string";
	return "an invalid value";
}

/* Reads one array element into a component kind and count, or explains why
 * it is not one. */
static enum ot_status
decode_number(const cJSON *item, size_t i, enum ot_kind *kind, size_t *n,
    char *err, size_t errlen)
{
	double d = item->valuedouble;
	const double max = (double)OT_MAX_LENGTH;
	if (d != d || d > max || d < -max)
		return fail(OT_ERANGE, err, errlen,
		    "op[%zu]: %g is out of range (at most %.0f code points)",
		    i, d, max);
	if ((double)(int64_t)d != d)
		return fail(OT_EINVAL, err, errlen,
		    "op[%zu]: %g is not an integer", i, d);
	if (d == 0)
		return fail(OT_EINVAL, err, errlen,
		    "op[%zu]: 0 is not a valid component (retains are positive,"
		    " deletes negative)", i);
	*kind = d > 0 ? OT_RETAIN : OT_DELETE;
	*n = (size_t)(d > 0 ? (int64_t)d : -(int64_t)d);
	return OT_OK;
}

static enum ot_status
decode_item(struct ot_op *op, const cJSON *item, size_t i, char *err,
    size_t errlen)
{
	enum ot_kind kind = OT_RETAIN;
	size_t n = 0, len = 0;
	const char *s = NULL;
	enum ot_status st;

	if (cJSON_IsNumber(item)) {
		if ((st = decode_number(item, i, &kind, &n, err, errlen)) != OT_OK)
			return st;
	} else if (cJSON_IsString(item) && item->valuestring != NULL) {
		s = item->valuestring;
		len = strlen(s);
		kind = OT_INSERT;
		if (len == 0)
			return fail(OT_EINVAL, err, errlen,
			    "op[%zu]: empty insert string", i);
		if (!utf8_valid(s, len))
			return fail(OT_EINVAL, err, errlen,
			    "op[%zu]: insert string is not valid UTF-8", i);
	} else {
		return fail(OT_EINVAL, err, errlen, "op[%zu]: expected an integer"
		    " or a string, got %s", i, json_type_name(item));
	}

	const struct ot_comp *last = last_comp(op, 0);
	if (is_kind(last, kind))
		return fail(OT_EINVAL, err, errlen, "op[%zu]: two adjacent %ss"
		    " (not normalised: they must be merged)", i, kind_names[kind]);
	if (kind == OT_INSERT && is_kind(last, OT_DELETE))
		return fail(OT_EINVAL, err, errlen, "op[%zu]: insert after delete"
		    " (not normalised: the insert must come first)", i);

	if (kind == OT_RETAIN)
		st = ot_retain(op, n);
	else if (kind == OT_DELETE)
		st = ot_delete(op, n);
	else
		st = insert_raw(op, s, len, utf8_count(s, len));
	if (st != OT_OK) /* OT_ERANGE, the one way a builder fails */
		return fail(st, err, errlen, "op[%zu]: operation length exceeds"
		    " %zu code points", i, OT_MAX_LENGTH);
	return OT_OK;
}

enum ot_status
ot_decode_json(const cJSON *json, struct ot_op *out, char *err, size_t errlen)
{
	if (json == NULL || !cJSON_IsArray(json))
		return fail(OT_EINVAL, err, errlen,
		    "an operation must be a JSON array, got %s",
		    json == NULL ? "nothing" : json_type_name(json));
	struct ot_op op = OT_OP_INIT;
	size_t i = 0;
	for (const cJSON *item = json->child; item != NULL; item = item->next) {
		enum ot_status st = decode_item(&op, item, i++, err, errlen);
		if (st != OT_OK) {
			ot_free(&op);
			return st;
		}
	}
	*out = op;
	return OT_OK;
}

enum ot_status
ot_decode(const char *json, size_t len, struct ot_op *out, char *err,
    size_t errlen)
{
	if (json == NULL || len == 0)
		return fail(OT_EINVAL, err, errlen, "empty JSON text");
	if (ot_decode_fast(json, len, out))
		return OT_OK;
	/* strict first: cJSON would read a bad \\u escape as a NUL that cuts
	 * the text */
	char why[128];
	if (!jsoncheck(json, len, OT_JSON_DEPTH, why, sizeof why))
		return fail(OT_EINVAL, err, errlen, "invalid JSON: %s", why);
	cJSON *root = cJSON_ParseWithLength(json, len);
	if (root == NULL)
		return fail(OT_EINVAL, err, errlen, "invalid JSON (unparsable)");
	enum ot_status st = ot_decode_json(root, out, err, errlen);
	cJSON_Delete(root);
	return st;
}

/* cJSON allocates through xmalloc (xmalloc_init_cjson): nothing to check. */
cJSON *
ot_encode_json(const struct ot_op *op)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->kind == OT_INSERT)
			cJSON_AddItemToArray(arr, cJSON_CreateString(c->text));
		else
			cJSON_AddItemToArray(arr, cJSON_CreateNumber(c->kind ==
			    OT_RETAIN ? (double)c->n : -(double)c->n));
	}
	return arr;
}

/* A growable byte string for the encoder. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void
sb_put(struct sbuf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap)
		xgrow(&b->s, &b->cap, b->len + len + 1, 1);
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

/* JSON string: escapes quote, backslash and control characters, and keeps
 * every other character as raw UTF-8. */
static void
sb_put_string(struct sbuf *b, const char *s, size_t len)
{
	sb_put(b, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_put(b, s + run, i - run);
		char esc[8];
		switch (c) {
		case '"': sb_put(b, "\\\"", 2); break;
		case '\\': sb_put(b, "\\\\", 2); break;
		case '\n': sb_put(b, "\\n", 2); break;
		case '\t': sb_put(b, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", c);
			sb_put(b, esc, 6);
		}
		run = i + 1;
	}
	sb_put(b, s + run, len - run);
	sb_put(b, "\"", 1);
}

char *
ot_encode(const struct ot_op *op)
{
	struct sbuf b = {0};
	xgrow(&b.s, &b.cap, 64, 1); /* most ops fit */
	sb_put(&b, "[", 1);
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (i > 0)
			sb_put(&b, ",", 1);
		if (c->kind == OT_INSERT) {
			sb_put_string(&b, c->text, c->bytes);
		} else {
			char num[32];
			int k = snprintf(num, sizeof num, "%s%zu",
			    c->kind == OT_DELETE ? "-" : "", c->n);
			sb_put(&b, num, (size_t)k);
		}
	}
	sb_put(&b, "]", 1);
	return b.s;
}

/* ---- apply, invert ---------------------------------------------------- */

/* Checks that s[0..len) is valid UTF-8 of exactly op's base length. */
static enum ot_status
check_base(const struct ot_op *op, const char *s, size_t len)
{
	if (!utf8_valid(s, len))
		return OT_EINVAL;
	if (utf8_count(s, len) != op->base_len)
		return OT_ELENGTH;
	return OT_OK;
}

enum ot_status
ot_apply(const struct ot_op *op, const char *s, size_t len, char **out,
    size_t *out_len)
{
	enum ot_status st = check_base(op, s, len);
	if (st != OT_OK)
		return st;
	size_t size = len + 1;
	for (size_t i = 0; i < op->ncomps; i++)
		if (op->comps[i].kind == OT_INSERT)
			size += op->comps[i].bytes;
	char *res = xmalloc(size);
	size_t at = 0, w = 0;
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->kind == OT_INSERT) {
			memcpy(res + w, c->text, c->bytes);
			w += c->bytes;
			continue;
		}
		size_t k = utf8_offset(s + at, len - at, c->n);
		if (c->kind == OT_RETAIN) {
			memcpy(res + w, s + at, k);
			w += k;
		}
		at += k;
	}
	res[w] = '\0';
	*out = res;
	if (out_len != NULL)
		*out_len = w;
	return OT_OK;
}

enum ot_status
ot_invert(const struct ot_op *op, const char *before, size_t len,
    struct ot_op *out)
{
	enum ot_status st = check_base(op, before, len);
	if (st != OT_OK)
		return st;
	struct ot_op inv = OT_OP_INIT;
	size_t at = 0;
	for (size_t i = 0; i < op->ncomps && st == OT_OK; i++) {
		const struct ot_comp *c = &op->comps[i];
		size_t k;
		switch (c->kind) {
		case OT_RETAIN:
			st = ot_retain(&inv, c->n);
			at += utf8_offset(before + at, len - at, c->n);
			break;
		case OT_INSERT:
			st = ot_delete(&inv, c->n);
			break;
		case OT_DELETE:
			k = utf8_offset(before + at, len - at, c->n);
			if (memchr(before + at, '\0', k) != NULL)
				st = OT_EINVAL; /* an op cannot carry U+0000 */
			else
				st = insert_raw(&inv, before + at, k, c->n);
			at += k;
			break;
		}
	}
	if (st != OT_OK) {
		ot_free(&inv);
		return st;
	}
	*out = inv;
	return OT_OK;
}

/* ---- compose, transform ---------------------------------------------- */

/* A read position inside an op: component i, of which `used` code points
 * (and, for an insert, `boff` bytes) are already consumed. */
struct walker {
	const struct ot_op *op;
	size_t i, used, boff;
};

static const struct ot_comp *
w_comp(const struct walker *w)
{
	return w->i < w->op->ncomps ? &w->op->comps[w->i] : NULL;
}

static size_t
w_left(const struct walker *w)
{
	return w->op->comps[w->i].n - w->used;
}

/* Consumes k code points of the current component (k <= w_left). */
static void
w_take(struct walker *w, size_t k)
{
	const struct ot_comp *c = &w->op->comps[w->i];
	if (k == c->n - w->used) {
		w->i++;
		w->used = w->boff = 0;
		return;
	}
	if (c->kind == OT_INSERT)
		w->boff += utf8_offset(c->text + w->boff, c->bytes - w->boff, k);
	w->used += k;
}

/* Emits the next k code points of an insert component into out. */
static enum ot_status
w_insert(struct walker *w, size_t k, struct ot_op *out)
{
	const struct ot_comp *c = &w->op->comps[w->i];
	const char *s = c->text + w->boff;
	size_t bytes = utf8_offset(s, c->bytes - w->boff, k);
	enum ot_status st = insert_raw(out, s, bytes, k);
	w_take(w, k);
	return st;
}

static size_t
min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static enum ot_status
compose_step(struct walker *wa, struct walker *wb, struct ot_op *out)
{
	const struct ot_comp *a = w_comp(wa), *b = w_comp(wb);
	if (is_kind(a, OT_DELETE)) {
		enum ot_status st = ot_delete(out, w_left(wa));
		w_take(wa, w_left(wa));
		return st;
	}
	if (is_kind(b, OT_INSERT))
		return w_insert(wb, w_left(wb), out);
	if (a == NULL || b == NULL)
		return OT_ELENGTH; /* unreachable once lengths were checked */
	size_t k = min_size(w_left(wa), w_left(wb));
	enum ot_status st = OT_OK;
	if (a->kind == OT_INSERT && b->kind == OT_RETAIN) {
		w_take(wb, k);
		return w_insert(wa, k, out);
	}
	if (a->kind == OT_RETAIN)
		st = b->kind == OT_RETAIN ? ot_retain(out, k) : ot_delete(out, k);
	/* else insert then delete: the text never reaches the result */
	w_take(wa, k);
	w_take(wb, k);
	return st;
}

enum ot_status
ot_compose(const struct ot_op *a, const struct ot_op *b, struct ot_op *out)
{
	if (a->target_len != b->base_len)
		return OT_ELENGTH;
	struct ot_op res = OT_OP_INIT;
	struct walker wa = {.op = a}, wb = {.op = b};
	enum ot_status st = OT_OK;
	while (st == OT_OK && (w_comp(&wa) != NULL || w_comp(&wb) != NULL))
		st = compose_step(&wa, &wb, &res);
	if (st != OT_OK) {
		ot_free(&res);
		return st;
	}
	*out = res;
	return OT_OK;
}

static enum ot_status
transform_step(struct walker *wa, struct walker *wb, struct ot_op *ap,
    struct ot_op *bp)
{
	const struct ot_comp *a = w_comp(wa), *b = w_comp(wb);
	enum ot_status st;
	/* a's insert first: a is the op the server ordered first */
	if (is_kind(a, OT_INSERT)) {
		size_t k = w_left(wa);
		if ((st = ot_retain(bp, k)) != OT_OK)
			return st;
		return w_insert(wa, k, ap);
	}
	if (is_kind(b, OT_INSERT)) {
		size_t k = w_left(wb);
		if ((st = ot_retain(ap, k)) != OT_OK)
			return st;
		return w_insert(wb, k, bp);
	}
	if (a == NULL || b == NULL)
		return OT_ELENGTH; /* unreachable once lengths were checked */
	size_t k = min_size(w_left(wa), w_left(wb));
	st = OT_OK;
	if (a->kind == OT_RETAIN && b->kind == OT_RETAIN) {
		st = ot_retain(ap, k);
		if (st == OT_OK)
			st = ot_retain(bp, k);
	} else if (a->kind == OT_DELETE && b->kind == OT_RETAIN) {
		st = ot_delete(ap, k);
	} else if (a->kind == OT_RETAIN && b->kind == OT_DELETE) {
		st = ot_delete(bp, k);
	} /* both delete the same text: nothing left to do for either */
	w_take(wa, k);
	w_take(wb, k);
	return st;
}

enum ot_status
ot_transform(const struct ot_op *a, const struct ot_op *b,
    struct ot_op *a_prime, struct ot_op *b_prime)
{
	if (a->base_len != b->base_len)
		return OT_ELENGTH;
	struct ot_op ap = OT_OP_INIT, bp = OT_OP_INIT;
	struct walker wa = {.op = a}, wb = {.op = b};
	enum ot_status st = OT_OK;
	while (st == OT_OK && (w_comp(&wa) != NULL || w_comp(&wb) != NULL))
		st = transform_step(&wa, &wb, &ap, &bp);
	if (st != OT_OK) {
		ot_free(&ap);
		ot_free(&bp);
		return st;
	}
	*a_prime = ap;
	*b_prime = bp;
	return OT_OK;
}

/* ---- cursors ---------------------------------------------------------- */

size_t
ot_transform_index(const struct ot_op *op, size_t index, bool own)
{
	if (index > op->base_len)
		index = op->base_len;
	size_t at = 0; /* position in the old document reached so far */
	size_t res = index;
	for (size_t i = 0; i < op->ncomps && at <= index; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->kind == OT_RETAIN) {
			at += c->n;
		} else if (c->kind == OT_INSERT) {
			if (at == index && own)
				break;
			res += c->n;
		} else {
			res -= min_size(c->n, index - at);
			at += c->n;
		}
	}
	return res < op->target_len ? res : op->target_len;
}

struct ot_selection
ot_transform_selection(const struct ot_op *op, struct ot_selection sel,
    bool own)
{
	return (struct ot_selection){
		.anchor = ot_transform_index(op, sel.anchor, own),
		.head = ot_transform_index(op, sel.head, own),
	};
}
