/*
 * ui internals: what the files of src/ui share and nothing else includes,
 * except the ui unit test.
 *
 *   text.c   making hostile text safe to draw (pure)
 *   pane.c   the message pane as display lines (pure)
 *   pane_rows.c  one timeline entry as rows (pure)
 *   color.c  theme colours -> terminal colours and colour pairs
 *   draw.c   putting text on the screen, clipped to columns by width
 *   lists.c  the room list and the presence list
 *   doclayout.c, docmove.c   a shared document as display rows (pure)
 *   docpane.c  the document pane
 *   centre.c the notification centre
 *   input.c  keys -> intents (the table is pure, the reading is curses)
 *   status.c the status line's parts, fitted to the width
 *   ui.c     start/stop, layout, and the typing and input lines
 *
 * Every string that reaches the screen goes through ui_sanitize first, so
 * widths measured with tw_* on it are exactly what curses draws, and no
 * byte from the network can reach the terminal as a control sequence.
 */
#ifndef CONFAB_UI_INTERNAL_H
#define CONFAB_UI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/chat.h"
#include "model/room.h"
#include "model/theme.h"
#include "ui/ui.h"

/* ---- text.c -------------------------------------------------------------- */

/* A growable NUL-terminated byte string (s is NULL until something is
 * added). */
struct ui_buf {
	char *s;
	size_t len, cap;
};

void ui_buf_free(struct ui_buf *b);
void ui_buf_add(struct ui_buf *b, const char *s, size_t len);
void ui_buf_adds(struct ui_buf *b, const char *s);
/* Appends n copies of the UTF-8 character c (a string). */
void ui_buf_repeat(struct ui_buf *b, const char *c, int n);
/* Cuts b (sanitized text) to at most cols cells, ending in UI_ELLIPSIS
 * when anything was cut. */
void ui_buf_cut(struct ui_buf *b, int cols);

#define UI_ELLIPSIS "\xe2\x80\xa6"

/* What ui_sanitize does with '\n'. */
enum ui_nl {
	UI_NL_BAD,   /* like any control: U+FFFD (names, one-line fields) */
	UI_NL_KEEP,  /* kept, for tw_wrap to break at */
	UI_NL_SHOW,  /* shown as U+21B5 (the input line) */
};

/*
 * Appends s[0..len) made safe for the terminal: bytes that do not decode
 * and unprintable characters (C0/C1 controls, ESC, DEL, line separators,
 * unassigned code points) become U+FFFD; a tab becomes a space; bidi
 * overrides and isolates are dropped; a zero-width character with nothing
 * before it on its line gets a dotted circle (U+25CC) to sit on. Needs a
 * UTF-8 LC_CTYPE. When mark_out is not NULL, *mark_out receives the output
 * offset that corresponds to input offset mark_in (a character boundary).
 */
void ui_sanitize(struct ui_buf *b, const char *s, size_t len, enum ui_nl nl);
void ui_sanitize_mark(struct ui_buf *b, const char *s, size_t len,
    enum ui_nl nl, size_t mark_in, size_t *mark_out);

/* ---- pane.c: the message pane as display lines --------------------------- */

/* A span's foreground when it is the element's own. */
#define UI_FG_THEME INT32_MIN
#define UI_SPANS_MAX 8

struct ui_span {
	size_t start, end;      /* bytes of the line's text */
	enum theme_elem elem;
	int32_t fg;             /* UI_FG_THEME, or a theme colour (nicks) */
};

/* One screen row of the pane: text no wider than the pane, styled by
 * spans that cover it in order (gaps are TH_NORMAL). */
struct pane_line {
	char *text;
	size_t len;
	struct ui_span spans[UI_SPANS_MAX];
	int nspans;
	bool marked;            /* a line of the message a jump led to */
};

struct pane_lines {
	struct pane_line *v;
	size_t n, cap;
	bool complete;          /* every line of the timeline is in v */
	size_t mark;            /* index of the marked message's first line,
	                           or SIZE_MAX when it is not among v */
};

