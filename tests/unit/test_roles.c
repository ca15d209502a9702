/*
 * roles: a room's mode and roles on the client, from JOINED and the
 * ROOM_EVENTs after it, the marks the people list shows, the events in
 * plain words, and how they fold into the chat state (a kick of me closes
 * the room, of someone else removes them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/chat.h"
#include "model/roles.h"

static struct proto_frame
decoded(const char *json)
{
	struct proto_frame f;
	struct proto_error err;
	if (!proto_decode(json, strlen(json), PROTO_TO_CLIENT, &f, &err))
		fail_msg("bad test frame %s: %s", json, err.reason);
	return f;
}

static void
apply(struct chat *c, const char *json)
{
	struct proto_frame f = decoded(json);
	chat_apply(c, &f, 1000);
	proto_frame_free(&f);
}

static const char *
text_of(const char *json, const char *me)
{
	static char buf[256];
	struct proto_frame f = decoded(json);
	roles_event_text(&f, me, buf, sizeof buf);
	proto_frame_free(&f);
	return buf;
}

#define JOINED_DEV \
	"{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":0,\"private\":true," \
	"\"owner\":\"alice\",\"moderators\":[\"dave\",\"bob\"]," \
	"\"members\":[{\"user\":\"alice\",\"status\":\"online\"}," \
	"{\"user\":\"bob\",\"status\":\"online\"},{\"user\":\"carol\",\"status\":\"away\"}]," \
	"\"typing\":[\"carol\"],\"messages\":[]}"

#define EVENT(e, rest) \
	"{\"type\":\"ROOM_EVENT\",\"room\":\"dev\",\"event\":\"" e "\",\"by\":\"alice\"" \
	rest "}"

static void
roles__from_joined__takes_the_mode_owner_and_sorted_moderators(void **state)
{
	(void)state;
	struct room_roles r = {0};
	struct proto_frame f = decoded(JOINED_DEV);
	assert_true(roles_from_joined(&r, &f));
	proto_frame_free(&f);
	assert_true(r.is_private);
	assert_string_equal(r.owner, "alice");
	assert_int_equal(r.nmods, 2);
	assert_string_equal(r.mods[0], "bob");
	assert_string_equal(r.mods[1], "dave");
	assert_int_equal(roles_mark(&r, "alice"), '@');
	assert_int_equal(roles_mark(&r, "bob"), '+');
	assert_int_equal(roles_mark(&r, "carol"), 0);
	/* a JOINED without roles (an older server) clears them */
	f = decoded("{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":0,\"members\":[],"
	    "\"typing\":[],\"messages\":[]}");
	assert_true(roles_from_joined(&r, &f));
	proto_frame_free(&f);
	assert_false(r.is_private);
	assert_null(r.owner);
	assert_int_equal(r.nmods, 0);
	roles_clear(&r);
}

static void
roles__apply_event__follows_op_deop_ban_and_mode(void **state)
{
	(void)state;
	struct room_roles r = {0};
	const char *const evs[] = {
		EVENT("op", ",\"user\":\"carol\""), EVENT("op", ",\"user\":\"bob\""),
		EVENT("op", ",\"user\":\"bob\""), EVENT("deop", ",\"user\":\"carol\""),
		EVENT("mode", ",\"private\":true"), EVENT("kick", ",\"user\":\"bob\""),
	};
	for (size_t i = 0; i < sizeof evs / sizeof *evs; i++) {
		struct proto_frame f = decoded(evs[i]);
		assert_true(roles_apply_event(&r, &f));
		proto_frame_free(&f);
	}
	assert_int_equal(r.nmods, 1);
	assert_true(roles_is_mod(&r, "bob")); /* a kick leaves the role */
	assert_true(r.is_private);
	struct proto_frame f = decoded(EVENT("ban", ",\"user\":\"bob\""));
	assert_true(roles_apply_event(&r, &f));
	proto_frame_free(&f);
	assert_false(roles_is_mod(&r, "bob")); /* a ban takes it */
	roles_clear(&r);
}

