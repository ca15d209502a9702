/*
 * store (shared documents): documents, their operations and snapshots in
 * the SQLite store, through its ops table as docs.c uses them; and the
 * migration that added them to a database of schema version 1.
 *
 * Every test gets a fresh temporary directory with its own database.
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
	struct store_doc_ops ops; /* released by the teardown */
	char *text;
};

static void
release(struct fx *fx)
{
	store_doc_ops_free(&fx->ops);
	free(fx->text);
}

STORE_FIXTURE(release)

static int64_t
room(struct store *s, const char *name)
{
	int64_t id = -1, head = -1;
	assert_int_equal(s->ops->room_ensure(s, name, TS, &id, &head), 0);
	return id;
}

static int64_t
doc(struct store *s, int64_t room_id, const char *name)
{
	int64_t id = -1, head = -1;
	assert_int_equal(s->ops->doc_ensure(s, room_id, name, TS, &id, &head), 0);
	assert_true(id > 0);
	return id;
}

/* Appends revisions from..to by alice, cids "e<rev>", op "[<rev>]". */
static void
append_revs(struct store *s, int64_t doc_id, int64_t from, int64_t to)
{
	for (int64_t rev = from; rev <= to; rev++) {
		char cid[24], op[24];
		snprintf(cid, sizeof cid, "e%lld", (long long)rev);
		snprintf(op, sizeof op, "[%lld]", (long long)rev);
		assert_int_equal(s->ops->doc_op_append(s, doc_id, rev, "alice", cid, op,
		    TS + rev), 0);
	}
}

static void
assert_revs(const struct store_doc_ops *ops, int64_t first, int64_t last)
{
	assert_int_equal(ops->n, (size_t)(last - first + 1));
	for (size_t i = 0; i < ops->n; i++)
		assert_int_equal(ops->v[i].rev, first + (int64_t)i);
}

/* ---- documents ----------------------------------------------------------- */

static void
store__doc_ensure__creates_a_document_with_head_zero(void **state)
{
	struct fx *fx = *state;
	int64_t id = -1, head = -1;
	assert_int_equal(fx->s->ops->doc_ensure(fx->s, room(fx->s, "lobby"), "notes",
	    TS, &id, &head), 0);
	assert_true(id > 0);
	assert_int_equal(head, 0);
}

static void
store__doc_ensure__finds_the_same_document_with_its_head_after_reopening(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	int64_t d = doc(fx->s, r, "notes");
	append_revs(fx->s, d, 1, 3);
	reopen(fx);
	int64_t id = -1, head = -1;
	assert_int_equal(fx->s->ops->doc_ensure(fx->s, r, "notes", TS, &id, &head), 0);
	assert_int_equal(id, d);
	assert_int_equal(head, 3);
}

static void
store__doc_ensure__keeps_documents_of_the_same_name_apart_per_room(void **state)
{
	struct fx *fx = *state;
	int64_t a = doc(fx->s, room(fx->s, "lobby"), "notes");
	int64_t b = doc(fx->s, room(fx->s, "dev"), "notes");
	int64_t c = doc(fx->s, room(fx->s, "lobby"), "plan");
	assert_true(a != b && a != c && b != c);
}

static void
store__doc_find__reports_zero_for_a_missing_document_and_creates_nothing(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	int64_t id = -1, head = -1;
	assert_int_equal(fx->s->ops->doc_find(fx->s, r, "notes", &id, &head), 0);
	assert_int_equal(id, 0);
	assert_int_equal(fx->s->ops->doc_find(fx->s, r, "notes", &id, &head), 0);
	assert_int_equal(id, 0);
	int64_t d = doc(fx->s, r, "notes");
	append_revs(fx->s, d, 1, 2);
	assert_int_equal(fx->s->ops->doc_find(fx->s, r, "notes", &id, &head), 0);
	assert_int_equal(id, d);
	assert_int_equal(head, 2);
}

/* ---- operations ---------------------------------------------------------- */

static void
store__doc_op_append__stores_the_revision_with_its_author_cid_op_and_time(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	assert_int_equal(fx->s->ops->doc_op_append(fx->s, d, 1, "bob", "k1",
	    "[\"h\\u00e9\"]", TS), 0);
	assert_int_equal(fx->s->ops->doc_ops_range(fx->s, d, 0, 10, 10, &fx->ops), 0);
	assert_int_equal(fx->ops.n, 1);
	assert_int_equal(fx->ops.v[0].rev, 1);
	assert_string_equal(fx->ops.v[0].user, "bob");
	assert_string_equal(fx->ops.v[0].cid, "k1");
	assert_string_equal(fx->ops.v[0].op, "[\"h\\u00e9\"]");
	assert_int_equal(fx->ops.v[0].ts, TS);
}

