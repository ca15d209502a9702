/*
 * proto: the confab.v1 codec against docs/protocol.md.
 *
 * Three parts: every frame type of both directions survives
 * encode -> decode with every field intact; every malformed frame is refused
 * with its stable error code (a table, one named test per row); and the
 * small name tables and helpers.
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
#include "model/utf8.h"

#include "proto_fixture.h"

#define TS 1700000000000 /* a plausible timestamp, ms */

/* ---- helpers ------------------------------------------------------------- */

static void
assert_same_int(const char *field, int64_t want, int64_t got)
{
	if (want != got)
		fail_msg("%s: want %lld, got %lld", field, (long long)want,
		    (long long)got);
}

static void
assert_same_message(const struct proto_message *w, const struct proto_message *g)
{
	same_str("message.room", w->room, g->room);
	assert_int_equal(w->seq, g->seq);
	same_str("message.id", w->id, g->id);
	same_str("message.user", w->user, g->user);
	same_str("message.text", w->text, g->text);
	assert_int_equal(w->ts, g->ts);
	same_str("message.cid", w->cid, g->cid);
}

/* Every field of struct proto_frame, arrays element by element. */
static void
assert_same_frame(const struct proto_frame *w, const struct proto_frame *g)
{
	assert_string_equal(proto_type_name(g->type), proto_type_name(w->type));
#define STR(m) same_str(#m, w->m, g->m)
	STR(cid); STR(room); STR(user); STR(text); STR(session); STR(server);
	STR(token); STR(client); STR(id); STR(code); STR(reason); STR(ref);
#undef STR
#define NUM(m) assert_same_int(#m, (int64_t)w->m, (int64_t)g->m)
	NUM(seq); NUM(since); NUM(before); NUM(limit); NUM(ts); NUM(last_seen);
	NUM(heartbeat_ms); NUM(has_seq); NUM(has_since); NUM(has_before);
	NUM(has_limit); NUM(has_ts); NUM(active); NUM(more); NUM(status);
	NUM(has_limits); NUM(limits.max_frame); NUM(limits.max_text);
	NUM(limits.history_max); NUM(limits.max_rooms); NUM(limits.max_doc);
	NUM(nresume); NUM(nmessages); NUM(nmembers); NUM(ntyping);
	NUM(rev); NUM(has_rev); NUM(has_sel); NUM(sel[0]); NUM(sel[1]);
	NUM(ncursors); NUM(nrevisions);
#undef NUM
	same_str("doc", w->doc, g->doc);
	assert_int_equal(w->op == NULL, g->op == NULL);
	for (size_t i = 0; i < w->nresume; i++) {
		same_str("resume.room", w->resume[i].room, g->resume[i].room);
		assert_int_equal(w->resume[i].seq, g->resume[i].seq);
	}
	for (size_t i = 0; i < w->nmessages; i++)
		assert_same_message(&w->messages[i], &g->messages[i]);
	for (size_t i = 0; i < w->nmembers; i++) {
		const struct proto_member *wm = &w->members[i], *gm = &g->members[i];
		same_str("member.user", wm->user, gm->user);
		assert_int_equal(wm->status, gm->status);
		same_str("member.text", wm->text, gm->text);
		assert_int_equal(wm->last_seen, gm->last_seen);
	}
	for (size_t i = 0; i < w->ntyping; i++)
		same_str("typing", w->typing[i], g->typing[i]);
}

/* Decodes a string literal (embedded NULs included). */
#define DECODE(lit, dir, f, e) proto_decode((lit), sizeof(lit) - 1, (dir), (f), (e))

static void
decode_ok(const char *buf, size_t len, enum proto_dir dir, struct proto_frame *f)
{
	struct proto_error err;
	if (!proto_decode(buf, len, dir, f, &err))
		fail_msg("decode failed: %s (%s) on %.*s", proto_err_name(err.code),
		    err.reason, (int)len, buf);
}

/* Encodes in, decodes the result and checks every field came back. */
static void
assert_roundtrip(const struct proto_frame *in, enum proto_dir dir)
{
	round_trip_same(in, dir, assert_same_frame);
}

/* A frame with nothing in it: no type, no field, nothing owned. */
static void
assert_empty_frame(const struct proto_frame *f)
{
	struct proto_frame zero;
	memset(&zero, 0, sizeof zero);
	assert_same_frame(&zero, f);
	assert_null(f->resume);
	assert_null(f->messages);
	assert_null(f->members);
	assert_null(f->typing);
	assert_null(f->cursors);
	assert_null(f->revisions);
	assert_null(f->op);
	assert_null(f->tree_);
	assert_false(f->owns_arrays_);
}

/* ---- round trips: client -> server --------------------------------------- */

static void
proto__roundtrip__hello_with_resume_token_and_client(void **state)
{
	(void)state;
	struct proto_resume resume[] = {{.room = "lobby", .seq = 41},
	    {.room = "dev", .seq = 7}, {.room = "empty", .seq = 0}};
	struct proto_frame f = proto_frame_of(PT_HELLO);
	f.user = "alice";
	f.resume = resume;
	f.nresume = 3;
	f.token = "t0k3n";
	f.client = "confab 0.1.0";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__hello_with_only_a_user(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_HELLO);
	f.user = "alice";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__join_with_since_and_cid(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_JOIN);
	f.room = "lobby";
	f.since = 41;
	f.has_since = true;
	f.cid = "j1";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__join_with_since_zero_keeps_since(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_JOIN);
	f.room = "lobby";
	f.has_since = true;
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__join_without_since(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_JOIN);
	f.room = "lobby";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__leave(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_LEAVE);
	f.room = "lobby";
	f.cid = "l1";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__message_to_server(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_MESSAGE);
	f.cid = "k2f9";
	f.room = "lobby";
	f.text = "hi \"there\" \\ caf\xc3\xa9 \xf0\x9f\x98\x80\n\ttab \x01 end";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__history_request(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_HISTORY);
	f.room = "lobby";
	f.before = 120;
	f.has_before = true;
	f.limit = 50;
	f.has_limit = true;
	f.cid = "h1";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__typing_to_server(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_TYPING);
	f.room = "lobby";
	f.active = true;
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__typing_inactive_keeps_false(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_TYPING);
	f.room = "lobby";
	f.active = false;
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__presence_update_to_server(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_PRESENCE_UPDATE);
	f.status = PS_AWAY;
	f.text = "lunch";
	f.cid = "p1";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto__roundtrip__heartbeat_to_server(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_HEARTBEAT);
	assert_roundtrip(&f, PROTO_TO_SERVER);
	f.ts = TS;
	f.has_ts = true;
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

/* ---- round trips: server -> client --------------------------------------- */

static void
proto__roundtrip__welcome_with_limits(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_WELCOME);
	f.user = "alice";
	f.session = "s1f";
	f.heartbeat_ms = 15000;
	f.server = "confabd 0.1.0";
	f.limits = (struct proto_limits){65536, 4000, 200, 100, 1000000};
	f.has_limits = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__welcome_without_limits(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_WELCOME);
	f.user = "alice";
	f.session = "s2";
	f.heartbeat_ms = 1;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__joined_with_members_typing_and_messages(void **state)
{
	(void)state;
	struct proto_member members[] = {
		{"alice", PS_ONLINE, "here", TS, {NULL, NULL}},
		{"bob", PS_BUSY, "coding", TS + 1, {NULL, NULL}},
		{"carol", PS_AWAY, NULL, 0, {NULL, NULL}},
		{"dave", PS_OFFLINE, "", TS - 5000, {NULL, NULL}},
	};
	const char *typing[] = {"bob", "carol"};
	struct proto_message messages[] = {
		{.room = "lobby", .seq = 56, .id = "55", .user = "bob", .text = "hi",
		    .ts = TS, .cid = "x1"},
		{.room = "lobby", .seq = 57, .id = "56", .user = "carol",
		    .text = "h\xc3\xa9 \"q\"\n", .ts = TS + 7},
	};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "lobby";
	f.seq = 57;
	f.has_seq = true;
	f.members = members;
	f.nmembers = 4;
	f.typing = typing;
	f.ntyping = 2;
	f.messages = messages;
	f.nmessages = 2;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__joined_of_an_empty_room(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "new";
	f.has_seq = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__message_to_client(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_MESSAGE);
	f.room = "lobby";
	f.seq = 42;
	f.has_seq = true;
	f.id = "981";
	f.user = "alice";
	f.text = "hi \xe2\x82\xac";
	f.ts = TS;
	f.has_ts = true;
	f.cid = "k2f9";
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__ack_with_every_field(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_ACK);
	f.cid = "k2f9";
	f.room = "lobby";
	f.seq = 42;
	f.has_seq = true;
	f.id = "981";
	f.ts = TS;
	f.has_ts = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__ack_with_only_a_cid(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_ACK);
	f.cid = "k2f9";
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__history_answer_with_messages(void **state)
{
	(void)state;
	struct proto_message messages[] = {
		{.room = "lobby", .seq = 1, .id = "1", .user = "alice", .text = "first", .ts = TS, .cid = "a1"},
		{.room = "lobby", .seq = 2, .id = "2", .user = "bob", .text = "second", .ts = TS + 1, .cid = "b1"},
		{.seq = 3, .id = "9", .user = "alice", .text = "third", .ts = TS + 2},
	};
	struct proto_frame f = proto_frame_of(PT_HISTORY);
	f.room = "lobby";
	f.cid = "h1";
	f.messages = messages;
	f.nmessages = 3;
	f.more = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__history_answer_without_messages(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_HISTORY);
	f.room = "lobby";
	f.more = false;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__typing_to_client(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_TYPING);
	f.room = "lobby";
	f.user = "alice";
	f.active = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
	f.active = false;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__presence_update_to_client(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_PRESENCE_UPDATE);
	f.user = "alice";
	f.status = PS_AWAY;
	f.text = "lunch";
	f.last_seen = TS;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__presence_update_to_client_may_say_offline(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_PRESENCE_UPDATE);
	f.user = "alice";
	f.status = PS_OFFLINE;
	f.last_seen = TS;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__heartbeat_to_client(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_HEARTBEAT);
	f.ts = TS;
	f.has_ts = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__user_joined(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_USER_JOINED);
	f.room = "lobby";
	f.user = "bob";
	f.status = PS_BUSY;
	f.text = "meeting";
	f.last_seen = TS;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__user_left(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_USER_LEFT);
	f.room = "lobby";
	f.user = "bob";
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__error(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_ERROR);
	f.code = "not_joined";
	f.reason = "join lobby first";
	f.cid = "k2f9";
	f.ref = "MESSAGE";
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto__roundtrip__integers_up_to_2_pow_53_are_exact(void **state)
{
	(void)state;
	/* the decoder accepts every integer up to 2^53; the encoder must keep
	 * them all exact, the largest ones included */
	static const int64_t values[] = {
		999999999999999, 1000000000000001, 6000000000000001,
		9007199254740991, 9007199254740992,
	};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		struct proto_frame f = proto_frame_of(PT_HEARTBEAT);
		f.ts = values[i];
		f.has_ts = true;
		assert_roundtrip(&f, PROTO_TO_CLIENT);
	}
}

/* ---- decoding: what is accepted ------------------------------------------ */

static void
proto__decode__reads_the_protocol_page_example_of_joined(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":57,"
	    "\"members\":[{\"user\":\"alice\",\"status\":\"online\",\"text\":\"\","
	    "\"last_seen\":1700000000000}],\"typing\":[\"bob\"],"
	    "\"messages\":[{\"room\":\"lobby\",\"seq\":56,\"id\":\"55\",\"user\":\"bob\","
	    "\"text\":\"hi\",\"ts\":1700000000000,\"cid\":\"x1\"}]}";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_CLIENT, &f);
	assert_int_equal(f.type, PT_JOINED);
	assert_string_equal(f.room, "lobby");
	assert_int_equal(f.seq, 57);
	assert_int_equal(f.nmembers, 1);
	assert_string_equal(f.members[0].user, "alice");
	assert_int_equal(f.members[0].status, PS_ONLINE);
	assert_int_equal(f.members[0].last_seen, TS);
	assert_int_equal(f.ntyping, 1);
	assert_string_equal(f.typing[0], "bob");
	assert_int_equal(f.nmessages, 1);
	assert_string_equal(f.messages[0].id, "55");
	assert_int_equal(f.messages[0].seq, 56);
	proto_frame_free(&f);
}

static void
proto__decode__ignores_unknown_fields(void **state)
{
	(void)state;
	const char json[] = "{\"x-new\":[1,{\"a\":null}],\"type\":\"JOIN\","
	    "\"room\":\"lobby\",\"flag\":true,\"obj\":{\"deep\":{\"er\":[]}},\"n\":1.5}";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_SERVER, &f);
	assert_int_equal(f.type, PT_JOIN);
	assert_string_equal(f.room, "lobby");
	assert_false(f.has_since);
	proto_frame_free(&f);
}

static void
proto__decode__ignores_fields_of_other_frame_types(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"LEAVE\",\"room\":\"lobby\",\"since\":-5,"
	    "\"text\":42,\"user\":\"not a name\"}";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_SERVER, &f);
	assert_int_equal(f.type, PT_LEAVE);
	assert_null(f.text);
	assert_null(f.user);
	assert_false(f.has_since);
	proto_frame_free(&f);
}

