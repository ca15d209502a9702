/*
 * http1: which request heads confabd reads, and which it refuses and with
 * what status, before any route sees them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/http1.h"
#include "server/signin_body.h"
#include "model/utf8.h"

static enum http1_result
parse(const char *text, struct http1_req *req)
{
	size_t scanned = 0, len = strlen(text);
	size_t end = http1_head_end(text, len, &scanned);
	if (end == 0)
		return HTTP1_MORE;
	return http1_parse(text, end, req);
}

static void
refused(const char *text, unsigned status)
{
	struct http1_req req;
	enum http1_result r = parse(text, &req);
	if (r != HTTP1_REFUSE)
		fail_msg("accepted: %s", text);
	if (req.status != status)
		fail_msg("%s: status %u, want %u (%s)", text, req.status, status, req.why);
}

static void
http1__parses_a_get_with_its_path_and_keep_alive(void **state)
{
	(void)state;
	struct http1_req req;
	assert_int_equal(parse("GET /health?x=1 HTTP/1.1\r\nHost: a\r\n"
	    "Accept: */*\r\n\r\n", &req), HTTP1_DONE);
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.path, "/health");
	assert_int_equal(req.minor, 1);
	assert_true(req.keep_alive);
	assert_false(req.has_body);
	assert_false(req.upgrade_websocket);

	assert_int_equal(parse("HEAD /metrics HTTP/1.1\r\nHost: a\r\n"
	    "Connection: close\r\n\r\n", &req), HTTP1_DONE);
	assert_false(req.keep_alive);
	assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n", &req), HTTP1_DONE);
	assert_false(req.keep_alive);
	assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
	    &req), HTTP1_DONE);
	assert_true(req.keep_alive);
	/* bare LF line ends and blank lines before the request are tolerated */
	assert_int_equal(parse("\r\n\nGET / HTTP/1.1\nHost: a\n\n", &req), HTTP1_DONE);
}

static void
http1__reads_the_websocket_handshake_fields(void **state)
{
	(void)state;
	struct http1_req req;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: WebSocket\r\n"
	    "Connection: keep-alive, Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat.v0\r\n"
	    "sec-websocket-protocol: confab.v1\r\n\r\n", &req), HTTP1_DONE);
	assert_true(req.upgrade_websocket);
	assert_true(req.connection_upgrade);
	assert_string_equal(req.ws_key, "dGhlIHNhbXBsZSBub25jZQ==");
	assert_string_equal(req.ws_version, "13");
	assert_string_equal(req.ws_protocols, "chat.v0,confab.v1");
	assert_true(http1_list_has(req.ws_protocols, "confab.v1"));
	assert_false(http1_list_has(req.ws_protocols, "confab"));
	/* an h2c upgrade is just a header to ignore */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\n"
	    "Connection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
	    "\r\n", &req), HTTP1_DONE);
	assert_false(req.upgrade_websocket);
}

static void
http1__says_whether_a_body_follows(void **state)
{
	(void)state;
	struct http1_req req;
	assert_int_equal(parse("POST /health HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 1\r\n\r\nx", &req), HTTP1_DONE);
	assert_true(req.has_body);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 0\r\n\r\n", &req), HTTP1_DONE);
	assert_false(req.has_body);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: x\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", &req), HTTP1_DONE);
	assert_true(req.has_body);
}

static void
http1__refuses_what_could_be_read_two_ways(void **state)
{
	(void)state;
	refused("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
	    "Content-Length: 2\r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
	    "Content-Length: 1\r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\n", 400);
	refused("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: x\rX-A: 1\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\n\r\n", 400); /* no Host */
}

