/* confabd across crashes and restarts: what was ACKed is never lost. */
#include <signal.h>
#include <sys/stat.h>
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

static char *
read_log(const struct srv *s)
{
	FILE *f = fopen(s->log, "r");
	assert_non_null(f);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Stores n messages of about 900 bytes each, then stops the server cleanly
 * (its log checkpointed into the database file). */
static void
fill_and_stop(struct srv *s, int n)
{
	struct tc *alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	char text[901];
	memset(text, 'p', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	for (int i = 1; i <= n; i++) {
		char cid[16];
		snprintf(cid, sizeof cid, "f%d", i);
		assert_int_equal(it_say(alice, "lobby", cid, text), i);
	}
	tc_free(alice);
	int st = srv_stop(s, SIGTERM);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void
a_read_only_database_is_found_at_start_and_health_says_so(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	fill_and_stop(s, 3);
	/* the file may not be written; its directory may (for the WAL's
	 * shared memory), as after a careless restore */
	assert_int_equal(chmod(s->db, 0444), 0);
	assert_int_equal(chmod(s->dir, 0777), 0);
	s->as_nobody = true;
	assert_true(srv_restart(s));
	char *h = srv_http_get(s, "/health");
	assert_non_null(h);
	assert_non_null(strstr(h, " 503 "));
	assert_non_null(strstr(h, "\"status\":\"degraded\""));
	assert_non_null(strstr(h, "\"store\":\"read_only\""));
	free(h);
	assert_non_null(strstr(read_log(s), "the store is read_only"));
	/* and a write is refused as before, not half done */
	struct tc *alice = it_login(s, "alice");
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"cid\":\"j\"}");
	it_expect_error(alice, "internal", "j");
	tc_free(alice);
	it_stop(s);
}

static void
a_damaged_database_is_found_at_start_and_health_says_so(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	fill_and_stop(s, 200);
	FILE *f = fopen(s->db, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long pages = ftell(f) / 4096;
	assert_true(pages > 20);
	/* a page of the messages near the end, well away from the schema */
	unsigned char junk[4096];
	memset(junk, 0xff, sizeof junk);
	assert_int_equal(fseek(f, (pages - 3) * 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	fclose(f);
	assert_true(srv_restart(s));
	char *h = srv_http_get(s, "/health");
	assert_non_null(h);
	assert_non_null(strstr(h, " 503 "));
	assert_non_null(strstr(h, "\"store\":\"corrupt\""));
	free(h);
	assert_non_null(strstr(read_log(s), "the store is corrupt"));
	srv_stop(s, SIGTERM);

	/* a sound database says ok, with its store */
	struct srv *fine = it_start(NULL);
	h = srv_http_get(fine, "/health");
	assert_non_null(strstr(h, " 200 "));
	assert_non_null(strstr(h, "\"status\":\"ok\""));
	assert_non_null(strstr(h, "\"store\":\"ok\""));
	free(h);
	it_stop(fine);
	it_stop(s);
}

/* The MESSAGE or REACT of burst request i (cid b<i>): messages and
 * reactions alternate, so that two kinds of pending request interleave.
 * Each writes (a reaction added, never there: each was rolled back). */
static void
send_burst(struct tc *c, int i)
{
	if (i % 2 == 0)
		tc_sendf(c, "{\"type\":\"MESSAGE\",\"cid\":\"b%d\",\"room\":\"lobby\","
		    "\"text\":\"burst %d\"}", i, i);
	else
		tc_sendf(c, "{\"type\":\"REACT\",\"cid\":\"b%d\",\"room\":\"lobby\","
		    "\"seq\":1,\"emoji\":\"\\ud83d\\udc4d\",\"on\":true}", i);
}

/* A commit that fails while the server runs (its files may grow no more)
 * fails every request its transaction held: each gets one ERROR internal,
 * in the order sent, never an ACK, and the room is told of none. */
static void
a_failed_commit_fails_each_pending_request_once_and_in_order(void **state)
{
	(void)state;
	struct srv *s = calloc(1, sizeof *s);
	assert_non_null(s);
	s->fsize = 2L << 20;
	static const char *const args[] = {"--rate", "0", NULL};
	assert_true(srv_start(s, args));
	struct tc *alice = it_joined(s, "alice", "lobby");
	struct tc *bob = it_joined(s, "bob", "lobby");
	/* long messages until one no longer fits: its commit fails */
	static char text[3901];
	memset(text, 'q', sizeof text - 1);
	int stored = 0;
	for (int i = 1; i <= 2000; i++) {
		tc_sendf(alice, "{\"type\":\"MESSAGE\",\"cid\":\"f%d\",\"room\":\"lobby\","
		    "\"text\":\"%s\"}", i, text);
		cJSON *a = NULL;
		while ((a = tc_recv(alice, T)) != NULL && !tc_is(a, "ACK") &&
		    !tc_is(a, "ERROR"))
			cJSON_Delete(a);
		assert_non_null(a);
		bool acked = tc_is(a, "ACK");
		if (!acked)
			assert_string_equal(tc_str(a, "code"), "internal");
		cJSON_Delete(a);
		if (!acked)
			break;
		stored = i;
	}
	assert_true(stored > 0 && stored < 2000);
	tc_drain(bob);
	tc_drain(alice);

	enum { N = 12 };
	for (int i = 0; i < N; i++)
		send_burst(alice, i);
	for (int i = 0; i < N; i++) {
		cJSON *f;
		while ((f = tc_recv(alice, T)) != NULL && !tc_is(f, "ERROR")) {
			if (tc_is(f, "ACK"))
				fail_msg("ACK for %s, whose commit failed", tc_str(f, "cid"));
			cJSON_Delete(f);
		}
		if (f == NULL)
			fail_msg("no ERROR for b%d", i);
		char want[16];
		snprintf(want, sizeof want, "b%d", i);
		assert_string_equal(tc_str(f, "code"), "internal");
		assert_non_null(tc_str(f, "cid"));
		assert_string_equal(tc_str(f, "cid"), want);
		cJSON_Delete(f);
	}
	assert_true(tc_quiet(alice, "ERROR", 300));
	assert_true(tc_quiet(alice, "ACK", 1));
	assert_true(tc_quiet(bob, "MESSAGE", 1));
	assert_true(tc_quiet(bob, "REACTION", 1));
	char *h = srv_http_get(s, "/health");
	assert_non_null(h);
	assert_non_null(strstr(h, " 503 "));
	free(h);
	tc_free(bob);
	tc_free(alice);
	srv_stop(s, SIGKILL);

	/* what was ACKed is there after a restart with room to grow */
	s->fsize = 0;
	assert_true(srv_restart(s));
	struct tc *carol = it_login(s, "carol");
	tc_send(carol, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":0}");
	cJSON *j = tc_expect_field(carol, "JOINED", "room", "lobby", T);
	assert_non_null(j);
	cJSON_Delete(j);
	it_expect_seqs(carol, "lobby", 1, stored);
	assert_true(tc_quiet(carol, "MESSAGE", 300));
	tc_free(carol);
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
		IT_TEST(a_read_only_database_is_found_at_start_and_health_says_so),
		IT_TEST(a_damaged_database_is_found_at_start_and_health_says_so),
		IT_TEST(a_failed_commit_fails_each_pending_request_once_and_in_order),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
