/*
 * conn: the client's link to confabd on the caller's lws context (see
 * conn.h): the attempts and the waits between them, the heartbeat, the
 * fallback between transports (the URL and the certificates are
 * conn_peer.c's). What carries the frames is a link (link.h); conn holds
 * one at a time, and, after a fall to a worse transport, now and then a
 * WebSocket probe beside it.
 *
 * Ownership of a wsi. lws calls back with the wsi's user pointer, a
 * struct link_wsi of the link that dialled it. A wsi stays the link's
 * until its end is handled or the link gives it up (link_wsi_let_go);
 * from then on its user pointer is NULL, so whatever lws still reports
 * about it, however late, and even after conn_free, is ignored. That
 * single rule gives "one retry per failure" for free: lws may report one
 * failed attempt twice (CONNECTION_ERROR then CLOSED_CLIENT_HTTP), or only
 * with CLOSED_CLIENT_HTTP (a server that accepts TCP and never answers the
 * upgrade), and the first report ends it.
 *
 * Timers are lws_sul on the caller's context: `wait` (the next attempt and
 * the once-a-second countdown while WAITING; also the deferred dial after
 * conn_reconnect_now or a fall), `beat` (heartbeat, dead-peer and silence
 * checks while OPEN), `healthy` (backoff reset while OPEN) and `probe`.
 * Links are only ever opened from `wait` and `probe`, at the top of the
 * loop, never nested inside another lws callback or one of our events; a
 * link that reports inside its own open is handled once open returned.
 */
#include "net/conn.h"

#include "model/xmalloc.h"

#include "model/backoff.h"
#include "model/fallback.h"
#include "net/conn_impl.h"
#include "net/link.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOCAL_PROTOCOL "confab-conn"
#define COUNTDOWN_MS 1000
#define HEARTBEAT_FRAME "{\"type\":\"HEARTBEAT\"}"

static const struct link_ops *const transports[] = {
	[TRANSPORT_WS] = &link_ws, [TRANSPORT_SSE] = &link_sse,
	[TRANSPORT_POLL] = &link_poll,
};

/* The probe (link_ws.c): a WebSocket that is closed as soon as it is up. */
struct link *link_ws_probe(struct conn *c, const struct link_target *t);

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
schedule(struct conn *c, lws_sorted_usec_list_t *sul, sul_cb_t cb, int64_t ms)
{
	lws_sul_schedule(c->ctx, 0, sul, cb, (lws_usec_t)(ms > 0 ? ms : 0) * 1000 + 1);
}

void
conn_set_error(struct conn *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->st.last_error, sizeof c->st.last_error, fmt, ap);
	va_end(ap);
}

static void
emit_status(struct conn *c)
{
	snprintf(c->st.transport, sizeof c->st.transport, "%s",
	    transport_name(c->fb.tr));
	if (c->ev.status != NULL)
		c->ev.status(c->ud, &c->st);
}

static void
set_state(struct conn *c, enum conn_state s)
{
	c->st.state = s;
	if (s != CONN_WAITING)
		c->st.retry_at_ms = 0;
	emit_status(c);
}

static void
target_of(const struct conn *c, struct link_target *t)
{
	*t = (struct link_target){
		.ctx = c->ctx, .host = c->host, .hosthdr = c->hosthdr,
		.path = c->path, .port = c->port, .tls = c->tls,
	};
}

static void
close_probe(struct conn *c)
{
	lws_sul_cancel(&c->probe_sul);
	if (c->probe != NULL) {
		struct link *p = c->probe;
		c->probe = NULL;
		link_ws.close(p);
	}
}

/* Gives up the current link without waiting for it to report its end. */
static void
let_go(struct conn *c)
{
	close_probe(c);
	struct link *l = c->link;
	c->link = NULL;
	if (l != NULL)
		c->ops->close(l);
}

static void on_wait(lws_sorted_usec_list_t *sul);

/* The connection (or the attempt) is over: wait for the next one, or give
 * up when the backoff says so. */
static void
schedule_retry(struct conn *c)
{
	lws_sul_cancel(&c->beat);
	lws_sul_cancel(&c->healthy);
	int64_t delay = backoff_next(&c->bo);
	c->st.attempt = c->bo.attempt;
	if (delay < 0) {
		set_state(c, CONN_OFFLINE);
		return;
	}
	c->st.retry_at_ms = now_ms() + delay;
	schedule(c, &c->wait, on_wait, delay < COUNTDOWN_MS ? delay : COUNTDOWN_MS);
	set_state(c, CONN_WAITING);
}

