/*
 * doc: a gap buffer of UTF-8 bytes with code-point positioning.
 *
 * DESIGN
 * The text is one byte array with a hole (the gap) at the last edit:
 *
 *     buf: [ text before the gap | gap ... | text after the gap ]
 *          0                 gap_start   gap_end               cap
 *
 * An edit moves the gap to its position (memmove of the bytes in between)
 * and then inserts into or widens the gap. Typing is local, so the move is
 * usually a few bytes. The code-point count before the gap (cp_before) is
 * kept, so a code-point position is turned into a byte offset by walking the
 * UTF-8 from the nearest known point (buffer start, gap edges, buffer end),
 * eight bytes at a time, and in O(1) for a side that is pure ASCII (its byte
 * count equals its code-point count). Edits next to the previous one are
 * O(1) plus the edit itself; an edit far away costs one memmove and one walk
 * over the distance, both linear but at memory speed.
 *
 * WHY A GAP BUFFER: measurements with bench/trace_replay.c (--mode doc,
 * median of 11-21 runs, 2-core AMD EPYC, gcc -O2, shared with other jobs).
 * "cjk" is automerge-paper with every letter a-z mapped to a CJK character
 * (3 bytes each), so that no side of the gap is pure ASCII.
 *
 *                                        automerge   seph-blog1   cjk
 *   this file                              4.5 ms      2.8 ms    7.1 ms
 *   without the ASCII shortcut             5.2 ms      3.8 ms    6.9 ms
 *   ... and walking byte by byte           5.9 ms      5.2 ms   11.6 ms
 *   gap, but walking from the start        319 ms       36 ms    774 ms
 *   flat text, memmove per edit            261 ms       53 ms   1844 ms
 *   plain string rebuilt per op          25900 ms     6980 ms      -
 *     (ot_apply, trace-replay --mode string)
 *   --mode ot: build + ot_apply_doc      16.7 ms     10.6 ms   18.5 ms
 *
 * Published for automerge-paper on other machines (data/editing-traces
 * README): ropey, a Rust rope, 29 ms; diamond-types 56 ms; ot.js 1.9 s.
 * Real editing is local, and local edits are where a gap buffer is hard to
 * beat: one memcpy per keystroke, no tree to descend or rebalance, one
 * allocation for the whole text.
 *
 * The cost is random access. Single-code-point edits at uniformly random
 * positions (100,000 of them, a scratch driver over this API):
 *
 *   100k code points, ASCII         0.6 us/edit   (memmove only)
 *   100k code points, CJK          11.7 us/edit   (memmove + UTF-8 walk)
 *   1M code points, ASCII           6.7 us/edit
 *   1M code points, CJK              105 us/edit
 *   100k CJK, two writers far apart 17 us/edit
 *
 * A rope would keep these O(log n), around a microsecond (expected, not
 * measured here). But a shared pane holds kilobytes to a few megabytes,
 * edited at human speed by a handful of writers, and even the worst figure
 * above is far below one screen refresh. If that changes, the next step is
 * a per-chunk code-point index, not a different structure.
 */
#include "model/doc.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"
#include "model/xmalloc.h"

struct doc {
	char *buf;        /* owned; cap bytes */
	size_t cap;
	size_t gap_start; /* bytes before the gap */
	size_t gap_end;   /* first byte after the gap */
	size_t cp_before; /* code points before the gap */
	size_t cp_total;  /* code points in the document */
};

#define MIN_CAP 64

/* ---- UTF-8 walking --------------------------------------------------- */

/* Number of continuation bytes (10xxxxxx) among the 8 bytes of w. */
static size_t
count_cont(uint64_t w)
{
	uint64_t c = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
	return (size_t)((c * 0x0101010101010101ULL) >> 56);
}

static bool
is_start(char c)
{
	return ((unsigned char)c & 0xc0) != 0x80;
}

/* Byte offset of code point n (0-based) in valid UTF-8 s[0..len), or len
 * when the text has n code points. */
static size_t
walk_fwd(const char *s, size_t len, size_t n)
{
	size_t i = 0;
	while (len - i >= 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		size_t starts = 8 - count_cont(w);
		if (starts > n)
			break;
		n -= starts;
		i += 8;
	}
	for (; i < len; i++) {
		if (!is_start(s[i]))
			continue;
		if (n == 0)
			return i;
		n--;
	}
	assert(n == 0);
	return len;
}

/* Byte offset of the code point n code points before the end of valid UTF-8
 * s[0..len). */
