/*
 * proto_msgs: the frames of threads, reactions, edits and deletes
 * (docs/protocol.md, "Threads, reactions, edits and deletes"): every
 * request and event survives encode -> decode with its fields, a message
 * object carries its thread, replies, edit, tombstone and reactions, resume
 * takes the {seq, rev} form besides the old one, and malformed frames are
 * refused with their stable error code.
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
#include "model/reactemoji.h"

#include "proto_fixture.h"

static void
proto_msgs__requests__survive_a_round_trip(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_REACT);
	f.cid = "r1";
	f.room = "dev";
	f.seq = 12;
	f.has_seq = true;
	f.emoji = "\xf0\x9f\x91\x8d"; /* 👍 */
	f.on = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	same_str("cid", "r1", g->cid);
	same_str("room", "dev", g->room);
	assert_int_equal(g->seq, 12);
	same_str("emoji", f.emoji, g->emoji);
	assert_true(g->on);
	f.on = false;
	assert_false(round_trip(&f, PROTO_TO_SERVER)->on);

	f = proto_frame_of(PT_EDIT);
	f.cid = "e1";
	f.room = "dev";
	f.seq = 3;
	f.has_seq = true;
	f.text = "fixed \"typo\"";
	g = round_trip(&f, PROTO_TO_SERVER);
	same_str("text", f.text, g->text);
	assert_int_equal(g->seq, 3);

	f = proto_frame_of(PT_DELETE);
	f.cid = "d1";
	f.room = "@alice+bob";
	f.seq = 9;
	f.has_seq = true;
	g = round_trip(&f, PROTO_TO_SERVER);
	same_str("room", "@alice+bob", g->room);
	assert_int_equal(g->seq, 9);

	f = proto_frame_of(PT_THREAD);
	f.room = "dev";
	f.root = 4;
	f.has_root = true;
	f.before = 30;
	f.has_before = true;
	f.limit = 20;
	f.has_limit = true;
	g = round_trip(&f, PROTO_TO_SERVER);
	assert_int_equal(g->root, 4);
	assert_int_equal(g->before, 30);
	assert_int_equal(g->limit, 20);
	assert_null(g->cid);

	f = proto_frame_of(PT_MESSAGE);
	f.cid = "m1";
	f.room = "dev";
	f.text = "a reply";
	f.thread = 4;
	f.has_thread = true;
	g = round_trip(&f, PROTO_TO_SERVER);
	assert_true(g->has_thread);
	assert_int_equal(g->thread, 4);
	f.has_thread = false;
	assert_false(round_trip(&f, PROTO_TO_SERVER)->has_thread);
	assert_null(strstr(held.json, "thread"));
}

static void
proto_msgs__events__survive_a_round_trip(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_REACTION);
	f.room = "dev";
	f.seq = 12;
	f.has_seq = true;
	f.emoji = "\xf0\x9f\x8e\x89";
	f.user = "bob";
	f.on = false;
	f.count = 0;
	f.rev = 7;
	f.has_rev = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	same_str("emoji", f.emoji, g->emoji);
	same_str("user", "bob", g->user);
	assert_false(g->on);
	assert_int_equal(g->count, 0);
	assert_int_equal(g->rev, 7);
	assert_non_null(strstr(held.json, "\"count\":0"));

	f = proto_frame_of(PT_MESSAGE_EDITED);
	f.room = "dev";
	f.seq = 3;
	f.has_seq = true;
	f.text = "new text";
	f.edited_ts = 1700000000123;
	f.rev = 8;
	f.has_rev = true;
	g = round_trip(&f, PROTO_TO_CLIENT);
	same_str("text", "new text", g->text);
	assert_int_equal(g->edited_ts, 1700000000123);
	assert_int_equal(g->rev, 8);

	f = proto_frame_of(PT_MESSAGE_DELETED);
	f.room = "dev";
	f.seq = 3;
	f.has_seq = true;
	f.by = "carol";
	f.rev = 9;
	f.has_rev = true;
	g = round_trip(&f, PROTO_TO_CLIENT);
	same_str("by", "carol", g->by);
	assert_int_equal(g->rev, 9);
	/* without its rev an event cannot be placed: not encoded */
	f.has_rev = false;
	assert_null(proto_encode(&f, PROTO_TO_CLIENT));
}

