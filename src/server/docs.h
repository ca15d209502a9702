/*
 * docs: the in-memory side of the shared documents, shared by docs.c (the
 * state of an open document, its viewers and cursors), docs_log.c (the
 * transform log), docs_load.c (loading and rebuilding, as jobs) and
 * docs_op.c (the operation path: transform, apply, store, acknowledge).
 *
 * A document is loaded when a session opens it and unloaded when nobody
 * views it and no request waits on it. Loading is a job (jobs.h): requests
 * for a document being loaded park until it is. Loaded, it holds its text
 * at `head`, the newest revision applied (maybe not yet committed), and the
 * log of the newest `nlog` operations (head - nlog, head], bounded by
 * --doc-log operations and --doc-log-bytes of memory, against which late
 * operations are transformed. `committed` is the newest revision the store
 * has made durable; clients are never shown anything newer: every frame
 * about the document is at most at `committed`, and DOC_OPEN commits first
 * when the two differ. An operation not yet committed keeps its inverse,
 * so that a failed commit takes the text back without a rebuild. Cursors
 * are kept at `head` and moved through every applied operation.
 */
#ifndef CONFAB_DOCS_H
#define CONFAB_DOCS_H

#include <cjson/cJSON.h>

#include "model/doc.h"
#include "model/ot.h"
#include "server/jobs.h"
#include "server/server.h"
#include "server/stream.h"

#define DOCS_SNAPSHOT_EVERY 100
/* Moving an op or a cursor through a revision costs about the components
 * of both; up to this much is done at once, more by a job (or refused, for
 * a cursor). */
#define DOCS_SYNC_WORK 20000

/* One logged revision. */
struct logent {
	struct ot_op op;
	struct ot_op undo; /* its inverse while not committed, else empty */
	char *user, *cid;
	int64_t ts;
	size_t bytes;      /* the memory it takes (for --doc-log-bytes) */
};

struct viewer {
	struct session *s;
	bool has_sel;
	struct ot_selection sel; /* at head */
	/* DOC_OPEN with since: the next revision to send it, 0 once live
	 * (live DOC_OP and CURSOR frames skip it until then) */
	int64_t replay_next;
	char *open_cid;
};

struct sdoc {
	char *key;          /* "room/name" */
	struct room *room;
	char *name;
	int64_t id;
	struct doc *text;   /* at head */
	int64_t head, committed;
	struct logent *log; /* ring: cap slots, nlog in use from start */
	size_t cap, start, nlog, log_bytes;
	GArray *viewers;    /* struct viewer */
	unsigned refs;      /* pending requests and jobs that point here */
	struct textsnap *snap; /* the text at committed, once asked for */
	struct job *loading; /* while it loads: requests park on it */
	struct dsuggest *sug; /* docs_suggest.c; NULL until needed */
	bool broken;        /* unusable until reloaded (DOC_OPEN reloads) */
	struct sdoc_comments *comments; /* docs_comments.c */
};

/* A DOC_OP between its transaction and its commit. */
struct doc_pending {
	uint64_t session; /* whose: the ACK or ERROR goes to it if still there */
	struct sdoc *d;
	int64_t rev;
	bool duplicate;
	cJSON *op;  /* the operation as applied; NULL for a duplicate */
	char *user, *cid;
	int64_t ts;
	/* an accepted suggestion: its id, who accepted (whose request it is:
	 * the ACK goes to them with ack_cid); NULL/0 for a DOC_OP */
	int64_t suggestion;
	char *by, *ack_cid;
};

/* Whom a revision is by: the sender of a DOC_OP, or, for an accepted
 * suggestion, its author (user, cid: the suggestion's) and who accepted
 * it (by, suggestion: its id). */
struct docs_author {
	const char *user, *cid, *by;
	int64_t suggestion;
};

/* docs_log.c */
struct logent *docs_log_at(struct sdoc *d, int64_t rev);
/* Appends e (taking what it owns) as revision d->head, which the caller
 * has just advanced; the oldest entries go past either bound. */
void docs_log_push(struct server *srv, struct sdoc *d, struct logent *e);
void docs_log_clear(struct sdoc *d);
/* Frees the oldest entries until about `work` components are gone;
 * true once the log is empty. */
bool docs_log_clear_some(struct sdoc *d, size_t work);
/* The text back at committed: the inverses of the revisions after it, the
 * newest first; false when one does not apply (rebuild it then). */
