/*
 * ws: a confabd session's queue, budgets and close, whatever carries it
 * (struct session_transport: session_new, session_send, session_take for
 * the transports that send whole frames), and the WebSocket transport
 * (RFC 6455 over the raw connection of conn.c). Reads the client's frames with wsframe.c,
 * assembles messages (bounded by max_frame before the bytes are buffered)
 * for hub_frame, answers pings and closes, and drains the session's
 * outgoing queue as the socket takes it.
 *
 * Outgoing frames are refcounted buffers with LWS_PRE headroom: a frame
 * for a room is encoded once and queued on every subscriber; its header
 * (the same for every session) is written into the headroom. Small frames
 * go several to a send(); a big one goes in pieces of at most CHUNK_MAX, so
 * lws never copies more than that of what the socket did not take. A queue
 * item may also be a stream (struct ostream), an answer produced piece by
 * piece and sent as the fragments of one message, only as fast as the
 * socket drains.
 *
 * Budgets: a session whose queue would pass --max-queue is dropped with
 * 4002, and when every session's queue together passes --max-queue-total
 * the biggest queues are dropped with 4002 until it fits. A dropped session
 * keeps only the rest of a frame already half written and its close frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "model/xmalloc.h"
#include "server/conn.h"
#include "server/server.h"

#define BATCH_MAX (16 * 1024)
#define CHUNK_MAX (256 * 1024)
#define CLOSE_WAIT_S 3

int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void *
xalloc(size_t n)
{
	void *p = malloc(n);
	if (p == NULL) {
		fprintf(stderr, "confabd: out of memory (%zu bytes)\n", n);
		abort();
	}
	return p;
}

struct outbuf *
outbuf_new(const char *payload, size_t len)
{
	struct outbuf *b = xalloc(sizeof *b + LWS_PRE + len);
	b->refs = 1;
	b->len = len;
	b->stream = NULL;
	memcpy(b->data + LWS_PRE, payload, len);
	return b;
}

void
outbuf_unref(struct outbuf *b)
{
	if (b == NULL || --b->refs > 0)
		return;
	if (b->stream != NULL)
		b->stream->free(b->stream);
	free(b);
}

/* ---- the queue and its budgets ------------------------------------------- */

static size_t
item_bytes(const struct outbuf *b)
{
	return b->stream ? b->stream->held : b->len;
}

void
session_account(struct session *s, size_t add, size_t sub)
{
	s->out_bytes += add;
	s->out_bytes -= sub;
	s->srv->queued += add;
	s->srv->queued -= sub;
}

#define account session_account

/* Empties the queue but for the rest of a frame already half written (a
 * frame cannot be cut; a stream between fragments can: a close frame may
 * come between them). */
static void
drop_queue(struct session *s)
{
	struct outbuf *keep = NULL;
	if (s->head_sent > 0)
		keep = g_queue_pop_head(&s->out);
	struct outbuf *b;
	while ((b = g_queue_pop_head(&s->out)) != NULL) {
		account(s, 0, item_bytes(b));
		outbuf_unref(b);
	}
	s->streaming = false;
	if (keep != NULL)
		g_queue_push_head(&s->out, keep);
}

static void
reap_cb(lws_sorted_usec_list_t *sul)
{
	struct server *srv = lws_container_of(sul, struct server, reap_sul);
	for (guint i = 0; i < srv->reap->len; i++) {
		uint64_t id = g_array_index(srv->reap, uint64_t, i);
		struct session *s = g_hash_table_lookup(srv->sessions,
		    GSIZE_TO_POINTER(id));
		if (s == NULL || s->detached)
			continue;
		s->detached = true;
		hub_session_closed(srv, s);
		g_hash_table_remove(srv->sessions, GSIZE_TO_POINTER(id));
	}
	g_array_set_size(srv->reap, 0);
}

/* Starts a close: the frame goes out once the queue allows (graceful) or
 * at once (drop, fail). */
static void
begin_close(struct session *s, enum session_closing how, int code,
    const char *reason)
{
	if (s->closing != CLOSING_NO && how <= s->closing)
		return;
	if (s->close_sent) {
		s->tx->closing(s); /* ours is out already */
		return;
	}
	s->closing = how;
	s->dead = true;
	s->close_code = code;
	free(s->close_reason);
	s->close_reason = xstrndup(reason ? reason : "", 63);
	if (how != CLOSING_GRACEFUL) {
		drop_queue(s);
		/* the hub lets go of it soon, not from inside a fan-out */
		struct server *srv = s->srv;
		g_array_append_val(srv->reap, s->id);
		lws_sul_schedule(srv->ctx, 0, &srv->reap_sul, reap_cb, 0);
	}
	s->tx->closing(s);
}

