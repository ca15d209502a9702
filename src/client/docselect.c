/*
 * docselect: my selection in the document pane, the clipboard, the kill
 * ring, and the decorations the pane draws (see docedit.h).
 *
 * The selection is the OT client's (anchor, head); Shift with a motion
 * key moves the head and leaves the anchor, a mouse press puts both at
 * the cell pressed and a drag moves the head. Any other motion collapses
 * it (docedit.c sets the selection to the cursor). Typing, a paste or a
 * yank replace it; Backspace and Delete delete it; Ctrl-W cuts it.
 *
 * An old revision shown read-only (/doc rev N) has a selection of its
 * own, kept here (the OT client's is the live text's): Shift-motion and
 * the mouse make it, Alt-W copies it, any other key drops it.
 *
 * Cut (Ctrl-W) and copy (Alt-W) put the text on the terminal's clipboard
 * through the port's copy (OSC 52, as the message cursor's copy does) and
 * on the kill ring; kills (Ctrl-K, Ctrl-U, Ctrl-W with nothing selected,
 * Alt-D) only on the ring, joined while they follow each other, as in
 * emacs. Ctrl-Y yanks the newest; Alt-Y right after replaces what was
 * just yanked by the kill before it, round the ring. A yank-pop checks
 * that the yanked text is still where it was put: someone else's edit in
 * between may have moved or changed it, and then it says so rather than
 * replace the wrong text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/docedit.h"
#include "model/osc52.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

struct docs_edit *
docs_edit(struct docs *d)
{
	if (d->edit == NULL) {
		d->edit = xcalloc(1, sizeof *d->edit);
		killring_init(&d->edit->ring);
		d->edit->found = xcalloc(DOCS_FIND_SHOWN, sizeof *d->edit->found);
	}
	return d->edit;
}

void
docs_edit_forget(struct docs *d)
{
	struct docs_edit *e = d->edit;
	if (e == NULL)
		return;
	e->prompt = DP_NONE;
	e->highlight = e->stepping = e->dragging = e->ro_sel = false;
	e->info[0] = '\0';
	e->last = e->prev = DE_OTHER;
}

void
docs_edit_free(struct docs *d)
{
	struct docs_edit *e = d->edit;
	if (e == NULL)
		return;
	killring_free(&e->ring);
	findq_free(&e->q);
	free(e->query);
	free(e->spans);
	free(e->found);
	free(e);
	d->edit = NULL;
}

bool
docs_selection(struct docs *d, size_t *from, size_t *to)
{
	if (d->ot == NULL || d->ro)
		return false;
	struct ot_selection s = otclient_selection(d->ot);
	size_t n = d->lay.ncp;
	size_t a = s.anchor < n ? s.anchor : n, h = s.head < n ? s.head : n;
	*from = a < h ? a : h;
	*to = a < h ? h : a;
	return *from != *to;
}

/* The selection of the text shown (the live one, or an old revision's)
 * and that text; false when it is empty. */
static bool
shown_selection(struct docs *d, struct doclayout **lay, size_t *from,
    size_t *to)
{
	struct docs_edit *e = docs_edit(d);
	if (!d->ro) {
		*lay = &d->lay;
		return docs_selection(d, from, to);
	}
	if (!d->ro_loaded || !e->ro_sel)
		return false;
	*lay = &d->ro_lay;
	size_t n = d->ro_lay.ncp, a = e->ro_anchor < n ? e->ro_anchor : n;
	size_t h = d->ro_view.cursor < n ? d->ro_view.cursor : n;
	*from = a < h ? a : h;
	*to = a < h ? h : a;
	return *from != *to;
}

/* Code points [from, to) of l, a copy. */
static char *
text_of(const struct doclayout *l, size_t from, size_t to, size_t *len)
{
	size_t a = dl_byte_of(l, from), b = dl_byte_of(l, to);
	*len = b - a;
	char *s = xmalloc(*len + 1);
	memcpy(s, l->text + a, *len);
	s[*len] = '\0';
	return s;
}

