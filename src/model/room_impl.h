/*
 * room_impl: what room.c, room_changes.c and room_members.c share.
 * Internal to the room module: no other module includes this header.
 */
#ifndef CONFAB_ROOM_IMPL_H
#define CONFAB_ROOM_IMPL_H

#include <stdbool.h>
#include <string.h>

#include "model/room.h"

static inline bool
room_is_me(const struct room *r, const char *user)
{
	return r->me != NULL && user != NULL && strcmp(r->me, user) == 0;
}

/* Whether older messages may lie before the oldest held one, from what
 * the room holds (after a snapshot or a clear). */
void room_recompute_more_before(struct room *r);

#endif
