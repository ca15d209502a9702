/*
 * picker: the emoji picker (see picker.h).
 */
#include "client/picker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/fileio.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

#define EMOJI_TEST_MAX (4 * 1024 * 1024)
#define RECENT_FILE_MAX 4096
#define KEYS "type to search \xc2\xb7 \xe2\x86\x91\xe2\x86\x93 move \xc2\xb7 " \
	"Enter react \xc2\xb7 Esc close"

static void
load_recent(struct picker *p)
{
	if (p->path == NULL)
		return;
	char err[256];
	size_t len;
	char *text = file_read(p->path, RECENT_FILE_MAX, &len, err, sizeof err);
	if (text == NULL)
		return;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save);
	    line != NULL && p->nrecent < PICKER_RECENT_MAX;
	    line = strtok_r(NULL, "\n", &save))
		if (*line && strlen(line) <= 64 && utf8_valid(line, strlen(line)))
			p->recent[p->nrecent++] = xstrdup(line);
	free(text);
}

static void
save_recent(const struct picker *p)
{
	if (p->path == NULL)
		return;
	size_t cap = 1;
	for (size_t i = 0; i < p->nrecent; i++)
		cap += strlen(p->recent[i]) + 1;
	char *text = xcalloc(1, cap);
	for (size_t i = 0; i < p->nrecent; i++) {
		strcat(text, p->recent[i]);
		strcat(text, "\n");
	}
	file_write_atomic(p->path, text, strlen(text), false);
	free(text);
}

void
picker_init(struct picker *p, const char *emoji_test, const char *state_path)
{
	memset(p, 0, sizeof *p);
	char err[256];
	size_t len;
	char *text = emoji_test ? file_read(emoji_test, EMOJI_TEST_MAX, &len, err,
	    sizeof err) : NULL;
	if (text != NULL)
		p->set = emoji_set_parse(text, len);
	free(text);
	if (p->set == NULL)
		p->set = emoji_set_builtin();
	p->path = xstrdup_or_null(state_path);
	load_recent(p);
}

void
picker_free(struct picker *p)
{
	emoji_set_free(p->set);
	for (size_t i = 0; i < p->nrecent; i++)
		free(p->recent[i]);
	free(p->path);
	free(p->room);
	memset(p, 0, sizeof *p);
}

static void
refilter(struct picker *p)
{
	p->nhits = emoji_search(p->set, p->query,
	    (const char *const *)p->recent, p->nrecent, p->hits,
	    PICKER_SHOWN_MAX);
	if (p->selected >= p->nhits)
		p->selected = p->nhits ? p->nhits - 1 : 0;
}

void
picker_open(struct picker *p, const char *room, int64_t seq)
{
	free(p->room);
	p->room = xstrdup(room);
	p->seq = seq;
	p->open = true;
	p->query[0] = '\0';
	p->selected = 0;
	refilter(p);
}

void
picker_close(struct picker *p)
{
	p->open = false;
}

void
picker_used(struct picker *p, const char *chars)
{
	size_t at = p->nrecent;
	for (size_t i = 0; i < p->nrecent; i++)
		if (strcmp(p->recent[i], chars) == 0)
			at = i;
	char *keep;
	if (at < p->nrecent) {
		keep = p->recent[at];
	} else {
		keep = xstrdup(chars);
		if (p->nrecent == PICKER_RECENT_MAX)
			free(p->recent[--p->nrecent]);
		at = p->nrecent++;
	}
	memmove(&p->recent[1], &p->recent[0], at * sizeof *p->recent);
	p->recent[0] = keep;
	save_recent(p);
}

/* Drops the query's last character. */
static void
backspace(struct picker *p)
{
	size_t n = strlen(p->query);
	while (n > 0 && (p->query[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	p->query[n] = '\0';
}

enum picker_result
picker_key(struct picker *p, const struct ui_intent *in, char *chosen,
    size_t size)
{
	if (!p->open)
		return PICKER_NOT_MINE;
	switch (in->kind) {
	case UI_INSERT: {
		size_t n = strlen(p->query), add = strlen(in->text);
		if (n + add < sizeof p->query) {
			memcpy(p->query + n, in->text, add + 1);
			p->selected = 0;
			refilter(p);
		}
		return PICKER_KEPT;
	}
	case UI_EDIT:
		if (in->op == EDIT_BACKSPACE) {
			backspace(p);
			p->selected = 0;
			refilter(p);
		} else if (in->op == EDIT_KILL_TO_START) {
			p->query[0] = '\0';
			refilter(p);
		}
		return PICKER_KEPT;
	case UI_HISTORY_PREV: case UI_CURSOR:
		if (p->selected > 0)
			p->selected--;
		return PICKER_KEPT;
	case UI_HISTORY_NEXT:
		if (p->selected + 1 < p->nhits)
			p->selected++;
		return PICKER_KEPT;
	case UI_SUBMIT:
		if (p->nhits == 0)
			return PICKER_KEPT;
		snprintf(chosen, size, "%s", p->hits[p->selected]->chars);
		p->open = false;
		return PICKER_PICKED;
	case UI_ESCAPE:
		p->open = false;
		return PICKER_KEPT;
	case UI_QUIT: case UI_FOCUS: case UI_REDRAW:
		return PICKER_NOT_MINE;
	default:
		return PICKER_KEPT;
	}
}

const struct ui_list *
picker_view(struct picker *p)
{
	if (!p->open)
		return NULL;
	for (size_t i = 0; i < p->nhits; i++) {
		snprintf(p->rowtext[i], sizeof p->rowtext[i], "%s  %s",
		    p->hits[i]->chars, p->hits[i]->name);
		p->rows[i] = (struct ui_list_row){ .text = p->rowtext[i] };
	}
	snprintf(p->title, sizeof p->title, "react with %s",
	    p->nrecent > 0 && p->query[0] == '\0' ? "(recent first)" : "");
	p->list = (struct ui_list){ .title = p->title, .query = p->query,
	    .rows = p->rows, .nrows = p->nhits, .selected = p->selected,
	    .keys = KEYS, .empty = "no emoji by that name" };
	return &p->list;
}
