/*
 * conn on every transport against a real confabd with accounts: each
 * forced transport (ws, sse, poll) signs in with REGISTER (over HTTP, POST
 * /register) and the token as bearer, joins, and a message crosses both
 * ways with a WebSocket peer; on SSE and long polling, confabd killed and
 * started again on the same port loses and doubles nothing: the messages
 * sent meanwhile come once, by the resume of the next session.
 *
 * Behind a real nginx (started here on loopback, own prefix, config, pid
 * file and logs in a temporary directory, stopped by PID): without Upgrade
 * forwarding, auto falls to SSE, and a message crosses both ways; with the
 * proxy's buffering on (X-Accel-Buffering ignored), it falls on to long
 * polling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/xmalloc.h"
#include "net/conn.h"
#include "srv.h"

#define HB_MS 1000
#define MAX_SEEN 512

/* One user: a conn, what it has seen, and its session's sign-in. */
struct peer {
	struct conn *c;
	char user[32];
	char token[96];
	int64_t last_seq;       /* lobby */
	bool welcomed, joined;
	int opened, welcomes;
	char *seen[MAX_SEEN];   /* texts of MESSAGE frames in lobby */
	int nseen;
	int acks;
	int again;              /* MESSAGE frames at or below last_seq */
	char transports[8][8];  /* the transports it was open on, in order */
	int ntransports;
};

static struct lws_context *ctx;
static int64_t probe_ms;        /* conn_options.probe_ms of the next peer */
static lws_sorted_usec_list_t wake;
static struct peer A, B;

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_wake(lws_sorted_usec_list_t *sul) { (void)sul; }

static void
pump_once(void)
{
	lws_sul_schedule(ctx, 0, &wake, on_wake, 10 * 1000);
	lws_service(ctx, 0);
}

#define WAIT_FOR(cond, ms)                                                \
	do {                                                              \
		int64_t end_ = now_ms() + (ms);                           \
		while (!(cond) && now_ms() < end_)                        \
			pump_once();                                      \
	} while (0)

static void
send_json(struct peer *p, cJSON *f)
{
	char *t = cJSON_PrintUnformatted(f);
	assert_true(conn_send(p->c, t, strlen(t)));
	free(t);
	cJSON_Delete(f);
}

static void
send_hello(struct peer *p)
{
	cJSON *h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "type", "HELLO");
	cJSON_AddStringToObject(h, "user", p->user);
	cJSON_AddStringToObject(h, "token", p->token);
	if (p->last_seq > 0)
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(h, "resume"), "lobby",
		    (double)p->last_seq);
	send_json(p, h);
}

static void
ev_opened(void *ud)
{
	struct peer *p = ud;
	p->opened++;
	p->welcomed = p->joined = false;
	if (p->ntransports < 8)
		snprintf(p->transports[p->ntransports++], 8, "%s",
		    conn_status(p->c)->transport);
	if (p->token[0] != '\0') {
		send_hello(p);
		return;
	}
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "type", "REGISTER");
	cJSON_AddStringToObject(r, "cid", "r1");
	cJSON_AddStringToObject(r, "user", p->user);
	cJSON_AddStringToObject(r, "password", "correct horse battery");
	send_json(p, r);
}

static void
ev_frame(void *ud, const char *text, size_t len)
{
	struct peer *p = ud;
	cJSON *f = cJSON_ParseWithLength(text, len);
	assert_non_null(f);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(f, "type"));
	assert_non_null(type);
	if (strcmp(type, "LOGGED_IN") == 0) {
		snprintf(p->token, sizeof p->token, "%s",
		    cJSON_GetStringValue(cJSON_GetObjectItem(f, "token")));
		send_hello(p);
	} else if (strcmp(type, "WELCOME") == 0) {
		p->welcomed = true;
		p->welcomes++;
		if (p->last_seq == 0) {
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "type", "JOIN");
			cJSON_AddStringToObject(j, "room", "lobby");
			send_json(p, j);
		}
	} else if (strcmp(type, "JOINED") == 0) {
		p->joined = true;
	} else if (strcmp(type, "ACK") == 0) {
		p->acks++;
	} else if (strcmp(type, "MESSAGE") == 0) {
		int64_t seq = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(f, "seq"));
		if (seq <= p->last_seq)
			p->again++;
		if (seq > p->last_seq)
			p->last_seq = seq;
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(f, "text"));
		if (t != NULL && p->nseen < MAX_SEEN)
			p->seen[p->nseen++] = xstrdup(t);
	} else if (strcmp(type, "ERROR") == 0) {
		fprintf(stderr, "%s got %.*s\n", p->user, (int)len, text);
	}
	cJSON_Delete(f);
}

