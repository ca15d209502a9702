/*
 * suggest: a suggested edit of a shared document, kept aside until someone
 * accepts it (Google Docs' "suggesting" mode, on operational transformation).
 *
 * A suggestion is an op (struct ot_op, ot.h) made against revision rev. It
 * is not applied: as the document gets revision rev + 1, rev + 2, ...,
 * suggest_advance transforms it past each new op exactly as the server
 * transforms a late DOC_OP (ot_transform(new op, suggestion), the new op
 * ordered first: THE TIE RULE in ot.h), so that when it is accepted at the
 * head, suggest_accept hands out the op to apply there, and the document
 * ends as if the suggester had sent the edit then.
 *
 * Dropped. A suggestion that others made pointless is marked dropped (the
 * mark stays; suggest_accept refuses it):
 *   - one that deletes text is about that text: it is dropped once all the
 *     text it deletes has been deleted by others, whatever it inserts (the
 *     insert of a replacement whose original is gone);
 *   - one that only inserts is about the place it inserts at: it is dropped
 *     when a single new op deletes the text on both sides of each of its
 *     insertion points (it was written inside a passage that is gone).
 *     Text deleted on one side only, or over several ops, leaves it live.
 *
 * Showing it: suggest_marks lists, in document order, the runs of the head
 * text the suggestion would delete (to strike through) and the text it
 * would insert with where (to show inline), in head positions and in the
 * positions of a view that shows both.
 *
 * Owns: its op and the marks' text. Never does: I/O, JSON, or knowing who
 * suggested what; it knows revisions only as the count it is at.
 */
#ifndef CONFAB_SUGGEST_H
#define CONFAB_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/ot.h"

enum suggest_status {
	SUGGEST_OK = 0,
	SUGGEST_ENOOP,    /* the suggested op changes nothing */
	SUGGEST_ELENGTH,  /* an op that does not fit the document at rev */
	SUGGEST_EREV,     /* accept at another revision than the one it is at */
	SUGGEST_EDROPPED, /* accept of a dropped suggestion */
};

struct suggest {
	struct ot_op op; /* owned; against the document at rev */
	int64_t rev;
	bool deletes;    /* it deleted text when made (see Dropped) */
	bool dropped;
};

/* Short English for a status. */
const char *suggest_strerror(enum suggest_status status);

/* A suggestion of a copy of op at revision rev; SUGGEST_ENOOP (and *s
 * untouched) when op changes nothing. */
enum suggest_status suggest_init(struct suggest *s, const struct ot_op *op,
    int64_t rev);
void suggest_free(struct suggest *s);

/* The document got revision s->rev + 1 by next (an op on the document at
 * s->rev): transforms the suggestion past it and may mark it dropped.
 * SUGGEST_ELENGTH, s untouched, when next does not fit. */
enum suggest_status suggest_advance(struct suggest *s,
    const struct ot_op *next);

/* The op to apply at revision head to accept s (a copy in *out, to
 * ot_free). SUGGEST_EREV when s is not at head (advance it first),
 * SUGGEST_EDROPPED when it is dropped. */
enum suggest_status suggest_accept(const struct suggest *s, int64_t head,
    struct ot_op *out);

enum suggest_mark_kind {
	SUGGEST_DELETED,  /* head text [pos, pos + len) would go */
	SUGGEST_INSERTED, /* text would come before head position pos */
};

struct suggest_mark {
	enum suggest_mark_kind kind;
	size_t pos;   /* in the head text (code points) */
	size_t shown; /* in a view of the head text with every insert shown */
	size_t len;   /* code points deleted or inserted */
	char *text;   /* SUGGEST_INSERTED: owned UTF-8; NULL otherwise */
	size_t bytes; /* byte length of text */
};

struct suggest_marks {
	struct suggest_mark *v; /* owned, n in use */
	size_t n;
};

/* What s would change in the document at s->rev, in order; an insert
 * before the deleted run it replaces. Free with suggest_marks_free. */
void suggest_marks(const struct suggest *s, struct suggest_marks *out);
void suggest_marks_free(struct suggest_marks *m);

#endif
