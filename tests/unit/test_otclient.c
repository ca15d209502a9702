/* Hand-written cases for the client's OT state machine (model/otclient). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/doc.h"
#include "model/ot.h"
#include "model/otclient.h"

/* A cmocka test body; the state pointer is unused throughout. */
#define TEST(name) static void name(void **state __attribute__((unused)))

/* ---- helpers ---------------------------------------------------------- */

static struct ot_op
op_of(const char *json)
{
	struct ot_op op = OT_OP_INIT;
	char err[160] = "";
	if (ot_decode(json, strlen(json), &op, err, sizeof err) != OT_OK)
		fail_msg("decoding %s: %s", json, err);
	return op;
}

/* A client for user "me" holding text at revision rev. */
static struct otclient *
client_at(const char *text, size_t rev)
{
	struct doc *d = doc_new_from(text, strlen(text));
	assert_non_null(d);
	struct otclient *c = otclient_new(d, rev, "me");
	assert_non_null(c);
	return c;
}

static void
assert_text(const struct otclient *c, const char *want)
{
	char *t = doc_text(otclient_doc(c), NULL);
	assert_non_null(t);
	assert_string_equal(t, want);
	free(t);
}

static void
assert_op(const struct ot_op *op, const char *json)
{
	char *s = ot_encode(op);
	assert_non_null(s);
	assert_string_equal(s, json);
	free(s);
}

static enum otclient_status
local(struct otclient *c, const char *json, const char *cid,
    struct otclient_send *send)
{
	struct ot_op op = op_of(json);
	enum otclient_status st = otclient_local(c, &op, cid, send);
	ot_free(&op);
	return st;
}

static enum otclient_status
remote(struct otclient *c, size_t rev, const char *json, const char *user,
    const char *cid, struct otclient_send *send)
{
	struct ot_op op = op_of(json);
	enum otclient_status st = otclient_server_op(c, rev, &op, user, cid,
	    "next", send);
	ot_free(&op);
	return st;
}

/* Local edit that must succeed; returns whether it was sent. */
static bool
edit(struct otclient *c, const char *json, const char *cid)
{
	struct otclient_send s;
	assert_int_equal(local(c, json, cid, &s), OTCLIENT_OK);
	return s.ready;
}

static void
from_bob(struct otclient *c, size_t rev, const char *json)
{
	struct otclient_send s;
	assert_int_equal(remote(c, rev, json, "bob", "b", &s), OTCLIENT_OK);
	assert_false(s.ready);
}

/* Everything observable, to check that a failure changed nothing. */
struct snapshot {
	char *text;
	size_t rev, undo, redo;
	unsigned pending;
	enum otclient_state state;
};

static struct snapshot
snap(const struct otclient *c)
{
	struct snapshot s = {doc_text(otclient_doc(c), NULL), otclient_rev(c),
	    otclient_undo_depth(c), otclient_redo_depth(c),
	    otclient_pending(c), otclient_state(c)};
	assert_non_null(s.text);
	return s;
}

static void
assert_unchanged(const struct otclient *c, struct snapshot before)
{
	struct snapshot now = snap(c);
	assert_string_equal(now.text, before.text);
	assert_int_equal(now.rev, before.rev);
	assert_int_equal(now.undo, before.undo);
	assert_int_equal(now.redo, before.redo);
	assert_int_equal(now.pending, before.pending);
	assert_int_equal(now.state, before.state);
	free(now.text);
	free(before.text);
}

/* ---- local edits ------------------------------------------------------ */

TEST(local__when_synchronized_applies_the_edit_and_sends_it_at_once)
{
	struct otclient *c = client_at("héllo", 7);
	struct otclient_send s;
	assert_int_equal(local(c, "[5,\" 😀\"]", "c1", &s), OTCLIENT_OK);
	assert_text(c, "héllo 😀");
	assert_true(s.ready);
	assert_string_equal(s.cid, "c1");
	assert_int_equal(s.rev, 7);
	assert_op(s.op, "[5,\" 😀\"]");
	assert_int_equal(otclient_state(c), OTCLIENT_AWAITING_CONFIRM);
	assert_int_equal(otclient_pending(c), 1);
	otclient_free(c);
}

