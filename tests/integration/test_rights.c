/*
 * confabd over real sockets: rooms' rights (docs/protocol.md, "Rooms and
 * rights"). Private rooms, invites, kicks, bans, moderators, and that
 * nothing of a private room or of someone else's direct-message room
 * reaches a user who is not in it: every frame such a user receives is
 * read and searched for the room's name and content.
 */
#include "common.h"

#define SECRET_TEXT "secret-plan-42"
#define SECRET_DOC "doc-secret-77"

/* ---- helpers ---------------------------------------------------------------- */

/* The first ROOM_EVENT ev, which must be of room (and user, by by). */
static cJSON *
event(struct tc *c, const char *room, const char *ev, const char *user,
    const char *by)
{
	cJSON *e = tc_expect_field(c, "ROOM_EVENT", "event", ev, T);
	if (e == NULL)
		fail_msg("no ROOM_EVENT %s in %s", ev, room);
	assert_string_equal(tc_str(e, "room"), room);
	if (user != NULL)
		assert_string_equal(tc_str(e, "user"), user);
	assert_string_equal(tc_str(e, "by"), by);
	assert_true(tc_int(e, "ts") > 0);
	return e;
}

static void
event_quiet(struct tc *c, const char *room, const char *ev, const char *user,
    const char *by)
{
	cJSON_Delete(event(c, room, ev, user, by));
}

/* alice makes room private. */
static void
make_private(struct tc *alice, const char *room)
{
	char f[96];
	snprintf(f, sizeof f, "\"room\":\"%s\",\"private\":true", room);
	it_ok(alice, "ROOM_MODE", "mode", f);
	cJSON *e = event(alice, room, "mode", NULL, "alice");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(e, "private")));
	cJSON_Delete(e);
}

/* Joins and checks JOINED's mode and roles. */
static void
joined_with(struct tc *c, const char *room, bool priv, const char *owner,
    const char *mod)
{
	cJSON *j = it_join(c, room);
	assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(j, "private")), priv);
	if (owner != NULL)
		assert_string_equal(tc_str(j, "owner"), owner);
	const cJSON *mods = cJSON_GetObjectItem(j, "moderators");
	if (mod == NULL) {
		assert_true(mods == NULL || cJSON_GetArraySize(mods) == 0);
	} else {
		assert_int_equal(cJSON_GetArraySize(mods), 1);
		assert_string_equal(cJSON_GetArrayItem(mods, 0)->valuestring, mod);
	}
	cJSON_Delete(j);
}

/* What an outsider received: every frame so far, none holding a secret. */
static void
nothing_reached(struct tc *c, const char *const *secrets)
{
	tc_pump(150);
	cJSON *f;
	while ((f = tc_recv(c, 0)) != NULL) {
		char *text = cJSON_PrintUnformatted(f);
		for (size_t i = 0; secrets[i] != NULL; i++)
			if (strstr(text, secrets[i]) != NULL)
				fail_msg("%s reached the outsider: %s", secrets[i], text);
		free(text);
		cJSON_Delete(f);
	}
}

/* The outsider's next frame, an answer to a request: checked for the
 * secrets but name (the room it named itself) and returned as text with
 * name replaced by ROOM, for comparing answers about two rooms. */
static char *
answer(struct tc *c, const char *name, const char *const *secrets)
{
	cJSON *f = tc_recv(c, T);
	assert_non_null(f);
	char *text = cJSON_PrintUnformatted(f);
	cJSON_Delete(f);
	for (size_t i = 0; secrets[i] != NULL; i++)
		if (strcmp(secrets[i], name) != 0 && strstr(text, secrets[i]) != NULL)
			fail_msg("%s reached the outsider: %s", secrets[i], text);
	size_t nl = strlen(name), n = 0;
	char *out = malloc(strlen(text) * 4 + 1); /* "ROOM" is 4, a name >= 1 */
	assert_non_null(out);
	for (const char *p = text; *p;) {
		const char *m = strstr(p, name);
		if (m == NULL) {
			strcpy(out + n, p);
			n += strlen(p);
			break;
		}
		memcpy(out + n, p, (size_t)(m - p));
		n += (size_t)(m - p);
		memcpy(out + n, "ROOM", 4);
		n += 4;
		p = m + nl;
	}
	out[n] = '\0';
	free(text);
	return out;
}

