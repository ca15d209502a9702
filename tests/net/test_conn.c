/*
 * conn over real sockets: a real confabd (tests/lib/srv) for the normal
 * life of a connection, and tiny hand-written servers for the failures
 * confabd never shows: a listener that never answers the upgrade, a server
 * that completes the handshake and then goes silent, one that fragments its
 * frames, and one that announces a frame too large to accept.
 *
 * The test owns the lws context, as the client does, and every wait
 * services it until a condition holds or a deadline passes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/conn.h"
#include "rawws.h"
#include "srv.h"

#define MAX_STATUS 4096
#define MAX_FRAMES 256

struct status_rec {
	struct conn_status st;
	int64_t at_ms;
};

/* Everything the conn under test reported. */
struct rec {
	struct conn *c;
	bool hello;           /* send HELLO when opened */
	int opened;
	struct status_rec st[MAX_STATUS];
	int nst;
	char *frames[MAX_FRAMES];
	size_t flen[MAX_FRAMES];
	int nframes;
};

static struct lws_context *ctx;
static lws_sorted_usec_list_t wake;
static struct rec R;
static pid_t raw_pids[8];
static int listen_fds[8];

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_wake(lws_sorted_usec_list_t *sul)
{
	(void)sul;
}

/* One turn of the loop, never longer than 10 ms: lws_service blocks until
 * the next event or timer, so a timer of our own bounds it. */
static void
pump_once(void)
{
	lws_sul_schedule(ctx, 0, &wake, on_wake, 10 * 1000);
	lws_service(ctx, 0);
}

static void
pump(int ms)
{
	int64_t end = now_ms() + ms;
	while (now_ms() < end)
		pump_once();
}

#define WAIT_FOR(cond, ms)                                                \
	do {                                                              \
		int64_t end_ = now_ms() + (ms);                           \
		while (!(cond) && now_ms() < end_)                        \
			pump_once();                                      \
	} while (0)

/* --- the recorder -------------------------------------------------- */

static void
ev_opened(void *ud)
{
	struct rec *r = ud;
	r->opened++;
	if (r->hello) {
		static const char hello[] = "{\"type\":\"HELLO\",\"user\":\"alice\"}";
		assert_true(conn_send(r->c, hello, strlen(hello)));
	}
}

static void
ev_frame(void *ud, const char *text, size_t len)
{
	struct rec *r = ud;
	if (r->nframes == MAX_FRAMES)
		return;
	r->frames[r->nframes] = strndup(text, len);
	r->flen[r->nframes++] = len;
}

static void
ev_status(void *ud, const struct conn_status *st)
{
	struct rec *r = ud;
	if (r->nst < MAX_STATUS)
		r->st[r->nst++] = (struct status_rec){*st, now_ms()};
}

static const struct conn_events events = {ev_opened, ev_frame, ev_status};

/* Status reports where the state changed (the countdown repeats WAITING). */
static int
transitions(enum conn_state s, int from)
{
	int n = 0;
	for (int i = from; i < R.nst; i++)
		if (R.st[i].st.state == s && (i == 0 || R.st[i - 1].st.state != s))
			n++;
	return n;
}

static int
frames_with(const char *needle)
{
	int n = 0;
	for (int i = 0; i < R.nframes; i++)
		if (strstr(R.frames[i], needle) != NULL)
			n++;
	return n;
}

static enum conn_state
cur_state(void)
{
	return conn_status(R.c)->state;
}

static struct conn *
make_conn(int port, const struct conn_options *extra)
{
	char url[64], err[256] = "";
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/", port);
	struct conn_options o = {.base_ms = 50, .cap_ms = 400, .seed = 42};
	if (extra != NULL)
		o = *extra;
	o.url = url;
	R.c = conn_new(ctx, &o, &events, &R, err, sizeof err);
	if (R.c == NULL)
		fail_msg("conn_new: %s", err);
	return R.c;
}

/* --- servers ------------------------------------------------------- */

