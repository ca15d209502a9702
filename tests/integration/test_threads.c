/*
 * confabd over real sockets: threads (docs/protocol.md, "Threads,
 * reactions, edits and deletes"). Replies are messages of the room with
 * their root's seq, the root counts them, THREAD pages them, and the
 * root's author is told.
 */
#include "common.h"
#include "msgsclient.h"

static void
replies_are_messages_of_the_room_counted_on_their_root(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	struct tc *bob = it_joined(s, "bob", "lobby");
	assert_int_equal(it_say(alice, "lobby", "a1", "the root"), 1);
	tc_drain(bob);
	assert_int_equal(reply(bob, "lobby", "b1", 1, "first reply"), 2);
	/* everyone gets the reply live, with its thread */
	cJSON *m = tc_expect_field(alice, "MESSAGE", "cid", "b1", T);
	assert_non_null(m);
	assert_int_equal(tc_int(m, "seq"), 2);
	assert_int_equal(tc_int(m, "thread"), 1);
	long long ts2 = tc_int(m, "ts");
	cJSON_Delete(m);
	/* a reply to a reply goes to the root's thread */
	assert_int_equal(reply(alice, "lobby", "a2", 2, "second reply"), 3);
	m = tc_expect_field(bob, "MESSAGE", "cid", "a2", T);
	assert_int_equal(tc_int(m, "thread"), 1);
	long long ts3 = tc_int(m, "ts");
	cJSON_Delete(m);
	assert_true(ts3 >= ts2);
	assert_int_equal(it_say(bob, "lobby", "b2", "not in a thread"), 4);

	/* HISTORY and a fresh JOINED show the counts; a resend of a reply's
	 * cid is the same message, not a third reply */
	assert_int_equal(reply(bob, "lobby", "b1", 1, "first reply"), 2);
	cJSON *h = history(bob, "lobby", 10);
	const cJSON *root = msg_in(h, 1);
	assert_non_null(root);
	assert_int_equal(tc_int(root, "replies"), 2);
	assert_int_equal(tc_int(root, "last_reply"), ts3);
	assert_int_equal(tc_int(root, "thread"), -1);
	assert_int_equal(tc_int(msg_in(h, 2), "thread"), 1);
	assert_int_equal(tc_int(msg_in(h, 3), "thread"), 1);
	assert_int_equal(tc_int(msg_in(h, 4), "thread"), -1);
	assert_int_equal(tc_int(msg_in(h, 4), "replies"), -1);
	cJSON_Delete(h);
	struct tc *carol = it_login(s, "carol");
	cJSON *j = it_join(carol, "lobby");
	assert_int_equal(tc_int(msg_in(j, 1), "replies"), 2);
	assert_int_equal(tc_int(msg_in(j, 3), "thread"), 1);
	cJSON_Delete(j);

	/* replies replay with the rest of the room, in seq order */
	tc_free(carol);
	carol = it_login(s, "carol");
	tc_send(carol, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":0}");
	cJSON_Delete(tc_expect(carol, "JOINED", T));
	for (int seq = 1; seq <= 4; seq++) {
		m = tc_expect(carol, "MESSAGE", T);
		assert_non_null(m);
		assert_int_equal(tc_int(m, "seq"), seq);
		assert_int_equal(tc_int(m, "thread"), seq == 2 || seq == 3 ? 1 : -1);
		if (seq == 1)
			assert_int_equal(tc_int(m, "replies"), 2);
		cJSON_Delete(m);
	}
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

/* THREAD's seqs of one page, in order. */
static int
page_seqs(const cJSON *t, long long *seqs, int max)
{
	int n = 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(t, "messages")) {
		assert_true(n < max);
		assert_int_equal(tc_int(m, "thread"), tc_int(t, "root"));
		seqs[n++] = tc_int(m, "seq");
	}
	return n;
}

