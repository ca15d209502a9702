/*
 * utf8: the specification of strict UTF-8 validation (RFC 3629) and of the
 * code-point arithmetic the protocol's lengths and positions rely on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/utf8.h"

/* Validates a string literal, embedded NULs included. */
#define VALID(lit) utf8_valid((lit), sizeof(lit) - 1)

/* ---- utf8_valid: what is accepted ---------------------------------------- */

static void
utf8__valid__accepts_empty_input(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
}

static void
utf8__valid__accepts_ascii(void **state)
{
	(void)state;
	assert_true(VALID("hello, world ~!"));
}

static void
utf8__valid__accepts_nul_bytes(void **state)
{
	(void)state;
	assert_true(VALID("a\0b\0"));
}

static void
utf8__valid__accepts_smallest_and_largest_two_byte_sequences(void **state)
{
	(void)state;
	assert_true(VALID("\xc2\x80"));  /* U+0080 */
	assert_true(VALID("\xdf\xbf"));  /* U+07FF */
}

static void
utf8__valid__accepts_smallest_and_largest_three_byte_sequences(void **state)
{
	(void)state;
	assert_true(VALID("\xe0\xa0\x80"));  /* U+0800 */
	assert_true(VALID("\xef\xbf\xbf"));  /* U+FFFF */
}

static void
utf8__valid__accepts_code_points_next_to_the_surrogate_range(void **state)
{
	(void)state;
	assert_true(VALID("\xed\x9f\xbf"));  /* U+D7FF */
	assert_true(VALID("\xee\x80\x80"));  /* U+E000 */
}

static void
utf8__valid__accepts_smallest_and_largest_four_byte_sequences(void **state)
{
	(void)state;
	assert_true(VALID("\xf0\x90\x80\x80"));  /* U+10000 */
	assert_true(VALID("\xf4\x8f\xbf\xbf"));  /* U+10FFFF */
}

static void
utf8__valid__accepts_mixed_text(void **state)
{
	(void)state;
	assert_true(VALID("caf\xc3\xa9 \xe2\x82\xac 5 \xf0\x9f\x98\x80!"));
}

/* ---- utf8_valid: what is refused ----------------------------------------- */

static void
utf8__valid__rejects_bytes_that_never_appear_in_utf8(void **state)
{
	(void)state;
	assert_false(VALID("\xff"));
	assert_false(VALID("\xfe"));
	assert_false(VALID("a\xff" "b"));
}

static void
utf8__valid__rejects_lead_bytes_c0_and_c1_as_overlong(void **state)
{
	(void)state;
	assert_false(VALID("\xc0\xaf"));  /* '/' */
	assert_false(VALID("\xc0\x80"));  /* NUL */
	assert_false(VALID("\xc1\xbf"));
}

static void
utf8__valid__rejects_overlong_three_byte_sequences(void **state)
{
	(void)state;
	assert_false(VALID("\xe0\x80\xaf"));
	assert_false(VALID("\xe0\x9f\xbf"));  /* U+07FF in three bytes */
}

static void
utf8__valid__rejects_overlong_four_byte_sequences(void **state)
{
	(void)state;
	assert_false(VALID("\xf0\x80\x80\xaf"));
	assert_false(VALID("\xf0\x8f\xbf\xbf"));  /* U+FFFF in four bytes */
}

static void
utf8__valid__rejects_utf16_surrogates(void **state)
{
	(void)state;
	assert_false(VALID("\xed\xa0\x80"));  /* U+D800 */
	assert_false(VALID("\xed\xaf\xbf"));  /* U+DBFF */
	assert_false(VALID("\xed\xb0\x80"));  /* U+DC00 */
	assert_false(VALID("\xed\xbf\xbf"));  /* U+DFFF */
}

static void
utf8__valid__rejects_an_encoded_surrogate_pair(void **state)
{
	(void)state;
	assert_false(VALID("\xed\xa0\xbd\xed\xb8\x80"));  /* CESU-8 for U+1F600 */
}

static void
utf8__valid__rejects_code_points_above_10ffff(void **state)
{
	(void)state;
	assert_false(VALID("\xf4\x90\x80\x80"));  /* U+110000 */
	assert_false(VALID("\xf5\x80\x80\x80"));
	assert_false(VALID("\xf7\xbf\xbf\xbf"));
}

static void
utf8__valid__rejects_five_and_six_byte_forms(void **state)
{
	(void)state;
	assert_false(VALID("\xf8\x88\x80\x80\x80"));
	assert_false(VALID("\xfc\x84\x80\x80\x80\x80"));
}