TEST(local__while_awaiting_confirm_buffers_without_sending)
{
	struct otclient *c = client_at("abc", 0);
	assert_true(edit(c, "[\"x\",3]", "c1"));
	assert_false(edit(c, "[4,\"y\"]", "unused"));
	assert_text(c, "xabcy");
	assert_int_equal(otclient_state(c), OTCLIENT_AWAITING_WITH_BUFFER);
	assert_int_equal(otclient_pending(c), 2);
	otclient_free(c);
}

TEST(local__with_a_buffer_composes_every_later_edit_into_it)
{
	struct otclient *c = client_at("abc", 0);
	struct otclient_send s;
	assert_true(edit(c, "[\"x\",3]", "c1"));
	assert_false(edit(c, "[4,\"y\"]", NULL));
	assert_false(edit(c, "[1,-2,2]", NULL));
	assert_int_equal(otclient_pending(c), 2);
	assert_text(c, "xcy");
	assert_int_equal(otclient_ack(c, "c1", 1, "c2", &s), OTCLIENT_OK);
	assert_true(s.ready);
	assert_op(s.op, "[1,-2,1,\"y\"]");
	otclient_free(c);
}

TEST(local__rejects_an_op_that_does_not_fit_and_changes_nothing)
{
	struct otclient *c = client_at("abc", 0);
	struct otclient_send s;
	struct snapshot before = snap(c);
	assert_int_equal(local(c, "[4,\"x\"]", "c1", &s),
	    OTCLIENT_ELENGTH);
	assert_false(s.ready);
	assert_unchanged(c, before);
	otclient_free(c);
}

TEST(local__that_must_be_sent_without_a_cid_fails_and_changes_nothing)
{
	struct otclient *c = client_at("abc", 0);
	struct otclient_send s;
	struct snapshot before = snap(c);
	assert_int_equal(local(c, "[3,\"x\"]", NULL, &s), OTCLIENT_EINVAL);
	assert_unchanged(c, before);
	otclient_free(c);
}

TEST(local__ignores_an_edit_that_changes_nothing)
{
	struct otclient *c = client_at("abc", 0);
	assert_false(edit(c, "[3]", "c1"));
	assert_int_equal(otclient_state(c), OTCLIENT_SYNCHRONIZED);
	assert_int_equal(otclient_undo_depth(c), 0);
	otclient_free(c);
}

/* ---- acknowledgements ------------------------------------------------- */

TEST(ack__without_a_buffer_returns_to_synchronized)
{
	struct otclient *c = client_at("", 3);
	struct otclient_send s;
	assert_true(edit(c, "[\"a\"]", "c1"));
	assert_int_equal(otclient_ack(c, "c1", 4, "c2", &s), OTCLIENT_OK);
	assert_false(s.ready);
	assert_int_equal(otclient_rev(c), 4);
	assert_int_equal(otclient_state(c), OTCLIENT_SYNCHRONIZED);
	assert_int_equal(otclient_pending(c), 0);
	assert_true(edit(c, "[1,\"b\"]", "c3"));
	otclient_free(c);
}

TEST(ack__with_a_buffer_sends_it_under_the_new_cid_at_the_acked_rev)
{
	struct otclient *c = client_at("", 3);
	struct otclient_send s;
	assert_true(edit(c, "[\"a\"]", "c1"));
	assert_false(edit(c, "[1,\"b\"]", NULL));
	assert_int_equal(otclient_ack(c, "c1", 4, "c2", &s), OTCLIENT_OK);
	assert_true(s.ready);
	assert_string_equal(s.cid, "c2");
	assert_int_equal(s.rev, 4);
	assert_op(s.op, "[1,\"b\"]");
	assert_int_equal(otclient_state(c), OTCLIENT_AWAITING_CONFIRM);
	otclient_free(c);
}

