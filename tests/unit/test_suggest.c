/* Suggested edits transformed forward until accepted (model/suggest). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/doc.h"
#include "model/ot.h"
#include "model/otclient.h"
#include "model/suggest.h"

#include "otgen.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

#define CASES 1000
#define STEPS 100
#define BASE_SEED UINT64_C(0x5a990000)

/* t0 h1 e2 _3 q4 u5 i6 c7 k8 _9 b10 r11 o12 w13 n14 _15 f16 o17 x18 */
#define FOX "the quick brown fox"

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

static struct suggest
suggested(const char *json, int64_t rev)
{
	struct ot_op op = op_of(json);
	struct suggest s;
	assert_int_equal(suggest_init(&s, &op, rev), SUGGEST_OK);
	ot_free(&op);
	return s;
}

/* text (freed) edited by others (ops given as JSON, one revision each)
 * while s waits. */
static char *
others(struct suggest *s, char *text, const char *const *ops, size_t n)
{
	char *t = text;
	for (size_t i = 0; i < n; i++) {
		struct ot_op op = op_of(ops[i]);
		assert_int_equal(suggest_advance(s, &op), SUGGEST_OK);
		otgen_apply(&op, &t);
		ot_free(&op);
	}
	return t;
}

/* The text once s is accepted at head. */
static char *
accepted(const struct suggest *s, int64_t head, char *text)
{
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(suggest_accept(s, head, &op), SUGGEST_OK);
	otgen_apply(&op, &text);
	ot_free(&op);
	return text;
}

/* ---- accepting -------------------------------------------------------- */

TEST(suggest__refuses_an_op_that_changes_nothing)
{
	struct ot_op op = op_of("[19]"), none = OT_OP_INIT;
	struct suggest s = {.rev = 77};
	assert_int_equal(suggest_init(&s, &op, 3), SUGGEST_ENOOP);
	assert_int_equal(suggest_init(&s, &none, 3), SUGGEST_ENOOP);
	assert_int_equal(s.rev, 77);
	ot_free(&op);
}

TEST(suggest__accepted_at_once_is_the_suggested_op)
{
	struct suggest s = suggested("[4,\"slow\",-5,10]", 5);
	char *t = accepted(&s, 5, strdup(FOX));
	assert_string_equal(t, "the slow brown fox");
	free(t);
	suggest_free(&s);
}

TEST(suggest__follows_the_text_through_later_revisions)
{
	struct suggest s = suggested("[4,\"slow\",-5,10]", 0);
	const char *ops[] = {"[\"oh, \",19]", "[13,-10]", "[\"so \",13]"};
	char *t = others(&s, strdup(FOX), ops, 3);
	assert_string_equal(t, "so oh, the quick");
	assert_int_equal(s.rev, 3);
	assert_false(s.dropped);
	t = accepted(&s, 3, t);
	assert_string_equal(t, "so oh, the slow");
	free(t);
	suggest_free(&s);
}

TEST(suggest__puts_its_insert_after_text_others_typed_at_the_same_place)
{
	/* the suggestion is the later op, as a late DOC_OP is */
	struct suggest s = suggested("[4,\"very \",15]", 0);
	const char *ops[] = {"[4,\"so \",15]"};
	char *t = accepted(&s, 1, others(&s, strdup(FOX), ops, 1));
	assert_string_equal(t, "the so very quick brown fox");
	free(t);
	suggest_free(&s);
}

TEST(suggest__is_not_accepted_at_another_revision)
{
	struct suggest s = suggested("[4,-6,9]", 2);
	struct ot_op out = OT_OP_INIT;
	assert_int_equal(suggest_accept(&s, 3, &out), SUGGEST_EREV);
	assert_int_equal(suggest_accept(&s, 1, &out), SUGGEST_EREV);
	assert_null(out.comps);
	suggest_free(&s);
}

