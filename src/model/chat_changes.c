/*
 * chat_changes: the frames of messages' changes and read marks folded
 * into the chat state (threads' replies, reactions, edits, deletions,
 * receipts, topics, the read marks of the user's other sessions), and the
 * frames the client sends for them (see chat.h).
 */
#include "model/chat.h"

#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

/* A reply new to the room counts on its root, unless the root came in the
 * same frame (its count already has it). */
static bool
in_frame(const struct proto_frame *f, int64_t seq)
{
	for (size_t i = 0; i < f->nmessages; i++)
		if (f->messages[i].seq == seq)
			return true;
	return false;
}

void
chat_joined_extras(struct chat *c, struct room *r, const struct proto_frame *f,
    const bool *was_held, bool fresh)
{
	(void)c;
	for (size_t i = 0; i < f->nmessages; i++) {
		const struct proto_message *m = &f->messages[i];
		if (m->thread > 0 && !was_held[i] && !in_frame(f, m->thread))
			room_note_reply(r, m->thread, m->ts);
	}
	if (f->has_rev && fresh)
		room_note_rev(r, f->rev);
	room_set_receipts(r, f->receipts, f->nreceipts);
	room_set_topic(r, f->topic);
	if (f->has_read) {
		/* the server's mark is the truth, over a first sight's guess */
		r->read_seq = f->read > 0 ? f->read : 0;
		room_apply_server_read(r, f->read, f->has_unread ? f->unread : 0);
		if (f->read > r->sent_read)
			r->sent_read = f->read; /* the server has it already */
	}
}

static void
apply_reaction(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	room_apply_reaction(r, f->seq, f->emoji, f->user, f->on, f->count);
	room_note_rev(r, f->rev);
}

static void
apply_edited(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	room_apply_edit(r, f->seq, f->text, f->edited_ts);
	room_note_rev(r, f->rev);
}

static void
apply_deleted(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	room_apply_delete(r, f->seq);
	room_note_rev(r, f->rev);
}

static void
apply_receipt(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c, f->room);
	if (r != NULL)
		room_apply_receipt(r, f->user, f->seq);
}

static void
apply_topic(struct chat *c, const struct proto_frame *f, int64_t now)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	room_set_topic(r, f->text);
	if (f->text != NULL && *f->text)
		chat_notice(c, f->room, false, now, "%s set the topic: %s",
		    f->by ? f->by : "someone", f->text);
	else
		chat_notice(c, f->room, false, now, "%s cleared the topic",
		    f->by ? f->by : "someone");
}

/* READ from another session of mine: what it read is read here too. */
static void
apply_read(struct chat *c, const struct proto_frame *f)
{
	struct room *r = chat_room(c, f->room);
	if (r == NULL)
		return;
	room_apply_server_read(r, f->seq, f->has_unread ? f->unread : 0);
	if (chat_current(c) == r)
		room_mark_read(r); /* shown here: read here, whatever came before */
	if (r->sent_read < f->seq)
		r->sent_read = f->seq; /* the server has it: no need to say it */
}

bool
chat_apply_change(struct chat *c, const struct proto_frame *f, int64_t now)
{
	switch (f->type) {
	case PT_REACTION: apply_reaction(c, f); return true;
	case PT_MESSAGE_EDITED: apply_edited(c, f); return true;
	case PT_MESSAGE_DELETED: apply_deleted(c, f); return true;
	case PT_RECEIPT: apply_receipt(c, f); return true;
	case PT_TOPIC: apply_topic(c, f, now); return true;
	case PT_READ: apply_read(c, f); return true;
	default: return false;
	}
}

/* ---- frames sent ---------------------------------------------------------- */

char *
chat_reply_frame(const char *cid, const char *room, const char *text,
    int64_t thread)
{
	struct proto_frame f = proto_frame_of(PT_MESSAGE);
	f.cid = cid;
	f.room = room;
	f.text = text;
	f.thread = thread;
	f.has_thread = thread > 0;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
chat_thread_frame(const char *room, int64_t root, int64_t before, int limit)
{
	struct proto_frame f = proto_frame_of(PT_THREAD);
	f.room = room;
	f.root = root;
	f.has_root = true;
	f.before = before;
	f.has_before = before > 0;
	f.limit = limit;
	f.has_limit = limit > 0;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
chat_react_frame(const char *cid, const char *room, int64_t seq,
    const char *emoji, bool on)
{
	struct proto_frame f = proto_frame_of(PT_REACT);
	f.cid = cid;
	f.room = room;
	f.seq = seq;
	f.has_seq = true;
	f.emoji = emoji;
	f.on = on;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
chat_edit_frame(const char *cid, const char *room, int64_t seq,
    const char *text)
{
	struct proto_frame f = proto_frame_of(PT_EDIT);
	f.cid = cid;
	f.room = room;
	f.seq = seq;
	f.has_seq = true;
	f.text = text;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
chat_delete_frame(const char *cid, const char *room, int64_t seq)
{
	struct proto_frame f = proto_frame_of(PT_DELETE);
	f.cid = cid;
	f.room = room;
	f.seq = seq;
	f.has_seq = true;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
chat_read_frame(const char *room, int64_t seq)
{
	struct proto_frame f = proto_frame_of(PT_READ);
	f.room = room;
	f.seq = seq;
	f.has_seq = true;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
chat_topic_frame(const char *cid, const char *room, const char *text)
{
	struct proto_frame f = proto_frame_of(PT_TOPIC);
	f.cid = cid;
	f.room = room;
	f.text = text;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
chat_search_frame(const char *cid, const char *text, int64_t before)
{
	struct proto_frame f = proto_frame_of(PT_SEARCH);
	f.cid = cid;
	f.text = text;
	f.before = before;
	f.has_before = before > 0;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
chat_rooms_frame(const char *cid, const char *query, const char *after)
{
	struct proto_frame f = proto_frame_of(PT_ROOMS);
	f.cid = cid;
	f.query = query != NULL && *query ? query : NULL;
	f.after = after;
	return proto_encode(&f, PROTO_TO_SERVER);
}
