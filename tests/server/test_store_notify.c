/*
 * store: users' notifications and rooms' creators in the SQLite store,
 * through the ops table as notify.c uses them, and the migration that
 * added them to an older database.
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
#define ALL INT64_MAX

struct fx {
	char dir[STORE_DIR_SIZE];
	char path[STORE_PATH_SIZE];
	struct store *s;
	struct store_notifs list;
};

static void
release(struct fx *fx)
{
	store_notifs_free(&fx->list);
}

STORE_FIXTURE(release)

static int64_t
add(struct store *s, const char *user, const char *level, const char *room,
    int64_t seq)
{
	struct store_notif n = {0, (char *)user, (char *)level, "title", "message",
	    (char *)room, TS, seq, false, "mention"};
	assert_int_equal(s->ops->notif_add(s, &n), 0);
	assert_true(n.id > 0);
	return n.id;
}

static int64_t
unread(struct store *s, const char *user, int64_t upto)
{
	int64_t n = -1;
	assert_int_equal(s->ops->notif_unread(s, user, upto, &n), 0);
	return n;
}

static bool
page(struct fx *fx, const char *user, int64_t before, int64_t upto, size_t limit)
{
	bool more = false;
	store_notifs_free(&fx->list);
	assert_int_equal(fx->s->ops->notif_before(fx->s, user, before, upto, limit,
	    &fx->list, &more), 0);
	return more;
}

static int64_t
room(struct store *s, const char *name)
{
	int64_t id = -1, head = -1;
	assert_int_equal(s->ops->room_ensure(s, name, TS, &id, &head), 0);
	return id;
}

static void
join(struct store *s, int64_t room_id, const char *user)
{
	bool added;
	assert_int_equal(s->ops->member_add(s, room_id, user, TS, &added), 0);
}

/* ---- notifications ------------------------------------------------------- */

static void
store__notif_add__gives_increasing_ids_and_keeps_every_field(void **state)
{
	struct fx *fx = *state;
	int64_t a = add(fx->s, "bob", "mention", "lobby", 42);
	int64_t b = add(fx->s, "bob", "join", "lobby", 0);
	assert_true(b > a);
	assert_false(page(fx, "bob", ALL, ALL, 10));
	assert_int_equal(fx->list.n, 2);
	struct store_notif *n = &fx->list.v[1];
	assert_int_equal(n->id, a);
	assert_string_equal(n->user, "bob");
	assert_string_equal(n->level, "mention");
	assert_string_equal(n->title, "title");
	assert_string_equal(n->message, "message");
	assert_string_equal(n->room, "lobby");
	assert_int_equal(n->seq, 42);
	assert_int_equal(n->ts, TS);
	assert_false(n->read);
	assert_int_equal(fx->list.v[0].seq, 0);
}

static void
store__notif_add__keeps_a_missing_room_as_none(void **state)
{
	struct fx *fx = *state;
	add(fx->s, "bob", "news", NULL, 0);
	page(fx, "bob", ALL, ALL, 10);
	assert_null(fx->list.v[0].room);
}

static void
store__notif_before__pages_newest_first_for_one_user(void **state)
{
	struct fx *fx = *state;
	int64_t id[5];
	for (int i = 0; i < 5; i++) {
		id[i] = add(fx->s, "bob", "mention", "lobby", i + 1);
		add(fx->s, "carol", "mention", "lobby", i + 1);
	}
	assert_true(page(fx, "bob", ALL, ALL, 2));
	assert_int_equal(fx->list.n, 2);
	assert_int_equal(fx->list.v[0].id, id[4]);
	assert_int_equal(fx->list.v[1].id, id[3]);
	assert_false(page(fx, "bob", id[3], ALL, 3));
	assert_int_equal(fx->list.n, 3);
	assert_int_equal(fx->list.v[2].id, id[0]);
	assert_false(page(fx, "dave", ALL, ALL, 3));
	assert_int_equal(fx->list.n, 0);
}

static void
store__notif_before__never_goes_past_upto(void **state)
{
	struct fx *fx = *state;
	int64_t a = add(fx->s, "bob", "mention", "lobby", 1);
	add(fx->s, "bob", "mention", "lobby", 2);
	assert_false(page(fx, "bob", ALL, a, 10));
	assert_int_equal(fx->list.n, 1);
	assert_int_equal(fx->list.v[0].id, a);
	assert_int_equal(unread(fx->s, "bob", a), 1);
	assert_int_equal(unread(fx->s, "bob", ALL), 2);
}