void
session_close(struct session *s, int code, const char *reason)
{
	lwsl_info("session %s: closing %d (%s)\n", s->sid, code, reason);
	begin_close(s, CLOSING_GRACEFUL, code, reason);
}

void
session_drop(struct session *s, int code, const char *reason)
{
	lwsl_notice("session %s: dropped with %d (%s)\n", s->sid, code, reason);
	begin_close(s, CLOSING_DROP, code, reason);
}

static void
session_fail(struct session *s, int code, const char *reason)
{
	lwsl_info("session %s: protocol close %d (%s)\n", s->sid, code, reason);
	begin_close(s, CLOSING_FAIL, code, reason);
}

/* Drops the biggest queues until every session's together fit. */
static void
enforce_total(struct server *srv)
{
	while (srv->queued > srv->cfg.max_queue_total) {
		struct session *big = NULL;
		GHashTableIter it;
		gpointer v;
		g_hash_table_iter_init(&it, srv->sessions);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			struct session *o = v;
			if (!o->dead && (big == NULL || o->out_bytes > big->out_bytes))
				big = o;
		}
		if (big == NULL || big->out_bytes == 0)
			return;
		srv->m.budget_disconnects++;
		srv->m.slow_disconnects++;
		lwsl_notice("session %s: %zu bytes queued while all sessions hold "
		    "%zu (over %zu)\n", big->sid, big->out_bytes, srv->queued,
		    srv->cfg.max_queue_total);
		session_drop(big, 4002, "too slow: the server's queues are full");
	}
}

static void
enqueue(struct session *s, struct outbuf *b)
{
	size_t n = item_bytes(b);
	/* One frame bigger than the bound still goes to an empty queue: a
	 * client that reads is never dropped for the size of one answer. */
	if (s->out_bytes > 0 && s->out_bytes + n > s->srv->cfg.max_queue) {
		s->srv->m.slow_disconnects++;
		lwsl_notice("session %s: outgoing queue over %zu bytes\n", s->sid,
		    s->srv->cfg.max_queue);
		outbuf_unref(b);
		session_drop(s, 4002, "too slow: the outgoing queue is full");
		return;
	}
	g_queue_push_tail(&s->out, b);
	account(s, n, 0);
	session_wake(s);
	if (s->srv->queued > s->srv->cfg.max_queue_total)
		enforce_total(s->srv);
}

void
session_send(struct session *s, struct outbuf *b)
{
	if (s->dead || b == NULL || s->srv->destroying)
		return;
	b->refs++;
	enqueue(s, b);
}

void
session_send_stream(struct session *s, struct ostream *o)
{
	if (s->dead || s->srv->destroying) {
		o->free(o);
		return;
	}
	struct outbuf *b = xalloc(sizeof *b + LWS_PRE);
	b->refs = 1;
	b->len = 0;
	b->stream = o;
	enqueue(s, b);
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
session_unblock(struct session *s)
{
	if (!s->blocked)
		return;
	s->blocked = false;
	s->tx->unblock(s);
}

enum session_take
session_take(struct session *s, GString *out)
{
	struct outbuf *b = g_queue_peek_head(&s->out);
	if (b == NULL)
		return SESSION_EMPTY;
	if (b->stream == NULL) {
		g_string_append_len(out, (const char *)b->data + LWS_PRE,
		    (gssize)b->len);
		g_queue_pop_head(&s->out);
		account(s, 0, b->len);
		outbuf_unref(b);
		s->srv->m.frames_out++;
		return SESSION_TAKEN;
	}
	while (hub_work_left(s->srv)) {
		size_t held = b->stream->held;
		enum ostream_step st = b->stream->next(b->stream, s->srv, out);
		account(s, b->stream->held, held);
		if (st == OS_FAIL) {
			session_fail(s, 1011, "internal error while answering");
			return SESSION_FAILED;
		}
		if (st == OS_DONE) {
			g_queue_pop_head(&s->out);
			account(s, 0, b->stream->held);
			outbuf_unref(b);
			s->srv->m.frames_out++;
			return SESSION_TAKEN;
		}
	}
	return SESSION_LATER;
}

/* ---- reading ------------------------------------------------------------- */

struct session *
session_new(struct server *srv, const struct session_transport *tx,
    void *tx_data, int64_t opened)
{
	struct session *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->id = ++srv->next_session;
	snprintf(s->sid, sizeof s->sid, "s%llx", (unsigned long long)s->id);
	s->tx = tx;
	s->tx_data = tx_data;
	s->srv = srv;
	s->subs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_queue_init(&s->out);
	wsf_init(&s->dec);
	s->last_rx = now_ms();
	s->opened = opened;
	ratelimit_init(&s->rl, srv->cfg.rate, srv->cfg.burst, s->last_rx);
	g_hash_table_insert(srv->sessions, GSIZE_TO_POINTER(s->id), s);
	hub_session_open(srv, s);
	return s;
}

/* ---- the WebSocket transport --------------------------------------------- */

static void
ws_wake(struct session *s)
{
	lws_callback_on_writable(s->wsi);
}

static void
ws_closing(struct session *s)
{
	if (s->close_sent) {
		/* nothing else is owed to the peer */
		lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		return;
	}
	if (!s->srv->destroying) {
		lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_REASON_BASE + 3,
		    CLOSE_WAIT_S + 2);
		lws_callback_on_writable(s->wsi);
	}
}

