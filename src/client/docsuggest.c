/*
 * docsuggest: suggestions in the document pane (docs/protocol.md,
 * "Suggestions"), Google Docs' "suggesting" mode.
 *
 * Shown. Every open suggestion is drawn in the pane, inserted text inline
 * in the suggester's colour (UI_SPAN_INSERTED), text it would delete
 * struck through (UI_SPAN_DELETED): the pane is handed a shown text, the
 * document with every suggested insert spliced in, and my cursor, the
 * others' cursors and other decorations are mapped into it (a position of
 * the document stands after the inserts made there). The cursor never
 * stands inside someone's suggested text: it is not the document.
 *
 * Where. The suggestions are kept in positions of the local document (the
 * server's head plus my pending edits), as struct suggest (model/suggest.h)
 * ops against it. One from the server (SUGGESTION, DOC_STATE) is at the
 * revision the client holds and is moved through my pending edits on
 * arrival; after that every change of the local text moves them all by
 * the op from the text they were at to the new one (model/textdiff): what
 * is shown stays consistent whatever changed the text, and the server,
 * which moves them through the real ops, has the final word (it applies
 * the accepted op, and says when one is dropped).
 *
 * Suggesting (/doc suggest on, Alt-s). My edits do not change the
 * document: they make a draft, one op against the local text, that each
 * edit is composed into, with its own text (the document with the draft
 * applied) where I type and move. The draft goes out as one DOC_SUGGEST
 * when I pause (SUGGEST_PAUSE_MS without an edit), when the cursor leaves
 * the drafted span, or when suggesting is turned off; Ctrl-Z drops it.
 * One DOC_SUGGEST is in flight at a time, and only when no edit of mine
 * is pending (so that the local text is the revision it names); a draft
 * made meanwhile waits. Sent, it shows as mine until the server's
 * SUGGESTION (or ACK) brings it back; a reconnect sends it again with the
 * same cid, which the server recognises. In a document I may not edit
 * (protected, DOC_STATE's can_edit false) suggesting is always on.
 *
 * Alt-y / Alt-n (/doc accept, /doc reject) act on the suggestion under the
 * cursor: one inserting right before it, or deleting text it stands in or
 * at the end of; /doc accept ID names one. /doc suggestions lists them,
 * /doc protect on|off asks the server to protect the document (those are
 * in docsuggest_cmd.c; the shown text in docsuggest_view.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/docsuggest_impl.h"
#include "model/textdiff.h"
#include "model/utf8.h"
#include "model/xmalloc.h"
#include "net/outbox.h"

struct docsuggest *
docsuggest_state_of(struct docs *d)
{
	if (d->sug == NULL) {
		d->sug = xcalloc(1, sizeof *d->sug);
		d->sug->can_edit = true;
		dl_init(&d->sug->dlay);
		dl_init(&d->sug->slay);
	}
	return d->sug;
}

static void
item_free(struct item *it)
{
	free(it->user);
	suggest_free(&it->s);
}

static void
drop_draft(struct docsuggest *g)
{
	if (g->has_draft)
		ot_free(&g->draft);
	g->has_draft = g->draft_due = false;
}

static void
drop_flight(struct docsuggest *g)
{
	if (g->has_flight)
		suggest_free(&g->flight);
	g->has_flight = g->flight_sent = false;
	g->flight_cid[0] = '\0';
}

static void
clear_items(struct docsuggest *g)
{
	for (size_t i = 0; i < g->n; i++)
		item_free(&g->v[i]);
	g->n = 0;
}

void
docsuggest_free(struct docs *d)
{
	struct docsuggest *g = d->sug;
	if (g == NULL)
		return;
	clear_items(g);
	free(g->v);
	drop_draft(g);
	drop_flight(g);
	free(g->base);
	dl_free(&g->dlay);
	dl_free(&g->slay);
	free(g->spans);
	free(g->map);
	free(g);
	d->sug = NULL;
}

bool
docsuggest_on(const struct docs *d)
{
	return d->sug != NULL && d->sug->on;
}

bool
docsuggest_can_edit(const struct docs *d)
{
	return d->sug == NULL || d->sug->can_edit;
}

bool
docsuggest_may_change(struct docs *d, const char *what)
{
	if (!docsuggest_can_edit(d)) {
		port_note(d->port, true, "%s: %s is protected: you may only suggest "
		    "(type, or delete, to draft one)", what, d->name);
		return false;
	}
	if (docsuggest_on(d)) {
		port_note(d->port, true, "%s is not made while suggesting: type or "
		    "delete to draft a suggestion, or Alt-s to edit again", what);
		return false;
	}
	return true;
}

/* ---- keeping positions in the local text --------------------------------- */

