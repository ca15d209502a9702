/*
 * room: a room's timeline as the client sees it. Confirmed lines by seq,
 * then the user's pending ones; a pending line becomes confirmed in place
 * (by ACK or by the server's echo), whichever comes first; snapshots,
 * replays and history pages merge without a line missing or doubled; the
 * resume point never jumps a gap. (Counters, mentions, members and typing:
 * test_room_view.c; randomised merges and out-of-memory: test_room_props.c.)
 */
#include <stdio.h>

#include "room_fixture.h"

/* ---- pending and confirmed ----------------------------------------------- */

static void
room__new__starts_empty_and_not_joined(void **state)
{
	struct room *r = *state;
	assert_string_equal(r->name, "lobby");
	assert_string_equal(r->me, ME);
	assert_int_equal(r->nmsgs, 0);
	assert_int_equal(r->last_seq, 0);
	assert_false(r->joined);
	assert_int_equal(room_first_unread(r), 0);
}

static void
room__add_pending__appends_a_pending_line_after_the_confirmed_ones(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	assert_true(room_add_pending(r, "k1", "hello", 77));
	assert_int_equal(r->nmsgs, 3);
	const struct room_msg *m = r->msgs[2];
	assert_int_equal(m->state, ROOM_MSG_PENDING);
	assert_string_equal(m->user, ME);
	assert_string_equal(m->text, "hello");
	assert_string_equal(m->cid, "k1");
	assert_int_equal(m->ts, 77);
	assert_int_equal(m->seq, 0);
	assert_consistent(r);
}

static void
room__add_pending__keeps_pending_lines_in_send_order(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "b", "first", 1);
	room_add_pending(r, "a", "second", 2);
	assert_string_equal(r->msgs[0]->text, "first");
	assert_string_equal(r->msgs[1]->text, "second");
}

static void
room__add_pending__refuses_a_cid_already_in_the_room(void **state)
{
	struct room *r = *state;
	assert_true(room_add_pending(r, "k1", "one", 1));
	assert_false(room_add_pending(r, "k1", "two", 2));
	room_ack(r, "k1", 1, 5);
	assert_false(room_add_pending(r, "k1", "three", 3));
	assert_int_equal(r->nmsgs, 1);
}

static void
room__add_message__orders_confirmed_lines_by_seq(void **state)
{
	struct room *r = *state;
	live(r, 3, "bob", "c");
	live(r, 1, "bob", "a");
	live(r, 2, "bob", "b");
	SEQS(r, 1, 2, 3);
	assert_string_equal(r->msgs[1]->text, "b");
}

static void
room__add_message__ignores_a_seq_already_held(void **state)
{
	struct room *r = *state;
	assert_true(live(r, 1, "bob", "a"));
	assert_false(live(r, 1, "bob", "a"));
	SEQS(r, 1);
}

static void
room__add_message__rejects_a_message_without_seq_user_or_text(void **state)
{
	struct room *r = *state;
	struct proto_message m = pmsg(0, "bob", "x", NULL);
	assert_false(room_add_message(r, &m, true));
	m = pmsg(1, NULL, "x", NULL);
	assert_false(room_add_message(r, &m, true));
	m = pmsg(1, "bob", NULL, NULL);
	assert_false(room_add_message(r, &m, true));
	assert_int_equal(r->nmsgs, 0);
}

static void
room__add_message__keeps_pending_lines_after_confirmed_ones(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	live(r, 1, "bob", "a");
	assert_int_equal(r->nconfirmed, 1);
	assert_int_equal(r->msgs[1]->state, ROOM_MSG_PENDING);
	assert_consistent(r);
}

static void
room__ack__confirms_the_pending_line_in_place(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "hello", 1);
	assert_true(room_ack(r, "k1", 7, 1700));
	assert_int_equal(r->nmsgs, 1);
	const struct room_msg *m = r->msgs[0];
	assert_int_equal(m->state, ROOM_MSG_CONFIRMED);
	assert_int_equal(m->seq, 7);
	assert_int_equal(m->ts, 1700);
	assert_string_equal(m->text, "hello");
	assert_int_equal(r->head, 7);
}

