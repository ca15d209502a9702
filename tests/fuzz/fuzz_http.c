/*
 * fuzz_http: what confabd parses of an HTTP request before any route runs
 * (server/http1: the head, its query string, its Authorization) and the
 * body of the sign-in routes (server/signin_body).
 *
 * The input is the bytes a client sends: a head, then whatever follows it
 * (as the body). Beyond not crashing:
 *
 *   - the end of the head is found the same whether the bytes come at once
 *     or in two reads split anywhere (the incremental scan loses nothing);
 *   - an accepted head has a method of token characters, a path that starts
 *     with '/' and holds no space or control byte, a lowercase media type,
 *     a body exactly when it has a length or is chunked;
 *   - a refused head has a status from 400 to 505 and a reason;
 *   - a query value or a bearer token decodes within its buffer, a bearer
 *     token is of token characters only;
 *   - an accepted sign-in body gives a valid user name and a password of 1
 *     to 1024 bytes of UTF-8, and the same body written out again by cJSON
 *     is accepted with the same fields.
 */
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "fuzz.h"
#include "model/names.h"
#include "model/utf8.h"
#include "server/http1.h"
#include "server/signin_body.h"

static bool
is_token_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != 0 && strchr("!#$%&'*+-.^_`|~/=", c));
}

static void
check_head(const struct http1_req *req)
{
	FUZZ_CHECK(req->method[0] != '\0');
	for (const char *c = req->method; *c; c++)
		FUZZ_CHECK(is_token_char((unsigned char)*c) && *c != '/' && *c != '=');
	FUZZ_CHECK(req->path[0] == '/');
	for (const unsigned char *c = (const unsigned char *)req->path; *c; c++)
		FUZZ_CHECK(*c > 0x20 && *c < 0x7f && *c != '?');
	for (const unsigned char *c = (const unsigned char *)req->query; *c; c++)
		FUZZ_CHECK(*c > 0x20 && *c < 0x7f);
	for (const char *c = req->content_type; *c; c++)
		FUZZ_CHECK(!(*c >= 'A' && *c <= 'Z') && *c != ';' && *c != ' ');
	FUZZ_CHECK(req->has_body == (req->chunked || req->content_length > 0));
	FUZZ_CHECK(req->minor == 0 || req->minor == 1);
}

static void
check_query(const char *query)
{
	static const char *const keys[] = {"since", "token", "a", ""};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		char out[64];
		memset(out, 'x', sizeof out);
		if (http1_query(query, keys[i], out, sizeof out)) {
			size_t n = strnlen(out, sizeof out);
			FUZZ_CHECK(n < sizeof out);
			FUZZ_CHECK(n <= strlen(query));
		}
	}
}

static void
check_bearer(const char *authorization)
{
	char out[48];
	if (!http1_bearer(authorization, out, sizeof out))
		return;
	size_t n = strnlen(out, sizeof out);
	FUZZ_CHECK(n > 0 && n < sizeof out);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(is_token_char((unsigned char)out[i]));
}

static void
check_body(const char *body, size_t len)
{
	struct signin_body b;
	char why[160];
	if (!signin_body_parse(body, len, &b, why, sizeof why)) {
		FUZZ_CHECK(why[0] != '\0');
		FUZZ_CHECK(utf8_valid(why, strlen(why)));
		return;
	}
	FUZZ_CHECK(names_valid_user(b.user));
	size_t pn = strlen(b.password);
	FUZZ_CHECK(pn >= 1 && pn <= SIGNIN_PASSWORD_MAX);
	FUZZ_CHECK(utf8_valid(b.password, pn));
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "user", b.user);
	cJSON_AddStringToObject(o, "password", b.password);
	char *again = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (again == NULL)
		abort();
	struct signin_body b2;
	FUZZ_CHECK(signin_body_parse(again, strlen(again), &b2, why, sizeof why));
	FUZZ_CHECK(strcmp(b.user, b2.user) == 0);
	FUZZ_CHECK(strcmp(b.password, b2.password) == 0);
	cJSON_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_bytes(data, size);
	size_t scanned = 0;
	size_t end = http1_head_end(buf, size, &scanned);
	/* the same bytes in two reads */
	size_t split = size ? data[0] % (size + 1) : 0;
	size_t scanned2 = 0;
	size_t end2 = http1_head_end(buf, split, &scanned2);
	if (end2 == 0)
		end2 = http1_head_end(buf, size, &scanned2);
	FUZZ_CHECK(end == end2);
	if (end == 0) {
		(void)http1_start_valid(buf, size);
		free(buf);
		return 0;
	}
	FUZZ_CHECK(end <= size);
	struct http1_req req;
	enum http1_result r = http1_parse(buf, end, &req);
	if (r == HTTP1_REFUSE) {
		FUZZ_CHECK(req.status >= 400 && req.status <= 505);
		FUZZ_CHECK(req.why != NULL && req.why[0] != '\0');
	} else {
		FUZZ_CHECK(r == HTTP1_DONE);
		check_head(&req);
		check_query(req.query);
		check_bearer(req.authorization);
	}
	check_body(buf + end, size - end);
	free(buf);
	return 0;
}
