/*
 * room: one room's timeline (see room.h). Members, typing and the JOINED
 * snapshot are in room_members.c; what happens to a message later, and
 * the read marks, in room_changes.c.
 *
 * The timeline is one array of pointers: msgs[0..nconfirmed) are the
 * confirmed messages in increasing seq order, msgs[nconfirmed..nmsgs) the
 * local user's pending and failed ones in the order they were sent. A seq
 * is looked up by binary search; a cid by a scan of the pending tail,
 * which holds only what is still in flight. When a pending message is
 * confirmed, its pointer is moved to its seq position, so the line the UI
 * shows keeps its text and simply changes state.
 *
 * A message is a piece of the room's arena, its text inline: blocks of
 * 64 KiB filled in the order lines come (a line longer than a quarter of
 * one gets a block of its own), each counting its live lines and freed
 * when the last goes. Lines go oldest first, so blocks drain in order,
 * and nothing else the client allocates lands between two lines (with a
 * line an allocation, the lines kept for the screen and each frame's
 * parsing left holes between them: a fifth more memory). Its user name
 * points into the room's table of names, each kept once (an
 * open-addressing set that only grows: it holds the names of the people
 * who wrote in the room). With 64-byte texts a held line costs about 130
 * bytes. Past the limit, a
 * new message drops the oldest ones, a sixty-fourth of the limit at once,
 * so that the array moves seldom; while the user reads back in the room
 * (hold), lines stay until twice the limit, so that the page just fetched
 * is not dropped under the user's eyes.
 *
 * last_seq is kept incrementally rather than recomputed, because room_clear
 * and the limit drop messages but must keep the resume point. The first
 * confirmed message ever held anchors it; afterwards it advances only
 * through seq last_seq + 1, then over whatever contiguous messages already
 * sit beyond.
 */
#include "model/room.h"

#include <stdlib.h>
#include <string.h>

#include "model/mention.h"
#include "model/room_impl.h"
#include "model/xmalloc.h"

#define NONE ((size_t)-1)

/* ---- the arena ----------------------------------------------------------- */

#define BLOCK_BYTES (64 * 1024)

struct room_block {
	size_t used, size;  /* bytes of data handed out, and there are */
	size_t live;        /* messages in it not freed yet */
	char data[];
};

static uint32_t
block_slot(struct room_blocks *bs, struct room_block *b)
{
	size_t i = 0;
	while (i < bs->n && bs->v[i] != NULL)
		i++;
	if (i == bs->n) {
		xgrow(&bs->v, &bs->cap, bs->n + 1, sizeof *bs->v);
		if (bs->cur == bs->n)
			bs->cur++; /* "none" stays past the end */
		bs->n++;
	}
	bs->v[i] = b;
	return (uint32_t)i;
}

static struct room_block *
block_new(size_t size)
{
	struct room_block *b = xmalloc(offsetof(struct room_block, data) + size);
	b->used = 0;
	b->size = size;
	b->live = 0;
	return b;
}

/* Room for need bytes (a multiple of 8); the block's slot in *slot. */
static void *
arena_take(struct room *r, size_t need, uint32_t *slot)
{
	struct room_blocks *bs = &r->blocks;
	struct room_block *b = bs->cur < bs->n ? bs->v[bs->cur] : NULL;
	if (need > BLOCK_BYTES / 4) {
		b = block_new(need);
		*slot = block_slot(bs, b);
	} else if (b == NULL || b->size - b->used < need) {
		struct room_block *old = b;
		size_t was = bs->cur;
		b = block_new(BLOCK_BYTES);
		*slot = block_slot(bs, b);
		bs->cur = *slot;
		if (old != NULL && old->live == 0) {
			free(old);
			bs->v[was] = NULL;
		}
	} else {
		*slot = (uint32_t)bs->cur;
	}
	void *p = b->data + b->used;
	b->used += need;
	b->live++;
	return p;
}

static void
arena_give(struct room *r, uint32_t slot)
{
	struct room_blocks *bs = &r->blocks;
	struct room_block *b = bs->v[slot];
	if (--b->live == 0 && slot != bs->cur) {
		free(b);
		bs->v[slot] = NULL;
	}
}

static void
msg_free(struct room *r, struct room_msg *m)
{
	free(m->cid);
	free(m->error);
	room_extra_free(m->x);
	arena_give(r, m->block);
}

