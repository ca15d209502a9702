/*
 * chatlog: what was said in each room, kept as plain text files the way
 * irssi and WeeChat keep them: DIR/ROOM/YYYY-MM-DD.log, one file per room
 * and (local) day, a line a message:
 *
 *   12:01:07 <alice> hello
 *   12:01:30 * bob waves
 *   12:02:11 <bob> the plan (edited)
 *   12:02:40 -!- carol: message deleted
 *
 * Files are mode 0600 in 0700 directories. Every message is written once,
 * in seq order, when it joins the room's gap-free run (live, or replayed
 * after a reconnect); how far a room was written is kept in the room
 * (room.logged, remembered across runs by roomstore), so a restart
 * neither repeats nor skips a line. The backlog a room shows when it is
 * first joined is not news and is not written. A message is written in
 * the state it has when it joins the run (a replay brings the latest: its
 * edited text, marked "(edited)", or a tombstone, as an event line); a
 * change that comes after it was written is not: a log records what was
 * said, and is only appended to. Control characters are
 * written as U+FFFD; a newline in a message continues on an indented line.
 *
 * A file that cannot be written is said once; logging then stops until
 * the next start. Lines reach the file within CHATLOG_FLUSH_MS (WeeChat
 * waits two minutes): a flush a message would be a write() a message.
 */
#ifndef CONFAB_CLIENT_CHATLOG_H
#define CONFAB_CLIENT_CHATLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "client/port.h"
#include "model/room.h"

struct chatlog {
	char *dir;                   /* NULL: logging is off */
	const struct client_port *port;
	bool failed;
	char *open_path;             /* the file open now, for the next lines */
	FILE *f;
	int64_t flush_at;            /* monotonic ms; 0: nothing unflushed */
};

#define CHATLOG_FLUSH_MS 1000

void chatlog_init(struct chatlog *l, const char *dir,
    const struct client_port *port);
void chatlog_free(struct chatlog *l);
/* When lines written wait for their flush (INT64_MAX: none), and the
 * flush. */
int64_t chatlog_deadline(const struct chatlog *l);
void chatlog_tick(struct chatlog *l);
/* Writes r's messages that are newer than r->logged and held without a
 * gap; the first time a room is seen, only marks where logging starts. */
void chatlog_room(struct chatlog *l, struct room *r);

#endif
