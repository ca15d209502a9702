/*
 * msgs: threads, reactions, edits and deletes in confabd (docs/protocol.md,
 * "Threads, reactions, edits and deletes").
 *
 * A reply is an ordinary MESSAGE of the room with the seq of its thread's
 * root; the root counts its replies. REACT, EDIT and DELETE change a
 * message: each change is numbered by the room's change counter (rev),
 * stored with its (user, cid) in the loop turn's transaction, and only
 * after the commit ACKed and sent to the room; a retried cid is ACKed
 * again and changes nothing. A session resuming with a rev gets, after
 * the messages it missed, the changes it missed (pace.c drives it, a page
 * at a time). Nothing here touches a socket or SQL.
 */
#ifndef CONFAB_SERVER_MSGS_H
#define CONFAB_SERVER_MSGS_H

#include "server/server.h"

#define MSGS_MAX_EMOJI 32 /* distinct emoji on one message */

void msgs_handle_thread(const struct req *q);
void msgs_handle_react(const struct req *q);
void msgs_handle_edit(const struct req *q);
void msgs_handle_delete(const struct req *q);

/* A MESSAGE with a thread, before it is stored: the thread's root (a reply
 * to a reply goes to that reply's root) and its author (malloc'd). False
 * after an ERROR no_message (or internal). */
bool msgs_reply_root(const struct req *q, struct room *r, int64_t *root,
    char **author);
/* The reply m was appended in the open transaction: makes it one, and
 * notifies the root's author. -1 after a store failure (roll back). */
int msgs_reply_stored(struct server *srv, struct room *r, struct store_msg *m,
    int64_t root, const char *author);

/* Sets up the replay of changes for a session joining with since (and
 * since_rev >= 0). */
void msgs_replay_start(struct sub *sub, int64_t since, int64_t since_rev);
/* One step of sub's catching up with changes (replay_next is 0): a page of
 * changes while the queue has room; when they are caught up, the messages
 * committed meanwhile, if any, come first again. */
void msgs_replay_step(struct server *srv, struct session *s, struct sub *sub);

#endif
