/*
 * roles: a room's mode and roles as the client knows them (docs/protocol.md,
 * "Rooms and rights"): whether it is private, who owns it, who moderates
 * it. Set whole from JOINED, changed by the ROOM_EVENTs that follow, and
 * read by the people list (the owner marked '@', moderators '+') and the
 * room list (a private room marked). roles_event_text says an event in
 * plain words for the room's notices.
 *
 * Pure: no I/O. Running out of memory leaves the roles as they were.
 */
#ifndef CONFAB_ROLES_H
#define CONFAB_ROLES_H

#include <stdbool.h>
#include <stddef.h>

#include "model/proto.h"

struct room_roles {
	bool is_private;
	char *owner;    /* NULL: none known */
	char **mods;    /* in name order */
	size_t nmods;
};

void roles_clear(struct room_roles *r);
/* JOINED's mode and roles replace what was known. false on OOM. */
bool roles_from_joined(struct room_roles *r, const struct proto_frame *joined);
/* A ROOM_EVENT: op, deop, ban (which unnames) and mode change the roles;
 * others leave them. false on OOM. */
bool roles_apply_event(struct room_roles *r, const struct proto_frame *ev);
bool roles_is_mod(const struct room_roles *r, const char *user);
/* '@' for the owner, '+' for a moderator, 0 for anyone else. */
char roles_mark(const struct room_roles *r, const char *user);
/* The event in plain words, from me's point of view: "alice kicked carol:
 * spamming", "alice made you a moderator", "alice made dev private (invite
 * only)". An event it does not know is said as it came. */
void roles_event_text(const struct proto_frame *ev, const char *me, char *buf,
    size_t size);
/* Whether the event ends user me's membership of its room (a kick or a
 * ban of me). */
bool roles_event_removes_me(const struct proto_frame *ev, const char *me);

#endif
