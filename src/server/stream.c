/*
 * stream: the answers produced as the socket drains (stream.h says what
 * they guarantee).
 */
#include <stdlib.h>
#include <string.h>

#include "server/stream.h"

#define MSG_PAGE 16    /* messages read from the store at a time */
#define MEMBER_PAGE 256
#define TEXT_STEP (OSTREAM_PIECE / 6) /* source bytes escaped per step */

/* ---- text copies --------------------------------------------------------- */

struct textsnap *
textsnap_new(char *text, size_t len, int64_t rev)
{
	struct textsnap *t = g_new0(struct textsnap, 1);
	t->refs = 1;
	t->rev = rev;
	t->len = len;
	t->text = text;
	return t;
}

struct textsnap *
textsnap_ref(struct textsnap *t)
{
	t->refs++;
	return t;
}

void
textsnap_unref(struct textsnap *t)
{
	if (t == NULL || --t->refs > 0)
		return;
	free(t->text);
	g_free(t);
}

/* ---- pieces of the frame around what is streamed -------------------------- */

#define MAX_HOLES 2

struct shape {
	char *piece[MAX_HOLES + 1];
	size_t holes;
};

static bool
shape_of(const struct proto_frame *f, const char *const *fields, size_t n,
    struct shape *sh)
{
	sh->holes = n;
	return proto_encode_split(f, PROTO_TO_CLIENT, fields, n, sh->piece);
}

static void
shape_free(struct shape *sh)
{
	for (size_t i = 0; i <= sh->holes; i++)
		free(sh->piece[i]);
}

/* Appends an array element, with its comma. */
static void
item(GString *out, bool *any, char *json)
{
	if (*any)
		g_string_append_c(out, ',');
	*any = true;
	g_string_append(out, json);
	free(json);
}

/* ---- messages of a seq range ---------------------------------------------- */

struct msg_range {
	int64_t room_id;
	int64_t root; /* > 0: only the replies of that thread */
	int64_t next, last;
	struct store_msgs page;
	size_t at;
	bool any;
};

static size_t
page_bytes(const struct store_msgs *ms)
{
	size_t n = 0;
	for (size_t i = 0; i < ms->n; i++)
		n += strlen(ms->v[i].text) + 64;
	return n;
}

/* Appends messages until out reaches limit bytes; OS_DONE after the last. */
static enum ostream_step
msgs_fill(struct msg_range *mr, const char *room, struct server *srv,
    GString *out, size_t limit, size_t *held)
{
	while (out->len < limit) {
		if (mr->at == mr->page.n) {
			store_msgs_free(&mr->page);
			mr->at = 0;
			*held = 0;
			if (mr->next > mr->last)
				return OS_DONE;
			const struct store_ops *ops = srv->store->ops;
			if ((mr->root > 0
			    ? ops->thread_after(srv->store, mr->room_id, mr->root,
			        mr->next - 1, mr->last, MSG_PAGE, &mr->page)
			    : ops->messages_after(srv->store, mr->room_id,
			        mr->next - 1, mr->last, MSG_PAGE, &mr->page)) != 0) {
				hub_store_error(srv);
				return OS_FAIL;
			}
			if (mr->page.n == 0)
				return OS_DONE;
			mr->next = mr->page.v[mr->page.n - 1].seq + 1;
			*held = page_bytes(&mr->page);
		}
		char id[24];
		struct proto_message pm;
		hub_to_proto(&mr->page.v[mr->at++], room, &pm, id, sizeof id);
		char *json = proto_encode_message_item(&pm);
		hub_proto_release(&pm);
		if (json == NULL)
			return OS_FAIL;
		item(out, &mr->any, json);
	}
	return OS_MORE;
}

/* ---- HISTORY --------------------------------------------------------------- */

struct history_stream {
	struct ostream base;
	struct shape sh;
	char *room;
	int stage;
	struct msg_range mr;
};

static enum ostream_step
history_next(struct ostream *o, struct server *srv, GString *out)
{
	struct history_stream *h = (struct history_stream *)o;
	size_t limit = out->len + OSTREAM_PIECE;
	if (h->stage == 0) {
		g_string_append(out, h->sh.piece[0]);
		g_string_append_c(out, '[');
		h->stage = 1;
	}
	enum ostream_step st = msgs_fill(&h->mr, h->room, srv, out, limit, &o->held);
	if (st == OS_DONE) {
		g_string_append_c(out, ']');
		g_string_append(out, h->sh.piece[1]);
	}
	return st;
}

static void
history_free(struct ostream *o)
{
	struct history_stream *h = (struct history_stream *)o;
	shape_free(&h->sh);
	store_msgs_free(&h->mr.page);
	g_free(h->room);
	g_free(h);
}

struct ostream *
stream_history(const struct proto_frame *f, int64_t room_id, int64_t first,
    int64_t last)
{
	return stream_thread(f, room_id, 0, first, last);
}

struct ostream *
stream_thread(const struct proto_frame *f, int64_t room_id, int64_t root,
    int64_t first, int64_t last)
{
	struct history_stream *h = g_new0(struct history_stream, 1);
	static const char *const holes[] = {"messages"};
	if (!shape_of(f, holes, 1, &h->sh)) {
		g_free(h);
		return NULL;
	}
	h->base.next = history_next;
	h->base.free = history_free;
	h->room = g_strdup(f->room);
	h->mr = (struct msg_range){.room_id = room_id, .root = root, .next = first,
	    .last = last};
	return &h->base;
}

