/*
 * doccomview: the comments of the open document on the screen (see
 * doccomments.c): a comment's thread and the list of every comment, in
 * place of the messages, their keys, and the spans and the status row of
 * the pane.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/doccomments_impl.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

/* ---- rows ------------------------------------------------------------------ */

static void
when(int64_t ts, char *buf, size_t len)
{
	time_t t = (time_t)(ts / 1000);
	struct tm tm;
	buf[0] = '\0';
	if (localtime_r(&t, &tm) != NULL)
		strftime(buf, len, "%d %b %H:%M", &tm);
}

static void
row(struct doccomments *cm, char *text)
{
	if (cm->nrows == ROWS_MAX) {
		free(text);
		return;
	}
	cm->rowtext[cm->nrows] = text;
	cm->rows[cm->nrows] = (struct ui_list_row){.text = text};
	cm->nrows++;
}

/* The quoted text a comment is on, one line, cut. */
static char *
quoted(const struct docs *d, struct anchor a)
{
	if (a.removed)
		return xstrdup("(text removed)");
	size_t len;
	char *text = doc_text(otclient_doc(d->ot), &len);
	size_t b0 = utf8_offset(text, len, a.start), b1 = utf8_offset(text, len, a.end);
	size_t n = b1 - b0 > 60 ? utf8_prefix(text + b0, b1 - b0, 57) : b1 - b0;
	char *q = xasprintf("\"%.*s%s\"", (int)n, text + b0, n < b1 - b0 ? "..." : "");
	for (char *p = q; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	free(text);
	return q;
}

/* ---- the list of them all ------------------------------------------------ */

struct order {
	struct dcomment *c;
	size_t start;
};

static int
by_place(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->c->id < y->c->id ? -1 : x->c->id > y->c->id;
}

/* The comments in the order of the text (n of them; free the array). */
static struct order *
in_order(struct docs *d, size_t *n)
{
	struct doccomments *cm = d->comments;
	struct order *o = xcalloc(cm->n + 1, sizeof *o);
	for (size_t i = 0; i < cm->n; i++)
		o[i] = (struct order){&cm->v[i], dcm_local(d, &cm->v[i]).start};
	qsort(o, cm->n, sizeof *o, by_place);
	*n = cm->n;
	return o;
}

void
doccomments_show_all(struct docs *d)
{
	if (d->name == NULL || d->ro || d->ot == NULL) {
		port_note(d->port, true, "/comments: %s", d->name == NULL ?
		    "no document open (/doc NAME opens one)" : d->ro ?
		    "Esc returns to the live text first" : "the document is still opening");
		return;
	}
	struct doccomments *cm = d->comments;
	if (cm == NULL || cm->n == 0) {
		port_note(d->port, false, "no comments in %s (/comment TEXT makes one)",
		    d->name);
		return;
	}
	if (!cm->thread && !cm->listing)
		cm->was_full = d->full;
	cm->listing = true;
	cm->thread = false;
	cm->sel = 0;
	d->full = false;
	d->focused = false;
}

static const struct ui_list *
all_list(struct docs *d, struct doccomments *cm)
{
	size_t n;
	struct order *o = in_order(d, &n);
	if (cm->sel >= n)
		cm->sel = n ? n - 1 : 0;
	for (size_t i = 0; i < n; i++) {
		struct dcomment *c = o[i].c;
		char *q = quoted(d, dcm_local(d, c));
		char replies[48] = "";
		if (c->nreplies)
			snprintf(replies, sizeof replies, " \xc2\xb7 %zu repl%s", c->nreplies,
			    c->nreplies == 1 ? "y" : "ies");
		row(cm, xasprintf("%s  %s: %s%s%s", q, c->user, c->text, replies,
		    c->resolved_by ? " \xc2\xb7 resolved" : ""));
		free(q);
	}
	free(o);
	snprintf(cm->title, sizeof cm->title, "comments on %s (%zu)", d->name, n);
	cm->list = (struct ui_list){.title = cm->title, .rows = cm->rows,
	    .nrows = cm->nrows, .selected = cm->sel,
	    .keys = "Up/Down move \xc2\xb7 Enter opens its thread \xc2\xb7 Esc closes"};
	return &cm->list;
}

/* Up, Down, Enter and Esc on the list. */
static bool
all_key(struct docs *d, struct doccomments *cm, const struct ui_intent *in)
{
	switch (in->kind) {
	case UI_HISTORY_PREV: case UI_CURSOR:
		if (cm->sel > 0)
			cm->sel--;
		return true;
	case UI_HISTORY_NEXT:
		if (cm->sel + 1 < cm->n)
			cm->sel++;
		return true;
	case UI_SUBMIT: {
		size_t n;
		struct order *o = in_order(d, &n);
		struct dcomment *c = cm->sel < n ? o[cm->sel].c : NULL;
		free(o);
		cm->listing = false;
		if (c != NULL) {
			dcm_go_to(d, c);
			cm->thread = true;
		}
		return true;
	}
	case UI_ESCAPE:
		cm->listing = false;
		d->focused = true;
		d->full = cm->was_full;
		return true;
	default:
		return false;
	}
}

/* ---- the thread, and which list shows ------------------------------------- */

const struct ui_list *
doccomments_list(struct docs *d)
{
	struct doccomments *cm = d->comments;
	if (cm == NULL || (!cm->thread && !cm->listing) || d->name == NULL ||
	    d->ot == NULL || d->ro)
		return NULL;
	dcm_rows_free(cm);
	if (cm->listing)
		return all_list(d, cm);
	struct dcomment *c = dcm_find(cm, cm->current);
	if (c == NULL) {
		cm->thread = false;
		return NULL;
	}
	char t[32];
	char *q = quoted(d, dcm_local(d, c));
	snprintf(cm->title, sizeof cm->title, "comment on %s%s", q,
	    c->resolved_by ? " \xc2\xb7 resolved" : "");
	free(q);
	when(c->ts, t, sizeof t);
	row(cm, xasprintf("%s  %s%s: %s", t, c->user, c->edited_ts ? " (edited)" : "",
	    c->text));
	for (size_t i = 0; i < c->nreplies; i++) {
		when(c->replies[i].ts, t, sizeof t);
		row(cm, xasprintf("%s  %s: %s", t, c->replies[i].user,
		    c->replies[i].text));
	}
	if (c->resolved_by != NULL)
		row(cm, xasprintf("resolved by %s", c->resolved_by));
	cm->list = (struct ui_list){.title = cm->title, .rows = cm->rows,
	    .nrows = cm->nrows, .selected = cm->nrows - 1,
	    .keys = c->resolved_by ? "/reply TEXT or type and Enter \xc2\xb7 /reopen "
	    "\xc2\xb7 Esc closes" : "/reply TEXT or type and Enter \xc2\xb7 /resolve "
	    "\xc2\xb7 Esc closes"};
	return &cm->list;
}

bool
doccomments_thread_open(const struct docs *d)
{
	return d->comments != NULL && d->comments->thread;
}

bool
doccomments_key(struct docs *d, struct ui_intent *in)
{
	struct doccomments *cm = d->comments;
	if (d->name == NULL)
		return false;
	if (in->kind == UI_DOC_COMMENT) {
		dcm_go(d, in->n);
		return true;
	}
	if (cm == NULL)
		return false;
	if (cm->listing)
		return all_key(d, cm, in);
	if (cm->thread && in->kind == UI_ESCAPE) {
		cm->thread = false;
		d->focused = true;
		d->full = cm->was_full;
		return true;
	}
	if (!cm->thread && d->focused && !d->ro && in->kind == UI_SUBMIT &&
	    dcm_find(cm, cm->current) != NULL) {
		/* only right after Alt-c: elsewhere Enter is a newline, also in
		 * commented text */
		dcm_follow_cursor(d, cm);
		if (cm->current == 0 || !cm->jumped)
			return false;
		cm->thread = true;
		d->focused = false; /* the input line takes /reply and the text */
		cm->was_full = d->full;
		d->full = false;    /* the thread goes where the messages are */
		return true;
	}
	return false;
}

/* ---- what the pane shows ---------------------------------------------------- */

static int
by_start(const void *a, const void *b)
{
	const struct ui_doc_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

void
doccomments_view(struct docs *d, struct ui_doc *u)
{
	struct doccomments *cm = d->comments;
	if (cm == NULL || d->ro || d->ot == NULL || cm->n == 0) {
		if (cm != NULL)
			cm->current = cm->thread ? cm->current : 0;
		return;
	}
	dcm_follow_cursor(d, cm);
	cm->spans = xreallocarray(cm->spans, cm->n + 1, sizeof *cm->spans);
	cm->nspans = 0;
	size_t open = 0, at = 0;
	for (size_t i = 0; i < cm->n; i++) {
		struct dcomment *c = &cm->v[i];
		if (c->resolved_by != NULL)
			continue;
		open++;
		struct anchor a = dcm_local(d, c);
		if (c->id == cm->current)
			at = open;
		/* empty (its text deleted): only a mark in the margin */
		cm->spans[cm->nspans++] = (struct ui_doc_span){a.start, a.end,
		    c->id == cm->current ? UI_SPAN_COMMENT_CURRENT : UI_SPAN_COMMENT,
		    c->user};
	}
	qsort(cm->spans, cm->nspans, sizeof *cm->spans, by_start);
	u->spans = cm->spans;
	u->nspans = cm->nspans;
	struct dcomment *c = dcm_find(cm, cm->current);
	if (c == NULL)
		return;
	char idx[32] = "", replies[48] = "";
	if (at > 0)
		snprintf(idx, sizeof idx, " %zu/%zu", at, open);
	if (c->nreplies > 0)
		snprintf(replies, sizeof replies, " \xc2\xb7 %zu repl%s", c->nreplies,
		    c->nreplies == 1 ? "y" : "ies");
	snprintf(cm->status, sizeof cm->status, "comment%s \xc2\xb7 %s: %s%s%s%s",
	    idx, c->user, c->text, dcm_local(d, c).removed ? " \xc2\xb7 text removed" : "",
	    replies, cm->thread || !cm->jumped ? "" : " \xc2\xb7 Enter: thread");
	u->status = cm->status;
}
