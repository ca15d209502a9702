/*
 * otclient: the client's OT state machine (see otclient.h for the contract).
 *
 * DESIGN
 * The three states of ot.js's Client are two flags, has_inflight and
 * has_buffer (a buffer never exists without an op in flight). The op in
 * flight is kept twice: as sent (sent, sent_rev, cid), for resending after a
 * reconnect, and as transformed through the server ops received since
 * (inflight, based on rev), for transforming the next ones.
 *
 * Invariants, with D the local document and S the server's document at rev:
 *   inflight: S -> S + inflight;  buffer: S + inflight -> D
 *   undo and redo: each a stack whose top applies to D and whose every other
 *   entry applies to the document the entries above it produce.
 * An incoming server op s (on S) is transformed past inflight then buffer
 * (s is 'a', ordered first), giving s'' on D; both stacks are then
 * transformed against s'' from the top down, s'' moving past each entry, as
 * ot.js's UndoManager does, but with s'' as 'a': the server ordered it before
 * the undo or redo the entry will become. Entries that become no-ops (my
 * text, all deleted by others) are dropped, and so is the typing group.
 *
 * Typing merges into the top undo step only while that step is typing
 * (pure one-code-point inserts, whose inverses are pure deletes), so a
 * merged step is never a no-op.
 *
 * Every mutating function prepares all its results into temporaries, then
 * applies the op to the document (the last step that can fail), then commits
 * by moving the temporaries in; so a failure (an op that does not fit, a
 * length out of range) leaves the client untouched. Running out of memory
 * is not a failure here: it aborts (model/xmalloc.h).
 */
#include "model/otclient.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

struct opstack {
	struct ot_op *ops; /* bottom first; n in use of cap */
	size_t n;
	size_t cap;
};

struct otclient {
	struct doc *doc;
	char *me;
	size_t rev;
	bool online;

	bool has_inflight;
	bool has_buffer;
	struct ot_op inflight; /* transformed: based on rev */
	struct ot_op sent;     /* as sent: based on sent_rev */
	size_t sent_rev;
	char *cid;
	struct ot_op buffer;

	struct opstack undo;
	struct opstack redo;
	bool typing; /* the top undo step is typing and may still grow */

	/* Server ops of revisions rev - hist_len + 1 .. rev, a ring. */
	struct ot_op hist[OTCLIENT_HISTORY];
	size_t hist_len;
	size_t hist_next;

	struct ot_selection sel;
	struct otclient_cursor *cursors;
	size_t ncursors;
	size_t cursor_cap;
};

enum origin { FROM_EDIT, FROM_UNDO, FROM_REDO };

const char *
otclient_strerror(enum otclient_status status)
{
	switch (status) {
	case OTCLIENT_OK: return "success";
	case OTCLIENT_EREV: return "revision out of order";
	case OTCLIENT_ELENGTH: return "operation does not fit the document";
	case OTCLIENT_ESTATE: return "no such operation in flight";
	case OTCLIENT_EEMPTY: return "nothing to undo or redo";
	case OTCLIENT_EINVAL: return "invalid argument";
	}
	return "unknown status";
}

static enum otclient_status
from_ot(enum ot_status st)
{
	return st == OT_OK ? OTCLIENT_OK : st == OT_ELENGTH ? OTCLIENT_ELENGTH :
	    OTCLIENT_EINVAL;
}

/* Moves *a past x (both on the same document), a being the op ordered
 * first: *a becomes a', and *x_out receives x'. *a is unchanged on failure. */
static enum ot_status
move_past(struct ot_op *a, const struct ot_op *x, struct ot_op *x_out)
{
	struct ot_op t = OT_OP_INIT;
	enum ot_status st = ot_transform(a, x, &t, x_out);
	if (st == OT_OK) {
		ot_free(a);
		*a = t;
	}
	return st;
}

/* ---- op stacks -------------------------------------------------------- */