/* The next attempt at once, from the loop's next turn. */
static void
retry_now(struct conn *c)
{
	lws_sul_cancel(&c->beat);
	lws_sul_cancel(&c->healthy);
	schedule(c, &c->wait, on_wait, 0);
	set_state(c, CONN_CONNECTING);
}

static void
finish_end(struct conn *c, enum fb_outcome o)
{
	let_go(c);
	if (c->carried)
		o = FB_LOST;
	const char *was = transport_name(c->fb.tr);
	if (fallback_outcome(&c->fb, o, now_ms())) {
		size_t n = strlen(c->st.last_error);
		snprintf(c->st.last_error + n, sizeof c->st.last_error - n,
		    "%s%s did not pass: trying %s", n ? "; " : "", was,
		    transport_name(c->fb.tr));
		retry_now(c);
		return;
	}
	schedule_retry(c);
}

void
conn_link_ended(struct conn *c, enum fb_outcome o, const char *why,
    const char *detail)
{
	if (why != NULL)
		conn_set_error(c, "%s", why);
	if (detail != NULL)
		snprintf(c->st.detail, sizeof c->st.detail, "%s", detail);
	if (c->dialling) {
		c->pend_end = true;
		c->pend_o = o;
		return;
	}
	if (c->link == NULL)
		return;
	finish_end(c, o);
}

static void open_link(struct conn *c);

static void
on_wait(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, wait);
	if (c->st.state == CONN_CONNECTING) { /* deferred by reconnect_now */
		if (c->link == NULL)
			open_link(c);
		return;
	}
	if (c->st.state != CONN_WAITING)
		return;
	int64_t left = c->st.retry_at_ms - now_ms();
	if (left > 0) {
		emit_status(c); /* the countdown */
		schedule(c, &c->wait, on_wait, left < COUNTDOWN_MS ? left : COUNTDOWN_MS);
		return;
	}
	if (fallback_before_attempt(&c->fb, now_ms()))
		conn_set_error(c, "%s", ""); /* a fresh try from the best transport */
	set_state(c, CONN_CONNECTING);
	if (c->st.state == CONN_CONNECTING && c->link == NULL)
		open_link(c);
}

static void on_beat(lws_sorted_usec_list_t *sul);

static void
schedule_beat(struct conn *c)
{
	if (c->st.state != CONN_OPEN || c->heartbeat_ms <= 0) {
		lws_sul_cancel(&c->beat);
		return;
	}
	int64_t now = now_ms(), hb = c->heartbeat_ms;
	int64_t tx_due = c->last_tx_ms + hb;
	int64_t rx_due = c->last_rx_ms + 2 * hb;
	int64_t due = tx_due < rx_due ? tx_due : rx_due;
	if (!c->carried && c->fb.tr != TRANSPORT_WS && c->opened_ms + hb < due)
		due = c->opened_ms + hb;
	schedule(c, &c->beat, on_beat, due - now);
}

static void
on_beat(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, beat);
	if (c->st.state != CONN_OPEN || c->heartbeat_ms <= 0 || c->link == NULL)
		return;
	int64_t now = now_ms();
	/* An HTTP stream that brings nothing, not even the session's first
	 * frame, while its requests went through: something between holds
	 * the answers back. */
	if (!c->carried && c->fb.tr != TRANSPORT_WS &&
	    now - c->opened_ms >= c->heartbeat_ms) {
		conn_set_error(c, "no event from the server within %lld ms (a proxy "
		    "that buffers?)", (long long)(now - c->opened_ms));
		finish_end(c, FB_SILENT);
		return;
	}
	if (now - c->last_rx_ms >= 2 * c->heartbeat_ms) {
		conn_set_error(c, "nothing from the server for %lld ms: connection dead",
		    (long long)(now - c->last_rx_ms));
		finish_end(c, FB_LOST);
		return;
	}
	if (now - c->last_tx_ms >= c->heartbeat_ms)
		conn_send(c, HEARTBEAT_FRAME, strlen(HEARTBEAT_FRAME));
	schedule_beat(c);
}

static void
on_healthy(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, healthy);
	if (c->st.state != CONN_OPEN)
		return;
	backoff_reset(&c->bo);
	if (c->st.attempt != 0) {
		c->st.attempt = 0;
		emit_status(c);
	}
}

static void
on_established(struct conn *c)
{
	int64_t now = now_ms();
	c->opened_ms = c->last_tx_ms = c->last_rx_ms = now;
	schedule(c, &c->healthy, on_healthy, c->healthy_ms);
	set_state(c, CONN_OPEN);
	if (c->st.state == CONN_OPEN && c->ev.opened != NULL)
		c->ev.opened(c->ud);
	schedule_beat(c);
}

