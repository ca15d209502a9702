/*
 * keys: what the user's intents do. A paste waiting for its y/n, the
 * notification centre and the document pane take keys first when they
 * are open or have the keys; the rest edits the input line, sends it
 * (Enter), browses its history (Up/Down), completes (Tab), scrolls and
 * switches rooms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "model/xmalloc.h"

static const char *
current_name(struct client *c)
{
	struct room *r = chat_current(c->chat);
	return r ? r->name : "";
}

static void
submit(struct client *c)
{
	char *line = xstrdup(c->input.edit.buf);
	edit_clear(&c->input.edit);
	if (*line == '\0') {
		free(line);
		return;
	}
	inputline_remember(&c->input, current_name(c), line);
	c->scroll = 0;
	if (client_msgact_submit(c, line)) {
		/* an edit of a message: sent as EDIT */
	} else if (line[0] != '/' && doccomments_thread_open(&c->docs)) {
		doccomments_reply(&c->docs, line); /* typed under a comment's thread */
	} else if (line[0] == '/' && line[1] != '/') {
		client_command(c, line);
	} else {
		struct room *r = chat_current(c->chat);
		if (r == NULL)
			client_note(c, true, "no room open: /join ROOM first");
		else
			client_say(c, r->name, line[0] == '/' ? line + 1 : line);
	}
	client_stop_typing(c);
	free(line);
}

/* The list of candidates, when there are several, as a note. */
static void
list_candidates(struct client *c, const char *const *match, size_t n,
    const char *prefix)
{
	if (n < 2)
		return;
	size_t cap = 0;
	for (size_t i = 0; i < n; i++)
		cap += strlen(prefix) + strlen(match[i]) + 1;
	char *list = xcalloc(1, cap + 1);
	for (size_t i = 0; i < n; i++) {
		strcat(list, prefix);
		strcat(list, match[i]);
		if (i + 1 < n)
			strcat(list, " ");
	}
	client_note(c, false, "%s", list);
	free(list);
}

#define MAX_CANDIDATES 64

/* Tab: commands at the start of the line, else nicks (an '@' alone
 * offers every one); a second Tab goes to the next candidate. */
static void
complete(struct client *c)
{
	if (inputline_cycling(&c->input)) {
		inputline_cycle(&c->input);
		return;
	}
	char word[128];
	size_t start = edit_word_before(&c->input.edit, word, sizeof word);
	const char *match[MAX_CANDIDATES];
	size_t n;
	if (start == 0 && word[0] == '/') {
		n = client_complete_command(word + 1, match, MAX_CANDIDATES);
		if (inputline_complete(&c->input, start, match, n, "/", " "))
			list_candidates(c, match, n, "/");
		return;
	}
	bool at = word[0] == '@';
	const char *prefix = at ? word + 1 : word;
	if (*prefix == '\0' && !at)
		return;
	n = chat_complete_nick(c->chat, chat_current(c->chat), prefix, match,
	    MAX_CANDIDATES);
	if (inputline_complete(&c->input, start, match, n, at ? "@" : "",
	    start == 0 && !at ? ": " : " "))
		list_candidates(c, match, n, at ? "@" : "");
}

static void
paste(struct client *c, struct ui_intent *in)
{
	if (strchr(in->text, '\n') == NULL) {
		edit_insert(&c->input.edit, in->text, strlen(in->text));
		return;
	}
	size_t lines = 1;
	for (const char *p = in->text; *p; p++)
		lines += *p == '\n';
	free(c->input.paste);
	c->input.paste = in->text;
	in->text = NULL;
	snprintf(c->prompt, sizeof c->prompt,
	    "send %zu pasted lines as one message? (y/n)", lines);
}

/* While a question about the server's certificate waits, y or n answer
 * it; other keys wait. */
static bool
answer_trust(struct client *c, struct ui_intent *in)
{
	if (c->trust_fp == NULL)
		return false;
	if (in->kind == UI_QUIT) {
		c->quit = true;
		return true;
	}
	if (in->kind == UI_INSERT && strchr("yYnN", in->text[0]) != NULL &&
	    in->text[0] != '\0')
		client_answer_trust(c, in->text[0] == 'y' || in->text[0] == 'Y');
	return true;
}

/* While a paste waits for its answer, keys answer it. */
static bool
answer_paste(struct client *c, struct ui_intent *in)
{
	if (c->input.paste == NULL)
		return false;
	if (in->kind == UI_INSERT && (in->text[0] == 'y' || in->text[0] == 'Y')) {
		struct room *r = chat_current(c->chat);
		if (r != NULL)
			client_say(c, r->name, c->input.paste);
		else
			client_note(c, true, "no room open: /join ROOM first");
	} else if (in->kind != UI_INSERT && in->kind != UI_SUBMIT &&
	    in->kind != UI_QUIT) {
		return true; /* other keys wait */
	} else if (in->kind == UI_QUIT) {
		c->quit = true;
	} else {
		client_note(c, false, "paste not sent");
	}
	free(c->input.paste);
	c->input.paste = NULL;
	c->prompt[0] = '\0';
	return true;
}

static void
scroll_by(struct client *c, int lines)
{
	c->scroll += lines;
	if (c->scroll < 0)
		c->scroll = 0;
}