static void
remove_at(struct docsuggest *g, size_t i)
{
	item_free(&g->v[i]);
	memmove(&g->v[i], &g->v[i + 1], (g->n - i - 1) * sizeof *g->v);
	g->n--;
}

static bool
remove_id(struct docsuggest *g, long long id)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].id == id) {
			remove_at(g, i);
			return true;
		}
	return false;
}

void
docsuggest_sync(struct docs *d)
{
	struct docsuggest *g = docsuggest_state_of(d);
	const char *now = d->lay.text ? d->lay.text : "";
	size_t len = d->lay.len;
	if (g->base != NULL && g->base_len == len && memcmp(g->base, now, len) == 0)
		return;
	struct ot_op delta = OT_OP_INIT;
	bool moved = g->base != NULL &&
	    textdiff_op(g->base, g->base_len, now, len, &delta);
	for (size_t i = 0; i < g->n;) {
		if (moved && suggest_advance(&g->v[i].s, &delta) == SUGGEST_OK)
			i++;
		else
			remove_at(g, i); /* the next DOC_STATE brings it back */
	}
	if (g->has_flight && (!moved || suggest_advance(&g->flight, &delta) != SUGGEST_OK))
		drop_flight(g);
	if (g->has_draft) {
		struct ot_op dp = OT_OP_INIT, np = OT_OP_INIT;
		if (moved && ot_transform(&delta, &g->draft, &dp, &np) == OT_OK) {
			struct ot_selection sel = {g->dview.cursor, g->dview.cursor};
			sel = ot_transform_selection(&dp, sel, false);
			char *t = NULL;
			size_t tl = 0;
			ot_free(&g->draft);
			g->draft = np;
			if (ot_apply(&g->draft, now, len, &t, &tl) == OT_OK &&
			    dl_sync(&g->dlay, t, tl)) {
				g->dview.cursor = sel.head;
			} else {
				drop_draft(g);
			}
			free(t);
			ot_free(&dp);
		} else {
			drop_draft(g);
		}
	}
	ot_free(&delta);
	free(g->base);
	g->base = xmalloc(len + 1);
	memcpy(g->base, now, len);
	g->base[len] = '\0';
	g->base_len = len;
}

/* An op the server sent at revision rev, moved to the local text; false
 * when it is not at the revision held or does not fit. */
static bool
to_local(struct docs *d, long long rev, const cJSON *json, struct suggest *out)
{
	if (d->ot == NULL || rev != (long long)otclient_rev(d->ot))
		return false;
	struct ot_op op = OT_OP_INIT;
	if (ot_decode_json(json, &op, NULL, 0) != OT_OK)
		return false;
	enum suggest_status st = suggest_init(out, &op, 0);
	ot_free(&op);
	if (st != SUGGEST_OK)
		return false;
	const struct ot_op *p[2] = {otclient_inflight(d->ot), otclient_buffer(d->ot)};
	for (int i = 0; i < 2; i++)
		if (p[i] != NULL && suggest_advance(out, p[i]) != SUGGEST_OK) {
			suggest_free(out);
			return false;
		}
	if (out->op.base_len == d->lay.ncp)
		return true;
	suggest_free(out);
	return false;
}

