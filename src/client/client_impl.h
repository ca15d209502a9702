/*
 * client_impl: what client.c and client_link.c share. Internal to the
 * client core: no other file includes this header.
 */
#ifndef CONFAB_CLIENT_IMPL_H
#define CONFAB_CLIENT_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "model/proto.h"

/* The count of lines awaiting an ACK, for the status line, from sendq. */
void client_update_pending(struct client *c);

/* JOIN, from since when it is > 0; offline, the room is joined after the
 * next WELCOME. */
void client_send_join(struct client *c, const char *room, int64_t since);

/* Forgets the JOINs of room (answered), or every one (the link went). */
void client_joins_done(struct client *c, const char *room);

/* An ERROR for one of our JOINs: the room leaves the list, with the
 * reason. true when it was ours. */
bool client_join_refused(struct client *c, const struct proto_frame *f);

#endif
