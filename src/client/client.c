/*
 * client: the core's life, the port it gives the subsystems, the chat
 * actions commands and keys call, time and the screen (client.h). The
 * link and the frames from the server are in client_link.c.
 */
#include "client/client.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_impl.h"
#include "client/docedit.h"
#include "client/roomstore.h"
#include "model/names.h"
#include "model/xmalloc.h"

/* ---- the port the subsystems get ----------------------------------------- */

static bool
core_send(void *ud, const char *frame, size_t len)
{
	struct client *c = ud;
	return c->welcomed && c->world.send(c->world.ud, frame, len);
}

static bool
core_queue(void *ud, const char *cid, const char *frame)
{
	struct client *c = ud;
	bool kept = sendq_add(&c->sendq, cid, frame);
	c->chat->pending = sendq_len(&c->sendq);
	port_redraw(&c->world);
	return kept;
}

static void
core_note(void *ud, bool error, const char *text)
{
	struct client *c = ud;
	struct room *r = chat_current(c->chat);
	chat_notice(c->chat, r ? r->name : NULL, error, port_wall(&c->world), "%s",
	    text);
	port_log(&c->world, "%s%s", error ? "error: " : "", text);
	port_redraw(&c->world);
}

#define FORWARD(name, ret, args, call) \
	static ret core_##name args { struct client *c = ud; return call; }
FORWARD(now, int64_t, (void *ud), c->world.now(c->world.ud))
FORWARD(wall, int64_t, (void *ud), c->world.wall(c->world.ud))
#undef FORWARD

static void
core_log(void *ud, const char *text)
{
	struct client *c = ud;
	if (c->world.log != NULL)
		c->world.log(c->world.ud, text);
}

static void
core_redraw(void *ud)
{
	struct client *c = ud;
	port_redraw(&c->world);
}

/* The rest goes to the world as it is, with the world's own data. */
static void
core_bell(void *ud)
{
	struct client *c = ud;
	if (c->world.bell != NULL)
		c->world.bell(c->world.ud);
}

static void
core_copy(void *ud, const char *text)
{
	struct client *c = ud;
	if (c->world.copy != NULL)
		c->world.copy(c->world.ud, text);
}

static void
core_desktop(void *ud, const char *title, const char *body, bool urgent)
{
	struct client *c = ud;
	if (c->world.desktop != NULL)
		c->world.desktop(c->world.ud, title, body, urgent);
}

static void
core_trust(void *ud, const char *fp)
{
	struct client *c = ud;
	if (c->world.trust != NULL)
		c->world.trust(c->world.ud, fp);
}

static bool
core_notify_retry(void *ud)
{
	struct client *c = ud;
	return c->world.notify_retry != NULL && c->world.notify_retry(c->world.ud);
}

static void
core_reconnect(void *ud)
{
	struct client *c = ud;
	if (c->world.reconnect != NULL)
		c->world.reconnect(c->world.ud);
}

static void
core_stop(void *ud)
{
	struct client *c = ud;
	if (c->world.stop != NULL)
		c->world.stop(c->world.ud);
}

static bool
core_theme(void *ud, const char *name, char *err, size_t errlen)
{
	struct client *c = ud;
	if (c->world.theme == NULL) {
		snprintf(err, errlen, "themes cannot be loaded here");
		return false;
	}
	return c->world.theme(c->world.ud, name, err, errlen);
}

void
client_note(struct client *c, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	core_note(c, error, text);
	free(text);
}

/* ---- the centre's hooks -------------------------------------------------- */

static void
hook_show_room(void *ud, const char *room)
{
	client_show_room(ud, room);
}

static bool
hook_history(void *ud, const char *room, int limit)
{
	return client_request_history(ud, room, limit);
}

/* ---- life ---------------------------------------------------------------- */

