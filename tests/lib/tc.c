#define _GNU_SOURCE /* nftw, vasprintf */
#include "tc.h"

#include <libwebsockets.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct frame {
	struct frame *next;
	size_t len;
	bool binary;
	unsigned char data[]; /* LWS_PRE headroom, then the payload */
};

struct tc {
	struct lws *wsi;
	bool open, failed, closed;
	int close_code;
	struct frame *out_head, *out_tail;
	cJSON **in;
	size_t nin, capin, inpos;
	char *rx;
	size_t rx_len, rx_cap;
};

static struct lws_context *ctx;
static lws_sorted_usec_list_t wake;
static struct tc *clients[256]; /* live clients, to re-arm their writes */

static long long
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
push_in(struct tc *c, cJSON *j)
{
	if (c->nin == c->capin) {
		c->capin = c->capin ? c->capin * 2 : 64;
		c->in = realloc(c->in, c->capin * sizeof *c->in);
	}
	c->in[c->nin++] = j;
}

static void
on_frame(struct tc *c)
{
	cJSON *j = cJSON_ParseWithLength(c->rx, c->rx_len);
	if (j == NULL) {
		char *s = strndup(c->rx, c->rx_len);
		j = cJSON_CreateString(s);
		free(s);
	}
	push_in(c, j);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct tc *c = user;
	(void)user;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->open = true;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (c) {
			c->failed = true;
			c->closed = true;
			c->wsi = NULL;
		}
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (lws_is_first_fragment(wsi))
			c->rx_len = 0;
		if (c->rx_len + len > c->rx_cap) {
			c->rx_cap = (c->rx_len + len) * 2;
			c->rx = realloc(c->rx, c->rx_cap);
		}
		memcpy(c->rx + c->rx_len, in, len);
		c->rx_len += len;
		if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0)
			on_frame(c);
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2) {
			const unsigned char *p = in;
			c->close_code = p[0] << 8 | p[1];
		}
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE: {
		struct frame *f = c->out_head;
		if (f == NULL)
			break;
		c->out_head = f->next;
		if (c->out_head == NULL)
			c->out_tail = NULL;
		int n = lws_write(wsi, f->data + LWS_PRE, f->len,
		    f->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
		free(f);
		if (n < 0)
			return -1;
		if (c->out_head)
			lws_callback_on_writable(wsi);
		break;
	}
	case LWS_CALLBACK_CLIENT_CLOSED:
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (c) {
			c->closed = true;
			c->wsi = NULL;
			if (!c->open)
				c->failed = true;
		}
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{"tc", callback, 0, 4096, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static struct lws_context *
context(void)
{
	if (ctx != NULL)
		return ctx;
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.timeout_secs = 5;
	lws_set_log_level(getenv("TC_DEBUG") ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO : LLL_ERR, NULL);
	ctx = lws_create_context(&info);
	return ctx;
}

void
tc_shutdown(void)
{
	if (ctx != NULL) {
		lws_sul_cancel(&wake);
		lws_context_destroy(ctx);
	}
	ctx = NULL;
}

static void
wake_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
}

/* Services the loop until done(arg) or the deadline; true if done. A short
 * timer bounds each lws_service, which otherwise blocks until an event. */
static bool
pump_until(bool (*done)(void *), void *arg, int timeout_ms)
{
	long long deadline = mono_ms() + timeout_ms;
	while (!done(arg)) {
		if (mono_ms() >= deadline)
			return false;
		/* A partial write makes lws drain the rest itself and may swallow
		 * the WRITEABLE we asked for: ask again while anything waits. */
		for (size_t i = 0; i < sizeof clients / sizeof *clients; i++)
			if (clients[i] && clients[i]->wsi && clients[i]->out_head)
				lws_callback_on_writable(clients[i]->wsi);
		lws_sul_schedule(context(), 0, &wake, wake_cb, 10 * LWS_US_PER_MS);
		lws_service(context(), 0);
	}
	return true;
}

static bool
never(void *arg)
{
	(void)arg;
	return false;
}

void
tc_pump(int ms)
{
	/* lws_service blocks until an event or timer; a timer bounds it. */
	pump_until(never, NULL, ms);
}

static bool
settled(void *arg)
{
	struct tc *c = arg;
	return c->open || c->closed;
}

struct tc *
tc_connect(int port, const char *subprotocol)
{
	struct tc *c = calloc(1, sizeof *c);
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	ci.context = context();
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.path = "/";
	ci.host = "127.0.0.1";
	ci.origin = "127.0.0.1";
	ci.protocol = subprotocol ? subprotocol : "confab.v1";
	ci.local_protocol_name = "tc";
	ci.userdata = c;
	ci.pwsi = &c->wsi;
	for (size_t i = 0; i < sizeof clients / sizeof *clients; i++)
		if (clients[i] == NULL) {
			clients[i] = c;
			break;
		}
	if (lws_client_connect_via_info(&ci) == NULL) {
		tc_free(c);
		return NULL;
	}
	if (!pump_until(settled, c, TC_TIMEOUT_MS) || !c->open) {
		tc_free(c);
		return NULL;
	}
	return c;
}

struct tc *
tc_login(int port, const char *user)
{
	struct tc *c = tc_connect(port, NULL);
	if (c == NULL)
		return NULL;
	tc_sendf(c, "{\"type\":\"HELLO\",\"user\":\"%s\"}", user);
	cJSON *w = tc_expect(c, "WELCOME", TC_TIMEOUT_MS);
	if (w == NULL) {
		tc_free(c);
		return NULL;
	}
	cJSON_Delete(w);
	return c;
}

static bool
is_closed(void *arg)
{
	return ((struct tc *)arg)->closed;
}

void
tc_free(struct tc *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < sizeof clients / sizeof *clients; i++)
		if (clients[i] == c)
			clients[i] = NULL;
	if (c->wsi != NULL && !c->closed) {
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		pump_until(is_closed, c, 2000);
	}
	while (c->out_head) {
		struct frame *f = c->out_head;
		c->out_head = f->next;
		free(f);
	}
	for (size_t i = c->inpos; i < c->nin; i++)
		cJSON_Delete(c->in[i]);
	free(c->in);
	free(c->rx);
	free(c);
}

