/*
 * confabd's several documents over real sockets: DOC_LIST names a room's
 * documents with their heads, last edits and who has each open, a page at
 * a time; a user's presence says the document they were last active in
 * (opened, edited, moved a cursor in), changes when they switch, falls
 * back to another they still have open when they close it, and clears
 * when they close the last or disconnect; JOINED's members say it too; and
 * a document of a private room is never told to anyone outside it.
 */
#include "common.h"

#define ROOM "lobby"

static void
open_doc(struct tc *c, const char *room, const char *doc)
{
	tc_sendf(c, "{\"type\":\"DOC_OPEN\",\"room\":\"%s\",\"doc\":\"%s\"}", room, doc);
	cJSON_Delete(tc_expect_field(c, "DOC_STATE", "doc", doc, T));
}

static void
close_doc(struct tc *c, const char *room, const char *doc)
{
	char f[128];
	snprintf(f, sizeof f, "\"room\":\"%s\",\"doc\":\"%s\"", room, doc);
	it_ok(c, "DOC_CLOSE", "close", f);
}

static void
edit(struct tc *c, const char *doc, const char *cid, long long rev,
    const char *op)
{
	tc_sendf(c, "{\"type\":\"DOC_OP\",\"cid\":\"%s\",\"room\":\"" ROOM "\","
	    "\"doc\":\"%s\",\"rev\":%lld,\"op\":%s}", cid, doc, rev, op);
	cJSON *a = tc_expect_field(c, "ACK", "cid", cid, T);
	assert_non_null(a);
	assert_int_equal(tc_int(a, "rev"), rev + 1);
	cJSON_Delete(a);
}

/* A DOC_LIST page as "name@rev:user[viewer,viewer]/watching ..." and
 * whether more follow. */
static char *
list_of(struct tc *c, const char *room, const char *paging, bool *more)
{
	tc_sendf(c, "{\"type\":\"DOC_LIST\",\"cid\":\"dl\",\"room\":\"%s\"%s%s}", room,
	    paging ? "," : "", paging ? paging : "");
	cJSON *l = tc_expect_field(c, "DOC_LIST", "cid", "dl", T);
	assert_non_null(l);
	assert_string_equal(tc_str(l, "room"), room);
	char *out = calloc(1, 4096);
	size_t n = 0;
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(l, "docs")) {
		const char *user = tc_str(d, "user");
		if (user != NULL)
			assert_true(tc_int(d, "ts") > 1700000000000LL);
		else
			assert_null(cJSON_GetObjectItem(d, "ts"));
		n += (size_t)snprintf(out + n, 4096 - n, "%s%s@%lld:%s[", n ? " " : "",
		    tc_str(d, "name"), tc_int(d, "rev"), user ? user : "-");
		const cJSON *v;
		int k = 0;
		cJSON_ArrayForEach(v, cJSON_GetObjectItem(d, "viewers"))
			n += (size_t)snprintf(out + n, 4096 - n, "%s%s", k++ ? "," : "",
			    v->valuestring);
		n += (size_t)snprintf(out + n, 4096 - n, "]/%lld", tc_int(d, "watching"));
	}
	if (more != NULL)
		*more = cJSON_IsTrue(cJSON_GetObjectItem(l, "more"));
	cJSON_Delete(l);
	return out;
}

static void
assert_list(struct tc *c, const char *room, const char *paging, const char *want,
    bool want_more)
{
	bool more;
	char *got = list_of(c, room, paging, &more);
	if (strcmp(got, want) != 0)
		fail_msg("DOC_LIST %s: want \"%s\", got \"%s\"", paging ? paging : "",
		    want, got);
	assert_int_equal(more, want_more);
	free(got);
}

/* The next PRESENCE_UPDATE of user on c, its doc as "room/name" ("-" for
 * null), and its status in *status when not NULL. */
static char *
next_doc(struct tc *c, const char *user, char *status, size_t len)
{
	cJSON *p = tc_expect_field(c, "PRESENCE_UPDATE", "user", user, T);
	if (p == NULL)
		fail_msg("no PRESENCE_UPDATE of %s", user);
	const cJSON *d = cJSON_GetObjectItem(p, "doc");
	/* always there: null when in none */
	assert_non_null(d);
	char *out = malloc(160);
	assert_non_null(out);
	if (cJSON_IsNull(d))
		snprintf(out, 160, "-");
	else
		snprintf(out, 160, "%s/%s", tc_str(d, "room"), tc_str(d, "name"));
	if (status != NULL)
		snprintf(status, len, "%s", tc_str(p, "status"));
	cJSON_Delete(p);
	return out;
}

