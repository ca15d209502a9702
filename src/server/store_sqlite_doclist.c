/*
 * store_sqlite_doclist: a room's documents by name, with each head's
 * revision, time and author (see store_sqlite_doclist.h). A document never
 * edited (head 0) has no operation: its time is 0 and its author NULL.
 */
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_doclist.h"

static const char *const stmt_sql[SQD_COUNT] = {
	[SQD_PAGE] = "SELECT d.name, d.head, o.ts, o.user FROM documents d"
	    " LEFT JOIN doc_ops o ON o.doc_id = d.id AND o.rev = d.head"
	    " WHERE d.room_id = ?1 AND d.name > ?2 ORDER BY d.name LIMIT ?3",
};

int
sq_doclist_open(struct sq_doclist *t, sqlite3 *db, char *err, size_t errlen)
{
	return sq_stmts_open(&t->q, db, stmt_sql, t->st, SQD_COUNT, err, errlen);
}

int
sq_docs_page(struct store *base, int64_t room_id, const char *after,
    size_t limit, struct store_doc_info **out, size_t *n)
{
	struct sq_stmts *t = sq_doclist_of(base);
	sqlite3_stmt *st = sq_stmts_prep(t, SQD_PAGE);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, after ? after : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	*out = xcalloc(limit ? limit : 1, sizeof **out);
	*n = 0;
	int rc;
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		(*out)[(*n)++] = (struct store_doc_info){sq_col_text(st, 0),
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
		    sq_col_text_or_null(st, 3)};
	if (*n < limit && rc != SQLITE_DONE) {
		store_doc_infos_free(*out, *n);
		*out = NULL;
		*n = 0;
		return sq_stmts_fail(t, st);
	}
	sqlite3_reset(st);
	return 0;
}
