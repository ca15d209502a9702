/*
 * store: read marks, topics, the directory of public rooms and full-text
 * search in the SQLite store, through the ops table as the server uses
 * them; edits and tombstones are UPDATEs of messages.text (simulated here
 * with SQL), which the index follows in the same transaction; migration 8
 * indexes the messages a database already held.
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

#include "model/searchq.h"
#include "server/store.h"
#include "store_fixture.h"

#define TS 1700000000000

struct fx {
	char dir[STORE_DIR_SIZE];
	char path[STORE_PATH_SIZE];
	struct store *s;
	struct store_hits hits;
};

static void
release(struct fx *fx)
{
	store_hits_free(&fx->hits);
}

STORE_FIXTURE(release)

static int64_t
room(struct fx *fx, const char *name)
{
	int64_t id, head;
	assert_int_equal(fx->s->ops->room_ensure(fx->s, name, TS, &id, &head), 0);
	return id;
}

static void
member(struct fx *fx, int64_t room_id, const char *user)
{
	bool added;
	assert_int_equal(fx->s->ops->member_add(fx->s, room_id, user, TS, &added), 0);
}

static int64_t
say(struct fx *fx, int64_t room_id, const char *user, const char *text)
{
	static int n;
	char cid[16];
	snprintf(cid, sizeof cid, "c%d", ++n);
	struct store_msg m;
	bool dup;
	assert_int_equal(fx->s->ops->message_append(fx->s, room_id, user, cid, text,
	    TS + n, &m, &dup), 0);
	int64_t id = m.id;
	store_msg_free(&m);
	return id;
}

/* SQL on the store's file, as another module's UPDATE would be. */
static void
sql(struct fx *fx, const char *q)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, q, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", q, err);
	sqlite3_close(db);
}

/* The hits of text for user (room_id 0: every room), newest first. */
static struct store_hits *
search(struct fx *fx, const char *user, int64_t room_id, const char *text,
    int64_t before, size_t limit, bool *more)
{
	store_hits_free(&fx->hits);
	char *q = searchq_build(text, true);
	assert_non_null(q);
	bool m;
	assert_int_equal(fx->s->ops->search(fx->s, user, room_id, q, before, limit,
	    &fx->hits, more ? more : &m), 0);
	free(q);
	return &fx->hits;
}

static void
store__read_mark__only_moves_forward_and_lasts(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	int64_t mark;
	assert_int_equal(fx->s->ops->read_mark_get(fx->s, dev, "bob", &mark), 0);
	assert_int_equal(mark, 0);
	assert_int_equal(fx->s->ops->read_mark_set(fx->s, dev, "bob", 5, &mark), 0);
	assert_int_equal(mark, 5);
	assert_int_equal(fx->s->ops->read_mark_set(fx->s, dev, "bob", 3, &mark), 0);
	assert_int_equal(mark, 5);
	assert_int_equal(fx->s->ops->read_mark_set(fx->s, dev, "bob", 9, &mark), 0);
	assert_int_equal(mark, 9);
	reopen(fx);
	assert_int_equal(fx->s->ops->read_mark_get(fx->s, dev, "bob", &mark), 0);
	assert_int_equal(mark, 9);
	assert_int_equal(fx->s->ops->read_mark_get(fx->s, dev, "carol", &mark), 0);
	assert_int_equal(mark, 0);
}

