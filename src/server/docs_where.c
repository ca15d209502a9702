/*
 * docs_where: which document each user is in, for presence
 * (docs/protocol.md, PRESENCE_UPDATE's "doc").
 *
 * A user is in the document their sessions most recently opened, edited or
 * moved a cursor in, among those still open in one of them; in none when
 * no session has one open. No frame of its own: DOC_OPEN, DOC_OP and
 * CURSOR say it, DOC_CLOSE, LEAVE and disconnecting take it back. Each
 * user keeps the documents open in their sessions (struct docs_where,
 * one entry per session and document, with the order of their last use)
 * and the one last shown, so that a change of the shown document, and
 * only that, broadcasts the user's presence (hub_broadcast_presence,
 * which tells the document only to the sessions in its room). A user's
 * entries are few (their sessions times the documents each has open), so
 * they are searched in order.
 */
#include <string.h>

#include "server/docs.h"
#include "server/hub_impl.h"

/* The document is named by copies, never read through d (compared
 * only), so that nothing here outlives what it points to. */
struct where_ent {
	struct session *s;
	const struct sdoc *d;
	char *room, *name;
	uint64_t stamp;
};

struct docs_where {
	GArray *open;             /* struct where_ent */
	char *room, *name;        /* what presence last said; NULL: none */
	uint64_t clock;
};

static struct docs_where *
where_of(struct user *u)
{
	if (u->where == NULL) {
		u->where = g_new0(struct docs_where, 1);
		u->where->open = g_array_new(FALSE, FALSE, sizeof(struct where_ent));
	}
	return u->where;
}

static const struct where_ent *
newest(const struct docs_where *w)
{
	const struct where_ent *best = NULL;
	for (guint i = 0; i < w->open->len; i++) {
		const struct where_ent *e = &g_array_index(w->open, struct where_ent, i);
		if (best == NULL || e->stamp > best->stamp)
			best = e;
	}
	return best;
}

static bool
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Whether the shown document changed (and makes it the newest). */
static bool
settle(struct docs_where *w)
{
	const struct where_ent *e = newest(w);
	const char *room = e ? e->room : NULL, *name = e ? e->name : NULL;
	if (same(room, w->room) && same(name, w->name))
		return false;
	g_free(w->room);
	g_free(w->name);
	w->room = g_strdup(room);
	w->name = g_strdup(name);
	return true;
}

static void
ent_free(struct where_ent *e)
{
	g_free(e->room);
	g_free(e->name);
}

void
docs_where_touch(struct session *s, struct sdoc *d)
{
	struct user *u = s->user;
	if (u == NULL)
		return;
	struct docs_where *w = where_of(u);
	struct where_ent *e = NULL;
	for (guint i = 0; i < w->open->len && e == NULL; i++) {
		struct where_ent *x = &g_array_index(w->open, struct where_ent, i);
		if (x->s == s && x->d == d)
			e = x;
	}
	if (e == NULL) {
		struct where_ent ne = {s, d, g_strdup(d->room->name), g_strdup(d->name), 0};
		g_array_append_val(w->open, ne);
		e = &g_array_index(w->open, struct where_ent, w->open->len - 1);
	}
	e->stamp = ++w->clock;
	if (settle(w))
		hub_broadcast_presence(s->srv, u);
}

/* Drops s's entries (of d, or all when d is NULL); whether the shown
 * document changed. */
static bool
drop(struct session *s, struct sdoc *d)
{
	struct user *u = s->user;
	if (u == NULL || u->where == NULL)
		return false;
	struct docs_where *w = u->where;
	for (guint i = w->open->len; i-- > 0;) {
		struct where_ent *e = &g_array_index(w->open, struct where_ent, i);
		if (e->s == s && (d == NULL || e->d == d)) {
			ent_free(e);
			g_array_remove_index_fast(w->open, i);
		}
	}
	return settle(w);
}

void
docs_where_drop(struct session *s, struct sdoc *d)
{
	if (drop(s, d))
		hub_broadcast_presence(s->srv, s->user);
}

bool
docs_where_forget(struct session *s)
{
	return drop(s, NULL);
}

struct proto_docref
docs_where_of(const struct user *u)
{
	const struct docs_where *w = u->where;
	return w ? (struct proto_docref){w->room, w->name}
	    : (struct proto_docref){NULL, NULL};
}

struct proto_docref
docs_where_in(const struct user *u, const char *room)
{
	struct proto_docref at = u ? docs_where_of(u) : (struct proto_docref){NULL, NULL};
	if (at.room != NULL && strcmp(at.room, room) != 0)
		at = (struct proto_docref){NULL, NULL};
	return at;
}

void
docs_where_free(struct user *u)
{
	if (u->where == NULL)
		return;
	struct docs_where *w = u->where;
	for (guint i = 0; i < w->open->len; i++)
		ent_free(&g_array_index(w->open, struct where_ent, i));
	g_array_free(w->open, TRUE);
	g_free(w->room);
	g_free(w->name);
	g_free(w);
	u->where = NULL;
}
