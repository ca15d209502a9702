/*
 * textwidth: how much room UTF-8 text takes on a terminal, and where to
 * break it. Cell widths come from wcwidth(3), so the program must have
 * called setlocale(LC_CTYPE, "") with a UTF-8 locale. Wide characters
 * (CJK, most emoji) take 2 cells; combining marks and zero-width joiners
 * take 0 and are never separated from the character before them; control
 * characters and invalid bytes are shown as one cell each (the UI draws
 * them as a replacement character).
 */
#ifndef CONFAB_TEXTWIDTH_H
#define CONFAB_TEXTWIDTH_H

#include <stddef.h>

/* Cells taken by s[0..len). */
int tw_width(const char *s, size_t len);

/* Bytes of the longest prefix of s[0..len) that fits in cols cells, never
 * ending inside a character or before its combining marks. */
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
 */
size_t tw_wrap(const char *s, size_t len, int cols, struct tw_line *out,
    size_t max);

#endif
