/*
 * hub_join: signing on and joining in confabd: HELLO (and the rooms it
 * resumes), JOIN with the JOINED snapshot, LEAVE, and what a member's
 * going takes from their sessions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/abuse.h"
#include "server/hub_impl.h"
#include "server/msgs.h"
#include "server/notify.h"
#include "server/rights.h"
#include "server/rooms.h"
#include "server/server.h"
#include "server/stream.h"

#define JOIN_LATEST 50

/* JOINED, produced as the socket drains: a room's members may be many and
 * its latest messages long. */
static void
send_joined(const struct req *q, struct room *r, bool with_latest)
{
	const char **typing = g_new0(const char *, r->typing.n + 1);
	for (size_t i = 0; i < r->typing.n; i++)
		typing[i] = r->typing.e[i].user;
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = r->name;
	f.seq = r->committed;
	f.has_seq = true;
	f.typing = typing;
	f.ntyping = r->typing.n;
	f.rev = r->rev;
	f.has_rev = true;
	rights_fill_joined(r, &f);
	struct rooms_joined rj;
	rooms_fill_joined(q->srv, r, q->s->user->name, &f, &rj);
	int64_t first = r->committed - JOIN_LATEST + 1;
	struct ostream *o = stream_joined(&f, r, first < 1 ? 1 : first,
	    with_latest ? r->committed : 0);
	rooms_joined_done(&rj);
	g_free(typing);
	if (o == NULL)
		hub_req_error(q, PE_INTERNAL, "out of memory");
	else
		session_send_stream(q->s, o);
}

/* since_rev -1: no changes wanted (the old resume, a JOIN without it). */
static void
join_room(const struct req *q, const char *name, bool has_since, int64_t since,
    int64_t since_rev)
{
	struct server *srv = q->srv;
	struct session *s = q->s;
	struct sub *sub = hub_sub_of(s, name);

	if (!dm_allowed(q, name))
		return;
	if (sub == NULL && g_hash_table_size(s->subs) >= srv->cfg.max_rooms) {
		hub_room_error(q, name, PE_TOO_MANY_ROOMS, "too many rooms in one session");
		return;
	}
	if (!abuse_may_create_room(q, name))
		return;
	struct room *r = hub_room_get(srv, name, true);
	bool added = false, invited = false;
	if (r == NULL) {
		hub_store_failed(srv, s, q->f->cid, q->ref);
		return;
	}
	if (sub == NULL && !rights_may_join(q, r, &invited))
		return;
	if (srv->store->ops->member_add(srv->store, r->id, s->user->name, now_ms(),
	    &added) != 0) {
		hub_store_failed(srv, s, q->f->cid, q->ref);
		return;
	}
	if (added) {
		g_hash_table_add(s->user->rooms, g_strdup(name));
		struct presence_view v = presence_view(&s->user->presence);
		struct proto_frame j = proto_frame_of(PT_USER_JOINED);
		j.room = r->name;
		j.user = s->user->name;
		j.status = v.status;
		j.text = v.text;
		j.last_seen = v.last_seen;
		hub_publish(srv, r->name, &j, NULL);
		notif_joined(q, r);
		rights_joined(q, r, invited);
	}
	if (sub == NULL) {
		sub = g_new0(struct sub, 1);
		sub->room = r;
		g_hash_table_insert(s->subs, g_strdup(name), sub);
		srv->broker->ops->subscribe(srv->broker, r->name, s);
	}
	send_joined(q, r, !has_since);
	sub->replay_next = has_since && since < r->committed ? since + 1 : 0;
	msgs_replay_start(sub, has_since ? since : r->committed,
	    has_since ? since_rev : -1);
	hub_session_drained(srv, s);
}

void
hub_handle_hello(const struct req *q)
{
	struct server *srv = q->srv;
	struct session *s = q->s;
	if (s->user != NULL) {
		hub_req_error(q, PE_BAD_STATE, "HELLO was already sent");
		return;
	}
	if (!signin_hello(q))
		return;
	struct user *u = hub_user_get(srv, q->f->user);
	if (u == NULL) {
		hub_store_failed(srv, s, q->f->cid, q->ref);
		return;
	}
	if (!abuse_hello(q, u))
		return;
	s->user = u;
	g_ptr_array_add(u->sessions, s);
	bool changed = presence_open(&u->presence, s->id, now_ms());

	struct proto_frame w = proto_frame_of(PT_WELCOME);
	w.user = u->name;
	w.session = s->sid;
	w.heartbeat_ms = srv->cfg.heartbeat_ms;
	w.server = "confabd " CONFAB_VERSION;
	w.limits = (struct proto_limits){(int64_t)srv->cfg.max_frame,
	    (int64_t)srv->cfg.max_text, HUB_HISTORY_MAX, (int64_t)srv->cfg.max_rooms,
	    (int64_t)srv->cfg.max_doc};
	w.has_limits = true;
	notif_welcome(srv, u->name, &w);
	session_send_frame(s, &w);
	if (changed)
		hub_broadcast_presence(srv, u);
	for (size_t i = 0; i < q->f->nresume; i++)
		join_room(q, q->f->resume[i].room, true, q->f->resume[i].seq,
		    q->f->resume[i].rev);
}

void
hub_handle_join(const struct req *q)
{
	join_room(q, q->f->room, q->f->has_since, q->f->since,
	    q->f->has_since_rev ? q->f->since_rev : -1);
}

void
hub_handle_leave(const struct req *q)
{
	struct server *srv = q->srv;
	struct user *u = q->s->user;
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	struct room *r = sub->room;
	bool removed;
	if (srv->store->ops->member_remove(srv->store, r->id, u->name, &removed) != 0) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		return;
	}
	hub_send_ack(q);
	if (typing_stop(&r->typing, u->name))
		hub_broadcast_typing(srv, r, u->name, false, NULL);
	struct proto_frame f = proto_frame_of(PT_USER_LEFT);
	f.room = r->name;
	f.user = u->name;
	hub_publish(srv, r->name, &f, NULL);
	hub_member_gone(srv, r, u->name);
}

void
hub_member_gone(struct server *srv, struct room *r, const char *user)
{
	struct user *u = hub_user(srv, user);
	for (guint i = 0; u != NULL && i < u->sessions->len; i++) {
		struct session *o = g_ptr_array_index(u->sessions, i);
		if (g_hash_table_contains(o->subs, r->name)) {
			docs_session_left(srv, o, r->name);
			srv->broker->ops->unsubscribe(srv->broker, r->name, o);
			g_hash_table_remove(o->subs, r->name);
		}
	}
	if (u != NULL) /* else not signed in during this run: nothing loaded */
		g_hash_table_remove(u->rooms, r->name);
	/* after they left: nothing more of the room reaches them */
	if (typing_stop(&r->typing, user))
		hub_broadcast_typing(srv, r, user, false, NULL);
}
