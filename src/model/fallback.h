/*
 * fallback: which transport the client's link uses next. WebSocket first;
 * an HTTP answer that is not the upgrade (a proxy that strips Upgrade)
 * moves to Server-Sent Events with POST; an event stream that stays silent
 * past the heartbeat interval, or is cut before its first event (a proxy
 * that buffers responses), moves to long polling. A server that does not
 * answer at all, or a session that ends after it was carried, keeps the
 * transport: the trouble is the server or the network, not the way there.
 *
 * Going back up: once it has fallen back, the best transport is tried
 * again FALLBACK_PROBE_MS later (a WebSocket probe beside the session that
 * runs, or simply the next reconnect from the top once that time is past);
 * a probe that fails doubles the wait, up to FALLBACK_PROBE_CAP_MS.
 * A forced transport (--transport ws|sse|poll) never moves.
 * Pure: no clock (the caller gives now), no I/O.
 */
#ifndef CONFAB_FALLBACK_H
#define CONFAB_FALLBACK_H

#include <stdbool.h>
#include <stdint.h>

#define FALLBACK_PROBE_MS ((int64_t)5 * 60 * 1000)
#define FALLBACK_PROBE_CAP_MS ((int64_t)60 * 60 * 1000)

/* Best first. */
enum transport {
	TRANSPORT_WS,
	TRANSPORT_SSE,
	TRANSPORT_POLL,
};

/* How an attempt on the current transport ended. */
enum fb_outcome {
	FB_CARRIED,     /* it carried the session (WELCOME came) */
	FB_UNREACHABLE, /* nothing answered, a TLS failure, a refused sign-in */
	FB_REFUSED,     /* an HTTP answer, but not this transport's (no 101;
	                 * no event stream) */
	FB_SILENT,      /* open, but no event within the heartbeat interval,
	                 * or cut before its first event: something buffers */
	FB_LOST,        /* it had carried the session, then ended */
};

struct fallback {
	bool forced;            /* --transport other than auto */
	enum transport tr;      /* for the next attempt, or the one open */
	int64_t probe_at;       /* when to try the best again; INT64_MAX: not */
	int64_t probe_every;    /* the wait before the next probe */
	int64_t probe_first;    /* FALLBACK_PROBE_MS unless set */
};

/* "auto", "ws", "sse" or "poll"; false for anything else. */
bool fallback_parse(const char *name, bool *forced, enum transport *tr);
const char *transport_name(enum transport tr);

/* probe_ms <= 0: FALLBACK_PROBE_MS. */
void fallback_init(struct fallback *f, bool forced, enum transport tr,
    int64_t probe_ms);
/* Takes the outcome of an attempt on f->tr at now. True when it moved to
 * a worse transport: the next attempt should go at once, not after a
 * backoff wait (the server did answer). */
bool fallback_outcome(struct fallback *f, enum fb_outcome o, int64_t now);
/* Before a new attempt (not one right after a fall): back to the best
 * transport when the probe time has passed. True when it changed. */
bool fallback_before_attempt(struct fallback *f, int64_t now);
/* A session is carried on a worse transport: time to probe the best? */
bool fallback_probe_due(const struct fallback *f, int64_t now);
/* The probe's answer: ok moves to the best transport (the caller then
 * reconnects on it); otherwise the next probe waits twice as long. */
void fallback_probe_done(struct fallback *f, bool ok, int64_t now);

#endif
