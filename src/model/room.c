/*
 * room: one room's timeline, members and typing (see room.h).
 *
 * The timeline is one array: msgs[0..nconfirmed) are the confirmed messages
 * in increasing seq order, msgs[nconfirmed..nmsgs) the local user's pending
 * and failed ones in the order they were sent. A seq is looked up by binary
 * search; a cid by a scan of the pending tail, which holds only what is
 * still in flight. When a pending message is confirmed, its entry is moved
 * (not copied) to its seq position, so the line the UI shows keeps its
 * text and simply changes state.
 *
 * Every operation allocates what it needs before it changes anything, so
 * that running out of memory leaves the room as it was. The snapshot and
 * history merges apply their messages one by one: when memory runs out in
 * the middle, the room holds a subset, and last_seq (which never jumps a
 * gap) still tells the resume where to start.
 *
 * last_seq is kept incrementally rather than recomputed, because room_clear
 * drops the messages but must keep the resume point. The first confirmed
 * message ever held anchors it; afterwards it advances only through seq
 * last_seq + 1, then over whatever contiguous messages already sit beyond.
 */
#include "model/room.h"

#include <stdlib.h>
#include <string.h>

#include "model/mention.h"

#define NONE ((size_t)-1)

static char *
dup_opt(const char *s, bool *oom)
{
	if (s == NULL)
		return NULL;
	char *d = strdup(s);
	if (d == NULL)
		*oom = true;
	return d;
}

static bool
is_me(const struct room *r, const char *user)
{
	return r->me != NULL && user != NULL && strcmp(r->me, user) == 0;
}

static void
msg_free(struct room_msg *m)
{
	free(m->id);
	free(m->user);
	free(m->text);
	free(m->cid);
	free(m->error);
}

struct room *
room_new(const char *name, const char *me)
{
	struct room *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	bool oom = false;
	r->name = dup_opt(name != NULL ? name : "", &oom);
	r->me = dup_opt(me, &oom);
	if (oom) {
		room_free(r);
		return NULL;
	}
	return r;
}

void
room_free(struct room *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nmsgs; i++)
		msg_free(&r->msgs[i]);
	free(r->msgs);
	for (size_t i = 0; i < r->nmembers; i++) {
		free(r->members[i].user);
		free(r->members[i].text);
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
		struct room_msg *m = &r->msgs[i];
		m->mention = m->state == ROOM_MSG_CONFIRMED && !is_me(r, m->user) &&
		    mentions_me(r, m->text);
	}
}

/* ---- the timeline -------------------------------------------------------- */

/* The first confirmed index whose seq is >= seq. */
static size_t
lower_bound(const struct room *r, int64_t seq)
{
	size_t lo = 0, hi = r->nconfirmed;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->msgs[mid].seq < seq)
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
	return i < r->nconfirmed && r->msgs[i].seq == seq;
}

/* The pending or failed entry with this cid (always the local user's). */
static size_t
find_unconfirmed(const struct room *r, const char *cid)
{
	if (cid == NULL)
		return NONE;
	for (size_t i = r->nconfirmed; i < r->nmsgs; i++)
		if (r->msgs[i].cid != NULL && strcmp(r->msgs[i].cid, cid) == 0)
			return i;
	return NONE;
}

static bool
reserve_msg(struct room *r)
{
	if (r->nmsgs < r->capmsgs)
		return true;
	size_t cap = r->capmsgs > 0 ? r->capmsgs * 2 : 64;
	if (cap > SIZE_MAX / sizeof *r->msgs)
		return false;
	struct room_msg *m = realloc(r->msgs, cap * sizeof *m);
	if (m == NULL)
		return false;
	r->msgs = m;
	r->capmsgs = cap;
	return true;
}

static void
remove_at(struct room *r, size_t i)
{
	msg_free(&r->msgs[i]);
	memmove(&r->msgs[i], &r->msgs[i + 1], (r->nmsgs - i - 1) * sizeof *r->msgs);
	r->nmsgs--;
	if (i < r->nconfirmed)
		r->nconfirmed--;
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
	while (i + 1 < r->nconfirmed && r->msgs[i + 1].seq - 1 == r->msgs[i].seq)
		i++;
	r->last_seq = r->msgs[i].seq;
}

/*
 * Confirms the unconfirmed entry at index p as seq, moving it in place.
 * seq must not be held yet. False (nothing changed) when out of memory.
 */
