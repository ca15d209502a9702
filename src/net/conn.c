/*
 * conn: the client's WebSocket to confabd on the caller's lws context (see
 * conn.h).
 *
 * Ownership of a wsi. lws calls back with the wsi's user pointer, which is
 * the conn. A wsi stays ours until its end is handled (end_attempt) or we
 * give it up (let_go); from then on its user pointer is NULL, so whatever
 * lws still reports about it, however late, and even after conn_free, is
 * ignored. That single rule gives "one retry per failure" for free: lws may
 * report one failed attempt twice (CONNECTION_ERROR then
 * CLOSED_CLIENT_HTTP), or only with CLOSED_CLIENT_HTTP (a server that
 * accepts TCP and never answers the upgrade), and the first report ends it.
 *
 * Timers are lws_sul on the caller's context: `wait` (the next attempt and
 * the once-a-second countdown while WAITING; also the deferred dial after
 * conn_reconnect_now), `beat` (heartbeat and dead-peer check while OPEN) and
 * `healthy` (backoff reset while OPEN). lws_client_connect_via_info is only
 * ever called from `wait`, at the top of the loop, never nested inside
 * another lws callback or one of our events.
 */
#define _GNU_SOURCE /* getrandom */
#include "net/conn.h"

#include "model/xmalloc.h"

#include "model/backoff.h"

#include <ctype.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#define SUBPROTOCOL "confab.v1"
#define LOCAL_PROTOCOL "confab-conn"
#define COUNTDOWN_MS 1000
#define HEARTBEAT_FRAME "{\"type\":\"HEARTBEAT\"}"

/* A queued frame: LWS_PRE bytes of headroom, then the payload. The client's
 * lws_write masks in place, so every frame owns its buffer. */
struct frame {
	struct frame *next;
	size_t len;
	unsigned char buf[];
};

struct conn {
	struct lws_context *ctx;
	struct conn_events ev;
	void *ud;
	char *host;     /* for the socket: no brackets around IPv6 */
	char *hosthdr;  /* for the Host header: host[:port] */
	char *path;
	int port;
	bool tls;
	char *pin;       /* an accepted fingerprint, or NULL */

	struct backoff bo;
	struct conn_status st;
	int64_t healthy_ms, heartbeat_ms;

	struct lws *wsi; /* the attempt's or open socket; NULL when none */
	int64_t last_tx_ms, last_rx_ms;
	struct frame *out_head, *out_tail;
	char *rx;        /* the message being assembled */
	size_t rx_len, rx_cap;
	bool rx_partial; /* a message has started and not finished */
	bool ended;      /* lws reported the end of the last wsi we dialled */
	int peer_close;  /* the close code the server sent, 0 if none */

	lws_sorted_usec_list_t wait, beat, healthy;
};

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

static void
set_error(struct conn *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->st.last_error, sizeof c->st.last_error, fmt, ap);
	va_end(ap);
}

/* lws's reasons for a failed attempt, in the words of someone who just
 * wants to chat (the reason itself goes to the log). */
static const struct {
	const char *lws;     /* a prefix of lws's reason */
	const char *words;   /* printf: host, port */
} explained[] = {
	{ "HS: ws upgrade unauthorized", "%s:%d refused to let this client in" },
	{ "HS: ws upgrade response not 101", "%s:%d answered, but it is not a "
	    "confab server (no WebSocket there)" },
	{ "HS: Cannot match protocol", "%s:%d is a WebSocket server that does "
	    "not speak confab" },
	{ "HS: PROTOCOL malformed", "%s:%d is a WebSocket server that does not "
	    "speak confab" },
	{ "HS:", "%s:%d answered, but not as a confab server does" },
	{ "getaddrinfo", "cannot find %s (no such host name)" },
	{ "Peer hung up", "%s:%d hung up before it answered" },
	{ "read failed", "%s:%d hung up before it answered" },
	{ "timed out", "no answer from %s:%d (timed out)" },
	{ "", "nothing is listening at %s:%d (is confabd running?)" },
};