static void
ws_unblock(struct session *s)
{
	if (s->conn != NULL) {
		conn_rx_pause(s->conn, CONN_RX_BLOCKED, false);
		conn_kick(s->conn);
	}
}

static void
ws_peer(struct session *s, char *out, size_t cap)
{
	out[0] = '\0';
	lws_get_peer_simple(s->wsi, out, cap);
}

static const struct session_transport ws_transport = {
	"ws", ws_wake, ws_closing, ws_unblock, ws_peer, ws_session_gone,
};

struct session *
ws_session_open(struct server *srv, struct conn *c)
{
	struct session *s = session_new(srv, &ws_transport, NULL, c->accepted);
	if (s == NULL)
		return NULL;
	s->wsi = c->wsi;
	s->conn = c;
	return s;
}

void
ws_session_gone(struct session *s)
{
	session_free(s);
}

void
session_free(struct session *s)
{
	struct server *srv = s->srv;
	if (!s->detached) {
		hub_session_closed(srv, s);
		g_hash_table_remove(srv->sessions, GSIZE_TO_POINTER(s->id));
	}
	struct outbuf *b;
	while ((b = g_queue_pop_head(&s->out)) != NULL) {
		account(s, 0, item_bytes(b));
		outbuf_unref(b);
	}
	g_hash_table_destroy(s->subs);
	free(s->rx);
	free(s->pong);
	free(s->close_reason);
	session_forget_token(s);
	free(s);
}

void
session_forget_token(struct session *s)
{
	if (s->token == NULL)
		return;
	sodium_memzero(s->token, strlen(s->token));
	free(s->token);
	s->token = NULL;
}

/* Appends a slice of the message being assembled; false when the message
 * would pass the limit (counting what its frame still announces). */
static bool
rx_append(struct session *s, const struct wsf_event *ev)
{
	size_t limit = s->srv->cfg.max_frame;
	if (ev->frame_left > limit || s->rx_len + ev->len + ev->frame_left > limit)
		return false;
	if (s->rx_len + ev->len > s->rx_cap) {
		size_t cap = s->rx_cap ? s->rx_cap : 1024;
		while (cap < s->rx_len + ev->len)
			cap *= 2;
		char *g = realloc(s->rx, cap);
		if (g == NULL)
			return false;
		s->rx = g;
		s->rx_cap = cap;
	}
	if (ev->len > 0)
		memcpy(s->rx + s->rx_len, ev->data, ev->len);
	s->rx_len += ev->len;
	return true;
}

/* A whole message, from lws's buffer (buf) or assembled in s->rx (buf
 * NULL), which goes once it is handled: an idle session holds none. */
static void
on_message(struct session *s, const char *buf, size_t n)
{
	struct server *srv = s->srv;
	char *rx = NULL;
	if (buf == NULL) {
		rx = s->rx;
		buf = rx;
		n = s->rx_len;
		s->rx = NULL;
		s->rx_len = s->rx_cap = 0;
	}
	if (s->rx_binary) {
		srv->m.frames_in++;
		s->last_rx = now_ms();
		session_send_error(s, PE_UNSUPPORTED_FRAME, NULL, NULL,
		    "binary frames are not part of confab.v1");
	} else {
		hub_frame(srv, s, buf, n);
	}
	free(rx);
}

