/*
 * store_sqlite_tags: documents' named revisions in the SQLite store (see
 * store_sqlite_tags.h). A name is unique in its document: naming another
 * revision with it moves it there (the upsert), keeping no trace of where
 * it was.
 */
#include <stdio.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_tags.h"

const char sq_tags_schema[] =
	"CREATE TABLE IF NOT EXISTS doc_tags ("
	"  doc_id INTEGER NOT NULL REFERENCES documents(id),"
	"  name TEXT NOT NULL,"
	"  rev INTEGER NOT NULL,"
	"  user TEXT NOT NULL,"
	"  ts INTEGER NOT NULL,"
	"  PRIMARY KEY (doc_id, name)) WITHOUT ROWID;";

static const char *const stmt_sql[SQT_COUNT] = {
	[SQT_SET] = "INSERT INTO doc_tags (doc_id, name, rev, user, ts)"
	    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (doc_id, name)"
	    " DO UPDATE SET rev = ?3, user = ?4, ts = ?5",
	[SQT_LIST] = "SELECT name, rev, user, ts FROM doc_tags WHERE doc_id = ?1"
	    " ORDER BY rev, name",
};

int
sq_tags_open(struct sq_tags *t, sqlite3 *db, char *err, size_t errlen)
{
	return sq_stmts_open(&t->q, db, stmt_sql, t->st, SQT_COUNT, err, errlen);
}

int
sq_doc_tag_set(struct store *base, int64_t doc_id, const char *name,
    int64_t rev, const char *user, int64_t ts)
{
	struct sq_stmts *t = sq_tags_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQT_SET);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, rev);
	sqlite3_bind_text(st, 4, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, ts);
	return sq_stmts_run(t, st, NULL);
}

int
sq_doc_tags(struct store *base, int64_t doc_id, struct store_doc_tag **out,
    size_t *n)
{
	struct sq_stmts *t = sq_tags_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQT_LIST);
	sqlite3_bind_int64(st, 1, doc_id);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = xreallocarray(*out, cap = cap ? cap * 2 : 8, sizeof **out);
		(*out)[(*n)++] = (struct store_doc_tag){sq_col_text(st, 0),
		    sq_col_text(st, 2), sqlite3_column_int64(st, 1),
		    sqlite3_column_int64(st, 3)};
	}
	if (rc != SQLITE_DONE) {
		store_doc_tags_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sq_stmts_fail(t, st);
	}
	sqlite3_reset(st);
	return 0;
}
