/*
 * paneview: the message pane kept between frames, so that a frame costs
 * what changes on screen, never the size of the room.
 *
 * The timeline is walked from any boundary, backwards (pane_prev) or
 * forwards (pane_next), merging the room's messages with its notices as
 * it goes: no list of the whole room is ever built. The pane remembers
 * its bottom row as an entry (a confirmed message by seq, a pending one
 * by address, a notice by index), how many of that entry's rows lie
 * below the pane, and how many rows the entries after it take: the
 * scroll, in rows up from the end, that the status line shows and the
 * core keeps.
 *
 * A frame then:
 *   - at the end (scroll 0), walks back from the last entry for one pane;
 *   - scrolled back, with nothing changed but lines added at the end (the
 *     room's edit count, the notices, the layout generation and the
 *     new-messages line are as they were), adds the new lines' rows to the
 *     distance: the view stays where the user reads;
 *   - after any other change, finds its entry again, walking from the end
 *     (rows come from the messages' per-layout cache, so this wraps
 *     nothing twice), or starts again from the end when it went;
 *   - moves by what the scroll asked for changed (PgUp, PgDn, the wheel),
 *     walking only the rows crossed: a PgUp costs the same at any depth;
 *   - draws one pane of rows up from its bottom row, moving down when the
 *     top of what is held comes first.
 */
#include "ui/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

#define NO_NOTICE SIZE_MAX

/* ---- walking the timeline ------------------------------------------------ */

static size_t
nmsgs(const struct pane_src *src)
{
	return src->room ? src->room->nmsgs : 0;
}

static bool
shown(const struct pane_src *src, const struct chat_notice *n)
{
	const struct room *r = src->room;
	if (src->thread != 0)
		return false; /* notices belong to the room's timeline */
	return r == NULL || n->room == NULL || strcmp(n->room, r->name) == 0;
}

struct pane_pos
pane_end(const struct pane_src *src)
{
	return (struct pane_pos){ nmsgs(src), src->nnotices };
}

/*
 * Where a message stands in time for the merge: its time, but a pending
 * line (stamped by the local clock when it was sent) never before the
 * confirmed line above it, so that the messages are in time order as the
 * notices are, and walking either way meets the same order.
 */
static int64_t
msg_key(const struct room *r, size_t i)
{
	int64_t t = r->msgs[i]->ts;
	if (i >= r->nconfirmed && r->nconfirmed > 0 &&
	    r->msgs[r->nconfirmed - 1]->ts > t)
		t = r->msgs[r->nconfirmed - 1]->ts;
	return t;
}

/* Whether msgs[i] is part of what the pane shows: the room's timeline
 * leaves replies, and what is held only for a thread, to its thread
 * pane. */
static bool
in_view(const struct pane_src *src, size_t i)
{
	const struct room_msg *m = src->room->msgs[i];
	if (src->thread == 0)
		return m->thread == 0 && !m->loose;
	return m->thread == src->thread ||
	    (m->seq == src->thread && m->state == ROOM_MSG_CONFIRMED);
}

/* A notice goes before the first message later than it, as both lists
 * are in time order; walking back, a notice as late as the message
 * before the boundary comes first. */
bool
pane_prev(const struct pane_src *src, struct pane_pos *pos,
    struct pane_item *it)
{
	size_t j = pos->notice;
	while (j > 0 && !shown(src, &src->notices[j - 1]))
		j--;
	pos->notice = j; /* the same boundary, past notices not shown here */
	while (pos->msg > 0 && !in_view(src, pos->msg - 1))
		pos->msg--;
	const struct room_msg *m = pos->msg > 0 ?
	    src->room->msgs[pos->msg - 1] : NULL;
	if (j == 0 && m == NULL)
		return false;
	if (j > 0 && (m == NULL ||
	    src->notices[j - 1].ts >= msg_key(src->room, pos->msg - 1))) {
		const struct chat_notice *n = &src->notices[j - 1];
		*it = (struct pane_item){ NULL, n, j - 1, n->ts };
		pos->notice = j - 1;
	} else {
		*it = (struct pane_item){ m, NULL, pos->msg - 1, m->ts };
		pos->msg--;
	}
	return true;
}

