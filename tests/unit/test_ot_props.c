/*
 * Randomised properties of text operations (model/ot, model/doc).
 *
 * Every case draws from its own fixed seed (BASE_SEED + case number), so a
 * failure prints the seed and is reproducible alone: set OT_PROPS_SEED to it
 * to run just that case of every property.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/doc.h"
#include "model/ot.h"
#include "model/utf8.h"

/* A cmocka test body; the state pointer is unused throughout. */
#define TEST(name) static void name(void **state __attribute__((unused)))

#define CASES 5000
#define BASE_SEED UINT64_C(0x5eed0000)

/* ---- random generation ------------------------------------------------ */

struct rng {
	uint64_t s;
};

/* splitmix64 */
static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static size_t
rng_below(struct rng *r, size_t n)
{
	return (size_t)(rng_next(r) % n);
}

/* One to four bytes per character, so byte and code-point offsets differ. */
static const char *const alphabet[] = {
	"a", "b", "c", " ", "\n", "é", "ö", "ß", "日", "本", "語", "😀", "𝄞",
};
#define NALPHA (sizeof alphabet / sizeof alphabet[0])

/* A NUL-terminated random string of n code points, to free(). */
static char *
random_text(struct rng *r, size_t n)
{
	char *s = malloc(n * 4 + 1);
	assert_non_null(s);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		const char *c = alphabet[rng_below(r, NALPHA)];
		memcpy(s + w, c, strlen(c));
		w += strlen(c);
	}
	s[w] = '\0';
	return s;
}

static char *
random_doc(struct rng *r)
{
	return random_text(r, rng_below(r, 40));
}

/* A random op on a document of len code points, built like ot.js's test
 * helper randomOperation: a walk of retains, deletes and inserts. */
static struct ot_op
random_op(struct rng *r, size_t len)
{
	struct ot_op op = OT_OP_INIT;
	size_t left = len;
	while (left > 0) {
		size_t k = 1 + rng_below(r, left < 6 ? left : 6);
		unsigned pick = (unsigned)rng_below(r, 10);
		if (pick < 2) {
			char *t = random_text(r, 1 + rng_below(r, 5));
			assert_int_equal(ot_insert(&op, t, strlen(t)), OT_OK);
			free(t);
		} else if (pick < 5) {
			assert_int_equal(ot_delete(&op, k), OT_OK);
			left -= k;
		} else {
			assert_int_equal(ot_retain(&op, k), OT_OK);
			left -= k;
		}
	}
	if (rng_below(r, 3) == 0) {
		char *t = random_text(r, 1 + rng_below(r, 5));
		assert_int_equal(ot_insert(&op, t, strlen(t)), OT_OK);
		free(t);
	}
	return op;
}

/* ---- checks ----------------------------------------------------------- */

static uint64_t current_seed;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			fail_msg("%s failed for seed %" PRIu64             \
			    " (OT_PROPS_SEED=%" PRIu64 ")", #cond,         \
			    current_seed, current_seed);                   \
	} while (0)

static char *
apply_ok(const struct ot_op *op, const char *s)
{
	char *out = NULL;
	CHECK(ot_apply(op, s, strlen(s), &out, NULL) == OT_OK);
	return out;
}

/* Normal form, and lengths that match the components. */
static bool
normalised(const struct ot_op *op)
{
	size_t base = 0, target = 0;
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->n == 0)
			return false;
		if (i > 0 && op->comps[i - 1].kind == c->kind)
			return false;
		if (i > 0 && op->comps[i - 1].kind == OT_DELETE &&
		    c->kind == OT_INSERT)
			return false;
		if (c->kind == OT_INSERT &&
		    (c->bytes == 0 || utf8_count(c->text, c->bytes) != c->n ||
		    c->text[c->bytes] != '\0'))
			return false;
		base += c->kind != OT_INSERT ? c->n : 0;
		target += c->kind != OT_DELETE ? c->n : 0;
	}
	return base == op->base_len && target == op->target_len;
}

/* Runs body(rng) for every case, or only for OT_PROPS_SEED when set. */
static void
for_each_case(void (*body)(struct rng *))
{
	const char *only = getenv("OT_PROPS_SEED");
	uint64_t first = BASE_SEED, count = CASES;
	if (only != NULL) {
		first = strtoull(only, NULL, 0);
		count = 1;
	}
	for (uint64_t i = 0; i < count; i++) {
		current_seed = first + i;
		struct rng r = {current_seed};
		body(&r);
	}
}

/* ---- properties ------------------------------------------------------- */

static void
transform_case(struct rng *r)
{
	char *s = random_doc(r);
	size_t n = utf8_count(s, strlen(s));
	struct ot_op a = random_op(r, n), b = random_op(r, n), ap, bp, ab, ba;
	CHECK(ot_transform(&a, &b, &ap, &bp) == OT_OK);
	CHECK(normalised(&ap) && normalised(&bp));
	char *sa = apply_ok(&a, s), *sb = apply_ok(&b, s);
	char *sab = apply_ok(&bp, sa), *sba = apply_ok(&ap, sb);
	CHECK(strcmp(sab, sba) == 0);
	/* the same holds as ops: a . b' == b . a' */
	CHECK(ot_compose(&a, &bp, &ab) == OT_OK);
	CHECK(ot_compose(&b, &ap, &ba) == OT_OK);
	CHECK(ot_equal(&ab, &ba));
	free(s), free(sa), free(sb), free(sab), free(sba);
	ot_free(&a), ot_free(&b), ot_free(&ap), ot_free(&bp);
	ot_free(&ab), ot_free(&ba);
}

