/*
 * store_sqlite_impl: what store_sqlite.c shares with the files that hold
 * the rest of the SQLite store's queries (store_sqlite_docs.c): the
 * store's struct, its prepared statements and the small helpers around
 * them. Internal to those files.
 */
#ifndef CONFAB_STORE_SQLITE_IMPL_H
#define CONFAB_STORE_SQLITE_IMPL_H

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_sqlite_comments.h"
#include "server/store_sqlite_notify.h"
#include "server/store_sqlite_msgs.h"
#include "server/store_sqlite_rights.h"
#include "server/store_sqlite_rooms.h"
#include "server/store_sqlite_stmts.h"
#include "server/store_sqlite_tags.h"
#include "server/store_sqlite_suggest.h"
#include "server/store_sqlite_doclist.h"

enum stmt {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_ROOM_GET, S_ROOM_ADD,
	S_MSG_BY_CID, S_HEAD_BUMP, S_MSG_ADD,
	S_MSGS_AFTER, S_MSGS_BEFORE,
	S_MEMBER_ADD, S_MEMBER_DEL, S_MEMBERS, S_MEMBERS_PAGE, S_USER_ROOMS,
	S_USER_SEEN,
	S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
	S_DOC_GET, S_DOC_ADD, S_DOC_BUMP, S_DOC_OP_ADD, S_DOC_OP_BY_CID,
	S_DOC_OPS_RANGE, S_DOC_SNAP_PUT, S_DOC_SNAP_GET, S_DOC_REVS,
	S_ACCOUNT_PUT, S_ACCOUNT_GET, S_ACCOUNT_DEL, S_ACCOUNTS,
	S_TOKEN_ADD, S_TOKEN_GET, S_TOKEN_DEL, S_TOKENS_DEL_USER,
	S_COUNT
};

extern const char *const sq_stmt_sql[S_COUNT];

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	struct sq_stmts q;      /* the statements of st */
	sqlite3_stmt *st[S_COUNT];
	char err[256];
	struct sq_notify notify;
	struct sq_rights rights;
	struct sq_msgs msgs;
	struct sq_rooms rooms;
	struct sq_tags tags;
	struct sq_comments comments;
	struct sq_suggest suggest;
	struct sq_doclist doclist;
};

struct sqlite_store *sq_impl(struct store *s);
/* Records the error (and resets st when given); returns -1. */
int sq_fail(struct sqlite_store *s, sqlite3_stmt *st);
/* A prepared statement, reset and with its bindings cleared. */
sqlite3_stmt *sq_prep(struct sqlite_store *s, enum stmt which);
/* Runs a statement that returns no rows; -1 on failure. */
int sq_exec_simple(struct sqlite_store *s, enum stmt which);

/* store_sqlite_docs.c: the ops of store.h for shared documents. */
int sq_doc_find(struct store *base, int64_t room_id, const char *name, int64_t *id,
    int64_t *head);
int sq_doc_ensure(struct store *base, int64_t room_id, const char *name,
    int64_t now, int64_t *id, int64_t *head);
int sq_doc_op_append(struct store *base, int64_t doc_id, int64_t rev,
    const char *user, const char *cid, const char *op, int64_t ts);
int sq_doc_op_by_cid(struct store *base, int64_t doc_id, const char *user,
    const char *cid, int64_t *rev);
int sq_doc_ops_range(struct store *base, int64_t doc_id, int64_t after,
    int64_t upto, size_t limit, struct store_doc_ops *out);
int sq_doc_snapshot_put(struct store *base, int64_t doc_id, int64_t rev,
    const char *text);
int sq_doc_snapshot_at_or_before(struct store *base, int64_t doc_id, int64_t rev,
    int64_t *snap_rev, char **text);
int sq_doc_revisions(struct store *base, int64_t doc_id, int64_t before,
    size_t limit, struct store_doc_ops *out, bool *more);

/* store_sqlite_accounts.c: accounts and sign-in tokens (migration 5). */
extern const char sq_accounts_schema[];
int sq_account_put(struct store *base, const char *user, const char *hash,
    int64_t now);
int sq_account_get(struct store *base, const char *user, char **hash);
int sq_account_del(struct store *base, const char *user, bool *found);
int sq_accounts(struct store *base, char ***users, size_t *n);
int sq_token_add(struct store *base, const char *hash, const char *user,
    int64_t now, int64_t expires);
int sq_token_get(struct store *base, const char *hash, char **user,
    int64_t *expires);
int sq_token_del(struct store *base, const char *hash, bool *found);
int sq_tokens_del_user(struct store *base, const char *user, int64_t *n);

#endif
