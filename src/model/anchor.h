/*
 * anchor: the range of a shared document a comment is attached to, kept on
 * the same text while the document changes (operational transformation).
 *
 * An anchor covers the code points [start, end) of the document at some
 * revision. anchor_transform moves it through one op (struct ot_op, ot.h) to
 * the next revision, by these rules:
 *
 *   - Text the op keeps inside the anchor stays inside; text before it moves
 *     it, text after it does not.
 *   - Text inserted strictly inside (start < position < end, in the op's
 *     base positions) grows the anchor.
 *   - Text inserted exactly at start or at end stays outside, as in Google
 *     Docs: typing just before or just after commented text does not extend
 *     the comment. In ot.js's normal form an insert that replaces text comes
 *     before the text it deletes, so overtyping the anchor's first characters
 *     is an insert at start, and stays outside too.
 *   - Text deleted under the anchor shrinks it. The new range runs from the
 *     first to the last character still inside.
 *   - When nothing is left inside, the anchor collapses to the point where
 *     its text was (start == end) and `removed` is set. The flag stays set
 *     for good: later inserts at that point do not bring the comment back.
 *   - A collapsed anchor (removed, or made empty: a comment on a point) moves
 *     as another user's cursor does (ot_transform_index with own false).
 *
 * The result is always inside the new document (end <= the op's target
 * length) and start <= end, and it holds exactly the original characters
 * of the anchor that are left. Transforming through compose(a, b) gives the
 * same anchor as through a then b whenever compose(a, b) has no insert
 * right before a delete. Where it has one, compose has lost what the rules
 * need: ot.js's normal form puts an insert before the text deleted next to
 * it, so "insert, then delete the text after it" and "delete, then insert
 * at the same place" compose to the same op though the insert ends inside
 * the anchor in one and at its edge in the other (tests/unit/test_anchor.c
 * shows such a pair). No rule on positions can tell them apart; both
 * results still hold the same original characters.
 *
 * Owns: nothing (an anchor is a plain value). Never does: I/O, allocation,
 * or keeping anything between calls; it knows nothing of comments, revisions
 * or the network.
 */
#ifndef CONFAB_ANCHOR_H
#define CONFAB_ANCHOR_H

#include <stdbool.h>
#include <stddef.h>

#include "model/ot.h"

struct anchor {
	size_t start;  /* code points, start <= end */
	size_t end;    /* one past the last anchored code point */
	bool removed;  /* all its text was deleted (sticky) */
};

/* True when a fits a document of doc_len code points: start <= end <=
 * doc_len. Check anchors that come from outside before transforming them. */
bool anchor_fits(struct anchor a, size_t doc_len);

/* a, in the document op applies to, moved to the document op produces (see
 * the rules above). Positions past op's base length count as the base
 * length, and a start past end as end, so the result always fits. */
struct anchor anchor_transform(const struct ot_op *op, struct anchor a);

#endif