static void
store__read_marks__are_the_members_with_a_mark_in_name_order(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	member(fx, dev, "carol");
	member(fx, dev, "alice");
	member(fx, dev, "bob");
	int64_t mark;
	fx->s->ops->read_mark_set(fx->s, dev, "carol", 4, &mark);
	fx->s->ops->read_mark_set(fx->s, dev, "alice", 2, &mark);
	fx->s->ops->read_mark_set(fx->s, dev, "zed", 7, &mark); /* not a member */
	struct store_receipt *rc;
	size_t n;
	assert_int_equal(fx->s->ops->read_marks(fx->s, dev, &rc, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rc[0].user, "alice");
	assert_int_equal(rc[0].seq, 2);
	assert_string_equal(rc[1].user, "carol");
	assert_int_equal(rc[1].seq, 4);
	store_receipts_free(rc, n);
}

static void
store__unread_count__skips_own_and_deleted_messages_and_is_capped(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	say(fx, dev, "alice", "one");   /* 1 */
	say(fx, dev, "bob", "two");     /* 2: bob's own */
	int64_t three = say(fx, dev, "alice", "three");
	say(fx, dev, "alice", "four");  /* 4 */
	int64_t count;
	assert_int_equal(fx->s->ops->unread_count(fx->s, dev, "bob", 0, 4, 999,
	    &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(fx->s->ops->unread_count(fx->s, dev, "bob", 1, 4, 999,
	    &count), 0);
	assert_int_equal(count, 2);
	/* bounded by upto (what is committed) and by the cap */
	assert_int_equal(fx->s->ops->unread_count(fx->s, dev, "bob", 0, 3, 999,
	    &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(fx->s->ops->unread_count(fx->s, dev, "bob", 0, 4, 1,
	    &count), 0);
	assert_int_equal(count, 1);
	/* a tombstone has text '' and does not count */
	char q[96];
	snprintf(q, sizeof q, "UPDATE messages SET text = '' WHERE id = %lld",
	    (long long)three);
	sql(fx, q);
	assert_int_equal(fx->s->ops->unread_count(fx->s, dev, "bob", 0, 4, 999,
	    &count), 0);
	assert_int_equal(count, 2);
}

static void
store__topic__is_set_replaced_and_kept(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	char *text, *by;
	int64_t ts;
	assert_int_equal(fx->s->ops->topic_get(fx->s, dev, &text, &by, &ts), 0);
	assert_string_equal(text, "");
	assert_null(by);
	free(text);
	assert_int_equal(fx->s->ops->topic_set(fx->s, dev, "first", "alice", TS), 0);
	assert_int_equal(fx->s->ops->topic_set(fx->s, dev, "the code", "bob", TS + 1),
	    0);
	reopen(fx);
	assert_int_equal(fx->s->ops->topic_get(fx->s, dev, &text, &by, &ts), 0);
	assert_string_equal(text, "the code");
	assert_string_equal(by, "bob");
	assert_int_equal(ts, TS + 1);
	free(text);
	free(by);
}

static void
store__rooms_directory__lists_public_rooms_by_name_with_filter_and_pages(
    void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	room(fx, "design");
	int64_t ops = room(fx, "ops");
	int64_t secret = room(fx, "secret");
	int64_t dm = room(fx, "@alice+bob");
	member(fx, dev, "alice");
	member(fx, dev, "bob");
	member(fx, secret, "alice");
	member(fx, dm, "alice");
	assert_int_equal(fx->s->ops->room_set_private(fx->s, secret, true), 0);
	assert_int_equal(fx->s->ops->topic_set(fx->s, ops, "Pager DUTY", "a", TS), 0);

	struct store_room_info *ri;
	size_t n;
	bool more;
	assert_int_equal(fx->s->ops->rooms_directory(fx->s, NULL, NULL, 10, &ri, &n,
	    &more), 0);
	assert_int_equal(n, 3);
	assert_false(more);
	assert_string_equal(ri[0].room, "design");
	assert_int_equal(ri[0].members, 0);
	assert_string_equal(ri[1].room, "dev");
	assert_int_equal(ri[1].members, 2);
	assert_string_equal(ri[2].room, "ops");
	assert_string_equal(ri[2].topic, "Pager DUTY");
	store_room_infos_free(ri, n);

	/* pages of 2 */
	assert_int_equal(fx->s->ops->rooms_directory(fx->s, "", NULL, 2, &ri, &n,
	    &more), 0);
	assert_int_equal(n, 2);
	assert_true(more);
	store_room_infos_free(ri, n);
	assert_int_equal(fx->s->ops->rooms_directory(fx->s, "", "dev", 2, &ri, &n,
	    &more), 0);
	assert_int_equal(n, 1);
	assert_false(more);
	assert_string_equal(ri[0].room, "ops");
	store_room_infos_free(ri, n);

	/* the query matches names and topics, in any case */
	assert_int_equal(fx->s->ops->rooms_directory(fx->s, "de", NULL, 10, &ri, &n,
	    &more), 0);
	assert_int_equal(n, 2);
	store_room_infos_free(ri, n);
	assert_int_equal(fx->s->ops->rooms_directory(fx->s, "duty", NULL, 10, &ri,
	    &n, &more), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ri[0].room, "ops");
	store_room_infos_free(ri, n);
	assert_int_equal(fx->s->ops->rooms_directory(fx->s, "secret", NULL, 10, &ri,
	    &n, &more), 0);
	assert_int_equal(n, 0);
	store_room_infos_free(ri, n);
}

static void
store__search__finds_only_the_rooms_of_the_user_newest_first(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev"), ops = room(fx, "ops");
	int64_t secret = room(fx, "secret"), dm = room(fx, "@carol+dave");
	member(fx, dev, "bob");
	member(fx, ops, "bob");
	member(fx, secret, "carol");
	member(fx, dm, "carol");
	member(fx, dm, "dave");
	say(fx, dev, "alice", "the deploy broke");
	say(fx, ops, "alice", "Deploy again on Friday");
	say(fx, secret, "carol", "deploy the secret");
	say(fx, dm, "carol", "deploy between us");
	say(fx, dev, "alice", "lunch?");

	struct store_hits *h = search(fx, "bob", 0, "deploy", 0, 10, NULL);
	assert_int_equal(h->n, 2);
	assert_string_equal(h->v[0].room, "ops");
	assert_int_equal(h->v[0].seq, 1);
	assert_string_equal(h->v[0].user, "alice");
	assert_string_equal(h->v[1].room, "dev");
	/* the match is marked in the snippet */
	assert_non_null(strstr(h->v[0].snippet, "\x01" "Deploy\x02"));

	h = search(fx, "bob", dev, "deploy", 0, 10, NULL);
	assert_int_equal(h->n, 1);
	assert_string_equal(h->v[0].room, "dev");
	/* a room named that the user is not in gives nothing */
	h = search(fx, "bob", secret, "deploy", 0, 10, NULL);
	assert_int_equal(h->n, 0);
	h = search(fx, "carol", 0, "deploy", 0, 10, NULL);
	assert_int_equal(h->n, 2);
	h = search(fx, "zed", 0, "deploy", 0, 10, NULL);
	assert_int_equal(h->n, 0);
	/* a prefix, and words in any order */
	h = search(fx, "bob", 0, "friday depl", 0, 10, NULL);
	assert_int_equal(h->n, 1);
	assert_string_equal(h->v[0].room, "ops");
}

static void
store__search__pages_by_the_last_hit(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	member(fx, dev, "bob");
	for (int i = 0; i < 7; i++) {
		char text[32];
		snprintf(text, sizeof text, "ping number %d", i + 1);
		say(fx, dev, "alice", text);
	}
	bool more;
	int64_t seen = 8, before = 0;
	size_t total = 0;
	do {
		struct store_hits *h = search(fx, "bob", 0, "ping", before, 3, &more);
		assert_true(h->n <= 3);
		for (size_t i = 0; i < h->n; i++) {
			assert_true(h->v[i].seq < seen);
			seen = h->v[i].seq;
		}
		total += h->n;
		before = h->n ? h->v[h->n - 1].id : 0;
		assert_true(more == (total < 7));
	} while (more);
	assert_int_equal(total, 7);
	assert_int_equal(seen, 1);
}

static void
store__search__follows_edits_and_forgets_tombstones(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	member(fx, dev, "bob");
	int64_t a = say(fx, dev, "alice", "meet at the harbour");
	int64_t b = say(fx, dev, "alice", "harbour again");
	assert_int_equal(search(fx, "bob", 0, "harbour", 0, 10, NULL)->n, 2);

	char q[160];
	snprintf(q, sizeof q, "UPDATE messages SET text = 'meet at the station'"
	    " WHERE id = %lld", (long long)a);
	sql(fx, q);
	struct store_hits *h = search(fx, "bob", 0, "harbour", 0, 10, NULL);
	assert_int_equal(h->n, 1);
	assert_int_equal(h->v[0].id, b);
	h = search(fx, "bob", 0, "station", 0, 10, NULL);
	assert_int_equal(h->n, 1);
	assert_int_equal(h->v[0].id, a);
	assert_non_null(strstr(h->v[0].snippet, "\x01station\x02"));

	/* a tombstone: text '' (and deleted = 1 where the column exists) */
	snprintf(q, sizeof q, "UPDATE messages SET text = '' WHERE id = %lld",
	    (long long)b);
	sql(fx, q);
	assert_int_equal(search(fx, "bob", 0, "harbour", 0, 10, NULL)->n, 0);
	assert_int_equal(search(fx, "bob", 0, "again", 0, 10, NULL)->n, 0);
	/* the index is still consistent with its content */
	sql(fx, "INSERT INTO messages_fts (messages_fts, rank) VALUES"
	    " ('integrity-check', 1)");
}

static void
store__search__any_text_is_a_query(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	member(fx, dev, "bob");
	say(fx, dev, "alice", "a \"quoted\" word AND more (really) NOT here");
	static const char *const texts[] = {"\"", "AND", "NOT", "(", "*", "^x",
	    "col:val", "NEAR(a b)", "\"\"\"", "-", "!!!", "a OR", "quoted\""};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		search(fx, "bob", 0, texts[i], 0, 10, NULL);
	assert_int_equal(search(fx, "bob", 0, "\"quoted\"", 0, 10, NULL)->n, 1);
	assert_int_equal(search(fx, "bob", 0, "NOT here", 0, 10, NULL)->n, 1);
}

static void
store__open__migration_8_indexes_the_messages_already_stored(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room(fx, "dev");
	member(fx, dev, "bob");
	fx->s->ops->close(fx->s);
	fx->s = NULL;
	/* a database at version 7: migration 8 undone, then a message stored
	 * without the index */
	sql(fx, "DROP TRIGGER messages_fts_insert; DROP TRIGGER messages_fts_update;"
	    " DROP TRIGGER messages_fts_delete; DROP TABLE messages_fts;"
	    " DROP TABLE read_marks; DROP TABLE room_topics;"
	    " UPDATE rooms SET head = 1 WHERE id = 1;"
	    " INSERT INTO messages (room_id, seq, user, cid, text, ts)"
	    "  VALUES (1, 1, 'alice', 'old', 'from before the index', 1);"
	    " PRAGMA user_version = 7;");
	fx->s = store_fixture_open(fx->path);
	struct store_hits *h = search(fx, "bob", 0, "before", 0, 10, NULL);
	assert_int_equal(h->n, 1);
	assert_int_equal(h->v[0].seq, 1);
	int64_t mark;
	assert_int_equal(fx->s->ops->read_mark_get(fx->s, dev, "bob", &mark), 0);
	assert_int_equal(mark, 0);
}

#define OPEN(f) cmocka_unit_test_setup_teardown(f, setup_open, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		OPEN(store__read_mark__only_moves_forward_and_lasts),
		OPEN(store__read_marks__are_the_members_with_a_mark_in_name_order),
		OPEN(store__unread_count__skips_own_and_deleted_messages_and_is_capped),
		OPEN(store__topic__is_set_replaced_and_kept),
		OPEN(store__rooms_directory__lists_public_rooms_by_name_with_filter_and_pages),
		OPEN(store__search__finds_only_the_rooms_of_the_user_newest_first),
		OPEN(store__search__pages_by_the_last_hit),
		OPEN(store__search__follows_edits_and_forgets_tombstones),
		OPEN(store__search__any_text_is_a_query),
		OPEN(store__open__migration_8_indexes_the_messages_already_stored),
	};
	return cmocka_run_group_tests_name("store_rooms", tests, NULL, NULL);
}
