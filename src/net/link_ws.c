/*
 * link_ws: the WebSocket transport (link.h): RFC 6455 with subprotocol
 * confab.v1 on the URL's path; one JSON text frame a message.
 */
#include "net/link.h"

#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "net/conn.h"

#define SUBPROTOCOL "confab.v1"

/* A queued frame: LWS_PRE bytes of headroom, then the payload. The client's
 * lws_write masks in place, so every frame owns its buffer. */
struct frame {
	struct frame *next;
	size_t len;
	unsigned char buf[];
};

struct link {
	struct link_wsi w;
	bool probe;      /* only to see whether the upgrade passes */
	bool up;         /* established */
	bool dialling, done; /* a probe that ended inside its own dial */
	struct frame *out_head, *out_tail;
	char *rx;        /* the message being assembled */
	size_t rx_len, rx_cap;
	bool rx_partial; /* a message has started and not finished */
	int peer_close;  /* the close code the server sent, 0 if none */
	char host[80];
	int port;
};

void conn_probe_done(struct conn *c, bool ok);

static void
drop_queue(struct link *l)
{
	while (l->out_head != NULL) {
		struct frame *f = l->out_head;
		l->out_head = f->next;
		free(f);
	}
	l->out_tail = NULL;
}

/* lws reported the end of the wsi (from inside its callback): it is no
 * longer ours, and the conn hears how it went (then closes the link). */
static int
ended(struct link *l, struct lws *wsi, enum fb_outcome o, const char *why)
{
	lws_set_wsi_user(wsi, NULL);
	l->w.wsi = NULL;
	if (l->probe && l->dialling)
		l->done = true;
	else if (l->probe)
		conn_probe_done(l->w.c, false);
	else
		conn_link_ended(l->w.c, o, why, NULL);
	return 0;
}

/* Trap (lws 4.1.6): returning -1 from CLIENT_RECEIVE while more of the
 * frame sits in lws's rx buffer makes lws write past that buffer (seen
 * under valgrind with a frame larger than one rx chunk). So the connection
 * is let go instead: its later RECEIVEs reach no link and are accepted and
 * discarded, and lws closes it on its next turn. */
static int
drop_from_receive(struct link *l, const char *why)
{
	link_wsi_let_go(&l->w);
	conn_link_ended(l->w.c, FB_LOST, why, NULL);
	return 0;
}

/* One piece of a message: lws hands a frame over in chunks of its rx
 * buffer, and a message may be several frames. */
static int
on_receive(struct link *l, struct lws *wsi, const void *in, size_t len)
{
	if (!l->rx_partial)
		l->rx_len = 0;
	size_t rest = lws_remaining_packet_payload(wsi);
	/* Checked before copying, with what this frame still announces, so a
	 * huge frame is refused on its first chunk, not after 16 MiB of it. */
	if (len > CONN_MAX_FRAME || rest > CONN_MAX_FRAME - len
	    || l->rx_len > CONN_MAX_FRAME - len - rest) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, NULL, 0);
		return drop_from_receive(l, "a frame from the server is over "
		    "16777216 bytes");
	}
	if (l->rx_len + len + rest > l->rx_cap)
		xgrow(&l->rx, &l->rx_cap, l->rx_len + len + rest, 1);
	memcpy(l->rx + l->rx_len, in, len);
	l->rx_len += len;
	l->rx_partial = !lws_is_final_fragment(wsi);
	if (l->rx_partial) {
		conn_link_alive(l->w.c);
		return 0;
	}
	/* The protocol is text frames only; a binary one is not ours to show. */
	if (!lws_frame_is_binary(wsi))
		conn_link_frame(l->w.c, l->rx, l->rx_len);
	else
		conn_link_alive(l->w.c);
	return 0;
}

