/*
 * doclayout: the document mirror, its line index and the layout of one
 * line (see doclayout.h; motion and scrolling are in docmove.c).
 *
 * DESIGN
 * The mirror is one flat UTF-8 buffer plus an array of line starts (byte
 * and code point). An edit of bytes [from, to) by s replaces the index
 * entries of the lines it touches by 1 + (newlines in s) fresh ones, and
 * shifts the starts of every later line: O(lines) additions and one
 * memmove, about 0.1 ms for 100,000 lines, instead of rescanning the text.
 * The text itself moves by one memmove per edit (a gap buffer would save
 * that, but a memmove of a few megabytes is below a millisecond, and a
 * flat text lets a line be laid out in place).
 *
 * Laying out a line walks its glyphs once and wraps them greedily; only
 * the row count is cached (per line, until the line or the width
 * changes), because drawing needs the full layout of the few visible lines
 * only and recomputing them per frame is cheaper than keeping them.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif

#include "ui/doclayout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "model/utf8.h"
#include "model/xmalloc.h"

#define ZWJ 0x200D
#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD */
#define DOTTED_CIRCLE "\xe2\x97\x8c" /* U+25CC */

/* ---- the mirror ---------------------------------------------------------- */

void
dl_init(struct doclayout *l)
{
	memset(l, 0, sizeof *l);
	l->width = 80;
	l->text = xmalloc(1);
	l->lines = xmalloc(sizeof *l->lines);
	l->text[0] = '\0';
	l->cap = 1;
	l->lines[0] = (struct dl_line){ 0, 0, -1 };
	l->nlines = l->lcap = 1;
}

void
dl_free(struct doclayout *l)
{
	free(l->text);
	free(l->lines);
	memset(l, 0, sizeof *l);
}

static void
reserve_text(struct doclayout *l, size_t len)
{
	if (len + 1 <= l->cap)
		return;
	size_t cap = l->cap ? l->cap : 64;
	while (cap < len + 1)
		cap = cap < (1u << 20) ? cap * 2 : cap + cap / 2;
	l->text = xrealloc(l->text, cap);
	l->cap = cap;
}

static void
reserve_lines(struct doclayout *l, size_t n)
{
	if (n <= l->lcap)
		return;
	size_t cap = l->lcap ? l->lcap : 16;
	while (cap < n)
		cap *= 2;
	l->lines = xreallocarray(l->lines, cap, sizeof *l->lines);
	l->lcap = cap;
}

/* The line holding byte b: the last whose start is at or before it. */
static size_t
line_at_byte(const struct doclayout *l, size_t b)
{
	size_t lo = 0, hi = l->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->lines[mid].byte <= b)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

bool
dl_replace(struct doclayout *l, size_t from, size_t to, const char *s,
    size_t n)
{
	if (from > to || to > l->len)
		return false;
	size_t nl = 0;
	for (size_t j = 0; j < n; j++)
		nl += s[j] == '\n';
	size_t l0 = line_at_byte(l, from), l1 = line_at_byte(l, to);
	size_t newlen = l->len - (to - from) + n;
	reserve_text(l, newlen);
	reserve_lines(l, l->nlines - (l1 - l0 + 1) + nl + 1);

	size_t old_cps = utf8_count(l->text + from, to - from);
	size_t new_cps = utf8_count(s, n);
	size_t cp = l->lines[l0].cp +
	    utf8_count(l->text + l->lines[l0].byte, from - l->lines[l0].byte);
	memmove(l->text + from + n, l->text + to, l->len - to + 1);
	memcpy(l->text + from, s, n);
	l->len = newlen;
	l->ncp = l->ncp - old_cps + new_cps;

	/* Lines l0..l1 become l0 and one more per newline of s. */
	size_t tail = l->nlines - (l1 + 1);
	memmove(&l->lines[l0 + 1 + nl], &l->lines[l1 + 1], tail * sizeof *l->lines);
	l->nlines = l0 + 1 + nl + tail;
	l->lines[l0].rows = -1;
	size_t k = l0 + 1;
	for (size_t j = 0; j < n; j++) {
		if ((s[j] & 0xc0) != 0x80)
			cp++;
		if (s[j] == '\n')
			l->lines[k++] = (struct dl_line){ from + j + 1, cp, -1 };
	}
	size_t db = n - (to - from), dc = new_cps - old_cps; /* mod 2^N */
	for (size_t i = k; i < l->nlines; i++) {
		l->lines[i].byte += db;
		l->lines[i].cp += dc;
	}
	return true;
}

bool
dl_set_text(struct doclayout *l, const char *s, size_t len)
{
	return dl_replace(l, 0, l->len, s, len);
}

static bool
cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Length of the common suffix of a[0..na) and b[0..nb), at most max. */
static size_t
common_suffix(const char *a, size_t na, const char *b, size_t nb, size_t max)
{
	size_t q = 0;
	while (q + 64 <= max && memcmp(a + na - q - 64, b + nb - q - 64, 64) == 0)
		q += 64;
	while (q < max && a[na - q - 1] == b[nb - q - 1])
		q++;
	return q;
}