static size_t
walk_back(const char *s, size_t len, size_t n)
{
	size_t i = len;
	while (n > 0 && i >= 8) {
		uint64_t w;
		memcpy(&w, s + i - 8, 8);
		size_t starts = 8 - count_cont(w);
		if (starts >= n)
			break;
		n -= starts;
		i -= 8;
	}
	while (n > 0) {
		assert(i > 0);
		if (is_start(s[--i]))
			n--;
	}
	return i;
}

/* Byte offset of code point q of the text after the gap, relative to it. */
static size_t
after_offset(const struct doc *d, size_t q)
{
	const char *a = d->buf + d->gap_end;
	size_t bytes = d->cap - d->gap_end;
	size_t cps = d->cp_total - d->cp_before;
	if (bytes == cps)
		return q;
	if (q <= cps / 2)
		return walk_fwd(a, bytes, q);
	return walk_back(a, bytes, cps - q);
}

/* Logical byte offset (gap not counted) of code point p <= cp_total. */
static size_t
locate(const struct doc *d, size_t p)
{
	if (p == d->cp_before)
		return d->gap_start;
	if (p < d->cp_before) {
		if (d->gap_start == d->cp_before)
			return p;
		if (p <= d->cp_before / 2)
			return walk_fwd(d->buf, d->gap_start, p);
		return walk_back(d->buf, d->gap_start, d->cp_before - p);
	}
	return d->gap_start + after_offset(d, p - d->cp_before);
}

/* ---- the gap --------------------------------------------------------- */

/* Moves the gap to logical byte offset b, which is code point p. */
static void
move_gap(struct doc *d, size_t b, size_t p)
{
	if (b < d->gap_start) {
		size_t n = d->gap_start - b;
		memmove(d->buf + d->gap_end - n, d->buf + b, n);
		d->gap_start = b;
		d->gap_end -= n;
	} else if (b > d->gap_start) {
		size_t n = b - d->gap_start;
		memmove(d->buf + d->gap_start, d->buf + d->gap_end, n);
		d->gap_start += n;
		d->gap_end += n;
	}
	d->cp_before = p;
}

/* Makes the gap at least need bytes wide, keeping the content and the gap
 * position. */
static void
reserve(struct doc *d, size_t need)
{
	if (d->gap_end - d->gap_start >= need)
		return;
	size_t used = d->cap - (d->gap_end - d->gap_start);
	size_t after = d->cap - d->gap_end;
	/* a total past SIZE_MAX asks for SIZE_MAX, which aborts */
	xgrow(&d->buf, &d->cap, need > SIZE_MAX - used ? SIZE_MAX : used + need, 1);
	memmove(d->buf + d->cap - after, d->buf + d->gap_end, after);
	d->gap_end = d->cap - after;
}

/* Gives memory back after large deletions: halves the buffer while the text
 * fills less than a quarter of it. */
static void
shrink(struct doc *d)
{
	size_t used = d->cap - (d->gap_end - d->gap_start);
	if (d->cap <= 4096 || used >= d->cap / 4)
		return;
	size_t cap = d->cap / 2;
	size_t after = d->cap - d->gap_end;
	memmove(d->buf + cap - after, d->buf + d->gap_end, after);
	d->gap_end = cap - after;
	d->cap = cap;
	d->buf = xrealloc(d->buf, cap);
}

/* Trusted edits: positions in range, text valid, gap wide enough. */
static void
insert_at(struct doc *d, size_t p, const char *s, size_t len, size_t cps)
{
	assert(d->gap_end - d->gap_start >= len);
	move_gap(d, locate(d, p), p);
	memcpy(d->buf + d->gap_start, s, len);
	d->gap_start += len;
	d->cp_before += cps;
	d->cp_total += cps;
}

static void
delete_at(struct doc *d, size_t p, size_t n)
{
	move_gap(d, locate(d, p), p);
	d->gap_end += after_offset(d, n);
	d->cp_total -= n;
}

/* ---- public ---------------------------------------------------------- */

struct doc *
doc_new(void)
{
	return doc_new_from("", 0);
}

struct doc *
doc_new_from(const char *utf8, size_t len)
{
	if (!utf8_valid(utf8, len))
		return NULL;
	struct doc *d = xcalloc(1, sizeof *d);
	reserve(d, len + MIN_CAP);
	if (len > 0)
		insert_at(d, 0, utf8, len, utf8_count(utf8, len));
	return d;
}

void
doc_free(struct doc *doc)
{
	if (doc == NULL)
		return;
	free(doc->buf);
	free(doc);
}

