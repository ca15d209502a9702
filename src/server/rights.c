/*
 * rights: rooms' rights (rights.h says what they are). Each request first
 * passes the same gate: the session has joined the room (else not_joined,
 * the same answer whether the room exists or not), it is no direct-message
 * room, and the sender holds the role it needs. Then the change is made in
 * a transaction of its own, committed before the ACK, and announced.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/notify.h"
#include "server/rights.h"

static bool
is_dm(const char *room)
{
	return room[0] == '@';
}

/* ---- a room's roles -------------------------------------------------------- */

int
rights_load(struct server *srv, struct room *r)
{
	struct room_rights *rt = &r->rights;
	rt->mods = g_ptr_array_new_with_free_func(g_free);
	if (is_dm(r->name))
		return 0;
	struct store_rights sr;
	if (srv->store->ops->room_rights(srv->store, r->id, &sr) != 0)
		return -1;
	rt->is_private = sr.is_private;
	rt->owner = sr.owner ? g_strdup(sr.owner) : NULL;
	for (size_t i = 0; i < sr.nmoderators; i++)
		g_ptr_array_add(rt->mods, g_strdup(sr.moderators[i]));
	store_rights_free(&sr);
	return 0;
}

void
rights_clear(struct room_rights *rt)
{
	g_free(rt->owner);
	if (rt->mods != NULL)
		g_ptr_array_free(rt->mods, TRUE);
	memset(rt, 0, sizeof *rt);
}

static bool
is_owner(const struct room *r, const char *user)
{
	return r->rights.owner != NULL && strcmp(r->rights.owner, user) == 0;
}

/* Where user is among the moderators, or where they would go. */
static guint
mod_index(const struct room *r, const char *user, bool *found)
{
	GPtrArray *m = r->rights.mods;
	guint i = 0;
	while (i < m->len && strcmp(g_ptr_array_index(m, i), user) < 0)
		i++;
	*found = i < m->len && strcmp(g_ptr_array_index(m, i), user) == 0;
	return i;
}

static bool
is_mod(const struct room *r, const char *user)
{
	bool found;
	mod_index(r, user, &found);
	return found;
}

bool
rights_moderates(const struct room *r, const char *user)
{
	return is_owner(r, user) || is_mod(r, user);
}

static void
set_mod(struct room *r, const char *user, bool on)
{
	bool found;
	guint i = mod_index(r, user, &found);
	if (on && !found)
		g_ptr_array_insert(r->rights.mods, (gint)i, g_strdup(user));
	else if (!on && found)
		g_ptr_array_remove_index(r->rights.mods, i);
}

void
rights_fill_joined(const struct room *r, struct proto_frame *f)
{
	/* a direct-message room is private by nature, and has no roles */
	f->is_private = is_dm(r->name) || r->rights.is_private;
	f->owner = r->rights.owner;
	f->moderators = (const char **)r->rights.mods->pdata;
	f->nmoderators = r->rights.mods->len;
}

/* ---- the way in -------------------------------------------------------------- */

bool
rights_may_join(const struct req *q, struct room *r, bool *invited)
{
	const char *user = q->s->user->name;
	*invited = false;
	if (is_dm(r->name) || is_owner(r, user))
		return true;
	bool member = false, banned = false;
	if (q->srv->store->ops->room_access(q->srv->store, r->id, user, &member,
	    &banned, invited) != 0) {
		hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
		return false;
	}
	char reason[160];
	if (banned) {
		snprintf(reason, sizeof reason, "you are banned from %s", r->name);
		hub_room_error(q, r->name, PE_BANNED, reason);
		return false;
	}
	if (r->rights.is_private && !member && !*invited && !is_mod(r, user)) {
		snprintf(reason, sizeof reason, "%s is private: only invited users "
		    "may join", r->name);
		hub_room_error(q, r->name, PE_INVITE_ONLY, reason);
		return false;
	}
	return true;
}

