/*
 * link_http: the two HTTP transports (link.h, docs/protocol.md "Server-Sent
 * Events and long polling"): link_sse reads the session's frames from one
 * GET /events, link_poll from GET /poll answers in turn; both send with
 * POST /send, one request at a time, the frames queued meanwhile going
 * together as one JSON array.
 *
 * A session over HTTP is opened by its first request, not by a HELLO
 * frame, so the link reports itself open at once and reads the first
 * frames the core sends (link_http_open.c): HELLO becomes the opening request (its user, its
 * resume as rooms=, its token as the bearer of every request), LOGIN and
 * REGISTER become POST /login and /register, whose answers come back as
 * the frames a WebSocket would have brought (LOGGED_IN, ERROR). A refused
 * token comes back as ERROR unauthorized, as on a WebSocket, so the core
 * asks for the password again.
 *
 * Each request is a wsi of its own with a struct hreq as its user. lws
 * holds a client request's answer for at most the context's timeout_secs,
 * too short for a held poll: the link takes that over with a deadline of
 * its own (lws_set_timeout from the first callback after the request is
 * sent).
 */
#include "net/link.h"

#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/xmalloc.h"
#include "net/conn.h"
#include "net/link_http.h"
#include "net/sseparse.h"


static void
req_free(struct hreq *r)
{
	if (r == NULL)
		return;
	lws_sul_cancel(&r->hold);
	link_wsi_let_go(&r->w);
	free(r->path);
	free(r->body);
	free(r->rx);
	free(r);
}

/* The request is over (its wsi let go, or ended by lws). */
void
http_req_done(struct link *l, struct hreq *r)
{
	if (l->stream == r)
		l->stream = NULL;
	if (l->send == r)
		l->send = NULL;
	if (l->signin == r)
		l->signin = NULL;
	req_free(r);
}

static void free_link(struct link *l);

