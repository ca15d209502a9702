/*
 * room_changes: what happens to a message after it is sent (replies,
 * reactions, an edit, a deletion), and the room's read marks, receipts
 * and topic (see room.h).
 *
 * A message's later state lives in its extra, allocated on the first
 * change: a room of plain messages pays one pointer a line. An edit's
 * text goes there too (the body in the arena keeps the original, which
 * the arena cannot grow), and the message's text points at it.
 *
 * Reactions keep the server's count, which is the truth, and the names
 * it listed; a live REACTION adds or drops one name, so that the names
 * shown on selection follow what is seen. The local user's own reaction
 * is found by name, which is how the toggle knows to send on or off.
 */
#include "model/room.h"

#include <stdlib.h>
#include <string.h>

#include "model/room_impl.h"
#include "model/xmalloc.h"

#define USERS_MAX 10 /* names kept per emoji, as the server lists them */

static void
reaction_free(struct room_reaction *rc)
{
	free(rc->emoji);
	for (size_t i = 0; i < rc->nusers; i++)
		free(rc->users[i]);
	free(rc->users);
}

static void
reactions_clear(struct room_extra *x)
{
	for (size_t i = 0; i < x->nreactions; i++)
		reaction_free(&x->reactions[i]);
	free(x->reactions);
	x->reactions = NULL;
	x->nreactions = 0;
}

void
room_extra_free(struct room_extra *x)
{
	if (x == NULL)
		return;
	reactions_clear(x);
	free(x->text);
	free(x);
}

static struct room_extra *
extra(struct room_msg *m)
{
	if (m->x == NULL)
		m->x = xcalloc(1, sizeof *m->x);
	return m->x;
}

/* The held confirmed message seq, or NULL. */
static struct room_msg *
held(struct room *r, int64_t seq)
{
	size_t i = room_seq_index(r, seq);
	return i < r->nconfirmed && r->msgs[i]->seq == seq ? r->msgs[i] : NULL;
}

static void
changed(struct room *r, struct room_msg *m)
{
	m->changes++;
	m->view_gen = 0;
	r->edits++;
}

void
room_note_rev(struct room *r, int64_t rev)
{
	if (rev > r->rev)
		r->rev = rev;
}

/* ---- reactions ----------------------------------------------------------- */

static size_t
find_reaction(const struct room_extra *x, const char *emoji)
{
	for (size_t i = 0; x != NULL && i < x->nreactions; i++)
		if (strcmp(x->reactions[i].emoji, emoji) == 0)
			return i;
	return SIZE_MAX;
}

static size_t
find_user(const struct room_reaction *rc, const char *user)
{
	for (size_t i = 0; i < rc->nusers; i++)
		if (strcmp(rc->users[i], user) == 0)
			return i;
	return SIZE_MAX;
}

static void
add_user(struct room_reaction *rc, const char *user)
{
	if (find_user(rc, user) != SIZE_MAX || rc->nusers >= USERS_MAX)
		return;
	rc->users = xreallocarray(rc->users, rc->nusers + 1, sizeof *rc->users);
	rc->users[rc->nusers++] = xstrdup(user);
}

static void
drop_user(struct room_reaction *rc, const char *user)
{
	size_t i = find_user(rc, user);
	if (i == SIZE_MAX)
		return;
	free(rc->users[i]);
	memmove(&rc->users[i], &rc->users[i + 1],
	    (rc->nusers - i - 1) * sizeof *rc->users);
	rc->nusers--;
}

static void
drop_reaction(struct room_extra *x, size_t i)
{
	reaction_free(&x->reactions[i]);
	memmove(&x->reactions[i], &x->reactions[i + 1],
	    (x->nreactions - i - 1) * sizeof *x->reactions);
	x->nreactions--;
}

static struct room_reaction *
add_reaction(struct room_extra *x, const char *emoji)
{
	x->reactions = xreallocarray(x->reactions, x->nreactions + 1,
	    sizeof *x->reactions);
	struct room_reaction *rc = &x->reactions[x->nreactions++];
	*rc = (struct room_reaction){ .emoji = xstrdup(emoji) };
	return rc;
}

bool
room_apply_reaction(struct room *r, int64_t seq, const char *emoji,
    const char *user, bool on, int64_t count)
{
	struct room_msg *m = held(r, seq);
	if (m == NULL || emoji == NULL || *emoji == '\0' || m->deleted)
		return false;
	struct room_extra *x = extra(m);
	size_t i = find_reaction(x, emoji);
	if (count <= 0) {
		if (i == SIZE_MAX)
			return false;
		drop_reaction(x, i);
	} else {
		struct room_reaction *rc = i == SIZE_MAX ? add_reaction(x, emoji) :
		    &x->reactions[i];
		rc->count = count;
		if (user != NULL && on)
			add_user(rc, user);
		else if (user != NULL)
			drop_user(rc, user);
	}
	changed(r, m);
	return true;
}

bool
room_reacted(const struct room_msg *m, const char *emoji, const char *user)
{
	size_t i = user != NULL && emoji != NULL ? find_reaction(m->x, emoji) :
	    SIZE_MAX;
	return i != SIZE_MAX && find_user(&m->x->reactions[i], user) != SIZE_MAX;
}

