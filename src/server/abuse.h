/*
 * abuse: confabd's abuse limits (docs/protocol.md, "Limits"), the ones
 * that bound what one address or one user may hold or make: connections
 * at once per address (listen.c applies it), the time from connecting to
 * HELLO, an Origin allowlist for browsers, sessions per user, rooms and
 * documents one user may create. Each is an option with a default, and 0
 * turns a count off.
 */
#ifndef CONFAB_SERVER_ABUSE_H
#define CONFAB_SERVER_ABUSE_H

#include "server/server.h"

/* Whether a WebSocket upgrade with this Origin (and Host, as the request
 * named it; may be "") is let in: the server's own host always is, and so
 * is any origin --allow-origin names ("*": any). */
bool abuse_origin_allowed(const struct server_config *cfg, const char *origin,
    const char *host);

/* false after an ERROR: a HELLO past --max-sessions-per-user (the session
 * then closes), a JOIN that would make a room past --max-created-rooms, a
 * DOC_OPEN that would make a document past --max-created-docs (*creating
 * says whether it makes one). */
bool abuse_hello(const struct req *q, struct user *u);
bool abuse_may_create_room(const struct req *q, const char *name);
bool abuse_may_create_doc(const struct req *q, struct room *r,
    const char *doc, bool *creating);
/* The document of q was made by it: counted as its user's. */
void abuse_doc_created(const struct req *q, int64_t doc_id);
/* Closes s (true) when it has not said HELLO within --handshake-timeout of
 * connecting; a session waiting for long work of its own is not idle. */
bool abuse_handshake_late(struct server *srv, struct session *s, int64_t now);

#endif
