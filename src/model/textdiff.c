/*
 * textdiff: a line diff and the operation between two texts (see
 * textdiff.h). The search keeps, for each number of differences d, the
 * furthest points of its diagonals (Myers' V array, 2d + 1 of them), so
 * the path can be walked back: O(D^2) memory, bounded by TEXTDIFF_MAX_D.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/textdiff.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

struct seg {
	const char *s;
	size_t len; /* with its '\n', when it has one */
};

static size_t
split(const char *t, size_t len, struct seg **out)
{
	size_t n = 0, cap = 16;
	struct seg *v = xreallocarray(NULL, cap, sizeof *v);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(t + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - t) + 1 : len;
		if (n == cap)
			v = xreallocarray(v, cap *= 2, sizeof *v);
		v[n++] = (struct seg){t + i, e - i};
		i = e;
	}
	*out = v;
	return n;
}

static bool
seg_eq(const struct seg *a, const struct seg *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static void
push(struct textdiff *d, size_t *cap, enum textdiff_kind k, const struct seg *s)
{
	if (d->n == *cap)
		d->v = xreallocarray(d->v, *cap = *cap ? *cap * 2 : 64, sizeof *d->v);
	size_t len = s->len;
	if (len > 0 && s->s[len - 1] == '\n')
		len--;
	d->v[d->n++] = (struct textdiff_line){k, s->s, len};
	if (k == TD_DEL)
		d->ndel++;
	else if (k == TD_INS)
		d->nins++;
}

/* The middle of the diff, A[0..n) against B[0..m), as kinds in reverse
 * order into rev (n + m slots); the count, or SIZE_MAX past max_d. */
static size_t
myers(const struct seg *A, size_t n, const struct seg *B, size_t m,
    size_t max_d, unsigned char *rev)
{
	size_t dmax = n + m < max_d ? n + m : max_d;
	/* trace[d] holds V[-d..d] after round d */
	size_t *start = xreallocarray(NULL, dmax + 1, sizeof *start);
	ptrdiff_t *trace = NULL;
	size_t used = 0, cap = 0, found = SIZE_MAX;
	for (size_t d = 0; d <= dmax && found == SIZE_MAX; d++) {
		if (used + 2 * d + 1 > cap) {
			cap = (used + 2 * d + 1) * 2;
			trace = xreallocarray(trace, cap, sizeof *trace);
		}
		start[d] = used;
		ptrdiff_t *V = trace + used + d; /* V[k], k in -d..d */
		const ptrdiff_t *P = d ? trace + start[d - 1] + (d - 1) : NULL;
		used += 2 * d + 1;
		for (ptrdiff_t k = -(ptrdiff_t)d; k <= (ptrdiff_t)d; k += 2) {
			ptrdiff_t x;
			if (d == 0)
				x = 0;
			else if (k == -(ptrdiff_t)d || (k != (ptrdiff_t)d && P[k - 1] < P[k + 1]))
				x = P[k + 1];
			else
				x = P[k - 1] + 1;
			ptrdiff_t y = x - k;
			while ((size_t)x < n && (size_t)y < m && seg_eq(&A[x], &B[y])) {
				x++;
				y++;
			}
			V[k] = x;
			if ((size_t)x >= n && (size_t)y >= m) {
				found = d;
				break;
			}
		}
	}
	size_t out = 0;
	if (found != SIZE_MAX) {
		ptrdiff_t x = (ptrdiff_t)n, y = (ptrdiff_t)m;
		for (size_t d = found; d > 0; d--) {
			const ptrdiff_t *P = trace + start[d - 1] + (d - 1);
			ptrdiff_t k = x - y, pk;
			if (k == -(ptrdiff_t)d || (k != (ptrdiff_t)d && P[k - 1] < P[k + 1]))
				pk = k + 1;
			else
				pk = k - 1;
			ptrdiff_t px = P[pk], py = px - pk;
			while (x > px && y > py) {
				rev[out++] = TD_SAME;
				x--;
				y--;
			}
			rev[out++] = pk == k + 1 ? TD_INS : TD_DEL;
			x = px;
			y = py;
		}
		while (x > 0) { /* the snake of round 0 */
			rev[out++] = TD_SAME;
			x--;
		}
	}
	free(trace);
	free(start);
	return found == SIZE_MAX ? SIZE_MAX : out;
}

void
textdiff_lines(const char *a, size_t alen, const char *b, size_t blen,
    struct textdiff *out)
{
	*out = (struct textdiff){NULL, 0, 0, 0, true};
	struct seg *A, *B;
	size_t n = split(a, alen, &A), m = split(b, blen, &B);
	size_t pre = 0, suf = 0, cap = 0;
	while (pre < n && pre < m && seg_eq(&A[pre], &B[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && seg_eq(&A[n - 1 - suf], &B[m - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		push(out, &cap, TD_SAME, &A[i]);
	const struct seg *MA = A + pre, *MB = B + pre;
	size_t mn = n - pre - suf, mm = m - pre - suf;
	unsigned char *rev = xmalloc(mn + mm + 1);
	size_t nk = myers(MA, mn, MB, mm, TEXTDIFF_MAX_D, rev);
	size_t x = 0, y = 0;
	if (nk == SIZE_MAX) {
		out->shortest = false;
		for (; x < mn; x++)
			push(out, &cap, TD_DEL, &MA[x]);
		for (; y < mm; y++)
			push(out, &cap, TD_INS, &MB[y]);
	}
	/* forward, each run of changes as its deletions then its insertions */
	for (size_t i = nk == SIZE_MAX ? 0 : nk; i > 0;) {
		if (rev[i - 1] == TD_SAME) {
			push(out, &cap, TD_SAME, &MA[x++]);
			y++;
			i--;
			continue;
		}
		size_t j = i, dels = 0, ins = 0;
		while (j > 0 && rev[j - 1] != TD_SAME) {
			if (rev[j - 1] == TD_DEL)
				dels++;
			else
				ins++;
			j--;
		}
		for (size_t t = 0; t < dels; t++)
			push(out, &cap, TD_DEL, &MA[x++]);
		for (size_t t = 0; t < ins; t++)
			push(out, &cap, TD_INS, &MB[y++]);
		i = j;
	}
	for (size_t i = n - suf; i < n; i++)
		push(out, &cap, TD_SAME, &A[i]);
	free(rev);
	free(A);
	free(B);
}

void
textdiff_free(struct textdiff *d)
{
	free(d->v);
	*d = (struct textdiff){NULL, 0, 0, 0, true};
}

char *
textdiff_format(const struct textdiff *d, size_t *len)
{
	size_t total = 1;
	for (size_t i = 0; i < d->n; i++)
		total += d->v[i].len + 3;
	char *s = xmalloc(total), *p = s;
	for (size_t i = 0; i < d->n; i++) {
		const struct textdiff_line *l = &d->v[i];
		*p++ = l->kind == TD_INS ? '+' : l->kind == TD_DEL ? '-' : ' ';
		*p++ = ' ';
		memcpy(p, l->text, l->len);
		p += l->len;
		*p++ = '\n';
	}
	if (p > s)
		p--; /* no newline after the last line */
	*p = '\0';
	*len = (size_t)(p - s);
	return s;
}

bool
textdiff_op(const char *a, size_t alen, const char *b, size_t blen,
    struct ot_op *out)
{
	size_t pre = 0, suf = 0;
	while (pre < alen && pre < blen && a[pre] == b[pre])
		pre++;
	/* cut at a code point's start: a shared lead byte may differ after */
	while (pre > 0 && pre < alen && ((unsigned char)a[pre] & 0xC0) == 0x80)
		pre--;
	while (pre > 0 && pre < blen && ((unsigned char)b[pre] & 0xC0) == 0x80)
		pre--;
	while (suf < alen - pre && suf < blen - pre &&
	    a[alen - 1 - suf] == b[blen - 1 - suf])
		suf++;
	while (suf > 0 && ((unsigned char)a[alen - suf] & 0xC0) == 0x80)
		suf--;
	ot_init(out);
	size_t amid = alen - pre - suf, bmid = blen - pre - suf;
	if (ot_retain(out, utf8_count(a, pre)) != OT_OK ||
	    ot_insert(out, b + pre, bmid) != OT_OK ||
	    ot_delete(out, utf8_count(a + pre, amid)) != OT_OK ||
	    ot_retain(out, utf8_count(a + alen - suf, suf)) != OT_OK) {
		ot_free(out);
		return false;
	}
	return true;
}