struct client *
client_new(struct config *cfg, const char *state_dir, const char *log_dir,
    const struct client_port *world, char *err, size_t errlen)
{
	char *path = xasprintf("%s/outbox-%s.jsonl", state_dir, cfg->user);
	struct outbox *ob = outbox_open(path, err, errlen);
	free(path);
	if (ob == NULL)
		return NULL;
	struct client *c = xcalloc(1, sizeof *c);
	c->cfg = cfg;
	c->state_dir = xstrdup(state_dir);
	c->rooms_path = xasprintf("%s/rooms-%s.json", state_dir, cfg->user);
	c->pins_path = xasprintf("%s/known_servers", state_dir);
	c->world = *world;
	/* Every member the core's own, so that each reaches the world with
	 * the world's data (subsystems hold this port, not the world's). */
	c->port = (struct client_port){
		.ud = c, .send = core_send, .queue = core_queue, .now = core_now,
		.wall = core_wall, .note = core_note, .log = core_log,
		.redraw = core_redraw, .bell = core_bell, .desktop = core_desktop,
		.notify_retry = core_notify_retry, .reconnect = core_reconnect,
		.stop = core_stop, .theme = core_theme, .trust = core_trust,
		.copy = core_copy,
	};
	c->outbox = ob;
	const char *host = cfg->server + strcspn(cfg->server, ":");
	host += strspn(host, ":/");
	char *label = xstrndup(host, strcspn(host, "/"));
	c->chat = chat_new(cfg->user, label);
	free(label);
	sendq_init(&c->sendq, ob, &c->port);
	inputline_init(&c->input);
	docs_init(&c->docs, &c->port, cfg->user, cfg->server, c->state_dir);
	docset_init(&c->docset, &c->docs);
	struct centre_hooks hooks = { c, hook_show_room, hook_history };
	centre_init(&c->centre, &c->port, c->chat, &hooks);
	chatlog_init(&c->log, log_dir, &c->port);
	signin_init(&c->signin, &c->port, c->state_dir, cfg->server, cfg->user);
	struct search_hooks shooks = { c, hook_history };
	search_init(&c->search, &c->port, c->chat, &shooks);
	client_msgact_init(c);
	c->read_deadline = INT64_MAX;
	chat_set_limit(c->chat, cfg->scrollback_lines);
	chat_set_highlights(c->chat, (const char *const *)cfg->highlight.v,
	    cfg->highlight.n);
	c->side_panes = cfg->side_panes;
	c->focused = true;
	c->last_input = port_now(world);
	return c;
}

void
client_free(struct client *c)
{
	if (c == NULL)
		return;
	client_stop_typing(c);
	client_rooms_changed(c); /* the read marks, as they are now */
	docset_free(&c->docset);
	docs_free(&c->docs);
	centre_free(&c->centre);
	search_free(&c->search);
	client_msgact_free(c);
	client_finder_free(c);
	chatlog_free(&c->log);
	signin_free(&c->signin);
	inputline_free(&c->input);
	chat_free(c->chat);
	outbox_free(c->outbox);
	client_joins_done(c, NULL);
	client_rights_free(c);
	free(c->joins);
	free(c->typing_room);
	free(c->history_room);
	free(c->state_dir);
	free(c->rooms_path);
	free(c->pins_path);
	free(c->trust_fp);
	free(c->told_fp);
	free(c->pinned_fp);
	free(c);
}

/* Shows what the outbox still holds as pending lines of their rooms. */
static void
restore_outbox(struct client *c)
{
	for (size_t i = 0; i < c->outbox->n; i++) {
		struct proto_frame f;
		struct proto_error err;
		const char *frame = c->outbox->v[i].frame;
		if (!proto_decode(frame, strlen(frame), PROTO_TO_SERVER, &f, &err))
			continue;
		if (f.type == PT_MESSAGE) {
			struct room *r = chat_open(c->chat, f.room);
			room_add_pending_reply(r, f.cid, f.text,
			    f.has_thread ? f.thread : 0, port_wall(&c->port));
		}
		proto_frame_free(&f);
	}
	if (c->outbox->skipped)
		client_note(c, true, "%s: %zu damaged entries skipped",
		    c->outbox->path, c->outbox->skipped);
	c->chat->pending = sendq_len(&c->sendq);
}

void
client_rooms_changed(struct client *c)
{
	if (c->cfg->remember_rooms &&
	    !roomstore_save(c->rooms_path, c->cfg->server, c->chat))
		port_log(&c->port, "cannot keep the room list in %s", c->rooms_path);
}

