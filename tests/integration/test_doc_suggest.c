/*
 * confabd's suggestions over real sockets: DOC_SUGGEST keeps an op aside
 * (every viewer sees SUGGESTION live), others edit meanwhile, and
 * SUGGEST_ACCEPT applies it at the head as a revision by the suggester,
 * giving the text model/suggest.h's rules give; SUGGEST_REJECT and a
 * suggestion whose text others deleted close it, with a notification to
 * its author; suggestions survive a restart and come in DOC_STATE, also to
 * a client that reopens with since; a protected document (DOC_MODE) lets
 * a commenter suggest but not edit, tag or accept; bad input is refused.
 */
#include <signal.h>

#include "common.h"
#include "model/doc.h"
#include "model/suggest.h"

#define ROOM "lobby"
#define DOC "notes"
#define WHERE "\"room\":\"" ROOM "\",\"doc\":\"" DOC "\""

/* DOC_OPEN (since < 0: without) and its DOC_STATE. */
static cJSON *
doc_open(struct tc *c, long long since)
{
	if (since < 0)
		tc_send(c, "{\"type\":\"DOC_OPEN\"," WHERE ",\"cid\":\"o\"}");
	else
		tc_sendf(c, "{\"type\":\"DOC_OPEN\"," WHERE ",\"cid\":\"o\","
		    "\"since\":%lld}", since);
	cJSON *st = tc_expect(c, "DOC_STATE", T);
	assert_non_null(st);
	return st;
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

/* DOC_SUGGEST; returns the suggestion's id from its ACK. */
static long long
suggest(struct tc *c, const char *cid, long long rev, const char *op)
{
	char fields[4096];
	snprintf(fields, sizeof fields, WHERE ",\"rev\":%lld,\"op\":%s", rev, op);
	cJSON *a = it_ack(c, "DOC_SUGGEST", cid, fields);
	long long id = tc_int(a, "suggestion");
	assert_true(id > 0);
	assert_string_equal(tc_str(a, "doc"), DOC);
	cJSON_Delete(a);
	return id;
}

static void
refused(struct tc *c, const char *type, const char *cid, const char *more,
    const char *code)
{
	char fields[512];
	snprintf(fields, sizeof fields, WHERE "%s%s", more[0] ? "," : "", more);
	it_refused(c, type, cid, fields, code);
}

static char *
doc_get(struct tc *c, long long rev)
{
	tc_sendf(c, "{\"type\":\"DOC_GET\"," WHERE ",\"rev\":%lld,\"cid\":\"g%lld\"}",
	    rev, rev);
	cJSON *t = tc_expect(c, "DOC_TEXT", T);
	assert_non_null(t);
	char *text = strdup(tc_str(t, "text"));
	cJSON_Delete(t);
	return text;
}

/* The SUGGESTION frame of id, checked. */
static void
expect_suggestion(struct tc *c, long long id, const char *user)
{
	cJSON *s = tc_expect(c, "SUGGESTION", T);
	assert_non_null(s);
	assert_int_equal(tc_int(s, "id"), id);
	assert_string_equal(tc_str(s, "user"), user);
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(s, "op")));
	cJSON_Delete(s);
}

/* WHERE and the id of a suggestion (in a static buffer). */
static const char *
id_of(long long id)
{
	static char buf[128];
	snprintf(buf, sizeof buf, WHERE ",\"id\":%lld", id);
	return buf;
}

static void
expect_closed(struct tc *c, long long id, const char *event, const char *by)
{
	cJSON *s = tc_expect(c, "SUGGESTION_CLOSED", T);
	assert_non_null(s);
	assert_int_equal(tc_int(s, "id"), id);
	assert_string_equal(tc_str(s, "event"), event);
	if (by == NULL)
		assert_null(tc_str(s, "by"));
	else
		assert_string_equal(tc_str(s, "by"), by);
	cJSON_Delete(s);
}

