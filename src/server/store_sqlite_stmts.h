/*
 * store_sqlite_stmts: a set of prepared statements of the SQLite store
 * (one per table's file: store_sqlite.c's own, notify, rights, msgs,
 * rooms), prepared once with SQLITE_PREPARE_PERSISTENT over the store's
 * connection, and the small helpers every query of a set uses. A set
 * writes its errors in the store's error buffer, so the store reports the
 * last error whatever set it came from. Internal to the store's files.
 */
#ifndef CONFAB_STORE_SQLITE_STMTS_H
#define CONFAB_STORE_SQLITE_STMTS_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct sq_stmts {
	sqlite3 *db;
	char *err;      /* the store's error buffer */
	size_t errlen;
	sqlite3_stmt **st;      /* n statements, owned by the set */
	int n;
};

/* Prepares sql[0..n) into st (after the migrations); -1 with err set.
 * On failure the statements prepared so far stay in st, for
 * sq_stmts_close. */
int sq_stmts_open(struct sq_stmts *q, sqlite3 *db, const char *const *sql,
    sqlite3_stmt **st, int n, char *err, size_t errlen);
/* Finalizes the statements; safe on a set never opened (zeroed). */
void sq_stmts_close(struct sq_stmts *q);
/* Records the connection's error (and resets st when given); returns -1. */
int sq_stmts_fail(struct sq_stmts *q, sqlite3_stmt *st);
/* A prepared statement, reset and with its bindings cleared. */
sqlite3_stmt *sq_stmts_prep(struct sq_stmts *q, int which);
/* Steps a statement that returns no row; *changes (may be NULL) gets the
 * rows it touched. */
int sq_stmts_run(struct sq_stmts *q, sqlite3_stmt *st, int *changes);
/* Steps a statement that answers one integer. */
int sq_stmts_one_int(struct sq_stmts *q, sqlite3_stmt *st, int64_t *out);

/* A text column, copied ("" for NULL). */
char *sq_col_text(sqlite3_stmt *st, int i);
/* A text column, copied; NULL for NULL. */
char *sq_col_text_or_null(sqlite3_stmt *st, int i);

#endif
