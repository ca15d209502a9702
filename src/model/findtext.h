/*
 * findtext: finding a query in a document's text (the pane's Ctrl-F).
 *
 * Smart case, as in vim and less: a query without a capital letter
 * matches whatever the case (letters folded one code point at a time,
 * Unicode's simple lower case), one with a capital matches exactly.
 * Matches are every place the query starts, overlapping ones included
 * ("aa" is twice in "aaa"), so that next, previous and the count agree.
 *
 * Positions are byte offsets on character boundaries of valid UTF-8 text.
 * Each call does work in proportion to the text it looks through, and
 * find_all stops at its window or at max matches: a caller bounds the
 * work of a key by the window it asks about.
 *
 * Owns the folded query only; never does I/O.
 */
#ifndef CONFAB_FINDTEXT_H
#define CONFAB_FINDTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct findq {
	uint32_t *q;    /* the query's code points, folded when icase */
	size_t n;
	bool icase;
};

struct find_match {
	size_t start, end;
};

/* Compiles query (UTF-8); false, *q empty, when it is empty or not valid
 * UTF-8. */
bool findq_init(struct findq *q, const char *query);
void findq_free(struct findq *q);

/* Whether a match starts at byte at; *end gets where it ends. */
bool find_at(const struct findq *q, const char *text, size_t len, size_t at,
    size_t *end);
/* The first match starting at or after from / the last one starting
 * before before; false when there is none (no wrapping). */
bool find_next(const struct findq *q, const char *text, size_t len,
    size_t from, struct find_match *m);
bool find_prev(const struct findq *q, const char *text, size_t len,
    size_t before, struct find_match *m);
/* The matches that start in [lo, hi), in order, at most max of them into
 * out; returns how many. */
size_t find_all(const struct findq *q, const char *text, size_t len,
    size_t lo, size_t hi, struct find_match *out, size_t max);

#endif
