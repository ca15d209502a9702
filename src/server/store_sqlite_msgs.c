/*
 * store_sqlite_msgs: messages' changes in the SQLite store (see
 * store_sqlite_msgs.h).
 *
 * A room's rev is a column of its row, bumped in the transaction of the
 * change it numbers, as the head seq is for messages: gap-free, since a
 * rollback takes the bump back with the change. Every change is a row of
 * `changes`, unique by (room, rev) and by (user, cid), which is what makes
 * a retried request recognisable after a crash. A message's current state
 * is kept on its own row (text, edited_ts, deleted, its thread's counts)
 * and in `reactions`, one row per (message, emoji, user) numbered by the
 * rev that added it, which orders the emoji by first reaction and the
 * users by when they reacted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/store_sqlite_msgs.h"

const char sq_msgs_schema[] =
	"ALTER TABLE messages ADD COLUMN thread INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE messages ADD COLUMN replies INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE messages ADD COLUMN last_reply INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE messages ADD COLUMN edited_ts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE rooms ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX messages_by_thread ON messages(room_id, thread, seq)"
	"  WHERE thread > 0;"
	"CREATE TABLE reactions ("
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  seq INTEGER NOT NULL,"
	"  emoji TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  rev INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, seq, emoji, user)) WITHOUT ROWID;"
	/* kind: 0 react, 1 unreact, 2 edit, 3 delete (enum store_change_kind) */
	"CREATE TABLE changes ("
	"  room_id INTEGER NOT NULL REFERENCES rooms(id),"
	"  rev INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  user TEXT NOT NULL,"
	"  cid TEXT NOT NULL,"
	"  emoji TEXT,"
	"  text TEXT,"
	"  count INTEGER NOT NULL DEFAULT 0,"
	"  ts INTEGER NOT NULL,"
	"  PRIMARY KEY (room_id, rev),"
	"  UNIQUE (user, cid)) WITHOUT ROWID;"
	"CREATE INDEX changes_by_seq ON changes(room_id, seq);";

#define CHANGE_COLUMNS "rev, seq, kind, user, cid, emoji, text, count, ts"