static const char *alice_bob[] = {"alice", "bob"};

static void
proto_msgs__messages__carry_thread_replies_edit_tombstone_and_reactions(
    void **state)
{
	(void)state;
	struct proto_reaction rx[] = {
		{.emoji = "\xf0\x9f\x91\x8d", .count = 3, .users = alice_bob,
		    .nusers = 2},
		{.emoji = "\xf0\x9f\x8e\x89", .count = 1, .users = alice_bob + 1,
		    .nusers = 1},
	};
	struct proto_message ms[] = {
		{.seq = 1, .id = "1", .user = "alice", .text = "root", .ts = 10,
		    .replies = 3, .last_reply = 40, .reactions = rx, .nreactions = 2},
		{.seq = 2, .id = "2", .user = "bob", .text = "reply", .ts = 20,
		    .thread = 1, .edited_ts = 25},
		{.seq = 3, .id = "3", .user = "carol", .text = "ignored", .ts = 30,
		    .thread = 1, .deleted = true},
	};
	struct proto_frame f = proto_frame_of(PT_THREAD);
	f.room = "dev";
	f.cid = "t1";
	f.root = 1;
	f.has_root = true;
	f.messages = ms;
	f.nmessages = 3;
	f.more = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->nmessages, 3);
	assert_true(g->more);
	const struct proto_message *m = &g->messages[0];
	assert_int_equal(m->thread, 0);
	assert_int_equal(m->replies, 3);
	assert_int_equal(m->last_reply, 40);
	assert_int_equal(m->nreactions, 2);
	same_str("emoji", rx[0].emoji, m->reactions[0].emoji);
	assert_int_equal(m->reactions[0].count, 3);
	assert_int_equal(m->reactions[0].nusers, 2);
	same_str("users", "bob", m->reactions[0].users[1]);
	same_str("emoji", rx[1].emoji, m->reactions[1].emoji);
	m = &g->messages[1];
	assert_int_equal(m->thread, 1);
	assert_int_equal(m->edited_ts, 25);
	assert_false(m->deleted);
	assert_int_equal(m->nreactions, 0);
	m = &g->messages[2];
	assert_true(m->deleted);
	assert_null(m->text); /* a tombstone's text is never sent */
	assert_null(strstr(held.json, "ignored"));
	/* fields at their default are left out */
	assert_null(strstr(held.json, "\"deleted\":false"));
	assert_null(strstr(held.json, "\"replies\":0"));

	/* the same fields in HISTORY and JOINED's lists */
	f = proto_frame_of(PT_HISTORY);
	f.room = "dev";
	f.messages = ms;
	f.nmessages = 3;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->messages[2].deleted);
	assert_int_equal(g->messages[0].reactions[0].count, 3);

	/* a live or replayed MESSAGE in its latest state */
	f = proto_frame_of(PT_MESSAGE);
	f.room = "dev";
	f.seq = 3;
	f.has_seq = true;
	f.id = "3";
	f.user = "carol";
	f.ts = 30;
	f.has_ts = true;
	f.thread = 1;
	f.has_thread = true;
	f.deleted = true;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->deleted);
	assert_null(g->text);
	assert_int_equal(g->thread, 1);
	f.deleted = false;
	f.text = "hi";
	f.reactions = rx;
	f.nreactions = 2;
	f.edited_ts = 35;
	g = round_trip(&f, PROTO_TO_CLIENT);
	same_str("text", "hi", g->text);
	assert_int_equal(g->nreactions, 2);
	assert_int_equal(g->reactions[1].count, 1);
	assert_int_equal(g->edited_ts, 35);
}

static void
proto_msgs__joined_and_join__carry_the_change_rev(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "dev";
	f.seq = 5;
	f.has_seq = true;
	f.rev = 17;
	f.has_rev = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->has_rev);
	assert_int_equal(g->rev, 17);

	f = proto_frame_of(PT_JOIN);
	f.room = "dev";
	f.since = 5;
	f.has_since = true;
	f.since_rev = 0;
	f.has_since_rev = true;
	g = round_trip(&f, PROTO_TO_SERVER);
	assert_true(g->has_since_rev);
	assert_int_equal(g->since_rev, 0);
	f.has_since_rev = false;
	assert_false(round_trip(&f, PROTO_TO_SERVER)->has_since_rev);
}

