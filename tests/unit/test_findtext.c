/*
 * findtext: smart case, overlapping matches, next and previous from a
 * place, the matches of a window, and a 1 MB text scanned within a bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/findtext.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

static size_t
count(const char *query, const char *text)
{
	struct findq q;
	assert_true(findq_init(&q, query));
	struct find_match m[64];
	size_t n = find_all(&q, text, strlen(text), 0, strlen(text), m, 64);
	findq_free(&q);
	return n;
}

TEST(findtext__query__empty_or_invalid_is_refused)
{
	struct findq q;
	assert_false(findq_init(&q, ""));
	assert_false(findq_init(&q, "\xff"));
	assert_null(q.q);
}

TEST(findtext__smart_case__lower_query_ignores_case)
{
	assert_int_equal(count("plan", "Plan, PLAN and plan"), 3);
	/* Non-ASCII letters fold too. */
	assert_int_equal(count("\xc3\xa9t\xc3\xa9", "\xc3\x89T\xc3\x89 et \xc3\xa9t\xc3\xa9"), 2);
}

TEST(findtext__smart_case__a_capital_makes_it_exact)
{
	assert_int_equal(count("Plan", "Plan, PLAN and plan"), 1);
	assert_int_equal(count("\xc3\x89t\xc3\xa9", "\xc3\x89T\xc3\x89 \xc3\x89t\xc3\xa9"), 1);
}

TEST(findtext__matches__overlap)
{
	assert_int_equal(count("aa", "aaaa"), 3);
	assert_int_equal(count("x", "abc"), 0);
}

TEST(findtext__next__from_a_place_and_none_past_the_last)
{
	struct findq q;
	assert_true(findq_init(&q, "ab"));
	const char *t = "ab cd ab ef";
	struct find_match m;
	assert_true(find_next(&q, t, strlen(t), 0, &m));
	assert_int_equal(m.start, 0);
	assert_int_equal(m.end, 2);
	assert_true(find_next(&q, t, strlen(t), 1, &m));
	assert_int_equal(m.start, 6);
	assert_false(find_next(&q, t, strlen(t), 7, &m));
	findq_free(&q);
}

TEST(findtext__prev__the_last_before_a_place)
{
	struct findq q;
	assert_true(findq_init(&q, "ab"));
	const char *t = "ab cd ab ef";
	struct find_match m;
	assert_true(find_prev(&q, t, strlen(t), strlen(t), &m));
	assert_int_equal(m.start, 6);
	assert_true(find_prev(&q, t, strlen(t), 6, &m));
	assert_int_equal(m.start, 0);
	assert_false(find_prev(&q, t, strlen(t), 0, &m));
	findq_free(&q);
}

TEST(findtext__matches__start_on_character_boundaries_only)
{
	/* U+00E9 is C3 A9; a query "\xa9" is not valid UTF-8, and "é" is
	 * found at the character's first byte, its end past the second. */
	struct findq q;
	assert_true(findq_init(&q, "\xc3\xa9"));
	const char *t = "caf\xc3\xa9!";
	struct find_match m;
	assert_true(find_next(&q, t, strlen(t), 0, &m));
	assert_int_equal(m.start, 3);
	assert_int_equal(m.end, 5);
	assert_false(find_next(&q, t, strlen(t), 4, &m));
	findq_free(&q);
}

TEST(findtext__window__only_matches_starting_inside_and_at_most_max)
{
	struct findq q;
	assert_true(findq_init(&q, "a"));
	const char *t = "a a a a a a";
	struct find_match m[8];
	assert_int_equal(find_all(&q, t, strlen(t), 2, 7, m, 8), 3);
	assert_int_equal(m[0].start, 2);
	assert_int_equal(m[2].start, 6);
	assert_int_equal(find_all(&q, t, strlen(t), 0, strlen(t), m, 2), 2);
	findq_free(&q);
}

TEST(findtext__megabyte__a_full_scan_is_quick)
{
	size_t len = 1 << 20;
	char *t = malloc(len + 1);
	for (size_t i = 0; i < len; i++)
		t[i] = "shared document text "[i % 21];
	t[len] = '\0';
	memcpy(t + len - 6, "needle", 6);
	struct findq q;
	assert_true(findq_init(&q, "needle"));
	struct find_match m;
	clock_t c0 = clock();
	assert_true(find_next(&q, t, len, 0, &m));
	assert_int_equal(m.start, len - 6);
	assert_true(find_prev(&q, t, len, len, &m));
	double ms = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
	fprintf(stderr, "findtext: two scans of 1 MB took %.1f ms\n", ms);
	/* Generous: an ASan build on a shared machine. */
	assert_true(ms < 2000);
	findq_free(&q);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(findtext__query__empty_or_invalid_is_refused),
		cmocka_unit_test(findtext__smart_case__lower_query_ignores_case),
		cmocka_unit_test(findtext__smart_case__a_capital_makes_it_exact),
		cmocka_unit_test(findtext__matches__overlap),
		cmocka_unit_test(findtext__next__from_a_place_and_none_past_the_last),
		cmocka_unit_test(findtext__prev__the_last_before_a_place),
		cmocka_unit_test(findtext__matches__start_on_character_boundaries_only),
		cmocka_unit_test(findtext__window__only_matches_starting_inside_and_at_most_max),
		cmocka_unit_test(findtext__megabyte__a_full_scan_is_quick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
