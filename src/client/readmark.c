/*
 * readmark: the server keeps the user's read mark in every room, so that
 * reading on one client clears the count on the others (READ, from the
 * user's other sessions). The client says what the user has seen: the
 * room shown, at its newest line (not scrolled back), with the terminal
 * focused, is read to its newest message. READ goes at most once a second
 * a room (the rest waits for the second to end, and then only the latest
 * mark goes), and never for a mark the server has already.
 */
#include <stdlib.h>

#include "client/client.h"

#define READ_EVERY_MS 1000

static int64_t
newest(const struct room *r)
{
	return r->nconfirmed > 0 ? r->msgs[r->nconfirmed - 1]->seq : 0;
}

void
client_read_seen(struct client *c)
{
	struct room *r = chat_current(c->chat);
	c->read_deadline = INT64_MAX;
	if (r == NULL || !r->joined || !c->welcomed || c->scroll > 0 ||
	    !c->focused)
		return;
	int64_t seq = newest(r);
	if (seq <= r->sent_read)
		return;
	int64_t now = port_now(&c->port);
	if (r->sent_read_at > 0 && now - r->sent_read_at < READ_EVERY_MS) {
		c->read_deadline = r->sent_read_at + READ_EVERY_MS;
		return;
	}
	char *frame = chat_read_frame(r->name, seq);
	if (frame != NULL && port_send(&c->port, frame)) {
		r->sent_read = seq;
		r->sent_read_at = now;
	}
	free(frame);
}

int64_t
client_read_deadline(const struct client *c)
{
	return c->read_deadline;
}
