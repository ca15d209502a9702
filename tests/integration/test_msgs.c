/*
 * confabd over real sockets: reactions, edits and deletes (docs/protocol.md,
 * "Threads, reactions, edits and deletes"): who may do what, what everyone
 * in the room gets, and that every change survives a reconnect (replayed
 * after the missed messages, exactly once), a kill -9 (a retried cid is
 * applied once) and a restart.
 */

#include "common.h"
#include "msgsclient.h"

/* A regional-indicator pair: one flag grapheme per i < 26 * 26. */
static void
flag(int i, char out[9])
{
	unsigned a = 0x1f1e6 + (unsigned)(i / 26), b = 0x1f1e6 + (unsigned)(i % 26);
	unsigned cp[2] = {a, b};
	for (int k = 0; k < 2; k++) {
		out[4 * k] = (char)(0xf0 | (cp[k] >> 18));
		out[4 * k + 1] = (char)(0x80 | ((cp[k] >> 12) & 0x3f));
		out[4 * k + 2] = (char)(0x80 | ((cp[k] >> 6) & 0x3f));
		out[4 * k + 3] = (char)(0x80 | (cp[k] & 0x3f));
	}
	out[8] = '\0';
}

static void
expect_reaction(struct tc *c, long long seq, const char *emoji, const char *user,
    bool on, long long count, long long rev)
{
	cJSON *e = event_on(c, "REACTION", seq);
	assert_string_equal(tc_str(e, "room"), "lobby");
	assert_string_equal(tc_str(e, "emoji"), emoji);
	assert_string_equal(tc_str(e, "user"), user);
	assert_true(cJSON_IsBool(cJSON_GetObjectItem(e, "on")));
	assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(e, "on")), on);
	assert_int_equal(tc_int(e, "count"), count);
	assert_int_equal(tc_int(e, "rev"), rev);
	cJSON_Delete(e);
}

static void
a_reaction_added_twice_counts_once_and_can_be_taken_back(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	struct tc *bob = it_joined(s, "bob", "lobby");
	struct tc *carol = it_joined(s, "carol", "lobby");
	assert_int_equal(it_say(alice, "lobby", "a1", "react to this"), 1);
	tc_drain(alice);
	tc_drain(bob);
	react(bob, "r1", "lobby", 1, THUMBS, true);
	expect_reaction(alice, 1, THUMBS, "bob", true, 1, 1);
	expect_reaction(bob, 1, THUMBS, "bob", true, 1, 1);
	/* again, with a new cid: ACKed, nothing changes, nobody is told */
	react(bob, "r2", "lobby", 1, THUMBS, true);
	assert_true(tc_quiet(alice, "REACTION", 300));
	react(carol, "c1", "lobby", 1, THUMBS, true);
	expect_reaction(alice, 1, THUMBS, "carol", true, 2, 2);
	react(carol, "c2", "lobby", 1, PARTY, true);
	expect_reaction(alice, 1, PARTY, "carol", true, 1, 3);

	cJSON *h = history(alice, "lobby", 10);
	const cJSON *m = msg_in(h, 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(m, "reactions")), 2);
	/* by first reaction; users in the order they reacted */
	assert_string_equal(tc_str(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(m, "reactions"), 0), "emoji"), THUMBS);
	assert_int_equal(reaction_count(m, THUMBS), 2);
	assert_string_equal(reaction_user(m, THUMBS, 0), "bob");
	assert_string_equal(reaction_user(m, THUMBS, 1), "carol");
	assert_int_equal(reaction_count(m, PARTY), 1);
	cJSON_Delete(h);

	react(bob, "r3", "lobby", 1, THUMBS, false);
	expect_reaction(alice, 1, THUMBS, "bob", false, 1, 4);
	react(bob, "r4", "lobby", 1, THUMBS, false); /* none to take back */
	assert_true(tc_quiet(alice, "REACTION", 300));
	tc_drain(bob);
	react(carol, "c3", "lobby", 1, PARTY, false);
	expect_reaction(bob, 1, PARTY, "carol", false, 0, 5);
	h = history(alice, "lobby", 10);
	m = msg_in(h, 1);
	assert_int_equal(reaction_count(m, THUMBS), 1);
	assert_string_equal(reaction_user(m, THUMBS, 0), "carol");
	assert_int_equal(reaction_count(m, PARTY), 0);
	cJSON_Delete(h);
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

