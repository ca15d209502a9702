/* Comment anchors moved through text operations (model/anchor). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/anchor.h"
#include "model/ot.h"

#include "otgen.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

#define CASES 4000
#define BASE_SEED UINT64_C(0xa2c40000)

/* ---- helpers ---------------------------------------------------------- */

static struct ot_op
op_of(const char *json)
{
	struct ot_op op = OT_OP_INIT;
	char err[160] = "";
	if (ot_decode(json, strlen(json), &op, err, sizeof err) != OT_OK)
		fail_msg("decoding %s: %s", json, err);
	return op;
}

/* The anchor after the op given as JSON. */
static struct anchor
moved(const char *json, size_t start, size_t end)
{
	struct ot_op op = op_of(json);
	struct anchor a = anchor_transform(&op,
	    (struct anchor){start, end, false});
	ot_free(&op);
	return a;
}

#define assert_anchor(a, s, e, rm)                                         \
	do {                                                               \
		struct anchor a_ = (a);                                    \
		assert_int_equal(a_.start, (s));                           \
		assert_int_equal(a_.end, (e));                             \
		assert_int_equal(a_.removed, (rm));                        \
	} while (0)

/* ---- the rules, one by one -------------------------------------------- */

/* "hello world", the anchor on "world" = [6, 11). */

TEST(anchor__moves_right_for_an_insert_before_it)
{
	assert_anchor(moved("[2,\"XY\",9]", 6, 11), 8, 13, false);
}

TEST(anchor__moves_left_for_a_delete_before_it)
{
	assert_anchor(moved("[1,-3,7]", 6, 11), 3, 8, false);
}

TEST(anchor__stays_for_edits_after_it)
{
	assert_anchor(moved("[3,\"X\",8]", 0, 3), 0, 3, false);
	assert_anchor(moved("[5,-6]", 0, 5), 0, 5, false);
}

TEST(anchor__grows_for_an_insert_strictly_inside)
{
	assert_anchor(moved("[8,\"XYZ\",3]", 6, 11), 6, 14, false);
}

TEST(anchor__does_not_grow_for_an_insert_at_its_end)
{
	assert_anchor(moved("[11,\"!\"]", 6, 11), 6, 11, false);
	assert_anchor(moved("[5,\"X\",6]", 0, 5), 0, 5, false);
}

TEST(anchor__does_not_grow_for_an_insert_at_its_start)
{
	assert_anchor(moved("[6,\"big \",5]", 6, 11), 10, 15, false);
}

TEST(anchor__shrinks_when_text_inside_is_deleted)
{
	assert_anchor(moved("[7,-2,2]", 6, 11), 6, 9, false);
}

TEST(anchor__shrinks_when_a_delete_overlaps_its_start)
{
	assert_anchor(moved("[4,-4,3]", 6, 11), 4, 7, false);
}

TEST(anchor__shrinks_when_a_delete_overlaps_its_end)
{
	assert_anchor(moved("[9,-2]", 6, 11), 6, 9, false);
	assert_anchor(moved("[3,-5,3]", 0, 5), 0, 3, false);
}

TEST(anchor__collapses_at_the_deletion_point_when_all_its_text_is_deleted)
{
	assert_anchor(moved("[6,-5]", 6, 11), 6, 6, true);
	assert_anchor(moved("[4,-7]", 6, 11), 4, 4, true);
	assert_anchor(moved("[1,-3,2,-5]", 6, 11), 3, 3, true);
}

TEST(anchor__overtyping_all_its_text_collapses_it_after_the_new_text)
{
	/* the replacing insert stands at start, so it stays outside */
	assert_anchor(moved("[6,\"earth\",-5]", 6, 11), 11, 11, true);
}

TEST(anchor__replacing_text_strictly_inside_keeps_the_new_text)
{
	assert_anchor(moved("[7,\"OO\",-3,1]", 6, 11), 6, 10, false);
}

TEST(anchor__keeps_text_typed_inside_when_the_text_around_it_goes)
{
	struct ot_op typed = op_of("[8,\"XY\",3]"), cut = op_of("[6,-2,2,-3]");
	struct anchor a = anchor_transform(&typed, (struct anchor){6, 11, false});
	a = anchor_transform(&cut, a);
	assert_anchor(a, 6, 8, false);
	ot_free(&typed);
	ot_free(&cut);
}

