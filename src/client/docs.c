/*
 * docs: the shared-document pane's protocol glue (see docs.h).
 *
 * The OT client (model/otclient) owns the document; the pane draws from a
 * mirror of its text (ui/doclayout) that every change is brought to: my
 * own edits by applying the same operation to the mirror (cheap, and
 * what typing costs), the others' and undo's by comparing the new text
 * with the mirror and replacing only what differs (otclient does not
 * show the transformed operation it applied). My cursor lives in the OT
 * client's selection, which moves through every operation; the view's
 * cursor is copied from it after each change.
 *
 * Sending is paced: when the OT client says an operation is ready, it is
 * due, and goes out once DOCS_GAP_MS have passed since the previous one
 * (otclient_resend hands out the operation in flight as first sent, so
 * sending later is sending the same thing). Typing meanwhile goes into
 * the OT client's buffer, so a fast typist makes a few operations a
 * second, not one a key, and stays under the server's rate limit. CURSOR
 * goes out on moves only, when SYNCHRONIZED (a position at otclient_rev
 * then), and at the same pace: an edit moves my cursor on the others'
 * screens by itself, through the operation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/docedit.h"
#include "client/docs.h"
#include "client/fileio.h"
#include "model/xmalloc.h"
#include "net/outbox.h"

/* ---- frames -------------------------------------------------------------- */

void
docs_send_frame(struct docs *d, const struct proto_frame *f)
{
	if (d->online)
		port_send_frame(d->port, f);
}

struct proto_frame
docs_frame_of(struct docs *d, enum proto_type t)
{
	struct proto_frame f = proto_frame_of(t);
	f.room = d->room;
	f.doc = d->name;
	return f;
}

void
docs_send_open(struct docs *d, bool since)
{
	struct proto_frame f = docs_frame_of(d, PT_DOC_OPEN);
	outbox_new_cid(d->open_cid);
	f.cid = d->open_cid;
	if (since) {
		f.since = (int64_t)otclient_rev(d->ot);
		f.has_since = true;
	}
	d->state = since ? DOCS_CATCHUP : DOCS_OPENING;
	docs_send_frame(d, &f);
}

/* The op in flight, as first sent (cid, base revision). */
static void
send_inflight(struct docs *d)
{
	struct otclient_send s;
	if (!otclient_resend(d->ot, &s) || !s.ready)
		return;
	cJSON *op = ot_encode_json(s.op);
	struct proto_frame f = docs_frame_of(d, PT_DOC_OP);
	f.cid = s.cid;
	f.rev = (int64_t)s.rev;
	f.has_rev = true;
	f.op = op;
	if (op != NULL)
		docs_send_frame(d, &f);
	cJSON_Delete(op);
	d->op_sent = port_now(d->port);
	docstore_sent(d, s.cid, s.rev, s.op);
}

static void
send_cursor(struct docs *d)
{
	struct ot_selection sel = otclient_selection(d->ot);
	struct proto_frame f = docs_frame_of(d, PT_CURSOR);
	f.rev = (int64_t)otclient_rev(d->ot);
	f.has_rev = true;
	f.has_sel = true;
	f.sel[0] = (int64_t)sel.anchor;
	f.sel[1] = (int64_t)sel.head;
	docs_send_frame(d, &f);
	d->cursor_sent = port_now(d->port);
}

/* ---- pacing -------------------------------------------------------------- */

/* Sends what is due and whose gap has passed; sets when to come back
 * for the rest. */
static void
flush(struct docs *d)
{
	d->wake_at = INT64_MAX;
	if (d->ot == NULL || d->state != DOCS_LIVE || !d->online)
		return;
	int64_t now = port_now(d->port), wait = 0;
	if (d->op_due) {
		int64_t left = d->op_sent + DOCS_GAP_MS - now;
		if (left <= 0) {
			d->op_due = false;
			send_inflight(d);
		} else {
			wait = left;
		}
	}
	if (d->cursor_due && otclient_state(d->ot) == OTCLIENT_SYNCHRONIZED) {
		int64_t left = d->cursor_sent + DOCS_GAP_MS - now;
		if (left <= 0) {
			d->cursor_due = false;
			send_cursor(d);
		} else if (wait == 0 || left < wait) {
			wait = left;
		}
	}
	if (wait > 0)
		d->wake_at = now + wait;
}

