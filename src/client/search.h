/*
 * search: finding text in a room's messages (/search TEXT, Ctrl-R).
 *
 * A search looks through the confirmed messages of one room, newest
 * first, for the text (ignoring the case of ASCII letters). The match it
 * stands on is shown marked in the pane (the pane scrolls to it) and
 * every occurrence of the text is highlighted; n goes to the next older
 * match, N to the next newer one. When nothing older is held but the
 * server has older history, pages of it are asked for, one at a time,
 * until a match or the room's first message; only then is the user told
 * there is none. Esc or Enter ends the search where it stands.
 *
 * The subsystem holds its query and position; it reads the rooms (the
 * chat) and asks the core for history through its hooks.
 */
#ifndef CONFAB_CLIENT_SEARCH_H
#define CONFAB_CLIENT_SEARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "client/port.h"
#include "model/chat.h"

#define SEARCH_PAGE 200 /* messages per history page while searching */

struct search_hooks {
	void *ud;
	/* One page of room's history before its oldest message; false when
	 * one is out already or there is nothing older. */
	bool (*history)(void *ud, const char *room, int limit);
};

struct search {
	const struct client_port *port;
	const struct chat *chat;
	struct search_hooks hooks;
	bool active;
	char *query;
	char *room;
	int64_t seq;           /* the match shown, 0: none yet */
	bool go;               /* the pane is to scroll to it */
	bool waiting;          /* an older page was asked for */
	unsigned found;        /* matches seen so far, for the prompt */
	const char *said;      /* "no older match" and such, for the prompt */
};

void search_init(struct search *s, const struct client_port *port,
    const struct chat *chat, const struct search_hooks *hooks);
void search_free(struct search *s);
/* Starts a search of room for query and goes to its newest match. */
void search_start(struct search *s, const char *room, const char *query);
/* The next older (dir < 0) or newer (dir > 0) match. */
void search_move(struct search *s, int dir);
void search_stop(struct search *s);
/* After a HISTORY or JOINED of any room: a page may have brought a
 * match, or the way is free to ask for the next one. */
void search_history(struct search *s);
/* "search \"foo\": n older, N newer, Esc ends" into buf, or "". */
void search_prompt(const struct search *s, char *buf, size_t size);
/* Whether text holds the query (ASCII case ignored); *at receives the
 * byte offset of the first occurrence. */
bool search_match(const char *text, const char *query, size_t *at);

#endif
