/*
 * docedit: the document pane's editing beyond typing, in the files
 * around docedit.c (which turns keys into motion and edits):
 *
 *   docselect.c  the selection (Shift with the motion keys, a mouse drag),
 *                what replaces or deletes it, the clipboard (Ctrl-W cut,
 *                Alt-W copy: OSC 52 through the port, and the kill ring),
 *                kills and yanks (Ctrl-K, Ctrl-U, Ctrl-Y, Alt-Y), and the
 *                decorations the pane draws (ui_doc.spans)
 *   docfind.c    find (Ctrl-F, then n / N), go to line (Ctrl-G, /doc
 *                goto N), line numbers (/doc numbers on|off)
 *   docfile.c    /doc save FILE, /doc load FILE
 *
 * My selection is the OT client's (anchor, head): it moves through every
 * operation as my cursor does, and CURSOR sends it, so the others see it.
 * The kill ring, the last find and the numbers setting outlive a document
 * and follow the shown one from tab to tab (docset.c moves the struct);
 * find's highlights and a prompt end with their document
 * (docs_edit_forget).
 */
#ifndef CONFAB_CLIENT_DOCEDIT_H
#define CONFAB_CLIENT_DOCEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "client/docs.h"
#include "model/findtext.h"
#include "model/killring.h"

#define DOCS_FIND_SHOWN 2000    /* matches highlighted per frame, at most */
#define DOCS_FIND_COUNT 100000  /* matches counted for "3 of 12", at most */

/* What the previous key was, for joining kills and for Alt-Y. */
enum docs_last { DE_OTHER, DE_KILL, DE_YANK };

enum docs_prompt { DP_NONE, DP_FIND, DP_GOTO };

struct docs_edit {
	struct killring ring;
	enum docs_last last, prev;   /* this key's kind, the one before's */
	size_t yank_from, yank_to;   /* code points the last yank inserted */
	bool dragging;               /* the mouse's first button is down */
	bool ro_sel;                 /* an old revision's selection, from */
	size_t ro_anchor;            /* ro_anchor to ro_view.cursor */

	enum docs_prompt prompt;     /* a question over the input line */
	char entry[256];             /* what is typed there */
	char prompt_text[320];

	char *query;                 /* the last find, NULL none */
	struct findq q;
	bool highlight;              /* its matches drawn, until Esc */
	bool stepping;               /* n / N go to the next / previous */
	char info[96];               /* "match 3 of 12 ...", the pane's title */

	bool numbers;
	struct ui_doc_span *spans;
	size_t nspans, cap;
	struct find_match *found;    /* DOCS_FIND_SHOWN, scratch */
};

/* docselect.c */
struct docs_edit *docs_edit(struct docs *d);   /* made on first use */
void docs_edit_forget(struct docs *d);         /* the document closes */
void docs_edit_free(struct docs *d);
/* A key for the pane, before docedit.c's own (the mouse also while the
 * pane does not have the keys); true when it took it. */
bool docs_edit_key(struct docs *d, struct ui_intent *in);
/* My selection in the live text, ordered; false when it is empty. */
bool docs_selection(struct docs *d, size_t *from, size_t *to);
/* The decorations, numbers and title info for the pane. */
void docs_edit_view(struct docs *d, struct ui_doc *u);
/* The question over the input line, or NULL. */
const char *docs_edit_prompt(struct docs *d);

/* docedit.c: replaces code points [from, to) of the live text by text as
 * one edit; false (told) when it was not made. */
bool docs_replace(struct docs *d, size_t from, size_t to, const char *text);
bool docs_editable(struct docs *d);

/* docfind.c */
bool docs_find_key(struct docs *d, struct ui_intent *in);
void docs_find_spans(struct docs *d, const struct doclayout *lay,
    const struct dl_view *v);
void docs_goto_line(struct docs *d, long long line);
void docs_set_numbers(struct docs *d, bool on);

/* docfile.c */
void docs_save_file(struct docs *d, const char *path);
void docs_load_file(struct docs *d, const char *path);

/* The spans' list, for the files that fill it. */
void docs_span_add(struct docs_edit *e, size_t start, size_t end,
    enum ui_span_kind kind);

#endif
