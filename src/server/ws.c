/*
 * ws: the libwebsockets side of confabd. Turns connections into sessions,
 * assembles frames (bounded by max_frame before the bytes are buffered),
 * and drains each session's outgoing queue, one lws_write per WRITEABLE.
 *
 * Outgoing frames are refcounted buffers with LWS_PRE headroom: a frame for
 * a room is encoded once and queued on every subscriber. lws writes the
 * (unmasked, identical) frame header into the headroom on each send, which
 * is why the server, unlike a client, may share a buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/server.h"

int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct outbuf *
outbuf_new(const char *payload, size_t len)
{
	struct outbuf *b = malloc(sizeof *b + LWS_PRE + len);
	if (b == NULL)
		return NULL;
	b->refs = 1;
	b->len = len;
	memcpy(b->data + LWS_PRE, payload, len);
	return b;
}

void
outbuf_unref(struct outbuf *b)
{
	if (b != NULL && --b->refs == 0)
		free(b);
}

void
session_send(struct session *s, struct outbuf *b)
{
	if (s->dead || b == NULL || s->srv->destroying)
		return;
	if (s->out_bytes + b->len > s->srv->cfg.max_queue) {
		/* The client stopped reading: cut it loose rather than hold
		 * memory or anyone else back. */
		s->srv->m.slow_disconnects++;
		s->dead = true;
		lwsl_notice("session %s: outgoing queue over %zu bytes, closing\n",
		    s->sid, s->srv->cfg.max_queue);
		lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		return;
	}
	b->refs++;
	g_queue_push_tail(&s->out, b);
	s->out_bytes += b->len;
	lws_callback_on_writable(s->wsi);
}

/* Queues an encoded frame for one session, taking ownership of json. */
static void
send_json(struct session *s, char *json)
{
	if (json == NULL)
		return;
	struct outbuf *b = outbuf_new(json, strlen(json));
	free(json);
	session_send(s, b);
	outbuf_unref(b);
}

void
session_send_frame(struct session *s, const struct proto_frame *f)
{
	char *json = proto_encode(f, PROTO_TO_CLIENT);
	if (json == NULL)
		lwsl_err("cannot encode a %s frame\n", proto_type_name(f->type));
	send_json(s, json);
}

void
session_send_error(struct session *s, enum proto_err code, const char *cid,
    const char *ref, const char *reason)
{
	s->srv->m.errors[code]++;
	send_json(s, proto_encode_error(code, cid, ref, reason));
}

void
session_close(struct session *s, int code, const char *reason)
{
	if (s->close_code != 0)
		return;
	s->close_code = code;
	lwsl_info("session %s: closing %d (%s)\n", s->sid, code, reason);
	lws_callback_on_writable(s->wsi);
}

static struct server *
server_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

static struct session *
session_new(struct server *srv, struct lws *wsi)
{
	struct session *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->id = ++srv->next_session;
	snprintf(s->sid, sizeof s->sid, "s%llx", (unsigned long long)s->id);
	s->wsi = wsi;
	s->srv = srv;
	s->subs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_queue_init(&s->out);
	s->last_rx = now_ms();
	ratelimit_init(&s->rl, srv->cfg.rate, srv->cfg.burst, s->last_rx);
	g_hash_table_insert(srv->sessions, GSIZE_TO_POINTER(s->id), s);
	return s;
}

static void
session_free(struct server *srv, struct session *s)
{
	g_hash_table_remove(srv->sessions, GSIZE_TO_POINTER(s->id));
	struct outbuf *b;
	while ((b = g_queue_pop_head(&s->out)) != NULL)
		outbuf_unref(b);
	g_hash_table_destroy(s->subs);
	free(s->rx);
	free(s);
}

/* Appends to the frame being assembled; false when it would pass the
 * limit (counting what the current frame still has to deliver). */
static bool
rx_append(struct session *s, const void *in, size_t len, size_t remaining)
{
	size_t limit = s->srv->cfg.max_frame;
	if (s->rx_len + len + remaining > limit)
		return false;
	if (s->rx_len + len > s->rx_cap) {
		size_t cap = s->rx_cap ? s->rx_cap : 1024;
		while (cap < s->rx_len + len)
			cap *= 2;
		char *g = realloc(s->rx, cap);
		if (g == NULL)
			return false;
		s->rx = g;
		s->rx_cap = cap;
	}
	memcpy(s->rx + s->rx_len, in, len);
	s->rx_len += len;
	return true;
}

static int
on_receive(struct server *srv, struct session *s, struct lws *wsi, void *in,
    size_t len)
{
	if (s->dead || s->close_code)
		return 0;
	if (lws_is_first_fragment(wsi)) {
		s->rx_len = 0;
		s->rx_binary = lws_frame_is_binary(wsi);
	}
	size_t remaining = lws_remaining_packet_payload(wsi);
	if (!rx_append(s, in, len, remaining)) {
		srv->m.errors[PE_TOO_LARGE]++;
		lwsl_notice("session %s: frame over %zu bytes, closing 1009\n",
		    s->sid, srv->cfg.max_frame);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		    (unsigned char *)"too_large", 9);
		return -1;
	}
	if (!lws_is_final_fragment(wsi) || remaining > 0)
		return 0;

	size_t n = s->rx_len;
	s->rx_len = 0;
	if (s->rx_binary) {
		srv->m.frames_in++;
		s->last_rx = now_ms();
		session_send_error(s, PE_UNSUPPORTED_FRAME, NULL, NULL,
		    "binary frames are not part of confab.v1");
		return 0;
	}
	hub_frame(srv, s, s->rx, n);
	return 0;
}