static void
expect_note(struct tc *c, const char *title_has)
{
	cJSON *n = tc_expect(c, "NOTIFICATION", T);
	assert_non_null(n);
	assert_string_equal(tc_str(n, "kind"), "suggestion");
	if (strstr(tc_str(n, "title"), title_has) == NULL)
		fail_msg("notification %s lacks %s", tc_str(n, "title"), title_has);
	cJSON_Delete(n);
}

/* The op JSON of DOC_STATE's suggestion id ("" when it has none). */
static char *
state_op(const cJSON *st, long long id)
{
	const cJSON *v = cJSON_GetObjectItem(st, "suggestions"), *e;
	cJSON_ArrayForEach(e, v) {
		if (tc_int(e, "id") == id)
			return cJSON_PrintUnformatted(cJSON_GetObjectItem(e, "op"));
	}
	return strdup("");
}

static void
decode(const char *json, struct ot_op *op)
{
	assert_int_equal(ot_decode(json, strlen(json), op, NULL, 0), OT_OK);
}

/* The random op of revision i: inserts and deletes around the text, none
 * of them touching "world" (positions [6, 11) of the first line). */
static char *
noise(unsigned i, size_t len, size_t *newlen)
{
	char buf[128];
	unsigned k = i % 4;
	if (k == 0 || len < 20) {
		snprintf(buf, sizeof buf, "[\"%c\",%zu]", 'a' + (int)(i % 26), len);
		*newlen = len + 1;
	} else if (k == 1) {
		snprintf(buf, sizeof buf, "[%zu,\"%u\"]", len, i);
		*newlen = len + strlen(buf) - snprintf(NULL, 0, "[%zu,\"\"]", len);
	} else if (k == 2) {
		snprintf(buf, sizeof buf, "[-1,%zu]", len - 1); /* a letter of noise */
		*newlen = len - 1;
	} else {
		snprintf(buf, sizeof buf, "[%zu,-1]", len - 1); /* a digit of noise */
		*newlen = len - 1;
	}
	return strdup(buf);
}

