/*
 * rooms: read marks, search, topics and the directory in confabd
 * (docs/protocol.md, "Read marks, search, topics and the directory").
 *
 * reads.c keeps each user's read mark per room (READ moves it forward,
 * never back, durable before it is acknowledged), tells the user's other
 * sessions, and tells the room with RECEIPT at most once a second per user
 * and room: a mark that moves again within the second waits, and only the
 * latest is sent when the second ends. search.c answers SEARCH from the
 * store's full-text index, over the rooms the user is a member of only.
 * topics.c sets rooms' topics (TOPIC) and lists public rooms (ROOMS).
 * JOINED gets the user's mark, their unread count, every member's mark and
 * the topic from rooms_fill_joined. Nothing here touches a socket or SQL.
 */
#ifndef CONFAB_SERVER_ROOMS_H
#define CONFAB_SERVER_ROOMS_H

#include "server/server.h"

#define ROOMS_UNREAD_CAP 999   /* JOINED's and READ's unread, at most */
#define ROOMS_RECEIPT_MS 1000  /* one RECEIPT per user and room per this */
#define ROOMS_TOPIC_MAX 500    /* code points of a topic */

/* reads.c: the life cycle (from hub_init / hub_destroy). */
void reads_init(struct server *srv);
void reads_destroy(struct server *srv);
void reads_handle_read(const struct req *q);

/* What JOINED borrows from rooms_fill_joined, freed by rooms_joined_done
 * once the frame is encoded. */
struct rooms_joined {
	struct store_receipt *marks;
	size_t nmarks;
	struct proto_receipt *receipts;
	char *topic, *by;
};
/* Sets JOINED's read, unread, receipts and topic for user in r; a store
 * failure is logged and leaves them out. */
void rooms_fill_joined(struct server *srv, struct room *r, const char *user,
    struct proto_frame *f, struct rooms_joined *h);
void rooms_joined_done(struct rooms_joined *h);

/* search.c */
void search_handle(const struct req *q);

/* topics.c */
void topic_handle(const struct req *q);
void directory_handle(const struct req *q);

#endif
