/*
 * docfind: find in the document pane, go to a line, line numbers (see
 * docedit.h).
 *
 * Ctrl-F asks for the text over the input line; its matches are
 * highlighted as it is typed, Enter goes to the first at or after the
 * cursor, and then n / N go to the next / previous one, round the end of
 * the document, the pane's title saying "match 3 of 12". Any other key
 * ends the stepping and does what it does; the highlights stay until Esc.
 * Ctrl-F again with nothing typed takes the last text. Smart case
 * (model/findtext): a capital in the text makes it match exactly.
 *
 * What a key costs on a large document (1 MB), bounded so:
 *   - highlighting looks only through the lines that can show (from the
 *     view's top, as many lines as the pane has rows, plus one), at most
 *     DOCS_FIND_SHOWN matches: each frame costs the screen, not the text;
 *   - a letter typed in the prompt compiles the query and redraws, nothing
 *     more (the matches on screen are those of the frame);
 *   - Enter, n and N look from the cursor to the next match (one scan at
 *     worst, round the end) and count the matches for "3 of 12" in one
 *     pass, at most DOCS_FIND_COUNT of them: a key, not a keystroke of
 *     the query, pays for one pass over the text (about 2 ms a megabyte).
 *
 * The current match is the one that starts at the cursor: the cursor
 * moves with everyone's edits, so the mark stays on its text.
 *
 * Ctrl-G asks for a line number (as /doc goto N does) and puts the cursor
 * at that logical line's start. /doc numbers on|off draws the numbers of
 * the logical lines in a margin (ui_doc.numbers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/docedit.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

/* The layout and the view shown: an old revision's or the live text's. */
static struct doclayout *
shown(struct docs *d, struct dl_view **v)
{
	if (d->ro) {
		*v = &d->ro_view;
		return d->ro_loaded ? &d->ro_lay : NULL;
	}
	*v = &d->view;
	return d->ot ? &d->lay : NULL;
}

/* The code point at byte b (a character boundary) of l's text. */
static size_t
cp_of_byte(const struct doclayout *l, size_t b)
{
	size_t lo = 0, hi = l->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->lines[mid].byte <= b)
			lo = mid;
		else
			hi = mid;
	}
	const struct dl_line *ln = &l->lines[lo];
	return ln->cp + utf8_count(l->text + ln->byte, b - ln->byte);
}

static void
put_cursor(struct docs *d, size_t cp)
{
	if (d->ro) {
		d->ro_view.cursor = cp;
		d->ro_view.goal = -1;
	} else {
		otclient_set_selection(d->ot, (struct ot_selection){ cp, cp });
		d->view.cursor = otclient_selection(d->ot).head;
		d->view.goal = -1;
		otclient_undo_boundary(d->ot);
		docs_cursor_moved(d);
	}
	port_redraw(d->port);
}

/* ---- the prompt ---------------------------------------------------------- */

static void
prompt_update(struct docs *d)
{
	struct docs_edit *e = d->edit;
	if (e->prompt == DP_FIND)
		snprintf(e->prompt_text, sizeof e->prompt_text,
		    "find (Enter goes to it, Esc cancels): %s", e->entry);
	else
		snprintf(e->prompt_text, sizeof e->prompt_text,
		    "go to line (Enter, Esc cancels): %s", e->entry);
	port_redraw(d->port);
}

/* Matches of what the find prompt holds, highlighted while it is typed. */
static void
set_query(struct docs *d, const char *text)
{
	struct docs_edit *e = d->edit;
	findq_free(&e->q);
	e->highlight = findq_init(&e->q, text);
}

static void
prompt_open(struct docs *d, enum docs_prompt p)
{
	struct docs_edit *e = d->edit;
	e->prompt = p;
	e->entry[0] = '\0';
	e->stepping = false;
	e->info[0] = '\0';
	prompt_update(d);
}

static void
prompt_close(struct docs *d)
{
	d->edit->prompt = DP_NONE;
	port_redraw(d->port);
}

