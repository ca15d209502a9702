/*
 * textwidth: cell widths and line breaking of UTF-8 text.
 *
 * Everything here walks the text one *glyph* at a time: a base character
 * together with whatever must stay on the same cell run as it:
 *
 *   - zero-width characters after it (combining marks, variation
 *     selectors, ZERO WIDTH JOINER, Hangul medial and final jamo);
 *   - the character after a ZERO WIDTH JOINER (emoji ZWJ sequences such
 *     as a family);
 *   - an emoji skin-tone modifier (U+1F3FB..U+1F3FF);
 *   - the second regional indicator of a flag.
 *
 * A glyph's width is the sum of wcwidth(3) over its characters. That is
 * the count ncursesw itself uses to place characters (it gives each
 * spacing character its own cells and hangs zero-width ones on the cell
 * before), so what we measure is what curses will draw; a terminal that
 * shapes a ZWJ sequence into one 2-cell picture disagrees with curses
 * whatever we do here. Keeping a glyph whole is what matters: a line is
 * never cut between a letter and its accent or inside a ZWJ sequence.
 *
 * Bytes that do not decode (invalid UTF-8, a truncated sequence) and
 * characters that wcwidth calls unprintable (controls, lone surrogates,
 * unassigned code points) are one-cell glyphs of their own that take
 * nothing after them: the UI draws each as a replacement character.
 */
#define _XOPEN_SOURCE 700 /* wcwidth */

#include "model/textwidth.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#define ZWJ 0x200D

/* Decodes the character at s[0..len) (len > 0) into *wc and returns its
 * byte length, or returns 1 and sets *wc to -1 when the bytes do not form
 * a character. NUL decodes as a one-byte character (a control). */
static size_t
decode(const char *s, size_t len, wchar_t *wc)
{
	if ((unsigned char)*s < 0x80) { /* ASCII is itself in UTF-8 */
		*wc = (wchar_t)*s;
		return 1;
	}
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = mbrtowc(wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2) {
		*wc = (wchar_t)-1;
		return 1;
	}
	return n == 0 ? 1 : n;
}

/* wcwidth, with -1 (unprintable) for an undecodable byte and for NUL,
 * to which glibc gives width 0 as if it were a combining mark. */
static int
char_width(wchar_t wc)
{
	if (wc >= 0 && wc < 0x80) /* what wcwidth says, without the call */
		return wc >= 0x20 && wc < 0x7f ? 1 : -1;
	return wc == (wchar_t)-1 ? -1 : wcwidth(wc);
}

static bool
is_modifier(wchar_t wc)
{
	return wc >= 0x1F3FB && wc <= 0x1F3FF;
}

static bool
is_regional(wchar_t wc)
{
	return wc >= 0x1F1E6 && wc <= 0x1F1FF;
}

/* Whether next (of width nw >= 0) belongs to the glyph whose base is base
 * and whose last character so far is prev; nchars counts its characters. */
static bool
joins(wchar_t base, wchar_t prev, size_t nchars, wchar_t next, int nw)
{
	if (nw == 0)
		return true;
	if (prev == ZWJ)
		return true;
	if (is_modifier(next))
		return true;
	return nchars == 1 && is_regional(base) && is_regional(next);
}

/* Returns the end of the glyph starting at pos (< len) and its width. */
static size_t
glyph_end(const char *s, size_t len, size_t pos, int *width)
{
	/* printable ASCII followed by ASCII (nothing that could join it) */
	unsigned char c = (unsigned char)s[pos];
	if (c >= 0x20 && c < 0x7f &&
	    (pos + 1 == len || (unsigned char)s[pos + 1] < 0x80)) {
		*width = 1;
		return pos + 1;
	}
	wchar_t base;
	size_t end = pos + decode(s + pos, len - pos, &base);
	int w = char_width(base);
	if (w < 0) {
		*width = 1;
		return end;
	}
	wchar_t prev = base;
	size_t nchars = 1;
	while (end < len) {
		wchar_t next;
		size_t n = decode(s + end, len - end, &next);
		int nw = char_width(next);
		if (nw < 0 || !joins(base, prev, nchars, next, nw))
			break;
		w += nw;
		end += n;
		prev = next;
		nchars++;
	}
	*width = w;
	return end;
}

int
tw_width(const char *s, size_t len)
{
	int total = 0;
	for (size_t pos = 0; pos < len;) {
		int w;
		pos = glyph_end(s, len, pos, &w);
		total += w;
	}
	return total;
}

size_t
tw_fit(const char *s, size_t len, int cols)
{
	int used = 0;
	size_t pos = 0;
	while (pos < len) {
		int w;
		size_t end = glyph_end(s, len, pos, &w);
		if (used + w > cols)
			break;
		used += w;
		pos = end;
	}
	return pos;
}

