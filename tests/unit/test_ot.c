/* Hand-written cases for text operations (model/ot). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/doc.h"
#include "model/ot.h"

/* A cmocka test body; the state pointer is unused throughout. */
#define TEST(name) static void name(void **state __attribute__((unused)))

#define MIXED "héllo wörld 日本語 😀"

/* ---- helpers ---------------------------------------------------------- */

static struct ot_op
op_of(const char *json)
{
	struct ot_op op = OT_OP_INIT;
	char err[160] = "";
	enum ot_status st = ot_decode(json, strlen(json), &op, err, sizeof err);
	if (st != OT_OK)
		fail_msg("decoding %s: %s", json, err);
	return op;
}

static enum ot_status
decode_error(const char *json, char *err, size_t errlen)
{
	struct ot_op op = OT_OP_INIT;
	enum ot_status st = ot_decode(json, strlen(json), &op, err, errlen);
	if (st == OT_OK)
		ot_free(&op);
	return st;
}

static void
assert_rejected(const char *json, enum ot_status want, const char *reason)
{
	char err[160] = "";
	assert_int_equal(decode_error(json, err, sizeof err), want);
	if (strstr(err, reason) == NULL)
		fail_msg("%s: reason \"%s\" lacks \"%s\"", json, err, reason);
}

/* The same for text that holds NUL bytes. */
static void
assert_rejected_n(const char *json, size_t len, enum ot_status want,
    const char *reason)
{
	char err[160] = "";
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_decode(json, len, &op, err, sizeof err), want);
	assert_null(op.comps);
	if (strstr(err, reason) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", err, reason);
}

