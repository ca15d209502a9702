/*
 * doclayout: a shared document as display rows, without curses.
 *
 * The document pane needs, on every key and every frame, to go between a
 * code-point position in the document (what the OT layer speaks) and a
 * place on the screen (a logical line, a display row of its soft wrap, a
 * column), for text with wide characters, combining marks and characters
 * the terminal cannot show. This module holds what that takes:
 *
 *   - a mirror of the document text (UTF-8) with an index of its logical
 *     lines (byte and code-point start of each), kept in step by
 *     replacing only the part that changed (dl_apply for an operation,
 *     dl_sync for a new text compared with the old);
 *   - per logical line, its number of display rows at the current wrap
 *     width, computed when first asked and cached until the line changes
 *     or the width does;
 *   - the layout of one logical line (dl_lay_line): its glyphs, the cells
 *     each takes, where its rows start, and the text to draw for it;
 *   - cursor motion (glyph, word, display row, page) and scrolling.
 *
 * Nothing here walks the whole document per key: an edit rewrites the
 * index only for the lines it touches (plus an O(lines) shift of the
 * starts after it), and motion and scrolling lay out only the lines they
 * cross. The scroll position is a (line, row) pair, not a global row
 * number, so that no one ever needs the row count of the whole document.
 *
 * Display rules match ui_sanitize and textwidth: a glyph is a character
 * with the zero-width characters, joiner sequences, skin-tone modifiers
 * and flag halves that go with it, as wide as the sum of wcwidth(3) over
 * its characters; a tab is one cell (a space), an unprintable character
 * one cell (U+FFFD), a bidi control none, and a zero-width character that
 * starts a line sits on a dotted circle. Rows break after a space when
 * they can, else between glyphs; one space past the wrap width may hang
 * at the end of a row, in the column kept for the cursor (see dl_set_width).
 *
 * Needs a UTF-8 LC_CTYPE (wcwidth). Owns its text and index; never does
 * I/O. Functions that allocate return false on out-of-memory and leave
 * the layout as it was.
 */
#ifndef CONFAB_UI_DOCLAYOUT_H
#define CONFAB_UI_DOCLAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "model/ot.h"

struct dl_line {
	size_t byte, cp;   /* where the line starts in the text */
	int rows;          /* display rows at the current width; -1 unknown */
};

struct doclayout {
	char *text;            /* the document, UTF-8, NUL-terminated */
	size_t len, cap;       /* bytes */
	size_t ncp;            /* code points */
	struct dl_line *lines; /* logical lines, nlines >= 1 */
	size_t nlines, lcap;
	int width;             /* cells a row is wrapped to, >= 1 */
};

/* An empty document (one empty line); false when out of memory. */
void dl_init(struct doclayout *l);
void dl_free(struct doclayout *l);

/* Replaces the whole text; s must be valid UTF-8. */
bool dl_set_text(struct doclayout *l, const char *s, size_t len);
/* Replaces bytes [from, to) of the text (character boundaries) by s[0..n). */
bool dl_replace(struct doclayout *l, size_t from, size_t to, const char *s,
    size_t n);
/* Makes the text s[0..len) (valid UTF-8), replacing only the bytes that
 * differ between the first and the last difference. */
bool dl_sync(struct doclayout *l, const char *s, size_t len);
/* Applies op (whose base length must be the text's, else false, nothing
 * changed). Out of memory part-way leaves part of op applied: dl_sync
 * from the document then. */
bool dl_apply(struct doclayout *l, const struct ot_op *op);

/* The wrap width in cells (at least 1). A pane of w columns wraps at w - 1
 * and keeps its last column for a cursor at the end of a full row. */
void dl_set_width(struct doclayout *l, int width);

/* The logical line holding code point cp (a newline belongs to the line
 * it ends; cp past the end counts as the end). */
