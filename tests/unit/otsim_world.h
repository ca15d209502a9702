/*
 * The world the OT simulations run in (test_otsim.c): a seeded random
 * source, tagged text, a server model that follows docs/protocol.md
 * ("Shared documents"), and per-client links of two FIFO queues.
 *
 * The server transforms each DOC_OP from its base revision against the
 * revisions since (the stored revision is ot_transform's 'a'), stores it,
 * ACKs the sender, broadcasts it to the other open sessions and deduplicates
 * by (client, cid); DOC_OPEN since=rev replays the revisions after rev and
 * ends with DOC_STATE. A disconnect drops both queues of the link. Frames
 * carry operations as JSON.
 *
 * Every inserted text holds a unique tag, a private-use code point, so that
 * tests can follow edits through transformation.
 */
#ifndef CONFAB_TEST_OTSIM_WORLD_H
#define CONFAB_TEST_OTSIM_WORLD_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/doc.h"
#include "model/ot.h"
#include "model/otclient.h"
#include "model/utf8.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

#define MAXC 5
#define TAG_BASE 0xF0000u
#define NO_TAG UINT32_MAX
#define NONE SIZE_MAX

static uint64_t cur_seed;
static size_t cur_step;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			fail_msg("%s failed at step %zu (OTSIM_SEED=%"     \
			    PRIu64 ")", #cond, cur_step, cur_seed);        \
	} while (0)

/* ---- random numbers (splitmix64) -------------------------------------- */

static uint64_t rng_s;

static size_t
rnd(size_t n)
{
	uint64_t z = (rng_s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return (size_t)((z ^ (z >> 31)) % n);
}

/* ---- tags: unique private-use code points ----------------------------- */

struct tags {
	uint32_t *v; /* sorted, duplicates kept */
	size_t n;
};

static int
cmp_tag(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The tags in text, sorted. */
static struct tags
tags_of(const char *s)
{
	struct tags t = {malloc(strlen(s) + 1), 0};
	size_t len = strlen(s);
	CHECK(t.v != NULL);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (cp >= TAG_BASE)
			t.v[t.n++] = cp;
	}
	qsort(t.v, t.n, sizeof *t.v, cmp_tag);
	return t;
}

static size_t
tag_count(const struct tags *t, uint32_t tag)
{
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++)
		k += t->v[i] == tag;
	return k;
}

/* Code-point index of tag in s, or NONE. */
static size_t
tag_pos(const char *s, uint32_t tag)
{
	size_t len = strlen(s), cp_i = 0;
	for (size_t i = 0; i < len; cp_i++) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (cp == tag)
			return cp_i;
	}
	return NONE;
}

/* ---- links ------------------------------------------------------------ */

enum kind { M_OPEN, M_OP, M_ACK, M_STATE, M_CURSOR };

struct msg {
	enum kind kind;
	int from;     /* M_OP down, M_CURSOR: the author */
	unsigned cid; /* M_OP, M_ACK */
	size_t rev;   /* since, base, produced or head revision */
	char *json;   /* M_OP */
	struct ot_selection sel;
	uint32_t tag; /* M_CURSOR: the tag the cursor sits before */
};

struct queue {
	struct msg *m;
	size_t head, n, cap;
};

static void
q_push(struct queue *q, struct msg m)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->m = realloc(q->m, q->cap * sizeof *q->m);
		CHECK(q->m != NULL);
	}
	q->m[q->n++] = m;
}

static struct msg
q_pop(struct queue *q)
{
	struct msg m = q->m[q->head++];
	if (q->head == q->n)
		q->head = q->n = 0;
	return m;
}

static void
q_clear(struct queue *q)
{
	while (q->head < q->n)
		free(q_pop(q).json);
}

/* ---- the simulated world ---------------------------------------------- */

/* One undo step as the test expects it: each tag it inserted (sign +1, at
 * the step it did so) or deleted (sign -1). */
struct ent {
	uint32_t tag;
	int sign;
	size_t at;
};

struct rec {
	bool known;
	struct ent *e;
	size_t n;
};

struct shadow {
	struct rec *r;
	size_t n;
};

struct client {
	struct otclient *oc;
	bool connected, opening;
	size_t reconnect_at, lag;
	struct queue up, down;
	unsigned next_cid, last_sent; /* cids are numbered in order */
	uint32_t own_tag;          /* my selection sits before it */
	uint32_t cursor_tag[MAXC]; /* each stored cursor sits before it */
	struct shadow undo, redo;
	bool typing;
};

struct rev {
	struct ot_op op;
	int from;
	unsigned cid;
};