static void
accept_after_many_concurrent_ops_gives_the_transformed_intent(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	cJSON_Delete(doc_open(alice, -1));
	cJSON_Delete(doc_open(bob, -1));
	assert_int_equal(edit(alice, "e0", 0, "[\"hello world\\nsecond line\\n\"]"), 1);
	cJSON_Delete(tc_expect(bob, "DOC_OP", T));

	/* bob suggests "world" -> "there" at revision 1; both see it live */
	const char *intent = "[6,\"there\",-5,13]";
	long long id = suggest(bob, "s1", 1, intent);
	expect_suggestion(alice, id, "bob");
	expect_suggestion(bob, id, "bob");

	/* alice edits 100 times meanwhile, each at the head */
	struct suggest model;
	struct ot_op op = OT_OP_INIT;
	decode(intent, &op);
	assert_int_equal(suggest_init(&model, &op, 1), SUGGEST_OK);
	ot_free(&op);
	size_t len = 24;
	long long rev = 1;
	for (unsigned i = 0; i < 100; i++) {
		size_t next;
		char *json = noise(i, len, &next), cid[16];
		snprintf(cid, sizeof cid, "n%u", i);
		rev = edit(alice, cid, rev, json);
		decode(json, &op);
		assert_int_equal(suggest_advance(&model, &op), SUGGEST_OK);
		ot_free(&op);
		free(json);
		len = next;
	}
	assert_int_equal(rev, 101);
	assert_false(model.dropped);
	char *before = doc_get(alice, rev);

	/* alice accepts: a revision by bob, said accepted by alice */
	char fields[128];
	snprintf(fields, sizeof fields, WHERE ",\"id\":%lld", id);
	tc_sendf(alice, "{\"type\":\"SUGGEST_ACCEPT\",\"cid\":\"a1\",%s}", fields);
	cJSON *o = tc_expect(alice, "DOC_OP", T);
	assert_non_null(o);
	assert_int_equal(tc_int(o, "rev"), 102);
	assert_string_equal(tc_str(o, "user"), "bob");
	assert_string_equal(tc_str(o, "by"), "alice");
	assert_int_equal(tc_int(o, "suggestion"), id);
	cJSON *ack = tc_expect_field(alice, "ACK", "cid", "a1", T);
	assert_non_null(ack);
	assert_int_equal(tc_int(ack, "rev"), 102);
	assert_int_equal(tc_int(ack, "suggestion"), id);
	cJSON_Delete(ack);

	/* the text is the model's: the intent moved through the 100 ops */
	struct ot_op want = OT_OP_INIT;
	assert_int_equal(suggest_accept(&model, 101, &want), SUGGEST_OK);
	char *applied = cJSON_PrintUnformatted(cJSON_GetObjectItem(o, "op"));
	char *wanted = ot_encode(&want);
	assert_string_equal(applied, wanted);
	struct doc *dm = doc_new_from(before, strlen(before));
	assert_int_equal(ot_apply_doc(dm, &want), OT_OK);
	char *expect = doc_text(dm, NULL);
	char *after = doc_get(alice, 102);
	assert_string_equal(after, expect);
	assert_non_null(strstr(after, "hello there\nsecond line\n"));
	assert_null(strstr(after, "world"));

	/* bob gets the revision, and is told; it is gone from the state */
	cJSON *b = tc_expect_field(bob, "DOC_OP", "by", "alice", T);
	assert_non_null(b);
	assert_int_equal(tc_int(b, "suggestion"), id);
	cJSON_Delete(b);
	expect_note(bob, "alice accepted");
	cJSON *st = doc_open(bob, -1);
	assert_null(cJSON_GetObjectItem(st, "suggestions"));
	cJSON_Delete(st);
	/* accepting it again: it is no longer open */
	it_refused(alice, "SUGGEST_ACCEPT", "a2", id_of(id), "no_suggestion");

	free(applied);
	free(wanted);
	free(expect);
	free(after);
	free(before);
	doc_free(dm);
	ot_free(&want);
	suggest_free(&model);
	cJSON_Delete(o);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
reject_and_dropped_close_it_and_tell_the_author(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	cJSON_Delete(doc_open(alice, -1));
	cJSON_Delete(doc_open(bob, -1));
	assert_int_equal(edit(alice, "e0", 0, "[\"one two three four\"]"), 1);
	cJSON_Delete(tc_expect(bob, "DOC_OP", T));

	long long r = suggest(bob, "s1", 1, "[4,\"2\",-3,11]");
	expect_suggestion(alice, r, "bob");
	expect_suggestion(bob, r, "bob");
	it_ok(alice, "SUGGEST_REJECT", "x1", id_of(r));
	expect_closed(alice, r, "rejected", "alice");
	expect_closed(bob, r, "rejected", "alice");
	expect_note(bob, "alice rejected");

	/* bob suggests deleting "three"; alice deletes "two three" herself */
	long long d = suggest(bob, "s2", 1, "[8,-5,5]");
	/* and inserting inside "four" (insert only) */
	long long ins = suggest(bob, "s3", 1, "[16,\"X\",2]");
	/* and a third, elsewhere, that stays */
	long long keep = suggest(bob, "s4", 1, "[\"> \",18]");
	for (int i = 0; i < 3; i++)
		cJSON_Delete(tc_expect(alice, "SUGGESTION", T));
	for (int i = 0; i < 3; i++)
		cJSON_Delete(tc_expect(bob, "SUGGESTION", T));
	assert_int_equal(edit(alice, "e1", 1, "[4,-10,4]"), 2); /* "one four" */
	expect_closed(alice, d, "dropped", NULL);
	expect_closed(bob, d, "dropped", NULL);
	expect_note(bob, "dropped");
	/* "four" is still there: the insert stays, until "four" goes in one op */
	assert_int_equal(edit(alice, "e2", 2, "[4,-4]"), 3); /* "one " */
	expect_closed(alice, ins, "dropped", NULL);
	expect_note(bob, "dropped");
	cJSON *st = doc_open(alice, -1);
	char *op = state_op(st, keep);
	assert_string_equal(op, "[\"> \",4]");
	free(op);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(st, "suggestions")), 1);
	cJSON_Delete(st);
	/* bob withdraws his own */
	it_ok(bob, "SUGGEST_REJECT", "x2", id_of(keep));
	expect_closed(alice, keep, "rejected", "bob");
	assert_true(tc_quiet(bob, "NOTIFICATION", 200)); /* not told of his own */
	/* nor when he deletes the text of his own suggestion himself */
	long long own = suggest(bob, "s5", 3, "[-3,1]");
	assert_int_equal(edit(bob, "b1", 3, "[-3,1]"), 4);
	expect_closed(alice, own, "dropped", NULL);
	assert_true(tc_quiet(bob, "NOTIFICATION", 200));
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
suggestions_survive_a_restart_and_reach_a_client_back_with_since(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	cJSON_Delete(doc_open(alice, -1));
	cJSON_Delete(doc_open(bob, -1));
	assert_int_equal(edit(alice, "e0", 0, "[\"abc def\"]"), 1);
	long long id = suggest(bob, "s1", 1, "[4,\"big \",3]");
	/* moved by later revisions before the restart */
	assert_int_equal(edit(alice, "e1", 1, "[\">>\",7]"), 2);
	assert_int_equal(edit(alice, "e2", 2, "[9,\"!\"]"), 3);
	tc_free(alice);
	tc_free(bob);
	it_stop_clean(s);
	assert_true(srv_restart(s));

	alice = it_joined(s, "alice", ROOM);
	cJSON *st = doc_open(alice, -1);
	assert_int_equal(tc_int(st, "rev"), 3);
	char *op = state_op(st, id);
	assert_string_equal(op, "[6,\"big \",4]");
	free(op);
	cJSON_Delete(st);
	/* carol held revision 1: the replay, then a state with it */
	struct tc *carol = it_joined(s, "carol", ROOM);
	tc_send(carol, "{\"type\":\"DOC_OPEN\"," WHERE ",\"cid\":\"o\",\"since\":1}");
	for (int i = 0; i < 2; i++)
		cJSON_Delete(tc_expect(carol, "DOC_OP", T));
	st = tc_expect(carol, "DOC_STATE", T);
	assert_non_null(st);
	assert_null(cJSON_GetObjectItem(st, "text"));
	op = state_op(st, id);
	assert_string_equal(op, "[6,\"big \",4]");
	free(op);
	cJSON_Delete(st);
	/* accepted after the restart, at the right place */
	it_ok(alice, "SUGGEST_ACCEPT", "a1", id_of(id));
	char *text = doc_get(carol, 4);
	assert_string_equal(text, ">>abc big def!");
	free(text);
	tc_free(alice);
	tc_free(carol);
	it_stop(s);
}

