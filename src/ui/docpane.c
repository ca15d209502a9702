/*
 * docpane: the shared document on the screen.
 *
 * A title row (the document and its room, with every open document's name
 * as a tab when there are several, the shown one in brackets; or the
 * read-only banner of an old revision), then the text soft-wrapped to the pane, from the view's
 * top, which is first moved as little as needed to show my cursor. The
 * pane wraps at its width minus one: the last column holds a cursor that
 * stands at the end of a full row.
 *
 * Other people's cursors are drawn on the glyph they stand on, their
 * selections over the glyphs they cover, both in reverse video in their
 * nick colour; their names go in a narrow column at the right of the
 * pane, on the cursor's row, so that no name ever hides text. The column
 * is there only while someone else has a cursor (the text rewraps when
 * it comes and goes). A diff (/doc diff) is read-only text whose lines
 * start "+ " or "- ": those are drawn in the theme's `online` and
 * `failed` looks, the colours of something added and something gone. Text is drawn glyph run by glyph run, each run
 * whole, so a wide character is never cut in half by a cursor.
 *
 * Decorations (ui_doc.spans: my selection, find's matches, comments,
 * suggestions) stack on a glyph: underline and bold from comments, the
 * colour of a suggestion's author, the search look of a match, reverse
 * for a selection and the current match; other people's cursors go on
 * top. A frame first keeps, in one pass over those that start before the
 * end of the last line that can show (a binary search finds where they
 * stop), only the ones that end after the top;
 * glyphs are then drawn in document order, so a moving index skips the
 * spans already behind and a glyph looks at the few that can cover it.
 *
 * Line numbers (ui_doc.numbers) take a left margin as wide as the
 * document's last line number, each on the first display row of its
 * logical line.
 */
#include "ui/internal.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "model/textwidth.h"
#include "model/xmalloc.h"

#define TITLE_DOC "\xe2\x9c\x8e "      /* U+270E and a space */
#define NAME_MAX 10                      /* cells of a name in the column */
#define STRIKE "\xcc\xb6"                /* U+0336 COMBINING LONG STROKE */
#define COMMENT_MARK "\xe2\x96\x8e"        /* U+258E, a commented row */
#define COMMENT_GONE_MARK "\xc3\x97"        /* U+00D7: a comment's text gone */

/* How one glyph is drawn. */
struct look {
	enum theme_elem e;
	int32_t fg;
	unsigned long attrs;
	bool strike;             /* U+0336 after each glyph */
};

/* A cursor placed on the screen for this frame. */
struct mark {
	const char *user;        /* NULL: mine */
	size_t s0, s1;           /* its selection, ordered */
	size_t head;
	struct dl_pos at;
	struct look look;
};

struct pane {
	const struct ui_doc *d;
	struct doclayout *lay;
	struct ui_rect r;        /* the text: the pane less margin and names */
	int names_x, names_w;    /* the names' column; names_w 0: none */
	struct mark *marks;
	size_t nmarks;
	enum theme_elem base;    /* the look of the row's text, under marks */
	const struct theme *t;
	const struct ui_doc_span **spans; /* those that can show, by start */
	size_t nspans;
	size_t lo;               /* spans[0..lo) end before the glyph drawn */
	int num_x, num_w;        /* the line numbers' margin; num_w 0: none */
};

static bool
same_look(struct look a, struct look b)
{
	return a.e == b.e && a.fg == b.fg && a.attrs == b.attrs &&
	    a.strike == b.strike;
}

/* ---- title --------------------------------------------------------------- */

/* The open documents' names, the one shown in brackets and cut out of
 * the bar (the bar of a focused pane is reversed: the tab is not; else
 * the tab is): "[notes]  plan  todo"; the column after them. */
static int
draw_tabs(const struct ui_doc *d, int x, int y, struct ui_clip clip,
    enum theme_elem e)
{
	for (size_t i = 0; i < d->ntabs; i++) {
		const char *name = d->tabs[i] ? d->tabs[i] : "";
		if (i > 0)
			x = draw_str(y, x, " ", clip, e, UI_FG_THEME);
		if (i == d->tab) {
			char buf[80];
			snprintf(buf, sizeof buf, "[%s]", name);
			x = d->focused ? draw_text_attr(y, x, buf, strlen(buf), clip,
			    TH_NORMAL, UI_FG_THEME, A_BOLD)
			    : draw_text_attr(y, x, buf, strlen(buf), clip, e, UI_FG_THEME,
			    A_REVERSE | A_BOLD);
		} else {
			x = draw_str(y, x, " ", clip, e, UI_FG_THEME);
			x = draw_str(y, x, name, clip, e, UI_FG_THEME);
			x = draw_str(y, x, " ", clip, e, UI_FG_THEME);
		}
	}
	return x;
}

