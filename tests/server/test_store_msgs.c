/*
 * store_sqlite_msgs: messages' changes in the SQLite store. Reactions are
 * one per (user, message, emoji), counted and listed by first reaction;
 * edits and deletes change the message's row (a tombstone keeps it, with
 * no text, reactions or old edit texts); every change has the room's next
 * rev, is found again by its (user, cid) after a reopen, and rolls back
 * whole; replies are counted on their root and paged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "server/store.h"
#include "store_fixture.h"

#define TS 1700000000000
#define THUMBS "\xf0\x9f\x91\x8d"
#define PARTY "\xf0\x9f\x8e\x89"

struct fx {
	char dir[STORE_DIR_SIZE];
	char path[STORE_PATH_SIZE];
	struct store *s;
	int64_t room;
};

STORE_FIXTURE(STORE_FIXTURE_NOTHING)

static void
say(struct fx *fx, const char *user, const char *cid, int64_t want_seq)
{
	struct store_msg m;
	bool dup;
	assert_int_equal(fx->s->ops->message_append(fx->s, fx->room, user, cid,
	    "some text", TS + want_seq, &m, &dup), 0);
	assert_false(dup);
	assert_int_equal(m.seq, want_seq);
	store_msg_free(&m);
}

/* The store open, with five messages in lobby. */
static int
setup_lobby(void **state)
{
	if (setup_open(state) != 0)
		return -1;
	struct fx *fx = *state;
	int64_t head;
	if (fx->s->ops->room_ensure(fx->s, "lobby", TS, &fx->room, &head) != 0)
		return -1;
	for (int i = 1; i <= 5; i++) {
		char cid[8];
		snprintf(cid, sizeof cid, "m%d", i);
		say(fx, i % 2 ? "alice" : "bob", cid, i);
	}
	return 0;
}

static enum store_react_result
react(struct fx *fx, int64_t seq, const char *user, const char *cid,
    const char *emoji, bool on, struct store_change *c)
{
	enum store_react_result res;
	assert_int_equal(fx->s->ops->reaction_set(fx->s, fx->room, seq, user, cid,
	    emoji, on, TS, 32, c, &res), 0);
	return res;
}

/* Message seq as a list reads it (with its reactions). */
static void
read_one(struct fx *fx, int64_t seq, struct store_msgs *ms)
{
	assert_int_equal(fx->s->ops->messages_after(fx->s, fx->room, seq - 1, seq,
	    1, ms), 0);
	assert_int_equal(ms->n, 1);
}

static int64_t
rev_of(struct fx *fx)
{
	int64_t rev;
	assert_int_equal(fx->s->ops->room_rev(fx->s, fx->room, &rev), 0);
	return rev;
}

static void
store__reaction_set__counts_one_per_user_and_emoji_by_first_reaction(void **state)
{
	struct fx *fx = *state;
	struct store_change c;
	assert_int_equal(react(fx, 1, "bob", "r1", THUMBS, true, &c), SR_CHANGED);
	assert_int_equal(c.rev, 1);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.kind, SC_REACT);
	assert_string_equal(c.emoji, THUMBS);
	store_change_free(&c);
	assert_int_equal(react(fx, 1, "bob", "r2", THUMBS, true, &c), SR_UNCHANGED);
	assert_int_equal(rev_of(fx), 1); /* no change, no rev */
	assert_int_equal(react(fx, 1, "carol", "r3", PARTY, true, &c), SR_CHANGED);
	store_change_free(&c);
	assert_int_equal(react(fx, 1, "alice", "r4", THUMBS, true, &c), SR_CHANGED);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.rev, 3);
	store_change_free(&c);

	struct store_msgs ms;
	read_one(fx, 1, &ms);
	assert_int_equal(ms.v[0].nreactions, 2);
	assert_string_equal(ms.v[0].reactions[0].emoji, THUMBS);
	assert_int_equal(ms.v[0].reactions[0].count, 2);
	assert_string_equal(ms.v[0].reactions[0].users[0], "bob");
	assert_string_equal(ms.v[0].reactions[0].users[1], "alice");
	assert_string_equal(ms.v[0].reactions[1].emoji, PARTY);
	store_msgs_free(&ms);

	assert_int_equal(react(fx, 1, "bob", "r5", THUMBS, false, &c), SR_CHANGED);
	assert_int_equal(c.kind, SC_UNREACT);
	assert_int_equal(c.count, 1);
	store_change_free(&c);
	assert_int_equal(react(fx, 1, "bob", "r6", THUMBS, false, &c), SR_UNCHANGED);
	/* the first of the reactions left is carol's */
	read_one(fx, 1, &ms);
	assert_string_equal(ms.v[0].reactions[0].emoji, PARTY);
	assert_string_equal(ms.v[0].reactions[1].emoji, THUMBS);
	assert_int_equal(ms.v[0].reactions[1].count, 1);
	assert_string_equal(ms.v[0].reactions[1].users[0], "alice");
	store_msgs_free(&ms);
	read_one(fx, 2, &ms);
	assert_int_equal(ms.v[0].nreactions, 0); /* other messages have none */
	store_msgs_free(&ms);
}