bool
dl_sync(struct doclayout *l, const char *s, size_t len)
{
	const char *t = l->text;
	size_t min = len < l->len ? len : l->len, p = 0;
	while (p + 64 <= min && memcmp(t + p, s + p, 64) == 0)
		p += 64;
	while (p < min && t[p] == s[p])
		p++;
	if (p == len && p == l->len)
		return true;
	/* Both ends on character boundaries of both texts. */
	while (p > 0 && ((p < l->len && cont(t[p])) || (p < len && cont(s[p]))))
		p--;
	size_t q = common_suffix(t, l->len, s, len, min - p);
	while (q > 0 && (cont(t[l->len - q]) || cont(s[len - q])))
		q--;
	return dl_replace(l, p, l->len - q, s + p, len - q - p);
}

size_t
dl_line_of(const struct doclayout *l, size_t cp)
{
	size_t lo = 0, hi = l->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->lines[mid].cp <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t
dl_line_cps(const struct doclayout *l, size_t i)
{
	size_t end = i + 1 < l->nlines ? l->lines[i + 1].cp - 1 : l->ncp;
	return end - l->lines[i].cp;
}

/* Bytes of line i, without its newline. */
static size_t
line_bytes(const struct doclayout *l, size_t i)
{
	size_t end = i + 1 < l->nlines ? l->lines[i + 1].byte - 1 : l->len;
	return end - l->lines[i].byte;
}

size_t
dl_byte_of(const struct doclayout *l, size_t cp)
{
	if (cp >= l->ncp)
		return l->len;
	size_t i = dl_line_of(l, cp);
	size_t b = l->lines[i].byte;
	return b + utf8_offset(l->text + b, l->len - b, cp - l->lines[i].cp);
}

bool
dl_apply(struct doclayout *l, const struct ot_op *op)
{
	if (op->base_len != l->ncp)
		return false;
	size_t pos = 0;
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		size_t b = c->kind == OT_RETAIN ? 0 : dl_byte_of(l, pos);
		switch (c->kind) {
		case OT_RETAIN:
			pos += c->n;
			break;
		case OT_INSERT:
			if (!dl_replace(l, b, b, c->text, c->bytes))
				return false;
			pos += c->n;
			break;
		case OT_DELETE:
			if (!dl_replace(l, b, dl_byte_of(l, pos + c->n), "", 0))
				return false;
			break;
		}
	}
	return true;
}

void
dl_set_width(struct doclayout *l, int width)
{
	if (width < 1)
		width = 1;
	if (width == l->width)
		return;
	l->width = width;
	for (size_t i = 0; i < l->nlines; i++)
		l->lines[i].rows = -1;
}

/* ---- glyphs -------------------------------------------------------------- */

static bool
is_modifier(uint32_t c)
{
	return c >= 0x1F3FB && c <= 0x1F3FF;
}

static bool
is_regional(uint32_t c)
{
	return c >= 0x1F1E6 && c <= 0x1F1FF;
}

