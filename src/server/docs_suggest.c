/*
 * docs_suggest: a document's suggestions and its protected mode
 * (docs/protocol.md, "Suggestions").
 *
 * A suggestion is an op kept aside (model/suggest.h: its rules are the
 * rules here). DOC_SUGGEST brings it to the head as a late DOC_OP is
 * brought (synchronously: one further behind than DOCS_SYNC_WORK gets
 * rev_too_old), stores it and commits at once, then every viewer gets
 * SUGGESTION and the sender its ACK. In memory the open suggestions are at
 * the document's head: docs_op.c calls docs_suggest_advance for every op
 * it applies, which moves each one (suggest_advance) and writes it back in
 * the op's own transaction, so that a row's revision is always the
 * committed head and a restart finds them where they belong. A failed
 * commit throws the memory state away (docs_suggest_rollback): it is read
 * again from the store, at the committed revision the text went back to.
 *
 * One that an op drops (its text deleted by others) is closed in that
 * op's transaction, its author notified (kind suggestion); the viewers get
 * SUGGESTION_CLOSED once the op is committed. SUGGEST_ACCEPT applies the
 * op as a new revision by the suggester (docs_commit_as), SUGGEST_REJECT
 * closes it; both tell the author.
 *
 * Rights: in a protected document only the room's owner and moderators
 * edit (DOC_OP, DOC_TAG), accept and reject; the others read, comment and
 * suggest, and may withdraw (reject) their own suggestions. DOC_MODE, by
 * the owner or a moderator, sets the mode; it is stored with the document.
 *
 * Bounds: SUGGEST_MAX_DOC open suggestions per document, SUGGEST_MAX_USER
 * per user in one document, SUGGEST_MAX_BYTES of their ops' JSON (as made)
 * per document; DOC_STATE carries them all, so it is bounded by the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/suggest.h"
#include "model/xmalloc.h"
#include "server/docs.h"
#include "server/notify.h"
#include "server/rights.h"

struct sugg {
	int64_t id;
	char *user, *cid;
	int64_t ts;
	struct suggest s; /* at the document's head */
	size_t bytes;     /* its op's JSON when made */
};

/* A suggestion an uncommitted revision dropped: told once it is committed. */
struct told {
	int64_t id, rev;
};

struct dsuggest {
	bool protect;
	GPtrArray *v;  /* struct sugg *, by id */
	size_t bytes;
	GArray *told;  /* struct told */
};

static void
sugg_free(void *p)
{
	struct sugg *g = p;
	suggest_free(&g->s);
	g_free(g->user);
	g_free(g->cid);
	g_free(g);
}

void
docs_suggest_free(struct sdoc *d)
{
	struct dsuggest *g = d->sug;
	if (g == NULL)
		return;
	g_ptr_array_free(g->v, TRUE);
	g_array_free(g->told, TRUE);
	g_free(g);
	d->sug = NULL;
}

void
docs_suggest_rollback(struct sdoc *d)
{
	docs_suggest_free(d); /* read again from the store when next needed */
}

/* One stored row, brought from its revision to `at` through the log;
 * NULL when it cannot be (logged: the row stays for a later load). */
static struct sugg *
from_row(struct sdoc *d, const struct store_suggestion *r, int64_t at)
{
	struct ot_op op = OT_OP_INIT;
	struct suggest s;
	if (ot_decode(r->op, strlen(r->op), &op, NULL, 0) != OT_OK ||
	    suggest_init(&s, &op, r->rev) != SUGGEST_OK) {
		ot_free(&op);
		lwsl_err("document %s: suggestion %lld unreadable\n", d->key,
		    (long long)r->id);
		return NULL;
	}
	ot_free(&op);
	s.deletes = r->deletes;
	while (s.rev < at) {
		struct logent *e = docs_log_at(d, s.rev + 1);
		if (e == NULL || suggest_advance(&s, &e->op) != SUGGEST_OK) {
			lwsl_err("document %s: suggestion %lld at revision %lld cannot reach "
			    "%lld\n", d->key, (long long)r->id, (long long)r->rev,
			    (long long)at);
			suggest_free(&s);
			return NULL;
		}
	}
	struct sugg *g = g_new0(struct sugg, 1);
	g->id = r->id;
	g->user = g_strdup(r->user);
	g->cid = g_strdup(r->cid);
	g->ts = r->ts;
	g->s = s;
	g->bytes = strlen(r->op);
	return g;
}

