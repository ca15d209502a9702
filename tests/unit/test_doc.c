/* The document text structure (model/doc): a gap buffer at code points. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/doc.h"
#include "model/utf8.h"

/* A cmocka test body; the state pointer is unused throughout. */
#define TEST(name) static void name(void **state __attribute__((unused)))

#define MIXED "héllo wörld 日本語 😀"

static void
assert_doc(const struct doc *d, const char *want)
{
	size_t len = 0;
	char *text = doc_text(d, &len);
	assert_non_null(text);
	assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
	assert_int_equal(doc_bytes(d), strlen(want));
	assert_int_equal(doc_length(d), utf8_count(want, strlen(want)));
	free(text);
}

static struct doc *
doc_of(const char *s)
{
	struct doc *d = doc_new_from(s, strlen(s));
	assert_non_null(d);
	return d;
}

TEST(new__makes_an_empty_document)
{
	struct doc *d = doc_new();
	assert_non_null(d);
	assert_int_equal(doc_length(d), 0);
	assert_doc(d, "");
	doc_free(d);
}

TEST(new_from__counts_code_points_and_bytes)
{
	struct doc *d = doc_of(MIXED);
	assert_int_equal(doc_length(d), 17);
	assert_int_equal(doc_bytes(d), strlen(MIXED));
	assert_doc(d, MIXED);
	doc_free(d);
}

TEST(new_from__refuses_invalid_utf8)
{
	assert_null(doc_new_from("ab\xc0\xaf", 4));
	assert_null(doc_new_from("\xf4\x90\x80\x80", 4));
}

TEST(free__accepts_null)
{
	doc_free(NULL);
}

TEST(insert__at_the_start_middle_and_end)
{
	struct doc *d = doc_of("bd");
	assert_int_equal(doc_insert(d, 0, "a", 1), DOC_OK);
	assert_int_equal(doc_insert(d, 2, "c", 1), DOC_OK);
	assert_int_equal(doc_insert(d, 4, "e", 1), DOC_OK);
	assert_doc(d, "abcde");
	doc_free(d);
}

TEST(insert__counts_positions_in_code_points)
{
	struct doc *d = doc_of(MIXED);
	assert_int_equal(doc_insert(d, 15, "→", strlen("→")), DOC_OK);
	assert_int_equal(doc_insert(d, 1, "😀", strlen("😀")), DOC_OK);
	assert_int_equal(doc_insert(d, 19, "!", 1), DOC_OK);
	assert_doc(d, "h😀éllo wörld 日本語→ 😀!");
	doc_free(d);
}

TEST(insert__refuses_a_position_past_the_end_leaving_the_text)
{
	struct doc *d = doc_of(MIXED);
	assert_int_equal(doc_insert(d, 18, "x", 1), DOC_ERANGE);
	assert_doc(d, MIXED);
	doc_free(d);
}

TEST(insert__refuses_invalid_utf8_leaving_the_text)
{
	struct doc *d = doc_of("ab");
	assert_int_equal(doc_insert(d, 1, "\xe6\x97", 2), DOC_EINVAL);
	assert_doc(d, "ab");
	doc_free(d);
}

TEST(insert__of_nothing_changes_nothing)
{
	struct doc *d = doc_of("ab");
	assert_int_equal(doc_insert(d, 2, "", 0), DOC_OK);
	assert_doc(d, "ab");
	doc_free(d);
}

