/*
 * store: the SQLite store through its ops table, as the hub uses it.
 *
 * Every test gets a fresh temporary directory with its own database, so the
 * tests can close and reopen the file to check what is durable.
 */
#include <fcntl.h>
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

struct fx {
	char dir[STORE_DIR_SIZE];
	char path[STORE_PATH_SIZE];
	struct store *s;
};

STORE_FIXTURE(STORE_FIXTURE_NOTHING)

static int64_t
room(struct store *s, const char *name)
{
	int64_t id = -1, head = -1;
	assert_int_equal(s->ops->room_ensure(s, name, TS, &id, &head), 0);
	return id;
}

static int64_t
head_of(struct store *s, const char *name)
{
	int64_t id = -1, head = -1;
	assert_int_equal(s->ops->room_ensure(s, name, TS, &id, &head), 0);
	return head;
}

/* Appends a message that must be new; returns its seq. */
static int64_t
append(struct store *s, int64_t room_id, const char *user, const char *cid,
    const char *text, int64_t ts)
{
	struct store_msg m;
	bool dup = true;
	assert_int_equal(s->ops->message_append(s, room_id, user, cid, text, ts, &m,
	    &dup), 0);
	assert_false(dup);
	int64_t seq = m.seq;
	store_msg_free(&m);
	return seq;
}

/* Appends n messages from alice with cids "<prefix>1".."<prefix>n". */
static void
append_n(struct store *s, int64_t room_id, const char *prefix, int n)
{
	char cid[32], text[32];
	for (int i = 1; i <= n; i++) {
		snprintf(cid, sizeof cid, "%s%d", prefix, i);
		snprintf(text, sizeof text, "message %d", i);
		append(s, room_id, "alice", cid, text, TS + i);
	}
}

static void
assert_seqs(const struct store_msgs *m, int64_t first, int64_t last)
{
	assert_int_equal(m->n, (size_t)(last - first + 1));
	for (size_t i = 0; i < m->n; i++)
		assert_int_equal(m->v[i].seq, first + (int64_t)i);
}

/* ---- rooms --------------------------------------------------------------- */

static void
store__room_ensure__creates_a_room_with_head_zero(void **state)
{
	struct fx *fx = *state;
	int64_t id = -1, head = -1;
	assert_int_equal(fx->s->ops->room_ensure(fx->s, "lobby", TS, &id, &head), 0);
	assert_true(id > 0);
	assert_int_equal(head, 0);
}

static void
store__room_ensure__returns_the_same_id_later(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	assert_int_equal(room(fx->s, "lobby"), id);
	assert_int_equal(room(fx->s, "lobby"), id);
}

static void
store__room_ensure__gives_different_rooms_different_ids(void **state)
{
	struct fx *fx = *state;
	assert_int_not_equal(room(fx->s, "lobby"), room(fx->s, "dev"));
}

static void
store__room_ensure__reports_the_head_after_appends(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 3);
	int64_t id2 = -1, head = -1;
	assert_int_equal(fx->s->ops->room_ensure(fx->s, "lobby", TS + 9, &id2, &head), 0);
	assert_int_equal(id2, id);
	assert_int_equal(head, 3);
}

static void
store__room_ensure__finds_the_room_and_head_after_reopening(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 2);
	reopen(fx);
	int64_t id2 = -1, head = -1;
	assert_int_equal(fx->s->ops->room_ensure(fx->s, "lobby", TS, &id2, &head), 0);
	assert_int_equal(id2, id);
	assert_int_equal(head, 2);
}

/* ---- appending ----------------------------------------------------------- */

static void
store__message_append__assigns_seq_1_2_3_without_gaps(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	assert_int_equal(append(fx->s, id, "alice", "a1", "one", TS), 1);
	assert_int_equal(append(fx->s, id, "bob", "b1", "two", TS + 1), 2);
	assert_int_equal(append(fx->s, id, "alice", "a2", "three", TS + 2), 3);
}

