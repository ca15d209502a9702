/*
 * proto_suggest: the frames of suggestions and protected documents
 * (docs/protocol.md, "Suggestions"): each survives encode -> decode with
 * its fields, DOC_STATE carries the open suggestions, protected and
 * can_edit, ACK and DOC_OP carry the suggestion they answer, and malformed
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
#include <cjson/cJSON.h>

#include "model/proto.h"

#include "proto_fixture.h"

static char *
op_text(const cJSON *op)
{
	return cJSON_PrintUnformatted(op);
}

static void
assert_op(const cJSON *op, const char *want)
{
	assert_non_null(op);
	char *got = op_text(op);
	same_str("op", want, got);
	free(got);
}

static void
proto__doc_suggest__survives_and_needs_cid_rev_and_op(void **state)
{
	(void)state;
	cJSON *op = cJSON_Parse("[3,\"hi\",-2,1]");
	struct proto_frame f = proto_frame_of(PT_DOC_SUGGEST);
	f.cid = "s1";
	f.room = "dev";
	f.doc = "notes";
	f.rev = 7;
	f.has_rev = true;
	f.op = op;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	assert_string_equal(g->cid, "s1");
	assert_string_equal(g->doc, "notes");
	assert_int_equal(g->rev, 7);
	assert_op(g->op, "[3,\"hi\",-2,1]");
	cJSON_Delete(op);
	assert_int_equal(refusal("{\"type\":\"DOC_SUGGEST\",\"room\":\"dev\","
	    "\"doc\":\"notes\",\"rev\":1,\"op\":[1]}", PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_SUGGEST\",\"cid\":\"a\",\"room\":"
	    "\"dev\",\"doc\":\"notes\",\"op\":[1]}", PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_SUGGEST\",\"cid\":\"a\",\"room\":"
	    "\"dev\",\"doc\":\"notes\",\"rev\":0,\"op\":[{}]}", PROTO_TO_SERVER),
	    PE_BAD_OP);
	assert_int_equal(refusal("{\"type\":\"DOC_SUGGEST\",\"cid\":\"a\",\"room\":"
	    "\"dev\",\"doc\":\"notes\",\"rev\":0,\"op\":\"x\"}", PROTO_TO_SERVER),
	    PE_BAD_OP);
}

static void
proto__accept_and_reject__name_a_suggestion_by_id(void **state)
{
	(void)state;
	enum proto_type types[] = {PT_SUGGEST_ACCEPT, PT_SUGGEST_REJECT};
	for (size_t i = 0; i < 2; i++) {
		struct proto_frame f = proto_frame_of(types[i]);
		f.cid = "c9";
		f.room = "dev";
		f.doc = "notes";
		f.suggestion = 42;
		f.has_suggestion = true;
		const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
		assert_true(g->has_suggestion);
		assert_int_equal(g->suggestion, 42);
		assert_string_equal(g->cid, "c9");
	}
	const struct proto_frame *g = decoded("{\"type\":\"SUGGEST_ACCEPT\",\"cid\":"
	    "\"a\",\"room\":\"dev\",\"doc\":\"notes\",\"id\":3}", PROTO_TO_SERVER);
	assert_int_equal(g->suggestion, 3);
	assert_int_equal(refusal("{\"type\":\"SUGGEST_ACCEPT\",\"cid\":\"a\",\"room\":"
	    "\"dev\",\"doc\":\"notes\",\"id\":0}", PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"SUGGEST_REJECT\",\"cid\":\"a\",\"room\":"
	    "\"dev\",\"doc\":\"notes\",\"id\":\"3\"}", PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"SUGGEST_REJECT\",\"cid\":\"a\",\"room\":"
	    "\"dev\",\"doc\":\"notes\"}", PROTO_TO_SERVER), PE_BAD_FIELD);
	/* the client never sends the server's events */
	assert_int_equal(refusal("{\"type\":\"SUGGESTION_CLOSED\",\"room\":\"dev\","
	    "\"doc\":\"notes\",\"id\":3,\"event\":\"dropped\",\"rev\":2}",
	    PROTO_TO_SERVER), PE_UNKNOWN_TYPE);
}

static void
proto__suggestion_events__carry_who_what_and_where(void **state)
{
	(void)state;
	cJSON *op = cJSON_Parse("[\"new \",5]");
	struct proto_frame f = proto_frame_of(PT_SUGGESTION);
	f.room = "dev";
	f.doc = "notes";
	f.rev = 12;
	f.has_rev = true;
	f.suggestion = 5;
	f.has_suggestion = true;
	f.user = "alice";
	f.ts = 1700000000000;
	f.has_ts = true;
	f.op = op;
	f.cid = "k1";
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->suggestion, 5);
	assert_string_equal(g->user, "alice");
	assert_int_equal(g->rev, 12);
	assert_op(g->op, "[\"new \",5]");
	cJSON_Delete(op);

	struct proto_frame c = proto_frame_of(PT_SUGGESTION_CLOSED);
	c.room = "dev";
	c.doc = "notes";
	c.suggestion = 5;
	c.has_suggestion = true;
	c.event = "rejected";
	c.by = "bob";
	c.rev = 13;
	c.has_rev = true;
	g = round_trip(&c, PROTO_TO_CLIENT);
	assert_string_equal(g->event, "rejected");
	assert_string_equal(g->by, "bob");
	c.by = NULL;
	c.event = "dropped";
	g = round_trip(&c, PROTO_TO_CLIENT);
	assert_null(g->by);
	c.event = NULL;
	assert_null(proto_encode(&c, PROTO_TO_CLIENT));
}