TEST(insert__keeps_nul_bytes_as_text)
{
	struct doc *d = doc_of("ab");
	assert_int_equal(doc_insert(d, 1, "\0", 1), DOC_OK);
	assert_int_equal(doc_length(d), 3);
	size_t len;
	char *text = doc_text(d, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(text, "a\0b", 3);
	free(text);
	doc_free(d);
}

TEST(delete__at_the_start_middle_and_end)
{
	struct doc *d = doc_of("abcdefg");
	assert_int_equal(doc_delete(d, 0, 2), DOC_OK);
	assert_doc(d, "cdefg");
	assert_int_equal(doc_delete(d, 1, 2), DOC_OK);
	assert_doc(d, "cfg");
	assert_int_equal(doc_delete(d, 2, 1), DOC_OK);
	assert_doc(d, "cf");
	assert_int_equal(doc_delete(d, 0, 2), DOC_OK);
	assert_doc(d, "");
	doc_free(d);
}

TEST(delete__removes_whole_multibyte_characters)
{
	struct doc *d = doc_of(MIXED);
	assert_int_equal(doc_delete(d, 12, 3), DOC_OK);
	assert_doc(d, "héllo wörld  😀");
	assert_int_equal(doc_delete(d, 13, 1), DOC_OK);
	assert_doc(d, "héllo wörld  ");
	assert_int_equal(doc_delete(d, 1, 1), DOC_OK);
	assert_doc(d, "hllo wörld  ");
	doc_free(d);
}

TEST(delete__refuses_a_range_past_the_end_leaving_the_text)
{
	struct doc *d = doc_of(MIXED);
	assert_int_equal(doc_delete(d, 16, 2), DOC_ERANGE);
	assert_int_equal(doc_delete(d, 18, 0), DOC_ERANGE);
	assert_int_equal(doc_delete(d, 1, SIZE_MAX), DOC_ERANGE);
	assert_int_equal(doc_delete(d, 17, 0), DOC_OK);
	assert_doc(d, MIXED);
	doc_free(d);
}

TEST(slice__copies_text_on_both_sides_of_the_gap)
{
	struct doc *d = doc_of(MIXED);
	assert_int_equal(doc_insert(d, 8, "X", 1), DOC_OK); /* gap after X */
	char *s;
	size_t len;
	assert_int_equal(doc_slice(d, 6, 10, &s, &len), DOC_OK);
	assert_string_equal(s, "wöXrld 日本語");
	assert_int_equal(len, strlen(s));
	free(s);
	assert_int_equal(doc_slice(d, 18, 0, &s, NULL), DOC_OK);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(doc_slice(d, 10, 9, &s, NULL), DOC_ERANGE);
	doc_free(d);
}

TEST(grows_and_shrinks_with_large_edits)
{
	size_t n = 300000;
	char *big = malloc(n * 3 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(big + 3 * i, "語", 3);
	big[3 * n] = '\0';
	struct doc *d = doc_of("ab");
	assert_int_equal(doc_insert(d, 1, big, 3 * n), DOC_OK);
	assert_int_equal(doc_length(d), n + 2);
	assert_int_equal(doc_delete(d, 1, n - 1), DOC_OK);
	assert_doc(d, "a語b");
	assert_int_equal(doc_insert(d, 3, big, 3 * n), DOC_OK);
	assert_int_equal(doc_delete(d, 0, n + 2), DOC_OK);
	assert_doc(d, "語");
	free(big);
	doc_free(d);
}

/* ---- random edits against a naive reference --------------------------- */

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const char *const pieces[] = {
	"a", "z", " ", "é", "日本", "😀", "ab😀c", "\n", "語ö",
};

/* Reference text: a plain NUL-terminated byte string, rebuilt per edit. */
struct ref {
	char *s;
	size_t len;
};

static void
ref_splice(struct ref *r, size_t pos, size_t del, const char *ins)
{
	size_t b0 = utf8_offset(r->s, r->len, pos);
	size_t b1 = b0 + utf8_offset(r->s + b0, r->len - b0, del);
	size_t il = strlen(ins), len = r->len - (b1 - b0) + il;
	char *s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, r->s, b0);
	memcpy(s + b0, ins, il);
	memcpy(s + b0 + il, r->s + b1, r->len - b1 + 1);
	free(r->s);
	r->s = s;
	r->len = len;
}

/* Edits cluster (like typing) or jump (like other writers), so that the gap
 * is reached from every side, and the text grows long enough for the
 * eight-byte walks. */
static void
random_edits(uint64_t seed, int steps)
{
	uint64_t s = seed;
	struct ref ref = {calloc(1, 1), 0};
	struct doc *d = doc_new();
	size_t cursor = 0;
	for (int i = 0; i < steps; i++) {
		size_t len = doc_length(d);
		if (xorshift(&s) % 8 == 0 || cursor > len)
			cursor = (size_t)(xorshift(&s) % (len + 1));
		if (xorshift(&s) % 3 == 0 && len > 0) {
			size_t pos = cursor < len ? cursor : len - 1;
			size_t n = 1 + (size_t)(xorshift(&s) % 4);
			if (n > len - pos)
				n = len - pos;
			if (doc_delete(d, pos, n) != DOC_OK)
				fail_msg("delete failed, seed %" PRIu64, seed);
			ref_splice(&ref, pos, n, "");
			cursor = pos;
		} else {
			const char *p = pieces[xorshift(&s) % 9];
			if (doc_insert(d, cursor, p, strlen(p)) != DOC_OK)
				fail_msg("insert failed, seed %" PRIu64, seed);
			ref_splice(&ref, cursor, 0, p);
			cursor += utf8_count(p, strlen(p));
		}
		if (i % 97 == 0 || i == steps - 1) {
			char *text = doc_text(d, NULL);
			if (strcmp(text, ref.s) != 0)
				fail_msg("text differs after step %d, seed %"
				    PRIu64, i, seed);
			free(text);
		}
	}
	assert_int_equal(doc_length(d), utf8_count(ref.s, ref.len));
	free(ref.s);
	doc_free(d);
}

TEST(random_edits__match_a_naive_reference_string)
{
	for (uint64_t seed = 1; seed <= 40; seed++)
		random_edits(seed * UINT64_C(0x9e3779b97f4a7c15), 3000);
}

TEST(apply_doc__walks_an_op_with_many_components)
{
	struct doc *d = doc_of(MIXED);
	struct ot_op op = OT_OP_INIT;
	for (int i = 0; i < 17; i += 2) {
		assert_int_equal(ot_retain(&op, 1), OT_OK);
		if (i + 1 < 17) {
			assert_int_equal(ot_insert(&op, "·", strlen("·")), OT_OK);
			assert_int_equal(ot_delete(&op, 1), OT_OK);
		}
	}
	assert_int_equal(ot_apply_doc(d, &op), OT_OK);
	assert_doc(d, "h·l·o·w·r·d·日·語·😀");
	ot_free(&op);
	doc_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new__makes_an_empty_document),
		cmocka_unit_test(new_from__counts_code_points_and_bytes),
		cmocka_unit_test(new_from__refuses_invalid_utf8),
		cmocka_unit_test(free__accepts_null),
		cmocka_unit_test(insert__at_the_start_middle_and_end),
		cmocka_unit_test(insert__counts_positions_in_code_points),
		cmocka_unit_test(insert__refuses_a_position_past_the_end_leaving_the_text),
		cmocka_unit_test(insert__refuses_invalid_utf8_leaving_the_text),
		cmocka_unit_test(insert__of_nothing_changes_nothing),
		cmocka_unit_test(insert__keeps_nul_bytes_as_text),
		cmocka_unit_test(delete__at_the_start_middle_and_end),
		cmocka_unit_test(delete__removes_whole_multibyte_characters),
		cmocka_unit_test(delete__refuses_a_range_past_the_end_leaving_the_text),
		cmocka_unit_test(slice__copies_text_on_both_sides_of_the_gap),
		cmocka_unit_test(grows_and_shrinks_with_large_edits),
		cmocka_unit_test(random_edits__match_a_naive_reference_string),
		cmocka_unit_test(apply_doc__walks_an_op_with_many_components),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
