/*
 * room: what the room list and the panes show besides the timeline. The
 * unread and mention counters (own lines never count, duplicates never
 * count twice), the unread marker, mention detection, the members with
 * their presence, and who is typing (never the local user).
 */
#include "room_fixture.h"

static void
room__history__never_counts_as_unread(void **state)
{
	struct room *r = *state;
	struct proto_message buf[8];
	fill(r, 9, 9);
	room_mark_read(r);
	struct proto_frame f = page(PT_HISTORY, buf, 3, 8, true);
	room_apply_history(r, &f);
	assert_int_equal(r->unread, 0);
}

/* ---- unread, mentions, marker -------------------------------------------- */

static void
room__unread__counts_new_messages_of_others(void **state)
{
	struct room *r = *state;
	fill(r, 1, 3);
	assert_int_equal(r->unread, 3);
	assert_int_equal(r->mentions, 0);
}

static void
room__unread__never_counts_own_messages(void **state)
{
	struct room *r = *state;
	struct proto_message m = pmsg(1, ME, "@alice hi me", NULL);
	room_add_message(r, &m, true);
	room_add_pending(r, "k1", "x", 1);
	room_ack(r, "k1", 2, 5);
	assert_int_equal(r->unread, 0);
	assert_int_equal(r->mentions, 0);
	assert_false(r->msgs[0]->mention);
}

static void
room__unread__is_not_counted_when_the_caller_says_so(void **state)
{
	struct room *r = *state;
	struct proto_message m = pmsg(1, "bob", "hi", NULL);
	room_add_message(r, &m, false);
	assert_int_equal(r->unread, 0);
}

static void
room__unread__is_not_counted_twice_for_a_duplicate(void **state)
{
	struct room *r = *state;
	live(r, 1, "bob", "@alice hi");
	live(r, 1, "bob", "@alice hi");
	assert_int_equal(r->unread, 1);
	assert_int_equal(r->mentions, 1);
}

static void
room__unread__is_not_counted_at_or_below_read_seq(void **state)
{
	struct room *r = *state;
	fill(r, 5, 6);
	room_mark_read(r);
	live(r, 4, "bob", "late replay");
	assert_int_equal(r->unread, 0);
	live(r, 7, "bob", "new");
	assert_int_equal(r->unread, 1);
}

static void
room__mentions__counts_messages_that_mention_me(void **state)
{
	struct room *r = *state;
	live(r, 1, "bob", "hey @Alice look");
	live(r, 2, "bob", "nothing");
	live(r, 3, "bob", "alice: you there?");
	assert_int_equal(r->unread, 3);
	assert_int_equal(r->mentions, 2);
	assert_true(r->msgs[0]->mention);
	assert_false(r->msgs[1]->mention);
}

static void
room__mark_read__zeroes_the_counters_and_moves_read_seq(void **state)
{
	struct room *r = *state;
	live(r, 1, "bob", "@alice");
	live(r, 3, "bob", "x");
	room_mark_read(r);
	assert_int_equal(r->unread, 0);
	assert_int_equal(r->mentions, 0);
	assert_int_equal(r->read_seq, 3);
	assert_int_equal(room_first_unread(r), r->nmsgs);
}

static void
room__first_unread__is_the_first_line_newer_than_read_seq(void **state)
{
	struct room *r = *state;
	fill(r, 1, 3);
	room_mark_read(r);
	fill(r, 4, 5);
	assert_int_equal(room_first_unread(r), 3);
}

static void
room__first_unread__skips_own_lines(void **state)
{
	struct room *r = *state;
	fill(r, 1, 1);
	room_mark_read(r);
	struct proto_message m = pmsg(2, ME, "mine", NULL);
	room_add_message(r, &m, false);
	live(r, 3, "bob", "x");
	assert_int_equal(room_first_unread(r), 2);
}

static void
room__first_unread__is_nmsgs_with_only_pending_lines_after_the_read(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	room_mark_read(r);
	room_add_pending(r, "k1", "mine", 1);
	assert_int_equal(room_first_unread(r), r->nmsgs);
}

static void
room__joined__the_first_snapshot_is_not_unread(void **state)
{
	struct room *r = *state;
	struct proto_message buf[8];
	struct proto_frame f = page(PT_JOINED, buf, 1, 6, false);
	room_apply_joined(r, &f);
	assert_int_equal(r->unread, 0);
	assert_int_equal(r->read_seq, 6);
	assert_int_equal(room_first_unread(r), r->nmsgs);
}