bool
pane_next(const struct pane_src *src, struct pane_pos *pos,
    struct pane_item *it)
{
	size_t j = pos->notice;
	while (j < src->nnotices && !shown(src, &src->notices[j]))
		j++;
	pos->notice = j;
	while (pos->msg < nmsgs(src) && !in_view(src, pos->msg))
		pos->msg++;
	const struct room_msg *m = pos->msg < nmsgs(src) ?
	    src->room->msgs[pos->msg] : NULL;
	if (j == src->nnotices && m == NULL)
		return false;
	if (j < src->nnotices && (m == NULL ||
	    src->notices[j].ts < msg_key(src->room, pos->msg))) {
		const struct chat_notice *n = &src->notices[j];
		*it = (struct pane_item){ NULL, n, j, n->ts };
		pos->notice = j + 1;
	} else {
		*it = (struct pane_item){ m, NULL, pos->msg, m->ts };
		pos->msg++;
	}
	return true;
}

/* The rows of it, which lies just after the boundary before. */
static int
rows_of(const struct pane_src *src, const struct pane_geom *g,
    const struct pane_item *it, struct pane_pos before)
{
	struct pane_item prev;
	bool has = pane_prev(src, &before, &prev);
	return pane_item_rows(src, g, it, has ? &prev : NULL);
}

/* ---- the bottom entry ---------------------------------------------------- */

static void
remember(struct pane_view *pv, const struct pane_item *it)
{
	pv->notice = it->notice ? it->index : NO_NOTICE;
	pv->msg = it->msg;
	pv->seq = it->msg && it->msg->state == ROOM_MSG_CONFIRMED ?
	    it->msg->seq : 0;
}

static bool
is_bottom(const struct pane_view *pv, const struct pane_item *it)
{
	if (pv->notice != NO_NOTICE)
		return it->notice != NULL && it->index == pv->notice;
	if (it->msg == NULL)
		return false;
	if (pv->seq > 0)
		return it->msg->state == ROOM_MSG_CONFIRMED && it->msg->seq == pv->seq;
	return it->msg == pv->msg;
}

/* The bottom entry, and the boundary before it. */
static bool
bottom(const struct pane_view *pv, const struct pane_src *src,
    struct pane_item *it, struct pane_pos *before)
{
	*before = pv->pos;
	return pane_prev(src, before, it);
}

/* The pane's bottom row on the last row of the timeline. */
static bool
at_end(struct pane_view *pv, const struct pane_src *src)
{
	struct pane_item it;
	pv->pos = pane_end(src);
	pv->cut = 0;
	pv->below = 0;
	struct pane_pos before = pv->pos;
	if (!pane_prev(src, &before, &it))
		return false;
	remember(pv, &it);
	return true;
}

/* Finds the bottom entry again after a change, walking from the end. */
static bool
relocate(struct pane_view *pv, const struct pane_src *src,
    const struct pane_geom *g)
{
	struct pane_pos pos = pane_end(src), after;
	struct pane_item it;
	int below = 0;
	for (;;) {
		after = pos;
		if (!pane_prev(src, &pos, &it))
			return false;
		if (is_bottom(pv, &it))
			break;
		below += rows_of(src, g, &it, pos);
	}
	pv->pos = after;
	pv->below = below;
	int r = rows_of(src, g, &it, pos);
	if (pv->cut >= r)
		pv->cut = r - 1;
	remember(pv, &it);
	return true;
}

/* The rows of the messages added at the end since the last frame (all
 * confirmed, from index old on: nothing else changed). */