void
conn_explain(const char *reason, const char *host, int port, char *out,
    size_t size)
{
	for (size_t i = 0; i < sizeof explained / sizeof *explained; i++) {
		const char *p = explained[i].lws;
		if (strncmp(reason, p, strlen(p)) == 0 ||
		    (*p != '\0' && p[0] != 'H' && strstr(reason, p) != NULL)) {
			snprintf(out, size, explained[i].words, host, port);
			return;
		}
	}
}

static void
emit_status(struct conn *c)
{
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
drop_queue(struct conn *c)
{
	while (c->out_head != NULL) {
		struct frame *f = c->out_head;
		c->out_head = f->next;
		free(f);
	}
	c->out_tail = NULL;
	c->rx_len = 0;
	c->rx_partial = false;
}

/* Gives up the current wsi without waiting for lws to report its end: its
 * user pointer is cleared first, then lws closes it on its next turn. */
static void
let_go(struct conn *c)
{
	struct lws *w = c->wsi;
	c->wsi = NULL;
	if (w != NULL) {
		lws_set_wsi_user(w, NULL);
		lws_set_timeout(w, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
}

static void on_wait(lws_sorted_usec_list_t *sul);

/* The connection (or the attempt) is over: wait for the next one, or give
 * up when the backoff says so. */
static void
schedule_retry(struct conn *c)
{
	lws_sul_cancel(&c->beat);
	lws_sul_cancel(&c->healthy);
	drop_queue(c);
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

/* lws reported the end of the current wsi (from inside its callback). */
static void
end_attempt(struct conn *c, struct lws *wsi)
{
	lws_set_wsi_user(wsi, NULL);
	c->wsi = NULL;
	c->ended = true;
	schedule_retry(c);
}

static void
dial(struct conn *c)
{
	struct lws_client_connect_info i;
	memset(&i, 0, sizeof i);
	i.context = c->ctx;
	i.address = c->host;
	i.port = c->port;
	i.path = c->path;
	i.host = c->hosthdr;
	i.origin = c->hosthdr;
	i.protocol = SUBPROTOCOL;
	i.local_protocol_name = LOCAL_PROTOCOL;
	i.userdata = c;
	if (c->tls)
		i.ssl_connection = LCCSCF_USE_SSL;
	c->st.cert = CONN_CERT_OK;
	c->st.fingerprint[0] = '\0';
	/* lws stores the wsi here before it can call back, so the callback can
	 * tell it is ours even when the connect fails inside this call. */
	i.pwsi = &c->wsi;
	c->peer_close = 0;
	c->ended = false;
	if (lws_client_connect_via_info(&i) == NULL && !c->ended) {
		/* Failed inside the call, and no callback said so. */
		c->wsi = NULL;
		set_error(c, "cannot connect to %s:%d", c->host, c->port);
		schedule_retry(c);
	}
}

static void
on_wait(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, wait);
	if (c->st.state == CONN_CONNECTING) { /* deferred by reconnect_now */
		if (c->wsi == NULL)
			dial(c);
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
	set_state(c, CONN_CONNECTING);
	if (c->st.state == CONN_CONNECTING && c->wsi == NULL)
		dial(c);
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
	/* A heartbeat already queued counts as sent. */
	int64_t tx_due = c->out_head != NULL ? now + hb : c->last_tx_ms + hb;
	int64_t rx_due = c->last_rx_ms + 2 * hb;
	int64_t due = tx_due < rx_due ? tx_due : rx_due;
	schedule(c, &c->beat, on_beat, due - now);
}

static void
on_beat(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, beat);
	if (c->st.state != CONN_OPEN || c->heartbeat_ms <= 0)
		return;
	int64_t now = now_ms();
	if (now - c->last_rx_ms >= 2 * c->heartbeat_ms) {
		set_error(c, "nothing from the server for %lld ms: connection dead",
		    (long long)(now - c->last_rx_ms));
		let_go(c);
		schedule_retry(c);
		return;
	}
	if (now - c->last_tx_ms >= c->heartbeat_ms && c->out_head == NULL)
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
	c->last_tx_ms = c->last_rx_ms = now;
	c->rx_len = 0;
	c->rx_partial = false;
	schedule(c, &c->healthy, on_healthy, c->healthy_ms);
	set_state(c, CONN_OPEN);
	if (c->st.state == CONN_OPEN && c->ev.opened != NULL)
		c->ev.opened(c->ud);
	schedule_beat(c);
}

/* Room for need bytes of frame (bounded by CONN_MAX_FRAME before). */
static void
rx_reserve(struct conn *c, size_t need)
{
	if (need > c->rx_cap)
		xgrow(&c->rx, &c->rx_cap, need, 1);
}

/* Trap (lws 4.1.6): returning -1 from CLIENT_RECEIVE while more of the
 * frame sits in lws's rx buffer makes lws write past that buffer (seen
 * under valgrind with a frame larger than one rx chunk). So the connection
 * is let go instead: its later RECEIVEs reach no conn and are accepted and
 * discarded, and lws closes it on its next turn. */
static int
drop_from_receive(struct conn *c)
{
	let_go(c);
	schedule_retry(c);
	return 0;
}

/* One piece of a message: lws hands a frame over in chunks of its rx
 * buffer, and a message may be several frames. */
static int
on_receive(struct conn *c, struct lws *wsi, const void *in, size_t len)
{
	c->last_rx_ms = now_ms();
	if (!c->rx_partial)
		c->rx_len = 0;
	size_t rest = lws_remaining_packet_payload(wsi);
	/* Checked before copying, with what this frame still announces, so a
	 * huge frame is refused on its first chunk, not after 16 MiB of it. */
	if (len > CONN_MAX_FRAME || rest > CONN_MAX_FRAME - len
	    || c->rx_len > CONN_MAX_FRAME - len - rest) {
		set_error(c, "a frame from the server is over %zu bytes",
		    (size_t)CONN_MAX_FRAME);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, NULL, 0);
		return drop_from_receive(c);
	}
	rx_reserve(c, c->rx_len + len + rest);
	memcpy(c->rx + c->rx_len, in, len);
	c->rx_len += len;
	c->rx_partial = !lws_is_final_fragment(wsi);
	if (c->rx_partial)
		return 0;
	/* The protocol is text frames only; a binary one is not ours to show. */
	if (!lws_frame_is_binary(wsi) && c->ev.frame != NULL)
		c->ev.frame(c->ud, c->rx, c->rx_len);
	return 0;
}

static int
on_writeable(struct conn *c, struct lws *wsi)
{
	struct frame *f = c->out_head;
	if (f == NULL)
		return 0;
	/* One lws_write per WRITEABLE: a partial send is kept by lws, which
	 * holds WRITEABLE back until it has drained. */
	int n = lws_write(wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT);
	if (n < 0) {
		set_error(c, "write to the server failed");
		end_attempt(c, wsi);
		return -1;
	}
	c->out_head = f->next;
	if (c->out_head == NULL)
		c->out_tail = NULL;
	free(f);
	c->last_tx_ms = now_ms();
	if (c->out_head != NULL)
		lws_callback_on_writable(wsi);
	return 0;
}

static void
note_peer_close(struct conn *c, const unsigned char *in, size_t len)
{
	if (len >= 2)
		c->peer_close = in[0] << 8 | in[1];
}

/* ---- certificates -------------------------------------------------------- */

void
conn_fingerprint(const unsigned char *der, size_t len, char *out)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256(der, len, md);
	char *p = out + sprintf(out, "SHA256:");
	for (size_t i = 0; i < sizeof md; i++)
		p += sprintf(p, i ? ":%02X" : "%02X", md[i]);
}

static void
leaf_fingerprint(X509_STORE_CTX *x, char *out)
{
	X509 *leaf = X509_STORE_CTX_get0_cert(x);
	unsigned char *der = NULL;
	int n = leaf != NULL ? i2d_X509(leaf, &der) : -1;
	if (n > 0)
		conn_fingerprint(der, (size_t)n, out);
	else
		out[0] = '\0';
	OPENSSL_free(der);
}

/* Errors that say only that no trusted authority vouches for the chain. */
static bool
untrusted(int err)
{
	return err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	    err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	    err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	    err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE ||
	    err == X509_V_ERR_CERT_UNTRUSTED;
}

/*
 * OpenSSL's verdict on each certificate of the chain, with the chance to
 * change it. A chain a trusted authority signed passes as OpenSSL says.
 * Otherwise the leaf's fingerprint decides, as ssh's known_hosts does: the
 * pinned one passes (whatever name or dates it bears: the user chose this
 * very certificate), another is refused as CHANGED, and with no pin the
 * attempt fails as UNTRUSTED with the fingerprint for the user to judge.
 * Returns 0 to pass (X509_V_OK set), 1 to fail.
 */
static int
verify_cert(struct conn *c, X509_STORE_CTX *x, int preverify_ok)
{
	leaf_fingerprint(x, c->st.fingerprint);
	if (preverify_ok)
		return 0;
	int err = X509_STORE_CTX_get_error(x);
	if (c->pin != NULL && strcmp(c->pin, c->st.fingerprint) == 0) {
		X509_STORE_CTX_set_error(x, X509_V_OK);
		return 0;
	}
	if (c->pin != NULL)
		c->st.cert = CONN_CERT_CHANGED;
	else if (untrusted(err) || c->st.cert == CONN_CERT_UNTRUSTED)
		c->st.cert = CONN_CERT_UNTRUSTED; /* and maybe a name as well */
	else
		c->st.cert = CONN_CERT_BAD;
	snprintf(c->st.detail, sizeof c->st.detail, "%s",
	    X509_verify_cert_error_string(err));
	return 1;
}

/* The words for a failed attempt whose certificate was the trouble. */
static bool
explain_cert(struct conn *c)
{
	switch (c->st.cert) {
	case CONN_CERT_UNTRUSTED:
		set_error(c, "%s:%d has a certificate no trusted authority signed",
		    c->host, c->port);
		return true;
	case CONN_CERT_CHANGED:
		set_error(c, "the certificate of %s:%d CHANGED since you trusted it: "
		    "not connecting", c->host, c->port);
		return true;
	case CONN_CERT_BAD:
		set_error(c, "%s:%d has a certificate that is not valid (%s)",
		    c->host, c->port, c->st.detail);
		return true;
	default:
		return false;
	}
}

void
conn_set_pin(struct conn *c, const char *fingerprint)
{
	free(c->pin);
	c->pin = xstrdup_or_null(fingerprint);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	if (reason == LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION) {
		/* user is OpenSSL's store context here, not ours */
		struct conn *c = lws_wsi_user(wsi);
		return c == NULL || c->wsi != wsi ? 1 : verify_cert(c, user, (int)len);
	}
	struct conn *c = user;
	if (c == NULL || c->wsi != wsi)
		return 0; /* not a connection of ours, or one we let go */

	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		on_established(c);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return on_receive(c, wsi, in, len);
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		c->last_rx_ms = now_ms();
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return on_writeable(c, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		note_peer_close(c, in, len);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		char why[sizeof c->st.last_error];
		const char *reason = in != NULL && len > 0 ? (const char *)in : "";
		if (!explain_cert(c)) {
			conn_explain(reason, c->host, c->port, why, sizeof why);
			set_error(c, "%s", why);
			snprintf(c->st.detail, sizeof c->st.detail, "%s", reason);
		}
		end_attempt(c, wsi);
		break;
	}
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		/* The trap: the only report of an upgrade that never came. */
		set_error(c, "%s:%d took the connection but never answered "
		    "(is it confabd?)", c->host, c->port);
		end_attempt(c, wsi);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c->peer_close != 0)
			set_error(c, "closed by the server (code %d)", c->peer_close);
		else
			set_error(c, "connection lost");
		end_attempt(c, wsi);
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		/* A last resort: whatever ended it was not reported above. */
		set_error(c, "connection closed");
		end_attempt(c, wsi);
		break;
	default:
		break;
	}
	return 0;
}

