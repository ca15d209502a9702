/*
 * Deterministic simulation of 2-5 otclients editing one document through a
 * server model (otsim_world.h), over links that keep order (WebSocket), with
 * random delays, reordering across links, duplicate sends and disconnects.
 * A client that reconnects reopens with since=otclient_rev(), counts its own
 * op among the replayed ones as its ACK and, on DOC_STATE, resends its op in
 * flight with the original cid and base revision.
 *
 * At quiescence all documents equal the server's, the revision count is the
 * number of distinct cids sent (each op applied exactly once), and no edit
 * is lost: every tag typed anywhere was inserted by one revision at most,
 * is in the final text unless an edit deleted it, and is missing from every
 * revision only if it was deleted before it was sent. Cursors are set just
 * before a tag and must stay just before it while it exists. With undo and
 * redo, each undo must revert its step (see check_reverted).
 *
 * Every seed is printed on failure; OTSIM_SEED=n reruns that seed alone and
 * OTSIM_SOAK=n runs n seeds of longer runs instead of the default ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "otsim_world.h"

/* ---- checks on one client --------------------------------------------- */

/* My selection and the stored cursors sit just before their tags. */
static void
check_cursors(const struct sim *w, int i)
{
	const struct client *c = &w->cl[i];
	char *t = doc_text(otclient_doc(c->oc), NULL);
	size_t p;
	CHECK(t != NULL);
	if (c->own_tag != NO_TAG && (p = tag_pos(t, c->own_tag)) != NONE) {
		CHECK(otclient_selection(c->oc).head == p);
		CHECK(otclient_selection(c->oc).anchor == p);
	}
	for (size_t k = 0; k < otclient_cursor_count(c->oc); k++) {
		const struct otclient_cursor *cur = otclient_cursor_at(c->oc, k);
		uint32_t tag = c->cursor_tag[cur->session[1] - '0'];
		if (tag != NO_TAG && (p = tag_pos(t, tag)) != NONE)
			CHECK(cur->sel.head == p && cur->sel.anchor == p);
	}
	free(t);
}

/* ---- the undo shadow: what each undo step must do --------------------- */

/* The step that changed the tags from before to after, now. */
static struct rec
rec_of(struct sim *w, const struct tags *before, const struct tags *after)
{
	struct rec r = {true, malloc((after->n + before->n + 1) *
	    sizeof *r.e), 0};
	size_t a = 0, b = 0;
	CHECK(r.e != NULL);
	while (a < after->n || b < before->n) {
		bool ins = b == before->n ||
		    (a < after->n && after->v[a] < before->v[b]);
		if (!ins && a < after->n && after->v[a] == before->v[b]) {
			a++, b++;
			continue;
		}
		uint32_t t = ins ? after->v[a++] : before->v[b++];
		r.e[r.n++] = (struct ent){t, ins ? 1 : -1, cur_step};
		w->tag_event[t - TAG_BASE] = cur_step;
		w->deleted[t - TAG_BASE] |= !ins;
	}
	return r;
}

static size_t
rec_count(const struct rec *r, uint32_t tag, int sign)
{
	size_t k = 0;
	for (size_t i = 0; i < r->n; i++)
		k += r->e[i].tag == tag && r->e[i].sign == sign;
	return k;
}

/* Undoing (or redoing) r turned before into after: what r deleted is back,
 * and what it inserted is gone unless some edit touched it since. Tags can
 * have copies (two users delete a tag at once, both undo), so count them. */
static void
check_reverted(const struct sim *w, const struct rec *r,
    const struct tags *before, const struct tags *after)
{
	for (size_t k = 0; r->known && k < r->n; k++) {
		const struct ent *e = &r->e[k];
		size_t n0 = tag_count(before, e->tag);
		size_t n1 = tag_count(after, e->tag);
		size_t mult = rec_count(r, e->tag, e->sign);
		if (e->sign < 0)
			CHECK(n1 == n0 + mult);
		else if (w->tag_event[e->tag - TAG_BASE] == e->at)
			CHECK(n1 + mult == n0);
	}
}

/* ---- client actions --------------------------------------------------- */