static void
stack_free(struct opstack *s)
{
	for (size_t i = 0; i < s->n; i++)
		ot_free(&s->ops[i]);
	free(s->ops);
	*s = (struct opstack){NULL, 0, 0};
}

/* Room for one more entry. */
static void
stack_reserve(struct opstack *s)
{
	xgrow(&s->ops, &s->cap, s->n + 1, sizeof *s->ops);
}

/* Pushes op (moved in; room reserved), forgetting the bottom entry past
 * OTCLIENT_UNDO_MAX: the chain from the top stays valid. */
static void
stack_push(struct opstack *s, struct ot_op *op)
{
	assert(s->n < s->cap);
	s->ops[s->n++] = *op;
	ot_init(op);
	if (s->n > OTCLIENT_UNDO_MAX) {
		ot_free(&s->ops[0]);
		memmove(s->ops, s->ops + 1, (s->n - 1) * sizeof *s->ops);
		s->n--;
	}
}

static void
stack_pop(struct opstack *s)
{
	assert(s->n > 0);
	ot_free(&s->ops[--s->n]);
}

/* *out = s transformed against op (on the document s's top applies to). */
static enum ot_status
stack_transform(const struct opstack *s, const struct ot_op *op,
    struct opstack *out)
{
	struct opstack r = {NULL, 0, s->n};
	struct ot_op a = OT_OP_INIT;
	size_t low = s->n; /* kept entries fill r.ops[low..s->n), top last */
	enum ot_status st = OT_OK;

	if (s->n > 0)
		r.ops = xreallocarray(NULL, s->n, sizeof *r.ops);
	ot_copy(&a, op);
	for (size_t i = s->n; st == OT_OK && i-- > 0;) {
		struct ot_op e2 = OT_OP_INIT;
		st = move_past(&a, &s->ops[i], &e2);
		if (st != OT_OK)
			break;
		if (ot_is_noop(&e2))
			ot_free(&e2);
		else
			r.ops[--low] = e2;
	}
	ot_free(&a);
	if (st == OT_OK) {
		r.n = s->n - low;
		if (r.n > 0) /* r.ops is NULL for an empty stack */
			memmove(r.ops, r.ops + low, r.n * sizeof *r.ops);
		*out = r;
		return OT_OK;
	}
	for (size_t i = low; i < s->n; i++)
		ot_free(&r.ops[i]);
	free(r.ops);
	return st;
}

/* ---- history of server ops -------------------------------------------- */

/* Appends the op of revision rev + 1 (moved in). */
static void
hist_push(struct otclient *c, struct ot_op *op)
{
	ot_free(&c->hist[c->hist_next]);
	c->hist[c->hist_next] = *op;
	ot_init(op);
	c->hist_next = (c->hist_next + 1) % OTCLIENT_HISTORY;
	if (c->hist_len < OTCLIENT_HISTORY)
		c->hist_len++;
}

/* The server op that produced revision v (rev - hist_len < v <= rev). */
static const struct ot_op *
hist_at(const struct otclient *c, size_t v)
{
	size_t back = c->rev - v;
	assert(back < c->hist_len);
	size_t i = (c->hist_next + OTCLIENT_HISTORY - 1 - back) %
	    OTCLIENT_HISTORY;
	return &c->hist[i];
}

/* ---- life cycle and queries ------------------------------------------- */

struct otclient *
otclient_new(struct doc *doc, size_t rev, const char *me)
{
	struct otclient *c = xcalloc(1, sizeof *c);
	c->me = xstrdup(me != NULL ? me : "");
	c->doc = doc;
	c->rev = rev;
	c->online = true;
	ot_init(&c->inflight);
	ot_init(&c->sent);
	ot_init(&c->buffer);
	for (size_t i = 0; i < OTCLIENT_HISTORY; i++)
		ot_init(&c->hist[i]);
	return c;
}

