/*
 * store_sqlite_tags: documents' named revisions (/doc tag) in the SQLite
 * store, kept beside store_sqlite.c, which owns the connection, runs the
 * migrations (this file's schema is migration 9) and puts these functions
 * in its ops table. Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_TAGS_H
#define CONFAB_STORE_SQLITE_TAGS_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_stmts.h"

enum sq_tags_stmt {
	SQT_SET, SQT_LIST,
	SQT_COUNT
};

struct sq_tags {
	struct sq_stmts q;
	sqlite3_stmt *st[SQT_COUNT];
};

/* Migration 9: doc_tags, one row per (document, name). */
extern const char sq_tags_schema[];

/* Prepares the statements (after the migrations); -1 with err set. Closed
 * with sq_stmts_close(&t->q). */
int sq_tags_open(struct sq_tags *t, sqlite3 *db, char *err, size_t errlen);

/* store_sqlite.c: the tags part of a SQLite store. */
struct sq_stmts *sq_tags_of(struct store *base);

/* The ops of store.h. */
int sq_doc_tag_set(struct store *base, int64_t doc_id, const char *name,
    int64_t rev, const char *user, int64_t ts);
int sq_doc_tags(struct store *base, int64_t doc_id, struct store_doc_tag **out,
    size_t *n);

#endif
