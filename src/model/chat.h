/*
 * chat: everything the client knows, as one pure state.
 *
 * The rooms in the order of the room list (each a struct room: timeline,
 * members, typing, counters), which one is shown, client notices (errors,
 * help, command output) per room, the local user's presence, and what the
 * connection layer reported. chat_apply folds one decoded server frame into
 * it; the chat_*_frame builders make the frames the client sends. The UI
 * draws from it and never changes it; main.c wires it to net and ui.
 * Pure: no I/O, no clock (now is passed in), no curses, no sockets.
 */
#ifndef CONFAB_CHAT_H
#define CONFAB_CHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/inbox.h"
#include "model/proto.h"
#include "model/room.h"

/* What the status line says about the connection (mirrors net/conn). */
enum chat_link {
	CHAT_OFFLINE,
	CHAT_CONNECTING,
	CHAT_CONNECTED,   /* WELCOME received */
	CHAT_WAITING,     /* retry scheduled */
};

struct chat_notice {
	char *room;       /* the room it belongs to; NULL: shown in every room */
	char *text;
	int64_t ts;
	bool error;
};

struct chat {
	char *me;
	char *server;           /* for the status line: host:port */
	struct room **rooms;    /* room list order */
	size_t nrooms, caprooms;
	size_t current;         /* index into rooms; 0 when there are none */

	struct chat_notice *notices;
	size_t nnotices, capnotices;

	enum chat_link link;
	unsigned attempt;       /* reconnect attempts */
	int64_t retry_at;       /* CHAT_WAITING: when, in the caller's clock */
	char *link_error;       /* why the last connection ended */
	char transport[8];      /* what carries the link: "ws", "sse", "poll"
	                           ("" before the first report) */
	size_t pending;         /* sends waiting for the server (outbox size) */

	enum proto_status status; /* what the user asked for */
	char *status_text;
	int64_t heartbeat_ms;   /* from WELCOME */
	struct inbox *inbox;    /* the notification centre; its unread count
	                           is the server's */
	char *session;
	const char *const *highlights; /* borrowed; given to every room */
	size_t nhighlights;
	size_t room_limit;      /* lines a room holds at most (0: no limit) */
};

struct chat *chat_new(const char *me, const char *server);
void chat_free(struct chat *c);

/* The room called name, or NULL; chat_open adds it to the list (not yet
 * joined) when missing and returns it. */
struct room *chat_room(const struct chat *c, const char *name);
struct room *chat_open(struct chat *c, const char *name);
/* At most n confirmed lines held per room (the scrollback_lines setting;
 * 0: no limit): older ones are paged back from the server as history. */
void chat_set_limit(struct chat *c, size_t n);
/* Words that count as mentions of me in every room (borrowed). */
void chat_set_highlights(struct chat *c, const char *const *words, size_t n);
/* Removes a room from the list (after /part). */
void chat_close(struct chat *c, const char *name);
struct room *chat_current(const struct chat *c);
/* Shows room i (clamped); marks it read. */
void chat_switch(struct chat *c, size_t i);

/* Adds a client notice to room (NULL: all rooms); printf-style. */
void chat_notice(struct chat *c, const char *room, bool error, int64_t now,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Folds one frame from the server into the state. */
void chat_apply(struct chat *c, const struct proto_frame *f, int64_t now);

/* The frames the client sends (malloc'd JSON). */
/* HELLO resuming every room that holds messages (from its last_seq); the
 * others are to be JOINed after WELCOME. token: the sign-in's, or NULL. */
char *chat_hello_frame(const struct chat *c, const char *token);
char *chat_join_frame(const char *room, int64_t since); /* since < 0: none */
char *chat_message_frame(const char *cid, const char *room, const char *text);
char *chat_leave_frame(const char *cid, const char *room);
char *chat_history_frame(const char *room, int64_t before, int limit);
char *chat_typing_frame(const char *room, bool active);
char *chat_presence_frame(enum proto_status st, const char *text);

/* ---- messages' changes and read marks (chat_changes.c) ------------------ */

/* Folds REACTION, MESSAGE_EDITED, MESSAGE_DELETED, RECEIPT, TOPIC and READ
 * (another session's) into the state; false for other frames. */
bool chat_apply_change(struct chat *c, const struct proto_frame *f,
    int64_t now);
/* What a JOINED says beside its messages (rev, receipts, topic, the read
 * mark); was_held[i]: messages[i] was held before (its reply counted);
 * fresh: the room held nothing before, so its messages come in their
 * latest state and JOINED's rev is where changes stand (a resume takes
 * rev from the changes replayed after it, so that a replay cut short is
 * asked for again). */
void chat_joined_extras(struct chat *c, struct room *r,
    const struct proto_frame *f, const bool *was_held, bool fresh);
/* A reply in thread (the root's seq), the thread's page, a reaction (on
 * or off), an edit, a deletion, a read mark, a topic, a search of every
 * room of mine (before: the page's cursor, 0 the newest), the directory
 * (after: the last room of the page before). NULL when the codec cannot
 * encode it. */
char *chat_reply_frame(const char *cid, const char *room, const char *text,
    int64_t thread);
char *chat_thread_frame(const char *room, int64_t root, int64_t before,
    int limit);
char *chat_react_frame(const char *cid, const char *room, int64_t seq,
    const char *emoji, bool on);
char *chat_edit_frame(const char *cid, const char *room, int64_t seq,
    const char *text);
char *chat_delete_frame(const char *cid, const char *room, int64_t seq);
char *chat_read_frame(const char *room, int64_t seq);
char *chat_topic_frame(const char *cid, const char *room, const char *text);
char *chat_search_frame(const char *cid, const char *text, int64_t before);
char *chat_rooms_frame(const char *cid, const char *query, const char *after);

/* Tab completion: the users other than me whose name starts with prefix
 * (case-insensitive) among every name the client knows (members of any
 * room, authors of the messages held, the other user of a direct-message
 * room). The members of room come first, then the others, each group
 * sorted; returns how many were written to out (at most max). */
size_t chat_complete_nick(const struct chat *c, const struct room *r,
    const char *prefix, const char **out, size_t max);

/* "alice is typing…", "alice and bob are typing…", "several people are
 * typing…", or "" — into buf. */
void chat_typing_line(const struct room *r, char *buf, size_t size);

#endif
