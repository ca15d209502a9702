/*
 * textpatch: the operation that turns a text into another line by line,
 * for loading a file over a shared document (/doc load).
 *
 * textdiff_op (textdiff.h) keeps only the common first and last code
 * points and replaces all between: concurrent edits anywhere in between
 * would be deleted with it. textpatch_op keeps every line the line diff
 * (textdiff_lines) finds in both texts, and deletes and inserts only the
 * lines that changed, so that someone's edit in a line the file did not
 * change is transformed through the load and survives it.
 *
 * A diff of more than max_comps components (the server caps an op's
 * components) falls back to textdiff_op's one replaced range.
 */
#ifndef CONFAB_TEXTPATCH_H
#define CONFAB_TEXTPATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "model/ot.h"

/* The op from a to b (valid UTF-8); false when it cannot be built (out is
 * then empty). *bytes (may be NULL) receives the bytes it inserts. */
bool textpatch_op(const char *a, size_t alen, const char *b, size_t blen,
    size_t max_comps, struct ot_op *out, size_t *bytes);

#endif
