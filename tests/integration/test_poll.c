/*
 * Sessions over long polling (GET /poll) with POST /send, over real
 * sockets: a poll retried with its cursor gets the same events, the next
 * is held until one comes or the hold ends; a session that stops polling
 * is dropped past its budget; a held poll never makes a session look
 * silent; an address opens no more poll sessions than --max-conns-per-ip.
 */
#include <unistd.h>

#include <cjson/cJSON.h>

#include "httpsess.h"
#include "rawc.h"

static void
a_long_poll_retried_with_its_cursor_gets_the_same_events(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--poll-hold-ms", "800",
	    NULL};
	struct srv *s = it_start(opts);
	struct tc *bob = it_joined(s, "bob", "lobby");
	int st;
	cJSON *j = poll_json(s->port, "/poll?user=alice&rooms=lobby", &st);
	assert_int_equal(st, 200);
	char target[256];
	/* the first answers bring WELCOME and JOINED */
	bool joined = false;
	for (int i = 0; i < 5 && !joined; i++) {
		const cJSON *e;
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "events"))
			joined |= tc_is(e, "JOINED");
		snprintf(target, sizeof target, "/poll?cursor=%s", tc_str(j, "cursor"));
		if (!joined) {
			cJSON_Delete(j);
			j = poll_json(s->port, target, &st);
		}
	}
	assert_true(joined);
	cJSON_Delete(j);
	say_range(bob, 1, 2);
	j = poll_json(s->port, target, &st);
	assert_int_equal(st, 200);
	assert_true(has_text(j, "m1") && has_text(j, "m2"));
	char *first = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "events"));
	/* the answer was lost: the same cursor gets the same events */
	cJSON *again = poll_json(s->port, target, &st);
	assert_int_equal(st, 200);
	char *second = cJSON_PrintUnformatted(cJSON_GetObjectItem(again, "events"));
	assert_string_equal(first, second);
	assert_string_equal(tc_str(j, "cursor"), tc_str(again, "cursor"));
	assert_string_equal(tc_str(j, "resume"), "lobby:2.0");
	free(first);
	free(second);
	cJSON_Delete(again);
	/* the next cursor is held until an event comes */
	snprintf(target, sizeof target, "/poll?cursor=%s", tc_str(j, "cursor"));
	cJSON_Delete(j);
	int fd = rawc_connect(s->port, 5000);
	char req[512];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\n\r\n", target);
	rawc_write(fd, req, (size_t)n);
	tc_pump(200);
	say_range(bob, 3, 1);
	static char buf[65536];
	bool eof;
	int64_t t0 = ms_now();
	rawc_read_all(fd, buf, sizeof buf, 5000, &eof);
	close(fd);
	assert_true(ms_now() - t0 < 700); /* answered by the event, not the hold */
	cJSON *k = cJSON_Parse(strstr(buf, "\r\n\r\n") + 4);
	assert_non_null(k);
	assert_true(has_text(k, "m3"));
	assert_false(has_text(k, "m2"));
	/* nothing more: the hold ends with no events and the same cursor */
	snprintf(target, sizeof target, "/poll?cursor=%s", tc_str(k, "cursor"));
	t0 = ms_now();
	cJSON *empty = poll_json(s->port, target, &st);
	assert_int_equal(st, 200);
	assert_true(ms_now() - t0 >= 700);
	assert_int_equal(nevents(empty), 0);
	assert_string_equal(tc_str(empty, "cursor"), tc_str(k, "cursor"));
	/* a message sent with POST on a poll session reaches bob */
	assert_int_equal(send_frames(s->port, tc_str(k, "session"),
	    "{\"type\":\"MESSAGE\",\"cid\":\"p1\",\"room\":\"lobby\",\"text\":\"via poll\"}"),
	    202);
	cJSON *m = tc_expect_field(bob, "MESSAGE", "user", "alice", T);
	assert_non_null(m);
	assert_string_equal(tc_str(m, "text"), "via poll");
	cJSON_Delete(m);
	assert_int_equal(metric(s, "confab_poll_sessions"), 1);
	cJSON_Delete(empty);
	cJSON_Delete(k);
	tc_free(bob);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