void
http_end(struct link *l, enum fb_outcome o, const char *fmt, ...)
{
	if (l->explained) { /* a dial that failed at once said why */
		l->explained = false;
		conn_link_ended(l->c, o, NULL, NULL);
		return;
	}
	char why[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	conn_link_ended(l->c, o, why, NULL); /* closes l */
}

char *
http_path(const struct link *l, const char *route)
{
	size_t n = strlen(l->t.path);
	return xasprintf("%s%s%s", l->t.path, n > 0 && l->t.path[n - 1] == '/'
	    ? "" : "/", route);
}

static int req_cb(struct link_wsi *w, struct lws *wsi,
    enum lws_callback_reasons reason, void *in, size_t len);

struct hreq *
http_req_start(struct link *l, enum hreq_kind kind, char *path, const char *body,
    size_t blen)
{
	struct hreq *r = xcalloc(1, sizeof *r);
	r->w.cb = req_cb;
	r->w.c = l->c;
	r->l = l;
	r->kind = kind;
	r->path = path;
	r->ctx = l->t.ctx;
	if (body != NULL) {
		r->body = xmalloc(LWS_PRE + blen);
		memcpy(r->body + LWS_PRE, body, blen);
		r->blen = blen;
	}
	switch (kind) {
	case HR_EVENTS: case HR_POLL: l->stream = r; break;
	case HR_SEND: l->send = r; break;
	case HR_SIGNIN: l->signin = r; break;
	}
	l->explained = false;
	r->dialling = true;
	bool dialled = link_dial(&r->w, &l->t, body != NULL ? "POST" : "GET",
	    r->path, NULL);
	r->dialling = false;
	if (r->failed || (!dialled && r->w.wsi == NULL)) {
		/* Refused inside the call: the caller says what it means. */
		l->explained = r->failed;
		http_req_done(l, r);
		return NULL;
	}
	return r;
}

/* ---- sending ----------------------------------------------------------- */

static void on_later(lws_sorted_usec_list_t *sul);

void
http_kick_send(struct link *l)
{
	if (l->session == NULL || l->send != NULL || l->qhead == NULL)
		return;
	/* As many frames as fit in one request under the server's limit of
	 * one message (at least one): "[f1,f2,...]". */
	size_t blen = 2, n = 0;
	struct qframe *f = l->qhead;
	for (; f != NULL && (n == 0 || blen + 1 + f->len <= SEND_BATCH); f = f->next) {
		blen += f->len + (n ? 1 : 0);
		n++;
	}
	char *body = xmalloc(blen);
	size_t at = 0;
	body[at++] = '[';
	for (size_t i = 0; i < n; i++) {
		struct qframe *q = l->qhead;
		l->qhead = q->next;
		if (i)
			body[at++] = ',';
		memcpy(body + at, q->text, q->len);
		at += q->len;
		free(q);
	}
	body[at++] = ']';
	if (l->qhead == NULL)
		l->qtail = NULL;
	char *key = xasprintf("send?session=%s", l->session);
	char *path = http_path(l, key);
	free(key);
	struct hreq *r = http_req_start(l, HR_SEND, path, body, blen);
	free(body);
	if (r == NULL)
		http_end(l, FB_LOST, "cannot reach the server to send");
}

void
http_enqueue(struct link *l, const char *text, size_t len)
{
	struct qframe *q = xmalloc(sizeof *q + len);
	q->next = NULL;
	q->len = len;
	memcpy(q->text, text, len);
	if (l->qtail != NULL)
		l->qtail->next = q;
	else
		l->qhead = q;
	l->qtail = q;
}

/* A send refused for now (429): the request's frames go first next time,
 * as one queued piece (the body's inside, "f1,f2"). */
static void
requeue(struct link *l, struct hreq *r)
{
	size_t in = r->blen - 2;
	struct qframe *q = xmalloc(sizeof *q + in);
	q->len = in;
	memcpy(q->text, r->body + LWS_PRE + 1, in);
	q->next = l->qhead;
	l->qhead = q;
	if (l->qtail == NULL)
		l->qtail = q;
}

/* ---- the stream --------------------------------------------------------- */

static void
sse_event(void *ud, const char *name, const char *data, size_t len)
{
	struct link *l = ud;
	if (l->dead)
		return;
	l->got_event = true;
	if (strcmp(name, "session") == 0) {
		cJSON *s = cJSON_ParseWithLength(data, len);
		const char *key = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(s, "session"));
		free(l->session);
		l->session = xstrdup_or_null(key);
		cJSON_Delete(s);
		conn_link_alive(l->c);
		http_kick_send(l);
	} else if (strcmp(name, "close") == 0) {
		cJSON *s = cJSON_ParseWithLength(data, len);
		l->close_code = (int)cJSON_GetNumberValue(
		    cJSON_GetObjectItemCaseSensitive(s, "code"));
		snprintf(l->close_reason, sizeof l->close_reason, "%s",
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s,
		    "reason")) ?: "");
		cJSON_Delete(s);
		conn_link_alive(l->c);
	} else if (name[0] == '\0') {
		conn_link_frame(l->c, data, len);
	}
}

static void
sse_comment(void *ud)
{
	struct link *l = ud;
	if (!l->dead)
		conn_link_alive(l->c);
}

static const struct sse_sink sink_of = {sse_event, sse_comment, NULL};

/* The events of one poll answer, then the next poll. */
static void
poll_answer(struct link *l, struct hreq *r)
{
	cJSON *a = cJSON_ParseWithLength(r->rx ? r->rx : "", r->rx_len);
	const char *cursor = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(a, "cursor"));
	const cJSON *events = cJSON_GetObjectItemCaseSensitive(a, "events");
	if (cursor == NULL || !cJSON_IsArray(events)) {
		cJSON_Delete(a);
		http_req_done(l, r);
		http_end(l, FB_REFUSED, "%s:%d answered /poll, but not as confabd "
		    "does", l->t.host, l->t.port);
		return;
	}
	const char *key = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(a, "session"));
	if (key != NULL && l->session == NULL)
		l->session = xstrdup(key);
	free(l->cursor);
	l->cursor = xstrdup(cursor);
	const cJSON *closed = cJSON_GetObjectItemCaseSensitive(a, "closed");
	http_req_done(l, r);
	conn_link_alive(l->c);
	http_kick_send(l);
	/* A frame may end the link (the core stops it): the link is looked
	 * at again only through the conn's own state. */
	const cJSON *e;
	l->busy++;
	cJSON_ArrayForEach(e, events) {
		char *text = cJSON_PrintUnformatted(e);
		l->got_event = true;
		conn_link_frame(l->c, text, strlen(text));
		free(text);
		if (l->dead)
			break;
	}
	l->busy--;
	if (l->dead) {
		cJSON_Delete(a);
		free_link(l);
		return;
	}
	if (cJSON_IsObject(closed)) {
		int code = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(closed, "code"));
		cJSON_Delete(a);
		http_end(l, FB_LOST, "closed by the server (code %d)", code);
		return;
	}
	cJSON_Delete(a);
	if (l->stream == NULL) {
		char *q = xasprintf("poll?cursor=%s", l->cursor);
		char *path = http_path(l, q);
		free(q);
		if (http_req_start(l, HR_POLL, path, NULL, 0) == NULL)
			lws_sul_schedule(l->t.ctx, 0, &l->later, on_later,
			    (lws_usec_t)POLL_RETRY_MS * 1000);
	}
}