/* Appends text's first line (for a line number, its digits only). */
static void
entry_add(struct docs_edit *e, const char *text)
{
	size_t n = strlen(e->entry);
	for (const char *p = text; *p && *p != '\n'; ) {
		uint32_t c;
		size_t k = utf8_decode(p, strlen(p), &c);
		if (k == 0)
			break;
		bool ok = e->prompt == DP_FIND ? c >= 0x20 : c >= '0' && c <= '9';
		if (n + k >= sizeof e->entry)
			break;
		if (ok) {
			memcpy(e->entry + n, p, k);
			n += k;
		}
		p += k;
	}
	e->entry[n] = '\0';
}

static void
entry_backspace(struct docs_edit *e)
{
	size_t n = strlen(e->entry);
	while (n > 0 && ((unsigned char)e->entry[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	e->entry[n] = '\0';
}

/* ---- going to a match ---------------------------------------------------- */

/* "match 3 of 12": one pass, at most DOCS_FIND_COUNT matches. */
static void
count_matches(struct docs *d, const struct doclayout *l, size_t at,
    const char *wrapped)
{
	struct docs_edit *e = d->edit;
	size_t total = 0, index = 0;
	struct find_match m;
	size_t from = 0;
	while (total < DOCS_FIND_COUNT && find_next(&e->q, l->text, l->len, from,
	    &m)) {
		total++;
		if (m.start == at)
			index = total;
		from = m.start + 1;
	}
	bool more = total == DOCS_FIND_COUNT;
	if (index == 0)
		snprintf(e->info, sizeof e->info, "%zu%s matches%s \xc2\xb7 n N",
		    total, more ? "+" : "", wrapped);
	else
		snprintf(e->info, sizeof e->info, "match %zu of %zu%s%s \xc2\xb7 n next "
		    "\xc2\xb7 N previous \xc2\xb7 Esc", index, total, more ? "+" : "",
		    wrapped);
}

/* To the next match (dir > 0; at the cursor itself when here), or the
 * previous one, round the end. */
static void
go(struct docs *d, int dir, bool here)
{
	struct docs_edit *e = d->edit;
	struct dl_view *v;
	struct doclayout *l = shown(d, &v);
	if (l == NULL || e->q.n == 0)
		return;
	size_t at = dl_byte_of(l, v->cursor);
	struct find_match m;
	bool found, wrapped = false;
	if (dir > 0) {
		found = find_next(&e->q, l->text, l->len, here ? at : at + 1, &m);
		if (!found)
			found = wrapped = find_next(&e->q, l->text, l->len, 0, &m);
	} else {
		found = find_prev(&e->q, l->text, l->len, at, &m);
		if (!found)
			found = wrapped = find_prev(&e->q, l->text, l->len, l->len, &m);
	}
	e->highlight = true;
	e->stepping = true;
	if (!found) {
		snprintf(e->info, sizeof e->info, "no match for \"%.60s\" \xc2\xb7 Esc",
		    e->query);
		port_redraw(d->port);
		return;
	}
	put_cursor(d, cp_of_byte(l, m.start));
	count_matches(d, l, m.start, wrapped ? (dir > 0 ? ", from the top" :
	    ", from the end") : "");
}

static void
submit(struct docs *d)
{
	struct docs_edit *e = d->edit;
	enum docs_prompt p = e->prompt;
	prompt_close(d);
	if (p == DP_GOTO) {
		if (e->entry[0] != '\0')
			docs_goto_line(d, atoll(e->entry));
		return;
	}
	if (e->entry[0] == '\0' && e->query == NULL) {
		e->highlight = false;
		return;
	}
	if (e->entry[0] != '\0') {
		free(e->query);
		e->query = xstrdup(e->entry);
	}
	set_query(d, e->query);
	go(d, 1, true);
}

static bool
prompt_key(struct docs *d, struct ui_intent *in)
{
	struct docs_edit *e = d->edit;
	bool find = e->prompt == DP_FIND;
	switch (in->kind) {
	case UI_INSERT:
	case UI_PASTE:
		entry_add(e, in->text);
		break;
	case UI_EDIT:
		if (in->op == EDIT_BACKSPACE)
			entry_backspace(e);
		else if (in->op == EDIT_KILL_TO_START || in->op == EDIT_KILL_WORD_BACK)
			e->entry[0] = '\0';
		else
			return true;   /* the prompt has no cursor to move */
		break;
	case UI_FIND:
		if (find && e->entry[0] == '\0' && e->query != NULL)
			snprintf(e->entry, sizeof e->entry, "%s", e->query);
		break;
	case UI_SUBMIT:
		submit(d);
		return true;
	case UI_ESCAPE:
		prompt_close(d);
		if (find)
			e->highlight = false;
		return true;
	default:
		/* Another key ends the question and does what it does. */
		prompt_close(d);
		if (find && e->query != NULL)
			set_query(d, e->query);
		else if (find)
			e->highlight = false;
		return false;
	}
	if (find)
		set_query(d, e->entry);
	prompt_update(d);
	return true;
}

bool
docs_find_key(struct docs *d, struct ui_intent *in)
{
	struct docs_edit *e = docs_edit(d);
	if (e->prompt != DP_NONE)
		return prompt_key(d, in);
	if (in->kind == UI_FIND || in->kind == UI_GOTO) {
		prompt_open(d, in->kind == UI_FIND ? DP_FIND : DP_GOTO);
		return true;
	}
	bool stepping = e->stepping;
	e->stepping = false;
	/* n and N pressed fast may come as one run of typed text. */
	if (stepping && in->kind == UI_INSERT && in->text[0] != '\0' &&
	    strspn(in->text, "nN") == strlen(in->text)) {
		for (const char *p = in->text; *p; p++)
			go(d, *p == 'n' ? 1 : -1, false);
		return true;
	}
	e->info[0] = '\0';
	if (in->kind == UI_ESCAPE && e->highlight) {
		e->highlight = false;
		port_redraw(d->port);
		return true;
	}
	return false;
}

/* ---- highlights ---------------------------------------------------------- */

void
docs_find_spans(struct docs *d, const struct doclayout *lay,
    const struct dl_view *view)
{
	struct docs_edit *e = d->edit;
	if (e->q.n == 0 || lay->nlines == 0)
		return;
	size_t top = view->top_line < lay->nlines ? view->top_line : lay->nlines - 1;
	/* The pane may move its top to show the cursor: from a little before
	 * the cursor's line then, too. */
	size_t cl = dl_line_of(lay, view->cursor);
	size_t rows = d->rows > 0 ? (size_t)d->rows : 50;
	if (cl < top || cl > top + rows)
		top = cl > rows ? cl - rows : 0;
	size_t last = top + 2 * rows + 1;
	size_t lo = lay->lines[top].byte;
	size_t hi = last < lay->nlines ? lay->lines[last].byte : lay->len;
	size_t n = find_all(&e->q, lay->text, lay->len, lo, hi, e->found,
	    DOCS_FIND_SHOWN);
	/* Bytes to code points in one walk through the window. */
	size_t b = lo, cp = lay->lines[top].cp;
	for (size_t i = 0; i < n; i++) {
		cp += utf8_count(lay->text + b, e->found[i].start - b);
		b = e->found[i].start;
		size_t end = cp + utf8_count(lay->text + b, e->found[i].end - b);
		docs_span_add(e, cp, end, cp == view->cursor ? UI_SPAN_MATCH_CURRENT :
		    UI_SPAN_MATCH);
	}
}

/* ---- lines --------------------------------------------------------------- */

void
docs_goto_line(struct docs *d, long long line)
{
	struct dl_view *v;
	struct doclayout *l = shown(d, &v);
	if (l == NULL) {
		port_note(d->port, true, "go to line: the document is not loaded yet");
		return;
	}
	if (line < 1)
		line = 1;
	if ((size_t)line > l->nlines) {
		port_note(d->port, false, "%s has %zu lines: going to the last", d->name,
		    l->nlines);
		line = (long long)l->nlines;
	}
	d->focused = true;
	put_cursor(d, l->lines[line - 1].cp);
}

void
docs_set_numbers(struct docs *d, bool on)
{
	docs_edit(d)->numbers = on;
	port_redraw(d->port);
}
