/*
 * inputline: the line the user types into, and what goes with it: the
 * line editor (model/edit.h), each room's input history (Up/Down), Tab
 * completion that cycles, and a multi-line paste waiting for its y/n.
 *
 * Completion: the first Tab replaces the word before the cursor with the
 * first candidate the caller found for it; each further Tab, as long as
 * nothing else touched the line, puts the next one in its place (and
 * after the last, the word as typed). Any other change of the line ends
 * the cycle.
 *
 * Pure: no I/O, no clock.
 */
#ifndef CONFAB_CLIENT_INPUTLINE_H
#define CONFAB_CLIENT_INPUTLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/edit.h"

struct input_history {
	char *room;
	char **lines;
	size_t n, cap;
	size_t pos;          /* == n when not browsing */
};

struct inputline {
	struct edit edit;
	struct input_history *hist;
	size_t nhist, caphist;
	char *paste;         /* a multi-line paste awaiting y/n, or NULL */

	/* the completion cycle */
	char **cands;        /* what Tab offers, in order */
	size_t ncands, cand; /* cand: the one shown (ncands: the word typed) */
	size_t cstart;       /* code point where the completed word starts */
	char *typed;         /* the word as typed */
	char *shown;         /* the line as the last Tab left it */
};

void inputline_init(struct inputline *l);
void inputline_free(struct inputline *l);

/* History of room ("" for none): a sent line, and Up (dir < 0) / Down. */
void inputline_remember(struct inputline *l, const char *room,
    const char *line);
void inputline_browse(struct inputline *l, const char *room, int dir);

/* Whether a Tab now goes on with the cycle of the previous one. */
bool inputline_cycling(const struct inputline *l);
/* Starts a cycle over cands (copied) for the word that starts at code
 * point start; suffix goes after a candidate (": ", " "). Shows the first
 * one; false (nothing changed) when there is none. */
bool inputline_complete(struct inputline *l, size_t start,
    const char *const *cands, size_t n, const char *prefix,
    const char *suffix);
/* The next candidate of the cycle (inputline_cycling must be true). */
void inputline_cycle(struct inputline *l);
/* Ends the cycle (any other key). */
void inputline_end_cycle(struct inputline *l);

#endif