static void
assert_encodes_to(const struct ot_op *op, const char *want)
{
	char *s = ot_encode(op);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static char *
applied(const char *json, const char *text)
{
	struct ot_op op = op_of(json);
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(ot_apply(&op, text, strlen(text), &out, &len), OT_OK);
	assert_int_equal(len, strlen(out));
	ot_free(&op);
	return out;
}

static void
assert_applies(const char *json, const char *text, const char *want)
{
	char *out = applied(json, text);
	assert_string_equal(out, want);
	free(out);
}

/* ---- decoding --------------------------------------------------------- */

TEST(decode__reads_a_normalised_operation_with_its_lengths)
{
	struct ot_op op = op_of("[3, \"ab\", -2, 1]");
	assert_int_equal(op.ncomps, 4);
	assert_int_equal(op.comps[0].kind, OT_RETAIN);
	assert_int_equal(op.comps[1].kind, OT_INSERT);
	assert_string_equal(op.comps[1].text, "ab");
	assert_int_equal(op.comps[2].kind, OT_DELETE);
	assert_int_equal(op.comps[2].n, 2);
	assert_int_equal(op.base_len, 6);
	assert_int_equal(op.target_len, 6);
	ot_free(&op);
}

TEST(decode__reads_the_empty_array_as_the_identity_on_the_empty_document)
{
	struct ot_op op = op_of(" [ ] ");
	assert_int_equal(op.ncomps, 0);
	assert_int_equal(op.base_len, 0);
	assert_int_equal(op.target_len, 0);
	assert_true(ot_is_noop(&op));
	ot_free(&op);
}

TEST(decode__counts_multibyte_insert_text_in_code_points)
{
	struct ot_op op = op_of("[\"" MIXED "\"]");
	assert_int_equal(op.comps[0].n, 17);
	assert_int_equal(op.comps[0].bytes, strlen(MIXED));
	assert_int_equal(op.target_len, 17);
	ot_free(&op);
}

TEST(decode__reads_escapes_and_surrogate_pairs)
{
	struct ot_op op = op_of("[\"a\\n\\\"\\u00e9\\ud83d\\ude00\"]");
	assert_string_equal(op.comps[0].text, "a\n\"é😀");
	assert_int_equal(op.comps[0].n, 5);
	ot_free(&op);
}

TEST(decode__rejects_a_zero_component)
{
	assert_rejected("[1, 0, \"a\"]", OT_EINVAL, "op[1]: 0 is not");
}

TEST(decode__rejects_a_fractional_count)
{
	assert_rejected("[1.5]", OT_EINVAL, "op[0]: 1.5 is not an integer");
	assert_rejected("[2, -0.25]", OT_EINVAL, "op[1]");
}

TEST(decode__rejects_a_count_beyond_the_safe_integer_range)
{
	assert_rejected("[1e300]", OT_ERANGE, "out of range");
	assert_rejected("[9007199254740991, \"a\", 1]", OT_ERANGE, "op[1]");
}

TEST(decode__rejects_a_nested_array)
{
	assert_rejected("[1, [2]]", OT_EINVAL, "op[1]: expected an integer or a"
	    " string, got an array");
}

TEST(decode__rejects_other_json_types_as_components)
{
	assert_rejected("[null]", OT_EINVAL, "got null");
	assert_rejected("[true]", OT_EINVAL, "got a boolean");
	assert_rejected("[{\"a\":1}]", OT_EINVAL, "got an object");
}

TEST(decode__rejects_adjacent_components_of_the_same_kind)
{
	assert_rejected("[1, 2]", OT_EINVAL, "op[1]: two adjacent retains");
	assert_rejected("[\"a\", \"b\"]", OT_EINVAL, "two adjacent inserts");
	assert_rejected("[1, -1, -1]", OT_EINVAL, "op[2]: two adjacent deletes");
}

TEST(decode__rejects_a_delete_followed_by_an_insert)
{
	assert_rejected("[1, -1, \"x\"]", OT_EINVAL,
	    "op[2]: insert after delete");
}

TEST(decode__rejects_invalid_utf8_in_an_insert)
{
	assert_rejected("[\"ok\xc3\x28\"]", OT_EINVAL, "not valid UTF-8");
	assert_rejected("[\"\xed\xa0\x80\"]", OT_EINVAL, "not valid UTF-8");
}

TEST(decode__rejects_escapes_that_are_not_text)
{
	assert_rejected("[\"a\\u0000b\"]", OT_EINVAL, "\\u0000");
	assert_rejected("[\"\\ud800\"]", OT_EINVAL, "invalid JSON");
}

/* Each of these cJSON alone reads wrongly, so the text is checked as strict
 * JSON first; the reason names the fault, after "invalid JSON". */

/* cJSON reads a raw NUL as the end of its string: ["a<NUL>b"] decoded as
 * ["a"], the rest of the text silently lost. */
TEST(decode__rejects_a_raw_nul_byte_in_an_insert_rather_than_cutting_it)
{
	static const char text[] = "[\"a\0b\"]";
	assert_rejected_n(text, sizeof text - 1, OT_EINVAL, "invalid JSON: ");
}

/* cJSON reads a \u without four hex digits as U+0000, with the same loss. */
TEST(decode__rejects_a_unicode_escape_without_four_hex_digits)
{
	assert_rejected("[\"a\\uZZZZb\"]", OT_EINVAL, "invalid JSON: ");
	assert_rejected("[\"a\\u00g0\"]", OT_EINVAL, "invalid JSON: ");
	assert_rejected("[\"\\u12\"]", OT_EINVAL, "invalid JSON: ");
	assert_rejected("[\"\\x41\"]", OT_EINVAL, "invalid JSON: ");
}

/* cJSON skips every byte up to the space as white space; fuzz_ot found
 * [<0x11>] read as the empty op. */
TEST(decode__rejects_control_bytes_outside_strings)
{
	assert_rejected("[\x11]", OT_EINVAL, "invalid JSON: ");
	assert_rejected("\x01[1]", OT_EINVAL, "invalid JSON: ");
	assert_rejected("[1,\x7f" "2]", OT_EINVAL, "invalid JSON: ");
	static const char nul_first[] = "\0[1]";
	assert_rejected_n(nul_first, sizeof nul_first - 1, OT_EINVAL,
	    "invalid JSON: ");
	assert_int_equal(decode_error(" \t\r\n[1] \n", NULL, 0), OT_OK);
}

TEST(decode__rejects_control_characters_not_escaped_in_an_insert)
{
	assert_rejected("[\"a\nb\"]", OT_EINVAL, "invalid JSON: ");
	assert_rejected("[\"\x1f\"]", OT_EINVAL, "invalid JSON: ");
	assert_int_equal(decode_error("[\"a\\nb\\u001f\"]", NULL, 0), OT_OK);
}

TEST(decode__rejects_numbers_outside_the_json_grammar)
{
	const char *bad[] = {"[01]", "[1.]", "[+1]", "[.5]", "[1e]", "[-]",
	    "[1.5.3]", "[--1]", "[0x10]", "[1e+]"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_rejected(bad[i], OT_EINVAL, "invalid JSON: ");
	assert_int_equal(decode_error("[2.0,\"x\",-3e0,1E1]", NULL, 0), OT_OK);
}

TEST(decode__rejects_text_nested_deeper_than_an_operation_can_be)
{
	char deep[2 * (OT_JSON_MAX_DEPTH + 1) + 1];
	size_t n = OT_JSON_MAX_DEPTH + 1;
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	assert_rejected(deep, OT_EINVAL, "nesting deeper than");
	assert_rejected("[[1]]", OT_EINVAL, "op[0]: expected an integer or a"
	    " string, got an array");
}

TEST(decode__rejects_an_empty_insert)
{
	assert_rejected("[1, \"\"]", OT_EINVAL, "op[1]: empty insert string");
}

TEST(decode__rejects_a_value_that_is_not_an_array)
{
	assert_rejected("{\"ops\": [1]}", OT_EINVAL, "must be a JSON array, got"
	    " an object");
	assert_rejected("\"abc\"", OT_EINVAL, "got a string");
	assert_rejected("42", OT_EINVAL, "got a number");
}

TEST(decode__rejects_malformed_json_and_trailing_text)
{
	assert_rejected("[1, ", OT_EINVAL, "invalid JSON");
	assert_rejected("[1] [2]", OT_EINVAL, "unexpected text after");
	assert_rejected("", OT_EINVAL, "empty JSON text");
}

TEST(decode__reads_text_that_is_not_nul_terminated)
{
	const char buf[] = {'[', '5', ']', 'x'};
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_decode(buf, 3, &op, NULL, 0), OT_OK);
	assert_int_equal(op.base_len, 5);
	ot_free(&op);
}

TEST(decode__leaves_the_output_untouched_and_accepts_no_error_buffer)
{
	struct ot_op op = op_of("[7]");
	struct ot_op before = op;
	assert_int_equal(ot_decode("[0]", 3, &op, NULL, 0), OT_EINVAL);
	assert_memory_equal(&op, &before, sizeof op);
	ot_free(&op);
}

TEST(decode__truncates_its_reason_to_the_buffer)
{
	char err[8];
	memset(err, 'x', sizeof err);
	assert_int_equal(decode_error("[0]", err, sizeof err), OT_EINVAL);
	assert_string_equal(err, "op[0]: ");
}

TEST(decode_json__validates_a_parsed_cjson_array)
{
	cJSON *arr = cJSON_Parse("[2, \"日本\", -1]");
	struct ot_op op = OT_OP_INIT;
	char err[80];
	assert_int_equal(ot_decode_json(arr, &op, err, sizeof err), OT_OK);
	assert_int_equal(op.base_len, 3);
	assert_int_equal(op.target_len, 4);
	ot_free(&op);
	cJSON_Delete(arr);
	assert_int_equal(ot_decode_json(NULL, &op, err, sizeof err), OT_EINVAL);
	assert_non_null(strstr(err, "got nothing"));
}

/* ---- encoding --------------------------------------------------------- */

TEST(encode__produces_the_canonical_compact_array)
{
	struct ot_op op = op_of(" [ 3 , \"日本\" , -2 , 10 ] ");
	assert_encodes_to(&op, "[3,\"日本\",-2,10]");
	ot_free(&op);
	struct ot_op empty = OT_OP_INIT;
	assert_encodes_to(&empty, "[]");
}

TEST(encode__escapes_quotes_backslashes_and_control_characters)
{
	struct ot_op op = OT_OP_INIT;
	const char text[] = "a\"b\\c\n\t\x01é";
	assert_int_equal(ot_insert(&op, text, strlen(text)), OT_OK);
	assert_encodes_to(&op, "[\"a\\\"b\\\\c\\n\\t\\u0001é\"]");
	char *json = ot_encode(&op);
	struct ot_op back = op_of(json);
	assert_true(ot_equal(&op, &back));
	free(json);
	ot_free(&back);
	ot_free(&op);
}

TEST(encode_json__round_trips_through_cjson)
{
	struct ot_op op = op_of("[1, \"" MIXED "\", -4, 2]");
	cJSON *arr = ot_encode_json(&op);
	assert_non_null(arr);
	assert_int_equal(cJSON_GetArraySize(arr), 4);
	assert_int_equal(cJSON_GetArrayItem(arr, 2)->valuedouble, -4);
	struct ot_op back = OT_OP_INIT;
	assert_int_equal(ot_decode_json(arr, &back, NULL, 0), OT_OK);
	assert_true(ot_equal(&op, &back));
	cJSON_Delete(arr);
	ot_free(&back);
	ot_free(&op);
}

/* ---- builders --------------------------------------------------------- */

TEST(builders__merge_adjacent_components_of_the_same_kind)
{
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_retain(&op, 2), OT_OK);
	assert_int_equal(ot_retain(&op, 3), OT_OK);
	assert_int_equal(ot_insert(&op, "日", 3), OT_OK);
	assert_int_equal(ot_insert(&op, "b", 1), OT_OK);
	assert_int_equal(ot_delete(&op, 1), OT_OK);
	assert_int_equal(ot_delete(&op, 2), OT_OK);
	assert_encodes_to(&op, "[5,\"日b\",-3]");
	assert_int_equal(op.base_len, 8);
	assert_int_equal(op.target_len, 7);
	ot_free(&op);
}

