#include "model/chat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/xmalloc.h"

struct chat *
chat_new(const char *me, const char *server)
{
	struct chat *c = xcalloc(1, sizeof *c);
	c->me = xstrdup(me);
	c->server = xstrdup(server ? server : "");
	c->status = PS_ONLINE;
	c->link = CHAT_OFFLINE;
	c->inbox = inbox_new();
	return c;
}

static void
notice_free(struct chat_notice *n)
{
	free(n->room);
	free(n->text);
}

void
chat_free(struct chat *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nrooms; i++)
		room_free(c->rooms[i]);
	free(c->rooms);
	for (size_t i = 0; i < c->nnotices; i++)
		notice_free(&c->notices[i]);
	free(c->notices);
	free(c->me);
	free(c->server);
	free(c->link_error);
	free(c->status_text);
	free(c->session);
	inbox_free(c->inbox);
	free(c);
}

struct room *
chat_room(const struct chat *c, const char *name)
{
	for (size_t i = 0; i < c->nrooms; i++)
		if (strcmp(c->rooms[i]->name, name) == 0)
			return c->rooms[i];
	return NULL;
}

struct room *
chat_open(struct chat *c, const char *name)
{
	struct room *r = chat_room(c, name);
	if (r != NULL)
		return r;
	xgrow(&c->rooms, &c->caprooms, c->nrooms + 1, sizeof *c->rooms);
	r = room_new(name, c->me);
	room_set_highlights(r, c->highlights, c->nhighlights);
	room_set_limit(r, c->room_limit);
	c->rooms[c->nrooms++] = r;
	return r;
}

void
chat_set_limit(struct chat *c, size_t n)
{
	c->room_limit = n;
	for (size_t i = 0; i < c->nrooms; i++)
		room_set_limit(c->rooms[i], n);
}

void
chat_set_highlights(struct chat *c, const char *const *words, size_t n)
{
	c->highlights = words;
	c->nhighlights = n;
	for (size_t i = 0; i < c->nrooms; i++)
		room_set_highlights(c->rooms[i], words, n);
}

void
chat_close(struct chat *c, const char *name)
{
	for (size_t i = 0; i < c->nrooms; i++) {
		if (strcmp(c->rooms[i]->name, name) != 0)
			continue;
		room_free(c->rooms[i]);
		memmove(&c->rooms[i], &c->rooms[i + 1],
		    (c->nrooms - i - 1) * sizeof *c->rooms);
		c->nrooms--;
		if (c->current > i || c->current >= c->nrooms)
			c->current = c->current ? c->current - 1 : 0;
		if (c->nrooms > 0)
			room_see(c->rooms[c->current]);
		return;
	}
}

struct room *
chat_current(const struct chat *c)
{
	return c->nrooms ? c->rooms[c->current] : NULL;
}

void
chat_switch(struct chat *c, size_t i)
{
	if (c->nrooms == 0)
		return;
	size_t to = i < c->nrooms ? i : c->nrooms - 1;
	if (to != c->current)
		room_unsee(c->rooms[c->current]);
	c->current = to;
	room_see(c->rooms[c->current]);
}

void
chat_notice(struct chat *c, const char *room, bool error, int64_t now,
    const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	xgrow(&c->notices, &c->capnotices, c->nnotices + 1, sizeof *c->notices);
	c->notices[c->nnotices++] = (struct chat_notice){ xstrdup_or_null(room),
	    xstrdup(buf), now, error };
}

/* ---- applying server frames ---------------------------------------------- */

static bool
is_current(const struct chat *c, const struct room *r)
{
	return chat_current(c) == r;
}

static void
apply_welcome(struct chat *c, const struct proto_frame *f)
{
	c->link = CHAT_CONNECTED;
	c->attempt = 0;
	c->heartbeat_ms = f->heartbeat_ms;
	free(c->session);
	c->session = xstrdup_or_null(f->session);
}

static void
apply_joined(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_open(c, f->room);
	r->joined = true;
	bool fresh = r->last_seq == 0;
	bool *was = xcalloc(f->nmessages + 1, sizeof *was);
	for (size_t i = 0; i < f->nmessages; i++)
		was[i] = room_holds_seq(r, f->messages[i].seq);
	room_apply_joined(r, f);
	chat_joined_extras(c, r, f, was, fresh);
	free(was);
	roles_from_joined(&r->roles, f);
	if (is_current(c, r))
		room_see(r);
}

static void
apply_message(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return; /* a room we have left meanwhile */
	struct proto_message m = {.room = f->room, .seq = f->seq, .id = f->id,
	    .user = f->user, .text = f->text, .ts = f->ts, .cid = f->cid,
	    .thread = f->has_thread ? f->thread : 0, .edited_ts = f->edited_ts,
	    .replies = f->replies, .last_reply = f->last_reply,
	    .deleted = f->deleted, .reactions = f->reactions,
	    .nreactions = f->nreactions};
	bool mine = strcmp(f->user, c->me) == 0;
	bool held = room_holds_seq(r, f->seq);
	if (room_add_message(r, &m, !mine && !is_current(c, r)) && !held &&
	    m.thread > 0)
		room_note_reply(r, m.thread, m.ts);
	if (is_current(c, r))
		room_see(r);
}

