/*
 * poll: the long-polling transport (hsess.h). GET /poll opens a session
 * and answers its first events; each GET /poll?cursor=KEY.N confirms the
 * events up to N and is answered with the events after N, or held until
 * some come or --poll-hold-ms pass (never longer than 1.75 heartbeats, so
 * that a held poll never looks silent).
 *
 * The events of an answer stay in a log until a later cursor confirms
 * them, so a poll retried with the same cursor (its answer lost) gets the
 * same events: nothing lost, nothing twice. The log counts in the
 * session's queue budgets: a client that stops polling is dropped (4002)
 * as a WebSocket client that stops reading is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "server/hsess.h"
#include "server/http1.h"

#define POLL_ANSWER_MAX (256 * 1024) /* events gathered into one answer */

static void
poll_wake(struct session *s)
{
	struct hsess *h = s->tx_data;
	if (h->held != NULL)
		hsess_later(h);
}

static void
poll_later(struct session *s)
{
	hsess_later(s->tx_data);
}

static void
poll_peer(struct session *s, char *out, size_t cap)
{
	struct hsess *h = s->tx_data;
	g_strlcpy(out, h->addr, cap);
}

/* A poll session has no connection of its own (a held poll's goes
 * alone): never called. */
static void
poll_gone(struct session *s)
{
	(void)s;
}

const struct session_transport hsess_poll_transport = {
	"poll", poll_wake, poll_later, poll_later, poll_peer, poll_gone,
};

/* A held poll must end well before the session would look silent (2 ×
 * heartbeat_ms after the poll came): 25 s with the default 15 s. */
static int64_t
hold_ms(const struct server *srv)
{
	int64_t most = 2 * srv->cfg.heartbeat_ms - srv->cfg.heartbeat_ms / 4;
	return srv->cfg.poll_hold_ms < most ? srv->cfg.poll_hold_ms : most;
}

/* Moves queued frames into the log, an answer's worth at most. */
static void
fill(struct hsess *h)
{
	struct session *s = h->s;
	while (h->log_bytes < POLL_ANSWER_MAX) {
		enum session_take t = session_take(s, h->part);
		if (t == SESSION_LATER)
			hsess_later(h);
		if (t != SESSION_TAKEN)
			break;
		spos_advance(&h->pos, h->part->str, h->part->len);
		g_ptr_array_add(h->log, g_strndup(h->part->str, h->part->len));
		h->log_bytes += h->part->len;
		session_account(s, h->part->len, 0);
		hsess_shrink(&h->part, HSESS_KEEP_BUSY);
	}
	if (h->part->len == 0) /* no stream part-way */
		hsess_shrink(&h->part, HSESS_KEEP_IDLE);
	g_free(h->log_resume);
	h->log_resume = spos_format(&h->pos, s->subs);
}

static void
answer_held(struct hsess *h, bool closed)
{
	struct session *s = h->s;
	GString *o = g_string_new(NULL);
	if (h->log_resume == NULL)
		h->log_resume = spos_format(&h->pos, s->subs);
	g_string_append_printf(o, "{\"session\":\"%s\",\"cursor\":\"%s.%llu\","
	    "\"resume\":\"%s\"", h->key, h->key,
	    (unsigned long long)(h->acked + h->log->len), h->log_resume);
	if (closed) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddNumberToObject(c, "code", s->close_code);
		cJSON_AddStringToObject(c, "reason",
		    s->close_reason ? s->close_reason : "");
		char *text = cJSON_PrintUnformatted(c);
		g_string_append_printf(o, ",\"closed\":%s", text);
		cJSON_free(text);
		cJSON_Delete(c);
	}
	g_string_append(o, ",\"events\":[");
	for (guint i = 0; i < h->log->len; i++) {
		if (i > 0)
			g_string_append_c(o, ',');
		g_string_append(o, g_ptr_array_index(h->log, i));
	}
	g_string_append(o, "]}\n");
	struct http_answer a = {.status = 200, .type = "application/json",
	    .body = g_string_free(o, FALSE)};
	http_wait_answer(h->held, &a);
	h->held = NULL;
	s->last_rx = now_ms(); /* the client hears from us: its clock restarts */
	lws_sul_cancel(&h->tick_sul);
}

