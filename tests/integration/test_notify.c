/*
 * confabd over real sockets: notifications (mentions, direct messages, a
 * join for the room's creator) and direct-message rooms, as
 * docs/protocol.md "Notifications" and "Direct messages" describe them.
 */
#include <signal.h>

#include "common.h"

#define DM "@alice+bob"

/* Logs in and returns the WELCOME's unread count in *unread. */
static struct tc *
login_unread(const struct srv *s, const char *user, long long *unread)
{
	struct tc *c = tc_connect(s->port, NULL);
	assert_non_null(c);
	tc_sendf(c, "{\"type\":\"HELLO\",\"user\":\"%s\"}", user);
	cJSON *w = tc_expect(c, "WELCOME", T);
	assert_non_null(w);
	*unread = tc_int(w, "unread");
	cJSON_Delete(w);
	return c;
}

/* The next NOTIFICATION, which must come. */
static cJSON *
expect_note(struct tc *c)
{
	cJSON *n = tc_expect(c, "NOTIFICATION", T);
	assert_non_null(n);
	assert_true(tc_int(n, "id") > 0);
	assert_non_null(tc_str(n, "title"));
	assert_non_null(tc_str(n, "message"));
	assert_true(tc_int(n, "ts") > 0);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(n, "read")));
	return n;
}

static bool
quiet(struct tc *c)
{
	return tc_quiet(c, "NOTIFICATION", 300);
}

/* A NOTIFICATIONS page; extra is more JSON fields (may be ""). */
static cJSON *
page(struct tc *c, const char *extra)
{
	tc_sendf(c, "{\"type\":\"NOTIFICATIONS\",\"cid\":\"pg\"%s}", extra);
	cJSON *p = tc_expect(c, "NOTIFICATIONS", T);
	assert_non_null(p);
	assert_string_equal(tc_str(p, "cid"), "pg");
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(p, "notifications")));
	return p;
}

static int
page_len(const cJSON *p)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(p, "notifications"));
}

static long long
page_id(const cJSON *p, int i)
{
	return tc_int(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "notifications"), i),
	    "id");
}

static cJSON *
expect_read(struct tc *c, long long unread)
{
	cJSON *r = tc_expect(c, "NOTIFICATION_READ", T);
	assert_non_null(r);
	assert_int_equal(tc_int(r, "unread"), unread);
	return r;
}

static void
expect_ack(struct tc *c, const char *cid)
{
	cJSON *a = tc_expect_field(c, "ACK", "cid", cid, T);
	assert_non_null(a);
	cJSON_Delete(a);
}

/* ---- mentions ------------------------------------------------------------ */

static void
a_mention_notifies_the_mentioned_member_once_and_nobody_else(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	struct tc *carol = it_login(s, "carol"), *dave = it_login(s, "dave");
	/* the room's creator leaves it, so joins notify nobody here */
	struct tc *zoe = it_login(s, "zoe");
	it_join_quiet(zoe, "lobby");
	tc_send(zoe, "{\"type\":\"LEAVE\",\"room\":\"lobby\",\"cid\":\"z\"}");
	expect_ack(zoe, "z");
	tc_free(zoe);
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");
	it_join_quiet(carol, "lobby");
	long long seq = it_say(alice, "lobby", "m1",
	    "hey @bob and @BOB, also @alice and @dave");

	cJSON *n = expect_note(bob);
	assert_string_equal(tc_str(n, "level"), "info");
	assert_string_equal(tc_str(n, "kind"), "mention");
	assert_string_equal(tc_str(n, "title"), "alice in lobby");
	assert_string_equal(tc_str(n, "message"), "hey @bob and @BOB, also @alice and @dave");
	assert_string_equal(tc_str(n, "room"), "lobby");
	assert_int_equal(tc_int(n, "seq"), seq);
	assert_int_equal(tc_int(n, "unread"), 1);
	long long id = tc_int(n, "id");
	cJSON_Delete(n);
	assert_true(quiet(bob));       /* once, however often it names bob */
	assert_true(quiet(alice));     /* never the sender */
	assert_true(quiet(carol));     /* not mentioned */
	assert_true(quiet(dave));      /* mentioned, but not a member */

	cJSON *p = page(bob, "");
	assert_int_equal(page_len(p), 1);
	assert_int_equal(page_id(p, 0), id);
	assert_int_equal(tc_int(p, "unread"), 1);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(p, "more")));
	cJSON_Delete(p);
	for (struct tc **c = (struct tc *[]){alice, carol, dave, NULL}; *c; c++) {
		p = page(*c, "");
		assert_int_equal(page_len(p), 0);
		assert_int_equal(tc_int(p, "unread"), 0);
		cJSON_Delete(p);
	}
	/* a resent message (same cid) notifies nobody again */
	assert_int_equal(it_say(alice, "lobby", "m1", "hey @bob"), seq);
	assert_true(quiet(bob));
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	tc_free(dave);
	it_stop(s);
}

