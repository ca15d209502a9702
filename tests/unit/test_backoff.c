/*
 * backoff: the reconnect schedule. Exponential with full jitter: each delay
 * is uniform in [0, min(cap, base * 2^n)], seeded so that the schedule can
 * be pinned, and safe for any number of attempts.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/backoff.h"

#define BASE 1000
#define CAP 30000

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* ---- the ceiling --------------------------------------------------------- */

static void
backoff__ceiling__starts_at_the_base(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 0, 1);
	assert_int_equal(backoff_ceiling(&b), BASE);
}

static void
backoff__ceiling__doubles_with_each_attempt_until_the_cap(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 0, 1);
	const int64_t want[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		assert_int_equal(backoff_ceiling(&b), want[i]);
		backoff_next(&b);
	}
}

static void
backoff__ceiling__holds_the_cap_for_many_attempts(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 0, 1);
	for (int i = 0; i < 1000; i++)
		backoff_next(&b);
	assert_int_equal(backoff_ceiling(&b), CAP);
}

static void
backoff__ceiling__is_the_cap_for_huge_attempt_counts(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, 1, INT64_MAX, 0, 1);
	const unsigned attempts[] = {61, 62, 63, 64, 65, 127, 1000, UINT_MAX - 1,
	    UINT_MAX};
	for (size_t i = 0; i < sizeof attempts / sizeof *attempts; i++) {
		b.attempt = attempts[i];
		int64_t c = backoff_ceiling(&b);
		if (attempts[i] < 63)
			assert_int_equal(c, INT64_C(1) << attempts[i]);
		else
			assert_int_equal(c, INT64_MAX);
		int64_t d = backoff_next(&b);
		assert_true(d >= 0 && d <= c);
	}
}

static void
backoff__ceiling__is_the_cap_when_the_base_exceeds_it(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, 50000, CAP, 0, 1);
	assert_int_equal(backoff_ceiling(&b), CAP);
}

static void
backoff__init__treats_negative_durations_as_no_wait(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, -5, -1, 0, 1);
	assert_int_equal(backoff_ceiling(&b), 0);
	assert_int_equal(backoff_next(&b), 0);
}

/* ---- the delays ---------------------------------------------------------- */

static void
backoff__next__every_delay_is_within_its_ceiling(void **state)
{
	(void)state;
	for (uint64_t seed = 0; seed < 50; seed++) {
		struct backoff b;
		backoff_init(&b, BASE, CAP, 0, seed);
		for (unsigned n = 0; n < 200; n++) {
			int64_t bound = n < 5 ? min64(CAP, (int64_t)BASE << n) : CAP;
			assert_int_equal(backoff_ceiling(&b), bound);
			int64_t d = backoff_next(&b);
			assert_true(d >= 0);
			assert_true(d <= bound);
		}
	}
}

static void
backoff__next__counts_each_attempt(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 0, 7);
	for (unsigned n = 0; n < 10; n++) {
		assert_int_equal(b.attempt, n);
		backoff_next(&b);
	}
	assert_int_equal(b.attempt, 10);
}

static void
backoff__next__saturates_the_attempt_counter(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 0, 7);
	b.attempt = UINT_MAX;
	int64_t d = backoff_next(&b);
	assert_true(d >= 0 && d <= CAP);
	assert_int_equal(b.attempt, UINT_MAX);
	assert_int_equal(backoff_ceiling(&b), CAP);
}

static void
backoff__next__is_deterministic_for_a_seed(void **state)
{
	(void)state;
	struct backoff a, b;
	backoff_init(&a, BASE, CAP, 0, 42);
	backoff_init(&b, BASE, CAP, 0, 42);
	for (int i = 0; i < 100; i++)
		assert_int_equal(backoff_next(&a), backoff_next(&b));
}

static void
backoff__next__differs_between_seeds(void **state)
{
	(void)state;
	struct backoff a, b;
	backoff_init(&a, BASE, CAP, 0, 1);
	backoff_init(&b, BASE, CAP, 0, 2);
	int same = 0;
	for (int i = 0; i < 100; i++)
		same += backoff_next(&a) == backoff_next(&b);
	assert_true(same < 10);
}

static void
backoff__next__seed_zero_is_as_random_as_any(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, CAP, CAP, 0, 0);
	int64_t first = backoff_next(&b);
	int distinct = 0;
	for (int i = 0; i < 100; i++)
		distinct += backoff_next(&b) != first;
	assert_true(distinct > 90);
}

static void
backoff__next__mean_is_near_half_the_ceiling(void **state)
{
	(void)state;
	/* base == cap pins the ceiling, so every sample has the same law. */
	struct backoff b;
	backoff_init(&b, CAP, CAP, 0, 12345);
	double sum = 0;
	const int n = 10000;
	for (int i = 0; i < n; i++)
		sum += (double)backoff_next(&b);
	double mean = sum / n;
	/* The standard error is 30000 / sqrt(12 * 10000) ~ 87 ms; 450 ms is
	 * more than five of them. */
	assert_true(mean > CAP / 2.0 - 450 && mean < CAP / 2.0 + 450);
}