/* -1 when the connection is to close now. */
static int
on_data(struct session *s, const struct wsf_event *ev)
{
	if (s->dead)
		return 0; /* closing: only the peer's close matters now */
	if (ev->first) {
		s->rx_len = 0;
		s->rx_binary = ev->binary;
		if (ev->last && ev->len <= s->srv->cfg.max_frame) {
			/* the usual case: a whole message in one slice */
			on_message(s, (const char *)ev->data, ev->len);
			return 0;
		}
	}
	if (!rx_append(s, ev)) {
		s->srv->m.errors[PE_TOO_LARGE]++;
		lwsl_notice("session %s: frame over %zu bytes, closing 1009\n",
		    s->sid, s->srv->cfg.max_frame);
		session_fail(s, 1009, "too_large");
		return 0;
	}
	if (ev->last)
		on_message(s, NULL, 0);
	return 0;
}

static int
on_control(struct session *s, const struct wsf_event *ev)
{
	if (ev->op == WSF_PING && !s->dead) {
		/* held only until it is answered: idle sessions keep none */
		if (s->pong == NULL)
			s->pong = xmalloc(WSF_CONTROL_MAX);
		memcpy(s->pong, ev->data, ev->len);
		s->pong_len = ev->len;
		s->pong_due = true;
		lws_callback_on_writable(s->wsi);
	} else if (ev->op == WSF_CLOSE) {
		unsigned code, bad = wsf_close_check(ev->data, ev->len, &code);
		s->peer_closed = true;
		if (s->close_sent)
			return -1; /* the answer to ours: done */
		if (bad) {
			s->srv->m.protocol_errors++;
			session_fail(s, (int)bad, bad == 1007 ? "close reason is not UTF-8"
			    : "bad close frame");
		} else {
			/* echo the peer's code, as RFC 6455 5.5.1 asks */
			session_fail(s, code == 1005 ? 1000 : (int)code, "");
		}
	}
	return 0;
}

int
ws_session_rx(struct session *s, unsigned char *buf, size_t len)
{
	size_t at = 0;
	while (at < len && !s->blocked && !(s->dead && s->closing == CLOSING_FAIL)) {
		struct wsf_event ev;
		at += wsf_decode(&s->dec, buf + at, len - at, &ev);
		int rc = 0;
		switch (ev.kind) {
		case WSF_NEED_MORE:
			break;
		case WSF_DATA:
			rc = on_data(s, &ev);
			break;
		case WSF_CONTROL:
			rc = on_control(s, &ev);
			break;
		case WSF_ERROR:
			s->srv->m.protocol_errors++;
			lwsl_notice("session %s: %s, closing %u\n", s->sid, ev.why, ev.code);
			session_fail(s, (int)ev.code, ev.why);
			return (int)len; /* the rest cannot be read */
		}
		if (rc < 0)
			return -1;
	}
	if (s->dead && s->closing == CLOSING_FAIL)
		return (int)len;
	return (int)at;
}

/* ---- writing ------------------------------------------------------------- */

static int
write_raw(struct session *s, unsigned char *p, size_t n)
{
	return lws_write(s->wsi, p, n, LWS_WRITE_RAW) < 0 ? -1 : 0;
}

static int
write_control(struct session *s, enum wsf_op op, const unsigned char *p,
    size_t n)
{
	unsigned char f[WSF_HEADER_MAX + WSF_CONTROL_MAX];
	size_t h = wsf_header(f, op, true, n);
	memcpy(f + h, p, n);
	return write_raw(s, f, h + n);
}

static int
write_close(struct session *s)
{
	unsigned char p[2 + 64];
	size_t rl = s->close_reason ? strlen(s->close_reason) : 0;
	if (rl > sizeof p - 2)
		rl = sizeof p - 2;
	p[0] = (unsigned char)(s->close_code >> 8);
	p[1] = (unsigned char)s->close_code;
	memcpy(p + 2, s->close_reason, rl);
	s->close_sent = true;
	if (s->close_code == 4002)
		lwsl_info("session %s: 4002 sent\n", s->sid);
	return write_control(s, WSF_CLOSE, p, 2 + rl);
}

/* Small whole frames, as many as fit, in one send. */
static int
write_batch(struct session *s)
{
	static unsigned char batch[BATCH_MAX];
	size_t used = 0;
	struct outbuf *b;
	while ((b = g_queue_peek_head(&s->out)) != NULL && b->stream == NULL &&
	    used + WSF_HEADER_MAX + b->len <= BATCH_MAX) {
		used += wsf_header(batch + used, WSF_TEXT, true, b->len);
		memcpy(batch + used, b->data + LWS_PRE, b->len);
		used += b->len;
		g_queue_pop_head(&s->out);
		account(s, 0, b->len);
		outbuf_unref(b);
		s->srv->m.frames_out++;
	}
	return write_raw(s, batch, used);
}