static bool
confirm_at(struct room *r, size_t p, int64_t seq, const char *id, int64_t ts)
{
	bool oom = false;
	char *idc = dup_opt(id, &oom);
	if (oom)
		return false;
	struct room_msg m = r->msgs[p];
	free(m.id);
	free(m.error);
	m.id = idc;
	m.error = NULL;
	m.state = ROOM_MSG_CONFIRMED;
	m.seq = seq;
	m.ts = ts;
	m.mention = false; /* own line */

	size_t to = lower_bound(r, seq);
	memmove(&r->msgs[to + 1], &r->msgs[to], (p - to) * sizeof *r->msgs);
	r->msgs[to] = m;
	r->nconfirmed++;
	note_confirmed(r, seq);
	return true;
}

static bool
insert_new(struct room *r, const struct proto_message *pm, bool counts_unread)
{
	bool oom = false;
	struct room_msg m = {
		.state = ROOM_MSG_CONFIRMED,
		.seq = pm->seq,
		.id = dup_opt(pm->id, &oom),
		.user = dup_opt(pm->user, &oom),
		.text = dup_opt(pm->text, &oom),
		.cid = dup_opt(pm->cid, &oom),
		.ts = pm->ts,
	};
	if (oom || !reserve_msg(r)) {
		msg_free(&m);
		return false;
	}
	bool own = is_me(r, m.user);
	m.mention = !own && mentions_me(r, m.text);

	size_t to = lower_bound(r, m.seq);
	memmove(&r->msgs[to + 1], &r->msgs[to], (r->nmsgs - to) * sizeof *r->msgs);
	r->msgs[to] = m;
	r->nmsgs++;
	r->nconfirmed++;
	note_confirmed(r, m.seq);

	if (counts_unread && !own && m.seq > r->read_seq) {
		r->unread++;
		if (m.mention)
			r->mentions++;
	}
	return true;
}

bool
room_add_pending(struct room *r, const char *cid, const char *text,
    int64_t now)
{
	if (cid == NULL || *cid == '\0' || text == NULL ||
	    room_find_cid(r, cid) != NULL)
		return false;
	bool oom = false;
	struct room_msg m = {
		.state = ROOM_MSG_PENDING,
		.user = dup_opt(r->me != NULL ? r->me : "", &oom),
		.text = dup_opt(text, &oom),
		.cid = dup_opt(cid, &oom),
		.ts = now,
	};
	if (oom || !reserve_msg(r)) {
		msg_free(&m);
		return false;
	}
	r->msgs[r->nmsgs++] = m;
	return true;
}

bool
room_add_message(struct room *r, const struct proto_message *m,
    bool counts_unread)
{
	if (m == NULL || m->seq <= 0 || m->user == NULL || m->text == NULL)
		return false;
	/* The server echoes the local user's own message with its cid: that
	 * is the pending line, confirmed, never a second line. */
	size_t p = is_me(r, m->user) ? find_unconfirmed(r, m->cid) : NONE;
	if (room_holds_seq(r, m->seq)) {
		if (p == NONE)
			return false;
		remove_at(r, p); /* already confirmed by another path */
		return true;
	}
	if (p != NONE)
		return confirm_at(r, p, m->seq, m->id, m->ts);
	return insert_new(r, m, counts_unread);
}

bool
room_ack(struct room *r, const char *cid, int64_t seq, const char *id,
    int64_t ts)
{
	size_t p = find_unconfirmed(r, cid);
	if (p == NONE || seq <= 0)
		return false;
	if (room_holds_seq(r, seq)) {
		remove_at(r, p); /* the echo came first */
		return true;
	}
	return confirm_at(r, p, seq, id, ts);
}

bool
room_fail(struct room *r, const char *cid, const char *reason)
{
	size_t p = find_unconfirmed(r, cid);
	if (p == NONE)
		return false;
	/* Without memory for the reason it still must not look in flight. */
	bool oom = false;
	char *err = dup_opt(reason, &oom);
	struct room_msg *m = &r->msgs[p];
	free(m->error);
	m->error = err;
	m->state = ROOM_MSG_FAILED;
	return true;
}