/* ---- edits, deletions, replies ------------------------------------------- */

static void
set_text(struct room_msg *m, const char *text)
{
	struct room_extra *x = extra(m);
	char *copy = xstrdup(text);
	free(x->text);
	x->text = copy;
	m->text = copy;
}

bool
room_apply_edit(struct room *r, int64_t seq, const char *text,
    int64_t edited_ts)
{
	struct room_msg *m = held(r, seq);
	if (m == NULL || text == NULL || m->deleted)
		return false;
	set_text(m, text);
	extra(m)->edited_ts = edited_ts > 0 ? edited_ts : 1;
	m->mention = !room_is_me(r, m->user) && room_mentions(m->text, r->me);
	changed(r, m);
	return true;
}

static void
tombstone(struct room_msg *m)
{
	m->deleted = true;
	m->mention = false;
	if (m->x != NULL) {
		reactions_clear(m->x);
		free(m->x->text);
		m->x->text = NULL;
	}
	m->text = "";
}

bool
room_apply_delete(struct room *r, int64_t seq)
{
	struct room_msg *m = held(r, seq);
	if (m == NULL || m->deleted)
		return false;
	tombstone(m);
	changed(r, m);
	return true;
}

bool
room_note_reply(struct room *r, int64_t root, int64_t ts)
{
	struct room_msg *m = root > 0 ? held(r, root) : NULL;
	if (m == NULL)
		return false;
	struct room_extra *x = extra(m);
	x->replies++;
	if (ts > x->last_reply)
		x->last_reply = ts;
	changed(r, m);
	return true;
}

bool
room_add_pending_reply(struct room *r, const char *cid, const char *text,
    int64_t thread, int64_t now)
{
	if (!room_add_pending(r, cid, text, now))
		return false;
	room_find_cid(r, cid)->thread = thread > 0 ? thread : 0;
	return true;
}

/* Whether m's reactions are what pm lists. */
static bool
same_reactions(const struct room_msg *m, const struct proto_message *pm)
{
	size_t n = m->x ? m->x->nreactions : 0;
	if (n != pm->nreactions)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct room_reaction *a = &m->x->reactions[i];
		const struct proto_reaction *b = &pm->reactions[i];
		if (b->emoji == NULL || strcmp(a->emoji, b->emoji) != 0 ||
		    a->count != b->count || a->nusers != b->nusers)
			return false;
		for (size_t k = 0; k < a->nusers; k++)
			if (b->users[k] == NULL || strcmp(a->users[k], b->users[k]))
				return false;
	}
	return true;
}

static void
copy_reactions(struct room_msg *m, const struct proto_message *pm)
{
	struct room_extra *x = extra(m);
	reactions_clear(x);
	for (size_t i = 0; i < pm->nreactions; i++) {
		const struct proto_reaction *b = &pm->reactions[i];
		if (b->emoji == NULL || b->count <= 0 ||
		    find_reaction(x, b->emoji) != SIZE_MAX)
			continue;
		struct room_reaction *rc = add_reaction(x, b->emoji);
		rc->count = b->count;
		for (size_t k = 0; k < b->nusers; k++)
			if (b->users[k] != NULL)
				add_user(rc, b->users[k]);
	}
}

bool
room_sync_extra(struct room *r, struct room_msg *m,
    const struct proto_message *pm)
{
	bool diff = false;
	if (pm->deleted && !m->deleted) {
		tombstone(m);
		diff = true;
	}
	if (m->deleted) {
		if (diff)
			changed(r, m);
		return diff;
	}
	if (pm->edited_ts > 0 && pm->text != NULL &&
	    (m->x == NULL || m->x->edited_ts != pm->edited_ts)) {
		set_text(m, pm->text);
		m->x->edited_ts = pm->edited_ts;
		diff = true;
	}
	if ((pm->replies > 0 || (m->x && m->x->replies > 0)) &&
	    (m->x == NULL || m->x->replies != pm->replies ||
	    m->x->last_reply != pm->last_reply)) {
		extra(m)->replies = pm->replies > 0 ? pm->replies : 0;
		m->x->last_reply = pm->last_reply;
		diff = true;
	}
	if (!same_reactions(m, pm)) {
		copy_reactions(m, pm);
		diff = true;
	}
	if (diff)
		changed(r, m);
	return diff;
}

/* ---- read marks, receipts, topic ----------------------------------------- */

static void
count_mentions(struct room *r)
{
	r->mentions = 0;
	if (r->unread == 0)
		return;
	for (size_t i = room_seq_index(r, r->read_seq); i < r->nconfirmed; i++)
		if (r->msgs[i]->seq > r->read_seq && r->msgs[i]->mention)
			r->mentions++;
}

void
room_apply_server_read(struct room *r, int64_t seq, int64_t unread)
{
	if (seq > r->read_seq || !r->read_known)
		r->read_seq = seq < 0 ? 0 : seq;
	r->read_known = true;
	r->read_server = true;
	r->unread = unread < 0 ? 0 : unread > 999 ? 999 : (unsigned)unread;
	count_mentions(r);
}

