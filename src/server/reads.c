/*
 * reads: read marks and receipts (rooms.h).
 *
 * A mark is stored (the store keeps the larger seq) and committed before
 * anything is said about it. RECEIPTs are paced per (room, user) by a slot
 * that remembers when the last one went: a mark that moves while that
 * second is not over is parked in the slot, and one timer for the whole
 * server sends every parked mark whose second has ended (only the latest:
 * each overwrote the one before). The timer drops idle slots.
 */
#include <stdio.h>
#include <string.h>

#include "server/rooms.h"

struct slot {
	char *room, *user;
	int64_t sent_ms; /* when the last RECEIPT went */
	int64_t pending; /* the mark to send when the second ends; 0: none */
};

struct reads_state {
	struct server *srv;
	GHashTable *slots; /* "room\nuser" -> struct slot * */
	lws_sorted_usec_list_t sul;
	int64_t due_ms;    /* when the timer fires; 0: not scheduled */
};

static void
slot_free(void *p)
{
	struct slot *s = p;
	g_free(s->room);
	g_free(s->user);
	g_free(s);
}

static void
send_receipt(struct server *srv, struct slot *s, int64_t seq, int64_t now)
{
	struct proto_frame f = proto_frame_of(PT_RECEIPT);
	f.room = s->room;
	f.user = s->user;
	f.seq = seq;
	f.has_seq = true;
	/* a session replaying the room gets it too: no replay brings it */
	hub_publish_now(srv, s->room, &f);
	s->sent_ms = now;
	s->pending = 0;
}

static void timer_cb(lws_sorted_usec_list_t *sul);

static void
schedule(struct reads_state *rs, int64_t due, int64_t now)
{
	if (rs->due_ms != 0 && rs->due_ms <= due)
		return;
	rs->due_ms = due;
	int64_t wait = due > now ? due - now : 0;
	lws_sul_schedule(rs->srv->ctx, 0, &rs->sul, timer_cb,
	    (lws_usec_t)wait * LWS_US_PER_MS);
}

static void
timer_cb(lws_sorted_usec_list_t *sul)
{
	struct reads_state *rs = lws_container_of(sul, struct reads_state, sul);
	int64_t now = now_ms(), next = 0;
	rs->due_ms = 0;
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, rs->slots);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct slot *s = v;
		int64_t due = s->sent_ms + ROOMS_RECEIPT_MS;
		if (s->pending != 0 && due <= now) {
			send_receipt(rs->srv, s, s->pending, now);
			due = now + ROOMS_RECEIPT_MS;
		}
		if (s->pending == 0 && due <= now) {
			g_hash_table_iter_remove(&it); /* idle: its second is over */
			continue;
		}
		if (next == 0 || due < next)
			next = due;
	}
	if (next != 0)
		schedule(rs, next, now);
}

/* The mark of user in room moved to seq: a RECEIPT now, or when the
 * second since the last one ends. */
static void
receipt_due(struct server *srv, const char *room, const char *user, int64_t seq)
{
	struct reads_state *rs = srv->reads;
	char *key = g_strdup_printf("%s\n%s", room, user);
	struct slot *s = g_hash_table_lookup(rs->slots, key);
	int64_t now = now_ms();
	if (s == NULL) {
		s = g_new0(struct slot, 1);
		s->room = g_strdup(room);
		s->user = g_strdup(user);
		g_hash_table_insert(rs->slots, key, s);
		key = NULL;
		send_receipt(srv, s, seq, now);
	} else if (s->pending == 0 && now - s->sent_ms >= ROOMS_RECEIPT_MS) {
		send_receipt(srv, s, seq, now);
	} else {
		s->pending = seq;
	}
	g_free(key);
	schedule(rs, s->sent_ms + ROOMS_RECEIPT_MS, now);
}

void
reads_handle_read(const struct req *q)
{
	struct server *srv = q->srv;
	struct store *st = srv->store;
	struct user *u = q->s->user;
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	struct room *r = sub->room;
	/* a mark past the last message would hide the next ones */
	int64_t seq = q->f->seq < r->committed ? q->f->seq : r->committed;
	int64_t old = 0, mark = 0, unread = 0;
	if (st->ops->read_mark_get(st, r->id, u->name, &old) != 0) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		return;
	}
	if (seq > old) {
		if (!hub_req_begin(q) || !hub_req_commit(q,
		    st->ops->read_mark_set(st, r->id, u->name, seq, &mark)))
			return;
	}
	if (q->f->cid != NULL)
		hub_req_ack(q, r->name);
	if (seq <= old)
		return;
	if (st->ops->unread_count(st, r->id, u->name, mark, r->committed,
	    ROOMS_UNREAD_CAP, &unread) != 0)
		hub_store_error(srv);
	struct proto_frame f = proto_frame_of(PT_READ);
	f.room = r->name;
	f.seq = mark;
	f.has_seq = true;
	f.unread = unread;
	f.has_unread = true;
	for (guint i = 0; i < u->sessions->len; i++) {
		struct session *o = g_ptr_array_index(u->sessions, i);
		if (o != q->s)
			session_send_frame(o, &f);
	}
	receipt_due(srv, r->name, u->name, mark);
}

void
rooms_fill_joined(struct server *srv, struct room *r, const char *user,
    struct proto_frame *f, struct rooms_joined *h)
{
	struct store *st = srv->store;
	int64_t mark = 0, unread = 0, ts;
	memset(h, 0, sizeof *h);
	if (st->ops->read_mark_get(st, r->id, user, &mark) != 0 ||
	    st->ops->unread_count(st, r->id, user, mark, r->committed,
	        ROOMS_UNREAD_CAP, &unread) != 0 ||
	    st->ops->read_marks(st, r->id, &h->marks, &h->nmarks) != 0 ||
	    st->ops->topic_get(st, r->id, &h->topic, &h->by, &ts) != 0) {
		hub_store_error(srv);
		rooms_joined_done(h);
		return;
	}
	f->read = mark;
	f->has_read = true;
	f->unread = unread;
	f->has_unread = true;
	h->receipts = g_new0(struct proto_receipt, h->nmarks + 1);
	for (size_t i = 0; i < h->nmarks; i++)
		h->receipts[i] = (struct proto_receipt){h->marks[i].user,
		    h->marks[i].seq};
	f->receipts = h->receipts;
	f->nreceipts = h->nmarks;
	f->topic = h->topic != NULL && *h->topic ? h->topic : NULL;
}

void
rooms_joined_done(struct rooms_joined *h)
{
	store_receipts_free(h->marks, h->nmarks);
	g_free(h->receipts);
	free(h->topic);
	free(h->by);
	memset(h, 0, sizeof *h);
}

void
reads_init(struct server *srv)
{
	srv->reads = g_new0(struct reads_state, 1);
	srv->reads->srv = srv;
	srv->reads->slots = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    slot_free);
}

void
reads_destroy(struct server *srv)
{
	if (srv->reads == NULL)
		return;
	lws_sul_cancel(&srv->reads->sul);
	g_hash_table_destroy(srv->reads->slots);
	g_free(srv->reads);
	srv->reads = NULL;
}