/* An edit, or in undo mode sometimes an undo, redo or undo boundary. */
static void
local_action(struct sim *w, int i)
{
	struct client *c = &w->cl[i];
	struct otclient_send s = {false, NULL, 0, NULL};
	char buf[16];
	size_t pick = w->undo_mode ? rnd(100) : 99;
	size_t ud = otclient_undo_depth(c->oc);
	struct tags before = client_tags(c), after;

	if (pick < 10) {
		otclient_undo_boundary(c->oc);
		c->typing = false;
	} else if (pick < 30) {
		bool undo = pick < 22;
		struct shadow *from = undo ? &c->undo : &c->redo;
		struct shadow *to = undo ? &c->redo : &c->undo;
		enum otclient_status st = undo ?
		    otclient_undo(c->oc, fresh_cid(c, buf), &s) :
		    otclient_redo(c->oc, fresh_cid(c, buf), &s);
		CHECK(st == (from->n ? OTCLIENT_OK : OTCLIENT_EEMPTY));
		if (st == OTCLIENT_OK) {
			after = client_tags(c);
			check_reverted(w, &from->r[from->n - 1], &before, &after);
			free(from->r[--from->n].e);
			shadow_push(to, rec_of(w, &before, &after));
			free(after.v);
			c->typing = false;
		}
	} else {
		bool typing;
		struct ot_op op = random_edit(w, doc_length(otclient_doc(c->oc)),
		    &typing);
		CHECK(otclient_local(c->oc, &op, fresh_cid(c, buf), &s) ==
		    OTCLIENT_OK);
		ot_free(&op);
		after = client_tags(c);
		struct rec r = rec_of(w, &before, &after);
		if (typing && c->typing && c->undo.n > 0) {
			struct rec *top = &c->undo.r[c->undo.n - 1];
			CHECK(otclient_undo_depth(c->oc) == ud && r.n == 1);
			top->e = realloc(top->e, (top->n + 1) * sizeof *top->e);
			CHECK(top->e != NULL);
			top->e[top->n++] = r.e[0];
			free(r.e);
		} else {
			shadow_push(&c->undo, r);
		}
		shadow_sync(&c->redo, 0);
		c->typing = typing;
		free(after.v);
	}
	free(before.v);
	if (w->undo_mode) {
		CHECK(otclient_undo_depth(c->oc) == c->undo.n);
		CHECK(otclient_redo_depth(c->oc) == c->redo.n);
	}
	client_send(w, i, &s);
	if (!w->undo_mode)
		check_cursors(w, i);
}

/* Puts my selection before a random tag of mine; when synchronized and
 * online, tells the others. */
static void
cursor_action(struct sim *w, int i)
{
	struct client *c = &w->cl[i];
	struct tags t = client_tags(c);
	if (t.n > 0) {
		uint32_t tag = t.v[rnd(t.n)];
		char *s = doc_text(otclient_doc(c->oc), NULL);
		size_t p = tag_pos(s, tag);
		free(s);
		otclient_set_selection(c->oc, (struct ot_selection){p, p});
		c->own_tag = tag;
		if (c->connected && !c->opening &&
		    otclient_state(c->oc) == OTCLIENT_SYNCHRONIZED)
			q_push(&c->up, (struct msg){M_CURSOR, i, 0,
			    otclient_rev(c->oc), NULL, {p, p}, tag});
	}
	free(t.v);
}

static void
client_receive(struct sim *w, int i, struct msg *m)
{
	struct client *c = &w->cl[i];
	struct otclient_send s = {false, NULL, 0, NULL};
	char buf[16], user[8], cid[16];
	struct ot_op op = OT_OP_INIT;

	switch (m->kind) {
	case M_OP:
		CHECK(ot_decode(m->json, strlen(m->json), &op, NULL, 0) == OT_OK);
		user_of(m->from, user);
		snprintf(cid, sizeof cid, "k%u", m->cid);
		w->stats.echo_acks += m->from == i;
		CHECK(otclient_server_op(c->oc, m->rev, &op, user, cid,
		    fresh_cid(c, buf), &s) == OTCLIENT_OK);
		ot_free(&op);
		if (otclient_undo_depth(c->oc) != c->undo.n)
			c->typing = false; /* the typing step may be gone */
		shadow_sync(&c->undo, otclient_undo_depth(c->oc));
		shadow_sync(&c->redo, otclient_redo_depth(c->oc));
		break;
	case M_ACK: {
		snprintf(cid, sizeof cid, "k%u", m->cid);
		/* A duplicate send is ACKed twice; the second ACK finds
		 * nothing in flight under its cid and changes nothing. */
		enum otclient_status st = otclient_ack(c->oc, cid, m->rev,
		    fresh_cid(c, buf), &s);
		CHECK(st == OTCLIENT_OK || st == OTCLIENT_ESTATE);
		break;
	}
	case M_STATE:
		CHECK(m->rev == otclient_rev(c->oc));
		c->opening = false;
		w->stats.resends += otclient_resend(c->oc, &s);
		break;
	case M_CURSOR: {
		char session[8];
		user_of(m->from, session);
		enum otclient_status st = otclient_cursor_set(c->oc, session,
		    session, m->rev, m->sel);
		CHECK(st == OTCLIENT_OK || st == OTCLIENT_EREV);
		c->cursor_tag[m->from] = st == OTCLIENT_OK ? m->tag : NO_TAG;
		if (st != OTCLIENT_OK)
			otclient_cursor_drop(c->oc, session);
		w->stats.cursors++;
		w->stats.cursors_older += m->rev < otclient_rev(c->oc);
		w->stats.cursors_stale += st != OTCLIENT_OK;
		break;
	}
	default:
		fail_msg("a client got a client frame");
	}
	client_send(w, i, &s);
	if (!w->undo_mode)
		check_cursors(w, i);
}