void
conn_link_opened(struct conn *c)
{
	if (c->dialling)
		c->pend_open = true;
	else if (c->link != NULL)
		on_established(c);
}

static void
open_link(struct conn *c)
{
	struct link_target t;
	target_of(c, &t);
	c->ops = transports[c->fb.tr];
	c->st.cert = CONN_CERT_OK;
	c->st.fingerprint[0] = '\0';
	c->carried = false;
	c->dialling = true;
	c->pend_open = c->pend_end = false;
	struct link *l = c->ops->open(c, &t);
	c->dialling = false;
	c->link = l;
	if (c->pend_end)
		finish_end(c, c->pend_o);
	else if (c->pend_open)
		on_established(c);
}

/* ---- the probe ------------------------------------------------------------ */

static void
on_probe(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, probe_sul);
	if (c->st.state != CONN_OPEN || c->probe != NULL)
		return;
	if (!fallback_probe_due(&c->fb, now_ms())) {
		if (c->fb.probe_at != INT64_MAX)
			schedule(c, &c->probe_sul, on_probe, c->fb.probe_at - now_ms());
		return;
	}
	struct link_target t;
	target_of(c, &t);
	c->probe = link_ws_probe(c, &t);
}

static void
schedule_probe(struct conn *c)
{
	if (c->fb.forced || c->fb.tr == TRANSPORT_WS || c->fb.probe_at == INT64_MAX
	    || c->probe != NULL)
		return;
	schedule(c, &c->probe_sul, on_probe, c->fb.probe_at - now_ms());
}

/* From the probe: a WebSocket went up (ok), or did not. */
void conn_probe_done(struct conn *c, bool ok);

void
conn_probe_done(struct conn *c, bool ok)
{
	struct link *p = c->probe;
	c->probe = NULL;
	if (p != NULL)
		link_ws.close(p);
	fallback_probe_done(&c->fb, ok, now_ms());
	if (!ok) {
		schedule_probe(c);
		return;
	}
	/* The session moves to the WebSocket: the replay of a reconnect
	 * brings whatever happened in between. */
	let_go(c);
	conn_set_error(c, "%s", "");
	retry_now(c);
}

/* ---- frames ---------------------------------------------------------------- */

void
conn_link_frame(struct conn *c, const char *text, size_t len)
{
	c->last_rx_ms = now_ms();
	if (!c->carried) {
		c->carried = true;
		fallback_outcome(&c->fb, FB_CARRIED, c->last_rx_ms);
		schedule_probe(c);
	}
	if (c->ev.frame != NULL)
		c->ev.frame(c->ud, text, len);
}

/* A frame the link made itself (an HTTP sign-in's answer): it says
 * nothing of the stream, whose wait for a first event starts again. */
void conn_link_local_frame(struct conn *c, const char *text, size_t len);

void
conn_link_local_frame(struct conn *c, const char *text, size_t len)
{
	c->opened_ms = c->last_rx_ms = now_ms();
	if (c->ev.frame != NULL)
		c->ev.frame(c->ud, text, len);
}

void
conn_link_alive(struct conn *c)
{
	c->last_rx_ms = now_ms();
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	if (reason == LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION) {
		/* user is OpenSSL's store context here, not ours */
		struct link_wsi *w = lws_wsi_user(wsi);
		return w == NULL || w->wsi != wsi ? 1 : conn_verify_cert(w->c, user, (int)len);
	}
	struct link_wsi *w = user;
	if (w == NULL || w->wsi != wsi)
		return 0; /* not a connection of ours, or one we let go */
	return w->cb(w, wsi, reason, in, len);
}

const struct lws_protocols conn_protocol = {
	.name = LOCAL_PROTOCOL,
	.callback = callback,
	.per_session_data_size = 0, /* the link_wsi is the user data */
	.rx_buffer_size = 0,
};

bool
link_dial(struct link_wsi *w, const struct link_target *t, const char *method,
    const char *path, const char *subprotocol)
{
	struct lws_client_connect_info i;
	memset(&i, 0, sizeof i);
	i.context = t->ctx;
	i.address = t->host;
	i.port = t->port;
	i.path = path;
	i.host = t->hosthdr;
	i.origin = method == NULL ? t->hosthdr : NULL;
	i.method = method;
	i.protocol = subprotocol;
	i.local_protocol_name = LOCAL_PROTOCOL;
	i.userdata = w;
	if (t->tls)
		i.ssl_connection = LCCSCF_USE_SSL;
	if (method != NULL)
		i.ssl_connection |= LCCSCF_HTTP_NO_FOLLOW_REDIRECT;
	/* lws stores the wsi here before it can call back, so the callback can
	 * tell it is ours even when the connect fails inside this call. */
	i.pwsi = &w->wsi;
	struct lws *made = lws_client_connect_via_info(&i);
	if (made == NULL)
		w->wsi = NULL;
	return made != NULL;
}

