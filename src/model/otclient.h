/*
 * otclient: one client's view of a shared document under operational
 * transformation with a central server (ot.js's Client, plus undo).
 *
 * The server orders every edit into revisions 1, 2, 3, ... A client keeps at
 * most one operation in flight (sent, not yet acknowledged) and composes the
 * local edits made meanwhile into one buffered operation:
 *
 *   SYNCHRONIZED          nothing pending; a local edit is sent at once
 *   AWAITING_CONFIRM      one op in flight (its cid and base revision)
 *   AWAITING_WITH_BUFFER  in flight + a buffer; the buffer goes out on ACK
 *
 * Local edits apply to the document at once. An op from the server is
 * transformed past the in-flight op and the buffer (the server's op is the
 * one ordered first: see THE TIE RULE in ot.h) before it is applied.
 *
 * Sending. A call that can start a send (local, ack, server_op, undo, redo)
 * takes next_cid, a fresh cid the client copies and uses only if this call
 * starts a send, and fills *send: send->ready says whether to send a DOC_OP
 * now with send->cid, send->rev (the revision it is based on) and send->op.
 * Those pointers belong to the client and stay valid until the next call that
 * changes it. While the link is down (otclient_offline) nothing is reported
 * ready; after the catch-up, otclient_resend hands out the op in flight with
 * its original cid and base revision, as first sent: the server deduplicates
 * by (user, cid) and transforms from that revision, which gives the same op
 * the client has transformed meanwhile.
 *
 * Reconnecting: call otclient_offline when the link drops; reopen with
 * DOC_OPEN since=otclient_rev(); feed each replayed DOC_OP to
 * otclient_server_op (an op of my own among them, same user and cid as the op
 * in flight, counts as its ACK); on DOC_STATE call otclient_resend. When the
 * server answers rev_too_old, make a new client from a full DOC_STATE.
 *
 * Undo undoes my own edits only: the undo and redo stacks hold inverse ops
 * that are transformed through every server op, so after others have edited,
 * undo still reverts just my change and leaves theirs. Consecutive
 * single-character insertions (typing) form one undo step until
 * otclient_undo_boundary; any other edit is a step of its own. A step that
 * others have already reverted entirely (my typing, deleted by someone)
 * disappears from the stack.
 *
 * Cursors: my selection and the other sessions' cursors are kept in local
 * document positions and moved through every op applied to the document.
 * My selection is a position at revision otclient_rev() only when
 * SYNCHRONIZED: send CURSOR then (pending edits would shift it).
 *
 * Owns: the document (struct doc) given to otclient_new, the ops, cids and
 * cursors inside. Never does: I/O, JSON, timing, or choosing cids; it knows
 * nothing of rooms, document names or the network beyond revisions and cids.
 *
 * Errors: functions that can fail return an enum otclient_status and leave
 * the client untouched on failure (a frame that does not fit is reported,
 * never applied). Running out of memory aborts (model/xmalloc.h).
 */
#ifndef CONFAB_OTCLIENT_H
#define CONFAB_OTCLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/doc.h"
#include "model/ot.h"

/* Undo steps kept; older ones are forgotten. Each server op is transformed
 * through every kept step, so this bounds that work too. */
#define OTCLIENT_UNDO_MAX 200
/* Server ops remembered to move a received cursor from an older revision. */
#define OTCLIENT_HISTORY 64

enum otclient_state {
	OTCLIENT_SYNCHRONIZED,
	OTCLIENT_AWAITING_CONFIRM,
	OTCLIENT_AWAITING_WITH_BUFFER,
};

enum otclient_status {
	OTCLIENT_OK = 0,
	OTCLIENT_EREV,    /* a revision out of order, or too old to use */
	OTCLIENT_ELENGTH, /* an op whose base length does not fit the document */
	OTCLIENT_ESTATE,  /* an ACK for no op in flight (other cid, or none) */
	OTCLIENT_EEMPTY,  /* nothing to undo or redo */
	OTCLIENT_EINVAL,  /* a send without next_cid, or an op not invertible */
};

