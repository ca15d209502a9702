/*
 * batch: the loop turn's transaction, which every write of the message
 * path (and document operations, docs.c, and notifications, notify.c)
 * joins, so a burst from many sessions costs one commit.
 *
 * The first write of a turn begins it and schedules hub_flush on a
 * zero-delay timer. hub_flush commits, and only then are the ACKs and the
 * broadcasts sent: nothing is announced before it is durable. When the
 * commit fails, everything pending fails with it and documents go back to
 * what is committed.
 */
#include <stdio.h>

#include "server/msgs.h"
#include "server/notify.h"
#include "server/server.h"

static void
flush_cb(lws_sorted_usec_list_t *sul)
{
	hub_flush(lws_container_of(sul, struct server, flush_sul));
}

static void
schedule_flush(struct server *srv)
{
	lws_sul_schedule(srv->ctx, 0, &srv->flush_sul, flush_cb, 0);
}

/* The transaction is gone: documents go back to what is committed and
 * every request waiting for it fails. */
void
hub_batch_fail(struct server *srv)
{
	docs_rollback(srv);
	notif_rolled_back(srv);
	for (guint i = 0; i < srv->pending->len; i++) {
		struct pending *p = &g_array_index(srv->pending, struct pending, i);
		if (p->docop != NULL) {
			docs_pending_done(srv, p, false);
			continue;
		}
		if (p->change != NULL) {
			msgs_pending_done(srv, p, false);
			continue;
		}
		struct session *s = g_hash_table_lookup(srv->sessions,
		    GSIZE_TO_POINTER(p->session));
		if (s != NULL)
			session_send_error(s, PE_INTERNAL, p->msg.cid, "MESSAGE",
			    "storage failure, try again");
		store_msg_free(&p->msg);
	}
	g_array_set_size(srv->pending, 0);
}

int
hub_flush(struct server *srv)
{
	if (!srv->store->in_txn)
		return 0;
	if (srv->store->ops->commit(srv->store) != 0) {
		hub_store_error(srv);
		srv->store->ops->rollback(srv->store);
		hub_batch_fail(srv);
		return -1;
	}
	if (srv->store_state.state == STORE_FAILING) {
		lwsl_notice("store: writes are committed again\n");
		srv->store_state.state = STORE_OK;
		snprintf(srv->store_state.detail, sizeof srv->store_state.detail, "ok");
	}
	for (guint i = 0; i < srv->pending->len; i++) {
		struct pending *p = &g_array_index(srv->pending, struct pending, i);
		if (p->docop != NULL) {
			docs_pending_done(srv, p, true);
			continue;
		}
		if (p->change != NULL) {
			msgs_pending_done(srv, p, true);
			continue;
		}
		const char *room = p->duplicate ? p->msg.room : p->room->name;
		char id[24];
		struct proto_message pm;
		hub_to_proto(&p->msg, room, &pm, id, sizeof id);
		if (!p->duplicate) {
			if (p->msg.seq > p->room->committed)
				p->room->committed = p->msg.seq;
			srv->m.messages_stored++;
			struct proto_frame f = hub_message_frame(&pm);
			hub_publish(srv, room, &f, NULL);
		}
		hub_proto_release(&pm);
		struct session *s = g_hash_table_lookup(srv->sessions,
		    GSIZE_TO_POINTER(p->session));
		if (s != NULL) {
			struct proto_frame a = proto_frame_of(PT_ACK);
			a.cid = pm.cid;
			a.room = room;
			a.seq = pm.seq;
			a.has_seq = true;
			a.id = pm.id;
			a.ts = pm.ts;
			a.has_ts = true;
			session_send_frame(s, &a);
		}
		store_msg_free(&p->msg);
	}
	g_array_set_size(srv->pending, 0);
	notif_committed(srv);
	return 0;
}

/* Makes sure later writes of this loop turn join one transaction. */
int
hub_batch_begin(struct server *srv)
{
	if (srv->store->in_txn)
		return 0;
	if (srv->store->ops->begin(srv->store) != 0)
		return -1;
	schedule_flush(srv);
	return 0;
}

void
hub_batch_abort(struct server *srv)
{
	srv->store->ops->rollback(srv->store);
	hub_batch_fail(srv);
}

/* The store failed a request's write: the transaction goes. */
static bool
write_failed(const struct req *q)
{
	hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
	hub_batch_abort(q->srv);
	return false;
}

bool
hub_req_begin(const struct req *q)
{
	return hub_batch_begin(q->srv) == 0 || write_failed(q);
}

bool
hub_req_commit(const struct req *q, int rc)
{
	if (rc != 0)
		return write_failed(q);
	if (hub_flush(q->srv) != 0) {
		hub_req_error(q, PE_INTERNAL, "storage failure, try again");
		return false;
	}
	return true;
}
