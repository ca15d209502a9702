/*
 * confabd over real sockets: the abuse limits (docs/protocol.md,
 * "Limits"). Connections at once per address, the time from connecting
 * to HELLO, sessions per user, browsers' origins, rooms and documents one
 * user may create; each limit is refused at its bound and the server goes
 * on serving everyone else.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "rawc.h"

/* A TCP connection to the server from a loopback address of our choosing
 * (all of 127/8 is this machine's). */
static int
connect_from(const struct srv *s, const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in me = {.sin_family = AF_INET};
	inet_pton(AF_INET, from, &me.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
	struct sockaddr_in to = {.sin_family = AF_INET,
	    .sin_port = htons((uint16_t)s->port)};
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&to, sizeof to), 0);
	return fd;
}

/* GET /health on fd; whether it was answered 200. */
static bool
health_on(int fd)
{
	static const char get[] = "GET /health HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n";
	char buf[4096];
	bool eof;
	if (!rawc_write(fd, get, sizeof get - 1))
		return false;
	rawc_read_all(fd, buf, sizeof buf, 3000, &eof);
	return strstr(buf, "HTTP/1.1 200 OK") != NULL;
}

static bool
metric_at_least(const struct srv *s, const char *name, long long min)
{
	char *m = srv_http_get(s, "/metrics");
	assert_non_null(m);
	char key[96];
	snprintf(key, sizeof key, "\n%s ", name);
	const char *p = strstr(m, key);
	bool ok = p != NULL && atoll(p + strlen(key)) >= min;
	free(m);
	return ok;
}

/* ---- connections per address --------------------------------------------------- */

static void
a_connection_past_the_per_address_limit_is_refused_and_others_are_served(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--max-conns-per-ip", "3",
	    "--handshake-timeout", "60", NULL};
	struct srv *s = it_start(args);
	int held[3];
	for (int i = 0; i < 3; i++)
		held[i] = connect_from(s, "127.0.0.5");
	/* the fourth from that address: told so and closed, nothing read */
	int extra = connect_from(s, "127.0.0.5");
	char buf[4096];
	bool eof;
	rawc_read_all(extra, buf, sizeof buf, 3000, &eof);
	assert_true(eof);
	assert_non_null(strstr(buf, "429"));
	close(extra);
	/* the three held are served, and so is everyone else */
	assert_true(health_on(held[0]));
	close(held[0]);
	int other = connect_from(s, "127.0.0.6");
	assert_true(health_on(other));
	close(other);
	struct tc *alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	/* once one closed, that address may connect again */
	bool served = false;
	for (int i = 0; i < 50 && !served; i++) {
		int again = connect_from(s, "127.0.0.5");
		served = health_on(again);
		close(again);
		if (!served)
			tc_pump(100);
	}
	assert_true(served);
	assert_true(metric_at_least(s, "confab_connections_refused_total", 1));
	close(held[1]);
	close(held[2]);
	tc_free(alice);
	it_stop(s);
}

static int
connect6(const struct srv *s)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in6 to = {.sin6_family = AF_INET6,
	    .sin6_port = htons((uint16_t)s->port), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	assert_int_equal(connect(fd, (struct sockaddr *)&to, sizeof to), 0);
	return fd;
}

static void
ipv6_connections_are_counted_per_address_block_too(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--listen", "[::1]:0",
	    "--max-conns-per-ip", "2", "--handshake-timeout", "60", NULL};
	struct srv *s = it_start(args);
	int held[2] = {connect6(s), connect6(s)};
	int extra = connect6(s);
	char buf[4096];
	bool eof;
	rawc_read_all(extra, buf, sizeof buf, 3000, &eof);
	assert_true(eof);
	assert_non_null(strstr(buf, "429"));
	close(extra);
	assert_true(health_on(held[0]));
	close(held[0]);
	close(held[1]);
	it_stop(s);
}

/* ---- the handshake's deadline ------------------------------------------------------ */

static void
a_head_that_trickles_in_is_closed_after_the_handshake_timeout(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--handshake-timeout", "1",
	    NULL};
	struct srv *s = it_start(args);
	int fd = rawc_connect(s->port, 5000);
	assert_true(fd >= 0);
	static const char part[] = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n";
	assert_true(rawc_write(fd, part, sizeof part - 1));
	char buf[1024];
	bool eof;
	/* not before its time (the server never closes early)... */
	rawc_read_all(fd, buf, sizeof buf, 300, &eof);
	assert_false(eof);
	assert_true(rawc_write(fd, "X-Slow: 1\r\n", 11));
	/* ...but once it passed, whatever still trickles in */
	rawc_read_all(fd, buf, sizeof buf, 8000, &eof);
	assert_true(eof);
	close(fd);
	int ok = rawc_connect(s->port, 3000);
	assert_true(health_on(ok));
	close(ok);
	it_stop(s);
}

