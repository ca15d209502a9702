/*
 * hsess: what SSE and long-poll sessions share (hsess.h): opening one from
 * a request, finding it by its key, its input (POST /send and the frames
 * made from the request) and its end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "model/xmalloc.h"
#include "server/abuse.h"
#include "server/accounts.h"
#include "server/hsess.h"
#include "server/http1.h"

/* Frames given but not yet handed to the hub (the session waits for long
 * work) may take this many times max_frame. */
#define INPUT_FRAMES_MAX 4

struct span {
	const char *p;
	size_t n;
};

void
hsess_json_error(struct http_answer *a, unsigned status, const char *code,
    const char *message)
{
	a->status = status;
	a->type = "application/json";
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", code);
	cJSON_AddStringToObject(o, "message", message);
	char *text = cJSON_PrintUnformatted(o);
	a->body = g_strdup_printf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(o);
}

static GHashTable *
table(struct server *srv)
{
	if (srv->http_sessions == NULL)
		srv->http_sessions = g_hash_table_new(g_direct_hash, g_direct_equal);
	return srv->http_sessions;
}

unsigned
hsess_count(struct server *srv, enum hsess_kind kind)
{
	unsigned n = 0;
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, table(srv));
	while (g_hash_table_iter_next(&it, NULL, &v))
		n += ((struct hsess *)v)->kind == kind && !((struct hsess *)v)->s->dead;
	return n;
}

struct hsess *
hsess_find(struct server *srv, const char *key)
{
	const char *dot = strchr(key, '.');
	if (key[0] != 's' || dot == NULL || dot - key > 20 ||
	    strlen(dot + 1) != HSESS_SECRET_HEX)
		return NULL;
	char *end;
	unsigned long long id = strtoull(key + 1, &end, 16);
	if (end != dot)
		return NULL;
	struct hsess *h = g_hash_table_lookup(table(srv), GSIZE_TO_POINTER(id));
	/* the secret is compared in constant time: it is what guards the
	 * session */
	if (h == NULL || strlen(h->key) != strlen(key) ||
	    sodium_memcmp(h->key, key, strlen(key)) != 0)
		return NULL;
	return h;
}

/* ---- input ---------------------------------------------------------------- */

static void
input_push(struct hsess *h, const char *text, size_t len, bool made)
{
	struct hsess_in *in = xmalloc(sizeof *in + len + 1);
	in->made = made;
	in->len = len;
	memcpy(in->text, text, len);
	in->text[len] = '\0';
	g_queue_push_tail(&h->input, in);
	h->input_bytes += len;
}

void
hsess_pump(struct hsess *h)
{
	struct session *s = h->s;
	struct hsess_in *in;
	while (!s->blocked && (in = g_queue_pop_head(&h->input)) != NULL) {
		h->input_bytes -= in->len;
		if (!s->dead) {
			/* what the server made of the request costs the client
			 * nothing of its rate */
			struct ratelimit keep = s->rl;
			hub_frame(h->srv, s, in->text, in->len);
			if (in->made)
				s->rl = keep;
		}
		free(in);
	}
}

static void
work_cb(lws_sorted_usec_list_t *sul)
{
	struct hsess *h = lws_container_of(sul, struct hsess, work_sul);
	hsess_pump(h);
	if (h->kind == HSESS_POLL)
		poll_work(h); /* may free h */
	else if (h->conn != NULL)
		lws_callback_on_writable(h->conn->wsi);
}

void
hsess_shrink(GString **g, size_t keep)
{
	if ((*g)->allocated_len > keep) {
		g_string_free(*g, TRUE);
		*g = g_string_new(NULL);
	} else {
		g_string_truncate(*g, 0);
	}
}

void
hsess_later(struct hsess *h)
{
	if (!h->srv->destroying)
		lws_sul_schedule(h->srv->ctx, 0, &h->work_sul, work_cb, 1);
}

/* ---- opening ---------------------------------------------------------------- */

