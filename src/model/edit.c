/*
 * edit: the input line (see edit.h for the contract and the word rules).
 *
 * The line is kept as UTF-8 bytes, the form every consumer wants (the wire,
 * the renderer, completion), and the cursor as a code-point index. Moving
 * between the two is a scan of the line, which for one input line is
 * cheaper than keeping a second representation in sync.
 *
 * Every change goes through splice(). Allocation goes through xmalloc,
 * which aborts rather than fail, so no edit has a half-done state.
 *
 * Until the first change, buf points at a shared empty string that is never
 * written (cap == 0 says so), so that buf is always a valid C string and
 * edit_init cannot fail.
 */
#include "model/edit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/utf8.h"
#include "model/xmalloc.h"

static char empty_line[1];

void
edit_init(struct edit *e)
{
	e->buf = empty_line;
	e->len = 0;
	e->cap = 0;
	e->cursor = 0;
	e->killed = NULL;
}

void
edit_free(struct edit *e)
{
	if (e->cap > 0)
		free(e->buf);
	free(e->killed);
	edit_init(e);
}

/* ---- character classes --------------------------------------------------- */

/* Separates words for Ctrl-W and completion (readline's unix-word-rubout):
 * ASCII space, newline and the Unicode space characters. */
static bool
is_space(uint32_t c)
{
	return c == ' ' || c == '\n' || c == 0xa0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Part of a word for Alt-B/F/D (readline's forward-word): ASCII letters and
 * digits, and any other code point that is not a space or punctuation, so
 * that accented, CJK and emoji text, and combining marks, read as words. */
static bool
is_word(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
	if (is_space(c))
		return false;
	/* Latin-1 punctuation and symbols, General Punctuation, CJK
	 * punctuation: the separators people type outside ASCII. */
	if ((c >= 0xa1 && c <= 0xbf) || c == 0xd7 || c == 0xf7)
		return false;
	if ((c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f))
		return false;
	return true;
}

/* ---- positions ----------------------------------------------------------- */

static size_t
byte_of(const struct edit *e, size_t cp)
{
	return utf8_offset(e->buf, e->len, cp);
}

/* The code point before byte offset b (b > 0) and its start. */
static uint32_t
cp_before(const struct edit *e, size_t b, size_t *start)
{
	size_t s = b - 1;
	while (s > 0 && ((unsigned char)e->buf[s] & 0xc0) == 0x80)
		s--;
	uint32_t c;
	utf8_decode(e->buf + s, b - s, &c);
	*start = s;
	return c;
}

/* Walks left from code point cp while cls(character) == want. */
static size_t
back_while(const struct edit *e, size_t cp, bool (*cls)(uint32_t), bool want)
{
	size_t b = byte_of(e, cp), s;
	while (b > 0 && cls(cp_before(e, b, &s)) == want)
		b = s, cp--;
	return cp;
}

/* Walks right from code point cp while cls(character) == want. */
static size_t
fwd_while(const struct edit *e, size_t cp, bool (*cls)(uint32_t), bool want)
{
	size_t b = byte_of(e, cp);
	while (b < e->len) {
		uint32_t c;
		size_t n = utf8_decode(e->buf + b, e->len - b, &c);
		if (cls(c) != want)
			break;
		b += n, cp++;
	}
	return cp;
}

/* Alt-B: back over separators, then over the word. */
static size_t
word_start_left(const struct edit *e)
{
	return back_while(e, back_while(e, e->cursor, is_word, false), is_word, true);
}

/* Alt-F / Alt-D: forward over separators, then to the end of the word. */
static size_t
word_end_right(const struct edit *e)
{
	return fwd_while(e, fwd_while(e, e->cursor, is_word, false), is_word, true);
}

/* Ctrl-W: back over spaces, then over everything up to the next space. */
static size_t
bigword_start_left(const struct edit *e)
{
	return back_while(e, back_while(e, e->cursor, is_space, true), is_space, false);
}

/* ---- input validation ---------------------------------------------------- */

/*
 * Text that may enter the line: valid UTF-8 with no control character but
 * newline. C0 controls, DEL and the C1 controls (U+0080..U+009F) are
 * refused: they would reach other people's terminals. A tab is accepted and
 * becomes one space (see fix_tabs), because pasted text often holds tabs
 * and the line has no tab stops.
 */
static bool
acceptable(const char *s, size_t len)
{
	if (!utf8_valid(s, len))
		return false;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		i += utf8_decode(s + i, len - i, &c);
		if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f))
			return false;
	}
	return true;
}

static void
fix_tabs(char *s, size_t len)
{
	/* 0x09 never occurs inside a multibyte sequence. */
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\t')
			s[i] = ' ';
}

/* ---- the one mutation ---------------------------------------------------- */

/*
 * Replaces bytes [from, to) by ins[0..inslen) and puts the cursor at code
 * point cursor_after. ins must already be acceptable; tabs are converted on
 * the way in.
 */
static void
splice(struct edit *e, size_t from, size_t to, const char *ins, size_t inslen,
    size_t cursor_after)
{
	size_t newlen = e->len - (to - from) + inslen;
	if (newlen + 1 > e->cap) {
		if (e->cap == 0)
			e->buf = NULL; /* the shared empty line: nothing to keep */
		xgrow(&e->buf, &e->cap, newlen + 1, 1);
	}
	memmove(e->buf + from + inslen, e->buf + to, e->len - to);
	if (inslen > 0)
		memmove(e->buf + from, ins, inslen);
	fix_tabs(e->buf + from, inslen);
	e->len = newlen;
	e->buf[newlen] = '\0';
	e->cursor = cursor_after;
}