void
otclient_free(struct otclient *c)
{
	if (c == NULL)
		return;
	doc_free(c->doc);
	free(c->me);
	ot_free(&c->inflight);
	ot_free(&c->sent);
	ot_free(&c->buffer);
	free(c->cid);
	stack_free(&c->undo);
	stack_free(&c->redo);
	for (size_t i = 0; i < OTCLIENT_HISTORY; i++)
		ot_free(&c->hist[i]);
	otclient_cursor_drop(c, NULL);
	free(c->cursors);
	free(c);
}

const struct doc *
otclient_doc(const struct otclient *c)
{
	return c->doc;
}

size_t
otclient_rev(const struct otclient *c)
{
	return c->rev;
}

enum otclient_state
otclient_state(const struct otclient *c)
{
	if (!c->has_inflight)
		return OTCLIENT_SYNCHRONIZED;
	return c->has_buffer ? OTCLIENT_AWAITING_WITH_BUFFER :
	    OTCLIENT_AWAITING_CONFIRM;
}

unsigned
otclient_pending(const struct otclient *c)
{
	return (unsigned)c->has_inflight + (unsigned)c->has_buffer;
}

const struct ot_op *
otclient_inflight(const struct otclient *c)
{
	return c->has_inflight ? &c->inflight : NULL;
}

const struct ot_op *
otclient_buffer(const struct otclient *c)
{
	return c->has_buffer ? &c->buffer : NULL;
}

size_t
otclient_undo_depth(const struct otclient *c)
{
	return c->undo.n;
}

size_t
otclient_redo_depth(const struct otclient *c)
{
	return c->redo.n;
}

/* ---- sending ---------------------------------------------------------- */

static void
send_none(struct otclient_send *send)
{
	*send = (struct otclient_send){false, NULL, 0, NULL};
}

static void
send_inflight(const struct otclient *c, struct otclient_send *send)
{
	*send = (struct otclient_send){true, c->cid, c->sent_rev, &c->sent};
}

/* What an op needs to go in flight: a copy kept as sent, and its cid. */
static enum ot_status
flight_prepare(const struct ot_op *op, const char *next_cid,
    struct ot_op *sent, char **cid)
{
	if (next_cid == NULL)
		return OT_EINVAL;
	*cid = xstrdup(next_cid);
	ot_copy(sent, op);
	return OT_OK;
}

/* Puts op (based on rev; moved in) in flight with sent and cid (moved in). */
static void
flight_start(struct otclient *c, struct ot_op *op, struct ot_op *sent,
    char *cid, struct otclient_send *send)
{
	c->inflight = *op;
	ot_init(op);
	c->sent = *sent;
	ot_init(sent);
	c->cid = cid;
	c->sent_rev = c->rev;
	c->has_inflight = true;
	if (c->online)
		send_inflight(c, send);
}

void
otclient_offline(struct otclient *c)
{
	c->online = false;
}

bool
otclient_resend(struct otclient *c, struct otclient_send *send)
{
	c->online = true;
	send_none(send);
	if (!c->has_inflight)
		return false;
	send_inflight(c, send);
	return true;
}

/* ---- cursors ---------------------------------------------------------- */

static struct ot_selection
clamp_sel(struct ot_selection sel, size_t len)
{
	if (sel.anchor > len)
		sel.anchor = len;
	if (sel.head > len)
		sel.head = len;
	return sel;
}

/* Moves my selection and the remote cursors through op, just applied. */
static void
move_cursors(struct otclient *c, const struct ot_op *op)
{
	c->sel = ot_transform_selection(op, c->sel, false);
	for (size_t i = 0; i < c->ncursors; i++)
		c->cursors[i].sel = ot_transform_selection(op,
		    c->cursors[i].sel, false);
}

struct ot_selection
otclient_selection(const struct otclient *c)
{
	return c->sel;
}

void
otclient_set_selection(struct otclient *c, struct ot_selection sel)
{
	c->sel = clamp_sel(sel, doc_length(c->doc));
}

