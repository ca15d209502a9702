/*
 * hub_impl: what hub.c, hub_join.c and message.c share. Internal to the hub: no
 * other file includes this header.
 */
#ifndef CONFAB_SERVER_HUB_IMPL_H
#define CONFAB_SERVER_HUB_IMPL_H

#include <stdbool.h>

#include "server/server.h"

#define HUB_HISTORY_MAX 200 /* messages a HISTORY page holds, at most */

/* The loaded room, creating it in the store when create is set. */
struct room *hub_room_get(struct server *srv, const char *name, bool create);
/* The loaded user, loading their rooms from the store on first sight. */
struct user *hub_user_get(struct server *srv, const char *name);
struct sub *hub_sub_of(struct session *s, const char *room);

/* Sends the user's presence to every session sharing a room with them,
 * and to their own sessions, once each. */
void hub_broadcast_presence(struct server *srv, struct user *u);
void hub_broadcast_typing(struct server *srv, struct room *r, const char *user,
    bool active, const struct session *except);
/* ACK for the request's room, when it carries a cid. */
void hub_send_ack(const struct req *q);

/* message.c: MESSAGE. */
void hub_handle_message(const struct req *q);

/* hub_join.c: the handlers of HELLO, JOIN and LEAVE. */
void hub_handle_hello(const struct req *q);
void hub_handle_join(const struct req *q);
void hub_handle_leave(const struct req *q);

#endif
