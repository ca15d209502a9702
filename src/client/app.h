/*
 * app: the running client, wiring net (conn, outbox), model (chat) and ui.
 * main.c owns the loop and the network events, setup.c the configuration
 * and themes, keys.c turns UI intents into actions, commands.c runs slash
 * commands, docs*.c (docs.h) the shared document pane. All of it runs on
 * the one lws service loop; nothing here blocks.
 */
#ifndef CONFAB_APP_H
#define CONFAB_APP_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/chat.h"
#include "model/config.h"
#include "model/edit.h"
#include "model/theme.h"
#include "net/conn.h"
#include "net/outbox.h"
#include "notify/desknotify.h"
#include "ui/ui.h"
#include "client/centre.h"
#include "client/docs.h"

struct input_history {
	char *room;
	char **lines;
	size_t n, cap;
	size_t pos;  /* == n when not browsing */
};

struct app {
	struct config cfg;
	struct lws_context *ctx;
	struct conn *conn;
	struct outbox *outbox;
	struct chat *chat;
	struct edit input;
	struct theme theme;
	char *state_dir, *config_dir;
	FILE *log;

	bool welcomed;       /* WELCOME seen on this connection */
	bool quit;
	bool dirty;          /* redraw due */
	bool no_color;

	int scroll;          /* message-pane lines up from the end */
	int page;            /* message-pane height at the last draw */
	bool side_panes;
	bool history_inflight;
	char *history_room;

	char *paste;         /* a multi-line paste awaiting y/n */
	char prompt[96];

	int64_t last_input;  /* mono ms of the last key */
	bool auto_away;      /* away set by idleness (input brings me back) */
	int64_t typing_sent; /* mono ms TYPING active:true was last sent, 0 none */
	char *typing_room;   /* where it was sent */
	int64_t resend_at;   /* mono ms before which the outbox waits (rate limited) */
	char inflight[17];   /* cid of the outbox entry sent and not answered */

	struct desknotify *notify; /* NULL: notifications could not start */
	bool focused;         /* the terminal has focus (xterm focus events) */

	struct input_history *hist;
	size_t nhist;

	struct docs docs;     /* the shared-document pane */
	struct centre centre; /* the notification centre */

	lws_sorted_usec_list_t tick;
};

int64_t app_mono_ms(void);
int64_t app_wall_ms(void);
void app_log(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void app_note(struct app *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sends text now when connected; false otherwise (nothing queued). */
bool app_send(struct app *a, const char *frame);
/* Queues a message in the outbox, shows it pending, sends it if it can. */
void app_say(struct app *a, const char *room, const char *text);
void app_join(struct app *a, const char *room);
void app_part(struct app *a, const char *room);
void app_set_presence(struct app *a, enum proto_status st, const char *text);
void app_stop_typing(struct app *a);
bool app_load_theme(struct app *a, const char *name);
void app_request_history(struct app *a);
/* One page of r's history before the oldest message held (limit <= 0: the
 * configured page); one request at a time: false when one is out, or r
 * has nothing older or is not joined. */
bool app_request_history_of(struct app *a, struct room *r, int limit);
/* Keeps a request in the outbox until the server answers its cid; sends
 * it when it can. false when it could not be kept. */
bool app_queue(struct app *a, const char *cid, const char *frame);
void app_retry_failed(struct app *a);
void app_discard_failed(struct app *a);

/* setup.c: XDG directories (fallback under $HOME), and the configuration
 * file with the flags over it: -1 to go on, else the exit status. */
char *setup_xdg_dir(const char *env, const char *fallback);
int setup_mkdirs(const char *path);
int setup_configure(struct app *a, int argc, char **argv);

/* keys.c */
void keys_handle(struct app *a, struct ui_intent *in);

/* commands.c */
void commands_run(struct app *a, const char *line);
/* Completes a command name; returns how many matched, first into out. */
size_t commands_complete(const char *prefix, const char **out, size_t max);

#endif