static void
store__reaction_set__lists_the_first_users_and_refuses_a_33rd_emoji(void **state)
{
	struct fx *fx = *state;
	struct store_change c;
	for (int i = 0; i < 15; i++) {
		char user[8], cid[8];
		snprintf(user, sizeof user, "u%02d", i);
		snprintf(cid, sizeof cid, "c%d", i);
		assert_int_equal(react(fx, 2, user, cid, THUMBS, true, &c), SR_CHANGED);
		store_change_free(&c);
	}
	for (int i = 1; i < 32; i++) {
		char emoji[8], cid[8];
		snprintf(emoji, sizeof emoji, "e%d", i); /* the store takes any text */
		snprintf(cid, sizeof cid, "e%d", i);
		assert_int_equal(react(fx, 2, "u00", cid, emoji, true, &c), SR_CHANGED);
		store_change_free(&c);
	}
	assert_int_equal(react(fx, 2, "u01", "x", "e32", true, &c), SR_TOO_MANY);
	assert_int_equal(react(fx, 2, "u01", "y", "e31", true, &c), SR_CHANGED);
	store_change_free(&c);
	struct store_msgs ms;
	read_one(fx, 2, &ms);
	assert_int_equal(ms.v[0].nreactions, 32);
	assert_int_equal(ms.v[0].reactions[0].count, 15);
	assert_int_equal(ms.v[0].reactions[0].nusers, STORE_REACTION_USERS);
	assert_string_equal(ms.v[0].reactions[0].users[9], "u09");
	assert_int_equal(ms.v[0].reactions[31].count, 2);
	store_msgs_free(&ms);

	/* the first users by when they reacted, not by name */
	for (int i = 0; i < 12; i++) {
		char user[8], cid[8];
		snprintf(user, sizeof user, "z%02d", 11 - i);
		snprintf(cid, sizeof cid, "z%d", i);
		assert_int_equal(react(fx, 4, user, cid, PARTY, true, &c), SR_CHANGED);
		store_change_free(&c);
	}
	read_one(fx, 4, &ms);
	assert_int_equal(ms.v[0].reactions[0].count, 12);
	assert_int_equal(ms.v[0].reactions[0].nusers, STORE_REACTION_USERS);
	for (int i = 0; i < STORE_REACTION_USERS; i++) {
		char user[8];
		snprintf(user, sizeof user, "z%02d", 11 - i);
		assert_string_equal(ms.v[0].reactions[0].users[i], user);
	}
	store_msgs_free(&ms);
}

static void
store__edit_and_delete__keep_the_row_and_leave_nothing_of_the_text(void **state)
{
	struct fx *fx = *state;
	struct store_change c;
	assert_int_equal(fx->s->ops->message_edit(fx->s, fx->room, 3, "alice", "e1",
	    "new words", TS + 100, &c), 0);
	assert_int_equal(c.rev, 1);
	assert_int_equal(c.kind, SC_EDIT);
	store_change_free(&c);
	assert_int_equal(react(fx, 3, "bob", "r1", THUMBS, true, &c), SR_CHANGED);
	store_change_free(&c);
	struct store_msg m;
	bool found;
	assert_int_equal(fx->s->ops->message_get(fx->s, fx->room, 3, &m, &found), 0);
	assert_true(found);
	assert_string_equal(m.text, "new words");
	assert_int_equal(m.edited_ts, TS + 100);
	assert_false(m.deleted);
	store_msg_free(&m);

	assert_int_equal(fx->s->ops->message_delete(fx->s, fx->room, 3, "bob", "d1",
	    TS + 200, &c), 0);
	assert_int_equal(c.rev, 3);
	assert_string_equal(c.user, "bob");
	store_change_free(&c);
	reopen(fx);
	struct store_msgs ms;
	read_one(fx, 3, &ms);
	assert_true(ms.v[0].deleted);
	assert_string_equal(ms.v[0].text, "");
	assert_string_equal(ms.v[0].user, "alice");
	assert_int_equal(ms.v[0].nreactions, 0);
	store_msgs_free(&ms);
	/* the edit's change keeps no text either */
	assert_int_equal(fx->s->ops->change_by_cid(fx->s, "alice", "e1", &c, &found), 0);
	assert_true(found);
	assert_int_equal(c.kind, SC_EDIT);
	assert_string_equal(c.text, "");
	store_change_free(&c);
	assert_int_equal(fx->s->ops->message_get(fx->s, fx->room, 9, &m, &found), 0);
	assert_false(found);
}

