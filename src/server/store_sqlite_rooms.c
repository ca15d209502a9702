/*
 * store_sqlite_rooms: read marks, topics, the directory and search in the
 * SQLite store (see store_sqlite_rooms.h).
 *
 * The full-text index is an FTS5 table with external content: it holds
 * only the index, and reads a hit's text (for its snippet) from messages by
 * rowid. Triggers keep it in the transaction of each change of messages:
 * an insert is indexed, and an UPDATE of text (an edit, or a tombstone,
 * whose text is '') takes the old text out and puts the new one in, so a
 * tombstone is never found again. The migration builds the index of the
 * messages already stored ('rebuild'). Prefixes of 2 and 3 characters
 * have an index of their own: the last word of a search is a prefix
 * (model/searchq.h), and without one a short prefix merges the lists of
 * every word it starts (3x the time at the 90th percentile on a million
 * messages, bench/search) for about a quarter of the insert rate. The
 * migration may run again on a database that has it (one whose version
 * was set back by hand): IF NOT EXISTS.
 *
 * A read mark only moves forward: the upsert keeps the larger seq, so two
 * sessions racing cannot take it back.
 */
#include <stdio.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_rooms.h"

const char sq_rooms_schema[] =
	"CREATE TABLE IF NOT EXISTS read_marks ("
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  user TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, user)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS room_topics ("
	"  room_id INTEGER PRIMARY KEY REFERENCES rooms(id),"
	"  text TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  ts INTEGER NOT NULL);"
	"CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(text, content = 'messages',"
	"  content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
	"CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN"
	"  INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);"
	" END;"
	"CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN"
	"  INSERT INTO messages_fts (messages_fts, rowid, text)"
	"    VALUES ('delete', old.id, old.text);"
	" END;"
	"CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF text ON messages BEGIN"
	"  INSERT INTO messages_fts (messages_fts, rowid, text)"
	"    VALUES ('delete', old.id, old.text);"
	"  INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);"
	" END;"
	"INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');";

#define HIT_COLUMNS \
	"SELECT m.id, r.name, m.seq, m.user, m.ts," \
	" snippet(messages_fts, 0, char(1), char(2), '…', 16)" \
	" FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid" \
	" JOIN rooms r ON r.id = m.room_id" \
	" WHERE messages_fts MATCH ?1 AND messages_fts.rowid < ?4 AND m.text <> ''"

static const char *const stmt_sql[SQR_COUNT] = {
	[SQR_MARK_SET] = "INSERT INTO read_marks (room_id, user, seq)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (room_id, user)"
	    " DO UPDATE SET seq = max(seq, excluded.seq) RETURNING seq",
	[SQR_MARK_GET] = "SELECT seq FROM read_marks WHERE room_id = ?1 AND user = ?2",
	[SQR_MARKS] = "SELECT k.user, k.seq FROM read_marks k JOIN members m"
	    " ON m.room_id = k.room_id AND m.user = k.user"
	    " WHERE k.room_id = ?1 AND k.seq > 0 ORDER BY k.user",
	[SQR_UNREAD] = "SELECT count(*) FROM (SELECT 1 FROM messages"
	    " WHERE room_id = ?1 AND seq > ?2 AND seq <= ?3 AND user <> ?4"
	    " AND text <> '' LIMIT ?5)",
	[SQR_TOPIC_SET] = "INSERT INTO room_topics (room_id, text, by, ts)"
	    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (room_id)"
	    " DO UPDATE SET text = ?2, by = ?3, ts = ?4",
	[SQR_TOPIC_GET] = "SELECT text, by, ts FROM room_topics WHERE room_id = ?1",
	[SQR_DIRECTORY] = "SELECT r.name, COALESCE(t.text, ''),"
	    " (SELECT count(*) FROM members m WHERE m.room_id = r.id)"
	    " FROM rooms r LEFT JOIN room_topics t ON t.room_id = r.id"
	    " WHERE r.private = 0 AND substr(r.name, 1, 1) <> '@' AND r.name > ?1"
	    " AND (?2 = '' OR instr(r.name, lower(?2)) > 0"
	    "  OR instr(lower(COALESCE(t.text, '')), lower(?2)) > 0)"
	    " ORDER BY r.name LIMIT ?3",
	[SQR_SEARCH] = HIT_COLUMNS
	    " AND m.room_id IN (SELECT room_id FROM members WHERE user = ?2)"
	    " ORDER BY messages_fts.rowid DESC LIMIT ?5",
	[SQR_SEARCH_ROOM] = HIT_COLUMNS
	    " AND m.room_id = ?3 AND EXISTS (SELECT 1 FROM members"
	    "  WHERE room_id = ?3 AND user = ?2)"
	    " ORDER BY messages_fts.rowid DESC LIMIT ?5",
};

int
sq_rooms_open(struct sq_rooms *r, sqlite3 *db, char *err, size_t errlen)
{
	return sq_stmts_open(&r->q, db, stmt_sql, r->st, SQR_COUNT, err, errlen);
}

int
sq_read_mark_set(struct store *base, int64_t room_id, const char *user,
    int64_t seq, int64_t *mark)
{
	struct sq_stmts *r = sq_rooms_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SQR_MARK_SET);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	if (sqlite3_step(st) != SQLITE_ROW)
		return sq_stmts_fail(r, st);
	*mark = sqlite3_column_int64(st, 0);
	return sq_stmts_run(r, st, NULL);
}

