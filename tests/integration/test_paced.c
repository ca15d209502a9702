/*
 * Answers bigger than a session's queue bound (--max-queue) reach a client
 * that reads normally, completely: replays, HISTORY, JOINED, document
 * states, texts and replays are produced as the socket drains, never built
 * whole and never a reason to drop the client.
 */
#include "common.h"

enum { BIG_COUNT = 300, BIG_CPS = 4000 };

/* 4000 x U+0001: 4 KB of text, 24 KB once escaped in JSON. */
static char *
control_text(size_t cps)
{
	char *t = malloc(6 * cps + 1);
	for (size_t i = 0; i < cps; i++)
		memcpy(t + 6 * i, "\\u0001", 6);
	t[6 * cps] = '\0';
	return t;
}

static void
post_big_messages(struct tc *w, int n)
{
	char *text = control_text(BIG_CPS);
	for (int i = 1; i <= n; i++) {
		tc_sendf(w, "{\"type\":\"MESSAGE\",\"cid\":\"b%d\",\"room\":\"lobby\","
		    "\"text\":\"%s\"}", i, text);
		cJSON *a = tc_expect_field(w, "ACK", "room", "lobby", T);
		assert_non_null(a);
		cJSON_Delete(a);
		tc_discard(w);
	}
	free(text);
}

static void
expect_big(cJSON *m, long long seq)
{
	assert_non_null(m);
	assert_int_equal(tc_int(m, "seq"), seq);
	const char *t = tc_str(m, "text");
	assert_non_null(t);
	assert_int_equal(strlen(t), BIG_CPS);
	assert_int_equal(t[0], 1);
}

/* Reads MESSAGE frames first..last, each whole. */
static void
expect_replay(struct tc *c, long long first, long long last)
{
	for (long long seq = first; seq <= last; seq++) {
		cJSON *m = tc_expect(c, "MESSAGE", 10000);
		if (m == NULL)
			fail_msg("message %lld of the replay did not come (closed: %d)", seq,
			    !tc_is_open(c));
		expect_big(m, seq);
		cJSON_Delete(m);
	}
}

static void
expect_history(struct tc *c, const char *req, long long first, long long last,
    bool more)
{
	tc_send(c, req);
	cJSON *h = tc_expect(c, "HISTORY", 10000);
	if (h == NULL)
		fail_msg("no HISTORY for %s (closed: %d)", req, !tc_is_open(c));
	cJSON *msgs = cJSON_GetObjectItem(h, "messages");
	assert_int_equal(cJSON_GetArraySize(msgs), last - first + 1);
	for (long long i = 0; i <= last - first; i++)
		expect_big(cJSON_GetArrayItem(msgs, (int)i), first + i);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(h, "more")) == more);
	cJSON_Delete(h);
}

