/*
 * store_sqlite_accounts: accounts and the tokens of sign-ins in the SQLite
 * store (migration 5), beside store_sqlite.c, which owns the connection and
 * puts these in its ops table. A password is kept only as its argon2id
 * hash, a token only as the hex SHA-256 of it: the database alone lets no
 * one sign in.
 */
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_impl.h"

const char sq_accounts_schema[] =
	"CREATE TABLE accounts ("
	"  name TEXT PRIMARY KEY,"
	"  hash TEXT NOT NULL,"
	"  created INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE tokens ("
	"  hash TEXT PRIMARY KEY,"
	"  user TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX tokens_by_user ON tokens(user);";

int
sq_account_put(struct store *base, const char *user, const char *hash,
    int64_t now)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_ACCOUNT_PUT);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return sq_stmts_run(&s->q, st, NULL);
}

int
sq_account_get(struct store *base, const char *user, char **hash)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_ACCOUNT_GET);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	*hash = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*hash = sq_col_text(st, 0);
	else if (rc != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_account_del(struct store *base, const char *user, bool *found)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_ACCOUNT_DEL);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	int changes = 0;
	if (sq_stmts_run(&s->q, st, &changes) != 0)
		return -1;
	*found = changes > 0;
	return 0;
}

int
sq_accounts(struct store *base, char ***users, size_t *n)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_ACCOUNTS);
	size_t cap = 0;
	*users = NULL;
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(users, &cap, *n + 1, sizeof **users);
		(*users)[(*n)++] = sq_col_text(st, 0);
	}
	if (rc != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_token_add(struct store *base, const char *hash, const char *user,
    int64_t now, int64_t expires)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_TOKEN_ADD);
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, expires);
	return sq_stmts_run(&s->q, st, NULL);
}

int
sq_token_get(struct store *base, const char *hash, char **user,
    int64_t *expires)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_TOKEN_GET);
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	*user = NULL;
	*expires = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*user = sq_col_text(st, 0);
		*expires = sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE) {
		return sq_fail(s, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_token_del(struct store *base, const char *hash, bool *found)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_TOKEN_DEL);
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	int changes = 0;
	if (sq_stmts_run(&s->q, st, &changes) != 0)
		return -1;
	*found = changes > 0;
	return 0;
}

int
sq_tokens_del_user(struct store *base, const char *user, int64_t *n)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_TOKENS_DEL_USER);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	int changes = 0;
	if (sq_stmts_run(&s->q, st, &changes) != 0)
		return -1;
	*n = changes;
	return 0;
}
