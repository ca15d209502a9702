/*
 * threadpage: the thread pane's replies from the server.
 *
 * Opening the pane asks for the replies (THREAD, its newest page; older
 * pages as the pane scrolls to its top while the server has more), and
 * for the root alone when it is older than what the room holds (a HISTORY
 * of one, before root + 1, with a cid: the room's own pages go without).
 * A thread found by /search or a notification may be far older than the
 * room's history on screen, and paging the whole room back to it would
 * hold every line in between. What the room's run of seqs does not hold
 * is kept as loose messages (model/room.h) until the pane closes, and
 * the room's limit keeps the shown thread's lines. A request goes once:
 * its answer, an ERROR for it, or the link going (asked again after the
 * JOINED) ends it; an answer for a thread no longer shown is dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "model/xmalloc.h"

static struct room *
thread_room(struct client *c)
{
	return c->thread.room != NULL ? chat_room(c->chat, c->thread.room) :
	    NULL;
}

/* Asks for the newest page of replies, or (older) the page before the
 * oldest one given, and, once, for a root the room does not hold. */
static void
thread_fetch(struct client *c, bool older)
{
	struct room *r = thread_room(c);
	if (r == NULL || !r->joined)
		return;
	bool want = older ? c->thread.fetched && c->thread.more :
	    !c->thread.fetched;
	if (c->thread.cid[0] == '\0' && want) {
		char cid[17];
		outbox_new_cid(cid);
		struct proto_frame f = proto_frame_of(PT_THREAD);
		f.cid = cid;
		f.room = r->name;
		f.root = c->thread.root;
		f.has_root = true;
		f.before = c->thread.fetched ? c->thread.before : 0;
		f.has_before = f.before > 0;
		f.limit = c->cfg->history_page;
		f.has_limit = f.limit > 0;
		char *frame = proto_encode(&f, PROTO_TO_SERVER);
		if (frame != NULL && port_send(&c->port, frame))
			memcpy(c->thread.cid, cid, sizeof cid);
		free(frame);
	}
	if (!c->thread.root_asked && !room_holds_seq(r, c->thread.root)) {
		char cid[17];
		outbox_new_cid(cid);
		struct proto_frame f = proto_frame_of(PT_HISTORY);
		f.cid = cid;
		f.room = r->name;
		f.before = c->thread.root + 1;
		f.has_before = true;
		f.limit = 1;
		f.has_limit = true;
		char *frame = proto_encode(&f, PROTO_TO_SERVER);
		if (frame != NULL && port_send(&c->port, frame)) {
			memcpy(c->thread.root_cid, cid, sizeof cid);
			c->thread.root_asked = true;
		}
		free(frame);
	}
}

void
client_thread_forget(struct client *c, bool drop)
{
	struct room *r = thread_room(c);
	if (drop && r != NULL) {
		room_keep_thread(r, 0);
		room_drop_loose(r);
	}
	c->thread.cid[0] = '\0';
	c->thread.root_cid[0] = '\0';
	c->thread.root_asked = false;
	c->thread.fetched = false;
	c->thread.more = false;
	c->thread.before = 0;
}

void
client_thread_show(struct client *c, const char *room, int64_t root)
{
	if (c->thread.room == NULL || strcmp(c->thread.room, room) != 0 ||
	    c->thread.root != root) {
		client_thread_forget(c, true);
		free(c->thread.room);
		c->thread.room = xstrdup(room);
		c->thread.root = root;
		c->thread.editing = 0;
		edit_clear(&c->thread.input);
		struct room *r = thread_room(c);
		if (r != NULL)
			room_keep_thread(r, root);
	}
	c->thread.scroll = 0;
	thread_fetch(c, false);
	port_redraw(&c->port);
}

void
client_msgact_history(struct client *c)
{
	thread_fetch(c, false);
}

void
client_msgact_offline(struct client *c)
{
	/* what was on its way is asked again after the JOINED */
	c->thread.cid[0] = '\0';
	if (c->thread.root_cid[0] != '\0') {
		c->thread.root_cid[0] = '\0';
		c->thread.root_asked = false;
	}
}

static bool
is_thread_answer(struct client *c, const struct proto_frame *f)
{
	if (f->cid == NULL)
		return false;
	if (c->thread.cid[0] != '\0' && strcmp(f->cid, c->thread.cid) == 0)
		return true;
	return c->thread.root_cid[0] != '\0' &&
	    strcmp(f->cid, c->thread.root_cid) == 0;
}

bool
client_msgact_frame(struct client *c, const struct proto_frame *f)
{
	/* The room's own history pages go without a cid: a THREAD, or a
	 * HISTORY with a cid, that is not the one awaited is for a thread no
	 * longer shown. */
	if ((f->type == PT_THREAD || (f->type == PT_HISTORY && f->cid != NULL)) &&
	    !is_thread_answer(c, f))
		return true;
	if ((f->type != PT_THREAD && f->type != PT_HISTORY &&
	    f->type != PT_ERROR) || !is_thread_answer(c, f))
		return false;
	struct room *r = thread_room(c);
	if (f->type == PT_ERROR) {
		if (strcmp(f->cid, c->thread.root_cid) == 0) {
			c->thread.root_cid[0] = '\0'; /* asked once: not again */
		} else {
			c->thread.cid[0] = '\0';
			c->thread.fetched = true;
			c->thread.more = false; /* not asked again */
		}
		client_note(c, true, "cannot show the thread: %s", f->reason ?
		    f->reason : f->code);
		return true;
	}
	if (f->type == PT_HISTORY) {
		c->thread.root_cid[0] = '\0';
		for (size_t i = 0; r != NULL && i < f->nmessages; i++)
			if (f->messages[i].seq == c->thread.root)
				room_add_loose(r, &f->messages[i]);
		port_redraw(&c->port);
		return true;
	}
	c->thread.cid[0] = '\0';
	c->thread.fetched = true;
	c->thread.more = f->more;
	for (size_t i = 0; r != NULL && i < f->nmessages; i++) {
		const struct proto_message *m = &f->messages[i];
		if (m->thread != c->thread.root)
			continue;
		room_add_loose(r, m);
		if (c->thread.before == 0 || m->seq < c->thread.before)
			c->thread.before = m->seq;
	}
	if (f->nmessages == 0)
		c->thread.more = false;
	port_redraw(&c->port);
	return true;
}

void
client_thread_older(struct client *c)
{
	thread_fetch(c, true);
}
