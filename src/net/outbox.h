/*
 * outbox: the client's state-changing requests that the server has not
 * acknowledged yet, kept on disk so that quitting or crashing loses none.
 *
 * Each entry is (cid, frame text) in the order they were made. The file is
 * JSON lines, {"cid":"...","frame":{...}}, rewritten whole into a temporary
 * file, fsync'd and renamed over the old one on every change, so it is
 * never seen half-written. Loading a damaged file keeps every line that
 * parses, skips the others, and says how many it skipped.
 */
#ifndef CONFAB_OUTBOX_H
#define CONFAB_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

struct outbox_entry {
	char *cid;
	char *frame; /* the JSON text sent to the server */
};

struct outbox {
	char *path;
	struct outbox_entry *v;
	size_t n, cap;
	size_t skipped; /* damaged lines dropped by the last load */
};

/* Opens (loading if it exists) the outbox at path; creates the parent
 * directory. NULL with a message in err on failure. */
struct outbox *outbox_open(const char *path, char *err, size_t errlen);
void outbox_free(struct outbox *o);

/* Appends and persists; false (nothing changed) on a write failure, when
 * the cid is already there or breaks the protocol's cid rule, or when frame
 * is not one JSON object. The frame is kept normalised (compact, as cJSON
 * prints it), so memory and the file always hold the same text. */
bool outbox_add(struct outbox *o, const char *cid, const char *frame);
/* Removes the entry (its ACK came, or the user discarded it) and persists;
 * false when there was none. */
bool outbox_remove(struct outbox *o, const char *cid);
const struct outbox_entry *outbox_find(const struct outbox *o, const char *cid);

/* A fresh random cid (16 characters of [a-z0-9]) into out (17 bytes). */
void outbox_new_cid(char out[17]);

#endif