static void
bad_emoji_and_too_many_reactions_are_refused(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	struct tc *bob = it_joined(s, "bob", "lobby");
	assert_int_equal(it_say(alice, "lobby", "a1", "many"), 1);
	static const char *const bad[] = {"ab", "1", "", THUMBS THUMBS, "x" THUMBS};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char fields[128];
		snprintf(fields, sizeof fields, "\"room\":\"lobby\",\"seq\":1,"
		    "\"emoji\":\"%s\",\"on\":true", bad[i]);
		it_refused(alice, "REACT", "bad", fields, "bad_emoji");
	}
	it_refused(alice, "REACT", "nm", "\"room\":\"lobby\",\"seq\":7,\"emoji\":\""
	    THUMBS "\",\"on\":true", "no_message");
	it_refused(alice, "REACT", "nj", "\"room\":\"other\",\"seq\":1,\"emoji\":\""
	    THUMBS "\",\"on\":true", "not_joined");
	for (int i = 0; i < 32; i++) {
		char cid[8], f[9];
		snprintf(cid, sizeof cid, "f%d", i);
		flag(i, f);
		react(alice, cid, "lobby", 1, f, true);
	}
	char f[9], fields[128];
	flag(32, f);
	snprintf(fields, sizeof fields, "\"room\":\"lobby\",\"seq\":1,\"emoji\":\"%s\","
	    "\"on\":true", f);
	it_refused(bob, "REACT", "many", fields, "too_many_reactions");
	/* one of the 32 may still be added to */
	flag(5, f);
	react(bob, "b5", "lobby", 1, f, true);
	cJSON *h = history(bob, "lobby", 1);
	const cJSON *m = msg_in(h, 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(m, "reactions")), 32);
	assert_int_equal(reaction_count(m, f), 2);
	cJSON_Delete(h);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
only_authors_edit_and_authors_owners_and_moderators_delete(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"); /* owns dev: its first member */
	struct tc *bob = it_login(s, "bob");
	struct tc *carol = it_login(s, "carol");
	it_join_quiet(alice, "dev");
	it_join_quiet(bob, "dev");
	it_join_quiet(carol, "dev");
	assert_int_equal(it_say(bob, "dev", "b1", "bob's first"), 1);
	assert_int_equal(it_say(bob, "dev", "b2", "bob's second"), 2);
	assert_int_equal(it_say(bob, "dev", "b3", "bob's third"), 3);
	tc_drain(alice);
	tc_drain(carol);

	it_refused(alice, "EDIT", "e1", "\"room\":\"dev\",\"seq\":1,\"text\":\"x\"",
	    "forbidden");
	it_refused(carol, "DELETE", "d1", "\"room\":\"dev\",\"seq\":1", "forbidden");
	it_refused(bob, "EDIT", "e2", "\"room\":\"dev\",\"seq\":1,\"text\":\"\"",
	    "bad_field");
	it_refused(bob, "EDIT", "e3", "\"room\":\"dev\",\"seq\":9,\"text\":\"x\"",
	    "no_message");

	cJSON *a = ack_of(bob, "EDIT", "e4", "\"room\":\"dev\",\"seq\":1,"
	    "\"text\":\"bob's first, fixed\"");
	assert_int_equal(tc_int(a, "seq"), 1);
	assert_int_equal(tc_int(a, "rev"), 1);
	cJSON_Delete(a);
	cJSON *e = event_on(carol, "MESSAGE_EDITED", 1);
	assert_string_equal(tc_str(e, "text"), "bob's first, fixed");
	assert_true(tc_int(e, "edited_ts") > 0);
	long long edited_ts = tc_int(e, "edited_ts");
	assert_int_equal(tc_int(e, "rev"), 1);
	cJSON_Delete(e);

	/* the owner deletes anyone's */
	OK(alice, "DELETE", "d2", "\"room\":\"dev\",\"seq\":2");
	e = event_on(carol, "MESSAGE_DELETED", 2);
	assert_string_equal(tc_str(e, "by"), "alice");
	assert_int_equal(tc_int(e, "rev"), 2);
	cJSON_Delete(e);
	/* a moderator too */
	OK(alice, "OP", "op", "\"room\":\"dev\",\"user\":\"carol\"");
	tc_drain(bob);
	OK(carol, "DELETE", "d3", "\"room\":\"dev\",\"seq\":3");
	e = event_on(bob, "MESSAGE_DELETED", 3);
	assert_string_equal(tc_str(e, "by"), "carol");
	cJSON_Delete(e);
	/* a tombstone takes no edit nor reaction; deleting it again is no
	 * change */
	it_refused(bob, "EDIT", "e5", "\"room\":\"dev\",\"seq\":2,\"text\":\"x\"",
	    "deleted");
	it_refused(bob, "REACT", "r1", "\"room\":\"dev\",\"seq\":2,\"emoji\":\"" THUMBS
	    "\",\"on\":true", "deleted");
	tc_drain(carol);
	OK(bob, "DELETE", "d4", "\"room\":\"dev\",\"seq\":2");
	assert_true(tc_quiet(carol, "MESSAGE_DELETED", 300));
	/* the author deletes their own */
	assert_int_equal(it_say(carol, "dev", "c1", "carol's"), 4);
	OK(carol, "DELETE", "d5", "\"room\":\"dev\",\"seq\":4");

	cJSON *h = history(bob, "dev", 10);
	const cJSON *m = msg_in(h, 1);
	assert_string_equal(tc_str(m, "text"), "bob's first, fixed");
	assert_int_equal(tc_int(m, "edited_ts"), edited_ts);
	for (long long seq = 2; seq <= 4; seq++) {
		m = msg_in(h, seq);
		assert_non_null(m);
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "deleted")));
		assert_null(cJSON_GetObjectItem(m, "text"));
		assert_non_null(tc_str(m, "user"));
	}
	cJSON_Delete(h);
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

