/*
 * hub: what confabd does with a decoded frame. Rooms, users, presence,
 * typing and the message path live here (signing on and joining in
 * hub_join.c); sockets do not (ws.c) and neither does SQL (store_*.c).
 *
 * A MESSAGE (message.c) is appended to the store inside the loop turn's
 * transaction and waits on the pending list until batch.c has committed
 * it; replays and HISTORY never read past room->committed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/names.h"
#include "model/utf8.h"
#include "model/xmalloc.h"
#include "server/jobs.h"
#include "server/abuse.h"
#include "server/hub_impl.h"
#include "server/msgs.h"
#include "server/notify.h"
#include "server/rights.h"
#include "server/rooms.h"
#include "server/server.h"
#include "server/stream.h"

#define HISTORY_DEFAULT 50
#define TICK_US (250 * LWS_US_PER_MS)

/* ---- rooms and users ----------------------------------------------------- */

static void
room_free(void *p)
{
	struct room *r = p;
	typing_clear_all(&r->typing);
	rights_clear(&r->rights);
	g_free(r->name);
	g_free(r);
}

static void
user_free(void *p)
{
	struct user *u = p;
	presence_clear(&u->presence);
	docs_where_free(u);
	g_hash_table_destroy(u->rooms);
	g_ptr_array_free(u->sessions, TRUE);
	g_free(u->name);
	g_free(u);
}

/* The loaded room, creating it in the store when create is set. */
struct room *
hub_room_get(struct server *srv, const char *name, bool create)
{
	struct room *r = g_hash_table_lookup(srv->rooms, name);
	if (r != NULL || !create)
		return r;
	int64_t id, head;
	if (srv->store->ops->room_ensure(srv->store, name, now_ms(), &id, &head) != 0) {
		hub_store_error(srv);
		return NULL;
	}
	r = g_new0(struct room, 1);
	r->name = g_strdup(name);
	r->id = id;
	r->committed = head;
	typing_init(&r->typing);
	if (srv->store->ops->room_rev(srv->store, id, &r->rev) != 0 ||
	    rights_load(srv, r) != 0) {
		/* unknown rights would let anyone into a private room */
		hub_store_error(srv);
		room_free(r);
		return NULL;
	}
	g_hash_table_insert(srv->rooms, r->name, r);
	return r;
}

struct room *
hub_room(struct server *srv, const char *name)
{
	return g_hash_table_lookup(srv->rooms, name);
}

struct user *
hub_user(struct server *srv, const char *name)
{
	return g_hash_table_lookup(srv->users, name);
}

struct user *
hub_user_get(struct server *srv, const char *name)
{
	struct user *u = g_hash_table_lookup(srv->users, name);
	if (u != NULL)
		return u;
	char **rooms;
	size_t n;
	if (srv->store->ops->user_rooms(srv->store, name, &rooms, &n) != 0) {
		hub_store_error(srv);
		return NULL;
	}
	u = g_new0(struct user, 1);
	u->name = g_strdup(name);
	presence_init(&u->presence);
	u->rooms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	u->sessions = g_ptr_array_new();
	for (size_t i = 0; i < n; i++)
		g_hash_table_add(u->rooms, g_strdup(rooms[i]));
	store_strings_free(rooms, n);
	g_hash_table_insert(srv->users, u->name, u);
	return u;
}

struct sub *
hub_sub_of(struct session *s, const char *room)
{
	return g_hash_table_lookup(s->subs, room);
}

/* ---- fan-out ------------------------------------------------------------- */

static struct outbuf *
encode(const struct proto_frame *f)
{
	char *json = proto_encode(f, PROTO_TO_CLIENT);
	if (json == NULL)
		return NULL;
	struct outbuf *b = outbuf_new(json, strlen(json));
	free(json);
	return b;
}

void
hub_publish(struct server *srv, const char *room, const struct proto_frame *f,
    const struct session *except)
{
	struct outbuf *b = encode(f);
	if (b != NULL)
		srv->broker->ops->publish(srv->broker, room, b, except);
	outbuf_unref(b);
}

static void
send_now(struct session *s, void *arg)
{
	session_send(s, arg);
}