static bool
finished(struct hsess *h)
{
	struct session *s = h->s;
	return s->dead && h->part->len == 0 && (s->closing != CLOSING_GRACEFUL ||
	    g_queue_is_empty(&s->out));
}

void
poll_work(struct hsess *h)
{
	if (h->held == NULL) {
		if (h->s->dead)
			hsess_free(h); /* closed with no poll to tell */
		return;
	}
	if (h->log->len == 0)
		fill(h);
	bool closed = finished(h);
	if (h->log->len > 0 || closed)
		answer_held(h, closed);
	if (closed)
		hsess_free(h);
}

static void
tick_cb(lws_sorted_usec_list_t *sul)
{
	struct hsess *h = lws_container_of(sul, struct hsess, tick_sul);
	if (h->held == NULL)
		return;
	if (h->log->len == 0)
		fill(h);
	answer_held(h, false);
}

static void
hold(struct hsess *h, struct conn *c)
{
	struct server *srv = h->srv;
	h->held = http_wait_take(c);
	int64_t ms = hold_ms(srv);
	conn_hold(c, (int)(ms / 1000) + 10);
	lws_sul_schedule(srv->ctx, 0, &h->tick_sul, tick_cb, ms * LWS_US_PER_MS);
	hsess_later(h);
}

/* KEY.N into h and n; false when malformed or naming no poll session. */
static bool
cursor_of(const char *cur, char *key, size_t cap, uint64_t *n)
{
	const char *dot = strrchr(cur, '.');
	if (dot == NULL || (size_t)(dot - cur) >= cap || dot[1] == '\0' ||
	    strlen(dot + 1) > 18)
		return false;
	uint64_t v = 0;
	for (const char *p = dot + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	memcpy(key, cur, (size_t)(dot - cur));
	key[dot - cur] = '\0';
	*n = v;
	return true;
}

/* The client holds the events up to n: they leave the log. */
static void
confirm(struct hsess *h, uint64_t n)
{
	guint k = (guint)(n - h->acked);
	size_t bytes = 0;
	for (guint i = 0; i < k; i++)
		bytes += strlen(g_ptr_array_index(h->log, i));
	g_ptr_array_remove_range(h->log, 0, k);
	h->log_bytes -= bytes;
	session_account(h->s, 0, bytes);
	h->acked = n;
}

bool
poll_route(struct server *srv, const struct http_call *call,
    struct http_answer *a)
{
	const struct http1_req *req = call->req;
	char cur[HSESS_KEY_MAX + 32], key[HSESS_KEY_MAX + 1];
	if (!http1_query(req->query, "cursor", cur, sizeof cur)) {
		struct hsess *h = hsess_open(srv, call, HSESS_POLL, a);
		if (h == NULL)
			return true;
		h->log = g_ptr_array_new_with_free_func(g_free);
		hsess_pump(h);
		hold(h, call->conn);
		return false;
	}
	if (strcmp(req->method, "GET") != 0) {
		hsess_json_error(a, 405, "bad_request", "a poll is a GET");
		snprintf(a->headers, sizeof a->headers, "Allow: GET\r\n");
		return true;
	}
	uint64_t n;
	if (!cursor_of(cur, key, sizeof key, &n)) {
		hsess_json_error(a, 400, "bad_cursor", "a cursor is what the last "
		    "poll answered");
		return true;
	}
	struct hsess *h = hsess_find(srv, key);
	if (h == NULL || h->kind != HSESS_POLL) {
		hsess_json_error(a, 404, "unknown_session", "no such session: it "
		    "ended or never was; open a new one with the last resume");
		return true;
	}
	if (n < h->acked || n > h->acked + h->log->len) {
		hsess_json_error(a, 400, "bad_cursor", "that cursor is not one this "
		    "session's last answer gave");
		return true;
	}
	if (h->held != NULL)
		answer_held(h, false); /* given up on by its client, or not */
	confirm(h, n);
	h->s->last_rx = now_ms();
	struct session *s = h->s;
	if (s->replaying && !s->dead && s->out_bytes < SESSION_LOW_WATER(srv))
		hub_session_drained(srv, s);
	hold(h, call->conn);
	return false;
}
