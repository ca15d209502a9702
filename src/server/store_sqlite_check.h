/*
 * store_sqlite_check: the start-up check of a SQLite store (writability and
 * PRAGMA quick_check), kept beside store_sqlite.c, which puts it in its ops
 * table. Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_CHECK_H
#define CONFAB_STORE_SQLITE_CHECK_H

#include <sqlite3.h>

#include "server/store.h"

void sq_check(sqlite3 *db, bool integrity, struct store_check *out);

#endif
