/*
 * Bad input against a real confabd: every kind gets an ERROR (or, for an
 * oversized frame, a 1009 close), nothing crashes or hangs, and a second,
 * well-behaved client is served throughout.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"

struct bench {
	struct srv *s;
	struct tc *good;  /* the well-behaved client */
	int said;
};

static void
bench_open(struct bench *b, const char *const *args)
{
	b->s = it_start(args);
	b->good = it_login(b->s, "good");
	it_join_quiet(b->good, "lobby");
	b->said = 0;
}

/* The good client still gets its messages stored and acknowledged. */
static void
still_serving(struct bench *b)
{
	char cid[16];
	snprintf(cid, sizeof cid, "ok%d", ++b->said);
	assert_int_equal(it_say(b->good, "lobby", cid, "still here"), b->said);
}

static void
bench_close(struct bench *b)
{
	tc_free(b->good);
	it_stop(b->s);
}

static struct tc *
hello(struct bench *b, const char *user)
{
	struct tc *c = it_login(b->s, user);
	it_join_quiet(c, "lobby");
	return c;
}

static void
malformed_frames_get_their_error_code_and_the_connection_stays(void **state)
{
	(void)state;
	static const struct { const char *frame, *code; } cases[] = {
		{"this is not json", "bad_json"},
		{"{\"type\":\"MESSAGE\",", "bad_json"},
		{"[1,2,3]", "bad_json"},
		{"42", "bad_json"},
		{"{\"type\":\"MESSAGE\",\"cid\":\"a\",\"room\":\"lobby\",\"text\":\"a\\u0000b\"}", "bad_json"},
		{"{\"type\":\"FLY\"}", "unknown_type"},
		{"{\"type\":\"WELCOME\",\"user\":\"x\",\"session\":\"s\",\"heartbeat_ms\":1}", "unknown_type"},
		{"{\"no_type\":1}", "unknown_type"},
		{"{\"type\":7}", "unknown_type"},
		{"{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"text\":\"no cid\"}", "bad_field"},
		{"{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"lobby\"}", "bad_field"},
		{"{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"lobby\",\"text\":5}", "bad_field"},
		{"{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"lobby\",\"text\":\"\"}", "bad_field"},
		{"{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":-1}", "bad_field"},
		{"{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":1.5}", "bad_field"},
		{"{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":\"yes\"}", "bad_field"},
		{"{\"type\":\"PRESENCE_UPDATE\",\"status\":\"offline\"}", "bad_field"},
		{"{\"type\":\"JOIN\",\"room\":\"Lobby\"}", "bad_room"},
		{"{\"type\":\"JOIN\",\"room\":\"\"}", "bad_room"},
		{"{\"type\":\"JOIN\",\"room\":\"a b\"}", "bad_room"},
		{"{\"type\":\"HELLO\",\"user\":\"again\"}", "bad_state"},
	};
	struct bench b;
	bench_open(&b, NULL);
	struct tc *bad = hello(&b, "mallory");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tc_send(bad, cases[i].frame);
		cJSON *e = tc_expect(bad, "ERROR", T);
		assert_non_null(e);
		if (strcmp(tc_str(e, "code"), cases[i].code) != 0)
			fail_msg("%s: got %s, want %s", cases[i].frame,
			    tc_str(e, "code"), cases[i].code);
		cJSON_Delete(e);
	}
	/* the cid of a readable frame is echoed so the client can match it */
	tc_send(bad, "{\"type\":\"MESSAGE\",\"cid\":\"c9\",\"room\":\"lobby\",\"text\":7}");
	it_expect_error(bad, "bad_field", "c9");
	assert_true(tc_is_open(bad));
	still_serving(&b);
	/* and the misbehaving client itself can still talk */
	assert_int_equal(it_say(bad, "lobby", "fine", "now properly"), b.said + 1);
	tc_free(bad);
	bench_close(&b);
}

/* cJSON alone reads \uZZZZ as a NUL, which cut the text short: such frames
 * are refused whole, and so are control bytes before the object. */