static void
expect_doc(struct tc *c, const char *user, const char *want)
{
	char *got = next_doc(c, user, NULL, 0);
	if (strcmp(got, want) != 0)
		fail_msg("%s's doc: want %s, got %s", user, want, got);
	free(got);
}

/* ---- DOC_LIST ------------------------------------------------------------ */

static void
the_list_names_heads_last_edits_and_who_is_in_each(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	struct tc *carol = it_joined(s, "carol", ROOM);
	it_join_quiet(bob, "dev");
	assert_list(carol, ROOM, NULL, "", false); /* none yet: an empty list */
	open_doc(alice, ROOM, "notes");
	edit(alice, "notes", "e1", 0, "[\"hello\"]");
	open_doc(bob, ROOM, "notes");
	edit(bob, "notes", "e2", 1, "[5,\" world\"]");
	open_doc(bob, ROOM, "plan");
	open_doc(bob, "dev", "other"); /* another room's: not listed */
	/* a user with two sessions in one document is one viewer */
	struct tc *bob2 = it_joined(s, "bob", ROOM);
	open_doc(bob2, ROOM, "notes");
	assert_list(carol, ROOM, NULL,
	    "notes@2:bob[alice,bob]/2 plan@0:-[bob]/1", false);

	/* closed, a document stays listed with nobody in it */
	close_doc(bob, ROOM, "plan");
	tc_free(alice); /* and disconnecting leaves it */
	tc_pump(100);
	assert_list(carol, ROOM, NULL, "notes@2:bob[bob]/1 plan@0:-[]/0", false);

	/* a page at a time, by name */
	assert_list(carol, ROOM, "\"limit\":1", "notes@2:bob[bob]/1", true);
	assert_list(carol, ROOM, "\"limit\":1,\"after\":\"notes\"", "plan@0:-[]/0",
	    false);
	assert_list(carol, ROOM, "\"after\":\"plan\"", "", false);
	assert_list(bob, "dev", NULL, "other@0:-[bob]/1", false);

	/* survives a restart, with nobody in any */
	tc_free(bob);
	tc_free(bob2);
	tc_free(carol);
	it_stop_clean(s);
	assert_true(srv_restart(s));
	carol = it_joined(s, "carol", ROOM);
	assert_list(carol, ROOM, NULL, "notes@2:bob[]/0 plan@0:-[]/0", false);
	tc_free(carol);
	it_stop(s);
}

static void
bad_list_requests_are_refused(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM);
	it_refused(alice, "DOC_LIST", "l1", "\"room\":\"dev\"", "not_joined");
	it_refused(alice, "DOC_LIST", "l2", "\"room\":\"" ROOM "\",\"limit\":101",
	    "bad_field");
	it_refused(alice, "DOC_LIST", "l3", "\"room\":\"" ROOM "\",\"after\":\"A B\"",
	    "bad_field");
	tc_send(alice, "{\"type\":\"DOC_LIST\",\"room\":\"" ROOM "\"}"); /* no cid */
	it_expect_error(alice, "bad_field", NULL);
	/* the session goes on */
	assert_list(alice, ROOM, "\"limit\":100", "", false);
	tc_free(alice);
	it_stop(s);
}

/* ---- presence ------------------------------------------------------------ */

