/* store: the parts of the store interface common to every implementation. */
#include <stdlib.h>
#include <string.h>

#include "server/store.h"

void
store_msg_free(struct store_msg *m)
{
	free(m->room);
	free(m->user);
	free(m->cid);
	free(m->text);
	store_reactions_free(m);
	memset(m, 0, sizeof *m);
}

void
store_reactions_free(struct store_msg *m)
{
	for (size_t i = 0; i < m->nreactions; i++) {
		free(m->reactions[i].emoji);
		store_strings_free(m->reactions[i].users, m->reactions[i].nusers);
	}
	free(m->reactions);
	m->reactions = NULL;
	m->nreactions = 0;
}

void
store_change_free(struct store_change *c)
{
	free(c->user);
	free(c->cid);
	free(c->emoji);
	free(c->text);
	memset(c, 0, sizeof *c);
}

void
store_changes_free(struct store_changes *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		store_change_free(&cs->v[i]);
	free(cs->v);
	cs->v = NULL;
	cs->n = 0;
}

void
store_msgs_free(struct store_msgs *m)
{
	for (size_t i = 0; i < m->n; i++)
		store_msg_free(&m->v[i]);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

void
store_members_free(struct store_member *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].user);
	free(m);
}

void
store_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
store_doc_ops_free(struct store_doc_ops *ops)
{
	for (size_t i = 0; i < ops->n; i++) {
		free(ops->v[i].user);
		free(ops->v[i].cid);
		free(ops->v[i].op);
	}
	free(ops->v);
	ops->v = NULL;
	ops->n = 0;
}

void
store_doc_tags_free(struct store_doc_tag *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].user);
	}
	free(v);
}

void
store_comment_clear(struct store_comment *c)
{
	free(c->user);
	free(c->text);
	free(c->resolved_by);
	for (size_t j = 0; j < c->nreplies; j++) {
		free(c->replies[j].user);
		free(c->replies[j].text);
	}
	free(c->replies);
	memset(c, 0, sizeof *c);
}

void
store_comments_free(struct store_comment *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_comment_clear(&v[i]);
	free(v);
}

void
store_suggestions_free(struct store_suggestion *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].user);
		free(v[i].cid);
		free(v[i].op);
	}
	free(v);
}

void
store_doc_infos_free(struct store_doc_info *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++) {
		free(v[i].name);
		free(v[i].user);
	}
	free(v);
}

void
store_notif_free(struct store_notif *n)
{
	free(n->user);
	free(n->level);
	free(n->kind);
	free(n->title);
	free(n->message);
	free(n->room);
	memset(n, 0, sizeof *n);
}

void
store_notifs_free(struct store_notifs *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		store_notif_free(&ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

void
store_rights_free(struct store_rights *r)
{
	free(r->owner);
	store_strings_free(r->moderators, r->nmoderators);
	memset(r, 0, sizeof *r);
}

const char *
store_state_name(enum store_state s)
{
	static const char *const names[] = {
		[STORE_OK] = "ok", [STORE_READ_ONLY] = "read_only",
		[STORE_CORRUPT] = "corrupt", [STORE_FAILING] = "failing",
	};
	return s <= STORE_FAILING ? names[s] : "failing";
}

void
store_receipts_free(struct store_receipt *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i].user);
	free(v);
}

void
store_room_infos_free(struct store_room_info *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++) {
		free(v[i].room);
		free(v[i].topic);
	}
	free(v);
}

void
store_hits_free(struct store_hits *h)
{
	for (size_t i = 0; h->v != NULL && i < h->n; i++) {
		free(h->v[i].room);
		free(h->v[i].user);
		free(h->v[i].snippet);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
}
