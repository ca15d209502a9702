/*
 * confabd's comments on shared documents over real sockets: a comment is
 * ACKed with its id and told to every viewer, replies notify the
 * comment's author, resolve and reopen go to everyone, only the author
 * edits or deletes; anchors stay on their text through concurrent edits
 * (a comment made at an old revision too), text deleted under a comment
 * leaves it "removed" at the deletion point; comments survive a restart at
 * the right place, an offline client that reopens with since finds them
 * in DOC_STATE, and bad requests get their ERROR and change nothing.
 */
#include <signal.h>
#include <time.h>

#include <sqlite3.h>

#include "common.h"
#include "model/utf8.h"

#define ROOM "lobby"
#define DOC "notes"
#define WHERE "\"room\":\"" ROOM "\",\"doc\":\"" DOC "\""

/* Opens the document; returns its DOC_STATE. */
static cJSON *
doc_open(struct tc *c)
{
	tc_send(c, "{\"type\":\"DOC_OPEN\"," WHERE "}");
	cJSON *s = tc_expect(c, "DOC_STATE", T);
	assert_non_null(s);
	return s;
}

static long long
edit(struct tc *c, const char *cid, long long rev, const char *op)
{
	tc_sendf(c, "{\"type\":\"DOC_OP\",\"cid\":\"%s\"," WHERE ",\"rev\":%lld,"
	    "\"op\":%s}", cid, rev, op);
	cJSON *a = tc_expect_field(c, "ACK", "cid", cid, T);
	assert_non_null(a);
	long long r = tc_int(a, "rev");
	cJSON_Delete(a);
	return r;
}

/* A new comment on [start, end) at rev; returns its id. */
static long long
comment(struct tc *c, const char *cid, long long rev, long long start,
    long long end, const char *text)
{
	char fields[512];
	snprintf(fields, sizeof fields, WHERE ",\"rev\":%lld,\"range\":[%lld,%lld],"
	    "\"text\":\"%s\"", rev, start, end, text);
	cJSON *a = it_ack(c, "COMMENT", cid, fields);
	assert_string_equal(tc_str(a, "doc"), DOC);
	long long id = tc_int(a, "comment");
	assert_true(id >= 1);
	cJSON_Delete(a);
	return id;
}

static void
act(struct tc *c, const char *type, const char *cid, long long id,
    const char *more)
{
	char fields[512];
	snprintf(fields, sizeof fields, WHERE ",\"id\":%lld%s%s", id, more ? "," : "",
	    more ? more : "");
	cJSON *a = it_ack(c, type, cid, fields);
	assert_int_equal(tc_int(a, "comment"), id);
	cJSON_Delete(a);
}

/* The next COMMENT event's comment (the frame in *frame, to delete). */
static const cJSON *
event(struct tc *c, cJSON **frame)
{
	*frame = tc_expect(c, "COMMENT", T);
	assert_non_null(*frame);
	assert_string_equal(tc_str(*frame, "doc"), DOC);
	const cJSON *cm = cJSON_GetObjectItem(*frame, "comment");
	assert_non_null(cm);
	return cm;
}

static long long
range_at(const cJSON *cm, int i)
{
	const cJSON *r = cJSON_GetObjectItem(cm, "range");
	assert_true(cJSON_IsArray(r));
	return (long long)cJSON_GetArrayItem(r, i)->valuedouble;
}

static bool
flag(const cJSON *cm, const char *name)
{
	return cJSON_IsTrue(cJSON_GetObjectItem(cm, name));
}

/* The comment id of a DOC_STATE (NULL if it is not there). */
static const cJSON *
state_comment(const cJSON *state, long long id)
{
	const cJSON *cs = cJSON_GetObjectItem(state, "comments"), *cm;
	cJSON_ArrayForEach(cm, cs) {
		if (tc_int(cm, "id") == id)
			return cm;
	}
	return NULL;
}

/* The code points [start, end) of text, as a new string. */
static char *
slice(const char *text, long long start, long long end)
{
	size_t len = strlen(text);
	size_t a = utf8_offset(text, len, (size_t)start);
	size_t b = utf8_offset(text, len, (size_t)end);
	return strndup(text + a, b - a);
}

static void
assert_on(const char *text, const cJSON *cm, const char *want)
{
	char *got = slice(text, range_at(cm, 0), range_at(cm, 1));
	assert_string_equal(got, want);
	free(got);
}