TEST(anchor__stays_removed_when_text_is_typed_where_it_was)
{
	struct ot_op cut = op_of("[6,-5]"), typed = op_of("[6,\"again\"]");
	struct anchor a = anchor_transform(&cut, (struct anchor){6, 11, false});
	a = anchor_transform(&typed, a);
	assert_anchor(a, 11, 11, true);
	ot_free(&cut);
	ot_free(&typed);
}

TEST(anchor__an_empty_anchor_moves_as_a_cursor_and_is_not_removed)
{
	assert_anchor(moved("[3,\"XY\",8]", 5, 5), 7, 7, false);
	assert_anchor(moved("[5,\"XY\",6]", 5, 5), 7, 7, false);
	assert_anchor(moved("[2,-5,4]", 5, 5), 2, 2, false);
}

TEST(anchor__past_the_end_is_clamped_into_the_new_document)
{
	struct anchor a = moved("[-3,8]", 20, 30);
	assert_true(anchor_fits(a, 8));
	assert_anchor(a, 8, 8, false);
	a = moved("[4]", 3, 2); /* start past end counts as end */
	assert_anchor(a, 2, 2, false);
}

TEST(anchor__fits_only_an_ordered_range_inside_the_document)
{
	assert_true(anchor_fits((struct anchor){0, 0, false}, 0));
	assert_true(anchor_fits((struct anchor){2, 5, false}, 5));
	assert_false(anchor_fits((struct anchor){2, 6, false}, 5));
	assert_false(anchor_fits((struct anchor){4, 3, false}, 5));
}

/* The limit anchor.h states: two histories with one composed op, in which
 * the inserted text ends inside the anchor in one and outside in the
 * other. Anchor [2, 6); "x" typed at 4, then [5, 8) deleted; or [4, 7)
 * deleted, then "x" typed at 4 (the anchor's new end). */
TEST(anchor__compose_cannot_tell_an_insert_inside_from_one_at_the_edge)
{
	struct ot_op a1 = op_of("[4,\"x\",4]"), b1 = op_of("[5,-3,1]");
	struct ot_op a2 = op_of("[4,-3,1]"), b2 = op_of("[4,\"x\",1]");
	struct ot_op c1 = OT_OP_INIT, c2 = OT_OP_INIT;
	assert_int_equal(ot_compose(&a1, &b1, &c1), OT_OK);
	assert_int_equal(ot_compose(&a2, &b2, &c2), OT_OK);
	assert_true(ot_equal(&c1, &c2));

	struct anchor a = {2, 6, false};
	struct anchor h1 = anchor_transform(&b1, anchor_transform(&a1, a));
	struct anchor h2 = anchor_transform(&b2, anchor_transform(&a2, a));
	assert_anchor(h1, 2, 5, false); /* "x" typed inside stays */
	assert_anchor(h2, 2, 4, false); /* "x" typed at the end is outside */
	assert_anchor(anchor_transform(&c1, a), 2, 5, false);
	ot_free(&a1);
	ot_free(&b1);
	ot_free(&a2);
	ot_free(&b2);
	ot_free(&c1);
	ot_free(&c2);
}

/* ---- properties ------------------------------------------------------- */

static struct anchor
random_anchor(struct otgen *r, size_t len)
{
	size_t s = otgen_below(r, len + 1);
	size_t e = s + otgen_below(r, len - s + 1);
	return (struct anchor){s, e, false};
}

static bool
anchor_equal(struct anchor x, struct anchor y)
{
	return x.start == y.start && x.end == y.end && x.removed == y.removed;
}

/* The tags of text[start, end) that were in [s0, e0) of the tagged
 * original must be exactly the original anchored tags still in text. */
static void
check_same_text(const char *text, struct anchor a, size_t s0, size_t e0)
{
	size_t len = otgen_len(text);
	OTGEN_CHECK(anchor_fits(a, len));
	for (size_t i = 0; i < len; i++) {
		uint32_t c = otgen_at(text, i);
		if (!otgen_is_tag(c))
			continue;
		size_t orig = c - OTGEN_TAG_BASE;
		bool was_in = orig >= s0 && orig < e0;
		bool is_in = i >= a.start && i < a.end;
		OTGEN_CHECK(was_in == is_in);
	}
}

/* Through random histories: the anchor always fits, holds the same
 * original characters, and is removed exactly when it became empty. */
