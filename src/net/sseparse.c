/*
 * sseparse: an event stream read piece by piece (see sseparse.h).
 */
#include "net/sseparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

void
sse_init(struct sse_parser *p, size_t max)
{
	memset(p, 0, sizeof *p);
	p->max = max;
}

void
sse_free(struct sse_parser *p)
{
	free(p->line);
	free(p->data);
	memset(p, 0, sizeof *p);
}

static bool
add_data(struct sse_parser *p, const char *v, size_t n)
{
	size_t need = p->dlen + (p->has_data ? 1 : 0) + n + 1;
	if (need > p->max + 1)
		return false;
	if (need > p->dcap)
		xgrow(&p->data, &p->dcap, need, 1);
	if (p->has_data)
		p->data[p->dlen++] = '\n';
	memcpy(p->data + p->dlen, v, n);
	p->dlen += n;
	p->data[p->dlen] = '\0';
	p->has_data = true;
	return true;
}

/* One whole line, without its end. */
static bool
take_line(struct sse_parser *p, const struct sse_sink *sink)
{
	const char *s = p->line ? p->line : "";
	size_t n = p->len;
	p->len = 0;
	if (n == 0) { /* the end of an event */
		if (p->has_data && sink->event != NULL)
			sink->event(sink->ud, p->event, p->data, p->dlen);
		p->has_data = false;
		p->dlen = 0;
		p->event[0] = '\0';
		return true;
	}
	if (s[0] == ':') {
		if (sink->comment != NULL)
			sink->comment(sink->ud);
		return true;
	}
	const char *colon = memchr(s, ':', n);
	size_t flen = colon ? (size_t)(colon - s) : n;
	const char *v = colon ? colon + 1 : s + n;
	size_t vlen = colon ? n - flen - 1 : 0;
	if (vlen > 0 && *v == ' ') {
		v++;
		vlen--;
	}
	if (flen == 4 && memcmp(s, "data", 4) == 0)
		return add_data(p, v, vlen);
	if (flen == 5 && memcmp(s, "event", 5) == 0)
		snprintf(p->event, sizeof p->event, "%.*s", (int)vlen, v);
	return true; /* id, retry and unknown fields */
}

bool
sse_feed(struct sse_parser *p, const char *in, size_t n,
    const struct sse_sink *sink)
{
	for (size_t i = 0; i < n; i++) {
		char ch = in[i];
		if (p->after_cr) {
			p->after_cr = false;
			if (ch == '\n')
				continue; /* CRLF: the CR ended the line */
		}
		if (ch == '\r' || ch == '\n') {
			p->after_cr = ch == '\r';
			if (!take_line(p, sink))
				return false;
			continue;
		}
		/* the rest of the line up to its end, at once */
		size_t j = i;
		while (j < n && in[j] != '\r' && in[j] != '\n')
			j++;
		size_t add = j - i;
		if (p->len + add > p->max)
			return false;
		if (p->len + add + 1 > p->cap)
			xgrow(&p->line, &p->cap, p->len + add + 1, 1);
		memcpy(p->line + p->len, in + i, add);
		p->len += add;
		i = j - 1;
	}
	return true;
}