struct pane_src {
	const struct room *room;            /* NULL: no room open */
	const struct chat_notice *notices;
	size_t nnotices;
	const char *me;
	const struct theme *theme;          /* nick colours; may be NULL */
	bool timestamps;
	size_t first_unread;                /* index in room->msgs, or nmsgs */
	int64_t mark_seq;                   /* the message to mark, 0 none */
	const char *search;                 /* text to highlight, or NULL */
	const char *time_format;            /* strftime; NULL: "%H:%M" */
	int64_t thread;                     /* 0: the room's timeline, its
	                                       replies left out; else the
	                                       thread of that root: it and
	                                       its replies */
	int64_t selected;                   /* the message under the cursor:
	                                       who reacted is shown */
	int64_t seen_seq;                   /* the message "seen by" goes
	                                       under (my last), 0: none */
};

/* Where the columns go, and its generation: the same geometry has the
 * same number as the last time, another one a new number. */
struct pane_geom {
	int width;
	int time_w;   /* 0 without timestamps */
	int nick_w;
	int text_col; /* where message text starts */
	int text_w;
	uint32_t gen;
	char fmt[40]; /* the time format, when times are shown */
};

void pane_geometry(const struct pane_src *src, int width, struct pane_geom *g);

/* One entry of the timeline: a message or a notice. */
struct pane_item {
	const struct room_msg *msg;         /* or */
	const struct chat_notice *notice;
	size_t index;                       /* in room->msgs, or in notices */
	int64_t ts;
};

/* A boundary between entries: room->msgs[0..msg) and notices[0..notice)
 * lie before it (of the notices, those shown in the room). */
struct pane_pos {
	size_t msg, notice;
};

/* The local day of a time (YYYYMMDD). */
long pane_day_of(int64_t ts_ms);
/* The local time of ts_ms (zeroed if it has none). */
void pane_local_tm(int64_t ts_ms, struct tm *tm);
/* The time format of the pane (the default when none is set). */
const char *pane_time_format(const struct pane_src *src);
void pane_lines_take(struct pane_lines *pl, struct pane_line ln);

/* pane_rows.c: one entry's rows, and the rules across the pane. */
void pane_message_lines(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct room_msg *m);
void pane_notice_lines(struct pane_lines *out, const struct pane_src *src,
    const struct pane_geom *g, const struct chat_notice *n);
void pane_rule_line(struct pane_lines *out, int width, const char *label,
    enum theme_elem e);
void pane_day_line(struct pane_lines *out, int width, int64_t ts);

/* The lines of one entry, with the day line and the new-messages line
 * before it; prev is the entry before it (NULL: none). */
void pane_item_lines(const struct pane_src *src, const struct pane_geom *g,
    const struct pane_item *it, const struct pane_item *prev,
    struct pane_lines *out);
/* How many rows that is (measured once per generation for a message). */
int pane_item_rows(const struct pane_src *src, const struct pane_geom *g,
    const struct pane_item *it, const struct pane_item *prev);

/*
 * A fresh layout: the last display lines of the room's timeline merged
 * with its notices, oldest first, wrapped to width cells: at least need
 * lines when there are that many (SIZE_MAX: all; complete tells). Times
 * are local. What the cached view (paneview.c) draws must equal this.
 */
void pane_build(const struct pane_src *src, int width, size_t need,
    struct pane_lines *out);
void pane_lines_free(struct pane_lines *pl);

/* The visible window over lines: clamps *scroll (lines up from the end)
 * and returns the index of the first line to draw in a pane of height
 * rows; *at_top tells whether the oldest loaded line is shown. */
size_t pane_window(const struct pane_lines *pl, int rows, int *scroll,
    bool *at_top);

/* The scroll (lines up from the end) that shows line `line` of pl a
 * third of the way down a pane of height rows. */
int pane_scroll_to(const struct pane_lines *pl, size_t line, int rows);

/* ---- paneview.c: walking the timeline, and the pane kept between frames - */

/* The boundary after the last entry. */
struct pane_pos pane_end(const struct pane_src *src);
/* The entry before *pos, moving *pos before it; false at the start. */
bool pane_prev(const struct pane_src *src, struct pane_pos *pos,
    struct pane_item *it);
/* The entry after *pos, moving *pos after it; false at the end. */
bool pane_next(const struct pane_src *src, struct pane_pos *pos,
    struct pane_item *it);