static void
an_upgraded_connection_without_hello_is_closed_after_the_handshake_timeout(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--handshake-timeout", "1",
	    NULL};
	struct srv *s = it_start(args);
	struct tc *mute = tc_connect(s->port, NULL);
	assert_non_null(mute);
	struct tc *hello = it_login(s, "alice");
	/* heartbeats are no HELLO: they do not keep it */
	int code = -1;
	for (int i = 0; i < 40 && code < 0; i++) {
		tc_send(mute, "{\"type\":\"HEARTBEAT\"}");
		code = tc_wait_closed(mute, 200);
	}
	assert_int_equal(code, 1008);
	/* the one that said HELLO stays well past the timeout */
	tc_pump(1500);
	assert_true(tc_is_open(hello));
	tc_send(hello, "{\"type\":\"HEARTBEAT\"}");
	cJSON_Delete(tc_expect(hello, "HEARTBEAT", T));
	assert_true(metric_at_least(s, "confab_handshake_timeouts_total", 1));
	tc_free(mute);
	tc_free(hello);
	it_stop(s);
}

/* ---- sessions per user -------------------------------------------------------------- */

static void
a_users_sessions_past_the_cap_are_refused(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--max-sessions-per-user",
	    "2", NULL};
	struct srv *s = it_start(args);
	struct tc *a1 = it_login(s, "alice");
	struct tc *a2 = it_login(s, "alice");
	struct tc *a3 = tc_connect(s->port, NULL);
	assert_non_null(a3);
	tc_send(a3, "{\"type\":\"HELLO\",\"user\":\"alice\"}");
	cJSON *e = tc_expect(a3, "ERROR", T);
	assert_non_null(e);
	assert_string_equal(tc_str(e, "code"), "too_many_sessions");
	assert_string_equal(tc_str(e, "ref"), "HELLO");
	cJSON_Delete(e);
	assert_int_equal(tc_wait_closed(a3, T), 1008);
	assert_null(tc_expect(a3, "WELCOME", 0));
	/* others are not counted against alice */
	struct tc *bob = it_login(s, "bob");
	/* one of hers gone, she may open another */
	tc_free(a1);
	struct tc *again = NULL;
	for (int i = 0; i < 50 && again == NULL; i++) {
		struct tc *c = tc_connect(s->port, NULL);
		tc_send(c, "{\"type\":\"HELLO\",\"user\":\"alice\"}");
		cJSON *w = tc_expect(c, "WELCOME", T);
		if (w != NULL)
			again = c;
		else
			tc_free(c);
		cJSON_Delete(w);
	}
	assert_non_null(again);
	tc_free(a2);
	tc_free(a3);
	tc_free(bob);
	tc_free(again);
	it_stop(s);
}

/* ---- browsers' origins ----------------------------------------------------------------- */

/* The status an upgrade gets with these Host and Origin (NULL: none). */
static int
upgrade_status(const struct srv *s, const char *host, const char *origin)
{
	int fd = rawc_connect(s->port, 3000);
	assert_true(fd >= 0);
	char req[1024];
	snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: confab.v1\r\n"
	    "%s%s%s\r\n", host, origin ? "Origin: " : "", origin ? origin : "",
	    origin ? "\r\n" : "");
	assert_true(rawc_write(fd, req, strlen(req)));
	char buf[2048] = "";
	bool eof;
	size_t n = 0;
	for (int i = 0; i < 30 && strstr(buf, "\r\n\r\n") == NULL; i++) {
		n += rawc_read_all(fd, buf + n, sizeof buf - n, 100, &eof);
		if (eof)
			break;
	}
	close(fd);
	int status = -1;
	if (n >= 12 && strncmp(buf, "HTTP/1.1 ", 9) == 0)
		status = atoi(buf + 9);
	return status;
}

static void
a_browser_page_of_another_origin_is_refused_its_own_host_and_others_pass(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	char host[64], own[80];
	snprintf(host, sizeof host, "127.0.0.1:%d", s->port);
	snprintf(own, sizeof own, "http://127.0.0.1:%d", s->port);
	assert_int_equal(upgrade_status(s, host, "http://evil.example"), 403);
	assert_int_equal(upgrade_status(s, host, "null"), 403);
	assert_int_equal(upgrade_status(s, host, own), 101);
	assert_int_equal(upgrade_status(s, host, NULL), 101); /* not a browser */
	assert_true(metric_at_least(s, "confab_origins_refused_total", 2));
	it_stop(s);

	/* an origin given with a slash at the end, as copied from a browser's
	 * address bar, is the origin */
	static const char *const args[] = {"--rate", "0", "--allow-origin",
	    "https://chat.example/", "--allow-origin", "http://tools.example:8080",
	    NULL};
	s = it_start(args);
	snprintf(host, sizeof host, "127.0.0.1:%d", s->port);
	snprintf(own, sizeof own, "http://127.0.0.1:%d", s->port);
	assert_int_equal(upgrade_status(s, host, "https://chat.example"), 101);
	assert_int_equal(upgrade_status(s, host, "HTTPS://CHAT.EXAMPLE"), 101);
	assert_int_equal(upgrade_status(s, host, "http://tools.example:8080"), 101);
	assert_int_equal(upgrade_status(s, host, "http://tools.example"), 403);
	assert_int_equal(upgrade_status(s, host, "https://other.example"), 403);
	assert_int_equal(upgrade_status(s, host, own), 101);
	/* a page served by a proxy in front: its host is what the Host says */
	assert_int_equal(upgrade_status(s, "chat.internal", "https://chat.internal"),
	    101);
	assert_int_equal(upgrade_status(s, "chat.internal:443",
	    "https://chat.internal"), 101);
	it_stop(s);

	static const char *const any[] = {"--rate", "0", "--allow-origin", "*", NULL};
	s = it_start(any);
	snprintf(host, sizeof host, "127.0.0.1:%d", s->port);
	assert_int_equal(upgrade_status(s, host, "http://evil.example"), 101);
	it_stop(s);
}

