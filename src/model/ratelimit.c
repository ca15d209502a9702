#include "model/ratelimit.h"

void
ratelimit_init(struct ratelimit *rl, double rate, double burst, int64_t now_ms)
{
	rl->rate = rate;
	rl->burst = burst < 1 ? 1 : burst;
	rl->tokens = rl->burst;
	rl->last_ms = now_ms;
}

bool
ratelimit_take(struct ratelimit *rl, int64_t now_ms)
{
	if (rl->rate <= 0)
		return true;
	if (now_ms > rl->last_ms) {
		rl->tokens += (double)(now_ms - rl->last_ms) * rl->rate / 1000.0;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
		rl->last_ms = now_ms;
	}
	if (rl->tokens < 1.0)
		return false;
	rl->tokens -= 1.0;
	return true;
}
