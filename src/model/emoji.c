/*
 * emoji: emoji-test.txt read into a set, and the picker's search.
 *
 * A line of the file reads
 *   1F44D  ; fully-qualified  # 👍 E0.6 thumbs up
 * The code points are authoritative (the characters after '#' are only a
 * rendering), so the UTF-8 is made from them.
 */
#include "model/emoji.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"
#include "model/xmalloc.h"

#define MAX_POINTS 16 /* the longest ZWJ sequences have 10 */

struct emoji_set {
	struct emoji *v;
	size_t n, cap;
	char *strings; /* every chars and name, one block */
	size_t used, size;
};

static const struct {
	const char *chars, *name;
} builtin[] = {
	{"\xf0\x9f\x91\x8d", "thumbs up"},
	{"\xf0\x9f\x91\x8e", "thumbs down"},
	{"\xe2\x9d\xa4\xef\xb8\x8f", "red heart"},
	{"\xf0\x9f\x98\x82", "face with tears of joy"},
	{"\xf0\x9f\x98\x80", "grinning face"},
	{"\xf0\x9f\x98\x83", "grinning face with big eyes"},
	{"\xf0\x9f\x98\x84", "grinning face with smiling eyes"},
	{"\xf0\x9f\x98\x85", "grinning face with sweat"},
	{"\xf0\x9f\x99\x82", "slightly smiling face"},
	{"\xf0\x9f\x98\x89", "winking face"},
	{"\xf0\x9f\x98\x8a", "smiling face with smiling eyes"},
	{"\xf0\x9f\x98\x8d", "smiling face with heart-eyes"},
	{"\xf0\x9f\xa4\x94", "thinking face"},
	{"\xf0\x9f\x98\xae", "face with open mouth"},
	{"\xf0\x9f\x98\xa2", "crying face"},
	{"\xf0\x9f\x98\xa1", "enraged face"},
	{"\xf0\x9f\x98\xb1", "face screaming in fear"},
	{"\xf0\x9f\x99\x8f", "folded hands"},
	{"\xf0\x9f\x91\x8f", "clapping hands"},
	{"\xf0\x9f\x91\x80", "eyes"},
	{"\xf0\x9f\x91\x8b", "waving hand"},
	{"\xf0\x9f\x92\xaa", "flexed biceps"},
	{"\xf0\x9f\x8e\x89", "party popper"},
	{"\xf0\x9f\x94\xa5", "fire"},
	{"\xf0\x9f\x9a\x80", "rocket"},
	{"\xe2\x9c\x85", "check mark button"},
	{"\xe2\x9d\x8c", "cross mark"},
	{"\xe2\x9c\xa8", "sparkles"},
	{"\xf0\x9f\x92\xaf", "hundred points"},
	{"\xe2\x9a\xa0\xef\xb8\x8f", "warning"},
	{"\xe2\x9d\x93", "red question mark"},
	{"\xf0\x9f\x90\x9b", "bug"},
	{"\xf0\x9f\x91\x8c", "ok hand"},
	{"\xf0\x9f\x99\x8c", "raising hands"},
	{"\xf0\x9f\x98\x8e", "smiling face with sunglasses"},
	{"\xf0\x9f\x98\xb4", "sleeping face"},
	{"\xf0\x9f\xa4\xa3", "rolling on the floor laughing"},
	{"\xf0\x9f\x98\x90", "neutral face"},
	{"\xf0\x9f\x92\xa1", "light bulb"},
	{"\xe2\x98\x95", "hot beverage"},
};

static struct emoji_set *
set_new(size_t bytes)
{
	struct emoji_set *set = xcalloc(1, sizeof *set);
	set->size = bytes ? bytes : 1;
	set->strings = xmalloc(set->size);
	return set;
}

/* Strings go into one block sized up front (never moved), so the
 * pointers handed out stay good. */
static const char *
set_keep(struct emoji_set *set, const char *s, size_t len)
{
	if (set->used + len + 1 > set->size)
		return NULL;
	char *p = set->strings + set->used;
	memcpy(p, s, len);
	p[len] = '\0';
	set->used += len + 1;
	return p;
}

static void
set_add(struct emoji_set *set, const char *chars, size_t clen,
    const char *name, size_t nlen)
{
	const char *c = set_keep(set, chars, clen);
	const char *n = c ? set_keep(set, name, nlen) : NULL;
	if (n == NULL)
		return;
	xgrow(&set->v, &set->cap, set->n + 1, sizeof *set->v);
	set->v[set->n++] = (struct emoji){c, n};
}

struct emoji_set *
emoji_set_builtin(void)
{
	size_t bytes = 0;
	for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
		bytes += strlen(builtin[i].chars) + strlen(builtin[i].name) + 2;
	struct emoji_set *set = set_new(bytes);
	for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
		set_add(set, builtin[i].chars, strlen(builtin[i].chars),
		    builtin[i].name, strlen(builtin[i].name));
	return set;
}

static bool
is_skin_tone(uint32_t cp)
{
	return cp >= 0x1F3FB && cp <= 0x1F3FF;
}

/* The code points at the start of a line, as UTF-8 into out (at least
 * MAX_POINTS * 4 bytes); 0 when they do not parse or name a skin tone. */