static void
three_hundred_large_messages_reach_a_reader_by_every_way(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *w = it_login(s, "writer");
	it_join_quiet(w, "lobby");
	post_big_messages(w, BIG_COUNT);

	/* JOIN since=0: JOINED, then all 300 in order */
	struct tc *a = it_login(s, "alice");
	tc_send(a, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":0}");
	cJSON *j = tc_expect(a, "JOINED", 10000);
	assert_non_null(j);
	assert_int_equal(tc_int(j, "seq"), BIG_COUNT);
	cJSON_Delete(j);
	expect_replay(a, 1, BIG_COUNT);

	/* HELLO resume: the same */
	struct tc *b = tc_connect(s->port, NULL);
	assert_non_null(b);
	tc_send(b, "{\"type\":\"HELLO\",\"user\":\"bob\",\"resume\":{\"lobby\":0}}");
	cJSON_Delete(tc_expect(b, "WELCOME", T));
	j = tc_expect(b, "JOINED", 10000);
	assert_non_null(j);
	cJSON_Delete(j);
	expect_replay(b, 1, BIG_COUNT);

	/* JOIN without since: the latest 50 in JOINED; HISTORY pages of 200 */
	struct tc *c = it_login(s, "carol");
	tc_send(c, "{\"type\":\"JOIN\",\"room\":\"lobby\"}");
	j = tc_expect(c, "JOINED", 10000);
	assert_non_null(j);
	cJSON *latest = cJSON_GetObjectItem(j, "messages");
	assert_int_equal(cJSON_GetArraySize(latest), 50);
	expect_big(cJSON_GetArrayItem(latest, 0), BIG_COUNT - 49);
	expect_big(cJSON_GetArrayItem(latest, 49), BIG_COUNT);
	cJSON_Delete(j);
	expect_history(c, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"limit\":200}",
	    BIG_COUNT - 199, BIG_COUNT, true);
	expect_history(c, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"limit\":200,"
	    "\"before\":101}", 1, 100, false);

	char *m = srv_http_get(s, "/metrics");
	assert_non_null(strstr(m, "confab_slow_disconnects_total 0\n"));
	free(m);
	assert_true(tc_is_open(a) && tc_is_open(b) && tc_is_open(c));
	tc_free(a);
	tc_free(b);
	tc_free(c);
	tc_free(w);
	it_stop(s);
}

static void
a_joined_bigger_than_the_queue_bound_arrives_whole(void **state)
{
	(void)state;
	enum { MEMBERS = 400 };
	static const char *const args[] = {"--rate", "0", "--max-queue", "16384", NULL};
	struct srv *s = it_start(args);
	for (int i = 0; i < MEMBERS; i++) {
		char name[16];
		snprintf(name, sizeof name, "member%03d", i);
		struct tc *c = it_login(s, name);
		it_join_quiet(c, "crowd");
		tc_free(c);
	}
	struct tc *r = it_login(s, "reader");
	tc_send(r, "{\"type\":\"JOIN\",\"room\":\"crowd\"}");
	cJSON *j = tc_expect(r, "JOINED", 10000);
	assert_non_null(j);
	cJSON *mem = cJSON_GetObjectItem(j, "members");
	assert_int_equal(cJSON_GetArraySize(mem), MEMBERS + 1);
	assert_string_equal(tc_str(cJSON_GetArrayItem(mem, 0), "user"), "member000");
	assert_string_equal(tc_str(cJSON_GetArrayItem(mem, 0), "status"), "offline");
	assert_string_equal(tc_str(cJSON_GetArrayItem(mem, MEMBERS), "user"), "reader");
	assert_string_equal(tc_str(cJSON_GetArrayItem(mem, MEMBERS), "status"), "online");
	cJSON_Delete(j);
	assert_true(tc_is_open(r));
	tc_free(r);
	it_stop(s);
}

/* The text of a DOC_STATE or DOC_TEXT: n x U+0001. */
static void
expect_doc_text(cJSON *f, size_t n)
{
	assert_non_null(f);
	const char *t = tc_str(f, "text");
	assert_non_null(t);
	assert_int_equal(strlen(t), n);
	for (size_t i = 0; i < n; i += 4096)
		assert_int_equal(t[i], 1);
}