/* The document's suggestions at revision at (loaded from the store the
 * first time); NULL after a store failure. */
static struct dsuggest *
state_at(struct server *srv, struct sdoc *d, int64_t at)
{
	if (d->sug != NULL)
		return d->sug;
	struct store *st = srv->store;
	struct store_suggestion *rows;
	size_t n;
	bool protect;
	if (st->ops->doc_mode_get(st, d->id, &protect) != 0 ||
	    st->ops->suggestions_open(st, d->id, &rows, &n) != 0) {
		hub_store_error(srv);
		return NULL;
	}
	struct dsuggest *g = g_new0(struct dsuggest, 1);
	g->protect = protect;
	g->v = g_ptr_array_new_with_free_func(sugg_free);
	g->told = g_array_new(FALSE, FALSE, sizeof(struct told));
	for (size_t i = 0; i < n; i++) {
		struct sugg *s = from_row(d, &rows[i], at);
		if (s != NULL) {
			g_ptr_array_add(g->v, s);
			g->bytes += s->bytes;
		}
	}
	store_suggestions_free(rows, n);
	d->sug = g;
	return g;
}

static struct dsuggest *
state(const struct req *q, struct sdoc *d)
{
	struct dsuggest *g = state_at(q->srv, d, d->head);
	if (g == NULL)
		hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
	return g;
}

static struct sugg *
find(struct dsuggest *g, int64_t id, guint *at)
{
	for (guint i = 0; i < g->v->len; i++) {
		struct sugg *s = g_ptr_array_index(g->v, i);
		if (s->id == id) {
			if (at != NULL)
				*at = i;
			return s;
		}
	}
	return NULL;
}

/* An op as a raw JSON node for frames (printed once). */
static cJSON *
op_json(const struct ot_op *op)
{
	char *text = ot_encode(op);
	cJSON *j = cJSON_CreateRaw(text);
	free(text);
	return j;
}

static int
tell_author(struct server *srv, struct sdoc *d, const struct sugg *s,
    const char *what, const char *by)
{
	if (by != NULL && strcmp(by, s->user) == 0)
		return 0; /* one's own doing */
	char title[200];
	if (by != NULL)
		snprintf(title, sizeof title, "%s %s your suggestion in %s", by, what,
		    d->name);
	else
		snprintf(title, sizeof title, "your suggestion in %s was %s", d->name, what);
	return notif_suggestion(srv, s->user, d->room->name, title,
	    by != NULL ? "" : "the text it changed was deleted by others");
}

/* ---- rights -------------------------------------------------------------- */

static bool
moderates(const struct req *q, struct sdoc *d)
{
	return rights_moderates(d->room, q->s->user->name);
}

bool
docs_suggest_may_edit(const struct req *q, struct sdoc *d)
{
	struct dsuggest *g = state(q, d);
	if (g == NULL)
		return false;
	if (!g->protect || moderates(q, d))
		return true;
	char reason[200];
	snprintf(reason, sizeof reason, "%s is protected: only the owner and "
	    "moderators of %s may change it; suggest instead", d->name,
	    d->room->name);
	hub_req_error(q, PE_FORBIDDEN, reason);
	return false;
}

/* ---- the op path --------------------------------------------------------- */

