/* sendq: the outbox goes out one request at a time (see sendq.h). */
#include "client/sendq.h"

#include <stdio.h>
#include <string.h>

void
sendq_init(struct sendq *q, struct outbox *ob, const struct client_port *port)
{
	memset(q, 0, sizeof *q);
	q->ob = ob;
	q->port = port;
}

static void
pump(struct sendq *q)
{
	if (!q->online || q->inflight[0] || q->ob->n == 0)
		return;
	if (q->resend_at && port_now(q->port) < q->resend_at)
		return;
	q->resend_at = 0;
	const struct outbox_entry *e = &q->ob->v[0];
	if (port_send(q->port, e->frame))
		snprintf(q->inflight, sizeof q->inflight, "%s", e->cid);
}

bool
sendq_add(struct sendq *q, const char *cid, const char *frame)
{
	if (frame == NULL || !outbox_add(q->ob, cid, frame))
		return false;
	pump(q);
	return true;
}

void
sendq_online(struct sendq *q, bool online)
{
	q->online = online;
	q->inflight[0] = '\0';
	pump(q);
}

bool
sendq_answer(struct sendq *q, const char *cid, enum sendq_answer a)
{
	if (cid == NULL || outbox_find(q->ob, cid) == NULL)
		return false;
	if (a == SENDQ_LATER)
		q->resend_at = port_now(q->port) + SENDQ_RETRY_MS;
	else
		outbox_remove(q->ob, cid);
	if (strcmp(q->inflight, cid) == 0)
		q->inflight[0] = '\0';
	pump(q);
	return true;
}

bool
sendq_remove(struct sendq *q, const char *cid)
{
	if (!outbox_remove(q->ob, cid))
		return false;
	if (strcmp(q->inflight, cid) == 0)
		q->inflight[0] = '\0';
	pump(q);
	return true;
}

bool
sendq_has(const struct sendq *q, const char *cid)
{
	return cid != NULL && outbox_find(q->ob, cid) != NULL;
}

size_t
sendq_len(const struct sendq *q)
{
	return q->ob->n;
}

int64_t
sendq_deadline(const struct sendq *q)
{
	if (!q->online || q->inflight[0] || q->ob->n == 0 || q->resend_at == 0)
		return INT64_MAX;
	return q->resend_at;
}

void
sendq_tick(struct sendq *q)
{
	pump(q);
}