/* Connects as user with HELLO's resume (JSON) and waits for WELCOME. */
static struct tc *
resume(const struct srv *s, const char *user, const char *resume_json)
{
	struct tc *c = tc_connect(s->port, NULL);
	assert_non_null(c);
	tc_sendf(c, "{\"type\":\"HELLO\",\"user\":\"%s\",\"resume\":%s}", user,
	    resume_json);
	cJSON *w = tc_expect(c, "WELCOME", T);
	assert_non_null(w);
	cJSON_Delete(w);
	return c;
}

/* Every frame that arrives until 500 ms pass quietly (types other than
 * PRESENCE_UPDATE and HEARTBEAT), at most max. */
static int
frames_until_quiet(struct tc *c, cJSON **out, int max)
{
	int n = 0;
	cJSON *f;
	while ((f = tc_recv(c, 500)) != NULL) {
		if (tc_is(f, "PRESENCE_UPDATE") || tc_is(f, "HEARTBEAT")) {
			cJSON_Delete(f);
			continue;
		}
		assert_true(n < max);
		out[n++] = f;
	}
	return n;
}

static void
free_frames(cJSON **f, int n)
{
	for (int i = 0; i < n; i++)
		cJSON_Delete(f[i]);
}

/* What bob gets after missing alice's changes: the message he missed in
 * its latest state, then each change to the messages he had, once. */
static void
check_catch_up(cJSON **f, int n, long long rev)
{
	assert_int_equal(n, 5);
	assert_true(tc_is(f[0], "JOINED"));
	assert_int_equal(tc_int(f[0], "seq"), 4);
	assert_int_equal(tc_int(f[0], "rev"), rev);
	assert_true(tc_is(f[1], "MESSAGE"));
	assert_int_equal(tc_int(f[1], "seq"), 4);
	assert_int_equal(reaction_count(f[1], THUMBS), 1);
	assert_true(tc_is(f[2], "REACTION"));
	assert_int_equal(tc_int(f[2], "seq"), 1);
	assert_int_equal(tc_int(f[2], "rev"), 2);
	assert_int_equal(tc_int(f[2], "count"), 2);
	assert_true(tc_is(f[3], "MESSAGE_EDITED"));
	assert_int_equal(tc_int(f[3], "seq"), 2);
	assert_string_equal(tc_str(f[3], "text"), "two, edited");
	assert_int_equal(tc_int(f[3], "rev"), 3);
	assert_true(tc_is(f[4], "MESSAGE_DELETED"));
	assert_int_equal(tc_int(f[4], "seq"), 3);
	assert_string_equal(tc_str(f[4], "by"), "alice");
	assert_int_equal(tc_int(f[4], "rev"), 4);
}