int
docs_suggest_advance(struct server *srv, struct sdoc *d, const struct ot_op *op)
{
	int64_t rev = d->head; /* the revision op made */
	struct dsuggest *g = state_at(srv, d, rev - 1);
	if (g == NULL)
		return -1;
	struct store *st = srv->store;
	for (guint i = 0; i < g->v->len;) {
		struct sugg *s = g_ptr_array_index(g->v, i);
		if (s->s.rev != rev - 1 || suggest_advance(&s->s, op) != SUGGEST_OK) {
			lwsl_err("document %s: suggestion %lld out of step\n", d->key,
			    (long long)s->id);
			return -1; /* rolled back, and read again from the store */
		}
		if (s->s.dropped) {
			/* not told when it was the suggester's own edit */
			const char *by = docs_log_at(d, rev)->user;
			bool own = by != NULL && strcmp(by, s->user) == 0;
			if (st->ops->suggestion_close(st, s->id, "dropped", NULL, rev) != 0 ||
			    (!own && tell_author(srv, d, s, "dropped", NULL) != 0))
				return -1;
			struct told t = {s->id, rev};
			g_array_append_val(g->told, t);
			g->bytes -= s->bytes;
			g_ptr_array_remove_index(g->v, i);
			continue;
		}
		char *text = ot_encode(&s->s.op);
		int rc = st->ops->suggestion_move(st, s->id, rev, text);
		free(text);
		if (rc != 0)
			return -1;
		i++;
	}
	return 0;
}

void
docs_suggest_committed(struct sdoc *d, int64_t rev)
{
	struct dsuggest *g = d->sug;
	if (g == NULL)
		return;
	guint kept = 0;
	for (guint i = 0; i < g->told->len; i++) {
		struct told t = g_array_index(g->told, struct told, i);
		if (t.rev > rev) {
			g_array_index(g->told, struct told, kept++) = t;
			continue;
		}
		struct proto_frame f = proto_frame_of(PT_SUGGESTION_CLOSED);
		f.room = d->room->name;
		f.doc = d->name;
		f.suggestion = t.id;
		f.has_suggestion = true;
		f.event = "dropped";
		f.rev = t.rev;
		f.has_rev = true;
		docs_broadcast(d, &f, NULL);
	}
	g_array_set_size(g->told, kept);
}

/* ---- DOC_STATE ----------------------------------------------------------- */

void
docs_suggest_fill(struct server *srv, struct sdoc *d, const struct session *s,
    struct proto_frame *f)
{
	struct dsuggest *g = state_at(srv, d, d->head);
	f->has_can_edit = true;
	f->can_edit = g == NULL || !g->protect ||
	    rights_moderates(d->room, s->user->name);
	if (g == NULL)
		return;
	f->is_protected = g->protect;
	f->has_protected = g->protect;
	if (g->v->len == 0 || d->head != d->committed)
		return;
	struct proto_suggestion *v = g_new0(struct proto_suggestion, g->v->len);
	for (guint i = 0; i < g->v->len; i++) {
		const struct sugg *x = g_ptr_array_index(g->v, i);
		v[i] = (struct proto_suggestion){x->id, x->user, x->ts, op_json(&x->s.op)};
	}
	f->suggestions = v;
	f->nsuggestions = g->v->len;
}

void
docs_suggest_fill_free(struct proto_frame *f)
{
	for (size_t i = 0; i < f->nsuggestions; i++)
		cJSON_Delete((cJSON *)f->suggestions[i].op);
	g_free(f->suggestions);
	f->suggestions = NULL;
	f->nsuggestions = 0;
}

/* ---- DOC_SUGGEST --------------------------------------------------------- */

static void
send_ack(const struct req *q, struct sdoc *d, int64_t id, int64_t rev)
{
	struct proto_frame a = proto_frame_of(PT_ACK);
	a.cid = q->f->cid;
	a.room = d->room->name;
	a.doc = d->name;
	a.suggestion = id;
	a.has_suggestion = id > 0;
	a.rev = rev;
	a.has_rev = rev > 0;
	session_send_frame(q->s, &a);
}