static struct srv *
start_confabd(const char *const *extra)
{
	static const char *const none[] = {"--rate", "0", NULL};
	struct srv *s = calloc(1, sizeof *s);
	assert_non_null(s);
	assert_true(srv_start(s, extra ? extra : none));
	return s;
}

static void
stop_confabd(struct srv *s)
{
	srv_cleanup(s);
	free(s);
}

static int
listener(int *port)
{
	int fd = rawws_listen(port);
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof listen_fds / sizeof *listen_fds; i++)
		if (listen_fds[i] < 0) {
			listen_fds[i] = fd;
			return fd;
		}
	fail_msg("too many listeners");
	return -1;
}

static int
raw_start(enum rawws_mode mode)
{
	int port;
	pid_t pid = rawws_start(mode, &port);
	assert_true(pid > 0);
	for (size_t i = 0; i < sizeof raw_pids / sizeof *raw_pids; i++)
		if (raw_pids[i] == 0) {
			raw_pids[i] = pid;
			return port;
		}
	fail_msg("too many raw servers");
	return -1;
}

/* --- fixture ------------------------------------------------------- */

static int
setup(void **state)
{
	(void)state;
	static struct lws_protocols protocols[2];
	protocols[0] = conn_protocol;
	memset(&R, 0, sizeof R);
	for (size_t i = 0; i < sizeof listen_fds / sizeof *listen_fds; i++)
		listen_fds[i] = -1;
	lws_set_log_level(getenv("CONN_TEST_LWS_LOG") ? LLL_ERR | LLL_WARN
	    | LLL_NOTICE | LLL_INFO : 0, NULL);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.timeout_secs = 1; /* an unanswered upgrade fails after 1 s */
	memset(&wake, 0, sizeof wake);
	ctx = lws_create_context(&info);
	return ctx == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	conn_free(R.c);
	R.c = NULL;
	lws_sul_cancel(&wake);
	lws_context_destroy(ctx);
	ctx = NULL;
	for (int i = 0; i < R.nframes; i++)
		free(R.frames[i]);
	for (size_t i = 0; i < sizeof raw_pids / sizeof *raw_pids; i++)
		if (raw_pids[i] > 0) {
			kill(raw_pids[i], SIGKILL);
			waitpid(raw_pids[i], NULL, 0);
			raw_pids[i] = 0;
		}
	for (size_t i = 0; i < sizeof listen_fds / sizeof *listen_fds; i++)
		if (listen_fds[i] >= 0)
			close(listen_fds[i]);
	srv_reap_all();
	return 0;
}

/* --- tests --------------------------------------------------------- */

static void
conn__rejects_urls_it_cannot_use(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"http://127.0.0.1/", "wss://", "ws://", "ws:///x",
		"ws://host:", "ws://host:0/", "ws://host:65536/", "ws://host:8a/",
		"ws://user@host/", "ws://ho st/", "ws://[::1/", "ws://[]:80/",
		"ws://[::1]x/", "ws://host/pa th", "",
	};
	char err[256];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct conn_options o = {.url = bad[i]};
		err[0] = '\0';
		struct conn *c = conn_new(ctx, &o, &events, &R, err, sizeof err);
		if (c != NULL)
			fail_msg("accepted %s", bad[i]);
		assert_true(err[0] != '\0');
	}
	struct conn_options o = {.url = NULL};
	assert_null(conn_new(ctx, &o, &events, &R, err, sizeof err));

	static const char *const good[] = {
		"ws://localhost", "ws://127.0.0.1:7681/", "WS://h:1/a/b?c=d",
		"ws://[::1]:7681/chat", "ws://[::1]", "wss://example.org/", "WSS://h:8443",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		struct conn_options g = {.url = good[i]};
		struct conn *c = conn_new(ctx, &g, &events, &R, err, sizeof err);
		if (c == NULL)
			fail_msg("refused %s: %s", good[i], err);
		assert_int_equal(conn_status(c)->state, CONN_OFFLINE);
		conn_free(c);
	}
}

