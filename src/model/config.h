/*
 * config: confab's settings and the parser of ~/.config/confab/config.
 *
 * The file is lines of `key = value`; `#` starts a comment (a whole line,
 * or after the value when preceded by white space); blank lines are fine;
 * values may be quoted with "..." to keep spaces or '#'. An unknown key, a
 * missing '=' or a bad value is an error naming the file and line, and the
 * settings are then left as they were. Command-line flags are applied after
 * the file by the program, so they win. Pure: parses text it is given.
 */
#ifndef CONFAB_CONFIG_H
#define CONFAB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "model/notifyrules.h"

/* A setting that is a list ("a, b c": commas and blanks separate). */
struct config_list {
	char **v;
	size_t n;
};

#define CONFIG_LIST_MAX 64      /* entries in a list */
#define CONFIG_WORD_MAX 64      /* bytes of one highlight word */
#define CONFIG_TIMEFMT_MAX 32   /* bytes of timestamp_format */

struct config {
	char *server;           /* ws://127.0.0.1:7681/, or wss://… */
	char *transport;        /* auto (WebSocket, falling back to SSE, then
	                           long polling), ws, sse or poll */
	char *ca;               /* NULL, or a file of authorities for wss://
	                           beside the system's; ~/ expanded */
	char *user;             /* $USER if a valid name, else NULL */
	char *room;             /* the room opened first: lobby */
	char *theme;            /* default */
	char *log;              /* NULL: state dir/confab.log; ~/ expanded */
	int away_after;         /* seconds idle before away; 0 = never (300) */
	unsigned reconnect_attempts; /* 0 = unlimited (0) */
	int history_page;       /* messages per HISTORY request (50) */
	size_t scrollback_lines; /* lines a room holds in memory (20000) */
	bool timestamps;        /* show times (true) */
	bool side_panes;        /* show room list and presence (true) */
	struct config_list autojoin; /* rooms joined at start, besides room */
	bool remember_rooms;    /* the last run's rooms come back (true) */
	struct config_list highlight; /* words that count as mentions */
	bool chat_logs;         /* write chat logs to files (true) */
	char *chat_log_dir;     /* NULL: the XDG data dir's logs/; ~/ expanded */
	char *timestamp_format; /* strftime(3) of message times (%H:%M) */
	/* Notifications: notify (mentions), notify.ROOM (one per room),
	 * notify_when (unfocused), bell (false), dnd (false). */
	struct notify_settings notify;
};

void config_defaults(struct config *c);
void config_free(struct config *c);

/* Parses text (the file's content) named filename in messages. On error
 * writes "filename:line: reason" into err and leaves c untouched. */
bool config_parse(struct config *c, const char *text, const char *filename,
    char *err, size_t errlen);
/* The same over len bytes, which may hold a NUL: a line with one is an
 * error like any bad line (a NUL would otherwise cut the value short). */
bool config_parse_len(struct config *c, const char *text, size_t len,
    const char *filename, char *err, size_t errlen);

/* Sets one key from a string (the same checks as the file); used for flags.
 * On error writes the reason (no location) into err and leaves c untouched.
 * Booleans are true/false, yes/no or on/off; an empty log is the default.
 * "notify.ROOM" (any valid room name) sets that room's notification level. */
bool config_set(struct config *c, const char *key, const char *value,
    char *err, size_t errlen);

#endif
