/*
 * search: SEARCH over the messages of the rooms the user is a member of
 * (rooms.h). The store's query joins the user's memberships, so a room the
 * user is not in (another's private room or direct-message room) is never
 * read; a room named in the request must be one of the user's, else the
 * answer is not_joined whether or not it exists. The text is quoted into
 * FTS5 terms (model/searchq.h): nothing a user types is a syntax error.
 * What is pending in the loop turn's transaction is committed first, so a
 * hit is never a message that a rollback could take back.
 */
#include <stdio.h>
#include <string.h>

#include "model/searchq.h"
#include "server/rooms.h"

#define SEARCH_DEFAULT 20
#define SEARCH_MAX 50

static void
answer(const struct req *q, const struct store_hits *hits, bool more)
{
	struct proto_search_hit *ph = g_new0(struct proto_search_hit, hits->n + 1);
	struct searchq_snippet *sn = g_new0(struct searchq_snippet, hits->n + 1);
	for (size_t i = 0; i < hits->n; i++) {
		const struct store_hit *h = &hits->v[i];
		searchq_snippet(h->snippet, &sn[i]);
		ph[i] = (struct proto_search_hit){.room = h->room, .seq = h->seq,
		    .user = h->user, .ts = h->ts, .snippet = sn[i].text,
		    .marks = sn[i].marks, .nmarks = sn[i].nmarks};
	}
	struct proto_frame f = proto_frame_of(PT_SEARCH_RESULTS);
	f.cid = q->f->cid;
	f.hits = ph;
	f.nhits = hits->n;
	f.more = more;
	if (more && hits->n > 0) {
		f.before = hits->v[hits->n - 1].id;
		f.has_before = true;
	}
	session_send_frame(q->s, &f);
	for (size_t i = 0; i < hits->n; i++)
		searchq_snippet_free(&sn[i]);
	g_free(sn);
	g_free(ph);
}

void
search_handle(const struct req *q)
{
	struct server *srv = q->srv;
	struct store *st = srv->store;
	const struct proto_frame *f = q->f;
	struct user *u = q->s->user;
	int64_t room_id = 0;
	if (f->room != NULL) {
		if (!g_hash_table_contains(u->rooms, f->room)) {
			char reason[96];
			snprintf(reason, sizeof reason, "you are not in %s", f->room);
			hub_req_error(q, PE_NOT_JOINED, reason);
			return;
		}
		struct room *r = hub_room(srv, f->room);
		int64_t head;
		if (r != NULL)
			room_id = r->id;
		else if (st->ops->room_find(st, f->room, &room_id, &head) != 0) {
			hub_store_failed(srv, q->s, f->cid, q->ref);
			return;
		}
		if (room_id == 0) { /* a member of a room that is not there */
			hub_req_error(q, PE_NOT_JOINED, "no such room");
			return;
		}
	}
	struct store_hits hits = {0};
	bool more = false;
	char *match = searchq_build(f->text, true);
	if (match != NULL) {
		if (st->in_txn && hub_flush(srv) != 0) {
			free(match);
			hub_req_error(q, PE_INTERNAL, "storage failure, try again");
			return;
		}
		size_t limit = f->has_limit && f->limit < SEARCH_MAX ? (size_t)f->limit
		    : f->has_limit ? SEARCH_MAX : SEARCH_DEFAULT;
		int rc = st->ops->search(st, u->name, room_id, match,
		    f->has_before ? f->before : 0, limit, &hits, &more);
		free(match);
		if (rc != 0) {
			hub_store_failed(srv, q->s, f->cid, q->ref);
			return;
		}
	}
	answer(q, &hits, more);
	store_hits_free(&hits);
}