static void
conn__needs_its_protocol_in_the_context(void **state)
{
	(void)state;
	static const struct lws_protocols other[] = {
		{"something-else", lws_callback_http_dummy, 0, 0, 0, NULL, 0},
		{NULL, NULL, 0, 0, 0, NULL, 0},
	};
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = other;
	struct lws_context *c2 = lws_create_context(&info);
	assert_non_null(c2);
	struct conn_options o = {.url = "ws://127.0.0.1:1/"};
	char err[256] = "";
	assert_null(conn_new(c2, &o, &events, &R, err, sizeof err));
	assert_non_null(strstr(err, "conn_protocol"));
	lws_context_destroy(c2);
}

static void
conn__connects_sends_hello_and_receives_welcome(void **state)
{
	(void)state;
	struct srv *s = start_confabd(NULL);
	make_conn(s->port, NULL);
	R.hello = true;
	assert_int_equal(cur_state(), CONN_OFFLINE);
	assert_false(conn_send(R.c, "{}", 2));

	conn_reconnect_now(R.c);
	assert_int_equal(cur_state(), CONN_CONNECTING);
	assert_false(conn_send(R.c, "{}", 2));
	WAIT_FOR(R.opened == 1 && frames_with("\"WELCOME\"") == 1, 5000);
	assert_int_equal(R.opened, 1);
	assert_int_equal(frames_with("\"WELCOME\""), 1);
	assert_non_null(strstr(R.frames[0], "\"user\":\"alice\""));

	assert_int_equal(cur_state(), CONN_OPEN);
	assert_int_equal(conn_status(R.c)->attempt, 0);
	/* One report per change: CONNECTING, then OPEN. */
	assert_int_equal(R.nst, 2);
	assert_int_equal(R.st[0].st.state, CONN_CONNECTING);
	assert_int_equal(R.st[1].st.state, CONN_OPEN);
	conn_reconnect_now(R.c); /* no effect while open */
	assert_int_equal(cur_state(), CONN_OPEN);
	stop_confabd(s);
}

static void
conn__heartbeats_keep_an_idle_connection_alive(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--heartbeat-ms", "200", NULL};
	struct srv *s = start_confabd(opts);
	make_conn(s->port, NULL);
	R.hello = true;
	conn_set_heartbeat(R.c, 200);
	conn_reconnect_now(R.c);
	WAIT_FOR(frames_with("\"WELCOME\"") == 1, 5000);
	assert_int_equal(frames_with("\"WELCOME\""), 1);
	/* The server closes a session silent for 400 ms; our heartbeats keep
	 * it, and the server answers each of them. */
	pump(1500);
	assert_int_equal(R.opened, 1);
	assert_int_equal(cur_state(), CONN_OPEN);
	assert_true(frames_with("\"HEARTBEAT\"") >= 3);
	stop_confabd(s);
}

static void
conn__waits_longer_each_attempt_while_the_server_is_gone(void **state)
{
	(void)state;
	struct srv *s = start_confabd(NULL);
	make_conn(s->port, NULL); /* base 50 ms, cap 400 ms */
	conn_reconnect_now(R.c);
	WAIT_FOR(R.opened == 1, 5000);
	assert_int_equal(R.opened, 1);

	int from = R.nst;
	srv_stop(s, SIGKILL);
	WAIT_FOR(conn_status(R.c)->attempt >= 5, 10000);
	assert_true(conn_status(R.c)->attempt >= 5);
	unsigned expect = 1;
	for (int i = from; i < R.nst; i++) {
		const struct status_rec *r = &R.st[i];
		if (r->st.state != CONN_WAITING || R.st[i - 1].st.state == CONN_WAITING)
			continue;
		/* Each failure is counted once, and its wait is drawn under
		 * min(cap, base * 2^(attempt-1)). */
		assert_int_equal(r->st.attempt, expect);
		int64_t bound = 50LL << (expect - 1);
		if (bound > 400)
			bound = 400;
		assert_true(r->st.retry_at_ms <= r->at_ms + bound);
		assert_true(r->st.last_error[0] != '\0');
		expect++;
	}
	assert_true(expect >= 5);
	assert_int_equal(R.opened, 1);
	stop_confabd(s);
}