static void
proto_msgs__hello_resume__takes_seq_and_rev_or_the_old_form(void **state)
{
	(void)state;
	const struct proto_frame *g = decoded("{\"type\":\"HELLO\",\"user\":\"alice\","
	    "\"resume\":{\"dev\":{\"seq\":4,\"rev\":9},\"lobby\":7,"
	    "\"ops\":{\"seq\":2}}}", PROTO_TO_SERVER);
	assert_int_equal(g->nresume, 3);
	same_str("room", "dev", g->resume[0].room);
	assert_int_equal(g->resume[0].seq, 4);
	assert_int_equal(g->resume[0].rev, 9);
	assert_int_equal(g->resume[1].seq, 7);
	assert_int_equal(g->resume[1].rev, -1);
	assert_int_equal(g->resume[2].seq, 2);
	assert_int_equal(g->resume[2].rev, -1);

	struct proto_resume r[] = {{"dev", 4, 0}, {"lobby", 7, -1}};
	struct proto_frame f = proto_frame_of(PT_HELLO);
	f.user = "alice";
	f.resume = r;
	f.nresume = 2;
	g = round_trip(&f, PROTO_TO_SERVER);
	assert_non_null(strstr(held.json, "\"dev\":{\"seq\":4,\"rev\":0}"));
	assert_non_null(strstr(held.json, "\"lobby\":7"));
	assert_int_equal(g->resume[0].rev, 0);
	assert_int_equal(g->resume[1].rev, -1);
}

static void
proto_msgs__bad_emoji__is_refused_as_bad_emoji(void **state)
{
	(void)state;
	static const char *const emoji[] = {
		"", "a", "1", "#", "ab", "\xf0\x9f\x91\x8d\xf0\x9f\x91\x8d", /* 👍👍 */
		"\xf0\x9f\x91\x8d ", "\\n", "\\u0007",
		/* 33 regional indicators: over 64 bytes */
		"\xf0\x9f\x87\xab\xf0\x9f\x87\xab\xf0\x9f\x87\xab\xf0\x9f\x87\xab"
		"\xf0\x9f\x87\xab\xf0\x9f\x87\xab\xf0\x9f\x87\xab\xf0\x9f\x87\xab"
		"\xf0\x9f\x87\xab\xf0\x9f\x87\xab\xf0\x9f\x87\xab\xf0\x9f\x87\xab"
		"\xf0\x9f\x87\xab\xf0\x9f\x87\xab\xf0\x9f\x87\xab\xf0\x9f\x87\xab"
		"\xf0\x9f\x87\xab",
	};
	for (size_t i = 0; i < sizeof emoji / sizeof *emoji; i++) {
		char json[512];
		snprintf(json, sizeof json, "{\"type\":\"REACT\",\"cid\":\"r\","
		    "\"room\":\"dev\",\"seq\":1,\"emoji\":\"%s\",\"on\":true}", emoji[i]);
		if (refusal(json, PROTO_TO_SERVER) != PE_BAD_EMOJI)
			fail_msg("emoji %zu: not bad_emoji", i);
	}
	assert_int_equal(refusal("{\"type\":\"REACT\",\"cid\":\"r\",\"room\":\"dev\","
	    "\"seq\":1,\"emoji\":7,\"on\":true}", PROTO_TO_SERVER), PE_BAD_EMOJI);
}

static void
proto_msgs__emoji__is_one_grapheme_cluster_with_an_emoji(void **state)
{
	(void)state;
	static const char *const good[] = {
		"\xf0\x9f\x91\x8d",                         /* 👍 */
		"\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",         /* 👍🏽 */
		"\xf0\x9f\x87\xab\xf0\x9f\x87\xb7",         /* 🇫🇷 */
		"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7",
		"1\xef\xb8\x8f\xe2\x83\xa3",                /* 1️⃣ */
		"\xe2\x9d\xa4\xef\xb8\x8f",                 /* ❤️ */
		"\xe2\x98\xba",                             /* ☺ */
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		if (!reactemoji_valid(good[i], strlen(good[i])))
			fail_msg("good emoji %zu refused", i);
		char json[256];
		snprintf(json, sizeof json, "{\"type\":\"REACT\",\"cid\":\"r\","
		    "\"room\":\"dev\",\"seq\":1,\"emoji\":\"%s\",\"on\":true}", good[i]);
		same_str("emoji", good[i], decoded(json, PROTO_TO_SERVER)->emoji);
	}
	assert_false(reactemoji_valid("\xf0\x9f\x91", 3)); /* cut UTF-8 */
	assert_false(reactemoji_valid("\xe2\x80\x8d", 3)); /* a lone ZWJ */
}

