/*
 * Sessions over Server-Sent Events (GET /events) with POST /send, over
 * real sockets: the framing (retry:, the session event, data: frames,
 * id:, heartbeat comments); a message crossing between a WebSocket and an
 * SSE session both ways, typing and presence alike; Last-Event-ID
 * resuming after the stream is cut and after confabd is killed and
 * started again, every message once, also a long resume paced through a
 * small queue; bad tokens, rooms, bodies and sessions refused with their
 * status; idle sessions expiring as silent WebSocket ones do, counted by
 * /metrics; documents, LOGOUT and the rate limit over POST; a shutdown.
 */
#include <unistd.h>

#include <cjson/cJSON.h>

#include "httpsess.h"
#include "rawc.h"

#define PW "correct horse battery"

static void
sse_frames_a_session_as_events(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--heartbeat-ms", "700",
	    NULL};
	struct srv *s = it_start(opts);
	struct sse *c = it_sse_open(s->port, "/events?user=alice&rooms=lobby", NULL);
	assert_int_equal(c->status, 200);
	assert_non_null(strstr(c->head, "Content-Type: text/event-stream"));
	assert_non_null(strstr(c->head, "Cache-Control: no-store"));
	struct sse_event ev;
	assert_true(sse_next(c, &ev, T));
	assert_string_equal(ev.event, "session");
	/* retry: advice comes before the first event */
	assert_int_equal(c->retry, 2000);
	cJSON *f = cJSON_Parse(ev.data);
	assert_non_null(f);
	assert_string_equal(tc_str(f, "transport"), "sse");
	assert_int_equal(tc_int(f, "heartbeat_ms"), 700);
	snprintf(c->key, sizeof c->key, "%s", tc_str(f, "session"));
	cJSON_Delete(f);
	cJSON *w = sse_expect(c, "WELCOME", T);
	assert_non_null(w);
	assert_string_equal(tc_str(w, "user"), "alice");
	assert_non_null(strstr(c->key, tc_str(w, "session")));
	cJSON_Delete(w);
	cJSON *j = sse_expect(c, "JOINED", T);
	assert_non_null(j);
	assert_string_equal(tc_str(j, "room"), "lobby");
	cJSON_Delete(j);
	assert_string_equal(c->last_id, "lobby:0.0");
	/* a quiet stream gets comments, the session stays while it sends */
	int64_t end = ms_now() + 3000;
	while (c->comments < 2 && ms_now() < end) {
		assert_int_equal(send_frames(s->port, c->key,
		    "{\"type\":\"HEARTBEAT\"}"), 202);
		cJSON *h = sse_expect(c, "HEARTBEAT", T);
		assert_non_null(h);
		cJSON_Delete(h);
	}
	assert_true(c->comments >= 2);
	assert_int_equal(metric(s, "confab_sse_sessions"), 1);
	sse_close(c);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
