/*
 * jsoncheck: what strict JSON (RFC 8259) accepts and refuses, especially
 * where cJSON alone is lenient (bad \u escapes read as NUL, control bytes
 * skipped as whitespace, sloppy numbers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/jsoncheck.h"

static bool
check(const char *s, size_t len, char *why, size_t whylen)
{
	return jsoncheck(s, len, 64, why, whylen);
}

#define ACCEPT(lit) accept_text(lit, sizeof(lit) - 1)
#define REFUSE(lit, word) refuse_text(lit, sizeof(lit) - 1, word)

static void
accept_text(const char *s, size_t len)
{
	char why[160] = "";
	if (!check(s, len, why, sizeof why))
		fail_msg("refused %s: %s", s, why);
}

static void
refuse_text(const char *s, size_t len, const char *word)
{
	char why[160] = "";
	if (check(s, len, why, sizeof why))
		fail_msg("accepted %s", s);
	if (word != NULL && strstr(why, word) == NULL)
		fail_msg("%s: reason '%s' lacks '%s'", s, why, word);
}

static void
jsoncheck__accepts_every_kind_of_value(void **state)
{
	(void)state;
	ACCEPT("{}");
	ACCEPT("[]");
	ACCEPT(" \t\r\n{\"a\":[1,-2,3.5,-0.25e+10,1E-3,0,true,false,null,\"x\"]} \n");
	ACCEPT("{\"a\":{\"b\":{\"c\":[[],{}]}}}");
	ACCEPT("\"just a string\"");
	ACCEPT("42");
	ACCEPT("{\"e\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"}");
	ACCEPT("{\"utf8\":\"h\xc3\xa9 \xf0\x9f\x98\x80\"}");
}

static void
jsoncheck__refuses_bad_unicode_escapes(void **state)
{
	(void)state;
	REFUSE("{\"text\":\"visible\\uZZZZhidden part\"}", "\\u escape");
	REFUSE("{\"text\":\"a\\u00g0b\"}", "\\u escape");
	REFUSE("{\"cid\":\"z3\\uZZZZ\"}", "\\u escape");
	REFUSE("{\"t\":\"\\u12\"}", "\\u escape");
	REFUSE("{\"t\":\"\\u", "\\u escape");
	REFUSE("{\"t\":\"a\\u0000b\"}", "\\u0000");
	REFUSE("{\"t\":\"\\uDE00\"}", "surrogate");
	REFUSE("{\"t\":\"\\uD83Dx\"}", "surrogate");
	REFUSE("{\"t\":\"\\uD83D\\u0041\"}", "surrogate");
	REFUSE("{\"t\":\"\\x41\"}", "escape");
	REFUSE("{\"t\":\"\\'\"}", "escape");
}

static void
jsoncheck__refuses_control_bytes_around_and_inside(void **state)
{
	(void)state;
	for (int c = 0; c < 0x20; c++) {
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		char before[] = "?{\"type\":\"HEARTBEAT\"}";
		before[0] = (char)c;
		refuse_text(before, sizeof before - 1, "control character");
		char after[] = "{\"type\":\"HEARTBEAT\"}?";
		after[sizeof after - 2] = (char)c;
		refuse_text(after, sizeof after - 1, NULL);
		char inside[] = "{\"type\":\"HEART?BEAT\"}";
		inside[14] = (char)c;
		refuse_text(inside, sizeof inside - 1, "control characters");
	}
	REFUSE("\0{}", NULL);
	REFUSE("{}\0", "unexpected text after");
}

static void
jsoncheck__refuses_sloppy_numbers_and_literals(void **state)
{
	(void)state;
	REFUSE("[01]", "leading zero");
	REFUSE("[+1]", "unexpected character");
	REFUSE("[1.]", "digit");
	REFUSE("[.5]", "unexpected character");
	REFUSE("[1e]", "digit");
	REFUSE("[-]", "digit");
	REFUSE("[tru]", NULL);
	REFUSE("[True]", NULL);
	REFUSE("[nan]", NULL);
	REFUSE("[Infinity]", NULL);
}

static void
jsoncheck__refuses_broken_structure(void **state)
{
	(void)state;
	REFUSE("", "end");
	REFUSE("   ", "end");
	REFUSE("{", NULL);
	REFUSE("{\"a\"}", "':'");
	REFUSE("{\"a\":}", NULL);
	REFUSE("{a:1}", "key");
	REFUSE("{\"a\":1,}", "key");
	REFUSE("[1,]", NULL);
	REFUSE("[1 2]", "','");
	REFUSE("[1}", "','");
	REFUSE("{\"a\":1]", "','");
	REFUSE("{} {}", "unexpected text after");
	REFUSE("\"open", "unterminated");
}

static void
jsoncheck__bounds_the_nesting_depth(void **state)
{
	(void)state;
	char deep[300];
	memset(deep, '[', 150);
	memset(deep + 150, ']', 150);
	char why[160];
	assert_true(jsoncheck(deep, 300, 150, why, sizeof why));
	assert_false(jsoncheck(deep, 300, 149, why, sizeof why));
	assert_non_null(strstr(why, "nesting deeper than 149"));
	/* a huge depth is refused without recursing */
	size_t n = 200000;
	char *huge = test_malloc(n);
	memset(huge, '[', n);
	assert_false(jsoncheck(huge, n, 1 << 30, why, sizeof why));
	test_free(huge);
}

static void
jsoncheck__names_the_byte_where_it_went_wrong(void **state)
{
	(void)state;
	char why[160];
	assert_false(check("{\"a\":\"\\uZZZZ\"}", 14, why, sizeof why));
	assert_non_null(strstr(why, "at byte 7"));
	/* a NULL or empty reason buffer is fine */
	assert_false(check("{", 1, NULL, 0));
	assert_false(check("{", 1, why, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jsoncheck__accepts_every_kind_of_value),
		cmocka_unit_test(jsoncheck__refuses_bad_unicode_escapes),
		cmocka_unit_test(jsoncheck__refuses_control_bytes_around_and_inside),
		cmocka_unit_test(jsoncheck__refuses_sloppy_numbers_and_literals),
		cmocka_unit_test(jsoncheck__refuses_broken_structure),
		cmocka_unit_test(jsoncheck__bounds_the_nesting_depth),
		cmocka_unit_test(jsoncheck__names_the_byte_where_it_went_wrong),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
