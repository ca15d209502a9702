/*
 * confabd's named versions of a document over real sockets: DOC_TAG names
 * a revision (ACKed once stored), a name moves when used again, the names
 * come in DOC_HISTORY's answer and survive a restart, bad requests are
 * refused and change nothing, and a restore is an ordinary DOC_OP from the
 * head to the old text: one new revision by whoever restored.
 */
#include <signal.h>

#include "common.h"
#include "model/textdiff.h"

#define ROOM "lobby"
#define DOC "notes"
#define WHERE "\"room\":\"" ROOM "\",\"doc\":\"" DOC "\""

static void
doc_open(struct tc *c)
{
	tc_send(c, "{\"type\":\"DOC_OPEN\"," WHERE "}");
	cJSON_Delete(tc_expect(c, "DOC_STATE", T));
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

static void
tag(struct tc *c, const char *cid, long long rev, const char *name)
{
	char fields[160];
	snprintf(fields, sizeof fields, WHERE ",\"rev\":%lld,\"name\":\"%s\"", rev, name);
	cJSON *a = it_ack(c, "DOC_TAG", cid, fields);
	assert_string_equal(tc_str(a, "doc"), DOC);
	assert_int_equal(tc_int(a, "rev"), rev);
	cJSON_Delete(a);
}

static char *
doc_get(struct tc *c, long long rev)
{
	tc_sendf(c, "{\"type\":\"DOC_GET\"," WHERE ",\"rev\":%lld,\"cid\":\"g%lld\"}",
	    rev, rev);
	cJSON *t = tc_expect(c, "DOC_TEXT", T);
	assert_non_null(t);
	assert_int_equal(tc_int(t, "rev"), rev);
	char *text = strdup(tc_str(t, "text"));
	cJSON_Delete(t);
	return text;
}

/* DOC_HISTORY's tags as "name@rev:user name@rev:user" (tags left out: ""). */
static char *
tags_of(struct tc *c)
{
	tc_send(c, "{\"type\":\"DOC_HISTORY\"," WHERE ",\"cid\":\"th\"}");
	cJSON *h = tc_expect_field(c, "DOC_HISTORY", "cid", "th", T);
	assert_non_null(h);
	char *out = calloc(1, 4096);
	const cJSON *tags = cJSON_GetObjectItem(h, "tags"), *t;
	size_t n = 0;
	cJSON_ArrayForEach(t, tags) {
		assert_true(tc_int(t, "ts") > 1700000000000LL);
		n += (size_t)snprintf(out + n, 4096 - n, "%s%s@%lld:%s", n ? " " : "",
		    tc_str(t, "name"), tc_int(t, "rev"), tc_str(t, "user"));
	}
	if (tags != NULL)
		assert_true(cJSON_GetArraySize(tags) > 0); /* never an empty list */
	cJSON_Delete(h);
	return out;
}

static void
assert_tags(struct tc *c, const char *want)
{
	char *got = tags_of(c);
	assert_string_equal(got, want);
	free(got);
}

static void
names_are_listed_move_when_reused_and_survive_a_restart(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	doc_open(alice);
	doc_open(bob);
	assert_tags(alice, ""); /* no tags: the field is left out */
	assert_int_equal(edit(alice, "e1", 0, "[\"one\\n\"]"), 1);
	assert_int_equal(edit(alice, "e2", 1, "[4,\"two\\n\"]"), 2);
	assert_int_equal(edit(alice, "e3", 2, "[8,\"three\\n\"]"), 3);
	tag(alice, "t1", 1, "draft");
	tag(alice, "t2", 3, "v1.0");
	tag(bob, "t3", 0, "empty");
	assert_tags(bob, "empty@0:bob draft@1:alice v1.0@3:alice");
	/* the same name again moves it, by whoever moved it */
	tag(bob, "t4", 2, "draft");
	assert_tags(alice, "empty@0:bob draft@2:bob v1.0@3:alice");

	it_stop_clean(s);
	tc_free(alice);
	tc_free(bob);
	assert_true(srv_restart(s));
	alice = it_joined(s, "alice", ROOM);
	/* listed without the document open */
	assert_tags(alice, "empty@0:bob draft@2:bob v1.0@3:alice");
	tc_free(alice);
	it_stop(s);
}

static void
a_restore_is_one_new_revision_by_the_restorer(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	doc_open(alice);
	doc_open(bob);
	assert_int_equal(edit(alice, "e1", 0, "[\"keep this\\n\"]"), 1);
	tag(alice, "good", 1, "good");
	assert_int_equal(edit(alice, "e2", 1, "[\"changed\",-9,1]"), 2);
	assert_int_equal(edit(alice, "e3", 2, "[8,\"\\nmore\"]"), 3);
	cJSON_Delete(tc_expect_field(bob, "DOC_OP", "cid", "e3", T));

	/* bob restores "good" (revision 1): the op from the head to its text */
	char *old = doc_get(bob, 1), *head = doc_get(bob, 3);
	struct ot_op op;
	assert_true(textdiff_op(head, strlen(head), old, strlen(old), &op));
	char *json = ot_encode(&op);
	assert_int_equal(edit(bob, "r1", 3, json), 4);
	cJSON *seen = tc_expect_field(alice, "DOC_OP", "cid", "r1", T);
	assert_non_null(seen);
	assert_string_equal(tc_str(seen, "user"), "bob");
	assert_int_equal(tc_int(seen, "rev"), 4);
	cJSON_Delete(seen);
	char *now = doc_get(alice, 4), *before = doc_get(alice, 3);
	assert_string_equal(now, old);
	assert_string_equal(before, head); /* nothing before it is lost */
	tc_send(alice, "{\"type\":\"DOC_HISTORY\"," WHERE ",\"before\":5,\"limit\":1}");
	cJSON *h = tc_expect(alice, "DOC_HISTORY", T);
	const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(h, "revisions"), 0);
	assert_int_equal(tc_int(r, "rev"), 4);
	assert_string_equal(tc_str(r, "user"), "bob");
	cJSON_Delete(h);
	free(json);
	ot_free(&op);
	free(old);
	free(head);
	free(now);
	free(before);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
bad_tags_are_refused_and_change_nothing(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	struct tc *carol = it_login(s, "carol");
	doc_open(alice);
	assert_int_equal(edit(alice, "e1", 0, "[\"x\"]"), 1);
	tag(alice, "t0", 1, "v1");
	it_refused(alice, "DOC_TAG", "u1", WHERE ",\"rev\":2,\"name\":\"v2\"", "bad_rev");
	static const char *const bad[] = {"Caps", "12", "", "a b", "v1/2",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char fields[160];
		snprintf(fields, sizeof fields, WHERE ",\"rev\":1,\"name\":\"%s\"", bad[i]);
		it_refused(alice, "DOC_TAG", "b1", fields, "bad_field");
	}
	it_refused(alice, "DOC_TAG", "b2", WHERE ",\"rev\":1", "bad_field");
	it_refused(alice, "DOC_TAG", "b3", WHERE ",\"name\":\"v3\"", "bad_field");
	/* bob has joined but not opened it; carol has not joined the room */
	it_refused(bob, "DOC_TAG", "n1", WHERE ",\"rev\":1,\"name\":\"v1\"", "not_open");
	it_refused(carol, "DOC_TAG", "n2", WHERE ",\"rev\":0,\"name\":\"v1\"",
	    "not_joined");
	assert_tags(alice, "v1@1:alice");
	/* a cid is needed: the answer is an ACK */
	tc_send(alice, "{\"type\":\"DOC_TAG\"," WHERE ",\"rev\":1,\"name\":\"v9\"}");
	it_expect_error(alice, "bad_field", NULL);
	assert_tags(alice, "v1@1:alice");
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(names_are_listed_move_when_reused_and_survive_a_restart),
		IT_TEST(a_restore_is_one_new_revision_by_the_restorer),
		IT_TEST(bad_tags_are_refused_and_change_nothing),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