static void
store__doc_op_append__refuses_a_revision_that_does_not_follow_the_head(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	append_revs(fx->s, d, 1, 2);
	assert_int_equal(fx->s->ops->doc_op_append(fx->s, d, 4, "alice", "x", "[1]",
	    TS), -1);
	assert_true(fx->s->ops->error(fx->s)[0] != '\0');
	assert_int_equal(fx->s->ops->doc_op_append(fx->s, d, 2, "alice", "y", "[1]",
	    TS), -1);
	assert_int_equal(fx->s->ops->doc_ops_range(fx->s, d, 0, 10, 10, &fx->ops), 0);
	assert_revs(&fx->ops, 1, 2);
}

static void
store__doc_op_append__refuses_the_same_user_and_cid_twice_in_a_document(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	int64_t d = doc(fx->s, r, "notes");
	append_revs(fx->s, d, 1, 1);
	assert_int_equal(fx->s->ops->doc_op_append(fx->s, d, 2, "alice", "e1", "[1]",
	    TS), -1);
	/* another user, or another document, may use the cid */
	assert_int_equal(fx->s->ops->doc_op_append(fx->s, d, 2, "bob", "e1", "[1]",
	    TS), 0);
	int64_t other = doc(fx->s, r, "plan");
	assert_int_equal(fx->s->ops->doc_op_append(fx->s, other, 1, "alice", "e1",
	    "[1]", TS), 0);
}

static void
store__doc_op_by_cid__finds_the_revision_a_cid_produced(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	int64_t d = doc(fx->s, r, "notes");
	append_revs(fx->s, d, 1, 5);
	int64_t rev = -1;
	assert_int_equal(fx->s->ops->doc_op_by_cid(fx->s, d, "alice", "e3", &rev), 0);
	assert_int_equal(rev, 3);
	assert_int_equal(fx->s->ops->doc_op_by_cid(fx->s, d, "bob", "e3", &rev), 0);
	assert_int_equal(rev, 0);
	int64_t other = doc(fx->s, r, "plan");
	assert_int_equal(fx->s->ops->doc_op_by_cid(fx->s, other, "alice", "e3", &rev), 0);
	assert_int_equal(rev, 0);
	reopen(fx);
	assert_int_equal(fx->s->ops->doc_op_by_cid(fx->s, d, "alice", "e5", &rev), 0);
	assert_int_equal(rev, 5);
}

static void
store__doc_ops_range__returns_revisions_after_up_to_with_a_limit(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	append_revs(fx->s, d, 1, 20);
	assert_int_equal(fx->s->ops->doc_ops_range(fx->s, d, 5, 12, 100, &fx->ops), 0);
	assert_revs(&fx->ops, 6, 12);
	assert_string_equal(fx->ops.v[0].op, "[6]");
	store_doc_ops_free(&fx->ops);
	assert_int_equal(fx->s->ops->doc_ops_range(fx->s, d, 5, 20, 4, &fx->ops), 0);
	assert_revs(&fx->ops, 6, 9);
	store_doc_ops_free(&fx->ops);
	assert_int_equal(fx->s->ops->doc_ops_range(fx->s, d, 20, 30, 4, &fx->ops), 0);
	assert_int_equal(fx->ops.n, 0);
}

static void
store__doc_ops__a_rollback_forgets_the_revision_and_its_cid(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	int64_t d = doc(fx->s, r, "notes");
	append_revs(fx->s, d, 1, 2);
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	append_revs(fx->s, d, 3, 4);
	assert_int_equal(fx->s->ops->doc_snapshot_put(fx->s, d, 4, "four"), 0);
	int64_t rev = -1;
	assert_int_equal(fx->s->ops->doc_op_by_cid(fx->s, d, "alice", "e4", &rev), 0);
	assert_int_equal(rev, 4); /* seen inside the transaction */
	fx->s->ops->rollback(fx->s);
	assert_int_equal(fx->s->ops->doc_op_by_cid(fx->s, d, "alice", "e4", &rev), 0);
	assert_int_equal(rev, 0);
	int64_t id, head;
	assert_int_equal(fx->s->ops->doc_find(fx->s, r, "notes", &id, &head), 0);
	assert_int_equal(head, 2);
	int64_t snap = -1;
	assert_int_equal(fx->s->ops->doc_snapshot_at_or_before(fx->s, d, 10, &snap,
	    &fx->text), 0);
	assert_int_equal(snap, 0);
	append_revs(fx->s, d, 3, 3); /* the revision is free again */
}

