/*
 * msgact: the message cursor and what it does to a message, and the
 * thread pane.
 *
 * Up in an empty input line (or Alt-Up) selects the newest message;
 * Up/Down move; Esc leaves, as does typing anything that is not one of
 * the actions: r (or Enter) opens the message's thread in the pane
 * beside the messages, e edits one of mine (the input line gets its text,
 * Enter sends EDIT), d deletes (after y/n), + opens the emoji picker
 * (a reaction, or its removal when I had reacted so), c copies its text
 * to the terminal's clipboard (OSC 52).
 *
 * The thread pane shows a root and its replies, and has an input line of
 * its own, where Enter replies in the thread (or saves the edit of a
 * reply, e in its cursor). F6 moves the keys between it and the room's
 * input line; Esc closes it. Its cursor (Up in its empty input line) does
 * the same actions.

 * Opening it asks the server for the replies (threadpage.c).
 *
 * Every change goes through the outbox (sendq), as messages do: kept
 * until its ACK, resent after a reconnect, never applied twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "model/msgcursor.h"
#include "model/xmalloc.h"

#define EMOJI_TEST "/usr/share/unicode/emoji/emoji-test.txt"

void
client_msgact_init(struct client *c)
{
	edit_init(&c->thread.input);
	char *path = xasprintf("%s/emoji-recent-%s", c->state_dir, c->cfg->user);
	picker_init(&c->picker, EMOJI_TEST, path);
	free(path);
}

void
client_msgact_free(struct client *c)
{
	free(c->cur.edit_room);
	free(c->cur.delete_room);
	free(c->thread.room);
	edit_free(&c->thread.input);
	picker_free(&c->picker);
}

bool
client_request(struct client *c, const char *cid, char *frame)
{
	bool encoded = frame != NULL;
	bool kept = encoded && sendq_add(&c->sendq, cid, frame);
	free(frame);
	if (!kept) {
		client_note(c, true, "cannot send that: %s", encoded ?
		    "the outbox cannot keep it" : "the request does not encode");
		return false;
	}
	c->chat->pending = sendq_len(&c->sendq);
	port_redraw(&c->port);
	return true;
}

/* ---- the actions ---------------------------------------------------------- */

static struct room_msg *
selected(struct client *c, struct room **rp, bool in_thread)
{
	struct room *r = chat_current(c->chat);
	*rp = r;
	int64_t seq = in_thread ? c->thread.seq : c->cur.seq;
	return r != NULL ? msgcursor_msg(r, seq) : NULL;
}

static bool
is_mine(struct client *c, const struct room_msg *m)
{
	return m->user != NULL && strcmp(m->user, c->chat->me) == 0;
}

static void
cursor_leave(struct client *c)
{
	c->cur.on = false;
	c->cur.go = false;
	c->thread.cursor = false;
}

/* ---- opening, closing, editing ------------------------------------------- */

static void
thread_open(struct client *c, struct room *r, const struct room_msg *m)
{
	client_thread_show(c, r->name, m->thread > 0 ? m->thread : m->seq);
	c->thread.focused = true;
	c->thread.cursor = false;
	cursor_leave(c);
}

static void
thread_close(struct client *c)
{
	client_thread_forget(c, true);
	free(c->thread.room);
	c->thread.room = NULL;
	c->thread.root = 0;
	c->thread.focused = false;
	c->thread.cursor = false;
	c->thread.editing = 0;
	edit_clear(&c->thread.input);
}

/* An edit starts in the input line of the view the message was chosen
 * in: a reply's in the thread pane's. */
static void
start_edit(struct client *c, struct room *r, struct room_msg *m,
    bool in_thread)
{
	if (!is_mine(c, m)) {
		client_note(c, true, "only your own messages can be edited");
		return;
	}
	if (in_thread) {
		c->thread.editing = m->seq;
		edit_set(&c->thread.input, m->text);
		c->thread.focused = true;
	} else {
		free(c->cur.edit_room);
		c->cur.edit_room = xstrdup(r->name);
		c->cur.editing = m->seq;
		edit_set(&c->input.edit, m->text);
		c->thread.focused = false;
	}
	cursor_leave(c);
	client_note(c, false, "editing your message: Enter saves it, Esc "
	    "leaves it as it was");
}