size_t
doc_length(const struct doc *doc)
{
	return doc->cp_total;
}

size_t
doc_bytes(const struct doc *doc)
{
	return doc->cap - (doc->gap_end - doc->gap_start);
}

/* Copies logical bytes [b0, b1) into a new NUL-terminated string. */
static char *
copy_range(const struct doc *d, size_t b0, size_t b1)
{
	char *s = xmalloc(b1 - b0 + 1);
	size_t w = 0;
	if (b0 < d->gap_start) {
		size_t end = b1 < d->gap_start ? b1 : d->gap_start;
		memcpy(s, d->buf + b0, end - b0);
		w = end - b0;
	}
	size_t gap = d->gap_end - d->gap_start;
	if (b1 > d->gap_start) {
		size_t from = b0 > d->gap_start ? b0 : d->gap_start;
		memcpy(s + w, d->buf + from + gap, b1 - from);
		w += b1 - from;
	}
	s[w] = '\0';
	return s;
}

char *
doc_text(const struct doc *doc, size_t *len)
{
	size_t bytes = doc_bytes(doc);
	char *s = copy_range(doc, 0, bytes);
	if (len != NULL)
		*len = bytes;
	return s;
}

enum doc_status
doc_slice(const struct doc *doc, size_t cp_pos, size_t cp_count, char **out,
    size_t *out_len)
{
	if (cp_pos > doc->cp_total || cp_count > doc->cp_total - cp_pos)
		return DOC_ERANGE;
	size_t b0 = locate(doc, cp_pos);
	size_t b1 = locate(doc, cp_pos + cp_count);
	*out = copy_range(doc, b0, b1);
	if (out_len != NULL)
		*out_len = b1 - b0;
	return DOC_OK;
}

enum doc_status
doc_insert(struct doc *doc, size_t cp_pos, const char *utf8, size_t len)
{
	if (cp_pos > doc->cp_total)
		return DOC_ERANGE;
	if (!utf8_valid(utf8, len))
		return DOC_EINVAL;
	if (len == 0)
		return DOC_OK;
	reserve(doc, len);
	insert_at(doc, cp_pos, utf8, len, utf8_count(utf8, len));
	return DOC_OK;
}

enum doc_status
doc_delete(struct doc *doc, size_t cp_pos, size_t cp_count)
{
	if (cp_pos > doc->cp_total || cp_count > doc->cp_total - cp_pos)
		return DOC_ERANGE;
	if (cp_count > 0) {
		delete_at(doc, cp_pos, cp_count);
		shrink(doc);
	}
	return DOC_OK;
}

enum ot_status
ot_apply_doc(struct doc *doc, const struct ot_op *op)
{
	if (op->base_len != doc->cp_total)
		return OT_ELENGTH;
	/* Every inserted byte reserved up front: one allocation at most. */
	size_t ins = 0;
	for (size_t i = 0; i < op->ncomps; i++)
		if (op->comps[i].kind == OT_INSERT)
			ins += op->comps[i].bytes;
	reserve(doc, ins);
	size_t p = 0;
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		switch (c->kind) {
		case OT_RETAIN:
			p += c->n;
			break;
		case OT_INSERT:
			insert_at(doc, p, c->text, c->bytes, c->n);
			p += c->n;
			break;
		case OT_DELETE:
			delete_at(doc, p, c->n);
			break;
		}
	}
	shrink(doc);
	return OT_OK;
}

enum ot_status
ot_invert_doc(const struct ot_op *op, const struct doc *before,
    struct ot_op *out)
{
	if (op->base_len != before->cp_total)
		return OT_ELENGTH;
	struct ot_op inv = OT_OP_INIT;
	enum ot_status st = OT_OK;
	size_t p = 0;
	for (size_t i = 0; i < op->ncomps && st == OT_OK; i++) {
		const struct ot_comp *c = &op->comps[i];
		size_t b0, b1;
		char *s;
		switch (c->kind) {
		case OT_RETAIN:
			st = ot_retain(&inv, c->n);
			p += c->n;
			break;
		case OT_INSERT:
			st = ot_delete(&inv, c->n);
			break;
		case OT_DELETE:
			/* in range: op's base length is the document's */
			b0 = locate(before, p);
			b1 = locate(before, p + c->n);
			s = copy_range(before, b0, b1);
			st = ot_insert(&inv, s, b1 - b0);
			free(s);
			p += c->n;
			break;
		}
	}
	if (st != OT_OK) {
		ot_free(&inv);
		return st;
	}
	*out = inv;
	return OT_OK;
}
