/*
 * store_sqlite: the single-node store on an embedded SQLite database.
 *
 * WAL journal, so readers never wait for the writer and a commit is one
 * append to the log; prepared statements for every query on the hot path.
 * The schema version lives in PRAGMA user_version and the migrations below
 * run in order, each in its own transaction, on open.
 *
 * A room's head seq is a column of its row, bumped inside the same
 * transaction as the message insert: the seq is gap-free because a rolled
 * back insert rolls the head back with it. A document's head revision works
 * the same way; its operations are stored as their JSON text, and the
 * caller adds a snapshot of the text now and then (doc_snapshot_put) so that
 * rebuilding a revision never replays more than a few operations.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store.h"
#include "server/store_sqlite_check.h"
#include "server/store_sqlite_impl.h"
#include "server/store_sqlite_notify.h"

static const char *const migrations[] = {
	/* 1: rooms, messages, members, users */
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
	"  last_seen INTEGER NOT NULL) WITHOUT ROWID;",

	/* 2: shared documents, their operations and snapshots */
	"CREATE TABLE documents ("
	"  id INTEGER PRIMARY KEY,"
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  name TEXT NOT NULL,"
	"  head INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (room_id, name));"
	"CREATE TABLE doc_ops ("
	"  doc_id INTEGER NOT NULL REFERENCES documents(id),"
	"  rev INTEGER NOT NULL,"
	"  user TEXT NOT NULL,"
	"  cid TEXT NOT NULL,"
	"  op TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  UNIQUE (doc_id, rev),"
	"  UNIQUE (doc_id, user, cid));"
	"CREATE TABLE doc_snapshots ("
	"  doc_id INTEGER NOT NULL REFERENCES documents(id),"
	"  rev INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  UNIQUE (doc_id, rev));",

	/* 3: notifications, rooms' creators (store_sqlite_notify.c) */
	sq_notify_schema,

	/* 4: who has ever joined each room (store_sqlite_notify.c) */
	sq_joiners_schema,

	/* 5: accounts and sign-in tokens (store_sqlite_accounts.c) */
	sq_accounts_schema,

	/* 6: rooms' rights: mode, moderators, bans, invites, creators of
	 * documents (store_sqlite_rights.c) */
	sq_rights_schema,

	/* 7: messages' changes: threads, reactions, edits, deletes and the
	 * rooms' change counter (store_sqlite_msgs.c) */
	sq_msgs_schema,

	/* 8: read marks, topics, the full-text index of messages
	 * (store_sqlite_rooms.c) */
	sq_rooms_schema,

	/* 9: documents' named revisions (store_sqlite_tags.c) */
	sq_tags_schema,

	/* 10: documents' comments and their replies (store_sqlite_comments.c) */
	sq_comments_schema,

	/* 11: documents' suggestions and protected mode
	 * (store_sqlite_suggest.c) */
	sq_suggest_schema,
};