TEST(suggest__refuses_an_op_that_does_not_fit_and_stays_as_it_was)
{
	struct suggest s = suggested("[4,-6,9]", 2);
	struct ot_op bad = op_of("[18,\"!\"]"), before;
	ot_copy(&before, &s.op);
	assert_int_equal(suggest_advance(&s, &bad), SUGGEST_ELENGTH);
	assert_int_equal(s.rev, 2);
	assert_true(ot_equal(&s.op, &before));
	ot_free(&bad);
	ot_free(&before);
	suggest_free(&s);
}

/* ---- dropped ---------------------------------------------------------- */

TEST(suggest__a_replacement_is_dropped_when_others_delete_its_original)
{
	struct suggest s = suggested("[4,\"slow\",-5,10]", 0);
	const char *ops[] = {"[4,-6,9]"};
	char *t = others(&s, strdup(FOX), ops, 1);
	assert_true(s.dropped);
	struct ot_op out = OT_OP_INIT;
	assert_int_equal(suggest_accept(&s, 1, &out), SUGGEST_EDROPPED);
	free(t);
	suggest_free(&s);
}

TEST(suggest__a_delete_is_dropped_once_all_its_text_is_gone_in_pieces)
{
	struct suggest s = suggested("[4,-12,3]", 0); /* "quick brown " */
	const char *ops[] = {"[10,-6,3]", "[3,-2,8]", "[2,-7,2]"};
	char *t = others(&s, strdup(FOX), ops, 1);
	assert_string_equal(t, "the quick fox");
	assert_false(s.dropped);
	t = others(&s, t, ops + 1, 1);
	assert_string_equal(t, "theuick fox");
	assert_false(s.dropped);
	t = others(&s, t, ops + 2, 1);
	assert_string_equal(t, "thox");
	assert_true(s.dropped);
	free(t);
	suggest_free(&s);
}

TEST(suggest__a_delete_partly_deleted_by_others_deletes_the_rest)
{
	struct suggest s = suggested("[4,-12,3]", 0);
	const char *ops[] = {"[10,-6,3]"};
	char *t = accepted(&s, 1, others(&s, strdup(FOX), ops, 1));
	assert_string_equal(t, "the fox");
	free(t);
	suggest_free(&s);
}

TEST(suggest__an_insert_is_dropped_when_the_passage_around_it_goes)
{
	struct suggest s = suggested("[10,\"very \",9]", 0);
	const char *ops[] = {"[4,-12,3]"};
	char *t = others(&s, strdup(FOX), ops, 1);
	assert_true(s.dropped);
	free(t);
	suggest_free(&s);
}

TEST(suggest__an_insert_stays_when_the_text_on_one_side_goes)
{
	struct suggest s = suggested("[10,\"very \",9]", 0);
	const char *ops[] = {"[4,-6,9]", "[4,-6,3]"};
	char *t = others(&s, strdup(FOX), ops, 1);
	assert_false(s.dropped);
	assert_string_equal(t, "the brown fox");
	t = others(&s, t, ops + 1, 1); /* the other side, later: still live */
	assert_false(s.dropped);
	t = accepted(&s, 2, t);
	assert_string_equal(t, "the very fox");
	free(t);
	suggest_free(&s);
}

TEST(suggest__stays_dropped_when_the_document_goes_on)
{
	struct suggest s = suggested("[4,\"slow\",-5,10]", 0);
	const char *ops[] = {"[4,-6,9]", "[4,\"quick \",9]"};
	char *t = others(&s, strdup(FOX), ops, 2);
	assert_string_equal(t, FOX);
	assert_true(s.dropped);
	assert_int_equal(s.rev, 2);
	free(t);
	suggest_free(&s);
}

/* ---- marks ------------------------------------------------------------ */

