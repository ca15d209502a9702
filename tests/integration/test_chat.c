/* confabd over real sockets: rooms, messages, dedupe, history, replay. */
#include "common.h"

static void
message_reaches_both_members_in_order_with_the_acked_seq(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");

	for (int i = 1; i <= 20; i++) {
		char cid[16], text[32];
		snprintf(cid, sizeof cid, "c%d", i);
		snprintf(text, sizeof text, "hello %d", i);
		assert_int_equal(it_say(alice, "lobby", cid, text), i);
	}
	for (int i = 1; i <= 20; i++) {
		char text[32];
		snprintf(text, sizeof text, "hello %d", i);
		cJSON *m = tc_expect(bob, "MESSAGE", T);
		assert_non_null(m);
		assert_int_equal(tc_int(m, "seq"), i);
		assert_string_equal(tc_str(m, "text"), text);
		assert_string_equal(tc_str(m, "user"), "alice");
		assert_string_equal(tc_str(m, "room"), "lobby");
		assert_non_null(tc_str(m, "id"));
		assert_true(tc_int(m, "ts") > 0);
		cJSON_Delete(m);
	}
	/* the sender's own session gets the broadcast too */
	it_expect_seqs(alice, "lobby", 1, 20);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
a_repeated_cid_is_stored_once_and_acked_with_the_original_seq(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");

	assert_int_equal(it_say(alice, "lobby", "first", "one"), 1);
	assert_int_equal(it_say(alice, "lobby", "dup", "two"), 2);
	assert_int_equal(it_say(alice, "lobby", "dup", "two"), 2);
	/* also from another session of the same user */
	struct tc *alice2 = it_login(s, "alice");
	it_join_quiet(alice2, "lobby");
	assert_int_equal(it_say(alice2, "lobby", "dup", "two again"), 2);
	/* the same cid from another user is another message */
	assert_int_equal(it_say(bob, "lobby", "dup", "bob's"), 3);

	it_expect_seqs(bob, "lobby", 1, 3);
	assert_true(tc_quiet(bob, "MESSAGE", 300));

	tc_send(bob, "{\"type\":\"HISTORY\",\"room\":\"lobby\"}");
	cJSON *h = tc_expect(bob, "HISTORY", T);
	assert_non_null(h);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(h, "messages")), 3);
	cJSON_Delete(h);
	tc_free(alice);
	tc_free(alice2);
	tc_free(bob);
	it_stop(s);
}

static void
history_pages_back_to_seq_one_without_gaps(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	const int total = 437;
	for (int i = 1; i <= total; i++)
		tc_sendf(alice, "{\"type\":\"MESSAGE\",\"cid\":\"m%d\",\"room\":\"lobby\","
		    "\"text\":\"n%d\"}", i, i);
	for (int i = 1; i <= total; i++) {
		cJSON *a = tc_expect(alice, "ACK", T);
		assert_non_null(a);
		cJSON_Delete(a);
	}

	bool seen[438] = {false};
	long long before = -1;
	int pages = 0, got = 0;
	for (;;) {
		if (before < 0)
			tc_send(alice, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"limit\":50,\"cid\":\"h\"}");
		else
			tc_sendf(alice, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"limit\":50,"
			    "\"before\":%lld,\"cid\":\"h\"}", before);
		cJSON *h = tc_expect(alice, "HISTORY", T);
		assert_non_null(h);
		assert_string_equal(tc_str(h, "cid"), "h");
		cJSON *msgs = cJSON_GetObjectItem(h, "messages");
		int n = cJSON_GetArraySize(msgs);
		assert_true(n <= 50);
		long long prev = -1;
		for (int i = 0; i < n; i++) {
			long long seq = tc_int(cJSON_GetArrayItem(msgs, i), "seq");
			assert_true(seq >= 1 && seq <= total);
			assert_false(seen[seq]);
			if (prev >= 0)
				assert_int_equal(seq, prev + 1); /* oldest first, no gap */
			if (before >= 0 && i == n - 1)
				assert_int_equal(seq, before - 1); /* page is adjacent */
			seen[seq] = true;
			prev = seq;
			got++;
		}
		pages++;
		bool more = cJSON_IsTrue(cJSON_GetObjectItem(h, "more"));
		before = tc_int(cJSON_GetArrayItem(msgs, 0), "seq");
		cJSON_Delete(h);
		if (!more)
			break;
	}
	assert_int_equal(got, total);
	assert_int_equal(before, 1);
	assert_int_equal(pages, 9);

	/* a limit over the cap is capped at 200 */
	tc_send(alice, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"limit\":100000}");
	cJSON *h = tc_expect(alice, "HISTORY", T);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(h, "messages")), 200);
	cJSON_Delete(h);
	tc_free(alice);
	it_stop(s);
}

