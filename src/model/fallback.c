/*
 * fallback: the transport policy (see fallback.h).
 */
#include "model/fallback.h"

#include <stddef.h>
#include <string.h>

static const char *const names[] = {
	[TRANSPORT_WS] = "ws", [TRANSPORT_SSE] = "sse", [TRANSPORT_POLL] = "poll",
};

const char *
transport_name(enum transport tr)
{
	return (unsigned)tr <= TRANSPORT_POLL ? names[tr] : "?";
}

bool
fallback_parse(const char *name, bool *forced, enum transport *tr)
{
	if (name == NULL)
		return false;
	if (strcmp(name, "auto") == 0) {
		*forced = false;
		*tr = TRANSPORT_WS;
		return true;
	}
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(name, names[i]) == 0) {
			*forced = true;
			*tr = (enum transport)i;
			return true;
		}
	return false;
}

void
fallback_init(struct fallback *f, bool forced, enum transport tr,
    int64_t probe_ms)
{
	f->forced = forced;
	f->tr = forced ? tr : TRANSPORT_WS;
	f->probe_first = probe_ms > 0 ? probe_ms : FALLBACK_PROBE_MS;
	f->probe_every = f->probe_first;
	f->probe_at = INT64_MAX;
}

static int64_t
later(int64_t now, int64_t ms)
{
	return now > INT64_MAX - ms ? INT64_MAX : now + ms;
}

bool
fallback_outcome(struct fallback *f, enum fb_outcome o, int64_t now)
{
	if (f->forced)
		return false;
	switch (o) {
	case FB_REFUSED:
	case FB_SILENT:
		/* A WebSocket that upgraded and then went silent is a dead
		 * server, not a buffering proxy: only HTTP streams fall for
		 * silence. */
		if (f->tr == TRANSPORT_POLL ||
		    (o == FB_SILENT && f->tr == TRANSPORT_WS))
			return false;
		f->tr++;
		if (f->probe_at == INT64_MAX)
			f->probe_at = later(now, f->probe_every);
		return true;
	case FB_CARRIED:
		if (f->tr == TRANSPORT_WS) {
			f->probe_at = INT64_MAX;
			f->probe_every = f->probe_first;
		}
		return false;
	case FB_UNREACHABLE:
	case FB_LOST:
	default:
		return false;
	}
}

bool
fallback_before_attempt(struct fallback *f, int64_t now)
{
	if (f->forced || f->tr == TRANSPORT_WS || now < f->probe_at)
		return false;
	f->tr = TRANSPORT_WS;
	/* If it falls again, the next chance comes a doubled wait later. */
	f->probe_every = f->probe_every > FALLBACK_PROBE_CAP_MS / 2 ?
	    FALLBACK_PROBE_CAP_MS : f->probe_every * 2;
	f->probe_at = INT64_MAX;
	return true;
}

bool
fallback_probe_due(const struct fallback *f, int64_t now)
{
	return !f->forced && f->tr != TRANSPORT_WS && now >= f->probe_at;
}

void
fallback_probe_done(struct fallback *f, bool ok, int64_t now)
{
	if (f->forced)
		return;
	if (ok) {
		f->tr = TRANSPORT_WS;
		f->probe_at = INT64_MAX;
		f->probe_every = f->probe_first;
		return;
	}
	f->probe_every = f->probe_every > FALLBACK_PROBE_CAP_MS / 2 ?
	    FALLBACK_PROBE_CAP_MS : f->probe_every * 2;
	f->probe_at = later(now, f->probe_every);
}