int64_t
docs_deadline(const struct docs *d)
{
	int64_t t = d->wake_at;
	int64_t save = docstore_deadline(d), sug = docsuggest_deadline(d);
	t = save < t ? save : t;
	return sug < t ? sug : t;
}

void
docs_tick(struct docs *d)
{
	if (port_now(d->port) >= d->wake_at)
		flush(d);
	docstore_tick(d);
	docsuggest_tick(d);
	port_redraw(d->port);
}

void
docs_cursor_moved(struct docs *d)
{
	d->cursor_due = true;
	flush(d);
}

/* ---- the mirror and the counts ------------------------------------------- */

/* Brings the mirror to the OT client's text and the view's cursor to my
 * selection. */
static void
resync(struct docs *d)
{
	size_t len;
	char *t = doc_text(otclient_doc(d->ot), &len);
	if (t == NULL || !dl_sync(&d->lay, t, len))
		port_log(d->port, "doc %s: out of memory while showing it", d->name);
	free(t);
	d->view.cursor = otclient_selection(d->ot).head;
	d->view.goal = -1;
	port_redraw(d->port);
}

/* Edits not yet acknowledged, after a change of the OT client's state
 * from st0: a local edit joins the op in flight or the buffer; an ACK
 * retires the op in flight and promotes the buffer. */
static void
recount(struct docs *d, enum otclient_state st0, bool local, size_t bytes)
{
	enum otclient_state st = otclient_state(d->ot);
	if (st == OTCLIENT_SYNCHRONIZED) {
		d->inflight_edits = d->buffered_edits = 0;
		d->inflight_bytes = d->buffered_bytes = 0;
	} else if (local && st0 == OTCLIENT_SYNCHRONIZED) {
		d->inflight_edits = 1;
		d->inflight_bytes = bytes;
		d->buffered_edits = 0;
		d->buffered_bytes = 0;
	} else if (local && st == OTCLIENT_AWAITING_WITH_BUFFER) {
		d->buffered_edits++;
		d->buffered_bytes += bytes;
	} else if (!local && st0 == OTCLIENT_AWAITING_WITH_BUFFER &&
	    st == OTCLIENT_AWAITING_CONFIRM) {
		d->inflight_edits = d->buffered_edits ? d->buffered_edits : 1;
		d->inflight_bytes = d->buffered_bytes;
		d->buffered_edits = 0;
		d->buffered_bytes = 0;
	}
}

bool
docs_fits(struct docs *d, size_t bytes)
{
	size_t max = d->max_frame ? d->max_frame : 65536;
	/* JSON at most doubles typed text (newlines, quotes); room for the
	 * rest of the frame. */
	size_t limit = max > 2048 ? (max - 1024) / 2 : 512;
	bool buffered = otclient_state(d->ot) == OTCLIENT_AWAITING_WITH_BUFFER;
	size_t with = (buffered ? d->buffered_bytes : 0) + bytes;
	if (with <= limit)
		return true;
	if (bytes > limit)
		port_note(d->port, true, "not inserted: %zu KB is more than the server takes "
		    "in one edit (%zu KB); paste it in parts", bytes / 1024, limit / 1024);
	else
		port_note(d->port, true, "not inserted: the edits waiting for the server "
		    "would pass what it takes in one edit (%zu KB)%s", limit / 1024,
		    d->online ? "; wait a moment" : "; reconnect first");
	return false;
}

static void
became_ready(struct docs *d, const struct otclient_send *send)
{
	if (send->ready) {
		d->op_due = true;
		flush(d);
	}
}

