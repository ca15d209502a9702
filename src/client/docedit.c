/*
 * docedit: the keys of the document pane, while it has them.
 *
 * Motion goes through ui/doclayout (display rows of the soft wrap, glyphs,
 * words); every edit becomes one operation over code points (retain,
 * insert, delete, retain), applied through the OT client, which sends or
 * buffers it. Typing runs form one undo step until the cursor jumps (any
 * motion) or a newline is typed; Ctrl-Z undoes my own steps only, Alt-Z
 * redoes them. The selection, the clipboard, kills and yanks, find and go
 * to line come first, from the files around this one (docedit.h).
 *
 * An old revision (/doc rev N) takes the same motion keys; an edit there
 * changes nothing and says once that the text is read-only.
 */
#include <string.h>

#include "client/docedit.h"
#include "client/docs.h"
#include "net/outbox.h"

#define TAB_SPACES "    "

bool
docs_editable(struct docs *d)
{
	if (d->ro) {
		docs_note_readonly(d);
		return false;
	}
	return d->ot != NULL && !docstore_restoring(d);
}

/* Replaces code points [from, to) by text (as typed: may be empty). */
bool
docs_replace(struct docs *d, size_t from, size_t to, const char *text)
{
	size_t n = d->lay.ncp;
	if (from > to || to > n || !docsuggest_may_change(d, "that edit") ||
	    !docs_fits(d, strlen(text)))
		return false;
	struct ot_op op = OT_OP_INIT;
	if (ot_retain(&op, from) != OT_OK ||
	    ot_insert(&op, text, strlen(text)) != OT_OK ||
	    ot_delete(&op, to - from) != OT_OK || ot_retain(&op, n - to) != OT_OK) {
		ot_free(&op);
		return false;
	}
	size_t inserted = op.target_len - (n - (to - from));
	char cid[17];
	outbox_new_cid(cid);
	struct otclient_send s;
	enum otclient_state st0 = otclient_state(d->ot);
	enum otclient_status st = otclient_local(d->ot, &op, cid, &s);
	if (st != OTCLIENT_OK) {
		port_note(d->port, true, "edit not made: %s", otclient_strerror(st));
		ot_free(&op);
		return false;
	}
	size_t cur = from + inserted;
	otclient_set_selection(d->ot, (struct ot_selection){ cur, cur });
	docs_after_local(d, st0, &s, &op, strlen(text));
	d->view.goal = -1;
	ot_free(&op);
	return true;
}

/* Typing, a paste: over the selection when there is one. */
static void
type(struct docs *d, const char *text)
{
	if (!docs_editable(d))
		return;
	size_t from, to;
	if (!docs_selection(d, &from, &to))
		from = to = d->view.cursor;
	docs_replace(d, from, to, text);
	if (strchr(text, '\n') != NULL)
		otclient_undo_boundary(d->ot);
}

/* Deletes from the cursor to where motion m would take it. */
static void
erase(struct docs *d, enum dl_move m)
{
	if (!docs_editable(d))
		return;
	struct dl_view v = d->view;
	dl_move(&d->lay, &v, m, d->rows);
	size_t x = d->view.cursor, y = v.cursor;
	if (x != y)
		docs_replace(d, x < y ? x : y, x < y ? y : x, "");
}

static void
undo(struct docs *d, bool redo)
{
	if (!docs_editable(d) || !docsuggest_may_change(d, redo ? "redo" : "undo"))
		return;
	char cid[17];
	outbox_new_cid(cid);
	struct otclient_send s;
	enum otclient_state st0 = otclient_state(d->ot);
	enum otclient_status st = redo ? otclient_redo(d->ot, cid, &s) :
	    otclient_undo(d->ot, cid, &s);
	if (st == OTCLIENT_EEMPTY) {
		port_note(d->port, false, "nothing to %s", redo ? "redo" : "undo");
		return;
	}
	if (st != OTCLIENT_OK) {
		port_note(d->port, true, "%s failed: %s", redo ? "redo" : "undo",
		    otclient_strerror(st));
		return;
	}
	otclient_undo_boundary(d->ot);
	docs_after_local(d, st0, &s, NULL, 0);
	docs_cursor_moved(d);
}

static void
move(struct docs *d, enum dl_move m)
{
	if (d->ro) {
		if (d->ro_loaded)
			dl_move(&d->ro_lay, &d->ro_view, m, d->rows);
		return;
	}
	if (d->ot == NULL)
		return;
	if (dl_move(&d->lay, &d->view, m, d->rows)) {
		size_t c = d->view.cursor;
		otclient_set_selection(d->ot, (struct ot_selection){ c, c });
		otclient_undo_boundary(d->ot);
		docs_cursor_moved(d);
	}
}

static void
edit_key(struct docs *d, int op)
{
	switch ((enum edit_op)op) {
	case EDIT_LEFT: move(d, DL_LEFT); break;
	case EDIT_RIGHT: move(d, DL_RIGHT); break;
	case EDIT_HOME: move(d, DL_HOME); break;
	case EDIT_END: move(d, DL_END); break;
	case EDIT_WORD_LEFT: move(d, DL_WORD_LEFT); break;
	case EDIT_WORD_RIGHT: move(d, DL_WORD_RIGHT); break;
	case EDIT_BACKSPACE: erase(d, DL_LEFT); break;
	case EDIT_DELETE: erase(d, DL_RIGHT); break;
	/* Kills and Ctrl-Y go to the kill ring (docselect.c). */
	case EDIT_KILL_WORD_BACK: case EDIT_KILL_WORD_FORWARD:
	case EDIT_KILL_TO_END: case EDIT_KILL_TO_START: case EDIT_YANK:
	case EDIT_TRANSPOSE: break;
	}
}

bool
docs_key(struct docs *d, struct ui_intent *in)
{
	if (d->name == NULL)
		return false;
	if (in->kind == UI_DOC_MOUSE)
		return docs_edit_key(d, in);
	if (!d->focused)
		return false;
	/* find's and go to line's prompts first, also while suggesting */
	if (docs_edit_key(d, in) || docsuggest_key(d, in))
		return true;
	switch (in->kind) {
	case UI_INSERT:
	case UI_PASTE: type(d, in->text); return true;
	case UI_SUBMIT: type(d, "\n"); return true;
	case UI_COMPLETE: type(d, TAB_SPACES); return true;
	case UI_EDIT: edit_key(d, in->op); return true;
	case UI_HISTORY_PREV: move(d, DL_UP); return true;
	case UI_HISTORY_NEXT: move(d, DL_DOWN); return true;
	case UI_SCROLL_PAGE: move(d, in->n > 0 ? DL_PAGE_UP : DL_PAGE_DOWN); return true;
	case UI_UNDO: undo(d, false); return true;
	case UI_REDO: undo(d, true); return true;
	case UI_ESCAPE:
		if (d->ro)
			docs_live(d);
		else
			d->focused = false;
		return true;
	default: return false;
	}
}

void
docs_toggle_focus(struct docs *d)
{
	if (d->name == NULL) {
		port_note(d->port, true, "no document open: /doc NAME opens one");
		return;
	}
	d->focused = !d->focused;
}

void
docs_toggle_layout(struct docs *d)
{
	if (d->name == NULL) {
		port_note(d->port, true, "no document open: /doc NAME opens one");
		return;
	}
	d->full = !d->full;
}
