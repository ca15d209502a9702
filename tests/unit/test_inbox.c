/*
 * inbox: the client's notification centre fed with decoded frames as the
 * server sends them (docs/protocol.md, "Notifications").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/inbox.h"

#define TS 1700000000000

static int
setup(void **state)
{
	*state = inbox_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	inbox_free(*state);
	return 0;
}

static struct proto_notification
note(int64_t id, bool read)
{
	return (struct proto_notification){id, "info", "alice in lobby",
	    "@bob look", TS + id, read, "lobby", 40 + id, "mention"};
}

/* A pushed NOTIFICATION; unread < 0 leaves the count out. */
static void
push(struct inbox *ib, int64_t id, bool read, int64_t unread)
{
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION);
	f.notification = note(id, read);
	f.unread = unread;
	f.has_unread = unread >= 0;
	inbox_apply(ib, &f);
}

/* A NOTIFICATIONS page of the given ids (newest first, unread ones),
 * answering a request with before (<= 0: none). */
static void
page(struct inbox *ib, int64_t before, const int64_t *ids, size_t n, bool more,
    int64_t unread)
{
	struct proto_notification v[16];
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++)
		v[i] = note(ids[i], false);
	struct proto_frame f = proto_frame_of(PT_NOTIFICATIONS);
	f.notifications = v;
	f.nnotifications = n;
	f.before = before;
	f.has_before = before > 0;
	f.more = more;
	f.unread = unread;
	f.has_unread = true;
	inbox_apply(ib, &f);
}

static void
read_mark(struct inbox *ib, int64_t id, int64_t upto, int64_t unread)
{
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION_READ);
	f.notification.id = id;
	f.upto = upto;
	f.has_upto = upto >= 0;
	f.unread = unread;
	f.has_unread = true;
	inbox_apply(ib, &f);
}

static void
assert_ids(const struct inbox *ib, const int64_t *ids, size_t n)
{
	assert_int_equal(inbox_count(ib), n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(inbox_at(ib, i)->id, ids[i]);
	assert_null(inbox_at(ib, n));
}

/* ---- pushes -------------------------------------------------------------- */

static void
inbox__notification__adds_an_entry_with_every_field(void **state)
{
	struct inbox *ib = *state;
	push(ib, 7, false, 1);
	const struct inbox_item *it = inbox_at(ib, 0);
	assert_non_null(it);
	assert_int_equal(it->id, 7);
	assert_string_equal(it->level, "info");
	assert_string_equal(it->kind, "mention");
	assert_string_equal(it->title, "alice in lobby");
	assert_string_equal(it->message, "@bob look");
	assert_string_equal(it->room, "lobby");
	assert_int_equal(it->seq, 47);
	assert_int_equal(it->ts, TS + 7);
	assert_false(it->read);
	assert_int_equal(inbox_unread(ib), 1);
}

static void
inbox__notification__keeps_the_newest_first_whatever_the_order_of_arrival(void **state)
{
	struct inbox *ib = *state;
	push(ib, 5, false, -1);
	push(ib, 9, false, -1);
	push(ib, 7, false, -1);
	assert_ids(ib, (int64_t[]){9, 7, 5}, 3);
	assert_int_equal(inbox_newest(ib), 9);
	assert_int_equal(inbox_oldest(ib), 5);
}

static void
inbox__notification__the_same_id_twice_is_one_entry_counted_once(void **state)
{
	struct inbox *ib = *state;
	push(ib, 5, false, -1);
	push(ib, 5, false, -1);
	assert_ids(ib, (int64_t[]){5}, 1);
	assert_int_equal(inbox_unread(ib), 1);
}

static void
inbox__notification__takes_the_servers_unread_count_when_given(void **state)
{
	struct inbox *ib = *state;
	push(ib, 5, false, 12);
	assert_int_equal(inbox_unread(ib), 12);
	push(ib, 6, false, -1);
	assert_int_equal(inbox_unread(ib), 13);
	push(ib, 7, true, -1); /* read already: not counted */
	assert_int_equal(inbox_unread(ib), 13);
}

static void
inbox__notification__without_room_or_seq_has_no_seq_link(void **state)
{
	struct inbox *ib = *state;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION);
	f.notification = (struct proto_notification){3, "success", "bob joined lobby",
	    "", TS, false, "lobby", 0, "join"};
	inbox_apply(ib, &f);
	f.notification = (struct proto_notification){4, "news", "hello", "", TS,
	    false, NULL, 0, "unknown-kind"};
	inbox_apply(ib, &f);
	const char *room = NULL;
	int64_t seq = -1;
	assert_false(inbox_link(ib, 0, &room, &seq)); /* id 4: no room */
	assert_true(inbox_link(ib, 1, &room, &seq));
	assert_string_equal(room, "lobby");
	assert_int_equal(seq, 0);
}