void
tc_send_bytes(struct tc *c, const void *data, size_t len, bool binary)
{
	if (c->wsi == NULL)
		return;
	struct frame *f = malloc(sizeof *f + LWS_PRE + len);
	f->next = NULL;
	f->len = len;
	f->binary = binary;
	memcpy(f->data + LWS_PRE, data, len);
	if (c->out_tail)
		c->out_tail->next = f;
	else
		c->out_head = f;
	c->out_tail = f;
	lws_callback_on_writable(c->wsi);
}

void
tc_send(struct tc *c, const char *json)
{
	tc_send_bytes(c, json, strlen(json), false);
}

void
tc_sendf(struct tc *c, const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s != NULL)
		tc_send(c, s);
	free(s);
}

static bool
has_input(void *arg)
{
	struct tc *c = arg;
	return c->inpos < c->nin || c->closed;
}

cJSON *
tc_recv(struct tc *c, int timeout_ms)
{
	pump_until(has_input, c, timeout_ms);
	if (c->inpos >= c->nin)
		return NULL;
	return c->in[c->inpos++];
}

bool
tc_is(const cJSON *f, const char *type)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "type");
	return cJSON_IsString(t) && strcmp(t->valuestring, type) == 0;
}

const char *
tc_str(const cJSON *f, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f, field);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

long long
tc_int(const cJSON *f, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(f, field);
	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

static bool
matches(const cJSON *f, const char *type, const char *field, const char *value)
{
	const char *v = field ? tc_str(f, field) : NULL;
	return tc_is(f, type) && (field == NULL || (v && strcmp(v, value) == 0));
}

/* Takes the first queued frame that matches, keeping the others queued in
 * their order, so a test can wait for one thing without losing another. */
static cJSON *
take_match(struct tc *c, const char *type, const char *field, const char *value)
{
	for (size_t i = c->inpos; i < c->nin; i++) {
		cJSON *f = c->in[i];
		if (!matches(f, type, field, value))
			continue;
		memmove(&c->in[c->inpos + 1], &c->in[c->inpos],
		    (i - c->inpos) * sizeof *c->in);
		c->inpos++;
		return f;
	}
	return NULL;
}

struct want {
	struct tc *c;
	const char *type, *field, *value;
	cJSON *got;
};

static bool
found(void *arg)
{
	struct want *w = arg;
	w->got = take_match(w->c, w->type, w->field, w->value);
	return w->got != NULL || w->c->closed;
}

cJSON *
tc_expect_field(struct tc *c, const char *type, const char *field,
    const char *value, int timeout_ms)
{
	struct want w = {c, type, field, value, NULL};
	if (!pump_until(found, &w, timeout_ms) && w.got == NULL)
		w.got = take_match(c, type, field, value);
	return w.got;
}

cJSON *
tc_expect(struct tc *c, const char *type, int timeout_ms)
{
	return tc_expect_field(c, type, NULL, NULL, timeout_ms);
}

bool
tc_quiet(struct tc *c, const char *type, int timeout_ms)
{
	cJSON *f = tc_expect(c, type, timeout_ms);
	cJSON_Delete(f);
	return f == NULL;
}

void
tc_discard(struct tc *c)
{
	while (c->inpos < c->nin)
		cJSON_Delete(c->in[c->inpos++]);
}

void
tc_drain(struct tc *c)
{
	tc_pump(50);
	tc_discard(c);
}

int
tc_wait_closed(struct tc *c, int timeout_ms)
{
	if (!pump_until(is_closed, c, timeout_ms))
		return -1;
	return c->close_code ? c->close_code : 1006;
}

bool
tc_is_open(const struct tc *c)
{
	return c->open && !c->closed;
}

void
tc_read_enable(struct tc *c, bool on)
{
	if (c->wsi)
		lws_rx_flow_control(c->wsi, on ? 1 : 0);
}
