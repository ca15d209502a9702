/*
 * store_sqlite_rooms: read marks, rooms' topics, the directory of public
 * rooms and the full-text search of messages in the SQLite store, kept
 * beside store_sqlite.c, which owns the connection, runs the migrations
 * (this file's schema is migration 8) and puts these functions in its ops
 * table. Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_ROOMS_H
#define CONFAB_STORE_SQLITE_ROOMS_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_stmts.h"

enum sq_rooms_stmt {
	SQR_MARK_SET, SQR_MARK_GET, SQR_MARKS, SQR_UNREAD, SQR_TOPIC_SET, SQR_TOPIC_GET,
	SQR_DIRECTORY, SQR_SEARCH, SQR_SEARCH_ROOM,
	SQR_COUNT
};

struct sq_rooms {
	struct sq_stmts q;
	sqlite3_stmt *st[SQR_COUNT];
};

/* Migration 8: read_marks, room_topics, messages_fts (an external-content
 * FTS5 index of messages.text, kept by triggers, built for the messages
 * already stored). */
extern const char sq_rooms_schema[];

/* Prepares the statements (after the migrations); -1 with err set. Closed
 * with sq_stmts_close(&r->q). */
int sq_rooms_open(struct sq_rooms *r, sqlite3 *db, char *err, size_t errlen);

/* store_sqlite.c: the rooms part of a SQLite store. */
struct sq_stmts *sq_rooms_of(struct store *base);

/* The ops of store.h. */
int sq_read_mark_set(struct store *base, int64_t room_id, const char *user,
    int64_t seq, int64_t *mark);
int sq_read_mark_get(struct store *base, int64_t room_id, const char *user,
    int64_t *mark);
int sq_read_marks(struct store *base, int64_t room_id,
    struct store_receipt **out, size_t *n);
int sq_unread_count(struct store *base, int64_t room_id, const char *user,
    int64_t after, int64_t upto, int64_t cap, int64_t *count);
int sq_topic_set(struct store *base, int64_t room_id, const char *text,
    const char *by, int64_t ts);
int sq_topic_get(struct store *base, int64_t room_id, char **text, char **by,
    int64_t *ts);
int sq_rooms_directory(struct store *base, const char *query, const char *after,
    size_t limit, struct store_room_info **out, size_t *n, bool *more);
int sq_search(struct store *base, const char *user, int64_t room_id,
    const char *match, int64_t before, size_t limit, struct store_hits *out,
    bool *more);

#endif
