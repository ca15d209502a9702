/*
 * names: the syntax of user names, room names and client ids
 * (docs/protocol.md, "Names"). Pure predicates.
 */
#ifndef CONFAB_NAMES_H
#define CONFAB_NAMES_H

#include <stdbool.h>

#define NAMES_USER_MAX 32
#define NAMES_ROOM_MAX 64
#define NAMES_CID_MAX 64

bool names_valid_user(const char *s);
bool names_valid_room(const char *s);
bool names_valid_cid(const char *s);

#endif