static void
add_item(struct docs *d, long long id, const char *user, long long rev,
    const cJSON *op)
{
	struct docsuggest *g = docsuggest_state_of(d);
	struct suggest s;
	if (!to_local(d, rev, op, &s)) {
		port_log(d->port, "doc %s: suggestion %lld at rev %lld not shown", d->name,
		    id, rev);
		return;
	}
	remove_id(g, id);
	xgrow(&g->v, &g->cap, g->n + 1, sizeof *g->v);
	size_t i = g->n;
	while (i > 0 && g->v[i - 1].id > id)
		i--;
	memmove(&g->v[i + 1], &g->v[i], (g->n - i) * sizeof *g->v);
	g->v[i] = (struct item){id, xstrdup(user), s};
	g->n++;
}

/* ---- sending ------------------------------------------------------------- */

/* The local position of my cursor in the draft's text. */
static size_t
draft_to_local(const struct ot_op *draft, size_t t)
{
	size_t local = 0, target = 0;
	for (size_t i = 0; i < draft->ncomps; i++) {
		const struct ot_comp *c = &draft->comps[i];
		if (c->kind == OT_RETAIN) {
			if (t < target + c->n)
				return local + (t - target);
			local += c->n;
			target += c->n;
		} else if (c->kind == OT_INSERT) {
			if (t <= target + c->n)
				return local;
			target += c->n;
		} else {
			local += c->n;
		}
	}
	return local;
}

/* The draft becomes the suggestion to send (when none is in flight). */
static void
seal_draft(struct docs *d)
{
	struct docsuggest *g = docsuggest_state_of(d);
	if (!g->has_draft || g->has_flight)
		return;
	size_t cur = draft_to_local(&g->draft, g->dview.cursor);
	struct suggest s;
	if (suggest_init(&s, &g->draft, 0) == SUGGEST_OK) {
		g->flight = s;
		g->has_flight = true;
		g->flight_sent = false;
		outbox_new_cid(g->flight_cid);
	}
	drop_draft(g);
	if (d->ot != NULL) {
		otclient_set_selection(d->ot, (struct ot_selection){cur, cur});
		d->view.cursor = otclient_selection(d->ot).head;
		d->view.goal = -1;
		docs_cursor_moved(d);
	}
}

static void
pump(struct docs *d)
{
	struct docsuggest *g = d->sug;
	if (g == NULL || d->ot == NULL)
		return;
	docsuggest_sync(d);
	int64_t now = port_now(d->port);
	if (g->has_draft && (g->draft_due || now - g->edited >= SUGGEST_PAUSE_MS))
		seal_draft(d);
	if (!g->has_flight || g->flight_sent || !d->online || d->state != DOCS_LIVE ||
	    otclient_state(d->ot) != OTCLIENT_SYNCHRONIZED)
		return;
	cJSON *op = ot_encode_json(&g->flight.op);
	struct proto_frame f = docs_frame_of(d, PT_DOC_SUGGEST);
	f.cid = g->flight_cid;
	f.rev = (int64_t)otclient_rev(d->ot);
	f.has_rev = true;
	f.op = op;
	docs_send_frame(d, &f);
	cJSON_Delete(op);
	g->flight_sent = true;
}

int64_t
docsuggest_deadline(const struct docs *d)
{
	const struct docsuggest *g = d->sug;
	if (g == NULL || !g->has_draft || g->has_flight)
		return INT64_MAX;
	return g->draft_due ? 0 : g->edited + SUGGEST_PAUSE_MS;
}

void
docsuggest_tick(struct docs *d)
{
	pump(d);
}

/* ---- drafting ------------------------------------------------------------ */

static void
start_draft(struct docs *d)
{
	struct docsuggest *g = docsuggest_state_of(d);
	docsuggest_sync(d);
	if (g->has_draft)
		return;
	ot_init(&g->draft);
	ot_retain(&g->draft, d->lay.ncp);
	g->has_draft = true;
	g->draft_due = false;
	dl_sync(&g->dlay, d->lay.text ? d->lay.text : "", d->lay.len);
	g->dview = d->view;
	g->dview.goal = -1;
}

