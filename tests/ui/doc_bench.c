/*
 * doc_bench: what the document pane costs per key on a large document.
 * Prints figures; asserts nothing (tests never assert on time).
 *
 *   build/tests/ui/doc-bench [LINES]     (default 100000)
 *
 * It drives the same code the client runs: the OT client (model/otclient)
 * for each edit, the mirror and its line index (ui/doclayout), and the
 * pane's drawing (docpane_draw into a curses screen written to /dev/null,
 * 120x40, so that curses does its real work). Each step is timed with
 * CLOCK_MONOTONIC; the figures are the mean and the worst of N repeats.
 */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/doc.h"
#include "model/otclient.h"
#include "model/theme.h"
#include "ui/internal.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct stat {
	double sum, max;
	int n;
};

static void
add(struct stat *s, double ms)
{
	s->sum += ms;
	s->n++;
	if (ms > s->max)
		s->max = ms;
}

static void
report(const char *what, const struct stat *s)
{
	printf("  %-44s mean %8.3f ms   worst %8.3f ms   (n=%d)\n", what,
	    s->n ? s->sum / s->n : 0, s->max, s->n);
}

struct bench {
	struct otclient *ot;
	struct doclayout lay;
	struct ui_doc ui;
	struct theme theme;
	size_t rev;
	int seq;
};

static void
draw(struct bench *b)
{
	struct docpane_out out;
	b->ui.lay = &b->lay;
	werase(stdscr);
	docpane_draw(&b->ui, &b->theme, (struct ui_rect){ 20, 0, 100, 40 }, &out);
	b->ui.view = out.view;
	wnoutrefresh(stdscr);
	doupdate();
}

static void
set_cursor(struct bench *b, size_t cp)
{
	b->ui.view.cursor = cp;
	otclient_set_selection(b->ot, (struct ot_selection){ cp, cp });
}

/* One typed character at the cursor, acknowledged at once. */
static void
type_one(struct bench *b, const char *ch)
{
	size_t n = b->lay.ncp, at = b->ui.view.cursor;
	struct ot_op op = OT_OP_INIT;
	ot_retain(&op, at);
	ot_insert(&op, ch, strlen(ch));
	ot_retain(&op, n - at);
	char cid[32];
	snprintf(cid, sizeof cid, "c%d", ++b->seq);
	struct otclient_send s;
	otclient_local(b->ot, &op, cid, &s);
	dl_apply(&b->lay, &op);
	set_cursor(b, at + 1);
	otclient_ack(b->ot, cid, ++b->rev, "next", &s);
	ot_free(&op);
}

/* Someone else's character at cp, then the mirror brought along. */
static void
remote_one(struct bench *b, size_t cp)
{
	struct ot_op op = OT_OP_INIT;
	ot_retain(&op, cp);
	ot_insert(&op, "r", 1);
	ot_retain(&op, b->lay.ncp - cp);
	struct otclient_send s;
	otclient_server_op(b->ot, ++b->rev, &op, "bob", "b", "next", &s);
	size_t len;
	char *t = doc_text(otclient_doc(b->ot), &len);
	dl_sync(&b->lay, t, len);
	free(t);
	b->ui.view.cursor = otclient_selection(b->ot).head;
	ot_free(&op);
}

static char *
make_text(size_t lines, size_t *len)
{
	static const char *words[] = { "shared", "document", "line", "with",
	    "some", "words", "\xe6\x97\xa5\xe6\x9c\xac", "and", "caf\xc3\xa9",
	    "wrapping", "text" };
	size_t cap = lines * 80 + 1, n = 0;
	char *t = malloc(cap);
	unsigned r = 1;
	for (size_t i = 0; i < lines; i++) {
		n += (size_t)sprintf(t + n, "%zu:", i);
		int nw = 3 + (int)(i % 13);
		for (int w = 0; w < nw && n + 20 < cap; w++) {
			r = r * 1103515245u + 12345u;
			n += (size_t)sprintf(t + n, " %s", words[(r >> 16) % 11]);
		}
		if (i + 1 < lines)
			t[n++] = '\n';
	}
	t[n] = '\0';
	*len = n;
	return t;
}