static void
roles__event_text__says_each_event_in_plain_words(void **state)
{
	(void)state;
	assert_string_equal(text_of(EVENT("kick", ",\"user\":\"carol\","
	    "\"reason\":\"spamming\""), "bob"), "alice kicked carol: spamming");
	assert_string_equal(text_of(EVENT("kick", ",\"user\":\"carol\""), "carol"),
	    "alice kicked you from dev");
	assert_string_equal(text_of(EVENT("ban", ",\"user\":\"carol\","
	    "\"reason\":\"trolling\""), "carol"), "alice banned you from dev: trolling");
	assert_string_equal(text_of(EVENT("unban", ",\"user\":\"carol\""), "bob"),
	    "alice unbanned carol");
	assert_string_equal(text_of(EVENT("invite", ",\"user\":\"carol\""), "bob"),
	    "alice invited carol");
	assert_string_equal(text_of(EVENT("uninvite", ",\"user\":\"carol\""), "bob"),
	    "alice took back carol's invite");
	assert_string_equal(text_of(EVENT("op", ",\"user\":\"bob\""), "bob"),
	    "alice made you a moderator");
	assert_string_equal(text_of(EVENT("deop", ",\"user\":\"bob\""), "carol"),
	    "alice took bob's moderator role");
	assert_string_equal(text_of(EVENT("deop", ",\"user\":\"bob\""), "bob"),
	    "alice took your moderator role");
	assert_string_equal(text_of(EVENT("mode", ",\"private\":true"), "bob"),
	    "alice made dev private (invite only)");
	assert_string_equal(text_of(EVENT("mode", ",\"private\":false"), "bob"),
	    "alice made dev public");
	assert_string_equal(text_of(EVENT("topic", ",\"user\":\"bob\""), "x"),
	    "dev: topic bob");
	/* a long reason is cut, never overrun */
	char small[16];
	struct proto_frame f = decoded(EVENT("kick", ",\"user\":\"carol\","
	    "\"reason\":\"a very long reason indeed\""));
	roles_event_text(&f, "bob", small, sizeof small);
	proto_frame_free(&f);
	assert_int_equal(strlen(small), sizeof small - 1);
}

static void
chat__a_kick_of_someone_else_removes_them_and_says_so(void **state)
{
	(void)state;
	struct chat *c = chat_new("bob", "h");
	apply(c, JOINED_DEV);
	struct room *r = chat_room(c, "dev");
	assert_int_equal(r->ntyping, 1);
	apply(c, EVENT("kick", ",\"user\":\"carol\",\"reason\":\"spamming\""));
	assert_null(room_find_member(r, "carol"));
	assert_int_equal(r->ntyping, 0);
	assert_string_equal(c->notices[c->nnotices - 1].text,
	    "alice kicked carol: spamming");
	assert_string_equal(c->notices[c->nnotices - 1].room, "dev");
	apply(c, EVENT("op", ",\"user\":\"bob\""));
	assert_int_equal(roles_mark(&r->roles, "bob"), '+');
	apply(c, EVENT("mode", ",\"private\":false"));
	assert_false(r->roles.is_private);
	chat_free(c);
}

static void
chat__a_kick_of_me_closes_the_room_with_the_reason(void **state)
{
	(void)state;
	struct chat *c = chat_new("carol", "h");
	apply(c, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":0,\"members\":[],"
	    "\"typing\":[],\"messages\":[]}");
	apply(c, JOINED_DEV);
	assert_int_equal(c->nrooms, 2);
	apply(c, EVENT("kick", ",\"user\":\"carol\",\"reason\":\"spamming\""));
	assert_null(chat_room(c, "dev"));
	assert_int_equal(c->nrooms, 1);
	const struct chat_notice *n = &c->notices[c->nnotices - 1];
	assert_string_equal(n->text, "alice kicked you from dev: spamming");
	assert_true(n->error);
	assert_string_equal(n->room, "lobby");
	/* an event of a room no longer held changes nothing */
	apply(c, EVENT("op", ",\"user\":\"carol\""));
	assert_int_equal(c->nrooms, 1);
	chat_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles__from_joined__takes_the_mode_owner_and_sorted_moderators),
		cmocka_unit_test(roles__apply_event__follows_op_deop_ban_and_mode),
		cmocka_unit_test(roles__event_text__says_each_event_in_plain_words),
		cmocka_unit_test(chat__a_kick_of_someone_else_removes_them_and_says_so),
		cmocka_unit_test(chat__a_kick_of_me_closes_the_room_with_the_reason),
	};
	return cmocka_run_group_tests_name("roles", tests, NULL, NULL);
}
