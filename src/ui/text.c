/*
 * text: turning text from anywhere (the network, the user, the disk) into
 * text that is safe and measurable on a terminal.
 *
 * The rule is simple: only printable characters reach curses. Anything
 * wcwidth(3) cannot place (controls, ESC, C1, unassigned code points,
 * bytes that do not decode) becomes U+FFFD, which takes one cell, exactly
 * the cell textwidth counts for it; so widths measured with tw_* on the
 * result are what curses draws. Bidi embedding/override/isolate controls
 * are dropped: they would let a line reorder the text drawn after it.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif

#include "ui/internal.h"

#include "model/textwidth.h"
#include "model/xmalloc.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD */
#define DOTTED_CIRCLE "\xe2\x97\x8c" /* U+25CC */
#define RETURN_ARROW "\xe2\x86\xb5"  /* U+21B5 */

void
ui_buf_free(struct ui_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

static void
reserve(struct ui_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void
ui_buf_add(struct ui_buf *b, const char *s, size_t len)
{
	reserve(b, len);
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void
ui_buf_adds(struct ui_buf *b, const char *s)
{
	ui_buf_add(b, s, strlen(s));
}

void
ui_buf_repeat(struct ui_buf *b, const char *c, int n)
{
	size_t cl = strlen(c);
	for (int i = 0; i < n; i++)
		ui_buf_add(b, c, cl);
}

void
ui_buf_cut(struct ui_buf *b, int cols)
{
	if (b->s == NULL || tw_width(b->s, b->len) <= cols)
		return;
	b->len = tw_fit(b->s, b->len, cols > 1 ? cols - 1 : 0);
	b->s[b->len] = '\0';
	ui_buf_adds(b, UI_ELLIPSIS);
}

static bool
is_bidi_control(wchar_t wc)
{
	return (wc >= 0x202A && wc <= 0x202E) || (wc >= 0x2066 && wc <= 0x2069);
}

/* Whether the output so far ends a line (nothing for a mark to sit on). */
static bool
at_line_start(const struct ui_buf *b, size_t start)
{
	return b->len == start || b->s[b->len - 1] == '\n';
}

void
ui_sanitize_mark(struct ui_buf *b, const char *s, size_t len, enum ui_nl nl,
    size_t mark_in, size_t *mark_out)
{
	size_t start = b->len;
	size_t pos = 0;
	if (mark_out)
		*mark_out = b->len;
	while (pos < len) {
		if (mark_out && pos <= mark_in)
			*mark_out = b->len;
		/* printable ASCII goes as it is, a run at a time */
		size_t run = 0;
		while (pos + run < len && (unsigned char)s[pos + run] >= 0x20 &&
		    (unsigned char)s[pos + run] < 0x7f &&
		    (!mark_out || pos + run != mark_in))
			run++;
		if (run > 0) {
			ui_buf_add(b, s + pos, run);
			pos += run;
			continue;
		}
		wchar_t wc;
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t n = mbrtowc(&wc, s + pos, len - pos, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			ui_buf_adds(b, REPLACEMENT);
			pos++;
			continue;
		}
		if (n == 0)
			n = 1; /* NUL: a control like any other */
		int w = wc == L'\0' ? -1 : wcwidth(wc);
		if (wc == L'\n' && nl == UI_NL_KEEP)
			ui_buf_add(b, "\n", 1);
		else if (wc == L'\n' && nl == UI_NL_SHOW)
			ui_buf_adds(b, RETURN_ARROW);
		else if (wc == L'\t')
			ui_buf_add(b, " ", 1);
		else if (is_bidi_control(wc))
			;
		else if (w < 0)
			ui_buf_adds(b, REPLACEMENT);
		else {
			if (w == 0 && at_line_start(b, start))
				ui_buf_adds(b, DOTTED_CIRCLE);
			ui_buf_add(b, s + pos, n);
		}
		pos += n;
	}
	if (mark_out && mark_in >= len)
		*mark_out = b->len;
	/* An empty result still needs its terminator for callers that print. */
	if (b->s == NULL)
		ui_buf_add(b, "", 0);
}

void
ui_sanitize(struct ui_buf *b, const char *s, size_t len, enum ui_nl nl)
{
	ui_sanitize_mark(b, s, len, nl, 0, NULL);
}