static void
apply_ack(struct chat *c, const struct proto_frame *f)
{
	if (f->room == NULL || !f->has_seq)
		return; /* the ACK of a LEAVE or PRESENCE_UPDATE */
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	struct room_msg *m = room_find_cid(r, f->cid);
	int64_t thread = m != NULL ? m->thread : 0;
	bool held = room_holds_seq(r, f->seq);
	if (room_ack(r, f->cid, f->seq, f->ts) && !held && thread > 0)
		room_note_reply(r, thread, f->ts);
}

static void
apply_history(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c, f->room);
	if (r != NULL)
		room_apply_history(r, f);
}

static void
apply_typing(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c, f->room);
	if (r != NULL && strcmp(f->user, c->me) != 0)
		room_set_typing(r, f->user, f->active);
}

static void
apply_presence(struct chat *c, const struct proto_frame *f)
{
	/* A user's presence is the same in every room they are a member of. */
	for (size_t i = 0; i < c->nrooms; i++) {
		struct room *r = c->rooms[i];
		for (size_t k = 0; k < r->nmembers; k++)
			if (strcmp(r->members[k].user, f->user) == 0) {
				room_set_member(r, f->user, f->status, f->text,
				    f->last_seen);
				room_set_member_doc(r, f->user, &f->at);
			}
	}
	if (f->status == PS_OFFLINE)
		for (size_t i = 0; i < c->nrooms; i++)
			room_set_typing(c->rooms[i], f->user, false);
}

static void
apply_user_joined(struct chat *c, const struct proto_frame *f, int64_t now)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	room_set_member(r, f->user, f->status ? f->status : PS_ONLINE, f->text,
	    f->last_seen);
	if (strcmp(f->user, c->me) != 0)
		chat_notice(c, f->room, false, now, "%s joined %s", f->user, f->room);
}

static void
apply_user_left(struct chat *c, const struct proto_frame *f, int64_t now)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	if (strcmp(f->user, c->me) == 0) {
		chat_close(c, f->room); /* left from another session */
		return;
	}
	room_remove_member(r, f->user);
	room_set_typing(r, f->user, false);
	chat_notice(c, f->room, false, now, "%s left %s", f->user, f->room);
}

/* An invite, kick, ban, mode or role change, said in the room. A kick or
 * a ban of me closes the room (the core says why where it can be read). */
static void
apply_room_event(struct chat *c, const struct proto_frame *f, int64_t now)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	char text[512];
	roles_event_text(f, c->me, text, sizeof text);
	if (roles_event_removes_me(f, c->me)) {
		chat_close(c, f->room);
		struct room *cur = chat_current(c);
		chat_notice(c, cur ? cur->name : NULL, true, now, "%s", text);
		return;
	}
	roles_apply_event(&r->roles, f);
	if (f->user != NULL && (strcmp(f->event, "kick") == 0 ||
	    strcmp(f->event, "ban") == 0)) {
		room_remove_member(r, f->user);
		room_set_typing(r, f->user, false);
	}
	chat_notice(c, f->room, false, now, "%s", text);
}

static void
apply_error(struct chat *c, const struct proto_frame *f, int64_t now)
{
	/* A refused message is marked in its room; anything else is said in
	 * the room it concerns, or the current one. */
	if (f->cid != NULL) {
		for (size_t i = 0; i < c->nrooms; i++) {
			if (room_fail(c->rooms[i], f->cid, f->reason)) {
				return;
			}
		}
	}
	struct room *cur = chat_current(c);
	chat_notice(c, cur ? cur->name : NULL, true, now, "server: %s (%s)",
	    f->reason, f->code);
}

void
chat_apply(struct chat *c, const struct proto_frame *f, int64_t now)
{
	switch (f->type) {
	case PT_WELCOME: apply_welcome(c, f); break;
	case PT_JOINED: apply_joined(c, f); break;
	case PT_MESSAGE: apply_message(c, f); break;
	case PT_ACK: apply_ack(c, f); break;
	case PT_HISTORY: apply_history(c, f); break;
	case PT_TYPING: apply_typing(c, f); break;
	case PT_PRESENCE_UPDATE: apply_presence(c, f); break;
	case PT_USER_JOINED: apply_user_joined(c, f, now); break;
	case PT_USER_LEFT: apply_user_left(c, f, now); break;
	case PT_ERROR: apply_error(c, f, now); break;
	case PT_ROOM_EVENT: apply_room_event(c, f, now); break;
	default: chat_apply_change(c, f, now); break;
	}
	inbox_apply(c->inbox, f); /* WELCOME and the notification frames */
}

/* ---- building client frames ---------------------------------------------- */

static char *
encode(const struct proto_frame *f)
{
	return proto_encode(f, PROTO_TO_SERVER);
}