void
hub_publish_now(struct server *srv, const char *room, const struct proto_frame *f)
{
	struct outbuf *b = encode(f);
	if (b != NULL)
		srv->broker->ops->visit(srv->broker, room, send_now, b);
	outbuf_unref(b);
}

void
hub_deliver(struct session *s, const char *room, struct outbuf *b)
{
	/* Most sessions replay nothing: skip the lookup for them. */
	if (s->replaying > 0) {
		struct sub *sub = hub_sub_of(s, room);
		if (sub != NULL && sub_replaying(sub))
			return; /* the replay will read it from the store, in order */
	}
	session_send(s, b);
}

struct marked_send {
	struct server *srv;
	struct outbuf *b;
};

static void
send_once(struct session *s, void *arg)
{
	struct marked_send *ms = arg;
	if (s->mark == ms->srv->mark)
		return;
	s->mark = ms->srv->mark;
	session_send(s, ms->b);
}

/* Sends the user's presence to every session sharing a room with them,
 * and to their own sessions, once each. */
void
hub_broadcast_presence(struct server *srv, struct user *u)
{
	struct presence_view v = presence_view(&u->presence);
	struct proto_frame f = proto_frame_of(PT_PRESENCE_UPDATE);
	f.user = u->name;
	f.status = v.status;
	f.text = v.text;
	f.last_seen = v.last_seen;
	/* The document goes only to the sessions in its room (and the user's
	 * own); the others are told none. */
	f.at = docs_where_of(u);
	struct marked_send ms = {srv, encode(&f)};
	if (ms.b == NULL)
		return;
	srv->mark++;
	if (f.at.room != NULL) {
		srv->broker->ops->visit(srv->broker, f.at.room, send_once, &ms);
		for (guint i = 0; i < u->sessions->len; i++)
			send_once(g_ptr_array_index(u->sessions, i), &ms);
		outbuf_unref(ms.b);
		f.at = (struct proto_docref){NULL, NULL};
		if ((ms.b = encode(&f)) == NULL)
			return;
	}
	GHashTableIter it;
	gpointer room;
	g_hash_table_iter_init(&it, u->rooms);
	while (g_hash_table_iter_next(&it, &room, NULL))
		srv->broker->ops->visit(srv->broker, room, send_once, &ms);
	for (guint i = 0; i < u->sessions->len; i++)
		send_once(g_ptr_array_index(u->sessions, i), &ms);
	outbuf_unref(ms.b);
}

void
hub_broadcast_typing(struct server *srv, struct room *r, const char *user,
    bool active, const struct session *except)
{
	struct proto_frame f = proto_frame_of(PT_TYPING);
	f.room = r->name;
	f.user = user;
	f.active = active;
	hub_publish(srv, r->name, &f, except);
}

/* ---- the store ----------------------------------------------------------- */

void
hub_store_error(struct server *srv)
{
	const char *why = srv->store->ops->error(srv->store);
	lwsl_err("store: %s\n", why);
	if (srv->store_state.state != STORE_OK)
		return; /* a start-up finding says more */
	srv->store_state.state = STORE_FAILING;
	snprintf(srv->store_state.detail, sizeof srv->store_state.detail,
	    "a store operation failed: %s", why);
}

void
hub_store_failed(struct server *srv, struct session *s, const char *cid,
    const char *ref)
{
	hub_store_error(srv);
	session_send_error(s, PE_INTERNAL, cid, ref, "storage failure, try again");
}

void
hub_to_proto(const struct store_msg *m, const char *room, struct proto_message *p,
    char *idbuf, size_t idlen)
{
	snprintf(idbuf, idlen, "%lld", (long long)m->id);
	*p = (struct proto_message){.room = room, .seq = m->seq,
	    .id = idbuf, .user = m->user, .text = m->text, .ts = m->ts, .cid = m->cid,
	    .thread = m->thread, .replies = m->replies, .last_reply = m->last_reply,
	    .edited_ts = m->edited_ts, .deleted = m->deleted};
	if (m->nreactions == 0)
		return;
	p->reactions = xcalloc(m->nreactions, sizeof *p->reactions);
	p->nreactions = m->nreactions;
	for (size_t i = 0; i < m->nreactions; i++) {
		const struct store_reaction *r = &m->reactions[i];
		p->reactions[i] = (struct proto_reaction){.emoji = r->emoji,
		    .count = r->count, .users = (const char **)r->users,
		    .nusers = r->nusers};
	}
}

