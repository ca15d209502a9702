/*
 * edit: the input line as a pure editing model with readline's keys.
 * The text is UTF-8; the cursor and every motion count code points (the
 * UI maps them to columns). A kill ring of one entry (Ctrl-K/U/W, Alt-D
 * fill it; Ctrl-Y yanks). Per-room input history lives elsewhere; this is
 * one line. Functions that insert reject invalid UTF-8 and control
 * characters other than newline (pasted text may hold newlines); a tab is
 * the one exception: it becomes a single space, because pasted text often
 * holds tabs and the line has no tab stops. Rejected input changes nothing.
 *
 * Words, as in readline:
 * - Alt-B, Alt-F and Alt-D move over "words" of letters and digits: spaces
 *   and punctuation separate them ("foo.bar" is two words). Non-ASCII
 *   letters, CJK, emoji and combining marks are word characters; Latin-1,
 *   General and CJK punctuation and the Unicode spaces are not.
 * - Ctrl-W and completion take a word as a run of non-space characters
 *   (readline's unix-word-rubout), so "@bo" or "/jo" stays whole.
 * Each kill replaces the kill ring's entry (kills do not append).
 * Ctrl-T swaps the code points before and at the cursor and steps past
 * them; at the end of the line it swaps the last two.
 */
#ifndef CONFAB_EDIT_H
#define CONFAB_EDIT_H

#include <stdbool.h>
#include <stddef.h>

struct edit {
	char *buf;      /* UTF-8, NUL-terminated, never NULL (read only:
	                   a shared "" until the first change) */
	size_t len;     /* bytes */
	size_t cap;
	size_t cursor;  /* code points from the start */
	char *killed;   /* the kill ring's one entry, or NULL */
};

enum edit_op {
	EDIT_LEFT, EDIT_RIGHT,           /* Ctrl-B / Ctrl-F, arrows */
	EDIT_HOME, EDIT_END,             /* Ctrl-A / Ctrl-E, Home / End */
	EDIT_WORD_LEFT, EDIT_WORD_RIGHT, /* Alt-B / Alt-F */
	EDIT_BACKSPACE, EDIT_DELETE,     /* Backspace / Ctrl-D, Delete */
	EDIT_KILL_WORD_BACK,             /* Ctrl-W: to the previous word start */
	EDIT_KILL_WORD_FORWARD,          /* Alt-D */
	EDIT_KILL_TO_START,              /* Ctrl-U */
	EDIT_KILL_TO_END,                /* Ctrl-K */
	EDIT_YANK,                       /* Ctrl-Y */
	EDIT_TRANSPOSE,                  /* Ctrl-T */
};

void edit_init(struct edit *e);
void edit_free(struct edit *e);
/* Inserts UTF-8 text at the cursor; false (nothing changed) when invalid. */
bool edit_insert(struct edit *e, const char *utf8, size_t len);
/* Applies a key; true when the text or cursor changed. */
bool edit_apply(struct edit *e, enum edit_op op);
/* Replaces the whole line (history recall), cursor at the end; false
 * (nothing changed) when utf8 is invalid. */
bool edit_set(struct edit *e, const char *utf8);
void edit_clear(struct edit *e);
size_t edit_length(const struct edit *e); /* code points */
/* Byte offset of the cursor in buf. */
size_t edit_cursor_byte(const struct edit *e);
/* The word before the cursor (for Tab completion): its start in code
 * points and its bytes, copied into out (size outsz) and NUL-terminated,
 * cut on a code-point boundary if it does not fit. Empty (start ==
 * cursor) when a space or the start of the line is before the cursor. */
size_t edit_word_before(const struct edit *e, char *out, size_t outsz);
/* Replaces the code points [start, cursor) by utf8 (completion), cursor
 * after it; false (nothing changed) when start > cursor or utf8 invalid. */
bool edit_replace_before(struct edit *e, size_t start, const char *utf8);

#endif