static void
draw_title(const struct ui_doc *d, struct ui_rect r)
{
	struct ui_clip clip = { r.x, r.x + r.w };
	char buf[160];
	if (d->readonly && d->title != NULL) {
		draw_fill(r.y, r.x, r.w, TH_STATUS_ALERT);
		draw_str(r.y, r.x, d->title, clip, TH_STATUS_ALERT, UI_FG_THEME);
		return;
	}
	if (d->readonly) {
		draw_fill(r.y, r.x, r.w, TH_STATUS_ALERT);
		snprintf(buf, sizeof buf, " read-only, revision %lld \xc2\xb7 Esc "
		    "returns to the live text", d->rev);
		draw_str(r.y, r.x, buf, clip, TH_STATUS_ALERT, UI_FG_THEME);
		return;
	}
	enum theme_elem e = d->focused ? TH_ROOM_CURRENT : TH_DAY;
	draw_fill(r.y, r.x, r.w, d->focused ? TH_ROOM_CURRENT : TH_NORMAL);
	int x = draw_str(r.y, r.x + 1, TITLE_DOC, clip, e, UI_FG_THEME);
	if (d->ntabs > 1)
		x = draw_tabs(d, x, r.y, clip, e);
	else
		x = draw_str(r.y, x, d->name ? d->name : "", clip, e, UI_FG_THEME);
	x = draw_str(r.y, x, " \xc2\xb7 ", clip, e, UI_FG_THEME);
	x = draw_str(r.y, x, d->room ? d->room : "", clip, e, UI_FG_THEME);
	const char *hint = d->focused ? (d->full ? "F3 chat \xc2\xb7 F4 split " :
	    "F3 chat \xc2\xb7 F4 full ") : (d->full ? "F3 edit \xc2\xb7 F4 split " :
	    "F3 edit \xc2\xb7 F4 full ");
	char info[160];
	if (d->info != NULL) {
		struct ui_buf b = { 0 };
		ui_sanitize(&b, d->info, strlen(d->info), UI_NL_BAD);
		snprintf(info, sizeof info, "%s ", b.s ? b.s : "");
		ui_buf_free(&b);
		hint = info;
	}
	int hw = tw_width(hint, strlen(hint));
	if (x + 2 + hw <= r.x + r.w)
		draw_str(r.y, r.x + r.w - hw, hint, clip, e, UI_FG_THEME);
}

/* ---- marks --------------------------------------------------------------- */

static struct mark
mark_of(struct doclayout *lay, const char *user, size_t anchor, size_t head,
    struct look look)
{
	if (anchor > lay->ncp)
		anchor = lay->ncp;
	if (head > lay->ncp)
		head = lay->ncp;
	struct mark m = { user, anchor < head ? anchor : head,
	    anchor < head ? head : anchor, head, dl_locate(lay, head), look };
	return m;
}

static void
place_marks(struct pane *p, const struct theme *t)
{
	const struct ui_doc *d = p->d;
	p->marks = xcalloc(d->nothers + 1, sizeof *p->marks);
	for (size_t i = 0; i < d->nothers; i++) {
		const struct ui_doc_cursor *c = &d->others[i];
		const char *u = c->user ? c->user : "";
		struct look look = { TH_TEXT, theme_nick_color(t, u), A_REVERSE,
		    false };
		p->marks[p->nmarks++] = mark_of(p->lay, u, c->anchor, c->head, look);
	}
	if (!d->focused) {
		struct look look = { TH_NORMAL, UI_FG_THEME, A_REVERSE, false };
		p->marks[p->nmarks++] = mark_of(p->lay, NULL, d->view.cursor,
		    d->view.cursor, look);
	}
}

/* Keeps the spans that can show on the rows from the view's top: those
 * over [first, last), where last is the start of the line rows lines
 * below the top (a line takes at least one row). One pass. */
static void
place_spans(struct pane *p, const struct dl_view *v, int rows)
{
	const struct ui_doc *d = p->d;
	if (d->nspans == 0)
		return;
	size_t first = p->lay->lines[v->top_line].cp;
	size_t below = v->top_line + (size_t)rows + 1;
	size_t last = below < p->lay->nlines ? p->lay->lines[below].cp
	    : p->lay->ncp + 1;
	/* Those starting past the last line go at once (sorted by start). */
	size_t lo = 0, hi = d->nspans;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->spans[mid].start < last)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t cap = 0;
	for (size_t i = 0; i < lo; i++) {
		const struct ui_doc_span *sp = &d->spans[i];
		/* an empty comment (its text deleted) only marks its row */
		bool point = sp->end == sp->start && (sp->kind == UI_SPAN_COMMENT ||
		    sp->kind == UI_SPAN_COMMENT_CURRENT);
		if ((sp->end > first && sp->end > sp->start) ||
		    (point && sp->start >= first)) {
			xgrow(&p->spans, &cap, p->nspans + 1, sizeof *p->spans);
			p->spans[p->nspans++] = sp;
		}
	}
}

