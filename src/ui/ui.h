/*
 * ui: the terminal, through ncursesw. Draws the chat state it is given and
 * turns keys and mouse events into intents; it changes no state of its own
 * beyond the screen, and it never touches a socket.
 *
 * Layout (at 80 columns and more; below, the side panes fold away and
 * ui_view.side_panes toggles them over the messages):
 *
 *   rooms   | messages                              | people
 *   lobby 3 | 12:01 alice  hi                       | online
 *  *dev  @1 | ── Saturday 28 November ──            |  alice
 *           | 12:02 bob    /me-style action lines   | away
 *           | ─── new messages ───                  |  bob lunch
 *           | alice is typing…                      | offline
 *   status: alice@127.0.0.1:7681 [dev] connected · 2 pending
 *   > input line
 *
 * With a shared document open (ui_view.doc), its pane goes beside the
 * messages (in place of the people list) or, full, instead of them:
 *
 *   rooms   | messages          | notes · lobby          F3 edit
 *   lobby 3 | 12:01 alice  hi   | Shared text, soft-wrapped to
 *           |                   | the pane, with bob's cursor▌  bob
 *
 * The notification centre (ui_view.centre) takes the place of the messages
 * (and of a document shown instead of them), newest first:
 *
 *   rooms   | notifications · 2 unread                 | people
 *   lobby @1| ● 12:01 bob in lobby  @alice look at this |
 *           |   11:40 carol joined lobby               |
 *           | Enter open · r read · a all read · Esc    |
 */
#ifndef CONFAB_UI_H
#define CONFAB_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/chat.h"
#include "model/edit.h"
#include "model/inbox.h"
#include "model/theme.h"
#include "ui/doclayout.h"

/* Another session's cursor in the shown text (code points). */
struct ui_doc_cursor {
	const char *user;
	size_t anchor, head;
};

/* A decoration of the document's text, code points [start, end). Kinds
 * stack: a comment's underline stays under a match or a selection. */
enum ui_span_kind {
	UI_SPAN_SELECT,          /* my selection: reverse video */
	UI_SPAN_MATCH,           /* a find's match: the theme's search look */
	UI_SPAN_MATCH_CURRENT,   /* the match the cursor is on: reversed too */
	UI_SPAN_COMMENT,         /* a commented range: underlined (an empty
	                            one, text deleted: a mark in the margin) */
	UI_SPAN_COMMENT_CURRENT, /* the comment under the cursor: and bold */
	UI_SPAN_INSERTED,        /* suggested text: user's colour, underlined */
	UI_SPAN_DELETED,         /* text a suggestion deletes: user's colour,
	                            each glyph struck through (U+0336) */
};

struct ui_doc_span {
	size_t start, end;
	enum ui_span_kind kind;
	const char *user;        /* INSERTED, DELETED: whose colour */
};

/* The shared-document pane: what the client shows of the open document. */
struct ui_doc {
	const char *room, *name;
	struct doclayout *lay;   /* the text shown, NULL while it loads; the
	                            pane sets its wrap width (a cache) */
	struct dl_view view;     /* my cursor and the first row shown */
	const struct ui_doc_cursor *others;
	size_t nothers;
	bool focused;            /* keys edit the document */
	bool full;               /* instead of the messages, not beside */
	bool readonly;           /* an old revision (rev), not the live text */
	long long rev;
	const char *sync;        /* "synced", "3 edits pending", ... */
	const char *note;        /* shown when lay is NULL ("opening…") */
	bool diff;               /* readonly: a diff, lines marked "+ " "- " */
	const char *title;       /* readonly: the banner, when not NULL */
	const struct ui_doc_span *spans; /* sorted by start; the pane looks
	                            only at those over the rows it shows */
	size_t nspans;
	bool numbers;            /* line numbers in a left margin */
	/* The open documents, as tabs in the pane's title row: their names
	 * in tab order, tab the one shown (ntabs 0 or 1: no tabs). */
	const char *const *tabs;
	size_t ntabs, tab;
	const char *status;      /* non-NULL: the pane's bottom row (the
	                            comment under the cursor) */
	const char *info;        /* "match 3 of 12 ...": in the title, in
	                            place of the keys' hint; NULL none */
};

