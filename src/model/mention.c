/*
 * mention: the scan behind mention_scan (see mention.h).
 *
 * After each '@' that starts a word, the run of user-name characters that
 * follows is a candidate; every prefix of it that is a valid user name and
 * after which the name ends (the next character is not a word character,
 * or is '.' or '-' followed by a non-word character) is a mention. A run
 * yields at most a few: "@a-b- x" mentions a-b and a-b- but not a (the
 * '-' after "a" is followed by 'b').
 */
#include "model/mention.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "model/names.h"
#include "model/utf8.h"

/* A letter of a word for mention boundaries. */
static bool
word_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		    c == '_';
	if ((c >= 0xa0 && c <= 0xbf) || (c >= 0x2000 && c <= 0x206f) ||
	    (c >= 0x3000 && c <= 0x303f))
		return false;
	return true;
}

static bool
word_at(const char *s)
{
	uint32_t c;
	if (*s == '\0')
		return false;
	utf8_decode(s, strlen(s), &c);
	return word_cp(c);
}

/* The code point ending just before p (p > text) is part of a word. */
static bool
word_before(const char *text, const char *p)
{
	const char *s = p - 1;
	while (s > text && ((unsigned char)*s & 0xc0) == 0x80)
		s--;
	uint32_t c;
	utf8_decode(s, (size_t)(p - s), &c);
	return word_cp(c);
}

static bool
name_char(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	    c == '_' || c == '.' || c == '-';
}

/* Whether a name ends at p. */
static bool
name_ends(const char *p)
{
	if (*p == '.' || *p == '-')
		return !word_at(p + 1);
	return !word_at(p);
}

static bool
valid_name(const char *s, size_t n)
{
	char buf[NAMES_USER_MAX + 1];
	if (n == 0 || n > NAMES_USER_MAX)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return names_valid_user(buf);
}

/* Reports the mentions in the run of name characters at s; false when fn
 * stopped the scan. */
static bool
scan_run(const char *s, mention_fn fn, void *arg)
{
	size_t run = 0;
	while (name_char(s[run]) && run <= NAMES_USER_MAX)
		run++;
	for (size_t n = 1; n <= run && n <= NAMES_USER_MAX; n++)
		if (name_ends(s + n) && valid_name(s, n) && !fn(s, n, arg))
			return false;
	return true;
}

void
mention_scan(const char *text, mention_fn fn, void *arg)
{
	if (text == NULL)
		return;
	const char *p = text;
	while (*p == ' ')
		p++;
	size_t run = 0;
	while (name_char(p[run]))
		run++;
	if ((p[run] == ':' || p[run] == ',') && valid_name(p, run) &&
	    !fn(p, run, arg))
		return;
	for (p = strchr(text, '@'); p != NULL; p = strchr(p + 1, '@')) {
		if (p > text && word_before(text, p))
			continue;
		if (!scan_run(p + 1, fn, arg))
			return;
	}
}

struct match {
	const char *user;
	size_t len;
	bool found;
};

static bool
match_one(const char *name, size_t len, void *arg)
{
	struct match *m = arg;
	if (len == m->len && strncasecmp(name, m->user, len) == 0)
		m->found = true;
	return !m->found;
}

bool
mention_of(const char *text, const char *user)
{
	if (user == NULL || *user == '\0')
		return false;
	struct match m = {user, strlen(user), false};
	mention_scan(text, match_one, &m);
	return m.found;
}

size_t
mention_find(const char *text, const char *query, size_t from)
{
	size_t n = query ? strlen(query) : 0, len = text ? strlen(text) : 0;
	if (n == 0 || from > len)
		return SIZE_MAX;
	for (size_t i = from; i + n <= len; i++)
		if (strncasecmp(text + i, query, n) == 0)
			return i;
	return SIZE_MAX;
}

bool
mention_highlight(const char *text, const char *const *words, size_t n)
{
	if (text == NULL)
		return false;
	for (size_t k = 0; k < n; k++) {
		size_t wl = strlen(words[k]);
		for (size_t at = mention_find(text, words[k], 0); at != SIZE_MAX;
		    at = mention_find(text, words[k], at + 1)) {
			bool starts = at == 0 || !word_before(text, text + at);
			if (starts && !word_at(text + at + wl))
				return true;
		}
	}
	return false;
}