/* Replaces [from, to) of the draft's text by text. */
static void
draft_replace(struct docs *d, size_t from, size_t to, const char *text)
{
	struct docsuggest *g = d->sug;
	size_t n = g->dlay.ncp;
	if (from > to || to > n)
		return;
	struct ot_op e = OT_OP_INIT, next = OT_OP_INIT;
	if (ot_retain(&e, from) != OT_OK || ot_insert(&e, text, strlen(text)) != OT_OK ||
	    ot_delete(&e, to - from) != OT_OK || ot_retain(&e, n - to) != OT_OK ||
	    ot_compose(&g->draft, &e, &next) != OT_OK) {
		ot_free(&e);
		return;
	}
	ot_free(&g->draft);
	g->draft = next;
	if (!dl_apply(&g->dlay, &e)) {
		char *t = NULL;
		size_t tl = 0;
		if (ot_apply(&g->draft, d->lay.text, d->lay.len, &t, &tl) == OT_OK)
			dl_sync(&g->dlay, t, tl);
		free(t);
	}
	g->dview.cursor = from + utf8_count(text, strlen(text));
	g->dview.goal = -1;
	g->edited = port_now(d->port);
	ot_free(&e);
	port_redraw(d->port);
}

/* The drafted span, in the draft's text. */
static void
draft_span(const struct ot_op *draft, size_t *lo, size_t *hi)
{
	size_t t = 0;
	bool any = false;
	*lo = *hi = 0;
	for (size_t i = 0; i < draft->ncomps; i++) {
		const struct ot_comp *c = &draft->comps[i];
		if (c->kind != OT_RETAIN && !any) {
			*lo = t;
			any = true;
		}
		if (c->kind != OT_DELETE)
			t += c->n;
		if (c->kind != OT_RETAIN)
			*hi = t;
	}
}

static void
draft_move(struct docs *d, enum dl_move m)
{
	struct docsuggest *g = d->sug;
	dl_move(&g->dlay, &g->dview, m, d->rows);
	size_t lo, hi;
	draft_span(&g->draft, &lo, &hi);
	if (g->dview.cursor < lo || g->dview.cursor > hi) {
		g->draft_due = true; /* moved away: it goes now */
		pump(d);
	}
	port_redraw(d->port);
}

static void
draft_erase(struct docs *d, enum dl_move m)
{
	struct docsuggest *g = d->sug;
	struct dl_view v = g->dview;
	dl_move(&g->dlay, &v, m, d->rows);
	size_t x = g->dview.cursor, y = v.cursor;
	if (x != y)
		draft_replace(d, x < y ? x : y, x < y ? y : x, "");
}

static void
draft_kill_line(struct docs *d, bool to_end)
{
	struct docsuggest *g = d->sug;
	size_t cur = g->dview.cursor, i = dl_line_of(&g->dlay, cur);
	size_t start = g->dlay.lines[i].cp, end = start + dl_line_cps(&g->dlay, i);
	if (to_end)
		draft_replace(d, cur, cur == end && end < g->dlay.ncp ? end + 1 : end, "");
	else
		draft_replace(d, start, cur, "");
}

static bool
motion_of(int op, enum dl_move *m)
{
	switch ((enum edit_op)op) {
	case EDIT_LEFT: *m = DL_LEFT; return true;
	case EDIT_RIGHT: *m = DL_RIGHT; return true;
	case EDIT_HOME: *m = DL_HOME; return true;
	case EDIT_END: *m = DL_END; return true;
	case EDIT_WORD_LEFT: *m = DL_WORD_LEFT; return true;
	case EDIT_WORD_RIGHT: *m = DL_WORD_RIGHT; return true;
	default: return false;
	}
}

