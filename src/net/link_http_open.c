/*
 * link_http_open: an HTTP session opened from the core's first frames
 * (see link_http.c): HELLO becomes GET /events or GET /poll (its user,
 * its resume as rooms=, its token as the bearer), LOGIN and REGISTER
 * become POST /login and /register, whose answers come back as a
 * WebSocket would have brought them.
 */
#include "net/link_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

static void
add_query(char *q, size_t size, const char *key, const char *val)
{
	size_t n = strlen(q);
	n += (size_t)snprintf(q + n, n < size ? size - n : 0, "%s%s=",
	    n ? "&" : "", key);
	for (const unsigned char *p = (const unsigned char *)val; *p && n + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~:,@", *p) != NULL)
			q[n++] = (char)*p;
		else
			n += (size_t)snprintf(q + n, size - n, "%%%02X", *p);
	}
	q[n < size ? n : size - 1] = '\0';
}

/* HELLO's resume as rooms=ROOM:SEQ[.REV],...; the rooms that do not fit
 * in a query are joined with a JOIN each once the session is open. */
static void
resume_of(struct link *l, const cJSON *resume, char *rooms, size_t size)
{
	rooms[0] = '\0';
	const cJSON *r;
	cJSON_ArrayForEach(r, resume) {
		double seq = cJSON_IsNumber(r) ? r->valuedouble :
		    cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(r, "seq"));
		const cJSON *rev = cJSON_IsObject(r) ?
		    cJSON_GetObjectItemCaseSensitive(r, "rev") : NULL;
		if (seq != seq || r->string == NULL)
			continue;
		char one[128];
		if (cJSON_IsNumber(rev) && rev->valuedouble > 0)
			snprintf(one, sizeof one, "%s:%.0f.%.0f", r->string, seq,
			    rev->valuedouble);
		else
			snprintf(one, sizeof one, "%s:%.0f", r->string, seq);
		size_t n = strlen(rooms);
		if (n + strlen(one) + 1 < size) {
			snprintf(rooms + n, size - n, "%s%s", n ? "," : "", one);
			continue;
		}
		cJSON *join = cJSON_CreateObject();
		cJSON_AddStringToObject(join, "type", "JOIN");
		cJSON_AddStringToObject(join, "room", r->string);
		cJSON_AddNumberToObject(join, "since", seq);
		if (cJSON_IsNumber(rev) && rev->valuedouble > 0)
			cJSON_AddNumberToObject(join, "since_rev", rev->valuedouble);
		char *text = cJSON_PrintUnformatted(join);
		http_enqueue(l, text, strlen(text));
		free(text);
		cJSON_Delete(join);
	}
}

static void
open_session(struct link *l, const cJSON *hello)
{
	const char *user = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(hello, "user"));
	const char *token = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(hello, "token"));
	if (token != NULL && *token) {
		free(l->bearer);
		l->bearer = xasprintf("Bearer %s", token);
	}
	char rooms[MAX_QUERY - 200], q[MAX_QUERY];
	resume_of(l, cJSON_GetObjectItemCaseSensitive(hello, "resume"), rooms,
	    sizeof rooms);
	q[0] = '\0';
	add_query(q, sizeof q, "user", user ? user : "");
	if (rooms[0])
		add_query(q, sizeof q, "rooms", rooms);
	char *route = xasprintf("%s?%s", l->tr == TRANSPORT_SSE ? "events" : "poll", q);
	char *path = http_path(l, route);
	free(route);
	l->hello = true;
	if (http_req_start(l, l->tr == TRANSPORT_SSE ? HR_EVENTS : HR_POLL, path,
	    NULL, 0) == NULL)
		http_end(l, FB_UNREACHABLE, "cannot connect to %s:%d", l->t.host,
		    l->t.port);
}

static void
sign_in(struct link *l, const cJSON *f, bool reg)
{
	cJSON *b = cJSON_CreateObject();
	const char *cid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "cid"));
	cJSON_AddStringToObject(b, "user", cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(f, "user")) ?: "");
	cJSON_AddStringToObject(b, "password", cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(f, "password")) ?: "");
	char *body = cJSON_PrintUnformatted(b);
	struct hreq *old = l->signin;
	if (old != NULL)
		http_req_done(l, old);
	struct hreq *r = http_req_start(l, HR_SIGNIN, http_path(l, reg ? "register" : "login"),
	    body, strlen(body));
	if (r != NULL)
		snprintf(r->cid, sizeof r->cid, "%s", cid ? cid : "");
	else
		http_end(l, FB_UNREACHABLE, "cannot connect to %s:%d", l->t.host,
		    l->t.port);
	/* the password goes no further than the request's buffer */
	explicit_bzero(body, strlen(body));
	free(body);
	cJSON_Delete(b);
}

/* The answer to POST /login or /register, as a WebSocket would bring it. */
void
http_signin_answer(struct link *l, struct hreq *r)
{
	cJSON *a = r->rx ? cJSON_ParseWithLength(r->rx, r->rx_len) : NULL;
	cJSON *f = cJSON_CreateObject();
	if (r->status == 200 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(a, "token"))) {
		cJSON_AddStringToObject(f, "type", "LOGGED_IN");
		cJSON_AddStringToObject(f, "cid", r->cid);
		cJSON_AddItemToObject(f, "user", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(a, "user"), 1));
		cJSON_AddItemToObject(f, "token", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(a, "token"), 1));
		cJSON_AddItemToObject(f, "expires", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(a, "expires"), 1));
	} else {
		const char *code = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(a, "error"));
		const char *msg = cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(a, "message"));
		cJSON_AddStringToObject(f, "type", "ERROR");
		cJSON_AddStringToObject(f, "cid", r->cid);
		cJSON_AddStringToObject(f, "code", code ? code : "internal");
		cJSON_AddStringToObject(f, "reason", msg ? msg : "sign-in failed");
		cJSON_AddStringToObject(f, "ref", "LOGIN");
	}
	char *text = cJSON_PrintUnformatted(f);
	cJSON_Delete(f);
	cJSON_Delete(a);
	http_req_done(l, r);
	conn_link_local_frame(l->c, text, strlen(text));
	free(text);
}

bool
http_send(struct link *l, const char *text, size_t len)
{
	if (l->hello) {
		http_enqueue(l, text, len);
		http_kick_send(l);
		return true;
	}
	cJSON *f = cJSON_ParseWithLength(text, len);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "type"));
	if (type == NULL)
		type = "";
	if (strcmp(type, "HELLO") == 0)
		open_session(l, f);
	else if (strcmp(type, "LOGIN") == 0 || strcmp(type, "REGISTER") == 0)
		sign_in(l, f, type[0] == 'R');
	else if (strcmp(type, "HEARTBEAT") != 0) /* no session to keep yet */
		http_enqueue(l, text, len);
	cJSON_Delete(f);
	return true;
}