struct sim {
	int n;
	bool undo_mode;
	struct client cl[MAXC];
	struct doc *sdoc;
	struct rev *revs;
	size_t nrevs, revcap;
	size_t *seen[MAXC]; /* by cid number: the revision it produced */
	size_t seencap[MAXC];
	bool open[MAXC];
	uint32_t ntags;
	size_t *tag_event; /* by tag: step of the last local change to it */
	bool *deleted;     /* by tag: some local edit deleted it */
	size_t distinct_sent;
	struct stats {
		size_t revs, disconnects, resends, echo_acks, dups;
		size_t cursors, cursors_older, cursors_stale;
	} stats;
};

static void
shadow_push(struct shadow *s, struct rec r)
{
	s->r = realloc(s->r, (s->n + 1) * sizeof *s->r);
	CHECK(s->r != NULL);
	s->r[s->n++] = r;
	if (s->n > OTCLIENT_UNDO_MAX) {
		free(s->r[0].e);
		memmove(s->r, s->r + 1, --s->n * sizeof *s->r);
	}
}

/* When the client dropped steps others reverted, which ones is unknown. */
static void
shadow_sync(struct shadow *s, size_t depth)
{
	if (s->n == depth)
		return;
	for (size_t k = 0; k < s->n; k++)
		free(s->r[k].e);
	s->r = realloc(s->r, (depth + 1) * sizeof *s->r);
	CHECK(s->r != NULL);
	for (size_t k = 0; k < depth; k++)
		s->r[k] = (struct rec){false, NULL, 0};
	s->n = depth;
}

static void
user_of(int i, char *buf)
{
	snprintf(buf, 8, "u%d", i % MAXC);
}

/* Grows a zeroed array of elem-byte items to hold index i. */
static void *
grow(void *p, size_t *cap, size_t i, size_t elem)
{
	if (i < *cap)
		return p;
	size_t nc = (i + 1) * 2;
	char *q = realloc(p, nc * elem);
	CHECK(q != NULL);
	memset(q + *cap * elem, 0, (nc - *cap) * elem);
	*cap = nc;
	return q;
}

static void
client_send(struct sim *w, int i, const struct otclient_send *s)
{
	struct client *c = &w->cl[i];
	if (!s->ready)
		return;
	CHECK(c->connected && !c->opening);
	unsigned cid = (unsigned)strtoul(s->cid + 1, NULL, 10);
	w->distinct_sent += cid != c->last_sent; /* else a resend */
	c->last_sent = cid;
	struct msg m = {M_OP, i, cid, s->rev, ot_encode(s->op), {0, 0}, 0};
	CHECK(m.json != NULL);
	q_push(&c->up, m);
	if (rnd(50) == 0) { /* sent twice, as an eager outbox might */
		m.json = ot_encode(s->op);
		q_push(&c->up, m);
		w->stats.dups++;
	}
}

static const char *
fresh_cid(struct client *c, char *buf)
{
	snprintf(buf, 16, "k%u", c->next_cid++);
	return buf;
}

/* ---- the server ------------------------------------------------------- */

static struct msg
op_down(const struct sim *w, size_t rev)
{
	const struct rev *r = &w->revs[rev - 1];
	struct msg m = {M_OP, r->from, r->cid, rev, ot_encode(&r->op),
	    {0, 0}, 0};
	CHECK(m.json != NULL);
	return m;
}

static void
server_op(struct sim *w, int i, const struct msg *m)
{
	w->seen[i] = grow(w->seen[i], &w->seencap[i], m->cid, sizeof(size_t));
	if (w->seen[i][m->cid] != 0) {
		q_push(&w->cl[i].down, (struct msg){M_ACK, i, m->cid,
		    w->seen[i][m->cid], NULL, {0, 0}, 0});
		return;
	}
	struct ot_op op = OT_OP_INIT;
	CHECK(ot_decode(m->json, strlen(m->json), &op, NULL, 0) == OT_OK);
	CHECK(m->rev <= w->nrevs);
	for (size_t r = m->rev + 1; r <= w->nrevs; r++) {
		struct ot_op a = OT_OP_INIT, b = OT_OP_INIT;
		CHECK(ot_transform(&w->revs[r - 1].op, &op, &a, &b) == OT_OK);
		ot_free(&a);
		ot_free(&op);
		op = b;
	}
	CHECK(ot_apply_doc(w->sdoc, &op) == OT_OK);
	w->revs = grow(w->revs, &w->revcap, w->nrevs, sizeof *w->revs);
	w->revs[w->nrevs++] = (struct rev){op, i, m->cid};
	w->seen[i][m->cid] = w->nrevs;
	q_push(&w->cl[i].down, (struct msg){M_ACK, i, m->cid, w->nrevs, NULL,
	    {0, 0}, 0});
	for (int j = 0; j < w->n; j++)
		if (j != i && w->open[j])
			q_push(&w->cl[j].down, op_down(w, w->nrevs));
}

