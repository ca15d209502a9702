/*
 * docs_comments: a shared document's comments (docs/protocol.md,
 * "Comments"): COMMENT, COMMENT_REPLY, COMMENT_RESOLVE, COMMENT_EDIT and
 * COMMENT_DELETE, the COMMENT events, DOC_STATE's list, and the anchors
 * kept on their text as the document changes (model/anchor.h).
 *
 * Anchors move at commit, not at apply: every anchor is at `at`, which is
 * the document's committed revision once loaded, and docs_op.c moves them
 * through each revision as it commits (docs_comments_advance). Moving them
 * at the head would put them ahead of every frame clients are shown, and
 * a failed commit would have to take them back, which anchor_transform
 * cannot do (it shrinks ranges and sets `removed` for good): each anchor
 * would need a copy per uncommitted revision. At commit nothing is ever
 * taken back.
 *
 * Stored, an anchor carries the revision it is at. It is not written with
 * every operation that moves it (a keystroke at the top of the document
 * would rewrite every comment): it is written when the comment is made
 * and again once it is COMMENT_LAG revisions behind, in the loop turn's
 * transaction. Loading a document moves each stored anchor through the
 * stored operations after its revision (a step of the load job, a page of
 * operations at a time), so a stale anchor is never wrong, only older,
 * and a crash costs at most COMMENT_LAG revisions of replay per comment.
 *
 * Bounds (fixed, in docs/protocol.md): a comment's or reply's text, the
 * replies of a comment, the bytes of a thread, the comments of a document
 * and the bytes of all of them. DOC_STATE carries every comment whole, so
 * those bounds are what bound its size and the work of building it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/anchor.h"
#include "model/utf8.h"
#include "model/xmalloc.h"
#include "server/docs.h"
#include "server/notify.h"

#define COMMENT_TEXT_MAX 2000          /* code points of a comment or reply */
#define COMMENT_REPLIES_MAX 100
#define COMMENT_THREAD_BYTES 32768     /* a comment's text and its replies' */
#define COMMENTS_MAX 500               /* per document */
#define COMMENTS_BYTES (256 * 1024)    /* every thread of a document */
#define COMMENT_LAG 100                /* revisions before an anchor is stored */
#define LOAD_PAGE 8                    /* operations read a step when loading */

struct scomment {
	struct store_comment c; /* start, end, removed: the anchor at `at` */
	int64_t stored;         /* the revision of the stored anchor */
	size_t bytes;           /* its text and its replies' */
};

struct sdoc_comments {
	struct scomment *v;
	size_t n, cap, bytes;
	int64_t at;        /* the revision the anchors are at */
	bool loaded;
	int64_t next;      /* loading: the newest revision moved through */
};

/* ---- the list ------------------------------------------------------------ */

static void
scomment_free(struct scomment *sc)
{
	store_comment_clear(&sc->c);
}

void
docs_comments_free(struct sdoc *d)
{
	struct sdoc_comments *cm = d->comments;
	if (cm == NULL)
		return;
	for (size_t i = 0; i < cm->n; i++)
		scomment_free(&cm->v[i]);
	free(cm->v);
	g_free(cm);
	d->comments = NULL;
}

static struct scomment *
find(struct sdoc_comments *cm, int64_t id)
{
	for (size_t i = 0; cm != NULL && i < cm->n; i++)
		if (cm->v[i].c.id == id)
			return &cm->v[i];
	return NULL;
}

static void
drop(struct sdoc_comments *cm, int64_t id)
{
	struct scomment *sc = find(cm, id);
	if (sc == NULL)
		return;
	cm->bytes -= sc->bytes;
	scomment_free(sc);
	size_t i = (size_t)(sc - cm->v);
	memmove(&cm->v[i], &cm->v[i + 1], (cm->n - i - 1) * sizeof *cm->v);
	cm->n--;
}

static size_t
thread_bytes(const struct store_comment *c)
{
	size_t n = strlen(c->text);
	for (size_t i = 0; i < c->nreplies; i++)
		n += strlen(c->replies[i].text);
	return n;
}

