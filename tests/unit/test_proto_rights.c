/*
 * proto_rights: the frames of rooms' rights (docs/protocol.md, "Rooms and
 * rights"): every request and ROOM_EVENT survives encode -> decode with
 * its fields, JOINED carries the room's mode and roles, and malformed
 * frames are refused with their stable error code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/proto.h"

#include "proto_fixture.h"

static void
proto__rights_requests__survive_a_round_trip_with_room_user_and_cid(void **state)
{
	(void)state;
	enum proto_type types[] = {PT_INVITE, PT_KICK, PT_BAN, PT_UNBAN, PT_OP,
	    PT_DEOP};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		struct proto_frame f = proto_frame_of(types[i]);
		f.room = "dev";
		f.user = "carol";
		f.cid = "c1";
		const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
		same_str("room", "dev", g->room);
		same_str("user", "carol", g->user);
		same_str("cid", "c1", g->cid);
		assert_null(g->reason);
	}
}

static void
proto__kick_and_ban__carry_an_optional_reason(void **state)
{
	(void)state;
	enum proto_type types[] = {PT_KICK, PT_BAN};
	for (size_t i = 0; i < 2; i++) {
		struct proto_frame f = proto_frame_of(types[i]);
		f.room = "dev";
		f.user = "carol";
		f.cid = "c1";
		f.reason = "spamming \"links\"";
		same_str("reason", f.reason, round_trip(&f, PROTO_TO_SERVER)->reason);
	}
}

static void
proto__room_mode__carries_private_either_way(void **state)
{
	(void)state;
	for (int p = 0; p < 2; p++) {
		struct proto_frame f = proto_frame_of(PT_ROOM_MODE);
		f.room = "dev";
		f.cid = "m1";
		f.is_private = p;
		assert_int_equal(round_trip(&f, PROTO_TO_SERVER)->is_private, p);
		assert_non_null(strstr(held.json, p ? "\"private\":true"
		    : "\"private\":false"));
	}
}

static void
proto__rights_requests__without_a_required_field_are_bad_field(void **state)
{
	(void)state;
	static const char *const frames[] = {
		"{\"type\":\"INVITE\",\"room\":\"dev\",\"user\":\"carol\"}",
		"{\"type\":\"KICK\",\"room\":\"dev\",\"cid\":\"k\"}",
		"{\"type\":\"BAN\",\"user\":\"carol\",\"cid\":\"k\",\"room\":\"dev\","
		    "\"reason\":7}",
		"{\"type\":\"ROOM_MODE\",\"room\":\"dev\",\"cid\":\"m\"}",
		"{\"type\":\"ROOM_MODE\",\"room\":\"dev\",\"cid\":\"m\",\"private\":1}",
		"{\"type\":\"OP\",\"room\":\"dev\",\"user\":\"-bad\",\"cid\":\"o\"}",
		"{\"type\":\"DEOP\",\"room\":\"dev\",\"user\":\"carol\",\"cid\":\"\"}",
	};
	for (size_t i = 0; i < sizeof frames / sizeof *frames; i++)
		if (refusal(frames[i], PROTO_TO_SERVER) != PE_BAD_FIELD)
			fail_msg("not bad_field: %s", frames[i]);
}

static void
proto__rights_requests__with_a_bad_room_are_bad_room(void **state)
{
	(void)state;
	assert_int_equal(refusal("{\"type\":\"UNBAN\",\"room\":\"Dev\","
	    "\"user\":\"carol\",\"cid\":\"u\"}", PROTO_TO_SERVER), PE_BAD_ROOM);
}

static void
proto__room_event__is_a_server_frame_only(void **state)
{
	(void)state;
	assert_int_equal(refusal("{\"type\":\"ROOM_EVENT\",\"room\":\"dev\","
	    "\"event\":\"kick\",\"by\":\"alice\"}", PROTO_TO_SERVER),
	    PE_UNKNOWN_TYPE);
	assert_int_equal(refusal("{\"type\":\"KICK\",\"room\":\"dev\","
	    "\"user\":\"carol\",\"cid\":\"k\"}", PROTO_TO_CLIENT), PE_UNKNOWN_TYPE);
}

static void
proto__room_event__survives_a_round_trip_and_says_private_only_when_set(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_ROOM_EVENT);
	f.room = "dev";
	f.event = "kick";
	f.user = "carol";
	f.by = "alice";
	f.reason = "spamming";
	f.ts = 1700000000000;
	f.has_ts = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	same_str("event", "kick", g->event);
	same_str("user", "carol", g->user);
	same_str("by", "alice", g->by);
	same_str("reason", "spamming", g->reason);
	assert_int_equal(g->ts, 1700000000000);
	assert_false(g->has_private);
	assert_null(strstr(held.json, "private"));

	struct proto_frame m = proto_frame_of(PT_ROOM_EVENT);
	m.room = "dev";
	m.event = "mode";
	m.by = "alice";
	m.is_private = true;
	m.has_private = true;
	g = round_trip(&m, PROTO_TO_CLIENT);
	assert_true(g->has_private);
	assert_true(g->is_private);
	assert_null(g->user);
}

static void
proto__room_event__without_event_or_by_is_bad_field(void **state)
{
	(void)state;
	assert_int_equal(refusal("{\"type\":\"ROOM_EVENT\",\"room\":\"dev\","
	    "\"by\":\"alice\"}", PROTO_TO_CLIENT), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"ROOM_EVENT\",\"room\":\"dev\","
	    "\"event\":\"op\",\"user\":\"bob\"}", PROTO_TO_CLIENT), PE_BAD_FIELD);
}

static void
proto__joined__carries_the_mode_and_the_roles(void **state)
{
	(void)state;
	const char *mods[] = {"bob", "dave"};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "dev";
	f.seq = 3;
	f.has_seq = true;
	f.is_private = true;
	f.owner = "alice";
	f.moderators = mods;
	f.nmoderators = 2;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->is_private);
	same_str("owner", "alice", g->owner);
	assert_int_equal(g->nmoderators, 2);
	same_str("moderators[0]", "bob", g->moderators[0]);
	same_str("moderators[1]", "dave", g->moderators[1]);
}

static void
proto__joined__without_roles_is_public_with_none(void **state)
{
	(void)state;
	static const char old[] = "{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":0,"
	    "\"members\":[],\"typing\":[],\"messages\":[]}";
	struct proto_error err;
	assert_true(proto_decode(old, sizeof old - 1, PROTO_TO_CLIENT, &held.frame,
	    &err));
	assert_false(held.frame.is_private);
	assert_null(held.frame.owner);
	assert_int_equal(held.frame.nmoderators, 0);
	assert_int_equal(refusal("{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":0,"
	    "\"members\":[],\"typing\":[],\"messages\":[],\"moderators\":[\"a b\"]}",
	    PROTO_TO_CLIENT), PE_BAD_FIELD);
}

static void
proto__rights_errors__have_stable_names(void **state)
{
	(void)state;
	assert_string_equal(proto_err_name(PE_INVITE_ONLY), "invite_only");
	assert_string_equal(proto_err_name(PE_BANNED), "banned");
	assert_string_equal(proto_err_name(PE_TOO_MANY_SESSIONS), "too_many_sessions");
	assert_string_equal(proto_err_name(PE_TOO_MANY_DOCS), "too_many_docs");
	for (int e = PE_OK; e < PE_COUNT; e++)
		assert_non_null(proto_err_name(e));
	for (int t = PT_NONE + 1; t < PT_COUNT; t++)
		assert_int_equal(proto_type_parse(proto_type_name(t)), t);
}

#define T(f) cmocka_unit_test_teardown(f, release_held)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(proto__rights_requests__survive_a_round_trip_with_room_user_and_cid),
		T(proto__kick_and_ban__carry_an_optional_reason),
		T(proto__room_mode__carries_private_either_way),
		T(proto__rights_requests__without_a_required_field_are_bad_field),
		T(proto__rights_requests__with_a_bad_room_are_bad_room),
		T(proto__room_event__is_a_server_frame_only),
		T(proto__room_event__survives_a_round_trip_and_says_private_only_when_set),
		T(proto__room_event__without_event_or_by_is_bad_field),
		T(proto__joined__carries_the_mode_and_the_roles),
		T(proto__joined__without_roles_is_public_with_none),
		T(proto__rights_errors__have_stable_names),
	};
	return cmocka_run_group_tests_name("proto_rights", tests, NULL, NULL);
}