static size_t
find_receipt(const struct room *r, const char *user)
{
	for (size_t i = 0; i < r->nreceipts; i++)
		if (strcmp(r->receipts[i].user, user) == 0)
			return i;
	return SIZE_MAX;
}

/* The last own message shows who has seen it: its rows change with the
 * receipts, so the pane measures it again. */
static void
own_changed(struct room *r)
{
	struct room_msg *m = (struct room_msg *)room_last_own(r);
	if (m != NULL)
		changed(r, m);
}

void
room_set_receipts(struct room *r, const struct proto_receipt *v, size_t n)
{
	for (size_t i = 0; i < r->nreceipts; i++)
		free(r->receipts[i].user);
	free(r->receipts);
	r->receipts = NULL;
	r->nreceipts = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].user != NULL)
			room_apply_receipt(r, v[i].user, v[i].seq);
	own_changed(r);
}

bool
room_apply_receipt(struct room *r, const char *user, int64_t seq)
{
	if (user == NULL)
		return false;
	size_t i = find_receipt(r, user);
	if (i == SIZE_MAX) {
		r->receipts = xreallocarray(r->receipts, r->nreceipts + 1,
		    sizeof *r->receipts);
		r->receipts[r->nreceipts++] = (struct room_receipt){ xstrdup(user),
		    seq };
	} else if (seq > r->receipts[i].seq) {
		r->receipts[i].seq = seq;
	} else {
		return false;
	}
	own_changed(r);
	return true;
}

size_t
room_seen_by(const struct room *r, int64_t seq, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nreceipts; i++) {
		if (room_is_me(r, r->receipts[i].user) || r->receipts[i].seq < seq)
			continue;
		if (n < max)
			out[n] = r->receipts[i].user;
		n++;
	}
	return n;
}

size_t
room_new_replies(const struct room *r, const struct room_msg *root)
{
	if (root->x == NULL || root->x->replies <= 0 || root->thread != 0 ||
	    (!r->read_known && !r->marked))
		return 0; /* no mark to be new after */
	int64_t since = r->marked ? r->marker : r->read_seq;
	if (since < root->seq)
		since = root->seq;
	size_t n = 0;
	/* a thread's replies are after its root, none later than its last
	 * reply: the walk stops there, not at the room's end */
	for (size_t i = room_seq_index(r, since); i < r->nconfirmed; i++) {
		const struct room_msg *m = r->msgs[i];
		if (m->ts > root->x->last_reply)
			break;
		if (m->seq > since && m->thread == root->seq && !m->deleted &&
		    !room_is_me(r, m->user))
			n++;
	}
	return n;
}

const struct room_msg *
room_last_own(const struct room *r)
{
	for (size_t i = r->nconfirmed; i-- > 0;) {
		const struct room_msg *m = r->msgs[i];
		if (m->thread == 0 && room_is_me(r, m->user))
			return m;
	}
	return NULL;
}

void
room_touch(struct room *r, int64_t seq)
{
	struct room_msg *m = seq > 0 ? held(r, seq) : NULL;
	if (m != NULL)
		changed(r, m);
}

void
room_set_topic(struct room *r, const char *topic)
{
	char *copy = topic != NULL && *topic ? xstrdup(topic) : NULL;
	free(r->topic);
	r->topic = copy;
}

/* ---- reading ------------------------------------------------------------- */

void
room_mark_read(struct room *r)
{
	int64_t seen = r->last_seq;
	if (r->nconfirmed > 0 && r->msgs[r->nconfirmed - 1]->seq > seen)
		seen = r->msgs[r->nconfirmed - 1]->seq;
	if (seen > r->read_seq)
		r->read_seq = seen;
	r->unread = 0;
	r->mentions = 0;
}

void
room_set_read(struct room *r, int64_t seq)
{
	if (!r->read_known || seq > r->read_seq)
		r->read_seq = seq < 0 ? 0 : seq;
	r->read_known = true;
}

void
room_see(struct room *r)
{
	if (r->unread > 0 && !r->marked) {
		r->marked = true;
		r->marker = r->read_seq;
	}
	room_mark_read(r);
}

void
room_unsee(struct room *r)
{
	r->marked = false;
}

size_t
room_marker_index(const struct room *r)
{
	if (!r->marked)
		return r->nmsgs;
	for (size_t i = room_seq_index(r, r->marker); i < r->nconfirmed; i++)
		if (r->msgs[i]->seq > r->marker && !room_is_me(r, r->msgs[i]->user) &&
		    r->msgs[i]->thread == 0 && /* replies are in their thread */
		    !r->msgs[i]->loose)
			return i;
	return r->nmsgs;
}

size_t
room_first_unread(const struct room *r)
{
	/* Seqs come from the wire: read_seq + 1 could overflow. */
	for (size_t i = room_seq_index(r, r->read_seq); i < r->nconfirmed; i++)
		if (r->msgs[i]->seq > r->read_seq && !room_is_me(r, r->msgs[i]->user) &&
		    !r->msgs[i]->loose)
			return i;
	return r->nmsgs;
}