static void
utf8__valid__rejects_sequences_truncated_at_the_end(void **state)
{
	(void)state;
	assert_false(VALID("\xc3"));
	assert_false(VALID("\xe2\x82"));
	assert_false(VALID("\xf0\x9f\x98"));
	assert_false(VALID("ok\xf0"));
}

static void
utf8__valid__rejects_sequences_interrupted_by_a_non_continuation_byte(void **state)
{
	(void)state;
	assert_false(VALID("\xc3" "A"));
	assert_false(VALID("\xe2" "A\xac"));
	assert_false(VALID("\xe2\x82" "A"));
	assert_false(VALID("\xf0\x9f" "A\x80"));
	assert_false(VALID("\xf0\x9f\x98" "A"));
	assert_false(VALID("\xe2\x82\xc3\xa9"));
}

static void
utf8__valid__rejects_stray_continuation_bytes(void **state)
{
	(void)state;
	assert_false(VALID("\x80"));
	assert_false(VALID("\xbf"));
	assert_false(VALID("a\x80" "b"));
	assert_false(VALID("\xc3\xa9\xa9"));  /* one continuation too many */
}

static void
utf8__valid__reads_no_byte_past_len(void **state)
{
	(void)state;
	/* "é" is valid, but its first byte alone is a truncated sequence. */
	assert_false(utf8_valid("\xc3\xa9", 1));
	assert_true(utf8_valid("ab\xff", 2));
}

/* ---- utf8_count ---------------------------------------------------------- */

static void
utf8__count__is_zero_for_empty_input(void **state)
{
	(void)state;
	assert_int_equal(utf8_count("", 0), 0);
}

static void
utf8__count__counts_ascii_bytes_one_each(void **state)
{
	(void)state;
	assert_int_equal(utf8_count("hello", 5), 5);
}