/* Takes c (its strings and replies). */
static struct scomment *
append(struct sdoc_comments *cm, struct store_comment *c)
{
	if (cm->n == cm->cap)
		cm->v = xreallocarray(cm->v, cm->cap = cm->cap ? cm->cap * 2 : 8,
		    sizeof *cm->v);
	struct scomment *sc = &cm->v[cm->n++];
	*sc = (struct scomment){*c, c->rev, thread_bytes(c)};
	cm->bytes += sc->bytes;
	memset(c, 0, sizeof *c);
	return sc;
}

/* ---- loading and moving ---------------------------------------------------- */

static enum job_step
load_list(struct server *srv, struct sdoc *d, struct sdoc_comments *cm,
    int64_t head)
{
	struct store *st = srv->store;
	struct store_comment *v;
	size_t n;
	if (st->ops->comments_of(st, d->id, &v, &n) != 0) {
		hub_store_error(srv);
		return JOB_FAILED;
	}
	cm->next = head;
	for (size_t i = 0; i < n; i++) {
		struct scomment *sc = append(cm, &v[i]);
		if (sc->c.rev < cm->next)
			cm->next = sc->c.rev;
	}
	free(v);
	return JOB_MORE;
}

/* The next page of stored operations, each moving the anchors that are at
 * the revision before it. */
static enum job_step
load_page(struct server *srv, struct sdoc *d, struct sdoc_comments *cm,
    int64_t head)
{
	struct store *st = srv->store;
	struct store_doc_ops page = {0};
	if (st->ops->doc_ops_range(st, d->id, cm->next, head, LOAD_PAGE, &page) != 0) {
		hub_store_error(srv);
		return JOB_FAILED;
	}
	enum job_step step = JOB_MORE;
	for (size_t i = 0; i < page.n && step == JOB_MORE; i++) {
		struct store_doc_op *o = &page.v[i];
		struct ot_op op = OT_OP_INIT;
		char why[128];
		if (o->rev != cm->next + 1 ||
		    ot_decode(o->op, strlen(o->op), &op, why, sizeof why) != OT_OK) {
			lwsl_err("document %s: revision %lld is unreadable for its "
			    "comments\n", d->key, (long long)cm->next + 1);
			step = JOB_FAILED;
			break;
		}
		for (size_t k = 0; k < cm->n; k++) {
			struct store_comment *c = &cm->v[k].c;
			if (c->rev != o->rev - 1)
				continue;
			struct anchor a = anchor_transform(&op,
			    (struct anchor){(size_t)c->start, (size_t)c->end, c->removed});
			c->start = (int64_t)a.start;
			c->end = (int64_t)a.end;
			c->removed = a.removed;
			c->rev = o->rev;
		}
		ot_free(&op);
		cm->next = o->rev;
	}
	if (page.n == 0 && cm->next < head) {
		lwsl_err("document %s: revision %lld is missing for its comments\n",
		    d->key, (long long)cm->next + 1);
		step = JOB_FAILED;
	}
	store_doc_ops_free(&page);
	return step;
}

enum job_step
docs_comments_load(struct server *srv, struct sdoc *d, int64_t head, size_t len)
{
	struct sdoc_comments *cm = d->comments;
	if (cm == NULL) {
		cm = d->comments = g_new0(struct sdoc_comments, 1);
		return load_list(srv, d, cm, head);
	}
	if (cm->loaded)
		return JOB_DONE;
	if (cm->next < head)
		return load_page(srv, d, cm, head);
	for (size_t i = 0; i < cm->n; i++) {
		struct store_comment *c = &cm->v[i].c;
		struct anchor a = {(size_t)c->start, (size_t)c->end, c->removed};
		if (c->rev > head || !anchor_fits(a, len)) {
			/* a store written by something else: keep it inside */
			lwsl_warn("document %s: comment %lld is past the text\n", d->key,
			    (long long)c->id);
			c->end = c->end > (int64_t)len ? (int64_t)len : c->end;
			c->start = c->start > c->end ? c->end : c->start;
		}
		c->rev = head;
	}
	cm->at = head;
	cm->loaded = true;
	return JOB_DONE;
}

