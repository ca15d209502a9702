/*
 * pins: the certificates the user chose to trust although no authority
 * signed them, one per server, as ssh's known_hosts keeps host keys:
 * STATE/known_servers, lines "HOST:PORT SHA256:AB:CD:…", mode 0600.
 * A server whose certificate is not the pinned one is refused (net/conn
 * says CHANGED); to trust a new one the user removes the old line.
 */
#ifndef CONFAB_CLIENT_PINS_H
#define CONFAB_CLIENT_PINS_H

#include <stdbool.h>
#include <stddef.h>

/* The pinned fingerprint of server (host:port) into out, or false. */
bool pins_lookup(const char *path, const char *server, char *out,
    size_t size);
/* Pins fp for server, replacing what was pinned for it; false (errno)
 * when the file could not be written. */
bool pins_add(const char *path, const char *server, const char *fp);
/* host:port of a ws:// or wss:// URL (the default port made explicit). */
void pins_server_of(const char *url, char *out, size_t size);

#endif
