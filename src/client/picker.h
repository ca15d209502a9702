/*
 * picker: the emoji picker a reaction is chosen in (+ on a message).
 *
 * It offers the emoji set (model/emoji.h: Unicode's emoji-test.txt, or a
 * built-in set) filtered by what the user types, the recent ones first.
 * The recent list, newest first, is kept in the state directory
 * (emoji-recent-USER, one emoji a line, mode 0600), as the other client
 * state is, so that it survives a restart. The picker owns its state; it
 * tells the core what was picked through its return value.
 */
#ifndef CONFAB_CLIENT_PICKER_H
#define CONFAB_CLIENT_PICKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/emoji.h"
#include "ui/ui.h"

#define PICKER_RECENT_MAX 16
#define PICKER_SHOWN_MAX 200

struct picker {
	struct emoji_set *set;
	char *path;                      /* the recent list's file, or NULL */
	char *recent[PICKER_RECENT_MAX]; /* newest first */
	size_t nrecent;
	bool open;
	char *room;                      /* the message reacted to */
	int64_t seq;
	char query[128];
	const struct emoji *hits[PICKER_SHOWN_MAX];
	size_t nhits, selected;
	/* the view's storage */
	char rowtext[PICKER_SHOWN_MAX][160];
	struct ui_list_row rows[PICKER_SHOWN_MAX];
	char title[96];
	struct ui_list list;
};

/* emoji_test: the path of emoji-test.txt (NULL or missing: the built-in
 * set); state_path: the recent list's file (NULL: kept for the run). */
void picker_init(struct picker *p, const char *emoji_test,
    const char *state_path);
void picker_free(struct picker *p);
void picker_open(struct picker *p, const char *room, int64_t seq);
void picker_close(struct picker *p);

enum picker_result {
	PICKER_NOT_MINE,   /* closed: the key is someone else's */
	PICKER_KEPT,       /* the picker used the key */
	PICKER_PICKED,     /* Enter: picker_chosen says what (then closed) */
};
/* A key while open. */
enum picker_result picker_key(struct picker *p, const struct ui_intent *in,
    char *chosen, size_t size);
/* chars goes first in the recent list, which is saved. */
void picker_used(struct picker *p, const char *chars);
/* The list to draw, or NULL when closed. */
const struct ui_list *picker_view(struct picker *p);

#endif