TEST(transform__converges_whatever_the_two_ops)
{
	for_each_case(transform_case);
}

static void
compose_case(struct rng *r)
{
	char *s = random_doc(r);
	struct ot_op a = random_op(r, utf8_count(s, strlen(s)));
	struct ot_op b = random_op(r, a.target_len), ab;
	CHECK(ot_compose(&a, &b, &ab) == OT_OK);
	CHECK(normalised(&ab));
	CHECK(ab.base_len == a.base_len && ab.target_len == b.target_len);
	char *sa = apply_ok(&a, s), *sab = apply_ok(&b, sa);
	char *direct = apply_ok(&ab, s);
	CHECK(strcmp(direct, sab) == 0);
	free(s), free(sa), free(sab), free(direct);
	ot_free(&a), ot_free(&b), ot_free(&ab);
}

TEST(compose__equals_applying_both_ops_in_turn)
{
	for_each_case(compose_case);
}

static void
invert_case(struct rng *r)
{
	char *s = random_doc(r);
	struct ot_op a = random_op(r, utf8_count(s, strlen(s))), inv, inv_doc;
	CHECK(ot_invert(&a, s, strlen(s), &inv) == OT_OK);
	CHECK(normalised(&inv));
	CHECK(inv.base_len == a.target_len && inv.target_len == a.base_len);
	char *sa = apply_ok(&a, s), *back = apply_ok(&inv, sa);
	CHECK(strcmp(back, s) == 0);
	struct doc *d = doc_new_from(s, strlen(s));
	CHECK(ot_invert_doc(&a, d, &inv_doc) == OT_OK);
	CHECK(ot_equal(&inv, &inv_doc));
	doc_free(d);
	free(s), free(sa), free(back);
	ot_free(&a), ot_free(&inv), ot_free(&inv_doc);
}

TEST(invert__undoes_the_op)
{
	for_each_case(invert_case);
}

static void
cursor_case(struct rng *r)
{
	size_t n = rng_below(r, 40);
	struct ot_op a = random_op(r, n);
	size_t i = rng_below(r, n + 4), j = rng_below(r, n + 4);
	if (i > j) {
		size_t t = i;
		i = j;
		j = t;
	}
	for (int own = 0; own < 2; own++) {
		size_t ti = ot_transform_index(&a, i, own);
		size_t tj = ot_transform_index(&a, j, own);
		CHECK(ti <= a.target_len && tj <= a.target_len);
		CHECK(ti <= tj); /* order is kept */
	}
	/* an owner's cursor never ends right of another user's */
	CHECK(ot_transform_index(&a, i, true) <= ot_transform_index(&a, i, false));
	ot_free(&a);
}

TEST(cursor__stays_within_the_new_document_and_keeps_order)
{
	for_each_case(cursor_case);
}

static void
codec_case(struct rng *r)
{
	struct ot_op a = random_op(r, rng_below(r, 40)), back = OT_OP_INIT;
	char *json = ot_encode(&a);
	CHECK(json != NULL);
	char err[160] = "";
	CHECK(ot_decode(json, strlen(json), &back, err, sizeof err) == OT_OK);
	CHECK(ot_equal(&a, &back));
	ot_free(&back);
	cJSON *arr = ot_encode_json(&a);
	CHECK(ot_decode_json(arr, &back, err, sizeof err) == OT_OK);
	CHECK(ot_equal(&a, &back));
	cJSON_Delete(arr);
	free(json);
	ot_free(&a), ot_free(&back);
}

TEST(decode__reads_back_what_encode_wrote)
{
	for_each_case(codec_case);
}

/* A chain of ops on one doc, so that the gap wanders and grows. */
static void
doc_case(struct rng *r)
{
	char *s = random_doc(r);
	struct doc *d = doc_new_from(s, strlen(s));
	for (int k = 0; k < 8; k++) {
		struct ot_op a = random_op(r, utf8_count(s, strlen(s)));
		char *next = apply_ok(&a, s);
		CHECK(ot_apply_doc(d, &a) == OT_OK);
		size_t len;
		char *text = doc_text(d, &len);
		CHECK(len == strlen(next) && strcmp(text, next) == 0);
		CHECK(doc_length(d) == a.target_len);
		free(text), free(s);
		s = next;
		ot_free(&a);
	}
	doc_free(d);
	free(s);
}

TEST(apply_doc__equals_applying_to_a_plain_string)
{
	for_each_case(doc_case);
}

/* An op that does not fit leaves the document as it was. */
static void
doc_mismatch_case(struct rng *r)
{
	char *s = random_doc(r);
	size_t n = utf8_count(s, strlen(s));
	struct doc *d = doc_new_from(s, strlen(s));
	struct ot_op a = random_op(r, n + 1 + rng_below(r, 3));
	CHECK(ot_apply_doc(d, &a) == OT_ELENGTH);
	char *text = doc_text(d, NULL);
	CHECK(strcmp(text, s) == 0);
	free(text), free(s);
	ot_free(&a);
	doc_free(d);
}

TEST(apply_doc__leaves_the_document_alone_when_the_op_does_not_fit)
{
	for_each_case(doc_mismatch_case);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transform__converges_whatever_the_two_ops),
		cmocka_unit_test(compose__equals_applying_both_ops_in_turn),
		cmocka_unit_test(invert__undoes_the_op),
		cmocka_unit_test(cursor__stays_within_the_new_document_and_keeps_order),
		cmocka_unit_test(decode__reads_back_what_encode_wrote),
		cmocka_unit_test(apply_doc__equals_applying_to_a_plain_string),
		cmocka_unit_test(apply_doc__leaves_the_document_alone_when_the_op_does_not_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