/* The token of the request (Authorization: Bearer, or ?token=); false
 * without one; *bad when one was given in a bad form. */
static bool
token_of(const struct http1_req *req, char *out, size_t cap, bool *bad)
{
	*bad = false;
	if (req->authorization[0] != '\0') {
		*bad = !http1_bearer(req->authorization, out, cap);
		return !*bad;
	}
	return http1_query(req->query, "token", out, cap) && out[0] != '\0';
}

/* Who the request signs on as, or an answer refusing it. */
static bool
signer(struct server *srv, const struct http1_req *req, char *user,
    char *token, struct http_answer *a)
{
	bool bad, has_token = token_of(req, token, AUTH_TOKEN_LEN + 1, &bad);
	char named[NAMES_USER_MAX + 1] = "";
	bool has_user = http1_query(req->query, "user", named, sizeof named);
	if (!srv->cfg.accounts) {
		token[0] = '\0';
		if (!has_user || !names_valid_user(named)) {
			hsess_json_error(a, 400, "bad_request", "name a valid user: "
			    "?user=NAME");
			return false;
		}
		memcpy(user, named, sizeof named);
		return true;
	}
	char *who = has_token ? auth_token_user(srv, token) : NULL;
	if (who == NULL || (has_user && strcmp(who, named) != 0)) {
		hsess_json_error(a, 401, "unauthorized", !has_token
		    ? "sign in (POST /login), then send the token as Authorization: "
		      "Bearer TOKEN or ?token=TOKEN"
		    : who == NULL ? "that sign-in is no longer good (expired or "
		      "revoked): sign in again" : "that sign-in is another user's");
		snprintf(a->headers, sizeof a->headers, "WWW-Authenticate: "
		    "Bearer realm=\"confab\"\r\n");
		free(who);
		return false;
	}
	g_strlcpy(user, who, NAMES_USER_MAX + 1);
	free(who);
	return true;
}

/* The rooms to follow: the SSE stream's Last-Event-ID, else ?rooms=. */
static GArray *
rooms_of(struct server *srv, const struct http1_req *req, enum hsess_kind kind,
    struct http_answer *a)
{
	char q[sizeof req->query];
	GArray *r;
	if (kind == HSESS_SSE && req->has_last_event_id) {
		r = spos_parse(req->last_event_id, srv->cfg.max_rooms);
		if (r == NULL)
			hsess_json_error(a, 400, "bad_request", "Last-Event-ID is not "
			    "an id of this server's streams");
		return r;
	}
	if (!http1_query(req->query, "rooms", q, sizeof q))
		return g_array_new(FALSE, FALSE, sizeof(struct spos_room));
	r = spos_parse(q, srv->cfg.max_rooms);
	if (r == NULL)
		hsess_json_error(a, 400, "bad_request", "rooms= is a list of "
		    "ROOM, ROOM:SEQ or ROOM:SEQ.REV, separated by commas");
	return r;
}

/* HELLO (with the rooms that have a seq as its resume), then a JOIN for
 * each room without one: the hub signs the session on as any other. */
static void
greet(struct hsess *h, const char *user, const char *token, GArray *rooms)
{
	cJSON *hello = cJSON_CreateObject();
	cJSON_AddStringToObject(hello, "type", "HELLO");
	cJSON_AddStringToObject(hello, "user", user);
	if (token[0] != '\0')
		cJSON_AddStringToObject(hello, "token", token);
	cJSON_AddStringToObject(hello, "client", h->kind == HSESS_SSE
	    ? "confabd-sse" : "confabd-poll");
	cJSON *resume = cJSON_AddObjectToObject(hello, "resume");
	for (guint i = 0; i < rooms->len; i++) {
		const struct spos_room *r = &g_array_index(rooms, struct spos_room, i);
		if (!r->has_seq)
			continue;
		spos_hint(&h->pos, r->name, r->seq, r->rev);
		if (r->rev < 0) {
			cJSON_AddNumberToObject(resume, r->name, (double)r->seq);
		} else {
			cJSON *o = cJSON_AddObjectToObject(resume, r->name);
			cJSON_AddNumberToObject(o, "seq", (double)r->seq);
			cJSON_AddNumberToObject(o, "rev", (double)r->rev);
		}
	}
	char *text = cJSON_PrintUnformatted(hello);
	input_push(h, text, strlen(text), true);
	sodium_memzero(text, strlen(text));
	cJSON_free(text);
	cJSON_Delete(hello);
	for (guint i = 0; i < rooms->len; i++) {
		const struct spos_room *r = &g_array_index(rooms, struct spos_room, i);
		if (r->has_seq)
			continue;
		spos_hint(&h->pos, r->name, -1, -1);
		char *j = g_strdup_printf("{\"type\":\"JOIN\",\"room\":\"%s\"}",
		    r->name);
		input_push(h, j, strlen(j), true);
		g_free(j);
	}
}