a_poll_session_that_stops_polling_is_dropped_past_its_budget(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--max-queue", "16384",
	    NULL};
	struct srv *s = it_start(opts);
	struct tc *bob = it_joined(s, "bob", "lobby");
	long long before = metric(s, "confab_slow_disconnects_total");
	int st;
	cJSON *j = poll_json(s->port, "/poll?user=alice&rooms=lobby", &st);
	assert_int_equal(st, 200);
	char target[256];
	snprintf(target, sizeof target, "/poll?cursor=%s", tc_str(j, "cursor"));
	cJSON_Delete(j);
	say_many(bob, 1, 100);
	int64_t end = ms_now() + 3000;
	while (metric(s, "confab_poll_sessions") > 0 && ms_now() < end)
		tc_pump(50);
	assert_int_equal(metric(s, "confab_poll_sessions"), 0);
	assert_int_equal(metric(s, "confab_slow_disconnects_total"), before + 1);
	struct hanswer a;
	request(s->port, "GET", target, NULL, NULL, &a);
	assert_int_equal(a.status, 404);
	hanswer_free(&a);
	/* bob, who reads, is still there */
	it_say(bob, "lobby", "after", "still here");
	tc_free(bob);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
a_held_poll_never_looks_silent(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--heartbeat-ms", "400",
	    NULL};
	struct srv *s = it_start(opts);
	int st;
	cJSON *j = poll_json(s->port, "/poll?user=alice&rooms=lobby", &st);
	assert_int_equal(st, 200);
	/* held for 1.75 heartbeats, not --poll-hold-ms's 25 s, each time */
	for (int i = 0; i < 4; i++) {
		char target[256];
		snprintf(target, sizeof target, "/poll?cursor=%s", tc_str(j, "cursor"));
		cJSON_Delete(j);
		int64_t t0 = ms_now();
		j = poll_json(s->port, target, &st);
		assert_int_equal(st, 200);
		assert_true(ms_now() - t0 < 2000);
		assert_null(cJSON_GetObjectItem(j, "closed"));
	}
	cJSON_Delete(j);
	assert_int_equal(metric(s, "confab_poll_sessions"), 1);
	assert_int_equal(metric(s, "confab_heartbeat_disconnects_total"), 0);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

static void
an_address_opens_at_most_max_conns_per_ip_poll_sessions(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--max-conns-per-ip", "3",
	    NULL};
	struct srv *s = it_start(opts);
	char target[64];
	for (int i = 0; i < 3; i++) {
		int st;
		snprintf(target, sizeof target, "/poll?user=u%d", i);
		cJSON_Delete(poll_json(s->port, target, &st));
		assert_int_equal(st, 200);
	}
	struct hanswer a;
	request(s->port, "GET", "/poll?user=u9", NULL, NULL, &a);
	assert_int_equal(a.status, 429);
	assert_non_null(strstr(a.body, "rate_limited"));
	hanswer_free(&a);
	/* a stream lives on its connection, counted as such */
	struct sse *c = it_sse(s->port, "/events?user=u8", NULL);
	sse_close(c);
	assert_int_equal(metric(s, "confab_poll_sessions"), 3);
	it_stop_clean(s); /* a sanitized build checks for leaks at exit */
	it_stop(s);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		IT_TEST(a_long_poll_retried_with_its_cursor_gets_the_same_events),
		IT_TEST(a_poll_session_that_stops_polling_is_dropped_past_its_budget),
		IT_TEST(a_held_poll_never_looks_silent),
		IT_TEST(an_address_opens_at_most_max_conns_per_ip_poll_sessions),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