/* Puts span sp on look. */
static void
span_look(const struct pane *p, const struct ui_doc_span *sp,
    struct look *look)
{
	switch (sp->kind) {
	case UI_SPAN_SELECT:
		look->attrs |= A_REVERSE;
		break;
	case UI_SPAN_MATCH:
		look->e = TH_SEARCH;
		look->fg = UI_FG_THEME;
		break;
	case UI_SPAN_MATCH_CURRENT:
		look->e = TH_SEARCH;
		look->fg = UI_FG_THEME;
		look->attrs |= A_REVERSE | A_BOLD;  /* bold: a mono theme's
		                                       search look is reverse */
		break;
	case UI_SPAN_COMMENT:
		look->attrs |= A_UNDERLINE;
		break;
	case UI_SPAN_COMMENT_CURRENT:
		look->attrs |= A_UNDERLINE | A_BOLD;
		break;
	case UI_SPAN_INSERTED:
		if (look->e != TH_SEARCH)
			look->fg = theme_nick_color(p->t, sp->user ? sp->user : "");
		look->attrs |= A_UNDERLINE;
		break;
	case UI_SPAN_DELETED:
		if (look->e != TH_SEARCH)
			look->fg = theme_nick_color(p->t, sp->user ? sp->user : "");
		look->strike = true;
		break;
	}
}

/* Ranks kinds so that the look comes out the same whatever the order of
 * overlapping spans: colours first, then what goes over them. */
static int
span_rank(enum ui_span_kind k)
{
	switch (k) {
	case UI_SPAN_COMMENT: case UI_SPAN_COMMENT_CURRENT: return 0;
	case UI_SPAN_INSERTED: case UI_SPAN_DELETED: return 1;
	case UI_SPAN_MATCH: case UI_SPAN_MATCH_CURRENT: return 2;
	case UI_SPAN_SELECT: return 3;
	}
	return 0;
}

/* The look of glyph k (code points [cp, cp_end) of the document): the
 * spans over it stacked, then the last mark that covers it wins, a
 * cursor over a selection. Called for glyphs in document order. */
static struct look
look_at(struct pane *p, size_t cp, size_t cp_end)
{
	struct look look = { p->base, UI_FG_THEME, 0, false };
	while (p->lo < p->nspans && p->spans[p->lo]->end <= cp)
		p->lo++;
	for (int rank = 0; rank <= 3; rank++) {
		for (size_t i = p->lo; i < p->nspans; i++) {
			const struct ui_doc_span *sp = p->spans[i];
			if (sp->start >= cp_end)
				break;
			if (sp->end > cp && span_rank(sp->kind) == rank)
				span_look(p, sp, &look);
		}
	}
	for (size_t i = 0; i < p->nmarks; i++) {
		const struct mark *m = &p->marks[i];
		bool on_head = m->head >= cp && m->head < cp_end;
		if (on_head || (cp < m->s1 && cp_end > m->s0)) {
			look.e = m->look.e;
			look.fg = m->look.fg;
			look.attrs = m->look.attrs | (look.attrs & A_UNDERLINE);
			if (on_head && m->user != NULL)
				look.attrs |= A_BOLD;
		}
	}
	return look;
}

/* ---- one row ------------------------------------------------------------- */

static void
sanitized(struct ui_buf *b, const char *s)
{
	ui_sanitize(b, s, strlen(s), UI_NL_BAD);
}

/* The names' column: as wide as the widest name (at most NAME_MAX), plus
 * a blank before it; 0 when no one else has a cursor. */
static int
names_width(const struct ui_doc *d)
{
	int w = 0;
	for (size_t i = 0; i < d->nothers; i++) {
		struct ui_buf b = { 0 };
		sanitized(&b, d->others[i].user ? d->others[i].user : "");
		int n = b.s ? tw_width(b.s, b.len) : 0;
		w = n > w ? n : w;
		ui_buf_free(&b);
	}
	return w == 0 ? 0 : (w > NAME_MAX ? NAME_MAX : w) + 1;
}

/* The names of the cursors on (line, row), in the names' column: the
 * first one's, and "+N" for the others there. */
