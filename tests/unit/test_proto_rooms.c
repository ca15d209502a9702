/*
 * proto_rooms: the frames of read marks, search, topics and the directory
 * (docs/protocol.md, "Read marks, search, topics and the directory"): each
 * survives encode -> decode with its fields and lists, JOINED carries the
 * read mark, the unread count, the members' marks and the topic, and
 * malformed frames are refused with their stable error code.
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
proto__read__survives_both_ways(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_READ);
	f.room = "dev";
	f.seq = 41;
	f.has_seq = true;
	f.cid = "r1";
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	assert_string_equal(g->room, "dev");
	assert_int_equal(g->seq, 41);
	assert_string_equal(g->cid, "r1");

	f.cid = NULL;
	f.seq = 0; /* a mark before every message */
	f.unread = 7;
	f.has_unread = true;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->has_seq);
	assert_int_equal(g->seq, 0);
	assert_int_equal(g->unread, 7);
	/* the server's READ says the unread count, always */
	f.has_unread = false;
	assert_null(proto_encode(&f, PROTO_TO_CLIENT));
}

static void
proto__receipt__carries_room_user_and_seq(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_RECEIPT);
	f.room = "@alice+bob";
	f.user = "bob";
	f.seq = 12;
	f.has_seq = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_string_equal(g->room, "@alice+bob");
	assert_string_equal(g->user, "bob");
	assert_int_equal(g->seq, 12);
	assert_int_equal(refusal("{\"type\":\"RECEIPT\",\"room\":\"dev\",\"user\":"
	    "\"bob\",\"seq\":1}", PROTO_TO_SERVER), PE_UNKNOWN_TYPE);
}

static void
proto__search__carries_text_room_and_paging(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_SEARCH);
	f.cid = "s1";
	f.text = "\"unbalanced AND (quote* NEAR";
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	assert_string_equal(g->text, f.text);
	assert_null(g->room);
	assert_false(g->has_before);
	assert_false(g->has_limit);
	f.room = "dev";
	f.before = 900;
	f.has_before = true;
	f.limit = 20;
	f.has_limit = true;
	g = round_trip(&f, PROTO_TO_SERVER);
	assert_string_equal(g->room, "dev");
	assert_int_equal(g->before, 900);
	assert_int_equal(g->limit, 20);
}

static void
proto__search_results__carry_hits_with_snippets_and_marks(void **state)
{
	(void)state;
	int64_t marks0[2][2] = {{0, 5}, {10, 13}};
	struct proto_search_hit hits[] = {
		{"dev", 42, "alice", 1700000000123, "hello wörld, foo", marks0, 2},
		{"@alice+bob", 3, "bob", 1700000000000, "…bar…", NULL, 0},
	};
	struct proto_frame f = proto_frame_of(PT_SEARCH_RESULTS);
	f.cid = "s1";
	f.hits = hits;
	f.nhits = 2;
	f.more = true;
	f.before = 77;
	f.has_before = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->nhits, 2);
	assert_true(g->more);
	assert_int_equal(g->before, 77);
	assert_string_equal(g->hits[0].room, "dev");
	assert_int_equal(g->hits[0].seq, 42);
	assert_string_equal(g->hits[0].user, "alice");
	assert_int_equal(g->hits[0].ts, 1700000000123);
	assert_string_equal(g->hits[0].snippet, "hello wörld, foo");
	assert_int_equal(g->hits[0].nmarks, 2);
	assert_int_equal(g->hits[0].marks[1][0], 10);
	assert_int_equal(g->hits[0].marks[1][1], 13);
	assert_string_equal(g->hits[1].room, "@alice+bob");
	assert_int_equal(g->hits[1].nmarks, 0);
	assert_non_null(strstr(held.json, "\"marks\":[[0,5],[10,13]]"));

	/* an empty page still has its list */
	f.nhits = 0;
	f.more = false;
	f.has_before = false;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->nhits, 0);
	assert_non_null(strstr(held.json, "\"results\":[]"));
}

static void
proto__search_results__with_bad_marks_are_bad_field(void **state)
{
	(void)state;
	static const char *const frames[] = {
		"{\"type\":\"SEARCH_RESULTS\",\"cid\":\"s\",\"more\":false,\"results\":"
		    "[{\"room\":\"dev\",\"seq\":1,\"user\":\"a\",\"ts\":1,\"snippet\":"
		    "\"x\",\"marks\":[[3,1]]}]}",
		"{\"type\":\"SEARCH_RESULTS\",\"cid\":\"s\",\"more\":false,\"results\":"
		    "[{\"room\":\"dev\",\"seq\":1,\"user\":\"a\",\"ts\":1,\"snippet\":"
		    "\"x\",\"marks\":[[1]]}]}",
		"{\"type\":\"SEARCH_RESULTS\",\"cid\":\"s\",\"more\":false,\"results\":"
		    "[{\"room\":\"dev\",\"seq\":1,\"user\":\"a\",\"ts\":1,\"snippet\":"
		    "\"x\",\"marks\":\"0-1\"}]}",
		"{\"type\":\"SEARCH_RESULTS\",\"cid\":\"s\",\"more\":false,\"results\":"
		    "[{\"room\":\"dev\",\"seq\":1,\"user\":\"a\",\"ts\":1}]}",
		"{\"type\":\"SEARCH_RESULTS\",\"cid\":\"s\",\"more\":false,\"results\":"
		    "[7]}",
		"{\"type\":\"SEARCH_RESULTS\",\"cid\":\"s\",\"results\":[]}",
	};
	for (size_t i = 0; i < sizeof frames / sizeof *frames; i++)
		if (refusal(frames[i], PROTO_TO_CLIENT) != PE_BAD_FIELD)
			fail_msg("not bad_field: %s", frames[i]);
}

