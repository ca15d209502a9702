/*
 * proto_comments: the frames of documents' comments (docs/protocol.md,
 * "Comments"): every request and event survives encode -> decode with its
 * fields, DOC_STATE carries the comments with their replies (and leaves
 * the list out when there are none), a comment's ACK carries its id, and
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
proto_comments__requests__survive_a_round_trip(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_COMMENT);
	f.cid = "c1";
	f.room = "lobby";
	f.doc = "notes";
	f.rev = 7;
	f.has_rev = true;
	f.range[0] = 3;
	f.range[1] = 9;
	f.has_range = true;
	f.text = "is this \"right\"?";
	const struct proto_frame *g = round_trip(&f, PROTO_TO_SERVER);
	same_str("doc", "notes", g->doc);
	assert_int_equal(g->rev, 7);
	assert_true(g->has_range);
	assert_int_equal(g->range[0], 3);
	assert_int_equal(g->range[1], 9);
	same_str("text", f.text, g->text);

	f = proto_frame_of(PT_COMMENT_REPLY);
	f.cid = "c2";
	f.room = "lobby";
	f.doc = "notes";
	f.comment_id = 12;
	f.has_comment_id = true;
	f.text = "yes";
	g = round_trip(&f, PROTO_TO_SERVER);
	assert_int_equal(g->comment_id, 12);
	same_str("text", "yes", g->text);

	enum proto_type ids[] = {PT_COMMENT_RESOLVE, PT_COMMENT_EDIT,
	    PT_COMMENT_DELETE};
	for (size_t i = 0; i < 3; i++) {
		f = proto_frame_of(ids[i]);
		f.cid = "c3";
		f.room = "lobby";
		f.doc = "notes";
		f.comment_id = 5;
		f.has_comment_id = true;
		f.resolved = true;
		f.text = "new text";
		g = round_trip(&f, PROTO_TO_SERVER);
		assert_int_equal(g->comment_id, 5);
		if (ids[i] == PT_COMMENT_RESOLVE)
			assert_true(g->resolved);
		if (ids[i] == PT_COMMENT_EDIT)
			same_str("text", "new text", g->text);
	}
	f.type = PT_COMMENT_RESOLVE;
	f.resolved = false;
	assert_false(round_trip(&f, PROTO_TO_SERVER)->resolved);
}

static void
same_comment(const struct proto_comment *w, const struct proto_comment *g)
{
	assert_int_equal(w->id, g->id);
	same_str("user", w->user, g->user);
	assert_int_equal(w->ts, g->ts);
	assert_int_equal(w->edited_ts, g->edited_ts);
	assert_int_equal(w->range[0], g->range[0]);
	assert_int_equal(w->range[1], g->range[1]);
	assert_int_equal(w->removed, g->removed);
	assert_int_equal(w->resolved, g->resolved);
	same_str("resolved_by", w->resolved_by, g->resolved_by);
	same_str("text", w->text, g->text);
	assert_int_equal(w->nreplies, g->nreplies);
	for (size_t i = 0; i < w->nreplies; i++) {
		assert_int_equal(w->replies[i].id, g->replies[i].id);
		same_str("reply.user", w->replies[i].user, g->replies[i].user);
		assert_int_equal(w->replies[i].ts, g->replies[i].ts);
		same_str("reply.text", w->replies[i].text, g->replies[i].text);
	}
}

static void
proto_comments__events__carry_the_whole_comment(void **state)
{
	(void)state;
	struct proto_comment_reply reps[] = {{4, "bob", 1700000001000, "agreed"},
	    {6, "alice", 1700000002000, "done \xc3\xa9"}};
	struct proto_comment c[] = {
	    {.id = 3, .user = "alice", .ts = 1700000000000, .edited_ts = 1700000005000,
	     .range = {2, 8}, .resolved = true, .resolved_by = "bob",
	     .text = "typo here", .replies = reps, .nreplies = 2},
	    {.id = 9, .user = "bob", .ts = 1700000003000, .range = {5, 5},
	     .removed = true, .text = "gone"},
	};
	struct proto_frame f = proto_frame_of(PT_COMMENT);
	f.room = "lobby";
	f.doc = "notes";
	f.rev = 42;
	f.has_rev = true;
	f.comments = c;
	f.ncomments = 1;
	const struct proto_frame *g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->rev, 42);
	assert_int_equal(g->ncomments, 1);
	same_comment(&c[0], &g->comments[0]);

	f = proto_frame_of(PT_DOC_STATE);
	f.room = "lobby";
	f.doc = "notes";
	f.rev = 42;
	f.has_rev = true;
	f.text = "hello there";
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->ncomments, 0);
	assert_null(strstr(held.json, "comments"));
	f.comments = c;
	f.ncomments = 2;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->ncomments, 2);
	same_comment(&c[0], &g->comments[0]);
	same_comment(&c[1], &g->comments[1]);

	f = proto_frame_of(PT_COMMENT_DELETE);
	f.room = "lobby";
	f.doc = "notes";
	f.comment_id = 3;
	f.has_comment_id = true;
	f.by = "alice";
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_int_equal(g->comment_id, 3);
	same_str("by", "alice", g->by);

	f = proto_frame_of(PT_ACK);
	f.cid = "c1";
	f.room = "lobby";
	f.doc = "notes";
	f.comment_id = 3;
	f.has_comment_id = true;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_true(g->has_comment_id);
	assert_int_equal(g->comment_id, 3);
	f.has_comment_id = false;
	g = round_trip(&f, PROTO_TO_CLIENT);
	assert_false(g->has_comment_id);
}

static void
proto_comments__malformed_frames__are_refused_with_their_code(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		enum proto_dir dir;
		enum proto_err code;
	} cases[] = {
	    /* a COMMENT needs cid, rev, range and text */
	    {"{\"type\":\"COMMENT\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,"
	     "\"range\":[0,1],\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"range\":[0,1],\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"rev\":1,\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"rev\":1,\"range\":[0,1]}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    /* a range is two integers >= 0, start <= end */
	    {"{\"type\":\"COMMENT\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"rev\":1,\"range\":[4,2],\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"rev\":1,\"range\":[1],\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"rev\":1,\"range\":[-1,2],\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"rev\":1,\"range\":[0,1.5],\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"rev\":1,\"range\":\"0-1\",\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    /* ids are integers >= 1 */
	    {"{\"type\":\"COMMENT_REPLY\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"id\":0,\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT_REPLY\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"id\":\"3\",\"text\":\"x\"}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT_RESOLVE\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"id\":3}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT_RESOLVE\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"notes\","
	     "\"id\":3,\"resolved\":1}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT_DELETE\",\"cid\":\"c\",\"room\":\"lobby\",\"doc\":\"no tes\","
	     "\"id\":3}", PROTO_TO_SERVER, PE_BAD_FIELD},
	    /* a comment event's comment */
	    {"{\"type\":\"COMMENT\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,"
	     "\"comment\":{\"id\":1,\"user\":\"al ice\",\"ts\":1,\"range\":[0,1],"
	     "\"text\":\"x\"}}", PROTO_TO_CLIENT, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,"
	     "\"comment\":{\"id\":1,\"user\":\"alice\",\"ts\":1,\"range\":[2,1],"
	     "\"text\":\"x\"}}", PROTO_TO_CLIENT, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,"
	     "\"comment\":{\"id\":1,\"user\":\"alice\",\"ts\":1,\"range\":[0,1],"
	     "\"text\":\"x\",\"replies\":[{\"id\":2,\"user\":\"bob\",\"ts\":1}]}}",
	     PROTO_TO_CLIENT, PE_BAD_FIELD},
	    {"{\"type\":\"COMMENT\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,"
	     "\"comment\":[]}", PROTO_TO_CLIENT, PE_BAD_FIELD},
	    {"{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,"
	     "\"cursors\":[],\"comments\":[{\"id\":1}]}", PROTO_TO_CLIENT, PE_BAD_FIELD},
	    /* a COMMENT_REPLY is never sent to a client */
	    {"{\"type\":\"COMMENT_REPLY\",\"room\":\"lobby\",\"doc\":\"notes\",\"id\":1,"
	     "\"text\":\"x\"}", PROTO_TO_CLIENT, PE_UNKNOWN_TYPE},
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
		cmocka_unit_test_teardown(proto_comments__requests__survive_a_round_trip,
		    release_held),
		cmocka_unit_test_teardown(proto_comments__events__carry_the_whole_comment,
		    release_held),
		cmocka_unit_test_teardown(
		    proto_comments__malformed_frames__are_refused_with_their_code,
		    release_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