static void
thread_pages_a_roots_replies_oldest_first_newest_page_first(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	assert_int_equal(it_say(alice, "lobby", "r", "root"), 1);
	/* seven replies between other messages: seqs 3, 5, ..., 15 */
	long long want[7];
	for (int i = 0; i < 7; i++) {
		char cid[8];
		snprintf(cid, sizeof cid, "o%d", i);
		it_say(alice, "lobby", cid, "other");
		snprintf(cid, sizeof cid, "t%d", i);
		want[i] = reply(alice, "lobby", cid, 1, "reply");
		assert_int_equal(want[i], 3 + 2 * i);
	}
	tc_drain(alice);
	tc_send(alice, "{\"type\":\"THREAD\",\"cid\":\"p1\",\"room\":\"lobby\","
	    "\"root\":1,\"limit\":3}");
	cJSON *t = tc_expect_field(alice, "THREAD", "cid", "p1", T);
	assert_non_null(t);
	assert_string_equal(tc_str(t, "room"), "lobby");
	assert_int_equal(tc_int(t, "root"), 1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "more")));
	long long got[8];
	assert_int_equal(page_seqs(t, got, 8), 3);
	assert_int_equal(got[0], want[4]);
	assert_int_equal(got[2], want[6]);
	cJSON_Delete(t);

	tc_sendf(alice, "{\"type\":\"THREAD\",\"cid\":\"p2\",\"room\":\"lobby\","
	    "\"root\":1,\"limit\":3,\"before\":%lld}", want[4]);
	t = tc_expect_field(alice, "THREAD", "cid", "p2", T);
	assert_int_equal(page_seqs(t, got, 8), 3);
	assert_int_equal(got[0], want[1]);
	assert_int_equal(got[2], want[3]);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "more")));
	cJSON_Delete(t);

	tc_sendf(alice, "{\"type\":\"THREAD\",\"cid\":\"p3\",\"room\":\"lobby\","
	    "\"root\":1,\"limit\":3,\"before\":%lld}", want[1]);
	t = tc_expect_field(alice, "THREAD", "cid", "p3", T);
	assert_int_equal(page_seqs(t, got, 8), 1);
	assert_int_equal(got[0], want[0]);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(t, "more")));
	cJSON_Delete(t);

	/* all of it in one page by default; a reply names its root's thread */
	tc_send(alice, "{\"type\":\"THREAD\",\"cid\":\"p4\",\"room\":\"lobby\","
	    "\"root\":5}");
	t = tc_expect_field(alice, "THREAD", "cid", "p4", T);
	assert_int_equal(tc_int(t, "root"), 1);
	assert_int_equal(page_seqs(t, got, 8), 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(got[i], want[i]);
	cJSON_Delete(t);

	/* a message without replies has an empty thread */
	tc_send(alice, "{\"type\":\"THREAD\",\"cid\":\"p5\",\"room\":\"lobby\","
	    "\"root\":2}");
	t = tc_expect_field(alice, "THREAD", "cid", "p5", T);
	assert_int_equal(page_seqs(t, got, 8), 0);
	cJSON_Delete(t);
	it_refused(alice, "THREAD", "p6", "\"room\":\"lobby\",\"root\":99", "no_message");
	it_refused(alice, "THREAD", "p7", "\"room\":\"elsewhere\",\"root\":1",
	    "not_joined");
	tc_free(alice);
	it_stop(s);
}

static void
a_reply_to_an_unknown_or_deleted_root_is_no_message(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	assert_int_equal(it_say(alice, "lobby", "a1", "root"), 1);
	it_refused(alice, "MESSAGE", "x1", "\"room\":\"lobby\",\"text\":\"r\","
	    "\"thread\":2", "no_message");
	it_refused(alice, "MESSAGE", "x2", "\"room\":\"lobby\",\"text\":\"r\","
	    "\"thread\":0", "bad_field");
	OK(alice, "DELETE", "d1", "\"room\":\"lobby\",\"seq\":1");
	it_refused(alice, "MESSAGE", "x3", "\"room\":\"lobby\",\"text\":\"r\","
	    "\"thread\":1", "no_message");
	/* nothing was stored for the refused ones */
	assert_int_equal(it_say(alice, "lobby", "a2", "next"), 2);
	tc_free(alice);
	it_stop(s);
}

static void
replying_notifies_the_roots_author_but_not_oneself(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	struct tc *bob = it_joined(s, "bob", "lobby");
	tc_drain(alice);
	assert_int_equal(it_say(alice, "lobby", "a1", "a question"), 1);
	assert_int_equal(reply(alice, "lobby", "a2", 1, "more of it"), 2);
	assert_true(tc_quiet(alice, "NOTIFICATION", 300));
	long long seq = reply(bob, "lobby", "b1", 2, "an answer");
	cJSON *n = tc_expect(alice, "NOTIFICATION", T);
	assert_non_null(n);
	assert_string_equal(tc_str(n, "kind"), "reply");
	assert_string_equal(tc_str(n, "room"), "lobby");
	assert_int_equal(tc_int(n, "seq"), seq);
	assert_non_null(strstr(tc_str(n, "title"), "bob"));
	assert_string_equal(tc_str(n, "message"), "an answer");
	cJSON_Delete(n);
	assert_true(tc_quiet(bob, "NOTIFICATION", 300));
	/* a reply that mentions the root's author tells them once, as a
	 * mention */
	reply(bob, "lobby", "b2", 1, "@alice see above");
	n = tc_expect(alice, "NOTIFICATION", T);
	assert_non_null(n);
	assert_string_equal(tc_str(n, "kind"), "mention");
	cJSON_Delete(n);
	assert_true(tc_quiet(alice, "NOTIFICATION", 300));
	/* it is stored like any notification: there after a reconnect */
	tc_free(alice);
	alice = it_login(s, "alice");
	tc_send(alice, "{\"type\":\"NOTIFICATIONS\",\"cid\":\"pg\"}");
	cJSON *p = tc_expect(alice, "NOTIFICATIONS", T);
	const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "notifications"), 1);
	assert_non_null(first);
	assert_string_equal(tc_str(first, "kind"), "reply"); /* newest first */
	cJSON_Delete(p);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(replies_are_messages_of_the_room_counted_on_their_root),
		IT_TEST(thread_pages_a_roots_replies_oldest_first_newest_page_first),
		IT_TEST(a_reply_to_an_unknown_or_deleted_root_is_no_message),
		IT_TEST(replying_notifies_the_roots_author_but_not_oneself),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