char *
chat_hello_frame(const struct chat *c, const char *token)
{
	struct proto_frame f = proto_frame_of(PT_HELLO);
	f.user = c->me;
	f.token = token;
	f.client = "confab " CONFAB_VERSION;
	struct proto_resume *res = xcalloc(c->nrooms + 1, sizeof *res);
	/* Only rooms that hold messages resume; a room that holds none joins
	 * afterwards without `since`, so it gets the latest page rather than
	 * its whole history. */
	size_t n = 0;
	for (size_t i = 0; i < c->nrooms; i++)
		if (c->rooms[i]->last_seq > 0)
			res[n++] = (struct proto_resume){.room = c->rooms[i]->name,
			    .seq = c->rooms[i]->last_seq, .rev = c->rooms[i]->rev};
	f.resume = res;
	f.nresume = n;
	char *out = encode(&f);
	free(res);
	return out;
}

char *
chat_join_frame(const char *room, int64_t since)
{
	struct proto_frame f = proto_frame_of(PT_JOIN);
	f.room = room;
	f.since = since;
	f.has_since = since >= 0;
	return encode(&f);
}

char *
chat_message_frame(const char *cid, const char *room, const char *text)
{
	struct proto_frame f = proto_frame_of(PT_MESSAGE);
	f.cid = cid;
	f.room = room;
	f.text = text;
	return encode(&f);
}

char *
chat_leave_frame(const char *cid, const char *room)
{
	struct proto_frame f = proto_frame_of(PT_LEAVE);
	f.cid = cid;
	f.room = room;
	return encode(&f);
}

char *
chat_history_frame(const char *room, int64_t before, int limit)
{
	struct proto_frame f = proto_frame_of(PT_HISTORY);
	f.room = room;
	f.before = before;
	f.has_before = before > 0;
	f.limit = limit;
	f.has_limit = limit > 0;
	return encode(&f);
}

char *
chat_typing_frame(const char *room, bool active)
{
	struct proto_frame f = proto_frame_of(PT_TYPING);
	f.room = room;
	f.active = active;
	return encode(&f);
}

char *
chat_presence_frame(enum proto_status st, const char *text)
{
	struct proto_frame f = proto_frame_of(PT_PRESENCE_UPDATE);
	f.status = st;
	f.text = text && *text ? text : NULL;
	return encode(&f);
}

/* ---- helpers for the UI and commands ------------------------------------- */

/* Candidates for completion, each name once, the first max in order. */
struct names {
	const char **v;
	size_t n, max, fixed; /* v[0..fixed) are placed; the rest stay sorted */
	const char *prefix, *me;
	size_t plen;
};

static bool
names_has(const struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0)
			return true;
	return false;
}

/* Adds name to the sorted tail, keeping the alphabetically first ones. */
static void
names_offer(struct names *ns, const char *name)
{
	if (name == NULL || strncasecmp(name, ns->prefix, ns->plen) != 0 ||
	    (ns->me && strcmp(name, ns->me) == 0) || names_has(ns, name))
		return;
	size_t i = ns->n;
	while (i > ns->fixed && strcasecmp(ns->v[i - 1], name) > 0)
		i--;
	if (i >= ns->max)
		return;
	size_t last = ns->n < ns->max ? ns->n : ns->max - 1;
	memmove(&ns->v[i + 1], &ns->v[i], (last - i) * sizeof *ns->v);
	ns->v[i] = name;
	if (ns->n < ns->max)
		ns->n++;
}

static void
names_offer_room(struct names *ns, const struct room *r)
{
	for (size_t i = 0; i < r->nmembers; i++)
		names_offer(ns, r->members[i].user);
}

size_t
chat_complete_nick(const struct chat *c, const struct room *r,
    const char *prefix, const char **out, size_t max)
{
	struct names ns = { out, 0, max, 0, prefix, c->me, strlen(prefix) };
	if (max == 0)
		return 0;
	if (r != NULL)
		names_offer_room(&ns, r);
	ns.fixed = ns.n;
	for (size_t k = 0; k < c->nrooms; k++) {
		const struct room *o = c->rooms[k];
		if (o != r)
			names_offer_room(&ns, o);
		for (size_t i = 0; i < o->nmsgs; i++)
			names_offer(&ns, o->msgs[i]->user);
	}
	return ns.n;
}

void
chat_typing_line(const struct room *r, char *buf, size_t size)
{
	if (r == NULL || r->ntyping == 0)
		snprintf(buf, size, "%s", "");
	else if (r->ntyping == 1)
		snprintf(buf, size, "%s is typing…", r->typing[0]);
	else if (r->ntyping == 2)
		snprintf(buf, size, "%s and %s are typing…", r->typing[0],
		    r->typing[1]);
	else if (r->ntyping == 3)
		snprintf(buf, size, "%s, %s and %s are typing…", r->typing[0],
		    r->typing[1], r->typing[2]);
	else
		snprintf(buf, size, "several people are typing…");
}
