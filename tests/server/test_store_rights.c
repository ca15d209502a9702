/*
 * store: rooms' rights in the SQLite store (a room's mode, owner and
 * moderators, bans, invites, what each user created), through the ops
 * table as rights.c and abuse.c use them, and the migration that added
 * them to a database of the previous schema.
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

struct fx {
	char dir[STORE_DIR_SIZE];
	char path[STORE_PATH_SIZE];
	struct store *s;
	struct store_rights rt;
};

static void
release(struct fx *fx)
{
	store_rights_free(&fx->rt);
}

STORE_FIXTURE(release)

/* A room made by its first member, who claims it. */
static int64_t
room_by(struct store *s, const char *name, const char *creator)
{
	int64_t id = -1, head = -1;
	bool added, claimed;
	char *who = NULL;
	assert_int_equal(s->ops->room_ensure(s, name, TS, &id, &head), 0);
	assert_int_equal(s->ops->member_add(s, id, creator, TS, &added), 0);
	assert_int_equal(s->ops->room_creator(s, id, creator, &who, &claimed), 0);
	free(who);
	return id;
}

static struct store_rights *
rights(struct fx *fx, int64_t room)
{
	store_rights_free(&fx->rt);
	assert_int_equal(fx->s->ops->room_rights(fx->s, room, &fx->rt), 0);
	return &fx->rt;
}

struct access { bool member, banned, invited; };

static struct access
access_of(struct store *s, int64_t room, const char *user)
{
	struct access a = {true, true, true};
	assert_int_equal(s->ops->room_access(s, room, user, &a.member, &a.banned,
	    &a.invited), 0);
	return a;
}

static void
store__room_find__finds_a_room_without_making_one(void **state)
{
	struct fx *fx = *state;
	int64_t id = -1, head = -1;
	assert_int_equal(fx->s->ops->room_find(fx->s, "dev", &id, &head), 0);
	assert_int_equal(id, 0);
	int64_t dev = room_by(fx->s, "dev", "alice");
	assert_int_equal(fx->s->ops->room_find(fx->s, "dev", &id, &head), 0);
	assert_int_equal(id, dev);
	assert_int_equal(head, 0);
	assert_int_equal(fx->s->ops->room_find(fx->s, "other", &id, &head), 0);
	assert_int_equal(id, 0);
}

static void
store__room_rights__are_public_owned_by_the_creator_without_moderators(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room_by(fx->s, "dev", "alice");
	struct store_rights *rt = rights(fx, dev);
	assert_false(rt->is_private);
	assert_non_null(rt->owner);
	assert_string_equal(rt->owner, "alice");
	assert_int_equal(rt->nmoderators, 0);
	/* the owner stays the owner when they leave */
	bool removed;
	assert_int_equal(fx->s->ops->member_remove(fx->s, dev, "alice", &removed), 0);
	assert_string_equal(rights(fx, dev)->owner, "alice");
}

static void
store__room_set_private__is_kept_across_a_reopen(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room_by(fx->s, "dev", "alice");
	int64_t other = room_by(fx->s, "other", "alice");
	assert_int_equal(fx->s->ops->room_set_private(fx->s, dev, true), 0);
	reopen(fx);
	assert_true(rights(fx, dev)->is_private);
	assert_false(rights(fx, other)->is_private);
	assert_int_equal(fx->s->ops->room_set_private(fx->s, dev, false), 0);
	assert_false(rights(fx, dev)->is_private);
}

static void
store__room_moderator_set__adds_once_in_name_order_and_takes_back(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room_by(fx->s, "dev", "alice");
	bool changed = false;
	assert_int_equal(fx->s->ops->room_moderator_set(fx->s, dev, "dave", true,
	    &changed), 0);
	assert_true(changed);
	assert_int_equal(fx->s->ops->room_moderator_set(fx->s, dev, "bob", true,
	    &changed), 0);
	assert_int_equal(fx->s->ops->room_moderator_set(fx->s, dev, "bob", true,
	    &changed), 0);
	assert_false(changed);
	reopen(fx);
	struct store_rights *rt = rights(fx, dev);
	assert_int_equal(rt->nmoderators, 2);
	assert_string_equal(rt->moderators[0], "bob");
	assert_string_equal(rt->moderators[1], "dave");
	assert_int_equal(fx->s->ops->room_moderator_set(fx->s, dev, "bob", false,
	    &changed), 0);
	assert_true(changed);
	assert_int_equal(fx->s->ops->room_moderator_set(fx->s, dev, "bob", false,
	    &changed), 0);
	assert_false(changed);
	assert_int_equal(rights(fx, dev)->nmoderators, 1);
}

