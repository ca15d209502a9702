/*
 * docs_list: DOC_LIST, a room's documents a page at a time, by name: each
 * with its head revision, the time and author of that revision (from the
 * store), and who has it open now (the viewers of a loaded document; one
 * not loaded has none).
 *
 * Bounded: a page holds at most DOCS_LIST_MAX documents (the client's
 * limit, default DOCS_LIST_DEFAULT), each naming at most
 * DOCS_LIST_VIEWERS of its viewers (by name; "watching" counts them all),
 * so an answer stays under about 100 KiB and one request reads one page
 * of the store. The next page starts after the last name (`after`).
 * What it says is committed: the turn's writes are committed first, as
 * for DOC_OPEN, so no revision newer than a document's committed head is
 * named.
 */
#include <stdio.h>
#include <string.h>

#include "server/docs.h"

#define DOCS_LIST_DEFAULT 50
#define DOCS_LIST_MAX 100
#define DOCS_LIST_VIEWERS 16

static gint
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct users viewing the loaded document room/name, by name: the
 * first DOCS_LIST_VIEWERS in i->viewers (borrowed from the users), all of
 * them counted in i->watching. */
static void
viewers_of(struct server *srv, const char *room, struct proto_docinfo *i)
{
	char *key = g_strdup_printf("%s/%s", room, i->name);
	struct sdoc *d = g_hash_table_lookup(srv->docs, key);
	g_free(key);
	if (d == NULL || d->viewers->len == 0)
		return;
	/* a user's sessions share one struct user: their name is one pointer */
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	GPtrArray *names = g_ptr_array_new();
	for (guint k = 0; k < d->viewers->len; k++) {
		const char *u = g_array_index(d->viewers, struct viewer, k).s->user->name;
		if (g_hash_table_add(seen, (gpointer)u))
			g_ptr_array_add(names, (gpointer)u);
	}
	g_hash_table_destroy(seen);
	g_ptr_array_sort(names, by_name);
	i->watching = names->len;
	i->nviewers = names->len < DOCS_LIST_VIEWERS ? names->len : DOCS_LIST_VIEWERS;
	i->viewers = g_new(const char *, i->nviewers + 1);
	memcpy(i->viewers, names->pdata, i->nviewers * sizeof *i->viewers);
	g_ptr_array_free(names, TRUE);
}

void
docs_handle_list(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	struct sub *sub = hub_joined(q);
	if (sub == NULL)
		return;
	if (f->has_limit && f->limit > DOCS_LIST_MAX) {
		char reason[64];
		snprintf(reason, sizeof reason, "limit is at most %d", DOCS_LIST_MAX);
		hub_req_error(q, PE_BAD_FIELD, reason);
		return;
	}
	size_t limit = f->has_limit ? (size_t)f->limit : DOCS_LIST_DEFAULT;
	if (srv->store->in_txn)
		hub_flush(srv);
	struct store_doc_info *rows;
	size_t n;
	/* one more than asked for says whether there are more */
	if (srv->store->ops->docs_page(srv->store, sub->room->id, f->after, limit + 1,
	    &rows, &n) != 0) {
		hub_store_failed(srv, q->s, f->cid, q->ref);
		return;
	}
	size_t shown = n < limit ? n : limit;
	struct proto_docinfo *infos = g_new0(struct proto_docinfo, shown + 1);
	for (size_t k = 0; k < shown; k++) {
		infos[k] = (struct proto_docinfo){rows[k].name, rows[k].head, rows[k].ts,
		    rows[k].user, NULL, 0, 0};
		viewers_of(srv, sub->room->name, &infos[k]);
	}
	struct proto_frame a = proto_frame_of(PT_DOC_LIST);
	a.cid = f->cid;
	a.room = sub->room->name;
	a.docinfos = infos;
	a.ndocinfos = shown;
	a.more = n > limit;
	session_send_frame(q->s, &a);
	for (size_t k = 0; k < shown; k++)
		g_free(infos[k].viewers);
	g_free(infos);
	store_doc_infos_free(rows, n);
}
