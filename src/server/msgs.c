/*
 * msgs: threads, reactions, edits and deletes (msgs.h says what they are).
 *
 * REACT, EDIT and DELETE pass the same gate: the session has joined the
 * room; a (user, cid) already stored is that change again (ACKed after the
 * commit, nothing applied: a retry after a lost ACK or a crash); the
 * message exists and is committed. Then each checks its own rule and
 * writes in the loop turn's transaction, and waits as a pending entry of
 * change_kind until batch.c has ended that transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"
#include "model/xmalloc.h"
#include "server/msgs.h"
#include "server/notify.h"
#include "server/stream.h"

#define THREAD_DEFAULT 50
#define THREAD_MAX 200
#define CHANGE_PAGE 64

/* A change waiting for its commit. announce: it changed something (else
 * only the ACK goes, for a retried cid or a change already so). */
struct msg_pending {
	uint64_t session; /* whose: the ACK or ERROR goes to it if still there */
	struct room *room;
	struct store_change c;
	char *cid;
	bool announce;
};

/* ---- frames ---------------------------------------------------------------- */

/* The event of a change (strings borrowed from c). */
static struct proto_frame
change_frame(const struct store_change *c, const char *room)
{
	struct proto_frame f = proto_frame_of(PT_NONE);
	switch (c->kind) {
	case SC_REACT: case SC_UNREACT:
		f.type = PT_REACTION;
		f.emoji = c->emoji;
		f.user = c->user;
		f.on = c->kind == SC_REACT;
		f.count = c->count;
		break;
	case SC_EDIT:
		f.type = PT_MESSAGE_EDITED;
		f.text = c->text ? c->text : "";
		f.edited_ts = c->ts;
		break;
	case SC_DELETE:
		f.type = PT_MESSAGE_DELETED;
		f.by = c->user;
		break;
	}
	f.room = room;
	f.seq = c->seq;
	f.has_seq = true;
	f.rev = c->rev;
	f.has_rev = true;
	return f;
}

static void
send_ack(struct session *s, const char *cid, const char *room, int64_t seq,
    int64_t rev)
{
	struct proto_frame a = proto_frame_of(PT_ACK);
	a.cid = cid;
	a.room = room;
	a.seq = seq;
	a.has_seq = seq > 0;
	a.rev = rev;
	a.has_rev = rev > 0;
	session_send_frame(s, &a);
}

/* ---- after the commit ------------------------------------------------------ */

static void
change_committed(struct server *srv, void *data)
{
	struct msg_pending *mp = data;
	struct room *r = mp->room;
	if (mp->announce) {
		if (mp->c.rev > r->rev)
			r->rev = mp->c.rev;
		struct proto_frame f = change_frame(&mp->c, r->name);
		hub_publish(srv, r->name, &f, NULL);
	}
	struct session *s = g_hash_table_lookup(srv->sessions,
	    GSIZE_TO_POINTER(mp->session));
	if (s != NULL)
		send_ack(s, mp->cid, r->name, mp->c.seq, mp->c.rev);
}

static void
change_rolled_back(struct server *srv, void *data)
{
	struct msg_pending *mp = data;
	struct session *s = g_hash_table_lookup(srv->sessions,
	    GSIZE_TO_POINTER(mp->session));
	if (s != NULL)
		session_send_error(s, PE_INTERNAL, mp->cid, NULL,
		    "storage failure, try again");
}

static void
change_free(struct server *srv, void *data)
{
	(void)srv;
	struct msg_pending *mp = data;
	store_change_free(&mp->c);
	free(mp->cid);
	free(mp);
}

static const struct pending_kind change_kind = {
	change_committed, change_rolled_back, change_free,
};

/* ---- the gate ---------------------------------------------------------------- */

/* Queues an answer for after the commit; takes mp. */
static void
pend(const struct req *q, struct room *r, struct msg_pending *mp)
{
	mp->cid = xstrdup(q->f->cid);
	mp->session = q->s->id;
	mp->room = r;
	hub_pend(q->srv, &change_kind, mp);
}

static void
store_failed(const struct req *q)
{
	hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
	hub_batch_abort(q->srv);
}

/* After an edit or a delete the store made (rc 0), its change waits for
 * the commit to be announced; takes mp. */
static void
pend_change(const struct req *q, struct room *r, struct msg_pending *mp, int rc)
{
	if (rc != 0) {
		free(mp);
		store_failed(q);
		return;
	}
	mp->announce = true;
	pend(q, r, mp);
}

/* The room and message a change request targets, or NULL after an ERROR
 * (or when the request's cid was already stored: then its answer is
 * pending). The message is in *m (store_msg_free it). */
