/*
 * store_sqlite_comments: documents' comments in the SQLite store (see
 * store_sqlite_comments.h). A comment's anchor is stored with the
 * revision it is at; the server moves it on through the stored operations
 * after that revision when it loads the document (docs_comments.c), so an
 * anchor written late is never wrong, only older.
 */
#include <stdio.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_comments.h"

const char sq_comments_schema[] =
	"CREATE TABLE IF NOT EXISTS doc_comments ("
	"  id INTEGER PRIMARY KEY,"
	"  doc_id INTEGER NOT NULL REFERENCES documents(id),"
	"  user TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  edited_ts INTEGER NOT NULL DEFAULT 0,"
	"  text TEXT NOT NULL,"
	"  rev INTEGER NOT NULL,"
	"  start INTEGER NOT NULL,"
	"  stop INTEGER NOT NULL,"
	"  removed INTEGER NOT NULL DEFAULT 0,"
	"  resolved_by TEXT);"
	"CREATE INDEX IF NOT EXISTS doc_comments_doc ON doc_comments(doc_id, id);"
	"CREATE TABLE IF NOT EXISTS doc_comment_replies ("
	"  id INTEGER PRIMARY KEY,"
	"  comment_id INTEGER NOT NULL REFERENCES doc_comments(id),"
	"  user TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  text TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS doc_comment_replies_of"
	"  ON doc_comment_replies(comment_id, id);";

static const char *const stmt_sql[SQC_COUNT] = {
	[SQC_ADD] = "INSERT INTO doc_comments (doc_id, user, ts, text, rev, start,"
	    " stop, removed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[SQC_REPLY] = "INSERT INTO doc_comment_replies (comment_id, user, ts, text)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[SQC_RESOLVE] = "UPDATE doc_comments SET resolved_by = ?2 WHERE id = ?1",
	[SQC_EDIT] = "UPDATE doc_comments SET text = ?2, edited_ts = ?3 WHERE id = ?1",
	[SQC_ANCHOR] = "UPDATE doc_comments SET rev = ?2, start = ?3, stop = ?4,"
	    " removed = ?5 WHERE id = ?1",
	[SQC_DEL_REPLIES] = "DELETE FROM doc_comment_replies WHERE comment_id = ?1",
	[SQC_DEL] = "DELETE FROM doc_comments WHERE id = ?1",
	[SQC_LIST] = "SELECT id, user, ts, edited_ts, text, rev, start, stop,"
	    " removed, resolved_by FROM doc_comments WHERE doc_id = ?1 ORDER BY id",
	[SQC_REPLIES] = "SELECT r.comment_id, r.id, r.user, r.ts, r.text"
	    " FROM doc_comment_replies r JOIN doc_comments c ON c.id = r.comment_id"
	    " WHERE c.doc_id = ?1 ORDER BY r.comment_id, r.id",
};

int
sq_comments_open(struct sq_comments *c, sqlite3 *db, char *err, size_t errlen)
{
	return sq_stmts_open(&c->q, db, stmt_sql, c->st, SQC_COUNT, err, errlen);
}

int
sq_comment_add(struct store *base, int64_t doc_id, const struct store_comment *c,
    int64_t *id)
{
	struct sq_stmts *q = sq_comments_of(base);
	sqlite3_stmt *st = sq_stmts_prep(q, SQC_ADD);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, c->user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->ts);
	sqlite3_bind_text(st, 4, c->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, c->rev);
	sqlite3_bind_int64(st, 6, c->start);
	sqlite3_bind_int64(st, 7, c->end);
	sqlite3_bind_int(st, 8, c->removed);
	if (sq_stmts_run(q, st, NULL) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(q->db);
	return 0;
}

