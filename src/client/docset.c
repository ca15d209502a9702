/*
 * docset: several documents open at once (see docset.h). The tab order is
 * the order they were opened in; closing one shows the tab after it (or
 * the last). A tab whose document went away on its own (an ERROR to its
 * DOC_OPEN, its room left) is dropped after the frame that did it.
 */
#include "client/docset.h"

#include "client/docedit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/docedit.h"
#include "model/xmalloc.h"

static void
spare_init(const struct docset *s, struct docs *d)
{
	const struct docs *l = s->live;
	docs_init(d, l->port, l->user, l->server, l->state_dir);
	/* the link's state, as every document has it */
	d->online = l->online;
	d->max_frame = l->max_frame;
	d->max_doc = l->max_doc;
}

static void
swap(struct docs *a, struct docs *b)
{
	struct docs t = *a;
	*a = *b;
	*b = t;
}

/* The editing state beyond the text (docedit.h: the kill ring, the last
 * find, line numbers) is the user's, not a document's: it stays with the
 * shown document, from the one shown before; what ends with a document
 * (a find's highlights, a prompt) ends. */
static void
keep_edit(struct docs *shown, struct docs *was)
{
	struct docs_edit *e = shown->edit;
	shown->edit = was->edit;
	was->edit = e;
	docs_edit_forget(shown);
}

void
docset_init(struct docset *s, struct docs *live)
{
	memset(s, 0, sizeof *s);
	s->live = live;
	s->slot = xcalloc(1, sizeof *s->slot);
	s->n = 1;
	spare_init(s, &s->slot[0]);
}

void
docset_free(struct docset *s)
{
	for (size_t i = 0; i < s->n; i++)
		docs_free(&s->slot[i]);
	free(s->slot);
	free(s->tabs);
	memset(s, 0, sizeof *s);
}

size_t
docset_count(const struct docset *s)
{
	return s->n;
}

struct docs *
docset_at(struct docset *s, size_t i)
{
	return i == s->active ? s->live : &s->slot[i];
}

long
docset_find(struct docset *s, const char *room, const char *name)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct docs *d = docset_at(s, i);
		if (d->name && strcmp(d->room, room) == 0 && strcmp(d->name, name) == 0)
			return (long)i;
	}
	return -1;
}

void
docset_show(struct docset *s, size_t i)
{
	if (i == s->active || i >= s->n)
		return;
	/* the keys stay where they were: in a document, or in the input */
	bool focused = s->live->focused, full = s->live->full;
	swap(s->live, &s->slot[s->active]);
	swap(s->live, &s->slot[i]);
	keep_edit(s->live, &s->slot[s->active]);
	s->active = i;
	s->live->full = full; /* the layout is the user's, not a document's */
	if (s->live->name != NULL && !s->live->ro)
		s->live->focused = focused;
	port_redraw(s->live->port);
}

bool
docset_step(struct docset *s, int step)
{
	if (s->n < 2)
		return false;
	int n = (int)s->n;
	docset_show(s, (s->active + (size_t)(step % n + n)) % s->n);
	return true;
}

/* Removes waiting tab i (not the shown one). */
static void
drop_slot(struct docset *s, size_t i)
{
	docs_free(&s->slot[i]);
	memmove(&s->slot[i], &s->slot[i + 1], (s->n - i - 1) * sizeof *s->slot);
	s->n--;
	if (i < s->active)
		s->active--;
}

/* The shown document is gone: the tab after it (or the last) is shown,
 * its keys as they were. */
static void
refill(struct docset *s, bool focused, bool full)
{
	if (s->live->name != NULL || s->n < 2)
		return;
	docs_free(&s->slot[s->active]); /* the spare */
	memmove(&s->slot[s->active], &s->slot[s->active + 1],
	    (s->n - s->active - 1) * sizeof *s->slot);
	s->n--;
	if (s->active >= s->n)
		s->active = s->n - 1;
	swap(s->live, &s->slot[s->active]); /* the closed one is the spare */
	keep_edit(s->live, &s->slot[s->active]);
	s->live->focused = focused;
	s->live->full = full;
	port_redraw(s->live->port);
}

/* Drops the tabs whose documents went away. */
static void
compact(struct docset *s, bool focused, bool full)
{
	for (size_t i = s->n; i-- > 0;)
		if (i != s->active && s->slot[i].name == NULL)
			drop_slot(s, i);
	refill(s, focused, full);
}

bool
docset_open(struct docset *s, const char *room, const char *name)
{
	long j = docset_find(s, room, name);
	if (j >= 0)
		docset_show(s, (size_t)j);
	else if (s->live->name != NULL && s->n >= DOCSET_MAX) {
		port_note(s->live->port, true, "%d documents are open: /doc close one "
		    "first", DOCSET_MAX);
		return false;
	} else if (s->live->name != NULL) {
		s->slot = xreallocarray(s->slot, s->n + 1, sizeof *s->slot);
		spare_init(s, &s->slot[s->n]);
		s->n++;
		docset_show(s, s->n - 1);
	}
	docs_open(s->live, room, name);
	return true;
}