/* ---- what one user may create ------------------------------------------------------------- */

static void
a_user_may_create_rooms_and_documents_up_to_the_caps(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--max-created-rooms", "2",
	    "--max-created-docs", "1", NULL};
	struct srv *s = it_start(args);
	struct tc *alice = it_login(s, "alice");
	struct tc *bob = it_login(s, "bob");
	it_join_quiet(bob, "bobs");
	it_join_quiet(alice, "one");
	it_join_quiet(alice, "two");
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"three\",\"cid\":\"j3\"}");
	cJSON *e = tc_expect(alice, "ERROR", T);
	assert_non_null(e);
	assert_string_equal(tc_str(e, "code"), "too_many_rooms");
	assert_string_equal(tc_str(e, "room"), "three");
	cJSON_Delete(e);
	/* joining what others made, and direct messages, are no creation */
	it_join_quiet(alice, "bobs");
	it_join_quiet(alice, "@alice+bob");
	/* the room was not made: bob may make it */
	it_join_quiet(bob, "three");

	tc_send(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"one\",\"doc\":\"notes\"}");
	cJSON_Delete(tc_expect(alice, "DOC_STATE", T));
	tc_send(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"one\",\"doc\":\"plan\","
	    "\"cid\":\"o2\"}");
	it_expect_error(alice, "too_many_docs", "o2");
	/* opening one that exists is no creation, nor is bob's first */
	tc_send(alice, "{\"type\":\"DOC_CLOSE\",\"room\":\"one\",\"doc\":\"notes\"}");
	tc_send(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"one\",\"doc\":\"notes\"}");
	cJSON_Delete(tc_expect(alice, "DOC_STATE", T));
	it_join_quiet(bob, "one");
	tc_send(bob, "{\"type\":\"DOC_OPEN\",\"room\":\"one\",\"doc\":\"plan\"}");
	cJSON_Delete(tc_expect(bob, "DOC_STATE", T));
	/* the counts are the store's: a restart keeps them */
	tc_free(alice);
	tc_free(bob);
	assert_true(srv_restart(s));
	alice = it_login(s, "alice");
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"four\",\"cid\":\"j4\"}");
	it_expect_error(alice, "too_many_rooms", "j4");
	it_join_quiet(alice, "two");
	tc_send(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"two\",\"doc\":\"other\","
	    "\"cid\":\"o3\"}");
	it_expect_error(alice, "too_many_docs", "o3");
	tc_free(alice);
	it_stop(s);
}

/* ---- the operator is told ---------------------------------------------------------------- */

static void
every_limit_is_in_the_help_with_its_default(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "%s --help", getenv("CONFABD"));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char help[16384];
	size_t n = fread(help, 1, sizeof help - 1, p);
	help[n] = '\0';
	assert_int_equal(pclose(p), 0);
	static const char *const want[][2] = {
		{"--max-conns-per-ip N", "(default 64)"},
		{"--handshake-timeout SECONDS", "(default 10)"},
		{"--max-sessions-per-user N", "(default 16)"},
		{"--max-created-rooms N", "(default 100)"},
		{"--max-created-docs N", "(default 1000)"},
		{"--allow-origin ORIGIN", "(default none)"},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const char *at = strstr(help, want[i][0]);
		if (at == NULL)
			fail_msg("--help lacks %s", want[i][0]);
		else {
			const char *next = strstr(at + 2, "\n  --");
			const char *d = strstr(at, want[i][1]);
			if (d == NULL || (next != NULL && d > next))
				fail_msg("--help gives %s no %s", want[i][0],
				    want[i][1]);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(a_connection_past_the_per_address_limit_is_refused_and_others_are_served),
		IT_TEST(ipv6_connections_are_counted_per_address_block_too),
		IT_TEST(a_head_that_trickles_in_is_closed_after_the_handshake_timeout),
		IT_TEST(an_upgraded_connection_without_hello_is_closed_after_the_handshake_timeout),
		IT_TEST(a_users_sessions_past_the_cap_are_refused),
		IT_TEST(a_browser_page_of_another_origin_is_refused_its_own_host_and_others_pass),
		IT_TEST(a_user_may_create_rooms_and_documents_up_to_the_caps),
		IT_TEST(every_limit_is_in_the_help_with_its_default),
	};
	int rc = cmocka_run_group_tests_name("limits", tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
