/*
 * store_sqlite_notify: the notification queries of the SQLite store, kept
 * beside store_sqlite.c, which owns the connection, runs the migrations
 * (this file's schema is migration 3) and puts these functions in its ops
 * table. Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_NOTIFY_H
#define CONFAB_STORE_SQLITE_NOTIFY_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_stmts.h"

enum sq_notify_stmt {
	SN_CREATOR_CLAIM, SN_CREATOR_GET, SN_ADD, SN_LAST_ID, SN_BEFORE, SN_UNREAD,
	SN_READ_ONE, SN_READ_ALL, SN_FIRST_JOIN, SN_USER_KNOWN,
	SN_COUNT
};

/* The notification part of one SQLite store. */
struct sq_notify {
	struct sq_stmts q;
	sqlite3_stmt *st[SN_COUNT];
};

/* Migration 3: the notifications table and rooms.creator. */
extern const char sq_notify_schema[];
/* Migration 4: who has ever joined each room (first joins notify once). */
extern const char sq_joiners_schema[];

/* Prepares the statements (after the migrations); -1 with err set. Closed
 * with sq_stmts_close(&n->q). */
int sq_notify_open(struct sq_notify *n, sqlite3 *db, char *err, size_t errlen);

/* store_sqlite.c: the notification part of a SQLite store. */
struct sq_stmts *sq_notify_of(struct store *base);

/* The ops of store.h. */
int sq_room_creator(struct store *base, int64_t room_id, const char *user,
    char **creator, bool *claimed);
int sq_room_first_join(struct store *base, int64_t room_id, const char *user,
    bool *first);
int sq_user_known(struct store *base, const char *user, bool *known);
int sq_notif_add(struct store *base, struct store_notif *n);
int sq_notif_last_id(struct store *base, int64_t *id);
int sq_notif_before(struct store *base, const char *user, int64_t before,
    int64_t upto, size_t limit, struct store_notifs *out, bool *more);
int sq_notif_unread(struct store *base, const char *user, int64_t upto,
    int64_t *count);
int sq_notif_mark_read(struct store *base, const char *user, int64_t id,
    bool *found);
int sq_notif_mark_all_read(struct store *base, const char *user, int64_t upto);

#endif