static void
store__message_append__numbers_each_room_independently(void **state)
{
	struct fx *fx = *state;
	int64_t lobby = room(fx->s, "lobby"), dev = room(fx->s, "dev");
	assert_int_equal(append(fx->s, lobby, "alice", "a1", "x", TS), 1);
	assert_int_equal(append(fx->s, lobby, "alice", "a2", "x", TS), 2);
	assert_int_equal(append(fx->s, dev, "alice", "a3", "x", TS), 1);
	assert_int_equal(append(fx->s, lobby, "alice", "a4", "x", TS), 3);
	assert_int_equal(append(fx->s, dev, "alice", "a5", "x", TS), 2);
	assert_int_equal(head_of(fx->s, "lobby"), 3);
	assert_int_equal(head_of(fx->s, "dev"), 2);
}

static void
store__message_append__returns_the_stored_message(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	struct store_msg m;
	bool dup = true;
	assert_int_equal(fx->s->ops->message_append(fx->s, id, "alice", "k2f9",
	    "hi \xe2\x82\xac", TS, &m, &dup), 0);
	assert_false(dup);
	assert_int_equal(m.seq, 1);
	assert_true(m.id > 0);
	assert_int_equal(m.ts, TS);
	assert_string_equal(m.user, "alice");
	assert_string_equal(m.cid, "k2f9");
	assert_string_equal(m.text, "hi \xe2\x82\xac");
	store_msg_free(&m);
}

static void
store__message_append__gives_every_message_a_distinct_id(void **state)
{
	struct fx *fx = *state;
	int64_t lobby = room(fx->s, "lobby"), dev = room(fx->s, "dev");
	int64_t ids[4];
	struct store_msg m;
	bool dup;
	const struct { int64_t room; const char *cid; } in[] = {
		{lobby, "1"}, {dev, "2"}, {lobby, "3"}, {dev, "4"},
	};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(fx->s->ops->message_append(fx->s, in[i].room, "alice",
		    in[i].cid, "x", TS, &m, &dup), 0);
		ids[i] = m.id;
		store_msg_free(&m);
	}
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			assert_int_not_equal(ids[i], ids[j]);
}

static void
store__message_append__fails_for_a_room_that_does_not_exist(void **state)
{
	struct fx *fx = *state;
	struct store_msg m;
	bool dup;
	assert_int_equal(fx->s->ops->message_append(fx->s, 4242, "alice", "c1", "x",
	    TS, &m, &dup), -1);
	assert_true(fx->s->ops->error(fx->s)[0] != '\0');
	store_msg_free(&m);
}

/* ---- idempotence by (user, cid) ------------------------------------------ */

static void
assert_duplicate_of(struct store *s, int64_t room_id, const char *user,
    const char *cid, const struct store_msg *orig, const char *orig_room)
{
	struct store_msg m;
	bool dup = false;
	assert_int_equal(s->ops->message_append(s, room_id, user, cid,
	    "a different text", orig->ts + 999, &m, &dup), 0);
	assert_true(dup);
	assert_non_null(m.room);
	assert_string_equal(m.room, orig_room);
	assert_int_equal(m.seq, orig->seq);
	assert_int_equal(m.id, orig->id);
	assert_int_equal(m.ts, orig->ts);
	assert_string_equal(m.text, orig->text);
	assert_string_equal(m.user, user);
	assert_string_equal(m.cid, cid);
	store_msg_free(&m);
}

static void
store__message_append__same_user_and_cid_is_a_duplicate_of_the_original(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append(fx->s, id, "bob", "b1", "before", TS - 1);
	struct store_msg orig;
	bool dup;
	assert_int_equal(fx->s->ops->message_append(fx->s, id, "alice", "k1",
	    "original", TS, &orig, &dup), 0);
	append(fx->s, id, "bob", "b2", "after", TS + 1);
	assert_duplicate_of(fx->s, id, "alice", "k1", &orig, "lobby");
	store_msg_free(&orig);
}

