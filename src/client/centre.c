/*
 * centre: the notification centre (centre.h).
 *
 * The selection is kept as an id, not an index: a notification pushed
 * while the list is open goes in at the top, and the entry under the bar
 * must stay the same. Marks are shown at once (inbox_mark_read) and queued
 * in the outbox with a cid, so they survive a lost connection and a
 * restart; the server's NOTIFICATION_READ then brings the true count to
 * every session of the user.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "client/centre.h"
#include "model/xmalloc.h"
#include "net/outbox.h"
#include "model/inbox.h"

#define NEAR_END 5            /* entries from the end that load the next page */

void
centre_init(struct centre *c, const struct client_port *port,
    struct chat *chat, const struct centre_hooks *hooks)
{
	memset(c, 0, sizeof *c);
	c->port = port;
	c->chat = chat;
	c->hooks = *hooks;
}

void
centre_free(struct centre *c)
{
	centre_unmark(c);
}

static struct inbox *
inbox(struct centre *c)
{
	return c->chat->inbox;
}

static size_t
selected_index(struct centre *c)
{
	struct inbox *ib = inbox(c);
	size_t n = inbox_count(ib);
	if (n == 0 || c->selected == 0)
		return 0;
	size_t i = inbox_find(ib, c->selected);
	if (i != (size_t)-1)
		return i;
	/* gone (dropped with an older page): the next older one held */
	for (i = 0; i < n && inbox_at(ib, i)->id > c->selected; i++)
		;
	return i < n ? i : n - 1;
}

static void
request_page(struct centre *c, int64_t before)
{
	if (c->page_cid[0] || !c->online)
		return;
	char cid[17];
	outbox_new_cid(cid);
	char *f = inbox_page_frame(cid, before, INBOX_PAGE);
	if (port_send(c->port, f))
		memcpy(c->page_cid, cid, sizeof cid);
	free(f);
}

/* Near the end of what is held, the next older page is asked for. */
static void
maybe_load_older(struct centre *c)
{
	struct inbox *ib = inbox(c);
	size_t n = inbox_count(ib);
	if (c->open && ib->more && selected_index(c) + NEAR_END >= n)
		request_page(c, inbox_oldest(ib));
}

static void
select_index(struct centre *c, long i)
{
	struct inbox *ib = inbox(c);
	long n = (long)inbox_count(ib);
	if (n == 0)
		return;
	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	c->selected = inbox_at(ib, (size_t)i)->id;
	maybe_load_older(c);
}

/* Queues MARK_READ or MARK_ALL_READ (build) of arg in the outbox. */
static void
queue_mark(struct centre *c, char *(*build)(const char *cid, int64_t arg),
    int64_t arg)
{
	char cid[17];
	outbox_new_cid(cid);
	char *f = build(cid, arg);
	if (!port_queue(c->port, cid, f))
		port_note(c->port, true, "cannot keep the read mark: not sent");
	free(f);
}

static void
mark_read(struct centre *c, int64_t id)
{
	if (inbox_mark_read(inbox(c), id))
		queue_mark(c, inbox_mark_read_frame, id);
}

static void
mark_all_read(struct centre *c)
{
	struct inbox *ib = inbox(c);
	if (inbox_unread(ib) == 0) {
		port_note(c->port, false, "no unread notifications");
		return;
	}
	/* Up to the newest held: one that came meanwhile stays unread. With
	 * none held yet (the page has not come), every one. */
	int64_t upto = inbox_count(ib) ? inbox_newest(ib) : -1;
	inbox_mark_all_read(ib, upto);
	queue_mark(c, inbox_mark_all_read_frame, upto);
}

static void
open_centre(struct centre *c)
{
	c->open = true;
	c->selected = 0;
	c->top = 0;
	if (inbox_count(inbox(c)) == 0)
		request_page(c, 0);
	port_redraw(c->port);
}

static void
close_centre(struct centre *c)
{
	c->open = false;
	port_redraw(c->port);
}

void
centre_toggle(struct centre *c)
{
	if (c->open)
		close_centre(c);
	else
		open_centre(c);
}

void
centre_unmark(struct centre *c)
{
	free(c->jump_room);
	c->jump_room = NULL;
	c->jump_wait = c->jump_go = false;
}

/* ---- jumping to a message ------------------------------------------------ */

static void
jump_done(struct centre *c)
{
	c->jump_wait = false;
}

/*
 * Goes on with a jump: once the room is joined, either the message is held
 * (the next draw scrolls to it), or older history is asked for in pages
 * sized to reach it, or the room holds nothing older and the message is
 * gone.
 */
static void
jump_resolve(struct centre *c)
{
	if (!c->jump_wait || c->jump_room == NULL)
		return;
	struct room *r = chat_room(c->chat, c->jump_room);
	if (r == NULL) {          /* left meanwhile */
		jump_done(c);
		return;
	}
	if (!r->joined)
		return;               /* JOINED, then this again */
	if (c->jump_seq <= 0 || room_holds_seq(r, c->jump_seq)) {
		jump_done(c);
		c->jump_go = c->jump_seq > 0;
		port_redraw(c->port);
		return;
	}
	if (r->nconfirmed > 0 && room_run_first(r) > c->jump_seq && r->more_before) {
		/* Sized to reach it (the server caps a page at its history_max);
		 * one request at a time: a page already out comes back here. */
		int64_t gap = room_run_first(r) - c->jump_seq + 10;
		c->hooks.history(c->hooks.ud, r->name, gap > INT_MAX ? INT_MAX : (int)gap);
		return;
	}
	jump_done(c);
	port_note(c->port, true, "message %lld of %s is no longer there",
	    (long long)c->jump_seq, r->name);
}

