/*
 * fake_port: the client core under test, with a port that records what
 * it does instead of doing it. Frames sent, notes, redraws, bells and
 * desktop posts are kept for the test to look at; the clocks are the
 * test's (fx->now moves only when the test moves it). The state
 * directory is a fresh temporary one, removed at the end.
 */
#ifndef CONFAB_TEST_FAKE_PORT_H
#define CONFAB_TEST_FAKE_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "client/client.h"

#define FX_MAX 512

struct fx {
	struct client *c;
	struct config cfg;
	char dir[64];
	struct client_port port;
	bool link_open;         /* send works */
	int64_t now, wall;
	char *sent[FX_MAX];     /* frames, in order */
	size_t nsent;
	char *logs[FX_MAX];
	size_t nlogs;
	int redraws, bells;
	char *desktop[FX_MAX];  /* "title|body" */
	size_t ndesktop;
	int reconnects, stops;
	char *theme;            /* the last theme asked for */
	char *trusted;          /* the last fingerprint trusted */
	char *copied;           /* the last text put on the clipboard */
};

/* A core for user alice with its first room lobby (not yet started:
 * fx_start), or with extra config lines applied first. */
struct fx *fx_new(const char *config_text);
void fx_start(struct fx *fx);
void fx_free(struct fx *fx);
/* A core restarted on the same state directory (the old one freed). */
struct fx *fx_restart(struct fx *fx);

/* The socket opens (HELLO goes) and WELCOME comes. */
void fx_connect(struct fx *fx);
/* The socket opens; nothing comes yet. */
void fx_open(struct fx *fx);
void fx_disconnect(struct fx *fx);
/* One frame from the server, as JSON (printf-style). */
void fx_feed(struct fx *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* JOINED for room with messages seq 1..n from user (n may be 0). */
void fx_joined(struct fx *fx, const char *room, int n, const char *user);
/* A live MESSAGE. */
void fx_message(struct fx *fx, const char *room, int seq, const char *user,
    const char *text);

/* The user. */
void fx_type(struct fx *fx, const char *text);
void fx_key(struct fx *fx, enum ui_intent_kind kind, int n);
void fx_edit(struct fx *fx, int op);
void fx_say(struct fx *fx, const char *line); /* typed, then Enter */

/* What the core sent: how many frames of type (NULL: any) since the last
 * fx_clear, the last one parsed (the caller deletes it, NULL if none). */
size_t fx_count(const struct fx *fx, const char *type);
cJSON *fx_last(const struct fx *fx, const char *type);
void fx_clear(struct fx *fx);
/* Answers the last queued request the way the server would (ACK). */
void fx_ack_last(struct fx *fx, const char *type);

/* The notices the user reads: whether one contains text. */
bool fx_noted(const struct fx *fx, const char *text);
/* The input line. */
const char *fx_line(const struct fx *fx);
void fx_dump_logs(const struct fx *fx);

#endif