TEST(builders__put_an_insert_before_an_adjacent_delete)
{
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_retain(&op, 1), OT_OK);
	assert_int_equal(ot_delete(&op, 2), OT_OK);
	assert_int_equal(ot_insert(&op, "x", 1), OT_OK);
	assert_encodes_to(&op, "[1,\"x\",-2]");
	assert_int_equal(ot_insert(&op, "y", 1), OT_OK);
	assert_encodes_to(&op, "[1,\"xy\",-2]");
	ot_free(&op);
}

TEST(builders__ignore_zero_counts_and_empty_text)
{
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_retain(&op, 0), OT_OK);
	assert_int_equal(ot_insert(&op, "", 0), OT_OK);
	assert_int_equal(ot_delete(&op, 0), OT_OK);
	assert_int_equal(op.ncomps, 0);
	ot_free(&op);
}

TEST(insert__rejects_invalid_utf8_and_nul_leaving_the_op_unchanged)
{
	struct ot_op op = op_of("[\"a\"]");
	assert_int_equal(ot_insert(&op, "\xff", 1), OT_EINVAL);
	assert_int_equal(ot_insert(&op, "b\0c", 3), OT_EINVAL);
	assert_encodes_to(&op, "[\"a\"]");
	assert_int_equal(op.target_len, 1);
	ot_free(&op);
}