static bool
is_bidi_control(uint32_t c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* What one character shows as: its cells (-1: a glyph of its own that
 * takes nothing after it) and the bytes drawn for it. */
struct shown {
	int w;
	const char *s;
	size_t n;
};

static struct shown
show(uint32_t c, const char *src, size_t n)
{
	if (c == '\t')
		return (struct shown){ -1, " ", 1 };
	if (is_bidi_control(c))
		return (struct shown){ 0, "", 0 };
	int w = wcwidth((wchar_t)c);
	if (w < 0)
		return (struct shown){ -1, REPLACEMENT, 3 };
	return (struct shown){ w, src, n };
}

/* Whether next (of width nw >= 0) joins the glyph whose base is base and
 * whose last character so far is prev (textwidth's rule). */
static bool
joins(uint32_t base, uint32_t prev, size_t nchars, uint32_t next, int nw)
{
	if (nw == 0 || prev == ZWJ || is_modifier(next))
		return true;
	return nchars == 1 && is_regional(base) && is_regional(next);
}

struct walk {
	struct dl_lay *out;
	uint32_t base, prev;
	size_t nchars;
	bool closed;          /* the current glyph takes nothing more */
};

static void
put(struct dl_lay *lay, const char *s, size_t n)
{
	memcpy(lay->disp + lay->dlen, s, n);
	lay->dlen += n;
}

static void
add_char(struct walk *wk, uint32_t c, const char *src, size_t n, size_t cp)
{
	struct dl_lay *lay = wk->out;
	struct shown sh = show(c, src, n);
	bool join = lay->ng > 0 && !wk->closed && sh.w >= 0 &&
	    joins(wk->base, wk->prev, wk->nchars, c, sh.w);
	if (!join) {
		lay->g[lay->ng++] = (struct dl_glyph){ cp, lay->dlen, 0, 0 };
		wk->base = c;
		wk->nchars = 0;
		wk->closed = sh.w < 0;
	}
	struct dl_glyph *g = &lay->g[lay->ng - 1];
	/* A mark with nothing drawn before it on the line gets a circle. */
	if (sh.w == 0 && sh.n > 0 && lay->dlen == 0) {
		put(lay, DOTTED_CIRCLE, 3);
		g->w += 1;
	}
	put(lay, sh.s, sh.n);
	g->w += sh.w < 0 ? 1 : sh.w;
	wk->prev = c;
	wk->nchars++;
}

static bool
is_space(const struct dl_lay *lay, size_t k)
{
	return lay->g[k + 1].db - lay->g[k].db == 1 && lay->disp[lay->g[k].db] == ' ';
}

/* Greedy wrap of the glyphs into rows of width cells (see doclayout.h). */
static void
wrap(struct dl_lay *lay, int width)
{
	size_t rs = 0, brk = 0, k = 0;
	int col = 0, rows = 0;
	bool hung = false;
	lay->row[rows++] = 0;
	while (k < lay->ng) {
		int w = lay->g[k].w;
		if (col + w > width && k > rs) {
			if (is_space(lay, k) && !hung) {
				lay->g[k++].col = col;
				col += w;
				hung = true;
				brk = k;
				continue;
			}
			rs = brk > rs ? brk : k;
			lay->row[rows++] = rs;
			k = rs;
			brk = 0;
			col = 0;
			hung = false;
			continue;
		}
		lay->g[k].col = col;
		col += w;
		if (is_space(lay, k))
			brk = k + 1;
		k++;
	}
	if (col > width && lay->ng > 0) {
		lay->row[rows++] = lay->ng;
		col = 0;
	}
	lay->g[lay->ng].col = col;
	lay->row[rows] = lay->ng;
	lay->rows = rows;
}

void
dl_lay_text(const char *s, size_t len, int width, struct dl_lay *out)
{
	memset(out, 0, sizeof *out);
	size_t ncp = utf8_count(s, len);
	out->disp = xmalloc(len + 3 * ncp + 1);
	out->g = xreallocarray(NULL, ncp + 1, sizeof *out->g);
	out->row = xreallocarray(NULL, ncp + 3, sizeof *out->row);
	struct walk wk = { out, 0, 0, 0, false };
	size_t cp = 0;
	for (size_t pos = 0; pos < len; cp++) {
		uint32_t c;
		size_t n = utf8_decode(s + pos, len - pos, &c);
		add_char(&wk, c, s + pos, n, cp);
		pos += n;
	}
	out->disp[out->dlen] = '\0';
	out->g[out->ng] = (struct dl_glyph){ cp, out->dlen, 0, 0 };
	wrap(out, width < 1 ? 1 : width);
}

void
dl_lay_line(const struct doclayout *l, size_t i, struct dl_lay *out)
{
	if (i >= l->nlines)
		i = l->nlines - 1;
	dl_lay_text(l->text + l->lines[i].byte, line_bytes(l, i),
	    l->width, out);
}

void
dl_lay_free(struct dl_lay *lay)
{
	free(lay->disp);
	free(lay->g);
	free(lay->row);
	memset(lay, 0, sizeof *lay);
}

size_t
dl_lay_glyph(const struct dl_lay *lay, size_t cp)
{
	size_t lo = 0, hi = lay->ng + 1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (lay->g[mid].cp <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int
dl_lay_row(const struct dl_lay *lay, size_t k)
{
	int lo = 0, hi = lay->rows;
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;
		if (lay->row[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int
dl_rows(struct doclayout *l, size_t i)
{
	if (i >= l->nlines)
		return 1;
	if (l->lines[i].rows < 0) {
		struct dl_lay lay;
		dl_lay_line(l, i, &lay);
		l->lines[i].rows = lay.rows;
		dl_lay_free(&lay);
	}
	return l->lines[i].rows;
}

/* ---- positions ----------------------------------------------------------- */

struct dl_pos
dl_locate(struct doclayout *l, size_t cp)
{
	if (cp > l->ncp)
		cp = l->ncp;
	struct dl_pos p = { dl_line_of(l, cp), 0, 0 };
	struct dl_lay lay;
	dl_lay_line(l, p.line, &lay);
	size_t k = dl_lay_glyph(&lay, cp - l->lines[p.line].cp);
	p.row = dl_lay_row(&lay, k);
	p.col = lay.g[k].col;
	l->lines[p.line].rows = lay.rows;
	dl_lay_free(&lay);
	return p;
}

size_t
dl_at(struct doclayout *l, size_t line, int row, int col)
{
	if (line >= l->nlines)
		return l->ncp;
	struct dl_lay lay;
	dl_lay_line(l, line, &lay);
	l->lines[line].rows = lay.rows;
	if (row >= lay.rows)
		row = lay.rows - 1;
	if (row < 0)
		row = 0;
	size_t a = lay.row[row], b = lay.row[row + 1], k;
	bool last = row == lay.rows - 1;
	for (k = a; k < b; k++)
		if (lay.g[k].col + lay.g[k].w > col)
			break;
	if (k == b && !last)
		k = b - 1;
	size_t cp = l->lines[line].cp + lay.g[k].cp;
	dl_lay_free(&lay);
	return cp;
}