static void
proto__doc_mode__both_ways(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_DOC_MODE);
	f.cid = "m1";
	f.room = "dev";
	f.doc = "notes";
	f.is_protected = true;
	f.has_protected = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	assert_true(g->is_protected);
	f.is_protected = false;
	g = round_trip(&f, PROTO_TO_SERVER);
	assert_true(g->has_protected);
	assert_false(g->is_protected);
	assert_int_equal(refusal("{\"type\":\"DOC_MODE\",\"cid\":\"a\",\"room\":"
	    "\"dev\",\"doc\":\"notes\"}", PROTO_TO_SERVER), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_MODE\",\"cid\":\"a\",\"room\":"
	    "\"dev\",\"doc\":\"notes\",\"protected\":1}", PROTO_TO_SERVER),
	    PE_BAD_FIELD);

	f.cid = NULL;
	f.is_protected = true;
	f.by = "owner1";
	f.can_edit = false;
	f.has_can_edit = true;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->is_protected);
	assert_true(g->has_can_edit);
	assert_false(g->can_edit);
	assert_string_equal(g->by, "owner1");
}

static void
proto__doc_state__carries_suggestions_protected_and_can_edit(void **state)
{
	(void)state;
	cJSON *a = cJSON_Parse("[2,\"x\"]"), *b = cJSON_Parse("[-2,1]");
	struct proto_suggestion v[] = {{3, "alice", 10, a}, {8, "carol", 20, b}};
	struct proto_frame f = proto_frame_of(PT_DOC_STATE);
	f.room = "dev";
	f.doc = "notes";
	f.rev = 4;
	f.has_rev = true;
	f.text = "abc";
	f.suggestions = v;
	f.nsuggestions = 2;
	f.is_protected = true;
	f.has_protected = true;
	f.can_edit = false;
	f.has_can_edit = true;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->nsuggestions, 2);
	assert_int_equal(g->suggestions[0].id, 3);
	assert_string_equal(g->suggestions[0].user, "alice");
	assert_int_equal(g->suggestions[1].ts, 20);
	assert_op(g->suggestions[1].op, "[-2,1]");
	assert_true(g->is_protected);
	assert_false(g->can_edit);
	/* none: the list is left out, and an old server's state still reads */
	f.nsuggestions = 0;
	f.has_protected = f.has_can_edit = false;
	char *json = proto_encode(&f, PROTO_TO_CLIENT);
	assert_null(strstr(json, "suggestions"));
	free(json);
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->nsuggestions, 0);
	assert_false(g->has_can_edit);
	cJSON_Delete(a);
	cJSON_Delete(b);
	assert_int_equal(refusal("{\"type\":\"DOC_STATE\",\"room\":\"dev\",\"doc\":"
	    "\"n\",\"rev\":1,\"cursors\":[],\"suggestions\":[{\"id\":1,\"user\":"
	    "\"al\",\"ts\":1}]}", PROTO_TO_CLIENT), PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_STATE\",\"room\":\"dev\",\"doc\":"
	    "\"n\",\"rev\":1,\"cursors\":[],\"suggestions\":{}}", PROTO_TO_CLIENT),
	    PE_BAD_FIELD);
	assert_int_equal(refusal("{\"type\":\"DOC_STATE\",\"room\":\"dev\",\"doc\":"
	    "\"n\",\"rev\":1,\"cursors\":[],\"suggestions\":[{\"id\":1,\"user\":"
	    "\"al\",\"ts\":1,\"op\":[null]}]}", PROTO_TO_CLIENT), PE_BAD_OP);
}

static void
proto__ack_and_doc_op__name_the_suggestion(void **state)
{
	(void)state;
	struct proto_frame a = proto_frame_of(PT_ACK);
	a.cid = "s1";
	a.room = "dev";
	a.doc = "notes";
	a.rev = 9;
	a.has_rev = true;
	a.suggestion = 4;
	a.has_suggestion = true;
	const struct proto_frame *g = round_trip(&a, PROTO_TO_CLIENT);
	assert_int_equal(g->suggestion, 4);
	assert_int_equal(g->rev, 9);
	a.has_suggestion = false;
	g = round_trip(&a, PROTO_TO_CLIENT);
	assert_false(g->has_suggestion);

	cJSON *op = cJSON_Parse("[1,\"z\"]");
	struct proto_frame o = proto_frame_of(PT_DOC_OP);
	o.room = "dev";
	o.doc = "notes";
	o.rev = 10;
	o.has_rev = true;
	o.op = op;
	o.user = "alice";
	o.ts = 5;
	o.has_ts = true;
	o.by = "bob";
	o.suggestion = 4;
	o.has_suggestion = true;
	g = round_trip(&o, PROTO_TO_CLIENT);
	assert_string_equal(g->user, "alice");
	assert_string_equal(g->by, "bob");
	assert_int_equal(g->suggestion, 4);
	cJSON_Delete(op);
}

#define T(f) cmocka_unit_test_teardown(f, release_held)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(proto__doc_suggest__survives_and_needs_cid_rev_and_op),
		T(proto__accept_and_reject__name_a_suggestion_by_id),
		T(proto__suggestion_events__carry_who_what_and_where),
		T(proto__doc_mode__both_ways),
		T(proto__doc_state__carries_suggestions_protected_and_can_edit),
		T(proto__ack_and_doc_op__name_the_suggestion),
	};
	return cmocka_run_group_tests_name("proto_suggest", tests, NULL, NULL);
}
