/*
 * jsontext: what the lexical check of JSON text accepts and refuses, and
 * the reason it gives (with the byte where the fault is).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/jsontext.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

/* Checks a string literal, embedded NULs included. */
#define CHECK(lit, why) jsontext_check((lit), sizeof(lit) - 1, 8, (why), \
	sizeof(why))

static void
assert_refused(const char *text, size_t len, const char *reason)
{
	char why[96] = "";
	assert_false(jsontext_check(text, len, 8, why, sizeof why));
	if (strcmp(why, reason) != 0)
		fail_msg("reason \"%s\", expected \"%s\"", why, reason);
}

#define REFUSED(lit, reason) assert_refused((lit), sizeof(lit) - 1, (reason))

TEST(check__accepts_every_kind_of_token)
{
	char why[96];
	assert_true(CHECK("{\"type\":\"MESSAGE\",\"n\":[1,-2,3.5,0,-0.0,1e9,"
	    "2E-3,6.02e+23],\"ok\":true,\"no\":false,\"x\":null}", why));
	assert_true(CHECK(" \t\r\n[ ] \n", why));
	assert_true(CHECK("", why));
}

TEST(check__accepts_every_escape_and_raw_utf8)
{
	char why[96];
	assert_true(CHECK("[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00"
	    " \\u001f h\xc3\xa9\"]", why));
	assert_true(CHECK("[\"\x7f\"]", why)); /* DEL needs no escape */
}

TEST(check__refuses_a_nul_inside_a_string_raw_or_escaped)
{
	REFUSED("[\"a\0b\"]", "a NUL byte in a string (byte 3)");
	REFUSED("[\"a\\u0000b\"]", "NUL characters (\\u0000) are not allowed"
	    " (byte 3)");
}

TEST(check__refuses_a_unicode_escape_without_four_hex_digits)
{
	REFUSED("\"\\uZZZZ\"", "\\u needs four hex digits (byte 1)");
	REFUSED("\"\\u00g0\"", "\\u needs four hex digits (byte 1)");
	REFUSED("\"\\u12\"", "\\u needs four hex digits (byte 1)");
	REFUSED("\"\\u", "\\u needs four hex digits (byte 1)");
}

TEST(check__refuses_other_escapes)
{
	REFUSED("\"\\x41\"", "bad escape in a string (byte 1)");
	REFUSED("\"\\'\"", "bad escape in a string (byte 1)");
	REFUSED("\"\\\0\"", "bad escape in a string (byte 1)");
}

TEST(check__refuses_control_characters_raw_in_a_string)
{
	REFUSED("\"a\nb\"", "control character 0x0a not escaped in a string"
	    " (byte 2)");
	REFUSED("\"\t\"", "control character 0x09 not escaped in a string"
	    " (byte 1)");
}

TEST(check__refuses_an_unterminated_string)
{
	REFUSED("[\"abc", "unterminated string (byte 1)");
	REFUSED("[\"abc\\\"]", "unterminated string (byte 1)");
	REFUSED("\"\\", "unterminated string (byte 0)");
}

TEST(check__refuses_control_bytes_outside_strings)
{
	REFUSED("\x01{}", "unexpected byte 0x01 (byte 0)");
	REFUSED("{\"a\":\x0b" "1}", "unexpected byte 0x0b (byte 5)");
	REFUSED("[1]\0", "unexpected byte 0x00 (byte 3)");
	REFUSED("[1,\x7f]", "unexpected byte 0x7f (byte 3)");
	REFUSED("[\xc3\xa9]", "unexpected byte 0xc3 (byte 1)");
}

TEST(check__refuses_numbers_outside_the_grammar)
{
	REFUSED("[01]", "bad number (byte 1)");
	REFUSED("[-01]", "bad number (byte 1)");
	REFUSED("[1.]", "bad number (byte 1)");
	REFUSED("[1.e5]", "bad number (byte 1)");
	REFUSED("[1e]", "bad number (byte 1)");
	REFUSED("[1e+]", "bad number (byte 1)");
	REFUSED("[-]", "bad number (byte 1)");
	REFUSED("[--1]", "bad number (byte 1)");
	REFUSED("[1.5.3]", "bad number (byte 1)");
	REFUSED("[1-2]", "bad number (byte 1)");
	REFUSED("[+1]", "unexpected character '+' (byte 1)");
	REFUSED("[.5]", "unexpected character '.' (byte 1)");
}

TEST(check__refuses_words_other_than_true_false_null)
{
	REFUSED("[nul]", "unexpected character 'n' (byte 1)");
	REFUSED("[True]", "unexpected character 'T' (byte 1)");
	REFUSED("[nullx]", "unexpected character 'x' (byte 5)");
	REFUSED("[NaN]", "unexpected character 'N' (byte 1)");
	REFUSED("[undefined]", "unexpected character 'u' (byte 1)");
}

TEST(check__bounds_the_nesting_depth)
{
	char why[96];
	assert_true(CHECK("[[[[[[[[{}]]]]]]]]", why) == false);
	assert_string_equal(why, "nesting deeper than 8 levels");
	assert_true(CHECK("[[[[[[[{}]]]]]]]", why));
	assert_true(CHECK("[[]][[]][[]][[]][[]][[]][[]][[]][[]]", why));
}

TEST(check__reads_no_byte_past_len_and_takes_no_reason_buffer)
{
	const char text[] = {'[', '1', ']', '\x01'};
	assert_true(jsontext_check(text, 3, 8, NULL, 0));
	assert_false(jsontext_check(text, 4, 8, NULL, 0));
	assert_false(jsontext_check("\"\\u00", 5, 8, NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check__accepts_every_kind_of_token),
		cmocka_unit_test(check__accepts_every_escape_and_raw_utf8),
		cmocka_unit_test(check__refuses_a_nul_inside_a_string_raw_or_escaped),
		cmocka_unit_test(check__refuses_a_unicode_escape_without_four_hex_digits),
		cmocka_unit_test(check__refuses_other_escapes),
		cmocka_unit_test(check__refuses_control_characters_raw_in_a_string),
		cmocka_unit_test(check__refuses_an_unterminated_string),
		cmocka_unit_test(check__refuses_control_bytes_outside_strings),
		cmocka_unit_test(check__refuses_numbers_outside_the_grammar),
		cmocka_unit_test(check__refuses_words_other_than_true_false_null),
		cmocka_unit_test(check__bounds_the_nesting_depth),
		cmocka_unit_test(check__reads_no_byte_past_len_and_takes_no_reason_buffer),
	};
	return cmocka_run_group_tests_name("jsontext", tests, NULL, NULL);
}
