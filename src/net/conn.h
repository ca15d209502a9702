/*
 * conn: the client's one link to confabd, kept alive, over a WebSocket or,
 * where none can pass, Server-Sent Events with POST or long polling (see
 * net/link.h for the transports, model/fallback.h for how it chooses).
 *
 * A state machine on the caller's lws context (no thread of its own):
 *   OFFLINE -> CONNECTING -> OPEN -> (closed/failed) -> WAITING -> CONNECTING
 * Waits between attempts follow model/backoff (full jitter, 1 s base, 30 s
 * cap, unlimited by default); the schedule resets once a connection has
 * stayed open for CONN_HEALTHY_MS. conn_reconnect_now skips the wait.
 * While open it sends HEARTBEAT when it has sent nothing for a heartbeat
 * interval, and declares the connection dead when nothing at all has
 * arrived for two intervals, closing it and reconnecting.
 *
 * The transport is the conn's own business: whoever uses it sends and
 * receives the same text frames on every one, and learns which carries
 * them from the status (transport). The HTTP transports translate the
 * frames that open a session (LOGIN, HELLO) into their requests; past
 * that, conn knows frames only as text and never touches the screen. Everything it learns is reported through struct conn_events.
 */
#ifndef CONFAB_CONN_H
#define CONFAB_CONN_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#define CONN_HEALTHY_MS 10000
#define CONN_DEFAULT_HEARTBEAT_MS 15000
/* A frame from the server larger than this drops the connection (and the
 * next attempt follows the backoff, like any other failure). */
#define CONN_MAX_FRAME ((size_t)16 << 20)

enum conn_state {
	CONN_OFFLINE,    /* stopped, or out of attempts */
	CONN_CONNECTING, /* an attempt is under way */
	CONN_OPEN,       /* the link takes frames */
	CONN_WAITING,    /* the next attempt is scheduled */
};

/* What was wrong with the server's certificate (wss:// only). */
enum conn_cert {
	CONN_CERT_OK,        /* trusted, or no TLS */
	CONN_CERT_UNTRUSTED, /* no authority this machine trusts signed it
	                      * (self-signed, a private CA): fingerprint says
	                      * which, for the user to accept (conn_set_pin) */
	CONN_CERT_CHANGED,   /* it is not the one pinned: refused */
	CONN_CERT_BAD,       /* trusted, but expired or for another name */
};

struct conn_status {
	enum conn_state state;
	unsigned attempt;      /* retries since the last healthy connection
	                        * (0 for the first attempt) */
	int64_t retry_at_ms;   /* CONN_WAITING: when (CLOCK_MONOTONIC ms) */
	char last_error[128];  /* why the last connection ended, "" if none,
	                        * in plain words */
	char detail[128];      /* libwebsockets' own words for it, for logs */
	enum conn_cert cert;   /* the last attempt's certificate */
	char fingerprint[104]; /* of its certificate: "SHA256:AB:CD:…", "" */
	char transport[8];     /* "ws", "sse" or "poll": the link's (or the
	                        * next attempt's) */
};

/* Any member may be NULL. An event may call any conn_* function of its
 * conn except conn_free. */
struct conn_events {
	/* The socket is open: send HELLO now. */
	void (*opened)(void *ud);
	/* One complete text frame (not NUL-terminated). */
	void (*frame)(void *ud, const char *text, size_t len);
	/* The state changed (also once per second while WAITING, so that a
	 * countdown can be shown, and when a healthy connection resets
	 * attempt to 0). */
	void (*status)(void *ud, const struct conn_status *st);
};

struct conn_options {
	const char *url;          /* ws://host:port/path or wss://… */
	const char *pin;          /* wss: a certificate fingerprint accepted
	                           * although no authority signed it (the
	                           * user said so once), or NULL */
	unsigned max_attempts;    /* retries before OFFLINE; 0 = unlimited */
	int64_t base_ms, cap_ms;  /* 0 = 1000, 30000 */
	uint64_t seed;            /* backoff jitter seed; 0 = a random one */
	const char *transport;    /* "auto" (NULL too), "ws", "sse", "poll" */
	int64_t probe_ms;         /* after a fall, when the WebSocket is tried
	                           * again; 0 = FALLBACK_PROBE_MS */
};

struct conn;

/* Must be registered in the context's protocol list (it carries the
 * per-connection callback). An attempt that hangs (a server that accepts
 * TCP and never answers the upgrade) fails after the context's
 * timeout_secs (lws's default: 5 s). */
extern const struct lws_protocols conn_protocol;

/* NULL with a message in err when the URL is not ws://host[:port][/path]
 * or wss://… (host may be an [IPv6] literal; port 80 or 443 and path / by
 * default; the HTTP transports use the same host, port and path, with TLS
 * for wss://), when the transport is not auto, ws, sse or poll, or when
 * conn_protocol is missing from the context. Starts
 * OFFLINE. For wss:// the context must have been made with
 * LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT; certificates are checked against
 * the system's authorities and the context's client_ssl_ca_filepath, and
 * the host name against the certificate. */
struct conn *conn_new(struct lws_context *ctx, const struct conn_options *opt,
    const struct conn_events *ev, void *ud, char *err, size_t errlen);
/* Safe in any state; call it before lws_context_destroy, and never from
 * inside one of this conn's own events. */
void conn_free(struct conn *c);

/* Starts connecting (from OFFLINE, with a fresh backoff schedule), or
 * retries at once (from WAITING). The state is CONNECTING on return; the
 * socket itself is opened from the event loop's next turn, so this is safe
 * to call from inside an event. Does nothing while CONNECTING or OPEN. */
void conn_reconnect_now(struct conn *c);
/* Closes and stays OFFLINE until conn_reconnect_now. */
void conn_stop(struct conn *c);
/* Accepts the certificate with this fingerprint from now on (see
 * conn_options.pin); NULL forgets it. Takes effect at the next attempt. */
void conn_set_pin(struct conn *c, const char *fingerprint);
/* The "SHA256:AB:CD:…" fingerprint of a DER certificate, into out (at
 * least 100 bytes). */
void conn_fingerprint(const unsigned char *der, size_t len, char *out);

/* Sets the heartbeat interval (from WELCOME); it applies at once and to
 * later connections. ms <= 0 turns heartbeats and dead-peer detection off. */
void conn_set_heartbeat(struct conn *c, int64_t ms);

/* How long a connection must stay open before the backoff schedule
 * resets (CONN_HEALTHY_MS unless set; ms <= 0 restores that). */
void conn_set_healthy_ms(struct conn *c, int64_t ms);

/* Queues a text frame; false when not OPEN (the caller keeps it). Frames
 * still queued when the connection ends are dropped: a new connection
 * starts with HELLO, and the outbox resends what needs resending. */
bool conn_send(struct conn *c, const char *text, size_t len);

const struct conn_status *conn_status(const struct conn *c);

/* Why an attempt failed, in plain words, from libwebsockets' reason for
 * it ("HS: ws upgrade response not 101" becomes "HOST:PORT answered, but
 * it is not a confab server"); an unknown reason, or none, means nothing
 * answered. */
void conn_explain(const char *reason, const char *host, int port, char *out,
    size_t size);

#endif
