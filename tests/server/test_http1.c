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
		cmocka_unit_test(http1__says_whether_a_body_follows),
		cmocka_unit_test(http1__refuses_what_could_be_read_two_ways),
		cmocka_unit_test(http1__refuses_malformed_request_lines),
		cmocka_unit_test(http1__finds_the_end_of_a_head_that_trickles_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
