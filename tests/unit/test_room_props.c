/*
 * room, as properties: whatever order and duplication the server's frames
 * arrive in (live, replayed, acked, in snapshots and history pages), the
 * timeline ends up holding each seq once, in order, with no line left
 * pending. (Running out of memory aborts: model/xmalloc.h.)
 */
#include <stdio.h>

#include "room_fixture.h"

/* ---- a randomised merge -------------------------------------------------- */

static uint64_t
rnd(uint64_t *s)
{
	/* xorshift64*: plenty for shuffling test input. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

enum ev_kind { EV_LIVE, EV_ACK, EV_PAGE, EV_JOINED };

struct ev {
	enum ev_kind kind;
	int64_t from, to; /* one seq, or a page's range */
};

#define RN 240
#define MAX_EVENTS (RN * 6 + 64)

static bool
own_seq(int64_t s)
{
	return s % 3 == 0;
}

static void
cid_of(int64_t s, char *buf, size_t n)
{
	snprintf(buf, n, "c%lld", (long long)s);
}

static struct proto_message
random_msg(int64_t s, char *cid, size_t n)
{
	cid_of(s, cid, n);
	return (struct proto_message){.room = "lobby", .seq = s, .id = "id",
	    .user = own_seq(s) ? ME : "bob", .text = "text", .ts = 1000 + s,
	    .cid = cid};
}

/* The user sends a message before the server can know of it. */
static void
send_before(struct room *r, int64_t from, int64_t to, bool *sent)
{
	for (int64_t s = from; s <= to; s++) {
		if (own_seq(s) && !sent[s]) {
			char cid[16];
			cid_of(s, cid, sizeof cid);
			assert_true(room_add_pending(r, cid, "text", s));
			sent[s] = true;
		}
	}
}

static void
deliver(struct room *r, const struct ev *e, bool *sent, bool *held,
    unsigned *want_unread)
{
	static struct proto_message buf[RN];
	static char cids[RN][16];
	send_before(r, e->from, e->to, sent);
	if (e->kind == EV_ACK) {
		char cid[16];
		cid_of(e->from, cid, sizeof cid);
		room_ack(r, cid, e->from, 1000 + e->from);
		held[e->from] = true;
		return;
	}
	struct proto_frame f = proto_frame_of(e->kind == EV_JOINED ? PT_JOINED :
	    PT_HISTORY);
	size_t n = 0;
	for (int64_t s = e->from; s <= e->to; s++, n++)
		buf[n] = random_msg(s, cids[n], sizeof cids[n]);
	f.messages = buf;
	f.nmessages = n;
	f.seq = e->to;
	f.more = e->from > 1;
	if (e->kind == EV_LIVE)
		room_add_message(r, &buf[0], true);
	else if (e->kind == EV_JOINED)
		room_apply_joined(r, &f);
	else
		room_apply_history(r, &f);
	/* What counts: a new line of another user's, by a way that may count,
	 * newer than what was read when it arrived. */
	for (int64_t s = e->from; s <= e->to; s++) {
		if (!held[s] && !own_seq(s) && e->kind != EV_PAGE &&
		    s > r->read_seq)
			(*want_unread)++;
		held[s] = true;
	}
}

static size_t
make_events(struct ev *evs, uint64_t *seed)
{
	size_t n = 0;
	for (int64_t s = 1; s <= RN; s++) {
		for (uint64_t k = 1 + rnd(seed) % 3; k > 0; k--)
			evs[n++] = (struct ev){EV_LIVE, s, s};
		if (own_seq(s))
			for (uint64_t k = 1 + rnd(seed) % 2; k > 0; k--)
				evs[n++] = (struct ev){EV_ACK, s, s};
	}
	for (int p = 0; p < 20; p++) {
		int64_t from = 1 + (int64_t)(rnd(seed) % RN);
		int64_t len = 1 + (int64_t)(rnd(seed) % 50);
		int64_t to = from + len - 1 < RN ? from + len - 1 : RN;
		evs[n++] = (struct ev){EV_PAGE, from, to};
	}
	for (size_t i = n; i > 1; i--) {
		size_t j = rnd(seed) % i;
		struct ev t = evs[i - 1];
		evs[i - 1] = evs[j];
		evs[j] = t;
	}
	/* Usually the snapshot comes first, as on the wire; sometimes late. */
	int64_t top = RN / 2 + (int64_t)(rnd(seed) % (RN / 2));
	struct ev joined = {EV_JOINED, top > 50 ? top - 49 : 1, top};
	size_t at = rnd(seed) % 4 == 0 ? rnd(seed) % n : 0;
	memmove(&evs[at + 1], &evs[at], (n - at) * sizeof *evs);
	evs[at] = joined;
	return n + 1;
}

static void
room__merge__any_order_and_duplication_holds_each_seq_once(void **state)
{
	(void)state;
	static struct ev evs[MAX_EVENTS];
	for (uint64_t seed = 1; seed <= 40; seed++) {
		uint64_t s = seed * UINT64_C(0x9e3779b97f4a7c15);
		size_t n = make_events(evs, &s);
		struct room *r = room_new("lobby", ME);
		assert_non_null(r);
		bool sent[RN + 1] = {false}, held[RN + 1] = {false};
		unsigned want_unread = 0;
		for (size_t i = 0; i < n; i++) {
			deliver(r, &evs[i], sent, held, &want_unread);
			assert_consistent(r);
		}
		assert_int_equal(r->nmsgs, RN);
		assert_int_equal(r->nconfirmed, RN);
		for (int64_t k = 1; k <= RN; k++) {
			const struct room_msg *m = r->msgs[k - 1];
			assert_int_equal(m->seq, k);
			assert_string_equal(m->user, own_seq(k) ? ME : "bob");
		}
		assert_int_equal(r->last_seq, RN);
		assert_int_equal(r->head, RN);
		assert_false(r->more_before);
		assert_int_equal(r->unread, want_unread);
		room_free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(room__merge__any_order_and_duplication_holds_each_seq_once),
	};
	return cmocka_run_group_tests_name("room_props", tests, NULL, NULL);
}