static void
store__room_ban_set__marks_one_user_of_one_room(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room_by(fx->s, "dev", "alice");
	int64_t other = room_by(fx->s, "other", "alice");
	bool changed = false;
	assert_int_equal(fx->s->ops->room_ban_set(fx->s, dev, "carol", "alice", TS,
	    true, &changed), 0);
	assert_true(changed);
	assert_int_equal(fx->s->ops->room_ban_set(fx->s, dev, "carol", "bob", TS,
	    true, &changed), 0);
	assert_false(changed);
	reopen(fx);
	assert_true(access_of(fx->s, dev, "carol").banned);
	assert_false(access_of(fx->s, other, "carol").banned);
	assert_false(access_of(fx->s, dev, "dave").banned);
	assert_int_equal(fx->s->ops->room_ban_set(fx->s, dev, "carol", NULL, 0,
	    false, &changed), 0);
	assert_true(changed);
	assert_false(access_of(fx->s, dev, "carol").banned);
	assert_int_equal(fx->s->ops->room_ban_set(fx->s, dev, "carol", NULL, 0,
	    false, &changed), 0);
	assert_false(changed);
}

static void
store__room_invite_set__lasts_until_taken_back(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room_by(fx->s, "dev", "alice");
	bool changed = false;
	assert_false(access_of(fx->s, dev, "carol").invited);
	assert_int_equal(fx->s->ops->room_invite_set(fx->s, dev, "carol", "alice", TS,
	    true, &changed), 0);
	assert_true(changed);
	assert_int_equal(fx->s->ops->room_invite_set(fx->s, dev, "carol", "alice", TS,
	    true, &changed), 0);
	assert_false(changed);
	reopen(fx);
	struct access a = access_of(fx->s, dev, "carol");
	assert_true(a.invited);
	assert_false(a.member);
	assert_false(a.banned);
	assert_int_equal(fx->s->ops->room_invite_set(fx->s, dev, "carol", NULL, 0,
	    false, &changed), 0);
	assert_true(changed);
	assert_false(access_of(fx->s, dev, "carol").invited);
}

static void
store__room_access__says_who_is_a_member(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room_by(fx->s, "dev", "alice");
	assert_true(access_of(fx->s, dev, "alice").member);
	assert_false(access_of(fx->s, dev, "bob").member);
}

static void
store__room_rights__roll_back_with_the_transaction(void **state)
{
	struct fx *fx = *state;
	int64_t dev = room_by(fx->s, "dev", "alice");
	bool changed;
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	assert_int_equal(fx->s->ops->room_ban_set(fx->s, dev, "carol", "alice", TS,
	    true, &changed), 0);
	assert_int_equal(fx->s->ops->room_set_private(fx->s, dev, true), 0);
	fx->s->ops->rollback(fx->s);
	assert_false(access_of(fx->s, dev, "carol").banned);
	assert_false(rights(fx, dev)->is_private);
}