size_t dl_line_of(const struct doclayout *l, size_t cp);
/* Code points of line i, without its newline. */
size_t dl_line_cps(const struct doclayout *l, size_t i);
/* Byte offset of code point cp (len when past the end). */
size_t dl_byte_of(const struct doclayout *l, size_t cp);
/* Display rows of line i at the current width (cached). */
int dl_rows(struct doclayout *l, size_t i);

/* One glyph of a laid-out line. */
struct dl_glyph {
	size_t cp;      /* first code point, from the line's start */
	size_t db;      /* first byte in the display text */
	int col;        /* column in its row */
	int w;          /* cells */
};

/*
 * A logical line laid out: glyphs g[0..ng) and a sentinel g[ng] for the
 * end of the line (cp = the line's length, db = dlen, col = where a cursor
 * at the end stands); rows start at glyphs row[0] = 0 < ... and
 * row[rows] = ng. A last row may be empty (row[rows - 1] == ng): when the
 * line's end would fall past the width, the cursor there gets a row of
 * its own. disp is the sanitized text to draw (glyph k is
 * disp[g[k].db .. g[k+1].db)).
 */
struct dl_lay {
	char *disp;
	size_t dlen;
	struct dl_glyph *g;
	size_t ng;
	size_t *row;
	int rows;
};

void dl_lay_line(const struct doclayout *l, size_t i, struct dl_lay *out);
/* The same for text s[0..len) (one line, valid UTF-8) at width cells. */
void dl_lay_text(const char *s, size_t len, int width, struct dl_lay *out);
void dl_lay_free(struct dl_lay *lay);
/* The glyph holding code point cp of the line (ng for its end). */
size_t dl_lay_glyph(const struct dl_lay *lay, size_t cp);
/* The row of glyph k (0..ng). */
int dl_lay_row(const struct dl_lay *lay, size_t k);

/* A screen place: logical line, row of its wrap, column in the row. */
struct dl_pos {
	size_t line;
	int row, col;
};

/* Where code point cp is shown (a code point inside a glyph is shown at
 * the glyph's start). */
struct dl_pos dl_locate(struct doclayout *l, size_t cp);
/* The code point a cursor lands on at column col of a row: the glyph
 * covering col, else the row's last place (the line's end on its last
 * row, the last glyph on the others, whose end starts the next row). */
size_t dl_at(struct doclayout *l, size_t line, int row, int col);

/* My place in a document: the cursor, the column Up/Down aim for (-1:
 * the cursor's own), and the first display row shown. */
struct dl_view {
	size_t cursor;
	int goal;
	size_t top_line;
	int top_row;
};

enum dl_move {
	DL_LEFT, DL_RIGHT,           /* a glyph; over a newline to the next line */
	DL_UP, DL_DOWN,              /* a display row, keeping the goal column */
	DL_HOME, DL_END,             /* the display row's start and end */
	DL_PAGE_UP, DL_PAGE_DOWN,    /* page rows, the view scrolling along */
	DL_WORD_LEFT, DL_WORD_RIGHT, /* to a word's start, past a word's end */
	DL_DOC_START, DL_DOC_END,
};

/* Moves v's cursor (page: the pane's height in rows, for PgUp/PgDn);
 * true when the cursor moved. */
bool dl_move(struct doclayout *l, struct dl_view *v, enum dl_move m,
    int page);
/* The code point a DL_LEFT / DL_RIGHT from cp lands on: the extent that
 * Backspace and Delete remove. */
size_t dl_prev(struct doclayout *l, size_t cp);
size_t dl_next(struct doclayout *l, size_t cp);

/* Moves (line, row) by delta display rows, stopping at the document's
 * first and last rows; returns how many rows it moved (signed). */
int dl_step(struct doclayout *l, size_t *line, int *row, int delta);
/* Makes v's top valid for the text as it is now and moves it as little as
 * possible so that the cursor's row is one of the rows rows shown. */
void dl_scroll(struct doclayout *l, struct dl_view *v, int rows);

#endif
