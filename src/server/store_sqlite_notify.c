/*
 * store_sqlite_notify: users' notifications and rooms' creators in the
 * SQLite store (see store_sqlite_notify.h).
 *
 * A notification is a row of its user's, found by the index on (user, id):
 * pages walk it downwards from an id, and a partial index over the unread
 * rows keeps the unread count cheap however many read ones pile up. The
 * ids come from the rowid, so they grow with every insert and a rolled
 * back insert's id is never seen: callers bound their reads by the newest
 * id they know to be committed (the `upto` of every read).
 *
 * A room's creator is its first member. Rooms made before this schema get
 * their earliest remaining member; a room that has none gets the next one
 * to join.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_notify.h"

const char sq_notify_schema[] =
	"ALTER TABLE rooms ADD COLUMN creator TEXT;"
	"UPDATE rooms SET creator = (SELECT m.user FROM members m"
	"  WHERE m.room_id = rooms.id ORDER BY m.joined, m.user LIMIT 1);"
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  user TEXT NOT NULL,"
	"  level TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  message TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  read INTEGER NOT NULL DEFAULT 0,"
	"  room TEXT,"
	"  seq INTEGER);"
	"CREATE INDEX notifications_by_user ON notifications(user, id);"
	"CREATE INDEX notifications_unread ON notifications(user) WHERE read = 0;";

const char sq_joiners_schema[] =
	"CREATE TABLE room_joiners ("
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  user TEXT NOT NULL,"
	"  PRIMARY KEY (room_id, user)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO room_joiners (room_id, user)"
	"  SELECT room_id, user FROM members;";

static const char *const stmt_sql[SN_COUNT] = {
	[SN_FIRST_JOIN] = "INSERT OR IGNORE INTO room_joiners (room_id, user)"
	    " VALUES (?1, ?2)",
	[SN_USER_KNOWN] = "SELECT (SELECT count(*) FROM users WHERE name = ?1)"
	    " + (SELECT count(*) FROM accounts WHERE name = ?1)",
	[SN_CREATOR_CLAIM] = "UPDATE rooms SET creator = ?2"
	    " WHERE id = ?1 AND creator IS NULL",
	[SN_CREATOR_GET] = "SELECT r.creator FROM rooms r JOIN members m"
	    " ON m.room_id = r.id AND m.user = r.creator WHERE r.id = ?1",
	[SN_ADD] = "INSERT INTO notifications"
	    " (user, level, title, message, ts, read, room, seq, kind)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[SN_LAST_ID] = "SELECT COALESCE(MAX(id), 0) FROM notifications",
	[SN_BEFORE] = "SELECT id, level, title, message, ts, read, room, seq, kind"
	    " FROM notifications WHERE user = ?1 AND id < ?2 AND id <= ?3"
	    " ORDER BY id DESC LIMIT ?4",
	[SN_UNREAD] = "SELECT count(*) FROM notifications"
	    " WHERE user = ?1 AND read = 0 AND id <= ?2",
	[SN_READ_ONE] = "UPDATE notifications SET read = 1 WHERE user = ?1 AND id = ?2",
	[SN_READ_ALL] = "UPDATE notifications SET read = 1"
	    " WHERE user = ?1 AND read = 0 AND id <= ?2",
};

int
sq_notify_open(struct sq_notify *n, sqlite3 *db, char *err, size_t errlen)
{
	return sq_stmts_open(&n->q, db, stmt_sql, n->st, SN_COUNT, err, errlen);
}

int
sq_room_first_join(struct store *base, int64_t room_id, const char *user,
    bool *first)
{
	struct sq_stmts *n = sq_notify_of(base);
	sqlite3_stmt *st = sq_stmts_prep(n, SN_FIRST_JOIN);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	int changes;
	if (sq_stmts_run(n, st, &changes) != 0)
		return -1;
	*first = changes > 0;
	return 0;
}

int
sq_user_known(struct store *base, const char *user, bool *known)
{
	struct sq_stmts *n = sq_notify_of(base);
	sqlite3_stmt *st = sq_stmts_prep(n, SN_USER_KNOWN);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	int64_t count = 0;
	if (sq_stmts_one_int(n, st, &count) != 0)
		return -1;
	*known = count > 0;
	return 0;
}

int
sq_room_creator(struct store *base, int64_t room_id, const char *user,
    char **creator, bool *claimed)
{
	struct sq_stmts *n = sq_notify_of(base);
	*creator = NULL;
	sqlite3_stmt *st = sq_stmts_prep(n, SN_CREATOR_CLAIM);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	int changes;
	if (sq_stmts_run(n, st, &changes) != 0)
		return -1;
	*claimed = changes > 0;

	st = sq_stmts_prep(n, SN_CREATOR_GET);
	sqlite3_bind_int64(st, 1, room_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*creator = sq_col_text_or_null(st, 0);
	else if (rc != SQLITE_DONE)
		return sq_stmts_fail(n, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_notif_add(struct store *base, struct store_notif *no)
{
	struct sq_stmts *n = sq_notify_of(base);
	sqlite3_stmt *st = sq_stmts_prep(n, SN_ADD);
	sqlite3_bind_text(st, 1, no->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, no->level, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, no->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, no->message, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, no->ts);
	sqlite3_bind_int(st, 6, no->read);
	if (no->room != NULL)
		sqlite3_bind_text(st, 7, no->room, -1, SQLITE_STATIC);
	if (no->seq > 0)
		sqlite3_bind_int64(st, 8, no->seq);
	sqlite3_bind_text(st, 9, no->kind ? no->kind : "", -1, SQLITE_STATIC);
	if (sq_stmts_run(n, st, NULL) != 0)
		return -1;
	no->id = sqlite3_last_insert_rowid(n->db);
	return 0;
}

int
sq_notif_last_id(struct store *base, int64_t *id)
{
	struct sq_stmts *n = sq_notify_of(base);
	return sq_stmts_one_int(n, sq_stmts_prep(n, SN_LAST_ID), id);
}

static void
read_notif(sqlite3_stmt *st, const char *user, struct store_notif *no)
{
	no->id = sqlite3_column_int64(st, 0);
	no->user = xstrdup(user);
	no->level = sq_col_text(st, 1);
	no->title = sq_col_text(st, 2);
	no->message = sq_col_text(st, 3);
	no->ts = sqlite3_column_int64(st, 4);
	no->read = sqlite3_column_int(st, 5) != 0;
	no->room = sq_col_text_or_null(st, 6);
	no->seq = sqlite3_column_int64(st, 7);
	no->kind = sq_col_text(st, 8);
}

int
sq_notif_before(struct store *base, const char *user, int64_t before,
    int64_t upto, size_t limit, struct store_notifs *out, bool *more)
{
	struct sq_stmts *n = sq_notify_of(base);
	sqlite3_stmt *st = sq_stmts_prep(n, SN_BEFORE);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int64(st, 3, upto);
	sqlite3_bind_int64(st, 4, (int64_t)limit + 1); /* one more tells `more` */
	out->v = xcalloc(limit + 1, sizeof *out->v); /* limit: a page, bounded */
	out->n = 0;
	*more = false;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == limit) {
			*more = true;
			break;
		}
		read_notif(st, user, &out->v[out->n++]);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_notifs_free(out);
		return sq_stmts_fail(n, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_notif_unread(struct store *base, const char *user, int64_t upto,
    int64_t *count)
{
	struct sq_stmts *n = sq_notify_of(base);
	sqlite3_stmt *st = sq_stmts_prep(n, SN_UNREAD);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, upto);
	return sq_stmts_one_int(n, st, count);
}

int
sq_notif_mark_read(struct store *base, const char *user, int64_t id,
    bool *found)
{
	struct sq_stmts *n = sq_notify_of(base);
	sqlite3_stmt *st = sq_stmts_prep(n, SN_READ_ONE);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	int changes;
	if (sq_stmts_run(n, st, &changes) != 0)
		return -1;
	*found = changes > 0;
	return 0;
}

int
sq_notif_mark_all_read(struct store *base, const char *user, int64_t upto)
{
	struct sq_stmts *n = sq_notify_of(base);
	sqlite3_stmt *st = sq_stmts_prep(n, SN_READ_ALL);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, upto);
	return sq_stmts_run(n, st, NULL);
}
