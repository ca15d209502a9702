/*
 * finder: what the server finds for the user, shown in a list in place
 * of the messages. /search TEXT asks the server (SEARCH) to look through
 * every room the user is a member of; its results come newest first,
 * each a snippet of the message with the matched words highlighted, and
 * Enter jumps to the message: the room is shown and paged back until the
 * message is held, as a notification's jump does (a reply opens its
 * thread). /list [QUERY] shows the server's directory of public rooms
 * (ROOMS); Enter joins the one selected. Down past the last row asks for
 * the next page when there is one. /doc list shows the room's documents
 * (DOC_LIST), each with its head, last edit and who is in it; Enter opens
 * the one selected (in a tab of its own). /topic shows or sets the room's
 * topic.
 *
 * Search in the room's held history (what /search did before) is /find
 * and Ctrl-R (search.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/client.h"
#include "model/msgcursor.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

#define KEYS_SEARCH "\xe2\x86\x91\xe2\x86\x93 move \xc2\xb7 Enter go to it " \
	"\xc2\xb7 Esc close"
#define KEYS_ROOMS "\xe2\x86\x91\xe2\x86\x93 move \xc2\xb7 Enter join " \
	"\xc2\xb7 Esc close"
#define KEYS_DOCS "\xe2\x86\x91\xe2\x86\x93 move \xc2\xb7 Enter open " \
	"\xc2\xb7 Esc close"
#define ELLIPSIS "\xe2\x80\xa6"

static void
items_clear(struct client_finder *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->items[i].room);
		free(f->items[i].text);
	}
	f->n = 0;
	f->selected = 0;
	f->more = false;
	f->before = 0;
}

void
client_finder_free(struct client *c)
{
	struct client_finder *f = &c->finder;
	items_clear(f);
	free(f->items);
	free(f->rows);
	free(f->query);
	free(f->jump_room);
}

static void
finder_close(struct client *c)
{
	c->finder.kind = FINDER_NONE;
	c->finder.cid[0] = '\0';
}

/* ---- requests ---------------------------------------------------------- */

static bool
ask(struct client *c, char *frame)
{
	bool sent = frame != NULL && port_send(&c->port, frame);
	free(frame);
	if (!sent) {
		c->finder.cid[0] = '\0';
		client_note(c, true, "not connected: try again once connected");
	}
	return sent;
}

void
client_search_server(struct client *c, const char *text)
{
	struct client_finder *f = &c->finder;
	items_clear(f);
	free(f->query);
	f->query = xstrdup(text);
	f->kind = FINDER_SEARCH;
	outbox_new_cid(f->cid);
	if (!ask(c, chat_search_frame(f->cid, text, 0)))
		finder_close(c);
}

void
client_list_rooms(struct client *c, const char *query)
{
	struct client_finder *f = &c->finder;
	items_clear(f);
	free(f->query);
	f->query = xstrdup(query);
	f->kind = FINDER_ROOMS;
	outbox_new_cid(f->cid);
	if (!ask(c, chat_rooms_frame(f->cid, query, NULL)))
		finder_close(c);
}

/* DOC_LIST of the room (f->query), after a name. */
static char *
docs_frame_after(const struct client_finder *f, const char *after)
{
	struct proto_frame fr = proto_frame_of(PT_DOC_LIST);
	fr.cid = f->cid;
	fr.room = f->query;
	fr.after = after;
	return proto_encode(&fr, PROTO_TO_SERVER);
}

void
client_list_docs(struct client *c, const char *room)
{
	struct client_finder *f = &c->finder;
	items_clear(f);
	free(f->query);
	f->query = xstrdup(room);
	f->kind = FINDER_DOCS;
	outbox_new_cid(f->cid);
	if (!ask(c, docs_frame_after(f, NULL)))
		finder_close(c);
}