enum otclient_status
otclient_transform_remote_cursor(const struct otclient *c, size_t rev,
    struct ot_selection sel, struct ot_selection *out)
{
	if (rev > c->rev || c->rev - rev > c->hist_len)
		return OTCLIENT_EREV;
	for (size_t v = rev + 1; v <= c->rev; v++)
		sel = ot_transform_selection(hist_at(c, v), sel, false);
	if (c->has_inflight)
		sel = ot_transform_selection(&c->inflight, sel, false);
	if (c->has_buffer)
		sel = ot_transform_selection(&c->buffer, sel, false);
	*out = clamp_sel(sel, doc_length(c->doc));
	return OTCLIENT_OK;
}

static struct otclient_cursor *
cursor_find(const struct otclient *c, const char *session)
{
	for (size_t i = 0; i < c->ncursors; i++)
		if (strcmp(c->cursors[i].session, session) == 0)
			return &c->cursors[i];
	return NULL;
}

/* A new cursor for session, with no user yet. */
static struct otclient_cursor *
cursor_add(struct otclient *c, const char *session)
{
	xgrow(&c->cursors, &c->cursor_cap, c->ncursors + 1, sizeof *c->cursors);
	c->cursors[c->ncursors] = (struct otclient_cursor){xstrdup(session), NULL,
	    {0, 0}};
	return &c->cursors[c->ncursors++];
}

enum otclient_status
otclient_cursor_set(struct otclient *c, const char *session,
    const char *user, size_t rev, struct ot_selection sel)
{
	struct ot_selection local;
	enum otclient_status st;

	if (session == NULL)
		return OTCLIENT_EINVAL;
	st = otclient_transform_remote_cursor(c, rev, sel, &local);
	if (st != OTCLIENT_OK)
		return st;
	struct otclient_cursor *cur = cursor_find(c, session);
	if (cur == NULL)
		cur = cursor_add(c, session);
	free(cur->user);
	cur->user = xstrdup(user != NULL ? user : "");
	cur->sel = local;
	return OTCLIENT_OK;
}

void
otclient_cursor_drop(struct otclient *c, const char *session)
{
	for (size_t i = c->ncursors; i-- > 0;) {
		if (session != NULL &&
		    strcmp(c->cursors[i].session, session) != 0)
			continue;
		free(c->cursors[i].session);
		free(c->cursors[i].user);
		c->cursors[i] = c->cursors[--c->ncursors];
	}
}

size_t
otclient_cursor_count(const struct otclient *c)
{
	return c->ncursors;
}

const struct otclient_cursor *
otclient_cursor_at(const struct otclient *c, size_t i)
{
	return i < c->ncursors ? &c->cursors[i] : NULL;
}

/* ---- local edits and undo --------------------------------------------- */

/* Typing: inserts exactly one code point and deletes nothing. */
static bool
is_typing(const struct ot_op *op)
{
	size_t inserted = 0;
	for (size_t i = 0; i < op->ncomps; i++) {
		if (op->comps[i].kind == OT_DELETE)
			return false;
		if (op->comps[i].kind == OT_INSERT)
			inserted += op->comps[i].n;
	}
	return inserted == 1;
}

/* The new in-flight op or buffer for local op: *pend, plus *sent and *cid
 * when it goes in flight. */
static enum ot_status
local_prepare(const struct otclient *c, const struct ot_op *op,
    const char *next_cid, struct ot_op *pend, struct ot_op *sent, char **cid)
{
	enum ot_status st;

	if (c->has_buffer)
		return ot_compose(&c->buffer, op, pend);
	if (!c->has_inflight &&
	    (st = flight_prepare(op, next_cid, sent, cid)) != OT_OK)
		return st;
	ot_copy(pend, op);
	return OT_OK;
}

/* The undo bookkeeping of op: *inv is the step to push (or, when merge, to
 * replace the top of the undo stack with), on a stack with room reserved. */
