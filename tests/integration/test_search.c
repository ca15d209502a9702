/*
 * confabd over real sockets: search (docs/protocol.md, "Read marks, search,
 * topics and the directory"). Results come from the rooms the user is a
 * member of only, never from another's private room or direct-message
 * room; they come newest first in pages with a cursor; an edit changes
 * what is found and a delete takes it away (both done here as the message
 * changes do them, an UPDATE of the message's text, while the server is
 * stopped); no text is a syntax error.
 */
#include <sqlite3.h>

#include "common.h"

/* SEARCH's answer; the caller frees it. */
static cJSON *
search(struct tc *c, const char *cid, const char *fields)
{
	tc_sendf(c, "{\"type\":\"SEARCH\",\"cid\":\"%s\",%s}", cid, fields);
	cJSON *r = tc_recv(c, T);
	while (r != NULL && !tc_is(r, "SEARCH_RESULTS") && !tc_is(r, "ERROR")) {
		cJSON_Delete(r);
		r = tc_recv(c, T);
	}
	if (r == NULL)
		fail_msg("no answer to SEARCH %s", fields);
	if (tc_is(r, "ERROR"))
		fail_msg("SEARCH %s: %s (%s)", fields, tc_str(r, "code"),
		    tc_str(r, "reason"));
	assert_string_equal(tc_str(r, "cid"), cid);
	return r;
}

static int
nresults(const cJSON *r)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(r, "results"));
}

static const cJSON *
result(const cJSON *r, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItem(r, "results"), i);
}

static void
search_refused(struct tc *c, const char *cid, const char *fields,
    const char *code)
{
	tc_sendf(c, "{\"type\":\"SEARCH\",\"cid\":\"%s\",%s}", cid, fields);
	it_expect_error(c, code, cid);
}

static void
search__finds_only_the_rooms_of_the_user(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob = it_joined(s, "bob", "dev");
	struct tc *carol = it_login(s, "carol");
	struct tc *dave = it_login(s, "dave");
	it_say(alice, "dev", "d1", "zebra crossing in dev");
	it_join_quiet(alice, "ops"); /* bob is not in ops */
	it_say(alice, "ops", "o1", "zebra sighted in ops");
	it_join_quiet(carol, "secret");
	tc_sendf(carol, "{\"type\":\"ROOM_MODE\",\"room\":\"secret\",\"private\":true,"
	    "\"cid\":\"m\"}");
	cJSON_Delete(tc_expect_field(carol, "ACK", "cid", "m", T));
	it_say(carol, "secret", "s1", "zebra secret-plan");
	it_join_quiet(carol, "@carol+dave");
	it_say(carol, "@carol+dave", "p1", "zebra between-us");
	it_join_quiet(bob, "mine");
	it_say(bob, "mine", "b1", "my own Zebra");
	(void)dave;

	cJSON *r = search(bob, "s1", "\"text\":\"zebra\"");
	assert_int_equal(nresults(r), 2);
	/* newest first */
	assert_string_equal(tc_str(result(r, 0), "room"), "mine");
	assert_string_equal(tc_str(result(r, 0), "user"), "bob");
	assert_string_equal(tc_str(result(r, 1), "room"), "dev");
	assert_int_equal(tc_int(result(r, 1), "seq"), 1);
	assert_true(tc_int(result(r, 1), "ts") > 0);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "more")));
	/* the snippet, its match marked in code points */
	const cJSON *hit = result(r, 0);
	assert_string_equal(tc_str(hit, "snippet"), "my own Zebra");
	const cJSON *marks = cJSON_GetObjectItem(hit, "marks");
	assert_int_equal(cJSON_GetArraySize(marks), 1);
	assert_int_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(marks, 0), 0)->valueint,
	    7);
	assert_int_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(marks, 0), 1)->valueint,
	    12);
	char *text = cJSON_PrintUnformatted(r);
	assert_null(strstr(text, "secret-plan"));
	assert_null(strstr(text, "between-us"));
	assert_null(strstr(text, "ops"));
	free(text);
	cJSON_Delete(r);

	/* one room of the user's */
	r = search(bob, "s2", "\"text\":\"zebra\",\"room\":\"dev\"");
	assert_int_equal(nresults(r), 1);
	assert_string_equal(tc_str(result(r, 0), "room"), "dev");
	cJSON_Delete(r);
	/* rooms that are not the user's: the same answer, known or not */
	search_refused(bob, "s3", "\"text\":\"zebra\",\"room\":\"secret\"",
	    "not_joined");
	search_refused(bob, "s4", "\"text\":\"zebra\",\"room\":\"ops\"", "not_joined");
	search_refused(bob, "s5", "\"text\":\"zebra\",\"room\":\"nowhere\"",
	    "not_joined");
	search_refused(bob, "s6", "\"text\":\"zebra\",\"room\":\"@carol+dave\"",
	    "forbidden");
	/* the owners see their own */
	r = search(carol, "s7", "\"text\":\"zebra\"");
	assert_int_equal(nresults(r), 2);
	cJSON_Delete(r);
	r = search(dave, "s8", "\"text\":\"zebra\"");
	assert_int_equal(nresults(r), 1);
	assert_string_equal(tc_str(result(r, 0), "room"), "@carol+dave");
	cJSON_Delete(r);
	/* a prefix of the last word */
	r = search(alice, "s9", "\"text\":\"zeb\"");
	assert_int_equal(nresults(r), 2);
	cJSON_Delete(r);
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	tc_free(dave);
	it_stop_clean(s);
	it_stop(s);
}