static void
comments_replies_and_resolving_are_live_for_every_viewer(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	cJSON_Delete(doc_open(alice));
	cJSON_Delete(doc_open(bob));
	assert_int_equal(edit(alice, "e1", 0, "[\"hello world\"]"), 1);
	long long id = comment(alice, "c1", 1, 6, 11, "which world?");
	cJSON *f;
	for (int i = 0; i < 2; i++) {
		const cJSON *cm = event(i ? bob : alice, &f);
		assert_int_equal(tc_int(cm, "id"), id);
		assert_string_equal(tc_str(cm, "user"), "alice");
		assert_string_equal(tc_str(cm, "text"), "which world?");
		assert_true(tc_int(cm, "ts") > 1700000000000LL);
		assert_int_equal(range_at(cm, 0), 6);
		assert_int_equal(range_at(cm, 1), 11);
		assert_false(flag(cm, "removed"));
		assert_false(flag(cm, "resolved"));
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cm, "replies")), 0);
		assert_int_equal(tc_int(f, "rev"), 1);
		cJSON_Delete(f);
	}

	/* a reply: everyone sees the thread, the author is notified */
	act(bob, "COMMENT_REPLY", "r1", id, "\"text\":\"this one\"");
	for (int i = 0; i < 2; i++) {
		const cJSON *cm = event(i ? bob : alice, &f);
		const cJSON *rs = cJSON_GetObjectItem(cm, "replies");
		assert_int_equal(cJSON_GetArraySize(rs), 1);
		assert_string_equal(tc_str(cJSON_GetArrayItem(rs, 0), "user"), "bob");
		assert_string_equal(tc_str(cJSON_GetArrayItem(rs, 0), "text"), "this one");
		cJSON_Delete(f);
	}
	/* (alice made the room: bob's join told her first) */
	cJSON *n = tc_expect_field(alice, "NOTIFICATION", "kind", "comment", T);
	assert_non_null(n);
	assert_string_equal(tc_str(n, "kind"), "comment");
	assert_string_equal(tc_str(n, "message"), "this one");
	assert_string_equal(tc_str(n, "room"), ROOM);
	cJSON_Delete(n);
	/* replying to one's own comment notifies nobody */
	act(alice, "COMMENT_REPLY", "r2", id, "\"text\":\"thanks\"");
	cJSON_Delete(tc_expect(bob, "COMMENT", T));
	cJSON_Delete(tc_expect(alice, "COMMENT", T));
	tc_drain(alice);
	act(alice, "COMMENT_REPLY", "r3", id, "\"text\":\"again\"");
	cJSON_Delete(tc_expect(bob, "COMMENT", T));
	cJSON_Delete(tc_expect(alice, "COMMENT", T));
	assert_true(tc_quiet(alice, "NOTIFICATION", 300));
	assert_true(tc_quiet(bob, "NOTIFICATION", 100));

	/* anyone resolves and reopens */
	act(bob, "COMMENT_RESOLVE", "s1", id, "\"resolved\":true");
	const cJSON *cm = event(alice, &f);
	assert_true(flag(cm, "resolved"));
	assert_string_equal(tc_str(cm, "resolved_by"), "bob");
	cJSON_Delete(f);
	cJSON_Delete(tc_expect(bob, "COMMENT", T));
	act(alice, "COMMENT_RESOLVE", "s2", id, "\"resolved\":false");
	cm = event(bob, &f);
	assert_false(flag(cm, "resolved"));
	assert_null(cJSON_GetObjectItem(cm, "resolved_by"));
	cJSON_Delete(f);
	cJSON_Delete(tc_expect(alice, "COMMENT", T));

	/* only the author edits or deletes */
	it_refused(bob, "COMMENT_EDIT", "x1", WHERE ",\"id\":1,\"text\":\"mine\"",
	    "forbidden");
	it_refused(bob, "COMMENT_DELETE", "x2", WHERE ",\"id\":1", "forbidden");
	act(alice, "COMMENT_EDIT", "d1", id, "\"text\":\"which world, really?\"");
	cm = event(bob, &f);
	assert_string_equal(tc_str(cm, "text"), "which world, really?");
	assert_true(tc_int(cm, "edited_ts") > 1700000000000LL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cm, "replies")), 3);
	cJSON_Delete(f);
	cJSON_Delete(tc_expect(alice, "COMMENT", T));

	/* a third viewer finds it all in DOC_STATE */
	struct tc *carol = it_joined(s, "carol", ROOM);
	cJSON *st = doc_open(carol);
	cm = state_comment(st, id);
	assert_non_null(cm);
	assert_string_equal(tc_str(cm, "text"), "which world, really?");
	assert_on(tc_str(st, "text"), cm, "world");
	cJSON_Delete(st);

	act(alice, "COMMENT_DELETE", "d2", id, NULL);
	for (int i = 0; i < 3; i++) {
		struct tc *c = i == 0 ? alice : i == 1 ? bob : carol;
		cJSON *d = tc_expect(c, "COMMENT_DELETE", T);
		assert_non_null(d);
		assert_int_equal(tc_int(d, "id"), id);
		assert_string_equal(tc_str(d, "by"), "alice");
		cJSON_Delete(d);
	}
	it_refused(bob, "COMMENT_REPLY", "x3", WHERE ",\"id\":1,\"text\":\"hm\"",
	    "no_comment");
	st = doc_open(carol);
	assert_null(cJSON_GetObjectItem(st, "comments")); /* none: left out */
	cJSON_Delete(st);
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

