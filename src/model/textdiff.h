/*
 * textdiff: what changed between two texts, for the document pane's
 * versions (/doc diff, /doc restore).
 *
 * textdiff_lines is a line diff (Myers' O(ND) algorithm, in linear
 * space): the lines of a and b in order, each kept, deleted (only in a)
 * or inserted (only in b), within a run of changes the deletions before
 * the insertions. A line is compared with its '\n'; the last line of a
 * text may lack one. The search does about TEXTDIFF_MAX_WORK steps at
 * most: a part of the texts still unsolved then is reported as all of its
 * lines of a deleted, then all of b's inserted: still a true diff, only
 * not the shortest.
 *
 * textdiff_op is the operation (model/ot.h) that turns a into b: the
 * common first and last code points kept, the rest deleted and inserted.
 */
#ifndef CONFAB_TEXTDIFF_H
#define CONFAB_TEXTDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "model/ot.h"

#define TEXTDIFF_MAX_WORK 20000000

enum textdiff_kind {
	TD_SAME,
	TD_DEL,
	TD_INS,
};

/* One line: text points into a (TD_SAME, TD_DEL) or b (TD_INS), len bytes
 * without its '\n'. */
struct textdiff_line {
	enum textdiff_kind kind;
	const char *text;
	size_t len;
};

struct textdiff {
	struct textdiff_line *v;
	size_t n;
	size_t ndel, nins;
	bool shortest; /* false when TEXTDIFF_MAX_WORK stopped the search */
};

void textdiff_lines(const char *a, size_t alen, const char *b, size_t blen,
    struct textdiff *out);
void textdiff_free(struct textdiff *d);

/* The diff as text, one line per line: "+ " inserted, "- " deleted,
 * "  " kept; NUL-terminated, *len its bytes. */
char *textdiff_format(const struct textdiff *d, size_t *len);

/* The operation from a to b (both valid UTF-8); false when it cannot be
 * built (out is then empty). */
bool textdiff_op(const char *a, size_t alen, const char *b, size_t blen,
    struct ot_op *out);

#endif
