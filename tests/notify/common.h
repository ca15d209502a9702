/*
 * Helpers shared by the desknotify tests: waiting for the module's events
 * the way the client's loop does (poll on desknotify_fd, then drain), and
 * waiting for its counters to settle. Every wait has a deadline; no test
 * asserts on time.
 */
#ifndef CONFAB_TEST_NOTIFY_COMMON_H
#define CONFAB_TEST_NOTIFY_COMMON_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "notify/desknotify.h"

#define WAIT_MS 20000

struct seen {
	size_t n;
	enum desknotify_event_kind kind[16];
	char text[16][320];
};

static inline int64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static inline void
record(void *ud, const struct desknotify_event *ev)
{
	struct seen *s = ud;
	if (s->n < 16) {
		s->kind[s->n] = ev->kind;
		snprintf(s->text[s->n], sizeof s->text[0], "%s", ev->text);
	}
	s->n++;
}

/* Waits (poll on the fd, as the loop does) until s holds want events or
 * the deadline passes; returns how many it holds. */
static inline size_t
wait_events(struct desknotify *dn, struct seen *s, size_t want)
{
	int64_t end = mono_ms() + WAIT_MS;
	while (s->n < want && mono_ms() < end) {
		struct pollfd p = { desknotify_fd(dn), POLLIN, 0 };
		if (poll(&p, 1, 100) > 0)
			desknotify_drain(dn, record, s);
	}
	return s->n;
}

/* Waits until nothing is queued or being shown. */
static inline bool
wait_idle(struct desknotify *dn, struct desknotify_stats *st)
{
	int64_t end = mono_ms() + WAIT_MS;
	for (;;) {
		desknotify_get_stats(dn, st);
		if (st->pending == 0)
			return true;
		if (mono_ms() >= end)
			return false;
		sleep_ms(10);
	}
}

#endif
