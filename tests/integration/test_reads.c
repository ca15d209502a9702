/*
 * confabd over real sockets: read marks and receipts (docs/protocol.md,
 * "Read marks, search, topics and the directory"). A mark never goes back
 * and never past the room's last message; the user's other sessions learn
 * it with the unread count; the room gets RECEIPTs, at most one a second
 * per user and room, the latest mark last; JOINED carries the user's mark,
 * the unread count and every member's mark, across a restart too.
 */

#include "common.h"

static void
read_ok(struct tc *c, const char *room, long long seq, const char *cid)
{
	tc_sendf(c, "{\"type\":\"READ\",\"room\":\"%s\",\"seq\":%lld,\"cid\":\"%s\"}",
	    room, seq, cid);
	cJSON *a = tc_expect_field(c, "ACK", "cid", cid, T);
	if (a == NULL)
		fail_msg("no ACK for READ %s %lld", room, seq);
	cJSON_Delete(a);
}

/* The mark JOINED gives c (a fresh JOIN from a second session). */
static cJSON *
joined_fresh(const struct srv *s, const char *user, const char *room)
{
	struct tc *c = it_login(s, user);
	cJSON *j = it_join(c, room);
	tc_free(c);
	return j;
}

static void
say_n(struct tc *c, const char *room, int n, const char *what)
{
	for (int i = 0; i < n; i++) {
		char cid[32], text[64];
		snprintf(cid, sizeof cid, "%s%d", what, i);
		snprintf(text, sizeof text, "%s number %d", what, i);
		it_say(c, room, cid, text);
	}
}

static void
reads__a_mark__never_goes_back_nor_past_the_last_message(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	say_n(alice, "dev", 5, "m");
	struct tc *bob = it_login(s, "bob");
	cJSON *j = it_join(bob, "dev");
	assert_int_equal(tc_int(j, "read"), 0);
	assert_int_equal(tc_int(j, "unread"), 5);
	cJSON_Delete(j);

	read_ok(bob, "dev", 3, "r1");
	read_ok(bob, "dev", 1, "r2");
	j = joined_fresh(s, "bob", "dev");
	assert_int_equal(tc_int(j, "read"), 3);
	assert_int_equal(tc_int(j, "unread"), 2);
	cJSON_Delete(j);

	read_ok(bob, "dev", 999, "r3");
	j = joined_fresh(s, "bob", "dev");
	assert_int_equal(tc_int(j, "read"), 5);
	assert_int_equal(tc_int(j, "unread"), 0);
	cJSON_Delete(j);

	/* READ needs the room joined, and a seq */
	tc_send(bob, "{\"type\":\"READ\",\"room\":\"ops\",\"seq\":1,\"cid\":\"r4\"}");
	it_expect_error(bob, "not_joined", "r4");
	tc_send(bob, "{\"type\":\"READ\",\"room\":\"dev\",\"seq\":-1,\"cid\":\"r5\"}");
	it_expect_error(bob, "bad_field", "r5");
	tc_free(alice);
	tc_free(bob);
	it_stop_clean(s);
	it_stop(s);
}

static void
reads__the_other_sessions_of_the_user__get_the_mark(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	say_n(alice, "dev", 4, "m");
	struct tc *bob1 = it_joined(s, "bob", "dev");
	struct tc *bob2 = it_joined(s, "bob", "dev");
	tc_discard(bob2);

	read_ok(bob1, "dev", 3, "r1");
	cJSON *r = tc_expect(bob2, "READ", T);
	assert_non_null(r);
	assert_string_equal(tc_str(r, "room"), "dev");
	assert_int_equal(tc_int(r, "seq"), 3);
	assert_int_equal(tc_int(r, "unread"), 1);
	cJSON_Delete(r);
	/* the session that sent it is not told again, nor anyone else */
	assert_true(tc_quiet(bob1, "READ", 200));
	assert_true(tc_quiet(alice, "READ", 0));
	/* a mark that does not move says nothing */
	read_ok(bob1, "dev", 2, "r2");
	assert_true(tc_quiet(bob2, "READ", 300));
	tc_free(alice);
	tc_free(bob1);
	tc_free(bob2);
	it_stop_clean(s);
	it_stop(s);
}