static int
appended_rows(const struct pane_src *src, const struct pane_geom *g,
    size_t old)
{
	struct pane_pos pos = pane_end(src);
	struct pane_item it;
	int n = 0;
	while (pane_prev(src, &pos, &it) && it.msg != NULL && it.index >= old)
		n += rows_of(src, g, &it, pos);
	return n;
}

/* Moves the bottom row d rows up (d < 0: down). Past the end it is at the
 * end again (anchored goes false); past the start it stops on the first
 * row. */
static void
move(struct pane_view *pv, const struct pane_src *src,
    const struct pane_geom *g, int d)
{
	struct pane_item it, prev;
	struct pane_pos before;
	if (!bottom(pv, src, &it, &before)) {
		pv->anchored = false;
		return;
	}
	pv->cut += d;
	for (int r; pv->cut >= (r = rows_of(src, g, &it, before));) {
		struct pane_pos up = before;
		if (!pane_prev(src, &up, &prev)) {
			pv->cut = r - 1; /* the first row of all */
			break;
		}
		pv->cut -= r;
		pv->below += r;
		pv->pos = before;
		before = up;
		it = prev;
	}
	while (pv->cut < 0) {
		struct pane_pos down = pv->pos;
		if (!pane_next(src, &down, &it)) {
			pv->anchored = false;
			return;
		}
		int r = rows_of(src, g, &it, pv->pos);
		pv->pos = down;
		pv->below -= r;
		pv->cut += r;
	}
	if (pv->below < 0)
		pv->below = 0;
	bottom(pv, src, &it, &before);
	remember(pv, &it);
	if (pv->below == 0 && pv->cut == 0) {
		struct pane_pos p = pv->pos;
		if (!pane_next(src, &p, &it))
			pv->anchored = false; /* the last row: at the end */
	}
}

/* ---- the marked message -------------------------------------------------- */

static size_t
msg_index(const struct room *r, int64_t seq)
{
	size_t lo = 0, hi = r->nconfirmed;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->msgs[mid]->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nconfirmed && r->msgs[lo]->seq == seq ? lo : SIZE_MAX;
}

/* The bottom row where the marked message's first row shows a third of
 * the way down the pane (as pane_scroll_to places it). */
static bool
go_to_mark(struct pane_view *pv, const struct pane_src *src,
    const struct pane_geom *g, int rows)
{
	const struct room *r = src->room;
	size_t i = r ? msg_index(r, src->mark_seq) : SIZE_MAX;
	if (i == SIZE_MAX)
		return false;
	pv->notice = NO_NOTICE;
	pv->msg = r->msgs[i];
	pv->seq = r->msgs[i]->seq;
	pv->cut = 0;
	if (!relocate(pv, src, g))
		return false;
	struct pane_item it, prev;
	struct pane_pos before;
	bottom(pv, src, &it, &before);
	struct pane_pos p = before;
	bool has = pane_prev(src, &p, &prev);
	int all = pane_item_rows(src, g, &it, has ? &prev : NULL);
	struct pane_lines deco = { 0 };
	pane_item_lines(src, g, &it, has ? &prev : NULL, &deco);
	size_t first = 0;
	while (first < deco.n && !deco.v[first].marked)
		first++;
	pane_lines_free(&deco);
	pv->anchored = true;
	pv->cut = all - 1 - (int)first;
	move(pv, src, g, -(rows - rows / 3 - 1));
	return true;
}

/* ---- a frame ------------------------------------------------------------- */

/* ---- the lines of the entries on screen, kept ------------------------------ */

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

static uint64_t
mix_str(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = mix(h, (unsigned char)*s);
	return mix(h, s ? 1 : 0);
}

static uint64_t
mix_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return mix(h, n);
}