/* Every request that reads or writes a room, as an outsider sends it. */
static const char *const probes[] = {
	"{\"type\":\"HISTORY\",\"room\":\"%s\",\"cid\":\"p1\"}",
	"{\"type\":\"MESSAGE\",\"room\":\"%s\",\"cid\":\"p2\",\"text\":\"hi\"}",
	"{\"type\":\"TYPING\",\"room\":\"%s\",\"active\":true}",
	"{\"type\":\"DOC_OPEN\",\"room\":\"%s\",\"doc\":\"plan\",\"cid\":\"p3\"}",
	"{\"type\":\"DOC_GET\",\"room\":\"%s\",\"doc\":\"plan\",\"rev\":1,\"cid\":\"p4\"}",
	"{\"type\":\"DOC_HISTORY\",\"room\":\"%s\",\"doc\":\"plan\",\"cid\":\"p5\"}",
	"{\"type\":\"DOC_OP\",\"room\":\"%s\",\"doc\":\"plan\",\"rev\":1,"
	    "\"op\":[\"x\",13],\"cid\":\"p6\"}",
	"{\"type\":\"CURSOR\",\"room\":\"%s\",\"doc\":\"plan\",\"rev\":1,\"sel\":[0,0]}",
	"{\"type\":\"LEAVE\",\"room\":\"%s\",\"cid\":\"p7\"}",
	"{\"type\":\"KICK\",\"room\":\"%s\",\"user\":\"carol\",\"cid\":\"p8\"}",
	"{\"type\":\"INVITE\",\"room\":\"%s\",\"user\":\"eve\",\"cid\":\"p9\"}",
	"{\"type\":\"ROOM_MODE\",\"room\":\"%s\",\"private\":false,\"cid\":\"pa\"}",
	NULL,
};

/* Each probe about room and about a room that does not exist is answered
 * the same way, and neither answer holds a secret. */
static void
probes_answer_alike(struct tc *eve, const char *room, const char *none,
    const char *const *secrets)
{
	for (size_t i = 0; probes[i] != NULL; i++) {
		tc_sendf(eve, probes[i], room);
		char *a = answer(eve, room, secrets);
		tc_sendf(eve, probes[i], none);
		char *b = answer(eve, none, secrets);
		if (strcmp(a, b) != 0)
			fail_msg("answers differ by existence:\n%s\n%s", a, b);
		assert_non_null(strstr(a, "\"ERROR\""));
		free(a);
		free(b);
	}
}

/* A private room of alice's with carol in it, a message, a document and a
 * mention of eve. */
static void
furnish(struct tc *alice, struct tc *carol, const char *room)
{
	it_join_quiet(alice, room);
	make_private(alice, room);
	char f[96];
	snprintf(f, sizeof f, "\"room\":\"%s\",\"user\":\"carol\"", room);
	it_ok(alice, "INVITE", "inv", f);
	it_join_quiet(carol, room);
	it_say(carol, room, "s1", SECRET_TEXT " @eve");
	tc_sendf(carol, "{\"type\":\"DOC_OPEN\",\"room\":\"%s\",\"doc\":\"plan\"}",
	    room);
	cJSON_Delete(tc_expect(carol, "DOC_STATE", T));
	tc_sendf(carol, "{\"type\":\"DOC_OP\",\"cid\":\"d1\",\"room\":\"%s\","
	    "\"doc\":\"plan\",\"rev\":0,\"op\":[\"" SECRET_DOC "\"]}", room);
	cJSON_Delete(tc_expect_field(carol, "ACK", "cid", "d1", T));
	tc_sendf(carol, "{\"type\":\"TYPING\",\"room\":\"%s\",\"active\":true}", room);
	tc_sendf(carol, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"away\","
	    "\"text\":\"" SECRET_TEXT "\"}");
	tc_pump(100);
}