/* The suggestion within the bounds; false after the ERROR. */
static bool
may_add(const struct req *q, struct dsuggest *g, const struct ot_op *op,
    size_t bytes)
{
	struct server *srv = q->srv;
	const char *me = q->s->user->name;
	unsigned mine = 0;
	for (guint i = 0; i < g->v->len; i++)
		mine += strcmp(((struct sugg *)g_ptr_array_index(g->v, i))->user, me) == 0;
	char reason[160];
	reason[0] = '\0';
	if (g->v->len >= SUGGEST_MAX_DOC)
		snprintf(reason, sizeof reason, "a document has at most %d open "
		    "suggestions", SUGGEST_MAX_DOC);
	else if (mine >= SUGGEST_MAX_USER)
		snprintf(reason, sizeof reason, "you have %d open suggestions in this "
		    "document, the most one may", SUGGEST_MAX_USER);
	else if (g->bytes + bytes > SUGGEST_MAX_BYTES)
		snprintf(reason, sizeof reason, "the document's suggestions would pass "
		    "%d KB", SUGGEST_MAX_BYTES / 1024);
	else if (op->target_len > srv->cfg.max_doc)
		snprintf(reason, sizeof reason, "the document would pass %zu characters",
		    srv->cfg.max_doc);
	if (reason[0] == '\0')
		return true;
	hub_req_error(q, PE_TOO_LARGE, reason);
	return false;
}

/* The op of q made at f->rev, brought to the head in *s; false after the
 * ERROR. */
static bool
bring_to_head(const struct req *q, struct sdoc *d, const struct ot_op *op,
    struct suggest *s)
{
	const struct proto_frame *f = q->f;
	char reason[160];
	if (f->rev > d->committed || f->rev < d->head - (int64_t)d->nlog) {
		bool newer = f->rev > d->committed;
		snprintf(reason, sizeof reason, newer ? "revision %lld does not exist"
		    : "revision %lld is older than the transform log", (long long)f->rev);
		hub_req_error(q, newer ? PE_BAD_REV : PE_REV_TOO_OLD, reason);
		return false;
	}
	size_t len = f->rev == d->head ? doc_length(d->text)
	    : docs_log_at(d, f->rev + 1)->op.base_len;
	if (op->base_len != len) {
		snprintf(reason, sizeof reason, "the op applies to %zu characters, "
		    "revision %lld has %zu", op->base_len, (long long)f->rev, len);
		hub_req_error(q, PE_BAD_OP, reason);
		return false;
	}
	if (!docs_log_cheap(d, f->rev, d->head, op->ncomps)) {
		hub_req_error(q, PE_REV_TOO_OLD, "the suggestion is too far behind the "
		    "document: make it again at a newer revision");
		return false;
	}
	if (suggest_init(s, op, f->rev) != SUGGEST_OK) {
		hub_req_error(q, PE_BAD_OP, "the suggestion changes nothing");
		return false;
	}
	while (s->rev < d->head) {
		if (suggest_advance(s, &docs_log_at(d, s->rev + 1)->op) != SUGGEST_OK) {
			suggest_free(s);
			hub_req_error(q, PE_BAD_OP, "the suggestion does not fit the document");
			return false;
		}
	}
	if (s->dropped) {
		suggest_free(s);
		hub_req_error(q, PE_BAD_OP, "the text the suggestion changes was deleted "
		    "meanwhile");
		return false;
	}
	return true;
}

static void
broadcast_new(struct sdoc *d, const struct sugg *s)
{
	cJSON *op = op_json(&s->s.op);
	struct proto_frame f = proto_frame_of(PT_SUGGESTION);
	f.room = d->room->name;
	f.doc = d->name;
	f.rev = d->committed;
	f.has_rev = true;
	f.suggestion = s->id;
	f.has_suggestion = true;
	f.user = s->user;
	f.ts = s->ts;
	f.has_ts = true;
	f.op = op;
	f.cid = s->cid;
	docs_broadcast(d, &f, NULL);
	cJSON_Delete(op);
}