/* ---- the requests' callbacks ---------------------------------------------- */

static void
stream_end(struct link *l, struct hreq *r)
{
	http_req_done(l, r);
	if (!l->got_event)
		http_end(l, FB_SILENT, "the event stream was cut before its first "
		    "event (a proxy that buffers?)");
	else if (l->close_code != 0)
		http_end(l, FB_LOST, "closed by the server (code %d%s%s)",
		    l->close_code, l->close_reason[0] ? ": " : "", l->close_reason);
	else
		http_end(l, FB_LOST, "the event stream ended");
}

/* A poll that got no answer: the same cursor again, shortly (its events
 * come again, none lost). Without a session yet, the attempt failed. */
static void
poll_failed(struct link *l, struct hreq *r, enum fb_outcome o)
{
	http_req_done(l, r);
	if (l->cursor == NULL) {
		conn_link_ended(l->c, o, NULL, NULL);
		return;
	}
	lws_sul_schedule(l->t.ctx, 0, &l->later, on_later,
	    (lws_usec_t)POLL_RETRY_MS * 1000);
}

static void
on_later(lws_sorted_usec_list_t *sul)
{
	struct link *l = lws_container_of(sul, struct link, later);
	if (l->tr == TRANSPORT_POLL && l->stream == NULL && l->cursor != NULL) {
		char *q = xasprintf("poll?cursor=%s", l->cursor);
		char *path = http_path(l, q);
		free(q);
		if (http_req_start(l, HR_POLL, path, NULL, 0) == NULL)
			lws_sul_schedule(l->t.ctx, 0, &l->later, on_later,
			    (lws_usec_t)POLL_RETRY_MS * 1000);
	}
	http_kick_send(l);
}

/* A refused sign-in comes back as on a WebSocket: the core asks for the
 * password. False when the frame ended the link. */
static bool
refused_token(struct link *l)
{
	static const char frame[] = "{\"type\":\"ERROR\",\"code\":\"unauthorized\","
	    "\"reason\":\"the token was refused\",\"ref\":\"HELLO\"}";
	struct conn *c = l->c;
	conn_link_local_frame(c, frame, strlen(frame));
	return conn_status(c)->state == CONN_OPEN;
}

static const char *
route_of(const struct hreq *r)
{
	switch (r->kind) {
	case HR_EVENTS: return "/events";
	case HR_POLL: return "/poll";
	case HR_SEND: return "/send";
	default: return "/login";
	}
}

/* The head of an answer: false when it ended the request (and maybe the
 * link). */
