/*
 * store_sqlite_doclist: a room's documents, a page at a time (DOC_LIST),
 * in the SQLite store, kept beside store_sqlite.c, which owns the
 * connection and puts these functions in its ops table. No table of its
 * own: the documents and their operations are migration 2's (documents'
 * UNIQUE (room_id, name) orders the page, doc_ops' UNIQUE (doc_id, rev)
 * finds each head's author). Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_DOCLIST_H
#define CONFAB_STORE_SQLITE_DOCLIST_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_stmts.h"

enum sq_doclist_stmt {
	SQD_PAGE,
	SQD_COUNT
};

struct sq_doclist {
	struct sq_stmts q;
	sqlite3_stmt *st[SQD_COUNT];
};

/* Prepares the statements (after the migrations); -1 with err set. Closed
 * with sq_stmts_close(&t->q). */
int sq_doclist_open(struct sq_doclist *t, sqlite3 *db, char *err, size_t errlen);

/* store_sqlite.c: the document list part of a SQLite store. */
struct sq_stmts *sq_doclist_of(struct store *base);

/* The op of store.h. */
int sq_docs_page(struct store *base, int64_t room_id, const char *after,
    size_t limit, struct store_doc_info **out, size_t *n);

#endif
