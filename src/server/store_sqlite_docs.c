/*
 * store_sqlite_docs: the shared-document queries of the SQLite store (its
 * documents, their operations and snapshots), beside store_sqlite.c, which
 * owns the connection and puts these in its ops table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_impl.h"

/* ---- shared documents ---------------------------------------------------- */

int
sq_doc_find(struct store *base, int64_t room_id, const char *name, int64_t *id,
    int64_t *head)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_DOC_GET);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*id = *head = 0;
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*head = sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE) {
		return sq_fail(s, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_doc_ensure(struct store *base, int64_t room_id, const char *name,
    int64_t now, int64_t *id, int64_t *head)
{
	struct sqlite_store *s = sq_impl(base);
	if (sq_doc_find(base, room_id, name, id, head) != 0)
		return -1;
	if (*id != 0)
		return 0;
	sqlite3_stmt *st = sq_prep(s, S_DOC_ADD);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);
	*id = sqlite3_last_insert_rowid(s->db);
	*head = 0;
	return 0;
}

static int
doc_op_insert(struct sqlite_store *s, int64_t doc_id, int64_t rev,
    const char *user, const char *cid, const char *op, int64_t ts)
{
	sqlite3_stmt *st = sq_prep(s, S_DOC_OP_ADD);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, cid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, op, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, ts);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);

	st = sq_prep(s, S_DOC_BUMP);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, rev);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);
	if (sqlite3_changes(s->db) != 1) {
		snprintf(s->err, sizeof s->err,
		    "document %lld: revision %lld does not follow the head",
		    (long long)doc_id, (long long)rev);
		return -1;
	}
	return 0;
}

/* The insert and the head move together or not at all (a savepoint), so a
 * refused revision leaves an enclosing transaction usable. */
int
sq_doc_op_append(struct store *base, int64_t doc_id, int64_t rev,
    const char *user, const char *cid, const char *op, int64_t ts)
{
	struct sqlite_store *s = sq_impl(base);
	if (sq_exec_simple(s, S_SAVEPOINT) != 0)
		return -1;
	if (doc_op_insert(s, doc_id, rev, user, cid, op, ts) != 0) {
		sq_exec_simple(s, S_ROLLBACK_TO);
		sq_exec_simple(s, S_RELEASE);
		return -1;
	}
	return sq_exec_simple(s, S_RELEASE);
}

int
sq_doc_op_by_cid(struct store *base, int64_t doc_id, const char *user,
    const char *cid, int64_t *rev)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_DOC_OP_BY_CID);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*rev = 0;
	if (rc == SQLITE_ROW)
		*rev = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return sq_fail(s, st);
	sqlite3_reset(st);
	return 0;
}

/* Reads rows of (rev, ts, user, cid[, op]). */
static int
read_doc_ops(struct sqlite_store *s, sqlite3_stmt *st, size_t limit,
    bool with_op, struct store_doc_ops *out)
{
	out->v = xcalloc(limit, sizeof *out->v); /* limit: a page, bounded */
	out->n = 0;
	int rc = SQLITE_DONE;
	while (out->n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_doc_op *o = &out->v[out->n++];
		o->rev = sqlite3_column_int64(st, 0);
		o->ts = sqlite3_column_int64(st, 1);
		o->user = sq_col_text(st, 2);
		o->cid = sq_col_text(st, 3);
		o->op = with_op ? sq_col_text(st, 4) : NULL;
	}
	if (out->n < limit && rc != SQLITE_DONE) {
		store_doc_ops_free(out);
		return sq_fail(s, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_doc_ops_range(struct store *base, int64_t doc_id, int64_t after,
    int64_t upto, size_t limit, struct store_doc_ops *out)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_DOC_OPS_RANGE);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, upto);
	sqlite3_bind_int64(st, 4, (int64_t)limit);
	return read_doc_ops(s, st, limit, true, out);
}

int
sq_doc_snapshot_put(struct store *base, int64_t doc_id, int64_t rev,
    const char *text)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_DOC_SNAP_PUT);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, rev);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	return sq_stmts_run(&s->q, st, NULL);
}

int
sq_doc_snapshot_at_or_before(struct store *base, int64_t doc_id, int64_t rev,
    int64_t *snap_rev, char **text)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_DOC_SNAP_GET);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, rev);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*snap_rev = sqlite3_column_int64(st, 0);
		*text = sq_col_text(st, 1);
	} else if (rc == SQLITE_DONE) {
		*snap_rev = 0;
		*text = xstrdup("");
	} else {
		return sq_fail(s, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_doc_revisions(struct store *base, int64_t doc_id, int64_t before,
    size_t limit, struct store_doc_ops *out, bool *more)
{
	struct sqlite_store *s = sq_impl(base);
	sqlite3_stmt *st = sq_prep(s, S_DOC_REVS);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int64(st, 3, (int64_t)limit + 1); /* one more tells `more` */
	if (read_doc_ops(s, st, limit + 1, false, out) != 0)
		return -1;
	*more = out->n > limit;
	if (*more) {
		struct store_doc_op *o = &out->v[--out->n];
		free(o->user);
		free(o->cid);
	}
	for (size_t i = 0; i < out->n / 2; i++) {
		struct store_doc_op t = out->v[i];
		out->v[i] = out->v[out->n - 1 - i];
		out->v[out->n - 1 - i] = t;
	}
	return 0;
}

