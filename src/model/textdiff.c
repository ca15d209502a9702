/*
 * textdiff: a line diff and the operation between two texts (see
 * textdiff.h). Myers' linear-space refinement: the middle snake of a
 * shortest path is found by searching from both ends at once, and the
 * parts before and after it are diffed the same way, so memory stays
 * O(N + M) (two V arrays) and time O((N + M) D).
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

/* The recursion's state: both texts' lines, the furthest-reaching
 * points of the two searches (shared by every level, used one at a time),
 * and the work left before a part is given up as all deleted then all
 * inserted. */
struct search {
	const struct seg *A, *B;
	ptrdiff_t *vf, *vb;
	size_t work;
	struct textdiff *out;
	size_t cap;
};

/* Myers' middle snake of A[a0..a1) against B[b0..b1), both non-empty: the
 * snake (x0, y0) -> (x1, y1), offsets into the ranges, that the middle of
 * a shortest path goes through. False when the work runs out first. */
static bool
middle_snake(struct search *s, size_t a0, size_t a1, size_t b0, size_t b1,
    size_t *x0, size_t *y0, size_t *x1, size_t *y1)
{
	const struct seg *A = s->A + a0, *B = s->B + b0;
	ptrdiff_t n = (ptrdiff_t)(a1 - a0), m = (ptrdiff_t)(b1 - b0);
	ptrdiff_t delta = n - m, dmax = (n + m + 1) / 2;
	bool odd = (delta & 1) != 0;
	/* V[k] for k in -dmax-1 .. dmax+1 */
	ptrdiff_t *vf = s->vf + dmax + 1, *vb = s->vb + dmax + 1;
	vf[1] = 0;
	vb[1] = 0;
	for (ptrdiff_t d = 0; d <= dmax; d++) {
		if (s->work < (size_t)(2 * d + 1))
			return false;
		s->work -= (size_t)(2 * d + 1);
		for (ptrdiff_t k = -d; k <= d; k += 2) {
			ptrdiff_t x = k == -d || (k != d && vf[k - 1] < vf[k + 1])
			    ? vf[k + 1] : vf[k - 1] + 1;
			ptrdiff_t y = x - k, sx = x, sy = y;
			while (x < n && y < m && seg_eq(&A[x], &B[y])) {
				x++;
				y++;
			}
			vf[k] = x;
			ptrdiff_t kb = delta - k;
			if (odd && kb >= -(d - 1) && kb <= d - 1 && x + vb[kb] >= n) {
				*x0 = (size_t)sx;
				*y0 = (size_t)sy;
				*x1 = (size_t)x;
				*y1 = (size_t)y;
				return true;
			}
		}
		for (ptrdiff_t k = -d; k <= d; k += 2) {
			ptrdiff_t x = k == -d || (k != d && vb[k - 1] < vb[k + 1])
			    ? vb[k + 1] : vb[k - 1] + 1;
			ptrdiff_t y = x - k, sx = x, sy = y;
			while (x < n && y < m && seg_eq(&A[n - 1 - x], &B[m - 1 - y])) {
				x++;
				y++;
			}
			vb[k] = x;
			ptrdiff_t kf = delta - k;
			if (!odd && kf >= -d && kf <= d && vf[kf] + x >= n) {
				*x0 = (size_t)(n - x);
				*y0 = (size_t)(m - y);
				*x1 = (size_t)(n - sx);
				*y1 = (size_t)(m - sy);
				return true;
			}
		}
	}
	return false; /* not reached: the searches meet by dmax */
}

static void
diff_range(struct search *s, size_t a0, size_t a1, size_t b0, size_t b1)
{
	size_t suf = 0;
	while (a0 < a1 && b0 < b1 && seg_eq(&s->A[a0], &s->B[b0])) {
		push(s->out, &s->cap, TD_SAME, &s->A[a0++]);
		b0++;
	}
	while (a1 - suf > a0 && b1 - suf > b0 &&
	    seg_eq(&s->A[a1 - 1 - suf], &s->B[b1 - 1 - suf]))
		suf++;
	a1 -= suf;
	b1 -= suf;
	size_t x0, y0, x1, y1;
	if (a0 == a1 || b0 == b1) {
		for (size_t i = a0; i < a1; i++)
			push(s->out, &s->cap, TD_DEL, &s->A[i]);
		for (size_t i = b0; i < b1; i++)
			push(s->out, &s->cap, TD_INS, &s->B[i]);
	} else if (!middle_snake(s, a0, a1, b0, b1, &x0, &y0, &x1, &y1)) {
		s->out->shortest = false;
		for (size_t i = a0; i < a1; i++)
			push(s->out, &s->cap, TD_DEL, &s->A[i]);
		for (size_t i = b0; i < b1; i++)
			push(s->out, &s->cap, TD_INS, &s->B[i]);
	} else {
		/* both ends differ, so the path has two edits or more and each
		 * half is a smaller problem */
		diff_range(s, a0, a0 + x0, b0, b0 + y0);
		for (size_t i = x0; i < x1; i++)
			push(s->out, &s->cap, TD_SAME, &s->A[a0 + i]);
		diff_range(s, a0 + x1, a1, b0 + y1, b1);
	}
	for (size_t i = 0; i < suf; i++)
		push(s->out, &s->cap, TD_SAME, &s->A[a1 + i]);
}

/* Each run of changes as its deletions, then its insertions. */
static void
order_runs(struct textdiff *d)
{
	struct textdiff_line *tmp = xreallocarray(NULL, d->n + 1, sizeof *tmp);
	for (size_t i = 0; i < d->n;) {
		if (d->v[i].kind == TD_SAME) {
			i++;
			continue;
		}
		size_t j = i, t = 0;
		while (j < d->n && d->v[j].kind != TD_SAME)
			j++;
		for (size_t k = i; k < j; k++)
			if (d->v[k].kind == TD_DEL)
				tmp[t++] = d->v[k];
		for (size_t k = i; k < j; k++)
			if (d->v[k].kind == TD_INS)
				tmp[t++] = d->v[k];
		memcpy(d->v + i, tmp, t * sizeof *tmp);
		i = j;
	}
	free(tmp);
}

void
textdiff_lines(const char *a, size_t alen, const char *b, size_t blen,
    struct textdiff *out)
{
	*out = (struct textdiff){NULL, 0, 0, 0, true};
	struct seg *A, *B;
	size_t n = split(a, alen, &A), m = split(b, blen, &B);
	size_t vlen = n + m + 4;
	struct search s = {A, B, xreallocarray(NULL, vlen, sizeof *s.vf),
	    xreallocarray(NULL, vlen, sizeof *s.vb), TEXTDIFF_MAX_WORK, out, 0};
	diff_range(&s, 0, n, 0, m);
	order_runs(out);
	free(s.vf);
	free(s.vb);
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