static void
a_notification_reaches_every_session_and_a_mark_reaches_the_others(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	struct tc *b1 = it_login(s, "bob"), *b2 = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(b1, "lobby"); /* b2 has not joined: it is told all the same */
	it_say(alice, "lobby", "m1", "@bob one");
	cJSON *n1 = expect_note(b1), *n2 = expect_note(b2);
	long long id = tc_int(n1, "id");
	assert_int_equal(tc_int(n2, "id"), id);
	cJSON_Delete(n1);
	cJSON_Delete(n2);

	tc_sendf(b1, "{\"type\":\"MARK_READ\",\"id\":%lld,\"cid\":\"r1\"}", id);
	expect_ack(b1, "r1");
	cJSON *r = expect_read(b1, 0);
	assert_int_equal(tc_int(r, "id"), id);
	cJSON_Delete(r);
	r = expect_read(b2, 0);
	assert_int_equal(tc_int(r, "id"), id);
	cJSON_Delete(r);
	assert_true(tc_quiet(alice, "NOTIFICATION_READ", 200));

	/* marking it again is no error */
	tc_sendf(b2, "{\"type\":\"MARK_READ\",\"id\":%lld,\"cid\":\"r2\"}", id);
	expect_ack(b2, "r2");
	cJSON_Delete(expect_read(b2, 0));
	cJSON_Delete(expect_read(b1, 0));

	it_say(alice, "lobby", "m2", "@bob two");
	it_say(alice, "lobby", "m3", "@bob three");
	n1 = expect_note(b2);
	n2 = expect_note(b2);
	assert_int_equal(tc_int(n2, "unread"), 2);
	long long second = tc_int(n1, "id");
	cJSON_Delete(n1);
	cJSON_Delete(n2);
	tc_discard(b1);
	tc_sendf(b2, "{\"type\":\"MARK_ALL_READ\",\"upto\":%lld,\"cid\":\"ra\"}", second);
	expect_ack(b2, "ra");
	r = expect_read(b1, 1);
	assert_int_equal(tc_int(r, "upto"), second);
	cJSON_Delete(r);
	cJSON_Delete(expect_read(b2, 1));
	tc_send(b1, "{\"type\":\"MARK_ALL_READ\"}");
	cJSON_Delete(expect_read(b1, 0));
	cJSON_Delete(expect_read(b2, 0));
	tc_free(alice);
	tc_free(b1);
	tc_free(b2);
	it_stop(s);
}

static void
an_offline_user_finds_notifications_on_connecting_and_never_twice(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");
	tc_free(bob);
	it_say(alice, "lobby", "m1", "@bob first");
	it_say(alice, "lobby", "m2", "@bob second");

	long long unread = -1, ids[2];
	for (int round = 0; round < 2; round++) {
		bob = login_unread(s, "bob", &unread);
		assert_int_equal(unread, 2);
		cJSON *p = page(bob, "");
		assert_int_equal(page_len(p), 2);
		if (round == 0) {
			ids[0] = page_id(p, 0);
			ids[1] = page_id(p, 1);
			assert_true(ids[0] > ids[1]); /* newest first */
		} else {
			assert_int_equal(page_id(p, 0), ids[0]);
			assert_int_equal(page_id(p, 1), ids[1]);
		}
		cJSON_Delete(p);
		assert_true(quiet(bob)); /* what was stored is not pushed again */
		tc_free(bob);
	}
	bob = login_unread(s, "bob", &unread);
	tc_sendf(bob, "{\"type\":\"MARK_READ\",\"id\":%lld}", ids[1]);
	cJSON_Delete(expect_read(bob, 1));
	tc_free(bob);
	bob = login_unread(s, "bob", &unread);
	assert_int_equal(unread, 1);
	cJSON *p = page(bob, "");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(p, "notifications"), 1), "read")));
	cJSON_Delete(p);
	tc_free(bob);
	tc_free(alice);
	it_stop(s);
}

