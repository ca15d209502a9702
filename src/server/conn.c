/*
 * conn: a connection from accept to close; HTTP until a WebSocket upgrade
 * (conn.h says what it guarantees).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <sodium.h>

#include "model/xmalloc.h"
#include "server/abuse.h"
#include "server/conn.h"
#include "server/hsess.h"
#include "server/http1.h"
#include "server/signin_body.h"

#define IDLE_S 10        /* a kept-alive connection may idle this long */
#define WAIT_S 10        /* a sign-in's answer comes within this */
#define LINGER_S 2
#define LINGER_MAX (16 << 20) /* bytes thrown away before giving up */
#define IN_MAX (64 * 1024) /* input held here at most (one read and a head) */
#define TX_MAX (256 * 1024 + 64)

#define TO_HEAD ((enum pending_timeout)(PENDING_TIMEOUT_USER_REASON_BASE + 1))
#define TO_LINGER ((enum pending_timeout)(PENDING_TIMEOUT_USER_REASON_BASE + 2))

static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

void
conn_rx_pause(struct conn *c, unsigned reason, bool on)
{
	unsigned before = c->rx_off;
	if (on)
		c->rx_off |= reason;
	else
		c->rx_off &= ~reason;
	if ((before == 0) != (c->rx_off == 0))
		lws_rx_flow_control(c->wsi, c->rx_off == 0);
}

void
conn_kick(struct conn *c)
{
	lws_callback_on_writable(c->wsi);
}

void
conn_hold(struct conn *c, int seconds)
{
	if (seconds <= 0)
		lws_set_timeout(c->wsi, NO_PENDING_TIMEOUT, 0);
	else
		lws_set_timeout(c->wsi, TO_HEAD, seconds);
}

/* Keeps bytes for later; false (and nothing kept) past IN_MAX. */
static bool
hold(struct conn *c, const void *p, size_t n)
{
	if (c->in_len + n > IN_MAX)
		return false;
	if (c->in_len + n > c->in_cap) {
		size_t cap = c->in_cap ? c->in_cap : 4096;
		while (cap < c->in_len + n)
			cap *= 2;
		char *g = realloc(c->in, cap);
		if (g == NULL)
			return false;
		c->in = g;
		c->in_cap = cap;
	}
	memcpy(c->in + c->in_len, p, n);
	c->in_len += n;
	return true;
}

/* An empty input buffer goes: most connections are idle sessions, whose
 * bytes come straight from lws's buffer, and a 4 KB buffer kept for each
 * was half of what an idle session cost. */
static void
in_release(struct conn *c)
{
	if (c->in == NULL || c->in_len > 0)
		return;
	sodium_memzero(c->in, c->in_cap);
	free(c->in);
	c->in = NULL;
	c->in_cap = 0;
}

static void
consume(struct conn *c, size_t n)
{
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
	c->head_scanned = 0;
}

/* ---- HTTP answers ---------------------------------------------------------- */