static void
store__notif_mark_read__finds_only_the_users_own(void **state)
{
	struct fx *fx = *state;
	int64_t b = add(fx->s, "bob", "mention", "lobby", 1);
	int64_t c = add(fx->s, "carol", "mention", "lobby", 1);
	bool found = false;
	assert_int_equal(fx->s->ops->notif_mark_read(fx->s, "bob", c, &found), 0);
	assert_false(found);
	assert_int_equal(fx->s->ops->notif_mark_read(fx->s, "bob", c + 100, &found), 0);
	assert_false(found);
	assert_int_equal(unread(fx->s, "carol", ALL), 1);
	assert_int_equal(fx->s->ops->notif_mark_read(fx->s, "bob", b, &found), 0);
	assert_true(found);
	assert_int_equal(unread(fx->s, "bob", ALL), 0);
	/* again: still found, still read */
	assert_int_equal(fx->s->ops->notif_mark_read(fx->s, "bob", b, &found), 0);
	assert_true(found);
	page(fx, "bob", ALL, ALL, 10);
	assert_true(fx->list.v[0].read);
}

static void
store__notif_mark_all_read__marks_up_to_an_id_for_one_user(void **state)
{
	struct fx *fx = *state;
	add(fx->s, "bob", "mention", "lobby", 1);
	int64_t b = add(fx->s, "bob", "mention", "lobby", 2);
	add(fx->s, "carol", "mention", "lobby", 1);
	add(fx->s, "bob", "mention", "lobby", 3);
	assert_int_equal(fx->s->ops->notif_mark_all_read(fx->s, "bob", b), 0);
	assert_int_equal(unread(fx->s, "bob", ALL), 1);
	assert_int_equal(unread(fx->s, "carol", ALL), 1);
	assert_int_equal(fx->s->ops->notif_mark_all_read(fx->s, "bob", ALL), 0);
	assert_int_equal(unread(fx->s, "bob", ALL), 0);
}

static void
store__notif_last_id__is_zero_then_the_newest(void **state)
{
	struct fx *fx = *state;
	int64_t id = -1;
	assert_int_equal(fx->s->ops->notif_last_id(fx->s, &id), 0);
	assert_int_equal(id, 0);
	int64_t b = add(fx->s, "bob", "mention", "lobby", 1);
	assert_int_equal(fx->s->ops->notif_last_id(fx->s, &id), 0);
	assert_int_equal(id, b);
}

static void
store__notif__a_rollback_forgets_it_and_a_commit_keeps_it(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	add(fx->s, "bob", "mention", "lobby", 1);
	fx->s->ops->rollback(fx->s);
	assert_int_equal(unread(fx->s, "bob", ALL), 0);
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	int64_t b = add(fx->s, "bob", "dm", "@alice+bob", 1);
	assert_int_equal(fx->s->ops->commit(fx->s), 0);
	reopen(fx);
	page(fx, "bob", ALL, ALL, 10);
	assert_int_equal(fx->list.n, 1);
	assert_int_equal(fx->list.v[0].id, b);
	assert_string_equal(fx->list.v[0].room, "@alice+bob");
}

/* ---- creators ------------------------------------------------------------ */

static void
store__room_creator__is_the_first_claimant(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	char *creator = NULL;
	bool claimed = false;
	join(fx->s, r, "alice");
	assert_int_equal(fx->s->ops->room_creator(fx->s, r, "alice", &creator,
	    &claimed), 0);
	assert_true(claimed);
	assert_string_equal(creator, "alice");
	free(creator);
	join(fx->s, r, "bob");
	assert_int_equal(fx->s->ops->room_creator(fx->s, r, "bob", &creator,
	    &claimed), 0);
	assert_false(claimed);
	assert_string_equal(creator, "alice");
	free(creator);
}

static void
store__room_creator__is_none_once_the_creator_left(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	char *creator = NULL;
	bool claimed = false, removed = false;
	join(fx->s, r, "alice");
	assert_int_equal(fx->s->ops->room_creator(fx->s, r, "alice", &creator,
	    &claimed), 0);
	free(creator);
	assert_int_equal(fx->s->ops->member_remove(fx->s, r, "alice", &removed), 0);
	join(fx->s, r, "bob");
	assert_int_equal(fx->s->ops->room_creator(fx->s, r, "bob", &creator,
	    &claimed), 0);
	assert_false(claimed); /* still alice's */
	assert_null(creator);
}