/* The notification centre, shown in place of the messages (F5). */
struct ui_centre {
	const struct inbox *inbox;
	size_t selected;         /* index into the inbox */
	size_t top;              /* the entry on the first row (a cache: the
	                            pane moves it to show the selection) */
	bool loading;            /* a page was asked for and has not come */
	int64_t now_ms;          /* wall clock, for "12:01" against "27 Nov" */
};

/* A list shown in place of the messages: the emoji picker, the server's
 * search results, the room directory. Each row is one line of text, with
 * ranges of it drawn highlighted (a search's matches, in bytes). */
#define UI_LIST_MARKS 8
struct ui_list_row {
	const char *text;
	size_t marks[UI_LIST_MARKS][2];
	int nmarks;
};

struct ui_list {
	const char *title;       /* the first row */
	const char *query;       /* non-NULL: a search field under the title,
	                            where the cursor goes */
	const struct ui_list_row *rows;
	size_t nrows;
	size_t selected;
	const char *keys;        /* the last row: what the keys do */
	const char *empty;       /* shown when there are no rows */
};

/* The thread pane, beside the messages: a root and its replies, and an
 * input line of its own. */
struct ui_thread {
	int64_t root;
	const struct edit *input;
	bool focused;            /* keys go to its input line */
	int scroll;
	int64_t selected;        /* the message cursor in the thread, or 0 */
	const char *title;
};

struct ui_view {
	const struct chat *chat;
	const struct edit *input;
	const struct theme *theme;
	int scroll;              /* message-pane lines scrolled up from the end */
	bool side_panes;         /* shown; below 80 columns they fold away
	                            and toggling this (F2) while there lays
	                            them over the messages */
	bool timestamps;
	int64_t mono_now;        /* ms, same clock as chat->retry_at */
	const char *prompt;      /* non-NULL: a question shown over the input
	                            line (e.g. "send 3 pasted lines? y/n") */
	const struct ui_doc *doc; /* NULL: no document pane */
	const struct ui_centre *centre; /* non-NULL: the notification centre
	                            is shown instead of the messages */
	int64_t mark_seq;        /* the current room's message a notification
	                            led to, drawn marked; 0: none */
	bool goto_mark;          /* scroll so that it shows (once it is held) */
	const char *search;      /* text /search highlights, or NULL */
	const char *time_format; /* strftime(3) of message times; NULL %H:%M */
	int64_t selected;        /* the message cursor (reactions show who) */
	int64_t seen_seq;        /* my last message: "seen by" under it */
	const struct ui_list *list; /* non-NULL: shown instead of the messages */
	const struct ui_thread *thread; /* non-NULL: the thread pane */
};

struct ui_drawn {
	int scroll;        /* the scroll actually used (clamped) */
	bool at_top;       /* the oldest loaded line is visible */
	int page;          /* message-pane height, for PgUp/PgDn */
	bool doc_shown;    /* the document pane was drawn: */
	struct dl_view doc_view; /* its view (top moved to show the cursor) */
	int doc_rows;      /* and its text rows, for PgUp/PgDn there */
	bool mark_shown;   /* goto_mark was done: the marked message is on
	                      screen, scroll says how far up */
	size_t centre_top; /* the centre's first entry shown */
	int centre_rows;   /* and how many entries fit */
	int thread_scroll; /* the thread pane's scroll as used */
};

/* Starts curses (UTF-8, raw keys, mouse, bracketed paste, focus events).
 * no_color: NO_COLOR is set; attributes stay, colours go. */
void ui_init(bool no_color);
void ui_end(void);
/* The terminal changed size: takes the new size from the tty and makes
 * the next ui_draw repaint everything. ui_read does this itself on
 * KEY_RESIZE; a caller that takes SIGWINCH itself (signalfd, self-pipe)
 * calls it and then draws. */
void ui_resize(void);
/* Maps a theme onto the terminal's colours (truecolor, 256 or 8). */
void ui_set_theme(const struct theme *t);
void ui_draw(const struct ui_view *v, struct ui_drawn *out);