static const char *const stmt_sql[SM_COUNT] = {
	[SM_ROOM_REV] = "SELECT rev FROM rooms WHERE id = ?1",
	[SM_REV_BUMP] = "UPDATE rooms SET rev = rev + 1 WHERE id = ?1 RETURNING rev",
	[SM_CHANGE_ADD] = "INSERT INTO changes (room_id, rev, seq, kind, user, cid,"
	    " emoji, text, count, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[SM_CHANGE_BY_CID] = "SELECT " CHANGE_COLUMNS " FROM changes"
	    " WHERE user = ?1 AND cid = ?2",
	[SM_CHANGES_AFTER] = "SELECT " CHANGE_COLUMNS " FROM changes"
	    " WHERE room_id = ?1 AND rev > ?2 AND rev <= ?3 AND (seq <= ?4 OR rev > ?5)"
	    " ORDER BY rev LIMIT ?6",
	[SM_MSG_GET] = "SELECT " SQ_MSG_COLUMNS " FROM messages"
	    " WHERE room_id = ?1 AND seq = ?2",
	[SM_THREAD_SET] = "UPDATE messages SET thread = ?3 WHERE room_id = ?1 AND seq = ?2",
	[SM_REPLY_COUNT] = "UPDATE messages SET replies = replies + 1,"
	    " last_reply = max(last_reply, ?3) WHERE room_id = ?1 AND seq = ?2",
	[SM_REACTION_HAS] = "SELECT count(*) FROM reactions"
	    " WHERE room_id = ?1 AND seq = ?2 AND emoji = ?3 AND user = ?4",
	[SM_REACTION_EMOJI] = "SELECT count(DISTINCT emoji), count(*) FILTER"
	    " (WHERE emoji = ?3) FROM reactions WHERE room_id = ?1 AND seq = ?2",
	[SM_REACTION_ADD] = "INSERT INTO reactions (room_id, seq, emoji, user, rev)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)",
	[SM_REACTION_DEL] = "DELETE FROM reactions"
	    " WHERE room_id = ?1 AND seq = ?2 AND emoji = ?3 AND user = ?4",
	[SM_REACTION_COUNT] = "SELECT count(*) FROM reactions"
	    " WHERE room_id = ?1 AND seq = ?2 AND emoji = ?3",
	[SM_REACTIONS_CLEAR] = "DELETE FROM reactions WHERE room_id = ?1 AND seq = ?2",
	/* in the primary key's order: a range scan, no sort */
	[SM_REACTIONS_RANGE] = "SELECT seq, emoji, user, rev FROM reactions"
	    " WHERE room_id = ?1 AND seq >= ?2 AND seq <= ?3 ORDER BY seq, emoji, user",
	[SM_EDIT] = "UPDATE messages SET text = ?3, edited_ts = ?4"
	    " WHERE room_id = ?1 AND seq = ?2",
	[SM_DELETE] = "UPDATE messages SET text = '', deleted = 1"
	    " WHERE room_id = ?1 AND seq = ?2",
	[SM_EDITS_BLANK] = "UPDATE changes SET text = ''"
	    " WHERE room_id = ?1 AND seq = ?2 AND kind = 2",
	[SM_THREAD_BEFORE] = "SELECT " SQ_MSG_COLUMNS " FROM messages"
	    " WHERE room_id = ?1 AND thread = ?2 AND seq < ?3 AND seq <= ?4"
	    " ORDER BY seq DESC LIMIT ?5",
	[SM_THREAD_FIRST] = "SELECT min(seq) FROM (SELECT seq FROM messages"
	    " WHERE room_id = ?1 AND thread = ?2 AND seq < ?3 AND seq <= ?4"
	    " ORDER BY seq DESC LIMIT ?5)",
	[SM_THREAD_OLDER] = "SELECT EXISTS (SELECT 1 FROM messages"
	    " WHERE room_id = ?1 AND thread = ?2 AND seq < ?3)",
	[SM_THREAD_AFTER] = "SELECT " SQ_MSG_COLUMNS " FROM messages"
	    " WHERE room_id = ?1 AND thread = ?2 AND seq > ?3 AND seq <= ?4"
	    " ORDER BY seq LIMIT ?5",
};

int
sq_msgs_open(struct sq_msgs *m, sqlite3 *db, char *err, size_t errlen)
{
	return sq_stmts_open(&m->q, db, stmt_sql, m->st, SM_COUNT, err, errlen);
}

static sqlite3_stmt *
at(struct sq_stmts *m, enum sq_msgs_stmt which, int64_t room_id, int64_t seq)
{
	sqlite3_stmt *st = sq_stmts_prep(m, which);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_int64(st, 2, seq);
	return st;
}

void
sq_msg_row(sqlite3_stmt *st, struct store_msg *m)
{
	m->seq = sqlite3_column_int64(st, 0);
	m->id = sqlite3_column_int64(st, 1);
	m->ts = sqlite3_column_int64(st, 2);
	m->user = sq_col_text(st, 3);
	m->cid = sq_col_text(st, 4);
	m->text = sq_col_text(st, 5);
	m->thread = sqlite3_column_int64(st, 6);
	m->replies = sqlite3_column_int64(st, 7);
	m->last_reply = sqlite3_column_int64(st, 8);
	m->edited_ts = sqlite3_column_int64(st, 9);
	m->deleted = sqlite3_column_int(st, 10) != 0;
}

static void
change_row(sqlite3_stmt *st, struct store_change *c)
{
	c->rev = sqlite3_column_int64(st, 0);
	c->seq = sqlite3_column_int64(st, 1);
	c->kind = (enum store_change_kind)sqlite3_column_int(st, 2);
	c->user = sq_col_text(st, 3);
	c->cid = sq_col_text(st, 4);
	c->emoji = sq_col_text_or_null(st, 5);
	c->text = sq_col_text_or_null(st, 6);
	c->count = sqlite3_column_int64(st, 7);
	c->ts = sqlite3_column_int64(st, 8);
}