/* Keys that reach the input line and the message pane. */
static void
line_key(struct client *c, struct ui_intent *in)
{
	size_t nrooms = c->chat->nrooms, cur = c->chat->current;
	switch (in->kind) {
	case UI_INSERT:
		edit_insert(&c->input.edit, in->text, strlen(in->text));
		client_input_changed(c);
		break;
	case UI_EDIT:
		edit_apply(&c->input.edit, (enum edit_op)in->op);
		if (in->op == EDIT_END)
			c->scroll = 0; /* End also goes back to the newest line */
		client_input_changed(c);
		break;
	case UI_SUBMIT: submit(c); break;
	case UI_PASTE: paste(c, in); break;
	case UI_COMPLETE: complete(c); break;
	case UI_HISTORY_PREV: inputline_browse(&c->input, current_name(c), -1); break;
	case UI_HISTORY_NEXT: inputline_browse(&c->input, current_name(c), 1); break;
	case UI_SCROLL: scroll_by(c, in->n); break;
	case UI_SCROLL_PAGE:
		scroll_by(c, in->n * (c->page > 3 ? c->page - 2 : 1));
		break;
	case UI_ROOM_NEXT:
		if (nrooms)
			client_switch(c, (cur + 1) % nrooms);
		break;
	case UI_ROOM_PREV:
		if (nrooms)
			client_switch(c, (cur + nrooms - 1) % nrooms);
		break;
	case UI_ROOM:
		if (in->n >= 0 && (size_t)in->n < nrooms)
			client_switch(c, (size_t)in->n);
		break;
	case UI_NEWLINE:
		edit_insert(&c->input.edit, "\n", 1);
		client_input_changed(c);
		break;
	case UI_BOTTOM: c->scroll = 0; break;
	case UI_NEXT_ACTIVE: client_next_active(c); break;
	case UI_HELP: client_command(c, "/help"); break;
	case UI_SEARCH:
		/* the line becomes the command, for the text to search */
		edit_set(&c->input.edit, "/find ");
		break;
	case UI_TOGGLE_PANES: c->side_panes = !c->side_panes; break;
	case UI_DOC_FOCUS: docs_toggle_focus(&c->docs); break;
	case UI_DOC_LAYOUT: docs_toggle_layout(&c->docs); break;
	case UI_DOC_PREV: docset_step(&c->docset, -1); break;
	case UI_DOC_NEXT: docset_step(&c->docset, 1); break;
	case UI_CENTRE: centre_toggle(&c->centre); break;
	case UI_ESCAPE:
		if (c->docs.ro)
			docs_live(&c->docs);
		else
			centre_unmark(&c->centre);
		break;
	case UI_QUIT: c->quit = true; break;
	default: break;
	}
}

/* While a search is on: n and N move, Ctrl-R goes further back, Esc and
 * Enter end it where it stands; the scroll keys scroll; anything else
 * ends it and does what it does. */
static bool
search_key(struct client *c, struct ui_intent *in)
{
	struct search *s = &c->search;
	if (!s->active)
		return false;
	switch (in->kind) {
	case UI_INSERT:
		if (strcmp(in->text, "n") == 0 || strcmp(in->text, "N") == 0) {
			search_move(s, in->text[0] == 'n' ? -1 : 1);
			return true;
		}
		break;
	case UI_SEARCH: search_move(s, -1); return true;
	case UI_ESCAPE: case UI_SUBMIT: search_stop(s); return true;
	case UI_SCROLL: case UI_SCROLL_PAGE: case UI_FOCUS: case UI_REDRAW:
		return false;
	default: break;
	}
	search_stop(s);
	return false;
}

/* The document pane's keys where it does not have them: Shift-Up and
 * Shift-Down scroll the messages a line, Ctrl-F is the line's Right. */
static void
outside_doc(struct client *c, struct ui_intent *in)
{
	if (c->docs.name != NULL && c->docs.focused)
		return;
	if (in->kind == UI_SELECT && (in->n == DL_UP || in->n == DL_DOWN)) {
		in->kind = UI_SCROLL;
		in->n = in->n == DL_UP ? 1 : -1;
	} else if (in->kind == UI_FIND) {
		in->kind = UI_EDIT;
		in->op = EDIT_RIGHT;
	}
}

void
client_key(struct client *c, struct ui_intent *in)
{
	port_redraw(&c->port);
	if (in->kind == UI_FOCUS) {
		c->focused = in->n != 0;
		return;
	}
	if (in->kind == UI_REDRAW)
		return;
	c->last_input = port_now(&c->port);
	if (c->auto_away) {
		c->auto_away = false;
		client_set_presence(c, PS_ONLINE, NULL);
	}
	if (in->kind != UI_COMPLETE)
		inputline_end_cycle(&c->input);
	outside_doc(c, in);
	if (signin_key(&c->signin, in) || answer_trust(c, in) ||
	    answer_paste(c, in) || search_key(c, in) ||
	    centre_key(&c->centre, in) || client_finder_key(c, in) ||
	    doccomments_key(&c->docs, in) || docs_key(&c->docs, in) ||
	    client_msgact_key(c, in))
		return;
	line_key(c, in);
}