TEST(suggest__marks_a_replacement_as_inserted_text_before_struck_text)
{
	struct suggest s = suggested("[4,\"slöw\",-5,10]", 0);
	struct suggest_marks m;
	suggest_marks(&s, &m);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.v[0].kind, SUGGEST_INSERTED);
	assert_int_equal(m.v[0].pos, 4);
	assert_int_equal(m.v[0].shown, 4);
	assert_int_equal(m.v[0].len, 4);
	assert_string_equal(m.v[0].text, "slöw");
	assert_int_equal(m.v[0].bytes, 5);
	assert_int_equal(m.v[1].kind, SUGGEST_DELETED);
	assert_int_equal(m.v[1].pos, 4);
	assert_int_equal(m.v[1].shown, 8);
	assert_int_equal(m.v[1].len, 5);
	assert_null(m.v[1].text);
	suggest_marks_free(&m);
	assert_int_equal(m.n, 0);
	suggest_free(&s);
}

TEST(suggest__marks_where_each_change_is_in_the_head_text_and_the_view)
{
	struct suggest s = suggested("[\"A\",3,-1,5,\"BC\",6,-3,1]", 0);
	const char *ops[] = {"[\"12\",19]"};
	char *t = others(&s, strdup(FOX), ops, 1);
	struct suggest_marks m;
	suggest_marks(&s, &m);
	assert_int_equal(m.n, 4);
	size_t pos[] = {2, 5, 11, 17}, shown[] = {2, 6, 12, 20};
	enum suggest_mark_kind kind[] = {SUGGEST_INSERTED, SUGGEST_DELETED,
	    SUGGEST_INSERTED, SUGGEST_DELETED};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(m.v[i].kind, kind[i]);
		assert_int_equal(m.v[i].pos, pos[i]);
		assert_int_equal(m.v[i].shown, shown[i]);
	}
	suggest_marks_free(&m);
	free(t);
	suggest_free(&s);
}

/* The head text, with the struck runs cut and the inserted texts put in
 * where the marks say, is the text once accepted; and the view positions
 * count both. */
TEST(suggest__marks_turn_the_head_text_into_the_accepted_text)
{
	for (uint64_t k = 0; k < CASES * 10; k++) {
		struct otgen r = otgen_new(BASE_SEED + 500000 + k);
		char *head = otgen_text(&r, otgen_below(&r, 30));
		struct ot_op op = otgen_op(&r, otgen_len(head));
		struct suggest s;
		if (suggest_init(&s, &op, 0) != SUGGEST_OK) {
			ot_free(&op);
			free(head);
			continue;
		}
		struct suggest_marks m;
		suggest_marks(&s, &m);
		/* the accepted text: head with struck runs cut, inserts in */
		size_t hlen = strlen(head), cap = hlen + 1, w = 0, at = 0, cp = 0;
		for (size_t i = 0; i < m.n; i++)
			cap += m.v[i].bytes;
		char *want = malloc(cap);
		size_t shown = 0;
		for (size_t i = 0; i < m.n; i++) {
			const struct suggest_mark *x = &m.v[i];
			size_t to = utf8_offset(head + at, hlen - at, x->pos - cp);
			memcpy(want + w, head + at, to);
			w += to;
			at += to;
			shown += x->pos - cp;
			cp = x->pos;
			OTGEN_CHECK(x->shown == shown);
			if (x->kind == SUGGEST_INSERTED) {
				memcpy(want + w, x->text, x->bytes);
				w += x->bytes;
			} else {
				at += utf8_offset(head + at, hlen - at, x->len);
				cp += x->len;
			}
			shown += x->len;
		}
		memcpy(want + w, head + at, hlen - at);
		want[w + hlen - at] = '\0';
		otgen_apply(&op, &head);
		OTGEN_CHECK(strcmp(want, head) == 0);
		free(want);
		suggest_marks_free(&m);
		suggest_free(&s);
		ot_free(&op);
		free(head);
	}
}

/* ---- properties ------------------------------------------------------- */

static bool
has_a_delete(const struct ot_op *op)
{
	for (size_t i = 0; i < op->ncomps; i++)
		if (op->comps[i].kind == OT_DELETE)
			return true;
	return false;
}