TEST(builders__refuse_lengths_beyond_the_maximum)
{
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_retain(&op, OT_MAX_LENGTH), OT_OK);
	assert_int_equal(ot_retain(&op, 1), OT_ERANGE);
	assert_int_equal(ot_delete(&op, 1), OT_ERANGE);
	assert_int_equal(ot_insert(&op, "a", 1), OT_ERANGE);
	assert_int_equal(op.base_len, OT_MAX_LENGTH);
	ot_free(&op);
}

TEST(copy__gives_an_equal_op_that_owns_its_text)
{
	struct ot_op op = op_of("[1, \"日本\", -1, 3]"), copy;
	ot_copy(&copy, &op);
	assert_true(ot_equal(&copy, &op));
	assert_ptr_not_equal(copy.comps[1].text, op.comps[1].text);
	ot_free(&op);
	assert_string_equal(copy.comps[1].text, "日本");
	ot_free(&copy);
}

TEST(equal__tells_apart_text_counts_and_kinds)
{
	struct ot_op a = op_of("[1, \"a\"]"), b = op_of("[1, \"b\"]");
	struct ot_op c = op_of("[2, \"a\"]"), d = op_of("[\"a\", -1]");
	struct ot_op a2 = op_of("[1,\"a\"]");
	assert_true(ot_equal(&a, &a2));
	assert_false(ot_equal(&a, &b));
	assert_false(ot_equal(&a, &c));
	assert_false(ot_equal(&a, &d));
	ot_free(&a), ot_free(&b), ot_free(&c), ot_free(&d), ot_free(&a2);
}

TEST(is_noop__is_true_only_for_retains)
{
	struct ot_op r = op_of("[4]"), i = op_of("[4, \"x\"]");
	assert_true(ot_is_noop(&r));
	assert_false(ot_is_noop(&i));
	ot_free(&r), ot_free(&i);
}

TEST(strerror__names_every_status)
{
	assert_string_equal(ot_strerror(OT_ELENGTH), "lengths do not match");
	assert_string_equal(ot_strerror(OT_OK), "success");
	assert_string_equal(ot_strerror((enum ot_status)99), "unknown status");
}

/* ---- apply ------------------------------------------------------------ */

TEST(apply__retains_inserts_and_deletes_by_code_point)
{
	assert_applies("[1, \"E\", -1, 10, \"にほんご\", -3, 2]", MIXED,
	    "hEllo wörld にほんご 😀");
}

TEST(apply__inserts_into_an_empty_document)
{
	assert_applies("[\"😀 hi\"]", "", "😀 hi");
	assert_applies("[]", "", "");
}