static void
proto__decode__accepts_whitespace_around_the_object(void **state)
{
	(void)state;
	const char json[] = " \r\n\t{ \"type\" : \"HEARTBEAT\" } \n";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_SERVER, &f);
	assert_int_equal(f.type, PT_HEARTBEAT);
	proto_frame_free(&f);
}

static void
proto__decode__accepts_an_integer_written_with_an_exponent(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":4.1e1}";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_SERVER, &f);
	assert_true(f.has_since);
	assert_int_equal(f.since, 41);
	proto_frame_free(&f);
}

static void
proto__decode__accepts_nesting_of_exactly_64_levels(void **state)
{
	(void)state;
	/* the frame's object is level 1, then 63 nested arrays */
	char json[256];
	int n = snprintf(json, sizeof json, "{\"type\":\"HEARTBEAT\",\"x\":");
	for (int i = 0; i < PROTO_MAX_DEPTH - 1; i++)
		json[n++] = '[';
	for (int i = 0; i < PROTO_MAX_DEPTH - 1; i++)
		json[n++] = ']';
	json[n++] = '}';
	struct proto_frame f;
	decode_ok(json, (size_t)n, PROTO_TO_SERVER, &f);
	assert_int_equal(f.type, PT_HEARTBEAT);
	proto_frame_free(&f);
}

static void
proto__decode__accepts_brackets_inside_strings_beyond_the_depth_limit(void **state)
{
	(void)state;
	char json[512];
	int n = snprintf(json, sizeof json,
	    "{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"lobby\",\"text\":\"");
	for (int i = 0; i < 200; i++)
		json[n++] = i % 2 ? '{' : '[';
	n += snprintf(json + n, sizeof json - (size_t)n, "\"}");
	struct proto_frame f;
	decode_ok(json, (size_t)n, PROTO_TO_SERVER, &f);
	assert_int_equal(strlen(f.text), 200);
	proto_frame_free(&f);
}

static void
proto__decode__accepts_an_escaped_backslash_before_u0000_text(void **state)
{
	(void)state;
	/* the text is a backslash followed by "u0000": no NUL character */
	const char json[] = "{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"lobby\","
	    "\"text\":\"\\\\u0000\"}";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_SERVER, &f);
	assert_string_equal(f.text, "\\u0000");
	proto_frame_free(&f);
}

static void
proto__decode__accepts_escaped_non_ascii_and_surrogate_pairs(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"lobby\","
	    "\"text\":\"caf\\u00e9 \\ud83d\\ude00\"}";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_SERVER, &f);
	assert_string_equal(f.text, "caf\xc3\xa9 \xf0\x9f\x98\x80");
	proto_frame_free(&f);
}

static void
proto__decode__accepts_a_room_of_64_characters(void **state)
{
	(void)state;
	char room[65];
	memset(room, 'r', 64);
	room[64] = '\0';
	char json[128];
	int n = snprintf(json, sizeof json, "{\"type\":\"JOIN\",\"room\":\"%s\"}", room);
	struct proto_frame f;
	decode_ok(json, (size_t)n, PROTO_TO_SERVER, &f);
	assert_string_equal(f.room, room);
	proto_frame_free(&f);
}

/* Direct-message rooms ("@u1+u2", docs/protocol.md "Names") go wherever a
 * room does, in both directions. */
static void
proto__decode__accepts_a_direct_message_room_wherever_a_room_goes(void **state)
{
	(void)state;
	static const char *const to_server[] = {
		"{\"type\":\"JOIN\",\"room\":\"@alice+bob\"}",
		"{\"type\":\"LEAVE\",\"room\":\"@alice+bob\"}",
		"{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"@alice+bob\",\"text\":\"hi\"}",
		"{\"type\":\"HISTORY\",\"room\":\"@alice+bob\"}",
		"{\"type\":\"TYPING\",\"room\":\"@alice+bob\",\"active\":true}",
		"{\"type\":\"DOC_OPEN\",\"room\":\"@alice+bob\",\"doc\":\"notes\"}",
	};
	for (size_t i = 0; i < sizeof to_server / sizeof *to_server; i++) {
		struct proto_frame f;
		decode_ok(to_server[i], strlen(to_server[i]), PROTO_TO_SERVER, &f);
		assert_string_equal(f.room, "@alice+bob");
		proto_frame_free(&f);
	}
	struct proto_frame f;
	const char resume[] = "{\"type\":\"HELLO\",\"user\":\"alice\","
	    "\"resume\":{\"@alice+bob\":3}}";
	decode_ok(resume, sizeof resume - 1, PROTO_TO_SERVER, &f);
	assert_string_equal(f.resume[0].room, "@alice+bob");
	proto_frame_free(&f);
	const char message[] = "{\"type\":\"MESSAGE\",\"room\":\"@Bob+alice\",\"seq\":1,"
	    "\"id\":\"1\",\"user\":\"alice\",\"text\":\"hi\",\"ts\":1}";
	decode_ok(message, sizeof message - 1, PROTO_TO_CLIENT, &f);
	assert_string_equal(f.room, "@Bob+alice");
	proto_frame_free(&f);
}