static void
http_date(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Queues an answer; after it the connection closes (close) or reads the
 * next request. A HEAD answer has the headers only. */
static void
answer(struct conn *c, unsigned status, const char *headers, const char *type,
    const char *body, bool head_only, bool close, bool own_policy)
{
	char date[64];
	http_date(date, sizeof date);
	size_t blen = strlen(body);
	GString *o = g_string_new(NULL);
	g_string_append_printf(o, "HTTP/1.1 %u %s\r\nDate: %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n%s"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: no-referrer\r\n%s%s\r\n",
	    status, http_reason(status), date, type, blen,
	    own_policy ? "" : "Cache-Control: no-store\r\n"
	    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n",
	    headers ? headers : "", close ? "Connection: close\r\n" : "");
	if (!head_only)
		g_string_append_len(o, body, (gssize)blen);
	c->resp_len = o->len;
	c->resp = g_string_free(o, FALSE);
	c->close_after = close;
	lws_callback_on_writable(c->wsi);
}

static void
refuse(struct conn *c, unsigned status, const char *why, const char *headers)
{
	char body[256];
	snprintf(body, sizeof body, "%s\n", why);
	lwsl_info("http: refused %u: %s\n", status, why);
	answer(c, status, headers, "text/plain; charset=utf-8", body, false, true,
	    false);
}

struct http_wait {
	struct conn *c;      /* NULL once the connection is gone */
	bool head_only, close;
};

struct http_wait *
http_wait_take(struct conn *c)
{
	c->wait = xcalloc(1, sizeof *c->wait);
	c->wait->c = c;
	/* the worker's queue is bounded: its answer comes well within this */
	lws_set_timeout(c->wsi, TO_HEAD, WAIT_S);
	return c->wait;
}

static void
give(struct conn *c, struct http_answer *a, bool head_only, bool close)
{
	answer(c, a->status, a->headers, a->type, a->body, head_only, close,
	    a->own_policy);
	g_free(a->body);
}

void
http_wait_answer(struct http_wait *w, struct http_answer *a)
{
	if (w->c != NULL) {
		w->c->wait = NULL;
		give(w->c, a, w->head_only, w->close);
	} else {
		g_free(a->body);
	}
	free(w);
}

static void
route(struct conn *c, const struct http1_req *req, const char *body,
    size_t body_len)
{
	struct server *srv = c->srv;
	srv->m.http_requests++;
	char addr[64] = "";
	lws_get_peer_simple(c->wsi, addr, sizeof addr);
	struct http_call call = {.req = req, .body = body, .body_len = body_len,
	    .addr = addr, .conn = c};
	struct http_answer a = {0};
	bool head_only = strcmp(req->method, "HEAD") == 0;
	if (http_route(srv, &call, &a))
		give(c, &a, head_only, !req->keep_alive);
	else if (c->wait != NULL) {
		c->wait->head_only = head_only;
		c->wait->close = !req->keep_alive;
	}
}

static void
serve(struct conn *c, const struct http1_req *req)
{
	if (!req->has_body) {
		route(c, req, "", 0);
		return;
	}
	/* a body that is not read leaves the connection unable to carry
	 * another request: refused ones close it */
	size_t max = SIGNIN_BODY_MAX;
	bool send = hsess_takes_body(c->srv, req, &max);
	if (!send && !http_takes_body(req)) {
		c->srv->m.http_requests++;
		refuse(c, 413, "this request takes no body", NULL);
	} else if (req->chunked) {
		c->srv->m.http_requests++;
		refuse(c, 411, "send the body with a Content-Length", NULL);
	} else if (req->content_length > max) {
		c->srv->m.http_requests++;
		refuse(c, 413, "the body is too large", NULL);
	} else {
		c->body_of = xmalloc(sizeof *c->body_of);
		*c->body_of = *req;
		c->body = g_string_sized_new((gsize)req->content_length + 1);
	}
}

/* The body of c->body_of once it is all here. */
static void
serve_body(struct conn *c)
{
	/* moved out of c->in as it comes: a body may be bigger than c->in */
	size_t n = (size_t)c->body_of->content_length;
	size_t take = n - c->body->len;
	if (take > c->in_len)
		take = c->in_len;
	g_string_append_len(c->body, c->in, (gssize)take);
	consume(c, take);
	if (c->body->len < n)
		return;
	struct http1_req *req = c->body_of;
	GString *body = c->body;
	c->body_of = NULL;
	c->body = NULL;
	route(c, req, body->str, n);
	sodium_memzero(body->str, body->len);
	g_string_free(body, TRUE);
	free(req);
}

/* ---- the WebSocket upgrade ------------------------------------------------- */

/* The key must be base64 of 16 bytes (RFC 6455 4.1). */
static bool
key_valid(const char *key)
{
	if (strlen(key) != 24)
		return false;
	for (size_t i = 0; i < 24; i++) {
		char ch = key[i];
		bool b64 = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
		if (!b64 && !(ch == '=' && i >= 22))
			return false;
	}
	return key[22] == '=' && key[23] == '=';
}

static char *
accept_of(const char *key)
{
	GChecksum *cs = g_checksum_new(G_CHECKSUM_SHA1);
	g_checksum_update(cs, (const guchar *)key, (gssize)strlen(key));
	g_checksum_update(cs, (const guchar *)ws_guid, (gssize)strlen(ws_guid));
	guint8 digest[20];
	gsize dl = sizeof digest;
	g_checksum_get_digest(cs, digest, &dl);
	g_checksum_free(cs);
	return g_base64_encode(digest, dl);
}

/* The first protocol of the client's list that this server speaks must be
 * confab.v1: no other is served on this port. */
static bool
wants_confab(const char *list)
{
	return http1_list_has(list, PROTO_SUBPROTOCOL);
}

/* The reason to refuse an upgrade, or NULL; *status and *headers with it. */
static const char *
upgrade_refusal(const struct http1_req *req, unsigned *status,
    const char **headers)
{
	*status = 400;
	*headers = NULL;
	if (strcmp(req->method, "GET") != 0) {
		*status = 405;
		*headers = "Allow: GET\r\n";
		return "a WebSocket upgrade is a GET";
	}
	if (req->minor != 1 || !req->connection_upgrade || req->has_body)
		return "not a valid WebSocket upgrade";
	if (strcmp(req->ws_version, "13") != 0) {
		*status = 426;
		*headers = "Sec-WebSocket-Version: 13\r\n";
		return "WebSocket version 13 is required";
	}
	if (!key_valid(req->ws_key))
		return "bad Sec-WebSocket-Key";
	if (!wants_confab(req->ws_protocols))
		return "the WebSocket subprotocol confab.v1 is required";
	return NULL;
}

/* A browser names the page's origin: a page of another site must not
 * open a session with the user's cookies or address. Clients that are no
 * browser send none. */
static bool
origin_refused(struct conn *c, const struct http1_req *req)
{
	if (!req->has_origin ||
	    abuse_origin_allowed(&c->srv->cfg, req->origin, req->host))
		return false;
	c->srv->m.origins_refused++;
	refuse(c, 403, "this origin may not open a confab session here", NULL);
	return true;
}

static void
upgrade(struct conn *c, const struct http1_req *req)
{
	struct server *srv = c->srv;
	unsigned status;
	const char *headers;
	const char *why = upgrade_refusal(req, &status, &headers);
	if (why != NULL) {
		refuse(c, status, why, headers);
		return;
	}
	if (origin_refused(c, req))
		return;
	if (srv->stopping) {
		refuse(c, 503, "the server is shutting down", NULL);
		return;
	}
	char *acc = accept_of(req->ws_key);
	char resp[256];
	int n = snprintf(resp, sizeof resp, "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: %s\r\n\r\n",
	    acc, PROTO_SUBPROTOCOL);
	g_free(acc);
	struct session *s = ws_session_open(srv, c);
	if (s == NULL || lws_write(c->wsi, (unsigned char *)resp, (size_t)n,
	    LWS_WRITE_RAW) < 0) {
		if (s != NULL) {
			c->s = s;
			c->state = CONN_WS;
		}
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		return;
	}
	lws_set_timeout(c->wsi, NO_PENDING_TIMEOUT, 0);
	c->s = s;
	c->state = CONN_WS;
}

/* ---- reading ---------------------------------------------------------------- */

/* Request heads, one at a time, each answered before the next is read. */
static void
process_http(struct conn *c)
{
	while (c->state == CONN_HTTP && c->resp == NULL && c->wait == NULL &&
	    !(c->rx_off & CONN_RX_OUTPUT)) {
		if (c->body_of != NULL) {
			serve_body(c);
			if (c->body_of != NULL)
				return;
			continue;
		}
		size_t end = http1_head_end(c->in, c->in_len, &c->head_scanned);
		if (end == 0 || end > HTTP1_HEAD_MAX) {
			if (end > HTTP1_HEAD_MAX || c->in_len > HTTP1_HEAD_MAX)
				refuse(c, 431, "the request head is too large", NULL);
			else if (!http1_start_valid(c->in, c->in_len))
				refuse(c, 400, "not an HTTP request", NULL);
			return;
		}
		struct http1_req req;
		enum http1_result r = http1_parse(c->in, end, &req);
		consume(c, end);
		if (r == HTTP1_REFUSE)
			refuse(c, req.status, req.why, NULL);
		else if (req.upgrade_websocket)
			upgrade(c, &req);
		else
			serve(c, &req);
	}
}

/* Input of a session held here: given to it until it blocks again. */
static int
process_ws(struct conn *c)
{
	if (c->in_len == 0 || c->s->blocked)
		return 0;
	int used = ws_session_rx(c->s, (unsigned char *)c->in, c->in_len);
	if (used < 0)
		return -1;
	consume(c, (size_t)used);
	return 0;
}

static int
process(struct conn *c)
{
	if (c->state == CONN_HTTP)
		process_http(c);
	if (c->state == CONN_WS && process_ws(c) != 0)
		return -1;
	/* a stream reads nothing more: its input buffer goes */
	if (c->state == CONN_STREAM)
		c->in_len = 0;
	in_release(c);
	conn_rx_pause(c, CONN_RX_FULL, c->in_len >= IN_MAX / 2);
	if (c->state == CONN_WS)
		conn_rx_pause(c, CONN_RX_BLOCKED, c->s->blocked);
	return 0;
}

static int
on_rx(struct conn *c, unsigned char *in, size_t len)
{
	if (c->state == CONN_STREAM)
		return 0; /* the stream is the answer: nothing more is read */
	if (c->state == CONN_LINGER) {
		c->lingered += len;
		return c->lingered > LINGER_MAX ? -1 : 0;
	}
	if (c->state == CONN_WS && c->in_len == 0 && !c->s->blocked) {
		/* the usual case: straight from lws's buffer */
		int used = ws_session_rx(c->s, in, len);
		if (used < 0)
			return -1;
		in += used;
		len -= (size_t)used;
	}
	if (len > 0 && !hold(c, in, len)) {
		if (c->state == CONN_HTTP && c->resp == NULL)
			refuse(c, 431, "the request head is too large", NULL);
		else
			return -1; /* more than was let in: the peer ignores pauses */
	}
	return process(c);
}

/* ---- writing ---------------------------------------------------------------- */

/* Answered and closing: the write side is shut once lws has sent all, and
 * input is drained (for a while) so that a reset does not destroy the
 * answer in the peer's buffers. */
static int
linger(struct conn *c)
{
	if (lws_partial_buffered(c->wsi)) {
		/* reading now would spin: lws reads nothing while it holds
		 * output, and the socket stays readable */
		conn_rx_pause(c, CONN_RX_OUTPUT, true);
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	shutdown(lws_get_socket_fd(c->wsi), SHUT_WR);
	c->state = CONN_LINGER;
	c->lingered = 0;
	c->in_len = 0;
	c->rx_off = 0;
	lws_rx_flow_control(c->wsi, 1);
	lws_set_timeout(c->wsi, TO_LINGER, LINGER_S);
	return 0;
}

/* One answer at a time: the next request is read only once lws has sent
 * all of this one, so a client that pipelines without reading holds one
 * answer here, never a pile of them. */
static int
http_writeable(struct conn *c)
{
	if (c->resp != NULL) {
		int n = lws_write(c->wsi, (unsigned char *)c->resp, c->resp_len,
		    LWS_WRITE_RAW);
		g_free(c->resp);
		c->resp = NULL;
		if (n < 0)
			return -1;
	}
	if (lws_partial_buffered(c->wsi)) {
		conn_rx_pause(c, CONN_RX_OUTPUT, true);
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	conn_rx_pause(c, CONN_RX_OUTPUT, false);
	if (c->close_after)
		return linger(c);
	lws_set_timeout(c->wsi, TO_HEAD, IDLE_S);
	return process(c);
}

static int
on_writeable(struct conn *c)
{
	switch (c->state) {
	case CONN_HTTP:
		return http_writeable(c);
	case CONN_WS: {
		if (c->close_after)
			return linger(c);
		if (process_ws(c) != 0)
			return -1;
		in_release(c);
		conn_rx_pause(c, CONN_RX_FULL, c->in_len >= IN_MAX / 2);
		conn_rx_pause(c, CONN_RX_BLOCKED, c->s->blocked);
		int rc = ws_session_writeable(c->s);
		if (rc > 0) {
			c->close_after = true;
			return linger(c);
		}
		return rc;
	}
	case CONN_STREAM: {
		if (c->close_after)
			return linger(c);
		int rc = hsess_stream_writeable(c->s);
		if (rc > 0) {
			c->close_after = true;
			return linger(c);
		}
		return rc;
	}
	case CONN_LINGER:
		return 0;
	}
	return 0;
}

/* ---- life cycle ------------------------------------------------------------- */

static void
conn_free(struct conn *c)
{
	if (c->s != NULL)
		c->s->tx->gone(c->s);
	if (c->wait != NULL)
		c->wait->c = NULL; /* its answer is dropped when it comes */
	free(c->body_of);
	if (c->body != NULL) {
		sodium_memzero(c->body->str, c->body->len);
		g_string_free(c->body, TRUE);
	}
	if (c->in != NULL)
		sodium_memzero(c->in, c->in_cap);
	free(c->in);
	g_free(c->resp);
	free(c);
}

static int
callback_conn(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn **pc = user;
	struct server *srv = lws_context_user(lws_get_context(wsi));

	switch (reason) {
	case LWS_CALLBACK_RAW_ADOPT:
		*pc = xcalloc(1, sizeof **pc);
		(*pc)->srv = srv;
		(*pc)->wsi = wsi;
		(*pc)->accepted = now_ms();
		snprintf((*pc)->addr, sizeof (*pc)->addr, "%s", srv->adopting);
		lws_set_timeout(wsi, TO_HEAD,
		    (int)((srv->cfg.handshake_timeout_ms + 999) / 1000));
		return 0;
	case LWS_CALLBACK_RAW_RX:
		return *pc ? on_rx(*pc, in, len) : -1;
	case LWS_CALLBACK_RAW_WRITEABLE:
		return *pc ? on_writeable(*pc) : -1;
	case LWS_CALLBACK_RAW_CLOSE:
		if (*pc != NULL) {
			listener_conn_closed(srv, (*pc)->addr);
			conn_free(*pc);
			*pc = NULL;
		}
		listener_fd_freed(srv);
		return 0;
	default:
		return 0;
	}
}

bool
conn_adopt(struct server *srv, int fd, const char *addr)
{
	lws_sock_file_fd_type d = {.sockfd = fd};
	lws_adoption_type type = LWS_ADOPT_SOCKET;
	if (srv->cfg.tls_cert != NULL)
		type |= LWS_ADOPT_ALLOW_SSL; /* lws's TLS; the bytes stay ours */
	/* RAW_ADOPT runs inside the adoption and keeps the address */
	srv->adopting = addr;
	struct lws *wsi = lws_adopt_descriptor_vhost(srv->vh, type, d,
	    "confab-conn", NULL);
	srv->adopting = "";
	/* on failure lws closes fd itself */
	if (wsi == NULL)
		lwsl_warn("cannot take a new connection\n");
	return wsi != NULL;
}

int listener_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len);
int auth_pipe_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len);

const struct lws_protocols server_protocols[] = {
	{"confab-conn", callback_conn, sizeof(struct conn *), 0, 0, NULL, TX_MAX},
	{"confab-listen", listener_callback, 0, 0, 0, NULL, 0},
	{"confab-auth", auth_pipe_callback, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};
