/* confabd's ephemeral state over real sockets: typing, presence, liveness. */
#include "common.h"

static void
typing_reaches_the_others_and_expires_after_six_seconds(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");

	tc_send(alice, "{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":true}");
	cJSON *t = tc_expect(bob, "TYPING", T);
	assert_non_null(t);
	assert_string_equal(tc_str(t, "user"), "alice");
	assert_string_equal(tc_str(t, "room"), "lobby");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "active")));
	cJSON_Delete(t);
	/* the typist's own session is not told */
	assert_true(tc_quiet(alice, "TYPING", 200));

	/* a snapshot taken now lists alice as typing */
	struct tc *carol = it_login(s, "carol");
	cJSON *j = it_join(carol, "lobby");
	cJSON *typing = cJSON_GetObjectItem(j, "typing");
	assert_int_equal(cJSON_GetArraySize(typing), 1);
	assert_string_equal(cJSON_GetArrayItem(typing, 0)->valuestring, "alice");
	cJSON_Delete(j);

	/* no renewal: active:false comes by itself, not much before 6 s */
	assert_true(tc_quiet(bob, "TYPING", 4000));
	t = tc_expect(bob, "TYPING", 5000);
	assert_non_null(t);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(t, "active")));
	cJSON_Delete(t);
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

static void
sending_a_message_ends_typing_and_renewals_are_not_rebroadcast(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");
	tc_send(alice, "{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":true}");
	cJSON_Delete(tc_expect(bob, "TYPING", T));
	tc_send(alice, "{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":true}");
	assert_true(tc_quiet(bob, "TYPING", 300));

	it_say(alice, "lobby", "m1", "done typing");
	cJSON *t = tc_expect(bob, "TYPING", T);
	assert_non_null(t);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(t, "active")));
	cJSON_Delete(t);

	/* explicit stop */
	tc_send(alice, "{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":true}");
	cJSON_Delete(tc_expect(bob, "TYPING", T));
	tc_send(alice, "{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":false}");
	t = tc_expect(bob, "TYPING", T);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(t, "active")));
	cJSON_Delete(t);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static cJSON *
expect_presence(struct tc *c, const char *user, const char *status)
{
	cJSON *p = tc_expect_field(c, "PRESENCE_UPDATE", "user", user, T);
	assert_non_null(p);
	assert_string_equal(tc_str(p, "status"), status);
	assert_true(tc_int(p, "last_seen") > 0);
	return p;
}

static void
presence_goes_online_away_offline_as_the_socket_drops(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *bob = it_login(s, "bob");
	it_join_quiet(bob, "lobby");
	struct tc *alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	tc_drain(bob);
	tc_drain(alice);

	tc_send(alice, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"away\",\"text\":\"lunch\"}");
	cJSON *p = expect_presence(bob, "alice", "away");
	assert_string_equal(tc_str(p, "text"), "lunch");
	cJSON_Delete(p);
	/* alice's own session hears it too */
	cJSON_Delete(expect_presence(alice, "alice", "away"));

	tc_free(alice); /* the socket drops */
	cJSON_Delete(expect_presence(bob, "alice", "offline"));

	/* coming back online is announced to those who share a room */
	alice = it_login(s, "alice");
	cJSON_Delete(expect_presence(bob, "alice", "online"));
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
a_user_is_online_while_any_session_is(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *bob = it_login(s, "bob");
	it_join_quiet(bob, "lobby");
	struct tc *laptop = it_login(s, "alice"), *desk = it_login(s, "alice");
	it_join_quiet(laptop, "lobby");
	tc_drain(bob);

	/* the desk goes idle; the laptop is still online: nothing changes */
	tc_send(desk, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"away\"}");
	assert_true(tc_quiet(bob, "PRESENCE_UPDATE", 300));
	tc_free(laptop);
	cJSON_Delete(expect_presence(bob, "alice", "away"));
	tc_free(desk);
	cJSON_Delete(expect_presence(bob, "alice", "offline"));
	tc_free(bob);
	it_stop(s);
}

static void
a_silent_session_is_closed_after_two_heartbeats(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--heartbeat-ms", "300", NULL};
	struct srv *s = it_start(args);
	struct tc *quiet = it_login(s, "quiet"), *lively = it_login(s, "lively");
	it_join_quiet(lively, "lobby");
	it_join_quiet(quiet, "lobby");

	/* lively answers every 150 ms; quiet says nothing */
	int code = -1;
	for (int i = 0; i < 40 && code < 0; i++) {
		tc_send(lively, "{\"type\":\"HEARTBEAT\"}");
		cJSON *h = tc_expect(lively, "HEARTBEAT", T);
		assert_non_null(h);
		assert_true(tc_int(h, "ts") > 0);
		cJSON_Delete(h);
		code = tc_wait_closed(quiet, 150);
	}
	assert_int_equal(code, 4001);
	assert_true(tc_is_open(lively));
	cJSON_Delete(expect_presence(lively, "quiet", "offline"));
	tc_free(quiet);
	tc_free(lively);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(typing_reaches_the_others_and_expires_after_six_seconds),
		IT_TEST(sending_a_message_ends_typing_and_renewals_are_not_rebroadcast),
		IT_TEST(presence_goes_online_away_offline_as_the_socket_drops),
		IT_TEST(a_user_is_online_while_any_session_is),
		IT_TEST(a_silent_session_is_closed_after_two_heartbeats),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
