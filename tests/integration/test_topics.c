/*
 * confabd over real sockets: rooms' topics and the directory of public
 * rooms (docs/protocol.md, "Read marks, search, topics and the
 * directory"). Any member sets a public room's topic, only the owner and
 * moderators a private one's; the topic reaches the room live and comes in
 * JOINED, after a restart too; ROOMS names public rooms only, by name,
 * filtered and paged.
 */

#include "common.h"

static void
topic_seen(struct tc *c, const char *room, const char *text, const char *by)
{
	cJSON *t = tc_expect_field(c, "TOPIC", "room", room, T);
	if (t == NULL)
		fail_msg("no TOPIC of %s", room);
	assert_string_equal(tc_str(t, "text"), text);
	assert_string_equal(tc_str(t, "by"), by);
	assert_true(tc_int(t, "ts") > 0);
	cJSON_Delete(t);
}

static void
topics__a_member_of_a_public_room__sets_it_live_and_in_joined(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	struct tc *bob = it_login(s, "bob");
	cJSON *j = it_join(alice, "dev");
	assert_null(cJSON_GetObjectItem(j, "topic"));
	cJSON_Delete(j);
	it_join_quiet(bob, "dev");
	it_ok(bob, "TOPIC", "t1", "\"room\":\"dev\",\"text\":\"ship it — Friday\"");
	topic_seen(alice, "dev", "ship it — Friday", "bob");
	topic_seen(bob, "dev", "ship it — Friday", "bob");
	it_refused(bob, "TOPIC", "t2", "\"room\":\"ops\",\"text\":\"x\"", "not_joined");

	char big[1200] = "";
	for (int i = 0; i < 501; i++)
		strcat(big, "x");
	char f[1300];
	snprintf(f, sizeof f, "\"room\":\"dev\",\"text\":\"%s\"", big);
	it_refused(bob, "TOPIC", "t3", f, "too_large");
	tc_free(alice);
	tc_free(bob);

	it_stop_clean(s);
	assert_true(srv_restart(s));
	struct tc *carol = it_login(s, "carol");
	j = it_join(carol, "dev");
	assert_string_equal(tc_str(j, "topic"), "ship it — Friday");
	cJSON_Delete(j);
	/* an empty topic clears it */
	it_ok(carol, "TOPIC", "t4", "\"room\":\"dev\",\"text\":\"\"");
	topic_seen(carol, "dev", "", "carol");
	tc_free(carol);
	struct tc *dave = it_login(s, "dave");
	j = it_join(dave, "dev");
	assert_null(cJSON_GetObjectItem(j, "topic"));
	cJSON_Delete(j);
	tc_free(dave);
	it_stop_clean(s);
	it_stop(s);
}

static void
topics__of_a_private_room__are_for_its_owner_and_moderators(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "secret");
	struct tc *bob = it_login(s, "bob");
	it_ok(alice, "ROOM_MODE", "m", "\"room\":\"secret\",\"private\":true");
	it_ok(alice, "INVITE", "i", "\"room\":\"secret\",\"user\":\"bob\"");
	it_join_quiet(bob, "secret");
	it_refused(bob, "TOPIC", "t1", "\"room\":\"secret\",\"text\":\"mine\"",
	    "forbidden");
	it_ok(alice, "TOPIC", "t2", "\"room\":\"secret\",\"text\":\"the plan\"");
	topic_seen(bob, "secret", "the plan", "alice");
	topic_seen(alice, "secret", "the plan", "alice");
	it_ok(alice, "OP", "o", "\"room\":\"secret\",\"user\":\"bob\"");
	it_ok(bob, "TOPIC", "t3", "\"room\":\"secret\",\"text\":\"bob's plan\"");
	topic_seen(alice, "secret", "bob's plan", "bob");
	tc_free(alice);
	tc_free(bob);
	it_stop_clean(s);
	it_stop(s);
}

/* ROOMS' answer to fields, as "name:topic:members,..."; *more set. */
static char *
directory(struct tc *c, const char *cid, const char *fields, bool *more)
{
	tc_sendf(c, "{\"type\":\"ROOMS\",\"cid\":\"%s\"%s%s}", cid,
	    *fields ? "," : "", fields);
	cJSON *r = tc_expect_field(c, "ROOMS", "cid", cid, T);
	if (r == NULL)
		fail_msg("no ROOMS for %s", fields);
	*more = cJSON_IsTrue(cJSON_GetObjectItem(r, "more"));
	static char out[512];
	out[0] = '\0';
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(r, "rooms")) {
		char one[128];
		snprintf(one, sizeof one, "%s%s:%s:%lld", out[0] ? "," : "",
		    tc_str(e, "room"), tc_str(e, "topic") ? tc_str(e, "topic") : "?",
		    tc_int(e, "members"));
		strcat(out, one);
	}
	cJSON_Delete(r);
	return out;
}

static void
topics__the_directory__lists_public_rooms_filtered_and_paged(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob = it_joined(s, "bob", "dev");
	it_join_quiet(alice, "design");
	it_join_quiet(alice, "ops");
	it_join_quiet(alice, "hidden");
	it_ok(alice, "ROOM_MODE", "m", "\"room\":\"hidden\",\"private\":true");
	it_join_quiet(alice, "@alice+bob");
	it_ok(alice, "TOPIC", "t1", "\"room\":\"ops\",\"text\":\"Pager duty\"");
	it_ok(alice, "TOPIC", "t2", "\"room\":\"hidden\",\"text\":\"dev secrets\"");

	struct tc *carol = it_login(s, "carol"); /* in none of them */
	bool more;
	assert_string_equal(directory(carol, "l1", "", &more),
	    "design::1,dev::2,ops:Pager duty:1");
	assert_false(more);
	assert_string_equal(directory(carol, "l2", "\"limit\":2", &more),
	    "design::1,dev::2");
	assert_true(more);
	assert_string_equal(directory(carol, "l3", "\"limit\":2,\"after\":\"dev\"",
	    &more), "ops:Pager duty:1");
	assert_false(more);
	/* the query matches names and topics; a private room's never */
	assert_string_equal(directory(carol, "l4", "\"query\":\"de\"", &more),
	    "design::1,dev::2");
	assert_string_equal(directory(carol, "l5", "\"query\":\"DUTY\"", &more),
	    "ops:Pager duty:1");
	assert_string_equal(directory(carol, "l6", "\"query\":\"secrets\"", &more),
	    "");
	assert_string_equal(directory(carol, "l7", "\"query\":\"hidden\"", &more),
	    "");
	it_refused(carol, "ROOMS", "l8", "\"limit\":0", "bad_field");
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop_clean(s);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(topics__a_member_of_a_public_room__sets_it_live_and_in_joined),
		IT_TEST(topics__of_a_private_room__are_for_its_owner_and_moderators),
		IT_TEST(topics__the_directory__lists_public_rooms_filtered_and_paged),
	};
	int rc = cmocka_run_group_tests_name("topics", tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