static void
store__message_append__a_duplicate_stores_nothing(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append(fx->s, id, "alice", "k1", "original", TS);
	struct store_msg m;
	bool dup = false;
	assert_int_equal(fx->s->ops->message_append(fx->s, id, "alice", "k1", "again",
	    TS + 1, &m, &dup), 0);
	assert_true(dup);
	store_msg_free(&m);
	assert_int_equal(head_of(fx->s, "lobby"), 1);
	assert_int_equal(append(fx->s, id, "alice", "k2", "next", TS + 2), 2);
}

static void
store__message_append__a_duplicate_sent_to_another_room_names_the_original(void **state)
{
	struct fx *fx = *state;
	int64_t lobby = room(fx->s, "lobby"), dev = room(fx->s, "dev");
	append(fx->s, dev, "bob", "b1", "dev first", TS - 5);
	struct store_msg orig;
	bool dup;
	assert_int_equal(fx->s->ops->message_append(fx->s, lobby, "alice", "k1",
	    "original", TS, &orig, &dup), 0);
	assert_duplicate_of(fx->s, dev, "alice", "k1", &orig, "lobby");
	store_msg_free(&orig);
	assert_int_equal(head_of(fx->s, "dev"), 1);
	assert_int_equal(head_of(fx->s, "lobby"), 1);
}

static void
store__message_append__a_duplicate_is_recognised_after_reopening(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	struct store_msg orig;
	bool dup;
	assert_int_equal(fx->s->ops->message_append(fx->s, id, "alice", "k1",
	    "original", TS, &orig, &dup), 0);
	reopen(fx);
	assert_duplicate_of(fx->s, id, "alice", "k1", &orig, "lobby");
	store_msg_free(&orig);
}

static void
store__message_append__the_same_cid_from_another_user_is_new(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	assert_int_equal(append(fx->s, id, "alice", "k1", "from alice", TS), 1);
	assert_int_equal(append(fx->s, id, "bob", "k1", "from bob", TS), 2);
}

/* ---- reading ------------------------------------------------------------- */

static void
store__messages_after__returns_later_messages_oldest_first(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 5);
	struct store_msgs m;
	assert_int_equal(fx->s->ops->messages_after(fx->s, id, 2, INT64_MAX, 100, &m), 0);
	assert_seqs(&m, 3, 5);
	assert_string_equal(m.v[0].text, "message 3");
	assert_string_equal(m.v[0].user, "alice");
	assert_string_equal(m.v[0].cid, "c3");
	assert_int_equal(m.v[0].ts, TS + 3);
	store_msgs_free(&m);
}

static void
store__messages_after__respects_the_limit(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 5);
	struct store_msgs m;
	assert_int_equal(fx->s->ops->messages_after(fx->s, id, 0, INT64_MAX, 2, &m), 0);
	assert_seqs(&m, 1, 2);
	store_msgs_free(&m);
}

static void
store__messages_after__stops_at_upto(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 5);
	struct store_msgs m;
	assert_int_equal(fx->s->ops->messages_after(fx->s, id, 1, 4, 100, &m), 0);
	assert_seqs(&m, 2, 4);
	store_msgs_free(&m);
}

static void
store__messages_after__is_empty_at_the_head(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 3);
	struct store_msgs m;
	assert_int_equal(fx->s->ops->messages_after(fx->s, id, 3, INT64_MAX, 100, &m), 0);
	assert_int_equal(m.n, 0);
	store_msgs_free(&m);
}

static void
store__messages_after__reads_only_the_given_room(void **state)
{
	struct fx *fx = *state;
	int64_t lobby = room(fx->s, "lobby"), dev = room(fx->s, "dev");
	append_n(fx->s, lobby, "l", 3);
	append_n(fx->s, dev, "d", 2);
	struct store_msgs m;
	assert_int_equal(fx->s->ops->messages_after(fx->s, dev, 0, INT64_MAX, 100, &m), 0);
	assert_seqs(&m, 1, 2);
	assert_string_equal(m.v[0].cid, "d1");
	assert_string_equal(m.v[1].cid, "d2");
	store_msgs_free(&m);
}

