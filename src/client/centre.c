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

#include "client/app.h"
#include "model/inbox.h"

#define NEAR_END 5            /* entries from the end that load the next page */

static struct inbox *
inbox(struct app *a)
{
	return a->chat->inbox;
}

static size_t
selected_index(struct app *a)
{
	struct inbox *ib = inbox(a);
	size_t n = inbox_count(ib);
	if (n == 0 || a->centre.selected == 0)
		return 0;
	size_t i = inbox_find(ib, a->centre.selected);
	if (i != (size_t)-1)
		return i;
	/* gone (dropped with an older page): the next older one held */
	for (i = 0; i < n && inbox_at(ib, i)->id > a->centre.selected; i++)
		;
	return i < n ? i : n - 1;
}

static void
request_page(struct app *a, int64_t before)
{
	if (a->centre.page_cid[0] || !a->welcomed)
		return;
	char cid[17];
	outbox_new_cid(cid);
	char *f = inbox_page_frame(cid, before, INBOX_PAGE);
	if (f != NULL && app_send(a, f))
		memcpy(a->centre.page_cid, cid, sizeof cid);
	free(f);
}

/* Near the end of what is held, the next older page is asked for. */
static void
maybe_load_older(struct app *a)
{
	struct inbox *ib = inbox(a);
	size_t n = inbox_count(ib);
	if (a->centre.open && ib->more && selected_index(a) + NEAR_END >= n)
		request_page(a, inbox_oldest(ib));
}

static void
select_index(struct app *a, long i)
{
	struct inbox *ib = inbox(a);
	long n = (long)inbox_count(ib);
	if (n == 0)
		return;
	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	a->centre.selected = inbox_at(ib, (size_t)i)->id;
	maybe_load_older(a);
}

/* Queues MARK_READ or MARK_ALL_READ (build) of arg in the outbox. */
static void
queue_mark(struct app *a, char *(*build)(const char *cid, int64_t arg),
    int64_t arg)
{
	char cid[17];
	outbox_new_cid(cid);
	char *f = build(cid, arg);
	if (!app_queue(a, cid, f))
		app_note(a, true, "cannot keep the read mark in %s", a->outbox->path);
	free(f);
}

static void
mark_read(struct app *a, int64_t id)
{
	if (inbox_mark_read(inbox(a), id))
		queue_mark(a, inbox_mark_read_frame, id);
}

static void
mark_all_read(struct app *a)
{
	struct inbox *ib = inbox(a);
	if (inbox_unread(ib) == 0) {
		app_note(a, false, "no unread notifications");
		return;
	}
	/* Up to the newest held: one that came meanwhile stays unread. With
	 * none held yet (the page has not come), every one. */
	int64_t upto = inbox_count(ib) ? inbox_newest(ib) : -1;
	inbox_mark_all_read(ib, upto);
	queue_mark(a, inbox_mark_all_read_frame, upto);
}

static void
open_centre(struct app *a)
{
	a->centre.open = true;
	a->centre.selected = 0;
	a->centre.top = 0;
	if (inbox_count(inbox(a)) == 0)
		request_page(a, 0);
	a->dirty = true;
}

static void
close_centre(struct app *a)
{
	a->centre.open = false;
	a->dirty = true;
}

void
centre_toggle(struct app *a)
{
	if (a->centre.open)
		close_centre(a);
	else
		open_centre(a);
}

void
centre_unmark(struct app *a)
{
	free(a->centre.jump_room);
	a->centre.jump_room = NULL;
	a->centre.jump_wait = a->centre.jump_go = false;
}

/* ---- jumping to a message ------------------------------------------------ */

static void
jump_done(struct app *a)
{
	a->centre.jump_wait = false;
}

/*
 * Goes on with a jump: once the room is joined, either the message is held
 * (the next draw scrolls to it), or older history is asked for in pages
 * sized to reach it, or the room holds nothing older and the message is
 * gone.
 */
static void
jump_resolve(struct app *a)
{
	struct centre *c = &a->centre;
	if (!c->jump_wait || c->jump_room == NULL)
		return;
	struct room *r = chat_room(a->chat, c->jump_room);
	if (r == NULL) {          /* left meanwhile */
		jump_done(a);
		return;
	}
	if (!r->joined)
		return;               /* JOINED, then this again */
	if (c->jump_seq <= 0 || room_holds_seq(r, c->jump_seq)) {
		jump_done(a);
		c->jump_go = c->jump_seq > 0;
		a->dirty = true;
		return;
	}
	if (r->nconfirmed > 0 && r->msgs[0].seq > c->jump_seq && r->more_before) {
		/* Sized to reach it (the server caps a page at its history_max);
		 * one request at a time: a page already out comes back here. */
		int64_t gap = r->msgs[0].seq - c->jump_seq + 10;
		app_request_history_of(a, r, gap > INT_MAX ? INT_MAX : (int)gap);
		return;
	}
	jump_done(a);
	app_note(a, true, "message %lld of %s is no longer there",
	    (long long)c->jump_seq, r->name);
}

