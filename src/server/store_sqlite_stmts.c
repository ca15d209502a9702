/*
 * store_sqlite_stmts: a set of prepared statements (see
 * store_sqlite_stmts.h).
 */
#include <stdio.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_stmts.h"

int
sq_stmts_open(struct sq_stmts *q, sqlite3 *db, const char *const *sql,
    sqlite3_stmt **st, int n, char *err, size_t errlen)
{
	*q = (struct sq_stmts){ .db = db, .err = err, .errlen = errlen, .st = st,
	    .n = n };
	for (int i = 0; i < n; i++) {
		if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &st[i], NULL) != SQLITE_OK)
			return sq_stmts_fail(q, NULL);
	}
	return 0;
}

void
sq_stmts_close(struct sq_stmts *q)
{
	for (int i = 0; i < q->n; i++) {
		sqlite3_finalize(q->st[i]);
		q->st[i] = NULL;
	}
}

int
sq_stmts_fail(struct sq_stmts *q, sqlite3_stmt *st)
{
	snprintf(q->err, q->errlen, "%s", sqlite3_errmsg(q->db));
	if (st != NULL)
		sqlite3_reset(st);
	return -1;
}

sqlite3_stmt *
sq_stmts_prep(struct sq_stmts *q, int which)
{
	sqlite3_stmt *st = q->st[which];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

int
sq_stmts_run(struct sq_stmts *q, sqlite3_stmt *st, int *changes)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_stmts_fail(q, st);
	if (changes != NULL)
		*changes = sqlite3_changes(q->db);
	sqlite3_reset(st);
	return 0;
}

int
sq_stmts_one_int(struct sq_stmts *q, sqlite3_stmt *st, int64_t *out)
{
	if (sqlite3_step(st) != SQLITE_ROW)
		return sq_stmts_fail(q, st);
	*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

char *
sq_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return xstrdup(t ? (const char *)t : "");
}

char *
sq_col_text_or_null(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}
