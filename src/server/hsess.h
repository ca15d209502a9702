/*
 * hsess: sessions carried over plain HTTP on confabd's port, for where a
 * WebSocket cannot pass (a proxy that strips Upgrade, one that buffers,
 * a browser's EventSource): docs/protocol.md, "Server-Sent Events and long
 * polling".
 *
 * An HTTP session is a session like any other (struct session, the hub's
 * frames, budgets, rate limits, heartbeat timeout); only its transport
 * differs:
 * - SSE (sse.c): GET /events opens a session whose output is the
 *   response, one event per frame, each id the stream's position (spos.h),
 *   so that a reconnect with Last-Event-ID resumes. The session lives as
 *   long as that response.
 * - long polling (poll.c): GET /poll opens a session; each GET
 *   /poll?cursor=... is answered with the events after the cursor (kept
 *   until a later cursor confirms them: a retried poll gets the same
 *   events) or held until some come.
 * Both take the client's frames with POST /send?session=KEY; answers and
 * events come on the session's stream, as on a WebSocket. The session is
 * opened with a HELLO made from the request (its token, user and rooms),
 * so that signing on is the hub's, as for any session.
 */
#ifndef CONFAB_HSESS_H
#define CONFAB_HSESS_H

#include "server/conn.h"
#include "server/server.h"
#include "server/spos.h"

enum hsess_kind { HSESS_SSE, HSESS_POLL };

#define HSESS_SECRET_HEX 32
#define HSESS_KEY_MAX (24 + 1 + HSESS_SECRET_HEX)

struct hsess {
	struct session *s;
	enum hsess_kind kind;
	char key[HSESS_KEY_MAX + 1]; /* sid.secret: what POST /send names */
	char addr[LISTENER_ADDR_MAX];
	char counted[LISTENER_ADDR_MAX]; /* the address as listen.c counts it */
	struct spos pos;
	GQueue input;       /* struct hsess_in *: frames not yet handed over */
	size_t input_bytes;
	lws_sorted_usec_list_t work_sul; /* deferred work, next turn */
	lws_sorted_usec_list_t tick_sul; /* SSE heartbeat, poll hold */
	struct server *srv;
	GString *part;      /* a frame being taken (a stream part-way) */
	/* SSE */
	struct conn *conn;
	GString *wbuf;      /* written from woff on */
	size_t woff;
	char *last_id;      /* the last id: written */
	guint last_nsubs;   /* the session's rooms when it was written */
	bool hb_due, close_written;
	/* long polling */
	struct http_wait *held; /* the poll being held, or NULL */
	bool held_close;        /* its connection closes after the answer */
	uint64_t acked;     /* events the client confirmed with a cursor */
	GPtrArray *log;     /* char *: the events after acked, for a retry */
	size_t log_bytes;
	char *log_resume;   /* the position after the log */
};

struct hsess_in {
	bool made;  /* made by the server from the request: not rate limited */
	size_t len;
	char text[];
};

/* http.c: GET /events, GET /poll, POST /send; false for other paths. */
bool hsess_route(struct server *srv, const struct http_call *call,
    struct http_answer *a, bool *later);
/* The request's body may be read (POST /send), at most *max bytes. */
bool hsess_takes_body(const struct server *srv, const struct http1_req *req,
    size_t *max);
/* conn.c: the SSE stream's connection is writable (1: the stream is over,
 * linger and close; -1: close now); its connection is gone. */
int hsess_stream_writeable(struct session *s);
void hsess_stream_gone(struct session *s);
/* main.c: before the loop goes, after. */
void hsess_destroy(struct server *srv);
void hsess_cleanup(struct server *srv);
/* The open sessions of a kind (/metrics). */
unsigned hsess_count(struct server *srv, enum hsess_kind kind);

/* hsess.c, for sse.c and poll.c */
void hsess_pump(struct hsess *h);
void hsess_free(struct hsess *h);
void hsess_later(struct hsess *h);
/* Empties a buffer, giving back its memory when it grew past keep (an
 * idle session keeps almost nothing). */
#define HSESS_KEEP_BUSY (64 * 1024)
#define HSESS_KEEP_IDLE 256
void hsess_shrink(GString **g, size_t keep);
void hsess_json_error(struct http_answer *a, unsigned status,
    const char *code, const char *message);
struct hsess *hsess_find(struct server *srv, const char *key);
struct hsess *hsess_open(struct server *srv, const struct http_call *call,
    enum hsess_kind kind, struct http_answer *a);
/* sse.c, poll.c: their transports and routes */
extern const struct session_transport hsess_sse_transport;
extern const struct session_transport hsess_poll_transport;
bool sse_route(struct server *srv, const struct http_call *call,
    struct http_answer *a);
bool poll_route(struct server *srv, const struct http_call *call,
    struct http_answer *a);
void poll_work(struct hsess *h);

#endif