messages_cross_between_websocket_and_sse(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *bob = it_joined(s, "bob", "lobby");
	struct sse *c = it_sse(s->port, "/events?user=alice&rooms=lobby", NULL);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	/* the others cannot tell the transport: alice joined, online */
	cJSON *p = tc_expect_field(bob, "USER_JOINED", "user", "alice", T);
	assert_non_null(p);
	assert_string_equal(tc_str(p, "status"), "online");
	cJSON_Delete(p);

	it_say(bob, "lobby", "b1", "hello alice");
	cJSON *m = sse_expect(c, "MESSAGE", T);
	assert_non_null(m);
	assert_string_equal(tc_str(m, "text"), "hello alice");
	assert_string_equal(tc_str(m, "user"), "bob");
	cJSON_Delete(m);
	assert_string_equal(c->last_id, "lobby:1.0");

	assert_int_equal(send_frames(s->port, c->key, "[{\"type\":\"TYPING\","
	    "\"room\":\"lobby\",\"active\":true},{\"type\":\"MESSAGE\",\"cid\":\"a1\","
	    "\"room\":\"lobby\",\"text\":\"hi bob\"}]"), 202);
	cJSON *t = tc_expect_field(bob, "TYPING", "user", "alice", T);
	assert_non_null(t);
	cJSON_Delete(t);
	m = tc_expect_field(bob, "MESSAGE", "user", "alice", T);
	assert_non_null(m);
	assert_string_equal(tc_str(m, "text"), "hi bob");
	assert_int_equal(tc_int(m, "seq"), 2);
	cJSON_Delete(m);
	cJSON *a = sse_expect(c, "ACK", T);
	assert_non_null(a);
	assert_string_equal(tc_str(a, "cid"), "a1");
	cJSON_Delete(a);
	/* the same cid again is ACKed and not stored again */
	tc_drain(bob);
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"MESSAGE\","
	    "\"cid\":\"a1\",\"room\":\"lobby\",\"text\":\"hi bob\"}"), 202);
	a = sse_expect(c, "ACK", T);
	assert_non_null(a);
	assert_int_equal(tc_int(a, "seq"), 2);
	cJSON_Delete(a);
	assert_true(tc_quiet(bob, "MESSAGE", 300));
	/* a room joined with POST comes into the id, and goes with its LEAVE */
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"JOIN\","
	    "\"room\":\"dev\"}"), 202);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	assert_string_equal(c->last_id, "dev:0.0,lobby:2.0");
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"LEAVE\","
	    "\"room\":\"dev\",\"cid\":\"l1\"}"), 202);
	cJSON_Delete(sse_expect(c, "ACK", T));
	assert_string_equal(c->last_id, "lobby:2.0");
	/* the stream's end is the session's: the others see alice go */
	sse_close(c);
	p = tc_expect_field(bob, "PRESENCE_UPDATE", "user", "alice", T);
	assert_non_null(p);
	assert_string_equal(tc_str(p, "status"), "offline");
	cJSON_Delete(p);
	tc_free(bob);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

/* Reads MESSAGE events of room and checks their texts are m<first>.. in
 * order, n of them. */
static void
expect_texts(struct sse *c, int first, int n)
{
	for (int i = 0; i < n; i++) {
		cJSON *m = sse_expect(c, "MESSAGE", T);
		assert_non_null(m);
		char want[32];
		snprintf(want, sizeof want, "m%d", first + i);
		assert_string_equal(tc_str(m, "text"), want);
		cJSON_Delete(m);
	}
}

static struct sse *
reconnect(int port, const char *last_id)
{
	char hdr[4200];
	snprintf(hdr, sizeof hdr, "Last-Event-ID: %s\r\n", last_id);
	return it_sse(port, "/events?user=alice&rooms=lobby", hdr);
}