/*
 * Small frames are sent several to a send(): one system call and one TCP
 * segment per frame per session is what bounds a busy room's fan-out. The
 * WebSocket framing of the batch is written here (server frames are not
 * masked and deflate is never negotiated) and the batch goes out raw; a
 * frame too large for the batch goes alone through lws as usual.
 */
#define BATCH_MAX (16 * 1024)

static size_t
frame_header(unsigned char *p, size_t len)
{
	p[0] = 0x81; /* FIN, text */
	if (len < 126) {
		p[1] = (unsigned char)len;
		return 2;
	}
	p[1] = 126;
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	return 4;
}

static int
write_batch(struct server *srv, struct session *s, struct lws *wsi)
{
	static unsigned char batch[LWS_PRE + BATCH_MAX];
	unsigned char *p = batch + LWS_PRE;
	size_t used = 0;
	struct outbuf *b;
	while ((b = g_queue_peek_head(&s->out)) != NULL &&
	    used + 4 + b->len <= BATCH_MAX) {
		used += frame_header(p + used, b->len);
		memcpy(p + used, b->data + LWS_PRE, b->len);
		used += b->len;
		g_queue_pop_head(&s->out);
		s->out_bytes -= b->len;
		outbuf_unref(b);
		srv->m.frames_out++;
	}
	return lws_write(wsi, p, used, LWS_WRITE_RAW);
}

static int
on_writeable(struct server *srv, struct session *s, struct lws *wsi)
{
	struct outbuf *b = g_queue_peek_head(&s->out);
	if (b == NULL) {
		if (s->close_code) {
			lws_close_reason(wsi, (enum lws_close_status)s->close_code,
			    NULL, 0);
			return -1;
		}
		return 0;
	}
	int n;
	if (b->len + 4 > BATCH_MAX) {
		g_queue_pop_head(&s->out);
		s->out_bytes -= b->len;
		n = lws_write(wsi, b->data + LWS_PRE, b->len, LWS_WRITE_TEXT);
		outbuf_unref(b);
		srv->m.frames_out++;
	} else {
		n = write_batch(srv, s, wsi);
	}
	if (n < 0)
		return -1;
	if (s->replaying && s->out_bytes < srv->cfg.max_queue / 4)
		hub_session_drained(srv, s);
	if (!g_queue_is_empty(&s->out) || s->close_code)
		lws_callback_on_writable(wsi);
	return 0;
}

static int
callback_confab(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct server *srv = server_of(wsi);
	struct session **pss = user;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		if (srv->stopping)
			return -1;
		*pss = session_new(srv, wsi);
		if (*pss == NULL)
			return -1;
		hub_session_open(srv, *pss);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		return *pss ? on_receive(srv, *pss, wsi, in, len) : -1;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return *pss ? on_writeable(srv, *pss, wsi) : -1;
	case LWS_CALLBACK_CLOSED:
		if (*pss) {
			hub_session_closed(srv, *pss);
			session_free(srv, *pss);
			*pss = NULL;
		}
		return 0;
	default:
		return 0;
	}
}

struct http_pss {
	char *body;
	size_t len;
};

static int
callback_http(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct http_pss *h = user;
	(void)len;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		/* A WebSocket upgrade without our subprotocol lands here. */
		return -1;
	case LWS_CALLBACK_HTTP:
		return http_serve(server_of(wsi), wsi, in);
	case LWS_CALLBACK_HTTP_WRITEABLE: {
		if (h == NULL || h->body == NULL)
			return -1;
		int n = lws_write(wsi, (unsigned char *)h->body + LWS_PRE, h->len,
		    LWS_WRITE_HTTP_FINAL);
		free(h->body);
		h->body = NULL;
		if (n < 0)
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	case LWS_CALLBACK_CLOSED_HTTP:
		/* lws calls this with no user data for a request it refused
		 * while parsing (garbage on the socket) */
		if (h != NULL) {
			free(h->body);
			h->body = NULL;
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

int
http_respond(struct lws *wsi, unsigned status, const char *type, char *text)
{
	struct http_pss *h = lws_wsi_user(wsi);
	size_t len = strlen(text);
	if (h == NULL)
		return -1;
	unsigned char hdr[LWS_PRE + 512], *p = hdr + LWS_PRE, *end = hdr + sizeof hdr;

	h->body = malloc(LWS_PRE + len);
	if (h->body == NULL)
		return -1;
	memcpy(h->body + LWS_PRE, text, len);
	h->len = len;
	if (lws_add_http_common_headers(wsi, status, type, len, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
	        (unsigned char *)"no-store", 8, &p, end) ||
	    lws_finalize_write_http_header(wsi, hdr + LWS_PRE, &p, end))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

const struct lws_protocols server_protocols[] = {
	{"http", callback_http, sizeof(struct http_pss), 0, 0, NULL, 0},
	/* rx in 4 KiB pieces; tx up to 256 KiB per send() so a large frame
	 * is not cut into many poll rounds */
	{PROTO_SUBPROTOCOL, callback_confab, sizeof(struct session *), 4096, 0,
	    NULL, 256 * 1024},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};