static void
changes_made_while_offline_reach_a_resuming_client_once(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	struct tc *bob = it_login(s, "bob");
	cJSON *j = it_join(bob, "lobby");
	assert_int_equal(tc_int(j, "rev"), 0);
	cJSON_Delete(j);
	it_say(alice, "lobby", "m1", "one");
	it_say(alice, "lobby", "m2", "two");
	it_say(alice, "lobby", "m3", "three");
	react(bob, "b1", "lobby", 1, PARTY, true);
	expect_reaction(bob, 1, PARTY, "bob", true, 1, 1);
	tc_free(bob); /* bob holds seq 3, rev 1 */

	react(alice, "r1", "lobby", 1, PARTY, true);
	OK(alice, "EDIT", "e1", "\"room\":\"lobby\",\"seq\":2,\"text\":\"two, edited\"");
	OK(alice, "DELETE", "d1", "\"room\":\"lobby\",\"seq\":3");
	it_say(alice, "lobby", "m4", "four");
	react(alice, "r2", "lobby", 4, THUMBS, true);

	cJSON *f[16];
	bob = resume(s, "bob", "{\"lobby\":{\"seq\":3,\"rev\":1}}");
	int n = frames_until_quiet(bob, f, 16);
	check_catch_up(f, n, 5);
	free_frames(f, n);
	/* and it is live again */
	react(alice, "r3", "lobby", 2, THUMBS, true);
	expect_reaction(bob, 2, THUMBS, "alice", true, 1, 6);
	tc_free(bob);

	/* JOIN's since and since_rev do the same */
	struct tc *bob2 = it_login(s, "bob");
	tc_send(bob2, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":3,\"since_rev\":1}");
	n = frames_until_quiet(bob2, f, 16);
	assert_int_equal(n, 6); /* and the reaction of rev 6 after them */
	check_catch_up(f, 5, 6);
	assert_true(tc_is(f[5], "REACTION"));
	assert_int_equal(tc_int(f[5], "rev"), 6);
	free_frames(f, n);
	tc_free(bob2);

	/* the old resume asks for messages only */
	bob = resume(s, "bob", "{\"lobby\":3}");
	n = frames_until_quiet(bob, f, 16);
	assert_int_equal(n, 2);
	assert_true(tc_is(f[0], "JOINED"));
	assert_true(tc_is(f[1], "MESSAGE"));
	free_frames(f, n);
	/* one up to date gets nothing but JOINED */
	tc_free(bob);
	bob = resume(s, "bob", "{\"lobby\":{\"seq\":4,\"rev\":6}}");
	n = frames_until_quiet(bob, f, 16);
	assert_int_equal(n, 1);
	assert_int_equal(tc_int(f[0], "rev"), 6);
	free_frames(f, n);
	tc_free(bob);
	tc_free(alice);
	it_stop(s);
}

static void
a_change_retried_after_kill_9_is_applied_once(void **state)
{
	(void)state;
	enum { ROUNDS = 6 };
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	for (int i = 0; i < ROUNDS; i++) {
		char cid[16], text[80];
		snprintf(cid, sizeof cid, "m%d", i);
		assert_int_equal(it_say(alice, "lobby", cid, "to edit"), i + 1);
		/* the kill lands before the commit, between the commit and the
		 * ACK, or after the ACK: each round waits a little longer */
		tc_sendf(alice, "{\"type\":\"EDIT\",\"cid\":\"e%d\",\"room\":\"lobby\","
		    "\"seq\":%d,\"text\":\"edit %d\"}", i, i + 1, i);
		tc_sendf(alice, "{\"type\":\"REACT\",\"cid\":\"r%d\",\"room\":\"lobby\","
		    "\"seq\":%d,\"emoji\":\"" THUMBS "\",\"on\":true}", i, i + 1);
		if (i > 0)
			tc_pump(i * i);
		srv_stop(s, SIGKILL);
		tc_free(alice);
		assert_true(srv_restart(s));
		alice = it_login(s, "alice");
		cJSON *j = it_join(alice, "lobby");
		long long rev = tc_int(j, "rev");
		assert_true(rev == 2 * i || rev == 2 * i + 1 || rev == 2 * i + 2);
		cJSON_Delete(j);
		/* the client resends what it holds no ACK for, with its cid */
		snprintf(cid, sizeof cid, "e%d", i);
		snprintf(text, sizeof text, "\"room\":\"lobby\",\"seq\":%d,"
		    "\"text\":\"edit %d\"", i + 1, i);
		cJSON *a = ack_of(alice, "EDIT", cid, "%s", text);
		assert_int_equal(tc_int(a, "seq"), i + 1);
		assert_true(tc_int(a, "rev") > 2 * i);
		cJSON_Delete(a);
		snprintf(cid, sizeof cid, "r%d", i);
		react(alice, cid, "lobby", i + 1, THUMBS, true);
		/* and a resend of an ACKed one changes nothing either */
		snprintf(cid, sizeof cid, "e%d", i);
		OK(alice, "EDIT", cid, "%s", text);
	}
	struct tc *bob = it_login(s, "bob");
	cJSON *j = it_join(bob, "lobby");
	assert_int_equal(tc_int(j, "rev"), 2 * ROUNDS);
	for (int i = 0; i < ROUNDS; i++) {
		char text[16];
		snprintf(text, sizeof text, "edit %d", i);
		const cJSON *m = msg_in(j, i + 1);
		assert_non_null(m);
		assert_string_equal(tc_str(m, "text"), text);
		assert_true(tc_int(m, "edited_ts") > 0);
		assert_int_equal(reaction_count(m, THUMBS), 1);
	}
	cJSON_Delete(j);
	/* every change once, in rev order, gap-free */
	cJSON *f[32];
	tc_free(bob);
	bob = resume(s, "bob", "{\"lobby\":{\"seq\":6,\"rev\":0}}");
	int n = frames_until_quiet(bob, f, 32);
	assert_int_equal(n, 1 + 2 * ROUNDS);
	for (int i = 1; i < n; i++)
		assert_int_equal(tc_int(f[i], "rev"), i);
	free_frames(f, n);
	tc_free(bob);
	tc_free(alice);
	it_stop(s);
}