void
docs_handle_suggest(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	struct sdoc *d = docs_open_for(q);
	if (d == NULL)
		return;
	struct dsuggest *g = state(q, d);
	if (g == NULL)
		return;
	if (cJSON_GetArraySize(f->op) > (int)srv->cfg.max_op) {
		char reason[96];
		snprintf(reason, sizeof reason, "the operation has more than %zu "
		    "components", srv->cfg.max_op);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	struct ot_op op = OT_OP_INIT;
	char why[128] = "";
	enum ot_status ost = ot_decode_json(f->op, &op, why, sizeof why);
	if (ost != OT_OK) {
		hub_req_error(q, PE_BAD_OP, why[0] ? why : ot_strerror(ost));
		return;
	}
	struct store *st = srv->store;
	const char *me = q->s->user->name;
	int64_t prev;
	if (st->ops->suggestion_by_cid(st, d->id, me, f->cid, &prev) != 0) {
		ot_free(&op);
		hub_store_failed(srv, q->s, f->cid, q->ref);
		return;
	}
	if (prev > 0) { /* sent again: the same answer */
		ot_free(&op);
		send_ack(q, d, prev, d->committed);
		return;
	}
	struct suggest s;
	bool ok = bring_to_head(q, d, &op, &s);
	ot_free(&op);
	if (!ok)
		return;
	char *text = ot_encode(&s.op);
	size_t bytes = strlen(text);
	if (!may_add(q, g, &s.op, bytes)) {
		free(text);
		suggest_free(&s);
		return;
	}
	struct store_suggestion row = {0, (char *)me, (char *)f->cid, d->head, text,
	    s.deletes, now_ms()};
	int64_t id = 0;
	d->refs++; /* the commit may run other requests' completions */
	ok = hub_req_begin(q) &&
	    hub_req_commit(q, st->ops->suggestion_add(st, d->id, &row, &id));
	d->refs--;
	free(text);
	/* a failed commit rolled the memory state back: it is read again */
	if (!ok || d->sug != g || s.rev != d->head) {
		suggest_free(&s);
		if (ok)
			hub_req_error(q, PE_INTERNAL, "the document changed: send it again");
		docs_maybe_unload(srv, d);
		return;
	}
	struct sugg *x = g_new0(struct sugg, 1);
	x->id = id;
	x->user = g_strdup(me);
	x->cid = g_strdup(f->cid);
	x->ts = row.ts;
	x->s = s;
	x->bytes = bytes;
	g_ptr_array_add(g->v, x);
	g->bytes += bytes;
	broadcast_new(d, x);
	send_ack(q, d, id, d->committed);
	docs_maybe_unload(srv, d);
}

/* ---- SUGGEST_ACCEPT and SUGGEST_REJECT ----------------------------------- */

/* The open suggestion q names, in the document q names; NULL after the
 * ERROR. */
static struct sugg *
named(const struct req *q, struct sdoc **dp, struct dsuggest **gp, guint *at)
{
	struct sdoc *d = docs_open_for(q);
	if (d == NULL)
		return NULL;
	struct dsuggest *g = state(q, d);
	if (g == NULL)
		return NULL;
	struct sugg *s = find(g, q->f->suggestion, at);
	if (s == NULL) {
		char reason[128];
		snprintf(reason, sizeof reason, "%s has no open suggestion %lld", d->name,
		    (long long)q->f->suggestion);
		hub_req_error(q, PE_NO_SUGGESTION, reason);
		return NULL;
	}
	*dp = d;
	*gp = g;
	return s;
}

void
docs_handle_accept(const struct req *q)
{
	struct server *srv = q->srv;
	struct sdoc *d;
	struct dsuggest *g;
	guint at;
	struct sugg *s = named(q, &d, &g, &at);
	if (s == NULL || !docs_suggest_may_edit(q, d))
		return;
	struct ot_op op = OT_OP_INIT;
	enum suggest_status ss = suggest_accept(&s->s, d->head, &op);
	if (ss != SUGGEST_OK) {
		hub_req_error(q, PE_INTERNAL, suggest_strerror(ss));
		return;
	}
	if (op.target_len > srv->cfg.max_doc || op.ncomps > srv->cfg.max_op) {
		char reason[96];
		snprintf(reason, sizeof reason, op.ncomps > srv->cfg.max_op ?
		    "the operation has more than %zu components" :
		    "the document would pass %zu characters",
		    op.ncomps > srv->cfg.max_op ? srv->cfg.max_op : srv->cfg.max_doc);
		ot_free(&op);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	struct store *st = srv->store;
	const char *me = q->s->user->name;
	if (hub_batch_begin(srv) != 0 ||
	    st->ops->suggestion_close(st, s->id, "accepted", me, d->head + 1) != 0 ||
	    tell_author(srv, d, s, "accepted", me) != 0) {
		ot_free(&op);
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		hub_batch_abort(srv);
		return;
	}
	/* out of the list before the op moves the others: it is the op */
	g_ptr_array_steal_index(g->v, at);
	g->bytes -= s->bytes;
	struct docs_author a = {s->user, s->cid, me, s->id};
	if (!docs_commit_as(q, d, &op, &a) && d->sug == g)
		docs_suggest_free(d); /* the store has it open still: read again */
	sugg_free(s);
}

void
docs_handle_reject(const struct req *q)
{
	struct server *srv = q->srv;
	struct sdoc *d;
	struct dsuggest *g;
	guint at;
	struct sugg *s = named(q, &d, &g, &at);
	if (s == NULL)
		return;
	const char *me = q->s->user->name;
	/* one's own suggestion may always be withdrawn */
	if (strcmp(s->user, me) != 0 && !docs_suggest_may_edit(q, d))
		return;
	struct store *st = srv->store;
	int64_t id = s->id;
	d->refs++;
	bool ok = hub_req_begin(q);
	if (ok) {
		int rc = st->ops->suggestion_close(st, id, "rejected", me, d->committed);
		if (rc == 0)
			rc = tell_author(srv, d, s, "rejected", me);
		ok = hub_req_commit(q, rc);
	}
	d->refs--;
	if (ok && d->sug == g && (s = find(g, id, &at)) != NULL) {
		g->bytes -= s->bytes;
		g_ptr_array_remove_index(g->v, at);
		struct proto_frame f = proto_frame_of(PT_SUGGESTION_CLOSED);
		f.room = d->room->name;
		f.doc = d->name;
		f.suggestion = id;
		f.has_suggestion = true;
		f.event = "rejected";
		f.by = me;
		f.rev = d->committed;
		f.has_rev = true;
		docs_broadcast(d, &f, NULL);
		send_ack(q, d, id, 0);
	}
	docs_maybe_unload(srv, d);
}

/* ---- DOC_MODE ------------------------------------------------------------ */

void
docs_handle_mode(const struct req *q)
{
	struct server *srv = q->srv;
	const struct proto_frame *f = q->f;
	struct sdoc *d = docs_open_for(q);
	if (d == NULL)
		return;
	struct dsuggest *g = state(q, d);
	if (g == NULL)
		return;
	if (!moderates(q, d)) {
		char reason[160];
		snprintf(reason, sizeof reason, "only the owner and moderators of %s may "
		    "protect its documents", d->room->name);
		hub_req_error(q, PE_FORBIDDEN, reason);
		return;
	}
	struct store *st = srv->store;
	d->refs++;
	bool ok = hub_req_begin(q) &&
	    hub_req_commit(q, st->ops->doc_mode_set(st, d->id, f->is_protected));
	d->refs--;
	if (ok && d->sug != NULL) {
		d->sug->protect = f->is_protected;
		/* each viewer is told whether it may still edit */
		for (guint i = 0; i < d->viewers->len; i++) {
			struct viewer *v = &g_array_index(d->viewers, struct viewer, i);
			struct proto_frame m = proto_frame_of(PT_DOC_MODE);
			m.room = d->room->name;
			m.doc = d->name;
			m.is_protected = f->is_protected;
			m.has_protected = true;
			m.by = q->s->user->name;
			m.can_edit = !f->is_protected ||
			    rights_moderates(d->room, v->s->user->name);
			m.has_can_edit = true;
			session_send_frame(v->s, &m);
		}
		send_ack(q, d, 0, 0);
	} else if (ok) {
		send_ack(q, d, 0, 0);
	}
	docs_maybe_unload(srv, d);
}