TEST(apply__deletes_at_the_end_of_the_document)
{
	assert_applies("[16, -1]", MIXED, "héllo wörld 日本語 ");
	assert_applies("[-17]", MIXED, "");
}

TEST(apply__rejects_a_wrong_base_length_without_output)
{
	struct ot_op op = op_of("[3, \"x\"]");
	char *out = (char *)"untouched";
	assert_int_equal(ot_apply(&op, "ab", 2, &out, NULL), OT_ELENGTH);
	assert_int_equal(ot_apply(&op, "日本語語", strlen("日本語語"), &out,
	    NULL), OT_ELENGTH);
	assert_string_equal(out, "untouched");
	ot_free(&op);
}

TEST(apply__rejects_a_document_that_is_not_utf8)
{
	struct ot_op op = op_of("[2]");
	char *out = NULL;
	assert_int_equal(ot_apply(&op, "a\x80", 2, &out, NULL), OT_EINVAL);
	assert_null(out);
	ot_free(&op);
}

TEST(apply_doc__edits_the_document_in_place)
{
	struct doc *d = doc_new_from(MIXED, strlen(MIXED));
	struct ot_op op = op_of("[\"¡\", 6, \"world\", -5, 1, -3, 2]");
	assert_int_equal(ot_apply_doc(d, &op), OT_OK);
	char *text = doc_text(d, NULL);
	assert_string_equal(text, "¡héllo world  😀");
	assert_int_equal(doc_length(d), op.target_len);
	free(text);
	ot_free(&op);
	doc_free(d);
}

TEST(apply_doc__rejects_a_wrong_base_length_leaving_the_document_untouched)
{
	struct doc *d = doc_new_from(MIXED, strlen(MIXED));
	struct ot_op op = op_of("[\"x\", 16]");
	assert_int_equal(ot_apply_doc(d, &op), OT_ELENGTH);
	char *text = doc_text(d, NULL);
	assert_string_equal(text, MIXED);
	assert_int_equal(doc_length(d), 17);
	free(text);
	ot_free(&op);
	doc_free(d);
}

/* ---- compose ---------------------------------------------------------- */

TEST(compose__has_the_effect_of_both_ops_in_turn)
{
	struct ot_op a = op_of("[6, \"world\", -5, 6]");
	struct ot_op b = op_of("[\"¡\", 12, \"にほんご\", -3, 2]");
	struct ot_op ab;
	assert_int_equal(ot_compose(&a, &b, &ab), OT_OK);
	assert_int_equal(ab.base_len, 17);
	assert_int_equal(ab.target_len, b.target_len);
	char *out = NULL;
	assert_int_equal(ot_apply(&ab, MIXED, strlen(MIXED), &out, NULL), OT_OK);
	assert_string_equal(out, "¡héllo world にほんご 😀");
	free(out);
	ot_free(&a), ot_free(&b), ot_free(&ab);
}

TEST(compose__drops_text_that_was_inserted_then_deleted)
{
	struct ot_op a = op_of("[1, \"日本語\", 1]"), b = op_of("[2, -2, 1]");
	struct ot_op ab;
	assert_int_equal(ot_compose(&a, &b, &ab), OT_OK);
	assert_encodes_to(&ab, "[1,\"日\",1]");
	ot_free(&a), ot_free(&b), ot_free(&ab);
}

TEST(compose__rejects_ops_whose_lengths_do_not_meet)
{
	struct ot_op a = op_of("[3, \"x\"]"), b = op_of("[3]");
	struct ot_op out = OT_OP_INIT;
	assert_int_equal(ot_compose(&a, &b, &out), OT_ELENGTH);
	assert_null(out.comps);
	ot_free(&a), ot_free(&b);
}

TEST(compose__of_two_empty_ops_is_empty)
{
	struct ot_op a = OT_OP_INIT, b = OT_OP_INIT, ab;
	assert_int_equal(ot_compose(&a, &b, &ab), OT_OK);
	assert_int_equal(ab.ncomps, 0);
	ot_free(&ab);
}

/* ---- transform -------------------------------------------------------- */