int
main(int argc, char **argv)
{
	size_t lines = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	setlocale(LC_ALL, "C.UTF-8");
	FILE *null = fopen("/dev/null", "w");
	SCREEN *scr = newterm("xterm-256color", null, stdin);
	if (scr == NULL) {
		fprintf(stderr, "doc-bench: no terminal description\n");
		return 1;
	}
	resize_term(40, 120);
	struct bench b;
	memset(&b, 0, sizeof b);
	theme_default(&b.theme);
	b.ui = (struct ui_doc){ .room = "lobby", .name = "big", .focused = true,
	    .sync = "synced" };

	size_t len;
	char *text = make_text(lines, &len);
	printf("doc-bench: %zu lines, %zu bytes, pane 100x40\n", lines, len);
	double t0 = now_ms();
	struct doc *d = doc_new_from(text, len);
	b.ot = otclient_new(d, 0, "me");
	dl_init(&b.lay);
	dl_set_text(&b.lay, text, len);
	double t1 = now_ms();
	draw(&b);
	double t2 = now_ms();
	printf("  open (OT client + mirror + line index)      %8.3f ms\n", t1 - t0);
	printf("  first frame                                  %8.3f ms\n", t2 - t1);

	struct stat st = { 0 };
	double a = now_ms();
	set_cursor(&b, b.lay.lines[lines / 2].cp + 5);
	draw(&b);
	printf("  jump to the middle line and draw             %8.3f ms\n",
	    now_ms() - a);
	for (int i = 0; i < 1000; i++) {
		a = now_ms();
		type_one(&b, i % 7 ? "x" : "\xe6\x97\xa5");
		draw(&b);
		add(&st, now_ms() - a);
	}
	report("type a character mid-document + draw", &st);

	memset(&st, 0, sizeof st);
	for (int i = 0; i < 300; i++) {
		a = now_ms();
		type_one(&b, i % 40 == 39 ? "\n" : "y");
		draw(&b);
		add(&st, now_ms() - a);
	}
	report("type incl. newlines (line index shifts) + draw", &st);

	memset(&st, 0, sizeof st);
	for (int i = 0; i < 300; i++) {
		a = now_ms();
		remote_one(&b, b.lay.lines[(lines / 2 + 20) % b.lay.nlines].cp);
		draw(&b);
		add(&st, now_ms() - a);
	}
	report("someone else's character (diff sync) + draw", &st);

	memset(&st, 0, sizeof st);
	for (int i = 0; i < 200; i++) {
		a = now_ms();
		dl_move(&b.lay, &b.ui.view, i < 100 ? DL_DOWN : DL_PAGE_DOWN, 39);
		draw(&b);
		add(&st, now_ms() - a);
	}
	report("Down x100, PgDn x100 + draw", &st);

	a = now_ms();
	dl_move(&b.lay, &b.ui.view, DL_DOC_END, 39);
	draw(&b);
	printf("  to the end of the document and draw         %8.3f ms\n",
	    now_ms() - a);
	a = now_ms();
	dl_set_width(&b.lay, 60);
	b.ui.view.cursor = b.lay.lines[lines / 3].cp;
	draw(&b);
	printf("  new width (resize) and draw                  %8.3f ms\n",
	    now_ms() - a);

	/* Decorations: a span every 20 code points over the whole document
	 * (matches, comments, a selection), and one over all of it. */
	size_t nsp = b.lay.ncp / 20 + 1;
	struct ui_doc_span *sp = calloc(nsp, sizeof *sp);
	static const enum ui_span_kind kinds[] = { UI_SPAN_MATCH, UI_SPAN_COMMENT,
	    UI_SPAN_INSERTED, UI_SPAN_DELETED };
	sp[0] = (struct ui_doc_span){ 0, b.lay.ncp, UI_SPAN_COMMENT, NULL };
	for (size_t i = 1; i < nsp; i++)
		sp[i] = (struct ui_doc_span){ i * 20, i * 20 + 6, kinds[i % 4], "bob" };
	b.ui.spans = sp;
	b.ui.nspans = nsp;
	b.ui.numbers = true;
	memset(&st, 0, sizeof st);
	for (int i = 0; i < 100; i++) {
		a = now_ms();
		dl_move(&b.lay, &b.ui.view, i % 2 ? DL_DOWN : DL_UP, 39);
		draw(&b);
		add(&st, now_ms() - a);
	}
	char what[80];
	snprintf(what, sizeof what, "draw with %zu spans + line numbers", nsp);
	report(what, &st);
	b.ui.spans = NULL;
	b.ui.nspans = 0;
	free(sp);

	a = now_ms();
	long rows = 0;
	for (size_t i = 0; i < b.lay.nlines; i++)
		rows += dl_rows(&b.lay, i);
	printf("  for scale: wrapping every line once          %8.3f ms "
	    "(%ld rows); never done per key\n", now_ms() - a, rows);

	endwin();
	delscreen(scr);
	fclose(null);
	otclient_free(b.ot);
	dl_free(&b.lay);
	free(text);
	return 0;
}
