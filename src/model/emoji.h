/*
 * emoji: the emoji a user can pick to react with, found by name.
 *
 * The set is read from Unicode's emoji-test.txt (Debian's unicode-data
 * ships it), whose order is CLDR's: the faces people use most come first.
 * Only fully-qualified emoji are kept, and no skin-tone variants, so the
 * picker shows one 👍, not six. When the file is missing, a built-in set
 * of common emoji stands in. Pure: the caller reads the file.
 *
 * A search matches when every word of the query starts a word of the
 * name ("thu up" finds "thumbs up"), ASCII case ignored; the recent ones
 * come first, most recent first, then the rest in the set's order.
 */
#ifndef CONFAB_EMOJI_H
#define CONFAB_EMOJI_H

#include <stdbool.h>
#include <stddef.h>

struct emoji {
	const char *chars; /* UTF-8 */
	const char *name;  /* lower case, as CLDR names it */
};

struct emoji_set;

/* The set in emoji-test.txt's text; NULL when it holds no emoji at all
 * (not that file, or empty). Lines that do not parse are skipped. */
struct emoji_set *emoji_set_parse(const char *text, size_t len);
/* The built-in set. */
struct emoji_set *emoji_set_builtin(void);
void emoji_set_free(struct emoji_set *set);

size_t emoji_set_count(const struct emoji_set *set);
const struct emoji *emoji_set_at(const struct emoji_set *set, size_t i);
/* The emoji whose chars are exactly these, or NULL. */
const struct emoji *emoji_find(const struct emoji_set *set, const char *chars);

/*
 * Up to max matches of query into out, recent first (recent[0] is the
 * most recent; a recent one not in the set is left out), each emoji
 * once; returns how many. An empty query matches everything.
 */
size_t emoji_search(const struct emoji_set *set, const char *query,
    const char *const *recent, size_t nrecent, const struct emoji **out,
    size_t max);

#endif
