/*
 * A hostile client against a real confabd, over raw sockets: HTTP that
 * lws's own parser wedged on, frames that break RFC 6455, descriptors run
 * out, sessions gone silent with data queued. Each time the answer is
 * correct or a refusal, the server stays idle and keeps serving others.
 */
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "rawc.h"

static void
nap_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* CPU seconds the server uses over a window of ms milliseconds: a wedged
 * server uses the whole window, an idle one next to nothing. */
static double
cpu_over(const struct srv *s, int ms)
{
	double before = rawc_cpu_seconds(s->pid);
	nap_ms(ms);
	double after = rawc_cpu_seconds(s->pid);
	assert_true(before >= 0 && after >= 0);
	return after - before;
}

/* Sends raw bytes on a new connection and reads the answer until EOF or
 * timeout_ms; returns it (static) and whether the server closed. */
static const char *
exchange(const struct srv *s, const char *req, int timeout_ms, bool *eof)
{
	static char buf[65536];
	int fd = rawc_connect(s->port, timeout_ms);
	assert_true(fd >= 0);
	assert_true(rawc_write(fd, req, strlen(req)));
	rawc_read_all(fd, buf, sizeof buf, timeout_ms, eof);
	close(fd);
	return buf;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* /health answers within a second. */
static void
health_answers_at_once(const struct srv *s)
{
	bool eof;
	const char *a = exchange(s, "GET /health HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n", 1000, &eof);
	assert_non_null(strstr(a, "HTTP/1.1 200 OK"));
	assert_non_null(strstr(a, "\"status\":\"ok\""));
	assert_true(eof);
}

static void
pipelined_requests_with_bodies_are_refused_and_the_server_stays_idle(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	static const char two[] =
	    "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"
	    "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx";
	for (int round = 0; round < 3; round++) {
		bool eof;
		const char *a = exchange(s, two, 2000, &eof);
		/* the first is refused, and the connection with it: a body is
		 * never read, so nothing after it can be trusted as a request */
		assert_int_equal(count(a, "HTTP/1.1 "), 1);
		assert_non_null(strstr(a, "HTTP/1.1 413 "));
		assert_non_null(strstr(a, "Connection: close"));
		assert_true(eof);
	}
	/* a body, then a second request on the same kept-alive connection */
	int fd = rawc_connect(s->port, 2000);
	assert_true(rawc_write(fd, two, (sizeof two - 1) / 2));
	char buf[4096];
	bool eof;
	rawc_read_all(fd, buf, sizeof buf, 2000, &eof);
	assert_non_null(strstr(buf, "HTTP/1.1 413 "));
	assert_true(eof);
	rawc_write(fd, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 33);
	close(fd);

	health_answers_at_once(s);
	assert_true(cpu_over(s, 1000) < 0.2);
	health_answers_at_once(s);
	it_stop(s);
}

static void
kept_alive_requests_are_answered_in_order(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	bool eof;
	const char *a = exchange(s,
	    "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
	    "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 2000, &eof);
	const char *h = strstr(a, "HTTP/1.1 200 OK");
	assert_non_null(h);
	assert_non_null(strstr(h, "\"status\":\"ok\""));
	const char *m = strstr(h + 1, "HTTP/1.1 200 OK");
	assert_non_null(m);
	const char *nf = strstr(m + 1, "HTTP/1.1 404 ");
	assert_non_null(nf);
	/* HEAD has headers only: no metrics before the next answer */
	const char *t = strstr(m, "# TYPE");
	assert_true(t == NULL || t > nf);
	const char *last = strstr(nf + 1, "HTTP/1.1 200 OK");
	assert_non_null(last);
	assert_non_null(strstr(last, "# TYPE confab_sessions gauge"));
	assert_int_equal(count(a, "HTTP/1.1 "), 4);
	assert_true(eof);
	it_stop(s);
}

static long
rss_kb(const struct srv *s)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", s->pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kb;
}

/* 20,000 pipelined requests, never a byte read: one answer waits at a
 * time, the rest stay in the kernel, and the server sits idle. */
static void
pipelining_without_reading_holds_one_answer_and_stays_idle(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	int fd = rawc_connect(s->port, 2000);
	int small = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	long before = rss_kb(s);
	static const char get[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	size_t n = 20000, len = sizeof get - 1;
	char *all = malloc(n * len);
	for (size_t i = 0; i < n; i++)
		memcpy(all + i * len, get, len);
	/* the server stops reading: what does not fit stays here */
	size_t sent = 0;
	while (sent < n * len) {
		ssize_t w = send(fd, all + sent, n * len - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w <= 0)
			break;
		sent += (size_t)w;
	}
	free(all);
	health_answers_at_once(s);
	assert_true(cpu_over(s, 1000) < 0.2);
	/* answered only as many as the socket took: the rest wait unread */
	char *m = srv_http_get(s, "/metrics");
	const char *c = strstr(m, "\nconfab_http_requests_total ");
	assert_non_null(c);
	long answered = atol(c + strlen("\nconfab_http_requests_total "));
	free(m);
	if (answered > 2000)
		fail_msg("%ld answers queued for a client that reads none", answered);
	/* and memory did not grow with what was sent (ASan keeps freed
	 * memory for a while: only the plain build says much here) */
	assert_true(rss_kb(s) - before < 256 * 1024);
	close(fd);
	health_answers_at_once(s);
	it_stop(s);
}

static void
health_answers_get_and_head_only(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	static const char *const methods[] = {"POST", "PUT", "DELETE", "OPTIONS",
	    "PATCH"};
	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
		char req[128];
		snprintf(req, sizeof req, "%s /health HTTP/1.1\r\nHost: x\r\n"
		    "Connection: close\r\n\r\n", methods[i]);
		bool eof;
		const char *a = exchange(s, req, 2000, &eof);
		assert_non_null(strstr(a, "HTTP/1.1 405 "));
		assert_non_null(strstr(a, "Allow: GET, HEAD"));
	}
	bool eof;
	const char *a = exchange(s, "HEAD /health HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n", 2000, &eof);
	assert_non_null(strstr(a, "HTTP/1.1 200 OK"));
	assert_null(strstr(a, "\"status\""));
	it_stop(s);
}

static void
requests_that_could_be_read_two_ways_are_refused_with_400(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	static const char *const reqs[] = {
		"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
		    "Content-Length: 40\r\n\r\nx",
		"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"GET /health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
		"GET /health HTTP/1.1\r\nHost : x\r\n\r\n",
		"GET /health HTTP/1.1\r\nHost: x\r\nX: a\r\n folded\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++) {
		bool eof;
		const char *a = exchange(s, reqs[i], 2000, &eof);
		if (strstr(a, "HTTP/1.1 400 ") == NULL)
			fail_msg("%s: answered %.40s", reqs[i], a);
		assert_true(eof);
	}
	health_answers_at_once(s);
	it_stop(s);
}

static void
an_upgrade_without_confab_v1_is_refused_before_any_101(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	static const char *const protocols[] = {NULL, "chat.v0", "http",
	    "http, confab.v1x"};
	for (size_t i = 0; i < sizeof protocols / sizeof *protocols; i++) {
		int fd = rawc_connect(s->port, 2000);
		char head[2048];
		int st = rawc_upgrade(fd, protocols[i], head, sizeof head);
		if (st != 400)
			fail_msg("protocols %s: status %d", protocols[i], st);
		assert_non_null(strstr(head, "Connection: close"));
		close(fd);
	}
	/* offered among others, it is chosen */
	int fd = rawc_connect(s->port, 2000);
	char head[2048];
	assert_int_equal(rawc_upgrade(fd, "chat.v0, confab.v1", head, sizeof head), 101);
	assert_non_null(strstr(head, "Sec-WebSocket-Protocol: confab.v1"));
	close(fd);
	it_stop(s);
}

static void
an_h2c_upgrade_is_answered_as_http_1_1(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	bool eof;
	const char *a = exchange(s, "GET /health HTTP/1.1\r\nHost: x\r\n"
	    "Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
	    "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n", 1000, &eof);
	assert_null(strstr(a, " 101 "));
	assert_non_null(strstr(a, "HTTP/1.1 200 OK"));
	/* and HTTP/2 with prior knowledge is no request at all */
	a = exchange(s, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 1000, &eof);
	assert_non_null(strstr(a, "HTTP/1.1 400 "));
	assert_true(eof);
	it_stop(s);
}

/* Reads frames until one holds what (up to 8 of them); false if none. */
static bool
raw_expect(int fd, const char *what)
{
	char buf[8192];
	for (int i = 0; i < 8; i++) {
		if (rawc_next_frame(fd, buf, sizeof buf, 3000) < 0)
			return false;
		if (strstr(buf, what) != NULL)
			return true;
	}
	return false;
}

/* A raw session past HELLO; fd returned. */
static int
raw_session(const struct srv *s, const char *user)
{
	int fd = rawc_connect(s->port, 3000);
	char head[2048];
	assert_int_equal(rawc_upgrade(fd, "confab.v1", head, sizeof head), 101);
	char hello[96];
	int n = snprintf(hello, sizeof hello, "{\"type\":\"HELLO\",\"user\":\"%s\"}", user);
	assert_true(rawc_frame(fd, 0x81, hello, (size_t)n, false));
	char buf[4096];
	assert_true(rawc_next_frame(fd, buf, sizeof buf, 3000) > 0);
	assert_non_null(strstr(buf, "WELCOME"));
	return fd;
}

static void
unmasked_client_frames_are_closed_with_1002(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *good = it_login(s, "good");
	int fd = raw_session(s, "mallory");
	static const char hb[] = "{\"type\":\"HEARTBEAT\"}";
	assert_true(rawc_frame(fd, 0x81, hb, sizeof hb - 1, true));
	assert_int_equal(rawc_close_code(fd, 3000), 1002);
	close(fd);
	/* reserved bits and unknown opcodes are protocol errors too */
	fd = raw_session(s, "mallory");
	assert_true(rawc_frame(fd, 0xc1, hb, sizeof hb - 1, false));
	assert_int_equal(rawc_close_code(fd, 3000), 1002);
	close(fd);
	fd = raw_session(s, "mallory");
	assert_true(rawc_frame(fd, 0x83, hb, sizeof hb - 1, false));
	assert_int_equal(rawc_close_code(fd, 3000), 1002);
	close(fd);
	/* masked, the same frame is served */
	fd = raw_session(s, "mallory");
	assert_true(rawc_frame(fd, 0x81, hb, sizeof hb - 1, false));
	assert_true(raw_expect(fd, "\"HEARTBEAT\""));
	close(fd);
	tc_send(good, "{\"type\":\"HEARTBEAT\"}");
	cJSON_Delete(tc_expect(good, "HEARTBEAT", T));
	tc_free(good);
	it_stop(s);
}

static void
close_frames_are_checked_and_answered(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	int fd = raw_session(s, "mallory");
	assert_true(rawc_frame(fd, 0x88, "\x03", 1, false));
	assert_int_equal(rawc_close_code(fd, 3000), 1002);
	close(fd);
	fd = raw_session(s, "mallory");
	assert_true(rawc_frame(fd, 0x88, "\x03\xed", 2, false)); /* 1005 */
	assert_int_equal(rawc_close_code(fd, 3000), 1002);
	close(fd);
	fd = raw_session(s, "mallory");
	assert_true(rawc_frame(fd, 0x88, "\x03\xe8\xff\xfe", 4, false));
	assert_int_equal(rawc_close_code(fd, 3000), 1007);
	close(fd);
	/* a proper close is echoed, an empty one answered with 1000 */
	fd = raw_session(s, "alice");
	assert_true(rawc_frame(fd, 0x88, "\x0f\xa0" "bye", 5, false));
	assert_int_equal(rawc_close_code(fd, 3000), 4000);
	close(fd);
	fd = raw_session(s, "alice");
	assert_true(rawc_frame(fd, 0x88, "", 0, false));
	assert_int_equal(rawc_close_code(fd, 3000), 1000);
	close(fd);
	/* a ping is answered with its payload */
	fd = raw_session(s, "alice");
	assert_true(rawc_frame(fd, 0x89, "ping!", 5, false));
	static const char hb[] = "{\"type\":\"HEARTBEAT\"}";
	assert_true(rawc_frame(fd, 0x81, hb, sizeof hb - 1, false));
	assert_true(raw_expect(fd, "\"HEARTBEAT\""));
	close(fd);
	it_stop(s);
}

static void
health_counts_no_direct_message_rooms(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	struct tc *bob = it_login(s, "bob"); /* a user the server knows */
	it_join_quiet(alice, "lobby");
	it_join_quiet(alice, "@alice+bob");
	char *h = srv_http_get(s, "/health");
	assert_non_null(strstr(h, "\"rooms\":1"));
	free(h);
	char *m = srv_http_get(s, "/metrics");
	assert_non_null(strstr(m, "\nconfab_rooms 1\n"));
	free(m);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

/* Connections the server holds open (WebSocket sessions past HELLO) until
 * one is not accepted any more; returns how many, fds in fds. */
static int
fill_descriptors(const struct srv *s, int *fds, int max)
{
	int n = 0;
	while (n < max) {
		int fd = rawc_connect(s->port, 500);
		assert_true(fd >= 0);
		char head[2048];
		if (rawc_upgrade(fd, "confab.v1", head, sizeof head) != 101) {
			fds[n++] = fd; /* waits in the backlog */
			return n;
		}
		fds[n++] = fd;
	}
	return n;
}

static void
running_out_of_descriptors_pauses_accepting_without_spinning(void **state)
{
	(void)state;
	struct srv *s = calloc(1, sizeof *s);
	s->nofile = 48;
	static const char *const args[] = {"--rate", "0", NULL};
	assert_true(srv_start(s, args));
	int fds[64];
	int n = fill_descriptors(s, fds, 60);
	assert_true(n > 5 && n < 60);
	/* three more wait in the backlog */
	int waiting[3];
	for (int i = 0; i < 3; i++) {
		waiting[i] = rawc_connect(s->port, 3000);
		assert_true(waiting[i] >= 0);
		static const char get[] = "GET /health HTTP/1.1\r\nHost: x\r\n"
		    "Connection: close\r\n\r\n";
		assert_true(rawc_write(waiting[i], get, sizeof get - 1));
	}
	assert_true(cpu_over(s, 1500) < 0.3);
	/* logged once, however often it was tried */
	FILE *f = fopen(s->log, "r");
	char log[65536];
	size_t ln = fread(log, 1, sizeof log - 1, f);
	log[ln] = '\0';
	fclose(f);
	assert_int_equal(count(log, "accept: "), 1);
	/* descriptors come free: the waiting ones are served */
	for (int i = 0; i < n - 1; i++)
		close(fds[i]);
	for (int i = 0; i < 3; i++) {
		char buf[4096];
		bool eof;
		rawc_read_all(waiting[i], buf, sizeof buf, 5000, &eof);
		assert_non_null(strstr(buf, "HTTP/1.1 200 OK"));
		close(waiting[i]);
	}
	close(fds[n - 1]);
	health_answers_at_once(s);
	srv_cleanup(s);
	free(s);
}

static void
an_expired_session_is_dropped_at_once_even_with_unsent_data(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--heartbeat-ms", "400",
	    "--max-queue", "67108864", "--max-text", "40000", NULL};
	struct srv *s = it_start(args);
	struct tc *silent = it_login(s, "silent");
	it_join_quiet(silent, "lobby");
	tc_read_enable(silent, false);
	struct tc *talker = it_login(s, "talker");
	it_join_quiet(talker, "lobby");
	/* enough to fill the socket buffers and leave a queue behind */
	enum { COUNT = 300, SIZE = 30000 };
	char *text = malloc(SIZE + 1);
	memset(text, 'q', SIZE);
	text[SIZE] = '\0';
	for (int i = 0; i < COUNT; i++) {
		tc_sendf(talker, "{\"type\":\"MESSAGE\",\"cid\":\"m%d\",\"room\":\"lobby\","
		    "\"text\":\"%s\"}", i, text);
		cJSON_Delete(tc_expect(talker, "ACK", T));
		tc_discard(talker);
		if (i % 20 == 0)
			tc_send(talker, "{\"type\":\"HEARTBEAT\"}");
	}
	free(text);
	/* the silent one is gone from the server, queue and all */
	bool gone = false;
	for (int i = 0; i < 100 && !gone; i++) {
		tc_send(talker, "{\"type\":\"HEARTBEAT\"}");
		tc_pump(50);
		tc_discard(talker);
		char *h = srv_http_get(s, "/health");
		gone = strstr(h, "\"sessions\":1,") != NULL;
		free(h);
	}
	assert_true(gone);
	char *m = srv_http_get(s, "/metrics");
	assert_non_null(strstr(m, "confab_heartbeat_disconnects_total 1"));
	free(m);
	/* reading again, it finds the documented close after what was sent */
	tc_read_enable(silent, true);
	assert_int_equal(tc_wait_closed(silent, 10000), 4001);
	tc_free(silent);
	tc_free(talker);
	it_stop(s);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		IT_TEST(pipelined_requests_with_bodies_are_refused_and_the_server_stays_idle),
		IT_TEST(kept_alive_requests_are_answered_in_order),
		IT_TEST(pipelining_without_reading_holds_one_answer_and_stays_idle),
		IT_TEST(health_answers_get_and_head_only),
		IT_TEST(requests_that_could_be_read_two_ways_are_refused_with_400),
		IT_TEST(an_upgrade_without_confab_v1_is_refused_before_any_101),
		IT_TEST(an_h2c_upgrade_is_answered_as_http_1_1),
		IT_TEST(unmasked_client_frames_are_closed_with_1002),
		IT_TEST(close_frames_are_checked_and_answered),
		IT_TEST(health_counts_no_direct_message_rooms),
		IT_TEST(running_out_of_descriptors_pauses_accepting_without_spinning),
		IT_TEST(an_expired_session_is_dropped_at_once_even_with_unsent_data),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