const struct lws_protocols conn_protocol = {
	.name = LOCAL_PROTOCOL,
	.callback = callback,
	.per_session_data_size = 0, /* the conn itself is the user data */
	.rx_buffer_size = 0,
};

static bool
url_chars_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool
parse_port(const char *s, size_t n, int *port)
{
	if (n == 0 || n > 5)
		return false;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	*port = (int)v;
	return true;
}

/* ws://host[:port][/path], host a name, an IPv4 address or [IPv6]. */
static bool
parse_url(struct conn *c, const char *url, char *err, size_t errlen)
{
	c->tls = url != NULL && strncasecmp(url, "wss://", 6) == 0;
	if (url == NULL || (!c->tls && strncasecmp(url, "ws://", 5) != 0)) {
		snprintf(err, errlen, "not a ws:// or wss:// URL: %s",
		    url ? url : "(none)");
		return false;
	}
	const char *a = url + (c->tls ? 6 : 5), *slash = strchr(a, '/');
	size_t alen = slash ? (size_t)(slash - a) : strlen(a);
	const char *h = a, *colon;
	size_t hlen;
	if (alen > 0 && a[0] == '[') {
		const char *close = memchr(a, ']', alen);
		if (close == NULL || close == a + 1) {
			snprintf(err, errlen, "bad IPv6 address in %s", url);
			return false;
		}
		h = a + 1;
		hlen = (size_t)(close - h);
		colon = close + 1 < a + alen ? close + 1 : NULL;
		if (colon != NULL && *colon != ':') {
			snprintf(err, errlen, "junk after the address in %s", url);
			return false;
		}
	} else {
		colon = memchr(a, ':', alen);
		hlen = colon ? (size_t)(colon - a) : alen;
	}
	if (hlen == 0 || !url_chars_ok(h, hlen) || memchr(h, '@', hlen) != NULL) {
		snprintf(err, errlen, "no usable host in %s", url);
		return false;
	}
	c->port = c->tls ? 443 : 80;
	if (colon != NULL
	    && !parse_port(colon + 1, (size_t)(a + alen - colon - 1), &c->port)) {
		snprintf(err, errlen, "bad port in %s (1-65535)", url);
		return false;
	}
	const char *path = slash ? slash : "/";
	if (!url_chars_ok(path, strlen(path))) {
		snprintf(err, errlen, "bad characters in the path of %s", url);
		return false;
	}
	c->host = xstrndup(h, hlen);
	c->hosthdr = xstrndup(a, alen);
	c->path = xstrdup(path);
	return true;
}

static uint64_t
random_seed(void)
{
	uint64_t s = 0;
	if (getrandom(&s, sizeof s, 0) != (ssize_t)sizeof s) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		s = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32;
	}
	return s;
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
	struct conn *c = xcalloc(1, sizeof *c);
	if (!parse_url(c, opt->url, err, errlen)) {
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
	    opt->seed != 0 ? opt->seed : random_seed());
	c->st.state = CONN_OFFLINE;
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
	}
	let_go(c);
	drop_queue(c);
	free(c->rx);
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
	set_error(c, "%s", "");
	let_go(c);
	drop_queue(c);
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
	if (c->st.state != CONN_OPEN || c->wsi == NULL)
		return false;
	struct frame *f = xmalloc(sizeof *f + LWS_PRE + len);
	f->next = NULL;
	f->len = len;
	memcpy(f->buf + LWS_PRE, text, len);
	if (c->out_tail != NULL)
		c->out_tail->next = f;
	else
		c->out_head = f;
	c->out_tail = f;
	lws_callback_on_writable(c->wsi);
	return true;
}

const struct conn_status *
conn_status(const struct conn *c)
{
	return &c->st;
}