/* Applies a then b' and b then a' to text and checks both give want. */
static void
assert_converges(const char *text, const char *ja, const char *jb,
    const char *want)
{
	struct ot_op a = op_of(ja), b = op_of(jb), ap, bp;
	assert_int_equal(ot_transform(&a, &b, &ap, &bp), OT_OK);
	char *sa, *sb, *sab, *sba;
	size_t n = strlen(text), la, lb;
	assert_int_equal(ot_apply(&a, text, n, &sa, &la), OT_OK);
	assert_int_equal(ot_apply(&b, text, n, &sb, &lb), OT_OK);
	assert_int_equal(ot_apply(&bp, sa, la, &sab, NULL), OT_OK);
	assert_int_equal(ot_apply(&ap, sb, lb, &sba, NULL), OT_OK);
	assert_string_equal(sab, want);
	assert_string_equal(sba, want);
	free(sa), free(sb), free(sab), free(sba);
	ot_free(&a), ot_free(&b), ot_free(&ap), ot_free(&bp);
}

TEST(transform__converges_for_inserts_at_different_places)
{
	assert_converges(MIXED, "[\"¡\", 17]", "[16, \"!\", 1]",
	    "¡héllo wörld 日本語 !😀");
}

TEST(transform__puts_the_insert_of_the_first_ordered_op_first)
{
	/* a was ordered first by the server: its text comes first */
	assert_converges("ab", "[1, \"X\", 1]", "[1, \"Y\", 1]", "aXYb");
	assert_converges("ab", "[1, \"Y\", 1]", "[1, \"X\", 1]", "aYXb");
	assert_converges("", "[\"日\"]", "[\"😀\"]", "日😀");
}

TEST(transform__deletes_overlapping_text_only_once)
{
	assert_converges(MIXED, "[1, -6, 10]", "[4, -6, 7]", "hd 日本語 😀");
	assert_converges(MIXED, "[-17]", "[12, -3, 2]", "");
}

TEST(transform__keeps_an_insert_made_inside_text_the_other_deleted)
{
	/* b's insert survives inside the range a deleted */
	assert_converges("abcdef", "[1, -4, 1]", "[3, \"日本\", 3]", "a日本f");
}

TEST(transform__of_two_identities_on_the_empty_document_is_empty)
{
	struct ot_op a = OT_OP_INIT, b = OT_OP_INIT, ap, bp;
	assert_int_equal(ot_transform(&a, &b, &ap, &bp), OT_OK);
	assert_int_equal(ap.ncomps, 0);
	assert_int_equal(bp.ncomps, 0);
	ot_free(&ap), ot_free(&bp);
}

TEST(transform__rejects_ops_on_different_base_lengths)
{
	struct ot_op a = op_of("[3]"), b = op_of("[4]");
	struct ot_op ap = OT_OP_INIT, bp = OT_OP_INIT;
	assert_int_equal(ot_transform(&a, &b, &ap, &bp), OT_ELENGTH);
	assert_null(ap.comps);
	assert_null(bp.comps);
	ot_free(&a), ot_free(&b);
}

/* ---- invert ----------------------------------------------------------- */

TEST(invert__restores_the_text_before_the_op)
{
	struct ot_op op = op_of("[1, \"E\", -1, 10, \"にほんご\", -3, 2]"), inv;
	assert_int_equal(ot_invert(&op, MIXED, strlen(MIXED), &inv), OT_OK);
	assert_encodes_to(&inv, "[1,\"é\",-1,10,\"日本語\",-4,2]");
	char *after, *back;
	size_t n;
	assert_int_equal(ot_apply(&op, MIXED, strlen(MIXED), &after, &n), OT_OK);
	assert_int_equal(ot_apply(&inv, after, n, &back, NULL), OT_OK);
	assert_string_equal(back, MIXED);
	free(after), free(back);
	ot_free(&op), ot_free(&inv);
}

TEST(invert__rejects_text_of_the_wrong_length)
{
	struct ot_op op = op_of("[2, -1]"), inv = OT_OP_INIT;
	assert_int_equal(ot_invert(&op, "ab", 2, &inv), OT_ELENGTH);
	assert_null(inv.comps);
	ot_free(&op);
}

TEST(invert__refuses_deleted_text_holding_a_nul_character)
{
	struct ot_op op = op_of("[1, -1, 1]"), inv = OT_OP_INIT;
	assert_int_equal(ot_invert(&op, "a\0b", 3, &inv), OT_EINVAL);
	assert_null(inv.comps);
	ot_free(&op);
}

TEST(invert_doc__agrees_with_invert_on_a_string)
{
	struct ot_op op = op_of("[-2, 4, \"x\", -6, 5]"), a, b;
	struct doc *d = doc_new_from(MIXED, strlen(MIXED));
	assert_int_equal(ot_invert(&op, MIXED, strlen(MIXED), &a), OT_OK);
	assert_int_equal(ot_invert_doc(&op, d, &b), OT_OK);
	assert_true(ot_equal(&a, &b));
	doc_free(d);
	ot_free(&op), ot_free(&a), ot_free(&b);
}