static void
last_event_id_resumes_after_a_cut_and_a_restart(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *bob = it_joined(s, "bob", "lobby");
	struct sse *c = it_sse(s->port, "/events?user=alice&rooms=lobby", NULL);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	say_range(bob, 1, 3);
	expect_texts(c, 1, 3);
	char id[4096];
	snprintf(id, sizeof id, "%s", c->last_id);
	assert_string_equal(id, "lobby:3.0");
	sse_close(c);

	/* cut: what is said meanwhile comes after the reconnect, once */
	say_range(bob, 4, 3);
	c = reconnect(s->port, id);
	cJSON *j = sse_expect(c, "JOINED", T);
	assert_non_null(j);
	cJSON_Delete(j);
	expect_texts(c, 4, 3);
	say_range(bob, 7, 1);
	expect_texts(c, 7, 1);
	snprintf(id, sizeof id, "%s", c->last_id);
	assert_string_equal(id, "lobby:7.0");
	sse_close(c);
	tc_free(bob);

	/* killed and started again: the stored messages resume */
	srv_stop(s, SIGKILL);
	assert_true(srv_restart(s));
	bob = it_joined(s, "bob", "lobby");
	say_range(bob, 8, 2);
	c = reconnect(s->port, id);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	expect_texts(c, 8, 2);
	say_range(bob, 10, 1);
	expect_texts(c, 10, 1);
	/* and nothing twice */
	cJSON *more = sse_expect(c, "MESSAGE", 300);
	assert_null(more);
	sse_close(c);
	tc_free(bob);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
bad_input_is_refused_with_its_status(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--auth", "accounts",
	    "--max-frame", "2048", NULL};
	struct srv *s = it_start(opts);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "printf '%%s\\n' '" PW "' | '%s' user add alice "
	    "--db '%s' >/dev/null 2>&1", getenv("CONFABD"), s->db);
	assert_int_equal(system(cmd), 0);
	struct hanswer a;
	request(s->port, "POST", "/login", "Content-Type: application/json\r\n",
	    "{\"user\":\"alice\",\"password\":\"" PW "\"}", &a);
	assert_int_equal(a.status, 200);
	cJSON *l = cJSON_Parse(a.body);
	char token[128];
	snprintf(token, sizeof token, "%s", tc_str(l, "token"));
	cJSON_Delete(l);
	hanswer_free(&a);

	request(s->port, "GET", "/events?rooms=lobby", NULL, NULL, &a);
	assert_int_equal(a.status, 401);
	assert_non_null(strstr(a.head, "WWW-Authenticate: Bearer"));
	hanswer_free(&a);
	request(s->port, "GET", "/events?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    NULL, NULL, &a);
	assert_int_equal(a.status, 401);
	hanswer_free(&a);
	request(s->port, "GET", "/poll", "Authorization: Bearer nope\r\n", NULL, &a);
	assert_int_equal(a.status, 401);
	hanswer_free(&a);
	char hdr[256];
	snprintf(hdr, sizeof hdr, "Authorization: Bearer %s\r\n", token);
	request(s->port, "GET", "/events?rooms=Not%20A%20Room", hdr, NULL, &a);
	assert_int_equal(a.status, 400);
	hanswer_free(&a);
	request(s->port, "GET", "/events?user=bob", hdr, NULL, &a);
	assert_int_equal(a.status, 401); /* the token is alice's */
	hanswer_free(&a);
	char bad_id[400];
	snprintf(bad_id, sizeof bad_id, "%sLast-Event-ID: lobby:x\r\n", hdr);
	request(s->port, "GET", "/events", bad_id, NULL, &a);
	assert_int_equal(a.status, 400);
	hanswer_free(&a);
	char evil[400];
	snprintf(evil, sizeof evil, "%sOrigin: https://evil.example\r\n", hdr);
	request(s->port, "GET", "/events?rooms=lobby", evil, NULL, &a);
	assert_int_equal(a.status, 403);
	hanswer_free(&a);
	request(s->port, "POST", "/events?rooms=lobby", hdr, "", &a);
	assert_int_equal(a.status, 405);
	hanswer_free(&a);
	request(s->port, "GET", "/events?rooms=lobby", "Accept: text/html\r\n", NULL, &a);
	assert_int_equal(a.status, 406);
	hanswer_free(&a);
	request(s->port, "GET", "/send?session=x", NULL, NULL, &a);
	assert_int_equal(a.status, 405);
	hanswer_free(&a);
	request(s->port, "GET", "/poll?cursor=garbage", NULL, NULL, &a);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.body, "bad_cursor"));
	hanswer_free(&a);
	request(s->port, "GET", "/poll?cursor=s99.00000000000000000000000000000000.0",
	    NULL, NULL, &a);
	assert_int_equal(a.status, 404);
	assert_non_null(strstr(a.body, "unknown_session"));
	hanswer_free(&a);
	assert_int_equal(send_frames(s->port, "s99.00000000000000000000000000000000",
	    "{\"type\":\"HEARTBEAT\"}"), 404);

	/* the token in a bearer header opens a stream */
	struct sse *c = it_sse(s->port, "/events?rooms=lobby", hdr);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	/* a wrong secret is no session either */
	char wrong[128];
	snprintf(wrong, sizeof wrong, "%s", c->key);
	wrong[strlen(wrong) - 1] = wrong[strlen(wrong) - 1] == '0' ? '1' : '0';
	assert_int_equal(send_frames(s->port, wrong, "{\"type\":\"HEARTBEAT\"}"), 404);
	/* malformed JSON: an ERROR on the stream; a broken array: 400 */
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"MESSAGE\",}"), 202);
	cJSON *e = sse_expect(c, "ERROR", T);
	assert_non_null(e);
	assert_string_equal(tc_str(e, "code"), "bad_json");
	cJSON_Delete(e);
	assert_int_equal(send_frames(s->port, c->key, "[{\"type\":\"HEARTBEAT\"}"), 400);
	assert_int_equal(send_frames(s->port, c->key, "[{\"type\":\"NOPE\"}]"), 202);
	e = sse_expect(c, "ERROR", T);
	assert_non_null(e);
	assert_string_equal(tc_str(e, "code"), "unknown_type");
	cJSON_Delete(e);
	/* over max_frame: 413 before it is read */
	char *big = malloc(4096);
	memset(big, 'x', 4095);
	big[4095] = '\0';
	memcpy(big, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"text\":\"", 40);
	assert_int_equal(send_frames(s->port, c->key, big), 413);
	free(big);
	/* another type than JSON */
	snprintf(cmd, sizeof cmd, "/send?session=%s", c->key);
	request(s->port, "POST", cmd, "Content-Type: text/plain\r\n", "{}", &a);
	assert_int_equal(a.status, 415);
	hanswer_free(&a);
	/* the stream is still there and works */
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"HEARTBEAT\"}"), 202);
	cJSON *h = sse_expect(c, "HEARTBEAT", T);
	assert_non_null(h);
	cJSON_Delete(h);
	sse_close(c);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