static void
conn__reconnects_by_itself_when_the_server_comes_back(void **state)
{
	(void)state;
	struct srv *s = start_confabd(NULL);
	make_conn(s->port, NULL);
	R.hello = true;
	conn_reconnect_now(R.c);
	WAIT_FOR(frames_with("\"WELCOME\"") == 1, 5000);
	assert_int_equal(frames_with("\"WELCOME\""), 1);

	/* A clean shutdown: the server says 1001 (going away). */
	srv_stop(s, SIGTERM);
	WAIT_FOR(cur_state() == CONN_WAITING, 5000);
	assert_int_equal(cur_state(), CONN_WAITING);
	assert_non_null(strstr(conn_status(R.c)->last_error, "1001"));
	WAIT_FOR(conn_status(R.c)->attempt >= 2, 5000);
	assert_true(conn_status(R.c)->attempt >= 2);
	assert_int_equal(R.opened, 1);
	assert_true(srv_restart_same_port(s));
	WAIT_FOR(frames_with("\"WELCOME\"") == 2, 5000);
	assert_int_equal(R.opened, 2);
	assert_int_equal(frames_with("\"WELCOME\""), 2);
	assert_int_equal(cur_state(), CONN_OPEN);
	stop_confabd(s);
}

static void
conn__a_healthy_connection_resets_the_attempts(void **state)
{
	(void)state;
	struct srv *s = start_confabd(NULL);
	struct conn_options o = {.base_ms = 50, .cap_ms = 400, .seed = 7};
	make_conn(s->port, &o);
	conn_set_healthy_ms(R.c, 300);
	conn_reconnect_now(R.c);
	WAIT_FOR(R.opened == 1, 5000);
	srv_stop(s, SIGKILL);
	WAIT_FOR(conn_status(R.c)->attempt >= 3, 5000);
	assert_true(srv_restart_same_port(s));
	WAIT_FOR(R.opened == 2, 5000);
	assert_int_equal(R.opened, 2);
	/* Open, but not yet for long enough: the count stands. */
	assert_true(conn_status(R.c)->attempt >= 3);
	WAIT_FOR(conn_status(R.c)->attempt == 0, 3000);
	assert_int_equal(conn_status(R.c)->attempt, 0);
	assert_int_equal(cur_state(), CONN_OPEN);

	/* The next outage starts the schedule from the beginning. */
	int from = R.nst;
	srv_stop(s, SIGKILL);
	WAIT_FOR(transitions(CONN_WAITING, from) >= 1, 5000);
	for (int i = from; i < R.nst; i++)
		if (R.st[i].st.state == CONN_WAITING) {
			assert_int_equal(R.st[i].st.attempt, 1);
			assert_true(R.st[i].st.retry_at_ms <= R.st[i].at_ms + 50);
			break;
		}
	stop_confabd(s);
}

static void
conn__reconnect_now_cuts_the_wait_short(void **state)
{
	(void)state;
	struct srv *s = start_confabd(NULL);
	struct conn_options o = {.base_ms = 60000, .cap_ms = 60000, .seed = 1};
	make_conn(s->port, &o);
	conn_reconnect_now(R.c);
	WAIT_FOR(R.opened == 1, 5000);
	srv_stop(s, SIGKILL);
	WAIT_FOR(cur_state() == CONN_WAITING, 5000);
	assert_int_equal(cur_state(), CONN_WAITING);
	int64_t retry_at = conn_status(R.c)->retry_at_ms;
	/* The seed draws a long wait; anything short would prove nothing. */
	assert_true(retry_at - now_ms() > 5000);
	assert_true(srv_restart_same_port(s));
	pump(200);
	assert_int_equal(cur_state(), CONN_WAITING); /* still waiting by itself */

	unsigned attempt = conn_status(R.c)->attempt;
	conn_reconnect_now(R.c);
	assert_int_equal(cur_state(), CONN_CONNECTING);
	WAIT_FOR(R.opened == 2, 3000);
	assert_int_equal(R.opened, 2);
	assert_true(now_ms() < retry_at);
	assert_int_equal(conn_status(R.c)->attempt, attempt);
	stop_confabd(s);
}