static void
proto__decode__accepts_a_direct_message_room_of_two_32_character_users(void **state)
{
	(void)state;
	char room[1 + 32 + 1 + 32 + 1];
	room[0] = '@';
	memset(room + 1, 'a', 32);
	room[33] = '+';
	memset(room + 34, 'b', 32);
	room[66] = '\0';
	char json[128];
	int n = snprintf(json, sizeof json, "{\"type\":\"JOIN\",\"room\":\"%s\"}", room);
	struct proto_frame f;
	decode_ok(json, (size_t)n, PROTO_TO_SERVER, &f);
	assert_string_equal(f.room, room);
	proto_frame_free(&f);
}

static void
proto__decode__treats_an_optional_null_as_absent(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":null}";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_SERVER, &f);
	assert_false(f.has_since);
	proto_frame_free(&f);
}

/* ---- decoding: error.cid and error.ref ----------------------------------- */

static void
proto__decode__error_carries_cid_and_type_of_a_frame_with_a_bad_field(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"JOIN\",\"cid\":\"j1\",\"room\":\"lobby\","
	    "\"since\":-1}", PROTO_TO_SERVER, &f, &e));
	assert_int_equal(e.code, PE_BAD_FIELD);
	assert_string_equal(e.cid, "j1");
	assert_string_equal(e.ref, "JOIN");
	assert_true(e.reason[0] != '\0');
}

static void
proto__decode__error_carries_cid_and_type_of_a_frame_with_a_bad_room(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"MESSAGE\",\"cid\":\"m7\",\"room\":\"Lobby\","
	    "\"text\":\"hi\"}", PROTO_TO_SERVER, &f, &e));
	assert_int_equal(e.code, PE_BAD_ROOM);
	assert_string_equal(e.cid, "m7");
	assert_string_equal(e.ref, "MESSAGE");
}

static void
proto__decode__error_carries_the_cid_of_a_frame_of_unknown_type(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"FROBNICATE\",\"cid\":\"f1\"}",
	    PROTO_TO_SERVER, &f, &e));
	assert_int_equal(e.code, PE_UNKNOWN_TYPE);
	assert_string_equal(e.cid, "f1");
}

static void
proto__decode__error_carries_the_cid_of_a_frame_without_type(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"cid\":\"n1\",\"room\":\"lobby\"}", PROTO_TO_SERVER,
	    &f, &e));
	assert_int_equal(e.code, PE_UNKNOWN_TYPE);
	assert_string_equal(e.cid, "n1");
	assert_string_equal(e.ref, "");
}

static void
proto__decode__error_carries_a_cid_of_64_characters_whole(void **state)
{
	(void)state;
	char cid[65];
	memset(cid, 'c', 64);
	cid[64] = '\0';
	char json[160];
	int n = snprintf(json, sizeof json,
	    "{\"type\":\"MESSAGE\",\"cid\":\"%s\",\"room\":\"lobby\"}", cid);
	struct proto_frame f;
	struct proto_error e;
	assert_false(proto_decode(json, (size_t)n, PROTO_TO_SERVER, &f, &e));
	assert_int_equal(e.code, PE_BAD_FIELD);
	assert_string_equal(e.cid, cid);
}

static void
proto__decode__error_omits_a_cid_that_breaks_the_cid_rule(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"MESSAGE\",\"cid\":\"has space\","
	    "\"room\":\"lobby\",\"text\":\"hi\"}", PROTO_TO_SERVER, &f, &e));
	assert_int_equal(e.code, PE_BAD_FIELD);
	assert_string_equal(e.cid, "");
	assert_string_equal(e.ref, "MESSAGE");
}

static void
proto__decode__error_omits_a_cid_that_is_not_a_string(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"MESSAGE\",\"cid\":42,\"room\":\"lobby\","
	    "\"text\":\"hi\"}", PROTO_TO_SERVER, &f, &e));
	assert_int_equal(e.code, PE_BAD_FIELD);
	assert_string_equal(e.cid, "");
}

static void
proto__decode__error_has_no_cid_or_ref_when_the_json_is_unreadable(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"JOIN\",\"cid\":\"c1\",\"room\":",
	    PROTO_TO_SERVER, &f, &e));
	assert_int_equal(e.code, PE_BAD_JSON);
	assert_string_equal(e.cid, "");
	assert_string_equal(e.ref, "");
}

static void
proto__decode__error_has_no_cid_or_ref_when_the_utf8_is_invalid(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"MESSAGE\",\"cid\":\"c1\",\"room\":\"lobby\","
	    "\"text\":\"\xff\"}", PROTO_TO_SERVER, &f, &e));
	assert_int_equal(e.code, PE_INVALID_UTF8);
	assert_string_equal(e.cid, "");
	assert_string_equal(e.ref, "");
}

static void
proto__decode__failure_leaves_the_frame_empty(void **state)
{
	(void)state;
	struct proto_frame f;
	memset(&f, 0xa5, sizeof f);
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,"
	    "\"members\":[{\"user\":\"alice\",\"status\":\"online\"}],"
	    "\"typing\":[\"bob\",\"not valid\"]}", PROTO_TO_CLIENT, &f, &e));
	assert_int_equal(e.code, PE_BAD_FIELD);
	assert_empty_frame(&f);
}

/* A member's status may be offline, a status a client sets may not: the
 * reason says which words the field takes. */
static void
proto__decode__names_the_statuses_a_field_takes(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,"
	    "\"members\":[{\"user\":\"bob\",\"status\":\"asleep\"}],"
	    "\"typing\":[],\"messages\":[]}", PROTO_TO_CLIENT, &f, &e));
	assert_string_equal(e.reason, "status must be online, away, busy or offline");
	assert_false(DECODE("{\"type\":\"PRESENCE_UPDATE\",\"status\":\"offline\"}",
	    PROTO_TO_SERVER, &f, &e));
	assert_string_equal(e.reason, "status must be online, away or busy");
}

/* ---- decoding: the table of refused frames ------------------------------- */

struct reject_case {
	enum proto_dir dir;
	enum proto_err code;
	const char *json;
	size_t len;
};

static void
decode_rejects(void **state)
{
	const struct reject_case *c = *state;
	struct proto_error e;
	if (proto_decode(c->json, c->len, c->dir, &held.frame, &e))
		fail_msg("accepted, expected %s: %.*s", proto_err_name(c->code),
		    (int)c->len, c->json);
	assert_string_equal(proto_err_name(e.code), proto_err_name(c->code));
	assert_true(e.reason[0] != '\0');
	assert_empty_frame(&held.frame);
}

/* Builds a frame of 10,000 nested levels from an opener and a closer. */
static void
decode_rejects_deep(const char *prefix, const char *open, const char *close,
    const char *suffix)
{
	enum { DEPTH = 10000 };
	size_t size = strlen(prefix) + DEPTH * (strlen(open) + strlen(close)) +
	    strlen(suffix) + 1;
	char *json = held.json = malloc(size);
	assert_non_null(json);
	char *p = json;
	p += sprintf(p, "%s", prefix);
	for (int i = 0; i < DEPTH; i++)
		p += sprintf(p, "%s", open);
	for (int i = 0; i < DEPTH; i++)
		p += sprintf(p, "%s", close);
	p += sprintf(p, "%s", suffix);
	struct reject_case c = {PROTO_TO_SERVER, PE_BAD_JSON, json, (size_t)(p - json)};
	void *state = &c;
	decode_rejects(&state);
	release_held(NULL);
}

static void
proto__decode__rejects_10000_unclosed_brackets(void **state)
{
	(void)state;
	decode_rejects_deep("", "[", "", "");
}

static void
proto__decode__rejects_10000_nested_arrays(void **state)
{
	(void)state;
	decode_rejects_deep("", "[", "]", "");
}

static void
proto__decode__rejects_10000_nested_objects(void **state)
{
	(void)state;
	decode_rejects_deep("", "{\"a\":", "}", "");
}

static void
proto__decode__rejects_10000_nested_objects_inside_a_valid_frame(void **state)
{
	(void)state;
	decode_rejects_deep("{\"type\":\"HEARTBEAT\",\"x\":", "{\"a\":", "}", "}");
}

static void
proto__decode__rejects_nesting_of_65_levels(void **state)
{
	(void)state;
	char json[256];
	int n = snprintf(json, sizeof json, "{\"type\":\"HEARTBEAT\",\"x\":");
	for (int i = 0; i < PROTO_MAX_DEPTH; i++)
		json[n++] = '[';
	for (int i = 0; i < PROTO_MAX_DEPTH; i++)
		json[n++] = ']';
	json[n++] = '}';
	struct reject_case c = {PROTO_TO_SERVER, PE_BAD_JSON, json, (size_t)n};
	void *st = &c;
	decode_rejects(&st);
}

