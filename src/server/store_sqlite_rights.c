/*
 * store_sqlite_rights: rooms' rights in the SQLite store (see
 * store_sqlite_rights.h).
 *
 * A room's owner is its creator (rooms.creator, claimed by its first
 * member: store_sqlite_notify.c), kept whether or not they are still a
 * member. Moderators, bans and invites are a row each per room and user,
 * found by their primary key; who made a ban or an invite and when is
 * kept for operators. What a user created is counted with the indexes on
 * the creator columns; direct-message rooms are not counted (each pair of
 * users has one, made by whichever wrote first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store_sqlite_rights.h"

const char sq_rights_schema[] =
	"ALTER TABLE rooms ADD COLUMN private INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE documents ADD COLUMN creator TEXT;"
	"CREATE INDEX rooms_by_creator ON rooms(creator);"
	"CREATE INDEX documents_by_creator ON documents(creator);"
	"CREATE TABLE room_roles ("
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  user TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  PRIMARY KEY (room_id, user)) WITHOUT ROWID;"
	"CREATE TABLE room_bans ("
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  user TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, user)) WITHOUT ROWID;"
	"CREATE TABLE room_invites ("
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  user TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, user)) WITHOUT ROWID;";

static const char *const stmt_sql[SR_COUNT] = {
	[SR_ROOM_FIND] = "SELECT id, head FROM rooms WHERE name = ?1",
	[SR_ROOM_GET] = "SELECT private, creator FROM rooms WHERE id = ?1",
	[SR_MODS] = "SELECT user FROM room_roles WHERE room_id = ?1"
	    " AND role = 'moderator' ORDER BY user",
	[SR_SET_PRIVATE] = "UPDATE rooms SET private = ?2 WHERE id = ?1",
	[SR_MOD_ADD] = "INSERT OR IGNORE INTO room_roles (room_id, user, role)"
	    " VALUES (?1, ?2, 'moderator')",
	[SR_MOD_DEL] = "DELETE FROM room_roles WHERE room_id = ?1 AND user = ?2",
	[SR_BAN_ADD] = "INSERT OR IGNORE INTO room_bans (room_id, user, by, ts)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[SR_BAN_DEL] = "DELETE FROM room_bans WHERE room_id = ?1 AND user = ?2",
	[SR_INVITE_ADD] = "INSERT OR IGNORE INTO room_invites (room_id, user, by, ts)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[SR_INVITE_DEL] = "DELETE FROM room_invites WHERE room_id = ?1 AND user = ?2",
	[SR_MEMBER] = "SELECT count(*) FROM members WHERE room_id = ?1 AND user = ?2",
	[SR_BANNED] = "SELECT count(*) FROM room_bans WHERE room_id = ?1 AND user = ?2",
	[SR_INVITED] = "SELECT count(*) FROM room_invites"
	    " WHERE room_id = ?1 AND user = ?2",
	[SR_ROOMS_BY] = "SELECT count(*) FROM rooms WHERE creator = ?1"
	    " AND substr(name, 1, 1) <> '@'",
	[SR_DOCS_BY] = "SELECT count(*) FROM documents WHERE creator = ?1",
	[SR_DOC_CLAIM] = "UPDATE documents SET creator = ?2"
	    " WHERE id = ?1 AND creator IS NULL",
};

int
sq_rights_open(struct sq_rights *r, sqlite3 *db, char *err, size_t errlen)
{
	return sq_stmts_open(&r->q, db, stmt_sql, r->st, SR_COUNT, err, errlen);
}

/* A statement on (room, user); *changes (may be NULL) gets the rows it
 * touched. */
static int
run_pair(struct sq_stmts *r, enum sq_rights_stmt which, int64_t room_id,
    const char *user, int *changes)
{
	sqlite3_stmt *st = sq_stmts_prep(r, which);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	return sq_stmts_run(r, st, changes);
}

int
sq_room_find(struct store *base, const char *room, int64_t *id, int64_t *head)
{
	struct sq_stmts *r = sq_rights_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SR_ROOM_FIND);
	sqlite3_bind_text(st, 1, room, -1, SQLITE_STATIC);
	*id = *head = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*head = sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE) {
		return sq_stmts_fail(r, st);
	}
	sqlite3_reset(st);
	return 0;
}

