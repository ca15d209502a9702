/*
 * docsuggest_view: the document pane's shown text while suggestions are
 * open (see docsuggest.c): the local text with every suggested insert
 * spliced in, the spans that colour them and strike what they delete, and
 * the map that puts my cursor, the others' and the document's own
 * decorations there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/docsuggest_impl.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

/* ---- what the pane shows ------------------------------------------------- */

struct ins {
	size_t pos, order, len;
	const char *text;
	size_t bytes;
	const char *user;
};

struct del {
	size_t pos, end;
	const char *user;
};

static int
ins_cmp(const void *a, const void *b)
{
	const struct ins *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
del_cmp(const void *a, const void *b)
{
	const struct del *x = a, *y = b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int
span_cmp(const void *a, const void *b)
{
	const struct ui_doc_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void
add_span(struct docsuggest *g, size_t start, size_t end, enum ui_span_kind k,
    const char *user)
{
	if (start >= end)
		return;
	if (k == UI_SPAN_DELETED && g->nspans > 0) {
		struct ui_doc_span *last = &g->spans[g->nspans - 1];
		if (last->kind == k && last->end == start && last->user == user) {
			last->end = end;
			return;
		}
	}
	xgrow(&g->spans, &g->scap, g->nspans + 1, sizeof *g->spans);
	g->spans[g->nspans++] = (struct ui_doc_span){start, end, k, user};
}

/* Collects the marks of s (order: its place among the inserts at one
 * position). */
static void
collect(const struct suggest *s, const char *user, size_t order,
    struct ins **iv, size_t *ni, size_t *icap, struct del **dv, size_t *nd,
    size_t *dcap, struct suggest_marks *keep)
{
	suggest_marks(s, keep);
	for (size_t k = 0; k < keep->n; k++) {
		const struct suggest_mark *m = &keep->v[k];
		if (m->kind == SUGGEST_INSERTED) {
			xgrow(iv, icap, *ni + 1, sizeof **iv);
			(*iv)[(*ni)++] = (struct ins){m->pos, order, m->len, m->text, m->bytes,
			    user};
		} else {
			xgrow(dv, dcap, *nd + 1, sizeof **dv);
			(*dv)[(*nd)++] = (struct del){m->pos, m->pos + m->len, user};
		}
	}
}

/* The shown text, its spans and the map of local positions; false when
 * nothing is to be shown beside the document. */
static bool
build(struct docs *d)
{
	struct docsuggest *g = d->sug;
	if (g->n == 0 && !g->has_flight && !g->has_draft)
		return false; /* the document alone: nothing to build */
	size_t nitems = g->n + 2;
	struct suggest_marks *keep = xcalloc(nitems, sizeof *keep);
	struct ins *iv = NULL;
	struct del *dv = NULL;
	size_t ni = 0, icap = 0, nd = 0, dcap = 0, k = 0;
	for (size_t i = 0; i < g->n; i++, k++)
		collect(&g->v[i].s, g->v[i].user, k, &iv, &ni, &icap, &dv, &nd, &dcap,
		    &keep[k]);
	if (g->has_flight)
		collect(&g->flight, d->user, k, &iv, &ni, &icap, &dv, &nd, &dcap, &keep[k]);
	k++;
	struct suggest draft;
	bool has_draft = g->has_draft && suggest_init(&draft, &g->draft, 0) == SUGGEST_OK;
	if (has_draft) {
		collect(&draft, d->user, k, &iv, &ni, &icap, &dv, &nd, &dcap, &keep[k]);
		suggest_free(&draft);
	}
	bool any = ni > 0 || nd > 0;
	if (ni > 1)
		qsort(iv, ni, sizeof *iv, ins_cmp);
	if (nd > 1)
		qsort(dv, nd, sizeof *dv, del_cmp);
	size_t jd = 0, cover = 0;
	const char *cover_by = NULL;
	size_t ncp = d->lay.ncp;
	g->nspans = 0;
	xgrow(&g->map, &g->mapcap, ncp + 1, sizeof *g->map);
	size_t extra = 0;
	for (size_t i = 0; i < ni; i++)
		extra += iv[i].bytes;
	char *out = xmalloc(d->lay.len + extra + 1);
	size_t ob = 0, shown = 0, ii = 0, byte = 0;
	const char *text = d->lay.text ? d->lay.text : "";
	for (size_t p = 0; p <= ncp; p++) {
		for (; ii < ni && iv[ii].pos == p; ii++) {
			memcpy(out + ob, iv[ii].text, iv[ii].bytes);
			ob += iv[ii].bytes;
			add_span(g, shown, shown + iv[ii].len, UI_SPAN_INSERTED, iv[ii].user);
			shown += iv[ii].len;
		}
		g->map[p] = shown;
		if (p == ncp)
			break;
		uint32_t cp;
		size_t cl = utf8_decode(text + byte, d->lay.len - byte, &cp);
		if (cl == 0)
			cl = 1;
		memcpy(out + ob, text + byte, cl);
		ob += cl;
		byte += cl;
		for (; jd < nd && dv[jd].pos <= p; jd++)
			if (dv[jd].end > cover) {
				cover = dv[jd].end;
				cover_by = dv[jd].user;
			}
		const char *by = p < cover ? cover_by : NULL;
		if (by != NULL)
			add_span(g, shown, shown + 1, UI_SPAN_DELETED, by);
		shown++;
	}
	out[ob] = '\0';
	if (any && !dl_sync(&g->slay, out, ob))
		any = false;
	free(out);
	free(iv);
	free(dv);
	for (size_t i = 0; i < nitems; i++)
		suggest_marks_free(&keep[i]);
	free(keep);
	return any;
}

/* My cursor in the shown text. */
static size_t
shown_cursor(const struct docs *d)
{
	const struct docsuggest *g = d->sug;
	size_t ncp = d->lay.ncp;
	if (!g->has_draft) {
		size_t p = d->view.cursor < ncp ? d->view.cursor : ncp;
		return g->map[p];
	}
	size_t t = g->dview.cursor, local = 0, target = 0;
	for (size_t i = 0; i < g->draft.ncomps; i++) {
		const struct ot_comp *c = &g->draft.comps[i];
		if (c->kind == OT_RETAIN) {
			if (t < target + c->n)
				return g->map[local + (t - target)];
			local += c->n;
			target += c->n;
		} else if (c->kind == OT_INSERT) {
			/* the draft's insert is the last one made at local */
			if (t <= target + c->n)
				return g->map[local] - c->n + (t - target);
			target += c->n;
		} else {
			local += c->n;
		}
	}
	return g->map[local < ncp ? local : ncp];
}

void
docsuggest_view(struct docs *d, struct ui_doc *u)
{
	struct docsuggest *g = d->sug;
	if (g == NULL || d->ot == NULL || u->lay == NULL)
		return;
	if (g->on) {
		snprintf(g->sync, sizeof g->sync, "%s, suggesting%s", u->sync ? u->sync : "",
		    g->has_draft ? " (draft)" : g->has_flight ? " (sending)" : "");
		u->sync = g->sync;
	}
	docsuggest_sync(d);
	bool was = g->shown;
	g->shown = build(d);
	if (!g->shown)
		return;
	if (!was) {
		g->sview.top_line = d->view.top_line;
		g->sview.top_row = d->view.top_row;
	}
	size_t ncp = d->lay.ncp;
	/* decorations of the document (a selection, matches) follow the map */
	for (size_t i = 0; i < u->nspans; i++) {
		struct ui_doc_span s = u->spans[i];
		s.start = g->map[s.start < ncp ? s.start : ncp];
		s.end = g->map[s.end < ncp ? s.end : ncp];
		add_span(g, s.start, s.end, s.kind, s.user);
	}
	if (g->nspans > 1)
		qsort(g->spans, g->nspans, sizeof *g->spans, span_cmp);
	for (size_t i = 0; i < d->nothers; i++) {
		struct ui_doc_cursor *c = &d->others[i];
		c->anchor = g->map[c->anchor < ncp ? c->anchor : ncp];
		c->head = g->map[c->head < ncp ? c->head : ncp];
	}
	g->sview.cursor = shown_cursor(d);
	g->sview.goal = -1;
	u->lay = &g->slay;
	u->view = g->sview;
	u->spans = g->spans;
	u->nspans = g->nspans;
}

bool
docsuggest_drawn(struct docs *d, const struct ui_drawn *dr)
{
	struct docsuggest *g = d->sug;
	if (g == NULL || !g->shown || d->ro)
		return false;
	g->sview.top_line = dr->doc_view.top_line;
	g->sview.top_row = dr->doc_view.top_row;
	return true;
}

bool
docsuggest_point(struct docs *d, struct doclayout **lay, struct dl_view **view)
{
	struct docsuggest *g = d->sug;
	if (g == NULL || !g->shown || d->ro)
		return false;
	*lay = &g->slay;
	*view = &g->sview;
	return true;
}

size_t
docsuggest_local_of(const struct docs *d, size_t shown)
{
	const struct docsuggest *g = d->sug;
	size_t ncp = d->lay.ncp;
	if (g == NULL || !g->shown || g->mapcap <= ncp)
		return shown < ncp ? shown : ncp;
	/* the first local position shown at or after it (map never falls):
	 * a place in inserted text is where that text would go */
	size_t lo = 0, hi = ncp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->map[mid] < shown)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