static struct room_msg *
msg_new(struct room *r, const char *text)
{
	size_t n = strlen(text);
	size_t need = (offsetof(struct room_msg, body) + n + 1 + 7) & ~(size_t)7;
	uint32_t slot;
	struct room_msg *m = arena_take(r, need, &slot);
	memset(m, 0, offsetof(struct room_msg, body));
	m->block = slot;
	memcpy(m->body, text, n + 1);
	m->text = m->body;
	return m;
}

/* ---- names --------------------------------------------------------------- */

static size_t
name_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static size_t
name_slot(const struct room_names *t, const char *user)
{
	size_t i = name_hash(user) & (t->cap - 1);
	while (t->v[i] != NULL && strcmp(t->v[i], user) != 0)
		i = (i + 1) & (t->cap - 1);
	return i;
}

const char *
room_name_of(const struct room *r, const char *user)
{
	if (r->names.cap == 0 || user == NULL)
		return NULL;
	return r->names.v[name_slot(&r->names, user)];
}

/* The room's copy of user, added when new; the table stays under 3/4 full. */
static const char *
intern(struct room *r, const char *user)
{
	struct room_names *t = &r->names;
	if ((t->n + 1) * 4 > t->cap * 3) {
		struct room_names g = { xcalloc(t->cap ? t->cap * 2 : 16,
		    sizeof *g.v), t->n, t->cap ? t->cap * 2 : 16 };
		for (size_t i = 0; i < t->cap; i++)
			if (t->v[i] != NULL)
				g.v[name_slot(&g, t->v[i])] = t->v[i];
		free(t->v);
		*t = g;
	}
	size_t i = name_slot(t, user);
	if (t->v[i] == NULL) {
		t->v[i] = xstrdup(user);
		t->n++;
	}
	return t->v[i];
}

struct room *
room_new(const char *name, const char *me)
{
	struct room *r = xcalloc(1, sizeof *r);
	r->name = xstrdup(name != NULL ? name : "");
	r->me = xstrdup_or_null(me);
	return r;
}

void
room_free(struct room *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nmsgs; i++) {
		free(r->msgs[i]->cid);
		free(r->msgs[i]->error);
		room_extra_free(r->msgs[i]->x);
	}
	for (size_t i = 0; i < r->nreceipts; i++)
		free(r->receipts[i].user);
	free(r->receipts);
	free(r->topic);
	free(r->msgs);
	for (size_t i = 0; i < r->blocks.n; i++)
		free(r->blocks.v[i]);
	free(r->blocks.v);
	for (size_t i = 0; i < r->names.cap; i++)
		free(r->names.v[i]);
	free(r->names.v);
	for (size_t i = 0; i < r->nmembers; i++) {
		free(r->members[i].user);
		free(r->members[i].text);
		free(r->members[i].doc_room);
		free(r->members[i].doc_name);
	}
	free(r->members);
	for (size_t i = 0; i < r->ntyping; i++)
		free(r->typing[i]);
	free(r->typing);
	roles_clear(&r->roles);
	free(r->name);
	free(r->me);
	free(r);
}

/* ---- mentions ------------------------------------------------------------ */

/* The rule is shared with the server's notifications (model/mention.c). */
bool
room_mentions(const char *text, const char *me)
{
	return mention_of(text, me);
}

/* A mention of me, or one of my highlight words. */
static bool
mentions_me(const struct room *r, const char *text)
{
	return room_mentions(text, r->me) ||
	    mention_highlight(text, r->highlights, r->nhighlights);
}

void
room_set_highlights(struct room *r, const char *const *words, size_t n)
{
	r->highlights = words;
	r->nhighlights = n;
	for (size_t i = 0; i < r->nmsgs; i++) {
		struct room_msg *m = r->msgs[i];
		m->mention = m->state == ROOM_MSG_CONFIRMED && !room_is_me(r, m->user) &&
		    mentions_me(r, m->text);
	}
	r->edits++;
}

/* ---- the timeline -------------------------------------------------------- */