/* Takes every RECEIPT of user until one with seq last arrives. */
static int
receipts_until(struct tc *c, const char *user, long long last)
{
	int n = 0;
	long long prev = 0;
	for (;;) {
		cJSON *r = tc_expect_field(c, "RECEIPT", "user", user, 3 * T);
		if (r == NULL)
			fail_msg("no RECEIPT of %s with seq %lld (%d before)", user, last, n);
		assert_string_equal(tc_str(r, "room"), "dev");
		long long seq = tc_int(r, "seq");
		cJSON_Delete(r);
		assert_true(seq > prev);
		prev = seq;
		n++;
		if (seq == last)
			return n;
	}
}

static void
reads__receipts__are_coalesced_to_one_a_second_per_user(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	say_n(alice, "dev", 30, "m");
	struct tc *bob = it_joined(s, "bob", "dev");
	struct tc *carol = it_joined(s, "carol", "dev");
	tc_discard(alice);

	/* a burst of 30 marks from bob, 10 from carol */
	for (int i = 1; i <= 30; i++)
		tc_sendf(bob, "{\"type\":\"READ\",\"room\":\"dev\",\"seq\":%d}", i);
	for (int i = 1; i <= 10; i++)
		tc_sendf(carol, "{\"type\":\"READ\",\"room\":\"dev\",\"seq\":%d}", i);
	read_ok(bob, "dev", 30, "sync");
	read_ok(carol, "dev", 10, "sync");

	/* the first at once, the latest when the second ends: a burst is a
	 * couple of frames, never one per READ; each user is paced alone */
	int nb = receipts_until(alice, "bob", 30);
	int nc = receipts_until(alice, "carol", 10);
	if (nb > 3 || nc > 3)
		fail_msg("%d RECEIPTs of bob for 30 READs, %d of carol for 10", nb, nc);
	assert_true(nb >= 1 && nc >= 1);
	/* and nothing after the latest */
	assert_true(tc_quiet(alice, "RECEIPT", 1500));
	/* the reader's own sessions see the room's receipts too */
	cJSON *own = tc_expect_field(bob, "RECEIPT", "user", "bob", T);
	assert_non_null(own);
	cJSON_Delete(own);
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop_clean(s);
	it_stop(s);
}

static void
reads__joined__carries_mark_unread_and_receipts_across_a_restart(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob = it_joined(s, "bob", "dev");
	struct tc *carol = it_joined(s, "carol", "dev");
	say_n(alice, "dev", 4, "a"); /* 1-4 */
	say_n(bob, "dev", 1, "b");   /* 5: bob's own */
	read_ok(bob, "dev", 2, "r1");
	read_ok(carol, "dev", 4, "r2");
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);

	for (int round = 0; round < 2; round++) {
		cJSON *j = joined_fresh(s, "bob", "dev");
		assert_int_equal(tc_int(j, "read"), 2);
		/* 3 and 4 are alice's; 5 is bob's own */
		assert_int_equal(tc_int(j, "unread"), 2);
		const cJSON *rc = cJSON_GetObjectItem(j, "receipts");
		assert_int_equal(cJSON_GetArraySize(rc), 2);
		assert_string_equal(tc_str(cJSON_GetArrayItem(rc, 0), "user"), "bob");
		assert_int_equal(tc_int(cJSON_GetArrayItem(rc, 0), "seq"), 2);
		assert_string_equal(tc_str(cJSON_GetArrayItem(rc, 1), "user"), "carol");
		assert_int_equal(tc_int(cJSON_GetArrayItem(rc, 1), "seq"), 4);
		cJSON_Delete(j);
		j = joined_fresh(s, "alice", "dev");
		assert_int_equal(tc_int(j, "read"), 0);
		assert_int_equal(tc_int(j, "unread"), 1); /* bob's 5 */
		cJSON_Delete(j);
		if (round == 0) {
			it_stop_clean(s);
			assert_true(srv_restart(s));
		}
	}
	it_stop_clean(s);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(reads__a_mark__never_goes_back_nor_past_the_last_message),
		IT_TEST(reads__the_other_sessions_of_the_user__get_the_mark),
		IT_TEST(reads__receipts__are_coalesced_to_one_a_second_per_user),
		IT_TEST(reads__joined__carries_mark_unread_and_receipts_across_a_restart),
	};
	int rc = cmocka_run_group_tests_name("reads", tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