/* An edit key while suggesting: into the draft. */
static void
draft_edit(struct docs *d, const struct ui_intent *in)
{
	struct docsuggest *g = d->sug;
	start_draft(d);
	if (!g->has_draft)
		return;
	size_t cur = g->dview.cursor;
	switch (in->kind) {
	case UI_INSERT: case UI_PASTE: draft_replace(d, cur, cur, in->text); break;
	case UI_SUBMIT: draft_replace(d, cur, cur, "\n"); break;
	case UI_COMPLETE: draft_replace(d, cur, cur, "    "); break;
	default:
		switch ((enum edit_op)in->op) {
		case EDIT_BACKSPACE: draft_erase(d, DL_LEFT); break;
		case EDIT_DELETE: draft_erase(d, DL_RIGHT); break;
		case EDIT_KILL_WORD_BACK: draft_erase(d, DL_WORD_LEFT); break;
		case EDIT_KILL_WORD_FORWARD: draft_erase(d, DL_WORD_RIGHT); break;
		case EDIT_KILL_TO_END: draft_kill_line(d, true); break;
		case EDIT_KILL_TO_START: draft_kill_line(d, false); break;
		default: break;
		}
	}
	if (ot_is_noop(&g->draft)) {
		size_t c = draft_to_local(&g->draft, g->dview.cursor);
		drop_draft(g); /* typed and erased again: nothing to suggest */
		d->view.cursor = c;
	}
}

bool
docsuggest_key(struct docs *d, struct ui_intent *in)
{
	switch (in->kind) {
	case UI_SUGGEST_MODE: docsuggest_set(d, !docsuggest_on(d)); return true;
	case UI_SUGGEST_ACCEPT: docsuggest_decide(d, true, 0); return true;
	case UI_SUGGEST_REJECT: docsuggest_decide(d, false, 0); return true;
	default: break;
	}
	struct docsuggest *g = d->sug;
	if (g == NULL || !g->on || d->ro || d->ot == NULL)
		return false;
	enum dl_move m;
	switch (in->kind) {
	case UI_INSERT: case UI_PASTE: case UI_SUBMIT: case UI_COMPLETE:
		draft_edit(d, in);
		return true;
	case UI_EDIT:
		if (motion_of(in->op, &m)) {
			if (!g->has_draft)
				return false;
			draft_move(d, m);
		} else if (in->op != EDIT_YANK && in->op != EDIT_TRANSPOSE) {
			draft_edit(d, in);
		}
		return true;
	case UI_HISTORY_PREV: case UI_HISTORY_NEXT: case UI_SCROLL_PAGE:
		if (!g->has_draft)
			return false;
		draft_move(d, in->kind == UI_HISTORY_PREV ? DL_UP : in->kind ==
		    UI_HISTORY_NEXT ? DL_DOWN : in->n > 0 ? DL_PAGE_UP : DL_PAGE_DOWN);
		return true;
	case UI_UNDO:
		if (g->has_draft) {
			d->view.cursor = draft_to_local(&g->draft, g->dview.cursor);
			drop_draft(g);
			port_note(d->port, false, "draft suggestion dropped");
		} else {
			port_note(d->port, false, "suggesting: Ctrl-Z drops the draft; "
			    "/doc reject withdraws a suggestion sent");
		}
		port_redraw(d->port);
		return true;
	default:
		return false;
	}
}

void
docsuggest_set(struct docs *d, bool on)
{
	if (d->name == NULL) {
		port_note(d->port, true, "no document open: /doc NAME opens one");
		return;
	}
	struct docsuggest *g = docsuggest_state_of(d);
	if (!on && !g->can_edit) {
		port_note(d->port, true, "%s is protected: you may only suggest", d->name);
		return;
	}
	if (!on && g->has_draft) {
		g->draft_due = true;
		pump(d);
	}
	g->on = on;
	port_note(d->port, false, on ? "suggesting: your edits to %s become "
	    "suggestions (Alt-s or /doc suggest off to edit)" : "editing %s",
	    d->name);
	port_redraw(d->port);
}

/* ---- frames -------------------------------------------------------------- */

static void
set_rights(struct docs *d, bool protect, bool can_edit)
{
	struct docsuggest *g = docsuggest_state_of(d);
	g->protect = protect;
	bool was = g->can_edit;
	g->can_edit = can_edit;
	if (!can_edit && !g->on) {
		g->on = true;
		port_note(d->port, false, "%s is protected: your edits become suggestions",
		    d->name);
	} else if (can_edit && !was) {
		port_note(d->port, false, "%s may be edited again (Alt-s: suggesting off)",
		    d->name);
	}
}