void
link_wsi_let_go(struct link_wsi *w)
{
	struct lws *wsi = w->wsi;
	w->wsi = NULL;
	if (wsi != NULL) {
		lws_set_wsi_user(wsi, NULL);
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
}

struct conn *
conn_new(struct lws_context *ctx, const struct conn_options *opt,
    const struct conn_events *ev, void *ud, char *err, size_t errlen)
{
	char dummy[1];
	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof dummy;
	}
	struct lws_vhost *vh = lws_get_vhost_by_name(ctx, "default");
	if (vh != NULL && lws_vhost_name_to_protocol(vh, LOCAL_PROTOCOL) == NULL) {
		snprintf(err, errlen, "conn_protocol is not in the context's protocols");
		return NULL;
	}
	bool forced;
	enum transport tr;
	if (!fallback_parse(opt->transport ? opt->transport : "auto", &forced, &tr)) {
		snprintf(err, errlen, "not a transport: %s (auto, ws, sse or poll)",
		    opt->transport);
		return NULL;
	}
	struct conn *c = xcalloc(1, sizeof *c);
	if (!conn_parse_url(c, opt->url, err, errlen)) {
		conn_free(c);
		return NULL;
	}
	c->ctx = ctx;
	if (ev != NULL)
		c->ev = *ev;
	c->ud = ud;
	c->pin = xstrdup_or_null(opt->pin);
	c->healthy_ms = CONN_HEALTHY_MS;
	c->heartbeat_ms = CONN_DEFAULT_HEARTBEAT_MS;
	backoff_init(&c->bo, opt->base_ms > 0 ? opt->base_ms : 1000,
	    opt->cap_ms > 0 ? opt->cap_ms : 30000, opt->max_attempts,
	    opt->seed != 0 ? opt->seed : conn_random_seed());
	fallback_init(&c->fb, forced, tr, opt->probe_ms);
	c->st.state = CONN_OFFLINE;
	snprintf(c->st.transport, sizeof c->st.transport, "%s",
	    transport_name(c->fb.tr));
	return c;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->ctx != NULL) {
		lws_sul_cancel(&c->wait);
		lws_sul_cancel(&c->beat);
		lws_sul_cancel(&c->healthy);
		lws_sul_cancel(&c->probe_sul);
	}
	if (c->ops != NULL)
		let_go(c);
	free(c->host);
	free(c->hosthdr);
	free(c->path);
	free(c->pin);
	free(c);
}

void
conn_reconnect_now(struct conn *c)
{
	switch (c->st.state) {
	case CONN_OFFLINE:
		backoff_reset(&c->bo);
		c->st.attempt = 0;
		/* fall through */
	case CONN_WAITING:
		/* The dial itself happens on the loop's next turn (see the top
		 * of this file); the state says CONNECTING from now on. */
		schedule(c, &c->wait, on_wait, 0);
		set_state(c, CONN_CONNECTING);
		break;
	case CONN_CONNECTING:
	case CONN_OPEN:
		break;
	}
}

void
conn_stop(struct conn *c)
{
	lws_sul_cancel(&c->wait);
	lws_sul_cancel(&c->beat);
	lws_sul_cancel(&c->healthy);
	/* asked for, so no error: what the caller shows says why */
	conn_set_error(c, "%s", "");
	let_go(c);
	if (c->st.state != CONN_OFFLINE)
		set_state(c, CONN_OFFLINE);
}

void
conn_set_heartbeat(struct conn *c, int64_t ms)
{
	c->heartbeat_ms = ms > 0 ? ms : 0;
	schedule_beat(c);
}

void
conn_set_healthy_ms(struct conn *c, int64_t ms)
{
	c->healthy_ms = ms > 0 ? ms : CONN_HEALTHY_MS;
}

bool
conn_send(struct conn *c, const char *text, size_t len)
{
	if (c->st.state != CONN_OPEN || c->link == NULL)
		return false;
	if (!c->ops->send(c->link, text, len))
		return false;
	c->last_tx_ms = now_ms();
	return true;
}

const struct conn_status *
conn_status(const struct conn *c)
{
	return &c->st;
}