static bool
on_head(struct link *l, struct hreq *r, struct lws *wsi)
{
	r->status = (int)lws_http_client_http_response(wsi);
	r->answered = true;
	int st = r->status;
	if (r->kind == HR_SIGNIN)
		return true;
	if (r->kind == HR_SEND) {
		if (st == 202 || (st >= 200 && st < 300))
			return true;
		if (st == 429) {
			requeue(l, r);
			http_req_done(l, r);
			lws_sul_schedule(l->t.ctx, 0, &l->later, on_later,
			    (lws_usec_t)1000 * 1000);
			return false;
		}
		if (st == 404) {
			http_req_done(l, r);
			http_end(l, FB_LOST, "the server no longer knows the session");
			return false;
		}
		/* refused as a whole (400, 413, 415): those frames are lost here;
		 * what needs an answer is sent again after a reconnect */
		return true;
	}
	char ctype[96] = "";
	lws_hdr_copy(wsi, ctype, sizeof ctype, WSI_TOKEN_HTTP_CONTENT_TYPE);
	bool ok = st == 200 && (r->kind == HR_POLL ||
	    strstr(ctype, "text/event-stream") != NULL);
	if (ok) {
		conn_link_alive(l->c);
		return true;
	}
	enum hreq_kind kind = r->kind;
	const char *route = route_of(r);
	http_req_done(l, r);
	if (st == 401) {
		if (refused_token(l))
			http_end(l, FB_UNREACHABLE, "%s:%d refused the sign-in",
			    l->t.host, l->t.port);
		return false;
	}
	if (st == 404 && kind == HR_POLL && l->cursor != NULL) {
		http_end(l, FB_LOST, "the server no longer knows the session");
		return false;
	}
	http_end(l, st == 429 || st >= 500 ? FB_UNREACHABLE : FB_REFUSED,
	    "%s:%d answered %s with %d%s", l->t.host, l->t.port, route, st,
	    st == 429 || st >= 500 ? "" : ": no confab session there");
	return false;
}

static int
on_body(struct link *l, struct hreq *r, const char *in, size_t len)
{
	if (r->kind == HR_EVENTS) {
		struct sse_sink sink = {sink_of.event, sink_of.comment, l};
		l->busy++;
		bool ok = sse_feed(&l->sse, in, len, &sink);
		l->busy--;
		if (l->dead)
			free_link(l);
		else if (!ok)
			http_end(l, FB_LOST, "an event from the server is over "
			    "%zu bytes", (size_t)CONN_MAX_FRAME);
		return 0;
	}
	if (r->rx_len + len > MAX_ANSWER) {
		http_req_done(l, r);
		http_end(l, FB_LOST, "an answer from the server is too large");
		return 0;
	}
	if (r->rx_len + len + 1 > r->rx_cap)
		xgrow(&r->rx, &r->rx_cap, r->rx_len + len + 1, 1);
	memcpy(r->rx + r->rx_len, in, len);
	r->rx_len += len;
	r->rx[r->rx_len] = '\0';
	return 0;
}

static void
on_complete(struct link *l, struct hreq *r)
{
	switch (r->kind) {
	case HR_EVENTS:
		stream_end(l, r);
		break;
	case HR_POLL:
		poll_answer(l, r);
		break;
	case HR_SEND:
		http_req_done(l, r);
		http_kick_send(l);
		break;
	case HR_SIGNIN:
		http_signin_answer(l, r);
		break;
	}
}

static void
on_hold(lws_sorted_usec_list_t *sul)
{
	struct hreq *r = lws_container_of(sul, struct hreq, hold);
	if (r->w.wsi != NULL && !r->answered)
		lws_set_timeout(r->w.wsi, PENDING_TIMEOUT_AWAITING_SERVER_RESPONSE,
		    ANSWER_SECS);
}

static int
add_header(struct lws *wsi, enum lws_token_indexes tok, const char *v,
    unsigned char **p, unsigned char *end)
{
	return lws_add_http_header_by_token(wsi, tok, (const unsigned char *)v,
	    (int)strlen(v), p, end);
}