const char *const sq_stmt_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_ROOM_GET] = "SELECT id, head FROM rooms WHERE name = ?1",
	[S_ROOM_ADD] = "INSERT INTO rooms (name, created) VALUES (?1, ?2)",
	[S_MSG_BY_CID] = "SELECT r.name, m.seq, m.id, m.ts, m.text FROM messages m"
	    " JOIN rooms r ON r.id = m.room_id WHERE m.user = ?1 AND m.cid = ?2",
	[S_HEAD_BUMP] = "UPDATE rooms SET head = head + 1 WHERE id = ?1 RETURNING head",
	[S_MSG_ADD] = "INSERT INTO messages (room_id, seq, user, cid, text, ts)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_MSGS_AFTER] = "SELECT " SQ_MSG_COLUMNS " FROM messages"
	    " WHERE room_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4",
	[S_MSGS_BEFORE] = "SELECT " SQ_MSG_COLUMNS " FROM messages"
	    " WHERE room_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
	[S_MEMBER_ADD] = "INSERT OR IGNORE INTO members (room_id, user, joined)"
	    " VALUES (?1, ?2, ?3)",
	[S_MEMBER_DEL] = "DELETE FROM members WHERE room_id = ?1 AND user = ?2",
	[S_MEMBERS] = "SELECT m.user, COALESCE(u.last_seen, 0) FROM members m"
	    " LEFT JOIN users u ON u.name = m.user WHERE m.room_id = ?1 ORDER BY m.user",
	[S_MEMBERS_PAGE] = "SELECT m.user, COALESCE(u.last_seen, 0) FROM members m"
	    " LEFT JOIN users u ON u.name = m.user WHERE m.room_id = ?1 AND m.user > ?2"
	    " ORDER BY m.user LIMIT ?3",
	[S_USER_ROOMS] = "SELECT r.name FROM members m JOIN rooms r ON r.id = m.room_id"
	    " WHERE m.user = ?1 ORDER BY r.name",
	[S_USER_SEEN] = "INSERT INTO users (name, last_seen) VALUES (?1, ?2)"
	    " ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen",
	[S_SAVEPOINT] = "SAVEPOINT one",
	[S_RELEASE] = "RELEASE one",
	[S_ROLLBACK_TO] = "ROLLBACK TO one",
	[S_DOC_GET] = "SELECT id, head FROM documents WHERE room_id = ?1 AND name = ?2",
	[S_DOC_ADD] = "INSERT INTO documents (room_id, name, created) VALUES (?1, ?2, ?3)",
	[S_DOC_BUMP] = "UPDATE documents SET head = ?2 WHERE id = ?1 AND head = ?2 - 1",
	[S_DOC_OP_ADD] = "INSERT INTO doc_ops (doc_id, rev, user, cid, op, ts)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_DOC_OP_BY_CID] = "SELECT rev FROM doc_ops"
	    " WHERE doc_id = ?1 AND user = ?2 AND cid = ?3",
	[S_DOC_OPS_RANGE] = "SELECT rev, ts, user, cid, op FROM doc_ops"
	    " WHERE doc_id = ?1 AND rev > ?2 AND rev <= ?3 ORDER BY rev LIMIT ?4",
	[S_DOC_SNAP_PUT] = "INSERT OR REPLACE INTO doc_snapshots (doc_id, rev, text)"
	    " VALUES (?1, ?2, ?3)",
	[S_DOC_SNAP_GET] = "SELECT rev, text FROM doc_snapshots"
	    " WHERE doc_id = ?1 AND rev <= ?2 ORDER BY rev DESC LIMIT 1",
	[S_DOC_REVS] = "SELECT rev, ts, user, cid FROM doc_ops"
	    " WHERE doc_id = ?1 AND rev < ?2 ORDER BY rev DESC LIMIT ?3",
	[S_ACCOUNT_PUT] = "INSERT INTO accounts (name, hash, created)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET hash = ?2",
	[S_ACCOUNT_GET] = "SELECT hash FROM accounts WHERE name = ?1",
	[S_ACCOUNT_DEL] = "DELETE FROM accounts WHERE name = ?1",
	[S_ACCOUNTS] = "SELECT name FROM accounts ORDER BY name",
	[S_TOKEN_ADD] = "INSERT INTO tokens (hash, user, created, expires)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[S_TOKEN_GET] = "SELECT user, expires FROM tokens WHERE hash = ?1",
	[S_TOKEN_DEL] = "DELETE FROM tokens WHERE hash = ?1",
	[S_TOKENS_DEL_USER] = "DELETE FROM tokens WHERE user = ?1",
};

struct sqlite_store *
sq_impl(struct store *s)
{
	return (struct sqlite_store *)s;
}

struct sq_stmts *
sq_notify_of(struct store *base)
{
	return &sq_impl(base)->notify.q;
}

struct sq_stmts *
sq_rights_of(struct store *base)
{
	return &sq_impl(base)->rights.q;
}

struct sq_stmts *
sq_msgs_of(struct store *base)
{
	return &sq_impl(base)->msgs.q;
}

struct sq_stmts *
sq_rooms_of(struct store *base)
{
	return &sq_impl(base)->rooms.q;
}

struct sq_stmts *
sq_tags_of(struct store *base)
{
	return &sq_impl(base)->tags.q;
}

struct sq_stmts *
sq_comments_of(struct store *base)
{
	return &sq_impl(base)->comments.q;
}

struct sq_stmts *
sq_suggest_of(struct store *base)
{
	return &sq_impl(base)->suggest.q;
}

struct sq_stmts *
sq_doclist_of(struct store *base)
{
	return &sq_impl(base)->doclist.q;
}

int
sq_fail(struct sqlite_store *s, sqlite3_stmt *st)
{
	snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
	if (st != NULL)
		sqlite3_reset(st);
	return -1;
}