/* ---- JOINED ---------------------------------------------------------------- */

struct joined_stream {
	struct ostream base;
	struct shape sh;
	char *room;
	int64_t room_id;
	int stage;
	char *after; /* the last member written */
	bool more_members, any_member;
	struct msg_range mr;
};

/* Appends members until out reaches limit; OS_DONE after the last. */
static enum ostream_step
members_fill(struct joined_stream *j, struct server *srv, GString *out,
    size_t limit)
{
	while (out->len < limit && j->more_members) {
		struct store_member *mem;
		size_t n;
		if (srv->store->ops->members_page(srv->store, j->room_id, j->after,
		    MEMBER_PAGE, &mem, &n) != 0) {
			hub_store_error(srv);
			return OS_FAIL;
		}
		for (size_t i = 0; i < n; i++) {
			struct user *u = g_hash_table_lookup(srv->users, mem[i].user);
			struct presence_view v = u ? presence_view(&u->presence)
			    : (struct presence_view){PS_OFFLINE, "", mem[i].last_seen};
			struct proto_member pm = {mem[i].user, v.status, v.text,
			    v.last_seen > mem[i].last_seen ? v.last_seen : mem[i].last_seen,
			    docs_where_in(u, j->room)};
			char *json = proto_encode_member_item(&pm);
			if (json == NULL) {
				store_members_free(mem, n);
				return OS_FAIL;
			}
			item(out, &j->any_member, json);
		}
		if (n > 0) {
			g_free(j->after);
			j->after = g_strdup(mem[n - 1].user);
		}
		j->more_members = n == MEMBER_PAGE;
		store_members_free(mem, n);
	}
	return j->more_members ? OS_MORE : OS_DONE;
}

static enum ostream_step
joined_next(struct ostream *o, struct server *srv, GString *out)
{
	struct joined_stream *j = (struct joined_stream *)o;
	size_t limit = out->len + OSTREAM_PIECE;
	enum ostream_step st = OS_MORE;
	if (j->stage == 0) {
		g_string_append(out, j->sh.piece[0]);
		g_string_append_c(out, '[');
		j->stage = 1;
	}
	if (j->stage == 1) {
		if ((st = members_fill(j, srv, out, limit)) != OS_DONE)
			return st;
		g_string_append_c(out, ']');
		g_string_append(out, j->sh.piece[1]);
		g_string_append_c(out, '[');
		j->stage = 2;
	}
	st = msgs_fill(&j->mr, j->room, srv, out, limit, &o->held);
	if (st == OS_DONE) {
		g_string_append_c(out, ']');
		g_string_append(out, j->sh.piece[2]);
	}
	return st;
}

static void
joined_free(struct ostream *o)
{
	struct joined_stream *j = (struct joined_stream *)o;
	shape_free(&j->sh);
	store_msgs_free(&j->mr.page);
	g_free(j->after);
	g_free(j->room);
	g_free(j);
}

struct ostream *
stream_joined(const struct proto_frame *f, struct room *r, int64_t first,
    int64_t last)
{
	struct joined_stream *j = g_new0(struct joined_stream, 1);
	static const char *const holes[] = {"members", "messages"};
	if (!shape_of(f, holes, 2, &j->sh)) {
		g_free(j);
		return NULL;
	}
	j->base.next = joined_next;
	j->base.free = joined_free;
	j->room = g_strdup(r->name);
	j->room_id = r->id;
	j->more_members = true;
	j->mr = (struct msg_range){.room_id = r->id, .next = first, .last = last};
	return &j->base;
}

/* ---- a document's text ----------------------------------------------------- */

struct text_stream {
	struct ostream base;
	struct shape sh;
	struct textsnap *t;
	size_t at;
	int stage;
};

static enum ostream_step
text_next(struct ostream *o, struct server *srv, GString *out)
{
	(void)srv;
	struct text_stream *ts = (struct text_stream *)o;
	size_t limit = out->len + OSTREAM_PIECE;
	if (ts->stage == 0) {
		g_string_append(out, ts->sh.piece[0]);
		g_string_append_c(out, '"');
		ts->stage = 1;
	}
	while (out->len < limit && ts->at < ts->t->len) {
		size_t n = ts->t->len - ts->at;
		if (n > TEXT_STEP)
			n = TEXT_STEP;
		size_t used = out->len;
		g_string_set_size(out, used + 6 * n);
		size_t w = proto_json_escape(ts->t->text + ts->at, n, out->str + used);
		g_string_set_size(out, used + w);
		ts->at += n;
	}
	if (ts->at < ts->t->len)
		return OS_MORE;
	g_string_append_c(out, '"');
	g_string_append(out, ts->sh.piece[1]);
	return OS_DONE;
}

static void
text_free(struct ostream *o)
{
	struct text_stream *ts = (struct text_stream *)o;
	shape_free(&ts->sh);
	textsnap_unref(ts->t);
	g_free(ts);
}

struct ostream *
stream_text(const struct proto_frame *f, struct textsnap *t)
{
	struct text_stream *ts = g_new0(struct text_stream, 1);
	static const char *const holes[] = {"text"};
	if (!shape_of(f, holes, 1, &ts->sh)) {
		g_free(ts);
		return NULL;
	}
	ts->base.next = text_next;
	ts->base.free = text_free;
	/* counted whole for every session sending it: a shared copy still
	 * stays alive as long as the slowest of them */
	ts->base.held = t->len;
	ts->t = textsnap_ref(t);
	return &ts->base;
}