static void
ask_delete(struct client *c, struct room *r, struct room_msg *m)
{
	free(c->cur.delete_room);
	c->cur.delete_room = xstrdup(r->name);
	c->cur.deleting = m->seq;
	snprintf(c->prompt, sizeof c->prompt, "delete this message? (y/n)");
}

static void
copy(struct client *c, const struct room_msg *m)
{
	if (c->port.copy == NULL)
		return;
	c->port.copy(c->port.ud, m->text);
	client_note(c, false, "copied the message's text to the clipboard");
}

static void
react(struct client *c, const char *room, int64_t seq, const char *emoji)
{
	struct room *r = chat_room(c->chat, room);
	struct room_msg *m = r != NULL ? msgcursor_msg(r, seq) : NULL;
	if (m == NULL)
		return;
	bool on = !room_reacted(m, emoji, c->chat->me);
	char cid[17];
	outbox_new_cid(cid);
	if (client_request(c, cid, chat_react_frame(cid, room, seq, emoji, on)))
		picker_used(&c->picker, emoji);
}

/* One of the keys that act on the selected message; false for others. */
static bool
act(struct client *c, const struct ui_intent *in, bool in_thread)
{
	struct room *r;
	struct room_msg *m = selected(c, &r, in_thread);
	char k = in->kind == UI_SUBMIT ? 'r' : in->kind == UI_INSERT &&
	    in->text[0] != '\0' && in->text[1] == '\0' ? in->text[0] : 0;
	if (k == 0 || strchr("redc+", k) == NULL)
		return false;
	if (m == NULL || m->deleted) {
		cursor_leave(c);
		return true;
	}
	switch (k) {
	case 'r':
		if (!in_thread)
			thread_open(c, r, m);
		break;
	case 'e': start_edit(c, r, m, in_thread); break;
	case 'd': ask_delete(c, r, m); break;
	case 'c': copy(c, m); break;
	case '+': picker_open(&c->picker, r->name, m->seq); break;
	}
	cursor_leave(c); /* done with the message: back to the input line */
	return true;
}

/* Moves a cursor over a view (thread 0: the room's timeline); false when
 * it went past the newest message (it is off then). */
static bool
step(struct room *r, int64_t thread, int64_t *seq, int dir)
{
	int64_t next = msgcursor_step(r, thread, *seq, dir);
	if (next == 0)
		return false;
	*seq = next;
	return true;
}

static bool
cursor_key(struct client *c, struct ui_intent *in)
{
	struct room *r = chat_current(c->chat);
	if (r == NULL) {
		cursor_leave(c);
		return false;
	}
	switch (in->kind) {
	case UI_HISTORY_PREV: case UI_CURSOR:
		step(r, 0, &c->cur.seq, -1);
		c->cur.go = true;
		return true;
	case UI_HISTORY_NEXT:
		if (!step(r, 0, &c->cur.seq, 1))
			cursor_leave(c);
		c->cur.go = c->cur.on;
		return true;
	case UI_ESCAPE: cursor_leave(c); return true;
	case UI_SCROLL: case UI_SCROLL_PAGE: case UI_FOCUS: case UI_REDRAW:
	case UI_QUIT:
		return false;
	default: break;
	}
	if (act(c, in, false))
		return true;
	cursor_leave(c);
	return false; /* typing goes on into the input line */
}

static void
cursor_enter(struct client *c)
{
	struct room *r = chat_current(c->chat);
	int64_t seq = r != NULL ? msgcursor_last(r, 0) : 0;
	if (seq == 0)
		return;
	c->cur.on = true;
	c->cur.seq = seq;
	c->cur.go = true;
}

/* ---- the thread pane ------------------------------------------------------ */

static void
reply(struct client *c)
{
	struct room *r = chat_room(c->chat, c->thread.room);
	const char *text = c->thread.input.buf;
	if (r == NULL || *text == '\0')
		return;
	char cid[17];
	outbox_new_cid(cid);
	if (c->thread.editing != 0) {
		client_request(c, cid, chat_edit_frame(cid, r->name,
		    c->thread.editing, text));
		c->thread.editing = 0;
		edit_clear(&c->thread.input);
		return;
	}
	char *frame = chat_reply_frame(cid, r->name, text, c->thread.root);
	if (client_request(c, cid, frame))
		room_add_pending_reply(r, cid, text, c->thread.root,
		    port_wall(&c->port));
	edit_clear(&c->thread.input);
}

