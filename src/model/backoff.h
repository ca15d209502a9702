/*
 * backoff: the reconnect schedule. Exponential with full jitter: attempt n
 * (from 0) waits a uniformly random time in [0, min(cap, base * 2^n)].
 * A connection that stayed healthy long enough resets it. The random
 * generator (splitmix64) is seeded by the caller, so tests can pin the
 * schedule; every seed, 0 included, is good. Any attempt count is safe:
 * past the cap the ceiling stays at cap, and the counter saturates.
 * Pure: no clock, no I/O.
 */
#ifndef CONFAB_BACKOFF_H
#define CONFAB_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

struct backoff {
	int64_t base_ms;      /* 1000 */
	int64_t cap_ms;       /* 30000 */
	unsigned max_attempts; /* 0 = never give up */
	unsigned attempt;     /* attempts made since the last reset */
	uint64_t rng;         /* generator state */
};

void backoff_init(struct backoff *b, int64_t base_ms, int64_t cap_ms,
    unsigned max_attempts, uint64_t seed);
/* The delay before the next attempt, and counts it; -1 when max_attempts
 * is reached. */
int64_t backoff_next(struct backoff *b);
/* The upper bound the next attempt's delay is drawn under. */
int64_t backoff_ceiling(const struct backoff *b);
/* Back to attempt 0; the generator runs on, so jitter does not repeat. */
void backoff_reset(struct backoff *b);

#endif