static void
inbox__link__leads_to_the_room_and_seq_of_the_message(void **state)
{
	struct inbox *ib = *state;
	push(ib, 2, false, -1);
	const char *room = NULL;
	int64_t seq = 0;
	assert_true(inbox_link(ib, 0, &room, &seq));
	assert_string_equal(room, "lobby");
	assert_int_equal(seq, 42);
	assert_false(inbox_link(ib, 1, &room, &seq));
}

/* ---- pages --------------------------------------------------------------- */

static void
inbox__page__fills_an_empty_inbox_and_says_whether_there_is_more(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){30, 20, 10}, 3, true, 3);
	assert_ids(ib, (int64_t[]){30, 20, 10}, 3);
	assert_true(ib->more);
	assert_int_equal(inbox_unread(ib), 3);
}

static void
inbox__page__merges_with_pushes_without_duplicates(void **state)
{
	struct inbox *ib = *state;
	push(ib, 30, false, -1);
	push(ib, 40, false, -1);
	page(ib, 0, (int64_t[]){40, 30, 20}, 3, false, 3);
	assert_ids(ib, (int64_t[]){40, 30, 20}, 3);
	assert_int_equal(inbox_unread(ib), 3);
	assert_false(ib->more);
}

static void
inbox__page__replaces_a_held_entry_with_the_servers_copy(void **state)
{
	struct inbox *ib = *state;
	push(ib, 30, true, -1);
	page(ib, 0, (int64_t[]){30}, 1, false, 1);
	assert_false(inbox_at(ib, 0)->read);
}

static void
inbox__page__the_newest_drops_what_is_older_than_it(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){5, 4}, 2, false, 0);
	/* reconnected: the newest page may not reach what was held */
	page(ib, 0, (int64_t[]){90, 80}, 2, true, 2);
	assert_ids(ib, (int64_t[]){90, 80}, 2);
	assert_true(ib->more);
}

static void
inbox__page__an_empty_newest_page_empties_the_inbox(void **state)
{
	struct inbox *ib = *state;
	push(ib, 5, false, -1);
	page(ib, 0, NULL, 0, false, 0);
	assert_int_equal(inbox_count(ib), 0);
	assert_int_equal(inbox_unread(ib), 0);
	assert_false(ib->more);
}

static void
inbox__page__an_older_page_continues_the_list_and_its_more(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){30, 20}, 2, true, 4);
	page(ib, inbox_oldest(ib), (int64_t[]){15, 10}, 2, false, 4);
	assert_ids(ib, (int64_t[]){30, 20, 15, 10}, 4);
	assert_false(ib->more);
}

static void
inbox__page__an_older_page_from_elsewhere_keeps_more(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){30, 20}, 2, true, 4);
	page(ib, 25, (int64_t[]){20}, 1, false, 4);
	assert_ids(ib, (int64_t[]){30, 20}, 2);
	assert_true(ib->more);
}

static void
inbox__page__keeps_at_most_inbox_max_entries(void **state)
{
	struct inbox *ib = *state;
	for (int64_t id = 1; id <= INBOX_MAX + 5; id++)
		push(ib, id, false, -1);
	assert_int_equal(inbox_count(ib), INBOX_MAX);
	assert_int_equal(inbox_newest(ib), INBOX_MAX + 5);
	assert_int_equal(inbox_oldest(ib), 6);
	assert_true(ib->more);
}

/* ---- read marks and counts ----------------------------------------------- */

static void
inbox__read__marks_one_entry_and_takes_the_count(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){3, 2, 1}, 3, false, 3);
	read_mark(ib, 2, -1, 2);
	assert_false(inbox_at(ib, 0)->read);
	assert_true(inbox_at(ib, 1)->read);
	assert_false(inbox_at(ib, 2)->read);
	assert_int_equal(inbox_unread(ib), 2);
}

static void
inbox__read__upto_marks_every_entry_at_or_below_it(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){9, 6, 3}, 3, false, 3);
	read_mark(ib, 0, 6, 1);
	assert_false(inbox_at(ib, 0)->read);
	assert_true(inbox_at(ib, 1)->read);
	assert_true(inbox_at(ib, 2)->read);
	assert_int_equal(inbox_unread(ib), 1);
}

static void
inbox__read__of_an_entry_not_held_only_changes_the_count(void **state)
{
	struct inbox *ib = *state;
	push(ib, 9, false, 5);
	read_mark(ib, 4, -1, 4);
	assert_false(inbox_at(ib, 0)->read);
	assert_int_equal(inbox_unread(ib), 4);
}

static void
inbox__welcome__sets_the_unread_count(void **state)
{
	struct inbox *ib = *state;
	struct proto_frame w = proto_frame_of(PT_WELCOME);
	w.unread = 7;
	w.has_unread = true;
	inbox_apply(ib, &w);
	assert_int_equal(inbox_unread(ib), 7);
	w.has_unread = false; /* an older server: the count stays */
	inbox_apply(ib, &w);
	assert_int_equal(inbox_unread(ib), 7);
}

static void
inbox__apply__ignores_other_frames(void **state)
{
	struct inbox *ib = *state;
	struct proto_frame m = proto_frame_of(PT_MESSAGE);
	m.room = "lobby";
	inbox_apply(ib, &m);
	assert_int_equal(inbox_count(ib), 0);
	assert_int_equal(inbox_find(ib, 1), (size_t)-1);
}