static void
set_selection(struct docs *d, size_t anchor, size_t head)
{
	otclient_set_selection(d->ot, (struct ot_selection){ anchor, head });
	d->view.cursor = otclient_selection(d->ot).head;
	d->view.goal = -1;
	otclient_undo_boundary(d->ot);
	docs_cursor_moved(d);
}

/* ---- Shift-motion and the mouse ------------------------------------------ */

static void
select_move(struct docs *d, enum dl_move m)
{
	if (d->ro) {
		struct docs_edit *e = docs_edit(d);
		if (!d->ro_loaded)
			return;
		if (!e->ro_sel)
			e->ro_anchor = d->ro_view.cursor;
		e->ro_sel = true;
		dl_move(&d->ro_lay, &d->ro_view, m, d->rows);
		return;
	}
	if (d->ot == NULL)
		return;
	size_t anchor = otclient_selection(d->ot).anchor;
	if (dl_move(&d->lay, &d->view, m, d->rows)) {
		int goal = d->view.goal;
		set_selection(d, anchor, d->view.cursor);
		d->view.goal = goal;   /* Shift-Up, Shift-Up keeps the column */
	}
}

/* The code point under cell (x, y) of the text as last drawn. */
static size_t
point_at(struct doclayout *l, const struct dl_view *v, int x, int y)
{
	size_t line = v->top_line < l->nlines ? v->top_line : l->nlines - 1;
	int row = v->top_line < l->nlines ? v->top_row : 0;
	if (row >= dl_rows(l, line))
		row = dl_rows(l, line) - 1;
	int moved = dl_step(l, &line, &row, y);
	if (y > 0 && moved < y)
		return l->ncp;     /* below the last row */
	return dl_at(l, line, row, x < 0 ? 0 : x);
}

static void
mouse(struct docs *d, const struct ui_intent *in)
{
	struct docs_edit *e = docs_edit(d);
	if (in->n == UI_MOUSE_PRESS) {
		d->focused = true;
		e->dragging = true;
	} else if (!e->dragging) {
		return;
	}
	if (in->n == UI_MOUSE_RELEASE)
		e->dragging = false;
	if (d->ro) {
		if (!d->ro_loaded)
			return;
		d->ro_view.cursor = point_at(&d->ro_lay, &d->ro_view, in->x, in->y);
		d->ro_view.goal = -1;
		if (in->n == UI_MOUSE_PRESS)
			e->ro_anchor = d->ro_view.cursor;
		e->ro_sel = true;
		port_redraw(d->port);
		return;
	}
	if (d->ot == NULL)
		return;
	struct doclayout *sl;
	struct dl_view *sv;
	size_t p = docsuggest_point(d, &sl, &sv) ?
	    docsuggest_local_of(d, point_at(sl, sv, in->x, in->y)) :
	    point_at(&d->lay, &d->view, in->x, in->y);
	size_t anchor = in->n == UI_MOUSE_PRESS ? p : otclient_selection(d->ot).anchor;
	set_selection(d, anchor, p);
	port_redraw(d->port);
}

/* ---- the clipboard and the kill ring ------------------------------------- */

static void
to_clipboard(struct docs *d, const char *text, size_t len, const char *what)
{
	size_t n = utf8_count(text, len);
	if (d->port->copy == NULL) {
		port_note(d->port, false, "%s %zu characters to the kill ring", what, n);
	} else if (len > OSC52_MAX_TEXT) {
		port_note(d->port, true, "%s %zu characters to the kill ring (Ctrl-Y); too "
		    "long for the terminal's clipboard (%d KB at most)", what, n,
		    OSC52_MAX_TEXT / 1024);
	} else {
		d->port->copy(d->port->ud, text);
		port_note(d->port, false, "%s %zu characters to the clipboard", what, n);
	}
}

/* Alt-W, and Ctrl-W with a selection. */
static void
copy(struct docs *d, bool cut)
{
	struct docs_edit *e = docs_edit(d);
	size_t from, to;
	struct doclayout *lay;
	if (!shown_selection(d, &lay, &from, &to)) {
		port_note(d->port, false, "nothing selected: Shift with the arrows, or a "
		    "mouse drag, selects");
		return;
	}
	if (cut && !docs_editable(d))
		return;
	size_t len;
	char *text = text_of(lay, from, to, &len);
	bool kept = killring_push(&e->ring, text, len, KILLRING_NEW);
	if (!cut || docs_replace(d, from, to, ""))
		to_clipboard(d, text, len, cut ? "cut" : "copied");
	if (!kept)
		port_note(d->port, true, "too long for the kill ring (%u MB at most)",
		    KILLRING_BYTES >> 20);
	free(text);
}

