/*
 * docview: the document pane's read-only side and what it shows: the
 * revision list (/doc history), an old revision (/doc rev N, drawn from a
 * mirror of its own while the live document goes on underneath), and the
 * struct ui_doc that ui_draw gets each frame (see docs.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

#include "client/docedit.h"
#include "client/docs.h"
#include "model/xmalloc.h"
#include "net/outbox.h"

/* ---- history and old revisions ------------------------------------------- */

void
docs_history(struct docs *d, long long before)
{
	struct proto_frame f = docs_frame_of(d, PT_DOC_HISTORY);
	outbox_new_cid(d->hist_cid);
	f.cid = d->hist_cid;
	f.limit = 50;
	f.has_limit = true;
	if (before > 0) {
		f.before = before;
		f.has_before = true;
	}
	if (!d->online)
		port_note(d->port, true, "/doc history: not connected");
	else
		docs_send_frame(d, &f);
}

void
docs_show_rev(struct docs *d, long long rev)
{
	if (!d->online) {
		port_note(d->port, true, "/doc rev: not connected");
		return;
	}
	struct proto_frame f = docs_frame_of(d, PT_DOC_GET);
	outbox_new_cid(d->get_cid);
	f.cid = d->get_cid;
	f.rev = rev;
	f.has_rev = true;
	docs_send_frame(d, &f);
	if (!d->ro)
		d->focus_before_ro = d->focused;
	d->ro = true;
	d->ver.diff = false;
	d->ro_loaded = false;
	d->ro_told = false;
	d->ro_rev = rev;
	d->ro_view = (struct dl_view){ 0, -1, 0, 0 };
	d->focused = true;
	port_redraw(d->port);
}

/* Back to the live text; the keys go back to where they were before the
 * old revision was asked for (a failed /doc rev leaves them there too). */
void
docs_live(struct docs *d)
{
	if (d->ro)
		d->focused = d->focus_before_ro;
	d->ro = false;
	d->ver.diff = false;
	d->get_cid[0] = '\0';
	port_redraw(d->port);
}

void
docs_note_readonly(struct docs *d)
{
	if (d->ro_told)
		return;
	d->ro_told = true;
	port_note(d->port, false, "revision %lld is read-only: Esc or /doc live returns to "
	    "the live document", d->ro_rev);
}

void
docs_on_history(struct docs *d, const struct proto_frame *f)
{
	docver_names(d, f);
	char names[256];
	if (f->nrevisions == 0) {
		port_note(d->port, false, "%s has no revisions yet", f->doc);
		return;
	}
	port_note(d->port, false, "history of %s (/doc rev N shows one)%s:", f->doc,
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
		docver_names_of(d, r->rev, last->rev, names, sizeof names);
		port_note(d->port, false, "%-11s %-10s %s%s%s%s", revs, r->user, when,
		    names[0] ? "  [" : "", names, names[0] ? "]" : "");
		i = j;
	}
	docver_names_of(d, 0, INT64_MAX, names, sizeof names);
	if (names[0])
		port_note(d->port, false, "versions: %s (/doc restore NAME, /doc diff A B)",
		    names);
}

void
docs_on_text(struct docs *d, const struct proto_frame *f)
{
	if (!d->ro || strcmp(f->cid, d->get_cid) != 0)
		return;
	if (!dl_set_text(&d->ro_lay, f->text, strlen(f->text))) {
		port_note(d->port, true, "revision %lld is too large to show", (long long)f->rev);
		docs_live(d);
		return;
	}
	d->ro_loaded = true;
	d->ro_rev = f->rev;
	d->ro_view = (struct dl_view){ 0, -1, 0, 0 };
}

/* ---- drawing ------------------------------------------------------------- */

static void
sync_line(struct docs *d)
{
	unsigned n = docs_pending(d);
	if (d->state == DOCS_OFFLINE || !d->online)
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
	struct ui_doc_cursor *v = xreallocarray(d->others, n ? n : 1, sizeof *v);
	d->others = v;
	d->nothers = n;
	for (size_t i = 0; i < n; i++) {
		const struct otclient_cursor *c = otclient_cursor_at(d->ot, i);
		v[i] = (struct ui_doc_cursor){ c->user, c->sel.anchor, c->sel.head };
	}
}

static int
span_by_start(const void *a, const void *b)
{
	const struct ui_doc_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Adds the spans a part left in u to d->spans, and points u there. */
static void
take_spans(struct docs *d, struct ui_doc *u)
{
	if (u->spans != d->spans) {
		xgrow(&d->spans, &d->spans_cap, d->nspans + u->nspans + 1,
		    sizeof *d->spans);
		if (u->nspans > 0)
			memcpy(d->spans + d->nspans, u->spans,
			    u->nspans * sizeof *u->spans);
		d->nspans += u->nspans;
	}
	u->spans = d->spans;
	u->nspans = d->nspans;
}

const struct ui_doc *
docs_view(struct docs *d)
{
	if (d->name == NULL)
		return NULL;
	static char note[160];
	sync_line(d);
	collect_others(d);
	struct ui_doc *u = &d->ui;
	*u = (struct ui_doc){ .room = d->room, .name = d->name,
	    .focused = d->focused, .full = d->full, .others = d->others,
	    .nothers = d->nothers, .sync = d->sync, .note = note };
	if (d->ro) {
		u->readonly = true;
		u->rev = d->ro_rev;
		u->diff = d->ver.diff;
		u->title = d->ver.diff ? d->ver.title : NULL;
		u->lay = d->ro_loaded ? &d->ro_lay : NULL;
		u->view = d->ro_view;
		snprintf(note, sizeof note, "loading revision %lld\xe2\x80\xa6", d->ro_rev);
		docs_edit_view(d, u);
		return u;
	}
	u->lay = d->ot ? &d->lay : NULL;
	u->rev = d->ot ? (long long)otclient_rev(d->ot) : 0;
	u->view = d->view;
	/* Each part hands its spans in u; they are gathered in d->spans and
	 * then shown through the suggestions' text, if any. */
	d->nspans = 0;
	docs_edit_view(d, u);
	take_spans(d, u);
	doccomments_view(d, u);
	take_spans(d, u);
	if (d->nspans > 1)
		qsort(d->spans, d->nspans, sizeof *d->spans, span_by_start);
	docsuggest_view(d, u);
	snprintf(note, sizeof note, docstore_restoring(d) ?
	    "restoring the edits not sent before confab quit\xe2\x80\xa6" :
	    d->online ? "opening %s\xe2\x80\xa6" : "%s opens when connected",
	    d->name);
	return u;
}

void
docs_drawn(struct docs *d, const struct ui_drawn *dr)
{
	if (d->name == NULL || !dr->doc_shown)
		return;
	d->rows = dr->doc_rows;
	if (docsuggest_drawn(d, dr))
		return;
	if (d->ro) {
		if (d->ro_loaded)
			d->ro_view = dr->doc_view;
	} else if (d->ot) {
		d->view.top_line = dr->doc_view.top_line;
		d->view.top_row = dr->doc_view.top_row;
	}
}