static void
store__doc_ops__survive_a_commit_and_reopening(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	assert_int_equal(fx->s->ops->begin(fx->s), 0);
	append_revs(fx->s, d, 1, 150);
	assert_int_equal(fx->s->ops->commit(fx->s), 0);
	reopen(fx);
	assert_int_equal(fx->s->ops->doc_ops_range(fx->s, d, 0, 1000, 1000, &fx->ops), 0);
	assert_revs(&fx->ops, 1, 150);
}

/* ---- snapshots ----------------------------------------------------------- */

static void
store__doc_snapshot_at_or_before__is_the_empty_text_at_zero_without_one(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	int64_t snap = -1;
	assert_int_equal(fx->s->ops->doc_snapshot_at_or_before(fx->s, d, 50, &snap,
	    &fx->text), 0);
	assert_int_equal(snap, 0);
	assert_string_equal(fx->text, "");
}

static void
store__doc_snapshot_at_or_before__picks_the_newest_not_after_rev(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	assert_int_equal(fx->s->ops->doc_snapshot_put(fx->s, d, 100, "at 100"), 0);
	assert_int_equal(fx->s->ops->doc_snapshot_put(fx->s, d, 200, "at 200 \xc3\xa9"), 0);
	struct { int64_t rev, snap; const char *text; } cases[] = {
		{99, 0, ""}, {100, 100, "at 100"}, {199, 100, "at 100"},
		{200, 200, "at 200 \xc3\xa9"}, {1000, 200, "at 200 \xc3\xa9"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int64_t snap = -1;
		assert_int_equal(fx->s->ops->doc_snapshot_at_or_before(fx->s, d,
		    cases[i].rev, &snap, &fx->text), 0);
		assert_int_equal(snap, cases[i].snap);
		assert_string_equal(fx->text, cases[i].text);
		free(fx->text);
		fx->text = NULL;
	}
}

static void
store__doc_snapshot_put__keeps_snapshots_per_document(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	int64_t a = doc(fx->s, r, "notes"), b = doc(fx->s, r, "plan");
	assert_int_equal(fx->s->ops->doc_snapshot_put(fx->s, a, 100, "notes"), 0);
	int64_t snap = -1;
	assert_int_equal(fx->s->ops->doc_snapshot_at_or_before(fx->s, b, 100, &snap,
	    &fx->text), 0);
	assert_int_equal(snap, 0);
	free(fx->text);
	fx->text = NULL;
	reopen(fx);
	assert_int_equal(fx->s->ops->doc_snapshot_at_or_before(fx->s, a, 100, &snap,
	    &fx->text), 0);
	assert_string_equal(fx->text, "notes");
}

/* ---- revisions (DOC_HISTORY) --------------------------------------------- */

static void
store__doc_revisions__returns_the_newest_below_before_oldest_first(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	append_revs(fx->s, d, 1, 10);
	bool more = false;
	assert_int_equal(fx->s->ops->doc_revisions(fx->s, d, 8, 3, &fx->ops, &more), 0);
	assert_revs(&fx->ops, 5, 7);
	assert_true(more);
	assert_string_equal(fx->ops.v[0].user, "alice");
	assert_string_equal(fx->ops.v[0].cid, "e5");
	assert_int_equal(fx->ops.v[0].ts, TS + 5);
	assert_null(fx->ops.v[0].op);
}

static void
store__doc_revisions__says_no_more_at_the_first_revision(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	append_revs(fx->s, d, 1, 3);
	bool more = true;
	assert_int_equal(fx->s->ops->doc_revisions(fx->s, d, 4, 3, &fx->ops, &more), 0);
	assert_revs(&fx->ops, 1, 3);
	assert_false(more);
	store_doc_ops_free(&fx->ops);
	assert_int_equal(fx->s->ops->doc_revisions(fx->s, d, 1, 3, &fx->ops, &more), 0);
	assert_int_equal(fx->ops.n, 0);
	assert_false(more);
}

/* ---- migration from schema version 1 ------------------------------------- */

/* Migration 1 exactly as the first release shipped it. */
static const char v1_schema[] =
	"CREATE TABLE rooms ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  head INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE messages ("
	"  id INTEGER PRIMARY KEY,"
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  seq INTEGER NOT NULL,"
	"  user TEXT NOT NULL,"
	"  cid TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  UNIQUE (room_id, seq),"
	"  UNIQUE (user, cid));"
	"CREATE TABLE members ("
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  user TEXT NOT NULL,"
	"  joined INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, user)) WITHOUT ROWID;"
	"CREATE INDEX members_by_user ON members(user);"
	"CREATE TABLE users ("
	"  name TEXT PRIMARY KEY,"
	"  last_seen INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO rooms (name, head, created) VALUES ('lobby', 2, 1);"
	"INSERT INTO messages (room_id, seq, user, cid, text, ts)"
	"  VALUES (1, 1, 'alice', 'k1', 'first', 10), (1, 2, 'bob', 'k2', 'second', 20);"
	"INSERT INTO members (room_id, user, joined) VALUES (1, 'alice', 5), (1, 'bob', 6);"
	"INSERT INTO users (name, last_seen) VALUES ('alice', 30);"
	"PRAGMA user_version = 1;";

static int
count_tables(void *arg, int n, char **v, char **names)
{
	(void)n;
	(void)v;
	(void)names;
	(*(int *)arg)++;
	return 0;
}

static void
store__open__migrates_a_version_1_database_keeping_its_data(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1_schema, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	fx->s = store_fixture_open(fx->path);
	int64_t id = -1, head = -1;
	assert_int_equal(fx->s->ops->room_ensure(fx->s, "lobby", TS, &id, &head), 0);
	assert_int_equal(id, 1);
	assert_int_equal(head, 2);
	struct store_msgs ms;
	assert_int_equal(fx->s->ops->messages_after(fx->s, id, 0, 10, 10, &ms), 0);
	assert_int_equal(ms.n, 2);
	assert_string_equal(ms.v[1].text, "second");
	store_msgs_free(&ms);
	struct store_member *mem;
	size_t n;
	assert_int_equal(fx->s->ops->members(fx->s, id, &mem, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(mem[0].last_seen, 30);
	store_members_free(mem, n);
	/* an old cid is still a duplicate, and the seq continues */
	struct store_msg m;
	bool dup = false;
	assert_int_equal(fx->s->ops->message_append(fx->s, id, "alice", "k1", "first",
	    TS, &m, &dup), 0);
	assert_true(dup);
	assert_int_equal(m.seq, 1);
	store_msg_free(&m);

	/* the document tables are there and work */
	int64_t d = doc(fx->s, id, "notes");
	append_revs(fx->s, d, 1, 2);
	assert_int_equal(fx->s->ops->doc_snapshot_put(fx->s, d, 2, "xy"), 0);
	fx->s->ops->close(fx->s);
	fx->s = NULL;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	int tables = 0, version = 0;
	assert_int_equal(sqlite3_exec(db, "SELECT name FROM sqlite_master WHERE"
	    " type = 'table' AND name IN ('documents', 'doc_ops', 'doc_snapshots')",
	    count_tables, &tables, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(tables, 3);
	assert_int_equal(version, 11); /* and on to the latest */
}

/* The document's tags as "name@rev:user,..." in the store's order. */
static void
assert_tags(struct store *s, int64_t d, const char *want)
{
	struct store_doc_tag *v;
	size_t n;
	assert_int_equal(s->ops->doc_tags(s, d, &v, &n), 0);
	char got[256] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(got + len, sizeof got - len, "%s%s@%lld:%s",
		    i ? "," : "", v[i].name, (long long)v[i].rev, v[i].user);
	store_doc_tags_free(v, n);
	assert_string_equal(got, want);
}

static void
store__doc_tags__are_unique_per_document_move_and_survive_reopening(void **state)
{
	struct fx *fx = *state;
	int64_t r = room(fx->s, "lobby");
	int64_t d = doc(fx->s, r, "notes"), e = doc(fx->s, r, "other");
	append_revs(fx->s, d, 1, 3);
	assert_tags(fx->s, d, "");
	assert_int_equal(fx->s->ops->doc_tag_set(fx->s, d, "v2", 3, "alice", TS), 0);
	assert_int_equal(fx->s->ops->doc_tag_set(fx->s, d, "v1", 1, "alice", TS), 0);
	assert_int_equal(fx->s->ops->doc_tag_set(fx->s, e, "v1", 0, "carol", TS), 0);
	assert_tags(fx->s, d, "v1@1:alice,v2@3:alice");
	/* the same name moves; listed by revision */
	assert_int_equal(fx->s->ops->doc_tag_set(fx->s, d, "v1", 2, "bob", TS + 1), 0);
	assert_int_equal(fx->s->ops->doc_tag_set(fx->s, d, "v2", 2, "bob", TS + 1), 0);
	assert_tags(fx->s, d, "v1@2:bob,v2@2:bob");
	reopen(fx);
	assert_tags(fx->s, d, "v1@2:bob,v2@2:bob");
	assert_tags(fx->s, e, "v1@0:carol");
}

static void
store__open__migrates_a_version_8_database_to_one_with_tags(void **state)
{
	struct fx *fx = *state;
	fx->s = store_fixture_open(fx->path);
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	append_revs(fx->s, d, 1, 2);
	fx->s->ops->close(fx->s);
	fx->s = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE doc_tags; PRAGMA user_version = 8;",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	fx->s = store_fixture_open(fx->path);
	assert_tags(fx->s, d, "");
	assert_int_equal(fx->s->ops->doc_tag_set(fx->s, d, "v1", 2, "alice", TS), 0);
	assert_tags(fx->s, d, "v1@2:alice");
}

static void
store__open__creates_the_document_tables_in_a_new_database(void **state)
{
	struct fx *fx = *state;
	fx->s = store_fixture_open(fx->path);
	int64_t d = doc(fx->s, room(fx->s, "lobby"), "notes");
	append_revs(fx->s, d, 1, 1);
	reopen(fx);
	int64_t rev = -1;
	assert_int_equal(fx->s->ops->doc_op_by_cid(fx->s, d, "alice", "e1", &rev), 0);
	assert_int_equal(rev, 1);
}

static void
store__docs_page__lists_a_rooms_documents_by_name_with_their_heads(void **state)
{
	struct fx *fx = *state;
	struct store *s = fx->s;
	int64_t lobby = room(s, "lobby"), dev = room(s, "dev");
	int64_t plan = doc(s, lobby, "plan"), notes = doc(s, lobby, "notes");
	doc(s, lobby, "alpha");
	doc(s, dev, "other");
	append_revs(s, notes, 1, 3);
	append_revs(s, plan, 1, 1);
	struct store_doc_info *v;
	size_t n;
	assert_int_equal(s->ops->docs_page(s, lobby, "", 10, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, "alpha");
	assert_int_equal(v[0].head, 0);
	assert_null(v[0].user); /* never edited */
	assert_int_equal(v[0].ts, 0);
	assert_string_equal(v[1].name, "notes");
	assert_int_equal(v[1].head, 3);
	assert_string_equal(v[1].user, "alice");
	assert_int_equal(v[1].ts, TS + 3);
	assert_string_equal(v[2].name, "plan");
	assert_int_equal(v[2].head, 1);
	store_doc_infos_free(v, n);
	/* a page at a time, after a name */
	assert_int_equal(s->ops->docs_page(s, lobby, "alpha", 1, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, "notes");
	store_doc_infos_free(v, n);
	assert_int_equal(s->ops->docs_page(s, lobby, "plan", 10, &v, &n), 0);
	assert_int_equal(n, 0);
	store_doc_infos_free(v, n);
}

#define OPEN(f) cmocka_unit_test_setup_teardown(f, setup_open, teardown)
#define BARE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		OPEN(store__doc_ensure__creates_a_document_with_head_zero),
		OPEN(store__doc_ensure__finds_the_same_document_with_its_head_after_reopening),
		OPEN(store__doc_ensure__keeps_documents_of_the_same_name_apart_per_room),
		OPEN(store__doc_find__reports_zero_for_a_missing_document_and_creates_nothing),
		OPEN(store__doc_op_append__stores_the_revision_with_its_author_cid_op_and_time),
		OPEN(store__doc_op_append__refuses_a_revision_that_does_not_follow_the_head),
		OPEN(store__doc_op_append__refuses_the_same_user_and_cid_twice_in_a_document),
		OPEN(store__doc_op_by_cid__finds_the_revision_a_cid_produced),
		OPEN(store__doc_ops_range__returns_revisions_after_up_to_with_a_limit),
		OPEN(store__doc_ops__a_rollback_forgets_the_revision_and_its_cid),
		OPEN(store__doc_ops__survive_a_commit_and_reopening),
		OPEN(store__doc_snapshot_at_or_before__is_the_empty_text_at_zero_without_one),
		OPEN(store__doc_snapshot_at_or_before__picks_the_newest_not_after_rev),
		OPEN(store__doc_snapshot_put__keeps_snapshots_per_document),
		OPEN(store__doc_revisions__returns_the_newest_below_before_oldest_first),
		OPEN(store__doc_revisions__says_no_more_at_the_first_revision),
		OPEN(store__docs_page__lists_a_rooms_documents_by_name_with_their_heads),
		BARE(store__open__migrates_a_version_1_database_keeping_its_data),
		BARE(store__open__creates_the_document_tables_in_a_new_database),
		OPEN(store__doc_tags__are_unique_per_document_move_and_survive_reopening),
		BARE(store__open__migrates_a_version_8_database_to_one_with_tags),
	};
	return cmocka_run_group_tests_name("store_docs", tests, NULL, NULL);
}