static void
room__ack__moves_the_line_to_its_seq_position(void **state)
{
	struct room *r = *state;
	live(r, 1, "bob", "a");
	room_add_pending(r, "k1", "mine", 1);
	room_add_pending(r, "k2", "later", 2);
	live(r, 3, "bob", "c");
	assert_true(room_ack(r, "k1", 2, 5));
	SEQS(r, 1, 2, 3);
	assert_string_equal(r->msgs[1]->text, "mine");
	assert_string_equal(r->msgs[3]->cid, "k2");
}

static void
room__ack_then_echo__leaves_one_line(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	assert_true(room_ack(r, "k1", 1, 5));
	assert_false(echo(r, 1, "k1"));
	SEQS(r, 1);
	assert_int_equal(r->nmsgs, 1);
}

static void
room__echo_then_ack__leaves_one_line(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	assert_true(echo(r, 1, "k1"));
	assert_int_equal(r->msgs[0]->state, ROOM_MSG_CONFIRMED);
	assert_false(room_ack(r, "k1", 1, 5));
	SEQS(r, 1);
	assert_int_equal(r->nmsgs, 1);
}

static void
room__echo__confirms_the_pending_line_without_disturbing_the_others(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "a", "1", 1);
	room_add_pending(r, "b", "2", 2);
	room_add_pending(r, "c", "3", 3);
	assert_true(echo(r, 4, "b"));
	SEQS(r, 4);
	assert_string_equal(r->msgs[1]->cid, "a");
	assert_string_equal(r->msgs[2]->cid, "c");
}

static void
room__echo__from_another_user_with_the_same_cid_is_another_line(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	struct proto_message m = pmsg(1, "bob", "his", "k1");
	assert_true(room_add_message(r, &m, true));
	assert_int_equal(r->nconfirmed, 1);
	assert_int_equal(r->nmsgs, 2);
	assert_int_equal(r->msgs[1]->state, ROOM_MSG_PENDING);
}

static void
room__ack__for_an_unknown_cid_changes_nothing(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	assert_false(room_ack(r, "nope", 1, 5));
	assert_false(room_ack(r, NULL, 1, 5));
	assert_int_equal(r->msgs[0]->state, ROOM_MSG_PENDING);
	assert_int_equal(r->nconfirmed, 0);
}

static void
room__ack__drops_the_pending_duplicate_of_a_line_already_held(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	/* The same message reached us without its cid. */
	struct proto_message m = pmsg(5, ME, "mine", NULL);
	room_add_message(r, &m, false);
	assert_int_equal(r->nmsgs, 2);
	assert_true(room_ack(r, "k1", 5, 5));
	SEQS(r, 5);
	assert_int_equal(r->nmsgs, 1);
}

static void
room__ack__confirms_a_failed_line_too(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	room_fail(r, "k1", "rate_limited");
	assert_true(room_ack(r, "k1", 3, 5));
	assert_int_equal(r->msgs[0]->state, ROOM_MSG_CONFIRMED);
	assert_null(r->msgs[0]->error);
}

/* ---- failed, retry, discard ---------------------------------------------- */

static void
room__fail__marks_the_pending_line_failed_with_the_reason(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	assert_true(room_fail(r, "k1", "too long"));
	assert_int_equal(r->msgs[0]->state, ROOM_MSG_FAILED);
	assert_string_equal(r->msgs[0]->error, "too long");
	assert_consistent(r);
}

static void
room__fail__of_an_unknown_or_confirmed_cid_returns_false(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	room_ack(r, "k1", 1, 5);
	assert_false(room_fail(r, "k1", "no"));
	assert_false(room_fail(r, "k2", "no"));
	assert_int_equal(r->msgs[0]->state, ROOM_MSG_CONFIRMED);
}

static void
room__retry__puts_a_failed_line_back_to_pending(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	room_fail(r, "k1", "internal");
	assert_true(room_retry(r, "k1"));
	assert_int_equal(r->msgs[0]->state, ROOM_MSG_PENDING);
	assert_null(r->msgs[0]->error);
}

static void
room__retry__of_a_pending_line_returns_false(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	assert_false(room_retry(r, "k1"));
	assert_false(room_retry(r, "k2"));
}

static void
room__discard__drops_a_pending_or_a_failed_line(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "a", "1", 1);
	room_add_pending(r, "b", "2", 2);
	room_fail(r, "b", "no");
	assert_true(room_discard(r, "a"));
	assert_true(room_discard(r, "b"));
	assert_int_equal(r->nmsgs, 0);
	assert_null(room_find_cid(r, "a"));
}

