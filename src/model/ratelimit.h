/*
 * ratelimit: a token bucket. `rate` tokens per second refill up to `burst`;
 * each request takes one. rate 0 means unlimited. Time is passed in.
 */
#ifndef CONFAB_RATELIMIT_H
#define CONFAB_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	double rate, burst, tokens;
	int64_t last_ms;
};

void ratelimit_init(struct ratelimit *rl, double rate, double burst, int64_t now_ms);
/* Takes one token; false (and nothing taken) when the bucket is empty. */
bool ratelimit_take(struct ratelimit *rl, int64_t now_ms);

#endif