static void
notifications_page_newest_first_with_before_and_limit(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");
	for (int i = 0; i < 5; i++) {
		char cid[8];
		snprintf(cid, sizeof cid, "m%d", i);
		it_say(alice, "lobby", cid, "@bob ping");
	}
	for (int i = 0; i < 5; i++)
		cJSON_Delete(expect_note(bob));
	cJSON *p = page(bob, ",\"limit\":2");
	assert_int_equal(page_len(p), 2);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(p, "more")));
	long long last = page_id(p, 1);
	assert_true(page_id(p, 0) > last);
	cJSON_Delete(p);
	char extra[64];
	snprintf(extra, sizeof extra, ",\"before\":%lld,\"limit\":3", last);
	p = page(bob, extra);
	assert_int_equal(page_len(p), 3);
	assert_true(page_id(p, 0) < last);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(p, "more")));
	assert_int_equal(tc_int(p, "before"), last);
	assert_int_equal(tc_int(p, "unread"), 5);
	cJSON_Delete(p);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

/* ---- direct messages ----------------------------------------------------- */

static void
a_direct_message_notifies_the_other_user_with_room_and_seq(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, DM);
	long long seq = it_say(alice, DM, "d1", "hi bob");
	cJSON *n = expect_note(bob);
	assert_string_equal(tc_str(n, "level"), "info");
	assert_string_equal(tc_str(n, "kind"), "dm");
	assert_string_equal(tc_str(n, "title"), "alice");
	assert_string_equal(tc_str(n, "message"), "hi bob");
	assert_string_equal(tc_str(n, "room"), DM);
	assert_int_equal(tc_int(n, "seq"), seq);
	cJSON_Delete(n);
	assert_true(quiet(alice));
	/* a mention in a direct message is still one notification */
	it_say(alice, DM, "d2", "@bob are you there?");
	cJSON_Delete(expect_note(bob));
	assert_true(quiet(bob));

	cJSON *j = it_join(bob, DM);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "messages")), 2);
	cJSON_Delete(j);
	it_say(bob, DM, "d1", "hi alice");
	n = expect_note(alice);
	assert_string_equal(tc_str(n, "title"), "bob");
	cJSON_Delete(n);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
joining_a_direct_message_room_makes_both_users_members(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	tc_free(it_login(s, "bob")); /* bob is known, and offline */
	cJSON *j = NULL;
	for (int i = 0; i < 100 && j == NULL; i++) {
		/* until the server has seen bob go: till then he is online */
		tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"" DM "\"}");
		j = tc_expect(alice, "JOINED", T);
		const cJSON *mem = cJSON_GetObjectItem(j, "members");
		if (strcmp(tc_str(cJSON_GetArrayItem(mem, 1), "status"), "offline") != 0) {
			cJSON_Delete(j);
			j = NULL;
			tc_pump(50);
		}
	}
	assert_non_null(j);
	cJSON *mem = cJSON_GetObjectItem(j, "members");
	assert_int_equal(cJSON_GetArraySize(mem), 2);
	assert_string_equal(tc_str(cJSON_GetArrayItem(mem, 0), "user"), "alice");
	assert_string_equal(tc_str(cJSON_GetArrayItem(mem, 1), "user"), "bob");
	assert_string_equal(tc_str(cJSON_GetArrayItem(mem, 1), "status"), "offline");
	cJSON_Delete(j);
	tc_drain(alice);
	/* bob shares the room now: his coming online reaches alice there */
	struct tc *bob = it_login(s, "bob");
	cJSON *pu = tc_expect_field(alice, "PRESENCE_UPDATE", "user", "bob", T);
	assert_non_null(pu);
	assert_string_equal(tc_str(pu, "status"), "online");
	cJSON_Delete(pu);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}


