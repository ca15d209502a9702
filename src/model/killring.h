/*
 * killring: the document pane's kill ring, as in emacs.
 *
 * Kills (Ctrl-K, Ctrl-U, Ctrl-W, a cut, a copy) push their text onto the
 * ring, newest first. A kill made right after another kill joins it
 * instead of making a new entry (Ctrl-K Ctrl-K takes two lines as one
 * text): appended when it took text after the point, prepended when it
 * took text before. A yank takes the newest entry; a yank-pop right after
 * steps the yank pointer to the next older one, wrapping round, so that
 * the caller replaces the text it just yanked by that one.
 *
 * Bounds: at most KILLRING_MAX entries and KILLRING_BYTES bytes in all;
 * the oldest go first. One text longer than KILLRING_BYTES is refused.
 *
 * Owns its copies of the texts. Never does I/O or knows a document.
 */
#ifndef CONFAB_KILLRING_H
#define CONFAB_KILLRING_H

#include <stdbool.h>
#include <stddef.h>

#define KILLRING_MAX 32
#define KILLRING_BYTES (4u << 20)

struct killring {
	char *v[KILLRING_MAX];   /* v[0] newest; n in use */
	size_t len[KILLRING_MAX];
	size_t n;
	size_t bytes;            /* sum of len */
	size_t yank;             /* the entry the last yank or pop took */
};

enum killring_join {
	KILLRING_NEW,            /* a new entry */
	KILLRING_APPEND,         /* after the newest (a kill forward) */
	KILLRING_PREPEND,        /* before it (a kill backward) */
};

void killring_init(struct killring *k);
void killring_free(struct killring *k);
/* Pushes text[0..len) (or joins it to the newest entry); false, nothing
 * changed, when it is empty or would pass KILLRING_BYTES alone. */
bool killring_push(struct killring *k, const char *text, size_t len,
    enum killring_join join);
/* The newest entry, and the yank pointer back on it; NULL when empty. */
const char *killring_yank(struct killring *k, size_t *len);
/* The entry after the one the last yank or pop took (older, wrapping
 * round); NULL when empty. */
const char *killring_pop(struct killring *k, size_t *len);

#endif
