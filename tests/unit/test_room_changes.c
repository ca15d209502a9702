/*
 * room_changes: replies, reactions, edits, deletions, read marks,
 * receipts and topics applied to a room's messages.
 */
#include "room_fixture.h"

#include "model/msgcursor.h"

static void
room_changes__reaction_adds_counts_and_names(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	uint32_t edits = r->edits;
	assert_true(room_apply_reaction(r, 2, "👍", "bob", true, 1));
	assert_true(room_apply_reaction(r, 2, "👍", ME, true, 2));
	assert_true(room_apply_reaction(r, 2, "🎉", "carol", true, 1));
	const struct room_msg *m = r->msgs[1];
	assert_non_null(m->x);
	assert_int_equal(m->x->nreactions, 2);
	assert_string_equal(m->x->reactions[0].emoji, "👍");
	assert_int_equal(m->x->reactions[0].count, 2);
	assert_int_equal(m->x->reactions[0].nusers, 2);
	assert_true(room_reacted(m, "👍", ME));
	assert_false(room_reacted(m, "🎉", ME));
	assert_true(r->edits > edits);
	assert_null(r->msgs[0]->x);
}

static void
room_changes__reaction_off_drops_the_name_and_at_zero_the_emoji(void **state)
{
	struct room *r = *state;
	fill(r, 1, 1);
	room_apply_reaction(r, 1, "👍", "bob", true, 1);
	room_apply_reaction(r, 1, "👍", ME, true, 2);
	assert_true(room_apply_reaction(r, 1, "👍", ME, false, 1));
	assert_false(room_reacted(r->msgs[0], "👍", ME));
	assert_int_equal(r->msgs[0]->x->reactions[0].count, 1);
	assert_true(room_apply_reaction(r, 1, "👍", "bob", false, 0));
	assert_int_equal(r->msgs[0]->x->nreactions, 0);
	assert_false(room_apply_reaction(r, 1, "👍", "bob", false, 0));
}

static void
room_changes__a_change_to_a_message_not_held_is_nothing(void **state)
{
	struct room *r = *state;
	fill(r, 5, 6);
	uint32_t edits = r->edits;
	assert_false(room_apply_reaction(r, 3, "👍", "bob", true, 1));
	assert_false(room_apply_edit(r, 3, "x", 10));
	assert_false(room_apply_delete(r, 3));
	assert_false(room_note_reply(r, 3, 10));
	assert_int_equal(r->edits, edits);
	assert_consistent(r);
}

static void
room_changes__edit_replaces_the_text_and_stamps_it(void **state)
{
	struct room *r = *state;
	fill(r, 1, 1);
	uint16_t ch = r->msgs[0]->changes;
	assert_true(room_apply_edit(r, 1, "hello @alice", 5000));
	assert_string_equal(r->msgs[0]->text, "hello @alice");
	assert_int_equal(r->msgs[0]->x->edited_ts, 5000);
	assert_true(r->msgs[0]->mention);
	assert_int_not_equal(r->msgs[0]->changes, ch);
	assert_true(room_apply_edit(r, 1, "again", 6000));
	assert_string_equal(r->msgs[0]->text, "again");
	assert_false(r->msgs[0]->mention);
}

static void
room_changes__delete_leaves_a_tombstone_without_reactions(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	room_apply_reaction(r, 1, "👍", "bob", true, 1);
	room_apply_edit(r, 1, "edited", 10);
	assert_true(room_apply_delete(r, 1));
	const struct room_msg *m = r->msgs[0];
	assert_true(m->deleted);
	assert_string_equal(m->text, "");
	assert_int_equal(m->x->nreactions, 0);
	assert_false(room_apply_delete(r, 1));
	assert_false(room_apply_edit(r, 1, "back", 20));
	assert_false(room_apply_reaction(r, 1, "👍", "bob", true, 1));
	SEQS(r, 1, 2);
}

static void
room_changes__a_snapshot_brings_the_later_state_of_held_and_new_lines(
    void **state)
{
	struct room *r = *state;
	fill(r, 1, 1);
	const char *users[] = { "bob", "carol" };
	struct proto_reaction rc = { "🎉", 2, users, 2 };
	struct proto_message m[3] = { pmsg(1, "bob", "new text", NULL),
		pmsg(2, "bob", NULL, NULL), pmsg(3, "carol", "reply", NULL) };
	m[0].edited_ts = 77;
	m[0].replies = 1;
	m[0].last_reply = 1003;
	m[0].reactions = &rc;
	m[0].nreactions = 1;
	m[1].deleted = true;
	m[2].thread = 1;
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.messages = m;
	f.nmessages = 3;
	f.seq = 3;
	room_apply_joined(r, &f);
	SEQS(r, 1, 2, 3);
	assert_string_equal(r->msgs[0]->text, "new text");
	assert_int_equal(r->msgs[0]->x->replies, 1);
	assert_int_equal(r->msgs[0]->x->reactions[0].count, 2);
	assert_true(room_reacted(r->msgs[0], "🎉", "carol"));
	assert_true(r->msgs[1]->deleted);
	assert_int_equal(r->msgs[2]->thread, 1);
	/* the same snapshot again changes nothing */
	uint32_t edits = r->edits;
	room_apply_joined(r, &f);
	assert_int_equal(r->edits, edits);
}

