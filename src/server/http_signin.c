/*
 * http_signin: sign-in over HTTP (docs/protocol.md, "Sign-in over HTTP"),
 * for what cannot say LOGIN on a WebSocket first: scripts, browsers, the
 * SSE and long-poll transports. POST /login and POST /register take
 * {"user":…,"password":…} as application/json and answer
 * {"token":…,"user":…,"expires":…}; POST /logout takes the token as
 * "Authorization: Bearer …" and ends it, with every session it signed in.
 * The checks are accounts.c's, on its worker: the answer comes on a later
 * turn, through an http_wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/xmalloc.h"
#include "server/accounts.h"
#include "server/http1.h"
#include "server/signin_body.h"

static void
json_error(struct http_answer *a, unsigned status, const char *code,
    const char *message)
{
	a->status = status;
	a->type = "application/json";
	/* cJSON allocates through xmalloc: these cannot fail */
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", code);
	cJSON_AddStringToObject(o, "message", message);
	char *text = cJSON_PrintUnformatted(o);
	a->body = g_strdup_printf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(o);
}

static void
signin_answer(struct server *srv, void *data, const struct auth_result *r)
{
	(void)srv;
	struct http_wait *w = data;
	struct http_answer a = {0};
	switch (r->verdict) {
	case AUTH_OK:
		a.status = 200;
		a.type = "application/json";
		a.body = g_strdup_printf("{\"token\":\"%s\",\"user\":\"%s\","
		    "\"expires\":%lld}\n", r->token, r->user, (long long)r->expires);
		break;
	case AUTH_WRONG:
		json_error(&a, 401, "unauthorized", "wrong user name or password");
		break;
	case AUTH_LIMITED:
		json_error(&a, 429, "rate_limited", "too many failed sign-ins: "
		    "try again after Retry-After seconds");
		snprintf(a.headers, sizeof a.headers, "Retry-After: %d\r\n",
		    r->retry_after_s);
		break;
	case AUTH_BUSY:
		json_error(&a, 503, "rate_limited", "the server is busy signing "
		    "others in: try again in a second");
		snprintf(a.headers, sizeof a.headers, "Retry-After: 1\r\n");
		break;
	case AUTH_TAKEN:
		json_error(&a, 409, "taken", "that user name has an account already");
		break;
	case AUTH_FAILED:
	default:
		json_error(&a, 500, "internal", "storage failure, try again");
		break;
	}
	http_wait_answer(w, &a);
}

static bool
sign_in(struct server *srv, const struct http_call *call, bool create,
    struct http_answer *a)
{
	if (create && !srv->cfg.open_registration) {
		json_error(a, 403, "forbidden", "accounts are made by the server's "
		    "operator here");
		return true;
	}
	if (strcmp(call->req->content_type, "application/json") != 0) {
		json_error(a, 415, "bad_request", "the body must be "
		    "application/json");
		snprintf(a->headers, sizeof a->headers, "Accept-Post: "
		    "application/json\r\n");
		return true;
	}
	struct signin_body b;
	char why[160];
	if (!signin_body_parse(call->body, call->body_len, &b, why, sizeof why)) {
		json_error(a, 400, "bad_request", why);
		return true;
	}
	if (create && strlen(b.password) < AUTH_PASSWORD_MIN) {
		sodium_memzero(&b, sizeof b);
		json_error(a, 400, "bad_field", "a password is 8 to 1024 bytes");
		return true;
	}
	struct http_wait *w = http_wait_take(call->conn);
	if (create)
		auth_register(srv, b.user, b.password, call->addr, signin_answer, w);
	else
		auth_login(srv, b.user, b.password, call->addr, signin_answer, w);
	sodium_memzero(&b, sizeof b);
	return false;
}

static void
log_out(struct server *srv, const struct http_call *call,
    struct http_answer *a)
{
	char token[AUTH_TOKEN_LEN + 1];
	if (!http1_bearer(call->req->authorization, token, sizeof token)) {
		json_error(a, 401, "unauthorized", "send the token as "
		    "Authorization: Bearer TOKEN");
		snprintf(a->headers, sizeof a->headers, "WWW-Authenticate: "
		    "Bearer realm=\"confab\"\r\n");
		return;
	}
	bool known = auth_logout(srv, token);
	if (known)
		signin_token_ended(srv, token);
	sodium_memzero(token, sizeof token);
	if (!known) {
		json_error(a, 401, "unauthorized", "that token is not good (expired, "
		    "revoked or never given)");
		return;
	}
	a->status = 200;
	a->type = "application/json";
	a->body = g_strdup("{\"logged_out\":true}\n");
}

bool
http_signin_route(struct server *srv, const struct http_call *call,
    struct http_answer *a, bool *later)
{
	const char *path = call->req->path;
	bool login = strcmp(path, "/login") == 0;
	bool reg = strcmp(path, "/register") == 0;
	bool logout = strcmp(path, "/logout") == 0;
	if (!login && !reg && !logout)
		return false;
	*later = false;
	if (strcmp(call->req->method, "POST") != 0) {
		json_error(a, 405, "bad_request", "sign-in is a POST");
		snprintf(a->headers, sizeof a->headers, "Allow: POST\r\n");
		return true;
	}
	if (!srv->cfg.accounts) {
		json_error(a, 404, "not_found", "this server has no accounts "
		    "(--auth none)");
		return true;
	}
	if (logout)
		log_out(srv, call, a);
	else
		*later = !sign_in(srv, call, reg, a);
	return true;
}
