/* inputline: the input line, its history and completion (inputline.h). */
#include "client/inputline.h"

#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

void
inputline_init(struct inputline *l)
{
	memset(l, 0, sizeof *l);
	edit_init(&l->edit);
}

static void
free_cands(struct inputline *l)
{
	for (size_t i = 0; i < l->ncands; i++)
		free(l->cands[i]);
	free(l->cands);
	free(l->typed);
	free(l->shown);
	l->cands = NULL;
	l->typed = l->shown = NULL;
	l->ncands = l->cand = 0;
}

void
inputline_free(struct inputline *l)
{
	for (size_t i = 0; i < l->nhist; i++) {
		for (size_t k = 0; k < l->hist[i].n; k++)
			free(l->hist[i].lines[k]);
		free(l->hist[i].lines);
		free(l->hist[i].room);
	}
	free(l->hist);
	free(l->paste);
	free_cands(l);
	edit_free(&l->edit);
}

/* ---- history ------------------------------------------------------------- */

static struct input_history *
history_of(struct inputline *l, const char *room)
{
	for (size_t i = 0; i < l->nhist; i++)
		if (strcmp(l->hist[i].room, room) == 0)
			return &l->hist[i];
	xgrow(&l->hist, &l->caphist, l->nhist + 1, sizeof *l->hist);
	struct input_history *h = &l->hist[l->nhist++];
	memset(h, 0, sizeof *h);
	h->room = xstrdup(room);
	return h;
}

void
inputline_remember(struct inputline *l, const char *room, const char *line)
{
	struct input_history *h = history_of(l, room);
	xgrow(&h->lines, &h->cap, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = xstrdup(line);
	h->pos = h->n;
}

void
inputline_browse(struct inputline *l, const char *room, int dir)
{
	struct input_history *h = history_of(l, room);
	if (h->n == 0)
		return;
	if (dir < 0 && h->pos > 0)
		h->pos--;
	else if (dir > 0 && h->pos < h->n)
		h->pos++;
	edit_set(&l->edit, h->pos < h->n ? h->lines[h->pos] : "");
}

/* ---- completion ---------------------------------------------------------- */

bool
inputline_cycling(const struct inputline *l)
{
	return l->ncands > 0 && l->shown != NULL &&
	    strcmp(l->shown, l->edit.buf) == 0;
}

static void
show(struct inputline *l)
{
	const char *word = l->cand < l->ncands ? l->cands[l->cand] : l->typed;
	edit_replace_before(&l->edit, l->cstart, word);
	free(l->shown);
	l->shown = xstrdup(l->edit.buf);
}

bool
inputline_complete(struct inputline *l, size_t start,
    const char *const *cands, size_t n, const char *prefix, const char *suffix)
{
	free_cands(l);
	if (n == 0)
		return false;
	char word[512];
	edit_word_before(&l->edit, word, sizeof word);
	l->typed = xstrdup(word);
	l->cands = xcalloc(n, sizeof *l->cands);
	for (size_t i = 0; i < n; i++)
		l->cands[i] = xasprintf("%s%s%s", prefix, cands[i], suffix);
	l->ncands = n;
	l->cand = 0;
	l->cstart = start;
	show(l);
	return true;
}

void
inputline_cycle(struct inputline *l)
{
	if (!inputline_cycling(l))
		return;
	l->cand = (l->cand + 1) % (l->ncands + (l->ncands > 1 ? 1 : 0));
	show(l);
}

void
inputline_end_cycle(struct inputline *l)
{
	free_cands(l);
}