static void
anchors_stay_on_their_text_through_concurrent_edits(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	cJSON_Delete(doc_open(alice));
	cJSON_Delete(doc_open(bob));
	assert_int_equal(edit(alice, "e1", 0, "[\"hello world, bye\"]"), 1);
	long long id = comment(alice, "c1", 1, 6, 11, "planet?");
	tc_drain(alice);
	tc_drain(bob);
	/* concurrent edits before the comment, just after it and inside it,
	 * each made at a revision the other had not seen: the server
	 * transforms them */
	assert_int_equal(edit(bob, "b1", 1, "[\"Oh, \",16]"), 2);
	assert_int_equal(edit(alice, "a1", 1, "[11,\"!\",5]"), 3);
	assert_int_equal(edit(bob, "b2", 2, "[13,\"-wide\",7]"), 4); /* wor-wideld */
	/* a comment made at an old revision is moved to the head too */
	long long old = comment(alice, "c2", 1, 13, 16, "bye?");
	cJSON *st = doc_open(alice);
	const char *text = tc_str(st, "text");
	assert_string_equal(text, "Oh, hello wor-wideld!, bye");
	assert_on(text, state_comment(st, id), "wor-wideld");
	assert_on(text, state_comment(st, old), "bye");
	cJSON_Delete(st);

	/* deleting its text: collapsed at the deletion point, removed */
	assert_int_equal(edit(bob, "b4", 4, "[8,-14,4]"), 5);
	st = doc_open(bob);
	text = tc_str(st, "text");
	assert_string_equal(text, "Oh, hell bye");
	const cJSON *cm = state_comment(st, id);
	assert_true(flag(cm, "removed"));
	assert_int_equal(range_at(cm, 0), 8);
	assert_int_equal(range_at(cm, 1), 8);
	assert_false(flag(state_comment(st, old), "removed"));
	assert_on(text, state_comment(st, old), "bye");
	cJSON_Delete(st);
	/* text typed there later does not bring it back */
	assert_int_equal(edit(bob, "b5", 5, "[8,\"o world\",4]"), 6);
	st = doc_open(bob);
	cm = state_comment(st, id);
	assert_true(flag(cm, "removed"));
	assert_int_equal(range_at(cm, 0), range_at(cm, 1));
	cJSON_Delete(st);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
comments_survive_a_restart_on_the_right_text(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	cJSON_Delete(doc_open(alice));
	assert_int_equal(edit(alice, "e1", 0, "[\"alpha beta gamma\"]"), 1);
	long long a = comment(alice, "c1", 1, 6, 10, "b?");
	long long g = comment(alice, "c2", 1, 11, 16, "g?");
	cJSON_Delete(doc_open(bob));
	act(bob, "COMMENT_REPLY", "r1", g, "\"text\":\"yes g\"");
	act(bob, "COMMENT_RESOLVE", "s1", a, "\"resolved\":true");
	/* many revisions: anchors are stored again once they lag, and moved
	 * through the rest of the stored operations when loaded */
	long long rev = 1;
	char cid[16];
	for (int i = 0; i < 130; i++) {
		snprintf(cid, sizeof cid, "p%d", i);
		rev = edit(bob, cid, rev, i % 2 ? "[\"a\",15]" : "[-1,15]");
	}
	assert_int_equal(edit(bob, "q", rev, "[\"zz \",16]"), rev + 1);
	it_stop_clean(s);
	tc_free(alice);
	tc_free(bob);
	assert_true(srv_restart(s));
	alice = it_joined(s, "alice", ROOM);
	cJSON *st = doc_open(alice);
	const char *text = tc_str(st, "text");
	assert_string_equal(text, "zz alpha beta gamma");
	const cJSON *ca = state_comment(st, a), *cg = state_comment(st, g);
	assert_non_null(ca);
	assert_non_null(cg);
	assert_on(text, ca, "beta");
	assert_on(text, cg, "gamma");
	assert_true(flag(ca, "resolved"));
	assert_string_equal(tc_str(ca, "resolved_by"), "bob");
	assert_false(flag(cg, "resolved"));
	const cJSON *rs = cJSON_GetObjectItem(cg, "replies");
	assert_int_equal(cJSON_GetArraySize(rs), 1);
	assert_string_equal(tc_str(cJSON_GetArrayItem(rs, 0), "text"), "yes g");
	cJSON_Delete(st);
	/* and they go on moving after it */
	assert_int_equal(edit(alice, "e2", rev + 1, "[\"> \",19]"), rev + 2);
	struct tc *bob2 = it_joined(s, "bob", ROOM);
	st = doc_open(bob2);
	assert_on(tc_str(st, "text"), state_comment(st, g), "gamma");
	cJSON_Delete(st);
	tc_free(alice);
	tc_free(bob2);
	it_stop(s);
}

static void
an_offline_client_finds_the_comments_when_it_reopens_with_since(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	cJSON_Delete(doc_open(alice));
	cJSON_Delete(doc_open(bob));
	assert_int_equal(edit(alice, "e1", 0, "[\"one two three\"]"), 1);
	tc_free(bob); /* bob holds revision 1 and goes away */
	assert_int_equal(edit(alice, "e2", 1, "[\"zero \",13]"), 2);
	long long id = comment(alice, "c1", 2, 9, 12, "2?");
	act(alice, "COMMENT_REPLY", "r1", id, "\"text\":\"deux\"");
	bob = it_joined(s, "bob", ROOM);
	tc_send(bob, "{\"type\":\"DOC_OPEN\"," WHERE ",\"since\":1,\"cid\":\"o1\"}");
	cJSON *op = tc_expect(bob, "DOC_OP", T);
	assert_non_null(op);
	assert_int_equal(tc_int(op, "rev"), 2);
	cJSON_Delete(op);
	cJSON *st = tc_expect(bob, "DOC_STATE", T);
	assert_non_null(st);
	assert_null(cJSON_GetObjectItem(st, "text"));
	const cJSON *cm = state_comment(st, id);
	assert_non_null(cm);
	assert_int_equal(range_at(cm, 0), 9);
	assert_int_equal(range_at(cm, 1), 12);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cm, "replies")), 1);
	cJSON_Delete(st);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
