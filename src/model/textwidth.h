/*
 * textwidth: how much room UTF-8 text takes on a terminal, and where to
 * break it. Cell widths come from wcwidth(3), so the program must have
 * called setlocale(LC_CTYPE, "") with a UTF-8 locale. Wide characters
 * (CJK, most emoji) take 2 cells; combining marks and zero-width joiners
 * take 0 and are never separated from the character before them, nor a
 * joiner from the character after it (an emoji ZWJ sequence stays whole;
 * its width is the sum of its characters', as curses counts it); control
 * characters and invalid bytes are shown as one cell each (the UI draws
 * them as a replacement character).
 */
#ifndef CONFAB_TEXTWIDTH_H
#define CONFAB_TEXTWIDTH_H

#include <stddef.h>

/* Cells taken by s[0..len). */
int tw_width(const char *s, size_t len);

/* Bytes of the longest prefix of s[0..len) that fits in cols cells, never
 * ending inside a character, before its combining marks or inside a
 * zero-width-joiner sequence (0 when cols < 1 and the text starts with a
 * visible character). */
size_t tw_fit(const char *s, size_t len, int cols);

struct tw_line {
	size_t start, end; /* byte range of the line in the text */
	int width;         /* cells */
};

/*
 * Word-wraps s[0..len) to lines of at most cols cells (cols >= 1): breaks
 * after spaces, breaks a word only when it is longer than a line, and
 * starts a new line at every '\n' (which belongs to no line). A space at a
 * break is dropped from the end of the line. Writes up to max lines into
 * out and returns how many lines the text needs (may exceed max).
 *
 * The corners: the empty text and an empty paragraph ("a\n\nb") are one
 * empty line each; the spaces at a break are all dropped, so no line after
 * a break starts with a space, while spaces inside a line and at the end
 * of the text are kept; a character wider than cols (a wide character
 * when cols is 1) takes a line of its own whose width exceeds cols, so
 * that wrapping always makes progress. Only ' ' is a break opportunity.
 */
size_t tw_wrap(const char *s, size_t len, int cols, struct tw_line *out,
    size_t max);

#endif