static void
bad_escapes_and_control_bytes_are_bad_json_and_store_nothing(void **state)
{
	(void)state;
	static const char *const frames[] = {
		"{\"type\":\"MESSAGE\",\"cid\":\"e1\",\"room\":\"lobby\","
		    "\"text\":\"visible\\uZZZZhidden part\"}",
		"{\"type\":\"MESSAGE\",\"cid\":\"e2\",\"room\":\"lobby\","
		    "\"text\":\"visible\\u00g0hidden part\"}",
		"{\"type\":\"MESSAGE\",\"cid\":\"z3\\uZZZZ\",\"room\":\"lobby\","
		    "\"text\":\"visible\"}",
		"{\"type\":\"MESSAGE\",\"cid\":\"e4\",\"room\":\"lobby\","
		    "\"text\":\"visible\\uDE00\"}",
		"{\"type\":\"MESSAGE\",\"cid\":\"e5\",\"room\":\"lobby\",\"text\":\"visible\","
		    "\"n\":01}",
	};
	struct bench b;
	bench_open(&b, NULL);
	struct tc *bad = hello(&b, "mallory");
	for (size_t i = 0; i < sizeof frames / sizeof *frames; i++) {
		tc_send(bad, frames[i]);
		cJSON *e = tc_expect(bad, "ERROR", T);
		assert_non_null(e);
		if (strcmp(tc_str(e, "code"), "bad_json") != 0)
			fail_msg("%s: got %s", frames[i], tc_str(e, "code"));
		cJSON_Delete(e);
	}
	for (int c = 0; c < 0x20; c++) {
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		char f[] = "?{\"type\":\"MESSAGE\",\"cid\":\"c0\",\"room\":\"lobby\","
		    "\"text\":\"visible\"}";
		f[0] = (char)c;
		tc_send_bytes(bad, f, sizeof f - 1, false);
		it_expect_error(bad, "bad_json", NULL);
	}
	assert_true(tc_quiet(bad, "ACK", 100));
	/* nothing was stored, cut short or whole */
	tc_send(bad, "{\"type\":\"HISTORY\",\"room\":\"lobby\"}");
	cJSON *h = tc_expect(bad, "HISTORY", T);
	assert_non_null(h);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(h, "messages")), 0);
	cJSON_Delete(h);
	assert_true(tc_is_open(bad));
	still_serving(&b);
	tc_free(bad);
	bench_close(&b);
}

static void
invalid_utf8_binary_and_deep_nesting_are_refused(void **state)
{
	(void)state;
	struct bench b;
	bench_open(&b, NULL);
	struct tc *bad = hello(&b, "mallory");

	static const char bad_utf8[] =
	    "{\"type\":\"MESSAGE\",\"cid\":\"u\",\"room\":\"lobby\",\"text\":\"\xff\xfe\"}";
	tc_send_bytes(bad, bad_utf8, sizeof bad_utf8 - 1, false);
	it_expect_error(bad, "invalid_utf8", NULL);
	static const char overlong[] = "{\"type\":\"HEARTBEAT\",\"x\":\"\xc0\xaf\"}";
	tc_send_bytes(bad, overlong, sizeof overlong - 1, false);
	it_expect_error(bad, "invalid_utf8", NULL);
	still_serving(&b);

	tc_send_bytes(bad, "\x01\x02\x03", 3, true);
	it_expect_error(bad, "unsupported_frame", NULL);
	still_serving(&b);

	size_t depth = 10000;
	char *deep = malloc(2 * depth + 1);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	deep[2 * depth] = '\0';
	tc_send(bad, deep);
	it_expect_error(bad, "bad_json", NULL);
	for (size_t i = 0; i < depth; i++)
		deep[i] = i % 2 ? ':' : '{';
	tc_send(bad, deep);
	it_expect_error(bad, "bad_json", NULL);
	free(deep);
	still_serving(&b);

	/* before HELLO nothing but HEARTBEAT is served */
	struct tc *anon = tc_connect(b.s->port, NULL);
	assert_non_null(anon);
	tc_send(anon, "{\"type\":\"JOIN\",\"room\":\"lobby\"}");
	it_expect_error(anon, "no_hello", NULL);
	tc_send(anon, "{\"type\":\"HELLO\",\"user\":\"bad name!\"}");
	it_expect_error(anon, "bad_field", NULL);
	tc_send(anon, "{\"type\":\"HEARTBEAT\"}");
	cJSON_Delete(tc_expect(anon, "HEARTBEAT", T));
	tc_free(anon);
	tc_free(bad);
	bench_close(&b);
}

