/*
 * rawws: hand-written WebSocket servers for the failures a real confabd
 * never shows a client. Each runs in a forked process (ended by its PID by
 * the caller) so that it can block and misbehave while the test services
 * its own lws loop.
 */
#ifndef CONFAB_RAWWS_H
#define CONFAB_RAWWS_H

#include <sys/types.h>

enum rawws_mode {
	RAWWS_SILENT,    /* completes the handshake, then never a byte */
	RAWWS_FRAGMENTS, /* "hel"+"lo", a 100000-byte frame, "ab"+ping+"cd",
	                  * a binary frame, "end"; then silence */
	RAWWS_HUGE,      /* announces a 32 MiB text frame, sends 20000 bytes */
	RAWWS_WEB,       /* a web server: answers the upgrade 404 and closes */
};

/* A loopback listener on a free port (its fd; -1 on failure). The kernel
 * completes TCP handshakes for it up to the backlog, accepted or not. */
int rawws_listen(int *port);
/* A port where nothing listens, so connecting is refused at once. */
int rawws_closed_port(void);
/* Forks a server that accepts every connection, answers the upgrade
 * (subprotocol confab.v1) and behaves as mode says, keeping each socket
 * open until it is killed. Its PID, or -1. */
pid_t rawws_start(enum rawws_mode mode, int *port);

#endif