static void
room__discard__never_drops_a_confirmed_line(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "a", "1", 1);
	room_ack(r, "a", 1, 5);
	assert_false(room_discard(r, "a"));
	SEQS(r, 1);
}

static void
room__find_cid__finds_pending_and_own_confirmed_lines_only(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "a", "1", 1);
	room_add_pending(r, "b", "2", 2);
	room_ack(r, "b", 1, 5);
	struct proto_message m = pmsg(2, "bob", "his", "c");
	room_add_message(r, &m, true);
	assert_string_equal(room_find_cid(r, "a")->text, "1");
	assert_int_equal(room_find_cid(r, "b")->seq, 1);
	assert_null(room_find_cid(r, "c"));
	assert_null(room_find_cid(r, NULL));
}

/* ---- snapshots, replays and history -------------------------------------- */

static void
room__joined__applies_the_snapshot(void **state)
{
	struct room *r = *state;
	struct proto_message buf[8];
	struct proto_member mem[] = {{"bob", PS_AWAY, "lunch", 5, {NULL, NULL}}};
	const char *typing[] = {"bob"};
	struct proto_frame f = page(PT_JOINED, buf, 5, 10, false);
	f.members = mem;
	f.nmembers = 1;
	f.typing = typing;
	f.ntyping = 1;
	room_apply_joined(r, &f);
	assert_true(r->joined);
	SEQS(r, 5, 6, 7, 8, 9, 10);
	assert_int_equal(r->head, 10);
	assert_int_equal(r->last_seq, 10);
	assert_true(r->more_before);
	assert_int_equal(r->nmembers, 1);
	assert_int_equal(r->members[0].status, PS_AWAY);
	assert_string_equal(r->members[0].text, "lunch");
	assert_int_equal(r->ntyping, 1);
}

static void
room__joined__of_an_empty_room_has_nothing_before(void **state)
{
	struct room *r = *state;
	struct proto_frame f = proto_frame_of(PT_JOINED);
	room_apply_joined(r, &f);
	assert_false(r->more_before);
	assert_int_equal(r->nmsgs, 0);
}

static void
room__replay__overlapping_a_snapshot_adds_each_message_once(void **state)
{
	struct room *r = *state;
	struct proto_message buf[8];
	struct proto_frame f = page(PT_JOINED, buf, 5, 10, false);
	room_apply_joined(r, &f);
	for (int64_t s = 8; s <= 12; s++)
		live(r, s, "bob", "x");
	SEQS(r, 5, 6, 7, 8, 9, 10, 11, 12);
	assert_int_equal(r->last_seq, 12);
}

static void
room__joined__again_keeps_pending_lines_and_confirms_echoed_ones(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "a", "mine", 1);
	room_add_pending(r, "b", "mine too", 2);
	struct proto_message buf[2] = {pmsg(1, "bob", "x", NULL),
	    pmsg(2, ME, "mine", "a")};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.seq = 2;
	f.messages = buf;
	f.nmessages = 2;
	room_apply_joined(r, &f);
	SEQS(r, 1, 2);
	assert_int_equal(r->nmsgs, 3);
	assert_string_equal(r->msgs[2]->cid, "b");
}

static void
room__history__merges_an_older_page_before_the_held_lines(void **state)
{
	struct room *r = *state;
	struct proto_message buf[8];
	fill(r, 6, 8);
	struct proto_frame f = page(PT_HISTORY, buf, 3, 5, true);
	room_apply_history(r, &f);
	SEQS(r, 3, 4, 5, 6, 7, 8);
	assert_true(r->more_before);
}