static void
server_receive(struct sim *w, int i, const struct msg *m)
{
	switch (m->kind) {
	case M_OPEN:
		CHECK(m->rev <= w->nrevs);
		w->open[i] = true;
		for (size_t r = m->rev + 1; r <= w->nrevs; r++)
			q_push(&w->cl[i].down, op_down(w, r));
		q_push(&w->cl[i].down, (struct msg){M_STATE, i, 0, w->nrevs,
		    NULL, {0, 0}, 0});
		break;
	case M_OP:
		server_op(w, i, m);
		break;
	case M_CURSOR:
		for (int j = 0; j < w->n; j++)
			if (j != i && w->open[j])
				q_push(&w->cl[j].down, *m);
		break;
	default:
		fail_msg("the server got a server frame");
	}
}

/* ---- random edits ----------------------------------------------------- */

/* Text of 1..6 code points (multibyte and emoji) holding one new tag, or
 * the tag alone (typing). */
static char *
insert_text(struct sim *w, bool typing)
{
	static const char *const alpha[] = {
		"a", "b", " ", "\n", "é", "ß", "日", "本", "😀", "𝄞",
	};
	char *s = malloc(64), tag[4];
	size_t n = typing ? 0 : 1 + rnd(5), at = rnd(n + 1), o = 0;
	CHECK(s != NULL && w->ntags < 0xFFFE);
	size_t tl = utf8_encode(TAG_BASE + w->ntags++, tag);
	for (size_t k = 0; k <= n; k++) {
		const char *p = k == at ? tag : alpha[rnd(10)];
		size_t l = k == at ? tl : strlen(p);
		memcpy(s + o, p, l);
		o += l;
	}
	s[o] = '\0';
	return s;
}

static struct ot_op
random_edit(struct sim *w, size_t len, bool *typing)
{
	struct ot_op op = OT_OP_INIT;
	bool del = len > 0 && rnd(100) < (len > 150 ? 70 : 35);
	size_t at = rnd(len + 1);
	*typing = !del && rnd(3) == 0;
	CHECK(ot_retain(&op, del && at == len ? --at : at) == OT_OK);
	if (del) {
		size_t k = 1 + rnd(len - at < 8 ? len - at : 8);
		CHECK(ot_delete(&op, k) == OT_OK);
		at += k;
	} else {
		char *t = insert_text(w, *typing);
		CHECK(ot_insert(&op, t, strlen(t)) == OT_OK);
		free(t);
	}
	CHECK(ot_retain(&op, len - at) == OT_OK);
	return op;
}

static struct tags
client_tags(const struct client *c)
{
	char *t = doc_text(otclient_doc(c->oc), NULL);
	CHECK(t != NULL);
	struct tags g = tags_of(t);
	free(t);
	return g;
}

static void
disconnect(struct sim *w, int i)
{
	struct client *c = &w->cl[i];
	q_clear(&c->up);
	q_clear(&c->down);
	w->open[i] = false;
	c->connected = c->opening = false;
	c->reconnect_at = cur_step + 1 + rnd(40);
	otclient_offline(c->oc);
	otclient_cursor_drop(c->oc, NULL);
	w->stats.disconnects++;
}

static void
reconnect(struct sim *w, int i)
{
	struct client *c = &w->cl[i];
	c->connected = c->opening = true;
	q_push(&c->up, (struct msg){M_OPEN, i, 0, otclient_rev(c->oc), NULL,
	    {0, 0}, 0});
}

/* ---- the world -------------------------------------------------------- */

static void
world_init(struct sim *w, int nclients, bool undo_mode)
{
	memset(w, 0, sizeof *w);
	w->n = nclients;
	w->undo_mode = undo_mode;
	w->sdoc = doc_new();
	w->tag_event = calloc(0xFFFF, sizeof *w->tag_event);
	w->deleted = calloc(0xFFFF, sizeof *w->deleted);
	CHECK(w->sdoc && w->tag_event && w->deleted);
	for (int i = 0; i < nclients; i++) {
		struct client *c = &w->cl[i];
		char user[8];
		user_of(i, user);
		c->oc = otclient_new(doc_new(), 0, user);
		CHECK(c->oc != NULL);
		c->lag = rnd(4);
		c->own_tag = NO_TAG;
		c->last_sent = UINT32_MAX;
		for (int j = 0; j < MAXC; j++)
			c->cursor_tag[j] = NO_TAG;
		otclient_offline(c->oc);
		reconnect(w, i);
	}
}

static void
world_free(struct sim *w)
{
	for (int i = 0; i < w->n; i++) {
		struct client *c = &w->cl[i];
		otclient_free(c->oc);
		q_clear(&c->up);
		q_clear(&c->down);
		free(c->up.m);
		free(c->down.m);
		shadow_sync(&c->undo, 0);
		shadow_sync(&c->redo, 0);
		free(c->undo.r);
		free(c->redo.r);
		free(w->seen[i]);
	}
	for (size_t r = 0; r < w->nrevs; r++)
		ot_free(&w->revs[r].op);
	free(w->revs);
	free(w->tag_event);
	free(w->deleted);
	doc_free(w->sdoc);
}

#endif
