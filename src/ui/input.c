/*
 * input: what the user presses, as intents.
 *
 * One table maps keys to intents; a key is a character, or a curses key
 * code tagged INPUT_KEY, either of them tagged INPUT_ALT when it came right
 * after ESC (that is how terminals send Alt). Everything else here is the
 * reading around the table:
 *
 *   - runs of printable characters become one UI_INSERT, so a fast typist
 *     or a terminal without bracketed paste costs one intent, not dozens;
 *   - a bracketed paste (ESC[200~ ... ESC[201~) becomes one UI_PASTE, which
 *     may span several reads: the terminal fd can run dry in the middle;
 *   - sequences terminfo may not name (Alt/Ctrl arrows, focus events, the
 *     paste brackets, the many spellings of Home and End) are bound with
 *     define_key to codes of our own at start;
 *   - the mouse wheel scrolls, a click on the room list picks a room, and
 *     a press, drag and release of the first button over the document's
 *     text select (button-event tracking, mode 1002, set in ui.c).
 *
 * ui_read never blocks, except for the ESCDELAY-sized wait that tells a
 * lone ESC from Alt-x.
 */
#include "ui/internal.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>

#include "model/edit.h"
#include "model/utf8.h"

#define K(k) (INPUT_KEY | (uint32_t)(k))
#define ALT(k) (INPUT_ALT | (uint32_t)(k))
#define CTL(c) ((uint32_t)((c) & 0x1f))
#define ESC_WAIT_MS 25
#define INSERT_MAX 4096
#define PASTE_MAX (1u << 20)

