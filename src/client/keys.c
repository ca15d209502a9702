/*
 * keys: what the user's intents do. Editing goes to the line editor,
 * Enter sends a message or runs a command, Up/Down browse the room's input
 * history, Tab completes commands and nicks, a multi-line paste waits for
 * a yes before it is sent as one message.
 */
#include <stdlib.h>
#include <string.h>

#include "client/app.h"

static struct input_history *
history_of(struct app *a, const char *room)
{
	for (size_t i = 0; i < a->nhist; i++)
		if (strcmp(a->hist[i].room, room) == 0)
			return &a->hist[i];
	struct input_history *g = realloc(a->hist, (a->nhist + 1) * sizeof *g);
	if (g == NULL)
		return NULL;
	a->hist = g;
	struct input_history *h = &a->hist[a->nhist++];
	memset(h, 0, sizeof *h);
	h->room = strdup(room);
	return h;
}

static void
history_add(struct app *a, const char *line)
{
	struct room *r = chat_current(a->chat);
	struct input_history *h = history_of(a, r ? r->name : "");
	if (h == NULL)
		return;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		char **g = realloc(h->lines, cap * sizeof *g);
		if (g == NULL)
			return;
		h->lines = g;
		h->cap = cap;
	}
	h->lines[h->n++] = strdup(line);
	h->pos = h->n;
}

static void
history_move(struct app *a, int dir)
{
	struct room *r = chat_current(a->chat);
	struct input_history *h = history_of(a, r ? r->name : "");
	if (h == NULL || h->n == 0)
		return;
	if (dir < 0 && h->pos > 0)
		h->pos--;
	else if (dir > 0 && h->pos < h->n)
		h->pos++;
	edit_set(&a->input, h->pos < h->n ? h->lines[h->pos] : "");
}

static void
submit(struct app *a)
{
	char *line = strdup(a->input.buf);
	if (line == NULL)
		return;
	edit_clear(&a->input);
	if (*line == '\0') {
		free(line);
		return;
	}
	history_add(a, line);
	a->scroll = 0;
	if (line[0] == '/' && line[1] != '/') {
		commands_run(a, line);
	} else {
		struct room *r = chat_current(a->chat);
		if (r == NULL)
			app_note(a, true, "no room open: /join ROOM first");
		else
			app_say(a, r->name, line[0] == '/' ? line + 1 : line);
	}
	app_stop_typing(a);
	free(line);
}

static void
complete(struct app *a)
{
	char word[128];
	size_t start = edit_word_before(&a->input, word, sizeof word);
	const char *match[16];
	size_t n;
	if (start == 0 && word[0] == '/') {
		n = commands_complete(word + 1, match, 16);
		if (n == 0)
			return;
		char repl[160];
		snprintf(repl, sizeof repl, "/%s ", match[0]);
		edit_replace_before(&a->input, start, repl);
	} else {
		const char *prefix = word[0] == '@' ? word + 1 : word;
		if (*prefix == '\0')
			return;
		n = chat_complete_nick(a->chat, chat_current(a->chat), prefix, match, 16);
		if (n == 0)
			return;
		char repl[160];
		snprintf(repl, sizeof repl, "%s%s%s", word[0] == '@' ? "@" : "",
		    match[0], start == 0 && word[0] != '@' ? ": " : " ");
		edit_replace_before(&a->input, start, repl);
	}
	if (n > 1) {
		char list[512] = "";
		for (size_t i = 0; i < n; i++) {
			strncat(list, match[i], sizeof list - strlen(list) - 2);
			strncat(list, " ", sizeof list - strlen(list) - 1);
		}
		app_note(a, false, "%s", list);
	}
}

/* Typing is announced at most every 3 s, and withdrawn when the line
 * empties or is sent. */
static void
typing_changed(struct app *a)
{
	struct room *r = chat_current(a->chat);
	if (a->input.len == 0 || a->input.buf[0] == '/' || r == NULL) {
		app_stop_typing(a);
		return;
	}
	int64_t now = app_mono_ms();
	if (a->typing_sent && now - a->typing_sent < 3000 &&
	    a->typing_room && strcmp(a->typing_room, r->name) == 0)
		return;
	char *f = chat_typing_frame(r->name, true);
	if (f != NULL && app_send(a, f)) {
		a->typing_sent = now;
		free(a->typing_room);
		a->typing_room = strdup(r->name);
	}
	free(f);
}