TEST(anchor__stays_on_its_text_through_random_histories)
{
	for (uint64_t k = 0; k < CASES / 4; k++) {
		struct otgen r = otgen_new(BASE_SEED + k);
		size_t n = otgen_below(&r, 30);
		char *text = otgen_tagged(n);
		struct anchor a = random_anchor(&r, n);
		size_t s0 = a.start, e0 = a.end;
		bool was_removed = false;
		for (int step = 0; step < 20; step++) {
			struct ot_op op = otgen_op(&r, otgen_len(text));
			a = anchor_transform(&op, a);
			otgen_apply(&op, &text);
			ot_free(&op);
			check_same_text(text, a, s0, e0);
			OTGEN_CHECK(!was_removed || a.removed);
			if (s0 < e0)
				OTGEN_CHECK(a.removed == (a.start == a.end));
			else
				OTGEN_CHECK(!a.removed && a.start == a.end);
			was_removed = a.removed;
		}
		free(text);
	}
}

/* The rules on characters: which characters (tags) are inside, the range
 * being the span from the first to the last of them in the text. */
struct model {
	bool member[4096];
	struct anchor a;
};

static void
model_span(struct model *m, const char *text)
{
	size_t len = otgen_len(text);
	bool found = false;
	for (size_t i = 0; i < len; i++) {
		if (!m->member[otgen_at(text, i) - OTGEN_TAG_BASE])
			continue;
		if (!found)
			m->a.start = i;
		found = true;
		m->a.end = i + 1;
	}
}

/* Moves the model through op (on text, which becomes the new text): what
 * is kept stays in, an insert at a base position strictly inside joins. */
static void
model_step(struct model *m, const struct ot_op *op, char **text)
{
	size_t at = 0, t = 0;
	otgen_apply(op, text);
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->kind == OT_INSERT) {
			for (size_t k = 0; k < c->n; k++)
				m->member[otgen_at(*text, t + k) - OTGEN_TAG_BASE] =
				    m->a.start < at && at < m->a.end;
			t += c->n;
		} else {
			at += c->n;
			t += c->kind == OT_RETAIN ? c->n : 0;
		}
	}
	bool had = m->a.start < m->a.end;
	size_t point = ot_transform_index(op, m->a.start, false);
	m->a.start = m->a.end = point;
	model_span(m, *text);
	if (had && m->a.start == m->a.end)
		m->a.removed = true;
}

/* Every character tagged, the inserted ones too: the anchor is the span of
 * the characters the rules put inside, step after step. */
TEST(anchor__agrees_with_the_rules_applied_character_by_character)
{
	for (uint64_t k = 0; k < CASES / 4; k++) {
		struct otgen r = otgen_new(BASE_SEED + 300000 + k);
		size_t n = otgen_below(&r, 30);
		char *text = otgen_tagged(n);
		uint32_t next = (uint32_t)n;
		struct model m = {.a = random_anchor(&r, n)};
		for (size_t i = m.a.start; i < m.a.end; i++)
			m.member[i] = true;
		struct anchor a = m.a;
		for (int step = 0; step < 20 && next < 4000; step++) {
			struct ot_op raw = otgen_op(&r, otgen_len(text));
			struct ot_op op = otgen_retag(&raw, &next);
			a = anchor_transform(&op, a);
			model_step(&m, &op, &text);
			OTGEN_CHECK(anchor_equal(a, m.a));
			ot_free(&raw);
			ot_free(&op);
		}
		free(text);
	}
}

/* Two concurrent ops, in the server's order (a then b') and in the other
 * client's (b then a'): both paths keep the anchor in the converged
 * document on its original text. */
TEST(anchor__stays_on_its_text_through_concurrent_ops_in_either_order)
{
	for (uint64_t k = 0; k < CASES; k++) {
		struct otgen r = otgen_new(BASE_SEED + 100000 + k);
		size_t n = otgen_below(&r, 30);
		char *text = otgen_tagged(n);
		struct anchor a0 = random_anchor(&r, n);
		struct ot_op a = otgen_op(&r, n), b = otgen_op(&r, n);
		struct ot_op ap = OT_OP_INIT, bp = OT_OP_INIT;
		OTGEN_CHECK(ot_transform(&a, &b, &ap, &bp) == OT_OK);
		struct anchor x = anchor_transform(&bp, anchor_transform(&a, a0));
		struct anchor y = anchor_transform(&ap, anchor_transform(&b, a0));
		otgen_apply(&a, &text);
		otgen_apply(&bp, &text);
		check_same_text(text, x, a0.start, a0.end);
		check_same_text(text, y, a0.start, a0.end);
		free(text);
		ot_free(&a);
		ot_free(&b);
		ot_free(&ap);
		ot_free(&bp);
	}
}

