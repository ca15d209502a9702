/*
 * store_sqlite_suggest: documents' suggestions and protected mode in the
 * SQLite store (see store_sqlite_suggest.h).
 *
 * A suggestion's row holds its op at the revision `rev` it was last moved
 * to; the server moves every open one in the transaction of each op it
 * applies, so that rev is the document's committed head for every open
 * row. A closed row stays (state accepted, rejected or dropped, who closed
 * it and at what revision): a late DOC_SUGGEST with the same (user, cid)
 * is recognised, and the history can tell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_suggest.h"

const char sq_suggest_schema[] =
	"CREATE TABLE IF NOT EXISTS doc_suggestions ("
	"  id INTEGER PRIMARY KEY,"
	"  doc_id INTEGER NOT NULL REFERENCES documents(id),"
	"  user TEXT NOT NULL,"
	"  cid TEXT NOT NULL,"
	"  rev INTEGER NOT NULL,"
	"  op TEXT NOT NULL,"
	"  deletes INTEGER NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open',"
	"  closed_by TEXT,"
	"  closed_rev INTEGER,"
	"  UNIQUE (doc_id, user, cid));"
	"CREATE INDEX IF NOT EXISTS doc_suggestions_open"
	"  ON doc_suggestions (doc_id) WHERE state = 'open';"
	"CREATE TABLE IF NOT EXISTS doc_modes ("
	"  doc_id INTEGER PRIMARY KEY REFERENCES documents(id),"
	"  protected INTEGER NOT NULL);";

static const char *const stmt_sql[SQG_COUNT] = {
	[SQG_ADD] = "INSERT INTO doc_suggestions (doc_id, user, cid, rev, op,"
	    " deletes, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[SQG_BY_CID] = "SELECT id FROM doc_suggestions WHERE doc_id = ?1"
	    " AND user = ?2 AND cid = ?3",
	[SQG_MOVE] = "UPDATE doc_suggestions SET rev = ?2, op = ?3 WHERE id = ?1",
	[SQG_CLOSE] = "UPDATE doc_suggestions SET state = ?2, closed_by = ?3,"
	    " closed_rev = ?4 WHERE id = ?1 AND state = 'open'",
	[SQG_OPEN] = "SELECT id, user, cid, rev, op, deletes, ts FROM doc_suggestions"
	    " WHERE doc_id = ?1 AND state = 'open' ORDER BY id",
	[SQG_MODE_GET] = "SELECT protected FROM doc_modes WHERE doc_id = ?1",
	[SQG_MODE_SET] = "INSERT INTO doc_modes (doc_id, protected) VALUES (?1, ?2)"
	    " ON CONFLICT (doc_id) DO UPDATE SET protected = ?2",
};

int
sq_suggest_open(struct sq_suggest *t, sqlite3 *db, char *err, size_t errlen)
{
	return sq_stmts_open(&t->q, db, stmt_sql, t->st, SQG_COUNT, err, errlen);
}

int
sq_suggestion_add(struct store *base, int64_t doc_id,
    const struct store_suggestion *s, int64_t *id)
{
	struct sq_stmts *t = sq_suggest_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQG_ADD);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, s->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->cid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, s->rev);
	sqlite3_bind_text(st, 5, s->op, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, s->deletes ? 1 : 0);
	sqlite3_bind_int64(st, 7, s->ts);
	if (sq_stmts_run(t, st, NULL) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(t->db);
	return 0;
}

int
sq_suggestion_by_cid(struct store *base, int64_t doc_id, const char *user,
    const char *cid, int64_t *id)
{
	struct sq_stmts *t = sq_suggest_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQG_BY_CID);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_stmts_fail(t, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_suggestion_move(struct store *base, int64_t id, int64_t rev, const char *op)
{
	struct sq_stmts *t = sq_suggest_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQG_MOVE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_text(st, 3, op, -1, SQLITE_STATIC);
	return sq_stmts_run(t, st, NULL);
}

int
sq_suggestion_close(struct store *base, int64_t id, const char *state,
    const char *by, int64_t rev)
{
	struct sq_stmts *t = sq_suggest_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQG_CLOSE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	if (by != NULL)
		sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, rev);
	return sq_stmts_run(t, st, NULL);
}

int
sq_suggestions_open(struct store *base, int64_t doc_id,
    struct store_suggestion **out, size_t *n)
{
	struct sq_stmts *t = sq_suggest_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQG_OPEN);
	sqlite3_bind_int64(st, 1, doc_id);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = xreallocarray(*out, cap = cap ? cap * 2 : 8, sizeof **out);
		(*out)[(*n)++] = (struct store_suggestion){sqlite3_column_int64(st, 0),
		    sq_col_text(st, 1), sq_col_text(st, 2), sqlite3_column_int64(st, 3),
		    sq_col_text(st, 4), sqlite3_column_int(st, 5) != 0,
		    sqlite3_column_int64(st, 6)};
	}
	if (rc != SQLITE_DONE) {
		store_suggestions_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sq_stmts_fail(t, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_doc_mode_get(struct store *base, int64_t doc_id, bool *protect)
{
	struct sq_stmts *t = sq_suggest_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQG_MODE_GET);
	sqlite3_bind_int64(st, 1, doc_id);
	int rc = sqlite3_step(st);
	*protect = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_stmts_fail(t, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_doc_mode_set(struct store *base, int64_t doc_id, bool protect)
{
	struct sq_stmts *t = sq_suggest_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQG_MODE_SET);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int(st, 2, protect ? 1 : 0);
	return sq_stmts_run(t, st, NULL);
}