static const struct keymap {
	uint32_t key;
	enum ui_intent_kind kind;
	int n;
} keymap[] = {
	{ CTL('A'), UI_EDIT, EDIT_HOME },
	{ CTL('B'), UI_EDIT, EDIT_LEFT },
	{ CTL('C'), UI_QUIT, 0 },
	{ CTL('D'), UI_EDIT, EDIT_DELETE },
	{ CTL('E'), UI_EDIT, EDIT_END },
	{ CTL('F'), UI_FIND, 0 },             /* the input line: right */
	{ CTL('G'), UI_GOTO, 0 },
	{ CTL('H'), UI_EDIT, EDIT_BACKSPACE },
	{ '\t', UI_COMPLETE, 0 },
	{ '\n', UI_SUBMIT, 0 },
	{ CTL('K'), UI_EDIT, EDIT_KILL_TO_END },
	{ CTL('L'), UI_REDRAW, 0 },
	{ '\r', UI_SUBMIT, 0 },
	{ CTL('N'), UI_ROOM_NEXT, 0 },
	{ CTL('P'), UI_ROOM_PREV, 0 },
	{ CTL('R'), UI_SEARCH, 0 },
	{ CTL('T'), UI_EDIT, EDIT_TRANSPOSE },
	{ CTL('U'), UI_EDIT, EDIT_KILL_TO_START },
	{ CTL('W'), UI_EDIT, EDIT_KILL_WORD_BACK },
	{ CTL('X'), UI_DOC_FOCUS, 0 },
	{ CTL('Y'), UI_EDIT, EDIT_YANK },
	{ CTL('Z'), UI_UNDO, 0 },
	{ 127, UI_EDIT, EDIT_BACKSPACE },

	{ K(KEY_LEFT), UI_EDIT, EDIT_LEFT },
	{ K(KEY_RIGHT), UI_EDIT, EDIT_RIGHT },
	{ K(KEY_HOME), UI_EDIT, EDIT_HOME },
	{ K(KEY_END), UI_EDIT, EDIT_END },
	{ K(KEY_BACKSPACE), UI_EDIT, EDIT_BACKSPACE },
	{ K(KEY_DC), UI_EDIT, EDIT_DELETE },
	{ K(KEY_ENTER), UI_SUBMIT, 0 },
	{ K(KEY_UP), UI_HISTORY_PREV, 0 },
	{ K(KEY_DOWN), UI_HISTORY_NEXT, 0 },
	{ K(KEY_PPAGE), UI_SCROLL_PAGE, 1 },
	{ K(KEY_NPAGE), UI_SCROLL_PAGE, -1 },
	{ K(KEY_SR), UI_SELECT, DL_UP },      /* Shift-Up: scrolls the chat */
	{ K(KEY_SF), UI_SELECT, DL_DOWN },    /* Shift-Down */
	{ K(KEY_SLEFT), UI_SELECT, DL_LEFT },
	{ K(KEY_SRIGHT), UI_SELECT, DL_RIGHT },
	{ K(KEY_SHOME), UI_SELECT, DL_HOME },
	{ K(KEY_SEND), UI_SELECT, DL_END },
	{ K(KEY_SPREVIOUS), UI_SELECT, DL_PAGE_UP },
	{ K(KEY_SNEXT), UI_SELECT, DL_PAGE_DOWN },
	{ K(INPUT_K_CTRL_SHIFT_LEFT), UI_SELECT, DL_WORD_LEFT },
	{ K(INPUT_K_CTRL_SHIFT_RIGHT), UI_SELECT, DL_WORD_RIGHT },
	{ K(KEY_F(1)), UI_HELP, 0 },
	{ K(KEY_F(2)), UI_TOGGLE_PANES, 0 },
	{ K(KEY_F(3)), UI_DOC_FOCUS, 0 },
	{ K(KEY_F(4)), UI_DOC_LAYOUT, 0 },
	{ K(KEY_F(5)), UI_CENTRE, 0 },
	{ K(KEY_RESIZE), UI_REDRAW, 0 },
	{ K(INPUT_K_ALT_LEFT), UI_ROOM_PREV, 0 },
	{ K(INPUT_K_ALT_RIGHT), UI_ROOM_NEXT, 0 },
	{ K(INPUT_K_CTRL_LEFT), UI_EDIT, EDIT_WORD_LEFT },
	{ K(INPUT_K_CTRL_RIGHT), UI_EDIT, EDIT_WORD_RIGHT },
	{ K(INPUT_K_ALT_END), UI_BOTTOM, 0 },
	{ K(INPUT_K_ALT_UP), UI_CURSOR, 0 },
	{ ALT(K(KEY_UP)), UI_CURSOR, 0 },
	{ K(INPUT_K_CTRL_UP), UI_HISTORY_BACK, 0 },
	{ K(INPUT_K_CTRL_DOWN), UI_HISTORY_FWD, 0 },
	{ K(INPUT_K_DOC_PREV), UI_DOC_PREV, 0 },
	{ K(INPUT_K_DOC_NEXT), UI_DOC_NEXT, 0 },
	{ ALT(K(KEY_PPAGE)), UI_DOC_PREV, 0 },   /* ESC ESC [5~ (rxvt) */
	{ ALT(K(KEY_NPAGE)), UI_DOC_NEXT, 0 },
	{ K(KEY_F(6)), UI_PANE_FOCUS, 0 },
	{ K(INPUT_K_FOCUS_IN), UI_FOCUS, 1 },
	{ K(INPUT_K_FOCUS_OUT), UI_FOCUS, 0 },

	{ ALT('b'), UI_EDIT, EDIT_WORD_LEFT },
	{ ALT('f'), UI_EDIT, EDIT_WORD_RIGHT },
	{ ALT('d'), UI_EDIT, EDIT_KILL_WORD_FORWARD },
	{ ALT('B'), UI_EDIT, EDIT_WORD_LEFT },
	{ ALT('F'), UI_EDIT, EDIT_WORD_RIGHT },
	{ ALT('D'), UI_EDIT, EDIT_KILL_WORD_FORWARD },
	{ ALT(127), UI_EDIT, EDIT_KILL_WORD_BACK },
	{ ALT(CTL('H')), UI_EDIT, EDIT_KILL_WORD_BACK },
	{ ALT(K(KEY_BACKSPACE)), UI_EDIT, EDIT_KILL_WORD_BACK },
	{ ALT(K(KEY_LEFT)), UI_ROOM_PREV, 0 },   /* ESC ESC [D (rxvt) */
	{ ALT(K(KEY_RIGHT)), UI_ROOM_NEXT, 0 },
	{ ALT('\r'), UI_NEWLINE, 0 },
	{ ALT('\n'), UI_NEWLINE, 0 },
	{ ALT(K(KEY_ENTER)), UI_NEWLINE, 0 },
	{ ALT(K(KEY_END)), UI_BOTTOM, 0 },
	{ ALT('c'), UI_DOC_COMMENT, 1 },
	{ ALT('C'), UI_DOC_COMMENT, -1 },
	{ ALT('s'), UI_SUGGEST_MODE, 0 },
	{ ALT('y'), UI_SUGGEST_ACCEPT, 0 },
	{ ALT('n'), UI_SUGGEST_REJECT, 0 },
	{ ALT('w'), UI_COPY, 0 },
	{ ALT('W'), UI_COPY, 0 },
	{ ALT('Y'), UI_YANK_POP, 0 },
	{ ALT('z'), UI_REDO, 0 },
	{ ALT('Z'), UI_REDO, 0 },
	{ ALT('a'), UI_NEXT_ACTIVE, 0 },
	{ ALT('A'), UI_NEXT_ACTIVE, 0 },
	{ ALT('1'), UI_ROOM, 0 }, { ALT('2'), UI_ROOM, 1 },
	{ ALT('3'), UI_ROOM, 2 }, { ALT('4'), UI_ROOM, 3 },
	{ ALT('5'), UI_ROOM, 4 }, { ALT('6'), UI_ROOM, 5 },
	{ ALT('7'), UI_ROOM, 6 }, { ALT('8'), UI_ROOM, 7 },
	{ ALT('9'), UI_ROOM, 8 },
};