static void
jump(struct app *a)
{
	struct inbox *ib = inbox(a);
	size_t i = selected_index(a);
	const struct inbox_item *it = inbox_at(ib, i);
	if (it == NULL)
		return;
	mark_read(a, it->id);
	const char *room;
	int64_t seq;
	if (!inbox_link(ib, i, &room, &seq)) {
		app_note(a, false, "this notification is about no room");
		return;
	}
	char *copy = strdup(room);
	if (copy == NULL)
		return;
	free(a->centre.jump_room);
	a->centre.jump_room = copy;
	a->centre.jump_seq = seq;
	a->centre.jump_wait = true;
	a->centre.jump_go = false;
	close_centre(a);
	app_join(a, copy);   /* shows it; joins it when needed */
	jump_resolve(a);
}

/* ---- keys ---------------------------------------------------------------- */

static void
move(struct app *a, long by)
{
	select_index(a, (long)selected_index(a) + by);
}

static long
page_size(struct app *a)
{
	return a->centre.rows > 2 ? a->centre.rows - 1 : 1;
}

static void
letter(struct app *a, const char *text)
{
	struct inbox *ib = inbox(a);
	switch (text[0]) {
	case 'j': move(a, 1); break;
	case 'k': move(a, -1); break;
	case 'g': select_index(a, 0); break;
	case 'G': select_index(a, (long)inbox_count(ib) - 1); break;
	case 'r': {
		const struct inbox_item *it = inbox_at(ib, selected_index(a));
		if (it != NULL)
			mark_read(a, it->id);
		move(a, 1);
		break;
	}
	case 'a': case 'R': mark_all_read(a); break;
	case 'q': close_centre(a); break;
	default: break;
	}
}

bool
centre_key(struct app *a, const struct ui_intent *in)
{
	if (!a->centre.open)
		return false;
	switch (in->kind) {
	case UI_CENTRE: case UI_ESCAPE: close_centre(a); return true;
	case UI_HISTORY_PREV: move(a, -1); return true;
	case UI_HISTORY_NEXT: move(a, 1); return true;
	case UI_SCROLL: move(a, -in->n); return true;
	case UI_SCROLL_PAGE: move(a, -in->n * page_size(a)); return true;
	case UI_SUBMIT: jump(a); return true;
	case UI_INSERT: letter(a, in->text); return true;
	case UI_EDIT:
		if (in->op == EDIT_HOME)
			select_index(a, 0);
		else if (in->op == EDIT_END)
			select_index(a, (long)inbox_count(inbox(a)) - 1);
		return true;
	case UI_ROOM: case UI_ROOM_NEXT: case UI_ROOM_PREV:
	case UI_DOC_FOCUS: case UI_DOC_LAYOUT:
		close_centre(a);   /* and the key does what it does */
		return false;
	case UI_QUIT: case UI_FOCUS: case UI_REDRAW: case UI_TOGGLE_PANES:
		return false;
	default:
		return true;       /* typing waits until the centre is closed */
	}
}

void
centre_command(struct app *a, const char *args)
{
	if (*args == '\0') {
		open_centre(a);
	} else if (strcmp(args, "read") == 0) {
		mark_all_read(a);
	} else {
		app_note(a, true, "usage: /notifications [read]");
	}
}

/* ---- the network --------------------------------------------------------- */

void
centre_welcome(struct app *a)
{
	a->centre.page_cid[0] = '\0';
	request_page(a, 0);
	jump_resolve(a);
}

void
centre_frame(struct app *a, const struct proto_frame *f)
{
	switch (f->type) {
	case PT_NOTIFICATIONS:
		if (f->cid && strcmp(f->cid, a->centre.page_cid) == 0)
			a->centre.page_cid[0] = '\0';
		maybe_load_older(a);
		break;
	case PT_HISTORY:
		/* any room's: a page of another room may have held back ours */
		jump_resolve(a);
		break;
	case PT_JOINED:
		if (a->centre.jump_room && f->room &&
		    strcmp(f->room, a->centre.jump_room) == 0)
			jump_resolve(a);
		break;
	default:
		break;
	}
}

/* ---- drawing ------------------------------------------------------------- */

const struct ui_centre *
centre_view(struct app *a, struct ui_centre *buf)
{
	if (!a->centre.open)
		return NULL;
	*buf = (struct ui_centre){
		.inbox = inbox(a),
		.selected = selected_index(a),
		.top = a->centre.top,
		.loading = a->centre.page_cid[0] != '\0',
		.now_ms = app_wall_ms(),
	};
	return buf;
}

/* The message of the last jump is marked while its room is shown. */
void
centre_mark(struct app *a, int64_t *seq, bool *go)
{
	struct room *r = chat_current(a->chat);
	*seq = 0;
	*go = false;
	if (r == NULL || a->centre.jump_room == NULL ||
	    strcmp(r->name, a->centre.jump_room) != 0)
		return;
	*seq = a->centre.jump_seq;
	*go = a->centre.jump_go;
}

void
centre_drawn(struct app *a, const struct ui_drawn *d)
{
	if (a->centre.open) {
		a->centre.top = d->centre_top;
		a->centre.rows = d->centre_rows;
	}
	if (d->mark_shown)
		a->centre.jump_go = false;
}