/* An insert right before a delete in the composed op is where compose
 * forgets which of the two came first (see the test above). */
static bool
insert_meets_delete(const struct ot_op *op)
{
	for (size_t i = 0; i + 1 < op->ncomps; i++)
		if (op->comps[i].kind == OT_INSERT &&
		    op->comps[i + 1].kind == OT_DELETE)
			return true;
	return false;
}

/* Through compose(a, b) as through a then b, wherever compose keeps the
 * order of inserts and deletes; and always on the same original text. */
TEST(anchor__through_a_composition_as_through_its_ops_in_turn)
{
	size_t exact = 0;
	for (uint64_t k = 0; k < CASES; k++) {
		struct otgen r = otgen_new(BASE_SEED + 200000 + k);
		size_t n = otgen_below(&r, 30);
		char *text = otgen_tagged(n);
		struct anchor a0 = random_anchor(&r, n);
		struct ot_op a = otgen_op(&r, n);
		struct ot_op b = otgen_op(&r, a.target_len);
		struct ot_op c = OT_OP_INIT;
		OTGEN_CHECK(ot_compose(&a, &b, &c) == OT_OK);
		struct anchor seq = anchor_transform(&b, anchor_transform(&a, a0));
		struct anchor once = anchor_transform(&c, a0);
		if (!insert_meets_delete(&c)) {
			OTGEN_CHECK(anchor_equal(seq, once));
			exact++;
		}
		otgen_apply(&c, &text);
		check_same_text(text, seq, a0.start, a0.end);
		check_same_text(text, once, a0.start, a0.end);
		free(text);
		ot_free(&a);
		ot_free(&b);
		ot_free(&c);
	}
	/* the exact comparison must not be vacuous */
	print_message("exact comparisons: %zu of %d\n", exact, CASES);
	assert_true(exact > CASES / 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(anchor__moves_right_for_an_insert_before_it),
		cmocka_unit_test(anchor__moves_left_for_a_delete_before_it),
		cmocka_unit_test(anchor__stays_for_edits_after_it),
		cmocka_unit_test(anchor__grows_for_an_insert_strictly_inside),
		cmocka_unit_test(anchor__does_not_grow_for_an_insert_at_its_end),
		cmocka_unit_test(anchor__does_not_grow_for_an_insert_at_its_start),
		cmocka_unit_test(anchor__shrinks_when_text_inside_is_deleted),
		cmocka_unit_test(anchor__shrinks_when_a_delete_overlaps_its_start),
		cmocka_unit_test(anchor__shrinks_when_a_delete_overlaps_its_end),
		cmocka_unit_test(anchor__collapses_at_the_deletion_point_when_all_its_text_is_deleted),
		cmocka_unit_test(anchor__overtyping_all_its_text_collapses_it_after_the_new_text),
		cmocka_unit_test(anchor__replacing_text_strictly_inside_keeps_the_new_text),
		cmocka_unit_test(anchor__keeps_text_typed_inside_when_the_text_around_it_goes),
		cmocka_unit_test(anchor__stays_removed_when_text_is_typed_where_it_was),
		cmocka_unit_test(anchor__an_empty_anchor_moves_as_a_cursor_and_is_not_removed),
		cmocka_unit_test(anchor__past_the_end_is_clamped_into_the_new_document),
		cmocka_unit_test(anchor__fits_only_an_ordered_range_inside_the_document),
		cmocka_unit_test(anchor__compose_cannot_tell_an_insert_inside_from_one_at_the_edge),
		cmocka_unit_test(anchor__stays_on_its_text_through_random_histories),
		cmocka_unit_test(anchor__agrees_with_the_rules_applied_character_by_character),
		cmocka_unit_test(anchor__stays_on_its_text_through_concurrent_ops_in_either_order),
		cmocka_unit_test(anchor__through_a_composition_as_through_its_ops_in_turn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