TEST(ack__of_another_cid_is_rejected_and_changes_nothing)
{
	struct otclient *c = client_at("", 3);
	struct otclient_send s;
	assert_true(edit(c, "[\"a\"]", "c1"));
	struct snapshot before = snap(c);
	assert_int_equal(otclient_ack(c, "c9", 4, "c2", &s), OTCLIENT_ESTATE);
	assert_int_equal(otclient_ack(c, NULL, 4, "c2", &s), OTCLIENT_ESTATE);
	assert_unchanged(c, before);
	otclient_free(c);
}

TEST(ack__with_nothing_in_flight_is_rejected)
{
	struct otclient *c = client_at("", 3);
	struct otclient_send s;
	assert_int_equal(otclient_ack(c, "c1", 4, "c2", &s), OTCLIENT_ESTATE);
	assert_int_equal(otclient_rev(c), 3);
	otclient_free(c);
}

TEST(ack__of_a_revision_that_is_not_the_next_changes_nothing)
{
	struct otclient *c = client_at("", 3);
	struct otclient_send s;
	assert_true(edit(c, "[\"a\"]", "c1"));
	assert_false(edit(c, "[1,\"b\"]", NULL));
	struct snapshot before = snap(c);
	assert_int_equal(otclient_ack(c, "c1", 5, "c2", &s), OTCLIENT_EREV);
	assert_int_equal(otclient_ack(c, "c1", 3, "c2", &s), OTCLIENT_EREV);
	assert_false(s.ready);
	assert_unchanged(c, before);
	otclient_free(c);
}

TEST(ack__that_starts_the_buffer_without_a_cid_changes_nothing)
{
	struct otclient *c = client_at("", 3);
	struct otclient_send s;
	assert_true(edit(c, "[\"a\"]", "c1"));
	assert_false(edit(c, "[1,\"b\"]", NULL));
	struct snapshot before = snap(c);
	assert_int_equal(otclient_ack(c, "c1", 4, NULL, &s), OTCLIENT_EINVAL);
	assert_unchanged(c, before);
	otclient_free(c);
}

/* ---- operations from the server --------------------------------------- */

TEST(server_op__when_synchronized_applies_it_and_advances_the_revision)
{
	struct otclient *c = client_at("abc", 10);
	from_bob(c, 11, "[1,\"日本\",-1,1]");
	assert_text(c, "a日本c");
	assert_int_equal(otclient_rev(c), 11);
	assert_int_equal(otclient_state(c), OTCLIENT_SYNCHRONIZED);
	otclient_free(c);
}

TEST(server_op__while_awaiting_goes_first_at_a_tie_and_moves_the_op_in_flight)
{
	struct otclient *c = client_at("abc", 0);
	struct otclient_send s;
	assert_true(edit(c, "[1,\"X\",2]", "c1"));
	from_bob(c, 1, "[1,\"Y\",2]");
	/* The server ordered bob's insert first, so it comes first. */
	assert_text(c, "aYXbc");
	assert_int_equal(otclient_rev(c), 1);
	assert_int_equal(otclient_ack(c, "c1", 2, "c2", &s), OTCLIENT_OK);
	assert_int_equal(otclient_rev(c), 2);
	assert_int_equal(otclient_state(c), OTCLIENT_SYNCHRONIZED);
	otclient_free(c);
}

TEST(server_op__with_a_buffer_moves_past_both_and_the_buffer_follows)
{
	struct otclient *c = client_at("abcdef", 0);
	struct otclient_send s;
	assert_true(edit(c, "[\"<\",6]", "c1"));    /* <abcdef */
	assert_false(edit(c, "[7,\">\"]", NULL));   /* <abcdef> */
	from_bob(c, 1, "[2,-2,2]");                   /* server: abef */
	assert_text(c, "<abef>");
	assert_int_equal(otclient_ack(c, "c1", 2, "c2", &s), OTCLIENT_OK);
	assert_true(s.ready);
	assert_int_equal(s.rev, 2);
	/* On the server's "<abef" the buffer appends ">". */
	assert_op(s.op, "[5,\">\"]");
	otclient_free(c);
}