static void
store__messages_before__returns_the_newest_below_before_oldest_first(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 10);
	struct store_msgs m;
	bool more = false;
	assert_int_equal(fx->s->ops->messages_before(fx->s, id, 9, 3, &m, &more), 0);
	assert_seqs(&m, 6, 8);
	assert_string_equal(m.v[0].text, "message 6");
	assert_true(more);
	store_msgs_free(&m);
}

static void
store__messages_before__says_no_more_when_exactly_limit_remain(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 10);
	struct store_msgs m;
	bool more = true;
	assert_int_equal(fx->s->ops->messages_before(fx->s, id, 4, 3, &m, &more), 0);
	assert_seqs(&m, 1, 3);
	assert_false(more);
	store_msgs_free(&m);
}

static void
store__messages_before__says_more_when_one_more_remains(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 10);
	struct store_msgs m;
	bool more = false;
	assert_int_equal(fx->s->ops->messages_before(fx->s, id, 5, 3, &m, &more), 0);
	assert_seqs(&m, 2, 4);
	assert_true(more);
	store_msgs_free(&m);
}

static void
store__messages_before__returns_fewer_than_limit_at_the_start(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 10);
	struct store_msgs m;
	bool more = true;
	assert_int_equal(fx->s->ops->messages_before(fx->s, id, 3, 50, &m, &more), 0);
	assert_seqs(&m, 1, 2);
	assert_false(more);
	store_msgs_free(&m);
}

static void
store__messages_before__is_empty_below_seq_1(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 3);
	struct store_msgs m;
	bool more = true;
	assert_int_equal(fx->s->ops->messages_before(fx->s, id, 1, 50, &m, &more), 0);
	assert_int_equal(m.n, 0);
	assert_false(more);
	store_msgs_free(&m);
}

static void
store__messages_before__is_empty_in_an_empty_room(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	struct store_msgs m;
	bool more = true;
	assert_int_equal(fx->s->ops->messages_before(fx->s, id, INT64_MAX, 50, &m,
	    &more), 0);
	assert_int_equal(m.n, 0);
	assert_false(more);
	store_msgs_free(&m);
}

static void
store__messages_before__pages_back_through_all_history_once(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 23);
	bool seen[24] = {false};
	int64_t before = 24;
	int pages = 0;
	bool more = true;
	while (more) {
		struct store_msgs m;
		assert_int_equal(fx->s->ops->messages_before(fx->s, id, before, 5, &m,
		    &more), 0);
		assert_in_range(m.n, 1, 5);
		for (size_t i = 0; i < m.n; i++) {
			assert_false(seen[m.v[i].seq]);
			seen[m.v[i].seq] = true;
			if (i > 0)
				assert_int_equal(m.v[i].seq, m.v[i - 1].seq + 1);
		}
		before = m.v[0].seq;
		store_msgs_free(&m);
		pages++;
	}
	assert_int_equal(pages, 5);
	for (int seq = 1; seq <= 23; seq++)
		assert_true(seen[seq]);
}

/* ---- transactions -------------------------------------------------------- */

static void
store__begin__marks_the_store_in_a_transaction_until_commit(void **state)
{
	struct fx *fx = *state;
	assert_false(fx->s->in_txn);
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	assert_true(fx->s->in_txn);
	assert_int_equal(fx->s->ops->commit(fx->s), 0);
	assert_false(fx->s->in_txn);
}

static void
store__rollback__leaves_no_trace_of_an_append(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 2);
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	assert_int_equal(append(fx->s, id, "alice", "k9", "doomed", TS), 3);
	fx->s->ops->rollback(fx->s);
	assert_false(fx->s->in_txn);

	assert_int_equal(head_of(fx->s, "lobby"), 2);
	struct store_msgs m;
	assert_int_equal(fx->s->ops->messages_after(fx->s, id, 0, INT64_MAX, 100, &m), 0);
	assert_seqs(&m, 1, 2);
	store_msgs_free(&m);
}

