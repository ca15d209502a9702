/*
 * port: how the client core reaches the world.
 *
 * The core (client.h) and each of its subsystems (sendq, docs, centre)
 * act on the world only through this struct: send a frame on the
 * connection, queue a request until the server answers it, read the
 * clocks, leave a note for the user, write a diagnostic line, ask for a
 * redraw, and the few effects only the terminal program can carry out
 * (the bell, a desktop notification, reconnecting at once, switching the
 * theme). main.c fills it with the socket library (lws), curses and
 * libnotify; the core's tests fill it with a recorder. Nothing in the
 * core includes the socket library's header or curses.h.
 *
 * The glue fills everything but queue and note, which are core state (the
 * outbox and the notices): the core gives its subsystems a copy of the
 * port with those two pointing at itself. Any member but now, wall and
 * send may be NULL: it then does nothing (a test that does not care).
 */
#ifndef CONFAB_CLIENT_PORT_H
#define CONFAB_CLIENT_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct client_port {
	void *ud;
	/* Sends a frame on the open connection now; false when there is none
	 * (nothing is kept: what must survive goes through queue). */
	bool (*send)(void *ud, const char *frame, size_t len);
	/* Keeps a state-changing request until the server answers its cid
	 * (on disk, across reconnects and restarts) and sends it when it
	 * can; false when it could not be kept. */
	bool (*queue)(void *ud, const char *cid, const char *frame);
	int64_t (*now)(void *ud);   /* monotonic, ms */
	int64_t (*wall)(void *ud);  /* ms since the epoch */
	/* A line the user reads in the message pane (error: shown as one). */
	void (*note)(void *ud, bool error, const char *text);
	/* A line for the diagnostics log, never the screen. */
	void (*log)(void *ud, const char *text);
	/* What the screen shows changed: draw once the loop turn ends. */
	void (*redraw)(void *ud);
	void (*bell)(void *ud);
	void (*desktop)(void *ud, const char *title, const char *body,
	    bool urgent);
	/* Accept the server's certificate with this fingerprint from now on
	 * and connect again at once (it is pinned already). */
	void (*trust)(void *ud, const char *fingerprint);
	/* Tries desktop notifications again; false when they never started. */
	bool (*notify_retry)(void *ud);
	void (*reconnect)(void *ud);
	/* Stop connecting until reconnect (while a password is typed). */
	void (*stop)(void *ud);
	/* Puts text on the terminal's clipboard (OSC 52). */
	void (*copy)(void *ud, const char *text);
	/* Loads themes/NAME.theme; false with the reason in err. */
	bool (*theme)(void *ud, const char *name, char *err, size_t errlen);
};

bool port_send(const struct client_port *p, const char *frame);
bool port_queue(const struct client_port *p, const char *cid,
    const char *frame);
int64_t port_now(const struct client_port *p);
int64_t port_wall(const struct client_port *p);
void port_note(const struct client_port *p, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void port_log(const struct client_port *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void port_redraw(const struct client_port *p);

/* Encodes a frame for the server and sends it (port_send). */
struct proto_frame;
bool port_send_frame(const struct client_port *p, const struct proto_frame *f);

#endif