static struct room *
target(const struct req *q, struct store_msg *m)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	memset(m, 0, sizeof *m);
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return NULL;
	struct room *r = sub->room;
	if (hub_batch_begin(srv) != 0) {
		store_failed(q);
		return NULL;
	}
	struct msg_pending *mp = xcalloc(1, sizeof *mp);
	bool found = false;
	if (srv->store->ops->change_by_cid(srv->store, q->s->user->name, f->cid,
	    &mp->c, &found) != 0) {
		free(mp);
		store_failed(q);
		return NULL;
	}
	if (found) {
		pend(q, r, mp); /* ACKed again once what holds it is durable */
		return NULL;
	}
	free(mp);
	if (f->seq <= r->committed &&
	    srv->store->ops->message_get(srv->store, r->id, f->seq, m, &found) != 0) {
		store_failed(q);
		return NULL;
	}
	if (f->seq > r->committed || !found) {
		char reason[96];
		snprintf(reason, sizeof reason, "%s has no message %lld", r->name,
		    (long long)f->seq);
		hub_req_error(q, PE_NO_MESSAGE, reason);
		return NULL;
	}
	return r;
}

static bool
may_moderate(const struct room *r, const char *user)
{
	if (r->rights.owner != NULL && strcmp(r->rights.owner, user) == 0)
		return true;
	for (guint i = 0; r->rights.mods != NULL && i < r->rights.mods->len; i++)
		if (strcmp(g_ptr_array_index(r->rights.mods, i), user) == 0)
			return true;
	return false;
}

/* ---- requests ------------------------------------------------------------------ */

void
msgs_handle_react(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	struct store_msg m;
	struct room *r = target(q, &m);
	if (r == NULL)
		return;
	if (m.deleted) {
		store_msg_free(&m);
		hub_req_error(q, PE_DELETED, "the message was deleted");
		return;
	}
	store_msg_free(&m);
	struct msg_pending *mp = xcalloc(1, sizeof *mp);
	enum store_react_result res;
	if (srv->store->ops->reaction_set(srv->store, r->id, f->seq,
	    q->s->user->name, f->cid, f->emoji, f->on, now_ms(), MSGS_MAX_EMOJI,
	    &mp->c, &res) != 0) {
		free(mp);
		store_failed(q);
		return;
	}
	if (res == SR_TOO_MANY) {
		free(mp);
		char reason[96];
		snprintf(reason, sizeof reason, "a message has at most %d distinct "
		    "reactions", MSGS_MAX_EMOJI);
		hub_req_error(q, PE_TOO_MANY_REACTIONS, reason);
		return;
	}
	/* adding a reaction one has, or taking back one not there, changes
	 * nothing: an ACK, no event */
	mp->announce = res == SR_CHANGED;
	if (!mp->announce)
		mp->c.seq = f->seq;
	pend(q, r, mp);
}