void
hub_proto_release(struct proto_message *p)
{
	free(p->reactions);
	p->reactions = NULL;
	p->nreactions = 0;
}

struct proto_frame
hub_message_frame(const struct proto_message *pm)
{
	struct proto_frame f = proto_frame_of(PT_MESSAGE);
	f.room = pm->room;
	f.seq = pm->seq;
	f.has_seq = true;
	f.id = pm->id;
	f.user = pm->user;
	f.text = pm->deleted ? NULL : pm->text; /* a tombstone has none */
	f.ts = pm->ts;
	f.has_ts = true;
	f.cid = pm->cid;
	f.thread = pm->thread;
	f.has_thread = pm->thread > 0;
	f.replies = pm->replies;
	f.last_reply = pm->last_reply;
	f.edited_ts = pm->edited_ts;
	f.deleted = pm->deleted;
	f.reactions = pm->reactions;
	f.nreactions = pm->nreactions;
	return f;
}


/* ---- requests ------------------------------------------------------------ */

void
hub_req_error(const struct req *q, enum proto_err code, const char *reason)
{
	session_send_error(q->s, code, q->f->cid, q->ref, reason);
}

void
hub_req_ack(const struct req *q, const char *room)
{
	struct proto_frame a = proto_frame_of(PT_ACK);
	a.cid = q->f->cid;
	a.room = room;
	session_send_frame(q->s, &a);
}

void
hub_room_error(const struct req *q, const char *room, enum proto_err code,
    const char *reason)
{
	struct proto_frame e = proto_frame_of(PT_ERROR);
	e.code = proto_err_name(code);
	e.reason = reason;
	e.cid = q->f->cid;
	e.ref = q->ref;
	e.room = room;
	q->srv->m.errors[code]++;
	session_send_frame(q->s, &e);
}

/* The session's subscription to f->room, or an ERROR not_joined. */
struct sub *
hub_joined(const struct req *q)
{
	struct sub *sub = hub_sub_of(q->s, q->f->room);
	if (sub == NULL) {
		char reason[96];
		snprintf(reason, sizeof reason, "join %s first", q->f->room);
		hub_req_error(q, PE_NOT_JOINED, reason);
	}
	return sub;
}

void
hub_send_ack(const struct req *q)
{
	if (q->f->cid != NULL)
		hub_req_ack(q, q->f->room);
}

/* Seqs are gap-free, so the page is a range: no query before streaming. */
static void
handle_history(const struct req *q)
{
	const struct proto_frame *f = q->f;
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	struct room *r = sub->room;
	int64_t before = r->committed + 1;
	if (f->has_before && f->before < before)
		before = f->before;
	size_t limit = f->has_limit ? (size_t)f->limit : HISTORY_DEFAULT;
	if (limit > HUB_HISTORY_MAX)
		limit = HUB_HISTORY_MAX;
	int64_t first = before - (int64_t)limit;
	if (first < 1)
		first = 1;
	struct proto_frame h = proto_frame_of(PT_HISTORY);
	h.room = r->name;
	h.cid = f->cid;
	h.more = first > 1;
	struct ostream *o = stream_history(&h, r->id, first, before - 1);
	if (o == NULL)
		hub_req_error(q, PE_INTERNAL, "out of memory");
	else
		session_send_stream(q->s, o);
}

static void
handle_typing(const struct req *q)
{
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	const char *user = q->s->user->name;
	bool changed = q->f->active
	    ? typing_start(&sub->room->typing, user, now_ms())
	    : typing_stop(&sub->room->typing, user);
	if (changed)
		hub_broadcast_typing(q->srv, sub->room, user, q->f->active, q->s);
}

static void
handle_presence(const struct req *q)
{
	struct user *u = q->s->user;
	hub_send_ack(q);
	if (presence_set(&u->presence, q->s->id, q->f->status, q->f->text, now_ms()))
		hub_broadcast_presence(q->srv, u);
}

static void
handle_heartbeat(const struct req *q)
{
	struct proto_frame h = proto_frame_of(PT_HEARTBEAT);
	h.ts = now_ms();
	h.has_ts = true;
	session_send_frame(q->s, &h);
}

