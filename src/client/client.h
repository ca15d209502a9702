/*
 * client: the core of confab, with no socket and no terminal in it.
 *
 * It takes three kinds of input: frames from the server (client_frame)
 * and what became of the link (client_connected, client_link); what the
 * user does (client_key, with the intents ui_read makes, and
 * client_command for a slash command); and time (client_tick, when
 * client_deadline says). It acts on the world only through its port
 * (client/port.h): frames to send, requests to keep until answered,
 * notes, the log, redraws, the bell and desktop notifications. What the
 * screen shows is read with client_view, and what the draw found out
 * (the scroll actually used, the pane's height) comes back through
 * client_drawn.
 *
 * The core is the composition of subsystems that each own their state
 * behind their own struct and take that struct and the port, never the
 * core: the chat state (model/chat.h), the send queue over the outbox
 * (sendq.h), the input line (inputline.h), the shared-document pane
 * (docs.h), the notification centre (centre.h). The parts of the core
 * itself: client.c (the link, frames, rooms, presence, typing, history),
 * keys.c (intents), commands.c (slash commands). The glue, main.c, is the
 * only client file that knows the socket library and curses.
 */
#ifndef CONFAB_CLIENT_CLIENT_H
#define CONFAB_CLIENT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/centre.h"
#include "client/chatlog.h"
#include "client/docs.h"
#include "client/docset.h"
#include "client/inputline.h"
#include "client/picker.h"
#include "client/port.h"
#include "client/search.h"
#include "client/sendq.h"
#include "client/signin.h"
#include "model/chat.h"
#include "model/config.h"
#include "net/outbox.h"
#include "ui/ui.h"

#define CLIENT_TYPING_EVERY_MS 3000 /* TYPING active:true at most this often */

/* What the connection layer says (net/conn.h, told in the core's terms). */
/* What was wrong with a wss:// server's certificate. */
enum client_cert {
	CLIENT_CERT_OK,
	CLIENT_CERT_UNTRUSTED,  /* no authority signed it: ask the user */
	CLIENT_CERT_CHANGED,    /* not the one the user trusted: refuse */
	CLIENT_CERT_BAD,        /* expired, or for another name */
};

struct client_link {
	enum chat_link state;   /* OFFLINE, CONNECTING or WAITING: CONNECTED
	                           is the core's own, once WELCOME came */
	bool open;              /* the socket is open (state CONNECTING) */
	unsigned attempt;
	int64_t retry_at;       /* CHAT_WAITING: monotonic ms */
	const char *error;      /* why the last connection ended, or NULL */
	enum client_cert cert;
	const char *fingerprint; /* of the certificate, when there was one */
	const char *transport;  /* "ws", "sse" or "poll" (NULL: ws) */
};

struct client {
	struct config *cfg;        /* the glue's; /dnd and /notify change it */
	char *state_dir;
	char *rooms_path;          /* roomstore's file */
	char *pins_path;           /* trusted certificates (pins.h) */
	char *trust_fp;            /* a certificate the user is asked about */
	char *told_fp;             /* the last one told of or declined */
	char *pinned_fp;           /* the one the user trusted: attempts made
	                            * before the pin still report it */
	struct client_port world;  /* the glue's port */
	struct client_port port;   /* the same, with queue and note ours: what
	                              the subsystems get */

	struct chat *chat;
	struct outbox *outbox;
	struct sendq sendq;
	struct inputline input;
	struct docs docs;          /* the document shown (docset.h) */
	struct docset docset;      /* the others open */
	struct centre centre;
	struct search search;
	struct chatlog log;
	struct signin signin;

	bool welcomed;             /* WELCOME seen on this connection */
	bool quit;                 /* the user asked to leave */
	bool focused;              /* the terminal has focus (xterm reports) */

	/* the message pane */
	int scroll;                /* lines up from the end: as drawn, or more
	                              while pages of history are on their way */
	int page;                  /* its height at the last draw */
	bool side_panes;
	char prompt[96];           /* a question over the input line, or "" */