void
docs_after_local(struct docs *d, enum otclient_state st0,
    const struct otclient_send *send, const struct ot_op *op, size_t bytes)
{
	recount(d, st0, true, bytes);
	if (op == NULL || !dl_apply(&d->lay, op))
		resync(d);
	d->view.cursor = otclient_selection(d->ot).head;
	became_ready(d, send);
	d->save_due = true;
	port_redraw(d->port);
}

/* ---- opening and closing ------------------------------------------------- */

/* Back to no document, keeping what the core gave and the server said. */
static void
forget(struct docs *d)
{
	docstore_free(d);
	docver_free(d);
	doccomments_free(d);
	docsuggest_free(d);
	otclient_free(d->ot);
	dl_free(&d->lay);
	dl_free(&d->ro_lay);
	free(d->room);
	free(d->name);
	free(d->others);
	free(d->spans);
	struct docs keep = *d;
	memset(d, 0, sizeof *d);
	d->port = keep.port;
	d->user = keep.user;
	d->server = keep.server;
	d->state_dir = keep.state_dir;
	d->online = keep.online;
	d->max_frame = keep.max_frame;
	d->max_doc = keep.max_doc;
	d->edit = keep.edit;
	docs_edit_forget(d);
	d->wake_at = INT64_MAX;
	dl_init(&d->lay);
	dl_init(&d->ro_lay);
}

void
docs_init(struct docs *d, const struct client_port *port, const char *user,
    const char *server, const char *state_dir)
{
	memset(d, 0, sizeof *d);
	d->port = port;
	d->user = user;
	d->server = server;
	d->state_dir = state_dir;
	d->wake_at = INT64_MAX;
	dl_init(&d->lay);
	dl_init(&d->ro_lay);
}

void
docs_free(struct docs *d)
{
	docstore_save(d);
	forget(d);
	docs_edit_free(d);
	dl_free(&d->lay);
	dl_free(&d->ro_lay);
}

unsigned
docs_pending(const struct docs *d)
{
	return d->ot ? d->inflight_edits + d->buffered_edits : 0;
}

bool
docs_close(struct docs *d, bool force)
{
	if (d->name == NULL)
		return true;
	if (!force && d->ot && otclient_pending(d->ot) > 0 && !d->online) {
		port_note(d->port, true, "%s has %u edits the server does not have yet: "
		    "/doc close! closes it anyway and drops them", d->name, docs_pending(d));
		return false;
	}
	if (d->online) {
		struct proto_frame f = docs_frame_of(d, PT_DOC_CLOSE);
		docs_send_frame(d, &f);
	}
	docstore_clear(d);
	forget(d);
	port_redraw(d->port);
	return true;
}

void
docs_open(struct docs *d, const char *room, const char *name)
{
	if (d->name && strcmp(d->room, room) == 0 && strcmp(d->name, name) == 0) {
		if (d->ro)
			docs_live(d);
		d->focused = true;
		return;
	}
	if (!docs_close(d, false))
		return;
	d->room = xstrdup(room);
	d->name = xstrdup(name);
	d->state = DOCS_OPENING;
	d->focused = true;
	d->view.goal = -1;
	if (d->online)
		docs_send_open(d, false);
	port_redraw(d->port);
}

void
docs_parted(struct docs *d, const char *room)
{
	if (d->name && strcmp(d->room, room) == 0)
		docs_close(d, true);
}

/* ---- the live document --------------------------------------------------- */

void
docs_keep_unmerged(struct docs *d, const char *text, size_t len,
    const char *why)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/doc-%s-%s-unmerged-%lld.txt", d->state_dir,
	    d->room, d->name, (long long)(port_wall(d->port) / 1000));
	bool ok = file_write_atomic(path, text, len, true);
	port_note(d->port, true, "%s: unsent edits could not be merged (%s); your "
	    "version %s%s", d->name, why, ok ? "is saved in " :
	    "could not be saved", ok ? path : "");
	d->unmerged = true;
}