/* Ctrl-K, Ctrl-U, Ctrl-W (nothing selected), Alt-D. */
static void
kill(struct docs *d, enum edit_op op)
{
	struct docs_edit *e = docs_edit(d);
	if (!docs_editable(d))
		return;
	size_t cur = d->view.cursor, from = cur, to = cur;
	bool forward = op == EDIT_KILL_TO_END || op == EDIT_KILL_WORD_FORWARD;
	if (op == EDIT_KILL_TO_END || op == EDIT_KILL_TO_START) {
		size_t i = dl_line_of(&d->lay, cur);
		size_t start = d->lay.lines[i].cp, end = start + dl_line_cps(&d->lay, i);
		if (forward)
			to = cur == end && end < d->lay.ncp ? end + 1 : end;
		else
			from = start;
	} else {
		struct dl_view v = d->view;
		dl_move(&d->lay, &v, forward ? DL_WORD_RIGHT : DL_WORD_LEFT, d->rows);
		if (forward)
			to = v.cursor;
		else
			from = v.cursor;
	}
	e->last = DE_KILL;
	if (from >= to)
		return;
	size_t len;
	char *text = text_of(&d->lay, from, to, &len);
	enum killring_join j = e->prev != DE_KILL ? KILLRING_NEW :
	    forward ? KILLRING_APPEND : KILLRING_PREPEND;
	if (!killring_push(&e->ring, text, len, j))
		port_note(d->port, true, "too long for the kill ring (%u MB at most)",
		    KILLRING_BYTES >> 20);
	docs_replace(d, from, to, "");
	free(text);
}

static void
put_yank(struct docs *d, size_t from, size_t to, const char *text, size_t len)
{
	struct docs_edit *e = docs_edit(d);
	if (docs_replace(d, from, to, text)) {
		e->yank_from = from;
		e->yank_to = from + utf8_count(text, len);
		e->last = DE_YANK;
	}
}

static void
yank(struct docs *d)
{
	struct docs_edit *e = docs_edit(d);
	if (!docs_editable(d))
		return;
	size_t len;
	const char *t = killring_yank(&e->ring, &len);
	if (t == NULL) {
		port_note(d->port, false, "nothing to yank: Ctrl-K, Ctrl-W and Alt-W fill "
		    "the kill ring");
		return;
	}
	size_t from, to;
	if (!docs_selection(d, &from, &to))
		from = to = d->view.cursor;
	put_yank(d, from, to, t, len);
	otclient_undo_boundary(d->ot);
}

static void
yank_pop(struct docs *d)
{
	struct docs_edit *e = docs_edit(d);
	if (!docs_editable(d))
		return;
	if (docsuggest_on(d)) {
		port_note(d->port, false, "suggesting: yanks are not suggestions; /doc "
		    "suggest off first");
		return;
	}
	if (e->prev != DE_YANK || e->ring.n == 0) {
		port_note(d->port, false, "Alt-Y comes right after Ctrl-Y: it replaces what "
		    "was yanked by the kill before it");
		return;
	}
	/* The text yanked must still be there, as it was put. */
	const char *was = e->ring.v[e->ring.yank];
	size_t wlen = e->ring.len[e->ring.yank];
	size_t a = dl_byte_of(&d->lay, e->yank_from), b = dl_byte_of(&d->lay,
	    e->yank_to);
	if (e->yank_to > d->lay.ncp || b - a != wlen ||
	    memcmp(d->lay.text + a, was, wlen) != 0) {
		port_note(d->port, true, "Alt-Y: the text yanked was changed meanwhile; "
		    "Ctrl-Y yanks again");
		return;
	}
	size_t len;
	const char *t = killring_pop(&e->ring, &len);
	put_yank(d, e->yank_from, e->yank_to, t, len);
	otclient_undo_boundary(d->ot);
}