static void
proto__decode__rejects_a_room_of_65_characters(void **state)
{
	(void)state;
	char json[128];
	int n = snprintf(json, sizeof json, "{\"type\":\"JOIN\",\"room\":\"");
	memset(json + n, 'r', 65);
	n += 65;
	n += snprintf(json + n, sizeof json - (size_t)n, "\"}");
	struct reject_case c = {PROTO_TO_SERVER, PE_BAD_ROOM, json, (size_t)n};
	void *st = &c;
	decode_rejects(&st);
}

/* One named test per row: REJECT(test_name, direction, code, json). */
#define REJECT(name, d, c, lit) \
	{#name, decode_rejects, NULL, release_held, \
	    &(struct reject_case){d, c, lit, sizeof(lit) - 1}}
#define TS_ PROTO_TO_SERVER
#define TC_ PROTO_TO_CLIENT
#define MSG_PREFIX "{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"lobby\",\"text\":"

/* ---- encoding ------------------------------------------------------------ */

static void
assert_not_encoded(const struct proto_frame *f, enum proto_dir dir)
{
	char *json = proto_encode(f, dir);
	if (json != NULL) {
		print_error("encoded anyway: %s\n", json);
		free(json);
		fail();
	}
}

static void
proto__encode__refuses_hello_without_user(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_HELLO);
	f.client = "confab";
	assert_not_encoded(&f, PROTO_TO_SERVER);
}

static void
proto__encode__refuses_join_without_room(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_JOIN);
	f.since = 3;
	f.has_since = true;
	assert_not_encoded(&f, PROTO_TO_SERVER);
}

static void
proto__encode__refuses_a_client_message_without_cid_or_text(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_MESSAGE);
	f.room = "lobby";
	f.text = "hi";
	assert_not_encoded(&f, PROTO_TO_SERVER);
	f.cid = "c1";
	f.text = NULL;
	assert_not_encoded(&f, PROTO_TO_SERVER);
}

static void
proto__encode__refuses_a_server_message_without_seq(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_MESSAGE);
	f.room = "lobby";
	f.id = "1";
	f.user = "alice";
	f.text = "hi";
	f.ts = TS;
	f.has_ts = true;
	f.seq = 5; /* without has_seq the seq is absent */
	assert_not_encoded(&f, PROTO_TO_CLIENT);
}

static void
proto__encode__refuses_presence_update_without_status(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_PRESENCE_UPDATE);
	f.text = "lunch";
	assert_not_encoded(&f, PROTO_TO_SERVER);
}

static void
proto__encode__refuses_error_without_code_or_reason(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_ERROR);
	f.reason = "why";
	assert_not_encoded(&f, PROTO_TO_CLIENT);
	f.code = "bad_json";
	f.reason = NULL;
	assert_not_encoded(&f, PROTO_TO_CLIENT);
}

static void
proto__encode__refuses_welcome_without_heartbeat_ms(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_WELCOME);
	f.user = "alice";
	f.session = "s1";
	assert_not_encoded(&f, PROTO_TO_CLIENT);
}

static void
proto__encode__refuses_joined_with_a_member_without_status(void **state)
{
	(void)state;
	struct proto_member members[] = {{"alice", PS_NONE, NULL, 0, {NULL, NULL}}};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "lobby";
	f.has_seq = true;
	f.members = members;
	f.nmembers = 1;
	assert_not_encoded(&f, PROTO_TO_CLIENT);
}

static void
proto__encode__refuses_joined_with_a_message_without_id(void **state)
{
	(void)state;
	struct proto_message messages[] = {{.room = "lobby", .seq = 1, .user = "bob", .text = "hi", .ts = TS}};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "lobby";
	f.has_seq = true;
	f.messages = messages;
	f.nmessages = 1;
	assert_not_encoded(&f, PROTO_TO_CLIENT);
}

static void
proto__encode__refuses_a_type_the_direction_does_not_send(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_WELCOME);
	f.user = "alice";
	f.session = "s1";
	f.heartbeat_ms = 15000;
	assert_not_encoded(&f, PROTO_TO_SERVER);
	struct proto_frame h = proto_frame_of(PT_HELLO);
	h.user = "alice";
	assert_not_encoded(&h, PROTO_TO_CLIENT);
	struct proto_frame none = proto_frame_of(PT_NONE);
	assert_not_encoded(&none, PROTO_TO_CLIENT);
	assert_not_encoded(&none, PROTO_TO_SERVER);
}

static void
proto__encode__omits_absent_optional_fields(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_JOIN);
	f.room = "lobby";
	char *json = proto_encode(&f, PROTO_TO_SERVER);
	assert_non_null(json);
	assert_null(strstr(json, "since"));
	assert_null(strstr(json, "cid"));
	assert_non_null(strstr(json, "\"type\":\"JOIN\""));
	free(json);
}

static void
proto__encode__always_writes_the_arrays_of_joined(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "lobby";
	f.has_seq = true;
	char *json = proto_encode(&f, PROTO_TO_CLIENT);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"members\":[]"));
	assert_non_null(strstr(json, "\"typing\":[]"));
	assert_non_null(strstr(json, "\"messages\":[]"));
	free(json);
}

static void
proto__encode__escapes_control_characters_in_text(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_MESSAGE);
	f.cid = "c";
	f.room = "lobby";
	f.text = "a\x01" "b\nc\x1f";
	char *json = proto_encode(&f, PROTO_TO_SERVER);
	assert_non_null(json);
	for (const char *p = json; *p; p++)
		assert_true((unsigned char)*p >= 0x20);
	free(json);
}

/* ---- proto_encode_error -------------------------------------------------- */

static void
assert_error_roundtrip(enum proto_err code, const char *cid, const char *ref,
    const char *reason)
{
	held.json = proto_encode_error(code, cid, ref, reason);
	assert_non_null(held.json);
	decode_ok(held.json, strlen(held.json), PROTO_TO_CLIENT, &held.frame);
	const struct proto_frame *f = &held.frame;
	assert_int_equal(f->type, PT_ERROR);
	same_str("code", proto_err_name(code), f->code);
	same_str("reason", reason, f->reason);
	same_str("cid", cid && *cid ? cid : NULL, f->cid);
	same_str("ref", ref && *ref ? ref : NULL, f->ref);
	release_held(NULL);
}

static void
proto__encode_error__decodes_as_error_with_code_cid_ref_and_reason(void **state)
{
	(void)state;
	assert_error_roundtrip(PE_NOT_JOINED, "k2f9", "MESSAGE", "join lobby first");
}

static void
proto__encode_error__omits_a_null_or_empty_cid_and_ref(void **state)
{
	(void)state;
	assert_error_roundtrip(PE_BAD_JSON, NULL, NULL, "not valid JSON");
	assert_error_roundtrip(PE_BAD_JSON, "", "", "not valid JSON");
	char *json = proto_encode_error(PE_BAD_JSON, "", NULL, "x");
	assert_non_null(json);
	assert_null(strstr(json, "cid"));
	assert_null(strstr(json, "ref"));
	free(json);
}

static void
proto__encode_error__works_for_every_code(void **state)
{
	(void)state;
	for (int c = PE_OK + 1; c < PE_COUNT; c++)
		assert_error_roundtrip((enum proto_err)c, "c1", "JOIN", "some reason");
}

static void
proto__encode_error__carries_the_fields_of_a_decode_error(void **state)
{
	(void)state;
	struct proto_frame f;
	struct proto_error e;
	assert_false(DECODE("{\"type\":\"TYPING\",\"cid\":\"t1\",\"room\":\"lobby\","
	    "\"active\":\"yes\"}", PROTO_TO_SERVER, &f, &e));
	assert_error_roundtrip(e.code, e.cid, e.ref, e.reason);
}

/* ---- names of types, errors and statuses --------------------------------- */