/* What to send now, when ready (see "Sending" above). */
struct otclient_send {
	bool ready;
	const char *cid;
	size_t rev;
	const struct ot_op *op;
};

/* Another session's cursor, in local document positions. */
struct otclient_cursor {
	char *session;
	char *user;
	struct ot_selection sel;
};

struct otclient;

const char *otclient_strerror(enum otclient_status status);

/* A synchronized client at server revision rev, taking ownership of doc (the
 * text at rev); me is my user name, for recognising my own ops. Never
 * NULL. */
struct otclient *otclient_new(struct doc *doc, size_t rev, const char *me);
void otclient_free(struct otclient *c);

const struct doc *otclient_doc(const struct otclient *c);
size_t otclient_rev(const struct otclient *c); /* last server revision */
enum otclient_state otclient_state(const struct otclient *c);
/* Edits not yet acknowledged: 0, 1 (in flight) or 2 (in flight + buffer). */
unsigned otclient_pending(const struct otclient *c);

/* The op in flight and the buffer, NULL when there is none: the server's
 * text at otclient_rev() becomes the local one through them, in order
 * (to show there what the server sent at that revision). */
const struct ot_op *otclient_inflight(const struct otclient *c);
const struct ot_op *otclient_buffer(const struct otclient *c);

/* A local edit, op against the current document: applies it and sends it or
 * buffers it. A no-op changes nothing. */
enum otclient_status otclient_local(struct otclient *c,
    const struct ot_op *op, const char *next_cid,
    struct otclient_send *send);

/* A DOC_OP from the server: rev is the revision it produced (must be
 * otclient_rev() + 1), op its operation, user and cid its author's (either
 * may be NULL). My own op in flight counts as its ACK. */
enum otclient_status otclient_server_op(struct otclient *c, size_t rev,
    const struct ot_op *op, const char *user, const char *cid,
    const char *next_cid, struct otclient_send *send);

/* The ACK of the op in flight (cid), which produced revision rev (must be
 * otclient_rev() + 1); the buffer, if any, goes out next. */
enum otclient_status otclient_ack(struct otclient *c, const char *cid,
    size_t rev, const char *next_cid, struct otclient_send *send);

/* The link dropped: report nothing ready until otclient_resend. */
void otclient_offline(struct otclient *c);
/* After the catch-up: the link is back; true and *send filled (ready) when
 * an op is in flight, to be sent again as first sent. */
bool otclient_resend(struct otclient *c, struct otclient_send *send);

/* Undo my latest step (or redo the latest undone one) as a new local edit.
 * OTCLIENT_EEMPTY when there is none. */
enum otclient_status otclient_undo(struct otclient *c, const char *next_cid,
    struct otclient_send *send);
enum otclient_status otclient_redo(struct otclient *c, const char *next_cid,
    struct otclient_send *send);
/* The next edit starts a new undo step (call on cursor moves, pauses...). */
void otclient_undo_boundary(struct otclient *c);
size_t otclient_undo_depth(const struct otclient *c);
size_t otclient_redo_depth(const struct otclient *c);

/* My selection in the local document; set is clamped to the document. */
struct ot_selection otclient_selection(const struct otclient *c);
void otclient_set_selection(struct otclient *c, struct ot_selection sel);

/* A selection received at server revision rev (up to OTCLIENT_HISTORY
 * revisions old) moved to the local document: through the server ops after
 * rev, then the op in flight and the buffer. OTCLIENT_EREV when rev is newer
 * than otclient_rev() or older than what is remembered. */
enum otclient_status otclient_transform_remote_cursor(
    const struct otclient *c, size_t rev, struct ot_selection sel,
    struct ot_selection *out);

/* Remembers (or replaces) session's cursor, received at revision rev. */
enum otclient_status otclient_cursor_set(struct otclient *c,
    const char *session, const char *user, size_t rev,
    struct ot_selection sel);
/* Forgets session's cursor; every cursor when session is NULL. */
void otclient_cursor_drop(struct otclient *c, const char *session);
size_t otclient_cursor_count(const struct otclient *c);
const struct otclient_cursor *otclient_cursor_at(const struct otclient *c,
    size_t i);

#endif
