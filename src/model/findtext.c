/*
 * findtext: see findtext.h. A plain scan: at each character boundary the
 * query is compared code point by code point, most places failing on the
 * first; ASCII is folded without a table lookup.
 */
#include "model/findtext.h"

#include <stdlib.h>
#include <string.h>
#include <unicase.h>

#include "model/utf8.h"
#include "model/xmalloc.h"

static uint32_t
fold(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	return uc_tolower(c);
}

bool
findq_init(struct findq *q, const char *query)
{
	memset(q, 0, sizeof *q);
	size_t len = strlen(query);
	if (len == 0 || !utf8_valid(query, len))
		return false;
	q->q = xcalloc(utf8_count(query, len), sizeof *q->q);
	q->icase = true;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		i += utf8_decode(query + i, len - i, &c);
		if (fold(c) != c)
			q->icase = false;
		q->q[q->n++] = c;
	}
	return true;
}

void
findq_free(struct findq *q)
{
	free(q->q);
	memset(q, 0, sizeof *q);
}

/* The code point at text[i] and its length (a stray byte counts as
 * itself, one byte, so a scan always moves). */
static size_t
decode(const char *text, size_t len, size_t i, uint32_t *c)
{
	unsigned char b = (unsigned char)text[i];
	if (b < 0x80) {
		*c = b;
		return 1;
	}
	size_t n = utf8_decode(text + i, len - i, c);
	return n ? n : 1;
}

bool
find_at(const struct findq *q, const char *text, size_t len, size_t at,
    size_t *end)
{
	size_t i = at;
	for (size_t k = 0; k < q->n; k++) {
		if (i >= len)
			return false;
		uint32_t c;
		i += decode(text, len, i, &c);
		if ((q->icase ? fold(c) : c) != q->q[k])
			return false;
	}
	*end = i;
	return q->n > 0;
}

static bool
boundary(const char *text, size_t i)
{
	return ((unsigned char)text[i] & 0xc0) != 0x80;
}

bool
find_next(const struct findq *q, const char *text, size_t len, size_t from,
    struct find_match *m)
{
	for (size_t i = from; i < len; i++) {
		if (boundary(text, i) && find_at(q, text, len, i, &m->end)) {
			m->start = i;
			return true;
		}
	}
	return false;
}

bool
find_prev(const struct findq *q, const char *text, size_t len, size_t before,
    struct find_match *m)
{
	if (before > len)
		before = len;
	for (size_t i = before; i-- > 0;) {
		if (boundary(text, i) && find_at(q, text, len, i, &m->end)) {
			m->start = i;
			return true;
		}
	}
	return false;
}

size_t
find_all(const struct findq *q, const char *text, size_t len, size_t lo,
    size_t hi, struct find_match *out, size_t max)
{
	size_t n = 0;
	if (hi > len)
		hi = len;
	for (size_t i = lo; i < hi && n < max; i++) {
		if (boundary(text, i) && find_at(q, text, len, i, &out[n].end))
			out[n++].start = i;
	}
	return n;
}