static void
proto__type_parse__inverts_type_name_for_every_type(void **state)
{
	(void)state;
	static const char *const wire[PT_COUNT] = {
		[PT_HELLO] = "HELLO", [PT_WELCOME] = "WELCOME", [PT_JOIN] = "JOIN",
		[PT_JOINED] = "JOINED", [PT_LEAVE] = "LEAVE", [PT_MESSAGE] = "MESSAGE",
		[PT_ACK] = "ACK", [PT_HISTORY] = "HISTORY", [PT_TYPING] = "TYPING",
		[PT_PRESENCE_UPDATE] = "PRESENCE_UPDATE", [PT_HEARTBEAT] = "HEARTBEAT",
		[PT_USER_JOINED] = "USER_JOINED", [PT_USER_LEFT] = "USER_LEFT",
		[PT_ERROR] = "ERROR", [PT_DOC_OPEN] = "DOC_OPEN",
		[PT_DOC_CLOSE] = "DOC_CLOSE", [PT_DOC_OP] = "DOC_OP",
		[PT_DOC_STATE] = "DOC_STATE", [PT_CURSOR] = "CURSOR",
		[PT_DOC_HISTORY] = "DOC_HISTORY", [PT_DOC_GET] = "DOC_GET",
		[PT_DOC_TEXT] = "DOC_TEXT", [PT_DOC_TAG] = "DOC_TAG",
		[PT_NOTIFICATION] = "NOTIFICATION",
		[PT_NOTIFICATIONS] = "NOTIFICATIONS", [PT_MARK_READ] = "MARK_READ",
		[PT_MARK_ALL_READ] = "MARK_ALL_READ",
		[PT_NOTIFICATION_READ] = "NOTIFICATION_READ",
		[PT_LOGIN] = "LOGIN", [PT_REGISTER] = "REGISTER", [PT_LOGOUT] = "LOGOUT",
		[PT_LOGGED_IN] = "LOGGED_IN",
		[PT_INVITE] = "INVITE", [PT_KICK] = "KICK", [PT_BAN] = "BAN",
		[PT_UNBAN] = "UNBAN", [PT_ROOM_MODE] = "ROOM_MODE", [PT_OP] = "OP",
		[PT_DEOP] = "DEOP", [PT_ROOM_EVENT] = "ROOM_EVENT",
		[PT_THREAD] = "THREAD", [PT_REACT] = "REACT",
		[PT_REACTION] = "REACTION", [PT_EDIT] = "EDIT",
		[PT_MESSAGE_EDITED] = "MESSAGE_EDITED", [PT_DELETE] = "DELETE",
		[PT_MESSAGE_DELETED] = "MESSAGE_DELETED", [PT_READ] = "READ",
		[PT_RECEIPT] = "RECEIPT", [PT_SEARCH] = "SEARCH",
		[PT_SEARCH_RESULTS] = "SEARCH_RESULTS", [PT_TOPIC] = "TOPIC",
		[PT_ROOMS] = "ROOMS",
		[PT_COMMENT] = "COMMENT", [PT_COMMENT_REPLY] = "COMMENT_REPLY",
		[PT_COMMENT_RESOLVE] = "COMMENT_RESOLVE",
		[PT_COMMENT_EDIT] = "COMMENT_EDIT", [PT_COMMENT_DELETE] = "COMMENT_DELETE",
		[PT_DOC_SUGGEST] = "DOC_SUGGEST", [PT_SUGGEST_ACCEPT] = "SUGGEST_ACCEPT",
		[PT_SUGGEST_REJECT] = "SUGGEST_REJECT", [PT_SUGGESTION] = "SUGGESTION",
		[PT_SUGGESTION_CLOSED] = "SUGGESTION_CLOSED", [PT_DOC_MODE] = "DOC_MODE",
		[PT_DOC_LIST] = "DOC_LIST",
	};
	for (int t = PT_NONE + 1; t < PT_COUNT; t++) {
		assert_string_equal(proto_type_name((enum proto_type)t), wire[t]);
		assert_int_equal(proto_type_parse(wire[t]), t);
	}
}

static void
proto__type_parse__gives_none_for_unknown_names(void **state)
{
	(void)state;
	assert_int_equal(proto_type_parse(""), PT_NONE);
	assert_int_equal(proto_type_parse("hello"), PT_NONE);
	assert_int_equal(proto_type_parse("HELLO "), PT_NONE);
	assert_int_equal(proto_type_parse("FROBNICATE"), PT_NONE);
}

static void
proto__err_name__gives_the_protocol_code_for_every_error(void **state)
{
	(void)state;
	static const char *const wire[PE_COUNT] = {
		[PE_OK] = "ok",
		[PE_BAD_JSON] = "bad_json", [PE_UNKNOWN_TYPE] = "unknown_type",
		[PE_BAD_FIELD] = "bad_field", [PE_TOO_LARGE] = "too_large",
		[PE_INVALID_UTF8] = "invalid_utf8",
		[PE_UNSUPPORTED_FRAME] = "unsupported_frame", [PE_BAD_ROOM] = "bad_room",
		[PE_NOT_JOINED] = "not_joined", [PE_RATE_LIMITED] = "rate_limited",
		[PE_TOO_MANY_ROOMS] = "too_many_rooms", [PE_NO_HELLO] = "no_hello",
		[PE_BAD_STATE] = "bad_state", [PE_INTERNAL] = "internal",
		[PE_BAD_OP] = "bad_op", [PE_BAD_REV] = "bad_rev",
		[PE_REV_TOO_OLD] = "rev_too_old", [PE_NOT_OPEN] = "not_open",
		[PE_FORBIDDEN] = "forbidden", [PE_UNKNOWN_USER] = "unknown_user",
		[PE_UNAUTHORIZED] = "unauthorized", [PE_TAKEN] = "taken",
		[PE_INVITE_ONLY] = "invite_only", [PE_BANNED] = "banned",
		[PE_TOO_MANY_SESSIONS] = "too_many_sessions",
		[PE_TOO_MANY_DOCS] = "too_many_docs",
		[PE_NO_MESSAGE] = "no_message", [PE_DELETED] = "deleted",
		[PE_BAD_EMOJI] = "bad_emoji",
		[PE_TOO_MANY_REACTIONS] = "too_many_reactions",
		[PE_NO_COMMENT] = "no_comment",
		[PE_NO_SUGGESTION] = "no_suggestion",
	};
	for (int c = PE_OK + 1; c < PE_COUNT; c++)
		assert_string_equal(proto_err_name((enum proto_err)c), wire[c]);
}

static void
proto__err_name__is_distinct_for_every_error(void **state)
{
	(void)state;
	for (int a = 0; a < PE_COUNT; a++)
		for (int b = a + 1; b < PE_COUNT; b++)
			assert_string_not_equal(proto_err_name((enum proto_err)a),
			    proto_err_name((enum proto_err)b));
}

static void
proto__status_parse__inverts_status_name_for_every_status(void **state)
{
	(void)state;
	static const char *const wire[] = {
		[PS_ONLINE] = "online", [PS_AWAY] = "away", [PS_BUSY] = "busy",
		[PS_OFFLINE] = "offline",
	};
	for (int s = PS_ONLINE; s <= PS_OFFLINE; s++) {
		assert_string_equal(proto_status_name((enum proto_status)s), wire[s]);
		assert_int_equal(proto_status_parse(wire[s]), s);
	}
}

static void
proto__status_parse__gives_none_for_unknown_names(void **state)
{
	(void)state;
	assert_int_equal(proto_status_parse(""), PS_NONE);
	assert_int_equal(proto_status_parse("Online"), PS_NONE);
	assert_int_equal(proto_status_parse("invisible"), PS_NONE);
}

/* ---- frame life cycle ---------------------------------------------------- */

static void
proto__frame_of__is_zero_but_for_the_type(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_LEAVE);
	assert_int_equal(f.type, PT_LEAVE);
	f.type = PT_NONE;
	assert_empty_frame(&f);
}

static void
proto__frame_free__empties_the_frame_and_may_be_repeated(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"HELLO\",\"user\":\"a\",\"resume\":{\"lobby\":1}}";
	struct proto_frame f;
	decode_ok(json, sizeof json - 1, PROTO_TO_SERVER, &f);
	assert_int_equal(f.nresume, 1);
	proto_frame_free(&f);
	assert_empty_frame(&f);
	proto_frame_free(&f);
	assert_empty_frame(&f);
}

static void
proto__frame_free__leaves_a_caller_built_frame_alone(void **state)
{
	(void)state;
	const char *typing[] = {"bob"};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.typing = typing;
	f.ntyping = 1;
	proto_frame_free(&f); /* owns nothing: must not free typing */
	assert_string_equal(typing[0], "bob");
}

#define TEST(f) cmocka_unit_test_teardown(f, release_held)


static void
proto__login__carries_the_user_and_password_to_the_server(void **state)
{
	(void)state;
	const char *json = "{\"type\":\"LOGIN\",\"cid\":\"l1\",\"user\":\"alice\","
	    "\"password\":\"hunter two\"}";
	struct proto_frame f;
	struct proto_error err;
	assert_true(proto_decode(json, strlen(json), PROTO_TO_SERVER, &f, &err));
	assert_int_equal(f.type, PT_LOGIN);
	assert_string_equal(f.user, "alice");
	assert_string_equal(f.password, "hunter two");
	proto_frame_free(&f);
	const char *nopw = "{\"type\":\"LOGIN\",\"cid\":\"l1\",\"user\":\"alice\"}";
	assert_false(proto_decode(nopw, strlen(nopw), PROTO_TO_SERVER, &f, &err));
	assert_int_equal(err.code, PE_BAD_FIELD);
}