/*
 * The message pane as it stands between frames: where its bottom row is,
 * as an entry and the rows of it below that row, and how far that is
 * from the end. A frame moves it by what the scroll asked for changed,
 * walking only the rows it crosses; lines added at the end leave it
 * where it is (the view stays still while scrolled back) and add their
 * rows to the distance; anything else that moves rows measures the
 * distance again from the end.
 */
struct pane_view {
	const struct room *room;    /* what the measures were made of */
	char room_name[72];
	uint32_t gen, edits;
	size_t nmsgs, nnotices, unread_at;
	bool anchored;              /* false: at the end (scroll 0) */
	struct pane_pos pos;        /* the boundary after the bottom entry */
	int64_t seq;                /* the bottom entry: a confirmed message */
	const struct room_msg *msg; /* a pending one */
	size_t notice;              /* or a notice (SIZE_MAX: not one) */
	int cut;                    /* its rows below the pane's bottom row */
	int below;                  /* rows of the entries after it */
	int scroll;                 /* what the last frame reported */
	/* The lines of the entries the last frames drew, by what they
	 * looked like: a frame builds only the entries new on screen. */
	struct pane_kept {
		uint64_t key;
		unsigned frame;         /* the last frame that drew it */
		struct pane_lines lines;
	} *kept;
	size_t nkept, capkept;
	unsigned frames;
};

/* Frees what the pane keeps. */
void pane_view_free(struct pane_view *pv);

/* What a frame shows: the rows to draw, top first (fewer than the pane's
 * height only when the timeline is shorter; their text is the pane's,
 * valid until its next frame), and the state to report. */
struct pane_frame {
	struct pane_lines lines;
	int scroll;                 /* rows up from the end */
	bool at_top;
	bool mark_shown;
};

void pane_view_frame(struct pane_view *pv, const struct pane_src *src,
    int width, int rows, int scroll, bool goto_mark, struct pane_frame *out);
void pane_frame_free(struct pane_frame *fr);

/* ---- color.c ------------------------------------------------------------- */

/* Terminal colour number for a theme colour on a terminal of ncolors
 * colours (direct: RGB values are colour numbers), -1 for the default.
 * Pure, for the tests. */
int color_map(int32_t c, int ncolors, bool direct);

void color_start(bool no_color);
void color_set_theme(const struct theme *t);
/* The attributes and extended pair for element e, its foreground replaced
 * by fg unless fg is UI_FG_THEME. */
void color_style(enum theme_elem e, int32_t fg, unsigned long *attrs,
    int *pair);

/* ---- draw.c -------------------------------------------------------------- */

/* Columns [left, right) of the screen that drawing may touch. */
struct ui_clip {
	int left, right;
};

/*
 * Draws sanitized s[0..len) on row y from column x, showing only what
 * falls inside clip: a wide character cut by an edge is replaced by
 * spaces, never half drawn. Returns x plus the text's width.
 */
int draw_text(int y, int x, const char *s, size_t len, struct ui_clip clip,
    enum theme_elem e, int32_t fg);
/* The same with curses attributes (A_REVERSE...) added to e's. */
int draw_text_attr(int y, int x, const char *s, size_t len, struct ui_clip clip,
    enum theme_elem e, int32_t fg, unsigned long extra);
/* Sanitizes, then draws; newlines become U+FFFD. */
int draw_str(int y, int x, const char *s, struct ui_clip clip,
    enum theme_elem e, int32_t fg);
void draw_line(int y, int x, const struct pane_line *l, struct ui_clip clip);
/* Paints cells [x, x+n) of row y blank in element e's colours. */
void draw_fill(int y, int x, int n, enum theme_elem e);
/* A pane separator, in TH_BORDER or TH_BORDER_FOCUS. */
void draw_vline(int x, int y, int rows, enum theme_elem e);

/* ---- lists.c ------------------------------------------------------------- */

struct ui_rect {
	int x, y, w, h;
};

/* Draws the room list in r; returns the index of the room on its first
 * row (the list scrolls to keep the current room visible). */
size_t lists_draw_rooms(const struct chat *c, struct ui_rect r);
void lists_draw_people(const struct chat *c, struct ui_rect r);

/* ---- status.c ------------------------------------------------------------ */

#define STATUS_FORMS_MAX 8
#define STATUS_PARTS_MAX 12
#define STATUS_PRIO_MAX 9