static void
a_restart_keeps_reactions_edits_and_tombstones(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "lobby");
	struct tc *bob = it_joined(s, "bob", "lobby");
	it_say(alice, "lobby", "m1", "one");
	it_say(alice, "lobby", "m2", "two");
	it_say(alice, "lobby", "m3", "three");
	react(bob, "b1", "lobby", 1, THUMBS, true);
	react(alice, "a1", "lobby", 1, THUMBS, true);
	react(alice, "a2", "lobby", 3, PARTY, true);
	OK(alice, "EDIT", "e1", "\"room\":\"lobby\",\"seq\":2,\"text\":\"two, edited\"");
	OK(alice, "DELETE", "d1", "\"room\":\"lobby\",\"seq\":3");
	tc_free(alice);
	tc_free(bob);
	assert_int_equal(srv_stop(s, SIGTERM) & 0x7f, 0);
	assert_true(srv_restart(s));

	alice = it_login(s, "alice");
	cJSON *j = it_join(alice, "lobby");
	assert_int_equal(tc_int(j, "rev"), 5);
	cJSON *h = history(alice, "lobby", 10);
	const cJSON *frames[] = {j, h};
	for (int k = 0; k < 2; k++) {
		const cJSON *m = msg_in(frames[k], 1);
		assert_int_equal(reaction_count(m, THUMBS), 2);
		assert_string_equal(reaction_user(m, THUMBS, 0), "bob");
		assert_string_equal(reaction_user(m, THUMBS, 1), "alice");
		m = msg_in(frames[k], 2);
		assert_string_equal(tc_str(m, "text"), "two, edited");
		assert_true(tc_int(m, "edited_ts") > 0);
		m = msg_in(frames[k], 3);
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "deleted")));
		assert_null(cJSON_GetObjectItem(m, "text"));
		assert_null(cJSON_GetObjectItem(m, "reactions"));
	}
	cJSON_Delete(h);
	cJSON_Delete(j);
	/* a replay sends each message in its latest state too */
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":0}");
	cJSON_Delete(tc_expect(alice, "JOINED", T));
	for (long long seq = 1; seq <= 3; seq++) {
		cJSON *m = tc_expect(alice, "MESSAGE", T);
		assert_non_null(m);
		assert_int_equal(tc_int(m, "seq"), seq);
		if (seq == 1)
			assert_int_equal(reaction_count(m, THUMBS), 2);
		if (seq == 2)
			assert_true(tc_int(m, "edited_ts") > 0);
		if (seq == 3) {
			assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "deleted")));
			assert_null(cJSON_GetObjectItem(m, "text"));
		}
		cJSON_Delete(m);
	}
	/* the rev goes on from where it was */
	react(alice, "a3", "lobby", 2, PARTY, true);
	cJSON *e = event_on(alice, "REACTION", 2);
	assert_int_equal(tc_int(e, "rev"), 6);
	cJSON_Delete(e);
	tc_free(alice);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(a_reaction_added_twice_counts_once_and_can_be_taken_back),
		IT_TEST(bad_emoji_and_too_many_reactions_are_refused),
		IT_TEST(only_authors_edit_and_authors_owners_and_moderators_delete),
		IT_TEST(changes_made_while_offline_reach_a_resuming_client_once),
		IT_TEST(a_change_retried_after_kill_9_is_applied_once),
		IT_TEST(a_restart_keeps_reactions_edits_and_tombstones),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