static void
backoff__next__spreads_over_the_whole_range(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, CAP, CAP, 0, 99);
	int buckets[10] = {0};
	for (int i = 0; i < 10000; i++) {
		int64_t d = backoff_next(&b);
		int k = (int)(d * 10 / (CAP + 1));
		buckets[k]++;
	}
	/* Expected 1000 each, standard deviation 30. */
	for (int k = 0; k < 10; k++)
		assert_true(buckets[k] > 850 && buckets[k] < 1150);
}

static void
backoff__next__can_draw_both_ends_of_the_range(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, 2, 2, 0, 5);
	int seen[3] = {0};
	for (int i = 0; i < 300; i++) {
		int64_t d = backoff_next(&b);
		assert_true(d >= 0 && d <= 2);
		seen[d]++;
	}
	assert_true(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
}

static void
backoff__next__never_waits_with_a_zero_base(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, 0, CAP, 0, 5);
	for (int i = 0; i < 100; i++)
		assert_int_equal(backoff_next(&b), 0);
}

/* ---- reset --------------------------------------------------------------- */

static void
backoff__reset__restarts_from_the_base(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 0, 3);
	for (int i = 0; i < 20; i++)
		backoff_next(&b);
	backoff_reset(&b);
	assert_int_equal(b.attempt, 0);
	assert_int_equal(backoff_ceiling(&b), BASE);
	assert_true(backoff_next(&b) <= BASE);
}

static void
backoff__reset__does_not_replay_the_same_jitter(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, CAP, CAP, 0, 3);
	int64_t first[20], again[20];
	for (int i = 0; i < 20; i++)
		first[i] = backoff_next(&b);
	backoff_reset(&b);
	int same = 0;
	for (int i = 0; i < 20; i++) {
		again[i] = backoff_next(&b);
		same += again[i] == first[i];
	}
	assert_true(same < 3);
}

/* ---- giving up ----------------------------------------------------------- */

static void
backoff__next__returns_minus_one_once_max_attempts_are_made(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 3, 1);
	for (int i = 0; i < 3; i++)
		assert_true(backoff_next(&b) >= 0);
	assert_int_equal(backoff_next(&b), -1);
	assert_int_equal(backoff_next(&b), -1);
	assert_int_equal(b.attempt, 3);
}

static void
backoff__next__never_gives_up_when_max_attempts_is_zero(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 0, 1);
	for (int i = 0; i < 100000; i++)
		assert_true(backoff_next(&b) >= 0);
}

static void
backoff__reset__grants_max_attempts_again(void **state)
{
	(void)state;
	struct backoff b;
	backoff_init(&b, BASE, CAP, 2, 1);
	backoff_next(&b);
	backoff_next(&b);
	assert_int_equal(backoff_next(&b), -1);
	backoff_reset(&b);
	assert_true(backoff_next(&b) >= 0);
	assert_true(backoff_next(&b) >= 0);
	assert_int_equal(backoff_next(&b), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backoff__ceiling__starts_at_the_base),
		cmocka_unit_test(backoff__ceiling__doubles_with_each_attempt_until_the_cap),
		cmocka_unit_test(backoff__ceiling__holds_the_cap_for_many_attempts),
		cmocka_unit_test(backoff__ceiling__is_the_cap_for_huge_attempt_counts),
		cmocka_unit_test(backoff__ceiling__is_the_cap_when_the_base_exceeds_it),
		cmocka_unit_test(backoff__init__treats_negative_durations_as_no_wait),
		cmocka_unit_test(backoff__next__every_delay_is_within_its_ceiling),
		cmocka_unit_test(backoff__next__counts_each_attempt),
		cmocka_unit_test(backoff__next__saturates_the_attempt_counter),
		cmocka_unit_test(backoff__next__is_deterministic_for_a_seed),
		cmocka_unit_test(backoff__next__differs_between_seeds),
		cmocka_unit_test(backoff__next__seed_zero_is_as_random_as_any),
		cmocka_unit_test(backoff__next__mean_is_near_half_the_ceiling),
		cmocka_unit_test(backoff__next__spreads_over_the_whole_range),
		cmocka_unit_test(backoff__next__can_draw_both_ends_of_the_range),
		cmocka_unit_test(backoff__next__never_waits_with_a_zero_base),
		cmocka_unit_test(backoff__reset__restarts_from_the_base),
		cmocka_unit_test(backoff__reset__does_not_replay_the_same_jitter),
		cmocka_unit_test(backoff__next__returns_minus_one_once_max_attempts_are_made),
		cmocka_unit_test(backoff__next__never_gives_up_when_max_attempts_is_zero),
		cmocka_unit_test(backoff__reset__grants_max_attempts_again),
	};
	return cmocka_run_group_tests_name("backoff", tests, NULL, NULL);
}