idle_http_sessions_expire_as_silent_websockets_do(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--heartbeat-ms", "300",
	    NULL};
	struct srv *s = it_start(opts);
	long long before = metric(s, "confab_heartbeat_disconnects_total");
	struct sse *c = it_sse(s->port, "/events?user=alice&rooms=lobby", NULL);
	int st;
	cJSON *p = poll_json(s->port, "/poll?user=bob&rooms=lobby", &st);
	assert_int_equal(st, 200);
	char target[256];
	snprintf(target, sizeof target, "/poll?cursor=%s", tc_str(p, "cursor"));
	cJSON_Delete(p);
	/* neither sends anything: both go with 4001 */
	cJSON *cl = sse_expect(c, "close", 3000);
	assert_non_null(cl);
	assert_int_equal(tc_int(cl, "code"), 4001);
	cJSON_Delete(cl);
	struct sse_event ev;
	assert_false(sse_next(c, &ev, 2000));
	assert_true(c->eof);
	sse_close(c);
	int64_t end = ms_now() + 3000;
	while (metric(s, "confab_poll_sessions") > 0 && ms_now() < end)
		tc_pump(50);
	assert_int_equal(metric(s, "confab_poll_sessions"), 0);
	struct hanswer a;
	request(s->port, "GET", target, NULL, NULL, &a);
	assert_int_equal(a.status, 404);
	hanswer_free(&a);
	assert_int_equal(metric(s, "confab_sse_sessions"), 0);
	assert_int_equal(metric(s, "confab_heartbeat_disconnects_total"), before + 2);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
a_long_resume_is_paced_and_complete(void **state)
{
	(void)state;
	/* a small queue: the replay goes a page at a time as the stream drains */
	static const char *const opts[] = {"--rate", "0", "--max-queue", "32768",
	    NULL};
	struct srv *s = it_start(opts);
	struct tc *bob = it_joined(s, "bob", "lobby");
	say_many(bob, 1, 400);
	struct sse *c = reconnect(s->port, "lobby:0.0");
	cJSON_Delete(sse_expect(c, "JOINED", T));
	for (int i = 1; i <= 400; i++) {
		cJSON *m = sse_expect(c, "MESSAGE", T);
		assert_non_null(m);
		assert_int_equal(text_number(m), i);
		cJSON_Delete(m);
	}
	assert_string_equal(c->last_id, "lobby:400.0");
	sse_close(c);

	/* the same over long polls, each answer confirmed by the next */
	int st, next = 1;
	cJSON *j = poll_json(s->port, "/poll?user=carol&rooms=lobby:0", &st);
	for (int round = 0; round < 400; round++) {
		assert_int_equal(st, 200);
		const cJSON *e;
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "events"))
			if (tc_is(e, "MESSAGE"))
				assert_int_equal(text_number(e), next++);
		if (next > 400)
			break;
		char target[256];
		snprintf(target, sizeof target, "/poll?cursor=%s", tc_str(j, "cursor"));
		cJSON_Delete(j);
		j = poll_json(s->port, target, &st);
	}
	assert_int_equal(next, 401);
	assert_string_equal(tc_str(j, "resume"), "lobby:400");
	cJSON_Delete(j);
	tc_free(bob);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
