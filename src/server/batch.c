/*
 * batch: the loop turn's transaction, which every write of the message
 * path (and document operations, docs.c, and notifications, notify.c)
 * joins, so a burst from many sessions costs one commit.
 *
 * The first write of a turn begins it and schedules hub_flush on a
 * zero-delay timer. A request written in it waits as a struct pending
 * (server.h): its kind, from the file that handles it, and its data.
 * hub_flush commits, and only then does each entry's committed send its
 * ACK and broadcasts: nothing is announced before it is durable. When the
 * commit fails, the watches take their memory state back to what is
 * committed (documents go back, notifications are forgotten), then every
 * entry's rolled_back fails it. batch.c knows no kind by name: a new kind
 * of request, or another store, changes nothing here.
 */
#include <stdio.h>

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

void
hub_pend(struct server *srv, const struct pending_kind *kind, void *data)
{
	struct pending p = {kind, data};
	g_array_append_val(srv->pending, p);
}

void
hub_batch_watch(struct server *srv, const struct batch_watch *w)
{
	g_ptr_array_add(srv->watches, (gpointer)w);
}

/* Ends every pending entry, in order. Each is copied out before its
 * callbacks run: were one to queue another entry, the array could move. */
static void
end_pending(struct server *srv, bool committed)
{
	for (guint i = 0; i < srv->pending->len; i++) {
		struct pending p = g_array_index(srv->pending, struct pending, i);
		if (committed)
			p.kind->committed(srv, p.data);
		else
			p.kind->rolled_back(srv, p.data);
		p.kind->free(srv, p.data);
	}
	g_array_set_size(srv->pending, 0);
}

/* The transaction is gone: what is held in memory goes back to what is
 * committed and every request waiting for it fails. */
void
hub_batch_fail(struct server *srv)
{
	for (guint i = 0; i < srv->watches->len; i++) {
		const struct batch_watch *w = g_ptr_array_index(srv->watches, i);
		if (w->rolled_back != NULL)
			w->rolled_back(srv);
	}
	end_pending(srv, false);
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
	end_pending(srv, true);
	for (guint i = 0; i < srv->watches->len; i++) {
		const struct batch_watch *w = g_ptr_array_index(srv->watches, i);
		if (w->committed != NULL)
			w->committed(srv);
	}
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
