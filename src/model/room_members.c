/*
 * room_members: who is in the room and who is typing (see room.h), and
 * the JOINED snapshot that replaces both and brings the latest messages.
 */
#include "model/room.h"

#include <stdlib.h>
#include <string.h>

#include "model/room_impl.h"
#include "model/xmalloc.h"

#define NONE ((size_t)-1)

static void replace_members(struct room *r, const struct proto_frame *f);
static void replace_typing(struct room *r, const struct proto_frame *f);

/* ---- the snapshot -------------------------------------------------------- */

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
	room_recompute_more_before(r);
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
member_free(struct room_member *m)
{
	free(m->user);
	free(m->text);
	free(m->doc_room);
	free(m->doc_name);
}

static void
members_free(struct room_member *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		member_free(&v[i]);
	free(v);
}

static void
set_doc(struct room_member *m, const char *room, const char *name)
{
	free(m->doc_room);
	free(m->doc_name);
	bool in = room != NULL && name != NULL;
	m->doc_room = in ? xstrdup(room) : NULL;
	m->doc_name = in ? xstrdup(name) : NULL;
}

void
room_set_member_doc(struct room *r, const char *user,
    const struct proto_docref *at)
{
	struct room_member *m = room_find_member(r, user);
	if (m != NULL)
		set_doc(m, at->room, at->name);
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

/* Inserts or updates a member. */
static void
set_member(struct room *r, const char *user, enum proto_status st,
    const char *text, int64_t last_seen)
{
	size_t i = find_member(r, user);
	if (i == NONE) {
		r->members = xreallocarray(r->members, r->nmembers + 1,
		    sizeof *r->members);
		i = member_slot(r, user);
		memmove(&r->members[i + 1], &r->members[i],
		    (r->nmembers - i) * sizeof *r->members);
		r->members[i] = (struct room_member){.user = xstrdup(user)};
		r->nmembers++;
	}
	struct room_member *m = &r->members[i];
	free(m->text);
	m->text = xstrdup(text != NULL ? text : "");
	m->status = st;
	m->last_seen = last_seen;
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
		member_free(&r->members[i]);
		memmove(&r->members[i], &r->members[i + 1],
		    (r->nmembers - i - 1) * sizeof *r->members);
		r->nmembers--;
	}
	room_set_typing(r, user, false);
}

/* JOINED names a member's document only when it is in this room: one in
 * another room, known from before, is kept. */
static void
replace_members(struct room *r, const struct proto_frame *f)
{
	struct room_member *old = r->members;
	size_t nold = r->nmembers;
	r->members = NULL;
	r->nmembers = 0;
	for (size_t i = 0; i < f->nmembers; i++) {
		const struct proto_member *pm = &f->members[i];
		if (pm->user == NULL)
			continue;
		set_member(r, pm->user, pm->status, pm->text, pm->last_seen);
		struct room_member *m = room_find_member(r, pm->user);
		const struct room_member *was = NULL;
		for (size_t k = 0; k < nold && was == NULL; k++)
			if (strcmp(old[k].user, pm->user) == 0)
				was = &old[k];
		if (pm->at.room != NULL)
			set_doc(m, pm->at.room, pm->at.name);
		else if (was != NULL && was->doc_room != NULL &&
		    strcmp(was->doc_room, r->name) != 0)
			set_doc(m, was->doc_room, was->doc_name);
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
	if (user == NULL || (active && room_is_me(r, user)))
		return;
	size_t i = find_typing(r, user);
	if (active && i == NONE) {
		r->typing = xreallocarray(r->typing, r->ntyping + 1, sizeof *r->typing);
		r->typing[r->ntyping++] = xstrdup(user);
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
	for (size_t i = 0; i < r->ntyping; i++)
		free(r->typing[i]);
	r->ntyping = 0;
	for (size_t i = 0; i < f->ntyping; i++) {
		const char *u = f->typing[i];
		if (u != NULL && find_typing(r, u) == NONE)
			room_set_typing(r, u, true);
	}
}

