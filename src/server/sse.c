/*
 * sse: the Server-Sent Events transport (hsess.h). GET /events answers
 * 200 text/event-stream and keeps the response open: first a session
 * event (the key POST /send names) with retry: advice, then one event per
 * frame of the session, its JSON as the data: line, exactly the frames a
 * WebSocket would carry. An event after which the stream's position moved
 * carries it as its id: (spos.h); a reconnecting EventSource sends the
 * last one as Last-Event-ID and its new session resumes there. Comments
 * keep proxies and clients from taking a quiet stream for a dead one. The
 * session's close is an event (code and reason), then the connection
 * closes.
 *
 * The response is written as the socket takes it: events are gathered a
 * batch at a time from the session's queue, so the queue's budgets hold
 * as they do for a WebSocket.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "server/hsess.h"
#include "server/http1.h"

#define SSE_RETRY_MS 2000
#define SSE_BATCH (64 * 1024)  /* events gathered before a write */
#define SSE_CHUNK (256 * 1024) /* most handed to lws at once */
#define SSE_CLOSE_WAIT_S 5

static void
sse_wake(struct session *s)
{
	struct hsess *h = s->tx_data;
	if (h->conn != NULL && !s->srv->destroying)
		lws_callback_on_writable(h->conn->wsi);
}

/* The close event goes out as soon as the socket takes it; a client that
 * does not read is cut a few seconds later, as a WebSocket one is. */
static void
sse_closing(struct session *s)
{
	struct hsess *h = s->tx_data;
	if (h->conn != NULL && !s->srv->destroying)
		conn_hold(h->conn, SSE_CLOSE_WAIT_S);
	sse_wake(s);
}

static void
sse_unblock(struct session *s)
{
	hsess_later(s->tx_data);
}

static void
hs_peer(struct session *s, char *out, size_t cap)
{
	struct hsess *h = s->tx_data;
	g_strlcpy(out, h->addr, cap);
}

const struct session_transport hsess_sse_transport = {
	"sse", sse_wake, sse_closing, sse_unblock, hs_peer, hsess_stream_gone,
};

static void
tick_cb(lws_sorted_usec_list_t *sul)
{
	struct hsess *h = lws_container_of(sul, struct hsess, tick_sul);
	h->hb_due = true;
	sse_wake(h->s);
	lws_sul_schedule(h->srv->ctx, 0, &h->tick_sul, tick_cb,
	    h->srv->cfg.heartbeat_ms * LWS_US_PER_MS);
}

/* One frame as an event: its data, and the position when it moved. */
static void
append_event(struct hsess *h, const char *json, size_t n)
{
	GString *w = h->wbuf;
	bool moved = spos_advance(&h->pos, json, n);
	g_string_append(w, "data: ");
	/* encoded frames hold no line break; one would end the data line */
	for (size_t i = 0; i < n; i++) {
		if (json[i] == '\n' || json[i] == '\r')
			g_string_append(w, "\ndata: ");
		else
			g_string_append_c(w, json[i]);
	}
	g_string_append_c(w, '\n');
	/* a room left leaves the position too: the session's rooms count */
	guint nsubs = g_hash_table_size(h->s->subs);
	if (!moved && h->last_id != NULL && nsubs == h->last_nsubs) {
		g_string_append_c(w, '\n');
		return;
	}
	h->last_nsubs = nsubs;
	char *id = spos_format(&h->pos, h->s->subs);
	if (h->last_id == NULL || strcmp(id, h->last_id) != 0) {
		g_string_append_printf(w, "id: %s\n", id);
		g_free(h->last_id);
		h->last_id = id;
	} else {
		g_free(id);
	}
	g_string_append_c(w, '\n');
}

static void
append_close(struct hsess *h)
{
	struct session *s = h->s;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "code", s->close_code);
	cJSON_AddStringToObject(o, "reason",
	    s->close_reason ? s->close_reason : "");
	char *text = cJSON_PrintUnformatted(o);
	g_string_append_printf(h->wbuf, "event: close\ndata: %s\n\n", text);
	cJSON_free(text);
	cJSON_Delete(o);
	h->close_written = true;
}

