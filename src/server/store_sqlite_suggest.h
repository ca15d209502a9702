/*
 * store_sqlite_suggest: documents' suggestions and protected mode in the
 * SQLite store, kept beside store_sqlite.c, which owns the connection,
 * runs the migrations (this file's schema is the suggestions migration)
 * and puts these functions in its ops table. Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_SUGGEST_H
#define CONFAB_STORE_SQLITE_SUGGEST_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_stmts.h"

enum sq_suggest_stmt {
	SQG_ADD, SQG_BY_CID, SQG_MOVE, SQG_CLOSE, SQG_OPEN, SQG_MODE_GET,
	SQG_MODE_SET,
	SQG_COUNT
};

struct sq_suggest {
	struct sq_stmts q;
	sqlite3_stmt *st[SQG_COUNT];
};

/* The migration: doc_suggestions, one row per suggestion (open or closed),
 * and doc_modes, a row per document ever protected. */
extern const char sq_suggest_schema[];

/* Prepares the statements (after the migrations); -1 with err set. Closed
 * with sq_stmts_close(&t->q). */
int sq_suggest_open(struct sq_suggest *t, sqlite3 *db, char *err,
    size_t errlen);

/* store_sqlite.c: the suggestions part of a SQLite store. */
struct sq_stmts *sq_suggest_of(struct store *base);

/* The ops of store.h. */
int sq_suggestion_add(struct store *base, int64_t doc_id,
    const struct store_suggestion *s, int64_t *id);
int sq_suggestion_by_cid(struct store *base, int64_t doc_id, const char *user,
    const char *cid, int64_t *id);
int sq_suggestion_move(struct store *base, int64_t id, int64_t rev,
    const char *op);
int sq_suggestion_close(struct store *base, int64_t id, const char *state,
    const char *by, int64_t rev);
int sq_suggestions_open(struct store *base, int64_t doc_id,
    struct store_suggestion **out, size_t *n);
int sq_doc_mode_get(struct store *base, int64_t doc_id, bool *protect);
int sq_doc_mode_set(struct store *base, int64_t doc_id, bool protect);

#endif