/* Keeps what a reopen could not merge: the local text, if it held edits
 * the server does not have. */
static void
keep_unmerged(struct docs *d, const char *why)
{
	if (d->ot != NULL && otclient_pending(d->ot) > 0)
		docs_keep_unmerged(d, d->lay.text, d->lay.len, why);
}

void
docs_room_lost(struct docs *d, const char *room)
{
	if (d->name == NULL || strcmp(d->room, room) != 0)
		return;
	/* the server closed it already: no DOC_CLOSE, and edits it will never
	 * take are kept in a file */
	keep_unmerged(d, "you were removed from the room");
	docstore_clear(d);
	forget(d);
	port_redraw(d->port);
}

/* Starts over from the server's head (rev_too_old, a refused edit). */
static void
reopen_fresh(struct docs *d, const char *why)
{
	port_log(d->port, "doc %s: opened again from the head (%s)", d->name, why);
	keep_unmerged(d, why);
	docstore_clear(d);
	otclient_free(d->ot);
	d->ot = NULL;
	d->inflight_edits = d->buffered_edits = 0;
	d->inflight_bytes = d->buffered_bytes = 0;
	d->op_due = false;
	if (d->online)
		docs_send_open(d, false);
	else
		d->state = DOCS_OPENING;
}

static void
set_cursors(struct docs *d, const struct proto_frame *f)
{
	otclient_cursor_drop(d->ot, NULL);
	for (size_t i = 0; i < f->ncursors; i++) {
		const struct proto_cursor *c = &f->cursors[i];
		struct ot_selection sel = { (size_t)c->sel[0], (size_t)c->sel[1] };
		if (c->has_sel)
			otclient_cursor_set(d->ot, c->session, c->user, (size_t)f->rev, sel);
	}
}

/* A full DOC_STATE: a new OT client on the head's text. */
static bool
start_client(struct docs *d, const struct proto_frame *f)
{
	size_t len = strlen(f->text);
	struct doc *doc = doc_new_from(f->text, len);
	struct otclient *ot = doc ? otclient_new(doc, (size_t)f->rev, d->user) : NULL;
	if (ot == NULL || !dl_set_text(&d->lay, f->text, len)) {
		if (ot != NULL)
			otclient_free(ot);
		else
			doc_free(doc);
		port_note(d->port, true, "cannot hold %s: out of memory", f->doc);
		return false;
	}
	size_t cursor = d->view.cursor;
	otclient_free(d->ot);
	d->ot = ot;
	otclient_set_selection(ot, (struct ot_selection){ cursor, cursor });
	d->view.cursor = otclient_selection(ot).head;
	return true;
}

static void
on_state(struct docs *d, const struct proto_frame *f)
{
	if (f->cid == NULL || strcmp(f->cid, d->open_cid) != 0)
		return; /* an answer to an older open */
	if (f->text != NULL) {
		if (!start_client(d, f)) {
			forget(d);
			return;
		}
		if (!d->unmerged)
			port_note(d->port, false, "%s opened at revision %lld (F3 keys, F4 "
			    "layout)", f->doc, (long long)f->rev);
		d->unmerged = false;
	} else if (d->ot == NULL) {
		reopen_fresh(d, "nothing held");
		return;
	} else {
		docstore_caught_up(d);
		struct otclient_send s;
		if (otclient_resend(d->ot, &s))
			d->op_due = true;
	}
	set_cursors(d, f);
	doccomments_state(d, f);
	d->state = DOCS_LIVE;
	d->cursor_due = true;
	resync(d);
	flush(d);
}

