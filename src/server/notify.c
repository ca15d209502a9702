/*
 * notify: users' notifications (see notify.h for how they wait for their
 * transaction; docs/protocol.md, "Notifications", for what makes one).
 *
 * A message's mentions are read with the model's scan, the same one the
 * client highlights with, and matched against the room's members without
 * ASCII case: each member it names gets one notification, whatever the
 * number of times. The members are read only when the text names someone,
 * so the common message costs one pass over its text.
 *
 * Reads of a user's notifications (WELCOME's count, NOTIFICATIONS) stop at
 * `committed`; MARK_READ and MARK_ALL_READ first commit the loop turn's
 * transaction, as DOC_OPEN does, so that their own write is durable before
 * the ACK and the read flags never wait in a transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/mention.h"
#include "model/names.h"
#include "model/utf8.h"
#include "server/notify.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX 200
#define EXCERPT_MAX 300 /* code points of a message kept in its notification */

struct notif_state {
	GArray *pending;   /* struct store_notif made in the open transaction */
	int64_t committed; /* the newest id known to be durable */
};

static void
store_error(struct server *srv)
{
	hub_store_error(srv);
}

/* ---- making them --------------------------------------------------------- */

/* The message text as a notification keeps it: cut after EXCERPT_MAX code
 * points, with an ellipsis. */
static char *
excerpt(const char *text)
{
	size_t len = strlen(text), cut = utf8_offset(text, len, EXCERPT_MAX);
	if (cut >= len)
		return strdup(text);
	char *s = malloc(cut + sizeof "\xe2\x80\xa6");
	if (s != NULL) {
		memcpy(s, text, cut);
		memcpy(s + cut, "\xe2\x80\xa6", sizeof "\xe2\x80\xa6");
	}
	return s;
}

/* Stores a notification in the open transaction and queues it for the
 * push after the commit; -1 after a store failure. */
static int
add(struct server *srv, const char *user, const char *kind, const char *title,
    const char *message, const char *room, int64_t seq, int64_t ts)
{
	/* The level is the notification's type for people (info, success,
	 * warning, error); the kind says what caused it. */
	const char *level = strcmp(kind, "join") == 0 ? "success" : "info";
	struct store_notif n = {0, strdup(user), strdup(level), strdup(title),
	    excerpt(message), strdup(room), ts, seq, false, strdup(kind)};
	if (n.user == NULL || n.level == NULL || n.title == NULL || n.kind == NULL ||
	    n.message == NULL || n.room == NULL ||
	    srv->store->ops->notif_add(srv->store, &n) != 0) {
		store_notif_free(&n);
		return -1;
	}
	g_array_append_val(srv->notif->pending, n);
	return 0;
}

/* The names a text mentions, lower-cased; made on the first one, so that a
 * message that mentions nobody allocates nothing. */
static bool
collect(const char *name, size_t len, void *arg)
{
	GHashTable **named = arg;
	if (*named == NULL)
		*named = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_add(*named, g_ascii_strdown(name, (gssize)len));
	return true;
}

/* One notification for each member m mentions, the sender aside. */
static int
mentions(struct server *srv, struct room *r, const struct store_msg *m)
{
	GHashTable *named = NULL;
	mention_scan(m->text, collect, &named);
	if (named == NULL)
		return 0;
	struct store_member *mem = NULL;
	size_t n = 0;
	int rc = srv->store->ops->members(srv->store, r->id, &mem, &n);
	if (rc == 0) {
		char title[128];
		snprintf(title, sizeof title, "%s in %s", m->user, r->name);
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (strcmp(mem[i].user, m->user) == 0)
				continue;
			char *key = g_ascii_strdown(mem[i].user, -1);
			if (g_hash_table_contains(named, key))
				rc = add(srv, mem[i].user, "mention", title, m->text, r->name,
				    m->seq, m->ts);
			g_free(key);
		}
		store_members_free(mem, n);
	}
	g_hash_table_destroy(named);
	return rc;
}

int
notif_message(struct server *srv, struct room *r, const struct store_msg *m)
{
	char other[NAMES_USER_MAX + 1];
	if (!names_dm_parse(r->name, NULL, NULL))
		return mentions(srv, r, m);
	if (!names_dm_other(r->name, m->user, other))
		return 0;
	return add(srv, other, "dm", m->user, m->text, r->name, m->seq, m->ts);
}

/* Whether text mentions user (as mentions() reads it). */
static bool
mentions_user(const char *text, const char *user)
{
	GHashTable *named = NULL;
	mention_scan(text, collect, &named);
	if (named == NULL)
		return false;
	char *key = g_ascii_strdown(user, -1);
	bool yes = g_hash_table_contains(named, key);
	g_free(key);
	g_hash_table_destroy(named);
	return yes;
}