static void
ev_status(void *ud, const struct conn_status *st)
{
	struct peer *p = ud;
	if (st->state != CONN_OPEN)
		p->welcomed = p->joined = false;
	if (getenv("TRANSPORT_TEST_VERBOSE"))
		fprintf(stderr, "%s: state %d on %s: %s (%s)\n", p->user, st->state,
		    st->transport, st->last_error, st->detail);
}

static const struct conn_events events = {ev_opened, ev_frame, ev_status};

static void
peer_start(struct peer *p, const char *user, int port, const char *transport)
{
	char url[64], err[256] = "";
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/", port);
	snprintf(p->user, sizeof p->user, "%s", user);
	struct conn_options o = {.url = url, .base_ms = 50, .cap_ms = 400,
	    .seed = 7, .transport = transport, .probe_ms = probe_ms};
	p->c = conn_new(ctx, &o, &events, p, err, sizeof err);
	if (p->c == NULL)
		fail_msg("conn_new: %s", err);
	conn_set_heartbeat(p->c, HB_MS);
	conn_reconnect_now(p->c);
}

static void
say(struct peer *p, const char *cid, const char *text)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "type", "MESSAGE");
	cJSON_AddStringToObject(m, "cid", cid);
	cJSON_AddStringToObject(m, "room", "lobby");
	cJSON_AddStringToObject(m, "text", text);
	send_json(p, m);
}

static int
seen(const struct peer *p, const char *text)
{
	int n = 0;
	for (int i = 0; i < p->nseen; i++)
		n += strcmp(p->seen[i], text) == 0;
	return n;
}

static const char *const accounts[] = {"--rate", "0", "--auth", "accounts",
    "--open-registration", "--heartbeat-ms", "1000", NULL};

static struct srv *
start_confabd(void)
{
	struct srv *s = calloc(1, sizeof *s);
	assert_non_null(s);
	assert_true(srv_start(s, accounts));
	return s;
}

/* --- fixture ------------------------------------------------------- */