/* Delivers the next frame of a random non-empty queue (a slow link often
 * declines); false when every queue is empty. */
static bool
deliver(struct sim *w, bool eager)
{
	struct queue *qs[2 * MAXC];
	int who[2 * MAXC], nq = 0;
	for (int i = 0; i < w->n; i++) {
		if (w->cl[i].up.head < w->cl[i].up.n)
			who[nq] = i, qs[nq++] = &w->cl[i].up;
		if (w->cl[i].down.head < w->cl[i].down.n)
			who[nq] = -1 - i, qs[nq++] = &w->cl[i].down;
	}
	if (nq == 0)
		return false;
	int k = (int)rnd((size_t)nq), i = who[k] < 0 ? -1 - who[k] : who[k];
	if (!eager && rnd(4) < w->cl[i].lag)
		return true;
	struct msg m = q_pop(qs[k]);
	if (who[k] >= 0)
		server_receive(w, i, &m);
	else
		client_receive(w, i, &m);
	free(m.json);
	return true;
}

/* ---- one run ---------------------------------------------------------- */

/* At quiescence: one text everywhere and one revision per distinct cid
 * sent; outside undo mode, no tag inserted twice, none lost: a tag no local
 * edit deleted is in the final text, and only a deleted one can be missing
 * from every revision (typed and deleted again in the same buffer). */
static void
check_converged(struct sim *w)
{
	char *want = doc_text(w->sdoc, NULL);
	CHECK(want != NULL);
	for (int i = 0; i < w->n; i++) {
		const struct client *c = &w->cl[i];
		char *got = doc_text(otclient_doc(c->oc), NULL);
		CHECK(got != NULL);
		CHECK(strcmp(got, want) == 0);
		CHECK(otclient_pending(c->oc) == 0);
		CHECK(otclient_rev(c->oc) == w->nrevs);
		free(got);
	}
	CHECK(w->distinct_sent == w->nrevs);
	unsigned char *times = calloc(w->ntags + 1, 1);
	struct tags final = tags_of(want);
	CHECK(times != NULL);
	for (size_t r = 0; r < w->nrevs; r++) {
		const struct ot_op *op = &w->revs[r].op;
		for (size_t k = 0; k < op->ncomps; k++) {
			if (op->comps[k].kind != OT_INSERT)
				continue;
			struct tags t = tags_of(op->comps[k].text);
			for (size_t j = 0; j < t.n; j++)
				times[t.v[j] - TAG_BASE]++;
			free(t.v);
		}
	}
	for (uint32_t k = 0; !w->undo_mode && k < w->ntags; k++) {
		CHECK(times[k] <= 1);
		CHECK(times[k] == 1 || w->deleted[k]);
		CHECK(w->deleted[k] || tag_count(&final, TAG_BASE + k) == 1);
	}
	free(times);
	free(final.v);
	free(want);
}