static void
proto__topic__both_ways(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_TOPIC);
	f.cid = "t1";
	f.room = "dev";
	f.text = "release on Friday 🎉";
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	assert_string_equal(g->text, f.text);
	assert_string_equal(g->cid, "t1");
	f.cid = NULL;
	f.by = "alice";
	f.ts = 1700000000000;
	f.has_ts = true;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_string_equal(g->by, "alice");
	assert_int_equal(g->ts, 1700000000000);
	/* an empty topic clears it, and is still a string */
	f.text = "";
	assert_string_equal(round_trip(&f, PROTO_TO_CLIENT)->text, "");
	assert_int_equal(refusal("{\"type\":\"TOPIC\",\"cid\":\"t\",\"room\":\"dev\"}",
	    PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"TOPIC\",\"cid\":\"t\",\"room\":\"D!\","
	    "\"text\":\"x\"}", PROTO_TO_SERVER), PE_BAD_ROOM);
}

static void
proto__rooms__request_and_page(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_ROOMS);
	f.cid = "l1";
	f.query = "dev";
	f.after = "design";
	f.limit = 10;
	f.has_limit = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	assert_string_equal(g->query, "dev");
	assert_string_equal(g->after, "design");
	assert_int_equal(g->limit, 10);

	struct proto_room_info rooms[] = {{"dev", "the code", 12}, {"devops", "", 0}};
	struct proto_frame r = proto_frame_of(PT_ROOMS);
	r.cid = "l1";
	r.rooms = rooms;
	r.nrooms = 2;
	r.more = true;
	g = round_trip(&r, PROTO_TO_CLIENT);
	assert_int_equal(g->nrooms, 2);
	assert_true(g->more);
	assert_string_equal(g->rooms[0].room, "dev");
	assert_string_equal(g->rooms[0].topic, "the code");
	assert_int_equal(g->rooms[0].members, 12);
	assert_string_equal(g->rooms[1].topic, "");
	assert_int_equal(g->rooms[1].members, 0);
	assert_int_equal(refusal("{\"type\":\"ROOMS\",\"cid\":\"l\",\"more\":false,"
	    "\"rooms\":[{\"room\":\"dev\"}]}", PROTO_TO_CLIENT), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"ROOMS\",\"limit\":0,\"cid\":\"l\"}",
	    PROTO_TO_SERVER), PE_BAD_FIELD);
}

static void
proto__joined__carries_read_unread_receipts_and_topic(void **state)
{
	(void)state;
	struct proto_receipt rc[] = {{"alice", 10}, {"bob", 7}};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "dev";
	f.seq = 12;
	f.has_seq = true;
	f.read = 7;
	f.has_read = true;
	f.unread = 3;
	f.has_unread = true;
	f.receipts = rc;
	f.nreceipts = 2;
	f.topic = "the code";
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->has_read);
	assert_int_equal(g->read, 7);
	assert_int_equal(g->unread, 3);
	assert_int_equal(g->nreceipts, 2);
	assert_string_equal(g->receipts[0].user, "alice");
	assert_int_equal(g->receipts[0].seq, 10);
	assert_string_equal(g->receipts[1].user, "bob");
	assert_string_equal(g->topic, "the code");

	/* an older server's JOINED has none of them */
	struct proto_frame o = proto_frame_of(PT_JOINED);
	o.room = "dev";
	o.seq = 1;
	o.has_seq = true;
	g = round_trip(&o, PROTO_TO_CLIENT);
	assert_false(g->has_read);
	assert_int_equal(g->nreceipts, 0);
	assert_null(g->topic);
	assert_null(strstr(held.json, "receipts"));
	assert_int_equal(refusal("{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":1,"
	    "\"members\":[],\"typing\":[],\"messages\":[],\"receipts\":[{\"user\":"
	    "\"bob\",\"seq\":-1}]}", PROTO_TO_CLIENT), PE_BAD_FIELD);
}

static void
proto__read__needs_a_room_and_a_seq(void **state)
{
	(void)state;
	assert_int_equal(refusal("{\"type\":\"READ\",\"room\":\"dev\"}",
	    PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"READ\",\"room\":\"dev\",\"seq\":-2}",
	    PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"READ\",\"room\":\"dev\",\"seq\":1.5}",
	    PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"READ\",\"seq\":3}", PROTO_TO_SERVER),
	    PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"SEARCH\",\"cid\":\"s\"}",
	    PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"SEARCH\",\"text\":\"x\"}",
	    PROTO_TO_SERVER), PE_BAD_FIELD);
}

#define T(f) cmocka_unit_test_teardown(f, release_held)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(proto__read__survives_both_ways),
		T(proto__receipt__carries_room_user_and_seq),
		T(proto__search__carries_text_room_and_paging),
		T(proto__search_results__carry_hits_with_snippets_and_marks),
		T(proto__search_results__with_bad_marks_are_bad_field),
		T(proto__topic__both_ways),
		T(proto__rooms__request_and_page),
		T(proto__joined__carries_read_unread_receipts_and_topic),
		T(proto__read__needs_a_room_and_a_seq),
	};
	return cmocka_run_group_tests_name("proto_rooms", tests, NULL, NULL);
}