/* Fetches a prepared statement, reset and with its bindings cleared. */
sqlite3_stmt *
sq_prep(struct sqlite_store *s, enum stmt which)
{
	return sq_stmts_prep(&s->q, which);
}

int
sq_exec_simple(struct sqlite_store *s, enum stmt which)
{
	sqlite3_stmt *st = sq_prep(s, which);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

static int
sq_begin(struct store *base)
{
	if (sq_exec_simple(sq_impl(base), S_BEGIN) != 0)
		return -1;
	base->in_txn = true;
	return 0;
}

static int
sq_commit(struct store *base)
{
	if (sq_exec_simple(sq_impl(base), S_COMMIT) != 0)
		return -1;
	base->in_txn = false;
	return 0;
}

static void
sq_rollback(struct store *base)
{
	if (base->in_txn)
		sq_exec_simple(sq_impl(base), S_ROLLBACK);
	base->in_txn = false;
}

static int
sq_room_ensure(struct store *base, const char *room, int64_t now, int64_t *id,
    int64_t *head)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_ROOM_GET);
	sqlite3_bind_text(st, 1, room, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*head = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);

	st = sq_prep(s, S_ROOM_ADD);
	sqlite3_bind_text(st, 1, room, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);
	*id = sqlite3_last_insert_rowid(s->db);
	*head = 0;
	return 0;
}

static int
sq_message_append(struct store *base, int64_t room_id, const char *user,
    const char *cid, const char *text, int64_t ts, struct store_msg *out,
    bool *duplicate)
{
	struct sqlite_store *s = sq_impl(base);
	memset(out, 0, sizeof *out);

	sqlite3_stmt *st = sq_prep(s, S_MSG_BY_CID);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*duplicate = true;
		out->room = sq_col_text(st, 0);
		out->seq = sqlite3_column_int64(st, 1);
		out->id = sqlite3_column_int64(st, 2);
		out->ts = sqlite3_column_int64(st, 3);
		out->text = sq_col_text(st, 4);
		out->user = strdup(user);
		out->cid = strdup(cid);
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);
	*duplicate = false;

	st = sq_prep(s, S_HEAD_BUMP);
	sqlite3_bind_int64(st, 1, room_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return sq_fail(s, st);
	int64_t seq = sqlite3_column_int64(st, 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);

	st = sq_prep(s, S_MSG_ADD);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, cid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ts);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);

	out->seq = seq;
	out->id = sqlite3_last_insert_rowid(s->db);
	out->ts = ts;
	out->user = strdup(user);
	out->cid = strdup(cid);
	out->text = strdup(text);
	return 0;
}

static int
sq_messages_after(struct store *base, int64_t room_id, int64_t after,
    int64_t upto, size_t limit, struct store_msgs *out)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_MSGS_AFTER);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, upto);
	sqlite3_bind_int64(st, 4, (int64_t)limit);
	return sq_msgs_list(base, &s->q, st, room_id, limit, out);
}

static int
sq_messages_before(struct store *base, int64_t room_id, int64_t before,
    size_t limit, struct store_msgs *out, bool *more)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_MSGS_BEFORE);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int64(st, 3, (int64_t)limit + 1); /* one more tells `more` */
	return sq_msgs_list_back(base, &s->q, st, room_id, limit, out, more);
}

static int
sq_member_add(struct store *base, int64_t room_id, const char *user,
    int64_t now, bool *added)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_MEMBER_ADD);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, st);
	*added = sqlite3_changes(s->db) > 0;
	sqlite3_reset(st);
	return 0;
}

static int
sq_member_remove(struct store *base, int64_t room_id, const char *user,
    bool *removed)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_MEMBER_DEL);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, st);
	*removed = sqlite3_changes(s->db) > 0;
	sqlite3_reset(st);
	return 0;
}

static int
read_members(struct sqlite_store *s, sqlite3_stmt *st, struct store_member **out,
    size_t *n)
{
	size_t cap = 8;
	*n = 0;
	*out = malloc(cap * sizeof **out);
	int rc = SQLITE_NOMEM;
	while (*out != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct store_member *g = realloc(*out, 2 * cap * sizeof **out);
			if (g == NULL)
				break;
			*out = g;
			cap *= 2;
		}
		(*out)[*n].user = sq_col_text(st, 0);
		(*out)[(*n)++].last_seen = sqlite3_column_int64(st, 1);
	}
	if (*out == NULL || rc != SQLITE_DONE) {
		store_members_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sq_fail(s, st);
	}
	sqlite3_reset(st);
	return 0;
}