static const struct handler {
	enum proto_type type;
	void (*fn)(const struct req *);
	bool needs_hello;
	bool limited;
} handlers[] = {
	{PT_HELLO, hub_handle_hello, false, true},
	{PT_JOIN, hub_handle_join, true, true},
	{PT_LEAVE, hub_handle_leave, true, true},
	{PT_MESSAGE, hub_handle_message, true, true},
	{PT_HISTORY, handle_history, true, true},
	{PT_TYPING, handle_typing, true, true},
	{PT_PRESENCE_UPDATE, handle_presence, true, true},
	{PT_HEARTBEAT, handle_heartbeat, false, false},
	{PT_DOC_OPEN, docs_handle_open, true, true},
	{PT_DOC_CLOSE, docs_handle_close, true, true},
	{PT_DOC_OP, docs_handle_op, true, true},
	{PT_CURSOR, docs_handle_cursor, true, true},
	{PT_DOC_HISTORY, docs_handle_history, true, true},
	{PT_DOC_GET, docs_handle_get, true, true},
	{PT_DOC_TAG, docs_handle_tag, true, true},
	{PT_COMMENT, docs_handle_comment, true, true},
	{PT_COMMENT_REPLY, docs_handle_comment_reply, true, true},
	{PT_COMMENT_RESOLVE, docs_handle_comment_resolve, true, true},
	{PT_COMMENT_EDIT, docs_handle_comment_edit, true, true},
	{PT_COMMENT_DELETE, docs_handle_comment_delete, true, true},
	{PT_DOC_SUGGEST, docs_handle_suggest, true, true},
	{PT_SUGGEST_ACCEPT, docs_handle_accept, true, true},
	{PT_SUGGEST_REJECT, docs_handle_reject, true, true},
	{PT_DOC_MODE, docs_handle_mode, true, true},
	{PT_DOC_LIST, docs_handle_list, true, true},
	{PT_NOTIFICATIONS, notif_handle_list, true, true},
	{PT_MARK_READ, notif_handle_mark_read, true, true},
	{PT_MARK_ALL_READ, notif_handle_mark_all_read, true, true},
	{PT_LOGIN, signin_handle_login, false, true},
	{PT_REGISTER, signin_handle_register, false, true},
	{PT_LOGOUT, signin_handle_logout, true, true},
	{PT_INVITE, rights_handle_invite, true, true},
	{PT_KICK, rights_handle_kick, true, true},
	{PT_BAN, rights_handle_ban, true, true},
	{PT_UNBAN, rights_handle_unban, true, true},
	{PT_ROOM_MODE, rights_handle_mode, true, true},
	{PT_OP, rights_handle_op, true, true},
	{PT_DEOP, rights_handle_deop, true, true},
	{PT_THREAD, msgs_handle_thread, true, true},
	{PT_REACT, msgs_handle_react, true, true},
	{PT_EDIT, msgs_handle_edit, true, true},
	{PT_DELETE, msgs_handle_delete, true, true},
	{PT_READ, reads_handle_read, true, true},
	{PT_SEARCH, search_handle, true, true},
	{PT_TOPIC, topic_handle, true, true},
	{PT_ROOMS, directory_handle, true, true},
};

void
hub_frame(struct server *srv, struct session *s, const char *buf, size_t len)
{
	int64_t now = now_ms();
	srv->m.frames_in++;
	s->last_rx = now;

	struct proto_frame f;
	struct proto_error err;
	if (!proto_decode(buf, len, PROTO_TO_SERVER, &f, &err)) {
		if (!ratelimit_take(&s->rl, now))
			session_send_error(s, PE_RATE_LIMITED, err.cid, err.ref,
			    "slow down");
		else
			session_send_error(s, err.code, err.cid, err.ref, err.reason);
		return;
	}
	const struct handler *h = NULL;
	for (size_t i = 0; i < sizeof handlers / sizeof *handlers; i++)
		if (handlers[i].type == f.type)
			h = &handlers[i];
	struct req q = {srv, s, &f, proto_type_name(f.type)};
	if (h == NULL)
		hub_req_error(&q, PE_UNKNOWN_TYPE, "unknown frame type");
	else if (h->limited && !ratelimit_take(&s->rl, now))
		hub_req_error(&q, PE_RATE_LIMITED, "slow down");
	else if (h->needs_hello && s->user == NULL)
		hub_req_error(&q, PE_NO_HELLO, "send HELLO first");
	else if (dm_allowed(&q, f.room))
		h->fn(&q);
	if (s->park_now) {
		s->park_now = false;
		s->parked = g_new(struct proto_frame, 1);
		*s->parked = f; /* the frame and its tree move there */
		s->parked_fn = h->fn;
		return;
	}
	proto_frame_free(&f);
}

