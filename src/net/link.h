/*
 * link: what carries a conn's frames for one attempt, whichever transport
 * it is (private to src/net). conn (conn.c) keeps the connection alive:
 * backoff, heartbeat, dead-peer detection, the fallback between
 * transports, certificates; a link only carries text frames both ways and
 * says how it ended. The implementations: link_ws (a WebSocket),
 * link_sse (GET /events and POST /send) and link_poll (GET /poll and
 * POST /send), see docs/protocol.md.
 *
 * Every wsi a link dials has a struct link_wsi as its user pointer; conn's
 * one lws protocol hands each callback to w->cb while w->wsi is that wsi.
 * A link that is done with a wsi clears both (link_wsi_let_go), so that
 * whatever lws still reports about it is ignored, as conn.c describes.
 */
#ifndef CONFAB_LINK_H
#define CONFAB_LINK_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/fallback.h"

struct conn;
struct link_wsi;

typedef int link_cb(struct link_wsi *w, struct lws *wsi,
    enum lws_callback_reasons reason, void *in, size_t len);

struct link_wsi {
	link_cb *cb;
	struct conn *c;
	struct lws *wsi; /* NULL: none, or let go */
};

/* Where to: from the conn's URL. */
struct link_target {
	struct lws_context *ctx;
	const char *host;     /* for the socket: no brackets around IPv6 */
	const char *hosthdr;  /* for the Host header: host[:port] */
	const char *path;     /* the URL's path: "/" or "/confab/" */
	int port;
	bool tls;
};

struct link;

struct link_ops {
	const char *name; /* "ws", "sse", "poll" */
	/* Dials. NULL when it failed at once (conn_link_ended was not
	 * called). Reports conn_link_opened when it can take frames. */
	struct link *(*open)(struct conn *c, const struct link_target *t);
	/* Queues one text frame; false when it cannot take it. */
	bool (*send)(struct link *l, const char *text, size_t len);
	/* Lets go of its sockets and frees it; no report after this. Safe
	 * from inside its own callbacks. */
	void (*close)(struct link *l);
};

extern const struct link_ops link_ws, link_sse, link_poll;

/* Into the conn, from a link's callbacks. */
void conn_link_opened(struct conn *c);
void conn_link_frame(struct conn *c, const char *text, size_t len);
/* Something arrived that is no frame (a pong, a heartbeat comment, an
 * empty poll): the server is alive. */
void conn_link_alive(struct conn *c);
/* The link is over (the conn closes it): how, in plain words why, and the
 * lower layer's own words for the log (or NULL). */
void conn_link_ended(struct conn *c, enum fb_outcome o, const char *why,
    const char *detail);
/* A failed dial's reason from lws, explained (conn_explain), certificate
 * trouble first; returns the outcome it makes. */
enum fb_outcome conn_link_failed(struct conn *c, const char *lws_reason);

/* Dials t with w as the wsi's user (w->wsi set before any callback);
 * false when lws refused at once. method NULL: a WebSocket. */
bool link_dial(struct link_wsi *w, const struct link_target *t,
    const char *method, const char *path, const char *subprotocol);
/* Gives the wsi up without waiting for lws to report its end. */
void link_wsi_let_go(struct link_wsi *w);

#endif