static void
store__rollback__lets_the_next_append_reuse_the_seq(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 2);
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	assert_int_equal(append(fx->s, id, "alice", "k9", "doomed", TS), 3);
	fx->s->ops->rollback(fx->s);
	assert_int_equal(append(fx->s, id, "alice", "k10", "kept", TS), 3);
}

static void
store__rollback__forgets_the_cid_of_the_rolled_back_message(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	append(fx->s, id, "alice", "k1", "doomed", TS);
	fx->s->ops->rollback(fx->s);
	/* the retry is a new message, not a duplicate of a message never stored */
	assert_int_equal(append(fx->s, id, "alice", "k1", "retry", TS + 1), 1);
}

static void
store__rollback__undoes_a_room_created_in_the_transaction(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 2);
	fx->s->ops->rollback(fx->s);
	assert_int_equal(head_of(fx->s, "lobby"), 0);
}

static void
store__transaction__reads_see_uncommitted_writes(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	append_n(fx->s, id, "c", 2);
	struct store_msgs m;
	assert_int_equal(fx->s->ops->messages_after(fx->s, id, 0, INT64_MAX, 100, &m), 0);
	assert_seqs(&m, 1, 2);
	store_msgs_free(&m);
	assert_int_equal(head_of(fx->s, "lobby"), 2);
	fx->s->ops->rollback(fx->s);
}