TEST(server_op__of_a_revision_that_is_not_the_next_changes_nothing)
{
	struct otclient *c = client_at("abc", 4);
	struct otclient_send s;
	assert_true(edit(c, "[\"x\",3]", "c1"));
	struct snapshot before = snap(c);
	assert_int_equal(remote(c, 6, "[3,\"y\"]", "bob", "b", &s),
	    OTCLIENT_EREV);
	assert_int_equal(remote(c, 4, "[3,\"y\"]", "bob", "b", &s),
	    OTCLIENT_EREV);
	assert_unchanged(c, before);
	otclient_free(c);
}

TEST(server_op__whose_base_length_does_not_fit_changes_nothing)
{
	struct otclient *c = client_at("abc", 4);
	struct otclient_send s;
	assert_true(edit(c, "[\"x\",3]", "c1"));
	struct snapshot before = snap(c);
	/* The server's document is "abc": 3, not the local 4. */
	assert_int_equal(remote(c, 5, "[4,\"y\"]", "bob", "b", &s),
	    OTCLIENT_ELENGTH);
	assert_unchanged(c, before);
	otclient_free(c);
}

TEST(server_op__my_own_op_in_flight_echoed_in_a_catch_up_is_its_ack)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	assert_true(edit(c, "[\"a\"]", "c1"));
	assert_false(edit(c, "[1,\"b\"]", NULL));
	otclient_offline(c);
	from_bob(c, 1, "[\"Z\"]");
	assert_int_equal(remote(c, 2, "[1,\"a\"]", "me", "c1", &s),
	    OTCLIENT_OK);
	assert_false(s.ready); /* offline: nothing goes out yet */
	assert_text(c, "Zab");
	assert_int_equal(otclient_rev(c), 2);
	assert_int_equal(otclient_state(c), OTCLIENT_AWAITING_CONFIRM);
	assert_true(otclient_resend(c, &s));
	assert_string_equal(s.cid, "next");
	assert_int_equal(s.rev, 2);
	assert_op(s.op, "[2,\"b\"]");
	otclient_free(c);
}

TEST(server_op__of_mine_from_another_session_is_an_ordinary_op)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	assert_true(edit(c, "[\"a\"]", "c1"));
	assert_int_equal(remote(c, 1, "[\"b\"]", "me", "other", &s),
	    OTCLIENT_OK);
	assert_text(c, "ba");
	assert_int_equal(otclient_pending(c), 1);
	otclient_free(c);
}

/* ---- reconnecting ----------------------------------------------------- */

TEST(resend__gives_the_op_as_first_sent_with_its_cid_and_base_rev)
{
	struct otclient *c = client_at("abc", 5);
	struct otclient_send s;
	assert_true(edit(c, "[3,\"!\"]", "c1"));
	otclient_offline(c);
	from_bob(c, 6, "[\"0\",3]");
	from_bob(c, 7, "[4,\"?\"]");
	assert_text(c, "0abc?!");
	assert_true(otclient_resend(c, &s));
	assert_string_equal(s.cid, "c1");
	assert_int_equal(s.rev, 5);
	assert_op(s.op, "[3,\"!\"]");

	/* The server transforms it from revision 5, as the client did. */
	struct ot_op r6 = op_of("[\"0\",3]"), r7 = op_of("[4,\"?\"]");
	struct ot_op a = OT_OP_INIT, b = OT_OP_INIT, a2 = OT_OP_INIT,
	    b2 = OT_OP_INIT;
	assert_int_equal(ot_transform(&r6, s.op, &a, &b), OT_OK);
	assert_int_equal(ot_transform(&r7, &b, &a2, &b2), OT_OK);
	assert_op(&b2, "[5,\"!\"]");
	ot_free(&r6), ot_free(&r7), ot_free(&a), ot_free(&b);
	ot_free(&a2), ot_free(&b2);
	otclient_free(c);
}

TEST(resend__with_nothing_in_flight_sends_nothing)
{
	struct otclient *c = client_at("abc", 5);
	struct otclient_send s;
	otclient_offline(c);
	assert_false(otclient_resend(c, &s));
	assert_false(s.ready);
	otclient_free(c);
}