static void
a_direct_message_to_someone_the_server_never_saw_is_refused(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"@alice+nosuch\",\"cid\":\"j1\"}");
	cJSON *e = tc_expect(alice, "ERROR", T);
	assert_non_null(e);
	assert_string_equal(tc_str(e, "code"), "unknown_user");
	assert_string_equal(tc_str(e, "cid"), "j1");
	assert_string_equal(tc_str(e, "reason"), "no user nosuch on this server");
	cJSON_Delete(e);
	tc_send(alice, "{\"type\":\"MESSAGE\",\"room\":\"@alice+nosuch\","
	    "\"cid\":\"m1\",\"text\":\"hello?\"}");
	it_expect_error(alice, "unknown_user", "m1");
	/* nothing was made: a user who signs up later finds no room */
	struct tc *late = it_login(s, "nosuch");
	cJSON *h = it_join(late, "@alice+nosuch");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(h, "messages")), 0);
	cJSON_Delete(h);
	tc_free(late);
	tc_free(alice);
	it_stop(s);
}

static void
a_join_notifies_the_creator_once_not_after_each_leave_and_rejoin(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "plans");
	it_join_quiet(bob, "plans");
	cJSON_Delete(expect_note(alice));
	for (int i = 0; i < 3; i++) {
		char leave[96];
		snprintf(leave, sizeof leave, "{\"type\":\"LEAVE\",\"room\":\"plans\","
		    "\"cid\":\"l%d\"}", i);
		tc_send(bob, leave);
		char cid[8];
		snprintf(cid, sizeof cid, "l%d", i);
		expect_ack(bob, cid);
		it_join_quiet(bob, "plans");
	}
	tc_pump(200);
	assert_true(quiet(alice));
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

/* Every way into a direct-message room of two others is refused alike. */
static void
refuse_all(struct tc *c, const char *room)
{
	tc_sendf(c, "{\"type\":\"JOIN\",\"room\":\"%s\",\"cid\":\"j\"}", room);
	it_expect_error(c, "forbidden", "j");
	tc_sendf(c, "{\"type\":\"HISTORY\",\"room\":\"%s\",\"cid\":\"h\"}", room);
	it_expect_error(c, "forbidden", "h");
	tc_sendf(c, "{\"type\":\"MESSAGE\",\"room\":\"%s\",\"cid\":\"m\",\"text\":\"x\"}",
	    room);
	it_expect_error(c, "forbidden", "m");
	tc_sendf(c, "{\"type\":\"TYPING\",\"room\":\"%s\",\"active\":true}", room);
	it_expect_error(c, "forbidden", NULL);
	tc_sendf(c, "{\"type\":\"LEAVE\",\"room\":\"%s\",\"cid\":\"l\"}", room);
	it_expect_error(c, "forbidden", "l");
	tc_sendf(c, "{\"type\":\"DOC_OPEN\",\"room\":\"%s\",\"doc\":\"notes\",\"cid\":\"o\"}",
	    room);
	it_expect_error(c, "forbidden", "o");
	tc_sendf(c, "{\"type\":\"DOC_GET\",\"room\":\"%s\",\"doc\":\"notes\",\"rev\":0,"
	    "\"cid\":\"g\"}", room);
	it_expect_error(c, "forbidden", "g");
	tc_sendf(c, "{\"type\":\"DOC_OP\",\"room\":\"%s\",\"doc\":\"notes\",\"rev\":0,"
	    "\"op\":[\"x\"],\"cid\":\"e\"}", room);
	it_expect_error(c, "forbidden", "e");
}