/* The tags (original characters) present in text. */
static void
tags_in(const char *text, bool *present, size_t n)
{
	memset(present, 0, n * sizeof *present);
	size_t len = otgen_len(text);
	for (size_t i = 0; i < len; i++) {
		uint32_t c = otgen_at(text, i);
		if (otgen_is_tag(c) && c - OTGEN_TAG_BASE < n)
			present[c - OTGEN_TAG_BASE] = true;
	}
}

static int
cmp_cp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The code points of s (sorted when sort), in a new array of *n. */
static uint32_t *
cps_of(const char *s, size_t *n, bool sort)
{
	*n = otgen_len(s);
	uint32_t *v = malloc((*n + 1) * sizeof *v);
	for (size_t i = 0; i < *n; i++)
		v[i] = otgen_at(s, i);
	if (sort)
		qsort(v, *n, sizeof *v, cmp_cp);
	return v;
}

/* The same characters, with the tags in the same order. */
static bool
same_but_for_insert_order(const char *x, const char *y)
{
	size_t nx, ny;
	uint32_t *a = cps_of(x, &nx, true), *b = cps_of(y, &ny, true);
	bool same = nx == ny && memcmp(a, b, nx * sizeof *a) == 0;
	free(a);
	free(b);
	a = cps_of(x, &nx, false);
	b = cps_of(y, &ny, false);
	size_t i = 0, j = 0;
	while (same) {
		while (i < nx && !otgen_is_tag(a[i]))
			i++;
		while (j < ny && !otgen_is_tag(b[j]))
			j++;
		if (i == nx || j == ny) {
			same = i == nx && j == ny;
			break;
		}
		same = a[i++] == b[j++];
	}
	free(a);
	free(b);
	return same;
}

struct history {
	char *head;         /* the document at the head */
	struct ot_op all;   /* every op since revision 0, composed */
	struct otclient *c; /* the suggester, with the edit sent late */
};

/* Revision rev of the document, made by op: the suggestion, the
 * suggester's client and the composition all follow. */
static void
history_step(struct history *h, struct suggest *s, const struct ot_op *op,
    size_t rev)
{
	OTGEN_CHECK(suggest_advance(s, op) == SUGGEST_OK);
	OTGEN_CHECK(s->op.base_len == op->target_len);
	struct otclient_send send;
	OTGEN_CHECK(otclient_server_op(h->c, rev, op, "other", NULL, "c2",
	    &send) == OTCLIENT_OK);
	struct ot_op all = OT_OP_INIT;
	OTGEN_CHECK(ot_compose(&h->all, op, &all) == OT_OK);
	ot_free(&h->all);
	h->all = all;
	otgen_apply(op, &h->head);
}

/* A suggestion accepted after STEPS random revisions by others gives the
 * text the suggester's edit gives when the server orders it after them:
 * as the suggester's client computes it with the edit in flight, and as
 * transforming it once past all the revisions composed. What it deletes of
 * the original is gone, everything else of the head stays, and it is
 * dropped exactly when others deleted all the text it deletes. */
