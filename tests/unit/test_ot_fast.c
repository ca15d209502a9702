/*
 * ot_fast: the quick reader of an operation's text takes only what the full
 * reader takes, and builds the same operation from it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "model/ot.h"
#include "model/ot_fast.h"

/* The full reader alone: through cJSON. */
static enum ot_status
full(const char *s, struct ot_op *out)
{
	cJSON *j = cJSON_Parse(s);
	if (j == NULL)
		return OT_EINVAL;
	enum ot_status st = ot_decode_json(j, out, NULL, 0);
	cJSON_Delete(j);
	return st;
}

static void
agree(const char *s)
{
	struct ot_op a = OT_OP_INIT, b = OT_OP_INIT;
	bool fast = ot_decode_fast(s, strlen(s), &a);
	enum ot_status st = full(s, &b);
	if (fast && st != OT_OK)
		fail_msg("fast took what the full reader refuses: %s", s);
	if (fast)
		assert_true(ot_equal(&a, &b));
	ot_free(&a);
	ot_free(&b);
}

static void
ot_fast__reads_what_ot_encode_writes(void **state)
{
	(void)state;
	srand(7);
	static const char *const texts[] = {"a", "hé", "\"quoted\"", "back\\slash",
	    "line\nbreak\ttab", "\x01\x1f", "emoji \xf0\x9f\x98\x80", "/", "\r"};
	for (int round = 0; round < 2000; round++) {
		struct ot_op op = OT_OP_INIT;
		int n = rand() % 12;
		for (int i = 0; i < n; i++) {
			switch (rand() % 3) {
			case 0: ot_retain(&op, (size_t)(rand() % 1000 + 1)); break;
			case 1: ot_delete(&op, (size_t)(rand() % 1000 + 1)); break;
			default: {
				const char *t = texts[rand() % (sizeof texts / sizeof *texts)];
				ot_insert(&op, t, strlen(t));
			}
			}
		}
		char *json = ot_encode(&op);
		struct ot_op back = OT_OP_INIT;
		assert_true(ot_decode_fast(json, strlen(json), &back));
		assert_true(ot_equal(&op, &back));
		agree(json);
		free(json);
		ot_free(&op);
		ot_free(&back);
	}
}

static void
ot_fast__leaves_every_other_form_to_the_full_reader(void **state)
{
	(void)state;
	static const char *const others[] = {
		"", " ", "{}", "\"abc\"", "42", "[", "[1,]", "[,1]", "[1 2]", "[01]",
		"[1.0]", "[1e2]", "[0]", "[-0]", "[1,2]", "[-1,-2]", "[-1,\"a\"]",
		"[\"\"]", "[\"a\",\"b\"]", "[\"\\u0000\"]", "[\"\\uZZZZ\"]",
		"[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\x\"]", "[\"\x01\"]",
		"[\"\xff\"]", "[true]", "[null]", "[[1]]", "[1] [2]", "[1]x",
		"[99999999999999999]", "[\"open]",
	};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		struct ot_op op = OT_OP_INIT;
		if (ot_decode_fast(others[i], strlen(others[i]), &op))
			fail_msg("fast took %s", others[i]);
		agree(others[i]);
	}
	/* escapes it does take, as the full reader reads them */
	agree("[\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"]");
	struct ot_op op = OT_OP_INIT;
	assert_true(ot_decode_fast(" [ 3 , \"\\u00e9\" , -2 ] \n", 24, &op));
	assert_int_equal(op.ncomps, 3);
	assert_string_equal(op.comps[1].text, "\xc3\xa9");
	ot_free(&op);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ot_fast__reads_what_ot_encode_writes),
		cmocka_unit_test(ot_fast__leaves_every_other_form_to_the_full_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