/* Stores the anchors COMMENT_LAG revisions behind, in the turn's
 * transaction. A failure leaves the older stored anchor, still right. */
static void
store_lagging(struct server *srv, struct sdoc *d, struct sdoc_comments *cm)
{
	struct store *st = srv->store;
	for (size_t i = 0; i < cm->n; i++) {
		struct scomment *sc = &cm->v[i];
		if (cm->at - sc->stored < COMMENT_LAG)
			continue;
		if (hub_batch_begin(srv) != 0 || st->ops->comment_anchor(st, sc->c.id,
		    cm->at, sc->c.start, sc->c.end, sc->c.removed) != 0) {
			lwsl_warn("document %s: cannot store comment %lld's place\n", d->key,
			    (long long)sc->c.id);
			return;
		}
		sc->stored = cm->at;
	}
}

void
docs_comments_advance(struct server *srv, struct sdoc *d, int64_t rev,
    const cJSON *json)
{
	struct sdoc_comments *cm = d->comments;
	if (cm == NULL || !cm->loaded || cm->n == 0) {
		if (cm != NULL && cm->loaded)
			cm->at = rev;
		return;
	}
	if (rev != cm->at + 1) {
		lwsl_err("document %s: comments at %lld, revision %lld committed\n",
		    d->key, (long long)cm->at, (long long)rev);
		return;
	}
	struct logent *e = docs_log_at(d, rev);
	struct ot_op own = OT_OP_INIT;
	const struct ot_op *op = e != NULL ? &e->op : &own;
	char why[128];
	if (e == NULL && (json == NULL || json->valuestring == NULL ||
	    ot_decode(json->valuestring, strlen(json->valuestring), &own, why,
	        sizeof why) != OT_OK)) {
		lwsl_err("document %s: revision %lld lost for its comments\n", d->key,
		    (long long)rev);
		return;
	}
	for (size_t i = 0; i < cm->n; i++) {
		struct store_comment *c = &cm->v[i].c;
		struct anchor a = anchor_transform(op,
		    (struct anchor){(size_t)c->start, (size_t)c->end, c->removed});
		c->start = (int64_t)a.start;
		c->end = (int64_t)a.end;
		c->removed = a.removed;
	}
	ot_free(&own);
	cm->at = rev;
	store_lagging(srv, d, cm);
}

/* ---- frames ---------------------------------------------------------------- */

static struct proto_comment
to_proto(const struct scomment *sc)
{
	const struct store_comment *c = &sc->c;
	struct proto_comment_reply *r = g_new0(struct proto_comment_reply,
	    c->nreplies + 1);
	for (size_t i = 0; i < c->nreplies; i++)
		r[i] = (struct proto_comment_reply){c->replies[i].id, c->replies[i].user,
		    c->replies[i].ts, c->replies[i].text};
	return (struct proto_comment){.id = c->id, .user = c->user, .ts = c->ts,
	    .edited_ts = c->edited_ts, .range = {c->start, c->end},
	    .removed = c->removed, .resolved = c->resolved_by != NULL,
	    .resolved_by = c->resolved_by, .text = c->text, .replies = r,
	    .nreplies = c->nreplies};
}

void
docs_comments_state(struct sdoc *d, struct proto_frame *f)
{
	struct sdoc_comments *cm = d->comments;
	f->comments = NULL;
	f->ncomments = 0;
	if (cm == NULL || cm->n == 0)
		return;
	f->comments = g_new0(struct proto_comment, cm->n);
	for (size_t i = 0; i < cm->n; i++)
		f->comments[f->ncomments++] = to_proto(&cm->v[i]);
}

void
docs_comments_state_free(struct proto_frame *f)
{
	for (size_t i = 0; i < f->ncomments; i++)
		g_free(f->comments[i].replies);
	g_free(f->comments);
	f->comments = NULL;
	f->ncomments = 0;
}

