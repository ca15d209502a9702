/*
 * conn: one accepted TCP connection of confabd, from its first byte to its
 * close. libwebsockets runs the loop and holds the socket as a raw socket
 * (it reads, buffers partial writes, times out); every byte of HTTP and of
 * WebSocket is read and written here and in ws.c, so that nothing a client
 * sends reaches lws's own HTTP or WebSocket state machines (their traps are
 * in LIBWEBSOCKETS.md; a pipelined request with a body wedged lws 4.1.6).
 *
 * A connection starts in HTTP: request heads are parsed by http1.c, one at
 * a time, each answered before the next is read (pipelining works, bounded
 * by one head); /health and /metrics are answered (http.c); the sign-in
 * routes read a body of a known length (Content-Length, at most
 * SIGNIN_BODY_MAX bytes, all of it within the head's time) and may answer
 * on a later turn (an http_wait); any other request with a body is refused
 * (413, 411 for a chunked one) and the connection closed after the answer,
 * with a lingering close so the answer is not lost to a reset. POST /send
 * takes a body of up to max_frame bytes, and GET /events turns the
 * connection into an SSE stream (CONN_STREAM, hsess.h). A valid upgrade
 * to WebSocket with the confab.v1 subprotocol turns it into a session
 * (ws.c); anything else is refused with an HTTP status, never a 101.
 *
 * Input can be paused for several reasons at once (the reasons are bits):
 * a head being answered, a session blocked on long work, or output that
 * the socket has not taken yet. Paused input stays in the kernel; at most
 * one read is held here.
 */
#ifndef CONFAB_CONN_H
#define CONFAB_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "server/server.h"

enum conn_state {
	CONN_HTTP,   /* reading request heads */
	CONN_WS,     /* a WebSocket session (c->s) */
	CONN_STREAM, /* an SSE response (c->s, hsess.h): input is dropped */
	CONN_LINGER, /* answered, write side shut: draining input until EOF */
};

enum {
	CONN_RX_FULL = 1,    /* c->in holds as much as it may */
	CONN_RX_BLOCKED = 2, /* the session waits for long work to finish */
	CONN_RX_OUTPUT = 4,  /* lws holds output the socket did not take */
};

struct conn {
	struct server *srv;
	struct lws *wsi;
	enum conn_state state;
	char *in;            /* received, not yet processed */
	size_t in_len, in_cap, head_scanned;
	char *resp;          /* an HTTP answer being written */
	size_t resp_len;
	size_t lingered;     /* bytes thrown away while lingering */
	bool close_after;    /* linger and close once resp is written */
	unsigned rx_off;     /* CONN_RX_* reasons input is paused */
	struct session *s;   /* CONN_WS, CONN_STREAM */
	GString *body;       /* the body of body_of, as it arrives */
	struct http1_req *body_of; /* a request whose body is being read */
	struct http_wait *wait;    /* a route that answers later */
	int64_t accepted;    /* ms */
	char addr[LISTENER_ADDR_MAX]; /* its address as counted (listen.c) */
};

/* Pauses (on) or resumes input for one reason. */
void conn_rx_pause(struct conn *c, unsigned reason, bool on);
/* Asks for input held in c->in to be processed again (after a session was
 * unblocked), from the next writable callback. */
void conn_kick(struct conn *c);
/* The connection may wait this long for its next step (0: no limit; an
 * SSE stream, a held long poll). */
void conn_hold(struct conn *c, int seconds);

/* The raw-socket protocols of the vhost (conn.c) and the listener's. */
extern const struct lws_protocols server_protocols[];
/* Adopts an accepted socket from addr (listen.c); closes it and returns
 * false on failure. */
bool conn_adopt(struct server *srv, int fd, const char *addr);

#endif