/* ---- private rooms and invites ------------------------------------------------ */

static void
an_invited_user_joins_a_private_room_and_the_invite_is_used_up(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	struct tc *bob = it_login(s, "bob");
	joined_with(alice, "dev", false, "alice", NULL);
	make_private(alice, "dev");

	it_refused(bob, "JOIN", "j1", "\"room\":\"dev\"", "invite_only");
	it_ok(alice, "INVITE", "i1", "\"room\":\"dev\",\"user\":\"bob\"");
	event_quiet(alice, "dev", "invite", "bob", "alice");
	cJSON *n = tc_expect(bob, "NOTIFICATION", T);
	assert_non_null(n);
	assert_string_equal(tc_str(n, "kind"), "invite");
	assert_string_equal(tc_str(n, "room"), "dev");
	assert_non_null(strstr(tc_str(n, "title"), "alice"));
	cJSON_Delete(n);
	it_refused(alice, "INVITE", "i2", "\"room\":\"dev\",\"user\":\"bob\"", "bad_field");

	joined_with(bob, "dev", true, "alice", NULL);
	cJSON_Delete(tc_expect_field(alice, "USER_JOINED", "user", "bob", T));
	/* a member comes back without a new invite, e.g. after a reconnect */
	tc_free(bob);
	bob = it_login(s, "bob");
	joined_with(bob, "dev", true, "alice", NULL);
	/* once gone, the invite is used: a new one is needed */
	it_ok(bob, "LEAVE", "l1", "\"room\":\"dev\"");
	it_refused(bob, "JOIN", "j2", "\"room\":\"dev\"", "invite_only");
	/* an invite of a user the server never saw is refused */
	it_refused(alice, "INVITE", "i3", "\"room\":\"dev\",\"user\":\"nobody\"",
	    "unknown_user");
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
a_refused_join_names_the_room_and_says_it_is_private(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob = it_login(s, "bob");
	make_private(alice, "dev");
	tc_sendf(bob, "{\"type\":\"JOIN\",\"room\":\"dev\",\"cid\":\"j\"}");
	cJSON *e = tc_expect(bob, "ERROR", T);
	assert_non_null(e);
	assert_string_equal(tc_str(e, "code"), "invite_only");
	assert_string_equal(tc_str(e, "room"), "dev");
	assert_string_equal(tc_str(e, "ref"), "JOIN");
	cJSON_Delete(e);
	/* a room HELLO resumes is refused the same way */
	tc_free(bob);
	bob = tc_connect(s->port, NULL);
	tc_sendf(bob, "{\"type\":\"HELLO\",\"user\":\"bob\",\"resume\":{\"dev\":3}}");
	cJSON_Delete(tc_expect(bob, "WELCOME", T));
	e = tc_expect(bob, "ERROR", T);
	assert_non_null(e);
	assert_string_equal(tc_str(e, "code"), "invite_only");
	assert_string_equal(tc_str(e, "room"), "dev");
	assert_string_equal(tc_str(e, "ref"), "HELLO");
	cJSON_Delete(e);
	assert_true(tc_quiet(bob, "JOINED", 300));
	/* public again: anyone joins */
	it_ok(alice, "ROOM_MODE", "m", "\"room\":\"dev\",\"private\":false");
	cJSON *m = event(alice, "dev", "mode", NULL, "alice");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(m, "private")));
	cJSON_Delete(m);
	it_refused(alice, "ROOM_MODE", "m2", "\"room\":\"dev\",\"private\":false",
	    "bad_field");
	joined_with(bob, "dev", false, "alice", NULL);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

/* ---- nothing leaks -------------------------------------------------------------- */