static void
paste(struct app *a, struct ui_intent *in)
{
	if (strchr(in->text, '\n') == NULL) {
		edit_insert(&a->input, in->text, strlen(in->text));
		return;
	}
	size_t lines = 1;
	for (const char *p = in->text; *p; p++)
		lines += *p == '\n';
	free(a->paste);
	a->paste = in->text;
	in->text = NULL;
	snprintf(a->prompt, sizeof a->prompt,
	    "send %zu pasted lines as one message? (y/n)", lines);
}

/* While a paste waits for its answer, keys answer it. */
static bool
answer_paste(struct app *a, struct ui_intent *in)
{
	if (a->paste == NULL)
		return false;
	if (in->kind == UI_INSERT && (in->text[0] == 'y' || in->text[0] == 'Y')) {
		struct room *r = chat_current(a->chat);
		if (r != NULL)
			app_say(a, r->name, a->paste);
		else
			app_note(a, true, "no room open: /join ROOM first");
	} else if (in->kind != UI_INSERT && in->kind != UI_SUBMIT &&
	    in->kind != UI_QUIT) {
		return true; /* other keys wait */
	} else if (in->kind == UI_QUIT) {
		a->quit = true;
	} else {
		app_note(a, false, "paste not sent");
	}
	free(a->paste);
	a->paste = NULL;
	a->prompt[0] = '\0';
	return true;
}

static void
switch_room(struct app *a, size_t i)
{
	app_stop_typing(a);
	chat_switch(a->chat, i);
	a->scroll = 0;
}

void
keys_handle(struct app *a, struct ui_intent *in)
{
	a->dirty = true;
	if (in->kind != UI_FOCUS && in->kind != UI_REDRAW) {
		a->last_input = app_mono_ms();
		if (a->auto_away) {
			a->auto_away = false;
			app_set_presence(a, PS_ONLINE, NULL);
		}
	}
	if (answer_paste(a, in) || centre_key(a, in) || docs_key(a, in))
		return;
	size_t nrooms = a->chat->nrooms, cur = a->chat->current;
	switch (in->kind) {
	case UI_FOCUS:
		a->focused = in->n != 0;
		break;
	case UI_INSERT:
		edit_insert(&a->input, in->text, strlen(in->text));
		typing_changed(a);
		break;
	case UI_EDIT:
		edit_apply(&a->input, (enum edit_op)in->op);
		typing_changed(a);
		break;
	case UI_SUBMIT: submit(a); break;
	case UI_PASTE: paste(a, in); break;
	case UI_COMPLETE: complete(a); break;
	case UI_HISTORY_PREV: history_move(a, -1); break;
	case UI_HISTORY_NEXT: history_move(a, 1); break;
	case UI_SCROLL:
		a->scroll += in->n;
		if (a->scroll < 0)
			a->scroll = 0;
		break;
	case UI_SCROLL_PAGE:
		a->scroll += in->n * (a->page > 3 ? a->page - 2 : 1);
		if (a->scroll < 0)
			a->scroll = 0;
		break;
	case UI_ROOM_NEXT:
		if (nrooms)
			switch_room(a, (cur + 1) % nrooms);
		break;
	case UI_ROOM_PREV:
		if (nrooms)
			switch_room(a, (cur + nrooms - 1) % nrooms);
		break;
	case UI_ROOM:
		if (in->n >= 0 && (size_t)in->n < nrooms)
			switch_room(a, (size_t)in->n);
		break;
	case UI_TOGGLE_PANES: a->side_panes = !a->side_panes; break;
	case UI_DOC_FOCUS: docs_toggle_focus(a); break;
	case UI_DOC_LAYOUT: docs_toggle_layout(a); break;
	case UI_CENTRE: centre_toggle(a); break;
	case UI_ESCAPE:
		if (a->docs.ro)
			docs_live(a);
		else
			centre_unmark(a);
		break;
	case UI_QUIT: a->quit = true; break;
	default: break;
	}
}