static void
proto__logged_in__carries_the_token_and_its_expiry_to_the_client(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_LOGGED_IN);
	f.cid = "l1";
	f.user = "alice";
	f.token = "tok";
	f.expires = 1800000000000;
	f.has_expires = true;
	char *s = proto_encode(&f, PROTO_TO_CLIENT);
	assert_non_null(s);
	struct proto_frame g;
	struct proto_error err;
	assert_true(proto_decode(s, strlen(s), PROTO_TO_CLIENT, &g, &err));
	assert_string_equal(g.token, "tok");
	assert_int_equal(g.expires, 1800000000000);
	proto_frame_free(&g);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(proto__roundtrip__hello_with_resume_token_and_client),
		TEST(proto__roundtrip__hello_with_only_a_user),
		TEST(proto__roundtrip__join_with_since_and_cid),
		TEST(proto__roundtrip__join_with_since_zero_keeps_since),
		TEST(proto__roundtrip__join_without_since),
		TEST(proto__roundtrip__leave),
		TEST(proto__roundtrip__message_to_server),
		TEST(proto__roundtrip__history_request),
		TEST(proto__roundtrip__typing_to_server),
		TEST(proto__roundtrip__typing_inactive_keeps_false),
		TEST(proto__roundtrip__presence_update_to_server),
		TEST(proto__roundtrip__heartbeat_to_server),
		TEST(proto__roundtrip__welcome_with_limits),
		TEST(proto__roundtrip__welcome_without_limits),
		TEST(proto__roundtrip__joined_with_members_typing_and_messages),
		TEST(proto__roundtrip__joined_of_an_empty_room),
		TEST(proto__roundtrip__message_to_client),
		TEST(proto__roundtrip__ack_with_every_field),
		TEST(proto__roundtrip__ack_with_only_a_cid),
		TEST(proto__roundtrip__history_answer_with_messages),
		TEST(proto__roundtrip__history_answer_without_messages),
		TEST(proto__roundtrip__typing_to_client),
		TEST(proto__roundtrip__presence_update_to_client),
		TEST(proto__roundtrip__presence_update_to_client_may_say_offline),
		TEST(proto__roundtrip__heartbeat_to_client),
		TEST(proto__roundtrip__user_joined),
		TEST(proto__roundtrip__user_left),
		TEST(proto__roundtrip__error),
		TEST(proto__roundtrip__integers_up_to_2_pow_53_are_exact),

		TEST(proto__decode__reads_the_protocol_page_example_of_joined),
		TEST(proto__decode__ignores_unknown_fields),
		TEST(proto__decode__ignores_fields_of_other_frame_types),
		TEST(proto__decode__accepts_whitespace_around_the_object),
		TEST(proto__decode__accepts_an_integer_written_with_an_exponent),
		TEST(proto__decode__accepts_nesting_of_exactly_64_levels),
		TEST(proto__decode__accepts_brackets_inside_strings_beyond_the_depth_limit),
		TEST(proto__decode__accepts_an_escaped_backslash_before_u0000_text),
		TEST(proto__decode__accepts_escaped_non_ascii_and_surrogate_pairs),
		TEST(proto__decode__accepts_a_room_of_64_characters),
		TEST(proto__decode__accepts_a_direct_message_room_wherever_a_room_goes),
		TEST(proto__decode__accepts_a_direct_message_room_of_two_32_character_users),
		TEST(proto__decode__treats_an_optional_null_as_absent),

		TEST(proto__decode__error_carries_cid_and_type_of_a_frame_with_a_bad_field),
		TEST(proto__decode__error_carries_cid_and_type_of_a_frame_with_a_bad_room),
		TEST(proto__decode__error_carries_the_cid_of_a_frame_of_unknown_type),
		TEST(proto__decode__error_carries_the_cid_of_a_frame_without_type),
		TEST(proto__decode__error_carries_a_cid_of_64_characters_whole),
		TEST(proto__decode__error_omits_a_cid_that_breaks_the_cid_rule),
		TEST(proto__decode__error_omits_a_cid_that_is_not_a_string),
		TEST(proto__decode__error_has_no_cid_or_ref_when_the_json_is_unreadable),
		TEST(proto__decode__error_has_no_cid_or_ref_when_the_utf8_is_invalid),
		TEST(proto__decode__failure_leaves_the_frame_empty),
		TEST(proto__decode__names_the_statuses_a_field_takes),

		TEST(proto__decode__rejects_10000_unclosed_brackets),
		TEST(proto__decode__rejects_10000_nested_arrays),
		TEST(proto__decode__rejects_10000_nested_objects),
		TEST(proto__decode__rejects_10000_nested_objects_inside_a_valid_frame),
		TEST(proto__decode__rejects_nesting_of_65_levels),
		TEST(proto__decode__rejects_a_room_of_65_characters),

		/* bad_json */
		REJECT(proto__decode__rejects_an_empty_frame_as_bad_json, TS_, PE_BAD_JSON, ""),
		REJECT(proto__decode__rejects_a_syntax_error_as_bad_json, TS_, PE_BAD_JSON,
		    "{\"type\":\"JOIN\",\"room\":"),
		REJECT(proto__decode__rejects_unquoted_keys_as_bad_json, TS_, PE_BAD_JSON,
		    "{type:\"HEARTBEAT\"}"),
		REJECT(proto__decode__rejects_a_trailing_comma_as_bad_json, TS_, PE_BAD_JSON,
		    "{\"type\":\"HEARTBEAT\",}"),
		REJECT(proto__decode__rejects_single_quotes_as_bad_json, TS_, PE_BAD_JSON,
		    "{'type':'HEARTBEAT'}"),
		REJECT(proto__decode__rejects_an_array_as_bad_json, TS_, PE_BAD_JSON, "[]"),
		REJECT(proto__decode__rejects_a_number_as_bad_json, TS_, PE_BAD_JSON, "42"),
		REJECT(proto__decode__rejects_a_string_as_bad_json, TS_, PE_BAD_JSON,
		    "\"HEARTBEAT\""),
		REJECT(proto__decode__rejects_null_as_bad_json, TS_, PE_BAD_JSON, "null"),
		REJECT(proto__decode__rejects_an_array_holding_a_frame_as_bad_json, TC_,
		    PE_BAD_JSON, "[{\"type\":\"HEARTBEAT\"}]"),
		REJECT(proto__decode__rejects_the_u0000_escape_as_bad_json, TS_, PE_BAD_JSON,
		    MSG_PREFIX "\"a\\u0000b\"}"),
		REJECT(proto__decode__rejects_the_u0000_escape_in_a_key_as_bad_json, TS_,
		    PE_BAD_JSON, "{\"type\":\"HEARTBEAT\",\"\\u0000\":1}"),
		REJECT(proto__decode__rejects_a_lone_surrogate_escape_as_bad_json, TS_,
		    PE_BAD_JSON, MSG_PREFIX "\"\\ud800\"}"),
		REJECT(proto__decode__rejects_trailing_content_after_the_object_as_bad_json,
		    TS_, PE_BAD_JSON, "{\"type\":\"HEARTBEAT\"} garbage"),
		REJECT(proto__decode__rejects_a_second_object_in_the_frame_as_bad_json, TS_,
		    PE_BAD_JSON, "{\"type\":\"HEARTBEAT\"}{\"type\":\"LEAVE\",\"room\":\"a\"}"),
		REJECT(proto__decode__rejects_a_raw_nul_byte_in_a_string_as_bad_json, TS_,
		    PE_BAD_JSON, MSG_PREFIX "\"a\0b\"}"),
		REJECT(proto__decode__rejects_a_raw_control_character_in_a_string_as_bad_json,
		    TS_, PE_BAD_JSON, MSG_PREFIX "\"a\x01" "b\"}"),

		/* unknown_type */
		REJECT(proto__decode__rejects_a_frame_without_type, TS_, PE_UNKNOWN_TYPE,
		    "{\"room\":\"lobby\"}"),
		REJECT(proto__decode__rejects_a_numeric_type, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":5}"),
		REJECT(proto__decode__rejects_a_null_type, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":null}"),
		REJECT(proto__decode__rejects_an_array_type, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":[\"HELLO\"]}"),
		REJECT(proto__decode__rejects_an_empty_type, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"\"}"),
		REJECT(proto__decode__rejects_a_lower_case_type, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"hello\",\"user\":\"alice\"}"),
		REJECT(proto__decode__rejects_an_unknown_type, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"FROBNICATE\"}"),
		REJECT(proto__decode__rejects_welcome_sent_to_the_server, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"s\",\"heartbeat_ms\":1}"),
		REJECT(proto__decode__rejects_joined_sent_to_the_server, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1}"),
		REJECT(proto__decode__rejects_ack_sent_to_the_server, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"ACK\",\"cid\":\"c\"}"),
		REJECT(proto__decode__rejects_error_sent_to_the_server, TS_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"ERROR\",\"code\":\"internal\",\"reason\":\"x\"}"),
		REJECT(proto__decode__rejects_user_joined_sent_to_the_server, TS_,
		    PE_UNKNOWN_TYPE, "{\"type\":\"USER_JOINED\",\"room\":\"a\",\"user\":\"b\"}"),
		REJECT(proto__decode__rejects_user_left_sent_to_the_server, TS_,
		    PE_UNKNOWN_TYPE, "{\"type\":\"USER_LEFT\",\"room\":\"a\",\"user\":\"b\"}"),
		REJECT(proto__decode__rejects_hello_sent_to_a_client, TC_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"HELLO\",\"user\":\"alice\"}"),
		REJECT(proto__decode__rejects_join_sent_to_a_client, TC_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"JOIN\",\"room\":\"lobby\"}"),
		REJECT(proto__decode__rejects_leave_sent_to_a_client, TC_, PE_UNKNOWN_TYPE,
		    "{\"type\":\"LEAVE\",\"room\":\"lobby\"}"),

		/* bad_field, client -> server */
		REJECT(proto__decode__rejects_hello_without_user, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HELLO\"}"),
		REJECT(proto__decode__rejects_hello_with_a_null_user, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HELLO\",\"user\":null}"),
		REJECT(proto__decode__rejects_hello_with_an_empty_user, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HELLO\",\"user\":\"\"}"),
		REJECT(proto__decode__rejects_hello_with_a_user_containing_a_space, TS_,
		    PE_BAD_FIELD, "{\"type\":\"HELLO\",\"user\":\"al ice\"}"),
		REJECT(proto__decode__rejects_hello_with_a_user_starting_with_a_dot, TS_,
		    PE_BAD_FIELD, "{\"type\":\"HELLO\",\"user\":\".alice\"}"),
		REJECT(proto__decode__rejects_hello_with_a_user_of_33_characters, TS_,
		    PE_BAD_FIELD, "{\"type\":\"HELLO\",\"user\":\"abcdefghijabcdefghijabcdefghijabc\"}"),
		REJECT(proto__decode__rejects_hello_with_a_numeric_user, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HELLO\",\"user\":7}"),
		REJECT(proto__decode__rejects_hello_with_a_numeric_token, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HELLO\",\"user\":\"alice\",\"token\":7}"),
		REJECT(proto__decode__rejects_hello_with_resume_as_an_array, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HELLO\",\"user\":\"alice\",\"resume\":[\"lobby\"]}"),
		REJECT(proto__decode__rejects_hello_with_a_negative_resume_seq, TS_,
		    PE_BAD_FIELD, "{\"type\":\"HELLO\",\"user\":\"alice\",\"resume\":{\"lobby\":-1}}"),
		REJECT(proto__decode__rejects_hello_with_a_fractional_resume_seq, TS_,
		    PE_BAD_FIELD, "{\"type\":\"HELLO\",\"user\":\"alice\",\"resume\":{\"lobby\":1.5}}"),
		REJECT(proto__decode__rejects_hello_with_a_string_resume_seq, TS_,
		    PE_BAD_FIELD, "{\"type\":\"HELLO\",\"user\":\"alice\",\"resume\":{\"lobby\":\"4\"}}"),
		REJECT(proto__decode__rejects_join_without_room, TS_, PE_BAD_FIELD,
		    "{\"type\":\"JOIN\"}"),
		REJECT(proto__decode__rejects_join_with_a_numeric_room, TS_, PE_BAD_FIELD,
		    "{\"type\":\"JOIN\",\"room\":5}"),
		REJECT(proto__decode__rejects_join_with_a_negative_since, TS_, PE_BAD_FIELD,
		    "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":-1}"),
		REJECT(proto__decode__rejects_join_with_a_float_since, TS_, PE_BAD_FIELD,
		    "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":1.5}"),
		REJECT(proto__decode__rejects_join_with_a_string_since, TS_, PE_BAD_FIELD,
		    "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":\"41\"}"),
		REJECT(proto__decode__rejects_join_with_a_boolean_since, TS_, PE_BAD_FIELD,
		    "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":true}"),
		REJECT(proto__decode__rejects_join_with_a_since_beyond_2_pow_53, TS_,
		    PE_BAD_FIELD, "{\"type\":\"JOIN\",\"room\":\"lobby\",\"since\":1e300}"),
		REJECT(proto__decode__rejects_leave_with_a_bad_cid, TS_, PE_BAD_FIELD,
		    "{\"type\":\"LEAVE\",\"room\":\"lobby\",\"cid\":\"\"}"),
		REJECT(proto__decode__rejects_message_without_cid, TS_, PE_BAD_FIELD,
		    "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"text\":\"hi\"}"),
		REJECT(proto__decode__rejects_message_without_text, TS_, PE_BAD_FIELD,
		    "{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"lobby\"}"),
		REJECT(proto__decode__rejects_message_with_numeric_text, TS_, PE_BAD_FIELD,
		    MSG_PREFIX "42}"),
		REJECT(proto__decode__rejects_message_with_an_empty_cid, TS_, PE_BAD_FIELD,
		    "{\"type\":\"MESSAGE\",\"cid\":\"\",\"room\":\"lobby\",\"text\":\"hi\"}"),
		REJECT(proto__decode__rejects_message_with_a_cid_containing_a_space, TS_,
		    PE_BAD_FIELD, "{\"type\":\"MESSAGE\",\"cid\":\"a b\",\"room\":\"lobby\",\"text\":\"hi\"}"),
		REJECT(proto__decode__rejects_message_with_a_non_ascii_cid, TS_, PE_BAD_FIELD,
		    "{\"type\":\"MESSAGE\",\"cid\":\"caf\xc3\xa9\",\"room\":\"lobby\",\"text\":\"hi\"}"),
		REJECT(proto__decode__rejects_message_with_a_cid_of_65_characters, TS_,
		    PE_BAD_FIELD, "{\"type\":\"MESSAGE\",\"cid\":\"0123456789012345678901234567"
		    "8901234567890123456789012345678901234\",\"room\":\"lobby\",\"text\":\"hi\"}"),
		REJECT(proto__decode__rejects_message_with_a_numeric_cid, TS_, PE_BAD_FIELD,
		    "{\"type\":\"MESSAGE\",\"cid\":12,\"room\":\"lobby\",\"text\":\"hi\"}"),
		REJECT(proto__decode__rejects_history_with_limit_zero, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"limit\":0}"),
		REJECT(proto__decode__rejects_history_with_a_negative_before, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"before\":-3}"),
		REJECT(proto__decode__rejects_typing_without_active, TS_, PE_BAD_FIELD,
		    "{\"type\":\"TYPING\",\"room\":\"lobby\"}"),
		REJECT(proto__decode__rejects_typing_with_a_numeric_active, TS_, PE_BAD_FIELD,
		    "{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":1}"),
		REJECT(proto__decode__rejects_typing_with_a_string_active, TS_, PE_BAD_FIELD,
		    "{\"type\":\"TYPING\",\"room\":\"lobby\",\"active\":\"true\"}"),
		REJECT(proto__decode__rejects_presence_update_without_status, TS_, PE_BAD_FIELD,
		    "{\"type\":\"PRESENCE_UPDATE\",\"text\":\"lunch\"}"),
		REJECT(proto__decode__rejects_presence_update_with_status_offline, TS_,
		    PE_BAD_FIELD, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"offline\"}"),
		REJECT(proto__decode__rejects_presence_update_with_an_unknown_status, TS_,
		    PE_BAD_FIELD, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"sleeping\"}"),
		REJECT(proto__decode__rejects_presence_update_with_an_upper_case_status, TS_,
		    PE_BAD_FIELD, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"AWAY\"}"),
		REJECT(proto__decode__rejects_presence_update_with_a_numeric_status, TS_,
		    PE_BAD_FIELD, "{\"type\":\"PRESENCE_UPDATE\",\"status\":1}"),
		REJECT(proto__decode__rejects_presence_update_with_numeric_text, TS_,
		    PE_BAD_FIELD, "{\"type\":\"PRESENCE_UPDATE\",\"status\":\"away\",\"text\":5}"),
		REJECT(proto__decode__rejects_heartbeat_with_a_negative_ts, TS_, PE_BAD_FIELD,
		    "{\"type\":\"HEARTBEAT\",\"ts\":-1}"),

		/* bad_field, server -> client */
		REJECT(proto__decode__rejects_welcome_with_heartbeat_ms_zero, TC_, PE_BAD_FIELD,
		    "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"s\",\"heartbeat_ms\":0}"),
		REJECT(proto__decode__rejects_welcome_with_limits_not_an_object, TC_,
		    PE_BAD_FIELD, "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"s\","
		    "\"heartbeat_ms\":1,\"limits\":[1,2]}"),
		REJECT(proto__decode__rejects_welcome_with_a_negative_limit, TC_, PE_BAD_FIELD,
		    "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"s\","
		    "\"heartbeat_ms\":1,\"limits\":{\"max_text\":-1}}"),
		REJECT(proto__decode__rejects_joined_without_seq, TC_, PE_BAD_FIELD,
		    "{\"type\":\"JOINED\",\"room\":\"lobby\"}"),
		REJECT(proto__decode__rejects_joined_with_members_not_an_array, TC_,
		    PE_BAD_FIELD, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,\"members\":{}}"),
		REJECT(proto__decode__rejects_joined_with_a_member_that_is_not_an_object, TC_,
		    PE_BAD_FIELD, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,\"members\":[\"alice\"]}"),
		REJECT(proto__decode__rejects_joined_with_a_member_without_status, TC_,
		    PE_BAD_FIELD, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,"
		    "\"members\":[{\"user\":\"alice\"}]}"),
		REJECT(proto__decode__rejects_joined_with_a_bad_user_in_typing, TC_,
		    PE_BAD_FIELD, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,"
		    "\"typing\":[\"bob\",\"-x\"]}"),
		REJECT(proto__decode__rejects_joined_with_a_non_string_in_typing, TC_,
		    PE_BAD_FIELD, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,\"typing\":[1]}"),
		REJECT(proto__decode__rejects_joined_with_a_message_without_id, TC_,
		    PE_BAD_FIELD, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,"
		    "\"messages\":[{\"seq\":1,\"user\":\"bob\",\"text\":\"hi\",\"ts\":1}]}"),
		REJECT(proto__decode__rejects_a_server_message_with_seq_zero, TC_, PE_BAD_FIELD,
		    "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":0,\"id\":\"1\","
		    "\"user\":\"bob\",\"text\":\"hi\",\"ts\":1}"),
		REJECT(proto__decode__rejects_history_answer_without_more, TC_, PE_BAD_FIELD,
		    "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"messages\":[]}"),
		REJECT(proto__decode__rejects_presence_update_to_a_client_without_last_seen,
		    TC_, PE_BAD_FIELD, "{\"type\":\"PRESENCE_UPDATE\",\"user\":\"alice\","
		    "\"status\":\"away\"}"),

		/* invalid_utf8 */
		REJECT(proto__decode__rejects_byte_ff_as_invalid_utf8, TS_, PE_INVALID_UTF8,
		    MSG_PREFIX "\"\xff\"}"),
		REJECT(proto__decode__rejects_an_overlong_slash_as_invalid_utf8, TS_,
		    PE_INVALID_UTF8, MSG_PREFIX "\"\xc0\xaf\"}"),
		REJECT(proto__decode__rejects_an_encoded_surrogate_as_invalid_utf8, TS_,
		    PE_INVALID_UTF8, MSG_PREFIX "\"\xed\xa0\x80\"}"),
		REJECT(proto__decode__rejects_a_code_point_above_10ffff_as_invalid_utf8, TS_,
		    PE_INVALID_UTF8, MSG_PREFIX "\"\xf4\x90\x80\x80\"}"),
		REJECT(proto__decode__rejects_a_truncated_sequence_as_invalid_utf8, TS_,
		    PE_INVALID_UTF8, MSG_PREFIX "\"\xe2\x82\"}"),
		REJECT(proto__decode__rejects_a_stray_continuation_byte_as_invalid_utf8, TS_,
		    PE_INVALID_UTF8, MSG_PREFIX "\"a\x80\"}"),
		REJECT(proto__decode__rejects_invalid_utf8_in_a_key, TS_, PE_INVALID_UTF8,
		    "{\"type\":\"HEARTBEAT\",\"\xff\":1}"),
		REJECT(proto__decode__rejects_invalid_utf8_in_an_unknown_field, TS_,
		    PE_INVALID_UTF8, "{\"type\":\"HEARTBEAT\",\"x\":\"\xc1\xbf\"}"),
		REJECT(proto__decode__rejects_invalid_utf8_even_in_broken_json, TS_,
		    PE_INVALID_UTF8, "{\"type\":\"\xfe"),
		REJECT(proto__decode__rejects_invalid_utf8_sent_to_a_client, TC_,
		    PE_INVALID_UTF8, "{\"type\":\"USER_LEFT\",\"room\":\"lobby\",\"user\":\"b\xff\"}"),

		/* bad_room */
		REJECT(proto__decode__rejects_an_upper_case_room, TS_, PE_BAD_ROOM,
		    "{\"type\":\"JOIN\",\"room\":\"Lobby\"}"),
		REJECT(proto__decode__rejects_an_empty_room, TS_, PE_BAD_ROOM,
		    "{\"type\":\"JOIN\",\"room\":\"\"}"),
		REJECT(proto__decode__rejects_a_room_starting_with_a_dash, TS_, PE_BAD_ROOM,
		    "{\"type\":\"JOIN\",\"room\":\"-lobby\"}"),
		REJECT(proto__decode__rejects_the_reserved_room_at_dm, TS_, PE_BAD_ROOM,
		    "{\"type\":\"JOIN\",\"room\":\"@dm\"}"),
		REJECT(proto__decode__rejects_a_direct_message_room_in_the_wrong_order, TS_,
		    PE_BAD_ROOM, "{\"type\":\"JOIN\",\"room\":\"@bob+alice\"}"),
		REJECT(proto__decode__rejects_a_direct_message_room_of_one_user, TS_,
		    PE_BAD_ROOM, "{\"type\":\"JOIN\",\"room\":\"@alice+alice\"}"),
		REJECT(proto__decode__rejects_a_direct_message_room_without_a_second_user,
		    TS_, PE_BAD_ROOM, "{\"type\":\"JOIN\",\"room\":\"@alice+\"}"),
		REJECT(proto__decode__rejects_a_direct_message_room_of_three_users, TS_,
		    PE_BAD_ROOM, "{\"type\":\"JOIN\",\"room\":\"@a+b+c\"}"),
		REJECT(proto__decode__rejects_a_direct_message_room_with_a_bad_user_name,
		    TS_, PE_BAD_ROOM, "{\"type\":\"MESSAGE\",\"cid\":\"c\","
		    "\"room\":\"@alice+b!b\",\"text\":\"hi\"}"),
		REJECT(proto__decode__rejects_a_direct_message_room_in_the_wrong_order_in_resume,
		    TS_, PE_BAD_ROOM, "{\"type\":\"HELLO\",\"user\":\"alice\","
		    "\"resume\":{\"@bob+alice\":1}}"),
		REJECT(proto__decode__rejects_a_direct_message_room_as_a_document_name, TS_,
		    PE_BAD_FIELD, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\","
		    "\"doc\":\"@alice+bob\"}"),
		REJECT(proto__decode__rejects_a_room_with_a_space, TS_, PE_BAD_ROOM,
		    "{\"type\":\"JOIN\",\"room\":\"the lobby\"}"),
		REJECT(proto__decode__rejects_a_bad_room_in_leave, TS_, PE_BAD_ROOM,
		    "{\"type\":\"LEAVE\",\"room\":\"Lobby\"}"),
		REJECT(proto__decode__rejects_a_bad_room_in_message, TS_, PE_BAD_ROOM,
		    "{\"type\":\"MESSAGE\",\"cid\":\"c\",\"room\":\"@dm\",\"text\":\"hi\"}"),
		REJECT(proto__decode__rejects_a_bad_room_in_history, TS_, PE_BAD_ROOM,
		    "{\"type\":\"HISTORY\",\"room\":\"_x\"}"),
		REJECT(proto__decode__rejects_a_bad_room_in_typing, TS_, PE_BAD_ROOM,
		    "{\"type\":\"TYPING\",\"room\":\"X\",\"active\":true}"),
		REJECT(proto__decode__rejects_a_bad_room_in_hello_resume, TS_, PE_BAD_ROOM,
		    "{\"type\":\"HELLO\",\"user\":\"alice\",\"resume\":{\"lobby\":1,\"Dev\":2}}"),
		REJECT(proto__decode__rejects_a_bad_room_sent_to_a_client, TC_, PE_BAD_ROOM,
		    "{\"type\":\"USER_LEFT\",\"room\":\"Lobby\",\"user\":\"bob\"}"),
		REJECT(proto__decode__rejects_a_bad_room_inside_a_joined_message, TC_,
		    PE_BAD_ROOM, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":1,"
		    "\"messages\":[{\"room\":\"Lobby\",\"seq\":1,\"id\":\"1\",\"user\":\"b\","
		    "\"text\":\"hi\",\"ts\":1}]}"),

		TEST(proto__encode__refuses_hello_without_user),
		TEST(proto__encode__refuses_join_without_room),
		TEST(proto__encode__refuses_a_client_message_without_cid_or_text),
		TEST(proto__encode__refuses_a_server_message_without_seq),
		TEST(proto__encode__refuses_presence_update_without_status),
		TEST(proto__encode__refuses_error_without_code_or_reason),
		TEST(proto__encode__refuses_welcome_without_heartbeat_ms),
		TEST(proto__encode__refuses_joined_with_a_member_without_status),
		TEST(proto__encode__refuses_joined_with_a_message_without_id),
		TEST(proto__encode__refuses_a_type_the_direction_does_not_send),
		TEST(proto__encode__omits_absent_optional_fields),
		TEST(proto__encode__always_writes_the_arrays_of_joined),
		TEST(proto__encode__escapes_control_characters_in_text),

		TEST(proto__encode_error__decodes_as_error_with_code_cid_ref_and_reason),
		TEST(proto__encode_error__omits_a_null_or_empty_cid_and_ref),
		TEST(proto__encode_error__works_for_every_code),
		TEST(proto__encode_error__carries_the_fields_of_a_decode_error),

		TEST(proto__type_parse__inverts_type_name_for_every_type),
		TEST(proto__type_parse__gives_none_for_unknown_names),
		TEST(proto__login__carries_the_user_and_password_to_the_server),
		TEST(proto__logged_in__carries_the_token_and_its_expiry_to_the_client),
		TEST(proto__err_name__gives_the_protocol_code_for_every_error),
		TEST(proto__err_name__is_distinct_for_every_error),
		TEST(proto__status_parse__inverts_status_name_for_every_status),
		TEST(proto__status_parse__gives_none_for_unknown_names),

		TEST(proto__frame_of__is_zero_but_for_the_type),
		TEST(proto__frame_free__empties_the_frame_and_may_be_repeated),
		TEST(proto__frame_free__leaves_a_caller_built_frame_alone),
	};
	return cmocka_run_group_tests_name("proto", tests, NULL, NULL);
}