static void
room_changes__a_reply_counts_on_its_root(void **state)
{
	struct room *r = *state;
	fill(r, 1, 1);
	assert_true(room_note_reply(r, 1, 4000));
	assert_true(room_note_reply(r, 1, 3000));
	assert_int_equal(r->msgs[0]->x->replies, 2);
	assert_int_equal(r->msgs[0]->x->last_reply, 4000);
}

static void
room_changes__a_pending_reply_keeps_its_root_through_the_ack(void **state)
{
	struct room *r = *state;
	fill(r, 1, 1);
	assert_true(room_add_pending_reply(r, "c1", "re", 1, 50));
	assert_int_equal(room_find_cid(r, "c1")->thread, 1);
	assert_true(room_ack(r, "c1", 2, 60));
	assert_int_equal(r->msgs[1]->thread, 1);
	assert_int_equal(r->msgs[1]->state, ROOM_MSG_CONFIRMED);
}

static void
room_changes__rev_never_goes_back(void **state)
{
	struct room *r = *state;
	room_note_rev(r, 5);
	room_note_rev(r, 3);
	assert_int_equal(r->rev, 5);
}

static void
room_changes__server_read_sets_unread_and_moves_forward_only(void **state)
{
	struct room *r = *state;
	room_set_read(r, 0);
	live(r, 1, "bob", "hi @alice");
	live(r, 2, "bob", "x");
	live(r, 3, "bob", "y");
	assert_int_equal(r->unread, 3);
	room_apply_server_read(r, 2, 1);
	assert_int_equal(r->read_seq, 2);
	assert_int_equal(r->unread, 1);
	assert_int_equal(r->mentions, 0);
	room_apply_server_read(r, 1, 1);
	assert_int_equal(r->read_seq, 2);
	room_apply_server_read(r, 3, 0);
	assert_int_equal(r->unread, 0);
	assert_true(r->read_server);
}

static void
room_changes__seen_by_lists_others_at_or_past_the_seq(void **state)
{
	struct room *r = *state;
	fill(r, 1, 1);
	echo(r, 2, "c1");
	struct proto_receipt v[] = { { "bob", 2 }, { ME, 2 }, { "carol", 1 },
		{ "dave", 3 } };
	room_set_receipts(r, v, 4);
	const char *who[4];
	assert_int_equal(room_seen_by(r, 2, who, 4), 2);
	assert_string_equal(who[0], "bob");
	assert_string_equal(who[1], "dave");
	assert_true(room_apply_receipt(r, "carol", 2));
	assert_false(room_apply_receipt(r, "carol", 1));
	assert_int_equal(room_seen_by(r, 2, who, 4), 3);
	assert_int_equal(room_last_own(r)->seq, 2);
}

static void
room_changes__topic_is_set_and_cleared(void **state)
{
	struct room *r = *state;
	room_set_topic(r, "plans");
	assert_string_equal(r->topic, "plans");
	room_set_topic(r, "");
	assert_null(r->topic);
}

static void
room_changes__the_new_messages_line_never_goes_before_a_reply(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	room_see(r);
	room_unsee(r); /* the user looks elsewhere; then news comes */
	struct proto_message m = pmsg(3, "bob", "re", NULL);
	m.thread = 1;
	room_add_message(r, &m, true);
	live(r, 4, "bob", "news");
	room_see(r);
	assert_int_equal(room_marker_index(r), 3); /* seq 4, not the reply */
}

static struct proto_message
reply_of(int64_t seq, int64_t root)
{
	struct proto_message m = pmsg(seq, "bob", "re", NULL);
	m.thread = root;
	return m;
}