/* Everything of the frame an entry's lines depend on. */
static uint64_t
frame_key(const struct pane_src *src, const struct pane_geom *g)
{
	uint64_t h = mix(0, g->gen);
	h = mix_str(h, src->search);
	h = mix_str(h, src->me);
	h = mix(h, (uint64_t)src->mark_seq);
	h = mix(h, (uint64_t)src->thread);
	h = mix(h, (uint64_t)src->selected);
	h = mix(h, (uint64_t)src->seen_seq);
	if (src->theme)
		h = mix_bytes(h, src->theme, sizeof *src->theme);
	return h;
}

/* What the entry looks like: itself (a pending line's text in full: its
 * address may be a discarded one's), the day line, the new-messages
 * line. */
static uint64_t
entry_key(uint64_t fk, const struct pane_src *src, const struct pane_item *it,
    const struct pane_item *prev)
{
	uint64_t h = mix(fk, (uintptr_t)(it->msg ? (const void *)it->msg :
	    (const void *)it->notice));
	if (it->msg) {
		const struct room_msg *m = it->msg;
		h = mix(h, (uint64_t)m->seq);
		h = mix(h, (uint64_t)m->ts);
		h = mix(h, (uint64_t)m->state * 2 + m->mention);
		h = mix(h, m->changes);
		h = mix_str(h, m->error);
		if (m->state != ROOM_MSG_CONFIRMED)
			h = mix_str(h, m->text);
		h = mix(h, it->index == src->first_unread);
		if (src->thread == 0 && m->x != NULL && m->x->replies > 0)
			h = mix(h, room_new_replies(src->room, m)); /* "(1 new)" */
	} else {
		h = mix_str(h, it->notice->text);
		h = mix(h, (uint64_t)it->notice->ts * 2 + it->notice->error);
	}
	return mix(h, prev == NULL ? 1 : (uint64_t)(pane_day_of(prev->ts) ==
	    pane_day_of(it->ts)) + 2);
}

static const struct pane_lines *
entry_lines(struct pane_view *pv, uint64_t fk, const struct pane_src *src,
    const struct pane_geom *g, const struct pane_item *it,
    const struct pane_item *prev)
{
	uint64_t key = entry_key(fk, src, it, prev);
	for (size_t i = 0; i < pv->nkept; i++) {
		if (pv->kept[i].key == key) {
			pv->kept[i].frame = pv->frames;
			return &pv->kept[i].lines;
		}
	}
	xgrow(&pv->kept, &pv->capkept, pv->nkept + 1, sizeof *pv->kept);
	struct pane_kept *k = &pv->kept[pv->nkept++];
	*k = (struct pane_kept){ key, pv->frames, { 0 } };
	pane_item_lines(src, g, it, prev, &k->lines);
	return &k->lines;
}

/* What no frame drew since the last one goes. */
static void
forget_unseen(struct pane_view *pv)
{
	size_t n = 0;
	for (size_t i = 0; i < pv->nkept; i++) {
		if (pv->kept[i].frame == pv->frames)
			pv->kept[n++] = pv->kept[i];
		else
			pane_lines_free(&pv->kept[i].lines);
	}
	pv->nkept = n;
}

void
pane_frame_free(struct pane_frame *fr)
{
	free(fr->lines.v);
	memset(&fr->lines, 0, sizeof fr->lines);
}

void
pane_view_free(struct pane_view *pv)
{
	pv->frames++;
	forget_unseen(pv);
	free(pv->kept);
	memset(pv, 0, sizeof *pv);
}

/* The rows of one pane up from the bottom row; complete: the first row of
 * the timeline is among them. */