bool docs_log_undo(struct sdoc *d);
/* Whether moving something of per_rev components through the revisions
 * (from, to] stays within DOCS_SYNC_WORK. */
bool docs_log_cheap(struct sdoc *d, int64_t from, int64_t to, size_t per_rev);
/* rev is committed: it needs its inverse no more. */
void docs_log_committed(struct sdoc *d, int64_t rev);

/* docs_load.c */
/* A document not loaded yet, in the table and loading (d->loading). */
struct sdoc *docs_load(struct server *srv, struct room *r, const char *name,
    const char *key);
/* Loads a broken document again (d->loading). */
void docs_reload(struct server *srv, struct sdoc *d);
/* Answers q (DOC_GET) with the text of document id at rev, rebuilt from
 * its snapshot and operations by a job while q is parked. */
void docs_get_job(const struct req *q, int64_t id, int64_t rev);
void sdoc_free(void *p);
/* Frees an unloaded document a step at a time. */
void docs_free_later(struct server *srv, struct sdoc *d);

/* docs_tag.c */
/* The tags of document doc_id (none for 0) for DOC_HISTORY: *out points
 * into *held; free *out with g_free and *held with store_doc_tags_free
 * (*n entries). -1 when the store failed. */
int docs_tags_of(struct server *srv, int64_t doc_id, struct proto_tag **out,
    size_t *n, struct store_doc_tag **held);

/* docs_comments.c: the document's comments, their anchors at the
 * committed revision (see there). */
struct sdoc_comments;
/* Revision rev (op_json: its op as a raw node, read when the log has lost
 * it) has just committed: the anchors move through it. */
void docs_comments_advance(struct server *srv, struct sdoc *d, int64_t rev,
    const cJSON *op_json);
/* A step of loading d: its comments, moved to revision head of a text of
 * len code points. */
enum job_step docs_comments_load(struct server *srv, struct sdoc *d,
    int64_t head, size_t len);
void docs_comments_free(struct sdoc *d);
/* DOC_STATE's comments into f (free with docs_comments_state_free). */
void docs_comments_state(struct sdoc *d, struct proto_frame *f);
void docs_comments_state_free(struct proto_frame *f);
/* docs_op.c: stores op as the next revision by a and applies it (taking
 * op); false after the ERROR (the transaction rolled back). */
bool docs_commit_as(const struct req *q, struct sdoc *d, struct ot_op *op,
    const struct docs_author *a);

/* docs_suggest.c: a document's suggestions and protected mode. */
#define SUGGEST_MAX_DOC 100
#define SUGGEST_MAX_USER 20
#define SUGGEST_MAX_BYTES (256 * 1024)
/* The document got revision d->head by op (in the open transaction): the
 * suggestions move past it, in the store too; -1 after a store failure
 * (roll back). */
int docs_suggest_advance(struct server *srv, struct sdoc *d,
    const struct ot_op *op);
/* Revisions up to rev are committed: the viewers hear of what they
 * dropped. */
void docs_suggest_committed(struct sdoc *d, int64_t rev);
/* The transaction rolled back / the document goes: forgets the state. */
void docs_suggest_rollback(struct sdoc *d);
void docs_suggest_free(struct sdoc *d);
/* q may change d (DOC_OP, DOC_TAG): false after the ERROR forbidden. */
bool docs_suggest_may_edit(const struct req *q, struct sdoc *d);
/* DOC_STATE's suggestions, protected and can_edit for s;
 * docs_suggest_fill_free after sending. */
void docs_suggest_fill(struct server *srv, struct sdoc *d,
    const struct session *s, struct proto_frame *f);
void docs_suggest_fill_free(struct proto_frame *f);
/* docs_where.c: s opened, edited or moved its cursor in d, or stopped
 * viewing it; presence follows. */
void docs_where_touch(struct session *s, struct sdoc *d);
void docs_where_drop(struct session *s, struct sdoc *d);

/* docs.c */
struct viewer *docs_viewer(struct sdoc *d, const struct session *s);
/* The loaded document q names, viewed by q's session, or NULL after an
 * ERROR (not_joined, not_open, internal) or after parking q while the
 * document loads. */
struct sdoc *docs_open_for(const struct req *q);
void docs_maybe_unload(struct server *srv, struct sdoc *d);
/* Sends a frame to every viewer but `except` (may be NULL). */
void docs_broadcast(struct sdoc *d, const struct proto_frame *f,
    const struct session *except);

#endif