static void
utf8__count__counts_each_multibyte_sequence_once(void **state)
{
	(void)state;
	const char s[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "a";  /* é € 😀 a */
	assert_int_equal(utf8_count(s, sizeof s - 1), 4);
}

static void
utf8__count__counts_nul_bytes_as_code_points(void **state)
{
	(void)state;
	assert_int_equal(utf8_count("a\0b", 3), 3);
}

/* ---- utf8_offset --------------------------------------------------------- */

static const char mixed[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "b";  /* a é € 😀 b */

static void
utf8__offset__of_code_point_zero_is_zero(void **state)
{
	(void)state;
	assert_int_equal(utf8_offset(mixed, sizeof mixed - 1, 0), 0);
}

static void
utf8__offset__steps_over_whole_sequences(void **state)
{
	(void)state;
	size_t len = sizeof mixed - 1;
	assert_int_equal(utf8_offset(mixed, len, 1), 1);
	assert_int_equal(utf8_offset(mixed, len, 2), 3);
	assert_int_equal(utf8_offset(mixed, len, 3), 6);
	assert_int_equal(utf8_offset(mixed, len, 4), 10);
}

static void
utf8__offset__is_len_at_the_end(void **state)
{
	(void)state;
	size_t len = sizeof mixed - 1;
	assert_int_equal(utf8_offset(mixed, len, 5), len);
}

static void
utf8__offset__is_len_past_the_end(void **state)
{
	(void)state;
	size_t len = sizeof mixed - 1;
	assert_int_equal(utf8_offset(mixed, len, 6), len);
	assert_int_equal(utf8_offset(mixed, len, 1000), len);
	assert_int_equal(utf8_offset("", 0, 3), 0);
}

/* ---- utf8_decode --------------------------------------------------------- */

static void
utf8__decode__reads_ascii_as_one_byte(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(utf8_decode("Az", 2, &cp), 1);
	assert_int_equal(cp, 'A');
}

static void
utf8__decode__reads_nul_as_one_byte(void **state)
{
	(void)state;
	uint32_t cp = 99;
	assert_int_equal(utf8_decode("\0", 1, &cp), 1);
	assert_int_equal(cp, 0);
}

static void
utf8__decode__reads_two_byte_sequences(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(utf8_decode("\xdf\xbf", 2, &cp), 2);
	assert_int_equal(cp, 0x7ff);
}

static void
utf8__decode__reads_three_byte_sequences(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(utf8_decode("\xef\xbf\xbf", 3, &cp), 3);
	assert_int_equal(cp, 0xffff);
}

static void
utf8__decode__reads_four_byte_sequences(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
}

static void
utf8__decode__reads_only_the_first_code_point(void **state)
{
	(void)state;
	uint32_t cp = 0;
	assert_int_equal(utf8_decode("\xc3\xa9xyz", 5, &cp), 2);
	assert_int_equal(cp, 0xe9);
}

/* ---- utf8_encode --------------------------------------------------------- */

static void
utf8__encode__uses_one_byte_up_to_7f(void **state)
{
	(void)state;
	char out[4];
	assert_int_equal(utf8_encode(0, out), 1);
	assert_int_equal((unsigned char)out[0], 0);
	assert_int_equal(utf8_encode(0x7f, out), 1);
	assert_int_equal((unsigned char)out[0], 0x7f);
}

static void
utf8__encode__uses_two_bytes_from_80_to_7ff(void **state)
{
	(void)state;
	char out[4];
	assert_int_equal(utf8_encode(0x80, out), 2);
	assert_memory_equal(out, "\xc2\x80", 2);
	assert_int_equal(utf8_encode(0x7ff, out), 2);
	assert_memory_equal(out, "\xdf\xbf", 2);
}

static void
utf8__encode__uses_three_bytes_from_800_to_ffff(void **state)
{
	(void)state;
	char out[4];
	assert_int_equal(utf8_encode(0x800, out), 3);
	assert_memory_equal(out, "\xe0\xa0\x80", 3);
	assert_int_equal(utf8_encode(0x20ac, out), 3);
	assert_memory_equal(out, "\xe2\x82\xac", 3);
	assert_int_equal(utf8_encode(0xffff, out), 3);
	assert_memory_equal(out, "\xef\xbf\xbf", 3);
}

static void
utf8__encode__uses_four_bytes_from_10000_to_10ffff(void **state)
{
	(void)state;
	char out[4];
	assert_int_equal(utf8_encode(0x10000, out), 4);
	assert_memory_equal(out, "\xf0\x90\x80\x80", 4);
	assert_int_equal(utf8_encode(0x10ffff, out), 4);
	assert_memory_equal(out, "\xf4\x8f\xbf\xbf", 4);
}

static void
utf8__encode__refuses_surrogates(void **state)
{
	(void)state;
	char out[4];
	assert_int_equal(utf8_encode(0xd800, out), 0);
	assert_int_equal(utf8_encode(0xdbff, out), 0);
	assert_int_equal(utf8_encode(0xdc00, out), 0);
	assert_int_equal(utf8_encode(0xdfff, out), 0);
}

static void
utf8__encode__refuses_code_points_above_10ffff(void **state)
{
	(void)state;
	char out[4];
	assert_int_equal(utf8_encode(0x110000, out), 0);
	assert_int_equal(utf8_encode(0xffffffff, out), 0);
}

static void
utf8__encode__then_decode_gives_back_every_scalar_value(void **state)
{
	(void)state;
	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		char out[4];
		size_t n = utf8_encode(cp, out);
		assert_in_range(n, 1, 4);
		assert_true(utf8_valid(out, n));
		assert_int_equal(utf8_count(out, n), 1);
		uint32_t back = 0;
		assert_int_equal(utf8_decode(out, n, &back), n);
		assert_int_equal(back, cp);
	}
}

/* ---- utf8_prefix, utf8_trim_partial: cutting text for messages ---------- */

static void
utf8__prefix__keeps_text_that_fits(void **state)
{
	(void)state;
	assert_int_equal(utf8_prefix("abc", 3, 3), 3);
	assert_int_equal(utf8_prefix("abc", 3, 40), 3);
}

static void
utf8__prefix__cuts_before_a_character_that_does_not_fit_whole(void **state)
{
	(void)state;
	/* "a" then U+65E5 (3 bytes) then "b" */
	const char *s = "a\xe6\x97\xa5" "b";
	assert_int_equal(utf8_prefix(s, 5, 1), 1);
	assert_int_equal(utf8_prefix(s, 5, 2), 1);
	assert_int_equal(utf8_prefix(s, 5, 3), 1);
	assert_int_equal(utf8_prefix(s, 5, 4), 4);
	assert_int_equal(utf8_prefix(s, 5, 0), 0);
}

static void
utf8__trim_partial__drops_a_character_cut_short(void **state)
{
	(void)state;
	/* what vsnprintf leaves of "ok U+1F600" in buffers of 4 to 7 bytes */
	assert_int_equal(utf8_trim_partial("ok \xf0", 4), 3);
	assert_int_equal(utf8_trim_partial("ok \xf0\x9f", 5), 3);
	assert_int_equal(utf8_trim_partial("ok \xf0\x9f\x98", 6), 3);
	assert_int_equal(utf8_trim_partial("ok \xf0\x9f\x98\x80", 7), 7);
	assert_int_equal(utf8_trim_partial("\xc3", 1), 0);
}

static void
utf8__trim_partial__keeps_text_that_ends_between_characters(void **state)
{
	(void)state;
	assert_int_equal(utf8_trim_partial("", 0), 0);
	assert_int_equal(utf8_trim_partial("abc", 3), 3);
	assert_int_equal(utf8_trim_partial("\xc3\xa9", 2), 2);
	assert_int_equal(utf8_trim_partial("a\xe6\x97\xa5", 4), 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8__valid__accepts_empty_input),
		cmocka_unit_test(utf8__valid__accepts_ascii),
		cmocka_unit_test(utf8__valid__accepts_nul_bytes),
		cmocka_unit_test(utf8__valid__accepts_smallest_and_largest_two_byte_sequences),
		cmocka_unit_test(utf8__valid__accepts_smallest_and_largest_three_byte_sequences),
		cmocka_unit_test(utf8__valid__accepts_code_points_next_to_the_surrogate_range),
		cmocka_unit_test(utf8__valid__accepts_smallest_and_largest_four_byte_sequences),
		cmocka_unit_test(utf8__valid__accepts_mixed_text),
		cmocka_unit_test(utf8__valid__rejects_bytes_that_never_appear_in_utf8),
		cmocka_unit_test(utf8__valid__rejects_lead_bytes_c0_and_c1_as_overlong),
		cmocka_unit_test(utf8__valid__rejects_overlong_three_byte_sequences),
		cmocka_unit_test(utf8__valid__rejects_overlong_four_byte_sequences),
		cmocka_unit_test(utf8__valid__rejects_utf16_surrogates),
		cmocka_unit_test(utf8__valid__rejects_an_encoded_surrogate_pair),
		cmocka_unit_test(utf8__valid__rejects_code_points_above_10ffff),
		cmocka_unit_test(utf8__valid__rejects_five_and_six_byte_forms),
		cmocka_unit_test(utf8__valid__rejects_sequences_truncated_at_the_end),
		cmocka_unit_test(utf8__valid__rejects_sequences_interrupted_by_a_non_continuation_byte),
		cmocka_unit_test(utf8__valid__rejects_stray_continuation_bytes),
		cmocka_unit_test(utf8__valid__reads_no_byte_past_len),
		cmocka_unit_test(utf8__count__is_zero_for_empty_input),
		cmocka_unit_test(utf8__count__counts_ascii_bytes_one_each),
		cmocka_unit_test(utf8__count__counts_each_multibyte_sequence_once),
		cmocka_unit_test(utf8__count__counts_nul_bytes_as_code_points),
		cmocka_unit_test(utf8__offset__of_code_point_zero_is_zero),
		cmocka_unit_test(utf8__offset__steps_over_whole_sequences),
		cmocka_unit_test(utf8__offset__is_len_at_the_end),
		cmocka_unit_test(utf8__offset__is_len_past_the_end),
		cmocka_unit_test(utf8__decode__reads_ascii_as_one_byte),
		cmocka_unit_test(utf8__decode__reads_nul_as_one_byte),
		cmocka_unit_test(utf8__decode__reads_two_byte_sequences),
		cmocka_unit_test(utf8__decode__reads_three_byte_sequences),
		cmocka_unit_test(utf8__decode__reads_four_byte_sequences),
		cmocka_unit_test(utf8__decode__reads_only_the_first_code_point),
		cmocka_unit_test(utf8__encode__uses_one_byte_up_to_7f),
		cmocka_unit_test(utf8__encode__uses_two_bytes_from_80_to_7ff),
		cmocka_unit_test(utf8__encode__uses_three_bytes_from_800_to_ffff),
		cmocka_unit_test(utf8__encode__uses_four_bytes_from_10000_to_10ffff),
		cmocka_unit_test(utf8__encode__refuses_surrogates),
		cmocka_unit_test(utf8__encode__refuses_code_points_above_10ffff),
		cmocka_unit_test(utf8__encode__then_decode_gives_back_every_scalar_value),
		cmocka_unit_test(utf8__prefix__keeps_text_that_fits),
		cmocka_unit_test(utf8__prefix__cuts_before_a_character_that_does_not_fit_whole),
		cmocka_unit_test(utf8__trim_partial__drops_a_character_cut_short),
		cmocka_unit_test(utf8__trim_partial__keeps_text_that_ends_between_characters),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
