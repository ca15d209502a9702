/*
 * notify: users' notifications and direct-message rooms in confabd
 * (docs/protocol.md, "Notifications" and "Direct messages").
 *
 * notify.c makes the notifications (mentions, direct messages, a join of
 * a room for its creator) and answers NOTIFICATIONS, MARK_READ and
 * MARK_ALL_READ; dm.c keeps direct-message rooms to their two users. Both
 * hang off hub.c through the hooks below and never touch a socket
 * themselves.
 *
 * A notification is stored in the transaction of what caused it and waits
 * on a list of its own until hub_flush commits that transaction: only then
 * is it pushed (NOTIFICATION, to every session of its user), and a rollback
 * forgets it (notify.c watches the transaction: hub_batch_watch). `committed` is the newest id known durable; no read ever
 * shows a newer one, so nothing a rollback may take back is ever seen.
 */
#ifndef CONFAB_SERVER_NOTIFY_H
#define CONFAB_SERVER_NOTIFY_H

#include "server/server.h"

/* notify.c: the life cycle (from hub_init / hub_destroy). */
void notif_init(struct server *srv);
void notif_destroy(struct server *srv);

/* A message was appended (not a duplicate) in the open transaction: makes
 * its notifications in it. -1 after a store failure (roll back). */
int notif_message(struct server *srv, struct room *r, const struct store_msg *m);
/* m, appended in the open transaction, replies to a thread whose root
 * author wrote: tells them (kind reply; not themselves, not in a
 * direct-message room, not when m mentions them: the mention tells them).
 * -1 after a store failure (roll back). */
int notif_reply(struct server *srv, struct room *r, const struct store_msg *m,
    const char *author);
/* by replied to author's comment on document doc of room, in the open
 * transaction: tells the author (kind comment; not themselves). -1 after
 * a store failure (roll back). */
int notif_comment(struct server *srv, const char *room, const char *doc,
    const char *author, const char *by, const char *text, int64_t ts);
/* The user of q became a member of r: claims r for them when it has no
 * creator, makes both users members of a new direct-message room, and
 * tells the creator of an ordinary room. Failures are logged. */
void notif_joined(const struct req *q, struct room *r);
/* by invited user to room: makes their notification in the open
 * transaction; -1 after a store failure (roll back). */
int notif_invited(struct server *srv, const char *user, const char *room,
    const char *by);
/* user's suggestion in a document of room was accepted, rejected or
 * dropped (title says which): makes their notification (kind suggestion)
 * in the open transaction; -1 after a store failure (roll back). */
int notif_suggestion(struct server *srv, const char *user, const char *room,
    const char *title, const char *message);
/* Sets WELCOME's unread for user. */
void notif_welcome(struct server *srv, const char *user, struct proto_frame *w);

/* A frame encoded once for many sessions (NULL when it cannot be). */
struct outbuf *notif_encode(const struct proto_frame *f);

void notif_handle_list(const struct req *q);
void notif_handle_mark_read(const struct req *q);
void notif_handle_mark_all_read(const struct req *q);

/* dm.c: true when the user of q may use room (NULL: no room), else sends
 * ERROR forbidden: room is a direct-message room of two other users. */
bool dm_allowed(const struct req *q, const char *room);
/* r is a new direct-message room that the user of q joined: the other user
 * becomes a member too. */
void dm_created(const struct req *q, struct room *r);

#endif