/* ---- cursors ---------------------------------------------------------- */

TEST(cursor__moves_right_for_an_insert_before_it)
{
	struct ot_op op = op_of("[2, \"日本\", 8]");
	assert_int_equal(ot_transform_index(&op, 5, false), 7);
	assert_int_equal(ot_transform_index(&op, 5, true), 7);
	assert_int_equal(ot_transform_index(&op, 1, false), 1);
	ot_free(&op);
}

TEST(cursor__moves_right_for_another_users_insert_exactly_at_it)
{
	struct ot_op op = op_of("[2, \"日本\", 8]");
	assert_int_equal(ot_transform_index(&op, 2, false), 4);
	ot_free(&op);
}

TEST(cursor__stays_for_its_owners_insert_exactly_at_it)
{
	struct ot_op op = op_of("[2, \"日本\", 8]");
	assert_int_equal(ot_transform_index(&op, 2, true), 2);
	struct ot_op at0 = op_of("[\"x\", 3]");
	assert_int_equal(ot_transform_index(&at0, 0, true), 0);
	assert_int_equal(ot_transform_index(&at0, 0, false), 1);
	ot_free(&op), ot_free(&at0);
}

TEST(cursor__moves_left_for_a_delete_before_it)
{
	struct ot_op op = op_of("[1, -3, 6]");
	assert_int_equal(ot_transform_index(&op, 8, false), 5);
	assert_int_equal(ot_transform_index(&op, 4, false), 1);
	ot_free(&op);
}

TEST(cursor__inside_a_deleted_range_moves_to_its_start)
{
	struct ot_op op = op_of("[1, -3, 6]");
	assert_int_equal(ot_transform_index(&op, 2, false), 1);
	assert_int_equal(ot_transform_index(&op, 3, true), 1);
	struct ot_op all = op_of("[-10]");
	assert_int_equal(ot_transform_index(&all, 10, false), 0);
	ot_free(&op), ot_free(&all);
}

TEST(cursor__past_the_end_is_clamped_to_the_target_length)
{
	struct ot_op op = op_of("[2, -2]");
	assert_int_equal(ot_transform_index(&op, 99, false), 2);
	struct ot_op empty = OT_OP_INIT;
	assert_int_equal(ot_transform_index(&empty, 3, false), 0);
	ot_free(&op);
}

TEST(cursor__at_the_end_follows_an_append)
{
	struct ot_op op = op_of("[3, \"abc\"]");
	assert_int_equal(ot_transform_index(&op, 3, false), 6);
	assert_int_equal(ot_transform_index(&op, 3, true), 3);
	ot_free(&op);
}