static void
inbox__find__gives_the_index_of_an_id(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){9, 6, 3}, 3, false, 3);
	assert_int_equal(inbox_find(ib, 6), 1);
	assert_int_equal(inbox_find(ib, 5), (size_t)-1);
}

/* ---- frames the client sends --------------------------------------------- */

static void
assert_frame(char *json, const char *want)
{
	assert_non_null(json);
	assert_string_equal(json, want);
	free(json);
}

static void
inbox__frames__ask_for_pages_and_marks(void **state)
{
	(void)state;
	assert_frame(inbox_page_frame(NULL, 0, 0), "{\"type\":\"NOTIFICATIONS\"}");
	assert_frame(inbox_page_frame("n1", 17, 20),
	    "{\"type\":\"NOTIFICATIONS\",\"before\":17,\"limit\":20,\"cid\":\"n1\"}");
	assert_frame(inbox_mark_read_frame("r1", 17),
	    "{\"type\":\"MARK_READ\",\"id\":17,\"cid\":\"r1\"}");
	assert_frame(inbox_mark_all_read_frame("r2", 17),
	    "{\"type\":\"MARK_ALL_READ\",\"upto\":17,\"cid\":\"r2\"}");
	assert_frame(inbox_mark_all_read_frame(NULL, -1),
	    "{\"type\":\"MARK_ALL_READ\"}");
	assert_null(inbox_mark_read_frame("r1", 0)); /* no such id */
}

static void
inbox__mark__one_is_shown_read_at_once_and_counted_once(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){3, 2, 1}, 3, false, 3);
	assert_true(inbox_mark_read(ib, 2));
	assert_true(inbox_at(ib, 1)->read);
	assert_int_equal(inbox_unread(ib), 2);
	assert_false(inbox_mark_read(ib, 2)); /* again: nothing changes */
	assert_false(inbox_mark_read(ib, 7)); /* not held */
	assert_int_equal(inbox_unread(ib), 2);
	read_mark(ib, 2, -1, 2);              /* the server agrees */
	assert_int_equal(inbox_unread(ib), 2);
}

static void
inbox__mark__all_up_to_an_id_leaves_newer_ones_unread(void **state)
{
	struct inbox *ib = *state;
	page(ib, 0, (int64_t[]){9, 6, 3, 1}, 4, false, 6); /* 2 more not held */
	assert_true(inbox_mark_read(ib, 3));
	assert_int_equal(inbox_mark_all_read(ib, 6), 2);
	assert_false(inbox_at(ib, 0)->read);
	for (size_t i = 1; i < 4; i++)
		assert_true(inbox_at(ib, i)->read);
	assert_int_equal(inbox_unread(ib), 3);
	assert_int_equal(inbox_mark_all_read(ib, -1), 1);
	assert_true(inbox_at(ib, 0)->read);
	assert_int_equal(inbox_unread(ib), 2);
	/* the server's count wins: the two not held were unread too */
	read_mark(ib, 0, 9, 0);
	assert_int_equal(inbox_unread(ib), 0);
	assert_int_equal(inbox_mark_all_read(ib, -1), 0);
	assert_int_equal(inbox_unread(ib), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(inbox__notification__adds_an_entry_with_every_field),
		T(inbox__notification__keeps_the_newest_first_whatever_the_order_of_arrival),
		T(inbox__notification__the_same_id_twice_is_one_entry_counted_once),
		T(inbox__notification__takes_the_servers_unread_count_when_given),
		T(inbox__notification__without_room_or_seq_has_no_seq_link),
		T(inbox__link__leads_to_the_room_and_seq_of_the_message),
		T(inbox__page__fills_an_empty_inbox_and_says_whether_there_is_more),
		T(inbox__page__merges_with_pushes_without_duplicates),
		T(inbox__page__replaces_a_held_entry_with_the_servers_copy),
		T(inbox__page__the_newest_drops_what_is_older_than_it),
		T(inbox__page__an_empty_newest_page_empties_the_inbox),
		T(inbox__page__an_older_page_continues_the_list_and_its_more),
		T(inbox__page__an_older_page_from_elsewhere_keeps_more),
		T(inbox__page__keeps_at_most_inbox_max_entries),
		T(inbox__read__marks_one_entry_and_takes_the_count),
		T(inbox__read__upto_marks_every_entry_at_or_below_it),
		T(inbox__read__of_an_entry_not_held_only_changes_the_count),
		T(inbox__mark__one_is_shown_read_at_once_and_counted_once),
		T(inbox__mark__all_up_to_an_id_leaves_newer_ones_unread),
		T(inbox__welcome__sets_the_unread_count),
		T(inbox__apply__ignores_other_frames),
		T(inbox__find__gives_the_index_of_an_id),
		T(inbox__frames__ask_for_pages_and_marks),
	};
	return cmocka_run_group_tests_name("inbox", tests, NULL, NULL);
}