/* ---- reading ------------------------------------------------------------- */

/* The message of a list with that seq (the list is in seq order). */
static struct store_msg *
msg_of(struct store_msgs *ms, int64_t seq, size_t *from)
{
	while (*from < ms->n && ms->v[*from].seq < seq)
		(*from)++;
	return *from < ms->n && ms->v[*from].seq == seq ? &ms->v[*from] : NULL;
}

/* One emoji of one message while its rows are read: the revs of the
 * users kept (the first ones by rev) beside their names. */
struct gather {
	int64_t first;
	int64_t revs[STORE_REACTION_USERS];
};

/* Adds a row (emoji, user, rev) of msg's reactions, which come by emoji,
 * then user: keeps each emoji's count, its first rev and the users of
 * the lowest revs, in rev order. */
static void
add_row(struct store_msg *msg, struct gather **g, const char *emoji,
    const char *user, int64_t rev)
{
	struct store_reaction *r = msg->nreactions > 0
	    ? &msg->reactions[msg->nreactions - 1] : NULL;
	struct gather *gr;
	if (r == NULL || strcmp(r->emoji, emoji) != 0) {
		msg->reactions = xreallocarray(msg->reactions, msg->nreactions + 1,
		    sizeof *msg->reactions);
		*g = xreallocarray(*g, msg->nreactions + 1, sizeof **g);
		gr = &(*g)[msg->nreactions];
		gr->first = rev;
		r = &msg->reactions[msg->nreactions++];
		*r = (struct store_reaction){.emoji = xstrdup(emoji),
		    .users = xcalloc(STORE_REACTION_USERS, sizeof(char *))};
	}
	gr = &(*g)[msg->nreactions - 1];
	r->count++;
	if (rev < gr->first)
		gr->first = rev;
	size_t at = r->nusers;
	while (at > 0 && gr->revs[at - 1] > rev)
		at--;
	if (at == STORE_REACTION_USERS)
		return;
	if (r->nusers == STORE_REACTION_USERS)
		free(r->users[--r->nusers]);
	memmove(&r->users[at + 1], &r->users[at], (r->nusers - at) * sizeof *r->users);
	memmove(&gr->revs[at + 1], &gr->revs[at], (r->nusers - at) * sizeof *gr->revs);
	r->users[at] = xstrdup(user);
	gr->revs[at] = rev;
	r->nusers++;
}

/* Puts msg's emoji in the order of their first reaction (few: insertion). */
static void
order_emoji(struct store_msg *msg, struct gather *g)
{
	for (size_t i = 1; i < msg->nreactions; i++) {
		struct store_reaction r = msg->reactions[i];
		struct gather x = g[i];
		size_t j = i;
		for (; j > 0 && g[j - 1].first > x.first; j--) {
			msg->reactions[j] = msg->reactions[j - 1];
			g[j] = g[j - 1];
		}
		msg->reactions[j] = r;
		g[j] = x;
	}
}

/* The reactions of the messages of a list (in seq order). */
static int
sq_msgs_attach(struct store *base, int64_t room_id, struct store_msgs *ms)
{
	struct sq_stmts *m = sq_msgs_of(base);
	if (ms->n == 0)
		return 0;
	/* the lists are in seq order; a thread's may have gaps */
	sqlite3_stmt *st = at(m, SM_REACTIONS_RANGE, room_id, ms->v[0].seq);
	sqlite3_bind_int64(st, 3, ms->v[ms->n - 1].seq);
	size_t from = 0;
	struct store_msg *msg = NULL;
	struct gather *g = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_msg *next = msg_of(ms, sqlite3_column_int64(st, 0), &from);
		if (next != msg && msg != NULL)
			order_emoji(msg, g);
		if ((msg = next) == NULL)
			continue;
		add_row(msg, &g, (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    sqlite3_column_int64(st, 3));
	}
	if (msg != NULL)
		order_emoji(msg, g);
	free(g);
	if (rc != SQLITE_DONE)
		return sq_stmts_fail(m, st);
	sqlite3_reset(st);
	return 0;
}