void
rights_joined(const struct req *q, struct room *r, bool invited)
{
	struct server *srv = q->srv;
	bool used;
	if (invited && srv->store->ops->room_invite_set(srv->store, r->id,
	    q->s->user->name, NULL, 0, false, &used) != 0)
		hub_store_error(srv);
	if (is_dm(r->name) || r->rights.owner != NULL)
		return;
	/* a room its first member just created: they own it now */
	struct store_rights sr;
	if (srv->store->ops->room_rights(srv->store, r->id, &sr) != 0) {
		hub_store_error(srv);
		return;
	}
	r->rights.owner = sr.owner ? g_strdup(sr.owner) : NULL;
	store_rights_free(&sr);
}

/* ---- the gate and the commit ------------------------------------------------- */

enum need { NEED_MOD, NEED_OWNER };

static void
refuse(const struct req *q, enum proto_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
refuse(const struct req *q, enum proto_err code, const char *fmt, ...)
{
	char reason[192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	hub_req_error(q, code, reason);
}

/* The room of q when its sender may do `what` there, else NULL after an
 * ERROR. */
static struct room *
gate(const struct req *q, enum need need, const char *what)
{
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return NULL;
	struct room *r = sub->room;
	const char *by = q->s->user->name;
	if (is_dm(r->name)) {
		refuse(q, PE_FORBIDDEN, "a direct-message room has no invites, kicks, "
		    "bans, modes or moderators");
		return NULL;
	}
	if (is_owner(r, by) || (need == NEED_MOD && is_mod(r, by)))
		return r;
	refuse(q, PE_FORBIDDEN, need == NEED_OWNER ? "only the owner of %s may %s"
	    : "only the owner and moderators of %s may %s", r->name, what);
	return NULL;
}

/* A kick or a ban of q's user by q's sender: never oneself, never the
 * owner, a moderator only by the owner. */
static bool
may_remove(const struct req *q, struct room *r, const char *verb)
{
	const char *user = q->f->user, *by = q->s->user->name;
	if (strcmp(user, by) == 0) {
		refuse(q, PE_BAD_FIELD, "you cannot %s yourself (/part leaves %s)", verb,
		    r->name);
		return false;
	}
	if (is_owner(r, user)) {
		refuse(q, PE_FORBIDDEN, "%s owns %s: the owner cannot be %sed", user,
		    r->name, strcmp(verb, "ban") == 0 ? "bann" : verb);
		return false;
	}
	if (is_mod(r, user) && !is_owner(r, by)) {
		refuse(q, PE_FORBIDDEN, "%s is a moderator of %s: only the owner may %s "
		    "them", user, r->name, verb);
		return false;
	}
	return true;
}

/* Whether a user of that name has ever signed in here (else ERROR). */
static bool
known(const struct req *q, const char *user, bool *ok)
{
	*ok = hub_user(q->srv, user) != NULL;
	if (!*ok && q->srv->store->ops->user_known(q->srv->store, user, ok) != 0) {
		hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
		return false;
	}
	if (!*ok)
		refuse(q, PE_UNKNOWN_USER, "no user %s on this server", user);
	return *ok;
}

static bool
target_state(const struct req *q, struct room *r, bool *member, bool *banned,
    bool *invited)
{
	if (q->srv->store->ops->room_access(q->srv->store, r->id, q->f->user, member,
	    banned, invited) != 0) {
		hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
		return false;
	}
	return true;
}

/* The change goes in a transaction of its own: the loop turn's writes are
 * committed first, so that the ACK waits for nothing else. */
static bool
begin(const struct req *q)
{
	struct server *srv = q->srv;
	if (srv->store->in_txn)
		hub_flush(srv);
	if (hub_batch_begin(srv) != 0) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		return false;
	}
	return true;
}

/* Nothing changed (a store failure when failed): the transaction goes. */
static void
abandon(const struct req *q, bool failed)
{
	hub_batch_abort(q->srv);
	if (failed)
		hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
}

static bool
commit(const struct req *q)
{
	if (hub_flush(q->srv) == 0)
		return true;
	hub_req_error(q, PE_INTERNAL, "storage failure, try again");
	return false;
}

/* The ACK, then the ROOM_EVENT to everyone in the room (the sender too). */
static void
announce(const struct req *q, struct room *r, const char *event,
    const char *user)
{
	hub_req_ack(q, r->name);
	struct proto_frame e = proto_frame_of(PT_ROOM_EVENT);
	e.room = r->name;
	e.event = event;
	e.user = user;
	e.by = q->s->user->name;
	e.reason = q->f->reason != NULL && *q->f->reason ? q->f->reason : NULL;
	e.ts = now_ms();
	e.has_ts = true;
	if (q->f->type == PT_ROOM_MODE) {
		e.is_private = q->f->is_private;
		e.has_private = true;
	}
	hub_publish_now(q->srv, r->name, &e);
}

/* ---- the requests ------------------------------------------------------------- */

void
rights_handle_invite(const struct req *q)
{
	struct server *srv = q->srv;
	const char *user = q->f->user;
	struct room *r = gate(q, NEED_MOD, "invite");
	bool ok, member, banned, invited, changed = false;
	if (r == NULL || !known(q, user, &ok) ||
	    !target_state(q, r, &member, &banned, &invited))
		return;
	if (banned) {
		refuse(q, PE_BANNED, "%s is banned from %s: unban them first", user,
		    r->name);
		return;
	}
	if (member || is_owner(r, user)) {
		refuse(q, PE_BAD_FIELD, member ? "%s is in %s already"
		    : "%s owns %s and may always join", user, r->name);
		return;
	}
	if (!begin(q))
		return;
	if (srv->store->ops->room_invite_set(srv->store, r->id, user,
	    q->s->user->name, now_ms(), true, &changed) != 0 ||
	    (changed && notif_invited(srv, user, r->name, q->s->user->name) != 0)) {
		abandon(q, true);
		return;
	}
	if (!changed) {
		abandon(q, false);
		refuse(q, PE_BAD_FIELD, "%s is invited to %s already", user, r->name);
		return;
	}
	if (commit(q))
		announce(q, r, "invite", user);
}

void
rights_handle_kick(const struct req *q)
{
	struct server *srv = q->srv;
	const char *user = q->f->user;
	struct room *r = gate(q, NEED_MOD, "kick");
	if (r == NULL || !may_remove(q, r, "kick") || !begin(q))
		return;
	/* a kick of someone invited who has not come yet takes the invite back */
	bool removed = false, uninvited = false;
	if (srv->store->ops->member_remove(srv->store, r->id, user, &removed) != 0 ||
	    srv->store->ops->room_invite_set(srv->store, r->id, user, NULL, 0, false,
	    &uninvited) != 0) {
		abandon(q, true);
		return;
	}
	if (!removed && !uninvited) {
		abandon(q, false);
		refuse(q, PE_BAD_FIELD, "%s is not in %s", user, r->name);
		return;
	}
	if (!commit(q))
		return;
	announce(q, r, removed ? "kick" : "uninvite", user);
	if (removed)
		hub_member_gone(srv, r, user);
}

void
rights_handle_ban(const struct req *q)
{
	struct server *srv = q->srv;
	struct store *st = srv->store;
	const char *user = q->f->user;
	struct room *r = gate(q, NEED_MOD, "ban");
	bool ok, banned = false, removed = false, uninvited, unmodded = false;
	if (r == NULL || !may_remove(q, r, "ban") || !known(q, user, &ok) ||
	    !begin(q))
		return;
	if (st->ops->room_ban_set(st, r->id, user, q->s->user->name, now_ms(), true,
	    &banned) != 0 ||
	    st->ops->member_remove(st, r->id, user, &removed) != 0 ||
	    st->ops->room_invite_set(st, r->id, user, NULL, 0, false, &uninvited) != 0 ||
	    st->ops->room_moderator_set(st, r->id, user, false, &unmodded) != 0) {
		abandon(q, true);
		return;
	}
	if (!banned) {
		abandon(q, false);
		refuse(q, PE_BAD_FIELD, "%s is banned from %s already", user, r->name);
		return;
	}
	if (!commit(q))
		return;
	set_mod(r, user, false);
	announce(q, r, "ban", user);
	if (removed)
		hub_member_gone(srv, r, user);
}

void
rights_handle_unban(const struct req *q)
{
	struct store *st = q->srv->store;
	const char *user = q->f->user;
	struct room *r = gate(q, NEED_MOD, "unban");
	bool changed = false;
	if (r == NULL || !begin(q))
		return;
	if (st->ops->room_ban_set(st, r->id, user, NULL, 0, false, &changed) != 0) {
		abandon(q, true);
		return;
	}
	if (!changed) {
		abandon(q, false);
		refuse(q, PE_BAD_FIELD, "%s is not banned from %s", user, r->name);
		return;
	}
	if (commit(q))
		announce(q, r, "unban", user);
}

void
rights_handle_mode(const struct req *q)
{
	struct store *st = q->srv->store;
	bool on = q->f->is_private;
	struct room *r = gate(q, NEED_MOD, "set its mode");
	if (r == NULL)
		return;
	if (r->rights.is_private == on) {
		refuse(q, PE_BAD_FIELD, "%s is %s already", r->name,
		    on ? "private" : "public");
		return;
	}
	if (!begin(q))
		return;
	if (st->ops->room_set_private(st, r->id, on) != 0) {
		abandon(q, true);
		return;
	}
	if (!commit(q))
		return;
	r->rights.is_private = on;
	announce(q, r, "mode", NULL);
}

void
rights_handle_op(const struct req *q)
{
	struct store *st = q->srv->store;
	const char *user = q->f->user;
	struct room *r = gate(q, NEED_OWNER, "name moderators");
	bool member, banned, invited, changed;
	if (r == NULL)
		return;
	if (is_owner(r, user) || is_mod(r, user)) {
		refuse(q, PE_BAD_FIELD, "%s is %s of %s already", user,
		    is_owner(r, user) ? "the owner" : "a moderator", r->name);
		return;
	}
	if (r->rights.mods->len >= RIGHTS_MODS_MAX) {
		refuse(q, PE_TOO_LARGE, "%s has %d moderators, the most a room may have",
		    r->name, RIGHTS_MODS_MAX);
		return;
	}
	if (!target_state(q, r, &member, &banned, &invited))
		return;
	if (!member) {
		refuse(q, PE_BAD_FIELD, "%s is not in %s", user, r->name);
		return;
	}
	if (!begin(q))
		return;
	if (st->ops->room_moderator_set(st, r->id, user, true, &changed) != 0) {
		abandon(q, true);
		return;
	}
	if (!commit(q))
		return;
	set_mod(r, user, true);
	announce(q, r, "op", user);
}

void
rights_handle_deop(const struct req *q)
{
	struct store *st = q->srv->store;
	const char *user = q->f->user;
	struct room *r = gate(q, NEED_OWNER, "unname moderators");
	bool changed;
	if (r == NULL)
		return;
	if (is_owner(r, user)) {
		refuse(q, PE_FORBIDDEN, "%s owns %s: the owner keeps every right", user,
		    r->name);
		return;
	}
	if (!is_mod(r, user)) {
		refuse(q, PE_BAD_FIELD, "%s is not a moderator of %s", user, r->name);
		return;
	}
	if (!begin(q))
		return;
	if (st->ops->room_moderator_set(st, r->id, user, false, &changed) != 0) {
		abandon(q, true);
		return;
	}
	if (!commit(q))
		return;
	set_mod(r, user, false);
	announce(q, r, "deop", user);
}