static void
store__user_created__counts_rooms_but_direct_messages_and_claimed_documents(void **state)
{
	struct fx *fx = *state;
	int64_t rooms = -1, docs = -1;
	assert_int_equal(fx->s->ops->user_created(fx->s, "alice", &rooms, &docs), 0);
	assert_int_equal(rooms, 0);
	assert_int_equal(docs, 0);
	int64_t dev = room_by(fx->s, "dev", "alice");
	room_by(fx->s, "ops", "alice");
	room_by(fx->s, "@alice+bob", "alice");
	room_by(fx->s, "bobs", "bob");
	int64_t d1, d2, head;
	assert_int_equal(fx->s->ops->doc_ensure(fx->s, dev, "notes", TS, &d1, &head), 0);
	assert_int_equal(fx->s->ops->doc_ensure(fx->s, dev, "plan", TS, &d2, &head), 0);
	assert_int_equal(fx->s->ops->doc_claim(fx->s, d1, "alice"), 0);
	assert_int_equal(fx->s->ops->doc_claim(fx->s, d1, "bob"), 0); /* taken */
	assert_int_equal(fx->s->ops->doc_claim(fx->s, d2, "bob"), 0);
	reopen(fx);
	assert_int_equal(fx->s->ops->user_created(fx->s, "alice", &rooms, &docs), 0);
	assert_int_equal(rooms, 2);
	assert_int_equal(docs, 1);
	assert_int_equal(fx->s->ops->user_created(fx->s, "bob", &rooms, &docs), 0);
	assert_int_equal(rooms, 1);
	assert_int_equal(docs, 1);
}

/* Migration 7 (messages' changes) undone, for a database of an older
 * version. */
#define UNDO_MIGRATION_7 \
	"DROP TABLE changes; DROP TABLE reactions; DROP INDEX messages_by_thread;" \
	" ALTER TABLE messages DROP COLUMN thread;" \
	" ALTER TABLE messages DROP COLUMN replies;" \
	" ALTER TABLE messages DROP COLUMN last_reply;" \
	" ALTER TABLE messages DROP COLUMN edited_ts;" \
	" ALTER TABLE messages DROP COLUMN deleted;" \
	" ALTER TABLE rooms DROP COLUMN rev;"

/* The schema as migration 4 left it, with a room in it. */
static const char v5_room[] =
	"INSERT INTO rooms (name, head, created, creator) VALUES ('dev', 0, 1, 'kim');"
	"INSERT INTO members (room_id, user, joined) VALUES (1, 'kim', 1);"
	"INSERT INTO documents (room_id, name, created) VALUES (1, 'notes', 1);";

static void
store__open__migration_6_keeps_rooms_public_and_documents_unclaimed(void **state)
{
	struct fx *fx = *state;
	fx->s->ops->close(fx->s);
	fx->s = NULL;
	/* a database at version 5: the latest schema with migration 6 undone */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, UNDO_MIGRATION_7, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE room_roles; DROP TABLE room_bans;"
	    " DROP TABLE room_invites; DROP INDEX rooms_by_creator;"
	    " DROP INDEX documents_by_creator; ALTER TABLE rooms DROP COLUMN private;"
	    " ALTER TABLE documents DROP COLUMN creator; PRAGMA user_version = 5;",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v5_room, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	fx->s = store_fixture_open(fx->path);
	struct store_rights *rt = rights(fx, 1);
	assert_false(rt->is_private);
	assert_string_equal(rt->owner, "kim");
	int64_t rooms, docs;
	assert_int_equal(fx->s->ops->user_created(fx->s, "kim", &rooms, &docs), 0);
	assert_int_equal(rooms, 1);
	assert_int_equal(docs, 0);
	bool changed;
	assert_int_equal(fx->s->ops->room_ban_set(fx->s, 1, "zed", "kim", TS, true,
	    &changed), 0);
	assert_true(access_of(fx->s, 1, "zed").banned);
}

#define OPEN(f) cmocka_unit_test_setup_teardown(f, setup_open, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		OPEN(store__room_find__finds_a_room_without_making_one),
		OPEN(store__room_rights__are_public_owned_by_the_creator_without_moderators),
		OPEN(store__room_set_private__is_kept_across_a_reopen),
		OPEN(store__room_moderator_set__adds_once_in_name_order_and_takes_back),
		OPEN(store__room_ban_set__marks_one_user_of_one_room),
		OPEN(store__room_invite_set__lasts_until_taken_back),
		OPEN(store__room_access__says_who_is_a_member),
		OPEN(store__room_rights__roll_back_with_the_transaction),
		OPEN(store__user_created__counts_rooms_but_direct_messages_and_claimed_documents),
		OPEN(store__open__migration_6_keeps_rooms_public_and_documents_unclaimed),
	};
	return cmocka_run_group_tests_name("store_rights", tests, NULL, NULL);
}