int
notif_reply(struct server *srv, struct room *r, const struct store_msg *m,
    const char *author)
{
	/* a direct message tells its other user already, a mention too */
	if (strcmp(author, m->user) == 0 || names_dm_parse(r->name, NULL, NULL) ||
	    mentions_user(m->text, author))
		return 0;
	char title[128];
	snprintf(title, sizeof title, "%s replied in %s", m->user, r->name);
	return add(srv, author, "reply", title, m->text, r->name, m->seq, m->ts);
}

int
notif_comment(struct server *srv, const char *room, const char *doc,
    const char *author, const char *by, const char *text, int64_t ts)
{
	if (strcmp(author, by) == 0)
		return 0;
	char title[192];
	snprintf(title, sizeof title, "%s replied to your comment on %s/%s", by,
	    room, doc);
	return add(srv, author, "comment", title, text, room, 0, ts);
}

void
notif_joined(const struct req *q, struct room *r)
{
	struct server *srv = q->srv;
	const char *user = q->s->user->name;
	char *creator = NULL;
	bool claimed = false;
	bool first = false;
	if (srv->store->ops->room_creator(srv->store, r->id, user, &creator,
	    &claimed) != 0 || srv->store->ops->room_first_join(srv->store, r->id,
	    user, &first) != 0) {
		store_error(srv);
		free(creator);
		return;
	}
	if (names_dm_parse(r->name, NULL, NULL)) {
		if (claimed)
			dm_created(q, r);
	} else if (first && creator != NULL && strcmp(creator, user) != 0) {
		/* the first join ever: a LEAVE and a JOIN again say nothing */
		char title[128];
		snprintf(title, sizeof title, "%s joined %s", user, r->name);
		if (hub_batch_begin(srv) != 0 ||
		    add(srv, creator, "join", title, "", r->name, 0, now_ms()) != 0) {
			store_error(srv);
			hub_batch_abort(srv);
		}
	}
	free(creator);
}

int
notif_invited(struct server *srv, const char *user, const char *room,
    const char *by)
{
	char title[128];
	snprintf(title, sizeof title, "%s invited you to %s", by, room);
	return add(srv, user, "invite", title, "", room, 0, now_ms());
}

int
notif_suggestion(struct server *srv, const char *user, const char *room,
    const char *title, const char *message)
{
	return add(srv, user, "suggestion", title, message, room, 0, now_ms());
}

/* ---- telling the user ---------------------------------------------------- */

struct outbuf *
notif_encode(const struct proto_frame *f)
{
	char *json = proto_encode(f, PROTO_TO_CLIENT);
	struct outbuf *b = json ? outbuf_new(json, strlen(json)) : NULL;
	free(json);
	return b;
}

static void
send_to_user(struct user *u, const struct proto_frame *f)
{
	struct outbuf *b = notif_encode(f);
	for (guint i = 0; b != NULL && i < u->sessions->len; i++)
		session_send(g_ptr_array_index(u->sessions, i), b);
	outbuf_unref(b);
}

static int
unread(struct server *srv, const char *user, int64_t *count)
{
	if (srv->store->ops->notif_unread(srv->store, user, srv->notif->committed,
	    count) != 0) {
		store_error(srv);
		return -1;
	}
	return 0;
}

static struct proto_notification
to_proto(const struct store_notif *n)
{
	return (struct proto_notification){n->id, n->level, n->title, n->message,
	    n->ts, n->read, n->room, n->seq, n->kind};
}

static void
push(struct server *srv, const struct store_notif *n)
{
	struct user *u = g_hash_table_lookup(srv->users, n->user);
	if (u == NULL || u->sessions->len == 0)
		return;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION);
	f.notification = to_proto(n);
	f.has_unread = unread(srv, n->user, &f.unread) == 0;
	send_to_user(u, &f);
}

/* The transaction committed: pushes what it made, after every pending
 * request's own answer (a MESSAGE comes before the NOTIFICATION of its
 * mention). */
static void
notif_committed(struct server *srv)
{
	GArray *p = srv->notif->pending;
	for (guint i = 0; i < p->len; i++) {
		int64_t id = g_array_index(p, struct store_notif, i).id;
		if (id > srv->notif->committed)
			srv->notif->committed = id;
	}
	for (guint i = 0; i < p->len; i++) {
		push(srv, &g_array_index(p, struct store_notif, i));
		store_notif_free(&g_array_index(p, struct store_notif, i));
	}
	g_array_set_size(p, 0);
}

