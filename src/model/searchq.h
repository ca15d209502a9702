/*
 * searchq: a search box's text as an SQLite FTS5 query, and FTS5's marked
 * snippets as plain text with highlighted ranges (docs/protocol.md, "Read
 * marks, search, topics and the directory").
 *
 * FTS5's query syntax (AND, OR, NOT, NEAR, quotes, parentheses, column
 * filters, *, ^) is not for people: a stray quote or a word like "NOT" would
 * be an error or mean something else. So every word of the text (a run of
 * characters other than white space) becomes one quoted string, quotes
 * inside doubled; the strings are ANDed; the last word, when the text does
 * not end in white space, becomes a prefix ("wor" finds "world"), since
 * people search as they type. No input is a syntax error: FTS5 splits a
 * quoted string into its own tokens and drops one that has none ("!!!").
 *
 * Pure: no I/O.
 */
#ifndef CONFAB_SEARCHQ_H
#define CONFAB_SEARCHQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEARCHQ_MAX_TERMS 16  /* words beyond are left out */
#define SEARCHQ_MAX_TERM 128  /* bytes of one word, cut on a character */

/* The FTS5 query for text (malloc'd), or NULL when text has no word. */
char *searchq_build(const char *text, bool prefix_last);

/* The markers the server asks FTS5's snippet() to put around matches:
 * control characters, which a highlight is the only use of. */
#define SEARCHQ_OPEN '\x01'
#define SEARCHQ_CLOSE '\x02'

struct searchq_snippet {
	char *text;          /* without the markers */
	int64_t (*marks)[2]; /* [start, end) in code points of text */
	size_t nmarks;
};

/* Takes the markers out of marked: a range per open-close pair, in order;
 * an unpaired marker is dropped. */
void searchq_snippet(const char *marked, struct searchq_snippet *out);
void searchq_snippet_free(struct searchq_snippet *s);

#endif
