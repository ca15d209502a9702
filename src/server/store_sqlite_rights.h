/*
 * store_sqlite_rights: rooms' rights in the SQLite store (a room's mode,
 * its moderators, bans and invites, and what each user has created), kept
 * beside store_sqlite.c, which owns the connection, runs the migrations
 * (this file's schema is migration 5) and puts these functions in its ops
 * table. Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_RIGHTS_H
#define CONFAB_STORE_SQLITE_RIGHTS_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_stmts.h"

enum sq_rights_stmt {
	SR_ROOM_FIND, SR_ROOM_GET, SR_MODS, SR_SET_PRIVATE,
	SR_MOD_ADD, SR_MOD_DEL, SR_BAN_ADD, SR_BAN_DEL, SR_INVITE_ADD,
	SR_INVITE_DEL, SR_MEMBER, SR_BANNED, SR_INVITED, SR_ROOMS_BY, SR_DOCS_BY,
	SR_DOC_CLAIM,
	SR_COUNT
};

struct sq_rights {
	struct sq_stmts q;
	sqlite3_stmt *st[SR_COUNT];
};

/* Migration 5: rooms.private, documents.creator, room_roles, room_bans,
 * room_invites. */
extern const char sq_rights_schema[];

/* Prepares the statements (after the migrations); -1 with err set. Closed
 * with sq_stmts_close(&r->q). */
int sq_rights_open(struct sq_rights *r, sqlite3 *db, char *err, size_t errlen);

/* store_sqlite.c: the rights part of a SQLite store. */
struct sq_stmts *sq_rights_of(struct store *base);

/* The ops of store.h. */
int sq_room_find(struct store *base, const char *room, int64_t *id,
    int64_t *head);
int sq_room_rights(struct store *base, int64_t room_id, struct store_rights *out);
int sq_room_set_private(struct store *base, int64_t room_id, bool on);
int sq_room_moderator_set(struct store *base, int64_t room_id, const char *user,
    bool on, bool *changed);
int sq_room_ban_set(struct store *base, int64_t room_id, const char *user,
    const char *by, int64_t ts, bool on, bool *changed);
int sq_room_invite_set(struct store *base, int64_t room_id, const char *user,
    const char *by, int64_t ts, bool on, bool *changed);
int sq_room_access(struct store *base, int64_t room_id, const char *user,
    bool *member, bool *banned, bool *invited);
int sq_user_created(struct store *base, const char *user, int64_t *rooms,
    int64_t *docs);
int sq_doc_claim(struct store *base, int64_t doc_id, const char *user);

#endif