static void
an_outsider_learns_nothing_of_a_private_room(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *eve = it_login(s, "eve");
	struct tc *alice = it_login(s, "alice");
	struct tc *carol = it_login(s, "carol");
	/* eve shares a public room with alice, none with carol */
	it_join_quiet(eve, "lobby");
	it_join_quiet(alice, "lobby");
	furnish(alice, carol, "secretroom");
	static const char *const secrets[] = {"secretroom", SECRET_TEXT, SECRET_DOC,
	    "carol", NULL};
	nothing_reached(eve, secrets);

	probes_answer_alike(eve, "secretroom", "nosuchroom", secrets);
	/* a JOIN has to say the room is private, and says only that */
	tc_sendf(eve, "{\"type\":\"JOIN\",\"room\":\"secretroom\",\"cid\":\"j\"}");
	char *a = answer(eve, "secretroom", secrets);
	assert_non_null(strstr(a, "invite_only"));
	free(a);
	/* more life in the room while eve waits: still nothing */
	it_say(carol, "secretroom", "s2", SECRET_TEXT " again @eve");
	tc_sendf(carol, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"busy\"}");
	tc_sendf(carol, "{\"type\":\"TYPING\",\"room\":\"secretroom\",\"active\":false}");
	nothing_reached(eve, secrets);
	/* no notification for eve's mentions: she is no member (her page holds
	 * only alice's join of the lobby) */
	tc_sendf(eve, "{\"type\":\"NOTIFICATIONS\",\"cid\":\"n\"}");
	tc_pump(200);
	nothing_reached(eve, secrets);

	/* neither /health nor /metrics names or counts it */
	char *h = srv_http_get(s, "/health");
	assert_non_null(strstr(h, "\"rooms\":1"));
	free(h);
	char *m = srv_http_get(s, "/metrics");
	assert_null(strstr(m, "secretroom"));
	assert_non_null(strstr(m, "confab_rooms 1"));
	free(m);
	tc_free(eve);
	tc_free(alice);
	tc_free(carol);
	it_stop(s);
}

static void
an_outsider_learns_nothing_of_someone_elses_direct_messages(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *eve = it_login(s, "eve");
	struct tc *alice = it_login(s, "alice");
	struct tc *carol = it_login(s, "carol");
	it_join_quiet(alice, "@alice+carol");
	it_join_quiet(carol, "@alice+carol");
	it_say(carol, "@alice+carol", "s1", SECRET_TEXT);
	tc_sendf(carol, "{\"type\":\"DOC_OPEN\",\"room\":\"@alice+carol\","
	    "\"doc\":\"plan\"}");
	cJSON_Delete(tc_expect(carol, "DOC_STATE", T));
	tc_sendf(carol, "{\"type\":\"DOC_OP\",\"cid\":\"d1\",\"room\":\"@alice+carol\","
	    "\"doc\":\"plan\",\"rev\":0,\"op\":[\"" SECRET_DOC "\"]}");
	cJSON_Delete(tc_expect_field(carol, "ACK", "cid", "d1", T));
	tc_sendf(carol, "{\"type\":\"TYPING\",\"room\":\"@alice+carol\",\"active\":true}");
	tc_sendf(carol, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"away\"}");
	static const char *const secrets[] = {"@alice+carol", SECRET_TEXT, SECRET_DOC,
	    "carol", NULL};
	nothing_reached(eve, secrets);
	/* the same answers for their room and for a room of two others that
	 * was never made; a JOIN too */
	probes_answer_alike(eve, "@alice+carol", "@alice+bob", secrets);
	tc_sendf(eve, "{\"type\":\"JOIN\",\"room\":\"@alice+carol\",\"cid\":\"j\"}");
	char *a = answer(eve, "@alice+carol", secrets);
	tc_sendf(eve, "{\"type\":\"JOIN\",\"room\":\"@alice+bob\",\"cid\":\"j\"}");
	char *b = answer(eve, "@alice+bob", secrets);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "forbidden"));
	free(a);
	free(b);
	nothing_reached(eve, secrets);
	tc_free(eve);
	tc_free(alice);
	tc_free(carol);
	it_stop(s);
}