bool
room_retry(struct room *r, const char *cid)
{
	size_t p = find_unconfirmed(r, cid);
	if (p == NONE || r->msgs[p].state != ROOM_MSG_FAILED)
		return false;
	free(r->msgs[p].error);
	r->msgs[p].error = NULL;
	r->msgs[p].state = ROOM_MSG_PENDING;
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
		return &r->msgs[p];
	/* Other users may pick the same cid; only the local user's count. */
	for (size_t i = r->nconfirmed; i-- > 0;) {
		struct room_msg *m = &r->msgs[i];
		if (m->cid != NULL && strcmp(m->cid, cid) == 0 && is_me(r, m->user))
			return m;
	}
	return NULL;
}

/* ---- snapshots and history ----------------------------------------------- */

static void
recompute_more_before(struct room *r)
{
	if (r->nconfirmed > 0)
		r->more_before = r->msgs[0].seq > 1;
	else
		r->more_before = r->head > 0 || r->last_seq > 0;
}

static void replace_members(struct room *r, const struct proto_frame *f);
static void replace_typing(struct room *r, const struct proto_frame *f);

void
room_apply_joined(struct room *r, const struct proto_frame *f)
{
	if (f == NULL)
		return;
	r->joined = true;
	/* On the first sight of a room its backlog is context, not news,
	 * unless the read mark is known from elsewhere. */
	if (!r->read_known && r->last_seq == 0 && r->nconfirmed == 0)
		r->read_seq = f->seq;
	r->read_known = true;
	if (f->seq > r->head)
		r->head = f->seq;
	replace_members(r, f);
	replace_typing(r, f);
	for (size_t i = 0; i < f->nmessages; i++)
		room_add_message(r, &f->messages[i], true);
	recompute_more_before(r);
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
	if (r->nconfirmed > 0 && r->msgs[0].seq == 1)
		r->more_before = false;
	else if (f->nmessages == 0 || r->nconfirmed == 0 ||
	    page_min <= r->msgs[0].seq)
		r->more_before = f->more;
}

/* ---- members and typing -------------------------------------------------- */

static size_t
find_member(const struct room *r, const char *user)
{
	for (size_t i = 0; i < r->nmembers; i++)
		if (strcmp(r->members[i].user, user) == 0)
			return i;
	return NONE;
}

struct room_member *
room_find_member(struct room *r, const char *user)
{
	size_t i = user != NULL ? find_member(r, user) : NONE;
	return i != NONE ? &r->members[i] : NULL;
}

static void
members_free(struct room_member *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].user);
		free(v[i].text);
	}
	free(v);
}

/* Members are kept sorted by name, so the list does not reshuffle as
 * presence changes arrive. */
static size_t
member_slot(const struct room *r, const char *user)
{
	size_t i = 0;
	while (i < r->nmembers && strcmp(r->members[i].user, user) < 0)
		i++;
	return i;
}

/* Inserts or updates a member; false (nothing changed) when out of memory. */
static bool
set_member(struct room *r, const char *user, enum proto_status st,
    const char *text, int64_t last_seen)
{
	bool oom = false;
	char *t = dup_opt(text != NULL ? text : "", &oom);
	if (oom)
		return false;
	size_t i = find_member(r, user);
	if (i == NONE) {
		char *u = dup_opt(user, &oom);
		struct room_member *v = oom ? NULL :
		    realloc(r->members, (r->nmembers + 1) * sizeof *v);
		if (v == NULL) {
			free(u);
			free(t);
			return false;
		}
		r->members = v;
		i = member_slot(r, user);
		memmove(&v[i + 1], &v[i], (r->nmembers - i) * sizeof *v);
		v[i] = (struct room_member){.user = u};
		r->nmembers++;
	}
	struct room_member *m = &r->members[i];
	free(m->text);
	m->text = t;
	m->status = st;
	m->last_seen = last_seen;
	return true;
}

void
room_set_member(struct room *r, const char *user, enum proto_status st,
    const char *text, int64_t last_seen)
{
	if (user != NULL)
		set_member(r, user, st, text, last_seen);
}

void
room_remove_member(struct room *r, const char *user)
{
	size_t i = user != NULL ? find_member(r, user) : NONE;
	if (i != NONE) {
		free(r->members[i].user);
		free(r->members[i].text);
		memmove(&r->members[i], &r->members[i + 1],
		    (r->nmembers - i - 1) * sizeof *r->members);
		r->nmembers--;
	}
	room_set_typing(r, user, false);
}