/* Fills the write buffer from the queue, a batch at most. */
static void
gather(struct hsess *h)
{
	struct session *s = h->s;
	while (h->wbuf->len < SSE_BATCH && !h->close_written) {
		enum session_take t = session_take(s, h->part);
		if (t == SESSION_LATER) {
			hsess_later(h); /* the turn's time is spent */
			break;
		}
		if (t != SESSION_TAKEN)
			break;
		append_event(h, h->part->str, h->part->len);
		hsess_shrink(&h->part, HSESS_KEEP_BUSY);
	}
	if (h->hb_due && !h->close_written) {
		g_string_append(h->wbuf, ": heartbeat\n\n");
		h->hb_due = false;
	}
	if (s->dead && !h->close_written && (s->closing != CLOSING_GRACEFUL ||
	    g_queue_is_empty(&s->out)))
		append_close(h);
}

int
hsess_stream_writeable(struct session *s)
{
	struct hsess *h = s->tx_data;
	struct conn *c = h->conn;
	if (lws_partial_buffered(c->wsi)) {
		/* lws reads nothing while it holds output: do not spin on input */
		conn_rx_pause(c, CONN_RX_OUTPUT, true);
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	conn_rx_pause(c, CONN_RX_OUTPUT, false);
	if (h->woff == h->wbuf->len) {
		hsess_shrink(&h->wbuf, HSESS_KEEP_BUSY);
		h->woff = 0;
		gather(h);
	}
	if (h->woff < h->wbuf->len) {
		size_t n = h->wbuf->len - h->woff;
		if (n > SSE_CHUNK)
			n = SSE_CHUNK;
		if (lws_write(c->wsi, (unsigned char *)h->wbuf->str + h->woff, n,
		    LWS_WRITE_RAW) < 0)
			return -1;
		h->woff += n;
	}
	if (h->woff == h->wbuf->len && h->close_written)
		return 1;
	if (h->woff == h->wbuf->len && g_queue_is_empty(&s->out) &&
	    h->part->len == 0) {
		/* all written: an idle stream keeps no buffers to speak of */
		hsess_shrink(&h->wbuf, HSESS_KEEP_IDLE);
		hsess_shrink(&h->part, HSESS_KEEP_IDLE);
		h->woff = 0;
	}
	if (s->replaying && !s->dead && s->out_bytes < SESSION_LOW_WATER(s->srv))
		hub_session_drained(s->srv, s);
	if (h->woff < h->wbuf->len || !g_queue_is_empty(&s->out) || h->hb_due ||
	    (s->dead && !h->close_written))
		lws_callback_on_writable(c->wsi);
	return 0;
}

void
hsess_stream_gone(struct session *s)
{
	struct hsess *h = s->tx_data;
	h->conn = NULL;
	hsess_free(h);
}

/* The client must take an event stream (Accept absent or naming it). */
static bool
accepts_events(const char *accept)
{
	return accept[0] == '\0' || strstr(accept, "text/event-stream") != NULL ||
	    strstr(accept, "*/*") != NULL || strstr(accept, "text/*") != NULL;
}

static void
write_head(struct hsess *h)
{
	char date[64];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	g_string_append_printf(h->wbuf, "HTTP/1.1 200 OK\r\nDate: %s\r\n"
	    "Content-Type: text/event-stream; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\n"
	    "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
	    "retry: %d\nevent: session\ndata: {\"session\":\"%s\","
	    "\"transport\":\"sse\",\"heartbeat_ms\":%lld}\n\n", date, SSE_RETRY_MS,
	    h->key, (long long)h->srv->cfg.heartbeat_ms);
}

bool
sse_route(struct server *srv, const struct http_call *call,
    struct http_answer *a)
{
	if (!accepts_events(call->req->accept)) {
		hsess_json_error(a, 406, "bad_request", "/events is a "
		    "text/event-stream");
		return true;
	}
	struct hsess *h = hsess_open(srv, call, HSESS_SSE, a);
	if (h == NULL)
		return true;
	struct conn *c = call->conn;
	h->conn = c;
	h->wbuf = g_string_new(NULL);
	c->s = h->s;
	c->state = CONN_STREAM;
	conn_hold(c, 0);
	write_head(h);
	lws_sul_schedule(srv->ctx, 0, &h->tick_sul, tick_cb,
	    srv->cfg.heartbeat_ms * LWS_US_PER_MS);
	hsess_pump(h);
	lws_callback_on_writable(c->wsi);
	return false;
}