static void
on_op(struct docs *d, const struct proto_frame *f)
{
	if (d->ot == NULL)
		return;
	struct ot_op op = OT_OP_INIT;
	char err[160];
	if (ot_decode_json(f->op, &op, err, sizeof err) != OT_OK) {
		port_log(d->port, "doc %s: bad operation at rev %lld: %s", d->name,
		    (long long)f->rev, err);
		reopen_fresh(d, "the server sent an operation this client cannot read");
		return;
	}
	char cid[17];
	outbox_new_cid(cid);
	struct otclient_send s;
	enum otclient_state st0 = otclient_state(d->ot);
	doccomments_server_op(d, (size_t)f->rev, &op);
	enum otclient_status st = otclient_server_op(d->ot, (size_t)f->rev, &op,
	    f->user, f->cid, cid, &s);
	ot_free(&op);
	if (st == OTCLIENT_EREV && (size_t)f->rev <= otclient_rev(d->ot))
		return; /* seen already */
	if (st != OTCLIENT_OK) {
		port_log(d->port, "doc %s: rev %lld does not fit (%s)", d->name,
		    (long long)f->rev, otclient_strerror(st));
		if (st == OTCLIENT_EREV && d->online)
			docs_send_open(d, true); /* a gap: catch up again */
		else
			reopen_fresh(d, "the document went out of step");
		return;
	}
	if (f->cid && strcmp(f->user, d->user) == 0) {
		if (st0 != OTCLIENT_SYNCHRONIZED && otclient_state(d->ot) != st0)
			port_log(d->port, "doc %s: my edit %s came back as rev %lld", d->name,
			    f->cid, (long long)f->rev);
		docstore_acked(d, f->cid);
	}
	recount(d, st0, false, 0);
	resync(d);
	docstore_reached(d);
	became_ready(d, &s);
	if (otclient_state(d->ot) != st0) {
		d->save_due = true;
		docstore_tick(d);
	}
}

static void
on_ack(struct docs *d, const struct proto_frame *f)
{
	if (d->ot == NULL || !f->has_rev)
		return;
	char cid[17];
	outbox_new_cid(cid);
	struct otclient_send s;
	enum otclient_state st0 = otclient_state(d->ot);
	struct ot_op mine = OT_OP_INIT; /* the comments move through it */
	if (otclient_inflight(d->ot) != NULL)
		ot_copy(&mine, otclient_inflight(d->ot));
	if (otclient_ack(d->ot, f->cid, (size_t)f->rev, cid, &s) != OTCLIENT_OK) {
		ot_free(&mine);
		return; /* not the op in flight: a duplicate, or a DOC_CLOSE */
	}
	doccomments_server_op(d, (size_t)f->rev, &mine);
	ot_free(&mine);
	docstore_acked(d, f->cid);
	recount(d, st0, false, 0);
	became_ready(d, &s);
	flush(d); /* a cursor waiting for SYNCHRONIZED */
	d->save_due = true;
	docstore_tick(d);
	port_redraw(d->port);
}

static void
on_cursor(struct docs *d, const struct proto_frame *f)
{
	if (d->ot == NULL)
		return;
	if (!f->has_sel) {
		otclient_cursor_drop(d->ot, f->session);
	} else {
		struct ot_selection sel = { (size_t)f->sel[0], (size_t)f->sel[1] };
		otclient_cursor_set(d->ot, f->session, f->user, (size_t)f->rev, sel);
	}
	port_redraw(d->port);
}

static bool
mine(const struct docs *d, const char *cid)
{
	return cid != NULL && *cid != '\0' && (strcmp(cid, d->open_cid) == 0 ||
	    strcmp(cid, d->hist_cid) == 0 || strcmp(cid, d->get_cid) == 0);
}

/* An ERROR about the document. The op in flight has no cid of ours to
 * compare (otclient keeps it), so an error with a ref of DOC_OP is its. */