static void
a_protected_document_lets_a_commenter_suggest_only(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	cJSON *st = doc_open(alice, -1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "can_edit")));
	assert_null(cJSON_GetObjectItem(st, "protected"));
	cJSON_Delete(st);
	cJSON_Delete(doc_open(bob, -1));
	assert_int_equal(edit(alice, "e0", 0, "[\"text\"]"), 1);
	cJSON_Delete(tc_expect(bob, "DOC_OP", T));
	assert_int_equal(edit(bob, "b0", 1, "[\"> \",4]"), 2);
	/* bob is no owner or moderator: he may not protect it */
	refused(bob, "DOC_MODE", "m0", "\"protected\":true", "forbidden");
	it_ok(alice, "DOC_MODE", "m1", WHERE ",\"protected\":true");
	cJSON *m = tc_expect(bob, "DOC_MODE", T);
	assert_non_null(m);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "protected")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(m, "can_edit")));
	assert_string_equal(tc_str(m, "by"), "alice");
	cJSON_Delete(m);

	refused(bob, "DOC_OP", "d1", "\"rev\":1,\"op\":[4,\"!\"]", "forbidden");
	/* an edit made before, sent again, is still acknowledged */
	assert_int_equal(edit(bob, "b0", 1, "[\"> \",4]"), 2);
	refused(bob, "DOC_TAG", "t1", "\"rev\":1,\"name\":\"v1\"", "forbidden");
	long long id = suggest(bob, "s1", 1, "[4,\"!\"]");
	it_refused(bob, "SUGGEST_ACCEPT", "a1", id_of(id), "forbidden");
	cJSON_Delete(tc_expect(alice, "SUGGESTION", T));
	/* the mode survives a restart */
	tc_free(alice);
	tc_free(bob);
	it_stop_clean(s);
	assert_true(srv_restart(s));
	alice = it_joined(s, "alice", ROOM);
	bob = it_joined(s, "bob", ROOM);
	st = doc_open(bob, -1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "protected")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(st, "can_edit")));
	cJSON_Delete(st);
	refused(bob, "DOC_OP", "d2", "\"rev\":1,\"op\":[4,\"!\"]", "forbidden");
	st = doc_open(alice, -1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "can_edit")));
	cJSON_Delete(st);
	char fields[96];
	snprintf(fields, sizeof fields, WHERE ",\"id\":%lld", id);
	it_ok(alice, "SUGGEST_ACCEPT", "a2", fields);
	char *text = doc_get(alice, 3);
	assert_string_equal(text, "> text!");
	free(text);
	/* unprotected again: bob edits */
	it_ok(alice, "DOC_MODE", "m2", WHERE ",\"protected\":false");
	tc_drain(bob);
	assert_int_equal(edit(bob, "d3", 3, "[\"> \",7]"), 4);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
