/*
 * rights: rooms' rights in the client core (docs/protocol.md, "Rooms and
 * rights"): /invite, /kick, /ban, /unban, /private, /op and /deop send
 * their request for the room shown, once, while connected (a kick done
 * hours later, after a reconnect, would surprise everyone: it is not
 * queued); its ACK says nothing, since the ROOM_EVENT that follows is
 * shown in the room, and its ERROR is said in plain words. A kick or a
 * ban of the user closes the room (chat.c says why); a room HELLO
 * resumed and the server refused leaves the list with the reason; an
 * invite is pointed out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "model/names.h"
#include "model/roles.h"
#include "model/xmalloc.h"

static const char *
command_of(enum proto_type t)
{
	switch (t) {
	case PT_INVITE: return "invite";
	case PT_KICK: return "kick";
	case PT_BAN: return "ban";
	case PT_UNBAN: return "unban";
	case PT_ROOM_MODE: return "private";
	case PT_OP: return "op";
	case PT_DEOP: return "deop";
	default: return "?";
	}
}

static void
usage(struct client *c, enum proto_type t)
{
	if (t == PT_ROOM_MODE)
		client_note(c, true, "usage: /private on|off");
	else
		client_note(c, true, "usage: /%s USER%s", command_of(t),
		    t == PT_KICK || t == PT_BAN ? " [REASON]" : "");
}

/* /private without on or off: what the room is. */
static void
say_mode(struct client *c, const struct room *r)
{
	const char *owner = r->roles.owner;
	client_note(c, false, "%s is %s%s%s%s (/private on|off)", r->name,
	    r->roles.is_private ? "private: invited users only" : "public",
	    owner ? ", owned by " : "", owner ? owner : "",
	    r->roles.nmods ? ", with moderators" : "");
}

/* The request's target and reason, or false after a note. */
static bool
parse(struct client *c, enum proto_type t, char *args, struct proto_frame *f,
    const struct room *r)
{
	if (t == PT_ROOM_MODE) {
		if (*args == '\0') {
			say_mode(c, r);
			return false;
		}
		if (strcmp(args, "on") != 0 && strcmp(args, "off") != 0) {
			usage(c, t);
			return false;
		}
		f->is_private = strcmp(args, "on") == 0;
		return true;
	}
	char *rest = args + strcspn(args, " ");
	if (*rest)
		*rest++ = '\0';
	while (*rest == ' ')
		rest++;
	if (*args == '\0' || (*rest && t != PT_KICK && t != PT_BAN)) {
		usage(c, t);
		return false;
	}
	if (!names_valid_user(args)) {
		client_note(c, true, "/%s: \"%s\" is not a user name", command_of(t),
		    args);
		return false;
	}
	f->user = args;
	f->reason = *rest ? rest : NULL;
	return true;
}

void
client_moderate(struct client *c, enum proto_type type, char *args)
{
	struct room *r = chat_current(c->chat);
	if (r == NULL) {
		client_note(c, true, "no room open: /join ROOM first");
		return;
	}
	if (r->name[0] == '@') {
		client_note(c, true, "/%s: a direct-message room has no invites, kicks, "
		    "bans or moderators", command_of(type));
		return;
	}
	struct proto_frame f = proto_frame_of(type);
	if (!parse(c, type, args, &f, r))
		return;
	if (!c->welcomed) {
		client_note(c, true, "/%s needs the server, and confab is not connected:"
		    " try again once it is", command_of(type));
		return;
	}
	char cid[17];
	outbox_new_cid(cid);
	f.cid = cid;
	f.room = r->name;
	if (!port_send_frame(&c->port, &f)) {
		client_note(c, true, "/%s: not sent (the connection went)",
		    command_of(type));
		return;
	}
	xgrow(&c->mods, &c->capmods, c->nmods + 1, sizeof *c->mods);
	struct client_mod *m = &c->mods[c->nmods++];
	memcpy(m->cid, cid, sizeof cid);
	m->type = type;
	m->what = f.user ? xasprintf("/%s %s", command_of(type), f.user)
	    : xasprintf("/private %s", f.is_private ? "on" : "off");
}

/* The request of ours with this cid, taken off the list (its what is the
 * caller's to free), or false. */
static bool
take(struct client *c, const char *cid, struct client_mod *out)
{
	for (size_t i = 0; cid != NULL && i < c->nmods; i++) {
		if (strcmp(c->mods[i].cid, cid) != 0)
			continue;
		*out = c->mods[i];
		c->mods[i] = c->mods[--c->nmods];
		return true;
	}
	return false;
}

void
client_rights_offline(struct client *c)
{
	for (size_t i = 0; i < c->nmods; i++)
		free(c->mods[i].what);
	c->nmods = 0;
}

void
client_rights_free(struct client *c)
{
	client_rights_offline(c);
	free(c->mods);
	c->mods = NULL;
	c->capmods = 0;
}

/* A room HELLO resumed that the server would not let us have: it leaves
 * the list, with the reason. */
static void
resume_refused(struct client *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c->chat, f->room);
	if (r != NULL && !r->joined) {
		chat_close(c->chat, f->room);
		client_rooms_changed(c);
	}
	client_note(c, true, "cannot open %s: %s", f->room, f->reason);
}

/* The user leaves the room at once: what the core holds of it goes too
 * (chat_apply closes it and says why). */
static void
removed(struct client *c, const struct proto_frame *f)
{
	if (c->typing_room && strcmp(c->typing_room, f->room) == 0) {
		free(c->typing_room);
		c->typing_room = NULL;
		c->typing_sent = 0;
	}
	docset_room_lost(&c->docset, f->room);
}

bool
client_rights_frame(struct client *c, const struct proto_frame *f)
{
	struct client_mod m;
	switch (f->type) {
	case PT_ACK:
		if (!take(c, f->cid, &m))
			return false;
		free(m.what); /* the ROOM_EVENT says it */
		return true;
	case PT_ERROR:
		if (take(c, f->cid, &m)) {
			client_note(c, true, "%s: %s", m.what, f->reason);
			free(m.what);
			return true;
		}
		if (f->room != NULL && f->ref != NULL && strcmp(f->ref, "HELLO") == 0) {
			resume_refused(c, f);
			return true;
		}
		return false;
	case PT_ROOM_EVENT:
		if (chat_room(c->chat, f->room) != NULL &&
		    roles_event_removes_me(f, c->chat->me))
			removed(c, f);
		return false;
	case PT_NOTIFICATION: {
		const struct proto_notification *n = &f->notification;
		if (n->kind != NULL && strcmp(n->kind, "invite") == 0 && n->room != NULL)
			client_note(c, false, "%s: /join %s", n->title, n->room);
		return false;
	}
	default:
		return false;
	}
}
