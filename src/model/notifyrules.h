/*
 * notifyrules: whether a new message should raise a desktop notification
 * and ring the terminal bell.
 *
 * One pure decision over the settings (docs/notifications.md) and one
 * event. It owns no state and does no I/O: the client asks it for every
 * message it did not send, then acts on the answer (desknotify, beep).
 *
 * The rules, in order:
 *   1. my own messages never notify;
 *   2. do-not-disturb silences everything;
 *   3. the room's level decides: all, mentions (a direct message counts
 *      as a mention) or none; a room without a level of its own takes
 *      the default level;
 *   4. with when = unfocused, nothing happens while the terminal has focus;
 *   5. what passes raises a desktop notification, and rings the bell when
 *      the bell is on.
 */
#ifndef CONFAB_NOTIFYRULES_H
#define CONFAB_NOTIFYRULES_H

#include <stdbool.h>
#include <stddef.h>

enum notify_level {
	NOTIFY_ALL,        /* every message */
	NOTIFY_MENTIONS,   /* messages that mention me, and direct messages */
	NOTIFY_NONE,       /* nothing */
};

enum notify_when {
	NOTIFY_UNFOCUSED,  /* only while the terminal does not have focus */
	NOTIFY_ALWAYS,
};

/* A room's own level (config key notify.ROOM). */
struct notify_room_rule {
	char *room;
	enum notify_level level;
};

struct notify_settings {
	enum notify_level level;         /* rooms without a rule (mentions) */
	struct notify_room_rule *rooms;  /* owned by whoever filled them in */
	size_t nrooms;
	enum notify_when when;           /* unfocused */
	bool bell;                       /* ring the bell too (false) */
	bool dnd;                        /* do not disturb (false) */
};

struct notify_event {
	const char *room;    /* NULL: a room with no rule of its own */
	bool is_dm;          /* a direct message */
	bool is_mention;     /* the text mentions me */
	bool from_me;        /* I sent it (from this or another session) */
	bool focused;        /* the terminal has focus */
};

struct notify_decision {
	bool desktop;
	bool bell;
};

/* The documented defaults; no room rules. */
void notify_settings_default(struct notify_settings *s);

/* The level that applies to room: its own rule, else the default. */
enum notify_level notifyrules_level(const struct notify_settings *s,
    const char *room);

struct notify_decision notifyrules_decide(const struct notify_settings *s,
    const struct notify_event *ev);

/* "all", "mentions", "none" (exact, lower case); false leaves *out. */
bool notify_level_parse(const char *word, enum notify_level *out);
const char *notify_level_name(enum notify_level level);

/* "always", "unfocused" (exact, lower case); false leaves *out. */
bool notify_when_parse(const char *word, enum notify_when *out);
const char *notify_when_name(enum notify_when when);

#endif