/* A long-poll session outlives its requests' connections: its address's
 * poll sessions count against --max-conns-per-ip as connections do. */
static bool
polls_left(struct server *srv, const char *counted)
{
	size_t max = srv->cfg.max_conns_per_ip, n = 0;
	if (max == 0)
		return true;
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, table(srv));
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct hsess *h = v;
		n += h->kind == HSESS_POLL && !h->s->dead &&
		    strcmp(h->counted, counted) == 0;
	}
	return n < max;
}

struct hsess *
hsess_open(struct server *srv, const struct http_call *call,
    enum hsess_kind kind, struct http_answer *a)
{
	const struct http1_req *req = call->req;
	if (strcmp(req->method, "GET") != 0) {
		hsess_json_error(a, 405, "bad_request", "this route is a GET");
		snprintf(a->headers, sizeof a->headers, "Allow: GET\r\n");
		return NULL;
	}
	if (req->has_origin && !abuse_origin_allowed(&srv->cfg, req->origin,
	    req->host)) {
		srv->m.origins_refused++;
		hsess_json_error(a, 403, "forbidden", "this origin may not open a "
		    "confab session here");
		return NULL;
	}
	if (srv->stopping) {
		hsess_json_error(a, 503, "unavailable", "the server is shutting down");
		return NULL;
	}
	if (kind == HSESS_POLL && !polls_left(srv, call->conn->addr)) {
		srv->m.conns_refused++;
		hsess_json_error(a, 429, "rate_limited", "this address has "
		    "--max-conns-per-ip long-poll sessions open already");
		return NULL;
	}
	char user[NAMES_USER_MAX + 1], token[AUTH_TOKEN_LEN + 1] = "";
	if (!signer(srv, req, user, token, a)) {
		sodium_memzero(token, sizeof token);
		return NULL;
	}
	GArray *rooms = rooms_of(srv, req, kind, a);
	if (rooms == NULL) {
		sodium_memzero(token, sizeof token);
		return NULL;
	}
	struct hsess *h = xcalloc(1, sizeof *h);
	h->srv = srv;
	h->kind = kind;
	h->s = session_new(srv, kind == HSESS_SSE ? &hsess_sse_transport
	    : &hsess_poll_transport, h, now_ms());
	if (h->s == NULL) {
		fprintf(stderr, "confabd: out of memory\n");
		abort();
	}
	unsigned char secret[HSESS_SECRET_HEX / 2];
	char hex[HSESS_SECRET_HEX + 1];
	randombytes_buf(secret, sizeof secret);
	sodium_bin2hex(hex, sizeof hex, secret, sizeof secret);
	snprintf(h->key, sizeof h->key, "%s.%s", h->s->sid, hex);
	g_strlcpy(h->addr, call->addr, sizeof h->addr);
	g_strlcpy(h->counted, call->conn->addr, sizeof h->counted);
	spos_init(&h->pos);
	g_queue_init(&h->input);
	h->part = g_string_new(NULL);
	g_hash_table_insert(table(srv), GSIZE_TO_POINTER(h->s->id), h);
	greet(h, user, token, rooms);
	sodium_memzero(token, sizeof token);
	g_array_free(rooms, TRUE);
	return h;
}