static bool
thread_cursor_key(struct client *c, struct ui_intent *in)
{
	struct room *r = chat_current(c->chat);
	switch (in->kind) {
	case UI_HISTORY_PREV: case UI_CURSOR:
		step(r, c->thread.root, &c->thread.seq, -1);
		return true;
	case UI_HISTORY_NEXT:
		if (!step(r, c->thread.root, &c->thread.seq, 1))
			c->thread.cursor = false;
		return true;
	case UI_ESCAPE: c->thread.cursor = false; return true;
	default: break;
	}
	if (!act(c, in, true))
		c->thread.cursor = false;
	return true;
}

static bool
thread_key(struct client *c, struct ui_intent *in)
{
	struct room *r = chat_current(c->chat);
	if (c->thread.room == NULL || r == NULL ||
	    strcmp(r->name, c->thread.room) != 0)
		return false;
	if (in->kind == UI_PANE_FOCUS) {
		c->thread.focused = !c->thread.focused;
		cursor_leave(c);
		return true;
	}
	if (!c->thread.focused)
		return false;
	if (c->thread.cursor && thread_cursor_key(c, in))
		return true;
	struct edit *e = &c->thread.input;
	switch (in->kind) {
	case UI_INSERT: edit_insert(e, in->text, strlen(in->text)); return true;
	case UI_PASTE: edit_insert(e, in->text, strlen(in->text)); return true;
	case UI_NEWLINE: edit_insert(e, "\n", 1); return true;
	case UI_EDIT: edit_apply(e, (enum edit_op)in->op); return true;
	case UI_SUBMIT: reply(c); return true;
	case UI_ESCAPE:
		if (c->thread.editing == 0) {
			thread_close(c);
			return true;
		}
		c->thread.editing = 0;
		edit_clear(e);
		client_note(c, false, "edit dropped: the message is as it was");
		return true;
	case UI_CURSOR: case UI_HISTORY_PREV:
		if (in->kind == UI_HISTORY_PREV && e->len > 0)
			return true;
		c->thread.seq = msgcursor_last(r, c->thread.root);
		c->thread.cursor = c->thread.seq != 0;
		return true;
	case UI_SCROLL:
		c->thread.scroll += in->n;
		if (c->thread.scroll < 0)
			c->thread.scroll = 0;
		return true;
	case UI_SCROLL_PAGE:
		c->thread.scroll += in->n * 10;
		if (c->thread.scroll < 0)
			c->thread.scroll = 0;
		return true;
	default: return false;
	}
}

/* ---- keys ------------------------------------------------------------------ */

/* While a deletion waits for its y/n, keys answer it. */
static bool
answer_delete(struct client *c, struct ui_intent *in)
{
	if (c->cur.deleting == 0)
		return false;
	if (in->kind == UI_FOCUS || in->kind == UI_REDRAW)
		return true;
	bool yes = in->kind == UI_INSERT && (in->text[0] == 'y' ||
	    in->text[0] == 'Y');
	if (yes) {
		char cid[17];
		outbox_new_cid(cid);
		client_request(c, cid, chat_delete_frame(cid, c->cur.delete_room,
		    c->cur.deleting));
	} else {
		client_note(c, false, "not deleted");
	}
	if (in->kind == UI_QUIT)
		c->quit = true;
	c->cur.deleting = 0;
	c->prompt[0] = '\0';
	cursor_leave(c);
	return true;
}

static bool
picker_keys(struct client *c, struct ui_intent *in)
{
	char chosen[80];
	switch (picker_key(&c->picker, in, chosen, sizeof chosen)) {
	case PICKER_NOT_MINE: return false;
	case PICKER_KEPT: return true;
	case PICKER_PICKED:
		react(c, c->picker.room, c->picker.seq, chosen);
		return true;
	}
	return false;
}

bool
client_msgact_key(struct client *c, struct ui_intent *in)
{
	if (picker_keys(c, in) || answer_delete(c, in) || thread_key(c, in))
		return true;
	if (c->cur.on)
		return cursor_key(c, in);
	switch (in->kind) {
	case UI_CURSOR:
		cursor_enter(c);
		return true;
	case UI_HISTORY_PREV:
		if (c->input.edit.len > 0)
			return false; /* in the input's history: Up goes on */
		cursor_enter(c);
		return true;
	case UI_HISTORY_BACK:
		inputline_browse(&c->input, chat_current(c->chat) ?
		    chat_current(c->chat)->name : "", -1);
		return true;
	case UI_HISTORY_FWD:
		inputline_browse(&c->input, chat_current(c->chat) ?
		    chat_current(c->chat)->name : "", 1);
		return true;
	case UI_ESCAPE:
		if (c->cur.editing == 0)
			return false;
		c->cur.editing = 0;
		edit_clear(&c->input.edit);
		client_note(c, false, "edit dropped: the message is as it was");
		return true;
	default:
		return false;
	}
}