static void
presence_and_typing_reach_only_those_who_share_a_room(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *eve = it_joined(s, "eve", "lobby");
	struct tc *alice = it_joined(s, "alice", "lobby");
	struct tc *carol = it_login(s, "carol");
	it_join_quiet(alice, "dev");
	make_private(alice, "dev");
	it_ok(alice, "INVITE", "i", "\"room\":\"dev\",\"user\":\"carol\"");
	it_join_quiet(carol, "dev");
	tc_drain(eve);
	/* carol, in a private room only: eve hears nothing of her */
	tc_sendf(carol, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"away\"}");
	tc_sendf(carol, "{\"type\":\"TYPING\",\"room\":\"dev\",\"active\":true}");
	cJSON_Delete(tc_expect_field(alice, "PRESENCE_UPDATE", "user", "carol", T));
	cJSON_Delete(tc_expect_field(alice, "TYPING", "user", "carol", T));
	assert_true(tc_quiet(eve, "PRESENCE_UPDATE", 300));
	assert_true(tc_quiet(eve, "TYPING", 100));
	/* alice, who shares the lobby with eve: eve hears her */
	tc_sendf(alice, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"busy\"}");
	cJSON_Delete(tc_expect_field(eve, "PRESENCE_UPDATE", "user", "alice", T));
	/* and once carol is kicked, alice stops hearing her too */
	it_ok(alice, "KICK", "k", "\"room\":\"dev\",\"user\":\"carol\"");
	tc_drain(alice);
	tc_sendf(carol, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"online\"}");
	assert_true(tc_quiet(alice, "PRESENCE_UPDATE", 300));
	tc_free(eve);
	tc_free(alice);
	tc_free(carol);
	it_stop(s);
}

/* ---- kicks and bans ----------------------------------------------------------------- */

static void
a_kicked_users_sessions_leave_at_once_and_every_request_is_refused(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob1 = it_joined(s, "bob", "dev");
	struct tc *bob2 = it_joined(s, "bob", "dev");
	struct tc *carol = it_joined(s, "carol", "dev");
	tc_sendf(bob1, "{\"type\":\"DOC_OPEN\",\"room\":\"dev\",\"doc\":\"plan\"}");
	cJSON_Delete(tc_expect(bob1, "DOC_STATE", T));
	/* bob is typing when he is kicked: the others see it end */
	tc_sendf(bob1, "{\"type\":\"TYPING\",\"room\":\"dev\",\"active\":true}");
	cJSON_Delete(tc_expect_field(carol, "TYPING", "user", "bob", T));
	tc_drain(alice);
	tc_drain(carol);
	tc_drain(bob1);
	tc_drain(bob2);

	it_ok(alice, "KICK", "k1", "\"room\":\"dev\",\"user\":\"bob\","
	    "\"reason\":\"spamming\"");
	struct tc *all[] = {alice, bob1, bob2, carol};
	for (int i = 0; i < 4; i++) {
		cJSON *e = event(all[i], "dev", "kick", "bob", "alice");
		assert_string_equal(tc_str(e, "reason"), "spamming");
		cJSON_Delete(e);
	}
	cJSON *t = tc_expect_field(carol, "TYPING", "user", "bob", T);
	assert_non_null(t);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(t, "active")));
	cJSON_Delete(t);
	/* nothing more of the room reaches bob */
	it_say(alice, "dev", "a1", "after the kick");
	tc_sendf(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"dev\",\"doc\":\"plan\"}");
	cJSON_Delete(tc_expect(alice, "DOC_STATE", T));
	tc_sendf(alice, "{\"type\":\"DOC_OP\",\"cid\":\"d1\",\"room\":\"dev\","
	    "\"doc\":\"plan\",\"rev\":0,\"op\":[\"x\"]}");
	cJSON_Delete(tc_expect_field(alice, "ACK", "cid", "d1", T));
	tc_sendf(alice, "{\"type\":\"TYPING\",\"room\":\"dev\",\"active\":true}");
	cJSON_Delete(tc_expect_field(carol, "TYPING", "user", "alice", T));
	for (int i = 1; i < 3; i++) {
		assert_true(tc_quiet(all[i], "MESSAGE", 200));
		assert_true(tc_quiet(all[i], "DOC_OP", 50));
		assert_true(tc_quiet(all[i], "TYPING", 50));
	}
	/* every request of the room is refused */
	it_refused(bob1, "MESSAGE", "m1", "\"room\":\"dev\",\"text\":\"hi\"", "not_joined");
	it_refused(bob2, "HISTORY", "h1", "\"room\":\"dev\"", "not_joined");
	it_refused(bob1, "DOC_OP", "o1", "\"room\":\"dev\",\"doc\":\"plan\",\"rev\":1,"
	    "\"op\":[1,\"y\"]", "not_joined");
	it_refused(bob1, "DOC_GET", "g1", "\"room\":\"dev\",\"doc\":\"plan\",\"rev\":1",
	    "not_joined");
	it_refused(bob2, "DOC_OPEN", "o2", "\"room\":\"dev\",\"doc\":\"plan\"",
	    "not_joined");
	it_refused(bob2, "LEAVE", "l1", "\"room\":\"dev\"", "not_joined");
	/* as for any room he is not in, whether it exists or not */
	static const char *const after[] = {"after the kick", NULL};
	tc_drain(bob2);
	probes_answer_alike(bob2, "dev", "nosuchroom", after);
	/* the others no longer see bob as a member */
	cJSON *j = it_join(carol, "dev");
	char *text = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "members"));
	assert_null(strstr(text, "\"bob\""));
	free(text);
	cJSON_Delete(j);
	/* a public room: bob may come back */
	it_join_quiet(bob1, "dev");
	cJSON_Delete(tc_expect_field(carol, "USER_JOINED", "user", "bob", T));
	for (int i = 0; i < 4; i++)
		tc_free(all[i]);
	it_stop(s);
}