TEST(offline__edits_go_in_flight_but_out_only_on_resend)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	otclient_offline(c);
	assert_false(edit(c, "[\"a\"]", "c1"));
	assert_false(edit(c, "[1,\"b\"]", "c2"));
	assert_int_equal(otclient_pending(c), 2);
	assert_true(otclient_resend(c, &s));
	assert_string_equal(s.cid, "c1");
	assert_op(s.op, "[\"a\"]");
	assert_int_equal(otclient_ack(c, "c1", 1, "c3", &s), OTCLIENT_OK);
	assert_true(s.ready); /* back online */
	assert_string_equal(s.cid, "c3");
	otclient_free(c);
}

/* ---- undo and redo ---------------------------------------------------- */

TEST(undo__reverts_my_last_edit_as_a_new_edit_that_is_sent)
{
	struct otclient *c = client_at("abc", 0);
	struct otclient_send s;
	assert_true(edit(c, "[1,-1,1]", "c1"));
	assert_int_equal(otclient_ack(c, "c1", 1, NULL, &s), OTCLIENT_OK);
	assert_int_equal(otclient_undo(c, "c2", &s), OTCLIENT_OK);
	assert_text(c, "abc");
	assert_true(s.ready);
	assert_string_equal(s.cid, "c2");
	assert_op(s.op, "[1,\"b\",1]");
	assert_int_equal(otclient_undo_depth(c), 0);
	assert_int_equal(otclient_redo_depth(c), 1);
	otclient_free(c);
}

TEST(undo__with_nothing_to_undo_or_redo_is_empty)
{
	struct otclient *c = client_at("abc", 0);
	struct otclient_send s;
	assert_int_equal(otclient_undo(c, "c1", &s), OTCLIENT_EEMPTY);
	assert_int_equal(otclient_redo(c, "c1", &s), OTCLIENT_EEMPTY);
	assert_false(s.ready);
	otclient_free(c);
}

TEST(undo__groups_typing_until_a_boundary)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	edit(c, "[\"h\"]", "c1");
	edit(c, "[1,\"i\"]", NULL);
	otclient_undo_boundary(c);
	edit(c, "[2,\" \"]", NULL);
	edit(c, "[3,\"😀\"]", NULL);
	assert_int_equal(otclient_undo_depth(c), 2);
	assert_int_equal(otclient_undo(c, NULL, &s), OTCLIENT_OK);
	assert_text(c, "hi");
	assert_int_equal(otclient_undo(c, NULL, &s), OTCLIENT_OK);
	assert_text(c, "");
	otclient_free(c);
}

TEST(undo__keeps_a_paste_or_a_delete_as_a_step_of_its_own)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	edit(c, "[\"a\"]", "c1");
	edit(c, "[1,\"bc\"]", NULL);
	edit(c, "[3,\"d\"]", NULL);
	edit(c, "[2,-2]", NULL);
	assert_int_equal(otclient_undo_depth(c), 4);
	assert_int_equal(otclient_undo(c, NULL, &s), OTCLIENT_OK);
	assert_text(c, "abcd");
	otclient_free(c);
}

TEST(undo__after_others_edited_reverts_only_my_change)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	assert_true(edit(c, "[\"hello\"]", "c1"));
	assert_int_equal(otclient_ack(c, "c1", 1, NULL, &s), OTCLIENT_OK);
	from_bob(c, 2, "[\">\",2,\"Y\",3,\"<\"]");
	assert_text(c, ">heYllo<");
	assert_int_equal(otclient_undo(c, "c2", &s), OTCLIENT_OK);
	assert_text(c, ">Y<");
	assert_true(s.ready);
	assert_int_equal(s.rev, 2);
	assert_op(s.op, "[1,-2,1,-3,1]");
	otclient_free(c);
}

