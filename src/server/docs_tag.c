/*
 * docs_tag: documents' named revisions (DOC_TAG, and the tags of
 * DOC_HISTORY's answer). A name is unique in its document: tagging another
 * revision with a name the document has moves the name there. Tagging
 * needs the document open, as editing does: whoever may edit may name.
 * The tag is committed at once, before its ACK; the other viewers are not
 * told (they see it in their next DOC_HISTORY).
 */
#include <stdio.h>
#include <string.h>

#include "model/names.h"
#include "server/docs.h"

#define DOCS_TAGS_MAX 100

/* A version name: a room name (1-64 of a-z 0-9 _ . -) that is not a
 * number, which would read as a revision. */
static bool
tag_name_valid(const char *s)
{
	return names_valid_room(s) && strspn(s, "0123456789") != strlen(s);
}

void
docs_handle_tag(const struct req *q)
{
	const struct proto_frame *f = q->f;
	struct sdoc *d = docs_open_for(q);
	if (d == NULL || !docs_suggest_may_edit(q, d))
		return;
	if (!tag_name_valid(f->name)) {
		hub_req_error(q, PE_BAD_FIELD, "bad version name (1-64 of a-z 0-9 _ . -, "
		    "not only digits)");
		return;
	}
	if (f->rev > d->committed) {
		char reason[96];
		snprintf(reason, sizeof reason, "revision %lld does not exist (head %lld)",
		    (long long)f->rev, (long long)d->committed);
		hub_req_error(q, PE_BAD_REV, reason);
		return;
	}
	struct store *st = q->srv->store;
	struct store_doc_tag *tags;
	size_t n;
	if (st->ops->doc_tags(st, d->id, &tags, &n) != 0) {
		hub_store_failed(q->srv, q->s, f->cid, q->ref);
		return;
	}
	bool known = false;
	for (size_t i = 0; i < n && !known; i++)
		known = strcmp(tags[i].name, f->name) == 0;
	store_doc_tags_free(tags, n);
	if (!known && n >= DOCS_TAGS_MAX) {
		char reason[96];
		snprintf(reason, sizeof reason, "a document has at most %d named versions",
		    DOCS_TAGS_MAX);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	d->refs++; /* the commit may run other requests' completions */
	bool ok = hub_req_begin(q) && hub_req_commit(q, st->ops->doc_tag_set(st,
	    d->id, f->name, f->rev, q->s->user->name, now_ms()));
	d->refs--;
	if (ok) {
		struct proto_frame a = proto_frame_of(PT_ACK);
		a.cid = f->cid;
		a.room = d->room->name;
		a.doc = d->name;
		a.rev = f->rev;
		a.has_rev = true;
		session_send_frame(q->s, &a);
	}
	docs_maybe_unload(q->srv, d);
}

int
docs_tags_of(struct server *srv, int64_t doc_id, struct proto_tag **out,
    size_t *n, struct store_doc_tag **held)
{
	*out = NULL;
	*n = 0;
	*held = NULL;
	if (doc_id == 0)
		return 0;
	struct store *st = srv->store;
	if (st->ops->doc_tags(st, doc_id, held, n) != 0)
		return -1;
	*out = g_new0(struct proto_tag, *n + 1);
	for (size_t i = 0; i < *n; i++)
		(*out)[i] = (struct proto_tag){(*held)[i].name, (*held)[i].rev,
		    (*held)[i].user, (*held)[i].ts};
	return 0;
}