static size_t
line_chars(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0, n = 0;
	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		uint32_t cp = 0;
		size_t digits = 0;
		for (; i < len && digits < 7; i++, digits++) {
			char c = s[i];
			int v = c >= '0' && c <= '9' ? c - '0' :
			    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (v < 0)
				break;
			cp = cp * 16 + (uint32_t)v;
		}
		if (digits < 4 || digits > 6 || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0 ||
		    is_skin_tone(cp) || n == MAX_POINTS ||
		    (i < len && s[i] != ' '))
			return 0;
		o += utf8_encode(cp, out + o);
		n++;
	}
	return o;
}

static bool
is_fully_qualified(const char *s, size_t len)
{
	while (len > 0 && s[0] == ' ')
		s++, len--;
	while (len > 0 && s[len - 1] == ' ')
		len--;
	return len == 15 && memcmp(s, "fully-qualified", 15) == 0;
}

/* After '#': " 👍 E0.6 thumbs up"; the name is what follows the version. */
static bool
line_name(const char *s, size_t len, const char **name, size_t *nlen)
{
	const char *e = memchr(s, 'E', len);
	while (e != NULL) {
		size_t at = (size_t)(e - s);
		bool starts = at > 0 && s[at - 1] == ' ' && at + 1 < len &&
		    s[at + 1] >= '0' && s[at + 1] <= '9';
		if (starts) {
			const char *sp = memchr(e, ' ', len - at);
			if (sp == NULL)
				return false;
			*name = sp + 1;
			*nlen = len - (size_t)(sp + 1 - s);
			while (*nlen > 0 && ((*name)[*nlen - 1] == ' ' ||
			    (*name)[*nlen - 1] == '\r'))
				(*nlen)--;
			return *nlen > 0 && utf8_valid(*name, *nlen);
		}
		e = memchr(e + 1, 'E', len - at - 1);
	}
	return false;
}

static void
parse_line(struct emoji_set *set, const char *s, size_t len)
{
	const char *semi = memchr(s, ';', len);
	const char *hash = semi ? memchr(semi, '#', len - (size_t)(semi - s)) : NULL;
	if (hash == NULL ||
	    !is_fully_qualified(semi + 1, (size_t)(hash - semi - 1)))
		return;
	char chars[MAX_POINTS * 4];
	size_t clen = line_chars(s, (size_t)(semi - s), chars);
	const char *name;
	size_t nlen;
	if (clen == 0 || !line_name(hash + 1, len - (size_t)(hash + 1 - s),
	    &name, &nlen))
		return;
	char lower[256];
	if (nlen >= sizeof lower)
		return;
	for (size_t i = 0; i < nlen; i++) {
		char c = name[i];
		lower[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	set_add(set, chars, clen, lower, nlen);
}

struct emoji_set *
emoji_set_parse(const char *text, size_t len)
{
	/* Every kept line gives fewer bytes than it takes in the file (its
	 * code points as UTF-8 are shorter than as hex and the name is a
	 * copy), so the file's length bounds the strings. */
	struct emoji_set *set = set_new(len);
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (end > i && text[i] != '#')
			parse_line(set, text + i, end - i);
		i = end + 1;
	}
	if (set->n == 0) {
		emoji_set_free(set);
		return NULL;
	}
	return set;
}

void
emoji_set_free(struct emoji_set *set)
{
	if (set == NULL)
		return;
	free(set->v);
	free(set->strings);
	free(set);
}

size_t
emoji_set_count(const struct emoji_set *set)
{
	return set->n;
}

const struct emoji *
emoji_set_at(const struct emoji_set *set, size_t i)
{
	return i < set->n ? &set->v[i] : NULL;
}

const struct emoji *
emoji_find(const struct emoji_set *set, const char *chars)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].chars, chars) == 0)
			return &set->v[i];
	return NULL;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does some word of name start with the query word w[0, wlen)? Words of
 * a name are split at spaces, hyphens, colons and commas. */
static bool
starts_a_word(const char *name, const char *w, size_t wlen)
{
	for (const char *p = name; *p != '\0'; p++) {
		if (p != name && !strchr(" -:,", p[-1]))
			continue;
		size_t k = 0;
		while (k < wlen && p[k] != '\0' && p[k] == lower(w[k]))
			k++;
		if (k == wlen)
			return true;
	}
	return false;
}

static bool
matches(const struct emoji *e, const char *query)
{
	const char *q = query;
	for (;;) {
		while (*q == ' ')
			q++;
		if (*q == '\0')
			return true;
		size_t wlen = strcspn(q, " ");
		if (!starts_a_word(e->name, q, wlen))
			return false;
		q += wlen;
	}
}

static bool
taken(const struct emoji *const *out, size_t n, const struct emoji *e)
{
	for (size_t i = 0; i < n; i++)
		if (out[i] == e)
			return true;
	return false;
}

size_t
emoji_search(const struct emoji_set *set, const char *query,
    const char *const *recent, size_t nrecent, const struct emoji **out,
    size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < nrecent && n < max; i++) {
		const struct emoji *e = emoji_find(set, recent[i]);
		if (e != NULL && matches(e, query) && !taken(out, n, e))
			out[n++] = e;
	}
	size_t firsts = n;
	for (size_t i = 0; i < set->n && n < max; i++) {
		const struct emoji *e = &set->v[i];
		if (matches(e, query) && !taken(out, firsts, e))
			out[n++] = e;
	}
	return n;
}