static void
next_page(struct client *c)
{
	struct client_finder *f = &c->finder;
	if (!f->more || f->cid[0] != '\0' || f->n == 0)
		return;
	outbox_new_cid(f->cid);
	if (f->kind == FINDER_SEARCH)
		ask(c, chat_search_frame(f->cid, f->query, f->before));
	else if (f->kind == FINDER_DOCS)
		ask(c, docs_frame_after(f, f->items[f->n - 1].room));
	else
		ask(c, chat_rooms_frame(f->cid, f->query, f->items[f->n - 1].room));
}

void
client_topic(struct client *c, const char *text)
{
	struct room *r = chat_current(c->chat);
	if (r == NULL) {
		client_note(c, true, "no room open: /join ROOM first");
		return;
	}
	if (*text == '\0') {
		if (r->topic != NULL)
			client_note(c, false, "topic of %s: %s", r->name, r->topic);
		else
			client_note(c, false, "%s has no topic (/topic TEXT sets one)",
			    r->name);
		return;
	}
	char cid[17];
	outbox_new_cid(cid);
	client_request(c, cid, chat_topic_frame(cid, r->name, text));
}

/* ---- answers ------------------------------------------------------------ */

static struct finder_item *
item_new(struct client_finder *f)
{
	xgrow(&f->items, &f->cap, f->n + 1, sizeof *f->items);
	struct finder_item *it = &f->items[f->n++];
	memset(it, 0, sizeof *it);
	return it;
}

/* "lobby 12:01 bob: … the snippet …", the marks (code points of the
 * snippet) turned to bytes of the row. */