static void
a_frame_over_the_limit_closes_with_1009_and_others_carry_on(void **state)
{
	(void)state;
	struct bench b;
	bench_open(&b, NULL);
	struct tc *bad = hello(&b, "mallory");
	size_t len = 1 << 20;
	char *big = malloc(len + 64);
	int n = snprintf(big, 64, "{\"type\":\"MESSAGE\",\"cid\":\"big\",\"room\":\"lobby\",\"text\":\"");
	memset(big + n, 'x', len - (size_t)n - 2);
	memcpy(big + len - 2, "\"}", 2);
	tc_send_bytes(bad, big, len, false);
	free(big);
	assert_int_equal(tc_wait_closed(bad, 10000), 1009);
	tc_free(bad);
	still_serving(&b);

	/* text over --max-text is refused but the connection stays */
	bench_close(&b);
	static const char *const args[] = {"--rate", "0", "--max-text", "10", NULL};
	bench_open(&b, args);
	tc_send(b.good, "{\"type\":\"MESSAGE\",\"cid\":\"long\",\"room\":\"lobby\","
	    "\"text\":\"eleven char\"}");
	it_expect_error(b.good, "too_large", "long");
	/* ten code points of multi-byte text fit */
	assert_int_equal(it_say(b.good, "lobby", "ten", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80"), 1);
	bench_close(&b);
}

static int
raw_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static void
garbage_on_the_socket_and_wrong_subprotocols_are_turned_away(void **state)
{
	(void)state;
	struct bench b;
	bench_open(&b, NULL);

	/* random bytes instead of HTTP: the server hangs up, it does not hang */
	int fd = raw_connect(b.s->port);
	unsigned char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 7919 + 13);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	char buf[512];
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0)
		;
	assert_int_equal(r, 0); /* closed, not timed out */
	close(fd);
	still_serving(&b);

	/* a WebSocket upgrade that is cut off halfway */
	fd = raw_connect(b.s->port);
	const char *half = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n";
	assert_true(write(fd, half, strlen(half)) > 0);
	close(fd);
	still_serving(&b);

	/* no or the wrong subprotocol */
	assert_null(tc_connect(b.s->port, "chat.v0"));
	still_serving(&b);
	bench_close(&b);
}

static void
a_session_over_its_rate_is_limited_but_stays_connected(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "5", "--burst", "5", NULL};
	struct bench b;
	bench_open(&b, args);
	struct tc *fast = hello(&b, "fast");
	for (int i = 0; i < 30; i++)
		tc_sendf(fast, "{\"type\":\"MESSAGE\",\"cid\":\"r%d\",\"room\":\"lobby\","
		    "\"text\":\"spam\"}", i);
	int acks = 0, limited = 0;
	for (int i = 0; i < 30; i++) {
		cJSON *f = tc_recv(fast, T);
		assert_non_null(f);
		if (tc_is(f, "ACK"))
			acks++;
		else if (tc_is(f, "ERROR")) {
			assert_string_equal(tc_str(f, "code"), "rate_limited");
			assert_non_null(tc_str(f, "cid"));
			limited++;
		} else
			i--; /* a broadcast of its own message */
		cJSON_Delete(f);
	}
	assert_true(acks >= 3 && acks <= 12);
	assert_int_equal(acks + limited, 30);
	b.said = acks;
	assert_true(tc_is_open(fast));
	/* HEARTBEAT is never limited */
	tc_send(fast, "{\"type\":\"HEARTBEAT\"}");
	cJSON_Delete(tc_expect(fast, "HEARTBEAT", T));
	still_serving(&b);
	tc_free(fast);
	bench_close(&b);
}

static void
a_client_that_stops_reading_is_dropped_without_slowing_others(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--max-queue", "262144",
	    "--max-text", "40000", NULL};
	struct bench b;
	bench_open(&b, args);
	struct tc *stuck = hello(&b, "stuck");
	struct tc *talker = hello(&b, "talker");
	tc_read_enable(stuck, false);

	/* enough to fill the socket buffers and then the queue bound */
	enum { COUNT = 800, SIZE = 30000 };
	char *text = malloc(SIZE + 1);
	memset(text, 'z', SIZE);
	text[SIZE] = '\0';
	for (int i = 0; i < COUNT; i++) {
		char cid[16];
		snprintf(cid, sizeof cid, "w%d", i);
		tc_sendf(talker, "{\"type\":\"MESSAGE\",\"cid\":\"%s\",\"room\":\"lobby\","
		    "\"text\":\"%s\"}", cid, text);
		/* the good client keeps up; it must see every message in order */
		cJSON *m = tc_expect(b.good, "MESSAGE", T);
		if (m == NULL)
			fail_msg("message %d did not reach the good client", i + 1);
		assert_int_equal(tc_int(m, "seq"), i + 1);
		cJSON_Delete(m);
		cJSON_Delete(tc_expect(talker, "ACK", T));
		tc_discard(talker);
	}
	free(text);
	tc_read_enable(stuck, true);
	assert_true(tc_wait_closed(stuck, 10000) > 0);

	char *metrics = srv_http_get(b.s, "/metrics");
	assert_non_null(metrics);
	assert_non_null(strstr(metrics, "confab_slow_disconnects_total 1"));
	free(metrics);
	b.said = COUNT;
	still_serving(&b);
	tc_free(stuck);
	tc_free(talker);
	bench_close(&b);
}

