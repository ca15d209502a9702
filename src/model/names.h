/*
 * names: the syntax of user names, room names, direct-message room names
 * and client ids (docs/protocol.md, "Names"). Pure predicates.
 *
 * A direct-message room is named after its two users, "@u1+u2" with u1
 * before u2 in byte order, so that each pair has exactly one name. Neither
 * '@' nor '+' can occur in a user name, which makes the name unambiguous.
 * names_valid_room keeps refusing every '@' name: where a protocol field
 * may hold either kind, names_valid_room_or_dm says so.
 */
#ifndef CONFAB_NAMES_H
#define CONFAB_NAMES_H

#include <stdbool.h>

#define NAMES_USER_MAX 32
#define NAMES_ROOM_MAX 64
#define NAMES_CID_MAX 64
#define NAMES_DM_MAX (1 + NAMES_USER_MAX + 1 + NAMES_USER_MAX)

bool names_valid_user(const char *s);
bool names_valid_room(const char *s);
bool names_valid_cid(const char *s);

/* True when room is a well-formed direct-message room name; then u1 and u2
 * (each may be NULL) receive its two users, u1 < u2. */
bool names_dm_parse(const char *room, char u1[NAMES_USER_MAX + 1],
    char u2[NAMES_USER_MAX + 1]);

/* Writes the direct-message room of users a and b (in either order) to
 * out; false, out untouched, when either is not a valid user name or they
 * are the same user. */
bool names_dm_make(const char *a, const char *b, char out[NAMES_DM_MAX + 1]);

/* True when room is a direct-message room with user as one of its two
 * users; other (may be NULL) receives the other one. */
bool names_dm_other(const char *room, const char *user,
    char other[NAMES_USER_MAX + 1]);

/* An ordinary room name or a direct-message room name. */
bool names_valid_room_or_dm(const char *s);

/* A room name as people type it, made the name it means: a leading '#'
 * (IRC habit) goes, ASCII letters go to lower case ("#Dev" is "dev").
 * false, out untouched, when the result is not a valid room name. A
 * direct-message room name is taken as it is. */
bool names_room_from_input(const char *in, char out[NAMES_DM_MAX + 1]);

#endif
