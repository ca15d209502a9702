/*
 * tlsws: a WebSocket server over TLS for the client's certificate tests,
 * in a forked process (ended by its PID by the caller). It speaks just
 * enough confab.v1: any text frame is answered with a WELCOME.
 */
#ifndef CONFAB_TLSWS_H
#define CONFAB_TLSWS_H

#include <sys/types.h>

/* Serves with cert and key (PEM files) on a free loopback port, written
 * to *port. Its PID, or -1. */
pid_t tlsws_start(const char *cert, const char *key, int *port);

#endif