	/* presence and typing */
	int64_t last_input;        /* monotonic ms of the last key */
	bool auto_away;            /* away set by idleness */
	int64_t typing_sent;       /* when TYPING active:true went, 0: none */
	char *typing_room;

	/* JOINs sent and not answered, by cid: a refused one closes its room */
	struct client_join { char cid[17]; char *room; } *joins;
	size_t njoins, capjoins;

	/* one HISTORY request at a time */
	bool history_inflight;
	char *history_room;

	/* rights requests sent and not answered (rights.c) */
	struct client_mod { char cid[17]; enum proto_type type; char *what; } *mods;
	size_t nmods, capmods;

	/* the message cursor and what it does (msgact.c) */
	struct client_cursor {
		bool on;               /* a message is selected */
		int64_t seq;
		bool go;               /* the pane is to scroll to it */
		int64_t editing;       /* the input line edits this message */
		char *edit_room;
		int64_t deleting;      /* the message asked y/n about */
		char *delete_room;
		int64_t shown, tshown; /* the selections the last view gave */
	} cur;
	/* the thread pane (msgact.c) */
	struct client_thread {
		char *room;            /* NULL: closed */
		int64_t root;
		struct edit input;
		bool focused;          /* keys go to its input line */
		bool cursor;           /* its message cursor is on */
		int64_t seq;
		int scroll;
		char title[160];
		int64_t editing;       /* its input line edits this message */
		/* the replies asked of the server (THREAD), older pages as the
		 * pane scrolls to its top; the root, when older than the room's
		 * run, asked alone (a HISTORY of one) */
		char cid[17];          /* the THREAD on its way, or "" */
		bool fetched;          /* its newest page came */
		bool more;             /* older replies on the server */
		int64_t before;        /* the oldest reply a page gave */
		char root_cid[17];     /* the root's HISTORY on its way, or "" */
		bool root_asked;
	} thread;
	struct picker picker;
	struct ui_thread thread_view;
	/* the server's search results and the room directory (finder.c) */
	struct client_finder {
		enum { FINDER_NONE, FINDER_SEARCH, FINDER_ROOMS, FINDER_DOCS } kind;
		char cid[17];          /* the request on its way, or "" */
		char *query;
		struct finder_item { char *room; int64_t seq; char *text;
		    struct ui_list_row row; } *items;
		size_t n, cap, selected;
		bool more;
		int64_t before;        /* SEARCH: the next page's cursor */
		char title[160];
		struct ui_list list;
		struct ui_list_row *rows;
		/* a jump to a result: its room is paged back to it */
		char *jump_room;
		int64_t jump_seq;
	} finder;
	/* read marks sent (readmark.c): at most one READ a second a room */
	int64_t read_deadline;
};

/* Opens the outbox in state_dir; NULL with the reason in err. Chat logs
 * go to log_dir (NULL: none). The core keeps cfg and world as given (both
 * outlive it). */
struct client *client_new(struct config *cfg, const char *state_dir,
    const char *log_dir, const struct client_port *world, char *err,
    size_t errlen);
void client_free(struct client *c);
/* After client_new: shows what the outbox still holds, opens the first
 * room, restores a document left with unsent edits. */
void client_start(struct client *c);

/* The link. */
void client_connected(struct client *c);   /* socket open: sends HELLO */
void client_frame(struct client *c, const char *text, size_t len);
void client_link(struct client *c, const struct client_link *st);

/* The user. */
void client_key(struct client *c, struct ui_intent *in);        /* keys.c */
void client_command(struct client *c, const char *line);    /* commands.c */
/* Completes a command name: every match, in order, into out (at most
 * max); returns how many matched. */
size_t client_complete_command(const char *prefix, const char **out,
    size_t max);

/* Time: when client_tick has something to do (monotonic ms; INT64_MAX:
 * nothing until the next event), and doing it. */
int64_t client_deadline(const struct client *c);
void client_tick(struct client *c);

/* The message cursor, the thread pane, the picker (msgact.c). */
void client_msgact_init(struct client *c);
void client_msgact_free(struct client *c);
bool client_msgact_key(struct client *c, struct ui_intent *in);
/* Enter in the input line while a message is being edited: sends the
 * EDIT; false when none is. */