static void
run(uint64_t seed, size_t steps, bool undo_mode, struct stats *tot)
{
	struct sim w;
	cur_seed = seed;
	cur_step = 0;
	rng_s = seed;
	world_init(&w, 2 + (int)rnd(MAXC - 1), undo_mode);
	for (cur_step = 1; cur_step <= steps; cur_step++) {
		for (int i = 0; i < w.n; i++)
			if (!w.cl[i].connected && w.cl[i].reconnect_at <= cur_step)
				reconnect(&w, i);
		size_t r = rnd(100);
		int i = (int)rnd((size_t)w.n);
		if (r < 30)
			local_action(&w, i);
		else if (r < 32 && w.cl[i].connected)
			disconnect(&w, i);
		else if (r < 36 && !undo_mode)
			cursor_action(&w, i);
		else if (!deliver(&w, false))
			local_action(&w, i);
	}
	for (int i = 0; i < w.n; i++)
		if (!w.cl[i].connected)
			reconnect(&w, i);
	while (deliver(&w, true))
		cur_step++;
	check_converged(&w);
	w.stats.revs = w.nrevs;
	size_t *from = (size_t *)&w.stats, *to = (size_t *)tot;
	for (size_t k = 0; k < sizeof *tot / sizeof(size_t); k++)
		to[k] += from[k];
	world_free(&w);
}

/* Runs seeds base.. (or OTSIM_SEED alone, or OTSIM_SOAK seeds) */
static void
run_seeds(const char *what, uint64_t base, size_t seeds, size_t steps,
    bool undo_mode)
{
	struct stats t;
	size_t n = 1;
	memset(&t, 0, sizeof t);
	const char *one = getenv("OTSIM_SEED"), *soak = getenv("OTSIM_SOAK");
	if (one != NULL) {
		run(strtoull(one, NULL, 0), steps, undo_mode, &t);
	} else {
		if (soak != NULL) {
			seeds = strtoul(soak, NULL, 0);
			steps *= 5;
		}
		for (size_t k = 0; k < seeds; k++)
			run(base + k, steps, undo_mode, &t);
		n = seeds;
	}
	print_message("%s: %zu seeds x %zu steps: %zu revisions, %zu "
	    "disconnects, %zu resends, %zu own ops as ACK, %zu duplicate "
	    "sends, %zu cursors (%zu from older revisions, %zu too old)\n",
	    what, n, steps, t.revs, t.disconnects, t.resends, t.echo_acks,
	    t.dups, t.cursors, t.cursors_older, t.cursors_stale);
}

TEST(sim__clients_converge_and_lose_no_edit_across_disconnects)
{
	run_seeds("sim", UINT64_C(1000), 200, 1500, false);
}

TEST(sim__undo_and_redo_with_interleaved_remote_edits_converge)
{
	run_seeds("undo sim", UINT64_C(50000), 100, 1500, true);
}

/* One writer, each edit its own step: undo and redo walk a linear history
 * of texts exactly. */
TEST(undo__single_writer_matches_a_linear_history)
{
	for (uint64_t seed = 90000; seed < 90200; seed++) {
		struct sim w;
		char *hist[2][400];
		size_t nh[2] = {0, 0};
		cur_seed = rng_s = seed;
		world_init(&w, 1, false);
		struct otclient *c = w.cl[0].oc;
		otclient_offline(c);
		for (cur_step = 1; cur_step <= 300; cur_step++) {
			struct otclient_send s;
			char *text = doc_text(otclient_doc(c), NULL);
			size_t pick = rnd(10);
			int dir = pick < 3 ? 0 : 1; /* undo pops 0, redo pops 1 */
			if (pick < 5 && nh[dir] > 0) {
				CHECK((dir == 0 ? otclient_undo(c, "x", &s) :
				    otclient_redo(c, "x", &s)) == OTCLIENT_OK);
				hist[1 - dir][nh[1 - dir]++] = text;
				text = hist[dir][--nh[dir]];
			} else {
				bool typing;
				struct ot_op op = random_edit(&w,
				    doc_length(otclient_doc(c)), &typing);
				otclient_undo_boundary(c);
				CHECK(otclient_local(c, &op, "x", &s) == OTCLIENT_OK);
				ot_free(&op);
				hist[0][nh[0]++] = text;
				if (nh[0] > OTCLIENT_UNDO_MAX) {
					free(hist[0][0]);
					memmove(hist[0], hist[0] + 1,
					    --nh[0] * sizeof hist[0][0]);
				}
				while (nh[1] > 0)
					free(hist[1][--nh[1]]);
				text = NULL;
			}
			char *got = doc_text(otclient_doc(c), NULL);
			CHECK(text == NULL || strcmp(got, text) == 0);
			free(got);
			free(text);
		}
		for (int d = 0; d < 2; d++)
			while (nh[d] > 0)
				free(hist[d][--nh[d]]);
		world_free(&w);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sim__clients_converge_and_lose_no_edit_across_disconnects),
		cmocka_unit_test(sim__undo_and_redo_with_interleaved_remote_edits_converge),
		cmocka_unit_test(undo__single_writer_matches_a_linear_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