static void
search__pages_newest_first_with_a_cursor(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	for (int i = 1; i <= 7; i++) {
		char cid[16], msg[32];
		snprintf(cid, sizeof cid, "c%d", i);
		snprintf(msg, sizeof msg, "ping %d", i);
		it_say(alice, "dev", cid, msg);
		snprintf(cid, sizeof cid, "n%d", i);
		it_say(alice, "dev", cid, "noise");
	}
	long long before = 0, last_seq = 1000;
	int total = 0, pages = 0;
	bool more;
	do {
		char fields[96];
		if (before)
			snprintf(fields, sizeof fields,
			    "\"text\":\"ping\",\"limit\":3,\"before\":%lld", before);
		else
			snprintf(fields, sizeof fields, "\"text\":\"ping\",\"limit\":3");
		cJSON *r = search(alice, "p", fields);
		int n = nresults(r);
		assert_true(n <= 3);
		for (int i = 0; i < n; i++) {
			long long seq = tc_int(result(r, i), "seq");
			assert_true(seq < last_seq);
			last_seq = seq;
		}
		total += n;
		more = cJSON_IsTrue(cJSON_GetObjectItem(r, "more"));
		before = more ? tc_int(r, "before") : 0;
		assert_true(!more || before > 0);
		cJSON_Delete(r);
		pages++;
	} while (more && pages < 10);
	assert_int_equal(total, 7);
	assert_int_equal(pages, 3);
	assert_int_equal(last_seq, 1);
	tc_free(alice);
	it_stop_clean(s);
	it_stop(s);
}

static void
sql(const struct srv *s, const char *q)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", q, err);
	sqlite3_close(db);
}

static void
search__follows_edits_and_deletes(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	it_say(alice, "dev", "c1", "meet at the harbour");
	it_say(alice, "dev", "c2", "the harbour is closed");
	cJSON *r = search(alice, "s1", "\"text\":\"harbour\"");
	assert_int_equal(nresults(r), 2);
	cJSON_Delete(r);
	tc_free(alice);

	/* an edit of 1 and a tombstone of 2, as the message changes store them */
	it_stop_clean(s);
	sql(s, "UPDATE messages SET text = 'meet at the station' WHERE seq = 1;"
	    " UPDATE messages SET text = '' WHERE seq = 2;");
	assert_true(srv_restart(s));
	alice = it_login(s, "alice");
	r = search(alice, "s2", "\"text\":\"harbour\"");
	assert_int_equal(nresults(r), 0);
	cJSON_Delete(r);
	r = search(alice, "s3", "\"text\":\"station\"");
	assert_int_equal(nresults(r), 1);
	assert_int_equal(tc_int(result(r, 0), "seq"), 1);
	assert_string_equal(tc_str(result(r, 0), "snippet"), "meet at the station");
	cJSON_Delete(r);
	r = search(alice, "s4", "\"text\":\"closed\"");
	assert_int_equal(nresults(r), 0);
	cJSON_Delete(r);
	tc_free(alice);
	it_stop_clean(s);
	it_stop(s);
}

static void
search__any_text_is_a_query_not_an_error(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	it_say(alice, "dev", "c1", "say \\\"hi\\\" AND (more) NOT less");
	static const char *const texts[] = {
		"\\\"", "AND", "(", ")", "*", "^", "NEAR(", "a:b", "\\\"\\\"\\\"", "-x",
		"OR OR", "", "   ", "!!!", "\\\\", "\\u00e9*", "NOT less",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		char fields[96];
		snprintf(fields, sizeof fields, "\"text\":\"%s\"", texts[i]);
		cJSON_Delete(search(alice, "q", fields));
	}
	cJSON *r = search(alice, "q2", "\"text\":\"NOT less\"");
	assert_int_equal(nresults(r), 1);
	cJSON_Delete(r);
	r = search(alice, "q3", "\"text\":\"\\\"hi\\\"\"");
	assert_int_equal(nresults(r), 1);
	cJSON_Delete(r);
	/* a SEARCH without text is malformed, though */
	tc_send(alice, "{\"type\":\"SEARCH\",\"cid\":\"q4\"}");
	it_expect_error(alice, "bad_field", "q4");
	tc_free(alice);
	it_stop_clean(s);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(search__finds_only_the_rooms_of_the_user),
		IT_TEST(search__pages_newest_first_with_a_cursor),
		IT_TEST(search__follows_edits_and_deletes),
		IT_TEST(search__any_text_is_a_query_not_an_error),
	};
	int rc = cmocka_run_group_tests_name("search", tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