int
sq_comment_reply(struct store *base, int64_t comment_id, const char *user,
    int64_t ts, const char *text, int64_t *id)
{
	struct sq_stmts *q = sq_comments_of(base);
	sqlite3_stmt *st = sq_stmts_prep(q, SQC_REPLY);
	sqlite3_bind_int64(st, 1, comment_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ts);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	if (sq_stmts_run(q, st, NULL) != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(q->db);
	return 0;
}

int
sq_comment_resolve(struct store *base, int64_t comment_id, const char *by)
{
	struct sq_stmts *q = sq_comments_of(base);
	sqlite3_stmt *st = sq_stmts_prep(q, SQC_RESOLVE);
	sqlite3_bind_int64(st, 1, comment_id);
	if (by != NULL)
		sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	return sq_stmts_run(q, st, NULL);
}

int
sq_comment_edit(struct store *base, int64_t comment_id, const char *text,
    int64_t ts)
{
	struct sq_stmts *q = sq_comments_of(base);
	sqlite3_stmt *st = sq_stmts_prep(q, SQC_EDIT);
	sqlite3_bind_int64(st, 1, comment_id);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ts);
	return sq_stmts_run(q, st, NULL);
}

int
sq_comment_anchor(struct store *base, int64_t comment_id, int64_t rev,
    int64_t start, int64_t end, bool removed)
{
	struct sq_stmts *q = sq_comments_of(base);
	sqlite3_stmt *st = sq_stmts_prep(q, SQC_ANCHOR);
	sqlite3_bind_int64(st, 1, comment_id);
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_int64(st, 3, start);
	sqlite3_bind_int64(st, 4, end);
	sqlite3_bind_int(st, 5, removed);
	return sq_stmts_run(q, st, NULL);
}

int
sq_comment_delete(struct store *base, int64_t comment_id)
{
	struct sq_stmts *q = sq_comments_of(base);
	sqlite3_stmt *st = sq_stmts_prep(q, SQC_DEL_REPLIES);
	sqlite3_bind_int64(st, 1, comment_id);
	if (sq_stmts_run(q, st, NULL) != 0)
		return -1;
	st = sq_stmts_prep(q, SQC_DEL);
	sqlite3_bind_int64(st, 1, comment_id);
	return sq_stmts_run(q, st, NULL);
}

/* Hangs every reply of the document on its comment (both lists by id). */
static int
list_replies(struct sq_stmts *q, int64_t doc_id, struct store_comment *v,
    size_t n)
{
	sqlite3_stmt *st = sq_stmts_prep(q, SQC_REPLIES);
	sqlite3_bind_int64(st, 1, doc_id);
	size_t at = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);
		while (at < n && v[at].id < cid) {
			at++;
			cap = 0;
		}
		if (at == n || v[at].id != cid)
			continue;
		struct store_comment *c = &v[at];
		if (c->nreplies == cap)
			c->replies = xreallocarray(c->replies, cap = cap ? cap * 2 : 4,
			    sizeof *c->replies);
		c->replies[c->nreplies++] = (struct store_comment_reply){
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 3),
		    sq_col_text(st, 2), sq_col_text(st, 4)};
	}
	if (rc != SQLITE_DONE)
		return sq_stmts_fail(q, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_comments_list(struct store *base, int64_t doc_id, struct store_comment **out,
    size_t *n)
{
	struct sq_stmts *q = sq_comments_of(base);
	sqlite3_stmt *st = sq_stmts_prep(q, SQC_LIST);
	sqlite3_bind_int64(st, 1, doc_id);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = xreallocarray(*out, cap = cap ? cap * 2 : 8, sizeof **out);
		(*out)[(*n)++] = (struct store_comment){
		    .id = sqlite3_column_int64(st, 0), .user = sq_col_text(st, 1),
		    .ts = sqlite3_column_int64(st, 2),
		    .edited_ts = sqlite3_column_int64(st, 3),
		    .text = sq_col_text(st, 4), .rev = sqlite3_column_int64(st, 5),
		    .start = sqlite3_column_int64(st, 6),
		    .end = sqlite3_column_int64(st, 7),
		    .removed = sqlite3_column_int(st, 8) != 0,
		    .resolved_by = sq_col_text_or_null(st, 9)};
	}
	if (rc != SQLITE_DONE) {
		sq_stmts_fail(q, st);
		goto bad;
	}
	sqlite3_reset(st);
	if (list_replies(q, doc_id, *out, *n) != 0)
		goto bad;
	return 0;
bad:
	store_comments_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}