void
hsess_free(struct hsess *h)
{
	struct server *srv = h->srv;
	if (h->held != NULL) {
		struct http_answer a = {0};
		hsess_json_error(&a, 404, "unknown_session", "the session ended");
		http_wait_answer(h->held, &a);
		h->held = NULL;
	}
	if (!srv->destroying) {
		lws_sul_cancel(&h->work_sul);
		lws_sul_cancel(&h->tick_sul);
	}
	g_hash_table_remove(table(srv), GSIZE_TO_POINTER(h->s->id));
	struct hsess_in *in;
	while ((in = g_queue_pop_head(&h->input)) != NULL)
		free(in);
	if (h->log != NULL) {
		session_account(h->s, 0, h->log_bytes);
		g_ptr_array_free(h->log, TRUE);
	}
	g_free(h->log_resume);
	g_free(h->last_id);
	session_free(h->s);
	spos_free(&h->pos);
	g_string_free(h->part, TRUE);
	if (h->wbuf != NULL)
		g_string_free(h->wbuf, TRUE);
	free(h);
}

void
hsess_destroy(struct server *srv)
{
	GHashTableIter it;
	gpointer v;
	GPtrArray *polls = g_ptr_array_new();
	g_hash_table_iter_init(&it, table(srv));
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct hsess *h = v;
		lws_sul_cancel(&h->work_sul);
		lws_sul_cancel(&h->tick_sul);
		if (h->kind == HSESS_POLL)
			g_ptr_array_add(polls, h);
	}
	/* SSE sessions go with their connections */
	for (guint i = 0; i < polls->len; i++) {
		struct hsess *h = g_ptr_array_index(polls, i);
		if (h->held != NULL) {
			struct http_answer a = {0};
			hsess_json_error(&a, 503, "unavailable", "the server is "
			    "shutting down");
			http_wait_answer(h->held, &a);
			h->held = NULL;
		}
		hsess_free(h);
	}
	g_ptr_array_free(polls, TRUE);
}

void
hsess_cleanup(struct server *srv)
{
	if (srv->http_sessions != NULL)
		g_hash_table_destroy(srv->http_sessions);
	srv->http_sessions = NULL;
}

/* ---- POST /send --------------------------------------------------------------- */

static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* The end of the JSON value starting at p (strings and nesting followed;
 * the value itself is read strictly later, by the hub), or NULL. */
static const char *
value_end(const char *p, const char *e)
{
	int depth = 0;
	bool str = false;
	for (; p < e; p++) {
		char c = *p;
		if (str) {
			if (c == '\\')
				p++;
			else if (c == '"')
				str = false;
			continue;
		}
		if (c == '"')
			str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (--depth < 0)
				return p;
		} else if (c == ',' && depth == 0)
			return p;
	}
	return depth == 0 && !str ? p : NULL;
}

/* Splits a body into frames: a JSON array of frames, or one frame (which
 * the hub reads, and refuses if it is no JSON). -1 when the array is
 * malformed. */
static int
split(const char *body, size_t len, GArray *out)
{
	const char *p = skip_ws(body, body + len), *e = body + len;
	if (p == e || *p != '[') {
		struct span one = {body, len};
		g_array_append_val(out, one);
		return 1;
	}
	p = skip_ws(p + 1, e);
	if (p < e && *p == ']')
		return skip_ws(p + 1, e) == e ? 0 : -1;
	while (p < e) {
		const char *v = value_end(p, e);
		if (v == NULL || v == e || v == p)
			return -1;
		const char *ve = v;
		while (ve > p && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r' ||
		    ve[-1] == '\n'))
			ve--;
		struct span one = {p, (size_t)(ve - p)};
		g_array_append_val(out, one);
		if (*v == ']')
			return skip_ws(v + 1, e) == e ? (int)out->len : -1;
		p = skip_ws(v + 1, e);
	}
	return -1;
}

