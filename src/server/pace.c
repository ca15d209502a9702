/*
 * pace: work spread over loop turns. Each turn gives deferrable socket work
 * (replays, streams) a slice of time; replays of a room's messages go on as
 * a session's queue drains, a page at a time and bounded in bytes; and a
 * request that waits for a job (jobs.h) is parked, its session reading
 * nothing more, until the job's end runs it again or answers it.
 */
#include <stdio.h>

#include "server/msgs.h"
#include "server/server.h"

#define REPLAY_PAGE 64

bool
hub_work_left(struct server *srv)
{
	int64_t now = mono_us();
	if (srv->work_turn != srv->turn) {
		srv->work_turn = srv->turn;
		srv->work_t0 = now;
	}
	return now - srv->work_t0 < WORK_SLICE_US;
}

/* Sends stored messages as MESSAGE frames, from a page, while the queue is
 * under its low mark; returns how many went. */
static size_t
send_replay_page(struct session *s, const char *room, const struct store_msgs *ms)
{
	size_t i = 0;
	while (i < ms->n && (i == 0 || s->out_bytes < SESSION_LOW_WATER(s->srv))) {
		char id[24];
		struct proto_message pm;
		hub_to_proto(&ms->v[i++], room, &pm, id, sizeof id);
		struct proto_frame f = hub_message_frame(&pm);
		session_send_frame(s, &f);
		hub_proto_release(&pm);
	}
	return i;
}

/* Continues every replay of s while its queue is under the low mark and the
 * turn has time left: pages from the store, never past what is committed,
 * bounded in bytes (a page of big messages is not queued whole). */
void
hub_session_drained(struct server *srv, struct session *s)
{
	GHashTableIter it;
	gpointer v;
	unsigned replaying = 0;
	bool deferred = false;
	g_hash_table_iter_init(&it, s->subs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct sub *sub = v;
		while (sub_replaying(sub) && !s->dead &&
		    s->out_bytes < SESSION_LOW_WATER(srv)) {
			if (!hub_work_left(srv)) {
				deferred = true;
				break;
			}
			if (sub->replay_next == 0) {
				/* the messages are there: the changes after them */
				msgs_replay_step(srv, s, sub);
				continue;
			}
			struct room *r = sub->room;
			struct store_msgs ms;
			if (srv->store->ops->messages_after(srv->store, r->id,
			    sub->replay_next - 1, r->committed, REPLAY_PAGE, &ms) != 0) {
				hub_store_failed(srv, s, NULL, "JOIN");
				sub->replay_next = 0;
				break;
			}
			size_t sent = send_replay_page(s, r->name, &ms);
			if (sent > 0) {
				sub->replay_next = ms.v[sent - 1].seq + 1;
				sub->seen = ms.v[sent - 1].seq;
			}
			if ((sent == ms.n && ms.n < REPLAY_PAGE) ||
			    sub->replay_next > r->committed) {
				sub->replay_next = 0;
				sub->seen = r->committed;
			}
			store_msgs_free(&ms);
		}
		replaying += sub_replaying(sub);
	}
	s->replaying = replaying + docs_replaying(srv, s, &deferred);
	/* out of time with room in the queue: go on in a later turn */
	if (deferred && !s->dead)
		session_wake(s);
}

/* ---- requests that wait for a job ----------------------------------------- */

void
hub_park(const struct req *q)
{
	q->s->park_now = true;
	q->s->blocked = true;
}

void
hub_park_drop(struct session *s)
{
	if (s->parked == NULL)
		return;
	proto_frame_free(s->parked);
	g_free(s->parked);
	s->parked = NULL;
}

void
hub_unpark(struct server *srv, struct session *s)
{
	(void)srv;
	hub_park_drop(s);
	session_unblock(s);
}

void
hub_resume(struct server *srv, struct session *s, bool ok)
{
	struct proto_frame *f = s->parked;
	if (f == NULL) {
		session_unblock(s);
		return;
	}
	struct req q = {srv, s, f, proto_type_name(f->type)};
	if (!ok) {
		hub_store_failed(srv, s, f->cid, q.ref);
	} else {
		s->park_now = false;
		s->parked_fn(&q);
		if (s->park_now) {
			s->park_now = false; /* parked again: it stays */
			return;
		}
	}
	hub_unpark(srv, s);
}

