/*
 * topics: rooms' topics (TOPIC) and the directory of public rooms (ROOMS)
 * (rooms.h).
 *
 * Any member sets the topic of a public room, and either user that of
 * their direct-message room; in a private room only its owner and
 * moderators do. A topic is durable before it is acknowledged, then every
 * session in the room gets it. The directory lists public rooms only: a
 * private or direct-message room is never named to anyone.
 */
#include <stdio.h>
#include <string.h>

#include "model/utf8.h"
#include "server/rooms.h"

#define DIRECTORY_DEFAULT 50
#define DIRECTORY_MAX 200

static bool
may_set_topic(const struct room *r, const char *user)
{
	if (r->name[0] == '@' || !r->rights.is_private)
		return true;
	if (r->rights.owner != NULL && strcmp(r->rights.owner, user) == 0)
		return true;
	for (guint i = 0; i < r->rights.mods->len; i++)
		if (strcmp(g_ptr_array_index(r->rights.mods, i), user) == 0)
			return true;
	return false;
}

void
topic_handle(const struct req *q)
{
	struct server *srv = q->srv;
	struct store *st = srv->store;
	const char *user = q->s->user->name;
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	struct room *r = sub->room;
	if (!may_set_topic(r, user)) {
		char reason[128];
		snprintf(reason, sizeof reason, "only the owner and moderators of %s "
		    "set its topic", r->name);
		hub_req_error(q, PE_FORBIDDEN, reason);
		return;
	}
	const char *text = q->f->text;
	if (utf8_count(text, strlen(text)) > ROOMS_TOPIC_MAX) {
		char reason[80];
		snprintf(reason, sizeof reason, "a topic is at most %d characters",
		    ROOMS_TOPIC_MAX);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	int64_t ts = now_ms();
	if (!hub_req_begin(q) ||
	    !hub_req_commit(q, st->ops->topic_set(st, r->id, text, user, ts)))
		return;
	hub_req_ack(q, r->name);
	struct proto_frame t = proto_frame_of(PT_TOPIC);
	t.room = r->name;
	t.text = text;
	t.by = user;
	t.ts = ts;
	t.has_ts = true;
	hub_publish_now(srv, r->name, &t);
}

void
directory_handle(const struct req *q)
{
	struct store *st = q->srv->store;
	const struct proto_frame *f = q->f;
	size_t limit = !f->has_limit ? DIRECTORY_DEFAULT
	    : f->limit < DIRECTORY_MAX ? (size_t)f->limit : DIRECTORY_MAX;
	struct store_room_info *ri;
	size_t n;
	bool more;
	if (st->ops->rooms_directory(st, f->query, f->after, limit, &ri, &n,
	    &more) != 0) {
		hub_store_failed(q->srv, q->s, f->cid, q->ref);
		return;
	}
	struct proto_room_info *pr = g_new0(struct proto_room_info, n + 1);
	for (size_t i = 0; i < n; i++)
		pr[i] = (struct proto_room_info){ri[i].room, ri[i].topic,
		    ri[i].members};
	struct proto_frame a = proto_frame_of(PT_ROOMS);
	a.cid = f->cid;
	a.rooms = pr;
	a.nrooms = n;
	a.more = more;
	session_send_frame(q->s, &a);
	g_free(pr);
	store_room_infos_free(ri, n);
}