static void
store__commit__keeps_everything_after_reopening(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 3);
	bool added;
	assert_int_equal(fx->s->ops->member_add(fx->s, id, "alice", TS, &added), 0);
	assert_int_equal(fx->s->ops->user_seen(fx->s, "alice", TS + 5), 0);
	assert_int_equal(fx->s->ops->commit(fx->s), 0);
	reopen(fx);

	assert_int_equal(room(fx->s, "lobby"), id);
	assert_int_equal(head_of(fx->s, "lobby"), 3);
	struct store_msgs m;
	assert_int_equal(fx->s->ops->messages_after(fx->s, id, 0, INT64_MAX, 100, &m), 0);
	assert_seqs(&m, 1, 3);
	assert_string_equal(m.v[2].text, "message 3");
	store_msgs_free(&m);
	struct store_member *mem;
	size_t n;
	assert_int_equal(fx->s->ops->members(fx->s, id, &mem, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(mem[0].user, "alice");
	assert_int_equal(mem[0].last_seen, TS + 5);
	store_members_free(mem, n);
}

static void
store__close__rolls_back_an_open_transaction(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	append_n(fx->s, id, "c", 1);
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	append(fx->s, id, "alice", "k9", "doomed", TS);
	reopen(fx);
	assert_int_equal(head_of(fx->s, "lobby"), 1);
}

/* ---- members and users --------------------------------------------------- */

static void
store__member_add__reports_added_only_the_first_time(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	bool added = false;
	assert_int_equal(fx->s->ops->member_add(fx->s, id, "alice", TS, &added), 0);
	assert_true(added);
	assert_int_equal(fx->s->ops->member_add(fx->s, id, "alice", TS + 1, &added), 0);
	assert_false(added);
}

static void
store__member_add__is_per_room(void **state)
{
	struct fx *fx = *state;
	int64_t lobby = room(fx->s, "lobby"), dev = room(fx->s, "dev");
	bool added = false;
	assert_int_equal(fx->s->ops->member_add(fx->s, lobby, "alice", TS, &added), 0);
	assert_int_equal(fx->s->ops->member_add(fx->s, dev, "alice", TS, &added), 0);
	assert_true(added);
}

static void
store__member_remove__reports_removed_only_for_a_member(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	bool added, removed = true;
	assert_int_equal(fx->s->ops->member_remove(fx->s, id, "alice", &removed), 0);
	assert_false(removed);
	assert_int_equal(fx->s->ops->member_add(fx->s, id, "alice", TS, &added), 0);
	assert_int_equal(fx->s->ops->member_remove(fx->s, id, "alice", &removed), 0);
	assert_true(removed);
	assert_int_equal(fx->s->ops->member_remove(fx->s, id, "alice", &removed), 0);
	assert_false(removed);
}

static void
store__member_add__after_removal_adds_again(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	bool added, removed;
	assert_int_equal(fx->s->ops->member_add(fx->s, id, "alice", TS, &added), 0);
	assert_int_equal(fx->s->ops->member_remove(fx->s, id, "alice", &removed), 0);
	assert_int_equal(fx->s->ops->member_add(fx->s, id, "alice", TS, &added), 0);
	assert_true(added);
}

static void
store__members__lists_users_by_name_with_last_seen(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	bool added;
	const char *users[] = {"carol", "alice", "bob"};
	for (int i = 0; i < 3; i++)
		assert_int_equal(fx->s->ops->member_add(fx->s, id, users[i], TS, &added), 0);
	assert_int_equal(fx->s->ops->user_seen(fx->s, "alice", TS + 1), 0);
	assert_int_equal(fx->s->ops->user_seen(fx->s, "carol", TS + 3), 0);

	struct store_member *m;
	size_t n;
	assert_int_equal(fx->s->ops->members(fx->s, id, &m, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(m[0].user, "alice");
	assert_int_equal(m[0].last_seen, TS + 1);
	assert_string_equal(m[1].user, "bob");
	assert_int_equal(m[1].last_seen, 0); /* never seen */
	assert_string_equal(m[2].user, "carol");
	assert_int_equal(m[2].last_seen, TS + 3);
	store_members_free(m, n);
}

static void
store__members__omits_removed_users(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	bool added, removed;
	fx->s->ops->member_add(fx->s, id, "alice", TS, &added);
	fx->s->ops->member_add(fx->s, id, "bob", TS, &added);
	assert_int_equal(fx->s->ops->member_remove(fx->s, id, "alice", &removed), 0);
	struct store_member *m;
	size_t n;
	assert_int_equal(fx->s->ops->members(fx->s, id, &m, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].user, "bob");
	store_members_free(m, n);
}

static void
store__members__is_empty_for_a_room_without_members(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	struct store_member *m;
	size_t n = 99;
	assert_int_equal(fx->s->ops->members(fx->s, id, &m, &n), 0);
	assert_int_equal(n, 0);
	store_members_free(m, n);
}

static void
store__members__lists_more_members_than_one_allocation_holds(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	bool added;
	char name[16];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "u%02d", i);
		assert_int_equal(fx->s->ops->member_add(fx->s, id, name, TS, &added), 0);
	}
	struct store_member *m;
	size_t n;
	assert_int_equal(fx->s->ops->members(fx->s, id, &m, &n), 0);
	assert_int_equal(n, 40);
	assert_string_equal(m[0].user, "u00");
	assert_string_equal(m[39].user, "u39");
	store_members_free(m, n);
}

static void
store__user_seen__keeps_the_latest_value(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	bool added;
	fx->s->ops->member_add(fx->s, id, "alice", TS, &added);
	assert_int_equal(fx->s->ops->user_seen(fx->s, "alice", TS + 1), 0);
	assert_int_equal(fx->s->ops->user_seen(fx->s, "alice", TS + 2), 0);
	struct store_member *m;
	size_t n;
	assert_int_equal(fx->s->ops->members(fx->s, id, &m, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].last_seen, TS + 2);
	store_members_free(m, n);
}

static void
store__user_rooms__lists_the_rooms_of_a_user_by_name(void **state)
{
	struct fx *fx = *state;
	int64_t lobby = room(fx->s, "lobby"), dev = room(fx->s, "dev");
	int64_t ops = room(fx->s, "ops");
	bool added;
	fx->s->ops->member_add(fx->s, lobby, "alice", TS, &added);
	fx->s->ops->member_add(fx->s, dev, "alice", TS, &added);
	fx->s->ops->member_add(fx->s, ops, "bob", TS, &added);
	char **rooms;
	size_t n;
	assert_int_equal(fx->s->ops->user_rooms(fx->s, "alice", &rooms, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rooms[0], "dev");
	assert_string_equal(rooms[1], "lobby");
	store_strings_free(rooms, n);
}

static void
store__user_rooms__drops_a_room_the_user_left(void **state)
{
	struct fx *fx = *state;
	int64_t lobby = room(fx->s, "lobby"), dev = room(fx->s, "dev");
	bool added, removed;
	fx->s->ops->member_add(fx->s, lobby, "alice", TS, &added);
	fx->s->ops->member_add(fx->s, dev, "alice", TS, &added);
	fx->s->ops->member_remove(fx->s, dev, "alice", &removed);
	char **rooms;
	size_t n;
	assert_int_equal(fx->s->ops->user_rooms(fx->s, "alice", &rooms, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rooms[0], "lobby");
	store_strings_free(rooms, n);
}

static void
store__user_rooms__is_empty_for_an_unknown_user(void **state)
{
	struct fx *fx = *state;
	room(fx->s, "lobby");
	char **rooms;
	size_t n = 99;
	assert_int_equal(fx->s->ops->user_rooms(fx->s, "nobody", &rooms, &n), 0);
	assert_int_equal(n, 0);
	store_strings_free(rooms, n);
}

static void
store__user_rooms__survives_reopening(void **state)
{
	struct fx *fx = *state;
	int64_t id = room(fx->s, "lobby");
	bool added;
	fx->s->ops->member_add(fx->s, id, "alice", TS, &added);
	reopen(fx);
	char **rooms;
	size_t n;
	assert_int_equal(fx->s->ops->user_rooms(fx->s, "alice", &rooms, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rooms[0], "lobby");
	store_strings_free(rooms, n);
}

/* ---- opening ------------------------------------------------------------- */

static void
store__open__creates_a_new_database(void **state)
{
	struct fx *fx = *state;
	assert_int_not_equal(access(fx->path, F_OK), 0);
	fx->s = store_fixture_open(fx->path);
	assert_int_equal(access(fx->path, F_OK), 0);
}

static void
store__open__with_full_sync_works_the_same(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";
	fx->s = store_sqlite_open(fx->path, true, err, sizeof err);
	assert_non_null(fx->s);
	int64_t id = room(fx->s, "lobby");
	assert_int_equal(append(fx->s, id, "alice", "k1", "hi", TS), 1);
}

static void
store__open__refuses_a_schema_newer_than_it_knows(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	char err[256] = "";
	struct store *s = store_sqlite_open(fx->path, false, err, sizeof err);
	assert_null(s);
	assert_non_null(strstr(err, "99"));
	assert_non_null(strstr(err, "newer"));
}

static void
store__open__fails_with_a_message_in_a_missing_directory(void **state)
{
	struct fx *fx = *state;
	char path[192];
	snprintf(path, sizeof path, "%s/no/such/dir/confab.db", fx->dir);
	char err[256] = "";
	struct store *s = store_sqlite_open(path, false, err, sizeof err);
	assert_null(s);
	assert_true(err[0] != '\0');
	assert_non_null(strstr(err, path));
}

static void
store__open__fails_cleanly_on_a_corrupt_file(void **state)
{
	struct fx *fx = *state;
	int fd = open(fx->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	unsigned char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);

	char err[256] = "";
	struct store *s = store_sqlite_open(fx->path, false, err, sizeof err);
	assert_null(s);
	assert_true(err[0] != '\0');
}

static void
store__open__fails_cleanly_on_a_short_garbage_file(void **state)
{
	struct fx *fx = *state;
	FILE *f = fopen(fx->path, "w");
	assert_non_null(f);
	fputs("this is not a database", f);
	fclose(f);

	char err[256] = "";
	struct store *s = store_sqlite_open(fx->path, false, err, sizeof err);
	assert_null(s);
	assert_true(err[0] != '\0');
}

#define OPEN(f) cmocka_unit_test_setup_teardown(f, setup_open, teardown)
#define BARE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		OPEN(store__room_ensure__creates_a_room_with_head_zero),
		OPEN(store__room_ensure__returns_the_same_id_later),
		OPEN(store__room_ensure__gives_different_rooms_different_ids),
		OPEN(store__room_ensure__reports_the_head_after_appends),
		OPEN(store__room_ensure__finds_the_room_and_head_after_reopening),
		OPEN(store__message_append__assigns_seq_1_2_3_without_gaps),
		OPEN(store__message_append__numbers_each_room_independently),
		OPEN(store__message_append__returns_the_stored_message),
		OPEN(store__message_append__gives_every_message_a_distinct_id),
		OPEN(store__message_append__fails_for_a_room_that_does_not_exist),
		OPEN(store__message_append__same_user_and_cid_is_a_duplicate_of_the_original),
		OPEN(store__message_append__a_duplicate_stores_nothing),
		OPEN(store__message_append__a_duplicate_sent_to_another_room_names_the_original),
		OPEN(store__message_append__a_duplicate_is_recognised_after_reopening),
		OPEN(store__message_append__the_same_cid_from_another_user_is_new),
		OPEN(store__messages_after__returns_later_messages_oldest_first),
		OPEN(store__messages_after__respects_the_limit),
		OPEN(store__messages_after__stops_at_upto),
		OPEN(store__messages_after__is_empty_at_the_head),
		OPEN(store__messages_after__reads_only_the_given_room),
		OPEN(store__messages_before__returns_the_newest_below_before_oldest_first),
		OPEN(store__messages_before__says_no_more_when_exactly_limit_remain),
		OPEN(store__messages_before__says_more_when_one_more_remains),
		OPEN(store__messages_before__returns_fewer_than_limit_at_the_start),
		OPEN(store__messages_before__is_empty_below_seq_1),
		OPEN(store__messages_before__is_empty_in_an_empty_room),
		OPEN(store__messages_before__pages_back_through_all_history_once),
		OPEN(store__begin__marks_the_store_in_a_transaction_until_commit),
		OPEN(store__rollback__leaves_no_trace_of_an_append),
		OPEN(store__rollback__lets_the_next_append_reuse_the_seq),
		OPEN(store__rollback__forgets_the_cid_of_the_rolled_back_message),
		OPEN(store__rollback__undoes_a_room_created_in_the_transaction),
		OPEN(store__transaction__reads_see_uncommitted_writes),
		OPEN(store__commit__keeps_everything_after_reopening),
		OPEN(store__close__rolls_back_an_open_transaction),
		OPEN(store__member_add__reports_added_only_the_first_time),
		OPEN(store__member_add__is_per_room),
		OPEN(store__member_remove__reports_removed_only_for_a_member),
		OPEN(store__member_add__after_removal_adds_again),
		OPEN(store__members__lists_users_by_name_with_last_seen),
		OPEN(store__members__omits_removed_users),
		OPEN(store__members__is_empty_for_a_room_without_members),
		OPEN(store__members__lists_more_members_than_one_allocation_holds),
		OPEN(store__user_seen__keeps_the_latest_value),
		OPEN(store__user_rooms__lists_the_rooms_of_a_user_by_name),
		OPEN(store__user_rooms__drops_a_room_the_user_left),
		OPEN(store__user_rooms__is_empty_for_an_unknown_user),
		OPEN(store__user_rooms__survives_reopening),
		BARE(store__open__creates_a_new_database),
		BARE(store__open__with_full_sync_works_the_same),
		BARE(store__open__refuses_a_schema_newer_than_it_knows),
		BARE(store__open__fails_with_a_message_in_a_missing_directory),
		BARE(store__open__fails_cleanly_on_a_corrupt_file),
		BARE(store__open__fails_cleanly_on_a_short_garbage_file),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