bool
input_map(uint32_t key, struct ui_intent *out)
{
	for (size_t i = 0; i < sizeof keymap / sizeof *keymap; i++) {
		if (keymap[i].key != key)
			continue;
		memset(out, 0, sizeof *out);
		out->kind = keymap[i].kind;
		if (out->kind == UI_EDIT)
			out->op = keymap[i].n;
		else
			out->n = keymap[i].n;
		return true;
	}
	return false;
}

/* ---- start --------------------------------------------------------------- */

/* Codes curses gave to terminfo's extended keys, mapped to ours. */
static struct {
	const char *cap;
	int ours;
	int theirs;
} extended[] = {
	{ "kLFT3", INPUT_K_ALT_LEFT, 0 },
	{ "kRIT3", INPUT_K_ALT_RIGHT, 0 },
	{ "kLFT5", INPUT_K_CTRL_LEFT, 0 },
	{ "kLFT6", INPUT_K_CTRL_SHIFT_LEFT, 0 },
	{ "kRIT6", INPUT_K_CTRL_SHIFT_RIGHT, 0 },
	{ "kRIT5", INPUT_K_CTRL_RIGHT, 0 },
	{ "kEND3", INPUT_K_ALT_END, 0 },
	{ "kEND5", INPUT_K_ALT_END, 0 },
	{ "kUP3", INPUT_K_ALT_UP, 0 },
	{ "kUP5", INPUT_K_CTRL_UP, 0 },
	{ "kDN5", INPUT_K_CTRL_DOWN, 0 },
	{ "kPRV5", INPUT_K_DOC_PREV, 0 },
	{ "kNXT5", INPUT_K_DOC_NEXT, 0 },
	{ "kPRV3", INPUT_K_DOC_PREV, 0 },
	{ "kNXT3", INPUT_K_DOC_NEXT, 0 },
};

