/*
 * message: MESSAGE, a message posted to a room. It is appended to the
 * store inside the loop turn's transaction (a reply marked as one, the
 * mentions notified, in the same transaction) and waits as a pending
 * entry of the kind below until batch.c has committed it: only then is
 * it published to the room and ACKed. A (user, cid) already stored is
 * the same message again: ACKed, not published.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"
#include "model/xmalloc.h"
#include "server/hub_impl.h"
#include "server/msgs.h"
#include "server/notify.h"
#include "server/rooms.h"

/* A MESSAGE waiting for its commit. */
struct msg_post {
	uint64_t session; /* whose: the ACK or ERROR goes to it if still there */
	struct room *room;
	struct store_msg msg;
	bool duplicate; /* the (user, cid) was stored before: msg is that one */
};

static void
post_committed(struct server *srv, void *data)
{
	struct msg_post *mp = data;
	const char *room = mp->duplicate ? mp->msg.room : mp->room->name;
	char id[24];
	struct proto_message pm;
	hub_to_proto(&mp->msg, room, &pm, id, sizeof id);
	if (!mp->duplicate) {
		if (mp->msg.seq > mp->room->committed)
			mp->room->committed = mp->msg.seq;
		srv->m.messages_stored++;
		struct proto_frame f = hub_message_frame(&pm);
		hub_publish(srv, room, &f, NULL);
	}
	hub_proto_release(&pm);
	struct session *s = g_hash_table_lookup(srv->sessions,
	    GSIZE_TO_POINTER(mp->session));
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
}

static void
post_rolled_back(struct server *srv, void *data)
{
	struct msg_post *mp = data;
	struct session *s = g_hash_table_lookup(srv->sessions,
	    GSIZE_TO_POINTER(mp->session));
	if (s != NULL)
		session_send_error(s, PE_INTERNAL, mp->msg.cid, "MESSAGE",
		    "storage failure, try again");
}

static void
post_free(struct server *srv, void *data)
{
	(void)srv;
	struct msg_post *mp = data;
	store_msg_free(&mp->msg);
	free(mp);
}

static const struct pending_kind post_kind = {
	post_committed, post_rolled_back, post_free,
};

void
hub_handle_message(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	size_t cps = utf8_count(f->text, strlen(f->text));
	if (cps == 0) {
		hub_req_error(q, PE_BAD_FIELD, "text is empty");
		return;
	}
	if (cps > srv->cfg.max_text) {
		char reason[80];
		snprintf(reason, sizeof reason, "text is over %zu characters",
		    srv->cfg.max_text);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	int64_t root = 0;
	char *author = NULL;
	if (f->has_thread && !msgs_reply_root(q, sub->room, &root, &author))
		return;
	struct msg_post *mp = xcalloc(1, sizeof *mp);
	mp->session = q->s->id;
	mp->room = sub->room;
	if (hub_batch_begin(srv) != 0 ||
	    srv->store->ops->message_append(srv->store, sub->room->id,
	        q->s->user->name, f->cid, f->text, now_ms(), &mp->msg,
	        &mp->duplicate) != 0 ||
	    (!mp->duplicate && root > 0 &&
	        msgs_reply_stored(srv, sub->room, &mp->msg, root, author) != 0) ||
	    (!mp->duplicate && notif_message(srv, sub->room, &mp->msg) != 0)) {
		free(author);
		post_free(srv, mp);
		hub_store_failed(srv, q->s, f->cid, q->ref);
		hub_batch_abort(srv);
		return;
	}
	free(author);
	hub_pend(srv, &post_kind, mp);
	if (typing_stop(&sub->room->typing, q->s->user->name))
		hub_broadcast_typing(srv, sub->room, q->s->user->name, false, NULL);
}