/* The first confirmed index whose seq is >= seq. */
static size_t
lower_bound(const struct room *r, int64_t seq)
{
	size_t lo = 0, hi = r->nconfirmed;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->msgs[mid]->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
room_seq_index(const struct room *r, int64_t seq)
{
	return lower_bound(r, seq);
}

bool
room_holds_seq(const struct room *r, int64_t seq)
{
	size_t i = lower_bound(r, seq);
	return i < r->nconfirmed && r->msgs[i]->seq == seq;
}

/* The pending or failed entry with this cid (always the local user's). */
static size_t
find_unconfirmed(const struct room *r, const char *cid)
{
	if (cid == NULL)
		return NONE;
	for (size_t i = r->nconfirmed; i < r->nmsgs; i++)
		if (r->msgs[i]->cid != NULL && strcmp(r->msgs[i]->cid, cid) == 0)
			return i;
	return NONE;
}

static void
remove_at(struct room *r, size_t i)
{
	msg_free(r, r->msgs[i]);
	memmove(&r->msgs[i], &r->msgs[i + 1], (r->nmsgs - i - 1) * sizeof *r->msgs);
	r->nmsgs--;
	if (i < r->nconfirmed)
		r->nconfirmed--;
	r->edits++;
}

/* Called once msgs holds seq confirmed. */
static void
note_confirmed(struct room *r, int64_t seq)
{
	if (seq > r->head)
		r->head = seq;
	if (seq == 1)
		r->more_before = false; /* nothing can be older */
	if (r->last_seq == 0)
		r->last_seq = seq;
	else if (seq - 1 != r->last_seq) /* seq > 0: cannot overflow */
		return;
	size_t i = lower_bound(r, seq);
	while (i + 1 < r->nconfirmed && r->msgs[i + 1]->seq - 1 == r->msgs[i]->seq)
		i++;
	r->last_seq = r->msgs[i]->seq;
}

static void own_moves(struct room *r);

/* Confirms the unconfirmed entry at index p as seq, moving it in place.
 * seq must not be held yet. */
static void
confirm_at(struct room *r, size_t p, int64_t seq, int64_t ts)
{
	struct room_msg *m = r->msgs[p];
	if (m->thread == 0 && r->nreceipts > 0)
		own_moves(r);
	free(m->error);
	m->error = NULL;
	m->state = ROOM_MSG_CONFIRMED;
	m->seq = seq;
	m->ts = ts;
	m->mention = false; /* own line */
	m->view_gen = 0;

	size_t to = lower_bound(r, seq);
	memmove(&r->msgs[to + 1], &r->msgs[to], (p - to) * sizeof *r->msgs);
	r->msgs[to] = m;
	r->nconfirmed++;
	r->edits++;
	note_confirmed(r, seq);
}

size_t
room_run_start(const struct room *r)
{
	size_t i = 0;
	while (i < r->nconfirmed && r->msgs[i]->loose)
		i++;
	return i;
}

int64_t
room_run_first(const struct room *r)
{
	size_t i = room_run_start(r);
	return i < r->nconfirmed ? r->msgs[i]->seq : 0;
}

/* Over the limit: the oldest of the run go, a batch at a time (the loose
 * ones before them stay while the thread pane shows them). */
static void
trim(struct room *r)
{
	size_t cap = r->hold ? r->limit * 2 : r->limit;
	size_t k = room_run_start(r), run = r->nconfirmed - k;
	if (r->limit == 0 || run <= cap)
		return;
	size_t drop = run - r->limit + r->limit / 64;
	if (drop > run)
		drop = run;
	/* the shown thread's lines become loose ones, kept in order */
	size_t kept = k;
	for (size_t i = k; i < k + drop; i++) {
		struct room_msg *m = r->msgs[i];
		if (r->kept_thread != 0 && (m->seq == r->kept_thread ||
		    m->thread == r->kept_thread)) {
			m->loose = true;
			r->msgs[kept++] = m;
		} else {
			msg_free(r, m);
		}
	}
	size_t gone = k + drop - kept;
	memmove(r->msgs + kept, r->msgs + k + drop,
	    (r->nmsgs - k - drop) * sizeof *r->msgs);
	r->nmsgs -= gone;
	r->nconfirmed -= gone;
	r->more_before = r->nconfirmed == kept || r->msgs[kept]->seq > 1;
	r->edits++;
}

void
room_keep_thread(struct room *r, int64_t root)
{
	r->kept_thread = root > 0 ? root : 0;
}

void
room_set_limit(struct room *r, size_t n)
{
	r->limit = n;
}

void
room_hold(struct room *r, bool hold)
{
	r->hold = hold;
}

/* A new own line takes "seen by" from the one before it (room.h). */
static void
own_moves(struct room *r)
{
	struct room_msg *m = (struct room_msg *)room_last_own(r);
	if (m != NULL) {
		m->changes++;
		m->view_gen = 0;
		r->edits++;
	}
}

static void
insert_new(struct room *r, const struct proto_message *pm, bool counts_unread)
{
	if (room_is_me(r, pm->user) && pm->thread <= 0 && r->nreceipts > 0)
		own_moves(r);
	struct room_msg *m = msg_new(r, pm->deleted || pm->text == NULL ? "" :
	    pm->text);
	m->state = ROOM_MSG_CONFIRMED;
	m->seq = pm->seq;
	m->ts = pm->ts;
	m->user = intern(r, pm->user);
	m->thread = pm->thread > 0 ? pm->thread : 0;
	bool own = room_is_me(r, m->user);
	if (own)
		m->cid = xstrdup_or_null(pm->cid);
	room_sync_extra(r, m, pm);
	m->mention = !own && !m->deleted && mentions_me(r, m->text);

	xgrow(&r->msgs, &r->capmsgs, r->nmsgs + 1, sizeof *r->msgs);
	size_t to = lower_bound(r, m->seq);
	if (to != r->nconfirmed || r->nmsgs != r->nconfirmed)
		r->edits++; /* not simply one more line at the bottom */
	memmove(&r->msgs[to + 1], &r->msgs[to], (r->nmsgs - to) * sizeof *r->msgs);
	r->msgs[to] = m;
	r->nmsgs++;
	r->nconfirmed++;
	note_confirmed(r, m->seq);

	if (counts_unread && !own && !m->deleted && m->seq > r->read_seq) {
		r->unread++;
		if (m->mention)
			r->mentions++;
	}
	if (to + 1 == r->nconfirmed)
		trim(r);
}

bool
room_add_pending(struct room *r, const char *cid, const char *text,
    int64_t now)
{
	if (cid == NULL || *cid == '\0' || text == NULL ||
	    room_find_cid(r, cid) != NULL)
		return false;
	struct room_msg *m = msg_new(r, text);
	m->state = ROOM_MSG_PENDING;
	m->user = intern(r, r->me != NULL ? r->me : "");
	m->cid = xstrdup(cid);
	m->ts = now;
	xgrow(&r->msgs, &r->capmsgs, r->nmsgs + 1, sizeof *r->msgs);
	r->msgs[r->nmsgs++] = m;
	r->edits++;
	return true;
}

bool
room_add_message(struct room *r, const struct proto_message *m,
    bool counts_unread)
{
	if (m == NULL || m->seq <= 0 || m->user == NULL ||
	    (m->text == NULL && !m->deleted))
		return false;
	/* The server echoes the local user's own message with its cid: that
	 * is the pending line, confirmed, never a second line. */
	size_t p = room_is_me(r, m->user) ? find_unconfirmed(r, m->cid) : NONE;
	if (room_holds_seq(r, m->seq)) {
		struct room_msg *held = r->msgs[lower_bound(r, m->seq)];
		bool taken = held->loose; /* the run reached it */
		held->loose = false;
		if (taken)
			r->edits++;
		if (p == NONE)
			return room_sync_extra(r, held, m) || taken;
		remove_at(r, p); /* already confirmed by another path */
		return true;
	}
	if (p != NONE) {
		confirm_at(r, p, m->seq, m->ts);
		room_sync_extra(r, r->msgs[lower_bound(r, m->seq)], m);
	} else {
		insert_new(r, m, counts_unread);
	}
	return true;
}

bool
room_ack(struct room *r, const char *cid, int64_t seq, int64_t ts)
{
	size_t p = find_unconfirmed(r, cid);
	if (p == NONE || seq <= 0)
		return false;
	if (room_holds_seq(r, seq))
		remove_at(r, p); /* the echo came first */
	else
		confirm_at(r, p, seq, ts);
	return true;
}

bool
room_fail(struct room *r, const char *cid, const char *reason)
{
	size_t p = find_unconfirmed(r, cid);
	if (p == NONE)
		return false;
	struct room_msg *m = r->msgs[p];
	free(m->error);
	m->error = xstrdup_or_null(reason);
	m->state = ROOM_MSG_FAILED;
	m->view_gen = 0;
	r->edits++;
	return true;
}

bool
room_retry(struct room *r, const char *cid)
{
	size_t p = find_unconfirmed(r, cid);
	if (p == NONE || r->msgs[p]->state != ROOM_MSG_FAILED)
		return false;
	free(r->msgs[p]->error);
	r->msgs[p]->error = NULL;
	r->msgs[p]->state = ROOM_MSG_PENDING;
	r->msgs[p]->view_gen = 0;
	r->edits++;
	return true;
}

bool
room_discard(struct room *r, const char *cid)
{
	size_t p = find_unconfirmed(r, cid);
	if (p == NONE)
		return false;
	remove_at(r, p);
	return true;
}

struct room_msg *
room_find_cid(struct room *r, const char *cid)
{
	if (cid == NULL)
		return NULL;
	size_t p = find_unconfirmed(r, cid);
	if (p != NONE)
		return r->msgs[p];
	/* Only the local user's lines keep their cid. */
	for (size_t i = r->nconfirmed; i-- > 0;) {
		struct room_msg *m = r->msgs[i];
		if (m->cid != NULL && strcmp(m->cid, cid) == 0)
			return m;
	}
	return NULL;
}

/* ---- loose messages ------------------------------------------------------ */

bool
room_add_loose(struct room *r, const struct proto_message *pm)
{
	if (pm == NULL || pm->seq <= 0 || pm->user == NULL ||
	    (pm->text == NULL && !pm->deleted))
		return false;
	if (room_holds_seq(r, pm->seq))
		return room_sync_extra(r, r->msgs[lower_bound(r, pm->seq)], pm);
	int64_t first = room_run_first(r);
	if (first != 0 && pm->seq > first)
		return false; /* the run holds it, or it is on its way */
	struct room_msg *m = msg_new(r, pm->deleted || pm->text == NULL ? "" :
	    pm->text);
	m->state = ROOM_MSG_CONFIRMED;
	m->seq = pm->seq;
	m->ts = pm->ts;
	m->user = intern(r, pm->user);
	m->thread = pm->thread > 0 ? pm->thread : 0;
	m->loose = true;
	if (room_is_me(r, m->user))
		m->cid = xstrdup_or_null(pm->cid);
	room_sync_extra(r, m, pm);
	m->mention = !room_is_me(r, m->user) && !m->deleted && mentions_me(r, m->text);
	xgrow(&r->msgs, &r->capmsgs, r->nmsgs + 1, sizeof *r->msgs);
	size_t to = lower_bound(r, m->seq);
	memmove(&r->msgs[to + 1], &r->msgs[to], (r->nmsgs - to) * sizeof *r->msgs);
	r->msgs[to] = m;
	r->nmsgs++;
	r->nconfirmed++;
	r->edits++;
	return true;
}

void
room_drop_loose(struct room *r)
{
	size_t k = room_run_start(r);
	if (k == 0)
		return;
	for (size_t i = 0; i < k; i++)
		msg_free(r, r->msgs[i]);
	memmove(r->msgs, r->msgs + k, (r->nmsgs - k) * sizeof *r->msgs);
	r->nmsgs -= k;
	r->nconfirmed -= k;
	r->edits++;
}

/* ---- history ------------------------------------------------------------- */

void
room_recompute_more_before(struct room *r)
{
	int64_t first = room_run_first(r);
	if (first != 0)
		r->more_before = first > 1;
	else
		r->more_before = r->head > 0 || r->last_seq > 0;
}

void
room_apply_history(struct room *r, const struct proto_frame *f)
{
	if (f == NULL)
		return;
	int64_t page_min = 0;
	for (size_t i = 0; i < f->nmessages; i++) {
		const struct proto_message *m = &f->messages[i];
		room_add_message(r, m, false);
		if (m->seq > 0 && (page_min == 0 || m->seq < page_min))
			page_min = m->seq;
	}
	/* Pages may answer out of order: a page's "more" speaks for what lies
	 * before the oldest held message only if the page reaches it. */
	int64_t first = room_run_first(r);
	if (first == 1)
		r->more_before = false;
	else if (f->nmessages == 0 || first == 0 || page_min <= first)
		r->more_before = f->more;
}

/* ---- clearing, the local user -------------------------------------------- */

void
room_clear(struct room *r)
{
	/* What the user cleared away counts as seen. */
	room_mark_read(r);
	for (size_t i = 0; i < r->nconfirmed; i++)
		msg_free(r, r->msgs[i]);
	/* Pending and failed lines stay: they still await an ACK, a retry or
	 * a discard, and hiding them would hide unsent words. */
	memmove(r->msgs, r->msgs + r->nconfirmed,
	    (r->nmsgs - r->nconfirmed) * sizeof *r->msgs);
	r->nmsgs -= r->nconfirmed;
	r->nconfirmed = 0;
	r->edits++;
	room_recompute_more_before(r);
}

void
room_set_me(struct room *r, const char *me)
{
	char *copy = xstrdup_or_null(me);
	free(r->me);
	r->me = copy;
	for (size_t i = 0; i < r->nmsgs; i++) {
		struct room_msg *m = r->msgs[i];
		m->mention = !room_is_me(r, m->user) && mentions_me(r, m->text);
	}
	r->edits++;
	if (me != NULL)
		room_set_typing(r, me, false);
}