TEST(undo__of_a_delete_restores_the_text_around_later_remote_edits)
{
	struct otclient *c = client_at("one two three", 0);
	struct otclient_send s;
	assert_true(edit(c, "[3,-4,6]", "c1"));   /* "one three" */
	from_bob(c, 1, "[\"[\",13,\"]\"]");        /* server: "[one two three]" */
	assert_text(c, "[one three]");
	assert_int_equal(otclient_undo(c, NULL, &s), OTCLIENT_OK);
	assert_text(c, "[one two three]");
	otclient_free(c);
}

TEST(undo__a_step_others_deleted_entirely_disappears)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	edit(c, "[\"a\"]", "c1");
	edit(c, "[1,\"b\"]", NULL);
	assert_int_equal(otclient_ack(c, "c1", 1, "c2", &s), OTCLIENT_OK);
	assert_int_equal(otclient_ack(c, "c2", 2, NULL, &s), OTCLIENT_OK);
	from_bob(c, 3, "[\"z\",-2]");
	assert_int_equal(otclient_undo_depth(c), 0);
	assert_int_equal(otclient_undo(c, "c3", &s), OTCLIENT_EEMPTY);
	assert_text(c, "z");
	otclient_free(c);
}

TEST(undo__while_an_op_is_in_flight_is_buffered)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	assert_true(edit(c, "[\"ab\"]", "c1"));
	assert_int_equal(otclient_undo(c, "c2", &s), OTCLIENT_OK);
	assert_false(s.ready);
	assert_text(c, "");
	assert_int_equal(otclient_pending(c), 2);
	assert_int_equal(otclient_ack(c, "c1", 1, "c3", &s), OTCLIENT_OK);
	assert_op(s.op, "[-2]");
	otclient_free(c);
}

TEST(redo__reapplies_what_undo_reverted_even_after_remote_edits)
{
	struct otclient *c = client_at("xy", 0);
	struct otclient_send s;
	edit(c, "[1,\"AB\",1]", "c1"); /* xABy */
	assert_int_equal(otclient_undo(c, NULL, &s), OTCLIENT_OK);
	from_bob(c, 1, "[2,\"!\"]");      /* server: xy! */
	assert_text(c, "xy!");
	assert_int_equal(otclient_redo(c, NULL, &s), OTCLIENT_OK);
	assert_text(c, "xABy!");
	assert_int_equal(otclient_redo_depth(c), 0);
	assert_int_equal(otclient_undo_depth(c), 1);
	assert_int_equal(otclient_undo(c, NULL, &s), OTCLIENT_OK);
	assert_text(c, "xy!");
	otclient_free(c);
}

TEST(redo__is_cleared_by_a_new_edit)
{
	struct otclient *c = client_at("", 0);
	struct otclient_send s;
	edit(c, "[\"a\"]", "c1");
	assert_int_equal(otclient_undo(c, NULL, &s), OTCLIENT_OK);
	assert_int_equal(otclient_redo_depth(c), 1);
	edit(c, "[\"b\"]", NULL);
	assert_int_equal(otclient_redo_depth(c), 0);
	assert_int_equal(otclient_redo(c, NULL, &s), OTCLIENT_EEMPTY);
	otclient_free(c);
}

TEST(undo__keeps_at_most_the_latest_steps)
{
	struct otclient *c = client_at("", 0);
	char json[32];
	otclient_offline(c);
	for (size_t i = 0; i < OTCLIENT_UNDO_MAX + 5; i++) {
		otclient_undo_boundary(c);
		snprintf(json, sizeof json, i ? "[%zu,\"x\"]" : "[\"x\"]", i);
		edit(c, json, "c");
	}
	assert_int_equal(otclient_undo_depth(c), OTCLIENT_UNDO_MAX);
	otclient_free(c);
}

/* ---- cursors ---------------------------------------------------------- */

TEST(cursor__at_the_current_rev_moves_through_my_pending_edits)
{
	struct otclient *c = client_at("abcdef", 0);
	struct ot_selection out;
	edit(c, "[\"12\",6]", "c1");
	edit(c, "[5,-2,1]", NULL); /* 12abcf */
	struct ot_selection sel = {2, 5};
	assert_int_equal(otclient_transform_remote_cursor(c, 0, sel, &out),
	    OTCLIENT_OK);
	assert_int_equal(out.anchor, 4);
	assert_int_equal(out.head, 5);
	otclient_free(c);
}