static enum ot_status
history_prepare(struct otclient *c, const struct ot_op *op, enum origin from,
    bool merge, struct ot_op *inv)
{
	struct ot_op i = OT_OP_INIT;
	enum ot_status st = ot_invert_doc(op, c->doc, &i);

	if (st == OT_OK && merge) {
		st = ot_compose(&i, &c->undo.ops[c->undo.n - 1], inv);
		ot_free(&i);
		return st;
	}
	if (st != OT_OK)
		return st;
	stack_reserve(from == FROM_UNDO ? &c->redo : &c->undo);
	*inv = i;
	return OT_OK;
}

static void
history_commit(struct otclient *c, enum origin from, bool merge,
    bool typing, struct ot_op *inv)
{
	switch (from) {
	case FROM_EDIT:
		if (merge) {
			ot_free(&c->undo.ops[c->undo.n - 1]);
			c->undo.ops[c->undo.n - 1] = *inv;
			ot_init(inv);
		} else {
			stack_push(&c->undo, inv);
		}
		stack_free(&c->redo);
		c->typing = typing;
		break;
	case FROM_UNDO:
		stack_pop(&c->undo);
		stack_push(&c->redo, inv);
		c->typing = false;
		break;
	case FROM_REDO:
		stack_pop(&c->redo);
		stack_push(&c->undo, inv);
		c->typing = false;
		break;
	}
}

/* Applies op (on the local document) as my edit; op may be the top of the
 * undo or redo stack, which from says. */
static enum otclient_status
apply_local(struct otclient *c, const struct ot_op *op, enum origin from,
    const char *next_cid, struct otclient_send *send)
{
	struct ot_op pend = OT_OP_INIT, sent = OT_OP_INIT, inv = OT_OP_INIT;
	char *cid = NULL;
	bool typing = from == FROM_EDIT && is_typing(op);
	bool merge = typing && c->typing && c->undo.n > 0;
	enum ot_status st;

	send_none(send);
	if (op->base_len != doc_length(c->doc))
		return OTCLIENT_ELENGTH;
	if (ot_is_noop(op)) {
		assert(from == FROM_EDIT); /* the stacks hold no no-ops */
		return OTCLIENT_OK;
	}
	st = local_prepare(c, op, next_cid, &pend, &sent, &cid);
	if (st == OT_OK)
		st = history_prepare(c, op, from, merge, &inv);
	if (st == OT_OK)
		st = ot_apply_doc(c->doc, op);
	if (st != OT_OK) {
		ot_free(&pend);
		ot_free(&sent);
		ot_free(&inv);
		free(cid);
		return from_ot(st);
	}
	move_cursors(c, op);
	if (!c->has_inflight) {
		flight_start(c, &pend, &sent, cid, send);
	} else {
		ot_free(&c->buffer);
		c->buffer = pend;
		c->has_buffer = true;
	}
	history_commit(c, from, merge, typing, &inv); /* may free op */
	return OTCLIENT_OK;
}

enum otclient_status
otclient_local(struct otclient *c, const struct ot_op *op,
    const char *next_cid, struct otclient_send *send)
{
	return apply_local(c, op, FROM_EDIT, next_cid, send);
}

enum otclient_status
otclient_undo(struct otclient *c, const char *next_cid,
    struct otclient_send *send)
{
	send_none(send);
	if (c->undo.n == 0)
		return OTCLIENT_EEMPTY;
	return apply_local(c, &c->undo.ops[c->undo.n - 1], FROM_UNDO,
	    next_cid, send);
}

enum otclient_status
otclient_redo(struct otclient *c, const char *next_cid,
    struct otclient_send *send)
{
	send_none(send);
	if (c->redo.n == 0)
		return OTCLIENT_EEMPTY;
	return apply_local(c, &c->redo.ops[c->redo.n - 1], FROM_REDO,
	    next_cid, send);
}

void
otclient_undo_boundary(struct otclient *c)
{
	c->typing = false;
}

/* ---- from the server -------------------------------------------------- */