static void
draw_names(const struct pane *p, size_t line, int row, int y)
{
	const struct mark *first = NULL;
	int more = 0;
	for (size_t i = 0; i < p->nmarks; i++) {
		const struct mark *m = &p->marks[i];
		if (m->user == NULL || m->at.line != line || m->at.row != row)
			continue;
		if (first == NULL)
			first = m;
		else
			more++;
	}
	if (first == NULL || p->names_w < 2)
		return;
	char extra[16] = "";
	if (more)
		snprintf(extra, sizeof extra, "+%d", more);
	int room = p->names_w - 1 - (int)strlen(extra);
	struct ui_buf b = { 0 };
	sanitized(&b, first->user);
	ui_buf_cut(&b, room);
	struct ui_clip clip = { p->names_x + 1, p->names_x + p->names_w };
	int x = draw_text_attr(y, p->names_x + 1, b.s ? b.s : "", b.len, clip,
	    first->look.e, first->look.fg, A_REVERSE);
	draw_text(y, x, extra, strlen(extra), clip, TH_NOTICE, UI_FG_THEME);
	ui_buf_free(&b);
}

/* Draws glyphs [k, e) of one look, each followed by U+0336. */
static void
draw_struck(const struct pane *p, const struct dl_lay *lay, size_t k,
    size_t e, int y, struct look look)
{
	struct ui_clip clip = { p->r.x, p->r.x + p->r.w };
	struct ui_buf b = { 0 };
	for (size_t i = k; i < e; i++) {
		ui_buf_add(&b, lay->disp + lay->g[i].db, lay->g[i + 1].db -
		    lay->g[i].db);
		ui_buf_adds(&b, STRIKE);
	}
	draw_text_attr(y, p->r.x + lay->g[k].col, b.s ? b.s : "", b.len, clip,
	    look.e, look.fg, look.attrs);
	ui_buf_free(&b);
}

/* Draws glyphs [a, b) as runs of one look. */
static void
draw_glyphs(struct pane *p, const struct dl_lay *lay, size_t line_cp,
    size_t a, size_t b, int y)
{
	struct ui_clip clip = { p->r.x, p->r.x + p->r.w };
	size_t k = a;
	while (k < b) {
		struct look look = look_at(p, line_cp + lay->g[k].cp,
		    line_cp + lay->g[k + 1].cp);
		size_t e = k + 1;
		while (e < b && same_look(look_at(p, line_cp + lay->g[e].cp,
		    line_cp + lay->g[e + 1].cp), look))
			e++;
		if (look.strike)
			draw_struck(p, lay, k, e, y, look);
		else
			draw_text_attr(y, p->r.x + lay->g[k].col, lay->disp +
			    lay->g[k].db, lay->g[e].db - lay->g[k].db, clip, look.e,
			    look.fg, look.attrs);
		k = e;
	}
}

/* A mark in the column left of the text on a row a comment covers part
 * of (cps [a, b), and the line's end when last), or another on the row of
 * an empty one (a comment whose text was deleted). */
static void
draw_comment_mark(const struct pane *p, size_t a, size_t b, bool last, int y)
{
	if (p->r.x <= 0)
		return;
	const char *mark = NULL;
	size_t to = b + (last ? 1 : 0);
	bool range = false;
	for (size_t i = 0; i < p->nspans && !range; i++) {
		const struct ui_doc_span *sp = p->spans[i];
		if (sp->kind != UI_SPAN_COMMENT && sp->kind != UI_SPAN_COMMENT_CURRENT)
			continue;
		if (sp->start == sp->end && sp->start >= a && sp->start < to) {
			mark = COMMENT_GONE_MARK;
		} else if (sp->start < to && sp->end > a && sp->end > sp->start) {
			mark = COMMENT_MARK;
			range = true;
		}
	}
	if (mark != NULL) {
		struct ui_clip clip = { p->r.x - 1, p->r.x };
		draw_str(y, p->r.x - 1, mark, clip, TH_NOTICE, UI_FG_THEME);
	}
}

static void
draw_row(struct pane *p, const struct dl_lay *lay, size_t line,
    int row, int y)
{
	size_t line_cp = p->lay->lines[line].cp;
	draw_glyphs(p, lay, line_cp, lay->row[row], lay->row[row + 1], y);
	/* A cursor at the end of the line stands on a cell of its own. */
	if (row == lay->rows - 1) {
		size_t end = line_cp + lay->g[lay->ng].cp;
		struct look look = look_at(p, end, end + 1);
		struct ui_clip clip = { p->r.x, p->r.x + p->r.w };
		if (look.attrs & A_REVERSE)
			draw_text_attr(y, p->r.x + lay->g[lay->ng].col, " ", 1, clip,
			    look.e, look.fg, look.attrs);
	}
	draw_names(p, line, row, y);
	draw_comment_mark(p, line_cp + lay->g[lay->row[row]].cp,
	    line_cp + lay->g[lay->row[row + 1]].cp, row == lay->rows - 1, y);
}

