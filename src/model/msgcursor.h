/*
 * msgcursor: the message the keyboard has chosen (the message cursor).
 *
 * It moves over the confirmed, not deleted messages of one view of a
 * room: its timeline (replies are left to their thread), or one thread
 * (its root and its replies). A seq names the message, so the cursor
 * stays on it while lines come and go; when it went (dropped past the
 * limit), the next step starts from where it was. Pure.
 */
#ifndef CONFAB_MSGCURSOR_H
#define CONFAB_MSGCURSOR_H

#include <stdbool.h>
#include <stdint.h>

#include "model/room.h"

/* Whether m is in the view of thread (0: the room's timeline). */
bool msgcursor_in_view(const struct room_msg *m, int64_t thread);
/* The newest message of the view, or 0. */
int64_t msgcursor_last(const struct room *r, int64_t thread);
/* The message before (dir < 0) or after (dir > 0) seq in the view: 0 past
 * the newest; seq itself before the oldest held. */
int64_t msgcursor_step(const struct room *r, int64_t thread, int64_t seq,
    int dir);
/* The held confirmed message seq, or NULL. */
struct room_msg *msgcursor_msg(const struct room *r, int64_t seq);

#endif