TEST(cursor__from_an_older_rev_moves_through_the_server_ops_since)
{
	struct otclient *c = client_at("abc", 0);
	struct otclient_send s;
	struct ot_selection out;
	edit(c, "[\"<\",3]", "c1");
	assert_int_equal(otclient_ack(c, "c1", 1, NULL, &s), OTCLIENT_OK);
	from_bob(c, 2, "[2,\"--\",2]");               /* <a--bc */
	edit(c, "[6,\">\"]", "c2");                    /* <a--bc> */
	/* Carol's cursor before "c", at revision 0. */
	struct ot_selection sel = {2, 2};
	assert_int_equal(otclient_transform_remote_cursor(c, 0, sel, &out),
	    OTCLIENT_OK);
	assert_int_equal(out.head, 5);
	assert_int_equal(otclient_transform_remote_cursor(c, 3, sel, &out),
	    OTCLIENT_EREV);
	otclient_free(c);
}

TEST(cursor__older_than_the_remembered_ops_is_rejected)
{
	struct otclient *c = client_at("", 100);
	struct ot_selection out, sel = {0, 0};
	assert_int_equal(otclient_transform_remote_cursor(c, 99, sel, &out),
	    OTCLIENT_EREV);
	for (size_t r = 101; r <= 100 + OTCLIENT_HISTORY + 1; r++)
		from_bob(c, r, r == 101 ? "[\"a\"]" : "[1]");
	size_t rev = otclient_rev(c);
	assert_int_equal(otclient_transform_remote_cursor(c,
	    rev - OTCLIENT_HISTORY, sel, &out), OTCLIENT_OK);
	assert_int_equal(otclient_transform_remote_cursor(c,
	    rev - OTCLIENT_HISTORY - 1, sel, &out), OTCLIENT_EREV);
	otclient_free(c);
}

TEST(cursor__kept_cursors_follow_later_edits_until_dropped)
{
	struct otclient *c = client_at("abc", 0);
	struct ot_selection sel = {1, 3};
	assert_int_equal(otclient_cursor_set(c, "s1", "carol", 0, sel),
	    OTCLIENT_OK);
	assert_int_equal(otclient_cursor_set(c, "s2", "dave", 0,
	    (struct ot_selection){9, 9}), OTCLIENT_OK);
	edit(c, "[\"xx\",3]", "c1");
	from_bob(c, 1, "[2,-1]");                     /* xxab */
	assert_int_equal(otclient_cursor_count(c), 2);
	const struct otclient_cursor *k = otclient_cursor_at(c, 0);
	assert_string_equal(k->session, "s1");
	assert_string_equal(k->user, "carol");
	assert_int_equal(k->sel.anchor, 3);
	assert_int_equal(k->sel.head, 4);
	assert_int_equal(otclient_cursor_at(c, 1)->sel.head, 4); /* clamped */
	assert_int_equal(otclient_cursor_set(c, "s1", "carol", 1,
	    (struct ot_selection){0, 0}), OTCLIENT_OK);
	assert_int_equal(otclient_cursor_count(c), 2);
	otclient_cursor_drop(c, "s1");
	assert_int_equal(otclient_cursor_count(c), 1);
	assert_string_equal(otclient_cursor_at(c, 0)->session, "s2");
	otclient_cursor_drop(c, NULL);
	assert_int_equal(otclient_cursor_count(c), 0);
	assert_null(otclient_cursor_at(c, 0));
	otclient_free(c);
}

TEST(selection__follows_remote_and_local_edits)
{
	struct otclient *c = client_at("abcd", 0);
	otclient_set_selection(c, (struct ot_selection){2, 2});
	edit(c, "[2,\"X\",2]", "c1"); /* typed at the cursor: moves past it */
	assert_int_equal(otclient_selection(c).head, 3);
	from_bob(c, 1, "[\"日本\",4]");
	assert_int_equal(otclient_selection(c).head, 5);
	from_bob(c, 2, "[1,-4,1]");      /* deletes around it */
	assert_int_equal(otclient_selection(c).head, 2);
	otclient_set_selection(c, (struct ot_selection){0, 99});
	assert_int_equal(otclient_selection(c).head, 3);
	otclient_free(c);
}