static void
a_large_document_reaches_a_reader_by_open_get_and_replay(void **state)
{
	(void)state;
	enum { HALF = 360000, OPS = 200 };
	static const char *const args[] = {"--rate", "0", "--max-frame", "8388608",
	    "--max-doc", "2000000", NULL};
	struct srv *s = it_start(args);
	struct tc *w = it_login(s, "writer");
	it_join_quiet(w, "lobby");
	tc_send(w, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"big\"}");
	cJSON_Delete(tc_expect(w, "DOC_STATE", T));
	/* two ops of 360,000 x U+0001: 720,000 code points, 4.3 MB escaped */
	char *half = control_text(HALF);
	tc_sendf(w, "{\"type\":\"DOC_OP\",\"cid\":\"h1\",\"room\":\"lobby\",\"doc\":\"big\","
	    "\"rev\":0,\"op\":[\"%s\"]}", half);
	cJSON_Delete(tc_expect_field(w, "ACK", "cid", "h1", 10000));
	tc_sendf(w, "{\"type\":\"DOC_OP\",\"cid\":\"h2\",\"room\":\"lobby\",\"doc\":\"big\","
	    "\"rev\":1,\"op\":[%d,\"%s\"]}", HALF, half);
	cJSON_Delete(tc_expect_field(w, "ACK", "cid", "h2", 10000));
	free(half);
	/* then 200 ops of 24 KB each: a replay of 4.8 MB */
	char *small = control_text(BIG_CPS);
	for (int i = 0; i < OPS; i++) {
		char cid[16];
		snprintf(cid, sizeof cid, "s%d", i);
		tc_sendf(w, "{\"type\":\"DOC_OP\",\"cid\":\"%s\",\"room\":\"lobby\","
		    "\"doc\":\"big\",\"rev\":%d,\"op\":[\"%s\",%d]}", cid, 2 + i, small,
		    2 * HALF + i * BIG_CPS);
		cJSON_Delete(tc_expect_field(w, "ACK", "cid", cid, 10000));
		tc_discard(w);
	}
	free(small);
	size_t total = 2 * HALF + (size_t)OPS * BIG_CPS;

	struct tc *r = it_login(s, "reader");
	it_join_quiet(r, "lobby");
	tc_send(r, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"big\",\"cid\":\"o1\"}");
	cJSON *st = tc_expect(r, "DOC_STATE", 20000);
	expect_doc_text(st, total);
	assert_int_equal(tc_int(st, "rev"), 2 + OPS);
	assert_string_equal(tc_str(st, "cid"), "o1");
	cJSON_Delete(st);
	tc_send(r, "{\"type\":\"DOC_GET\",\"room\":\"lobby\",\"doc\":\"big\",\"rev\":2}");
	cJSON *t = tc_expect(r, "DOC_TEXT", 20000);
	expect_doc_text(t, 2 * HALF);
	cJSON_Delete(t);
	tc_send(r, "{\"type\":\"DOC_GET\",\"room\":\"lobby\",\"doc\":\"big\",\"rev\":1}");
	t = tc_expect(r, "DOC_TEXT", 20000);
	expect_doc_text(t, HALF);
	cJSON_Delete(t);

	/* a reconnect from revision 2: 200 ops, then the state without text */
	struct tc *late = it_login(s, "late");
	it_join_quiet(late, "lobby");
	tc_send(late, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"big\","
	    "\"since\":2,\"cid\":\"o2\"}");
	for (int i = 0; i < OPS; i++) {
		cJSON *op = tc_expect(late, "DOC_OP", 10000);
		if (op == NULL)
			fail_msg("op %d of the replay did not come (closed: %d)", i,
			    !tc_is_open(late));
		assert_int_equal(tc_int(op, "rev"), 3 + i);
		cJSON_Delete(op);
	}
	st = tc_expect(late, "DOC_STATE", 10000);
	assert_non_null(st);
	assert_int_equal(tc_int(st, "rev"), 2 + OPS);
	assert_null(tc_str(st, "text"));
	assert_string_equal(tc_str(st, "cid"), "o2");
	cJSON_Delete(st);

	char *m = srv_http_get(s, "/metrics");
	assert_non_null(strstr(m, "confab_slow_disconnects_total 0\n"));
	free(m);
	assert_true(tc_is_open(r) && tc_is_open(late));
	tc_free(late);
	tc_free(r);
	tc_free(w);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(three_hundred_large_messages_reach_a_reader_by_every_way),
		IT_TEST(a_joined_bigger_than_the_queue_bound_arrives_whole),
		IT_TEST(a_large_document_reaches_a_reader_by_open_get_and_replay),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
