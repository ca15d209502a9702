/*
 * spos: where the stream of an HTTP session (Server-Sent Events, long
 * polling) stands, room by room: the last seq it delivered and the highest
 * change rev it delivered (-1: changes are not followed). It is written as
 * an SSE event's id and a long poll's "resume", and read back from
 * Last-Event-ID and the rooms= query, so that a new session resumes where
 * the old one stopped, also after a restart (seqs and revs are stored):
 *
 *   lobby:41.9,dev:7,ops      lobby from seq 41 and rev 9, dev from seq 7
 *                             (no changes), ops joined without since
 *   -                         no room
 *
 * A position moves only on what resuming with it would bring again:
 * MESSAGE (seq), JOINED (the room's head, or the since its join gave),
 * REACTION, MESSAGE_EDITED and MESSAGE_DELETED (rev). Pure: no I/O.
 */
#ifndef CONFAB_SPOS_H
#define CONFAB_SPOS_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/names.h"

#define SPOS_NAME_MAX NAMES_DM_MAX

struct spos_room {
	char name[SPOS_NAME_MAX + 1];
	bool has_seq; /* false: joined without since */
	int64_t seq, rev; /* rev -1: no changes */
};

/* Parses text (at most max rooms, each named once) into a new array of
 * struct spos_room; NULL when it is malformed. */
GArray *spos_parse(const char *text, size_t max);

struct spos {
	GHashTable *rooms; /* name -> struct spos_room * */
	GHashTable *hints; /* name -> struct spos_room *: a join's since */
};

void spos_init(struct spos *p);
void spos_free(struct spos *p);
/* A join of room with since (and since_rev, -1 for none) is on its way:
 * its JOINED stands there, not at the head. */
void spos_hint(struct spos *p, const char *room, int64_t since,
    int64_t since_rev);
/* The frame json[0..len) was delivered; true when the position moved. */
bool spos_advance(struct spos *p, const char *json, size_t len);
/* The position as text (g_free it), of the rooms in subs only (the
 * session's subscriptions: a room left is not resumed), NULL: all. */
char *spos_format(const struct spos *p, GHashTable *subs);

#endif