static void
conn__counts_down_once_a_second_while_waiting(void **state)
{
	(void)state;
	struct conn_options o = {.base_ms = 3000, .cap_ms = 3000, .seed = 3};
	make_conn(rawws_closed_port(), &o);
	conn_reconnect_now(R.c);
	WAIT_FOR(transitions(CONN_CONNECTING, 0) == 2, 6000);
	assert_int_equal(transitions(CONN_CONNECTING, 0), 2);
	int first = 0, n = 0;
	while (first < R.nst && R.st[first].st.state != CONN_WAITING)
		first++;
	assert_true(first < R.nst);
	for (int i = first; i < R.nst && R.st[i].st.state == CONN_WAITING; i++) {
		n++;
		assert_int_equal(R.st[i].st.retry_at_ms, R.st[first].st.retry_at_ms);
		assert_int_equal(R.st[i].st.attempt, 1);
	}
	int64_t wait = R.st[first].st.retry_at_ms - R.st[first].at_ms;
	/* The change itself, then one report per whole second still to go. */
	assert_true(n >= wait / 1000);
	assert_true(n <= wait / 1000 + 1);
}

static void
conn__goes_offline_after_max_attempts(void **state)
{
	(void)state;
	struct conn_options o = {.base_ms = 20, .cap_ms = 40, .seed = 5, .max_attempts = 2};
	make_conn(rawws_closed_port(), &o);
	conn_reconnect_now(R.c);
	WAIT_FOR(cur_state() == CONN_OFFLINE, 5000);
	assert_int_equal(cur_state(), CONN_OFFLINE);
	/* The first try and two retries. */
	assert_int_equal(transitions(CONN_CONNECTING, 0), 3);
	assert_int_equal(transitions(CONN_WAITING, 0), 2);
	assert_int_equal(conn_status(R.c)->attempt, 2);
	assert_true(conn_status(R.c)->last_error[0] != '\0');
	int n = R.nst;
	pump(300);
	assert_int_equal(R.nst, n); /* and then nothing */

	/* A manual reconnect starts a fresh schedule. */
	conn_reconnect_now(R.c);
	assert_int_equal(conn_status(R.c)->attempt, 0);
	WAIT_FOR(transitions(CONN_OFFLINE, n) == 1, 5000);
	assert_int_equal(transitions(CONN_CONNECTING, n), 3);
}

static void
conn__retries_a_server_that_never_answers_the_upgrade(void **state)
{
	(void)state;
	int port;
	listener(&port); /* never accepts, never answers */
	struct conn_options o = {.base_ms = 20, .cap_ms = 40, .seed = 9};
	make_conn(port, &o);
	conn_reconnect_now(R.c);
	/* lws gives up after timeout_secs (1 s here) and says so only with
	 * CLOSED_CLIENT_HTTP: each attempt must still lead to one retry. */
	WAIT_FOR(transitions(CONN_WAITING, 0) >= 2 && cur_state() == CONN_CONNECTING, 8000);
	assert_true(transitions(CONN_WAITING, 0) >= 2);
	unsigned expect = 1;
	for (int i = 1; i < R.nst; i++)
		if (R.st[i].st.state == CONN_WAITING && R.st[i - 1].st.state != CONN_WAITING)
			assert_int_equal(R.st[i].st.attempt, expect++);
	assert_true(conn_status(R.c)->last_error[0] != '\0');
	assert_int_equal(R.opened, 0);
}

