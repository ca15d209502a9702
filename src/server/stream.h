/*
 * stream: answers too big to build whole, produced piece by piece as their
 * session's socket drains (struct ostream; ws.c sends each piece as a
 * fragment of one WebSocket message). HISTORY and JOINED read the store a
 * page at a time; a document's text (DOC_STATE, DOC_TEXT) is escaped a
 * piece at a time from a copy the stream shares. What a stream holds (a
 * page of rows, the text) counts in its session's queue for the budgets.
 *
 * A stream reads only what cannot change under it: messages up to a seq
 * fixed when the request came, a text copied then. Members and presence
 * are read as produced; any change after the request reaches the session
 * as an event queued behind the answer.
 */
#ifndef CONFAB_STREAM_H
#define CONFAB_STREAM_H

#include "server/server.h"

/* A copy of a document's text at a revision, shared by the streams that
 * send it. */
struct textsnap {
	unsigned refs;
	int64_t rev;
	size_t len;
	char *text;
};
struct textsnap *textsnap_new(char *text, size_t len, int64_t rev); /* takes text */
struct textsnap *textsnap_ref(struct textsnap *t);
void textsnap_unref(struct textsnap *t);

/* HISTORY: frame f (its messages left out) with the messages of room_id
 * with seq in [first, last], oldest first. */
struct ostream *stream_history(const struct proto_frame *f, int64_t room_id,
    int64_t first, int64_t last);
/* THREAD: frame f (its messages left out) with the replies to root with
 * seq in [first, last], oldest first. */
struct ostream *stream_thread(const struct proto_frame *f, int64_t room_id,
    int64_t root, int64_t first, int64_t last);
/* JOINED: frame f (members and messages left out) with the room's members
 * and, when last >= first, its messages with seq in [first, last]. */
struct ostream *stream_joined(const struct proto_frame *f, struct room *r,
    int64_t first, int64_t last);
/* DOC_STATE or DOC_TEXT: frame f (text left out) with t as its text. */
struct ostream *stream_text(const struct proto_frame *f, struct textsnap *t);

#endif