static void
add_hit(struct client_finder *f, const struct proto_search_hit *h)
{
	struct finder_item *it = item_new(f);
	it->room = xstrdup(h->room);
	it->seq = h->seq;
	char when[32] = "";
	time_t t = (time_t)(h->ts / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%d %b %H:%M", &tm);
	const char *snip = h->snippet ? h->snippet : "";
	it->text = xasprintf("%s  %s  %s: %s", h->room, when,
	    h->user ? h->user : "", snip);
	size_t base = strlen(it->text) - strlen(snip), len = strlen(snip);
	int n = 0;
	for (size_t i = 0; i < h->nmarks && n < UI_LIST_MARKS; i++) {
		int64_t a = h->marks[i][0], e = h->marks[i][1];
		if (a < 0 || e <= a)
			continue;
		size_t ba = utf8_offset(snip, len, (size_t)a);
		size_t be = utf8_offset(snip, len, (size_t)e);
		it->row.marks[n][0] = base + ba;
		it->row.marks[n][1] = base + be;
		n++;
	}
	it->row.nmarks = n;
}

static void
add_room(struct client_finder *f, const struct proto_room_info *ri)
{
	struct finder_item *it = item_new(f);
	it->room = xstrdup(ri->room);
	it->text = xasprintf("%s  \xc2\xb7 %lld member%s%s%s", ri->room,
	    (long long)ri->members, ri->members == 1 ? "" : "s",
	    ri->topic && *ri->topic ? "  \xc2\xb7 " : "",
	    ri->topic ? ri->topic : "");
}

/* "notes  · rev 42 by bob, 27 Nov 12:01  · in it: alice, bob" (its name
 * in room). */
static void
add_doc(struct client_finder *f, const struct proto_docinfo *di)
{
	struct finder_item *it = item_new(f);
	it->room = xstrdup(di->name);
	char when[32] = "";
	time_t t = (time_t)(di->ts / 1000);
	struct tm tm;
	if (di->ts > 0 && localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, " %d %b %H:%M", &tm);
	char who[400] = "";
	size_t n = 0;
	for (size_t i = 0; i < di->nviewers && n + 40 < sizeof who; i++)
		n += (size_t)snprintf(who + n, sizeof who - n, "%s%s", i ? ", " : "",
		    di->viewers[i]);
	if (di->watching > (int64_t)di->nviewers)
		snprintf(who + n, sizeof who - n, " and %lld more",
		    (long long)(di->watching - (int64_t)di->nviewers));
	char rev[160] = "never edited";
	if (di->rev > 0)
		snprintf(rev, sizeof rev, "rev %lld%s%s%s%s", (long long)di->rev,
		    di->user ? " by " : "", di->user ? di->user : "", *when ? "," : "",
		    when);
	it->text = xasprintf("%s  \xc2\xb7 %s  \xc2\xb7 %s%s", di->name, rev,
	    di->watching > 0 ? "in it: " : "", di->watching > 0 ? who : "nobody in it");
}

bool
client_finder_frame(struct client *c, const struct proto_frame *fr)
{
	struct client_finder *f = &c->finder;
	if (fr->type == PT_ERROR && fr->cid && f->cid[0] &&
	    strcmp(fr->cid, f->cid) == 0) {
		f->cid[0] = '\0';
		client_note(c, true, "%s: %s", f->kind == FINDER_SEARCH ? "search" :
		    f->kind == FINDER_DOCS ? "document list" : "room list",
		    fr->reason ? fr->reason : fr->code);
		if (f->n == 0)
			finder_close(c);
		return true;
	}
	if ((fr->type != PT_SEARCH_RESULTS && fr->type != PT_ROOMS &&
	    fr->type != PT_DOC_LIST) ||
	    fr->cid == NULL || f->cid[0] == '\0' || strcmp(fr->cid, f->cid) != 0)
		return false;
	f->cid[0] = '\0';
	if (fr->type == PT_SEARCH_RESULTS) {
		for (size_t i = 0; i < fr->nhits; i++)
			add_hit(f, &fr->hits[i]);
		f->before = fr->before;
	} else if (fr->type == PT_DOC_LIST) {
		for (size_t i = 0; i < fr->ndocinfos; i++)
			add_doc(f, &fr->docinfos[i]);
	} else {
		for (size_t i = 0; i < fr->nrooms; i++)
			add_room(f, &fr->rooms[i]);
	}
	f->more = fr->more && (fr->type != PT_SEARCH_RESULTS || fr->before > 0);
	port_redraw(&c->port);
	return true;
}

/* ---- jumping to a result --------------------------------------------------- */

/* The message is held: a reply opens its thread, a root is selected. */
static void
jump_arrived(struct client *c, struct room *r)
{
	struct client_finder *f = &c->finder;
	struct room_msg *m = msgcursor_msg(r, f->jump_seq);
	if (m != NULL && m->thread > 0) {
		client_thread_show(c, r->name, m->thread);
		c->thread.focused = true;
		c->thread.cursor = true;
		c->thread.seq = m->seq;
	} else if (m != NULL) {
		c->cur.on = true;
		c->cur.seq = m->seq;
		c->cur.go = true;
	}
	free(f->jump_room);
	f->jump_room = NULL;
	port_redraw(&c->port);
}

void
client_finder_history(struct client *c)
{
	struct client_finder *f = &c->finder;
	if (f->jump_room == NULL)
		return;
	struct room *r = chat_room(c->chat, f->jump_room);
	if (r == NULL) {
		free(f->jump_room);
		f->jump_room = NULL;
		return;
	}
	if (!r->joined)
		return;
	if (room_holds_seq(r, f->jump_seq)) {
		jump_arrived(c, r);
		return;
	}
	if (r->nconfirmed > 0 && room_run_first(r) > f->jump_seq && r->more_before) {
		int64_t gap = room_run_first(r) - f->jump_seq + 10;
		client_request_history(c, r->name, gap > INT_MAX ? INT_MAX :
		    (int)gap);
		return;
	}
	if (c->history_inflight)
		return;
	client_note(c, true, "message %lld of %s is no longer there",
	    (long long)f->jump_seq, r->name);
	free(f->jump_room);
	f->jump_room = NULL;
}

static void
open_selected(struct client *c)
{
	struct client_finder *f = &c->finder;
	if (f->selected >= f->n)
		return;
	struct finder_item *it = &f->items[f->selected];
	if (f->kind == FINDER_DOCS) {
		char *room = xstrdup(f->query), *name = xstrdup(it->room);
		finder_close(c);
		client_show_room(c, room);
		docset_open(&c->docset, room, name);
		free(room);
		free(name);
		return;
	}
	if (f->kind == FINDER_ROOMS) {
		char *cmd = xasprintf("/join %s", it->room);
		finder_close(c);
		client_command(c, cmd);
		free(cmd);
		return;
	}
	free(f->jump_room);
	f->jump_room = xstrdup(it->room);
	f->jump_seq = it->seq;
	finder_close(c);
	client_show_room(c, f->jump_room);
	c->scroll = 0;
	client_finder_history(c);
}

bool
client_finder_key(struct client *c, struct ui_intent *in)
{
	struct client_finder *f = &c->finder;
	if (f->kind == FINDER_NONE)
		return false;
	switch (in->kind) {
	case UI_HISTORY_PREV: case UI_CURSOR:
		if (f->selected > 0)
			f->selected--;
		return true;
	case UI_HISTORY_NEXT:
		if (f->selected + 1 < f->n)
			f->selected++;
		else
			next_page(c);
		return true;
	case UI_SCROLL_PAGE:
		if (in->n < 0) {
			f->selected = f->selected + 10 < f->n ? f->selected + 10 :
			    f->n ? f->n - 1 : 0;
			if (f->selected + 1 >= f->n)
				next_page(c);
		} else {
			f->selected = f->selected > 10 ? f->selected - 10 : 0;
		}
		return true;
	case UI_SUBMIT: open_selected(c); return true;
	case UI_ESCAPE: finder_close(c); return true;
	case UI_QUIT: case UI_FOCUS: case UI_REDRAW: return false;
	default:
		finder_close(c);
		return false;
	}
}

/* ---- the screen ---------------------------------------------------------- */

static const struct ui_list *
finder_view(struct client *c)
{
	struct client_finder *f = &c->finder;
	if (f->kind == FINDER_NONE)
		return NULL;
	free(f->rows);
	f->rows = xcalloc(f->n + 1, sizeof *f->rows);
	for (size_t i = 0; i < f->n; i++) {
		f->rows[i] = f->items[i].row;
		f->rows[i].text = f->items[i].text;
	}
	bool loading = f->cid[0] != '\0';
	if (f->kind == FINDER_SEARCH)
		snprintf(f->title, sizeof f->title, "search \"%.80s\" \xc2\xb7 %zu "
		    "result%s%s%s", f->query ? f->query : "", f->n, f->n == 1 ? "" :
		    "s", f->more ? ", more below" : "", loading ? " \xc2\xb7 "
		    "searching" ELLIPSIS : "");
	else if (f->kind == FINDER_DOCS)
		snprintf(f->title, sizeof f->title, "documents of %.80s \xc2\xb7 %zu%s%s",
		    f->query, f->n, f->more ? ", more below" : "",
		    loading ? " \xc2\xb7 loading" ELLIPSIS : "");
	else
		snprintf(f->title, sizeof f->title, "rooms%s%.80s \xc2\xb7 %zu%s%s",
		    f->query && *f->query ? " matching " : "",
		    f->query ? f->query : "", f->n, f->more ? ", more below" : "",
		    loading ? " \xc2\xb7 loading" ELLIPSIS : "");
	f->list = (struct ui_list){ .title = f->title, .rows = f->rows,
	    .nrows = f->n, .selected = f->selected,
	    .keys = f->kind == FINDER_SEARCH ? KEYS_SEARCH :
	    f->kind == FINDER_DOCS ? KEYS_DOCS : KEYS_ROOMS,
	    .empty = loading ? "" : f->kind == FINDER_SEARCH ? "nothing found" :
	    f->kind == FINDER_DOCS ? "no documents yet: /doc NAME makes one" :
	    "no public rooms" };
	return &f->list;
}

const struct ui_list *
client_finder_list(struct client *c)
{
	return finder_view(c);
}
