/*
 * inbox: the client's notification centre, as one pure state.
 *
 * It holds the notifications the server told the client about (pushed
 * NOTIFICATION frames and NOTIFICATIONS pages), one entry per id, newest
 * (highest id) first, with the server's count of unread ones. The server is
 * the authority: a notification that comes again replaces the entry held
 * (its read flag may have changed in another session), and the unread
 * count is taken from every frame that carries it (WELCOME, NOTIFICATION,
 * NOTIFICATIONS, NOTIFICATION_READ) rather than counted here, since the
 * inbox holds only what it was given.
 *
 * Pages: the answer to a request without `before` is the newest page; the
 * entries older than it are dropped, since notifications made meanwhile
 * may sit between them and the page (ids are server-wide, so a gap cannot
 * be seen). A page with `before` continues the list downwards; when it
 * continues from the oldest entry held, its `more` says whether still
 * older ones exist. At most INBOX_MAX entries are kept: past that the
 * oldest go and `more` turns true.
 *
 * Pure: no I/O, no clock, no curses. The UI reads it; client/main.c feeds
 * it the decoded frames and sends the frames built here.
 */
#ifndef CONFAB_INBOX_H
#define CONFAB_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/proto.h"

#define INBOX_MAX 1000
#define INBOX_PAGE 50

struct inbox_item {
	int64_t id;
	char *level;   /* info, success, warning, error (or one not known yet) */
	char *kind;    /* what caused it: mention, dm, join, or "" */
	char *title, *message;
	char *room;    /* the room it is about; NULL when none */
	int64_t seq;   /* the message in that room; 0 when none */
	int64_t ts;
	bool read;
};

struct inbox {
	struct inbox_item *items; /* newest first: ids strictly decreasing */
	size_t n, cap;
	int64_t unread;  /* the server's count of the user's unread notifications */
	bool more;       /* the server holds older ones than the oldest here */
};

struct inbox *inbox_new(void);
void inbox_free(struct inbox *ib);

/* Folds in one decoded server frame: WELCOME (its unread), NOTIFICATION,
 * NOTIFICATIONS or NOTIFICATION_READ; any other frame changes nothing. */
void inbox_apply(struct inbox *ib, const struct proto_frame *f);

size_t inbox_count(const struct inbox *ib);
/* The entry at index (0 is the newest), or NULL past the end. */
const struct inbox_item *inbox_at(const struct inbox *ib, size_t index);
/* The index of the entry with that id, or (size_t)-1. */
size_t inbox_find(const struct inbox *ib, int64_t id);
int64_t inbox_unread(const struct inbox *ib);

/* Where the entry at index leads: its room and the seq of the message in
 * it (0: the room itself). false when index is past the end or the entry
 * names no room. */
bool inbox_link(const struct inbox *ib, size_t index, const char **room,
    int64_t *seq);

/* The newest and oldest ids held (0 when empty): the oldest is the
 * `before` of the next older page, the newest the `upto` that marks read
 * everything the user has seen. */
int64_t inbox_newest(const struct inbox *ib);
int64_t inbox_oldest(const struct inbox *ib);

/* What the user did in this session, shown before the server confirms it
 * (its NOTIFICATION_READ then brings the count it keeps). inbox_mark_read
 * marks the entry read and counts one unread less: false when it is not
 * held or was read already. inbox_mark_all_read does that for every entry
 * with an id up to upto (every one when upto < 0); returns how many were
 * unread. */
bool inbox_mark_read(struct inbox *ib, int64_t id);
size_t inbox_mark_all_read(struct inbox *ib, int64_t upto);

/* The frames the client sends (malloc'd JSON; NULL only for a frame that
 * cannot be, as MARK_READ of id 0); cid may be NULL. before <= 0 asks for the newest page; limit <= 0 for the server's
 * default; upto < 0 marks every notification read. */
char *inbox_page_frame(const char *cid, int64_t before, int limit);
char *inbox_mark_read_frame(const char *cid, int64_t id);
char *inbox_mark_all_read_frame(const char *cid, int64_t upto);

#endif
