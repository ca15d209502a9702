/*
 * docs: the in-memory side of the shared documents, shared by docs.c (the
 * state of an open document, its viewers and cursors) and docs_op.c (the
 * operation path: transform, apply, store, acknowledge).
 *
 * A document is loaded when a session opens it and unloaded when nobody
 * views it and no request waits on it. Loaded, it holds its text at `head`,
 * the newest revision applied (maybe not yet committed), and the log of the
 * newest `nlog` operations (head - nlog, head], bounded by --doc-log, against
 * which late operations are transformed. `committed` is the newest revision
 * the store has made durable; clients are never shown anything newer: every
 * frame about the document is at most at `committed`, and DOC_OPEN commits
 * first when the two differ. Cursors are kept at `head` and moved through
 * every applied operation.
 */
#ifndef CONFAB_DOCS_H
#define CONFAB_DOCS_H

#include <cjson/cJSON.h>

#include "model/doc.h"
#include "model/ot.h"
#include "server/server.h"
#include "server/stream.h"

#define DOCS_SNAPSHOT_EVERY 100

/* One logged revision. */
struct logent {
	struct ot_op op;
	char *user, *cid;
	int64_t ts;
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
	size_t cap, start, nlog;
	GArray *viewers;    /* struct viewer */
	unsigned refs;      /* pending requests that point here */
	struct textsnap *snap; /* the text at committed, once asked for */
	bool broken;        /* a rollback could not reload it: reopen to retry */
};

/* A DOC_OP between its transaction and its commit. */
struct doc_pending {
	struct sdoc *d;
	int64_t rev;
	bool duplicate;
	cJSON *op;  /* the operation as applied; NULL for a duplicate */
	char *user, *cid;
	int64_t ts;
};

/* docs.c */
struct logent *docs_log_at(struct sdoc *d, int64_t rev);
void docs_log_push(struct server *srv, struct sdoc *d, struct logent *e);
struct viewer *docs_viewer(struct sdoc *d, const struct session *s);
/* The loaded document q names, viewed by q's session, or an ERROR
 * (not_joined, not_open, internal) and NULL. */
struct sdoc *docs_open_for(const struct req *q);
void docs_maybe_unload(struct server *srv, struct sdoc *d);
/* Sends a frame to every viewer but `except` (may be NULL). */
void docs_broadcast(struct sdoc *d, const struct proto_frame *f,
    const struct session *except);
/* Rebuilds the text at rev from the newest snapshot and the operations
 * after it; NULL after logging the reason. */
struct doc *docs_text_at(struct server *srv, int64_t doc_id, int64_t rev);

#endif