static void
room__history__pages_out_of_order_merge_into_one_timeline(void **state)
{
	struct room *r = *state;
	struct proto_message buf[8];
	fill(r, 9, 10);
	struct proto_frame older = page(PT_HISTORY, buf, 1, 4, false);
	room_apply_history(r, &older);
	struct proto_frame newer = page(PT_HISTORY, buf, 3, 8, true);
	room_apply_history(r, &newer);
	SEQS(r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	assert_false(r->more_before);
}

static void
room__history__a_page_overtaken_by_an_older_one_leaves_more_alone(void **state)
{
	struct room *r = *state;
	struct proto_message buf[16];
	fill(r, 20, 21);
	struct proto_frame older = page(PT_HISTORY, buf, 5, 9, true);
	room_apply_history(r, &older);
	struct proto_frame newer = page(PT_HISTORY, buf, 10, 19, false);
	room_apply_history(r, &newer);
	assert_true(r->more_before);
}

static void
room__history__an_empty_page_means_nothing_more(void **state)
{
	struct room *r = *state;
	fill(r, 20, 21);
	struct proto_frame f = proto_frame_of(PT_HISTORY);
	room_apply_history(r, &f);
	assert_false(r->more_before);
}

static void
room__history__confirms_an_own_pending_line_with_the_same_cid(void **state)
{
	struct room *r = *state;
	room_add_pending(r, "k1", "mine", 1);
	struct proto_message m = pmsg(4, ME, "mine", "k1");
	struct proto_frame f = proto_frame_of(PT_HISTORY);
	f.messages = &m;
	f.nmessages = 1;
	room_apply_history(r, &f);
	SEQS(r, 4);
	assert_int_equal(r->nmsgs, 1);
}

/* ---- resume point and head ----------------------------------------------- */

static void
room__last_seq__follows_contiguous_messages(void **state)
{
	struct room *r = *state;
	fill(r, 1, 4);
	assert_int_equal(r->last_seq, 4);
}

static void
room__last_seq__stops_before_a_gap(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	live(r, 4, "bob", "x");
	assert_int_equal(r->last_seq, 2);
	assert_int_equal(r->head, 4);
}

static void
room__last_seq__runs_over_held_messages_once_the_gap_fills(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	fill(r, 4, 6);
	live(r, 3, "bob", "x");
	assert_int_equal(r->last_seq, 6);
}

static void
room__last_seq__is_anchored_at_the_first_loaded_message(void **state)
{
	struct room *r = *state;
	struct proto_message buf[8];
	fill(r, 10, 12);
	/* Older history with a gap before the held lines does not pull the
	 * resume point back. */
	struct proto_frame f = page(PT_HISTORY, buf, 2, 5, true);
	room_apply_history(r, &f);
	assert_int_equal(r->last_seq, 12);
}

static void
room__last_seq__advances_with_an_own_acked_message(void **state)
{
	struct room *r = *state;
	fill(r, 1, 1);
	room_add_pending(r, "k1", "mine", 1);
	room_ack(r, "k1", 2, 5);
	assert_int_equal(r->last_seq, 2);
}

/* ---- clear --------------------------------------------------------------- */

static void
room__clear__drops_the_lines_and_keeps_the_resume_point(void **state)
{
	struct room *r = *state;
	fill(r, 1, 5);
	room_clear(r);
	assert_int_equal(r->nmsgs, 0);
	assert_int_equal(r->last_seq, 5);
	assert_int_equal(r->head, 5);
	assert_true(r->more_before);
	live(r, 6, "bob", "after");
	SEQS(r, 6);
	assert_int_equal(r->last_seq, 6);
}

static void
room__clear__keeps_pending_and_failed_lines(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	room_add_pending(r, "a", "1", 1);
	room_add_pending(r, "b", "2", 2);
	room_fail(r, "b", "no");
	room_clear(r);
	assert_int_equal(r->nmsgs, 2);
	assert_int_equal(r->nconfirmed, 0);
	assert_int_equal(r->msgs[1]->state, ROOM_MSG_FAILED);
	assert_consistent(r);
}

static void
room__clear__counts_what_it_dropped_as_read(void **state)
{
	struct room *r = *state;
	fill(r, 1, 3);
	room_clear(r);
	assert_int_equal(r->unread, 0);
	assert_int_equal(r->read_seq, 3);
}

static void
room__holds_seq__only_for_confirmed_messages_held(void **state)
{
	struct room *r = *state;
	fill(r, 5, 7);
	room_add_pending(r, "c1", "mine", 1);
	assert_true(room_holds_seq(r, 5));
	assert_true(room_holds_seq(r, 7));
	assert_false(room_holds_seq(r, 4));
	assert_false(room_holds_seq(r, 8));
	assert_false(room_holds_seq(r, 0)); /* the pending line has no seq */
}

/* ---- the limit and the names --------------------------------------------- */

static void
room__limit__a_new_message_past_it_drops_the_oldest_and_keeps_the_resume_point(
    void **state)
{
	struct room *r = *state;
	room_set_limit(r, 128);
	fill(r, 1, 128);
	assert_int_equal(r->nconfirmed, 128);
	assert_false(r->more_before);
	live(r, 129, "bob", "one more");
	/* a batch goes at once (a 64th of the limit), the oldest first */
	assert_int_equal(r->nconfirmed, 126);
	assert_int_equal(r->msgs[0]->seq, 4);
	assert_int_equal(r->msgs[r->nconfirmed - 1]->seq, 129);
	assert_int_equal(r->last_seq, 129);
	assert_true(r->more_before); /* the server has them: history pages */
	assert_consistent(r);
}

static void
room__limit__lines_paged_back_stay_until_the_next_new_message(void **state)
{
	struct room *r = *state;
	struct proto_message buf[64];
	room_set_limit(r, 100);
	fill(r, 51, 150);
	struct proto_frame f = page(PT_HISTORY, buf, 1, 50, false);
	room_apply_history(r, &f);
	assert_int_equal(r->nconfirmed, 150); /* asked for: kept */
	assert_false(r->more_before);
	live(r, 151, "bob", "new");
	assert_int_equal(r->nconfirmed, 99);
	assert_int_equal(r->msgs[0]->seq, 53);
	assert_true(r->more_before);
	assert_int_equal(r->last_seq, 151);
}

static void
room__hold__keeps_lines_up_to_twice_the_limit_while_the_user_reads_back(
    void **state)
{
	struct room *r = *state;
	room_set_limit(r, 100);
	room_hold(r, true);
	fill(r, 1, 200);
	assert_int_equal(r->nconfirmed, 200);
	live(r, 201, "bob", "past twice");
	assert_int_equal(r->nconfirmed, 99);
	room_hold(r, false);
	fill(r, 202, 202);
	assert_int_equal(r->nconfirmed, 100);
	fill(r, 203, 203);
	assert_int_equal(r->nconfirmed, 99);
	assert_consistent(r);
}

static void
room__limit__pending_lines_are_never_dropped(void **state)
{
	struct room *r = *state;
	room_set_limit(r, 100);
	assert_true(room_add_pending(r, "k1", "unsent", 1));
	fill(r, 1, 300);
	assert_non_null(room_find_cid(r, "k1"));
	assert_int_equal(r->nmsgs, r->nconfirmed + 1);
	assert_true(r->nconfirmed <= 100);
	assert_consistent(r);
}

static void
room__names__each_user_name_is_kept_once(void **state)
{
	struct room *r = *state;
	fill(r, 1, 3);
	live(r, 4, "carol", "hi");
	assert_ptr_equal(r->msgs[0]->user, r->msgs[2]->user);
	assert_ptr_equal(r->msgs[0]->user, room_name_of(r, "bob"));
	assert_string_equal(r->msgs[3]->user, "carol");
	assert_null(room_name_of(r, "dave"));
	for (int i = 0; i < 100; i++) {
		char name[16];
		snprintf(name, sizeof name, "user%d", i);
		struct proto_message m = pmsg(10 + i, name, "x", NULL);
		room_add_message(r, &m, true);
	}
	assert_int_equal(r->names.n, 102);
	assert_string_equal(room_name_of(r, "user57"), "user57");
	assert_ptr_equal(r->msgs[0]->user, room_name_of(r, "bob"));
}

static void
room__cid__is_kept_for_own_lines_only(void **state)
{
	struct room *r = *state;
	struct proto_message m = pmsg(1, "bob", "hi", "bobs-cid");
	room_add_message(r, &m, true);
	assert_null(r->msgs[0]->cid);
	assert_null(room_find_cid(r, "bobs-cid"));
	echo(r, 2, "mine");
	assert_string_equal(r->msgs[1]->cid, "mine");
}

static void
room__edits__count_every_change_but_a_line_added_at_the_bottom(void **state)
{
	struct room *r = *state;
	uint32_t e = r->edits;
	fill(r, 4, 6);
	assert_int_equal(r->edits, e);
	live(r, 2, "bob", "older");
	assert_int_not_equal(r->edits, e);
	e = r->edits;
	room_add_pending(r, "k1", "mine", 1);
	assert_int_not_equal(r->edits, e);
	e = r->edits;
	live(r, 7, "bob", "above the pending line");
	assert_int_not_equal(r->edits, e);
	e = r->edits;
	room_ack(r, "k1", 8, 2);
	assert_int_not_equal(r->edits, e);
	e = r->edits;
	room_clear(r);
	assert_int_not_equal(r->edits, e);
}

static size_t
blocks_held(const struct room *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->blocks.n; i++)
		n += r->blocks.v[i] != NULL;
	return n;
}