void
client_start(struct client *c)
{
	chat_notice(c->chat, NULL, false, port_wall(&c->port), "confab %s: F1 or "
	    "/help lists commands and keys, /join ROOM opens a room, Ctrl-C quits",
	    CONFAB_VERSION);
	char err[512];
	if (c->cfg->remember_rooms &&
	    !roomstore_load(c->rooms_path, c->cfg->server, c->chat, err, sizeof err))
		client_note(c, true, "%s", err);
	restore_outbox(c);
	client_show_room(c, c->cfg->room);
	for (size_t i = 0; i < c->cfg->autojoin.n; i++)
		chat_open(c->chat, c->cfg->autojoin.v[i]);
	if (docset_restore(&c->docset) > 0)
		for (size_t i = 0; i < docset_count(&c->docset); i++)
			chat_open(c->chat, docset_at(&c->docset, i)->room); /* joined
			                                                  after WELCOME */
}

/* ---- sending ------------------------------------------------------------- */

void
client_update_pending(struct client *c)
{
	c->chat->pending = sendq_len(&c->sendq);
	port_redraw(&c->port);
}

void
client_say(struct client *c, const char *room, const char *text)
{
	struct room *r = chat_room(c->chat, room);
	if (r == NULL)
		return;
	char cid[17];
	outbox_new_cid(cid);
	char *frame = chat_message_frame(cid, room, text);
	bool kept = frame != NULL && sendq_add(&c->sendq, cid, frame);
	free(frame);
	if (!kept) {
		client_note(c, true, "cannot keep the message in %s: not sent",
		    c->outbox->path);
		return;
	}
	/* its ACK comes on a later turn: the pending line goes in first */
	room_add_pending(r, cid, text, port_wall(&c->port));
	client_update_pending(c);
}

/* JOIN, from since when it is > 0; offline, the room is joined after the
 * next WELCOME. */
void
client_send_join(struct client *c, const char *room, int64_t since)
{
	struct proto_frame j = proto_frame_of(PT_JOIN);
	char cid[17];
	outbox_new_cid(cid);
	j.room = room;
	j.cid = cid;
	j.since = since;
	j.has_since = since > 0;
	/* with since, the changes since the room's rev come too */
	struct room *r = chat_room(c->chat, room);
	j.since_rev = r != NULL ? r->rev : 0;
	j.has_since_rev = since > 0;
	if (!port_send_frame(&c->port, &j))
		return;
	xgrow(&c->joins, &c->capjoins, c->njoins + 1, sizeof *c->joins);
	struct client_join *e = &c->joins[c->njoins++];
	memcpy(e->cid, cid, sizeof cid);
	e->room = xstrdup(room);
}

/* Forgets the JOINs of room (answered), or every one (the link went). */
void
client_joins_done(struct client *c, const char *room)
{
	size_t k = 0;
	for (size_t i = 0; i < c->njoins; i++) {
		if (room == NULL || strcmp(c->joins[i].room, room) == 0)
			free(c->joins[i].room);
		else
			c->joins[k++] = c->joins[i];
	}
	c->njoins = k;
}

/* An ERROR for one of our JOINs: the room cannot be had (a user the
 * server does not know, someone else's direct messages, too many
 * rooms): it leaves the list, with the reason. true when it was ours. */
bool
client_join_refused(struct client *c, const struct proto_frame *f)
{
	for (size_t i = 0; f->cid != NULL && i < c->njoins; i++) {
		if (strcmp(c->joins[i].cid, f->cid) != 0)
			continue;
		char *room = xstrdup(c->joins[i].room);
		client_joins_done(c, room);
		if (chat_room(c->chat, room) != NULL && !chat_room(c->chat, room)->joined) {
			chat_close(c->chat, room);
			client_rooms_changed(c);
		}
		client_note(c, true, "cannot open %s: %s", room, f->reason);
		free(room);
		return true;
	}
	return false;
}

void
client_switch(struct client *c, size_t index)
{
	client_stop_typing(c);
	if (c->search.active)
		search_stop(&c->search);
	chat_switch(c->chat, index);
	c->scroll = 0;
	client_rooms_changed(c);
	port_redraw(&c->port);
}

/* How much a room wants to be looked at: 2 mentions me or is a direct
 * message with something unread, 1 has unread messages, 0 nothing. */
static int
activity(const struct room *r)
{
	if (r->mentions > 0 || (r->unread > 0 && r->name[0] == '@'))
		return 2;
	return r->unread > 0;
}

void
client_next_active(struct client *c)
{
	size_t n = c->chat->nrooms, best = n;
	int want = 0;
	for (size_t k = 1; k < n; k++) {
		size_t i = (c->chat->current + k) % n;
		int a = activity(c->chat->rooms[i]);
		if (a > want) {
			want = a;
			best = i;
		}
	}
	if (best == n)
		client_note(c, false, "no room has anything new");
	else
		client_switch(c, best);
}