static const struct {
	const char *seq;
	int code;
} sequences[] = {
	{ "\033[200~", INPUT_K_PASTE_START },
	{ "\033[201~", INPUT_K_PASTE_END },
	{ "\033[I", INPUT_K_FOCUS_IN },
	{ "\033[O", INPUT_K_FOCUS_OUT },
	{ "\033[1;3D", INPUT_K_ALT_LEFT },
	{ "\033[1;3C", INPUT_K_ALT_RIGHT },
	{ "\033[1;9D", INPUT_K_ALT_LEFT },    /* iTerm2 */
	{ "\033[1;9C", INPUT_K_ALT_RIGHT },
	{ "\033[1;5D", INPUT_K_CTRL_LEFT },
	{ "\033[1;5C", INPUT_K_CTRL_RIGHT },
	{ "\033[1;6D", INPUT_K_CTRL_SHIFT_LEFT },
	{ "\033[1;6C", INPUT_K_CTRL_SHIFT_RIGHT },
	{ "\033[1;2D", KEY_SLEFT }, { "\033[1;2C", KEY_SRIGHT },
	{ "\033[1;2A", KEY_SR }, { "\033[1;2B", KEY_SF },
	{ "\033[1;2H", KEY_SHOME }, { "\033[1;2F", KEY_SEND },
	{ "\033[5;2~", KEY_SPREVIOUS }, { "\033[6;2~", KEY_SNEXT },
	{ "\033[1;3F", INPUT_K_ALT_END },    /* Alt-End */
	{ "\033[1;5F", INPUT_K_ALT_END },    /* Ctrl-End */
	{ "\033[1;3A", INPUT_K_ALT_UP },
	{ "\033[1;5A", INPUT_K_CTRL_UP },
	{ "\033[1;5B", INPUT_K_CTRL_DOWN },
	{ "\033[5;5~", INPUT_K_DOC_PREV },   /* Ctrl-PgUp */
	{ "\033[6;5~", INPUT_K_DOC_NEXT },   /* Ctrl-PgDn */
	{ "\033[5;3~", INPUT_K_DOC_PREV },   /* Alt-PgUp */
	{ "\033[6;3~", INPUT_K_DOC_NEXT },   /* Alt-PgDn */
	{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME },
	{ "\033[H", KEY_HOME }, { "\033OH", KEY_HOME },
	{ "\033[4~", KEY_END }, { "\033[8~", KEY_END },
	{ "\033[F", KEY_END }, { "\033OF", KEY_END },
	{ "\033[3~", KEY_DC },
	/* The arrows in the terminal's normal cursor mode: curses turns the
	 * application mode on only at its first read, after the first key
	 * typed may already have come (an arrow, then, as ESC [ A). */
	{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN },
	{ "\033[C", KEY_RIGHT }, { "\033[D", KEY_LEFT },
};

static void
bind(const char *seq, int code)
{
	if (key_defined(seq) == 0)
		define_key(seq, code);
}

void
input_start(void)
{
	for (size_t i = 0; i < sizeof extended / sizeof *extended; i++) {
		char *s = tigetstr(extended[i].cap);
		if (s == NULL || s == (char *)-1 || s[0] == '\0')
			continue;
		int code = key_defined(s);
		if (code > 0)
			extended[i].theirs = code;
		else if (code == 0)
			define_key(s, extended[i].ours);
	}
	for (size_t i = 0; i < sizeof sequences / sizeof *sequences; i++)
		bind(sequences[i].seq, sequences[i].code);
}

/* ---- reading ------------------------------------------------------------- */

static struct {
	bool held;         /* a key read ahead and not used yet */
	int rc;
	wint_t ch;
	bool pasting;
	bool cr;           /* the last pasted character was '\r' */
	struct ui_buf paste;
} in;

static int
next_key(wint_t *ch)
{
	if (in.held) {
		in.held = false;
		*ch = in.ch;
		return in.rc;
	}
	return wget_wch(stdscr, ch);
}

static void
hold(int rc, wint_t ch)
{
	in.held = true;
	in.rc = rc;
	in.ch = ch;
}

static bool
printable(wint_t ch)
{
	return ch >= 0x20 && ch != 0x7f && !(ch >= 0x80 && ch < 0xa0) &&
	    ch <= 0x10ffff;
}

static void
add_char(struct ui_buf *b, wint_t ch)
{
	char u[4];
	size_t n = utf8_encode((uint32_t)ch, u);
	ui_buf_add(b, u, n);
}

static bool
insert(wint_t first, struct ui_intent *out)
{
	struct ui_buf b = { 0 };
	add_char(&b, first);
	while (b.len < INSERT_MAX) {
		wint_t ch;
		int rc = next_key(&ch);
		if (rc == ERR)
			break;
		if (rc != OK || !printable(ch)) {
			hold(rc, ch);
			break;
		}
		add_char(&b, ch);
	}
	if (b.len == 0) {
		ui_buf_free(&b);
		return false;
	}
	out->kind = UI_INSERT;
	out->text = b.s;
	return true;
}

/* One key inside a bracketed paste; true when the paste is complete. */
static bool
paste_feed(int rc, wint_t ch, struct ui_intent *out)
{
	if (rc == KEY_CODE_YES && ch == INPUT_K_PASTE_END) {
		in.pasting = false;
		if (in.paste.len == 0) {
			ui_buf_free(&in.paste);
			return false;
		}
		out->kind = UI_PASTE;
		out->text = in.paste.s;
		memset(&in.paste, 0, sizeof in.paste);
		return true;
	}
	if (rc == KEY_CODE_YES && ch == KEY_ENTER)
		ch = '\n', rc = OK;
	bool cr = in.cr;
	in.cr = rc == OK && ch == '\r';
	if (rc != OK || in.paste.len >= PASTE_MAX || (ch == '\n' && cr))
		return false;
	if (ch == '\r' || ch == '\n')
		ui_buf_add(&in.paste, "\n", 1);
	else if (ch == '\t')
		ui_buf_add(&in.paste, "    ", 4);
	else if (printable(ch))
		add_char(&in.paste, ch);
	return false;
}

