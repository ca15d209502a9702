/*
 * centre: the notification centre of confab (F5, /notifications).
 *
 * The list itself is the chat's inbox (model/inbox.h), kept up to date by
 * every NOTIFICATION, NOTIFICATIONS and NOTIFICATION_READ frame; this part
 * asks for its pages, moves the selection, marks entries read (through the
 * outbox, so a mark made offline is sent once the connection is back) and
 * jumps to the message an entry is about: it opens the room, pages back
 * through HISTORY until the message is held, then has the pane scroll to it
 * and draw it marked.
 */
#ifndef CONFAB_CENTRE_H
#define CONFAB_CENTRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/port.h"
#include "model/chat.h"
#include "model/proto.h"
#include "ui/ui.h"

/* What a jump needs the core to do: show a room (joining it when
 * needed), and ask for one page of a room's older history (false when
 * one is already out or there is nothing older). */
struct centre_hooks {
	void *ud;
	void (*show_room)(void *ud, const char *room);
	bool (*history)(void *ud, const char *room, int limit);
};

struct centre {
	const struct client_port *port;
	struct chat *chat;    /* the inbox and the rooms: read, never changed
	                         here but through the inbox's marks */
	struct centre_hooks hooks;
	bool online;          /* WELCOME seen */
	bool open;
	int64_t selected;     /* the id of the selected entry; 0: the newest */
	size_t top;           /* the entry on the first row last drawn */
	int rows;             /* how many entries fit */
	char page_cid[17];    /* a NOTIFICATIONS request out, or "" */

	char *jump_room;      /* the room of the last jump; NULL: none */
	int64_t jump_seq;     /* its message (0: the room itself) */
	bool jump_wait;       /* the message is not held yet */
	bool jump_go;         /* held: the next draw scrolls to it */
};

void centre_init(struct centre *c, const struct client_port *port,
    struct chat *chat, const struct centre_hooks *hooks);
void centre_free(struct centre *c);
/* Forgets the last jump: its message is no longer marked (Esc, exit). */
void centre_unmark(struct centre *c);
void centre_toggle(struct centre *c);
/* Keys while the centre is open; false for those it lets through. */
bool centre_key(struct centre *c, const struct ui_intent *in);
/* After WELCOME: the newest page, and a jump still waiting goes on. */
void centre_welcome(struct centre *c);
void centre_offline(struct centre *c);
/* After each frame the chat took in. */
void centre_frame(struct centre *c, const struct proto_frame *f);
/* /notifications [read]. */
void centre_command(struct centre *c, const char *args);

/* For a draw: the centre when open (NULL else), and the message to mark. */
const struct ui_centre *centre_view(struct centre *c, struct ui_centre *buf);
void centre_mark(struct centre *c, int64_t *seq, bool *go);
void centre_drawn(struct centre *c, const struct ui_drawn *d);

#endif