void
client_show_room(struct client *c, const char *room)
{
	bool known = chat_room(c->chat, room) != NULL;
	struct room *r = chat_open(c->chat, room);
	if (!known)
		client_rooms_changed(c);
	for (size_t i = 0; i < c->chat->nrooms; i++)
		if (c->chat->rooms[i] == r && i != c->chat->current)
			client_switch(c, i);
	c->scroll = 0;
	if (!r->joined)
		client_send_join(c, room, r->last_seq);
	port_redraw(&c->port);
}

void
client_part(struct client *c, const char *room)
{
	char *name = xstrdup(room); /* room may be the name chat_close frees */
	char cid[17];
	outbox_new_cid(cid);
	char *frame = chat_leave_frame(cid, name);
	port_queue(&c->port, cid, frame);
	free(frame);
	if (c->typing_room && strcmp(c->typing_room, name) == 0)
		client_stop_typing(c);
	docset_parted(&c->docset, name);
	chat_close(c->chat, name);
	client_rooms_changed(c);
	client_note(c, false, "left %s", name);
	free(name);
}

void
client_set_presence(struct client *c, enum proto_status st, const char *text)
{
	c->chat->status = st;
	/* text may be status_text itself (restored after a reconnect) */
	char *copy = text && *text ? xstrdup(text) : NULL;
	free(c->chat->status_text);
	c->chat->status_text = copy;
	char *f = chat_presence_frame(st, copy);
	port_send(&c->port, f); /* offline: sent again after WELCOME */
	free(f);
	port_redraw(&c->port);
}

void
client_stop_typing(struct client *c)
{
	if (c->typing_sent && c->typing_room != NULL) {
		char *f = chat_typing_frame(c->typing_room, false);
		port_send(&c->port, f);
		free(f);
	}
	c->typing_sent = 0;
	free(c->typing_room);
	c->typing_room = NULL;
}

/* Typing is announced at most every few seconds, and withdrawn when the
 * line empties, becomes a command, or is sent. */
void
client_input_changed(struct client *c)
{
	struct room *r = chat_current(c->chat);
	const struct edit *e = &c->input.edit;
	if (e->len == 0 || e->buf[0] == '/' || r == NULL) {
		client_stop_typing(c);
		return;
	}
	int64_t now = port_now(&c->port);
	if (c->typing_sent && now - c->typing_sent < CLIENT_TYPING_EVERY_MS &&
	    c->typing_room && strcmp(c->typing_room, r->name) == 0)
		return;
	char *f = chat_typing_frame(r->name, true);
	if (port_send(&c->port, f)) {
		c->typing_sent = now;
		free(c->typing_room);
		c->typing_room = xstrdup(r->name);
	}
	free(f);
}

bool
client_request_history(struct client *c, const char *room, int limit)
{
	struct room *r = chat_room(c->chat, room);
	if (r == NULL || !r->joined || !r->more_before || c->history_inflight ||
	    r->nconfirmed == 0)
		return false;
	char *f = chat_history_frame(r->name, room_run_first(r),
	    limit > 0 ? limit : c->cfg->history_page);
	bool sent = port_send(&c->port, f);
	if (sent) {
		c->history_inflight = true;
		free(c->history_room);
		c->history_room = xstrdup(r->name);
	}
	free(f);
	return sent;
}

/* The newest failed message of the current room. */
static struct room_msg *
last_failed(struct client *c)
{
	struct room *r = chat_current(c->chat);
	for (size_t i = r->nmsgs; i > 0; i--)
		if (r->msgs[i - 1]->state == ROOM_MSG_FAILED)
			return r->msgs[i - 1];
	client_note(c, true, "no failed message in %s", r->name);
	return NULL;
}

void
client_retry_failed(struct client *c)
{
	struct room *r = chat_current(c->chat);
	struct room_msg *m = last_failed(c);
	if (m == NULL)
		return;
	/* A new cid: the server remembers the refused one. */
	char *text = xstrdup(m->text);
	room_discard(r, m->cid);
	client_say(c, r->name, text);
	free(text);
}