/* The next piece of a big frame; its header rides in the headroom. */
static int
write_chunk(struct session *s, struct outbuf *b)
{
	unsigned char *p = b->data + LWS_PRE + s->head_sent;
	size_t n = b->len - s->head_sent, h = 0;
	if (n > CHUNK_MAX)
		n = CHUNK_MAX;
	if (s->head_sent == 0) {
		unsigned char hdr[WSF_HEADER_MAX];
		h = wsf_header(hdr, WSF_TEXT, true, b->len);
		p -= h;
		memcpy(p, hdr, h);
	}
	s->head_sent += n;
	account(s, 0, n);
	if (s->head_sent == b->len) {
		g_queue_pop_head(&s->out);
		s->head_sent = 0;
		s->srv->m.frames_out++;
		int rc = write_raw(s, p, h + n);
		outbuf_unref(b);
		return rc;
	}
	return write_raw(s, p, h + n);
}

/* The next fragment of a stream. */
static int
write_stream(struct session *s, struct outbuf *b)
{
	static GString *piece;
	if (piece == NULL)
		piece = g_string_sized_new(LWS_PRE + OSTREAM_PIECE * 2);
	g_string_set_size(piece, LWS_PRE);
	size_t held = b->stream->held;
	enum ostream_step st = b->stream->next(b->stream, s->srv, piece);
	/* what it holds may have changed as it went */
	account(s, b->stream->held, held);
	if (st == OS_FAIL) {
		session_fail(s, 1011, "internal error while answering");
		return 0;
	}
	size_t n = piece->len - LWS_PRE;
	unsigned char hdr[WSF_HEADER_MAX];
	size_t h = wsf_header(hdr, s->streaming ? WSF_CONT : WSF_TEXT,
	    st == OS_DONE, n);
	unsigned char *p = (unsigned char *)piece->str + LWS_PRE - h;
	memcpy(p, hdr, h);
	s->streaming = st != OS_DONE;
	if (st == OS_DONE) {
		g_queue_pop_head(&s->out);
		account(s, 0, b->stream->held);
		outbuf_unref(b);
		s->srv->m.frames_out++;
	}
	return write_raw(s, p, h + n);
}

static int
write_queue(struct session *s)
{
	struct outbuf *b = g_queue_peek_head(&s->out);
	if (b->stream != NULL) {
		if (!hub_work_left(s->srv))
			return 0; /* the turn's time is spent: the next one */
		return write_stream(s, b);
	}
	if (s->head_sent == 0 && b->len + WSF_HEADER_MAX <= BATCH_MAX)
		return write_batch(s);
	return write_chunk(s, b);
}

/* One write per call: a pong or the close between frames, else the queue. */
static int
write_next(struct session *s)
{
	bool between = s->head_sent == 0;
	if (between && s->pong_due) {
		s->pong_due = false;
		int rc = write_control(s, WSF_PONG, s->pong, s->pong_len);
		free(s->pong);
		s->pong = NULL;
		return rc;
	}
	bool close_now = s->closing != CLOSING_NO && !s->close_sent && between &&
	    (s->closing != CLOSING_GRACEFUL || g_queue_is_empty(&s->out));
	if (close_now) {
		if (write_close(s) != 0)
			return -1;
		if (s->closing == CLOSING_FAIL || s->peer_closed)
			return 1; /* nothing is owed either way: linger, then close */
		lws_set_timeout(s->wsi, PENDING_TIMEOUT_USER_REASON_BASE + 4,
		    CLOSE_WAIT_S);
		return 0;
	}
	if (s->close_sent || g_queue_is_empty(&s->out))
		return 0;
	return write_queue(s);
}

int
ws_session_writeable(struct session *s)
{
	struct server *srv = s->srv;
	int rc = write_next(s);
	if (rc != 0)
		return rc;
	conn_rx_pause(s->conn, CONN_RX_OUTPUT, lws_partial_buffered(s->wsi));
	if (s->replaying && !s->dead && s->out_bytes < SESSION_LOW_WATER(srv))
		hub_session_drained(srv, s);
	if (!g_queue_is_empty(&s->out) || s->pong_due ||
	    (s->closing != CLOSING_NO && !s->close_sent))
		lws_callback_on_writable(s->wsi);
	return 0;
}