static int
read_mods(struct sq_stmts *r, int64_t room_id, struct store_rights *out)
{
	sqlite3_stmt *st = sq_stmts_prep(r, SR_MODS);
	sqlite3_bind_int64(st, 1, room_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->nmoderators == cap) {
			cap = cap ? 2 * cap : 8;
			char **g = realloc(out->moderators, cap * sizeof *g);
			if (g == NULL) {
				snprintf(r->err, r->errlen, "out of memory");
				sqlite3_reset(st);
				return -1;
			}
			out->moderators = g;
		}
		const unsigned char *t = sqlite3_column_text(st, 0);
		out->moderators[out->nmoderators++] = strdup(t ? (const char *)t : "");
	}
	if (rc != SQLITE_DONE)
		return sq_stmts_fail(r, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_room_rights(struct store *base, int64_t room_id, struct store_rights *out)
{
	struct sq_stmts *r = sq_rights_of(base);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = sq_stmts_prep(r, SR_ROOM_GET);
	sqlite3_bind_int64(st, 1, room_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->is_private = sqlite3_column_int(st, 0) != 0;
		const unsigned char *t = sqlite3_column_text(st, 1);
		out->owner = t ? strdup((const char *)t) : NULL;
	} else if (rc != SQLITE_DONE) {
		return sq_stmts_fail(r, st);
	}
	sqlite3_reset(st);
	if (read_mods(r, room_id, out) != 0) {
		store_rights_free(out);
		return -1;
	}
	return 0;
}

int
sq_room_set_private(struct store *base, int64_t room_id, bool on)
{
	struct sq_stmts *r = sq_rights_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SR_SET_PRIVATE);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_int(st, 2, on);
	return sq_stmts_run(r, st, NULL);
}

int
sq_room_moderator_set(struct store *base, int64_t room_id, const char *user,
    bool on, bool *changed)
{
	int n = 0;
	int rc = run_pair(sq_rights_of(base), on ? SR_MOD_ADD : SR_MOD_DEL, room_id,
	    user, &n);
	*changed = n > 0;
	return rc;
}

/* A ban or an invite made (with who and when) or taken back. */
static int
mark_set(struct sq_stmts *r, enum sq_rights_stmt add, enum sq_rights_stmt del,
    int64_t room_id, const char *user, const char *by, int64_t ts, bool on,
    bool *changed)
{
	int n = 0;
	*changed = false;
	if (!on) {
		if (run_pair(r, del, room_id, user, &n) != 0)
			return -1;
		*changed = n > 0;
		return 0;
	}
	sqlite3_stmt *st = sq_stmts_prep(r, add);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, ts);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_stmts_fail(r, st);
	*changed = sqlite3_changes(r->db) > 0;
	sqlite3_reset(st);
	return 0;
}

int
sq_room_ban_set(struct store *base, int64_t room_id, const char *user,
    const char *by, int64_t ts, bool on, bool *changed)
{
	return mark_set(sq_rights_of(base), SR_BAN_ADD, SR_BAN_DEL, room_id, user,
	    by, ts, on, changed);
}

int
sq_room_invite_set(struct store *base, int64_t room_id, const char *user,
    const char *by, int64_t ts, bool on, bool *changed)
{
	return mark_set(sq_rights_of(base), SR_INVITE_ADD, SR_INVITE_DEL, room_id,
	    user, by, ts, on, changed);
}

static int
count_pair(struct sq_stmts *r, enum sq_rights_stmt which, int64_t room_id,
    const char *user, bool *any)
{
	sqlite3_stmt *st = sq_stmts_prep(r, which);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	int64_t n = 0;
	if (sq_stmts_one_int(r, st, &n) != 0)
		return -1;
	*any = n > 0;
	return 0;
}

int
sq_room_access(struct store *base, int64_t room_id, const char *user,
    bool *member, bool *banned, bool *invited)
{
	struct sq_stmts *r = sq_rights_of(base);
	if (count_pair(r, SR_MEMBER, room_id, user, member) != 0 ||
	    count_pair(r, SR_BANNED, room_id, user, banned) != 0)
		return -1;
	return count_pair(r, SR_INVITED, room_id, user, invited);
}

int
sq_user_created(struct store *base, const char *user, int64_t *rooms,
    int64_t *docs)
{
	struct sq_stmts *r = sq_rights_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SR_ROOMS_BY);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	if (sq_stmts_one_int(r, st, rooms) != 0)
		return -1;
	st = sq_stmts_prep(r, SR_DOCS_BY);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	return sq_stmts_one_int(r, st, docs);
}

int
sq_doc_claim(struct store *base, int64_t doc_id, const char *user)
{
	struct sq_stmts *r = sq_rights_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SR_DOC_CLAIM);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	return sq_stmts_run(r, st, NULL);
}