bad_suggestions_are_refused_and_a_resend_is_recognised(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM);
	refused(alice, "DOC_SUGGEST", "b0", "\"rev\":0,\"op\":[\"x\"]", "not_open");
	cJSON_Delete(doc_open(alice, -1));
	assert_int_equal(edit(alice, "e0", 0, "[\"abc\"]"), 1);
	refused(alice, "DOC_SUGGEST", "b1", "\"rev\":1,\"op\":[5,\"x\"]", "bad_op");
	refused(alice, "DOC_SUGGEST", "b2", "\"rev\":1,\"op\":[3]", "bad_op");
	refused(alice, "DOC_SUGGEST", "b3", "\"rev\":9,\"op\":[3,\"x\"]", "bad_rev");
	refused(alice, "DOC_SUGGEST", "b4", "\"rev\":1,\"op\":[1,1]", "bad_op");
	refused(alice, "DOC_SUGGEST", "b5", "\"rev\":1,\"op\":{}", "bad_op");
	refused(alice, "SUGGEST_ACCEPT", "b6", "\"id\":77", "no_suggestion");
	refused(alice, "SUGGEST_REJECT", "b7", "\"id\":77", "no_suggestion");
	refused(alice, "SUGGEST_ACCEPT", "b8", "\"id\":-1", "bad_field");
	long long id = suggest(alice, "s1", 1, "[3,\"d\"]");
	cJSON_Delete(tc_expect(alice, "SUGGESTION", T));
	/* the same cid again: the same suggestion, not a second one */
	assert_int_equal(suggest(alice, "s1", 1, "[3,\"d\"]"), id);
	assert_true(tc_quiet(alice, "SUGGESTION", 200));
	/* made at 1, its text deleted since: bad_op */
	assert_int_equal(edit(alice, "e1", 1, "[-3]"), 2);
	refused(alice, "DOC_SUGGEST", "s2", "\"rev\":1,\"op\":[-3]", "bad_op");
	tc_free(alice);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(accept_after_many_concurrent_ops_gives_the_transformed_intent),
		IT_TEST(reject_and_dropped_close_it_and_tell_the_author),
		IT_TEST(suggestions_survive_a_restart_and_reach_a_client_back_with_since),
		IT_TEST(a_protected_document_lets_a_commenter_suggest_only),
		IT_TEST(bad_suggestions_are_refused_and_a_resend_is_recognised),
	};
	int rc = cmocka_run_group_tests_name("doc_suggest", tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