/* ---- sessions and time --------------------------------------------------- */

void
hub_session_open(struct server *srv, struct session *s)
{
	(void)srv;
	(void)s;
}

void
hub_session_closed(struct server *srv, struct session *s)
{
	struct user *u = s->user;
	GHashTableIter it;
	gpointer room;
	hub_park_drop(s);
	bool moved = docs_where_forget(s); /* told with the presence below */
	docs_session_closed(srv, s);
	g_hash_table_iter_init(&it, s->subs);
	while (g_hash_table_iter_next(&it, &room, NULL))
		srv->broker->ops->unsubscribe(srv->broker, room, s);
	if (u == NULL)
		return;
	g_ptr_array_remove_fast(u->sessions, s);
	int64_t now = now_ms();
	bool changed = presence_close(&u->presence, s->id, now);
	if (u->sessions->len == 0) {
		if (srv->store->ops->user_seen(srv->store, u->name, now) != 0)
			hub_store_error(srv);
		g_hash_table_iter_init(&it, u->rooms);
		while (g_hash_table_iter_next(&it, &room, NULL)) {
			struct room *r = hub_room_get(srv, room, false);
			if (r != NULL && typing_stop(&r->typing, u->name))
				hub_broadcast_typing(srv, r, u->name, false, NULL);
		}
	}
	if (changed || moved)
		hub_broadcast_presence(srv, u);
}

static void
expire_typing(struct server *srv, int64_t now)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, srv->rooms);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct room *r = v;
		char user[NAMES_USER_MAX + 1];
		while (typing_pop_expired(&r->typing, now, user, sizeof user))
			hub_broadcast_typing(srv, r, user, false, NULL);
	}
}

static void
expire_sessions(struct server *srv, int64_t now)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, srv->sessions);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct session *s = v;
		/* a session waiting for its own long request is not silent */
		if (s->dead || s->blocked || abuse_handshake_late(srv, s, now))
			continue;
		if (now - s->last_rx > 2 * srv->cfg.heartbeat_ms) {
			srv->m.heartbeat_disconnects++;
			session_drop(s, 4001, "heartbeat timeout");
		}
	}
}

void
hub_tick(struct server *srv)
{
	int64_t now = now_ms();
	expire_typing(srv, now);
	expire_sessions(srv, now);
}

static void
tick_cb(lws_sorted_usec_list_t *sul)
{
	struct server *srv = lws_container_of(sul, struct server, tick_sul);
	hub_tick(srv);
	lws_sul_schedule(srv->ctx, 0, &srv->tick_sul, tick_cb, TICK_US);
}

void
hub_init(struct server *srv)
{
	srv->rooms = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, room_free);
	srv->users = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, user_free);
	srv->sessions = g_hash_table_new(g_direct_hash, g_direct_equal);
	srv->pending = g_array_new(FALSE, FALSE, sizeof(struct pending));
	srv->watches = g_ptr_array_new();
	srv->reap = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	g_queue_init(&srv->jobs);
	docs_init(srv);
	notif_init(srv);
	reads_init(srv);
	lws_sul_schedule(srv->ctx, 0, &srv->tick_sul, tick_cb, TICK_US);
}

void
hub_destroy(struct server *srv)
{
	hub_batch_fail(srv);
	jobs_destroy(srv);
	g_array_free(srv->pending, TRUE);
	g_ptr_array_free(srv->watches, TRUE);
	g_array_free(srv->reap, TRUE);
	docs_destroy(srv);
	notif_destroy(srv);
	reads_destroy(srv);
	g_hash_table_destroy(srv->sessions);
	g_hash_table_destroy(srv->users);
	g_hash_table_destroy(srv->rooms);
}
