/*
 * dm: direct-message rooms (docs/protocol.md, "Direct messages"). A room
 * named "@u1+u2" belongs to u1 and u2 alone.
 *
 * Every request that names a room passes dm_allowed before its handler
 * runs (and every room a HELLO resumes, before it is joined), so a third
 * user learns nothing about the room: the answer is the same whether it
 * exists or not, and since they can never join it, no frame of the room
 * ever reaches them. The first join creates the room and makes both users
 * members, so that the other finds it among their rooms.
 */
#include <stdio.h>
#include <string.h>

#include "model/names.h"
#include "server/notify.h"

bool
dm_allowed(const struct req *q, const char *room)
{
	char other[NAMES_USER_MAX + 1];
	if (room == NULL || room[0] != '@' || q->s->user == NULL)
		return true;
	if (!names_dm_other(room, q->s->user->name, other)) {
		hub_req_error(q, PE_FORBIDDEN, "a direct-message room of two other "
		    "users");
		return false;
	}
	/* A room of someone the server has never seen would take messages
	 * nobody can read: refused while it does not exist. */
	if (g_hash_table_lookup(q->srv->rooms, room) != NULL ||
	    g_hash_table_lookup(q->srv->users, other) != NULL)
		return true; /* the room exists, or the user is signed in now */
	bool known = true;
	if (q->srv->store->ops->user_known(q->srv->store, other, &known) != 0)
		hub_store_error(q->srv);
	if (known)
		return true;
	char reason[96];
	snprintf(reason, sizeof reason, "no user %s on this server", other);
	hub_req_error(q, PE_UNKNOWN_USER, reason);
	return false;
}

void
dm_created(const struct req *q, struct room *r)
{
	struct server *srv = q->srv;
	char other[NAMES_USER_MAX + 1];
	bool added = false;
	if (!names_dm_other(r->name, q->s->user->name, other))
		return;
	if (srv->store->ops->member_add(srv->store, r->id, other, now_ms(),
	    &added) != 0) {
		hub_store_error(srv);
		return;
	}
	if (!added)
		return;
	struct user *u = g_hash_table_lookup(srv->users, other);
	struct presence_view v = {PS_OFFLINE, "", 0};
	if (u != NULL) {
		g_hash_table_add(u->rooms, g_strdup(r->name));
		v = presence_view(&u->presence);
	}
	struct proto_frame j = proto_frame_of(PT_USER_JOINED);
	j.room = r->name;
	j.user = other;
	j.status = v.status;
	j.text = v.text;
	j.last_seen = v.last_seen;
	struct outbuf *b = notif_encode(&j);
	if (b != NULL)
		srv->broker->ops->publish(srv->broker, r->name, b, NULL);
	outbuf_unref(b);
}
