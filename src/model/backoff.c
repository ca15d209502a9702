/*
 * backoff: exponential reconnect delays with full jitter (see backoff.h).
 *
 * Full jitter (delay uniform in [0, ceiling]) rather than "ceiling plus a
 * little noise" so that many clients cut off by the same server restart
 * spread their reconnects over the whole window instead of arriving in one
 * wave each doubling.
 *
 * The generator is splitmix64: one 64-bit word of state, every seed (0
 * included) gives a full-period sequence, and it is good enough for timing
 * jitter. The draw is unbiased (rejection of the top partial block), so the
 * tests may check the mean.
 *
 * Nothing here may overflow however large the attempt count grows: the
 * ceiling is computed by comparing against cap >> n instead of shifting
 * base up, and the attempt counter saturates instead of wrapping back to 0.
 */
#include "model/backoff.h"

#include <limits.h>

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, bound], bound >= 0, without modulo bias. */
static int64_t
uniform(uint64_t *state, int64_t bound)
{
	uint64_t range = (uint64_t)bound + 1; /* at most 2^63: no overflow */
	/* The largest multiple of range that fits, so every residue is drawn
	 * from the same number of raw values. */
	uint64_t limit = UINT64_MAX - (UINT64_MAX % range + 1) % range;
	uint64_t x;
	do
		x = splitmix64(state);
	while (x > limit);
	return (int64_t)(x % range);
}

void
backoff_init(struct backoff *b, int64_t base_ms, int64_t cap_ms,
    unsigned max_attempts, uint64_t seed)
{
	/* Negative durations mean nothing; treat them as "no wait". */
	b->base_ms = base_ms > 0 ? base_ms : 0;
	b->cap_ms = cap_ms > 0 ? cap_ms : 0;
	b->max_attempts = max_attempts;
	b->attempt = 0;
	b->rng = seed;
}

int64_t
backoff_ceiling(const struct backoff *b)
{
	int64_t base = b->base_ms > 0 ? b->base_ms : 0;
	int64_t cap = b->cap_ms > 0 ? b->cap_ms : 0;
	unsigned n = b->attempt;

	if (base == 0 || base >= cap)
		return base == 0 ? 0 : cap;
	/* base < cap <= INT64_MAX, so base << n stays below cap whenever
	 * base <= cap >> n; past 62 doublings it cannot. */
	if (n >= 63 || base > (cap >> n))
		return cap;
	return base << n;
}

int64_t
backoff_next(struct backoff *b)
{
	if (b->max_attempts != 0 && b->attempt >= b->max_attempts)
		return -1;
	int64_t delay = uniform(&b->rng, backoff_ceiling(b));
	if (b->attempt < UINT_MAX)
		b->attempt++;
	return delay;
}

void
backoff_reset(struct backoff *b)
{
	/* The generator keeps running: a reset must not replay the same
	 * jitter as the first outage. */
	b->attempt = 0;
}
