/*
 * store_sqlite_comments: documents' comments and their replies in the
 * SQLite store, kept beside store_sqlite.c, which owns the connection,
 * runs the migrations (this file's schema is migration 10) and puts these
 * functions in its ops table. Internal to the two files.
 */
#ifndef CONFAB_STORE_SQLITE_COMMENTS_H
#define CONFAB_STORE_SQLITE_COMMENTS_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_stmts.h"

enum sq_comments_stmt {
	SQC_ADD, SQC_REPLY, SQC_RESOLVE, SQC_EDIT, SQC_ANCHOR, SQC_DEL_REPLIES,
	SQC_DEL, SQC_LIST, SQC_REPLIES,
	SQC_COUNT
};

struct sq_comments {
	struct sq_stmts q;
	sqlite3_stmt *st[SQC_COUNT];
};

/* Migration 10: doc_comments (one row a comment, with its anchor and the
 * revision it is at) and doc_comment_replies. */
extern const char sq_comments_schema[];

int sq_comments_open(struct sq_comments *c, sqlite3 *db, char *err,
    size_t errlen);

/* store_sqlite.c: the comments part of a SQLite store. */
struct sq_stmts *sq_comments_of(struct store *base);

/* The ops of store.h. */
int sq_comment_add(struct store *base, int64_t doc_id,
    const struct store_comment *c, int64_t *id);
int sq_comment_reply(struct store *base, int64_t comment_id, const char *user,
    int64_t ts, const char *text, int64_t *id);
int sq_comment_resolve(struct store *base, int64_t comment_id, const char *by);
int sq_comment_edit(struct store *base, int64_t comment_id, const char *text,
    int64_t ts);
int sq_comment_anchor(struct store *base, int64_t comment_id, int64_t rev,
    int64_t start, int64_t end, bool removed);
int sq_comment_delete(struct store *base, int64_t comment_id);
int sq_comments_list(struct store *base, int64_t doc_id,
    struct store_comment **out, size_t *n);

#endif