TEST(suggest__accepted_after_many_revisions_is_the_edit_sent_late)
{
	size_t dropped = 0, live = 0, same = 0;
	for (uint64_t k = 0; k < CASES; k++) {
		struct otgen r = otgen_new(BASE_SEED + k);
		size_t n = 5 + otgen_below(&r, 36);
		char *orig = otgen_tagged(n);
		struct ot_op mine = otgen_op(&r, n);
		struct suggest s;
		if (suggest_init(&s, &mine, 0) != SUGGEST_OK) {
			ot_free(&mine);
			free(orig);
			continue;
		}
		bool gone[64]; /* the tags the suggestion deletes */
		char *after = NULL;
		OTGEN_CHECK(ot_apply(&mine, orig, strlen(orig), &after, NULL) ==
		    OT_OK);
		tags_in(after, gone, n);
		for (size_t i = 0; i < n; i++)
			gone[i] = !gone[i];
		free(after);

		struct history h = {.head = strdup(orig)};
		ot_retain(&h.all, n);
		h.c = otclient_new(doc_new_from(orig, strlen(orig)), 0, "me");
		struct otclient_send send;
		OTGEN_CHECK(otclient_local(h.c, &mine, "c1", &send) ==
		    OTCLIENT_OK);
		for (size_t rev = 1; rev <= STEPS; rev++) {
			/* half the histories are people typing, half random
			 * ops (growing while short, shrinking while long) */
			size_t len = otgen_len(h.head);
			struct ot_op op = k % 2 == 0 ? otgen_edit(&r, len, 3)
			    : len > 60 ? otgen_op_mix(&r, len, 2, 4)
			    : otgen_op_mix(&r, len, 3, otgen_below(&r, 3));
			history_step(&h, &s, &op, rev);
			ot_free(&op);
		}

		/* through the client: the edit in flight, transformed */
		char *client = doc_text(otclient_doc(h.c), NULL);
		char *text = strdup(h.head);
		otgen_apply(&s.op, &text);
		OTGEN_CHECK(strcmp(text, client) == 0);
		/* through one transform past everything composed: ot.js's
		 * transform is not exactly compose-invariant (compose puts an
		 * insert before the text deleted next to it, and the tie rule
		 * then orders two inserts otherwise), so only the characters
		 * and the order of the original ones must agree */
		struct ot_op first = OT_OP_INIT, late = OT_OP_INIT;
		OTGEN_CHECK(ot_transform(&h.all, &mine, &first, &late) == OT_OK);
		char *once = strdup(h.head);
		otgen_apply(&late, &once);
		OTGEN_CHECK(same_but_for_insert_order(once, text));
		same += strcmp(once, text) == 0;
		free(once);

		/* the original characters: deleted where suggested, kept else */
		bool in_head[64], in_text[64];
		tags_in(h.head, in_head, n);
		tags_in(text, in_text, n);
		bool left = false;
		for (size_t i = 0; i < n; i++) {
			OTGEN_CHECK(in_text[i] == (in_head[i] && !gone[i]));
			left = left || (in_head[i] && gone[i]);
		}
		if (s.deletes)
			OTGEN_CHECK(s.dropped == !left);
		struct ot_op out = OT_OP_INIT;
		if (s.dropped) {
			OTGEN_CHECK(suggest_accept(&s, STEPS, &out) ==
			    SUGGEST_EDROPPED);
			dropped++;
		} else {
			OTGEN_CHECK(suggest_accept(&s, STEPS, &out) == SUGGEST_OK);
			OTGEN_CHECK(ot_equal(&out, &s.op));
			live++;
		}
		ot_free(&out);
		ot_free(&first);
		ot_free(&late);
		free(client);
		free(text);
		otclient_free(h.c);
		ot_free(&h.all);
		free(h.head);
		free(orig);
		ot_free(&mine);
		suggest_free(&s);
	}
	print_message("accepted %zu, dropped %zu; composed history gave the"
	    " same text in %zu\n", live, dropped, same);
	/* both outcomes must be exercised */
	assert_true(live > CASES / 10 && dropped > CASES / 10);
}

/* True when every insertion point of op (on text, tagged throughout) has
 * both its neighbours deleted by next: read off the texts, not the ops. */