/* The COMMENT event, to every viewer of d. */
static void
broadcast(struct sdoc *d, const struct scomment *sc)
{
	struct proto_comment pc = to_proto(sc);
	struct proto_frame f = proto_frame_of(PT_COMMENT);
	f.room = d->room->name;
	f.doc = d->name;
	f.rev = d->committed;
	f.has_rev = true;
	f.comments = &pc;
	f.ncomments = 1;
	docs_broadcast(d, &f, NULL);
	g_free(pc.replies);
}

static void
send_ack(const struct req *q, struct sdoc *d, int64_t id)
{
	struct proto_frame a = proto_frame_of(PT_ACK);
	a.cid = q->f->cid;
	a.room = d->room->name;
	a.doc = d->name;
	a.comment_id = id;
	a.has_comment_id = true;
	session_send_frame(q->s, &a);
}

/* ---- requests -------------------------------------------------------------- */

/* A comment's or reply's text, within its bound; false after the ERROR. */
static bool
text_ok(const struct req *q, const char *text)
{
	size_t cps = utf8_count(text, strlen(text));
	if (cps == 0 || text[strspn(text, " \t\n")] == '\0') {
		hub_req_error(q, PE_BAD_FIELD, "the text is empty");
		return false;
	}
	if (cps > COMMENT_TEXT_MAX) {
		char reason[96];
		snprintf(reason, sizeof reason, "a comment or reply has at most %d "
		    "characters", COMMENT_TEXT_MAX);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return false;
	}
	return true;
}

/* The document, loaded with its comments, open in q's session. */
static struct sdoc *
open_doc(const struct req *q)
{
	struct sdoc *d = docs_open_for(q);
	if (d != NULL && (d->comments == NULL || !d->comments->loaded)) {
		hub_req_error(q, PE_INTERNAL, "the document's comments are not loaded");
		return NULL;
	}
	return d;
}

/* The comment q names; NULL after ERROR no_comment. */
static struct scomment *
named(const struct req *q, struct sdoc *d)
{
	struct scomment *sc = find(d->comments, q->f->comment_id);
	if (sc == NULL) {
		char reason[96];
		snprintf(reason, sizeof reason, "the document has no comment %lld",
		    (long long)q->f->comment_id);
		hub_req_error(q, PE_NO_COMMENT, reason);
	}
	return sc;
}

/* The author's own comment; NULL after the ERROR. */
static struct scomment *
own(const struct req *q, struct sdoc *d, const char *what)
{
	struct scomment *sc = named(q, d);
	if (sc != NULL && strcmp(sc->c.user, q->s->user->name) != 0) {
		char reason[96];
		snprintf(reason, sizeof reason, "only its author %ss a comment", what);
		hub_req_error(q, PE_FORBIDDEN, reason);
		return NULL;
	}
	return sc;
}

/* The anchor of a new comment, checked at its revision and moved to `at`;
 * false after the ERROR. */
static bool
new_anchor(const struct req *q, struct sdoc *d, struct anchor *a)
{
	const struct proto_frame *f = q->f;
	char reason[128];
	if (f->rev > d->committed) {
		snprintf(reason, sizeof reason, "revision %lld does not exist (head %lld)",
		    (long long)f->rev, (long long)d->committed);
		hub_req_error(q, PE_BAD_REV, reason);
		return false;
	}
	if (f->rev < d->head - (int64_t)d->nlog ||
	    !docs_log_cheap(d, f->rev, d->committed, 1)) {
		snprintf(reason, sizeof reason, "revision %lld is too old: comment at a "
		    "newer one", (long long)f->rev);
		hub_req_error(q, PE_REV_TOO_OLD, reason);
		return false;
	}
	size_t len = f->rev == d->head ? doc_length(d->text)
	    : docs_log_at(d, f->rev + 1)->op.base_len;
	*a = (struct anchor){(size_t)f->range[0], (size_t)f->range[1], false};
	if (!anchor_fits(*a, len)) {
		snprintf(reason, sizeof reason, "the range is past the end of the "
		    "document (%zu characters at revision %lld)", len, (long long)f->rev);
		hub_req_error(q, PE_BAD_FIELD, reason);
		return false;
	}
	for (int64_t rev = f->rev + 1; rev <= d->comments->at; rev++)
		*a = anchor_transform(&docs_log_at(d, rev)->op, *a);
	return true;
}

