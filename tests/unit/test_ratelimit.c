/*
 * ratelimit: the token bucket behind --rate and --burst. Time is passed in,
 * so every test states the clock explicitly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/ratelimit.h"

/* Takes tokens at time now until refused; returns how many were granted
 * (gives up at limit). */
static int
drain(struct ratelimit *rl, int64_t now, int limit)
{
	int n = 0;
	while (n < limit && ratelimit_take(rl, now))
		n++;
	return n;
}

static void
ratelimit__take__allows_a_full_burst_at_once(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 20, 40, 1000);
	for (int i = 0; i < 40; i++)
		assert_true(ratelimit_take(&rl, 1000));
}

static void
ratelimit__take__refuses_once_the_burst_is_spent(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 20, 40, 1000);
	assert_int_equal(drain(&rl, 1000, 40), 40);
	assert_false(ratelimit_take(&rl, 1000));
	assert_false(ratelimit_take(&rl, 1000));
}

static void
ratelimit__take__refills_one_token_per_interval_of_one_over_rate(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 20, 40, 0);
	drain(&rl, 0, 100);
	assert_false(ratelimit_take(&rl, 49));
	assert_true(ratelimit_take(&rl, 50));  /* 20/s: one token per 50 ms */
	assert_false(ratelimit_take(&rl, 50));
}

static void
ratelimit__take__refills_rate_tokens_per_second(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 20, 40, 0);
	drain(&rl, 0, 100);
	assert_int_equal(drain(&rl, 1000, 100), 20);
}

static void
ratelimit__take__accumulates_fractions_of_a_token(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 20, 40, 0);
	drain(&rl, 0, 100);
	assert_false(ratelimit_take(&rl, 25));  /* half a token */
	assert_true(ratelimit_take(&rl, 50));   /* the other half */
}

static void
ratelimit__take__caps_the_refill_at_the_burst(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 20, 40, 0);
	drain(&rl, 0, 100);
	assert_int_equal(drain(&rl, 3600 * 1000, 1000), 40);
}

static void
ratelimit__take__does_not_bank_tokens_beyond_the_burst_while_idle(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 20, 40, 0);
	assert_int_equal(drain(&rl, 60 * 1000, 1000), 40);
}

static void
ratelimit__take__takes_nothing_when_refused(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 1, 1, 0);
	assert_true(ratelimit_take(&rl, 0));
	for (int i = 0; i < 10; i++)
		assert_false(ratelimit_take(&rl, 500));
	/* the refused calls did not dig a hole: one second gives one token */
	assert_true(ratelimit_take(&rl, 1000));
}

static void
ratelimit__take__gives_nothing_for_a_clock_that_goes_back(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 20, 40, 10000);
	drain(&rl, 10000, 100);
	assert_false(ratelimit_take(&rl, 5000));
	assert_false(ratelimit_take(&rl, 10000));
	assert_true(ratelimit_take(&rl, 10050));
}

static void
ratelimit__take__never_refuses_with_rate_zero(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 0, 40, 0);
	assert_int_equal(drain(&rl, 0, 100000), 100000);
}

static void
ratelimit__take__never_refuses_with_rate_zero_and_burst_zero(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 0, 0, 0);
	assert_int_equal(drain(&rl, 0, 1000), 1000);
}

static void
ratelimit__init__starts_with_a_full_bucket(void **state)
{
	(void)state;
	struct ratelimit rl;
	ratelimit_init(&rl, 5, 3, 123456);
	assert_int_equal(drain(&rl, 123456, 100), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ratelimit__take__allows_a_full_burst_at_once),
		cmocka_unit_test(ratelimit__take__refuses_once_the_burst_is_spent),
		cmocka_unit_test(ratelimit__take__refills_one_token_per_interval_of_one_over_rate),
		cmocka_unit_test(ratelimit__take__refills_rate_tokens_per_second),
		cmocka_unit_test(ratelimit__take__accumulates_fractions_of_a_token),
		cmocka_unit_test(ratelimit__take__caps_the_refill_at_the_burst),
		cmocka_unit_test(ratelimit__take__does_not_bank_tokens_beyond_the_burst_while_idle),
		cmocka_unit_test(ratelimit__take__takes_nothing_when_refused),
		cmocka_unit_test(ratelimit__take__gives_nothing_for_a_clock_that_goes_back),
		cmocka_unit_test(ratelimit__take__never_refuses_with_rate_zero),
		cmocka_unit_test(ratelimit__take__never_refuses_with_rate_zero_and_burst_zero),
		cmocka_unit_test(ratelimit__init__starts_with_a_full_bucket),
	};
	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