/* ---- keys ---------------------------------------------------------------- */

static bool
edit_op(struct docs *d, enum edit_op op)
{
	size_t from, to;
	/* While suggesting, edits are the suggestions' (docsuggest.c). */
	if (docsuggest_on(d) && !d->ro)
		return false;
	switch (op) {
	case EDIT_KILL_WORD_BACK:
		if (docs_selection(d, &from, &to))
			copy(d, true);
		else
			kill(d, op);
		return true;
	case EDIT_KILL_WORD_FORWARD:
	case EDIT_KILL_TO_START:
	case EDIT_KILL_TO_END:
		kill(d, op);
		return true;
	case EDIT_YANK:
		yank(d);
		return true;
	case EDIT_BACKSPACE:
	case EDIT_DELETE:
		if (!docs_selection(d, &from, &to))
			return false;
		if (docs_editable(d))
			docs_replace(d, from, to, "");
		return true;
	default:
		return false;
	}
}

bool
docs_edit_key(struct docs *d, struct ui_intent *in)
{
	struct docs_edit *e = docs_edit(d);
	if (in->kind == UI_DOC_MOUSE) {
		mouse(d, in);
		return true;
	}
	e->prev = e->last;
	e->last = DE_OTHER;
	/* An old revision's selection lasts while it is being made or
	 * copied. */
	bool ro_sel = d->ro && e->ro_sel;
	if (in->kind != UI_SELECT && in->kind != UI_COPY)
		e->ro_sel = false;
	if (docs_find_key(d, in))
		return true;
	size_t from, to;
	switch (in->kind) {
	case UI_SELECT: select_move(d, (enum dl_move)in->n); return true;
	case UI_COPY: copy(d, false); return true;
	case UI_YANK_POP: yank_pop(d); return true;
	case UI_EDIT: return edit_op(d, (enum edit_op)in->op);
	case UI_ESCAPE:
		/* Esc first drops a selection, then leaves the pane. */
		if (ro_sel) {
			port_redraw(d->port);
			return true;
		}
		if (!docs_selection(d, &from, &to))
			return false;
		set_selection(d, d->view.cursor, d->view.cursor);
		return true;
	default: return false;
	}
}

/* ---- what the pane draws ------------------------------------------------- */

void
docs_span_add(struct docs_edit *e, size_t start, size_t end,
    enum ui_span_kind kind)
{
	xgrow(&e->spans, &e->cap, e->nspans + 1, sizeof *e->spans);
	e->spans[e->nspans++] = (struct ui_doc_span){ start, end, kind, NULL };
}

static int
by_start(const void *a, const void *b)
{
	const struct ui_doc_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

void
docs_edit_view(struct docs *d, struct ui_doc *u)
{
	struct docs_edit *e = d->edit;
	if (e == NULL)
		return;
	/* Spans another part handed over before this call are kept. */
	e->nspans = 0;
	for (size_t i = 0; i < u->nspans; i++) {
		xgrow(&e->spans, &e->cap, e->nspans + 1, sizeof *e->spans);
		e->spans[e->nspans++] = u->spans[i];
	}
	u->numbers = e->numbers;
	u->info = e->info[0] ? e->info : NULL;
	if (u->lay == NULL) {
		u->spans = e->spans;
		return;
	}
	size_t from, to;
	struct doclayout *lay;
	if (!d->ro)
		e->ro_sel = false;
	if (shown_selection(d, &lay, &from, &to))
		docs_span_add(e, from, to, UI_SPAN_SELECT);
	if (e->highlight)
		docs_find_spans(d, u->lay, &u->view);
	if (e->nspans > 1) /* (qsort of NULL, 0 is undefined) */
		qsort(e->spans, e->nspans, sizeof *e->spans, by_start);
	u->spans = e->spans;
	u->nspans = e->nspans;
}

const char *
docs_edit_prompt(struct docs *d)
{
	struct docs_edit *e = d->edit;
	if (e == NULL || e->prompt == DP_NONE || d->name == NULL)
		return NULL;
	return e->prompt_text;
}