static void
peer_free(struct peer *p)
{
	conn_free(p->c);
	for (int i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	memset(p, 0, sizeof *p);
}

static int
setup(void **state)
{
	(void)state;
	static struct lws_protocols protocols[2];
	protocols[0] = conn_protocol;
	memset(&A, 0, sizeof A);
	memset(&B, 0, sizeof B);
	probe_ms = 0;
	lws_set_log_level(getenv("TRANSPORT_TEST_VERBOSE") ? LLL_ERR | LLL_WARN
	    | LLL_NOTICE : 0, NULL);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.timeout_secs = 2;
	memset(&wake, 0, sizeof wake);
	ctx = lws_create_context(&info);
	return ctx == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	peer_free(&A);
	peer_free(&B);
	lws_sul_cancel(&wake);
	lws_context_destroy(ctx);
	ctx = NULL;
	srv_reap_all();
	return 0;
}

/* --- forced transports ---------------------------------------------- */

static void
both_ways(const char *transport, int a_port, int b_port)
{
	peer_start(&A, "alice", a_port, transport);
	peer_start(&B, "bob", b_port, "ws");
	WAIT_FOR(A.joined && B.joined, 10000);
	assert_true(A.joined);
	assert_true(B.joined);
	assert_string_equal(conn_status(A.c)->transport, transport);
	say(&A, "a1", "from alice");
	say(&B, "b1", "from bob");
	WAIT_FOR(seen(&B, "from alice") && seen(&A, "from bob") && A.acks >= 1,
	    10000);
	assert_int_equal(seen(&B, "from alice"), 1);
	assert_int_equal(seen(&A, "from bob"), 1);
	assert_int_equal(seen(&A, "from alice"), 1); /* its own, once */
	assert_true(A.acks >= 1);
	assert_int_equal(A.opened, 1);
}

static void
transport__forced(const char *transport)
{
	struct srv *s = start_confabd();
	both_ways(transport, s->port, s->port);
	srv_cleanup(s);
	free(s);
}

static void transport__ws_carries_a_message_both_ways(void **st) { (void)st; transport__forced("ws"); }
static void transport__sse_carries_a_message_both_ways(void **st) { (void)st; transport__forced("sse"); }
static void transport__poll_carries_a_message_both_ways(void **st) { (void)st; transport__forced("poll"); }

static void
restart_loses_and_doubles_nothing(const char *transport)
{
	struct srv *s = start_confabd();
	both_ways(transport, s->port, s->port);
	char text[32];
	for (int i = 1; i <= 3; i++) {
		snprintf(text, sizeof text, "before %d", i);
		char cid[16];
		snprintf(cid, sizeof cid, "m%d", i);
		say(&B, cid, text);
	}
	WAIT_FOR(seen(&A, "before 3") == 1, 10000);
	assert_int_equal(seen(&A, "before 3"), 1);

	srv_stop(s, SIGKILL);
	WAIT_FOR(!A.welcomed && !B.welcomed, 10000);
	assert_false(A.welcomed);
	assert_true(srv_restart_same_port(s));
	/* bob is back first or not: either way, what he says while alice is
	 * away comes to her once */
	WAIT_FOR(B.welcomed, 15000);
	assert_true(B.welcomed);
	for (int i = 1; i <= 3; i++) {
		snprintf(text, sizeof text, "after %d", i);
		char cid[16];
		snprintf(cid, sizeof cid, "c%d", i);
		say(&B, cid, text);
	}
	WAIT_FOR(A.welcomed && seen(&A, "after 3") == 1, 15000);
	assert_true(A.welcomed);
	assert_true(A.opened >= 2);
	for (int i = 1; i <= 3; i++) {
		snprintf(text, sizeof text, "before %d", i);
		assert_int_equal(seen(&A, text), 1);
		snprintf(text, sizeof text, "after %d", i);
		WAIT_FOR(seen(&A, text) == 1, 5000);
		assert_int_equal(seen(&A, text), 1);
	}
	/* and alice still speaks on the new session */
	say(&A, "a2", "alice again");
	WAIT_FOR(seen(&B, "alice again") == 1, 10000);
	assert_int_equal(seen(&B, "alice again"), 1);
	for (int i = 0; i < A.ntransports; i++)
		assert_string_equal(A.transports[i], transport);
	srv_cleanup(s);
	free(s);
}

static void transport__sse_restart_loses_and_doubles_nothing(void **st) { (void)st; restart_loses_and_doubles_nothing("sse"); }
static void transport__poll_restart_loses_and_doubles_nothing(void **st) { (void)st; restart_loses_and_doubles_nothing("poll"); }

/* More frames at once than one POST may carry (the server takes at most
 * max_frame bytes a request): they go in several, every one once. */
static void
burst(const char *transport)
{
	struct srv *s = start_confabd();
	both_ways(transport, s->port, s->port);
	char text[1100], cid[16];
	memset(text, 'x', 1000);
	for (int i = 0; i < 200; i++) {
		snprintf(text + 1000, 100, " %d", i);
		snprintf(cid, sizeof cid, "k%d", i);
		say(&A, cid, text);
	}
	/* bob has seen his own message too */
	WAIT_FOR(A.acks >= 201 && B.nseen >= 202 && A.nseen >= 202, 20000);
	if (getenv("TRANSPORT_TEST_VERBOSE"))
		fprintf(stderr, "acks %d seen %d/%d again %d opened %d\n", A.acks,
		    B.nseen, A.nseen, A.again, A.opened);
	assert_int_equal(A.acks, 201);
	assert_int_equal(B.nseen, 202);
	assert_int_equal(A.nseen, 202);
	assert_int_equal(A.again, 0);
	for (int i = 0; i < 200; i += 37) {
		snprintf(text + 1000, 100, " %d", i);
		assert_int_equal(seen(&B, text), 1);
	}
	srv_cleanup(s);
	free(s);
}

static void transport__sse_sends_a_burst_in_several_requests(void **st) { (void)st; burst("sse"); }
static void transport__poll_sends_a_burst_in_several_requests(void **st) { (void)st; burst("poll"); }

/* Failures at the dial itself (no such host, nothing listening) are
 * explained as on a WebSocket, and retried. */
static void
unreachable(const char *transport)
{
	char url[64], err[256];
	struct conn_options o = {.url = "ws://no-such-host.invalid:7681/",
	    .base_ms = 50, .cap_ms = 100, .seed = 1, .transport = transport};
	A.c = conn_new(ctx, &o, &events, &A, err, sizeof err);
	assert_non_null(A.c);
	conn_reconnect_now(A.c);
	WAIT_FOR(conn_status(A.c)->attempt >= 2, 10000);
	assert_true(conn_status(A.c)->attempt >= 2);
	/* lws refuses the name inside the call: the words a WebSocket gets */
	assert_non_null(strstr(conn_status(A.c)->last_error,
	    "no-such-host.invalid"));
	conn_free(A.c);
	A.c = NULL;

	struct srv *s = start_confabd();
	int port = s->port;
	srv_cleanup(s);
	free(s);
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/", port);
	o.url = url;
	A.c = conn_new(ctx, &o, &events, &A, err, sizeof err);
	conn_reconnect_now(A.c);
	WAIT_FOR(conn_status(A.c)->attempt >= 2, 10000);
	assert_true(conn_status(A.c)->attempt >= 2);
	char want[96];
	snprintf(want, sizeof want, "nothing is listening at 127.0.0.1:%d", port);
	assert_non_null(strstr(conn_status(A.c)->last_error, want));
	assert_string_equal(conn_status(A.c)->transport, transport);
}

static void transport__sse_explains_an_unreachable_server(void **st) { (void)st; unreachable("sse"); }
static void transport__poll_explains_an_unreachable_server(void **st) { (void)st; unreachable("poll"); }

/* A poll held longer than lws waits for an answer (timeout_secs, 2 s
 * here) is not taken for a dead server. */
static void
transport__a_held_poll_outlasts_the_answer_timeout(void **st)
{
	(void)st;
	static const char *const slow[] = {"--rate", "0", "--auth", "accounts",
	    "--open-registration", "--heartbeat-ms", "4000", "--poll-hold-ms",
	    "5000", NULL};
	struct srv *s = calloc(1, sizeof *s);
	assert_true(srv_start(s, slow));
	peer_start(&A, "alice", s->port, "poll");
	conn_set_heartbeat(A.c, 4000);
	peer_start(&B, "bob", s->port, "ws");
	conn_set_heartbeat(B.c, 4000);
	WAIT_FOR(A.joined && B.joined, 10000);
	assert_true(A.joined);
	int64_t until = now_ms() + 7000;
	WAIT_FOR(now_ms() >= until, 8000);
	assert_int_equal(A.opened, 1);
	assert_true(A.welcomed);
	say(&B, "late1", "after a long hold");
	WAIT_FOR(seen(&A, "after a long hold") == 1, 5000);
	assert_int_equal(seen(&A, "after a long hold"), 1);
	srv_cleanup(s);
	free(s);
}

/* --- behind nginx -------------------------------------------------- */

struct proxy {
	char dir[128];
	int port;
	pid_t pid;
};

static struct proxy px;

static int
free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t n = sizeof a;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static bool
accepts(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

enum proxy_mode { PROXY_PLAIN, PROXY_BUFFERED, PROXY_UPGRADE };

static void
proxy_write_conf(int upstream, enum proxy_mode mode)
{
	char path[256];
	snprintf(path, sizeof path, "%s/nginx.conf", px.dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	if (geteuid() == 0)
		fprintf(f, "user root;\n"); /* the workers stay who runs the test */
	static const char *const how[] = {
		[PROXY_PLAIN] = "proxy_buffering off;",
		[PROXY_BUFFERED] = "proxy_buffering on; "
		    "proxy_ignore_headers X-Accel-Buffering;",
		[PROXY_UPGRADE] = "proxy_buffering off; proxy_http_version 1.1; "
		    "proxy_set_header Upgrade $http_upgrade; "
		    "proxy_set_header Connection $connection_upgrade;",
	};
	fprintf(f,
	    "worker_processes 1;\n"
	    "error_log %s/error.log info;\n"
	    "pid %s/nginx.pid;\n"
	    "events { worker_connections 64; }\n"
	    "http {\n"
	    "  access_log %s/access.log;\n"
	    "  client_body_temp_path %s/body;\n"
	    "  proxy_temp_path %s/proxy;\n"
	    "  fastcgi_temp_path %s/fastcgi;\n"
	    "  uwsgi_temp_path %s/uwsgi;\n"
	    "  scgi_temp_path %s/scgi;\n"
	    "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
	    "  server {\n"
	    "    listen 127.0.0.1:%d;\n"
	    "    location / {\n"
	    "      proxy_pass http://127.0.0.1:%d;\n"
	    "      proxy_set_header Host $http_host;\n"
	    "      proxy_read_timeout 60s;\n"
	    "      %s\n"
	    "    }\n"
	    "  }\n"
	    "}\n", px.dir, px.dir, px.dir, px.dir, px.dir, px.dir, px.dir, px.dir,
	    px.port, upstream, how[mode]);
	fclose(f);
}

/* nginx in front of confabd: plain proxy_pass (no Upgrade, no
 * Connection forwarded, so no WebSocket passes); buffered: the answers
 * are held in the proxy's buffers, whatever X-Accel-Buffering says;
 * upgrade: as a proxy for WebSockets is configured. */
static void
proxy_start(int upstream, enum proxy_mode mode)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(px.dir, sizeof px.dir, "%s/confab-nginx-XXXXXX", tmp);
	assert_non_null(mkdtemp(px.dir));
	px.port = free_port();
	proxy_write_conf(upstream, mode);
	char path[256];
	snprintf(path, sizeof path, "%s/nginx.conf", px.dir);
	px.pid = fork();
	assert_true(px.pid >= 0);
	if (px.pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		char out[256];
		snprintf(out, sizeof out, "%s/stderr.log", px.dir);
		int fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		const char *bin = getenv("NGINX") ? getenv("NGINX") : "nginx";
		execlp(bin, bin, "-p", px.dir, "-c", path, "-g", "daemon off;",
		    (char *)NULL);
		_exit(127);
	}
	int64_t end = now_ms() + 5000;
	while (!accepts(px.port) && now_ms() < end) {
		int st;
		if (waitpid(px.pid, &st, WNOHANG) == px.pid) {
			px.pid = 0;
			fail_msg("nginx did not start: see %s/stderr.log", px.dir);
		}
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
	}
	assert_true(accepts(px.port));
}

static void
proxy_stop(void)
{
	if (px.pid > 0) {
		kill(px.pid, SIGTERM); /* nginx's fast shutdown, workers too */
		int64_t end = now_ms() + 5000;
		int st;
		while (waitpid(px.pid, &st, WNOHANG) == 0 && now_ms() < end) {
			struct timespec ts = {0, 20 * 1000000};
			nanosleep(&ts, NULL);
		}
		if (kill(px.pid, 0) == 0) {
			kill(px.pid, SIGKILL);
			waitpid(px.pid, &st, 0);
		}
		px.pid = 0;
	}
	if (px.dir[0] != '\0') {
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", px.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", px.dir);
		px.dir[0] = '\0';
	}
}

static int
proxy_teardown(void **state)
{
	proxy_stop();
	return teardown(state);
}

static void
behind_nginx(bool buffered, const char *want)
{
	struct srv *s = start_confabd();
	proxy_start(s->port, buffered ? PROXY_BUFFERED : PROXY_PLAIN);
	peer_start(&A, "alice", px.port, "auto");
	peer_start(&B, "bob", s->port, "ws");
	WAIT_FOR(A.joined && B.joined, 15000);
	assert_true(B.joined);
	assert_true(A.joined);
	assert_string_equal(conn_status(A.c)->transport, want);
	/* the WebSocket never opened: the first link was SSE */
	assert_string_equal(A.transports[0], "sse");
	assert_string_equal(A.transports[A.ntransports - 1], want);
	say(&A, "a1", "from alice");
	say(&B, "b1", "from bob");
	WAIT_FOR(seen(&B, "from alice") && seen(&A, "from bob") &&
	    seen(&A, "from alice"), 10000);
	assert_int_equal(seen(&B, "from alice"), 1);
	assert_int_equal(seen(&A, "from bob"), 1);
	assert_int_equal(seen(&A, "from alice"), 1);
	proxy_stop();
	srv_cleanup(s);
	free(s);
}

/* The proxy starts forwarding upgrades (a reload: the running stream
 * stays on the old worker): the next probe passes, and the session moves
 * to the WebSocket, losing nothing. */
static void
transport__goes_back_to_the_websocket_when_a_probe_passes(void **st)
{
	(void)st;
	struct srv *s = start_confabd();
	proxy_start(s->port, PROXY_PLAIN);
	probe_ms = 500;
	peer_start(&A, "alice", px.port, "auto");
	peer_start(&B, "bob", s->port, "ws");
	WAIT_FOR(A.joined && B.joined, 15000);
	assert_true(A.joined);
	assert_string_equal(conn_status(A.c)->transport, "sse");
	/* the first probes fail: still on SSE, once opened */
	int64_t until = now_ms() + 1200;
	WAIT_FOR(now_ms() >= until, 2000);
	assert_string_equal(conn_status(A.c)->transport, "sse");
	assert_int_equal(A.opened, 1);
	proxy_write_conf(s->port, PROXY_UPGRADE);
	assert_int_equal(kill(px.pid, SIGHUP), 0);
	say(&B, "m1", "while moving");
	WAIT_FOR(A.ntransports >= 2 && A.joined &&
	    strcmp(conn_status(A.c)->transport, "ws") == 0, 15000);
	assert_string_equal(conn_status(A.c)->transport, "ws");
	assert_string_equal(A.transports[A.ntransports - 1], "ws");
	say(&B, "m2", "after the move");
	say(&A, "a1", "alice on ws");
	WAIT_FOR(seen(&A, "after the move") && seen(&B, "alice on ws"), 10000);
	assert_int_equal(seen(&A, "while moving"), 1);
	assert_int_equal(seen(&A, "after the move"), 1);
	assert_int_equal(seen(&B, "alice on ws"), 1);
	proxy_stop();
	srv_cleanup(s);
	free(s);
}

static void transport__behind_a_proxy_without_upgrade_it_falls_to_sse(void **st) { (void)st; behind_nginx(false, "sse"); }
static void transport__behind_a_buffering_proxy_it_falls_to_poll(void **st) { (void)st; behind_nginx(true, "poll"); }

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	xmalloc_init_cjson();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(transport__ws_carries_a_message_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__sse_carries_a_message_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__poll_carries_a_message_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__sse_restart_loses_and_doubles_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__poll_restart_loses_and_doubles_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__a_held_poll_outlasts_the_answer_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__sse_explains_an_unreachable_server, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__poll_explains_an_unreachable_server, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__sse_sends_a_burst_in_several_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__poll_sends_a_burst_in_several_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(transport__behind_a_proxy_without_upgrade_it_falls_to_sse, setup, proxy_teardown),
		cmocka_unit_test_setup_teardown(transport__behind_a_buffering_proxy_it_falls_to_poll, setup, proxy_teardown),
		cmocka_unit_test_setup_teardown(transport__goes_back_to_the_websocket_when_a_probe_passes, setup, proxy_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