/* The rows of st (at most limit) into out, without their reactions. */
static int
read_list(struct sq_stmts *q, sqlite3_stmt *st, size_t limit,
    struct store_msgs *out)
{
	out->v = xcalloc(limit ? limit : 1, sizeof *out->v);
	out->n = 0;
	int rc = SQLITE_DONE;
	while (out->n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		sq_msg_row(st, &out->v[out->n++]);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_msgs_free(out);
		return sq_stmts_fail(q, st);
	}
	sqlite3_reset(st);
	return 0;
}

static int
attach_or_free(struct store *base, int64_t room_id, struct store_msgs *out)
{
	if (sq_msgs_attach(base, room_id, out) != 0) {
		store_msgs_free(out);
		return -1;
	}
	return 0;
}

int
sq_msgs_list(struct store *base, struct sq_stmts *q, sqlite3_stmt *st,
    int64_t room_id, size_t limit, struct store_msgs *out)
{
	if (read_list(q, st, limit, out) != 0)
		return -1;
	return attach_or_free(base, room_id, out);
}

int
sq_msgs_list_back(struct store *base, struct sq_stmts *q, sqlite3_stmt *st,
    int64_t room_id, size_t limit, struct store_msgs *out, bool *more)
{
	if (read_list(q, st, limit + 1, out) != 0)
		return -1;
	*more = out->n > limit;
	if (*more)
		store_msg_free(&out->v[--out->n]);
	/* newest first from the query; the protocol, and sq_msgs_attach, want
	 * oldest first */
	for (size_t i = 0; i < out->n / 2; i++) {
		struct store_msg t = out->v[i];
		out->v[i] = out->v[out->n - 1 - i];
		out->v[out->n - 1 - i] = t;
	}
	return attach_or_free(base, room_id, out);
}

int
sq_room_rev(struct store *base, int64_t room_id, int64_t *rev)
{
	struct sq_stmts *m = sq_msgs_of(base);
	sqlite3_stmt *st = sq_stmts_prep(m, SM_ROOM_REV);
	sqlite3_bind_int64(st, 1, room_id);
	return sq_stmts_one_int(m, st, rev);
}

int
sq_message_get(struct store *base, int64_t room_id, int64_t seq,
    struct store_msg *out, bool *found)
{
	struct sq_stmts *m = sq_msgs_of(base);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = at(m, SM_MSG_GET, room_id, seq);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found)
		sq_msg_row(st, out);
	else if (rc != SQLITE_DONE)
		return sq_stmts_fail(m, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_change_by_cid(struct store *base, const char *user, const char *cid,
    struct store_change *out, bool *found)
{
	struct sq_stmts *m = sq_msgs_of(base);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = sq_stmts_prep(m, SM_CHANGE_BY_CID);
	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found)
		change_row(st, out);
	else if (rc != SQLITE_DONE)
		return sq_stmts_fail(m, st);
	sqlite3_reset(st);
	return 0;
}

int
sq_changes_after(struct store *base, int64_t room_id, int64_t after,
    int64_t upto, int64_t max_seq, int64_t all_after, size_t limit,
    struct store_changes *out)
{
	struct sq_stmts *m = sq_msgs_of(base);
	out->v = xcalloc(limit ? limit : 1, sizeof *out->v);
	out->n = 0;
	sqlite3_stmt *st = sq_stmts_prep(m, SM_CHANGES_AFTER);
	sqlite3_bind_int64(st, 1, room_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, upto);
	sqlite3_bind_int64(st, 4, max_seq);
	sqlite3_bind_int64(st, 5, all_after);
	sqlite3_bind_int64(st, 6, (int64_t)limit);
	int rc = SQLITE_DONE;
	while (out->n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		change_row(st, &out->v[out->n++]);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_changes_free(out);
		return sq_stmts_fail(m, st);
	}
	sqlite3_reset(st);
	return 0;
}