static void
room_changes__loose_lines_stay_out_of_the_run_until_it_reaches_them(
    void **state)
{
	struct room *r = *state;
	struct proto_message buf[100];
	struct proto_frame f = page(PT_JOINED, buf, 100, 105, false);
	f.seq = 105;
	room_apply_joined(r, &f);
	struct proto_message root = pmsg(5, "carol", "root", NULL);
	struct proto_message r7 = reply_of(7, 5), r102 = reply_of(102, 5),
	    r110 = reply_of(110, 5);
	assert_true(room_add_loose(r, &root));
	assert_true(room_add_loose(r, &r7));
	assert_false(room_add_loose(r, &r7));    /* once */
	assert_false(room_add_loose(r, &r102));  /* held: nothing new */
	assert_false(room_add_loose(r, &r110));  /* the run's, on its way */
	SEQS(r, 5, 7, 100, 101, 102, 103, 104, 105);
	assert_true(r->msgs[0]->loose && r->msgs[1]->loose);
	assert_int_equal(room_run_first(r), 100);
	assert_int_equal(r->last_seq, 105);
	assert_true(r->more_before);
	/* a page of the run below it leaves them loose, and its more counts */
	f = page(PT_HISTORY, buf, 50, 99, true);
	room_apply_history(r, &f);
	assert_int_equal(room_run_first(r), 50);
	assert_true(r->msgs[1]->loose);
	assert_true(r->more_before);
	/* the page that reaches them takes them in */
	f = page(PT_HISTORY, buf, 1, 49, false);
	room_apply_history(r, &f);
	assert_int_equal(room_run_first(r), 1);
	assert_false(r->msgs[4]->loose);
	assert_false(r->more_before);
	assert_int_equal(room_first_unread(r), r->nmsgs);
	assert_consistent(r);
}

static void
room_changes__the_limit_keeps_the_shown_thread_as_loose_lines(void **state)
{
	struct room *r = *state;
	room_set_limit(r, 10);
	fill(r, 1, 2);
	struct proto_message r3 = reply_of(3, 2);
	room_add_message(r, &r3, true);
	fill(r, 4, 10);
	room_keep_thread(r, 2);
	fill(r, 11, 13); /* over the limit: the oldest go but 2 and 3 */
	assert_true(room_holds_seq(r, 2) && room_holds_seq(r, 3));
	assert_false(room_holds_seq(r, 1));
	assert_true(r->msgs[0]->loose && r->msgs[1]->loose);
	assert_false(r->msgs[2]->loose);
	assert_true(r->more_before);
	assert_consistent(r);
	room_keep_thread(r, 0);
	room_drop_loose(r);
	assert_false(room_holds_seq(r, 2));
	assert_int_equal(room_run_first(r), r->msgs[0]->seq);
	assert_consistent(r);
}

static void
room_changes__new_replies_are_those_after_the_read_mark_not_mine(
    void **state)
{
	struct room *r = *state;
	fill(r, 1, 3);
	room_set_read(r, 3);
	struct proto_message a = reply_of(4, 2), mine = reply_of(5, 2),
	    b = reply_of(6, 2), other = reply_of(7, 1);
	mine.user = ME;
	room_add_message(r, &a, true);
	room_add_message(r, &mine, true);
	room_add_message(r, &b, true);
	room_add_message(r, &other, true);
	for (int64_t s = 4; s <= 7; s++)
		room_note_reply(r, s == 7 ? 1 : 2, 1000 + s);
	struct room_msg *root = msgcursor_msg(r, 2);
	assert_int_equal(root->x->replies, 3);
	assert_int_equal(room_new_replies(r, root), 2);
	assert_int_equal(room_new_replies(r, msgcursor_msg(r, 1)), 1);
	assert_int_equal(room_new_replies(r, msgcursor_msg(r, 3)), 0);
	/* shown: the new-messages line's mark holds while the room is */
	room_see(r);
	assert_int_equal(room_new_replies(r, root), 2);
	room_apply_delete(r, 6);
	assert_int_equal(room_new_replies(r, root), 1);
	room_unsee(r);
	assert_int_equal(room_new_replies(r, root), 0); /* all read now */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(room_changes__reaction_adds_counts_and_names),
		T(room_changes__reaction_off_drops_the_name_and_at_zero_the_emoji),
		T(room_changes__a_change_to_a_message_not_held_is_nothing),
		T(room_changes__edit_replaces_the_text_and_stamps_it),
		T(room_changes__delete_leaves_a_tombstone_without_reactions),
		T(room_changes__a_snapshot_brings_the_later_state_of_held_and_new_lines),
		T(room_changes__a_reply_counts_on_its_root),
		T(room_changes__a_pending_reply_keeps_its_root_through_the_ack),
		T(room_changes__rev_never_goes_back),
		T(room_changes__server_read_sets_unread_and_moves_forward_only),
		T(room_changes__seen_by_lists_others_at_or_past_the_seq),
		T(room_changes__topic_is_set_and_cleared),
		T(room_changes__the_new_messages_line_never_goes_before_a_reply),
		T(room_changes__loose_lines_stay_out_of_the_run_until_it_reaches_them),
		T(room_changes__the_limit_keeps_the_shown_thread_as_loose_lines),
		T(room_changes__new_replies_are_those_after_the_read_mark_not_mine),
	};
	return cmocka_run_group_tests_name("room_changes", tests, NULL, NULL);
}
