/*
 * docset: several shared documents open at once, shown one at a time,
 * switched like rooms (tabs in the document pane's title row).
 *
 * Each open document is a whole struct docs (docs.h), untouched inside:
 * the set only holds them and says which one is shown. The shown one is
 * always the core's own `c->docs` (the set's `live`), so that keys,
 * drawing and the /doc commands reach it as they reach a lone document;
 * the others wait in the set's slots. Switching moves the structs by
 * value: the shown one into its slot, the chosen one into `live`. So
 * nothing may keep a pointer to a struct docs across calls (none does:
 * the docs code finds its requests by cid and by room and name).
 *
 * Slot `active` is the shown one's place in the tab order; it holds a
 * spare (no document) while `live` has the document. What the server
 * says goes to the document its room and name are of (an ERROR about an
 * edit to the one whose edit in flight has that cid); the link's events
 * (WELCOME, the link down, time) go to every document; unsent edits are
 * kept per document (docstore.c names each file after its document).
 * What docedit.h keeps beyond a document (the kill ring, the last find,
 * line numbers) goes along to the one shown, as it does to the next
 * document opened.
 */
#ifndef CONFAB_CLIENT_DOCSET_H
#define CONFAB_CLIENT_DOCSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/docs.h"

#define DOCSET_MAX 16 /* documents open at once */

struct docset {
	struct docs *live;   /* the shown document: the core's c->docs */
	struct docs *slot;   /* n documents in tab order; slot[active] spare */
	size_t n, active;
	const char **tabs;   /* the names for the pane, rebuilt by the view */
};

void docset_init(struct docset *s, struct docs *live);
/* Frees the documents waiting (live is the caller's to free). */
void docset_free(struct docset *s);

/* The document of tab i (i < docset_count), the shown one included. */
size_t docset_count(const struct docset *s);
struct docs *docset_at(struct docset *s, size_t i);
/* The tab of room/name, or -1. */
long docset_find(struct docset *s, const char *room, const char *name);

/* Opens room/name in a new tab and shows it, or shows it if it is open;
 * false (after a note) when DOCSET_MAX are open. */
bool docset_open(struct docset *s, const char *room, const char *name);
/* Closes the shown document (docs_close's rules); the next tab is shown. */
bool docset_close(struct docset *s, bool force);
/* Shows tab i; the tab step away (±1, wrapping); false when no other. */
void docset_show(struct docset *s, size_t i);
bool docset_step(struct docset *s, int step);

/* The room's documents close: it was left (parted) or lost (a kick). */
void docset_parted(struct docset *s, const char *room);
void docset_room_lost(struct docset *s, const char *room);

/* A frame from the server; true when it was a document's alone. */
bool docset_frame(struct docset *s, const struct proto_frame *f);
void docset_welcome(struct docset *s);
void docset_offline(struct docset *s);
int64_t docset_deadline(const struct docset *s);
void docset_tick(struct docset *s);

/* At start: reopens every document left with unsent edits, each in its
 * tab; how many. */
size_t docset_restore(struct docset *s);

/* Says which documents are open, the shown one in brackets. */
void docset_note(struct docset *s);

/* The shown document for ui_draw, with the tabs (NULL: none open). */
const struct ui_doc *docset_view(struct docset *s);

#endif
