/*
 * mention: who a message's text mentions (docs/protocol.md, "Mentions").
 *
 * One rule for both sides: the server notifies the members a message
 * mentions, and the client highlights the messages that mention its user,
 * with the same scan. A text mentions a name when it holds "@name" as a
 * whole word, or starts (after spaces) with "name:" or "name,". Names
 * compare without ASCII case. Pure: no allocation, no state.
 *
 * Word boundaries: "@" must not follow a word character ("x@bob.org" is an
 * address) and the name must not run on into one ("@bobby" names bobby).
 * Since user names may hold '.' and '-', "@bob.smith" names bob.smith
 * while "@bob." and "@bob-" end with bob. Word characters are ASCII
 * letters, digits and '_', and every non-ASCII code point but the common
 * punctuation and space blocks (U+00A0-U+00BF, U+2000-U+206F,
 * U+3000-U+303F).
 */
#ifndef CONFAB_MENTION_H
#define CONFAB_MENTION_H

#include <stdbool.h>
#include <stddef.h>

/* Called with each mentioned name (name[0..len), a valid user name, not
 * NUL-terminated), in the order of the text; a name mentioned twice comes
 * twice. Returning false stops the scan. */
typedef bool (*mention_fn)(const char *name, size_t len, void *arg);

/* Reports every name text (valid UTF-8, may be NULL) mentions. */
void mention_scan(const char *text, mention_fn fn, void *arg);

/* Whether text mentions user (false for a NULL or empty user). */
bool mention_of(const char *text, const char *user);

/* Whether text holds one of the words (the highlight setting) as a whole
 * word, ASCII case ignored: "deploy" is in "Deploy done." and not in
 * "redeploy". */
bool mention_highlight(const char *text, const char *const *words, size_t n);

/* The byte offset of the first occurrence of query in text at or after
 * byte from, ASCII case ignored, or SIZE_MAX (search). An empty query
 * is found nowhere. */
size_t mention_find(const char *text, const char *query, size_t from);

#endif