static void
fill(struct pane_view *pv, const struct pane_src *src,
    const struct pane_geom *g, int rows, struct pane_lines *out,
    bool *complete)
{
	uint64_t fk = frame_key(src, g);
	struct pane_pos pos = pv->anchored ? pv->pos : pane_end(src);
	int skip = pv->anchored ? pv->cut : 0;
	struct pane_item it, prev;
	bool have = pane_prev(src, &pos, &it), cut_top = false;
	memset(out, 0, sizeof *out);
	while (have && out->n < (size_t)rows) {
		bool more = pane_prev(src, &pos, &prev);
		const struct pane_lines *group = entry_lines(pv, fk, src, g, &it,
		    more ? &prev : NULL);
		/* bottom row first: the cut rows, then the pane, then what
		 * does not fit above it */
		for (size_t k = group->n; k-- > 0;) {
			if (skip > 0 || out->n >= (size_t)rows) {
				cut_top = skip == 0;
				skip -= skip > 0;
				continue;
			}
			xgrow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
			out->v[out->n++] = group->v[k]; /* borrowed */
		}
		it = prev;
		have = more;
	}
	*complete = !have && !cut_top;
	for (size_t i = 0, j = out->n; i + 1 < j; i++, j--) {
		struct pane_line t = out->v[i];
		out->v[i] = out->v[j - 1];
		out->v[j - 1] = t;
	}
	out->complete = *complete;
	out->mark = SIZE_MAX;
}

static bool
unread_same(const struct pane_view *pv, const struct pane_src *src)
{
	size_t was = pv->unread_at < pv->nmsgs ? pv->unread_at : SIZE_MAX;
	size_t now = src->first_unread < pv->nmsgs ? src->first_unread : SIZE_MAX;
	return was == now;
}

static void
keep(struct pane_view *pv, const struct pane_src *src,
    const struct pane_geom *g)
{
	pv->room = src->room;
	snprintf(pv->room_name, sizeof pv->room_name, "%s",
	    src->room ? src->room->name : "");
	pv->gen = g->gen;
	pv->edits = src->room ? src->room->edits : 0;
	pv->nmsgs = nmsgs(src);
	pv->nnotices = src->nnotices;
	pv->unread_at = src->first_unread;
}

void
pane_view_frame(struct pane_view *pv, const struct pane_src *src, int width,
    int rows, int scroll, bool goto_mark, struct pane_frame *out)
{
	memset(out, 0, sizeof *out);
	struct pane_geom g;
	pane_geometry(src, width, &g);
	bool same = pv->room == src->room && strcmp(pv->room_name,
	    src->room ? src->room->name : "") == 0;
	bool unchanged = same && pv->gen == g.gen && pv->nnotices == src->nnotices &&
	    pv->edits == (src->room ? src->room->edits : 0) &&
	    nmsgs(src) >= pv->nmsgs && unread_same(pv, src);
	if (!same)
		pv->anchored = false;
	if (rows > 0 && goto_mark && src->mark_seq > 0 &&
	    go_to_mark(pv, src, &g, rows)) {
		out->mark_shown = true;
	} else if (scroll <= 0 || rows <= 0) {
		pv->anchored = false;
	} else if (!pv->anchored) {
		pv->anchored = at_end(pv, src);
		if (pv->anchored)
			move(pv, src, &g, scroll);
	} else {
		if (unchanged)
			pv->below += appended_rows(src, &g, pv->nmsgs);
		else if (!relocate(pv, src, &g))
			pv->anchored = false;
		if (pv->anchored)
			move(pv, src, &g, scroll - pv->scroll);
		else if ((pv->anchored = at_end(pv, src)))
			move(pv, src, &g, scroll);
	}
	bool complete = false;
	pv->frames++;
	if (rows > 0) {
		fill(pv, src, &g, rows, &out->lines, &complete);
		/* The top of what is held came first: the pane moves down by
		 * what it lacks, so that it stays full. */
		if (complete && pv->anchored && out->lines.n < (size_t)rows) {
			move(pv, src, &g, -(rows - (int)out->lines.n));
			pane_frame_free(out);
			fill(pv, src, &g, rows, &out->lines, &complete);
		}
	}
	if (!pv->anchored)
		pv->below = pv->cut = 0;
	forget_unseen(pv);
	out->at_top = complete;
	out->scroll = pv->anchored ? pv->below + pv->cut : 0;
	pv->scroll = out->scroll;
	keep(pv, src, &g);
}