static bool
room_for(const struct req *q, struct sdoc_comments *cm, size_t thread,
    size_t more)
{
	char reason[128];
	if (thread + more > COMMENT_THREAD_BYTES) {
		snprintf(reason, sizeof reason, "a comment and its replies take at most "
		    "%d bytes", COMMENT_THREAD_BYTES);
	} else if (cm->bytes + more > COMMENTS_BYTES) {
		snprintf(reason, sizeof reason, "the comments of a document take at most "
		    "%d bytes", COMMENTS_BYTES);
	} else {
		return true;
	}
	hub_req_error(q, PE_TOO_LARGE, reason);
	return false;
}

void
docs_handle_comment(const struct req *q)
{
	const struct proto_frame *f = q->f;
	struct sdoc *d = open_doc(q);
	struct anchor a;
	if (d == NULL || !text_ok(q, f->text) || !new_anchor(q, d, &a))
		return;
	struct sdoc_comments *cm = d->comments;
	if (cm->n >= COMMENTS_MAX) {
		char reason[96];
		snprintf(reason, sizeof reason, "a document has at most %d comments",
		    COMMENTS_MAX);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	if (!room_for(q, cm, 0, strlen(f->text)))
		return;
	struct store *st = q->srv->store;
	struct store_comment c = {.ts = now_ms(), .rev = cm->at,
	    .start = (int64_t)a.start, .end = (int64_t)a.end, .removed = a.removed,
	    .user = xstrdup(q->s->user->name), .text = xstrdup(f->text)};
	d->refs++; /* the commit may run other requests' completions */
	if (!hub_req_begin(q)) {
		store_comment_clear(&c);
		goto out;
	}
	int rc = st->ops->comment_add(st, d->id, &c, &c.id);
	int64_t id = c.id;
	/* in the list before the commit, which moves it with the revisions
	 * committed along */
	if (rc == 0)
		append(cm, &c);
	else
		store_comment_clear(&c);
	if (!hub_req_commit(q, rc)) {
		drop(cm, id);
		goto out;
	}
	send_ack(q, d, id);
	struct scomment *sc = find(cm, id);
	if (sc != NULL)
		broadcast(d, sc);
out:
	d->refs--;
	docs_maybe_unload(q->srv, d);
}

void
docs_handle_comment_reply(const struct req *q)
{
	const struct proto_frame *f = q->f;
	struct sdoc *d = open_doc(q);
	struct scomment *sc;
	if (d == NULL || (sc = named(q, d)) == NULL || !text_ok(q, f->text))
		return;
	if (sc->c.nreplies >= COMMENT_REPLIES_MAX) {
		char reason[96];
		snprintf(reason, sizeof reason, "a comment has at most %d replies",
		    COMMENT_REPLIES_MAX);
		hub_req_error(q, PE_TOO_LARGE, reason);
		return;
	}
	size_t more = strlen(f->text);
	if (!room_for(q, d->comments, sc->bytes, more))
		return;
	struct server *srv = q->srv;
	struct store *st = srv->store;
	int64_t cid = sc->c.id, id = 0, ts = now_ms();
	char *author = xstrdup(sc->c.user);
	d->refs++;
	bool ok = hub_req_begin(q);
	if (ok) {
		int rc = st->ops->comment_reply(st, cid, q->s->user->name, ts, f->text, &id);
		if (rc == 0)
			rc = notif_comment(srv, d->room->name, d->name, author,
			    q->s->user->name, f->text, ts);
		ok = hub_req_commit(q, rc);
	}
	free(author);
	if (ok && (sc = find(d->comments, cid)) != NULL) {
		struct store_comment *c = &sc->c;
		c->replies = xreallocarray(c->replies, c->nreplies + 1,
		    sizeof *c->replies);
		c->replies[c->nreplies++] = (struct store_comment_reply){id, ts,
		    xstrdup(q->s->user->name), xstrdup(f->text)};
		sc->bytes += more;
		d->comments->bytes += more;
		send_ack(q, d, cid);
		broadcast(d, sc);
	}
	d->refs--;
	docs_maybe_unload(srv, d);
}

/* A change of one comment: stored (rc from the store op run between begin
 * and commit by `write`), then made in memory by `apply`, ACKed and told. */
struct change {
	int (*write)(const struct req *q, struct store *st, int64_t id);
	void (*apply)(const struct req *q, struct sdoc *d, struct scomment *sc);
};

static void
change(const struct req *q, struct sdoc *d, struct scomment *sc,
    const struct change *ch)
{
	struct store *st = q->srv->store;
	int64_t id = sc->c.id;
	d->refs++;
	bool ok = hub_req_begin(q) && hub_req_commit(q, ch->write(q, st, id));
	if (ok && (sc = find(d->comments, id)) != NULL) {
		send_ack(q, d, id);
		ch->apply(q, d, sc);
	}
	d->refs--;
	docs_maybe_unload(q->srv, d);
}

static int
resolve_write(const struct req *q, struct store *st, int64_t id)
{
	return st->ops->comment_resolve(st, id, q->f->resolved ? q->s->user->name
	    : NULL);
}

static void
resolve_apply(const struct req *q, struct sdoc *d, struct scomment *sc)
{
	free(sc->c.resolved_by);
	sc->c.resolved_by = q->f->resolved ? xstrdup(q->s->user->name) : NULL;
	broadcast(d, sc);
}

void
docs_handle_comment_resolve(const struct req *q)
{
	struct sdoc *d = open_doc(q);
	struct scomment *sc;
	if (d == NULL || (sc = named(q, d)) == NULL)
		return;
	if ((sc->c.resolved_by != NULL) == q->f->resolved) {
		send_ack(q, d, sc->c.id); /* already so: nothing to tell */
		return;
	}
	static const struct change ch = {resolve_write, resolve_apply};
	change(q, d, sc, &ch);
}

static int
edit_write(const struct req *q, struct store *st, int64_t id)
{
	return st->ops->comment_edit(st, id, q->f->text, now_ms());
}

static void
edit_apply(const struct req *q, struct sdoc *d, struct scomment *sc)
{
	struct sdoc_comments *cm = d->comments;
	size_t old = strlen(sc->c.text), now = strlen(q->f->text);
	free(sc->c.text);
	sc->c.text = xstrdup(q->f->text);
	sc->c.edited_ts = now_ms();
	sc->bytes = sc->bytes - old + now;
	cm->bytes = cm->bytes - old + now;
	broadcast(d, sc);
}

void
docs_handle_comment_edit(const struct req *q)
{
	struct sdoc *d = open_doc(q);
	struct scomment *sc;
	if (d == NULL || (sc = own(q, d, "edit")) == NULL || !text_ok(q, q->f->text))
		return;
	size_t old = strlen(sc->c.text), now = strlen(q->f->text);
	if (now > old && !room_for(q, d->comments, sc->bytes, now - old))
		return;
	static const struct change ch = {edit_write, edit_apply};
	change(q, d, sc, &ch);
}

static int
delete_write(const struct req *q, struct store *st, int64_t id)
{
	(void)q;
	return st->ops->comment_delete(st, id);
}

static void
delete_apply(const struct req *q, struct sdoc *d, struct scomment *sc)
{
	struct sdoc_comments *cm = d->comments;
	struct proto_frame f = proto_frame_of(PT_COMMENT_DELETE);
	f.room = d->room->name;
	f.doc = d->name;
	f.comment_id = sc->c.id;
	f.has_comment_id = true;
	f.by = q->s->user->name;
	drop(cm, sc->c.id);
	docs_broadcast(d, &f, NULL);
}

void
docs_handle_comment_delete(const struct req *q)
{
	struct sdoc *d = open_doc(q);
	struct scomment *sc;
	if (d == NULL || (sc = own(q, d, "delete")) == NULL)
		return;
	static const struct change ch = {delete_write, delete_apply};
	change(q, d, sc, &ch);
}