int
sq_thread_before(struct store *base, int64_t room_id, int64_t root,
    int64_t before, int64_t upto, size_t limit, struct store_msgs *out,
    bool *more)
{
	struct sq_stmts *m = sq_msgs_of(base);
	sqlite3_stmt *st = at(m, SM_THREAD_BEFORE, room_id, root);
	sqlite3_bind_int64(st, 3, before);
	sqlite3_bind_int64(st, 4, upto);
	sqlite3_bind_int64(st, 5, (int64_t)limit + 1); /* one more tells `more` */
	return sq_msgs_list_back(base, m, st, room_id, limit, out, more);
}

int
sq_thread_page(struct store *base, int64_t room_id, int64_t root,
    int64_t before, int64_t upto, size_t limit, int64_t *first, bool *more)
{
	struct sq_stmts *m = sq_msgs_of(base);
	sqlite3_stmt *st = at(m, SM_THREAD_FIRST, room_id, root);
	sqlite3_bind_int64(st, 3, before);
	sqlite3_bind_int64(st, 4, upto);
	sqlite3_bind_int64(st, 5, (int64_t)limit);
	if (sq_stmts_one_int(m, st, first) != 0) /* NULL reads as 0: no reply */
		return -1;
	*more = false;
	if (*first == 0)
		return 0;
	int64_t older;
	st = at(m, SM_THREAD_OLDER, room_id, root);
	sqlite3_bind_int64(st, 3, *first);
	if (sq_stmts_one_int(m, st, &older) != 0)
		return -1;
	*more = older != 0;
	return 0;
}

int
sq_thread_after(struct store *base, int64_t room_id, int64_t root,
    int64_t after, int64_t upto, size_t limit, struct store_msgs *out)
{
	struct sq_stmts *m = sq_msgs_of(base);
	sqlite3_stmt *st = at(m, SM_THREAD_AFTER, room_id, root);
	sqlite3_bind_int64(st, 3, after);
	sqlite3_bind_int64(st, 4, upto);
	sqlite3_bind_int64(st, 5, (int64_t)limit);
	return sq_msgs_list(base, m, st, room_id, limit, out);
}

/* ---- changing ------------------------------------------------------------ */

int
sq_message_thread_set(struct store *base, int64_t room_id, int64_t seq,
    int64_t root, int64_t ts)
{
	struct sq_stmts *m = sq_msgs_of(base);
	sqlite3_stmt *st = at(m, SM_THREAD_SET, room_id, seq);
	sqlite3_bind_int64(st, 3, root);
	if (sq_stmts_run(m, st, NULL) != 0)
		return -1;
	st = at(m, SM_REPLY_COUNT, room_id, root);
	sqlite3_bind_int64(st, 3, ts);
	return sq_stmts_run(m, st, NULL);
}

/* Numbers a change with the room's next rev and records it; fills out
 * (its strings copied). */