/* Or it rolled back: forgets it. */
static void
notif_rolled_back(struct server *srv)
{
	GArray *p = srv->notif->pending;
	for (guint i = 0; i < p->len; i++)
		store_notif_free(&g_array_index(p, struct store_notif, i));
	g_array_set_size(p, 0);
}

void
notif_welcome(struct server *srv, const char *user, struct proto_frame *w)
{
	w->has_unread = unread(srv, user, &w->unread) == 0;
}

/* ---- requests ------------------------------------------------------------ */

void
notif_handle_list(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	const char *user = q->s->user->name;
	int64_t upto = srv->notif->committed, before = upto + 1;
	if (f->has_before && f->before < before)
		before = f->before;
	size_t limit = f->has_limit ? (size_t)f->limit : PAGE_DEFAULT;
	if (limit > PAGE_MAX)
		limit = PAGE_MAX;
	struct store_notifs list;
	bool more;
	struct proto_frame a = proto_frame_of(PT_NOTIFICATIONS);
	if (srv->store->ops->notif_before(srv->store, user, before, upto, limit,
	    &list, &more) != 0) {
		hub_store_failed(srv, q->s, f->cid, q->ref);
		return;
	}
	if (srv->store->ops->notif_unread(srv->store, user, upto, &a.unread) != 0) {
		store_notifs_free(&list);
		hub_store_failed(srv, q->s, f->cid, q->ref);
		return;
	}
	struct proto_notification *v = g_new0(struct proto_notification, list.n + 1);
	for (size_t i = 0; i < list.n; i++)
		v[i] = to_proto(&list.v[i]);
	a.cid = f->cid;
	a.before = f->before;
	a.has_before = f->has_before;
	a.notifications = v;
	a.nnotifications = list.n;
	a.more = more;
	a.has_unread = true;
	session_send_frame(q->s, &a);
	g_free(v);
	store_notifs_free(&list);
}

/* The ACK of a mark, then NOTIFICATION_READ to every session of the user. */
static void
announce_read(const struct req *q, int64_t id, bool has_upto, int64_t upto)
{
	if (q->f->cid != NULL) {
		struct proto_frame a = proto_frame_of(PT_ACK);
		a.cid = q->f->cid;
		session_send_frame(q->s, &a);
	}
	struct proto_frame r = proto_frame_of(PT_NOTIFICATION_READ);
	r.notification.id = id;
	r.upto = upto;
	r.has_upto = has_upto;
	if (unread(q->srv, q->s->user->name, &r.unread) != 0)
		return;
	r.has_unread = true;
	send_to_user(q->s->user, &r);
}

/* Commits the loop turn's writes, so that a mark is durable on its own. */
static void
settle(struct server *srv)
{
	if (srv->store->in_txn)
		hub_flush(srv);
}

void
notif_handle_mark_read(const struct req *q)
{
	struct server *srv = q->srv;
	int64_t id = q->f->notification.id;
	bool found = false;
	settle(srv);
	if (id <= srv->notif->committed && srv->store->ops->notif_mark_read(
	    srv->store, q->s->user->name, id, &found) != 0) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		return;
	}
	if (!found) {
		hub_req_error(q, PE_BAD_FIELD, "no such notification");
		return;
	}
	announce_read(q, id, false, 0);
}

void
notif_handle_mark_all_read(const struct req *q)
{
	struct server *srv = q->srv;
	settle(srv);
	int64_t upto = srv->notif->committed;
	if (q->f->has_upto && q->f->upto < upto)
		upto = q->f->upto;
	if (srv->store->ops->notif_mark_all_read(srv->store, q->s->user->name,
	    upto) != 0) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		return;
	}
	announce_read(q, 0, true, upto);
}

/* ---- life cycle ---------------------------------------------------------- */

void
notif_init(struct server *srv)
{
	static const struct batch_watch watch = {notif_committed,
	    notif_rolled_back};
	srv->notif = g_new0(struct notif_state, 1);
	srv->notif->pending = g_array_new(FALSE, TRUE, sizeof(struct store_notif));
	hub_batch_watch(srv, &watch);
	if (srv->store->ops->notif_last_id(srv->store, &srv->notif->committed) != 0)
		store_error(srv);
}

void
notif_destroy(struct server *srv)
{
	if (srv->notif == NULL)
		return;
	notif_rolled_back(srv);
	g_array_free(srv->notif->pending, TRUE);
	g_free(srv->notif);
	srv->notif = NULL;
}