static void
room__arena__gives_back_the_memory_of_dropped_lines(void **state)
{
	struct room *r = *state;
	room_set_limit(r, 1000);
	fill(r, 1, 100000);
	assert_true(r->nconfirmed <= 1000);
	/* 1,000 short lines fill two or three 64 KiB blocks, whatever came
	 * and went before them */
	assert_true(blocks_held(r) <= 4);
	assert_true(r->blocks.n <= 8); /* slots are reused */
	char big[40000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	live(r, 100001, "bob", big); /* a block of its own */
	assert_string_equal(r->msgs[r->nconfirmed - 1]->text, big);
	assert_consistent(r);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(room__new__starts_empty_and_not_joined),
		T(room__holds_seq__only_for_confirmed_messages_held),
		T(room__add_pending__appends_a_pending_line_after_the_confirmed_ones),
		T(room__add_pending__keeps_pending_lines_in_send_order),
		T(room__add_pending__refuses_a_cid_already_in_the_room),
		T(room__add_message__orders_confirmed_lines_by_seq),
		T(room__add_message__ignores_a_seq_already_held),
		T(room__add_message__rejects_a_message_without_seq_user_or_text),
		T(room__add_message__keeps_pending_lines_after_confirmed_ones),
		T(room__ack__confirms_the_pending_line_in_place),
		T(room__ack__moves_the_line_to_its_seq_position),
		T(room__ack_then_echo__leaves_one_line),
		T(room__echo_then_ack__leaves_one_line),
		T(room__echo__confirms_the_pending_line_without_disturbing_the_others),
		T(room__echo__from_another_user_with_the_same_cid_is_another_line),
		T(room__ack__for_an_unknown_cid_changes_nothing),
		T(room__ack__drops_the_pending_duplicate_of_a_line_already_held),
		T(room__ack__confirms_a_failed_line_too),
		T(room__fail__marks_the_pending_line_failed_with_the_reason),
		T(room__fail__of_an_unknown_or_confirmed_cid_returns_false),
		T(room__retry__puts_a_failed_line_back_to_pending),
		T(room__retry__of_a_pending_line_returns_false),
		T(room__discard__drops_a_pending_or_a_failed_line),
		T(room__discard__never_drops_a_confirmed_line),
		T(room__find_cid__finds_pending_and_own_confirmed_lines_only),
		T(room__joined__applies_the_snapshot),
		T(room__joined__of_an_empty_room_has_nothing_before),
		T(room__replay__overlapping_a_snapshot_adds_each_message_once),
		T(room__joined__again_keeps_pending_lines_and_confirms_echoed_ones),
		T(room__history__merges_an_older_page_before_the_held_lines),
		T(room__history__pages_out_of_order_merge_into_one_timeline),
		T(room__history__a_page_overtaken_by_an_older_one_leaves_more_alone),
		T(room__history__an_empty_page_means_nothing_more),
		T(room__history__confirms_an_own_pending_line_with_the_same_cid),
		T(room__last_seq__follows_contiguous_messages),
		T(room__last_seq__stops_before_a_gap),
		T(room__last_seq__runs_over_held_messages_once_the_gap_fills),
		T(room__last_seq__is_anchored_at_the_first_loaded_message),
		T(room__last_seq__advances_with_an_own_acked_message),
		T(room__clear__drops_the_lines_and_keeps_the_resume_point),
		T(room__clear__keeps_pending_and_failed_lines),
		T(room__clear__counts_what_it_dropped_as_read),
		T(room__limit__a_new_message_past_it_drops_the_oldest_and_keeps_the_resume_point),
		T(room__limit__lines_paged_back_stay_until_the_next_new_message),
		T(room__hold__keeps_lines_up_to_twice_the_limit_while_the_user_reads_back),
		T(room__limit__pending_lines_are_never_dropped),
		T(room__names__each_user_name_is_kept_once),
		T(room__cid__is_kept_for_own_lines_only),
		T(room__edits__count_every_change_but_a_line_added_at_the_bottom),
		T(room__arena__gives_back_the_memory_of_dropped_lines),
	};
	return cmocka_run_group_tests_name("room", tests, NULL, NULL);
}
