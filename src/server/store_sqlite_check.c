/*
 * store_sqlite_check: is the database usable for writing, and is it whole?
 *
 * Writability is proven by a real commit, not inferred: SQLite opens a file
 * it may not write read-only without a word, and a directory where the WAL
 * cannot be created, or a full disk, shows only at the first write. The
 * probe rewrites the schema version with its own value in an immediate
 * transaction: it changes nothing, yet SQLite writes (and syncs) a page of
 * the log for it. PRAGMA quick_check then reads every page (O(size), no
 * index cross-check), which finds a partly overwritten file before a user's
 * write does.
 */
#include <stdio.h>
#include <string.h>

#include "server/store_sqlite_check.h"

static void
set(struct store_check *out, enum store_state state, const char *what,
    const char *detail)
{
	out->state = state;
	snprintf(out->detail, sizeof out->detail, "%s%s%s", what,
	    detail && *detail ? ": " : "", detail ? detail : "");
}

static enum store_state
state_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		return STORE_READ_ONLY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return STORE_CORRUPT;
	default:
		return STORE_FAILING;
	}
}

static void
probe_write(sqlite3 *db, struct store_check *out)
{
	if (sqlite3_db_readonly(db, "main") == 1) {
		set(out, STORE_READ_ONLY, "the database was opened read-only",
		    "confabd may not write the file");
		return;
	}
	int version = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			version = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	char sql[96];
	snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; PRAGMA user_version = %d; COMMIT",
	    version);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		int ext = sqlite3_extended_errcode(db);
		set(out, state_of(ext), "a test write failed", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* Collects the first problems quick_check reports ("ok" when none). */
static void
quick_check(sqlite3 *db, struct store_check *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(8)", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		set(out, state_of(sqlite3_extended_errcode(db)), "quick_check failed",
		    sqlite3_errmsg(db));
		return;
	}
	char found[sizeof out->detail] = "";
	bool ok = true;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		if (row == NULL || strcmp(row, "ok") == 0)
			continue;
		ok = false;
		size_t used = strlen(found);
		snprintf(found + used, sizeof found - used, "%s%s", used ? "; " : "", row);
	}
	if (rc != SQLITE_DONE) {
		ok = false;
		snprintf(found, sizeof found, "%s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	if (!ok)
		set(out, STORE_CORRUPT, "the database is damaged", found);
}

void
sq_check(sqlite3 *db, bool integrity, struct store_check *out)
{
	set(out, STORE_OK, "ok", NULL);
	if (integrity)
		quick_check(db, out);
	if (out->state == STORE_OK)
		probe_write(db, out);
}
