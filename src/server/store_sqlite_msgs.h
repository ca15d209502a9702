/*
 * store_sqlite_msgs: messages' changes in the SQLite store (threads,
 * reactions, edits, deletes and the rooms' change counter), kept beside
 * store_sqlite.c, which owns the connection, runs the migrations (this
 * file's schema is migration 7) and puts these functions in its ops
 * table. Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_MSGS_H
#define CONFAB_STORE_SQLITE_MSGS_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_stmts.h"

enum sq_msgs_stmt {
	SM_ROOM_REV, SM_REV_BUMP, SM_CHANGE_ADD, SM_CHANGE_BY_CID, SM_CHANGES_AFTER,
	SM_MSG_GET, SM_THREAD_SET, SM_REPLY_COUNT,
	SM_REACTION_HAS, SM_REACTION_EMOJI, SM_REACTION_ADD, SM_REACTION_DEL,
	SM_REACTION_COUNT, SM_REACTIONS_CLEAR, SM_REACTIONS_RANGE,
	SM_EDIT, SM_DELETE, SM_EDITS_BLANK, SM_THREAD_BEFORE, SM_THREAD_FIRST,
	SM_THREAD_OLDER, SM_THREAD_AFTER,
	SM_COUNT
};

struct sq_msgs {
	struct sq_stmts q;
	sqlite3_stmt *st[SM_COUNT];
};

/* Migration 7: messages' thread, replies, last_reply, edited_ts, deleted;
 * rooms' rev; the reactions and changes tables. */
extern const char sq_msgs_schema[];

/* The columns a message list selects, in the order sq_msg_row reads them. */
#define SQ_MSG_COLUMNS "seq, id, ts, user, cid, text, thread, replies," \
	" last_reply, edited_ts, deleted"
void sq_msg_row(sqlite3_stmt *st, struct store_msg *m);

/* Prepares the statements (after the migrations); -1 with err set. Closed
 * with sq_stmts_close(&m->q). */
int sq_msgs_open(struct sq_msgs *m, sqlite3 *db, char *err, size_t errlen);

/* store_sqlite.c: the messages part of a SQLite store. */
struct sq_stmts *sq_msgs_of(struct store *base);

/* The messages st answers (at most limit) with their reactions (one query
 * for the list), into out (freed on failure). The _back form reads a page
 * newest first with one more than limit: more tells whether there was
 * one, and out comes oldest first without it. */
int sq_msgs_list(struct store *base, struct sq_stmts *q, sqlite3_stmt *st,
    int64_t room_id, size_t limit, struct store_msgs *out);
int sq_msgs_list_back(struct store *base, struct sq_stmts *q, sqlite3_stmt *st,
    int64_t room_id, size_t limit, struct store_msgs *out, bool *more);

/* The ops of store.h. */
int sq_room_rev(struct store *base, int64_t room_id, int64_t *rev);
int sq_message_get(struct store *base, int64_t room_id, int64_t seq,
    struct store_msg *out, bool *found);
int sq_message_thread_set(struct store *base, int64_t room_id, int64_t seq,
    int64_t root, int64_t ts);
int sq_change_by_cid(struct store *base, const char *user, const char *cid,
    struct store_change *out, bool *found);
int sq_reaction_set(struct store *base, int64_t room_id, int64_t seq,
    const char *user, const char *cid, const char *emoji, bool on, int64_t ts,
    size_t max_emoji, struct store_change *out, enum store_react_result *res);
int sq_message_edit(struct store *base, int64_t room_id, int64_t seq,
    const char *user, const char *cid, const char *text, int64_t ts,
    struct store_change *out);
int sq_message_delete(struct store *base, int64_t room_id, int64_t seq,
    const char *by, const char *cid, int64_t ts, struct store_change *out);
int sq_changes_after(struct store *base, int64_t room_id, int64_t after,
    int64_t upto, int64_t max_seq, int64_t all_after, size_t limit,
    struct store_changes *out);
int sq_thread_before(struct store *base, int64_t room_id, int64_t root,
    int64_t before, int64_t upto, size_t limit, struct store_msgs *out,
    bool *more);
int sq_thread_page(struct store *base, int64_t room_id, int64_t root,
    int64_t before, int64_t upto, size_t limit, int64_t *first, bool *more);
int sq_thread_after(struct store *base, int64_t room_id, int64_t root,
    int64_t after, int64_t upto, size_t limit, struct store_msgs *out);

#endif