static void
presence_follows_the_document_last_used(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	tc_drain(bob);
	tc_drain(alice);
	open_doc(alice, ROOM, "notes");
	expect_doc(bob, "alice", ROOM "/notes");
	expect_doc(alice, "alice", ROOM "/notes"); /* her own sessions too */
	open_doc(alice, ROOM, "plan");
	expect_doc(bob, "alice", ROOM "/plan");
	/* a cursor moved in notes brings her back there */
	tc_send(alice, "{\"type\":\"CURSOR\",\"room\":\"" ROOM "\",\"doc\":\"notes\","
	    "\"rev\":0,\"sel\":[0,0]}");
	expect_doc(bob, "alice", ROOM "/notes");
	edit(alice, "plan", "e1", 0, "[\"x\"]"); /* and an edit to plan */
	expect_doc(bob, "alice", ROOM "/plan");
	/* more activity where she is already says nothing new */
	edit(alice, "plan", "e2", 1, "[1,\"y\"]");
	assert_true(tc_quiet(bob, "PRESENCE_UPDATE", 300));

	/* closing it falls back to the other one still open, then to none */
	close_doc(alice, ROOM, "plan");
	expect_doc(bob, "alice", ROOM "/notes");
	close_doc(alice, ROOM, "notes");
	expect_doc(bob, "alice", "-");

	/* a late joiner sees it in JOINED's members */
	open_doc(alice, ROOM, "notes");
	expect_doc(bob, "alice", ROOM "/notes");
	struct tc *carol = it_login(s, "carol");
	cJSON *j = it_join(carol, ROOM);
	const cJSON *m;
	bool seen = false;
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(j, "members")) {
		const cJSON *d = cJSON_GetObjectItem(m, "doc");
		if (strcmp(tc_str(m, "user"), "alice") == 0) {
			seen = true;
			assert_string_equal(tc_str(d, "room"), ROOM);
			assert_string_equal(tc_str(d, "name"), "notes");
		} else {
			assert_null(d); /* in none: left out */
		}
	}
	assert_true(seen);
	cJSON_Delete(j);

	/* disconnecting: offline, in none, in one frame */
	tc_free(alice);
	char status[16];
	char *doc = next_doc(bob, "alice", status, sizeof status);
	assert_string_equal(status, "offline");
	assert_string_equal(doc, "-");
	free(doc);
	tc_free(carol);
	tc_free(bob);
	it_stop(s);
}

static void
another_session_keeps_the_user_in_its_document(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *a1 = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	open_doc(a1, ROOM, "notes");
	expect_doc(bob, "alice", ROOM "/notes");
	struct tc *a2 = it_joined(s, "alice", ROOM);
	open_doc(a2, ROOM, "plan");
	expect_doc(bob, "alice", ROOM "/plan");
	/* the second session goes: alice is online still, back in notes */
	tc_free(a2);
	char status[16];
	char *doc = next_doc(bob, "alice", status, sizeof status);
	assert_string_equal(status, "online");
	assert_string_equal(doc, ROOM "/notes");
	free(doc);
	/* leaving the room closes its documents: in none */
	it_ok(a1, "LEAVE", "lv", "\"room\":\"" ROOM "\"");
	tc_free(a1);
	tc_free(bob);
	it_stop(s);
}

static void
a_private_rooms_document_is_told_only_inside_it(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", ROOM), *bob = it_joined(s, "bob", ROOM);
	struct tc *carol = it_joined(s, "carol", ROOM);
	it_join_quiet(alice, "secret");
	it_ok(alice, "ROOM_MODE", "m", "\"room\":\"secret\",\"private\":true");
	it_ok(alice, "INVITE", "i", "\"room\":\"secret\",\"user\":\"carol\"");
	it_join_quiet(carol, "secret");
	tc_drain(bob);
	tc_drain(carol);

	open_doc(alice, "secret", "plan");
	expect_doc(carol, "alice", "secret/plan");
	expect_doc(bob, "alice", "-"); /* bob shares only the lobby */
	open_doc(alice, ROOM, "notes");
	expect_doc(bob, "alice", ROOM "/notes");
	expect_doc(carol, "alice", ROOM "/notes");
	tc_send(alice, "{\"type\":\"CURSOR\",\"room\":\"secret\",\"doc\":\"plan\","
	    "\"rev\":0,\"sel\":[0,0]}");
	expect_doc(carol, "alice", "secret/plan");
	expect_doc(bob, "alice", "-");

	/* a late joiner of the lobby is not told either; nor may bob list */
	struct tc *dave = it_login(s, "dave");
	cJSON *j = it_join(dave, ROOM);
	char *text = cJSON_PrintUnformatted(j);
	assert_null(strstr(text, "secret"));
	free(text);
	cJSON_Delete(j);
	it_refused(bob, "DOC_LIST", "l", "\"room\":\"secret\"", "not_joined");
	assert_list(carol, "secret", NULL, "plan@0:-[alice]/1", false);

	/* nothing bob received names the room */
	tc_pump(100);
	cJSON *f;
	while ((f = tc_recv(bob, 50)) != NULL) {
		char *t = cJSON_PrintUnformatted(f);
		if (strstr(t, "secret") != NULL)
			fail_msg("bob was told: %s", t);
		free(t);
		cJSON_Delete(f);
	}
	tc_free(dave);
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(the_list_names_heads_last_edits_and_who_is_in_each),
		IT_TEST(bad_list_requests_are_refused),
		IT_TEST(presence_follows_the_document_last_used),
		IT_TEST(another_session_keeps_the_user_in_its_document),
		IT_TEST(a_private_rooms_document_is_told_only_inside_it),
	};
	int rc = cmocka_run_group_tests_name("doc_list", tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