TEST(strerror__names_every_status)
{
	for (int st = OTCLIENT_OK; st <= OTCLIENT_EINVAL; st++)
		assert_true(strlen(otclient_strerror(st)) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local__when_synchronized_applies_the_edit_and_sends_it_at_once),
		cmocka_unit_test(local__while_awaiting_confirm_buffers_without_sending),
		cmocka_unit_test(local__with_a_buffer_composes_every_later_edit_into_it),
		cmocka_unit_test(local__rejects_an_op_that_does_not_fit_and_changes_nothing),
		cmocka_unit_test(local__that_must_be_sent_without_a_cid_fails_and_changes_nothing),
		cmocka_unit_test(local__ignores_an_edit_that_changes_nothing),
		cmocka_unit_test(ack__without_a_buffer_returns_to_synchronized),
		cmocka_unit_test(ack__with_a_buffer_sends_it_under_the_new_cid_at_the_acked_rev),
		cmocka_unit_test(ack__of_another_cid_is_rejected_and_changes_nothing),
		cmocka_unit_test(ack__with_nothing_in_flight_is_rejected),
		cmocka_unit_test(ack__of_a_revision_that_is_not_the_next_changes_nothing),
		cmocka_unit_test(ack__that_starts_the_buffer_without_a_cid_changes_nothing),
		cmocka_unit_test(server_op__when_synchronized_applies_it_and_advances_the_revision),
		cmocka_unit_test(server_op__while_awaiting_goes_first_at_a_tie_and_moves_the_op_in_flight),
		cmocka_unit_test(server_op__with_a_buffer_moves_past_both_and_the_buffer_follows),
		cmocka_unit_test(server_op__of_a_revision_that_is_not_the_next_changes_nothing),
		cmocka_unit_test(server_op__whose_base_length_does_not_fit_changes_nothing),
		cmocka_unit_test(server_op__my_own_op_in_flight_echoed_in_a_catch_up_is_its_ack),
		cmocka_unit_test(server_op__of_mine_from_another_session_is_an_ordinary_op),
		cmocka_unit_test(resend__gives_the_op_as_first_sent_with_its_cid_and_base_rev),
		cmocka_unit_test(resend__with_nothing_in_flight_sends_nothing),
		cmocka_unit_test(offline__edits_go_in_flight_but_out_only_on_resend),
		cmocka_unit_test(undo__reverts_my_last_edit_as_a_new_edit_that_is_sent),
		cmocka_unit_test(undo__with_nothing_to_undo_or_redo_is_empty),
		cmocka_unit_test(undo__groups_typing_until_a_boundary),
		cmocka_unit_test(undo__keeps_a_paste_or_a_delete_as_a_step_of_its_own),
		cmocka_unit_test(undo__after_others_edited_reverts_only_my_change),
		cmocka_unit_test(undo__of_a_delete_restores_the_text_around_later_remote_edits),
		cmocka_unit_test(undo__a_step_others_deleted_entirely_disappears),
		cmocka_unit_test(undo__while_an_op_is_in_flight_is_buffered),
		cmocka_unit_test(redo__reapplies_what_undo_reverted_even_after_remote_edits),
		cmocka_unit_test(redo__is_cleared_by_a_new_edit),
		cmocka_unit_test(undo__keeps_at_most_the_latest_steps),
		cmocka_unit_test(cursor__at_the_current_rev_moves_through_my_pending_edits),
		cmocka_unit_test(cursor__from_an_older_rev_moves_through_the_server_ops_since),
		cmocka_unit_test(cursor__older_than_the_remembered_ops_is_rejected),
		cmocka_unit_test(cursor__kept_cursors_follow_later_edits_until_dropped),
		cmocka_unit_test(selection__follows_remote_and_local_edits),
		cmocka_unit_test(strerror__names_every_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