/* A JOIN decides where its room's position starts (its since, or the
 * head): noted before the hub sees it. */
static void
note_join(struct hsess *h, const char *text, size_t n)
{
	if (g_strstr_len(text, (gssize)n, "JOIN") == NULL)
		return;
	cJSON *o = cJSON_ParseWithLength(text, n);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
	const cJSON *room = cJSON_GetObjectItemCaseSensitive(o, "room");
	const cJSON *since = cJSON_GetObjectItemCaseSensitive(o, "since");
	const cJSON *rev = cJSON_GetObjectItemCaseSensitive(o, "since_rev");
	if (cJSON_IsString(t) && strcmp(t->valuestring, "JOIN") == 0 &&
	    cJSON_IsString(room))
		spos_hint(&h->pos, room->valuestring,
		    cJSON_IsNumber(since) ? (int64_t)since->valuedouble : -1,
		    cJSON_IsNumber(since) && cJSON_IsNumber(rev)
		    ? (int64_t)rev->valuedouble : -1);
	cJSON_Delete(o);
}

static void
send_route(struct server *srv, const struct http_call *call,
    struct http_answer *a)
{
	const struct http1_req *req = call->req;
	if (strcmp(req->method, "POST") != 0) {
		hsess_json_error(a, 405, "bad_request", "frames are sent with POST");
		snprintf(a->headers, sizeof a->headers, "Allow: POST\r\n");
		return;
	}
	char key[HSESS_KEY_MAX + 1];
	if (!http1_query(req->query, "session", key, sizeof key)) {
		hsess_json_error(a, 400, "bad_request", "name the session: "
		    "?session=KEY (the session event's key)");
		return;
	}
	struct hsess *h = hsess_find(srv, key);
	if (h == NULL || h->s->dead) {
		hsess_json_error(a, 404, "unknown_session", "no such session: it "
		    "ended or never was; open a new one");
		return;
	}
	if (strcmp(req->content_type, "application/json") != 0) {
		hsess_json_error(a, 415, "bad_request", "the body must be "
		    "application/json");
		return;
	}
	if (h->input_bytes + call->body_len > INPUT_FRAMES_MAX * srv->cfg.max_frame) {
		hsess_json_error(a, 429, "rate_limited", "the session is still "
		    "taking earlier frames: try again in a second");
		snprintf(a->headers, sizeof a->headers, "Retry-After: 1\r\n");
		return;
	}
	GArray *frames = g_array_new(FALSE, FALSE, sizeof(struct span));
	int n = split(call->body, call->body_len, frames);
	if (n < 0) {
		g_array_free(frames, TRUE);
		srv->m.errors[PE_BAD_JSON]++;
		hsess_json_error(a, 400, "bad_json", "the body is neither one frame "
		    "nor a JSON array of frames");
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct span *f = &g_array_index(frames, struct span, i);
		note_join(h, f->p, f->n);
		input_push(h, f->p, f->n, false);
	}
	g_array_free(frames, TRUE);
	hsess_pump(h);
	a->status = 202;
	a->type = "application/json";
	a->body = g_strdup_printf("{\"accepted\":%d}\n", n);
}

bool
hsess_takes_body(const struct server *srv, const struct http1_req *req,
    size_t *max)
{
	if (strcmp(req->method, "POST") != 0 || strcmp(req->path, "/send") != 0)
		return false;
	*max = srv->cfg.max_frame;
	return true;
}

bool
hsess_route(struct server *srv, const struct http_call *call,
    struct http_answer *a, bool *later)
{
	const char *path = call->req->path;
	*later = false;
	if (strcmp(path, "/send") == 0) {
		send_route(srv, call, a);
		return true;
	}
	if (strcmp(path, "/events") == 0) {
		*later = !sse_route(srv, call, a);
		return true;
	}
	if (strcmp(path, "/poll") == 0) {
		*later = !poll_route(srv, call, a);
		return true;
	}
	return false;
}
