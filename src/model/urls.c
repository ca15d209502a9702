/* urls: finding links in text (urls.h). */
#include "model/urls.h"

#include <string.h>
#include <strings.h>

static const char *const schemes[] = { "https://", "http://", "ftp://", "www." };

static bool
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the scheme s starts with, or 0. */
static size_t
scheme_at(const char *s, size_t left)
{
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
		size_t n = strlen(schemes[i]);
		if (left > n && strncasecmp(s, schemes[i], n) == 0)
			return n;
	}
	return 0;
}

/* Brackets and quotes that end a link only when it did not open them. */
static bool
unbalanced_close(const char *s, size_t a, size_t e)
{
	char close = s[e - 1], open;
	switch (close) {
	case ')': open = '('; break;
	case ']': open = '['; break;
	case '}': open = '{'; break;
	default: return false;
	}
	int depth = 0;
	for (size_t i = a; i < e; i++)
		depth += s[i] == open ? 1 : s[i] == close ? -1 : 0;
	return depth < 0;
}

bool
url_next(const char *text, size_t len, size_t from, size_t *start,
    size_t *end)
{
	for (size_t i = from; i < len; i++) {
		if (i > from && !space(text[i - 1]) && text[i - 1] != '(' &&
		    text[i - 1] != '<' && text[i - 1] != '"' && text[i - 1] != '\'')
			continue; /* a link starts a word */
		size_t n = scheme_at(text + i, len - i);
		if (n == 0)
			continue;
		size_t e = i + n;
		while (e < len && !space(text[e]) && text[e] != '<' && text[e] != '>')
			e++;
		while (e > i + n && (strchr(".,;:!?'\"", text[e - 1]) != NULL ||
		    unbalanced_close(text, i, e)))
			e--;
		if (e == i + n)
			continue; /* the scheme alone */
		*start = i;
		*end = e;
		return true;
	}
	return false;
}