void
docsuggest_state(struct docs *d, const struct proto_frame *f)
{
	if (d->ot == NULL)
		return;
	struct docsuggest *g = docsuggest_state_of(d);
	docsuggest_sync(d);
	clear_items(g);
	for (size_t i = 0; i < f->nsuggestions; i++) {
		const struct proto_suggestion *s = &f->suggestions[i];
		add_item(d, s->id, s->user, f->rev, s->op);
	}
	set_rights(d, f->is_protected, !f->has_can_edit || f->can_edit);
	g->flight_sent = false; /* a reopen: sent again, recognised by its cid */
	pump(d);
}

void
docsuggest_op(struct docs *d, const struct proto_frame *f)
{
	if (!f->has_suggestion || d->ot == NULL)
		return;
	docsuggest_sync(d);
	remove_id(docsuggest_state_of(d), f->suggestion);
	port_note(d->port, false, "%s's suggestion #%lld accepted by %s", f->user,
	    (long long)f->suggestion, f->by ? f->by : "?");
}

static bool
on_ack(struct docs *d, const struct proto_frame *f)
{
	struct docsuggest *g = d->sug;
	if (g != NULL && g->has_flight && strcmp(f->cid, g->flight_cid) == 0) {
		drop_flight(g);
		pump(d); /* a draft may wait for it */
		return true;
	}
	return f->has_suggestion;
}

static bool
on_error(struct docs *d, const struct proto_frame *f)
{
	const char *ref = f->ref ? f->ref : "";
	struct docsuggest *g = d->sug;
	if (strcmp(ref, "DOC_SUGGEST") == 0) {
		if (g != NULL && f->cid && strcmp(f->cid, g->flight_cid) == 0)
			drop_flight(g);
		port_note(d->port, true, "suggestion not made: %s", f->reason);
	} else if (strcmp(ref, "SUGGEST_ACCEPT") == 0 ||
	    strcmp(ref, "SUGGEST_REJECT") == 0) {
		port_note(d->port, true, "/doc %s: %s", ref[8] == 'A' ? "accept" : "reject",
		    f->reason);
	} else if (strcmp(ref, "DOC_MODE") == 0) {
		port_note(d->port, true, "/doc protect: %s", f->reason);
	} else {
		return false;
	}
	port_redraw(d->port);
	return true;
}

bool
docsuggest_frame(struct docs *d, const struct proto_frame *f)
{
	bool mine = f->type == PT_SUGGESTION || f->type == PT_SUGGESTION_CLOSED ||
	    f->type == PT_DOC_MODE;
	if (d->name == NULL)
		return mine;
	if (f->type == PT_ERROR)
		return on_error(d, f);
	bool ours = f->doc != NULL && f->room != NULL &&
	    strcmp(f->doc, d->name) == 0 && strcmp(f->room, d->room) == 0;
	if (f->type == PT_ACK)
		return ours && f->cid != NULL && on_ack(d, f);
	if (!mine || !ours || d->ot == NULL)
		return mine;
	docsuggest_sync(d);
	struct docsuggest *g = docsuggest_state_of(d);
	if (f->type == PT_SUGGESTION) {
		if (g->has_flight && f->cid && strcmp(f->cid, g->flight_cid) == 0)
			drop_flight(g);
		add_item(d, f->suggestion, f->user, f->rev, f->op);
	} else if (f->type == PT_SUGGESTION_CLOSED) {
		remove_id(g, f->suggestion);
		bool dropped = f->event != NULL && strcmp(f->event, "dropped") == 0;
		port_note(d->port, false, "suggestion #%lld %s%s%s", (long long)f->suggestion,
		    dropped ? "dropped: the text it changed was deleted" : "rejected",
		    dropped ? "" : " by ", dropped ? "" : f->by ? f->by : "?");
	} else {
		set_rights(d, f->is_protected, !f->has_can_edit || f->can_edit);
		port_note(d->port, false, "%s %s %s", f->by, f->is_protected ? "protected"
		    : "unprotected", d->name);
	}
	pump(d);
	port_redraw(d->port);
	return true;
}