static void
conn__detects_a_silent_server_and_reconnects(void **state)
{
	(void)state;
	int port = raw_start(RAWWS_SILENT);
	make_conn(port, NULL);
	conn_set_heartbeat(R.c, 200);
	conn_reconnect_now(R.c);
	WAIT_FOR(R.opened == 1, 5000);
	assert_int_equal(R.opened, 1);
	int64_t opened = now_ms();
	WAIT_FOR(cur_state() == CONN_WAITING, 3000);
	assert_int_equal(cur_state(), CONN_WAITING);
	/* Two intervals of silence, not fewer. */
	assert_true(now_ms() - opened >= 400 - 5);
	assert_non_null(strstr(conn_status(R.c)->last_error, "nothing from the server"));
	WAIT_FOR(R.opened == 2, 5000);
	assert_int_equal(R.opened, 2);
}

static void
conn__assembles_messages_from_fragments(void **state)
{
	(void)state;
	int port = raw_start(RAWWS_FRAGMENTS);
	make_conn(port, NULL);
	conn_reconnect_now(R.c);
	WAIT_FOR(R.nframes == 4, 5000);
	assert_int_equal(R.nframes, 4);
	assert_string_equal(R.frames[0], "hello");
	assert_int_equal(R.flen[1], 100000);
	assert_int_equal(strspn(R.frames[1], "x"), 100000);
	assert_string_equal(R.frames[2], "abcd");
	assert_string_equal(R.frames[3], "end"); /* the binary frame is dropped */
	assert_int_equal(cur_state(), CONN_OPEN);
}

static void
conn__drops_a_connection_announcing_a_frame_too_large(void **state)
{
	(void)state;
	int port = raw_start(RAWWS_HUGE);
	make_conn(port, NULL);
	conn_reconnect_now(R.c);
	WAIT_FOR(R.opened == 1 && cur_state() == CONN_WAITING, 5000);
	assert_int_equal(cur_state(), CONN_WAITING);
	assert_non_null(strstr(conn_status(R.c)->last_error, "over"));
	assert_int_equal(R.nframes, 0);
	WAIT_FOR(R.opened == 2, 5000); /* and tries again */
	assert_int_equal(R.opened, 2);
}

static void
conn__stop_closes_and_stays_offline(void **state)
{
	(void)state;
	struct srv *s = start_confabd(NULL);
	make_conn(s->port, NULL);
	conn_reconnect_now(R.c);
	WAIT_FOR(R.opened == 1, 5000);
	conn_stop(R.c);
	assert_int_equal(cur_state(), CONN_OFFLINE);
	assert_false(conn_send(R.c, "{}", 2));
	int n = R.nst;
	pump(500);
	assert_int_equal(R.nst, n);
	assert_int_equal(R.opened, 1);

	/* Stopping while waiting cancels the wait. */
	srv_stop(s, SIGKILL);
	conn_reconnect_now(R.c);
	WAIT_FOR(cur_state() == CONN_WAITING, 5000);
	conn_stop(R.c);
	n = R.nst;
	pump(600); /* longer than the 400 ms cap */
	assert_int_equal(R.nst, n);
	assert_int_equal(cur_state(), CONN_OFFLINE);
	stop_confabd(s);
}

static void
conn__can_be_freed_in_any_state(void **state)
{
	(void)state;
	struct srv *s = start_confabd(NULL);
	/* open */
	make_conn(s->port, NULL);
	R.hello = true;
	conn_reconnect_now(R.c);
	WAIT_FOR(frames_with("\"WELCOME\"") == 1, 5000);
	assert_true(conn_send(R.c, "{\"type\":\"HEARTBEAT\"}", 20));
	conn_free(R.c);
	R.c = NULL;
	pump(200);

	/* connecting, to a listener that never answers: lws reports the end
	 * of that attempt a second later, to a conn that no longer exists */
	int port;
	listener(&port);
	make_conn(port, NULL);
	conn_reconnect_now(R.c);
	pump(100);
	assert_int_equal(cur_state(), CONN_CONNECTING);
	conn_free(R.c);
	R.c = NULL;
	pump(1500);

	/* waiting */
	struct conn_options o = {.base_ms = 5000, .cap_ms = 5000, .seed = 1};
	make_conn(rawws_closed_port(), &o);
	conn_reconnect_now(R.c);
	WAIT_FOR(cur_state() == CONN_WAITING, 5000);
	conn_free(R.c);
	R.c = NULL;
	pump(100);

	/* just made */
	make_conn(s->port, NULL);
	conn_free(R.c);
	R.c = NULL;
	stop_confabd(s);
}