static struct {
	bool dragging;     /* the first button went down over the document */
} drag;

static bool
inside(struct ui_rect r, int x, int y)
{
	return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

/* The first button over the document's text: press there, drag (while
 * held, anywhere), release. */
static bool
doc_mouse(const MEVENT *ev, struct ui_intent *out)
{
	const struct ui_layout *l = &ui_layout_last;
	mmask_t b = ev->bstate;
	if (b & BUTTON1_PRESSED) {
		drag.dragging = l->doc_shown && inside(l->doc_text, ev->x, ev->y);
		if (!drag.dragging)
			return false;
		out->n = UI_MOUSE_PRESS;
	} else if (drag.dragging && (b & BUTTON1_RELEASED)) {
		drag.dragging = false;
		out->n = UI_MOUSE_RELEASE;
	} else if (drag.dragging && (b & REPORT_MOUSE_POSITION)) {
		out->n = UI_MOUSE_DRAG;
	} else {
		return false;
	}
	out->kind = UI_DOC_MOUSE;
	out->x = ev->x - l->doc_text.x;
	out->y = ev->y - l->doc_text.y;
	return true;
}

static bool
mouse(struct ui_intent *out)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return false;
	if (ev.bstate & BUTTON4_PRESSED) {
		out->kind = UI_SCROLL;
		out->n = 3;
		return true;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		out->kind = UI_SCROLL;
		out->n = -3;
		return true;
	}
#endif
	if (doc_mouse(&ev, out))
		return true;
	const struct ui_layout *l = &ui_layout_last;
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) || !l->rooms_shown)
		return false;
	if (!inside(l->rooms, ev.x, ev.y))
		return false;
	size_t i = l->rooms_first + (size_t)(ev.y - l->rooms.y);
	if (i >= l->nrooms)
		return false;
	out->kind = UI_ROOM;
	out->n = (int)i;
	return true;
}

/* After ESC: the key Alt was held with, or 0 for a lone ESC. */
static uint32_t
after_escape(void)
{
	wint_t ch;
	wtimeout(stdscr, ESC_WAIT_MS);
	int rc = next_key(&ch);
	nodelay(stdscr, TRUE);
	if (rc == ERR)
		return 0;
	if (rc == OK && ch == 27) {
		hold(rc, ch);
		return 0;
	}
	return ALT(rc == KEY_CODE_YES ? K(ch) : (uint32_t)ch);
}

static uint32_t
ours(uint32_t key)
{
	for (size_t i = 0; i < sizeof extended / sizeof *extended; i++)
		if (extended[i].theirs > 0 &&
		    (key & ~INPUT_ALT) == K(extended[i].theirs))
			return (key & INPUT_ALT) | K(extended[i].ours);
	return key;
}

/* One key outside a paste; true when it made an intent. */
static bool
key(int rc, wint_t ch, struct ui_intent *out)
{
	if (rc == OK && printable(ch))
		return insert(ch, out);
	if (rc == KEY_CODE_YES && ch == KEY_MOUSE)
		return mouse(out);
	if (rc == KEY_CODE_YES && ch == INPUT_K_PASTE_START) {
		ui_buf_free(&in.paste);
		in.pasting = true;
		in.cr = false;
		return false;
	}
	if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
		ui_resize();
	uint32_t k = rc == KEY_CODE_YES ? K(ch) : (uint32_t)ch;
	if (rc == OK && ch == 27 && (k = after_escape()) == 0) {
		out->kind = UI_ESCAPE;
		return true;
	}
	if (!input_map(ours(k), out))
		return false;
	if (out->kind == UI_REDRAW)
		ui_need_clear = true;
	return true;
}

bool
ui_read(struct ui_intent *out)
{
	memset(out, 0, sizeof *out);
	for (;;) {
		wint_t ch;
		int rc = next_key(&ch);
		if (rc == ERR)
			return false;
		if (in.pasting ? paste_feed(rc, ch, out) : key(rc, ch, out))
			return true;
	}
}