/* Each stalled queue stays under --max-queue; together they pass
 * --max-queue-total, and the biggest go until the rest fit. */
static void
stalled_clients_past_the_total_budget_are_dropped_with_4002(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--max-queue", "67108864",
	    "--max-queue-total", "1048576", "--max-text", "40000", NULL};
	struct bench b;
	bench_open(&b, args);
	enum { STALLED = 3, COUNT = 400, SIZE = 30000 };
	struct tc *stalled[STALLED];
	for (int i = 0; i < STALLED; i++) {
		char name[16];
		snprintf(name, sizeof name, "stalled%d", i);
		stalled[i] = hello(&b, name);
		tc_read_enable(stalled[i], false);
	}
	struct tc *talker = hello(&b, "talker");
	char *text = malloc(SIZE + 1);
	memset(text, 'y', SIZE);
	text[SIZE] = '\0';
	for (int i = 0; i < COUNT; i++) {
		tc_sendf(talker, "{\"type\":\"MESSAGE\",\"cid\":\"t%d\",\"room\":\"lobby\","
		    "\"text\":\"%s\"}", i, text);
		cJSON *m = tc_expect(b.good, "MESSAGE", T);
		if (m == NULL)
			fail_msg("message %d did not reach the reading client", i + 1);
		assert_int_equal(tc_int(m, "seq"), i + 1);
		cJSON_Delete(m);
		cJSON_Delete(tc_expect(talker, "ACK", T));
		tc_discard(talker);
	}
	free(text);
	char *metrics = srv_http_get(b.s, "/metrics");
	assert_non_null(strstr(metrics, "confab_budget_disconnects_total 3\n"));
	unsigned long long queued = 0;
	const char *q = strstr(metrics, "\nconfab_queued_bytes ");
	assert_non_null(q);
	sscanf(q, "\nconfab_queued_bytes %llu", &queued);
	assert_true(queued <= 1048576);
	free(metrics);
	for (int i = 0; i < STALLED; i++) {
		tc_read_enable(stalled[i], true);
		assert_int_equal(tc_wait_closed(stalled[i], 10000), 4002);
		tc_free(stalled[i]);
	}
	assert_true(tc_is_open(b.good));
	b.said = COUNT;
	still_serving(&b);
	tc_free(talker);
	bench_close(&b);
}

static void
health_and_metrics_answer_over_http(void **state)
{
	(void)state;
	struct bench b;
	bench_open(&b, NULL);
	tc_send(b.good, "nonsense");
	it_expect_error(b.good, "bad_json", NULL);
	still_serving(&b);

	char *h = srv_http_get(b.s, "/health");
	assert_non_null(h);
	assert_non_null(strstr(h, "200 OK"));
	assert_non_null(strstr(h, "application/json"));
	assert_non_null(strstr(h, "\"status\":\"ok\""));
	assert_non_null(strstr(h, "\"sessions\":1"));
	free(h);

	char *m = srv_http_get(b.s, "/metrics");
	assert_non_null(m);
	assert_non_null(strstr(m, "# TYPE confab_sessions gauge"));
	assert_non_null(strstr(m, "confab_sessions 1"));
	assert_non_null(strstr(m, "confab_rooms 1"));
	assert_non_null(strstr(m, "confab_messages_stored_total 1"));
	assert_non_null(strstr(m, "confab_errors_total{code=\"bad_json\"} 1"));
	assert_non_null(strstr(m, "confab_errors_total{code=\"rate_limited\"} 0"));
	assert_non_null(strstr(m, "confab_frames_in_total"));
	free(m);

	char *nf = srv_http_get(b.s, "/nope");
	assert_non_null(nf);
	assert_non_null(strstr(nf, "404"));
	free(nf);
	bench_close(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(malformed_frames_get_their_error_code_and_the_connection_stays),
		IT_TEST(bad_escapes_and_control_bytes_are_bad_json_and_store_nothing),
		IT_TEST(invalid_utf8_binary_and_deep_nesting_are_refused),
		IT_TEST(a_frame_over_the_limit_closes_with_1009_and_others_carry_on),
		IT_TEST(garbage_on_the_socket_and_wrong_subprotocols_are_turned_away),
		IT_TEST(a_session_over_its_rate_is_limited_but_stays_connected),
		IT_TEST(a_client_that_stops_reading_is_dropped_without_slowing_others),
		IT_TEST(stalled_clients_past_the_total_budget_are_dropped_with_4002),
		IT_TEST(health_and_metrics_answer_over_http),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
