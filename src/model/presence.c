#include "model/presence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"
#include "model/xmalloc.h"

void
presence_init(struct presence *p)
{
	memset(p, 0, sizeof *p);
}

void
presence_clear(struct presence *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->sessions[i].text);
	free(p->sessions);
	presence_init(p);
}

/* Lower is more available. */
static int
rank(enum proto_status s)
{
	switch (s) {
	case PS_ONLINE: return 0;
	case PS_BUSY: return 1;
	case PS_AWAY: return 2;
	default: return 3;
	}
}

static const struct presence_session *
best(const struct presence *p)
{
	const struct presence_session *b = NULL;
	for (size_t i = 0; i < p->n; i++) {
		const struct presence_session *s = &p->sessions[i];
		if (b == NULL || rank(s->status) < rank(b->status) ||
		    (rank(s->status) == rank(b->status) && s->stamp > b->stamp))
			b = s;
	}
	return b;
}

struct presence_view
presence_view(const struct presence *p)
{
	const struct presence_session *b = best(p);
	if (b == NULL)
		return (struct presence_view){PS_OFFLINE, "", p->last_seen};
	return (struct presence_view){b->status, b->text ? b->text : "", p->last_seen};
}

size_t
presence_sessions(const struct presence *p)
{
	return p->n;
}

static bool
same_view(struct presence_view a, struct presence_view b)
{
	return a.status == b.status && strcmp(a.text, b.text) == 0;
}

static struct presence_session *
find(struct presence *p, uint64_t id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->sessions[i].id == id)
			return &p->sessions[i];
	return NULL;
}

bool
presence_open(struct presence *p, uint64_t session, int64_t now)
{
	if (find(p, session) != NULL)
		return false;
	xgrow(&p->sessions, &p->cap, p->n + 1, sizeof *p->sessions);
	struct presence_view before = presence_view(p);
	/* stamp 0: a session that never said anything loses ties to one that
	 * did, so opening a second session keeps the first one's text */
	p->sessions[p->n++] = (struct presence_session){session, PS_ONLINE, NULL, 0};
	p->last_seen = now;
	return !same_view(before, presence_view(p));
}

/* Keeps at most PRESENCE_TEXT_MAX code points of valid UTF-8 text. */
static char *
clip_text(const char *text)
{
	if (text == NULL || *text == '\0')
		return NULL;
	size_t len = strlen(text);
	if (!utf8_valid(text, len))
		return NULL;
	return xstrndup(text, utf8_offset(text, len, PRESENCE_TEXT_MAX));
}

bool
presence_set(struct presence *p, uint64_t session, enum proto_status st,
    const char *text, int64_t now)
{
	struct presence_session *s = find(p, session);
	if (s == NULL || st == PS_NONE || st == PS_OFFLINE)
		return false;
	struct presence_view before = presence_view(p);
	char *old_text = xstrdup(before.text);
	free(s->text);
	s->text = clip_text(text);
	s->status = st;
	s->stamp = ++p->clock;
	p->last_seen = now;
	struct presence_view after = presence_view(p);
	bool changed = before.status != after.status ||
	    strcmp(old_text, after.text) != 0;
	free(old_text);
	return changed;
}

bool
presence_close(struct presence *p, uint64_t session, int64_t now)
{
	struct presence_session *s = find(p, session);
	if (s == NULL)
		return false;
	struct presence_view before = presence_view(p);
	char *old_text = xstrdup(before.text);
	enum proto_status old_status = before.status;
	free(s->text);
	*s = p->sessions[--p->n];
	p->last_seen = now;
	struct presence_view after = presence_view(p);
	bool changed = old_status != after.status ||
	    strcmp(old_text, after.text) != 0;
	free(old_text);
	return changed;
}

/* ---- typing -------------------------------------------------------------- */

void
typing_init(struct typing *t)
{
	memset(t, 0, sizeof *t);
}

void
typing_clear_all(struct typing *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].user);
	free(t->e);
	typing_init(t);
}

static struct typing_entry *
typing_find(struct typing *t, const char *user)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].user, user) == 0)
			return &t->e[i];
	return NULL;
}

bool
typing_start(struct typing *t, const char *user, int64_t now)
{
	struct typing_entry *e = typing_find(t, user);
	if (e != NULL) {
		e->expires = now + TYPING_EXPIRY_MS;
		return false;
	}
	xgrow(&t->e, &t->cap, t->n + 1, sizeof *t->e);
	t->e[t->n++] = (struct typing_entry){xstrdup(user), now + TYPING_EXPIRY_MS};
	return true;
}

static void
typing_remove(struct typing *t, struct typing_entry *e)
{
	free(e->user);
	*e = t->e[--t->n];
}

bool
typing_stop(struct typing *t, const char *user)
{
	struct typing_entry *e = typing_find(t, user);
	if (e == NULL)
		return false;
	typing_remove(t, e);
	return true;
}

bool
typing_pop_expired(struct typing *t, int64_t now, char *out, size_t outsz)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->e[i].expires <= now) {
			snprintf(out, outsz, "%s", t->e[i].user);
			typing_remove(t, &t->e[i]);
			return true;
		}
	}
	return false;
}

int64_t
typing_next_expiry(const struct typing *t)
{
	int64_t next = -1;
	for (size_t i = 0; i < t->n; i++)
		if (next < 0 || t->e[i].expires < next)
			next = t->e[i].expires;
	return next;
}