static bool
expect_orphaned(const struct ot_op *op, const struct ot_op *next,
    const char *text)
{
	size_t len = otgen_len(text);
	char *after = strdup(text);
	otgen_apply(next, &after);
	bool present[0x10000] = {0}, *kept = calloc(len + 1, sizeof *kept);
	size_t alen = otgen_len(after);
	for (size_t j = 0; j < alen; j++)
		present[otgen_at(after, j) - OTGEN_TAG_BASE] = true;
	for (size_t i = 0; i < len; i++)
		kept[i] = present[otgen_at(text, i) - OTGEN_TAG_BASE];
	bool any = false, all = true;
	size_t at = 0;
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->kind != OT_INSERT) {
			at += c->n;
			continue;
		}
		any = true;
		all = all && at > 0 && at < len && !kept[at - 1] && !kept[at];
	}
	free(kept);
	free(after);
	return any && all;
}

/* An insert-only suggestion deletes nothing of the head and keeps its whole
 * text through any history, and is dropped exactly when one op deletes the
 * text on both sides of each of its insertion points. */
TEST(suggest__an_insert_only_suggestion_is_dropped_only_when_orphaned)
{
	size_t dropped = 0;
	for (uint64_t k = 0; k < CASES; k++) {
		struct otgen r = otgen_new(BASE_SEED + 200000 + k);
		size_t n = otgen_below(&r, 30);
		char *head = otgen_tagged(n);
		uint32_t next = (uint32_t)n;
		struct ot_op mine = otgen_op_mix(&r, n, 3, 0);
		struct suggest s;
		if (suggest_init(&s, &mine, 0) != SUGGEST_OK) {
			ot_free(&mine);
			free(head);
			continue;
		}
		size_t inserted = mine.target_len - mine.base_len;
		for (int step = 0; step < 20; step++) {
			struct ot_op raw = otgen_op(&r, otgen_len(head));
			struct ot_op op = otgen_retag(&raw, &next);
			bool want = s.dropped || expect_orphaned(&s.op, &op, head);
			OTGEN_CHECK(suggest_advance(&s, &op) == SUGGEST_OK);
			OTGEN_CHECK(s.dropped == want);
			otgen_apply(&op, &head);
			ot_free(&raw);
			ot_free(&op);
			OTGEN_CHECK(!has_a_delete(&s.op));
			OTGEN_CHECK(s.op.target_len - s.op.base_len == inserted);
		}
		dropped += s.dropped;
		free(head);
		ot_free(&mine);
		suggest_free(&s);
	}
	print_message("insert-only suggestions dropped: %zu of %d\n", dropped,
	    CASES);
	assert_true(dropped > CASES / 20 && dropped < CASES - CASES / 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suggest__refuses_an_op_that_changes_nothing),
		cmocka_unit_test(suggest__accepted_at_once_is_the_suggested_op),
		cmocka_unit_test(suggest__follows_the_text_through_later_revisions),
		cmocka_unit_test(suggest__puts_its_insert_after_text_others_typed_at_the_same_place),
		cmocka_unit_test(suggest__is_not_accepted_at_another_revision),
		cmocka_unit_test(suggest__refuses_an_op_that_does_not_fit_and_stays_as_it_was),
		cmocka_unit_test(suggest__a_replacement_is_dropped_when_others_delete_its_original),
		cmocka_unit_test(suggest__a_delete_is_dropped_once_all_its_text_is_gone_in_pieces),
		cmocka_unit_test(suggest__a_delete_partly_deleted_by_others_deletes_the_rest),
		cmocka_unit_test(suggest__an_insert_is_dropped_when_the_passage_around_it_goes),
		cmocka_unit_test(suggest__an_insert_stays_when_the_text_on_one_side_goes),
		cmocka_unit_test(suggest__stays_dropped_when_the_document_goes_on),
		cmocka_unit_test(suggest__marks_a_replacement_as_inserted_text_before_struck_text),
		cmocka_unit_test(suggest__marks_where_each_change_is_in_the_head_text_and_the_view),
		cmocka_unit_test(suggest__marks_turn_the_head_text_into_the_accepted_text),
		cmocka_unit_test(suggest__accepted_after_many_revisions_is_the_edit_sent_late),
		cmocka_unit_test(suggest__an_insert_only_suggestion_is_dropped_only_when_orphaned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