void
msgs_handle_edit(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	size_t cps = utf8_count(f->text, strlen(f->text));
	struct store_msg m;
	struct room *r = target(q, &m);
	if (r == NULL)
		return;
	bool mine = strcmp(m.user, q->s->user->name) == 0, deleted = m.deleted;
	store_msg_free(&m);
	char reason[96];
	if (!mine) {
		hub_req_error(q, PE_FORBIDDEN, "only its author may edit a message");
		return;
	}
	if (deleted) {
		hub_req_error(q, PE_DELETED, "the message was deleted");
		return;
	}
	if (cps == 0) {
		hub_req_error(q, PE_BAD_FIELD, "text is empty");
		return;
	}
	if (cps > srv->cfg.max_text) {
		snprintf(reason, sizeof reason, "text is over %zu characters",
		    srv->cfg.max_text);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	struct msg_pending *mp = xcalloc(1, sizeof *mp);
	pend_change(q, r, mp, srv->store->ops->message_edit(srv->store, r->id,
	    f->seq, q->s->user->name, f->cid, f->text, now_ms(), &mp->c));
}

void
msgs_handle_delete(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	const char *user = q->s->user->name;
	struct store_msg m;
	struct room *r = target(q, &m);
	if (r == NULL)
		return;
	bool mine = strcmp(m.user, user) == 0, deleted = m.deleted;
	store_msg_free(&m);
	if (!mine && !may_moderate(r, user)) {
		hub_req_error(q, PE_FORBIDDEN, "only its author, the room's owner and "
		    "its moderators may delete a message");
		return;
	}
	struct msg_pending *mp = xcalloc(1, sizeof *mp);
	if (deleted) {
		/* deleted already (by someone else, or a retry with a new cid) */
		mp->c.seq = f->seq;
		pend(q, r, mp);
		return;
	}
	pend_change(q, r, mp, srv->store->ops->message_delete(srv->store, r->id,
	    f->seq, user, f->cid, now_ms(), &mp->c));
}

/* ---- threads ------------------------------------------------------------------- */

bool
msgs_reply_root(const struct req *q, struct room *r, int64_t *root, char **author)
{
	struct server *srv = q->srv;
	int64_t seq = q->f->thread;
	*author = NULL;
	for (int hop = 0; hop < 2; hop++) {
		struct store_msg m;
		bool found = false;
		if (seq <= r->committed &&
		    srv->store->ops->message_get(srv->store, r->id, seq, &m,
		    &found) != 0) {
			hub_store_failed(srv, q->s, q->f->cid, q->ref);
			return false;
		}
		if (!found || m.deleted) {
			if (found)
				store_msg_free(&m);
			char reason[96];
			snprintf(reason, sizeof reason, "%s has no message %lld to reply to",
			    r->name, (long long)seq);
			hub_req_error(q, PE_NO_MESSAGE, reason);
			return false;
		}
		if (m.thread == 0) {
			*root = seq;
			*author = xstrdup(m.user);
			store_msg_free(&m);
			return true;
		}
		seq = m.thread; /* a reply to a reply: to its root */
		store_msg_free(&m);
	}
	hub_req_error(q, PE_NO_MESSAGE, "no thread root"); /* roots are no replies */
	return false;
}

int
msgs_reply_stored(struct server *srv, struct room *r, struct store_msg *m,
    int64_t root, const char *author)
{
	if (srv->store->ops->message_thread_set(srv->store, r->id, m->seq, root,
	    m->ts) != 0)
		return -1;
	m->thread = root;
	return notif_reply(srv, r, m, author);
}

void
msgs_handle_thread(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	struct room *r = sub->room;
	struct store_msg m;
	bool found = false;
	if (f->root <= r->committed &&
	    srv->store->ops->message_get(srv->store, r->id, f->root, &m, &found) != 0) {
		hub_store_failed(srv, q->s, f->cid, q->ref);
		return;
	}
	if (!found) {
		char reason[96];
		snprintf(reason, sizeof reason, "%s has no message %lld", r->name,
		    (long long)f->root);
		hub_req_error(q, PE_NO_MESSAGE, reason);
		return;
	}
	int64_t root = m.thread ? m.thread : f->root; /* a reply: its thread */
	store_msg_free(&m);
	int64_t before = r->committed + 1;
	if (f->has_before && f->before < before)
		before = f->before;
	size_t limit = f->has_limit ? (size_t)f->limit : THREAD_DEFAULT;
	if (limit > THREAD_MAX)
		limit = THREAD_MAX;
	/* where the page starts, from the index; the replies themselves are
	 * read a few at a time as the socket drains, as HISTORY's are */
	int64_t first;
	bool more;
	if (srv->store->ops->thread_page(srv->store, r->id, root, before,
	    r->committed, limit, &first, &more) != 0) {
		hub_store_failed(srv, q->s, f->cid, q->ref);
		return;
	}
	struct proto_frame t = proto_frame_of(PT_THREAD);
	t.room = r->name;
	t.cid = f->cid;
	t.root = root;
	t.has_root = true;
	t.more = more;
	struct ostream *o = stream_thread(&t, r->id, root, first > 0 ? first : 1,
	    first > 0 ? before - 1 : 0);
	if (o == NULL)
		hub_req_error(q, PE_INTERNAL, "out of memory");
	else
		session_send_stream(q->s, o);
}

/* ---- resuming ------------------------------------------------------------------ */

void
msgs_replay_start(struct sub *sub, int64_t since, int64_t since_rev)
{
	struct room *r = sub->room;
	sub->seen = since < r->committed ? since : r->committed;
	sub->changes = since_rev >= 0 && since_rev < r->rev;
	sub->change_next = since_rev + 1;
	sub->change_seq = since;
	sub->change_rev0 = r->rev;
}

void
msgs_replay_step(struct server *srv, struct session *s, struct sub *sub)
{
	struct room *r = sub->room;
	if (sub->change_next <= r->rev) {
		struct store_changes cs;
		if (srv->store->ops->changes_after(srv->store, r->id,
		    sub->change_next - 1, r->rev, sub->change_seq, sub->change_rev0,
		    CHANGE_PAGE, &cs) != 0) {
			hub_store_failed(srv, s, NULL, "JOIN");
			sub->changes = false;
			return;
		}
		size_t i = 0;
		while (i < cs.n && (i == 0 || s->out_bytes < SESSION_LOW_WATER(srv))) {
			struct proto_frame f = change_frame(&cs.v[i++], r->name);
			session_send_frame(s, &f);
		}
		/* what the query passed over (newer messages' changes before
		 * rev0) is skipped with the page */
		sub->change_next = i == cs.n && cs.n < CHANGE_PAGE ? r->rev + 1
		    : cs.v[i - 1].rev + 1;
		store_changes_free(&cs);
		if (sub->change_next <= r->rev)
			return;
	}
	/* caught up: messages committed meanwhile come (in their latest
	 * state) before the session goes live, and then their changes */
	if (r->committed > sub->seen)
		sub->replay_next = sub->seen + 1;
	else
		sub->changes = false;
}