bool
client_msgact_submit(struct client *c, const char *line)
{
	if (c->cur.editing == 0 || line[0] == '/')
		return false;
	int64_t seq = c->cur.editing;
	c->cur.editing = 0;
	char cid[17];
	outbox_new_cid(cid);
	client_request(c, cid, chat_edit_frame(cid, c->cur.edit_room, seq, line));
	return true;
}

/* ---- the screen ------------------------------------------------------------ */

/* A selection that moved changes two messages' rows (who reacted shows on
 * the selected one): the room measures both again. */
static void
selection_moved(struct room *r, int64_t *shown, int64_t now)
{
	if (*shown == now)
		return;
	if (r != NULL) {
		room_touch(r, *shown);
		room_touch(r, now);
	}
	*shown = now;
}

/* A jump (a notification, /find) to a reply, which the room's timeline
 * leaves to its thread: the thread opens with the reply selected. */
static void
mark_in_thread(struct client *c, struct room *r, struct ui_view *v)
{
	struct room_msg *m = r != NULL && v->mark_seq > 0 && !c->cur.on ?
	    msgcursor_msg(r, v->mark_seq) : NULL;
	if (m == NULL || m->thread == 0)
		return;
	if (c->thread.room == NULL || strcmp(c->thread.room, r->name) != 0 ||
	    c->thread.root != m->thread || c->thread.seq != m->seq) {
		client_thread_show(c, r->name, m->thread);
		c->thread.focused = false;
		c->thread.cursor = true;
		c->thread.seq = m->seq;
	}
	if (!c->search.active)
		centre_unmark(&c->centre);
	v->mark_seq = 0;
	v->goto_mark = false;
}

void
client_msgact_view(struct client *c, struct ui_view *v)
{
	struct room *r = chat_current(c->chat);
	mark_in_thread(c, r, v);
	selection_moved(r, &c->cur.shown, c->cur.on ? c->cur.seq : 0);
	selection_moved(r, &c->cur.tshown, c->thread.cursor ? c->thread.seq : 0);
	if (c->cur.on) {
		v->selected = c->cur.seq;
		v->mark_seq = c->cur.seq;
		v->goto_mark = c->cur.go;
	}
	const struct room_msg *own = r != NULL ? room_last_own(r) : NULL;
	v->seen_seq = own != NULL && r->nreceipts > 0 ? own->seq : 0;
	v->list = picker_view(&c->picker);
	if (c->thread.room != NULL && r != NULL &&
	    strcmp(r->name, c->thread.room) == 0) {
		const struct room_msg *root = msgcursor_msg(r, c->thread.root);
		size_t n = 0;
		for (size_t i = room_seq_index(r, c->thread.root); i < r->nmsgs; i++)
			n += r->msgs[i]->thread == c->thread.root;
		/* older replies the pane has not fetched yet count too */
		if (root != NULL && root->x != NULL && root->x->replies > (int64_t)n)
			n = (size_t)root->x->replies;
		snprintf(c->thread.title, sizeof c->thread.title,
		    "thread \xc2\xb7 %zu repl%s%s%.60s", n, n == 1 ? "y" : "ies",
		    root ? " \xc2\xb7 " : "", root ? root->text : "");
		c->thread_view = (struct ui_thread){ .root = c->thread.root,
		    .input = &c->thread.input, .focused = c->thread.focused,
		    .scroll = c->thread.scroll,
		    .selected = c->thread.cursor ? c->thread.seq : 0,
		    .title = c->thread.title };
		v->thread = &c->thread_view;
	}
}

void
client_msgact_drawn(struct client *c, const struct ui_drawn *d)
{
	if (c->cur.on && d->mark_shown)
		c->cur.go = false;
	if (c->thread.room == NULL)
		return;
	/* scrolled as far as it goes: the top of what is held shows, and
	 * the server may have older replies */
	if (c->thread.scroll > d->thread_scroll)
		client_thread_older(c);
	c->thread.scroll = d->thread_scroll;
}