static void
store__changes__are_found_by_cid_after_a_reopen_and_roll_back_whole(void **state)
{
	struct fx *fx = *state;
	struct store_change c;
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	assert_int_equal(react(fx, 1, "bob", "r1", THUMBS, true, &c), SR_CHANGED);
	store_change_free(&c);
	fx->s->ops->rollback(fx->s);
	assert_int_equal(rev_of(fx), 0);
	bool found;
	assert_int_equal(fx->s->ops->change_by_cid(fx->s, "bob", "r1", &c, &found), 0);
	assert_false(found);
	struct store_msgs ms;
	read_one(fx, 1, &ms);
	assert_int_equal(ms.v[0].nreactions, 0);
	store_msgs_free(&ms);

	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	assert_int_equal(react(fx, 1, "bob", "r1", THUMBS, true, &c), SR_CHANGED);
	assert_int_equal(c.rev, 1); /* gap-free: the rolled back rev again */
	store_change_free(&c);
	assert_int_equal(fx->s->ops->commit(fx->s), 0);
	reopen(fx);
	assert_int_equal(fx->s->ops->change_by_cid(fx->s, "bob", "r1", &c, &found), 0);
	assert_true(found);
	assert_int_equal(c.rev, 1);
	assert_int_equal(c.seq, 1);
	assert_int_equal(c.kind, SC_REACT);
	assert_string_equal(c.emoji, THUMBS);
	assert_int_equal(c.count, 1);
	store_change_free(&c);
	/* a (user, cid) is one change: the store refuses a second */
	enum store_react_result res;
	assert_int_not_equal(fx->s->ops->reaction_set(fx->s, fx->room, 2, "bob", "r1",
	    THUMBS, true, TS, 32, &c, &res), 0);
}

static void
store__changes_after__pages_in_rev_order_within_the_seq_bound(void **state)
{
	struct fx *fx = *state;
	struct store_change c;
	/* revs 1..5 on seqs 1, 4, 2, 5, 1 */
	int64_t seqs[] = {1, 4, 2, 5, 1};
	for (int i = 0; i < 5; i++) {
		char cid[8];
		snprintf(cid, sizeof cid, "r%d", i);
		assert_int_equal(react(fx, seqs[i], "bob", cid, i == 4 ? PARTY : THUMBS,
		    true, &c), SR_CHANGED);
		store_change_free(&c);
	}
	struct store_changes cs;
	/* seq <= 3, and anything past rev 4 */
	assert_int_equal(fx->s->ops->changes_after(fx->s, fx->room, 0, 5, 3, 4, 10,
	    &cs), 0);
	assert_int_equal(cs.n, 3);
	assert_int_equal(cs.v[0].rev, 1);
	assert_int_equal(cs.v[1].rev, 3);
	assert_int_equal(cs.v[2].rev, 5);
	store_changes_free(&cs);
	assert_int_equal(fx->s->ops->changes_after(fx->s, fx->room, 1, 4, 99, 99, 2,
	    &cs), 0);
	assert_int_equal(cs.n, 2);
	assert_int_equal(cs.v[0].rev, 2);
	assert_int_equal(cs.v[1].rev, 3);
	store_changes_free(&cs);
}