/* A part of the status line: its forms from long to short (an optional
 * part's last form is ""), how much it matters (0 most), and whether it
 * is set off by " · " (else a space) from the part before it. */
struct status_part {
	const char *forms[STATUS_FORMS_MAX];
	int nforms;
	int prio;
	bool essential;      /* never drops to nothing */
	bool sep;
	enum theme_elem elem;
};

/* Chooses a form for each part (form[i]) so that the line fits cols when
 * it can (see status.c); returns whether the " · " separators are kept. */
bool status_fit(const struct status_part *p, size_t n, int cols, int *form);
/* Fits and draws the parts on row y; returns the column after them. */
int status_draw(int y, int cols, const struct status_part *p, size_t n);

/* ---- docpane.c ----------------------------------------------------------- */

/* What drawing the document pane gave: the view it used (its top moved
 * to show the cursor), its text rows, and where my cursor is on the
 * screen when it is shown. */
struct docpane_out {
	struct dl_view view;
	int rows;
	bool cursor_shown;
	int cy, cx;
	struct ui_rect text;     /* where the text went (for the mouse) */
};

/* Draws d in r: a title row (or the read-only banner), then the text. */
void docpane_draw(const struct ui_doc *d, const struct theme *t,
    struct ui_rect r, struct docpane_out *out);

/* ---- centre.c ------------------------------------------------------------ */

/* The first entry to show of n in rows rows so that selected shows, moving
 * top as little as possible. Pure. */
size_t centre_first(size_t n, size_t selected, size_t top, int rows);
/* Draws the centre in r; gives the first entry shown and how many fit. */
void centre_draw(const struct ui_centre *c, struct ui_rect r, size_t *top_out,
    int *rows_out);

/* ---- listpane.c, threadpane.c --------------------------------------------- */

/* Draws l in r; returns the screen column of the query's cursor (or -1). */
int listpane_draw(const struct ui_list *l, struct ui_rect r, int *cy);

/* Draws the thread pane in r: a title row, the thread, its input line.
 * Gives the scroll used and where its cursor goes. */
void threadpane_draw(const struct ui_view *v, struct pane_view *pv,
    struct ui_rect r, int *scroll_out, int *cy, int *cx);

/* ---- ui.c / input.c ------------------------------------------------------ */

/* Where the last ui_draw put the room list, for mouse clicks. */
struct ui_layout {
	bool rooms_shown;
	struct ui_rect rooms;
	size_t rooms_first, nrooms;
	bool doc_shown;          /* and the document's text, for a drag */
	struct ui_rect doc_text;
};

extern struct ui_layout ui_layout_last;
/* Set by input (Ctrl-L, a resize): the next draw repaints every cell. */
extern bool ui_need_clear;

/* The key the mapper sees: a character, or a curses key code tagged. */
#define INPUT_KEY 0x1000000u   /* a curses KEY_* (or one of ours) */
#define INPUT_ALT 0x2000000u   /* after ESC: Alt held */

/* Our own key codes for sequences curses has no name for (define_key). */
enum {
	INPUT_K_PASTE_START = 0x2000,
	INPUT_K_PASTE_END,
	INPUT_K_FOCUS_IN,
	INPUT_K_FOCUS_OUT,
	INPUT_K_ALT_LEFT,
	INPUT_K_ALT_RIGHT,
	INPUT_K_CTRL_LEFT,
	INPUT_K_CTRL_RIGHT,
	INPUT_K_ALT_END,
	INPUT_K_ALT_UP,
	INPUT_K_CTRL_UP,
	INPUT_K_CTRL_DOWN,
	INPUT_K_DOC_PREV,  /* Ctrl-PgUp, Alt-PgUp: the previous document tab */
	INPUT_K_DOC_NEXT,  /* Ctrl-PgDn, Alt-PgDn */
	INPUT_K_CTRL_SHIFT_LEFT,
	INPUT_K_CTRL_SHIFT_RIGHT,
};

/* Maps one key to its intent (text-less kinds only); false for keys that
 * do nothing. Pure. */
bool input_map(uint32_t key, struct ui_intent *out);
/* Binds the escape sequences the terminal description may lack. */
void input_start(void);

#endif