static int
on_writeable(struct link *l, struct lws *wsi)
{
	struct frame *f = l->out_head;
	if (f == NULL)
		return 0;
	/* One lws_write per WRITEABLE: a partial send is kept by lws, which
	 * holds WRITEABLE back until it has drained. */
	int n = lws_write(wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT);
	if (n < 0) {
		ended(l, wsi, FB_LOST, "write to the server failed");
		return -1;
	}
	l->out_head = f->next;
	if (l->out_head == NULL)
		l->out_tail = NULL;
	free(f);
	if (l->out_head != NULL)
		lws_callback_on_writable(wsi);
	return 0;
}

static int
ws_cb(struct link_wsi *w, struct lws *wsi, enum lws_callback_reasons reason,
    void *in, size_t len)
{
	struct link *l = (struct link *)w;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		l->up = true;
		if (l->probe) {
			conn_probe_done(w->c, true); /* closes it */
			return 0;
		}
		conn_link_opened(w->c);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return on_receive(l, wsi, in, len);
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		conn_link_alive(w->c);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return on_writeable(l, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2)
			l->peer_close = ((const unsigned char *)in)[0] << 8 |
			    ((const unsigned char *)in)[1];
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		const char *why = in != NULL && len > 0 ? (const char *)in : "";
		enum fb_outcome o = l->probe ? FB_REFUSED : conn_link_failed(w->c, why);
		return ended(l, wsi, o, NULL);
	}
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP: {
		/* The trap: the only report of an upgrade that never came. */
		char why[160];
		snprintf(why, sizeof why, "%s:%d took the connection but never "
		    "answered (is it confabd?)", l->host, l->port);
		return ended(l, wsi, FB_UNREACHABLE, why);
	}
	case LWS_CALLBACK_CLIENT_CLOSED: {
		char why[64] = "connection lost";
		if (l->peer_close != 0)
			snprintf(why, sizeof why, "closed by the server (code %d)",
			    l->peer_close);
		return ended(l, wsi, FB_LOST, why);
	}
	case LWS_CALLBACK_WSI_DESTROY:
		/* A last resort: whatever ended it was not reported above. */
		return ended(l, wsi, l->up ? FB_LOST : FB_UNREACHABLE,
		    "connection closed");
	default:
		break;
	}
	return 0;
}

static void ws_close(struct link *l);

static struct link *
open_ws(struct conn *c, const struct link_target *t, bool probe)
{
	struct link *l = xcalloc(1, sizeof *l);
	l->w.cb = ws_cb;
	l->w.c = c;
	l->probe = probe;
	snprintf(l->host, sizeof l->host, "%s", t->host);
	l->port = t->port;
	l->dialling = true;
	bool dialled = link_dial(&l->w, t, NULL, t->path, SUBPROTOCOL);
	l->dialling = false;
	if (probe && (l->done || !dialled)) {
		ws_close(l);
		conn_probe_done(c, false);
		return NULL;
	}
	if (!dialled && l->w.wsi == NULL) {
		char why[160];
		snprintf(why, sizeof why, "cannot connect to %s:%d", t->host, t->port);
		conn_link_ended(c, FB_UNREACHABLE, why, NULL);
	}
	return l;
}

static struct link *
ws_open(struct conn *c, const struct link_target *t)
{
	return open_ws(c, t, false);
}

struct link *link_ws_probe(struct conn *c, const struct link_target *t);

struct link *
link_ws_probe(struct conn *c, const struct link_target *t)
{
	return open_ws(c, t, true);
}

static bool
ws_send(struct link *l, const char *text, size_t len)
{
	if (l->w.wsi == NULL || !l->up)
		return false;
	struct frame *f = xmalloc(sizeof *f + LWS_PRE + len);
	f->next = NULL;
	f->len = len;
	memcpy(f->buf + LWS_PRE, text, len);
	if (l->out_tail != NULL)
		l->out_tail->next = f;
	else
		l->out_head = f;
	l->out_tail = f;
	lws_callback_on_writable(l->w.wsi);
	return true;
}

static void
ws_close(struct link *l)
{
	link_wsi_let_go(&l->w);
	drop_queue(l);
	free(l->rx);
	free(l);
}

const struct link_ops link_ws = {
	.name = "ws", .open = ws_open, .send = ws_send, .close = ws_close,
};
