/*
 * searchq: search text to an FTS5 query, snippets to ranges (searchq.h).
 */
#include "model/searchq.h"

#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"
#include "model/xmalloc.h"

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

char *
searchq_build(const char *text, bool prefix_last)
{
	size_t len = strlen(text);
	/* each byte may double (a quote), and each word adds "" * and a space */
	char *out = xmalloc(2 * len + 4 * SEARCHQ_MAX_TERMS + 1);
	size_t o = 0, terms = 0;
	const char *p = text, *end = text + len;
	bool last_prefix = false;
	while (p < end && terms < SEARCHQ_MAX_TERMS) {
		while (p < end && is_space((unsigned char)*p))
			p++;
		const char *w = p;
		while (p < end && !is_space((unsigned char)*p))
			p++;
		if (p == w)
			break;
		size_t n = utf8_prefix(w, (size_t)(p - w), SEARCHQ_MAX_TERM);
		if (n == 0)
			continue;
		if (terms++ > 0)
			out[o++] = ' ';
		out[o++] = '"';
		for (size_t i = 0; i < n; i++) {
			if (w[i] == '"')
				out[o++] = '"';
			out[o++] = w[i];
		}
		out[o++] = '"';
		/* a prefix only for the word still being typed, whole */
		last_prefix = prefix_last && p == end && n == (size_t)(p - w);
	}
	if (terms == 0) {
		free(out);
		return NULL;
	}
	if (last_prefix)
		out[o++] = '*';
	out[o] = '\0';
	return out;
}

void
searchq_snippet(const char *marked, struct searchq_snippet *out)
{
	size_t len = strlen(marked), cap = 0;
	memset(out, 0, sizeof *out);
	out->text = xmalloc(len + 1);
	size_t o = 0;
	int64_t cp = 0, open = -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)marked[i];
		if (c == (unsigned char)SEARCHQ_OPEN) {
			open = cp;
			continue;
		}
		if (c == (unsigned char)SEARCHQ_CLOSE) {
			if (open >= 0 && cp > open) {
				xgrow(&out->marks, &cap, out->nmarks + 1, sizeof *out->marks);
				out->marks[out->nmarks][0] = open;
				out->marks[out->nmarks++][1] = cp;
			}
			open = -1;
			continue;
		}
		if ((c & 0xc0) != 0x80)
			cp++;
		out->text[o++] = (char)c;
	}
	out->text[o] = '\0';
}

void
searchq_snippet_free(struct searchq_snippet *s)
{
	free(s->text);
	free(s->marks);
	memset(s, 0, sizeof *s);
}