static void
a_kick_from_a_private_room_needs_a_new_invite_and_takes_back_an_unused_one(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob = it_login(s, "bob");
	struct tc *carol = it_login(s, "carol");
	make_private(alice, "dev");
	it_ok(alice, "INVITE", "i1", "\"room\":\"dev\",\"user\":\"bob\"");
	it_join_quiet(bob, "dev");
	it_ok(alice, "KICK", "k1", "\"room\":\"dev\",\"user\":\"bob\"");
	event_quiet(bob, "dev", "kick", "bob", "alice");
	it_refused(bob, "JOIN", "j1", "\"room\":\"dev\"", "invite_only");
	/* an invite not used yet is taken back by a kick */
	it_ok(alice, "INVITE", "i2", "\"room\":\"dev\",\"user\":\"carol\"");
	it_ok(alice, "KICK", "k2", "\"room\":\"dev\",\"user\":\"carol\"");
	event_quiet(alice, "dev", "uninvite", "carol", "alice");
	it_refused(carol, "JOIN", "j2", "\"room\":\"dev\"", "invite_only");
	/* kicking someone who is neither in nor invited says so */
	it_refused(alice, "KICK", "k3", "\"room\":\"dev\",\"user\":\"carol\"", "bad_field");
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	it_stop(s);
}