static void
replace_members(struct room *r, const struct proto_frame *f)
{
	/* Built aside and swapped in, so that running out of memory keeps the
	 * old list whole. */
	struct room_member *old = r->members;
	size_t nold = r->nmembers;
	r->members = NULL;
	r->nmembers = 0;
	for (size_t i = 0; i < f->nmembers; i++) {
		const struct proto_member *pm = &f->members[i];
		if (pm->user != NULL &&
		    !set_member(r, pm->user, pm->status, pm->text, pm->last_seen)) {
			members_free(r->members, r->nmembers);
			r->members = old;
			r->nmembers = nold;
			return;
		}
	}
	members_free(old, nold);
}

static size_t
find_typing(const struct room *r, const char *user)
{
	for (size_t i = 0; i < r->ntyping; i++)
		if (strcmp(r->typing[i], user) == 0)
			return i;
	return NONE;
}

void
room_set_typing(struct room *r, const char *user, bool active)
{
	if (user == NULL || (active && is_me(r, user)))
		return;
	size_t i = find_typing(r, user);
	if (active && i == NONE) {
		char *u = strdup(user);
		char **v = u != NULL ?
		    realloc(r->typing, (r->ntyping + 1) * sizeof *v) : NULL;
		if (v == NULL) {
			free(u);
			return;
		}
		v[r->ntyping++] = u;
		r->typing = v;
	} else if (!active && i != NONE) {
		free(r->typing[i]);
		memmove(&r->typing[i], &r->typing[i + 1],
		    (r->ntyping - i - 1) * sizeof *r->typing);
		r->ntyping--;
	}
}

static void
replace_typing(struct room *r, const struct proto_frame *f)
{
	size_t n = 0;
	char **v = f->ntyping > 0 ? calloc(f->ntyping, sizeof *v) : NULL;
	if (f->ntyping > 0 && v == NULL)
		return;
	for (size_t i = 0; i < f->ntyping; i++) {
		const char *u = f->typing[i];
		if (u == NULL || is_me(r, u))
			continue;
		bool dup = false;
		for (size_t k = 0; k < n; k++)
			dup = dup || strcmp(v[k], u) == 0;
		if (dup)
			continue;
		if ((v[n] = strdup(u)) == NULL) {
			for (size_t k = 0; k < n; k++)
				free(v[k]);
			free(v);
			return;
		}
		n++;
	}
	for (size_t i = 0; i < r->ntyping; i++)
		free(r->typing[i]);
	free(r->typing);
	r->typing = v;
	r->ntyping = n;
}

/* ---- reading ------------------------------------------------------------- */

void
room_mark_read(struct room *r)
{
	int64_t seen = r->last_seq;
	if (r->nconfirmed > 0 && r->msgs[r->nconfirmed - 1].seq > seen)
		seen = r->msgs[r->nconfirmed - 1].seq;
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
	for (size_t i = lower_bound(r, r->marker); i < r->nconfirmed; i++)
		if (r->msgs[i].seq > r->marker && !is_me(r, r->msgs[i].user))
			return i;
	return r->nmsgs;
}

size_t
room_first_unread(const struct room *r)
{
	/* Seqs come from the wire: read_seq + 1 could overflow. */
	for (size_t i = lower_bound(r, r->read_seq); i < r->nconfirmed; i++)
		if (r->msgs[i].seq > r->read_seq && !is_me(r, r->msgs[i].user))
			return i;
	return r->nmsgs;
}

void
room_clear(struct room *r)
{
	/* What the user cleared away counts as seen. */
	room_mark_read(r);
	for (size_t i = 0; i < r->nconfirmed; i++)
		msg_free(&r->msgs[i]);
	/* Pending and failed lines stay: they still await an ACK, a retry or
	 * a discard, and hiding them would hide unsent words. */
	memmove(r->msgs, r->msgs + r->nconfirmed,
	    (r->nmsgs - r->nconfirmed) * sizeof *r->msgs);
	r->nmsgs -= r->nconfirmed;
	r->nconfirmed = 0;
	recompute_more_before(r);
}

bool
room_set_me(struct room *r, const char *me)
{
	bool oom = false;
	char *copy = dup_opt(me, &oom);
	if (oom)
		return false;
	free(r->me);
	r->me = copy;
	for (size_t i = 0; i < r->nmsgs; i++) {
		struct room_msg *m = &r->msgs[i];
		m->mention = !is_me(r, m->user) && mentions_me(r, m->text);
	}
	if (me != NULL)
		room_set_typing(r, me, false);
	return true;
}