static void
conn__explains_in_plain_words_why_nothing_answered(void **state)
{
	(void)state;
	struct conn_options o = {.base_ms = 5000, .cap_ms = 5000, .seed = 3};
	int closed = rawws_closed_port();
	make_conn(closed, &o);
	conn_reconnect_now(R.c);
	WAIT_FOR(cur_state() == CONN_WAITING, 5000);
	char want[128];
	snprintf(want, sizeof want, "nothing is listening at 127.0.0.1:%d "
	    "(is confabd running?)", closed);
	assert_string_equal(conn_status(R.c)->last_error, want);
}

static void
conn__explains_in_plain_words_a_server_that_is_not_confabd(void **state)
{
	(void)state;
	int port = raw_start(RAWWS_WEB);
	/* the WebSocket only: auto would go on to the HTTP transports */
	struct conn_options o = {.base_ms = 5000, .cap_ms = 5000, .seed = 3,
	    .transport = "ws"};
	make_conn(port, &o);
	conn_reconnect_now(R.c);
	WAIT_FOR(cur_state() == CONN_WAITING, 5000);
	char want[128];
	snprintf(want, sizeof want, "127.0.0.1:%d answered, but it is not a "
	    "confab server (no WebSocket there)", port);
	assert_string_equal(conn_status(R.c)->last_error, want);
	assert_non_null(strstr(conn_status(R.c)->detail, "101"));
}

static void
conn__explain__maps_each_kind_of_reason(void **state)
{
	(void)state;
	char out[128];
	conn_explain("getaddrinfo (ipv4) failed", "chat.example", 7681, out,
	    sizeof out);
	assert_string_equal(out, "cannot find chat.example (no such host name)");
	conn_explain("HS: ws upgrade unauthorized", "h", 1, out, sizeof out);
	assert_string_equal(out, "h:1 refused to let this client in");
	conn_explain("HS: Accept hash wrong", "h", 1, out, sizeof out);
	assert_string_equal(out, "h:1 answered, but not as a confab server does");
	conn_explain("", "h", 1, out, sizeof out);
	assert_string_equal(out, "nothing is listening at h:1 (is confabd running?)");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		T(conn__rejects_urls_it_cannot_use),
		T(conn__needs_its_protocol_in_the_context),
		T(conn__connects_sends_hello_and_receives_welcome),
		T(conn__heartbeats_keep_an_idle_connection_alive),
		T(conn__waits_longer_each_attempt_while_the_server_is_gone),
		T(conn__reconnects_by_itself_when_the_server_comes_back),
		T(conn__a_healthy_connection_resets_the_attempts),
		T(conn__reconnect_now_cuts_the_wait_short),
		T(conn__counts_down_once_a_second_while_waiting),
		T(conn__goes_offline_after_max_attempts),
		T(conn__retries_a_server_that_never_answers_the_upgrade),
		T(conn__detects_a_silent_server_and_reconnects),
		T(conn__assembles_messages_from_fragments),
		T(conn__drops_a_connection_announcing_a_frame_too_large),
		T(conn__stop_closes_and_stays_offline),
		T(conn__can_be_freed_in_any_state),
		T(conn__explains_in_plain_words_why_nothing_answered),
		T(conn__explains_in_plain_words_a_server_that_is_not_confabd),
		T(conn__explain__maps_each_kind_of_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