static void
a_banned_user_cannot_join_until_unbanned(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob = it_joined(s, "bob", "dev");
	struct tc *dave = it_login(s, "dave");
	it_ok(alice, "BAN", "b1",
	    "\"room\":\"dev\",\"user\":\"bob\",\"reason\":\"trolling\"");
	cJSON *e = event(bob, "dev", "ban", "bob", "alice");
	assert_string_equal(tc_str(e, "reason"), "trolling");
	cJSON_Delete(e);
	it_refused(bob, "MESSAGE", "m1", "\"room\":\"dev\",\"text\":\"hi\"", "not_joined");
	it_refused(bob, "JOIN", "j1", "\"room\":\"dev\"", "banned");
	it_refused(alice, "INVITE", "i1", "\"room\":\"dev\",\"user\":\"bob\"", "banned");
	it_refused(alice, "BAN", "b2", "\"room\":\"dev\",\"user\":\"bob\"", "bad_field");
	/* a ban of someone who is not in the room keeps them out too */
	it_ok(alice, "BAN", "b3", "\"room\":\"dev\",\"user\":\"dave\"");
	it_refused(dave, "JOIN", "j2", "\"room\":\"dev\"", "banned");
	it_refused(alice, "BAN", "b4", "\"room\":\"dev\",\"user\":\"nobody\"",
	    "unknown_user");
	/* bans outlive a restart */
	tc_free(alice);
	tc_free(bob);
	tc_free(dave);
	assert_true(srv_restart(s));
	alice = it_login(s, "alice");
	bob = it_login(s, "bob");
	it_refused(bob, "JOIN", "j3", "\"room\":\"dev\"", "banned");
	it_join_quiet(alice, "dev");
	it_ok(alice, "UNBAN", "u1", "\"room\":\"dev\",\"user\":\"bob\"");
	event_quiet(alice, "dev", "unban", "bob", "alice");
	it_refused(alice, "UNBAN", "u2", "\"room\":\"dev\",\"user\":\"bob\"", "bad_field");
	it_join_quiet(bob, "dev");
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

/* ---- who may do what ------------------------------------------------------------------ */

static void
members_may_not_moderate_and_moderators_may_not_name_moderators(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob = it_joined(s, "bob", "dev");
	struct tc *carol = it_joined(s, "carol", "dev");
	struct tc *dave = it_joined(s, "dave", "dev");
	/* a member: no rights at all */
	it_refused(bob, "KICK", "k1", "\"room\":\"dev\",\"user\":\"carol\"", "forbidden");
	it_refused(bob, "BAN", "b1", "\"room\":\"dev\",\"user\":\"carol\"", "forbidden");
	it_refused(bob, "INVITE", "i1", "\"room\":\"dev\",\"user\":\"carol\"", "forbidden");
	it_refused(bob, "ROOM_MODE", "m1", "\"room\":\"dev\",\"private\":true", "forbidden");
	it_refused(bob, "OP", "o1", "\"room\":\"dev\",\"user\":\"bob\"", "forbidden");
	/* the owner names bob a moderator: everyone sees it, JOINED says it */
	it_ok(alice, "OP", "o2", "\"room\":\"dev\",\"user\":\"bob\"");
	event_quiet(carol, "dev", "op", "bob", "alice");
	joined_with(carol, "dev", false, "alice", "bob");
	it_refused(alice, "OP", "o3", "\"room\":\"dev\",\"user\":\"bob\"", "bad_field");
	/* a moderator kicks, bans and sets the mode, but names nobody */
	it_refused(bob, "OP", "o4", "\"room\":\"dev\",\"user\":\"carol\"", "forbidden");
	it_refused(bob, "DEOP", "d1", "\"room\":\"dev\",\"user\":\"bob\"", "forbidden");
	it_ok(bob, "KICK", "k2", "\"room\":\"dev\",\"user\":\"carol\"");
	event_quiet(carol, "dev", "kick", "carol", "bob");
	it_ok(bob, "ROOM_MODE", "m2", "\"room\":\"dev\",\"private\":true");
	/* nobody kicks, bans or unnames the owner; a moderator spares another */
	it_refused(bob, "KICK", "k3", "\"room\":\"dev\",\"user\":\"alice\"", "forbidden");
	it_refused(bob, "BAN", "b2", "\"room\":\"dev\",\"user\":\"alice\"", "forbidden");
	it_refused(alice, "DEOP", "d2", "\"room\":\"dev\",\"user\":\"alice\"", "forbidden");
	it_refused(alice, "KICK", "k4", "\"room\":\"dev\",\"user\":\"alice\"", "bad_field");
	it_ok(alice, "OP", "o5", "\"room\":\"dev\",\"user\":\"dave\"");
	it_refused(bob, "KICK", "k5", "\"room\":\"dev\",\"user\":\"dave\"", "forbidden");
	/* unnamed, bob is a member like any */
	it_ok(alice, "DEOP", "d3", "\"room\":\"dev\",\"user\":\"bob\"");
	event_quiet(dave, "dev", "deop", "bob", "alice");
	it_refused(alice, "DEOP", "d4", "\"room\":\"dev\",\"user\":\"bob\"", "bad_field");
	it_refused(bob, "ROOM_MODE", "m3", "\"room\":\"dev\",\"private\":false",
	    "forbidden");
	/* the owner may kick a moderator; roles survive a restart */
	tc_free(alice);
	tc_free(bob);
	tc_free(carol);
	tc_free(dave);
	assert_true(srv_restart(s));
	alice = it_login(s, "alice");
	joined_with(alice, "dev", true, "alice", "dave");
	tc_free(alice);
	it_stop(s);
}

static void
a_direct_message_room_has_no_rights_to_use(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_login(s, "alice");
	struct tc *bob = it_login(s, "bob");
	joined_with(alice, "@alice+bob", true, NULL, NULL);
	static const char *const reqs[][2] = {
		{"INVITE", "\"room\":\"@alice+bob\",\"user\":\"bob\""},
		{"KICK", "\"room\":\"@alice+bob\",\"user\":\"bob\""},
		{"BAN", "\"room\":\"@alice+bob\",\"user\":\"bob\""},
		{"UNBAN", "\"room\":\"@alice+bob\",\"user\":\"bob\""},
		{"ROOM_MODE", "\"room\":\"@alice+bob\",\"private\":false"},
		{"OP", "\"room\":\"@alice+bob\",\"user\":\"bob\""},
		{"DEOP", "\"room\":\"@alice+bob\",\"user\":\"bob\""},
	};
	for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++)
		it_refused(alice, reqs[i][0], "x", reqs[i][1], "forbidden");
	it_join_quiet(bob, "@alice+bob");
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
mark_read_of_someone_elses_notification_changes_nothing(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = it_joined(s, "alice", "dev");
	struct tc *bob = it_joined(s, "bob", "dev");
	struct tc *eve = it_login(s, "eve");
	it_say(alice, "dev", "a1", "@bob look");
	cJSON *n = tc_expect(bob, "NOTIFICATION", T);
	assert_non_null(n);
	long long id = tc_int(n, "id");
	cJSON_Delete(n);
	char f[64];
	snprintf(f, sizeof f, "\"id\":%lld", id);
	it_refused(eve, "MARK_READ", "r1", f, "bad_field");
	it_ok(eve, "MARK_ALL_READ", "r2", "\"upto\":1000");
	assert_true(tc_quiet(bob, "NOTIFICATION_READ", 300));
	tc_sendf(bob, "{\"type\":\"NOTIFICATIONS\",\"cid\":\"n\"}");
	cJSON *p = tc_expect(bob, "NOTIFICATIONS", T);
	assert_int_equal(tc_int(p, "unread"), 1);
	cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "notifications"), 0);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(first, "read")));
	cJSON_Delete(p);
	tc_free(alice);
	tc_free(bob);
	tc_free(eve);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(an_invited_user_joins_a_private_room_and_the_invite_is_used_up),
		IT_TEST(a_refused_join_names_the_room_and_says_it_is_private),
		IT_TEST(an_outsider_learns_nothing_of_a_private_room),
		IT_TEST(an_outsider_learns_nothing_of_someone_elses_direct_messages),
		IT_TEST(presence_and_typing_reach_only_those_who_share_a_room),
		IT_TEST(a_kicked_users_sessions_leave_at_once_and_every_request_is_refused),
		IT_TEST(a_kick_from_a_private_room_needs_a_new_invite_and_takes_back_an_unused_one),
		IT_TEST(a_banned_user_cannot_join_until_unbanned),
		IT_TEST(members_may_not_moderate_and_moderators_may_not_name_moderators),
		IT_TEST(a_direct_message_room_has_no_rights_to_use),
		IT_TEST(mark_read_of_someone_elses_notification_changes_nothing),
	};
	int rc = cmocka_run_group_tests_name("rights", tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