static void
http1__refuses_malformed_request_lines(void **state)
{
	(void)state;
	refused("GET /\r\n\r\n", 400);
	refused("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	refused("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400);
	refused("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	refused("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	refused("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400);
	refused("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505);
	refused("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400);
	refused("GET / http/1.1\r\nHost: x\r\n\r\n", 400);
	refused("AVERYVERYLONGMETHODNAME / HTTP/1.1\r\nHost: x\r\n\r\n", 501);
}

static void
http1__finds_the_end_of_a_head_that_trickles_in(void **state)
{
	(void)state;
	const char *text = "GET / HTTP/1.1\r\nHost: x\r\n\r\nnext";
	size_t scanned = 0, len = strlen(text);
	for (size_t n = 1; n < len - 4; n++)
		assert_int_equal(http1_head_end(text, n, &scanned), 0);
	assert_int_equal(http1_head_end(text, len, &scanned), len - 4);
	/* a pipelined second request starts where the first head ends */
	scanned = 0;
	assert_int_equal(http1_head_end("\r\n\r\nGET", 7, &scanned), 0);
}

static void
http1__keeps_the_query_the_type_the_authorization_and_the_origin(void **state)
{
	(void)state;
	struct http1_req req;
	assert_int_equal(parse("POST /login?since=4&x HTTP/1.1\r\nHost: a\r\n"
	    "Content-Type: Application/JSON; charset=utf-8\r\n"
	    "Authorization: Bearer abc-_9\r\nOrigin: https://chat.example\r\n"
	    "Content-Length: 12\r\n\r\n", &req), HTTP1_DONE);
	assert_string_equal(req.path, "/login");
	assert_string_equal(req.query, "since=4&x");
	assert_string_equal(req.content_type, "application/json");
	assert_string_equal(req.authorization, "Bearer abc-_9");
	assert_string_equal(req.origin, "https://chat.example");
	assert_true(req.has_body);
	assert_false(req.chunked);
	assert_int_equal(req.content_length, 12);
	/* a second Authorization or Origin could be read either way */
	refused("GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer a\r\n"
	    "Authorization: Bearer b\r\n\r\n", 400);
	refused("GET / HTTP/1.1\r\nHost: a\r\nOrigin: https://a\r\n"
	    "Origin: https://b\r\n\r\n", 400);
}

static void
http1__decodes_query_values(void **state)
{
	(void)state;
	char out[16];
	assert_true(http1_query("a=1&since=12&b", "since", out, sizeof out));
	assert_string_equal(out, "12");
	assert_true(http1_query("a=1&b", "b", out, sizeof out));
	assert_string_equal(out, "");
	assert_true(http1_query("t=a%2Bb+c%e2%82%ac", "t", out, sizeof out));
	assert_string_equal(out, "a+b c\xe2\x82\xac");
	assert_false(http1_query("a=1", "since", out, sizeof out));
	assert_false(http1_query("sincex=1", "since", out, sizeof out));
	assert_false(http1_query("t=%4", "t", out, sizeof out));    /* cut escape */
	assert_false(http1_query("t=%zz", "t", out, sizeof out));   /* not hex */
	assert_false(http1_query("t=a%00b", "t", out, sizeof out)); /* a NUL */
	assert_false(http1_query("t=0123456789abcdef", "t", out, sizeof out));
	assert_false(http1_query("", "t", out, sizeof out));
}

static void
http1__reads_a_bearer_token(void **state)
{
	(void)state;
	char out[48];
	assert_true(http1_bearer("Bearer Hsvg1Apv0cCz_-", out, sizeof out));
	assert_string_equal(out, "Hsvg1Apv0cCz_-");
	assert_true(http1_bearer("bearer  x", out, sizeof out));
	assert_string_equal(out, "x");
	assert_false(http1_bearer("Basic YWxpY2U6cHc=", out, sizeof out));
	assert_false(http1_bearer("Bearer ", out, sizeof out));
	assert_false(http1_bearer("Bearer a b", out, sizeof out));
	assert_false(http1_bearer("Bearer a\"b", out, sizeof out));
	assert_false(http1_bearer("", out, sizeof out));
	char long_one[80];
	snprintf(long_one, sizeof long_one, "Bearer %060d", 0);
	assert_false(http1_bearer(long_one, out, sizeof out));
}

static void
signin_body__takes_a_user_and_a_password_and_nothing_else(void **state)
{
	(void)state;
	struct signin_body b;
	char why[160];
	const char *ok = "{\"password\":\"p\\u00e9 \\\"q\\\"\",\"user\":\"alice\"}";
	assert_true(signin_body_parse(ok, strlen(ok), &b, why, sizeof why));
	assert_string_equal(b.user, "alice");
	assert_string_equal(b.password, "p\xc3\xa9 \"q\"");
	static const struct { const char *body, *says; } bad[] = {
		{"", "not JSON"},
		{"{\"user\":\"alice\",\"password\":\"a\\u0000b\"}", "not JSON"},
		{"{\"user\":\"alice\"} {}", "not JSON"},
		{"{\"user\":\"alice\",\"password\":[\"x\"]}", "password"},
		{"{\"user\":\"alice\",\"password\":1}", "password"},
		{"{\"user\":\"@alice\",\"password\":\"x\"}", "user name"},
		{"{\"password\":\"x\"}", "user name"},
		{"\"alice\"", "object"},
		{"{\"user\":\"a\",\"password\":\"x\",\"user\":\"b\"}", "twice"},
		{"{\"user\":\"a\",\"password\":\"\xc3\"}", "UTF-8"},
		/* found by fuzz_http: the name quoted was cut inside a character */
		{"{\"\xe0\xa7\xaa\xe0\xa7\xaa\xe0\xa7\xaa\xe0\xa7\xaa\xe0\xa7\xaa"
		    "\xe0\xa7\xaa\xe0\xa7\xaa\xe0\xa7\xaa\xe0\xa7\xaa\xe0\xa7\xaa"
		    "\xe0\xa7\xaa\xe0\xa7\xaa\":1}", "unknown field"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (signin_body_parse(bad[i].body, strlen(bad[i].body), &b, why,
		    sizeof why))
			fail_msg("accepted: %s", bad[i].body);
		if (strstr(why, bad[i].says) == NULL)
			fail_msg("%s: %s", bad[i].body, why);
		if (!utf8_valid(why, strlen(why)))
			fail_msg("%s: the reason is not UTF-8", bad[i].body);
	}
	/* a raw NUL inside a string would cut it */
	static const char nul[] = "{\"user\":\"alice\",\"password\":\"a\0b\"}";
	assert_false(signin_body_parse(nul, sizeof nul - 1, &b, why, sizeof why));
	char big[SIGNIN_BODY_MAX + 2];
	memset(big, ' ', sizeof big);
	memcpy(big, ok, strlen(ok));
	assert_false(signin_body_parse(big, sizeof big, &b, why, sizeof why));
	assert_non_null(strstr(why, "too large"));
}

static void
http1__keeps_accept_and_one_last_event_id(void **state)
{
	(void)state;
	struct http1_req req;
	assert_int_equal(parse("GET /events HTTP/1.1\r\nHost: a\r\n"
	    "Accept: text/event-stream\r\nLast-Event-ID: lobby:41.9,dev:7\r\n\r\n",
	    &req), HTTP1_DONE);
	assert_string_equal(req.accept, "text/event-stream");
	assert_true(req.has_last_event_id);
	assert_string_equal(req.last_event_id, "lobby:41.9,dev:7");
	assert_int_equal(parse("GET /events HTTP/1.1\r\nHost: a\r\n\r\n", &req),
	    HTTP1_DONE);
	assert_false(req.has_last_event_id);
	assert_string_equal(req.accept, "");
	refused("GET /events HTTP/1.1\r\nHost: a\r\nLast-Event-ID: a\r\n"
	    "Last-Event-ID: b\r\n\r\n", 400);
}

static void
http1__keeps_if_none_match_cut_short_when_long(void **state)
{
	(void)state;
	struct http1_req req;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\n"
	    "If-None-Match: \"abc-1\", W/\"def\"\r\n\r\n", &req), HTTP1_DONE);
	assert_string_equal(req.if_none_match, "\"abc-1\", W/\"def\"");
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n", &req),
	    HTTP1_DONE);
	assert_string_equal(req.if_none_match, "");
	char head[1024];
	char tags[600];
	memset(tags, 'x', sizeof tags - 1);
	tags[sizeof tags - 1] = '\0';
	snprintf(head, sizeof head, "GET / HTTP/1.1\r\nHost: a\r\n"
	    "If-None-Match: %s\r\n\r\n", tags);
	assert_int_equal(parse(head, &req), HTTP1_DONE);
	assert_int_equal(strlen(req.if_none_match), sizeof req.if_none_match - 1);
}

static void
http1__keeps_the_host_and_one_origin(void **state)
{
	(void)state;
	struct http1_req req;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: chat.example:7681\r\n"
	    "Origin: https://chat.example\r\n\r\n", &req), HTTP1_DONE);
	assert_string_equal(req.host, "chat.example:7681");
	assert_true(req.has_origin);
	assert_string_equal(req.origin, "https://chat.example");
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n", &req),
	    HTTP1_DONE);
	assert_false(req.has_origin);
	refused("GET / HTTP/1.1\r\nHost: a\r\nOrigin: http://a\r\n"
	    "Origin: http://b\r\n\r\n", 400);
	char big[600];
	int n = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nHost: a\r\nOrigin: "
	    "http://%0300d\r\n\r\n", 0);
	assert_true(n > 0 && (size_t)n < sizeof big);
	refused(big, 400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(http1__parses_a_get_with_its_path_and_keep_alive),
		cmocka_unit_test(http1__reads_the_websocket_handshake_fields),
		cmocka_unit_test(http1__keeps_the_host_and_one_origin),
		cmocka_unit_test(http1__keeps_accept_and_one_last_event_id),
		cmocka_unit_test(http1__keeps_if_none_match_cut_short_when_long),
		cmocka_unit_test(http1__says_whether_a_body_follows),
		cmocka_unit_test(http1__refuses_what_could_be_read_two_ways),
		cmocka_unit_test(http1__refuses_malformed_request_lines),
		cmocka_unit_test(http1__finds_the_end_of_a_head_that_trickles_in),
		cmocka_unit_test(http1__keeps_the_query_the_type_the_authorization_and_the_origin),
		cmocka_unit_test(http1__decodes_query_values),
		cmocka_unit_test(http1__reads_a_bearer_token),
		cmocka_unit_test(signin_body__takes_a_user_and_a_password_and_nothing_else),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