static void
store__threads__count_replies_on_the_root_and_page_them(void **state)
{
	struct fx *fx = *state;
	for (int64_t seq = 6; seq <= 10; seq++) {
		char cid[8];
		snprintf(cid, sizeof cid, "t%d", (int)seq);
		say(fx, "carol", cid, seq);
		if (seq != 8)
			assert_int_equal(fx->s->ops->message_thread_set(fx->s, fx->room,
			    seq, 2, TS + seq), 0);
	}
	struct store_msg m;
	bool found;
	assert_int_equal(fx->s->ops->message_get(fx->s, fx->room, 2, &m, &found), 0);
	assert_int_equal(m.replies, 4);
	assert_int_equal(m.last_reply, TS + 10);
	store_msg_free(&m);
	struct store_msgs ms;
	bool more;
	assert_int_equal(fx->s->ops->thread_before(fx->s, fx->room, 2, 11, 10, 2,
	    &ms, &more), 0);
	assert_true(more);
	assert_int_equal(ms.n, 2);
	assert_int_equal(ms.v[0].seq, 9);
	assert_int_equal(ms.v[1].seq, 10);
	assert_int_equal(ms.v[1].thread, 2);
	store_msgs_free(&ms);
	assert_int_equal(fx->s->ops->thread_before(fx->s, fx->room, 2, 9, 10, 5,
	    &ms, &more), 0);
	assert_false(more);
	assert_int_equal(ms.n, 2);
	assert_int_equal(ms.v[0].seq, 6);
	assert_int_equal(ms.v[1].seq, 7);
	store_msgs_free(&ms);
	/* never past what the caller knows committed */
	assert_int_equal(fx->s->ops->thread_before(fx->s, fx->room, 2, 11, 7, 5,
	    &ms, &more), 0);
	assert_int_equal(ms.n, 2);
	store_msgs_free(&ms);

	/* the same pages as a range to stream: where it starts, then reads */
	int64_t first;
	assert_int_equal(fx->s->ops->thread_page(fx->s, fx->room, 2, 11, 10, 2,
	    &first, &more), 0);
	assert_int_equal(first, 9);
	assert_true(more);
	assert_int_equal(fx->s->ops->thread_page(fx->s, fx->room, 2, 9, 10, 5,
	    &first, &more), 0);
	assert_int_equal(first, 6);
	assert_false(more);
	assert_int_equal(fx->s->ops->thread_page(fx->s, fx->room, 3, 11, 10, 5,
	    &first, &more), 0);
	assert_int_equal(first, 0); /* no replies */
	assert_false(more);
	assert_int_equal(fx->s->ops->thread_after(fx->s, fx->room, 2, 6, 10, 2,
	    &ms), 0);
	assert_int_equal(ms.n, 2);
	assert_int_equal(ms.v[0].seq, 7);
	assert_int_equal(ms.v[1].seq, 9); /* 8 is no reply */
	store_msgs_free(&ms);
}

static void
store__open__migration_7_keeps_messages_as_they_were(void **state)
{
	struct fx *fx = *state;
	fx->s->ops->close(fx->s);
	fx->s = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "DROP TABLE changes; DROP TABLE reactions; DROP INDEX messages_by_thread;"
	    " ALTER TABLE messages DROP COLUMN thread;"
	    " ALTER TABLE messages DROP COLUMN replies;"
	    " ALTER TABLE messages DROP COLUMN last_reply;"
	    " ALTER TABLE messages DROP COLUMN edited_ts;"
	    " ALTER TABLE messages DROP COLUMN deleted;"
	    " ALTER TABLE rooms DROP COLUMN rev; PRAGMA user_version = 6;",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	fx->s = store_fixture_open(fx->path);
	assert_int_equal(rev_of(fx), 0);
	struct store_msgs ms;
	assert_int_equal(fx->s->ops->messages_after(fx->s, fx->room, 0, 5, 10, &ms), 0);
	assert_int_equal(ms.n, 5);
	for (size_t i = 0; i < ms.n; i++) {
		assert_string_equal(ms.v[i].text, "some text");
		assert_false(ms.v[i].deleted);
		assert_int_equal(ms.v[i].thread, 0);
		assert_int_equal(ms.v[i].edited_ts, 0);
		assert_int_equal(ms.v[i].nreactions, 0);
	}
	store_msgs_free(&ms);
}

#define OPEN(f) cmocka_unit_test_setup_teardown(f, setup_lobby, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		OPEN(store__reaction_set__counts_one_per_user_and_emoji_by_first_reaction),
		OPEN(store__reaction_set__lists_the_first_users_and_refuses_a_33rd_emoji),
		OPEN(store__edit_and_delete__keep_the_row_and_leave_nothing_of_the_text),
		OPEN(store__changes__are_found_by_cid_after_a_reopen_and_roll_back_whole),
		OPEN(store__changes_after__pages_in_rev_order_within_the_seq_bound),
		OPEN(store__threads__count_replies_on_the_root_and_page_them),
		OPEN(store__open__migration_7_keeps_messages_as_they_were),
	};
	return cmocka_run_group_tests_name("store_msgs", tests, NULL, NULL);
}