static void
room__joined__a_later_snapshot_counts_what_is_newer_than_read_seq(void **state)
{
	struct room *r = *state;
	struct proto_message buf[8];
	fill(r, 1, 3);
	room_mark_read(r);
	struct proto_frame f = page(PT_JOINED, buf, 2, 6, false);
	room_apply_joined(r, &f);
	assert_int_equal(r->unread, 3);
	assert_int_equal(room_first_unread(r), 3);
}

/* ---- mention detection --------------------------------------------------- */

static void
room__mentions__finds_at_name_anywhere(void **state)
{
	(void)state;
	assert_true(room_mentions("@alice", ME));
	assert_true(room_mentions("hi @alice how are you", ME));
	assert_true(room_mentions("ping (@alice)", ME));
}

static void
room__mentions__ignores_case(void **state)
{
	(void)state;
	assert_true(room_mentions("hi @ALICE", ME));
	assert_true(room_mentions("Alice: hi", ME));
}

static void
room__mentions__finds_name_colon_or_comma_at_the_start(void **state)
{
	(void)state;
	assert_true(room_mentions("alice: lunch?", ME));
	assert_true(room_mentions("alice, lunch?", ME));
	assert_true(room_mentions("  alice: lunch?", ME));
	assert_false(room_mentions("so alice: lunch?", ME));
	assert_false(room_mentions("alice lunch?", ME));
}

static void
room__mentions__ignores_the_name_inside_other_words(void **state)
{
	(void)state;
	assert_false(room_mentions("@alicia", ME));
	assert_false(room_mentions("@alice_2", ME));
	assert_false(room_mentions("malice@alicex", ME));
	assert_false(room_mentions("alicex: hi", ME));
	assert_false(room_mentions("@alice\xc3\xa9", ME));
}

static void
room__mentions__ignores_email_addresses(void **state)
{
	(void)state;
	assert_false(room_mentions("mail x@alice.com", ME));
	assert_false(room_mentions("write to bob@alice", ME));
}

static void
room__mentions__accepts_punctuation_after_the_name(void **state)
{
	(void)state;
	assert_true(room_mentions("thanks @alice!", ME));
	assert_true(room_mentions("thanks @alice.", ME));
	assert_true(room_mentions("@alice, see", ME));
	assert_true(room_mentions("@alice\xe2\x80\xa6", ME)); /* ellipsis */
}

static void
room__mentions__treats_a_dotted_or_dashed_name_as_someone_else(void **state)
{
	(void)state;
	assert_false(room_mentions("@alice.smith", ME));
	assert_false(room_mentions("@alice-b", ME));
}

static void
room__mentions__needs_the_at_sign_in_mid_text(void **state)
{
	(void)state;
	assert_false(room_mentions("I told alice yesterday", ME));
}

static void
room__mentions__is_false_without_a_local_user(void **state)
{
	(void)state;
	assert_false(room_mentions("@alice", NULL));
	assert_false(room_mentions("@", ""));
	assert_false(room_mentions(NULL, ME));
}

static void
room__set_me__recomputes_the_mention_flags(void **state)
{
	struct room *r = *state;
	live(r, 1, "bob", "@carol hi");
	live(r, 2, "carol", "@alice hi");
	room_set_me(r, "carol");
	assert_true(r->msgs[0]->mention);
	assert_false(r->msgs[1]->mention); /* carol's own line now */
}

/* ---- members and typing -------------------------------------------------- */

static void
room__set_member__adds_and_updates_a_member(void **state)
{
	struct room *r = *state;
	room_set_member(r, "bob", PS_ONLINE, NULL, 1);
	room_set_member(r, "bob", PS_BUSY, "deep work", 2);
	assert_int_equal(r->nmembers, 1);
	struct room_member *m = room_find_member(r, "bob");
	assert_non_null(m);
	assert_int_equal(m->status, PS_BUSY);
	assert_string_equal(m->text, "deep work");
	assert_int_equal(m->last_seen, 2);
}

static void
room__set_member__keeps_members_sorted_by_name(void **state)
{
	struct room *r = *state;
	room_set_member(r, "carol", PS_ONLINE, "", 1);
	room_set_member(r, "alice", PS_ONLINE, "", 1);
	room_set_member(r, "bob", PS_OFFLINE, "", 1);
	assert_string_equal(r->members[0].user, "alice");
	assert_string_equal(r->members[1].user, "bob");
	assert_string_equal(r->members[2].user, "carol");
}