static int
sq_members(struct store *base, int64_t room_id, struct store_member **out,
    size_t *n)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_MEMBERS);
	sqlite3_bind_int64(st, 1, room_id);
	return read_members(s, st, out, n);
}

static int
sq_members_page(struct store *base, int64_t room_id, const char *after,
    size_t limit, struct store_member **out, size_t *n)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_MEMBERS_PAGE);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, after ? after : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return read_members(s, st, out, n);
}

static int
sq_user_rooms(struct store *base, const char *user, char ***rooms, size_t *n)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_USER_ROOMS);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	size_t cap = 8;
	*n = 0;
	*rooms = malloc(cap * sizeof **rooms);
	int rc;
	while (*rooms != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			char **g = realloc(*rooms, 2 * cap * sizeof **rooms);
			if (g == NULL)
				break;
			*rooms = g;
			cap *= 2;
		}
		(*rooms)[(*n)++] = sq_col_text(st, 0);
	}
	if (*rooms == NULL || rc != SQLITE_DONE) {
		store_strings_free(*rooms, *n);
		*rooms = NULL;
		*n = 0;
		return sq_fail(s, st);
	}
	sqlite3_reset(st);
	return 0;
}

static int
sq_user_seen(struct store *base, const char *user, int64_t ts)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_USER_SEEN);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ts);
	return sq_stmts_run(&s->q, st, NULL);
}

static const char *
sq_error(struct store *base)
{
	return sq_impl(base)->err;
}

static void
close_stmts(struct sqlite_store *s)
{
	sq_stmts_close(&s->q);
	sq_stmts_close(&s->notify.q);
	sq_stmts_close(&s->rights.q);
	sq_stmts_close(&s->msgs.q);
	sq_stmts_close(&s->rooms.q);
	sq_stmts_close(&s->tags.q);
	sq_stmts_close(&s->comments.q);
	sq_stmts_close(&s->suggest.q);
	sq_stmts_close(&s->doclist.q);
}

static void
sq_close(struct store *base)
{
	struct sqlite_store *s = sq_impl(base);
	sq_rollback(base);
	close_stmts(s);
	sqlite3_close(s->db);
	free(s);
}

static void
sq_check_op(struct store *base, bool integrity, struct store_check *out)
{
	sq_check(sq_impl(base)->db, integrity, out);
}

static const struct store_ops sqlite_ops = {
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.room_ensure = sq_room_ensure,
	.message_append = sq_message_append,
	.messages_after = sq_messages_after,
	.messages_before = sq_messages_before,
	.member_add = sq_member_add,
	.member_remove = sq_member_remove,
	.members = sq_members,
	.members_page = sq_members_page,
	.user_rooms = sq_user_rooms,
	.user_seen = sq_user_seen,
	.doc_find = sq_doc_find,
	.doc_ensure = sq_doc_ensure,
	.doc_op_append = sq_doc_op_append,
	.doc_op_by_cid = sq_doc_op_by_cid,
	.doc_ops_range = sq_doc_ops_range,
	.doc_snapshot_put = sq_doc_snapshot_put,
	.doc_snapshot_at_or_before = sq_doc_snapshot_at_or_before,
	.doc_revisions = sq_doc_revisions,
	.doc_tag_set = sq_doc_tag_set,
	.doc_tags = sq_doc_tags,
	.comment_add = sq_comment_add,
	.comment_reply = sq_comment_reply,
	.comment_resolve = sq_comment_resolve,
	.comment_edit = sq_comment_edit,
	.comment_anchor = sq_comment_anchor,
	.comment_delete = sq_comment_delete,
	.comments_of = sq_comments_list,
	.suggestion_add = sq_suggestion_add,
	.suggestion_by_cid = sq_suggestion_by_cid,
	.suggestion_move = sq_suggestion_move,
	.suggestion_close = sq_suggestion_close,
	.suggestions_open = sq_suggestions_open,
	.doc_mode_get = sq_doc_mode_get,
	.doc_mode_set = sq_doc_mode_set,
	.docs_page = sq_docs_page,
	.room_creator = sq_room_creator,
	.room_first_join = sq_room_first_join,
	.user_known = sq_user_known,
	.account_put = sq_account_put,
	.account_get = sq_account_get,
	.account_del = sq_account_del,
	.accounts = sq_accounts,
	.token_add = sq_token_add,
	.token_get = sq_token_get,
	.token_del = sq_token_del,
	.tokens_del_user = sq_tokens_del_user,
	.notif_add = sq_notif_add,
	.notif_last_id = sq_notif_last_id,
	.notif_before = sq_notif_before,
	.notif_unread = sq_notif_unread,
	.notif_mark_read = sq_notif_mark_read,
	.notif_mark_all_read = sq_notif_mark_all_read,
	.room_find = sq_room_find,
	.room_rights = sq_room_rights,
	.room_set_private = sq_room_set_private,
	.room_moderator_set = sq_room_moderator_set,
	.room_ban_set = sq_room_ban_set,
	.room_invite_set = sq_room_invite_set,
	.room_access = sq_room_access,
	.user_created = sq_user_created,
	.doc_claim = sq_doc_claim,
	.room_rev = sq_room_rev,
	.message_get = sq_message_get,
	.message_thread_set = sq_message_thread_set,
	.change_by_cid = sq_change_by_cid,
	.reaction_set = sq_reaction_set,
	.message_edit = sq_message_edit,
	.message_delete = sq_message_delete,
	.changes_after = sq_changes_after,
	.thread_before = sq_thread_before,
	.thread_page = sq_thread_page,
	.thread_after = sq_thread_after,
	.read_mark_set = sq_read_mark_set,
	.read_mark_get = sq_read_mark_get,
	.read_marks = sq_read_marks,
	.unread_count = sq_unread_count,
	.topic_set = sq_topic_set,
	.topic_get = sq_topic_get,
	.rooms_directory = sq_rooms_directory,
	.search = sq_search,
	.check = sq_check_op,
	.error = sq_error,
	.close = sq_close,
};

