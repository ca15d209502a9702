/*
 * ot: text operations for the shared document (operational transformation).
 *
 * An operation is ot.js's TextOperation: a list of components that walk the
 * whole document once. On the wire it is a JSON array in which a positive
 * integer retains that many code points, a string inserts its text and a
 * negative integer deletes that many code points. Every position and count
 * is in Unicode code points, never bytes.
 *
 *   base length   = retains + deletes  (length of the document it applies to)
 *   target length = retains + inserts  (length of the document it produces)
 *
 * Normal form (kept by the builders, required by the decoders, produced by
 * every function here): no zero counts, no empty inserts, no two adjacent
 * components of the same kind, and an insert next to a delete comes first
 * (insert then delete), exactly as ot.js's retain/insert/delete build it.
 * Two equal edits therefore always have equal component lists.
 *
 * Owns: the components of each struct ot_op and their insert text (UTF-8,
 * NUL-terminated for convenience, never containing U+0000 because JSON via
 * cJSON cannot carry it). Never does: I/O, logging, or keeping state between
 * calls; it knows nothing of revisions, clients or the network.
 *
 * Errors: functions that can fail return an enum ot_status and leave their
 * inputs and outputs untouched on failure; running out of memory is not one
 * of them (it aborts: model/xmalloc.h). Outputs (struct ot_op *out) are
 * written only on success, overwriting what was there without freeing it:
 * pass an empty or already-freed op. The decoders write a human reason into
 * a caller buffer (err, errlen; err may be NULL).
 *
 * THE TIE RULE (transform). When two concurrent operations insert at the same
 * position, the one the server ordered FIRST keeps its text first. Call
 * ot_transform(a, b, ...) with a = the operation the server already applied
 * (ordered first) and b = the later one; in the converged document a's insert
 * comes before b's. This is ot.js's transform(operation1, operation2) with
 * operation1 = the server's. A client transforming its pending op against an
 * incoming server op must therefore pass the server op as a.
 */
#ifndef CONFAB_OT_H
#define CONFAB_OT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* Largest count or length an operation may carry: JavaScript's largest safe
 * integer, so every length survives a JSON round trip exactly. */
#define OT_MAX_LENGTH ((size_t)9007199254740991ULL)

enum ot_status {
	OT_OK = 0,
	OT_EINVAL,  /* malformed operation, text or JSON */
	OT_ELENGTH, /* lengths do not fit (base length vs document, compose...) */
	OT_ERANGE,  /* a count or length above OT_MAX_LENGTH */
};

enum ot_kind { OT_RETAIN, OT_INSERT, OT_DELETE };

struct ot_comp {
	enum ot_kind kind;
	size_t n;     /* code points retained, inserted or deleted; never 0 */
	char *text;   /* OT_INSERT only: owned UTF-8, NUL-terminated */
	size_t bytes; /* OT_INSERT only: byte length of text */
	size_t cap;   /* OT_INSERT only: bytes allocated (internal) */
};

struct ot_op {
	struct ot_comp *comps; /* owned; ncomps in use of cap allocated */
	size_t ncomps;
	size_t cap;
	size_t base_len;   /* retains + deletes */
	size_t target_len; /* retains + inserts */
};

/* A selection: anchor is where it started, head where the cursor is; equal
 * for a plain cursor. Code-point positions. */
struct ot_selection {
	size_t anchor;
	size_t head;
};

#define OT_OP_INIT {NULL, 0, 0, 0, 0}

/* Short English for a status, e.g. "lengths do not match". */
const char *ot_strerror(enum ot_status status);

/* Life cycle. ot_init makes the empty op (identity on the empty document);
 * ot_free releases everything and leaves an empty op behind. */
void ot_init(struct ot_op *op);
void ot_free(struct ot_op *op);
void ot_copy(struct ot_op *out, const struct ot_op *op);
bool ot_equal(const struct ot_op *a, const struct ot_op *b);

/* True when op changes nothing (only retains, or empty). */
bool ot_is_noop(const struct ot_op *op);

/* Builders: append to op, keeping it normalised like ot.js. Zero counts and
 * empty strings are accepted and change nothing. ot_insert rejects invalid
 * UTF-8 and U+0000 with OT_EINVAL. On failure op is unchanged. */
enum ot_status ot_retain(struct ot_op *op, size_t n);
enum ot_status ot_insert(struct ot_op *op, const char *utf8, size_t len);
enum ot_status ot_delete(struct ot_op *op, size_t n);

/* Decoding validates fully: an array, whose elements are non-zero integral
 * numbers or non-empty strings of valid UTF-8, in normal form. */
enum ot_status ot_decode_json(const cJSON *json, struct ot_op *out,
    char *err, size_t errlen);
/* The same from JSON text json[0..len) (no NUL needed). The text must be
 * strict JSON, checked before cJSON reads it: trailing non-whitespace,
 * control bytes, raw NULs, \u0000 and bad escapes are rejected, as is
 * nesting deeper than OT_JSON_MAX_DEPTH (an operation is a flat array). */
#define OT_JSON_MAX_DEPTH 64
enum ot_status ot_decode(const char *json, size_t len, struct ot_op *out,
    char *err, size_t errlen);

/* Encoding gives the canonical array. ot_encode_json returns a new cJSON
 * array (cJSON_Delete it); ot_encode returns compact JSON text, NUL-
 * terminated, to free(). Neither returns NULL. */
cJSON *ot_encode_json(const struct ot_op *op);
char *ot_encode(const struct ot_op *op);

/* Applies op to the valid UTF-8 text s[0..len): *out receives a new
 * NUL-terminated string to free() and *out_len its byte length (out_len may
 * be NULL). OT_EINVAL when s is not valid UTF-8, OT_ELENGTH when its length
 * in code points is not op's base length. */
enum ot_status ot_apply(const struct ot_op *op, const char *s, size_t len,
    char **out, size_t *out_len);

/* compose(a, b): one op with the effect of a then b. a's target length must
 * equal b's base length, else OT_ELENGTH. */
enum ot_status ot_compose(const struct ot_op *a, const struct ot_op *b,
    struct ot_op *out);

/* transform(a, b) -> (a', b') with apply(apply(S, a), b') ==
 * apply(apply(S, b), a'). Both must have the same base length, else
 * OT_ELENGTH. a is the op the server ordered first: see THE TIE RULE above. */
enum ot_status ot_transform(const struct ot_op *a, const struct ot_op *b,
    struct ot_op *a_prime, struct ot_op *b_prime);

/* The op that undoes op, given the text op was applied to (before[0..len),
 * valid UTF-8, op's base length in code points, else OT_EINVAL/OT_ELENGTH):
 * apply(apply(S, op), inverse) == S. OT_EINVAL too when the text op deletes
 * holds U+0000, which no op can carry. */
enum ot_status ot_invert(const struct ot_op *op, const char *before,
    size_t len, struct ot_op *out);

/* Moves a position (code points, in the document before op) to where it is
 * after op. Inserts before it push it right; deletes before it pull it left;
 * inside a deleted range it moves to the start of the range. An insert
 * exactly at the position pushes it right (ot.js), unless own is true: the op
 * is the cursor owner's own edit, and the position stays where it is, left
 * of the inserted text. A position past op's base length counts as the base
 * length; the result is always within [0, target length]. */
size_t ot_transform_index(const struct ot_op *op, size_t index, bool own);
struct ot_selection ot_transform_selection(const struct ot_op *op,
    struct ot_selection sel, bool own);

#endif