static void
a_third_user_can_neither_join_read_write_nor_open_a_direct_message_room(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	struct tc *carol = it_login(s, "carol");
	it_join_quiet(alice, DM);
	it_join_quiet(bob, DM);
	it_say(alice, DM, "d1", "secret");
	tc_send(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"" DM "\",\"doc\":\"notes\"}");
	cJSON_Delete(tc_expect(alice, "DOC_STATE", T));

	refuse_all(carol, DM);          /* a room that exists */
	refuse_all(carol, "@alice+dave"); /* and one that does not: the same */
	struct tc *c2 = tc_connect(s->port, NULL);
	assert_non_null(c2);
	tc_send(c2, "{\"type\":\"HELLO\",\"user\":\"carol\",\"resume\":{\"" DM "\":0}}");
	cJSON_Delete(tc_expect(c2, "WELCOME", T));
	it_expect_error(c2, "forbidden", NULL);

	/* life goes on in the room; none of it reaches carol */
	it_say(alice, DM, "d2", "@carol cannot see this");
	tc_send(bob, "{\"type\":\"TYPING\",\"room\":\"" DM "\",\"active\":true}");
	tc_send(alice, "{\"type\":\"DOC_OP\",\"room\":\"" DM "\",\"doc\":\"notes\","
	    "\"rev\":0,\"op\":[\"x\"],\"cid\":\"e1\"}");
	expect_ack(alice, "e1");
	tc_send(alice, "{\"type\":\"LEAVE\",\"room\":\"" DM "\"}");
	tc_pump(300);
	for (struct tc **c = (struct tc *[]){carol, c2, NULL}; *c; c++) {
		cJSON *f;
		while ((f = tc_recv(*c, 0)) != NULL) {
			const char *room = tc_str(f, "room");
			if (room != NULL && strcmp(room, DM) == 0)
				fail_msg("carol got a frame of the room: %s", tc_str(f, "type"));
			assert_false(tc_is(f, "NOTIFICATION"));
			cJSON_Delete(f);
		}
	}
	cJSON *p = page(carol, "");
	assert_int_equal(page_len(p), 0);
	cJSON_Delete(p);
	tc_free(c2);
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

/* ---- joins --------------------------------------------------------------- */

static void
the_creator_of_a_room_hears_when_someone_joins_it(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	struct tc *carol = it_login(s, "carol");
	it_join_quiet(alice, "plans");
	assert_true(quiet(alice)); /* not for one's own join */
	it_join_quiet(bob, "plans");
	cJSON *n = expect_note(alice);
	assert_string_equal(tc_str(n, "level"), "success");
	assert_string_equal(tc_str(n, "kind"), "join");
	assert_string_equal(tc_str(n, "title"), "bob joined plans");
	assert_string_equal(tc_str(n, "room"), "plans");
	assert_int_equal(tc_int(n, "seq"), -1); /* about the room, not a message */
	cJSON_Delete(n);
	assert_true(quiet(bob));
	it_join_quiet(bob, "plans"); /* a member already: nothing new */
	assert_true(quiet(alice));
	it_join_quiet(carol, "plans");
	n = expect_note(alice);
	assert_string_equal(tc_str(n, "title"), "carol joined plans");
	cJSON_Delete(n);
	assert_true(quiet(bob));

	/* a creator who left is not told any more */
	tc_send(alice, "{\"type\":\"LEAVE\",\"room\":\"plans\",\"cid\":\"x\"}");
	expect_ack(alice, "x");
	struct tc *dave = it_login(s, "dave");
	it_join_quiet(dave, "plans");
	assert_true(quiet(alice));
	assert_true(quiet(bob));
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	tc_free(dave);
	it_stop(s);
}

/* ---- errors -------------------------------------------------------------- */

static void
malformed_and_unknown_requests_get_their_errors(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *c = tc_connect(s->port, NULL);
	assert_non_null(c);
	tc_send(c, "{\"type\":\"NOTIFICATIONS\",\"cid\":\"n0\"}");
	it_expect_error(c, "no_hello", "n0");
	tc_free(c);

	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");
	it_say(alice, "lobby", "m1", "@bob hi");
	cJSON *n = expect_note(bob);
	long long id = tc_int(n, "id");
	cJSON_Delete(n);

	tc_send(alice, "{\"type\":\"MARK_READ\",\"cid\":\"a\"}");
	it_expect_error(alice, "bad_field", "a");
	tc_send(alice, "{\"type\":\"MARK_READ\",\"id\":\"1\",\"cid\":\"b\"}");
	it_expect_error(alice, "bad_field", "b");
	tc_send(alice, "{\"type\":\"MARK_READ\",\"id\":0,\"cid\":\"c\"}");
	it_expect_error(alice, "bad_field", "c");
	tc_send(alice, "{\"type\":\"MARK_READ\",\"id\":999999,\"cid\":\"d\"}");
	it_expect_error(alice, "bad_field", "d");
	tc_sendf(alice, "{\"type\":\"MARK_READ\",\"id\":%lld,\"cid\":\"e\"}", id);
	it_expect_error(alice, "bad_field", "e"); /* bob's, not hers */
	tc_send(alice, "{\"type\":\"MARK_ALL_READ\",\"upto\":-1,\"cid\":\"f\"}");
	it_expect_error(alice, "bad_field", "f");
	tc_send(alice, "{\"type\":\"NOTIFICATIONS\",\"limit\":0,\"cid\":\"g\"}");
	it_expect_error(alice, "bad_field", "g");
	tc_send(alice, "{\"type\":\"NOTIFICATIONS\",\"before\":\"x\",\"cid\":\"h\"}");
	it_expect_error(alice, "bad_field", "h");
	tc_send(alice, "{\"type\":\"NOTIFICATION\",\"id\":1,\"cid\":\"i\"}");
	it_expect_error(alice, "unknown_type", "i");
	tc_send(alice, "{\"type\":\"NOTIFICATION_READ\",\"id\":1,\"unread\":0}");
	it_expect_error(alice, "unknown_type", NULL);
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"@bob+alice\",\"cid\":\"k\"}");
	it_expect_error(alice, "bad_room", "k");
	tc_send(alice, "{\"type\":\"JOIN\",\"room\":\"@alice+alice\",\"cid\":\"l\"}");
	it_expect_error(alice, "bad_room", "l");
	/* none of it marked bob's notification read */
	assert_true(tc_quiet(bob, "NOTIFICATION_READ", 200));
	cJSON *p = page(bob, "");
	assert_int_equal(tc_int(p, "unread"), 1);
	cJSON_Delete(p);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

/* ---- durability ---------------------------------------------------------- */

static void
a_notification_survives_kill_9_after_its_message_was_acked(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice"), *bob = it_login(s, "bob");
	it_join_quiet(alice, "lobby");
	it_join_quiet(bob, "lobby");
	tc_free(bob);
	long long seq = it_say(alice, "lobby", "k1", "@bob before the crash");
	srv_stop(s, SIGKILL);
	tc_free(alice);
	assert_true(srv_restart(s));

	long long unread = -1;
	bob = login_unread(s, "bob", &unread);
	assert_int_equal(unread, 1);
	cJSON *p = page(bob, "");
	assert_int_equal(page_len(p), 1);
	cJSON *n = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "notifications"), 0);
	assert_string_equal(tc_str(n, "message"), "@bob before the crash");
	assert_int_equal(tc_int(n, "seq"), seq);
	long long id = tc_int(n, "id");
	cJSON_Delete(p);

	/* ids go on growing after the restart */
	alice = it_login(s, "alice");
	it_join_quiet(alice, "lobby");
	it_say(alice, "lobby", "k2", "@bob after");
	n = expect_note(bob);
	assert_true(tc_int(n, "id") > id);
	assert_int_equal(tc_int(n, "unread"), 2);
	cJSON_Delete(n);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(a_mention_notifies_the_mentioned_member_once_and_nobody_else),
		IT_TEST(a_notification_reaches_every_session_and_a_mark_reaches_the_others),
		IT_TEST(an_offline_user_finds_notifications_on_connecting_and_never_twice),
		IT_TEST(notifications_page_newest_first_with_before_and_limit),
		IT_TEST(a_direct_message_notifies_the_other_user_with_room_and_seq),
		IT_TEST(joining_a_direct_message_room_makes_both_users_members),
		IT_TEST(a_third_user_can_neither_join_read_write_nor_open_a_direct_message_room),
		IT_TEST(the_creator_of_a_room_hears_when_someone_joins_it),
		IT_TEST(a_direct_message_to_someone_the_server_never_saw_is_refused),
		IT_TEST(a_join_notifies_the_creator_once_not_after_each_leave_and_rejoin),
		IT_TEST(malformed_and_unknown_requests_get_their_errors),
		IT_TEST(a_notification_survives_kill_9_after_its_message_was_acked),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
