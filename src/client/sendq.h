/*
 * sendq: the client's state-changing requests on their way to the server.
 *
 * The requests live in the outbox (net/outbox.h: on disk, in order, until
 * answered); this part decides when each goes out. One request is in
 * flight at a time and the next goes when the previous is answered. A
 * pipeline would be faster, but when the server refuses one request
 * (rate_limited) the ones behind it could be stored before it, and a room
 * would show messages out of the order they were typed. A rate_limited
 * answer keeps the request first in line and sends it again a second
 * later; any other answer (ACK, or a refusal) retires it.
 *
 * Sending starts after WELCOME (sendq_online) with the first request,
 * whatever was in flight on the previous connection: the server
 * deduplicates by cid.
 */
#ifndef CONFAB_CLIENT_SENDQ_H
#define CONFAB_CLIENT_SENDQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/port.h"
#include "net/outbox.h"

#define SENDQ_RETRY_MS 1000  /* after rate_limited */

struct sendq {
	struct outbox *ob;
	const struct client_port *port;
	bool online;          /* WELCOME seen on this connection */
	char inflight[17];    /* cid sent and not answered, "" none */
	int64_t resend_at;    /* monotonic ms before which nothing goes, 0 */
};

enum sendq_answer {
	SENDQ_DONE,           /* ACK, or refused: retired */
	SENDQ_LATER,          /* rate_limited: first in line, a bit later */
};

void sendq_init(struct sendq *q, struct outbox *ob,
    const struct client_port *port);
/* Persists the request and sends it when its turn comes; false (nothing
 * kept) when the outbox could not keep it. */
bool sendq_add(struct sendq *q, const char *cid, const char *frame);
/* The connection is welcomed (true) or gone (false). */
void sendq_online(struct sendq *q, bool online);
/* The server answered cid; false when it is not a queued request. */
bool sendq_answer(struct sendq *q, const char *cid, enum sendq_answer a);
/* The user gave up on it (/discard); false when it is not queued. */
bool sendq_remove(struct sendq *q, const char *cid);
bool sendq_has(const struct sendq *q, const char *cid);
size_t sendq_len(const struct sendq *q);
/* When sendq_tick has something to do (INT64_MAX: nothing). */
int64_t sendq_deadline(const struct sendq *q);
void sendq_tick(struct sendq *q);

#endif
