/*
 * docview: the document pane's read-only side and what it shows: the
 * revision list (/doc history), an old revision (/doc rev N, drawn from a
 * mirror of its own while the live document goes on underneath), and the
 * struct ui_doc that ui_draw gets each frame (see docs.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/app.h"

/* ---- history and old revisions ------------------------------------------- */

void
docs_history(struct app *a, long long before)
{
	struct docs *d = &a->docs;
	struct proto_frame f = docs_frame_of(d, PT_DOC_HISTORY);
	outbox_new_cid(d->hist_cid);
	f.cid = d->hist_cid;
	f.limit = 50;
	f.has_limit = true;
	if (before > 0) {
		f.before = before;
		f.has_before = true;
	}
	if (!a->welcomed)
		app_note(a, true, "/doc history: not connected");
	else
		docs_send_frame(a, &f);
}

void
docs_show_rev(struct app *a, long long rev)
{
	struct docs *d = &a->docs;
	if (!a->welcomed) {
		app_note(a, true, "/doc rev: not connected");
		return;
	}
	struct proto_frame f = docs_frame_of(d, PT_DOC_GET);
	outbox_new_cid(d->get_cid);
	f.cid = d->get_cid;
	f.rev = rev;
	f.has_rev = true;
	docs_send_frame(a, &f);
	d->ro = true;
	d->ro_loaded = false;
	d->ro_told = false;
	d->ro_rev = rev;
	d->ro_view = (struct dl_view){ 0, -1, 0, 0 };
	d->focused = true;
	a->dirty = true;
}

void
docs_live(struct app *a)
{
	a->docs.ro = false;
	a->docs.get_cid[0] = '\0';
	a->dirty = true;
}

void
docs_note_readonly(struct app *a)
{
	struct docs *d = &a->docs;
	if (d->ro_told)
		return;
	d->ro_told = true;
	app_note(a, false, "revision %lld is read-only: Esc or /doc live returns to "
	    "the live document", d->ro_rev);
}

void
docs_on_history(struct app *a, const struct proto_frame *f)
{
	if (f->nrevisions == 0) {
		app_note(a, false, "%s has no revisions yet", f->doc);
		return;
	}
	app_note(a, false, "history of %s (/doc rev N shows one)%s:", f->doc,
	    f->more ? "; older: /doc history OLDEST" : "");
	/* Runs of one author's revisions within a minute make one line. */
	for (size_t i = 0; i < f->nrevisions;) {
		const struct proto_revision *r = &f->revisions[i];
		size_t j = i + 1;
		while (j < f->nrevisions && strcmp(f->revisions[j].user, r->user) == 0 &&
		    f->revisions[j].ts - f->revisions[j - 1].ts < 60000)
			j++;
		const struct proto_revision *last = &f->revisions[j - 1];
		time_t t = (time_t)(last->ts / 1000);
		struct tm tm;
		char when[32], revs[48];
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%m-%d %H:%M:%S", &tm);
		if (j - i == 1)
			snprintf(revs, sizeof revs, "rev %lld", (long long)r->rev);
		else
			snprintf(revs, sizeof revs, "revs %lld-%lld", (long long)r->rev,
			    (long long)last->rev);
		app_note(a, false, "%-11s %-10s %s", revs, r->user, when);
		i = j;
	}
}

void
docs_on_text(struct app *a, const struct proto_frame *f)
{
	struct docs *d = &a->docs;
	if (!d->ro || strcmp(f->cid, d->get_cid) != 0)
		return;
	if (!dl_set_text(&d->ro_lay, f->text, strlen(f->text))) {
		app_note(a, true, "revision %lld is too large to show", (long long)f->rev);
		docs_live(a);
		return;
	}
	d->ro_loaded = true;
	d->ro_rev = f->rev;
	d->ro_view = (struct dl_view){ 0, -1, 0, 0 };
}

/* ---- drawing ------------------------------------------------------------- */

static void
sync_line(struct app *a)
{
	struct docs *d = &a->docs;
	unsigned n = docs_pending(d);
	if (d->state == DOCS_OFFLINE || !a->welcomed)
		snprintf(d->sync, sizeof d->sync, n ? "offline, edits kept" : "offline");
	else if (d->state == DOCS_CATCHUP)
		snprintf(d->sync, sizeof d->sync, "catching up");
	else if (n == 0)
		snprintf(d->sync, sizeof d->sync, "synced");
	else
		snprintf(d->sync, sizeof d->sync, "%u edit%s pending", n, n == 1 ? "" : "s");
}

static void
collect_others(struct docs *d)
{
	size_t n = d->ot && !d->ro ? otclient_cursor_count(d->ot) : 0;
	struct ui_doc_cursor *v = realloc(d->others, (n ? n : 1) * sizeof *v);
	if (v == NULL) {
		d->nothers = 0;
		return;
	}
	d->others = v;
	d->nothers = n;
	for (size_t i = 0; i < n; i++) {
		const struct otclient_cursor *c = otclient_cursor_at(d->ot, i);
		v[i] = (struct ui_doc_cursor){ c->user, c->sel.anchor, c->sel.head };
	}
}

const struct ui_doc *
docs_view(struct app *a)
{
	struct docs *d = &a->docs;
	if (d->name == NULL)
		return NULL;
	static char note[160];
	sync_line(a);
	collect_others(d);
	struct ui_doc *u = &d->ui;
	*u = (struct ui_doc){ .room = d->room, .name = d->name,
	    .focused = d->focused, .full = d->full, .others = d->others,
	    .nothers = d->nothers, .sync = d->sync, .note = note };
	if (d->ro) {
		u->readonly = true;
		u->rev = d->ro_rev;
		u->lay = d->ro_loaded ? &d->ro_lay : NULL;
		u->view = d->ro_view;
		snprintf(note, sizeof note, "loading revision %lld\xe2\x80\xa6", d->ro_rev);
		return u;
	}
	u->lay = d->ot ? &d->lay : NULL;
	u->rev = d->ot ? (long long)otclient_rev(d->ot) : 0;
	u->view = d->view;
	snprintf(note, sizeof note, docstore_restoring(a) ?
	    "restoring the edits not sent before confab quit\xe2\x80\xa6" :
	    a->welcomed ? "opening %s\xe2\x80\xa6" : "%s opens when connected",
	    d->name);
	return u;
}

void
docs_drawn(struct app *a, const struct ui_drawn *dr)
{
	struct docs *d = &a->docs;
	if (d->name == NULL || !dr->doc_shown)
		return;
	d->rows = dr->doc_rows;
	if (d->ro) {
		if (d->ro_loaded)
			d->ro_view = dr->doc_view;
	} else if (d->ot) {
		d->view.top_line = dr->doc_view.top_line;
		d->view.top_row = dr->doc_view.top_row;
	}
}