enum ui_intent_kind {
	UI_NONE,
	UI_INSERT,         /* text: typed characters (UTF-8) */
	UI_EDIT,           /* op: an edit_op */
	UI_SUBMIT,         /* Enter */
	UI_PASTE,          /* text: a bracketed paste (may hold newlines) */
	UI_COMPLETE,       /* Tab */
	UI_HISTORY_PREV, UI_HISTORY_NEXT, /* Up / Down */
	UI_SCROLL,         /* n: lines, > 0 up; PgUp/PgDn, the wheel */
	UI_SCROLL_PAGE,    /* n: pages, > 0 up */
	UI_ROOM_NEXT, UI_ROOM_PREV, /* Ctrl-N / Ctrl-P, Alt-Right / Alt-Left */
	UI_ROOM,           /* n: room index; Alt-1..9, a click in the list */
	UI_TOGGLE_PANES,   /* F2 */
	UI_REDRAW,         /* Ctrl-L, and after a resize */
	UI_FOCUS,          /* n: 1 focus gained, 0 lost (xterm focus events) */
	UI_QUIT,           /* Ctrl-C */
	UI_DOC_FOCUS,      /* F3, Ctrl-X: keys go to the document or the input */
	UI_DOC_LAYOUT,     /* F4: the document beside or instead of messages */
	UI_UNDO,           /* Ctrl-Z (Alt-Z redoes) */
	UI_ESCAPE,         /* a lone Esc */
	UI_CENTRE,         /* F5: the notification centre */
	UI_NEWLINE,        /* Alt-Enter: a newline in the input line */
	UI_BOTTOM,         /* Alt-End, Ctrl-End: back to the newest line */
	UI_NEXT_ACTIVE,    /* Alt-A: the next room with something new */
	UI_SEARCH,         /* Ctrl-R: search this room's messages */
	UI_HELP,           /* F1 */
	UI_CURSOR,         /* Alt-Up: the message cursor */
	UI_HISTORY_BACK, UI_HISTORY_FWD, /* Ctrl-Up / Ctrl-Down: input history */
	UI_PANE_FOCUS,     /* Tab with the thread pane open: F6 */
	UI_DOC_PREV, UI_DOC_NEXT, /* Ctrl-PgUp / Ctrl-PgDn, Alt-PgUp / Alt-PgDn:
	                             the open documents' tabs */
	UI_DOC_COMMENT,    /* n: Alt-c 1 (the next comment), Alt-C -1 */
	UI_SUGGEST_MODE,   /* Alt-s: suggesting on or off (document pane) */
	UI_SUGGEST_ACCEPT, /* Alt-y: accept the suggestion under the cursor */
	UI_SUGGEST_REJECT, /* Alt-n: reject it */
	/* The document pane's editing. Elsewhere client_key makes Shift-Up /
	 * Shift-Down scroll the messages and Ctrl-F move right in the line. */
	UI_SELECT,         /* n: an enum dl_move, Shift held: Shift-arrows,
	                      Shift-Home/End, Shift-PgUp/PgDn,
	                      Ctrl-Shift-Left/Right */
	UI_FIND,           /* Ctrl-F */
	UI_GOTO,           /* Ctrl-G: go to a line */
	UI_COPY,           /* Alt-W */
	UI_YANK_POP,       /* Alt-Y: the kill before the one yanked */
	UI_REDO,           /* Alt-Z */
	UI_DOC_MOUSE,      /* n: enum ui_mouse; x, y: the cell from the top
	                      left of the document's text (may be outside it
	                      while dragging) */
};

enum ui_mouse { UI_MOUSE_PRESS, UI_MOUSE_DRAG, UI_MOUSE_RELEASE };

struct ui_intent {
	enum ui_intent_kind kind;
	int n;
	int op;            /* enum edit_op for UI_EDIT */
	int x, y;          /* UI_DOC_MOUSE */
	char *text;        /* UI_INSERT / UI_PASTE: malloc'd, the caller frees */
};

/* Reads what the terminal has (never blocks); false when nothing is left.
 * Call until false whenever the terminal fd is readable. */
bool ui_read(struct ui_intent *out);

/* Rings the terminal bell. */
void ui_bell(void);

#endif