documents_and_sign_out_work_over_post(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--auth", "accounts",
	    "--open-registration", NULL};
	struct srv *s = it_start(opts);
	struct hanswer a;
	request(s->port, "POST", "/register", "Content-Type: application/json\r\n",
	    "{\"user\":\"alice\",\"password\":\"" PW "\"}", &a);
	assert_int_equal(a.status, 200);
	cJSON *l = cJSON_Parse(a.body);
	char token[128], target[256];
	snprintf(token, sizeof token, "%s", tc_str(l, "token"));
	cJSON_Delete(l);
	hanswer_free(&a);
	snprintf(target, sizeof target, "/events?token=%s&rooms=lobby", token);
	struct sse *c = it_sse(s->port, target, NULL);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"DOC_OPEN\","
	    "\"room\":\"lobby\",\"doc\":\"notes\",\"cid\":\"o1\"}"), 202);
	cJSON *d = sse_expect(c, "DOC_STATE", T);
	assert_non_null(d);
	assert_int_equal(tc_int(d, "rev"), 0);
	cJSON_Delete(d);
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"DOC_OP\","
	    "\"cid\":\"e1\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":0,"
	    "\"op\":[\"hello\"]}"), 202);
	cJSON *k = sse_expect(c, "ACK", T);
	assert_non_null(k);
	assert_string_equal(tc_str(k, "cid"), "e1");
	assert_int_equal(tc_int(k, "rev"), 1);
	cJSON_Delete(k);
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"DOC_GET\","
	    "\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,\"cid\":\"g1\"}"), 202);
	cJSON *t = sse_expect(c, "DOC_TEXT", T);
	assert_non_null(t);
	assert_string_equal(tc_str(t, "text"), "hello");
	cJSON_Delete(t);
	/* LOGOUT ends the token: the stream closes with 4003, a new one is 401 */
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"LOGOUT\","
	    "\"cid\":\"x\"}"), 202);
	cJSON *cl = sse_expect(c, "close", T);
	assert_non_null(cl);
	assert_int_equal(tc_int(cl, "code"), 4003);
	cJSON_Delete(cl);
	sse_close(c);
	request(s->port, "GET", target, NULL, NULL, &a);
	assert_int_equal(a.status, 401);
	hanswer_free(&a);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