TEST(selection__transforms_anchor_and_head_separately)
{
	struct ot_op op = op_of("[1, \"ab\", 2, -2, 3]");
	struct ot_selection s = ot_transform_selection(&op,
	    (struct ot_selection){.anchor = 1, .head = 4}, false);
	assert_int_equal(s.anchor, 3);
	assert_int_equal(s.head, 5);
	s = ot_transform_selection(&op, (struct ot_selection){7, 1}, true);
	assert_int_equal(s.anchor, 7);
	assert_int_equal(s.head, 1);
	ot_free(&op);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode__reads_a_normalised_operation_with_its_lengths),
		cmocka_unit_test(decode__reads_the_empty_array_as_the_identity_on_the_empty_document),
		cmocka_unit_test(decode__counts_multibyte_insert_text_in_code_points),
		cmocka_unit_test(decode__reads_escapes_and_surrogate_pairs),
		cmocka_unit_test(decode__rejects_a_zero_component),
		cmocka_unit_test(decode__rejects_a_fractional_count),
		cmocka_unit_test(decode__rejects_a_count_beyond_the_safe_integer_range),
		cmocka_unit_test(decode__rejects_a_nested_array),
		cmocka_unit_test(decode__rejects_other_json_types_as_components),
		cmocka_unit_test(decode__rejects_adjacent_components_of_the_same_kind),
		cmocka_unit_test(decode__rejects_a_delete_followed_by_an_insert),
		cmocka_unit_test(decode__rejects_invalid_utf8_in_an_insert),
		cmocka_unit_test(decode__rejects_escapes_that_are_not_text),
		cmocka_unit_test(decode__rejects_a_raw_nul_byte_in_an_insert_rather_than_cutting_it),
		cmocka_unit_test(decode__rejects_a_unicode_escape_without_four_hex_digits),
		cmocka_unit_test(decode__rejects_control_bytes_outside_strings),
		cmocka_unit_test(decode__rejects_control_characters_not_escaped_in_an_insert),
		cmocka_unit_test(decode__rejects_numbers_outside_the_json_grammar),
		cmocka_unit_test(decode__rejects_text_nested_deeper_than_an_operation_can_be),
		cmocka_unit_test(decode__rejects_an_empty_insert),
		cmocka_unit_test(decode__rejects_a_value_that_is_not_an_array),
		cmocka_unit_test(decode__rejects_malformed_json_and_trailing_text),
		cmocka_unit_test(decode__reads_text_that_is_not_nul_terminated),
		cmocka_unit_test(decode__leaves_the_output_untouched_and_accepts_no_error_buffer),
		cmocka_unit_test(decode__truncates_its_reason_to_the_buffer),
		cmocka_unit_test(decode_json__validates_a_parsed_cjson_array),
		cmocka_unit_test(encode__produces_the_canonical_compact_array),
		cmocka_unit_test(encode__escapes_quotes_backslashes_and_control_characters),
		cmocka_unit_test(encode_json__round_trips_through_cjson),
		cmocka_unit_test(builders__merge_adjacent_components_of_the_same_kind),
		cmocka_unit_test(builders__put_an_insert_before_an_adjacent_delete),
		cmocka_unit_test(builders__ignore_zero_counts_and_empty_text),
		cmocka_unit_test(insert__rejects_invalid_utf8_and_nul_leaving_the_op_unchanged),
		cmocka_unit_test(builders__refuse_lengths_beyond_the_maximum),
		cmocka_unit_test(copy__gives_an_equal_op_that_owns_its_text),
		cmocka_unit_test(equal__tells_apart_text_counts_and_kinds),
		cmocka_unit_test(is_noop__is_true_only_for_retains),
		cmocka_unit_test(strerror__names_every_status),
		cmocka_unit_test(apply__retains_inserts_and_deletes_by_code_point),
		cmocka_unit_test(apply__inserts_into_an_empty_document),
		cmocka_unit_test(apply__deletes_at_the_end_of_the_document),
		cmocka_unit_test(apply__rejects_a_wrong_base_length_without_output),
		cmocka_unit_test(apply__rejects_a_document_that_is_not_utf8),
		cmocka_unit_test(apply_doc__edits_the_document_in_place),
		cmocka_unit_test(apply_doc__rejects_a_wrong_base_length_leaving_the_document_untouched),
		cmocka_unit_test(compose__has_the_effect_of_both_ops_in_turn),
		cmocka_unit_test(compose__drops_text_that_was_inserted_then_deleted),
		cmocka_unit_test(compose__rejects_ops_whose_lengths_do_not_meet),
		cmocka_unit_test(compose__of_two_empty_ops_is_empty),
		cmocka_unit_test(transform__converges_for_inserts_at_different_places),
		cmocka_unit_test(transform__puts_the_insert_of_the_first_ordered_op_first),
		cmocka_unit_test(transform__deletes_overlapping_text_only_once),
		cmocka_unit_test(transform__keeps_an_insert_made_inside_text_the_other_deleted),
		cmocka_unit_test(transform__of_two_identities_on_the_empty_document_is_empty),
		cmocka_unit_test(transform__rejects_ops_on_different_base_lengths),
		cmocka_unit_test(invert__restores_the_text_before_the_op),
		cmocka_unit_test(invert__rejects_text_of_the_wrong_length),
		cmocka_unit_test(invert__refuses_deleted_text_holding_a_nul_character),
		cmocka_unit_test(invert_doc__agrees_with_invert_on_a_string),
		cmocka_unit_test(cursor__moves_right_for_an_insert_before_it),
		cmocka_unit_test(cursor__moves_right_for_another_users_insert_exactly_at_it),
		cmocka_unit_test(cursor__stays_for_its_owners_insert_exactly_at_it),
		cmocka_unit_test(cursor__moves_left_for_a_delete_before_it),
		cmocka_unit_test(cursor__inside_a_deleted_range_moves_to_its_start),
		cmocka_unit_test(cursor__past_the_end_is_clamped_to_the_target_length),
		cmocka_unit_test(cursor__at_the_end_follows_an_append),
		cmocka_unit_test(selection__transforms_anchor_and_head_separately),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