static int
req_cb(struct link_wsi *w, struct lws *wsi, enum lws_callback_reasons reason,
    void *in, size_t len)
{
	struct hreq *r = (struct hreq *)w;
	struct link *l = r->l;
	if (r->dialling && (reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR ||
	    reason == LWS_CALLBACK_CLOSED_CLIENT_HTTP ||
	    reason == LWS_CALLBACK_WSI_DESTROY)) {
		/* Inside lws_client_connect_via_info: http_req_start tells. */
		lws_set_wsi_user(wsi, NULL);
		r->w.wsi = NULL;
		if (reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR && !r->failed)
			conn_link_failed(l->c, in != NULL && len > 0 ?
			    (const char *)in : "");
		r->failed = true;
		return 0;
	}
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
		unsigned char **p = in, *end = *p + len;
		if (l->bearer != NULL && add_header(wsi,
		    WSI_TOKEN_HTTP_AUTHORIZATION, l->bearer, p, end))
			return -1;
		if (r->kind == HR_EVENTS &&
		    add_header(wsi, WSI_TOKEN_HTTP_ACCEPT, "text/event-stream", p, end))
			return -1;
		if (r->body != NULL) {
			char n[24];
			snprintf(n, sizeof n, "%zu", r->blen);
			if (add_header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
			    "application/json", p, end) ||
			    add_header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, n, p, end))
				return -1;
			lws_client_http_body_pending(wsi, 1);
			lws_callback_on_writable(wsi);
		}
		/* lws arms its answer timeout once the head is out: a held
		 * poll needs longer */
		lws_sul_schedule(r->ctx, 0, &r->hold, on_hold, 1000);
		break;
	}
	case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
		if (r->body == NULL || r->sent)
			break;
		r->sent = true;
		if (lws_write(wsi, r->body + LWS_PRE, r->blen, LWS_WRITE_HTTP_FINAL)
		    != (int)r->blen)
			return -1;
		lws_client_http_body_pending(wsi, 0);
		lws_sul_schedule(r->ctx, 0, &r->hold, on_hold, 1000);
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		on_head(l, r, wsi);
		break;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
		char buf[LWS_PRE + 4096];
		char *px = buf + LWS_PRE;
		int n = (int)sizeof buf - LWS_PRE;
		return lws_http_client_read(wsi, &px, &n) < 0 ? -1 : 0;
	}
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		return on_body(l, r, in, len);
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
		lws_set_wsi_user(wsi, NULL);
		r->w.wsi = NULL;
		on_complete(l, r);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		lws_set_wsi_user(wsi, NULL);
		r->w.wsi = NULL;
		enum fb_outcome o = conn_link_failed(l->c, in != NULL && len > 0 ?
		    (const char *)in : "");
		if (r->kind == HR_POLL)
			poll_failed(l, r, o);
		else {
			bool send = r->kind == HR_SEND;
			http_req_done(l, r);
			conn_link_ended(l->c, send ? FB_LOST : o, NULL, NULL);
		}
		break;
	}
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
	case LWS_CALLBACK_WSI_DESTROY:
		lws_set_wsi_user(wsi, NULL);
		r->w.wsi = NULL;
		if (r->kind == HR_EVENTS && r->answered)
			stream_end(l, r);
		else if (r->kind == HR_POLL)
			poll_failed(l, r, FB_UNREACHABLE);
		else {
			bool send = r->kind == HR_SEND;
			const char *route = route_of(r);
			http_req_done(l, r);
			http_end(l, send ? FB_LOST : FB_UNREACHABLE,
			    "%s:%d closed the connection before it answered %s",
			    l->t.host, l->t.port, route);
		}
		break;
	default:
		break;
	}
	return 0;
}

/* ---- the transports -------------------------------------------------------- */

static struct link *
http_open(struct conn *c, const struct link_target *t, enum transport tr)
{
	struct link *l = xcalloc(1, sizeof *l);
	l->tr = tr;
	l->c = c;
	l->t = *t;
	sse_init(&l->sse, CONN_MAX_FRAME);
	/* Nothing to dial before the core's first frame says who signs in. */
	conn_link_opened(c);
	return l;
}

static struct link *sse_open(struct conn *c, const struct link_target *t)
{
	return http_open(c, t, TRANSPORT_SSE);
}

static struct link *poll_open(struct conn *c, const struct link_target *t)
{
	return http_open(c, t, TRANSPORT_POLL);
}

static void
free_link(struct link *l)
{
	if (l->bearer != NULL)
		explicit_bzero(l->bearer, strlen(l->bearer));
	free(l->bearer);
	free(l->session);
	free(l->cursor);
	while (l->qhead != NULL) {
		struct qframe *q = l->qhead;
		l->qhead = q->next;
		free(q);
	}
	sse_free(&l->sse);
	free(l);
}

/* A frame handed to the conn may close the link (the core stops the
 * conn): then it is freed once the loop that handed it is out. */
static void
http_close(struct link *l)
{
	lws_sul_cancel(&l->later);
	req_free(l->stream);
	req_free(l->send);
	req_free(l->signin);
	l->stream = l->send = l->signin = NULL;
	if (l->busy > 0)
		l->dead = true;
	else
		free_link(l);
}

const struct link_ops link_sse = {
	.name = "sse", .open = sse_open, .send = http_send, .close = http_close,
};

const struct link_ops link_poll = {
	.name = "poll", .open = poll_open, .send = http_send, .close = http_close,
};