static void
a_client_reconnecting_with_since_gets_exactly_what_it_missed(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");
	for (int i = 1; i <= 5; i++) {
		char cid[8];
		snprintf(cid, sizeof cid, "a%d", i);
		it_say(alice, "lobby", cid, "before");
	}
	it_expect_seqs(bob, "lobby", 1, 5);
	tc_free(bob);

	for (int i = 6; i <= 12; i++) {
		char cid[8];
		snprintf(cid, sizeof cid, "a%d", i);
		it_say(alice, "lobby", cid, "while away");
	}
	bob = it_login(s, "bob");
	tc_send(bob, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":5}");
	cJSON *j = tc_expect(bob, "JOINED", T);
	assert_non_null(j);
	assert_int_equal(tc_int(j, "seq"), 12);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "messages")), 0);
	cJSON_Delete(j);
	it_expect_seqs(bob, "lobby", 6, 7);
	assert_true(tc_quiet(bob, "MESSAGE", 300));

	/* live messages follow the replay */
	it_say(alice, "lobby", "a13", "live");
	it_expect_seqs(bob, "lobby", 13, 1);

	/* the same through HELLO's resume */
	tc_free(bob);
	it_say(alice, "lobby", "a14", "x");
	bob = tc_connect(s->port, NULL);
	assert_non_null(bob);
	tc_send(bob, "{\"type\":\"HELLO\",\"user\":\"bob\",\"resume\":{\"lobby\":12}}");
	cJSON_Delete(tc_expect(bob, "WELCOME", T));
	cJSON_Delete(tc_expect(bob, "JOINED", T));
	it_expect_seqs(bob, "lobby", 13, 2);
	assert_true(tc_quiet(bob, "MESSAGE", 300));
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
a_replay_under_live_traffic_has_no_gap_and_no_duplicate(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	const int before = 700, during = 300;
	for (int i = 1; i <= before; i++)
		tc_sendf(alice, "{\"type\":\"MESSAGE\",\"cid\":\"b%d\",\"room\":\"lobby\","
		    "\"text\":\"x\"}", i);
	for (int i = 1; i <= before; i++)
		cJSON_Delete(tc_expect(alice, "ACK", T));

	struct tc *bob = it_login(s, "bob");
	tc_send(bob, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":0}");
	/* alice keeps talking while bob's replay is in progress */
	for (int i = 1; i <= during; i++)
		tc_sendf(alice, "{\"type\":\"MESSAGE\",\"cid\":\"d%d\",\"room\":\"lobby\","
		    "\"text\":\"y\"}", i);
	cJSON_Delete(tc_expect(bob, "JOINED", T));
	it_expect_seqs(bob, "lobby", 1, before + during);
	assert_true(tc_quiet(bob, "MESSAGE", 300));
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
joining_and_leaving_are_announced_and_members_listed(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "dev");
	cJSON *j = it_join(bob, "dev");
	cJSON *members = cJSON_GetObjectItem(j, "members");
	assert_int_equal(cJSON_GetArraySize(members), 2);
	const cJSON *m;
	int online = 0;
	cJSON_ArrayForEach(m, members)
		online += strcmp(tc_str(m, "status"), "online") == 0;
	assert_int_equal(online, 2);
	cJSON_Delete(j);

	cJSON *uj = tc_expect(alice, "USER_JOINED", T);
	assert_non_null(uj);
	assert_string_equal(tc_str(uj, "user"), "bob");
	assert_string_equal(tc_str(uj, "room"), "dev");
	cJSON_Delete(uj);

	/* a second session of bob joining is no new member */
	struct tc *bob2 = it_login(s, "bob");
	it_join_quiet(bob2, "dev");
	assert_true(tc_quiet(alice, "USER_JOINED", 300));

	tc_send(bob, "{\"type\":\"LEAVE\",\"room\":\"dev\",\"cid\":\"l1\"}");
	cJSON *ul = tc_expect(alice, "USER_LEFT", T);
	assert_non_null(ul);
	assert_string_equal(tc_str(ul, "user"), "bob");
	cJSON_Delete(ul);
	/* every session of bob has left: a message there is refused */
	cJSON_Delete(tc_expect(bob2, "USER_LEFT", T));
	tc_send(bob2, "{\"type\":\"MESSAGE\",\"cid\":\"z\",\"room\":\"dev\",\"text\":\"hi\"}");
	it_expect_error(bob2, "not_joined", "z");

	/* a member who is not connected is listed offline */
	tc_free(alice);
	j = it_join(bob, "dev");
	members = cJSON_GetObjectItem(j, "members");
	bool alice_offline = false;
	cJSON_ArrayForEach(m, members)
		if (strcmp(tc_str(m, "user"), "alice") == 0)
			alice_offline = strcmp(tc_str(m, "status"), "offline") == 0;
	assert_true(alice_offline);
	cJSON_Delete(j);
	tc_free(bob);
	tc_free(bob2);
	it_stop(s);
}

static void
requests_for_rooms_not_joined_are_refused(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--max-rooms", "2", NULL};
	struct srv *s = it_start(args);
	struct tc *alice = it_login(s, "alice");
	tc_send(alice, "{\"type\":\"MESSAGE\",\"cid\":\"q\",\"room\":\"lobby\",\"text\":\"hi\"}");
	it_expect_error(alice, "not_joined", "q");
	tc_send(alice, "{\"type\":\"HISTORY\",\"room\":\"lobby\"}");
	it_expect_error(alice, "not_joined", NULL);
	tc_send(alice, "{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":true}");
	it_expect_error(alice, "not_joined", NULL);
	tc_send(alice, "{\"type\":\"LEAVE\",\"room\":\"lobby\"}");
	it_expect_error(alice, "not_joined", NULL);

	it_join_quiet(alice, "one");
	it_join_quiet(alice, "two");
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"three\"}");
	it_expect_error(alice, "too_many_rooms", NULL);
	it_join_quiet(alice, "two"); /* re-joining is no new room */
	tc_free(alice);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(message_reaches_both_members_in_order_with_the_acked_seq),
		IT_TEST(a_repeated_cid_is_stored_once_and_acked_with_the_original_seq),
		IT_TEST(history_pages_back_to_seq_one_without_gaps),
		IT_TEST(a_client_reconnecting_with_since_gets_exactly_what_it_missed),
		IT_TEST(a_replay_under_live_traffic_has_no_gap_and_no_duplicate),
		IT_TEST(joining_and_leaving_are_announced_and_members_listed),
		IT_TEST(requests_for_rooms_not_joined_are_refused),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