enum otclient_status
otclient_ack(struct otclient *c, const char *cid, size_t rev,
    const char *next_cid, struct otclient_send *send)
{
	struct ot_op sent = OT_OP_INIT;
	char *ncid = NULL;

	send_none(send);
	if (!c->has_inflight || cid == NULL || strcmp(cid, c->cid) != 0)
		return OTCLIENT_ESTATE;
	if (rev != c->rev + 1)
		return OTCLIENT_EREV;
	if (c->has_buffer) {
		enum ot_status st = flight_prepare(&c->buffer, next_cid,
		    &sent, &ncid);
		if (st != OT_OK)
			return from_ot(st);
	}
	/* The op in flight, as transformed, is the server's revision rev. */
	hist_push(c, &c->inflight);
	ot_free(&c->sent);
	free(c->cid);
	c->cid = NULL;
	c->has_inflight = false;
	c->rev = rev;
	if (c->has_buffer) {
		c->has_buffer = false;
		flight_start(c, &c->buffer, &sent, ncid, send);
	}
	return OTCLIENT_OK;
}

/* My op in flight, echoed in a catch-up after a reconnect. */
static bool
is_own_inflight(const struct otclient *c, const char *user, const char *cid)
{
	return c->has_inflight && user != NULL && cid != NULL &&
	    strcmp(user, c->me) == 0 && strcmp(cid, c->cid) == 0;
}

/* Server op s (on the server document at rev) moved past the op in flight
 * and the buffer: *local applies to the local document, *fl and *buf are the
 * in-flight op and buffer moved past s (set only when they exist). */
static enum ot_status
transform_incoming(const struct otclient *c, const struct ot_op *s,
    struct ot_op *local, struct ot_op *fl, struct ot_op *buf)
{
	struct ot_op a = OT_OP_INIT;
	enum ot_status st = OT_OK;

	ot_copy(&a, s);
	if (c->has_inflight)
		st = move_past(&a, &c->inflight, fl);
	if (st == OT_OK && c->has_buffer &&
	    (st = move_past(&a, &c->buffer, buf)) != OT_OK)
		ot_free(fl);
	if (st != OT_OK) {
		ot_free(&a);
		return st;
	}
	*local = a;
	return OT_OK;
}

enum otclient_status
otclient_server_op(struct otclient *c, size_t rev, const struct ot_op *op,
    const char *user, const char *cid, const char *next_cid,
    struct otclient_send *send)
{
	struct ot_op local = OT_OP_INIT, fl = OT_OP_INIT, buf = OT_OP_INIT, past;
	struct opstack undo = {NULL, 0, 0}, redo = {NULL, 0, 0};
	enum ot_status st;

	send_none(send);
	if (is_own_inflight(c, user, cid))
		return otclient_ack(c, cid, rev, next_cid, send);
	if (rev != c->rev + 1)
		return OTCLIENT_EREV;
	size_t base = c->has_inflight ? c->inflight.base_len :
	    doc_length(c->doc);
	if (op->base_len != base)
		return OTCLIENT_ELENGTH;

	st = transform_incoming(c, op, &local, &fl, &buf);
	if (st == OT_OK)
		st = stack_transform(&c->undo, &local, &undo);
	if (st == OT_OK)
		st = stack_transform(&c->redo, &local, &redo);
	if (st == OT_OK)
		st = ot_apply_doc(c->doc, &local);
	if (st != OT_OK) {
		ot_free(&local);
		ot_free(&fl);
		ot_free(&buf);
		stack_free(&undo);
		stack_free(&redo);
		return from_ot(st);
	}
	move_cursors(c, &local);
	ot_free(&local);
	if (c->has_inflight) {
		ot_free(&c->inflight);
		c->inflight = fl;
	}
	if (c->has_buffer) {
		ot_free(&c->buffer);
		c->buffer = buf;
	}
	if (undo.n != c->undo.n)
		c->typing = false; /* the open typing step may be gone */
	stack_free(&c->undo);
	c->undo = undo;
	stack_free(&c->redo);
	c->redo = redo;
	ot_copy(&past, op);
	hist_push(c, &past);
	c->rev = rev;
	return OTCLIENT_OK;
}