/* ---- word wrap ----------------------------------------------------------- */

struct wrap {
	struct tw_line *out;
	size_t max, n;
};

static void
emit(struct wrap *wr, size_t start, size_t end, int width)
{
	if (wr->n < wr->max) {
		wr->out[wr->n].start = start;
		wr->out[wr->n].end = end;
		wr->out[wr->n].width = width;
	}
	wr->n++;
}

/* The state of the line being filled. A break opportunity is a run of
 * spaces with something before it on the line: breaking there ends the
 * line at the run (brk, width brk_w) and starts the next at the word after
 * it (word, which began at line width word_w). */
struct line {
	size_t start;
	int w;
	bool open;        /* false after a break until a non-space starts a line */
	bool in_space;    /* the last glyph was a space */
	size_t run;       /* start of the current run of spaces */
	int run_w;
	bool has_brk;
	size_t brk, word;
	int brk_w, word_w;
};

static void
line_open(struct line *ln, size_t start)
{
	memset(ln, 0, sizeof *ln);
	ln->start = start;
	ln->open = true;
}

/* A space at pos; returns where to go on. A space that does not fit ends
 * the line at the run it belongs to; the whole run is then skipped, since
 * a line after a break never starts with a space. Only a paragraph that
 * starts with more spaces than fit keeps the ones that do. */
static size_t
wrap_space(struct wrap *wr, struct line *ln, size_t pos, int cols)
{
	if (!ln->open)
		return pos + 1;
	if (!ln->in_space) {
		ln->run = pos;
		ln->run_w = ln->w;
		ln->in_space = true;
	}
	if (ln->w + 1 <= cols) {
		ln->w++;
		return pos + 1;
	}
	if (ln->run > ln->start)
		emit(wr, ln->start, ln->run, ln->run_w);
	else
		emit(wr, ln->start, pos, ln->w);
	ln->open = false;
	return pos + 1;
}

/* A non-space glyph [pos, end) of width gw; returns where to go on (pos
 * itself when the line was broken and the glyph must be placed again). */
static size_t
wrap_glyph(struct wrap *wr, struct line *ln, size_t pos, size_t end, int gw,
    int cols)
{
	if (!ln->open)
		line_open(ln, pos);
	if (ln->in_space && ln->run > ln->start) {
		ln->has_brk = true;
		ln->brk = ln->run;
		ln->brk_w = ln->run_w;
		ln->word = pos;
		ln->word_w = ln->w;
	}
	ln->in_space = false;
	if (ln->w + gw <= cols) {
		ln->w += gw;
		return end;
	}
	if (ln->has_brk) {
		/* The word does not fit: it moves to the next line whole. */
		emit(wr, ln->start, ln->brk, ln->brk_w);
		ln->start = ln->word;
		ln->w -= ln->word_w;
		ln->has_brk = false;
		return pos;
	}
	if (pos > ln->start) {
		/* A word longer than the line: cut where it stops fitting. */
		emit(wr, ln->start, pos, ln->w);
		line_open(ln, pos);
		return pos;
	}
	/* One glyph wider than the whole line (a wide character when cols is
	 * 1): it gets a line of its own, wider than cols, so that wrapping
	 * always makes progress; the UI clips it. */
	emit(wr, pos, end, gw);
	ln->open = false;
	return end;
}

/* Wraps one paragraph s[p..q), which holds no '\n'. */
static void
wrap_paragraph(struct wrap *wr, const char *s, size_t p, size_t q, int cols)
{
	struct line ln;
	line_open(&ln, p);
	size_t pos = p;
	while (pos < q) {
		int gw;
		size_t end = glyph_end(s, q, pos, &gw);
		if (s[pos] == ' ' && end == pos + 1)
			pos = wrap_space(wr, &ln, pos, cols);
		else
			pos = wrap_glyph(wr, &ln, pos, end, gw, cols);
	}
	if (ln.open)
		emit(wr, ln.start, q, ln.w);
}

size_t
tw_wrap(const char *s, size_t len, int cols, struct tw_line *out,
    size_t max)
{
	struct wrap wr = { out, out ? max : 0, 0 };
	if (cols < 1)
		cols = 1;
	size_t p = 0;
	for (;;) {
		const char *nl = p < len ? memchr(s + p, '\n', len - p) : NULL;
		size_t q = nl ? (size_t)(nl - s) : len;
		wrap_paragraph(&wr, s, p, q, cols);
		if (!nl)
			break;
		p = q + 1;
	}
	return wr.n;
}