bad_requests_get_their_error_and_change_nothing(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--doc-log", "3", NULL};
	struct srv *s = it_start(opts);
	struct tc *alice = it_joined(s, "alice", ROOM);
	it_refused(alice, "COMMENT", "n1", WHERE ",\"rev\":0,\"range\":[0,0],"
	    "\"text\":\"x\"", "not_open");
	cJSON_Delete(doc_open(alice));
	assert_int_equal(edit(alice, "e1", 0, "[\"abc\"]"), 1);
	it_refused(alice, "COMMENT", "b1", WHERE ",\"rev\":1,\"range\":[1,4],"
	    "\"text\":\"x\"", "bad_field");
	it_refused(alice, "COMMENT", "b2", WHERE ",\"rev\":0,\"range\":[0,1],"
	    "\"text\":\"x\"", "bad_field"); /* the document was empty at 0 */
	it_refused(alice, "COMMENT", "b3", WHERE ",\"rev\":2,\"range\":[0,1],"
	    "\"text\":\"x\"", "bad_rev");
	it_refused(alice, "COMMENT", "b4", WHERE ",\"rev\":1,\"range\":[2,1],"
	    "\"text\":\"x\"", "bad_field");
	it_refused(alice, "COMMENT", "b5", WHERE ",\"rev\":1,\"range\":[0,1],"
	    "\"text\":\"  \"", "bad_field");
	char *big = malloc(2100 + 512);
	int n = snprintf(big, 512, WHERE ",\"rev\":1,\"range\":[0,1],\"text\":\"");
	memset(big + n, 'y', 2001);
	strcpy(big + n + 2001, "\"");
	it_refused(alice, "COMMENT", "b6", big, "too_large");
	free(big);
	it_refused(alice, "COMMENT_REPLY", "b7", WHERE ",\"id\":99,\"text\":\"x\"",
	    "no_comment");
	it_refused(alice, "COMMENT_RESOLVE", "b8", WHERE ",\"id\":99,\"resolved\":true",
	    "no_comment");
	for (int i = 0; i < 5; i++) { /* each appends a "d" */
		char cid[8], op[16];
		snprintf(cid, sizeof cid, "e%d", i + 2);
		snprintf(op, sizeof op, "[%d,\"d\"]", 3 + i);
		assert_int_equal(edit(alice, cid, i + 1, op), i + 2);
	}
	tc_drain(alice);
	/* the log keeps 3 revisions: revision 1 is too old to comment at */
	it_refused(alice, "COMMENT", "b9", WHERE ",\"rev\":1,\"range\":[0,1],"
	    "\"text\":\"x\"", "rev_too_old");
	cJSON *st = doc_open(alice);
	assert_null(cJSON_GetObjectItem(st, "comments"));
	cJSON_Delete(st);
	tc_free(alice);
	it_stop(s);
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The most comments a document takes: the next is refused; every anchor
 * moves with each edit and after a restart (figures printed). */
static void
a_full_document_of_comments_stays_bounded_and_on_its_text(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM);
	cJSON_Delete(doc_open(alice));
	char *text = malloc(1100), *op = malloc(1200);
	for (int i = 0; i < 1000; i++)
		text[i] = (char)('a' + i % 26);
	text[1000] = '\0';
	snprintf(op, 1200, "[\"%s\"]", text);
	assert_int_equal(edit(alice, "e0", 0, op), 1);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char cid[16];
	for (int i = 0; i < 500; i++) {
		snprintf(cid, sizeof cid, "c%d", i);
		comment(alice, cid, 1, i * 2, i * 2 + 1, "x");
	}
	double made = ms_since(&t0);
	tc_discard(alice);
	it_refused(alice, "COMMENT", "c500", WHERE ",\"rev\":1,\"range\":[0,1],"
	    "\"text\":\"x\"", "too_large");
	/* 150 edits before every comment: each moves all 500 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long long rev = 1;
	for (int i = 0; i < 150; i++) {
		snprintf(cid, sizeof cid, "p%d", i);
		snprintf(op, 64, "[\"-\",%d]", 1000 + i);
		rev = edit(alice, cid, rev, op);
	}
	double edits = ms_since(&t0);
	it_stop_clean(s);
	tc_free(alice);
	/* stored again once 100 revisions behind: a restart replays the rest */
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(s->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT min(rev), max(rev) FROM "
	    "doc_comments", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 101);
	assert_int_equal(sqlite3_column_int(q, 1), 101);
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_true(srv_restart(s));
	alice = it_joined(s, "alice", ROOM);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	tc_send(alice, "{\"type\":\"DOC_OPEN\"," WHERE "}");
	cJSON *st = tc_expect(alice, "DOC_STATE", 30000);
	double opened = ms_since(&t0);
	assert_non_null(st);
	const cJSON *cs = cJSON_GetObjectItem(st, "comments"), *cm;
	assert_int_equal(cJSON_GetArraySize(cs), 500);
	int i = 0;
	cJSON_ArrayForEach(cm, cs) {
		assert_int_equal(range_at(cm, 0), 150 + i * 2);
		assert_int_equal(range_at(cm, 1), 151 + i * 2);
		i++;
	}
	char *json = cJSON_PrintUnformatted(cs);
	printf("# 500 comments made in %.0f ms; 150 edits moving all of them in "
	    "%.0f ms (%.2f ms each); reopened after a restart in %.0f ms, their "
	    "DOC_STATE list %zu bytes\n", made, edits, edits / 150, opened,
	    strlen(json));
	free(json);
	cJSON_Delete(st);
	free(text);
	free(op);
	tc_free(alice);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(comments_replies_and_resolving_are_live_for_every_viewer),
		IT_TEST(anchors_stay_on_their_text_through_concurrent_edits),
		IT_TEST(comments_survive_a_restart_on_the_right_text),
		IT_TEST(an_offline_client_finds_the_comments_when_it_reopens_with_since),
		IT_TEST(bad_requests_get_their_error_and_change_nothing),
		IT_TEST(a_full_document_of_comments_stays_bounded_and_on_its_text),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