int
sq_read_mark_get(struct store *base, int64_t room_id, const char *user,
    int64_t *mark)
{
	struct sq_stmts *r = sq_rooms_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SQR_MARK_GET);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	*mark = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*mark = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return sq_stmts_fail(r, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_read_marks(struct store *base, int64_t room_id, struct store_receipt **out,
    size_t *n)
{
	struct sq_stmts *r = sq_rooms_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SQR_MARKS);
	sqlite3_bind_int64(st, 1, room_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(out, &cap, *n + 1, sizeof **out);
		(*out)[*n].user = sq_col_text(st, 0);
		(*out)[(*n)++].seq = sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE) {
		store_receipts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sq_stmts_fail(r, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_unread_count(struct store *base, int64_t room_id, const char *user,
    int64_t after, int64_t upto, int64_t cap, int64_t *count)
{
	struct sq_stmts *r = sq_rooms_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SQR_UNREAD);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, upto);
	sqlite3_bind_text(st, 4, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, cap);
	if (sqlite3_step(st) != SQLITE_ROW)
		return sq_stmts_fail(r, st);
	*count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
sq_topic_set(struct store *base, int64_t room_id, const char *text,
    const char *by, int64_t ts)
{
	struct sq_stmts *r = sq_rooms_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SQR_TOPIC_SET);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, ts);
	return sq_stmts_run(r, st, NULL);
}

int
sq_topic_get(struct store *base, int64_t room_id, char **text, char **by,
    int64_t *ts)
{
	struct sq_stmts *r = sq_rooms_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SQR_TOPIC_GET);
	sqlite3_bind_int64(st, 1, room_id);
	*by = NULL;
	*ts = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*text = sq_col_text(st, 0);
		*by = sq_col_text(st, 1);
		*ts = sqlite3_column_int64(st, 2);
	} else if (rc == SQLITE_DONE) {
		*text = xstrdup("");
	} else {
		*text = NULL;
		return sq_stmts_fail(r, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_rooms_directory(struct store *base, const char *query, const char *after,
    size_t limit, struct store_room_info **out, size_t *n, bool *more)
{
	struct sq_stmts *r = sq_rooms_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, SQR_DIRECTORY);
	sqlite3_bind_text(st, 1, after ? after : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, query ? query : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)limit + 1); /* one more tells `more` */
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	*more = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == limit) {
			*more = true;
			continue;
		}
		xgrow(out, &cap, *n + 1, sizeof **out);
		struct store_room_info *ri = &(*out)[(*n)++];
		ri->room = sq_col_text(st, 0);
		ri->topic = sq_col_text(st, 1);
		ri->members = sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_DONE) {
		store_room_infos_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sq_stmts_fail(r, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_search(struct store *base, const char *user, int64_t room_id,
    const char *match, int64_t before, size_t limit, struct store_hits *out,
    bool *more)
{
	struct sq_stmts *r = sq_rooms_of(base);
	sqlite3_stmt *st = sq_stmts_prep(r, room_id != 0 ? SQR_SEARCH_ROOM : SQR_SEARCH);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	if (room_id != 0)
		sqlite3_bind_int64(st, 3, room_id);
	sqlite3_bind_int64(st, 4, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int64(st, 5, (int64_t)limit + 1);
	size_t cap = 0;
	int rc;
	out->v = NULL;
	out->n = 0;
	*more = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n == limit) {
			*more = true;
			continue;
		}
		xgrow(&out->v, &cap, out->n + 1, sizeof *out->v);
		struct store_hit *h = &out->v[out->n++];
		h->id = sqlite3_column_int64(st, 0);
		h->room = sq_col_text(st, 1);
		h->seq = sqlite3_column_int64(st, 2);
		h->user = sq_col_text(st, 3);
		h->ts = sqlite3_column_int64(st, 4);
		h->snippet = sq_col_text(st, 5);
	}
	if (rc != SQLITE_DONE) {
		store_hits_free(out);
		return sq_stmts_fail(r, st);
	}
	sqlite3_reset(st);
	return 0;
}