void
client_discard_failed(struct client *c)
{
	struct room_msg *m = last_failed(c);
	if (m != NULL) {
		sendq_remove(&c->sendq, m->cid);
		room_discard(chat_current(c->chat), m->cid);
		client_update_pending(c);
	}
}

/* ---- time ---------------------------------------------------------------- */

static int64_t
away_deadline(const struct client *c)
{
	if (c->cfg->away_after <= 0 || c->auto_away ||
	    c->chat->status != PS_ONLINE)
		return INT64_MAX;
	return c->last_input + (int64_t)c->cfg->away_after * 1000;
}

int64_t
client_deadline(const struct client *c)
{
	int64_t t = sendq_deadline(&c->sendq);
	int64_t d = docset_deadline(&c->docset);
	if (d < t)
		t = d;
	d = away_deadline(c);
	if (d < t)
		t = d;
	d = chatlog_deadline(&c->log);
	if (d < t)
		t = d;
	d = client_read_deadline(c);
	return d < t ? d : t;
}

void
client_tick(struct client *c)
{
	int64_t now = port_now(&c->port);
	sendq_tick(&c->sendq);
	docset_tick(&c->docset);
	chatlog_tick(&c->log);
	if (now >= client_read_deadline(c))
		client_read_seen(c);
	if (now >= away_deadline(c)) {
		c->auto_away = true;
		client_set_presence(c, PS_AWAY, "idle");
	}
}

/* ---- the screen ---------------------------------------------------------- */

void
client_view(struct client *c, struct ui_view *v, struct ui_centre *centre)
{
	*v = (struct ui_view){
		.chat = c->chat, .input = &c->input.edit,
		.scroll = c->scroll, .side_panes = c->side_panes,
		.timestamps = c->cfg->timestamps, .mono_now = port_now(&c->port),
		.prompt = c->prompt[0] ? c->prompt : NULL,
		.doc = docset_view(&c->docset),
		.time_format = c->cfg->timestamp_format,
	};
	v->centre = centre_view(&c->centre, centre);
	if (v->prompt == NULL)
		v->prompt = docs_edit_prompt(&c->docs);
	static char question[256];
	if (signin_prompt(&c->signin, question, sizeof question))
		v->prompt = question;
	if (c->search.active) {
		static char prompt[256];
		search_prompt(&c->search, prompt, sizeof prompt);
		if (v->prompt == NULL)
			v->prompt = prompt;
		v->search = c->search.query;
		v->mark_seq = c->search.seq;
		v->goto_mark = c->search.go;
	} else {
		centre_mark(&c->centre, &v->mark_seq, &v->goto_mark);
	}
	client_msgact_view(c, v);
	const struct ui_list *found = client_finder_list(c);
	if (v->list == NULL)
		v->list = found;
	if (v->list == NULL)
		v->list = doccomments_list(&c->docs);
}

/* Whether older lines of r are on their way (asked for now or before). */
static bool
history_coming(struct client *c, const struct room *r)
{
	return client_request_history(c, r->name, 0) || (c->history_inflight &&
	    c->history_room != NULL && strcmp(c->history_room, r->name) == 0);
}

void
client_drawn(struct client *c, const struct ui_drawn *d)
{
	struct room *r = chat_current(c->chat);
	/* Scrolled past the oldest line held: the pages asked for come, and
	 * the scroll still asked for (PgUp after PgUp) is taken up as they
	 * do, rather than dropped. */
	bool waiting = d->at_top && r != NULL && c->scroll > d->scroll &&
	    history_coming(c, r);
	if (!waiting)
		c->scroll = d->scroll;
	/* a room read back in keeps its lines past the limit (room.h) */
	for (size_t i = 0; i < c->chat->nrooms; i++)
		room_hold(c->chat->rooms[i], c->chat->rooms[i] == r && c->scroll > 0);
	c->page = d->page;
	docs_drawn(&c->docs, d);
	struct ui_drawn to_centre = *d;
	client_msgact_drawn(c, d);
	if (c->cur.on)
		to_centre.mark_shown = false; /* the mark was the cursor's */
	if (c->search.active) {
		if (d->mark_shown)
			c->search.go = false;
		to_centre.mark_shown = false; /* the mark was the search's */
	}
	centre_drawn(&c->centre, &to_centre);
	if (d->at_top && r != NULL && !waiting)
		client_request_history(c, r->name, 0);
	client_read_seen(c);
}
