/*
 * proto_doclist: DOC_LIST both ways with its page of documents, and the
 * document a user is in (PRESENCE_UPDATE's "doc", a JOINED member's):
 * each survives encode -> decode, null and absent mean none, and malformed
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
proto__doc_list__request_carries_room_and_paging(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_DOC_LIST);
	f.cid = "l1";
	f.room = "lobby";
	f.after = "notes";
	f.limit = 20;
	f.has_limit = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	assert_string_equal(g->cid, "l1");
	assert_string_equal(g->room, "lobby");
	assert_string_equal(g->after, "notes");
	assert_int_equal(g->limit, 20);
	f.after = NULL;
	f.has_limit = false;
	g = round_trip(&f, PROTO_TO_SERVER);
	assert_null(g->after);
	assert_false(g->has_limit);
}

static void
proto__doc_list__answer_carries_documents_and_viewers(void **state)
{
	(void)state;
	const char *v1[] = {"alice", "bob"};
	struct proto_docinfo docs[] = {
		{"notes", 42, 1700000000000, "bob", v1, 2, 3},
		{"plan", 0, 0, NULL, NULL, 0, 0},
	};
	struct proto_frame f = proto_frame_of(PT_DOC_LIST);
	f.cid = "l1";
	f.room = "lobby";
	f.docinfos = docs;
	f.ndocinfos = 2;
	f.more = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->more);
	assert_int_equal(g->ndocinfos, 2);
	assert_string_equal(g->docinfos[0].name, "notes");
	assert_int_equal(g->docinfos[0].rev, 42);
	assert_int_equal(g->docinfos[0].ts, 1700000000000);
	assert_string_equal(g->docinfos[0].user, "bob");
	assert_int_equal(g->docinfos[0].nviewers, 2);
	assert_string_equal(g->docinfos[0].viewers[1], "bob");
	assert_int_equal(g->docinfos[0].watching, 3);
	assert_string_equal(g->docinfos[1].name, "plan");
	assert_int_equal(g->docinfos[1].rev, 0);
	assert_null(g->docinfos[1].user);
	assert_int_equal(g->docinfos[1].nviewers, 0);
	/* an empty room's list is an empty array, not a missing one */
	f.ndocinfos = 0;
	f.more = false;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_non_null(strstr(held.json, "\"docs\":[]"));
	assert_int_equal(g->ndocinfos, 0);
}

static void
proto__presence__says_the_document_or_null(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_PRESENCE_UPDATE);
	f.user = "alice";
	f.status = PS_ONLINE;
	f.last_seen = 5;
	f.at = (struct proto_docref){"lobby", "notes"};
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_string_equal(g->at.room, "lobby");
	assert_string_equal(g->at.name, "notes");
	f.at = (struct proto_docref){NULL, NULL};
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_non_null(strstr(held.json, "\"doc\":null"));
	assert_null(g->at.room);
	/* a server that does not say it: none */
	g = decoded("{\"type\":\"PRESENCE_UPDATE\",\"user\":\"a\",\"status\":\"online\","
	    "\"last_seen\":1}", PROTO_TO_CLIENT);
	assert_null(g->at.room);
}

static void
proto__joined__members_say_their_document(void **state)
{
	(void)state;
	struct proto_member mem[] = {
		{"alice", PS_ONLINE, NULL, 1, {"lobby", "notes"}},
		{"bob", PS_AWAY, NULL, 2, {NULL, NULL}},
	};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "lobby";
	f.seq = 3;
	f.has_seq = true;
	f.members = mem;
	f.nmembers = 2;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->nmembers, 2);
	assert_string_equal(g->members[0].at.name, "notes");
	assert_string_equal(g->members[0].at.room, "lobby");
	assert_null(g->members[1].at.room);
	/* left out for a member in none */
	char *item = proto_encode_member_item(&mem[1]);
	assert_null(strstr(item, "doc"));
	free(item);
}

static void
proto__doc_list__bad_frames_are_refused(void **state)
{
	(void)state;
	assert_int_equal(refusal("{\"type\":\"DOC_LIST\",\"room\":\"lobby\"}",
	    PROTO_TO_SERVER), PE_BAD_FIELD); /* no cid */
	assert_int_equal(refusal("{\"type\":\"DOC_LIST\",\"cid\":\"c\"}",
	    PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_LIST\",\"cid\":\"c\",\"room\":\"Lobby\"}",
	    PROTO_TO_SERVER), PE_BAD_ROOM);
	assert_int_equal(refusal("{\"type\":\"DOC_LIST\",\"cid\":\"c\",\"room\":\"l\","
	    "\"after\":\"No/pe\"}", PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_LIST\",\"cid\":\"c\",\"room\":\"l\","
	    "\"limit\":0}", PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_LIST\",\"cid\":\"c\",\"room\":\"l\","
	    "\"more\":false,\"docs\":[{\"name\":\"n\",\"rev\":1,\"viewers\":[\"a b\"],"
	    "\"watching\":1}]}", PROTO_TO_CLIENT), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_LIST\",\"cid\":\"c\",\"room\":\"l\","
	    "\"more\":false,\"docs\":[{\"name\":\"n\",\"rev\":1,\"viewers\":[\"a\"],"
	    "\"watching\":0}]}", PROTO_TO_CLIENT), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_LIST\",\"cid\":\"c\",\"room\":\"l\","
	    "\"more\":false,\"docs\":[{\"rev\":1,\"viewers\":[],\"watching\":0}]}",
	    PROTO_TO_CLIENT), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"PRESENCE_UPDATE\",\"user\":\"a\","
	    "\"status\":\"online\",\"last_seen\":1,\"doc\":\"notes\"}",
	    PROTO_TO_CLIENT), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"PRESENCE_UPDATE\",\"user\":\"a\","
	    "\"status\":\"online\",\"last_seen\":1,\"doc\":{\"room\":\"BAD\","
	    "\"name\":\"n\"}}", PROTO_TO_CLIENT), PE_BAD_ROOM);
}

#define T(f) cmocka_unit_test_teardown(f, release_held)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(proto__doc_list__request_carries_room_and_paging),
		T(proto__doc_list__answer_carries_documents_and_viewers),
		T(proto__presence__says_the_document_or_null),
		T(proto__joined__members_say_their_document),
		T(proto__doc_list__bad_frames_are_refused),
	};
	return cmocka_run_group_tests_name("proto_doclist", tests, NULL, NULL);
}
