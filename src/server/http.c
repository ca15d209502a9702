/*
 * http: the plain HTTP routes on the WebSocket port: /health (JSON) and
 * /metrics (Prometheus text format 0.0.4), GET and HEAD; the sign-in routes
 * (http_signin.c), POST; the HTTP sessions' /events, /poll and /send
 * (hsess.c); the web client's files at / (http_static.c). The request was parsed by http1.c and is written
 * back by conn.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/hsess.h"
#include "server/http1.h"
#include "server/server.h"

/* Public rooms loaded: direct-message and private rooms are left out, as
 * their existence is their members' to tell. */
static unsigned
public_rooms(struct server *srv)
{
	unsigned n = 0;
	GHashTableIter it;
	gpointer name, v;
	g_hash_table_iter_init(&it, srv->rooms);
	while (g_hash_table_iter_next(&it, &name, &v))
		n += ((const char *)name)[0] != '@' &&
		    !((const struct room *)v)->rights.is_private;
	return n;
}

/* detail as a JSON string body (no quotes): it holds SQLite's words. */
static void
append_json_text(GString *o, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			g_string_append_printf(o, "\\%c", c);
		else if (c < 0x20)
			g_string_append_printf(o, "\\u%04x", c);
		else
			g_string_append_c(o, (char)c);
	}
}

char *
http_health(struct server *srv, unsigned *status)
{
	const struct store_check *st = &srv->store_state;
	bool ok = st->state == STORE_OK;
	GString *o = g_string_new(NULL);
	g_string_append_printf(o, "{\"status\":\"%s\",\"version\":\"%s\","
	    "\"uptime_s\":%lld,\"sessions\":%u,\"rooms\":%u,\"store\":\"%s\"",
	    ok ? "ok" : "degraded", CONFAB_VERSION,
	    (long long)((now_ms() - srv->started) / 1000),
	    g_hash_table_size(srv->sessions), public_rooms(srv),
	    store_state_name(st->state));
	if (!ok) {
		g_string_append(o, ",\"store_detail\":\"");
		append_json_text(o, st->detail);
		g_string_append_c(o, '"');
	}
	g_string_append(o, "}\n");
	*status = ok ? HTTP_STATUS_OK : HTTP_STATUS_SERVICE_UNAVAILABLE;
	return g_string_free(o, FALSE);
}

char *
http_metrics(struct server *srv)
{
	GString *o = g_string_new(NULL);
	struct { const char *name, *type, *help; uint64_t v; } rows[] = {
		{"confab_sessions", "gauge", "Open sessions, every transport.",
		    g_hash_table_size(srv->sessions)},
		{"confab_sse_sessions", "gauge",
		    "Open sessions carried by Server-Sent Events (GET /events).",
		    hsess_count(srv, HSESS_SSE)},
		{"confab_poll_sessions", "gauge",
		    "Open sessions carried by long polling (GET /poll).",
		    hsess_count(srv, HSESS_POLL)},
		{"confab_rooms", "gauge",
		    "Public rooms loaded by this server (direct-message and private "
		    "rooms left out).",
		    public_rooms(srv)},
		{"confab_queued_bytes", "gauge",
		    "Bytes queued for sessions and not yet written.", srv->queued},
		{"confab_messages_stored_total", "counter",
		    "Messages committed to the store.", srv->m.messages_stored},
		{"confab_frames_in_total", "counter", "WebSocket frames received.",
		    srv->m.frames_in},
		{"confab_frames_out_total", "counter", "WebSocket frames sent.",
		    srv->m.frames_out},
		{"confab_slow_disconnects_total", "counter",
		    "Sessions closed with 4002: their queue, or all queues together, "
		    "passed the bound.", srv->m.slow_disconnects},
		{"confab_budget_disconnects_total", "counter",
		    "Of those, sessions dropped because all queues together passed "
		    "--max-queue-total.", srv->m.budget_disconnects},
		{"confab_heartbeat_disconnects_total", "counter",
		    "Sessions closed with 4001: nothing arrived for two heartbeats.",
		    srv->m.heartbeat_disconnects},
		{"confab_protocol_errors_total", "counter",
		    "WebSocket connections closed for a protocol error (1002, 1007).",
		    srv->m.protocol_errors},
		{"confab_http_requests_total", "counter",
		    "Plain HTTP requests answered.", srv->m.http_requests},
		{"confab_accept_pauses_total", "counter",
		    "Times accepting paused because descriptors ran out.",
		    srv->m.accept_pauses},
		{"confab_connections_refused_total", "counter",
		    "Connections refused: their address had --max-conns-per-ip open.",
		    srv->m.conns_refused},
		{"confab_handshake_timeouts_total", "counter",
		    "Sessions closed for no HELLO within --handshake-timeout.",
		    srv->m.handshake_timeouts},
		{"confab_origins_refused_total", "counter",
		    "WebSocket upgrades refused for their Origin (403).",
		    srv->m.origins_refused},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		g_string_append_printf(o, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n",
		    rows[i].name, rows[i].help, rows[i].name, rows[i].type,
		    rows[i].name, (unsigned long long)rows[i].v);
	g_string_append(o, "# HELP confab_errors_total ERROR frames sent and "
	    "oversized frames refused, by code.\n# TYPE confab_errors_total counter\n");
	for (int e = PE_OK + 1; e < PE_COUNT; e++)
		g_string_append_printf(o, "confab_errors_total{code=\"%s\"} %llu\n",
		    proto_err_name(e), (unsigned long long)srv->m.errors[e]);
	return g_string_free(o, FALSE);
}

const char *
http_reason(unsigned status)
{
	switch (status) {
	case 200: return "OK";
	case 202: return "Accepted";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 304: return "Not Modified";
	case 500: return "Internal Server Error";
	case 414: return "URI Too Long";
	case 426: return "Upgrade Required";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

bool
http_takes_body(const struct http1_req *req)
{
	return strcmp(req->method, "POST") == 0 &&
	    (strcmp(req->path, "/login") == 0 ||
	    strcmp(req->path, "/register") == 0 ||
	    strcmp(req->path, "/logout") == 0);
}

bool
http_route(struct server *srv, const struct http_call *call,
    struct http_answer *a)
{
	const struct http1_req *req = call->req;
	a->headers[0] = '\0';
	a->type = "text/plain; charset=utf-8";
	bool later;
	if (http_signin_route(srv, call, a, &later))
		return !later;
	if (hsess_route(srv, call, a, &later))
		return !later;
	bool health = strcmp(req->path, "/health") == 0;
	bool metrics = strcmp(req->path, "/metrics") == 0;
	if (!health && !metrics)
		return http_static_route(srv, call, a);
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		a->status = 405;
		snprintf(a->headers, sizeof a->headers, "Allow: GET, HEAD\r\n");
		a->body = g_strdup("only GET and HEAD are served here\n");
		return true;
	}
	if (health) {
		a->type = "application/json";
		a->body = http_health(srv, &a->status);
	} else {
		a->status = 200;
		a->type = "text/plain; version=0.0.4; charset=utf-8";
		a->body = http_metrics(srv);
	}
	return true;
}