/* ---- the pane ------------------------------------------------------------ */

/* Line number line + 1, right-aligned in the margin. */
static void
draw_number(const struct pane *p, size_t line, int y)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%*zu", p->num_w > 21 ? 20 : p->num_w - 1,
	    line + 1);
	struct ui_clip clip = { p->num_x, p->num_x + p->num_w };
	draw_str(y, p->num_x, buf, clip, TH_TIME, UI_FG_THEME);
}

/* The margin's width for numbers up to n, and a blank after them. */
static int
numbers_width(size_t n)
{
	int w = 1;
	while (n >= 10) {
		n /= 10;
		w++;
	}
	return w + 1;
}

static void
draw_text_rows(struct pane *p, struct docpane_out *out)
{
	int rows = p->r.h, y = p->r.y;
	size_t line = out->view.top_line;
	int row = out->view.top_row;
	struct dl_pos me = dl_locate(p->lay, out->view.cursor);
	while (y < p->r.y + rows && line < p->lay->nlines) {
		const char *s = p->lay->text + p->lay->lines[line].byte;
		p->base = !p->d->diff ? TH_TEXT : s[0] == '+' && s[1] == ' ' ? TH_ONLINE
		    : s[0] == '-' && s[1] == ' ' ? TH_FAILED : TH_TEXT;
		struct dl_lay lay;
		dl_lay_line(p->lay, line, &lay);
		for (; row < lay.rows && y < p->r.y + rows; row++, y++) {
			if (p->num_w > 0 && row == 0)
				draw_number(p, line, y);
			draw_row(p, &lay, line, row, y);
			if (line == me.line && row == me.row) {
				out->cursor_shown = true;
				out->cy = y;
				out->cx = p->r.x + me.col;
			}
		}
		dl_lay_free(&lay);
		line++;
		row = 0;
	}
}

void
docpane_draw(const struct ui_doc *d, const struct theme *t, struct ui_rect r,
    struct docpane_out *out)
{
	memset(out, 0, sizeof *out);
	out->view = d->view;
	out->rows = r.h - 1 > 1 ? r.h - 1 : 1;
	if (r.w < 4 || r.h < 2)
		return;
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, TH_NORMAL);
	draw_title(d, r);
	if (d->lay == NULL) {
		struct ui_clip clip = { r.x, r.x + r.w };
		draw_str(r.y + 1, r.x + 1, d->note ? d->note : "", clip, TH_NOTICE,
		    UI_FG_THEME);
		return;
	}
	/* A blank column on the left (or the line numbers); the names' column
	 * on the right. */
	int nw = names_width(d);
	if (r.w - 2 - nw < 8)
		nw = 0;
	int numw = d->numbers ? numbers_width(d->lay->nlines) : 0;
	if (r.w - 2 - nw - numw < 8)
		numw = 0;
	int left = numw > 0 ? numw : 1;
	/* the comment under the cursor, if any, on the bottom row */
	bool status = d->status != NULL && r.h > 3;
	struct ui_rect text = { r.x + left, r.y + 1, r.w - left - nw,
	    r.h - 1 - (status ? 1 : 0) };
	if (status) {
		struct ui_clip clip = { r.x, r.x + r.w };
		draw_fill(r.y + r.h - 1, r.x, r.w, TH_STATUS);
		struct ui_buf b = { 0 };
		ui_sanitize(&b, d->status, strlen(d->status), UI_NL_BAD);
		draw_text(r.y + r.h - 1, r.x + 1, b.s ? b.s : "", b.len, clip, TH_STATUS,
		    UI_FG_THEME);
		ui_buf_free(&b);
		out->rows = text.h > 1 ? text.h : 1;
	}
	struct pane p = { .d = d, .lay = d->lay, .r = text,
	    .names_x = text.x + text.w, .names_w = nw, .base = TH_TEXT, .t = t,
	    .num_x = r.x, .num_w = numw };
	dl_set_width(p.lay, text.w - 1);
	dl_scroll(p.lay, &out->view, out->rows);
	place_marks(&p, t);
	place_spans(&p, &out->view, out->rows);
	draw_text_rows(&p, out);
	if (out->cursor_shown && out->cx >= text.x + text.w)
		out->cx = text.x + text.w - 1;
	out->text = text;
	free(p.marks);
	free(p.spans);
}
