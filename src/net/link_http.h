/*
 * link_http: the HTTP transports' shared state (private to src/net):
 * link_http.c carries the requests and the stream, link_http_open.c
 * opens the session from the core's first frames (HELLO, LOGIN).
 */
#ifndef CONFAB_LINK_HTTP_H
#define CONFAB_LINK_HTTP_H

#include <cJSON.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>

#include "net/conn.h"
#include "net/link.h"
#include "net/sseparse.h"

/* From conn.c: a frame the link made itself. */
void conn_link_local_frame(struct conn *c, const char *text, size_t len);

#define MAX_ANSWER (CONN_MAX_FRAME + ((size_t)1 << 20))
#define MAX_QUERY 1000        /* the server takes 1023 */
#define SEND_BATCH ((size_t)48 << 10) /* under the default max_frame */
#define POLL_RETRY_MS 500
#define ANSWER_SECS 60        /* a held poll is answered within 25 s */

enum hreq_kind { HR_EVENTS, HR_POLL, HR_SEND, HR_SIGNIN };

struct link;

struct qframe {
	struct qframe *next;
	size_t len;
	char text[];
};

struct hreq {
	struct link_wsi w;      /* first: the wsi's user pointer */
	lws_sorted_usec_list_t hold; /* takes over lws's answer timeout */
	struct lws_context *ctx;
	struct link *l;
	enum hreq_kind kind;
	char *path;
	unsigned char *body;    /* LWS_PRE of headroom, then blen bytes */
	size_t blen;
	int status;
	bool answered;          /* the head came */
	bool sent;              /* the request went out */
	char *rx;               /* the answer's body (not for the stream) */
	size_t rx_len, rx_cap;
	char cid[72];           /* HR_SIGNIN: the LOGIN's cid */
	bool dialling;          /* inside link_dial */
	bool failed;            /* it failed there */
};

struct link {
	enum transport tr;
	struct conn *c;
	struct link_target t;
	char *bearer;           /* "Bearer TOKEN", or NULL */
	char *session;          /* the key for /send */
	char *cursor;           /* poll: the last answer's */
	bool hello;             /* the session's request is made */
	bool got_event;         /* the stream brought an event */
	int close_code;         /* from event: close / "closed" */
	char close_reason[96];
	struct hreq *stream;    /* GET /events or the poll in flight */
	struct hreq *send;      /* the POST /send in flight */
	struct hreq *signin;
	struct qframe *qhead, *qtail; /* frames waiting to be sent */
	struct sse_parser sse;
	lws_sorted_usec_list_t later; /* the next poll after a failure, or a
	                               * send after 429 */
	bool explained;         /* the last dial failed at once, with lws's
	                         * reason explained in the conn's error */
	int busy;               /* inside a loop over frames given to the conn */
	bool dead;              /* closed meanwhile: freed when it is out */
};

struct hreq *http_req_start(struct link *l, enum hreq_kind kind, char *path,
    const char *body, size_t blen);
void http_req_done(struct link *l, struct hreq *r);
void http_end(struct link *l, enum fb_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
char *http_path(const struct link *l, const char *route);
void http_enqueue(struct link *l, const char *text, size_t len);
void http_kick_send(struct link *l);
bool http_send(struct link *l, const char *text, size_t len);
void http_signin_answer(struct link *l, struct hreq *r);

#endif