a_shutdown_closes_http_sessions_with_1001(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct sse *c = it_sse(s->port, "/events?user=alice&rooms=lobby", NULL);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	int st;
	cJSON *p = poll_json(s->port, "/poll?user=bob", &st);
	char req[512];
	int n = snprintf(req, sizeof req, "GET /poll?cursor=%s HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\n\r\n", tc_str(p, "cursor"));
	cJSON_Delete(p);
	int fd = rawc_connect(s->port, 5000);
	rawc_write(fd, req, (size_t)n);
	tc_pump(200);
	kill(s->pid, SIGTERM);
	cJSON *cl = sse_expect(c, "close", T);
	assert_non_null(cl);
	assert_int_equal(tc_int(cl, "code"), 1001);
	cJSON_Delete(cl);
	static char buf[65536];
	bool eof;
	rawc_read_all(fd, buf, sizeof buf, 5000, &eof);
	close(fd);
	char *body = strstr(buf, "\r\n\r\n");
	assert_non_null(body);
	cJSON *j = cJSON_Parse(body + 4);
	assert_non_null(j);
	assert_int_equal(tc_int(cJSON_GetObjectItem(j, "closed"), "code"), 1001);
	cJSON_Delete(j);
	sse_close(c);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
post_frames_take_the_sessions_rate_limit(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0.1", "--burst", "3", NULL};
	struct srv *s = it_start(opts);
	/* the HELLO and JOINs made of the request cost the client nothing */
	struct sse *c = it_sse(s->port, "/events?user=alice&rooms=lobby,dev",
	    NULL);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	char body[2048] = "[";
	for (int i = 0; i < 6; i++)
		snprintf(body + strlen(body), sizeof body - strlen(body),
		    "%s{\"type\":\"MESSAGE\",\"cid\":\"r%d\",\"room\":\"lobby\","
		    "\"text\":\"x\"}", i ? "," : "", i);
	strcat(body, "]");
	assert_int_equal(send_frames(s->port, c->key, body), 202);
	int stored = 0, limited = 0;
	cJSON *f;
	while (limited < 6 && (f = sse_expect(c, "ERROR", 300)) != NULL) {
		assert_string_equal(tc_str(f, "code"), "rate_limited");
		limited++;
		cJSON_Delete(f);
	}
	sse_close(c);
	c = NULL;
	/* the three stored ones */
	struct tc *bob = it_login(s, "bob");
	tc_send(bob, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":0}");
	cJSON_Delete(tc_expect(bob, "JOINED", T));
	for (f = tc_expect(bob, "MESSAGE", 500); f != NULL;
	    f = tc_expect(bob, "MESSAGE", 500)) {
		stored++;
		cJSON_Delete(f);
	}
	assert_int_equal(stored, 3);
	assert_int_equal(limited, 3);
	tc_free(bob);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

/* A document's text of n bytes in one DOC_OP sent with POST. */
static void
big_document(int port, const char *key, size_t n)
{
	char *body = malloc(n + 256);
	int h = snprintf(body, 256, "{\"type\":\"DOC_OP\",\"cid\":\"big\","
	    "\"room\":\"lobby\",\"doc\":\"big\",\"rev\":0,\"op\":[\"");
	memset(body + h, 'a', n);
	strcpy(body + h + n, "\"]}");
	assert_int_equal(send_frames(port, key, body), 202);
	free(body);
}

static void
a_big_answer_crosses_whole(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--max-frame", "1048576",
	    NULL};
	struct srv *s = it_start(opts);
	struct sse *c = it_sse(s->port, "/events?user=alice&rooms=lobby", NULL);
	cJSON_Delete(sse_expect(c, "JOINED", T));
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"DOC_OPEN\","
	    "\"room\":\"lobby\",\"doc\":\"big\"}"), 202);
	cJSON_Delete(sse_expect(c, "DOC_STATE", T));
	big_document(s->port, c->key, 600000);
	cJSON *k = sse_expect(c, "ACK", T);
	assert_non_null(k);
	cJSON_Delete(k);
	/* produced piece by piece, written as one event */
	assert_int_equal(send_frames(s->port, c->key, "{\"type\":\"DOC_GET\","
	    "\"room\":\"lobby\",\"doc\":\"big\",\"rev\":1,\"cid\":\"g\"}"), 202);
	cJSON *t = sse_expect(c, "DOC_TEXT", T);
	assert_non_null(t);
	assert_int_equal(strlen(tc_str(t, "text")), 600000);
	cJSON_Delete(t);
	sse_close(c);
	/* and as one event of a long poll */
	int st;
	cJSON *j = poll_json(s->port, "/poll?user=bob&rooms=lobby", &st);
	char key[128];
	snprintf(key, sizeof key, "%s", tc_str(j, "session"));
	assert_int_equal(send_frames(s->port, key, "{\"type\":\"DOC_GET\","
	    "\"room\":\"lobby\",\"doc\":\"big\",\"rev\":1,\"cid\":\"g\"}"), 202);
	bool found = false;
	for (int i = 0; i < 10 && !found; i++) {
		char target[256];
		snprintf(target, sizeof target, "/poll?cursor=%s", tc_str(j, "cursor"));
		cJSON_Delete(j);
		j = poll_json(s->port, target, &st);
		const cJSON *e;
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "events"))
			if (tc_is(e, "DOC_TEXT")) {
				assert_int_equal(strlen(tc_str(e, "text")), 600000);
				found = true;
			}
	}
	assert_true(found);
	cJSON_Delete(j);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		IT_TEST(sse_frames_a_session_as_events),
		IT_TEST(messages_cross_between_websocket_and_sse),
		IT_TEST(last_event_id_resumes_after_a_cut_and_a_restart),
		IT_TEST(bad_input_is_refused_with_its_status),
		IT_TEST(idle_http_sessions_expire_as_silent_websockets_do),
		IT_TEST(a_long_resume_is_paced_and_complete),
		IT_TEST(documents_and_sign_out_work_over_post),
		IT_TEST(a_shutdown_closes_http_sessions_with_1001),
		IT_TEST(post_frames_take_the_sessions_rate_limit),
		IT_TEST(a_big_answer_crosses_whole),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