static int
migrate(struct sqlite_store *s)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, NULL);
	int version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);

	int latest = (int)(sizeof migrations / sizeof *migrations);
	if (version > latest) {
		snprintf(s->err, sizeof s->err,
		    "database schema version %d is newer than this confabd (%d)",
		    version, latest);
		return -1;
	}
	for (int v = version; v < latest; v++) {
		char pragma[48];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			sq_fail(s, NULL);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return sq_fail(s, NULL);
	}
	return 0;
}

struct store *
store_sqlite_open(const char *path, bool sync_full, char *err, size_t errlen)
{
	struct sqlite_store *s = calloc(1, sizeof *s);
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(s->db));
		goto bad;
	}
	sqlite3_busy_timeout(s->db, 5000);
	char pragmas[160];
	snprintf(pragmas, sizeof pragmas,
	    "PRAGMA journal_mode = WAL; PRAGMA synchronous = %s;"
	    " PRAGMA foreign_keys = ON;", sync_full ? "FULL" : "NORMAL");
	if (sqlite3_exec(s->db, pragmas, NULL, NULL, NULL) != SQLITE_OK ||
	    migrate(s) != 0) {
		snprintf(err, errlen, "%s: %s", path,
		    s->err[0] ? s->err : sqlite3_errmsg(s->db));
		goto bad;
	}
	if (sq_stmts_open(&s->q, s->db, sq_stmt_sql, s->st, S_COUNT, s->err,
	    sizeof s->err) != 0 ||
	    sq_notify_open(&s->notify, s->db, s->err, sizeof s->err) != 0 ||
	    sq_rights_open(&s->rights, s->db, s->err, sizeof s->err) != 0 ||
	    sq_msgs_open(&s->msgs, s->db, s->err, sizeof s->err) != 0 ||
	    sq_rooms_open(&s->rooms, s->db, s->err, sizeof s->err) != 0 ||
	    sq_tags_open(&s->tags, s->db, s->err, sizeof s->err) != 0 ||
	    sq_comments_open(&s->comments, s->db, s->err, sizeof s->err) != 0 ||
	    sq_suggest_open(&s->suggest, s->db, s->err, sizeof s->err) != 0 ||
	    sq_doclist_open(&s->doclist, s->db, s->err, sizeof s->err) != 0) {
		snprintf(err, errlen, "%s: %s", path, s->err);
		goto bad;
	}
	return &s->base;
bad:
	close_stmts(s);
	sqlite3_close(s->db);
	free(s);
	return NULL;
}