static bool
on_error(struct docs *d, const struct proto_frame *f)
{
	const char *ref = f->ref ? f->ref : "";
	if (strcmp(ref, "CURSOR") == 0) {
		d->cursor_due = true; /* rate_limited, or a race with an edit */
		flush(d);
		return true;
	}
	if (strcmp(ref, "DOC_OP") == 0 && d->ot) {
		if (strcmp(f->code, "rate_limited") == 0) {
			d->op_due = true;
			d->op_sent = port_now(d->port) + 1000 - DOCS_GAP_MS;
			flush(d);
		} else if (strcmp(f->code, "not_open") == 0) {
			docs_send_open(d, true);
		} else {
			char why[200];
			snprintf(why, sizeof why, "the server refused an edit: %s", f->reason);
			reopen_fresh(d, why);
		}
		return true;
	}
	if (docstore_error(d, f) || docver_error(d, f))
		return true;
	if (!mine(d, f->cid))
		return false;
	if (strcmp(f->cid, d->open_cid) == 0) {
		if (d->state == DOCS_CATCHUP && (strcmp(f->code, "rev_too_old") == 0 ||
		    strcmp(f->code, "bad_rev") == 0)) {
			reopen_fresh(d, "the server no longer has the revision they "
			    "were made on");
			return true;
		}
		port_note(d->port, true, "/doc %s: %s", d->name, f->reason);
		forget(d);
	} else if (strcmp(f->cid, d->get_cid) == 0) {
		port_note(d->port, true, "/doc rev %lld: %s", d->ro_rev, f->reason);
		docs_live(d);
	} else {
		port_note(d->port, true, "/doc history: %s", f->reason);
	}
	port_redraw(d->port);
	return true;
}

bool
docs_frame(struct docs *d, const struct proto_frame *f)
{
	if (f->type == PT_WELCOME && f->has_limits && f->limits.max_frame > 0)
		d->max_frame = (size_t)f->limits.max_frame;
	if (f->type == PT_WELCOME && f->has_limits && f->limits.max_doc > 0)
		d->max_doc = (size_t)f->limits.max_doc;
	if (docsuggest_frame(d, f))
		return true;
	if (d->name == NULL)
		return f->type == PT_DOC_OP || f->type == PT_CURSOR ||
		    f->type == PT_COMMENT || f->type == PT_COMMENT_DELETE;
	if (f->type == PT_ERROR)
		return doccomments_frame(d, f) || on_error(d, f);
	bool ours = f->doc != NULL && f->room != NULL &&
	    strcmp(f->doc, d->name) == 0 && strcmp(f->room, d->room) == 0;
	if ((f->type == PT_COMMENT || f->type == PT_COMMENT_DELETE ||
	    (f->type == PT_ACK && f->has_comment_id)) && ours)
		return doccomments_frame(d, f);
	switch (f->type) {
	case PT_DOC_STATE: if (ours) { on_state(d, f); docsuggest_state(d, f); } return true;
	case PT_DOC_OP: if (ours) { docsuggest_op(d, f); on_op(d, f); } return true;
	case PT_CURSOR: if (ours) on_cursor(d, f); return true;
	case PT_DOC_TEXT:
		if (ours && (docstore_text(d, f) || docver_text(d, f)))
			return true;
		if (ours && f->cid)
			docs_on_text(d, f);
		return true;
	case PT_DOC_HISTORY:
		if (ours && docver_history(d, f))
			return true;
		if (ours && f->cid && strcmp(f->cid, d->hist_cid) == 0)
			docs_on_history(d, f);
		return true;
	case PT_ACK:
		if (f->doc == NULL)
			return false;
		if (ours && !docver_ack(d, f))
			on_ack(d, f);
		return true;
	default:
		return false;
	}
}

/* ---- the link ------------------------------------------------------------ */

void
docs_welcome(struct docs *d)
{
	d->online = true;
	if (d->name == NULL)
		return;
	if (docstore_restoring(d))
		docstore_welcome(d);
	else
		docs_send_open(d, d->ot != NULL);
}

void
docs_offline(struct docs *d)
{
	d->online = false;
	if (d->name == NULL)
		return;
	if (d->ot != NULL) {
		otclient_offline(d->ot);
		d->state = DOCS_OFFLINE;
		docstore_save(d);
	} else {
		d->state = DOCS_OPENING;
	}
	d->op_due = d->cursor_due = false;
	d->wake_at = INT64_MAX;
}
