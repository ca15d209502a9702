/*
 * rights: rooms' rights in confabd (docs/protocol.md, "Rooms and rights").
 *
 * A room is public (anyone may join) or private (invite only). Its creator
 * is its owner; the owner names moderators. The owner and moderators
 * invite, kick, ban, unban and set the mode; only the owner names and
 * unnames moderators; nobody kicks, bans or unnames the owner, and only
 * the owner kicks or bans a moderator. Each change is durable before it is
 * acknowledged, and every session in the room gets it as a ROOM_EVENT.
 * Direct-message rooms have none of this.
 *
 * Membership is what the hub already checks on every request that reads
 * or writes a room (the session must have joined it); rights.c guards the
 * way in: a JOIN (or a room HELLO resumes) of a room the user is banned
 * from, or of a private one they are neither a member of nor invited to,
 * is refused. An invite lasts until it is used (the join) or taken back
 * (a KICK of the invited user, a ban). A kicked or banned user's sessions
 * leave the room at once, the event being the last frame of the room
 * they get.
 *
 * A room's mode, owner and moderators are loaded with the room and kept
 * in struct room; bans and invites stay in the store and are read on each
 * join. Nothing here touches a socket or SQL.
 */
#ifndef CONFAB_SERVER_RIGHTS_H
#define CONFAB_SERVER_RIGHTS_H

#include "server/server.h"

#define RIGHTS_MODS_MAX 64 /* moderators of one room */

/* The room's rights from the store, for a room being loaded: -1 after a
 * store failure (the room must not be used: a private room would pass for
 * a public one). rights_clear frees them. */
int rights_load(struct server *srv, struct room *r);
void rights_clear(struct room_rights *rt);

/* A JOIN of r by the user of q: false after an ERROR (banned, not
 * invited); *invited says whether an invite lets them in. */
bool rights_may_join(const struct req *q, struct room *r, bool *invited);
/* The user of q became a member of r: uses up the invite, learns the
 * owner of a room they just created. */
void rights_joined(const struct req *q, struct room *r, bool invited);
/* Whether user is r's owner or one of its moderators. */
bool rights_moderates(const struct room *r, const char *user);
/* JOINED's mode and roles (borrowed from r until it changes). */
void rights_fill_joined(const struct room *r, struct proto_frame *f);

void rights_handle_invite(const struct req *q);
void rights_handle_kick(const struct req *q);
void rights_handle_ban(const struct req *q);
void rights_handle_unban(const struct req *q);
void rights_handle_mode(const struct req *q);
void rights_handle_op(const struct req *q);
void rights_handle_deop(const struct req *q);

#endif