static void
store__room_first_join__is_first_once_across_a_leave_and_a_reopen(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	bool first = false, removed = false;
	assert_int_equal(fx->s->ops->room_first_join(fx->s, r, "bob", &first), 0);
	assert_true(first);
	assert_int_equal(fx->s->ops->room_first_join(fx->s, r, "bob", &first), 0);
	assert_false(first);
	assert_int_equal(fx->s->ops->member_remove(fx->s, r, "bob", &removed), 0);
	reopen(fx);
	assert_int_equal(fx->s->ops->room_first_join(fx->s, r, "bob", &first), 0);
	assert_false(first);
	assert_int_equal(fx->s->ops->room_first_join(fx->s, r, "carol", &first), 0);
	assert_true(first);
}

static void
store__user_known__is_whoever_was_seen(void **state)
{
	struct fx *fx = *state;
	bool known = true;
	assert_int_equal(fx->s->ops->user_known(fx->s, "alice", &known), 0);
	assert_false(known);
	assert_int_equal(fx->s->ops->user_seen(fx->s, "alice", TS), 0);
	assert_int_equal(fx->s->ops->user_known(fx->s, "alice", &known), 0);
	assert_true(known);
}

/* ---- migration ----------------------------------------------------------- */

/* Schema version 1 as released, with a room whose first member left. */
static const char v1_db[] =
	"CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	"  head INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);"
	"CREATE TABLE messages (id INTEGER PRIMARY KEY,"
	"  room_id INTEGER NOT NULL REFERENCES rooms(id), seq INTEGER NOT NULL,"
	"  user TEXT NOT NULL, cid TEXT NOT NULL, text TEXT NOT NULL,"
	"  ts INTEGER NOT NULL, UNIQUE (room_id, seq), UNIQUE (user, cid));"
	"CREATE TABLE members (room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  user TEXT NOT NULL, joined INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, user)) WITHOUT ROWID;"
	"CREATE INDEX members_by_user ON members(user);"
	"CREATE TABLE users (name TEXT PRIMARY KEY,"
	"  last_seen INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO rooms (name, head, created) VALUES ('lobby', 0, 1), ('dev', 0, 1),"
	"  ('empty', 0, 1);"
	"INSERT INTO members (room_id, user, joined) VALUES (1, 'zed', 5),"
	"  (1, 'amy', 9), (2, 'bob', 7), (2, 'abe', 7);"
	"PRAGMA user_version = 1;";

static void
store__open__migration_makes_the_earliest_member_the_creator(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1_db, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	fx->s = store_fixture_open(fx->path);

	static const struct { const char *room, *joiner, *creator; } want[] = {
		{"lobby", "kim", "zed"}, /* earliest join */
		{"dev", "kim", "abe"},   /* a tie: by name */
		{"empty", "kim", "kim"}, /* nobody left: the next one */
	};
	for (size_t i = 0; i < 3; i++) {
		int64_t r = room(fx->s, want[i].room);
		join(fx->s, r, want[i].joiner);
		char *creator = NULL;
		bool claimed = false;
		assert_int_equal(fx->s->ops->room_creator(fx->s, r, want[i].joiner,
		    &creator, &claimed), 0);
		assert_non_null(creator);
		assert_string_equal(creator, want[i].creator);
		free(creator);
	}
	assert_int_equal(unread(fx->s, "zed", ALL), 0);
}

#define OPEN(f) cmocka_unit_test_setup_teardown(f, setup_open, teardown)
#define BARE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		OPEN(store__notif_add__gives_increasing_ids_and_keeps_every_field),
		OPEN(store__notif_add__keeps_a_missing_room_as_none),
		OPEN(store__notif_before__pages_newest_first_for_one_user),
		OPEN(store__notif_before__never_goes_past_upto),
		OPEN(store__notif_mark_read__finds_only_the_users_own),
		OPEN(store__notif_mark_all_read__marks_up_to_an_id_for_one_user),
		OPEN(store__notif_last_id__is_zero_then_the_newest),
		OPEN(store__notif__a_rollback_forgets_it_and_a_commit_keeps_it),
		OPEN(store__room_creator__is_the_first_claimant),
		OPEN(store__room_creator__is_none_once_the_creator_left),
		OPEN(store__room_first_join__is_first_once_across_a_leave_and_a_reopen),
		OPEN(store__user_known__is_whoever_was_seen),
		BARE(store__open__migration_makes_the_earliest_member_the_creator),
	};
	return cmocka_run_group_tests_name("store_notify", tests, NULL, NULL);
}
