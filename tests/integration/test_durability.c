/* confabd across crashes and restarts: what was ACKed is never lost. */
#include <signal.h>
#include <sys/wait.h>

#include "common.h"

static void
every_acked_message_survives_kill_9_and_seq_continues(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	for (int i = 1; i <= 50; i++) {
		char cid[8], text[16];
		snprintf(cid, sizeof cid, "k%d", i);
		snprintf(text, sizeof text, "msg %d", i);
		assert_int_equal(it_say(alice, "lobby", cid, text), i);
	}
	srv_stop(s, SIGKILL);
	tc_free(alice);
	assert_true(srv_restart(s));

	alice = it_login(s, "alice");
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":0}");
	cJSON *j = tc_expect(alice, "JOINED", T);
	assert_int_equal(tc_int(j, "seq"), 50);
	cJSON_Delete(j);
	for (int i = 1; i <= 50; i++) {
		char text[16];
		snprintf(text, sizeof text, "msg %d", i);
		cJSON *m = tc_expect(alice, "MESSAGE", T);
		assert_non_null(m);
		assert_int_equal(tc_int(m, "seq"), i);
		assert_string_equal(tc_str(m, "text"), text);
		cJSON_Delete(m);
	}
	/* a resend from before the crash is recognised, not stored again */
	assert_int_equal(it_say(alice, "lobby", "k10", "msg 10"), 10);
	assert_int_equal(it_say(alice, "lobby", "k51", "after"), 51);
	tc_free(alice);
	it_stop(s);
}

/*
 * The crash lands while messages are in flight. Whatever was ACKed must be
 * there; the client then resends everything unacknowledged with the same
 * cids (as the real client's outbox does) and each message ends up stored
 * exactly once, with seqs 1..N and no gap.
 */
static void
a_crash_mid_burst_loses_no_acked_message_and_resends_store_once(void **state)
{
	(void)state;
	enum { N = 400 };
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	for (int i = 0; i < N; i++)
		tc_sendf(alice, "{\"type\":\"MESSAGE\",\"cid\":\"b%d\",\"room\":\"lobby\","
		    "\"text\":\"burst %d\"}", i, i);
	bool acked[N] = {false};
	int nacked = 0;
	while (nacked < N / 4) {
		cJSON *a = tc_expect(alice, "ACK", T);
		assert_non_null(a);
		acked[atoi(tc_str(a, "cid") + 1)] = true;
		nacked++;
		cJSON_Delete(a);
	}
	srv_stop(s, SIGKILL);
	/* ACKs that were already on the wire still count */
	cJSON *a;
	while ((a = tc_expect(alice, "ACK", 200)) != NULL) {
		acked[atoi(tc_str(a, "cid") + 1)] = true;
		cJSON_Delete(a);
	}
	tc_free(alice);
	assert_true(srv_restart(s));

	struct tc *bob = it_login(s, "bob");
	tc_send(bob, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":0}");
	cJSON *j = tc_expect(bob, "JOINED", T);
	long long head = tc_int(j, "seq");
	cJSON_Delete(j);
	bool stored[N] = {false};
	for (long long seq = 1; seq <= head; seq++) {
		cJSON *m = tc_expect(bob, "MESSAGE", T);
		assert_non_null(m);
		assert_int_equal(tc_int(m, "seq"), seq);
		int i = atoi(tc_str(m, "cid") + 1);
		assert_false(stored[i]);
		stored[i] = true;
		cJSON_Delete(m);
	}
	for (int i = 0; i < N; i++)
		if (acked[i])
			assert_true(stored[i]);

	/* the outbox resends everything it holds no ACK for */
	alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	for (int i = 0; i < N; i++)
		if (!acked[i])
			tc_sendf(alice, "{\"type\":\"MESSAGE\",\"cid\":\"b%d\",\"room\":\"lobby\","
			    "\"text\":\"burst %d\"}", i, i);
	for (int i = 0; i < N; i++)
		if (!acked[i]) {
			cJSON *x = tc_expect(alice, "ACK", T);
			assert_non_null(x);
			cJSON_Delete(x);
		}
	for (long long seq = head + 1; seq <= N; seq++) {
		cJSON *m = tc_expect(bob, "MESSAGE", T);
		assert_non_null(m);
		assert_int_equal(tc_int(m, "seq"), seq);
		int i = atoi(tc_str(m, "cid") + 1);
		assert_false(stored[i]);
		stored[i] = true;
		cJSON_Delete(m);
	}
	assert_true(tc_quiet(bob, "MESSAGE", 300));
	for (int i = 0; i < N; i++)
		assert_true(stored[i]);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
sigterm_closes_sessions_with_1001_and_exits_cleanly(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	assert_int_equal(it_say(alice, "lobby", "t1", "before shutdown"), 1);
	int st = srv_stop(s, SIGTERM);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(tc_wait_closed(alice, T), 1001);
	tc_free(alice);

	assert_true(srv_restart(s));
	alice = it_login(s, "alice");
	cJSON *j = it_join(alice, "lobby");
	assert_int_equal(tc_int(j, "seq"), 1);
	cJSON_Delete(j);
	tc_free(alice);
	it_stop(s);
}

static void
a_database_from_a_newer_version_is_refused_with_a_message(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	srv_stop(s, SIGTERM);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'PRAGMA user_version = 99'", s->db);
	assert_int_equal(system(cmd), 0);
	assert_false(srv_restart(s));
	FILE *f = fopen(s->log, "r");
	assert_non_null(f);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "newer than this confabd"));
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(every_acked_message_survives_kill_9_and_seq_continues),
		IT_TEST(a_crash_mid_burst_loses_no_acked_message_and_resends_store_once),
		IT_TEST(sigterm_closes_sessions_with_1001_and_exits_cleanly),
		IT_TEST(a_database_from_a_newer_version_is_refused_with_a_message),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