bool client_msgact_submit(struct client *c, const char *line);
void client_msgact_view(struct client *c, struct ui_view *v);
void client_msgact_drawn(struct client *c, const struct ui_drawn *d);
/* After a HISTORY or JOINED: the open thread's replies (and its root)
 * are asked for once the room is joined. */
void client_msgact_history(struct client *c);
/* The thread pane's replies from the server (threadpage.c). Shows the
 * thread of root in room in the pane and asks the server for its replies
 * (model/room.h's loose messages hold what the room does not). */
void client_thread_show(struct client *c, const char *room, int64_t root);
/* A THREAD, the root's HISTORY or an ERROR for either: true when it was
 * the thread pane's (then nothing else is to see it). */
bool client_msgact_frame(struct client *c, const struct proto_frame *f);
/* The link went: what was asked is asked again after the JOINED. */
void client_msgact_offline(struct client *c);
/* The pane is at its top: the next older page, if the server has more. */
void client_thread_older(struct client *c);
/* What the pane asked of the server is forgotten; with drop, the room's
 * loose messages go too (the pane closes or shows another thread). */
void client_thread_forget(struct client *c, bool drop);
/* Sends a state-changing frame through the outbox; false (said) when it
 * cannot be kept. */
bool client_request(struct client *c, const char *cid, char *frame);

/* Server search, topics, the directory (finder.c). */
void client_search_server(struct client *c, const char *text);
void client_list_rooms(struct client *c, const char *query);
/* /doc list: room's documents, who is in each; Enter opens one. */
void client_list_docs(struct client *c, const char *room);
void client_topic(struct client *c, const char *text);
bool client_finder_frame(struct client *c, const struct proto_frame *f);
bool client_finder_key(struct client *c, struct ui_intent *in);
void client_finder_free(struct client *c);
/* The list to show, or NULL. */
const struct ui_list *client_finder_list(struct client *c);
/* After a HISTORY or JOINED: a jump to a result goes on. */
void client_finder_history(struct client *c);

/* Read marks (readmark.c): READ for the rooms the user has seen the
 * bottom of, at most one a second a room; the deadline of the next. */
void client_read_seen(struct client *c);
int64_t client_read_deadline(const struct client *c);

/* The screen. centre is storage for v->centre. */
void client_view(struct client *c, struct ui_view *v, struct ui_centre *centre);
void client_drawn(struct client *c, const struct ui_drawn *d);

/* What commands and keys do (client.c). */
void client_note(struct client *c, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void client_say(struct client *c, const char *room, const char *text);
/* Shows the room, opening and joining it when needed. */
void client_show_room(struct client *c, const char *room);
void client_switch(struct client *c, size_t index);
/* Alt-A: the next room with something new, mentions and direct
 * messages before the rest. */
void client_next_active(struct client *c);
/* The room list or a read mark changed: remembered for the next run. */
void client_rooms_changed(struct client *c);
void client_part(struct client *c, const char *room);
void client_set_presence(struct client *c, enum proto_status st,
    const char *text);
void client_input_changed(struct client *c);   /* typing notifications */
void client_stop_typing(struct client *c);
/* One page of room's history before its oldest message (limit <= 0: the
 * configured page); false when one is out, or nothing older is there. */
bool client_request_history(struct client *c, const char *room, int limit);
void client_retry_failed(struct client *c);
/* The user's answer to the question about a server's certificate. */
void client_answer_trust(struct client *c, bool yes);
void client_discard_failed(struct client *c);

/* Rooms' rights (rights.c). A command of the room shown: /invite, /kick,
 * /ban, /unban, /op, /deop USER, /private on|off (type: the request).
 * A frame about rights: true when handled whole (the answer of one of
 * ours, a room HELLO could not resume). What is in flight is forgotten
 * when the link goes. */
void client_moderate(struct client *c, enum proto_type type, char *args);
bool client_rights_frame(struct client *c, const struct proto_frame *f);
void client_rights_offline(struct client *c);
void client_rights_free(struct client *c);

#endif