static int
record(struct sq_stmts *m, int64_t room_id, struct store_change *c)
{
	sqlite3_stmt *st = sq_stmts_prep(m, SM_REV_BUMP);
	sqlite3_bind_int64(st, 1, room_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return sq_stmts_fail(m, st);
	c->rev = sqlite3_column_int64(st, 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_stmts_fail(m, st);
	sqlite3_reset(st);
	st = at(m, SM_CHANGE_ADD, room_id, c->rev);
	sqlite3_bind_int64(st, 3, c->seq);
	sqlite3_bind_int(st, 4, (int)c->kind);
	sqlite3_bind_text(st, 5, c->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->cid, -1, SQLITE_STATIC);
	if (c->emoji != NULL)
		sqlite3_bind_text(st, 7, c->emoji, -1, SQLITE_STATIC);
	if (c->text != NULL)
		sqlite3_bind_text(st, 8, c->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, c->count);
	sqlite3_bind_int64(st, 10, c->ts);
	return sq_stmts_run(m, st, NULL);
}

static void
change_init(struct store_change *out, enum store_change_kind kind, int64_t seq,
    const char *user, const char *cid, int64_t ts)
{
	*out = (struct store_change){.seq = seq, .ts = ts, .kind = kind,
	    .user = xstrdup(user), .cid = xstrdup(cid)};
}

int
sq_reaction_set(struct store *base, int64_t room_id, int64_t seq,
    const char *user, const char *cid, const char *emoji, bool on, int64_t ts,
    size_t max_emoji, struct store_change *out, enum store_react_result *res)
{
	struct sq_stmts *m = sq_msgs_of(base);
	memset(out, 0, sizeof *out);
	*res = SR_UNCHANGED;
	sqlite3_stmt *st = at(m, SM_REACTION_HAS, room_id, seq);
	sqlite3_bind_text(st, 3, emoji, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, user, -1, SQLITE_STATIC);
	int64_t has;
	if (sq_stmts_one_int(m, st, &has) != 0)
		return -1;
	if ((has > 0) == on)
		return 0;
	if (on) {
		st = at(m, SM_REACTION_EMOJI, room_id, seq);
		sqlite3_bind_text(st, 3, emoji, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW)
			return sq_stmts_fail(m, st);
		int64_t distinct = sqlite3_column_int64(st, 0);
		int64_t same = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		if (same == 0 && distinct >= (int64_t)max_emoji) {
			*res = SR_TOO_MANY;
			return 0;
		}
	}
	change_init(out, on ? SC_REACT : SC_UNREACT, seq, user, cid, ts);
	out->emoji = xstrdup(emoji);
	/* the count goes in the change row: read it after the reaction */
	int64_t before;
	st = at(m, SM_REACTION_COUNT, room_id, seq);
	sqlite3_bind_text(st, 3, emoji, -1, SQLITE_STATIC);
	if (sq_stmts_one_int(m, st, &before) != 0)
		goto bad;
	out->count = on ? before + 1 : before - 1;
	if (record(m, room_id, out) != 0)
		goto bad;
	st = at(m, on ? SM_REACTION_ADD : SM_REACTION_DEL, room_id, seq);
	sqlite3_bind_text(st, 3, emoji, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, user, -1, SQLITE_STATIC);
	if (on)
		sqlite3_bind_int64(st, 5, out->rev);
	if (sq_stmts_run(m, st, NULL) != 0)
		goto bad;
	*res = SR_CHANGED;
	return 0;
bad:
	store_change_free(out);
	return -1;
}

int
sq_message_edit(struct store *base, int64_t room_id, int64_t seq,
    const char *user, const char *cid, const char *text, int64_t ts,
    struct store_change *out)
{
	struct sq_stmts *m = sq_msgs_of(base);
	change_init(out, SC_EDIT, seq, user, cid, ts);
	out->text = xstrdup(text);
	sqlite3_stmt *st = at(m, SM_EDIT, room_id, seq);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, ts);
	if (sq_stmts_run(m, st, NULL) != 0 || record(m, room_id, out) != 0) {
		store_change_free(out);
		return -1;
	}
	return 0;
}

int
sq_message_delete(struct store *base, int64_t room_id, int64_t seq,
    const char *by, const char *cid, int64_t ts, struct store_change *out)
{
	struct sq_stmts *m = sq_msgs_of(base);
	change_init(out, SC_DELETE, seq, by, cid, ts);
	/* nothing of what it said stays: its text, its edits' texts, its
	 * reactions */
	if (sq_stmts_run(m, at(m, SM_DELETE, room_id, seq), NULL) != 0 ||
	    sq_stmts_run(m, at(m, SM_REACTIONS_CLEAR, room_id, seq), NULL) != 0 ||
	    sq_stmts_run(m, at(m, SM_EDITS_BLANK, room_id, seq), NULL) != 0 ||
	    record(m, room_id, out) != 0) {
		store_change_free(out);
		return -1;
	}
	return 0;
}