bool
docset_close(struct docset *s, bool force)
{
	bool full = s->live->full;
	if (!docs_close(s->live, force))
		return false;
	refill(s, false, full);
	return true;
}

void
docset_parted(struct docset *s, const char *room)
{
	bool focused = s->live->focused, full = s->live->full;
	for (size_t i = 0; i < s->n; i++)
		docs_parted(docset_at(s, i), room);
	compact(s, focused, full);
}

void
docset_room_lost(struct docset *s, const char *room)
{
	bool focused = s->live->focused, full = s->live->full;
	for (size_t i = 0; i < s->n; i++)
		docs_room_lost(docset_at(s, i), room);
	compact(s, focused, full);
}

/* The document whose edit in flight has cid, or the shown one. */
static struct docs *
of_edit(struct docset *s, const char *cid)
{
	for (size_t i = 0; cid != NULL && i < s->n; i++) {
		const char *sent = docstore_sent_cid(docset_at(s, i));
		if (sent != NULL && strcmp(sent, cid) == 0)
			return docset_at(s, i);
	}
	return s->live;
}

static bool
route(struct docset *s, const struct proto_frame *f)
{
	if (f->type == PT_WELCOME) {
		for (size_t i = 0; i < s->n; i++)
			docs_frame(docset_at(s, i), f);
		return false;
	}
	if (f->type == PT_ERROR && f->ref != NULL && strcmp(f->ref, "DOC_OP") == 0)
		return docs_frame(of_edit(s, f->cid), f);
	if (f->type != PT_ERROR && f->room != NULL && f->doc != NULL) {
		long j = docset_find(s, f->room, f->doc);
		return docs_frame(j >= 0 ? docset_at(s, (size_t)j) : s->live, f);
	}
	/* by cid: the shown document first */
	if (docs_frame(s->live, f))
		return true;
	for (size_t i = 0; i < s->n; i++)
		if (i != s->active && docs_frame(&s->slot[i], f))
			return true;
	return false;
}

bool
docset_frame(struct docset *s, const struct proto_frame *f)
{
	bool focused = s->live->focused, full = s->live->full;
	bool mine = route(s, f);
	compact(s, focused, full);
	return mine;
}

void
docset_welcome(struct docset *s)
{
	for (size_t i = 0; i < s->n; i++)
		docs_welcome(docset_at(s, i));
}

void
docset_offline(struct docset *s)
{
	for (size_t i = 0; i < s->n; i++)
		docs_offline(docset_at(s, i));
}

int64_t
docset_deadline(const struct docset *s)
{
	int64_t t = docs_deadline(s->live);
	for (size_t i = 0; i < s->n; i++) {
		int64_t d = i == s->active ? INT64_MAX : docs_deadline(&s->slot[i]);
		if (d < t)
			t = d;
	}
	return t;
}

void
docset_tick(struct docset *s)
{
	for (size_t i = 0; i < s->n; i++)
		docs_tick(docset_at(s, i));
}

size_t
docset_restore(struct docset *s)
{
	char **paths;
	size_t n = docstore_kept(s->live->state_dir, s->live->user, &paths);
	size_t restored = 0;
	for (size_t i = 0; i < n; i++) {
		if (s->live->name != NULL && s->n < DOCSET_MAX) {
			s->slot = xreallocarray(s->slot, s->n + 1, sizeof *s->slot);
			spare_init(s, &s->slot[s->n]);
			s->n++;
			docset_show(s, s->n - 1);
		}
		if (s->live->name == NULL && docstore_restore(s->live, paths[i]))
			restored++;
		free(paths[i]);
	}
	free(paths);
	compact(s, false, s->live->full);
	return restored;
}

const struct ui_doc *
docset_view(struct docset *s)
{
	compact(s, false, s->live->full);
	const struct ui_doc *u = docs_view(s->live);
	if (u == NULL)
		return NULL;
	s->tabs = xreallocarray(s->tabs, s->n, sizeof *s->tabs);
	for (size_t i = 0; i < s->n; i++)
		s->tabs[i] = docset_at(s, i)->name;
	s->live->ui.tabs = s->tabs;
	s->live->ui.ntabs = s->n;
	s->live->ui.tab = s->active;
	return u;
}

void
docset_note(struct docset *s)
{
	char buf[1024];
	size_t n = 0;
	for (size_t i = 0; i < s->n && n + 140 < sizeof buf; i++) {
		const struct docs *d = docset_at(s, i);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s%s%s (%s)",
		    i ? ", " : "", i == s->active ? "[" : "", d->name ? d->name : "",
		    i == s->active ? "]" : "", d->room ? d->room : "");
	}
	port_note(s->live->port, false, "open: %s; /help doc for more", buf);
}