/* Removes code points [from, to) and puts the cursor at from. */
static bool
erase(struct edit *e, size_t from, size_t to)
{
	if (from >= to)
		return false;
	splice(e, byte_of(e, from), byte_of(e, to), "", 0, from);
	return true;
}

/* Moves code points [from, to) into the kill ring. */
static bool
kill_range(struct edit *e, size_t from, size_t to)
{
	if (from >= to)
		return false;
	size_t bf = byte_of(e, from), bt = byte_of(e, to);
	free(e->killed);
	e->killed = xstrndup(e->buf + bf, bt - bf);
	splice(e, bf, bt, "", 0, from);
	return true;
}

static bool
insert_at_cursor(struct edit *e, const char *s, size_t len)
{
	if (len == 0)
		return true;
	size_t at = edit_cursor_byte(e);
	splice(e, at, at, s, len, e->cursor + utf8_count(s, len));
	return true;
}

/* Ctrl-T: swaps the two code points around the cursor and steps past them;
 * at the end of the line, the last two (readline's transpose-chars). */
static bool
transpose(struct edit *e)
{
	size_t n = edit_length(e);
	if (n < 2 || e->cursor == 0)
		return false;
	size_t right = e->cursor < n ? e->cursor : n - 1;
	size_t a = byte_of(e, right - 1), b = byte_of(e, right),
	    c = byte_of(e, right + 1);
	char tmp[8];
	size_t la = b - a, lb = c - b;
	memcpy(tmp, e->buf + b, lb);
	memcpy(tmp + lb, e->buf + a, la);
	memcpy(e->buf + a, tmp, la + lb);
	e->cursor = right + 1;
	return true;
}

/* ---- public -------------------------------------------------------------- */

bool
edit_insert(struct edit *e, const char *utf8, size_t len)
{
	if (utf8 == NULL)
		return len == 0;
	if (!acceptable(utf8, len))
		return false;
	return insert_at_cursor(e, utf8, len);
}

bool
edit_apply(struct edit *e, enum edit_op op)
{
	size_t n = edit_length(e), c = e->cursor;

	switch (op) {
	case EDIT_LEFT:
		return c > 0 ? (e->cursor--, true) : false;
	case EDIT_RIGHT:
		return c < n ? (e->cursor++, true) : false;
	case EDIT_HOME:
		e->cursor = 0;
		return c != 0;
	case EDIT_END:
		e->cursor = n;
		return c != n;
	case EDIT_WORD_LEFT:
		e->cursor = word_start_left(e);
		return e->cursor != c;
	case EDIT_WORD_RIGHT:
		e->cursor = word_end_right(e);
		return e->cursor != c;
	case EDIT_BACKSPACE:
		return c > 0 && erase(e, c - 1, c);
	case EDIT_DELETE:
		return c < n && erase(e, c, c + 1);
	case EDIT_KILL_WORD_BACK:
		return kill_range(e, bigword_start_left(e), c);
	case EDIT_KILL_WORD_FORWARD:
		return kill_range(e, c, word_end_right(e));
	case EDIT_KILL_TO_START:
		return kill_range(e, 0, c);
	case EDIT_KILL_TO_END:
		return kill_range(e, c, n);
	case EDIT_YANK:
		return e->killed != NULL && e->killed[0] != '\0' &&
		    insert_at_cursor(e, e->killed, strlen(e->killed));
	case EDIT_TRANSPOSE:
		return transpose(e);
	}
	return false;
}

bool
edit_set(struct edit *e, const char *utf8)
{
	if (utf8 == NULL)
		utf8 = "";
	size_t len = strlen(utf8);
	if (!acceptable(utf8, len))
		return false;
	splice(e, 0, e->len, utf8, len, utf8_count(utf8, len));
	return true;
}

void
edit_clear(struct edit *e)
{
	/* Keeps the buffer for the next line and the kill ring for a yank. */
	if (e->cap > 0)
		e->buf[0] = '\0';
	e->len = 0;
	e->cursor = 0;
}

size_t
edit_length(const struct edit *e)
{
	return utf8_count(e->buf, e->len);
}

size_t
edit_cursor_byte(const struct edit *e)
{
	return byte_of(e, e->cursor);
}

size_t
edit_word_before(const struct edit *e, char *out, size_t outsz)
{
	size_t start = back_while(e, e->cursor, is_space, false);
	size_t bs = byte_of(e, start), be = edit_cursor_byte(e);
	if (outsz == 0)
		return start;
	size_t n = be - bs;
	if (n >= outsz) {
		/* Truncate on a code-point boundary, like a careful snprintf. */
		n = outsz - 1;
		while (n > 0 && ((unsigned char)e->buf[bs + n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, e->buf + bs, n);
	out[n] = '\0';
	return start;
}

bool
edit_replace_before(struct edit *e, size_t start, const char *utf8)
{
	if (start > e->cursor || utf8 == NULL)
		return false;
	size_t len = strlen(utf8);
	if (!acceptable(utf8, len))
		return false;
	splice(e, byte_of(e, start), edit_cursor_byte(e), utf8, len,
	    start + utf8_count(utf8, len));
	return true;
}