static void
jump(struct centre *c)
{
	struct inbox *ib = inbox(c);
	size_t i = selected_index(c);
	const struct inbox_item *it = inbox_at(ib, i);
	if (it == NULL)
		return;
	mark_read(c, it->id);
	const char *room;
	int64_t seq;
	if (!inbox_link(ib, i, &room, &seq)) {
		port_note(c->port, false, "this notification is about no room");
		return;
	}
	char *copy = xstrdup(room);
	free(c->jump_room);
	c->jump_room = copy;
	c->jump_seq = seq;
	c->jump_wait = true;
	c->jump_go = false;
	close_centre(c);
	c->hooks.show_room(c->hooks.ud, copy); /* joins it when needed */
	jump_resolve(c);
}

/* ---- keys ---------------------------------------------------------------- */

static void
move(struct centre *c, long by)
{
	select_index(c, (long)selected_index(c) + by);
}

static long
page_size(struct centre *c)
{
	return c->rows > 2 ? c->rows - 1 : 1;
}

static void
letter(struct centre *c, const char *text)
{
	struct inbox *ib = inbox(c);
	switch (text[0]) {
	case 'j': move(c, 1); break;
	case 'k': move(c, -1); break;
	case 'g': select_index(c, 0); break;
	case 'G': select_index(c, (long)inbox_count(ib) - 1); break;
	case 'r': {
		const struct inbox_item *it = inbox_at(ib, selected_index(c));
		if (it != NULL)
			mark_read(c, it->id);
		move(c, 1);
		break;
	}
	case 'a': case 'R': mark_all_read(c); break;
	case 'q': close_centre(c); break;
	default: break;
	}
}

bool
centre_key(struct centre *c, const struct ui_intent *in)
{
	if (!c->open)
		return false;
	switch (in->kind) {
	case UI_CENTRE: case UI_ESCAPE: close_centre(c); return true;
	case UI_HISTORY_PREV: move(c, -1); return true;
	case UI_HISTORY_NEXT: move(c, 1); return true;
	case UI_SCROLL: move(c, -in->n); return true;
	case UI_SCROLL_PAGE: move(c, -in->n * page_size(c)); return true;
	case UI_SUBMIT: jump(c); return true;
	case UI_INSERT: letter(c, in->text); return true;
	case UI_EDIT:
		if (in->op == EDIT_HOME)
			select_index(c, 0);
		else if (in->op == EDIT_END)
			select_index(c, (long)inbox_count(inbox(c)) - 1);
		return true;
	case UI_ROOM: case UI_ROOM_NEXT: case UI_ROOM_PREV:
	case UI_DOC_FOCUS: case UI_DOC_LAYOUT:
		close_centre(c);   /* and the key does what it does */
		return false;
	case UI_QUIT: case UI_FOCUS: case UI_REDRAW: case UI_TOGGLE_PANES:
		return false;
	default:
		return true;       /* typing waits until the centre is closed */
	}
}

void
centre_command(struct centre *c, const char *args)
{
	if (*args == '\0') {
		open_centre(c);
	} else if (strcmp(args, "read") == 0) {
		mark_all_read(c);
	} else {
		port_note(c->port, true, "usage: /notifications [read]");
	}
}

/* ---- the network --------------------------------------------------------- */

void
centre_offline(struct centre *c)
{
	c->online = false;
	c->page_cid[0] = '\0';
}

void
centre_welcome(struct centre *c)
{
	c->online = true;
	c->page_cid[0] = '\0';
	request_page(c, 0);
	jump_resolve(c);
}

void
centre_frame(struct centre *c, const struct proto_frame *f)
{
	switch (f->type) {
	case PT_NOTIFICATIONS:
		if (f->cid && strcmp(f->cid, c->page_cid) == 0)
			c->page_cid[0] = '\0';
		maybe_load_older(c);
		break;
	case PT_HISTORY:
		/* any room's: a page of another room may have held back ours */
		jump_resolve(c);
		break;
	case PT_JOINED:
		if (c->jump_room && f->room &&
		    strcmp(f->room, c->jump_room) == 0)
			jump_resolve(c);
		break;
	default:
		break;
	}
}

/* ---- drawing ------------------------------------------------------------- */

const struct ui_centre *
centre_view(struct centre *c, struct ui_centre *buf)
{
	if (!c->open)
		return NULL;
	*buf = (struct ui_centre){
		.inbox = inbox(c),
		.selected = selected_index(c),
		.top = c->top,
		.loading = c->page_cid[0] != '\0',
		.now_ms = port_wall(c->port),
	};
	return buf;
}

/* The message of the last jump is marked while its room is shown. */
void
centre_mark(struct centre *c, int64_t *seq, bool *go)
{
	struct room *r = chat_current(c->chat);
	*seq = 0;
	*go = false;
	if (r == NULL || c->jump_room == NULL ||
	    strcmp(r->name, c->jump_room) != 0)
		return;
	*seq = c->jump_seq;
	*go = c->jump_go;
}

void
centre_drawn(struct centre *c, const struct ui_drawn *d)
{
	if (c->open) {
		c->top = d->centre_top;
		c->rows = d->centre_rows;
	}
	if (d->mark_shown)
		c->jump_go = false;
}