static void
room__remove_member__removes_the_member_and_ends_their_typing(void **state)
{
	struct room *r = *state;
	room_set_member(r, "bob", PS_ONLINE, "", 1);
	room_set_typing(r, "bob", true);
	room_remove_member(r, "bob");
	assert_int_equal(r->nmembers, 0);
	assert_null(room_find_member(r, "bob"));
	assert_int_equal(r->ntyping, 0);
}

static void
room__joined__replaces_the_members(void **state)
{
	struct room *r = *state;
	room_set_member(r, "zed", PS_ONLINE, "", 1);
	struct proto_member mem[] = {{"bob", PS_ONLINE, NULL, 1, {NULL, NULL}},
	    {"alice", PS_AWAY, "x", 2, {NULL, NULL}}};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.members = mem;
	f.nmembers = 2;
	room_apply_joined(r, &f);
	assert_int_equal(r->nmembers, 2);
	assert_string_equal(r->members[0].user, "alice");
	assert_null(room_find_member(r, "zed"));
}

static void
room__typing__lists_users_in_the_order_they_started(void **state)
{
	struct room *r = *state;
	room_set_typing(r, "carol", true);
	room_set_typing(r, "bob", true);
	room_set_typing(r, "carol", true);
	assert_int_equal(r->ntyping, 2);
	assert_string_equal(r->typing[0], "carol");
	assert_string_equal(r->typing[1], "bob");
}

static void
room__typing__stop_removes_the_user(void **state)
{
	struct room *r = *state;
	room_set_typing(r, "carol", true);
	room_set_typing(r, "bob", true);
	room_set_typing(r, "carol", false);
	room_set_typing(r, "nobody", false);
	assert_int_equal(r->ntyping, 1);
	assert_string_equal(r->typing[0], "bob");
}

static void
room__typing__never_lists_me(void **state)
{
	struct room *r = *state;
	room_set_typing(r, ME, true);
	assert_int_equal(r->ntyping, 0);
	const char *typing[] = {ME, "bob", "bob"};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.typing = typing;
	f.ntyping = 3;
	room_apply_joined(r, &f);
	assert_int_equal(r->ntyping, 1);
	assert_string_equal(r->typing[0], "bob");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(room__history__never_counts_as_unread),
		T(room__unread__counts_new_messages_of_others),
		T(room__unread__never_counts_own_messages),
		T(room__unread__is_not_counted_when_the_caller_says_so),
		T(room__unread__is_not_counted_twice_for_a_duplicate),
		T(room__unread__is_not_counted_at_or_below_read_seq),
		T(room__mentions__counts_messages_that_mention_me),
		T(room__mark_read__zeroes_the_counters_and_moves_read_seq),
		T(room__first_unread__is_the_first_line_newer_than_read_seq),
		T(room__first_unread__skips_own_lines),
		T(room__first_unread__is_nmsgs_with_only_pending_lines_after_the_read),
		T(room__joined__the_first_snapshot_is_not_unread),
		T(room__joined__a_later_snapshot_counts_what_is_newer_than_read_seq),
		T(room__mentions__finds_at_name_anywhere),
		T(room__mentions__ignores_case),
		T(room__mentions__finds_name_colon_or_comma_at_the_start),
		T(room__mentions__ignores_the_name_inside_other_words),
		T(room__mentions__ignores_email_addresses),
		T(room__mentions__accepts_punctuation_after_the_name),
		T(room__mentions__treats_a_dotted_or_dashed_name_as_someone_else),
		T(room__mentions__needs_the_at_sign_in_mid_text),
		T(room__mentions__is_false_without_a_local_user),
		T(room__set_me__recomputes_the_mention_flags),
		T(room__set_member__adds_and_updates_a_member),
		T(room__set_member__keeps_members_sorted_by_name),
		T(room__remove_member__removes_the_member_and_ends_their_typing),
		T(room__joined__replaces_the_members),
		T(room__typing__lists_users_in_the_order_they_started),
		T(room__typing__stop_removes_the_user),
		T(room__typing__never_lists_me),
	};
	return cmocka_run_group_tests_name("room_view", tests, NULL, NULL);
}