static void
proto_msgs__malformed_frames__are_refused_with_their_code(void **state)
{
	(void)state;
	static const struct { const char *json; enum proto_dir dir;
	    enum proto_err code; } cases[] = {
		{"{\"type\":\"REACT\",\"room\":\"dev\",\"seq\":1,\"emoji\":\"\xf0\x9f\x91\x8d\","
		    "\"on\":true}", PROTO_TO_SERVER, PE_BAD_FIELD}, /* no cid */
		{"{\"type\":\"REACT\",\"cid\":\"r\",\"room\":\"dev\",\"seq\":1,"
		    "\"emoji\":\"\xf0\x9f\x91\x8d\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
		{"{\"type\":\"REACT\",\"cid\":\"r\",\"room\":\"dev\",\"seq\":0,"
		    "\"emoji\":\"\xf0\x9f\x91\x8d\",\"on\":true}", PROTO_TO_SERVER,
		    PE_BAD_FIELD},
		{"{\"type\":\"REACT\",\"cid\":\"r\",\"room\":\"dev\",\"seq\":1,"
		    "\"emoji\":\"\xf0\x9f\x91\x8d\",\"on\":1}", PROTO_TO_SERVER,
		    PE_BAD_FIELD},
		{"{\"type\":\"EDIT\",\"cid\":\"e\",\"room\":\"dev\",\"seq\":1}",
		    PROTO_TO_SERVER, PE_BAD_FIELD},
		{"{\"type\":\"EDIT\",\"cid\":\"e\",\"room\":\"Bad Room\",\"seq\":1,"
		    "\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_ROOM},
		{"{\"type\":\"DELETE\",\"cid\":\"d\",\"room\":\"dev\",\"seq\":\"1\"}",
		    PROTO_TO_SERVER, PE_BAD_FIELD},
		{"{\"type\":\"THREAD\",\"room\":\"dev\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
		{"{\"type\":\"THREAD\",\"room\":\"dev\",\"root\":1,\"limit\":0}",
		    PROTO_TO_SERVER, PE_BAD_FIELD},
		{"{\"type\":\"MESSAGE\",\"cid\":\"m\",\"room\":\"dev\",\"text\":\"x\","
		    "\"thread\":0}", PROTO_TO_SERVER, PE_BAD_FIELD},
		{"{\"type\":\"JOIN\",\"room\":\"dev\",\"since_rev\":-1}",
		    PROTO_TO_SERVER, PE_BAD_FIELD},
		{"{\"type\":\"HELLO\",\"user\":\"a\",\"resume\":{\"dev\":{\"rev\":1}}}",
		    PROTO_TO_SERVER, PE_BAD_FIELD},
		{"{\"type\":\"HELLO\",\"user\":\"a\",\"resume\":{\"dev\":{\"seq\":1,"
		    "\"rev\":-2}}}", PROTO_TO_SERVER, PE_BAD_FIELD},
		/* to clients: a tombstone has no text, a message without one is
		 * a tombstone */
		{"{\"type\":\"MESSAGE\",\"room\":\"dev\",\"seq\":1,\"id\":\"1\","
		    "\"user\":\"a\",\"ts\":1}", PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"MESSAGE\",\"room\":\"dev\",\"seq\":1,\"id\":\"1\","
		    "\"user\":\"a\",\"ts\":1,\"text\":\"x\",\"deleted\":true}",
		    PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"HISTORY\",\"room\":\"dev\",\"more\":false,\"messages\":"
		    "[{\"seq\":1,\"id\":\"1\",\"user\":\"a\",\"ts\":1}]}",
		    PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"HISTORY\",\"room\":\"dev\",\"more\":false,\"messages\":"
		    "[{\"seq\":1,\"id\":\"1\",\"user\":\"a\",\"ts\":1,\"deleted\":\"yes\"}]}",
		    PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"HISTORY\",\"room\":\"dev\",\"more\":false,\"messages\":"
		    "[{\"seq\":1,\"id\":\"1\",\"user\":\"a\",\"ts\":1,\"text\":\"x\","
		    "\"replies\":-1}]}", PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"HISTORY\",\"room\":\"dev\",\"more\":false,\"messages\":"
		    "[{\"seq\":1,\"id\":\"1\",\"user\":\"a\",\"ts\":1,\"text\":\"x\","
		    "\"reactions\":[{\"emoji\":\"x\",\"count\":0}]}]}",
		    PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"HISTORY\",\"room\":\"dev\",\"more\":false,\"messages\":"
		    "[{\"seq\":1,\"id\":\"1\",\"user\":\"a\",\"ts\":1,\"text\":\"x\","
		    "\"reactions\":[{\"emoji\":\"x\",\"count\":1,\"users\":[\"a\",\"b\"]}]}]}",
		    PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"HISTORY\",\"room\":\"dev\",\"more\":false,\"messages\":"
		    "[{\"seq\":1,\"id\":\"1\",\"user\":\"a\",\"ts\":1,\"text\":\"x\","
		    "\"reactions\":[{\"emoji\":\"x\",\"count\":2,\"users\":[\"a\",\"B A\"]}]}]}",
		    PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"HISTORY\",\"room\":\"dev\",\"more\":false,\"messages\":"
		    "[{\"seq\":1,\"id\":\"1\",\"user\":\"a\",\"ts\":1,\"text\":\"x\","
		    "\"reactions\":{}}]}", PROTO_TO_CLIENT, PE_BAD_FIELD},
		{"{\"type\":\"REACTION\",\"room\":\"dev\",\"seq\":1,\"emoji\":\"x\","
		    "\"user\":\"a\",\"on\":true,\"count\":1}", PROTO_TO_CLIENT,
		    PE_BAD_FIELD}, /* no rev */
		{"{\"type\":\"MESSAGE_DELETED\",\"room\":\"dev\",\"seq\":1,\"rev\":1}",
		    PROTO_TO_CLIENT, PE_BAD_FIELD}, /* no by */
		{"{\"type\":\"MESSAGE_EDITED\",\"room\":\"dev\",\"seq\":1,\"rev\":1,"
		    "\"text\":\"x\"}", PROTO_TO_CLIENT, PE_BAD_FIELD},
		/* a client does not send the server's events */
		{"{\"type\":\"REACTION\",\"room\":\"dev\",\"seq\":1,\"emoji\":\"x\","
		    "\"user\":\"a\",\"on\":true,\"count\":1,\"rev\":1}", PROTO_TO_SERVER,
		    PE_UNKNOWN_TYPE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		enum proto_err got = refusal(cases[i].json, cases[i].dir);
		if (got != cases[i].code)
			fail_msg("case %zu: %s, want %s: %s", i, proto_err_name(got),
			    proto_err_name(cases[i].code), cases[i].json);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(proto_msgs__requests__survive_a_round_trip,
		    release_held),
		cmocka_unit_test_teardown(proto_msgs__events__survive_a_round_trip,
		    release_held),
		cmocka_unit_test_teardown(
		    proto_msgs__messages__carry_thread_replies_edit_tombstone_and_reactions,
		    release_held),
		cmocka_unit_test_teardown(proto_msgs__joined_and_join__carry_the_change_rev,
		    release_held),
		cmocka_unit_test_teardown(
		    proto_msgs__hello_resume__takes_seq_and_rev_or_the_old_form,
		    release_held),
		cmocka_unit_test_teardown(proto_msgs__bad_emoji__is_refused_as_bad_emoji,
		    release_held),
		cmocka_unit_test_teardown(
		    proto_msgs__emoji__is_one_grapheme_cluster_with_an_emoji, release_held),
		cmocka_unit_test_teardown(
		    proto_msgs__malformed_frames__are_refused_with_their_code, release_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
