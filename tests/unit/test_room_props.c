/*
 * room, as properties: whatever order and duplication the server's frames
 * arrive in (live, replayed, acked, in snapshots and history pages), the
 * timeline ends up holding each seq once, in order, with no line left
 * pending; and running out of memory at any allocation leaves the room
 * consistent (unchanged when the call says it failed).
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
	return (struct proto_message){"lobby", s, "id", own_seq(s) ? ME : "bob",
	    "text", 1000 + s, cid};
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
		room_ack(r, cid, e->from, "id", 1000 + e->from);
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
			const struct room_msg *m = &r->msgs[k - 1];
			assert_int_equal(m->seq, k);
			assert_string_equal(m->user, own_seq(k) ? ME : "bob");
			assert_string_equal(m->id, "id");
		}
		assert_int_equal(r->last_seq, RN);
		assert_int_equal(r->head, RN);
		assert_false(r->more_before);
		assert_int_equal(r->unread, want_unread);
		room_free(r);
	}
}

/* ---- running out of memory ----------------------------------------------- */

/*
 * glibc lets a program replace malloc (its own strdup and friends then call
 * the replacement), so these tests make the nth allocation fail and check
 * that the room is still whole: unchanged when the call reports failure,
 * consistent always. AddressSanitizer owns malloc itself, so under it these
 * tests are skipped.
 */
#if defined(__SANITIZE_ADDRESS__)
#define FAULTS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define FAULTS 0
#endif
#endif
#if !defined(FAULTS) && defined(__GLIBC__)
#define FAULTS 1
#endif

#if FAULTS
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long fail_in = -1; /* allocations before the one that fails */
static bool failed;

static bool
fault(void)
{
	if (fail_in < 0 || fail_in-- > 0)
		return false;
	failed = true; /* only this one: later calls may succeed again */
	return true;
}

void *malloc(size_t n) { return fault() ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t m) { return fault() ? NULL : __libc_calloc(n, m); }
void *realloc(void *p, size_t n) { return fault() ? NULL : __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }

/* Everything the UI can see, as text, to compare before and after. */
static void
dump(const struct room *r, char *out, size_t n)
{
	size_t k = 0;
#define PUT(...) (k += (size_t)snprintf(out + k, n - k, __VA_ARGS__), \
	    assert_true(k < n))
	PUT("%s %s h%lld l%lld r%lld u%u m%u b%d j%d|", r->name,
	    r->me ? r->me : "-", (long long)r->head, (long long)r->last_seq,
	    (long long)r->read_seq, r->unread, r->mentions, r->more_before,
	    r->joined);
	for (size_t i = 0; i < r->nmsgs; i++) {
		const struct room_msg *m = &r->msgs[i];
		PUT("%d %lld %s %s %s %s %lld %s %d;", (int)m->state,
		    (long long)m->seq, m->id ? m->id : "-", m->user, m->text,
		    m->cid ? m->cid : "-", (long long)m->ts,
		    m->error ? m->error : "-", m->mention);
	}
	for (size_t i = 0; i < r->nmembers; i++)
		PUT("%s %d %s %lld;", r->members[i].user, (int)r->members[i].status,
		    r->members[i].text, (long long)r->members[i].last_seen);
	for (size_t i = 0; i < r->ntyping; i++)
		PUT("%s;", r->typing[i]);
#undef PUT
}

static bool
holds(const struct room *r, int64_t seq)
{
	for (size_t i = 0; i < r->nconfirmed; i++)
		if (r->msgs[i].seq == seq)
			return true;
	return false;
}

typedef void (*prep_fn)(struct room *);
typedef bool (*op_fn)(struct room *); /* true: the operation took effect */

/* Fails allocation 0, 1, 2, ... of op until it runs with none failing. */
static void
all_or_nothing(prep_fn prep, op_fn op)
{
	static char before[1 << 14], after[1 << 14];
	for (long n = 0;; n++) {
		struct room *r = room_new("lobby", ME);
		assert_non_null(r);
		prep(r);
		dump(r, before, sizeof before);
		failed = false;
		fail_in = n;
		bool ok = op(r);
		fail_in = -1;
		assert_consistent(r);
		dump(r, after, sizeof after);
		room_free(r);
		if (!failed) {
			assert_true(ok);
			return;
		}
		if (!ok)
			assert_string_equal(before, after);
	}
}

static void
prep_lines(struct room *r)
{
	fill(r, 1, 3);
	room_add_pending(r, "a", "pending", 1);
	room_set_member(r, "bob", PS_ONLINE, "", 1);
	room_set_typing(r, "bob", true);
}

static bool
op_pending(struct room *r)
{
	return room_add_pending(r, "b", "hello", 2);
}

static bool
op_live(struct room *r)
{
	return live(r, 5, "bob", "@alice look");
}

static bool
op_echo(struct room *r)
{
	return echo(r, 4, "a");
}

static bool
op_ack(struct room *r)
{
	return room_ack(r, "a", 4, "981", 9);
}

static bool
op_fail(struct room *r)
{
	/* Even without memory for the reason, the line must stop looking in
	 * flight. */
	return room_fail(r, "a", "refused") &&
	    room_find_cid(r, "a")->state == ROOM_MSG_FAILED;
}

static bool
op_new_member(struct room *r)
{
	room_set_member(r, "carol", PS_AWAY, "out", 2);
	return room_find_member(r, "carol") != NULL;
}

static bool
op_update_member(struct room *r)
{
	room_set_member(r, "bob", PS_BUSY, "busy now", 2);
	return strcmp(room_find_member(r, "bob")->text, "busy now") == 0;
}

static bool
op_typing(struct room *r)
{
	room_set_typing(r, "carol", true);
	return r->ntyping == 2;
}

static bool
op_set_me(struct room *r)
{
	return room_set_me(r, "carol");
}

static void
room__oom__a_failed_call_leaves_the_room_unchanged(void **state)
{
	(void)state;
	all_or_nothing(prep_lines, op_pending);
	all_or_nothing(prep_lines, op_live);
	all_or_nothing(prep_lines, op_echo);
	all_or_nothing(prep_lines, op_ack);
	all_or_nothing(prep_lines, op_fail);
	all_or_nothing(prep_lines, op_new_member);
	all_or_nothing(prep_lines, op_update_member);
	all_or_nothing(prep_lines, op_typing);
	all_or_nothing(prep_lines, op_set_me);
}

static struct proto_frame
snapshot(struct proto_message *buf)
{
	static struct proto_member mem[] = {{"carol", PS_ONLINE, "", 1},
	    {"dave", PS_AWAY, "x", 2}};
	static const char *typing[] = {"carol"};
	for (int64_t s = 1; s <= 8; s++)
		buf[s - 1] = pmsg(s, s == 4 ? ME : "bob", "x", s == 4 ? "a" : NULL);
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.seq = 8;
	f.messages = buf;
	f.nmessages = 8;
	f.members = mem;
	f.nmembers = 2;
	f.typing = typing;
	f.ntyping = 1;
	return f;
}

static void
room__oom__a_snapshot_merged_in_part_can_be_completed(void **state)
{
	(void)state;
	struct proto_message buf[8];
	struct proto_frame f = snapshot(buf);
	for (long n = 0;; n++) {
		struct room *r = room_new("lobby", ME);
		prep_lines(r);
		failed = false;
		fail_in = n;
		room_apply_joined(r, &f);
		fail_in = -1;
		assert_consistent(r);
		/* Members are replaced whole or not at all. */
		assert_true(r->nmembers == 1 || r->nmembers == 2);
		/* The resume point never covers a line the room lacks. */
		for (int64_t s = 1; s <= r->last_seq; s++)
			assert_true(holds(r, s));
		bool done = !failed;
		room_apply_joined(r, &f);
		assert_int_equal(r->nconfirmed, 8);
		assert_int_equal(r->nmsgs, 8);
		assert_int_equal(r->last_seq, 8);
		assert_int_equal(r->nmembers, 2);
		room_free(r);
		if (done)
			return;
	}
}

static void
room__oom__a_history_page_merged_in_part_can_be_completed(void **state)
{
	(void)state;
	struct proto_message buf[8];
	for (long n = 0;; n++) {
		struct room *r = room_new("lobby", ME);
		fill(r, 9, 10);
		struct proto_frame f = page(PT_HISTORY, buf, 1, 8, false);
		failed = false;
		fail_in = n;
		room_apply_history(r, &f);
		fail_in = -1;
		assert_consistent(r);
		assert_int_equal(r->last_seq, 10);
		bool done = !failed;
		room_apply_history(r, &f);
		assert_int_equal(r->nconfirmed, 10);
		assert_false(r->more_before);
		room_free(r);
		if (done)
			return;
	}
}

static void
room__oom__room_new_fails_cleanly(void **state)
{
	(void)state;
	for (long n = 0;; n++) {
		failed = false;
		fail_in = n;
		struct room *r = room_new("lobby", ME);
		fail_in = -1;
		if (!failed) {
			assert_non_null(r);
			room_free(r);
			return;
		}
		assert_null(r);
	}
}

#define OOM_TESTS                                                            \
	cmocka_unit_test(room__oom__a_failed_call_leaves_the_room_unchanged),  \
	cmocka_unit_test(room__oom__a_snapshot_merged_in_part_can_be_completed), \
	cmocka_unit_test(room__oom__a_history_page_merged_in_part_can_be_completed), \
	cmocka_unit_test(room__oom__room_new_fails_cleanly),
#else
#define OOM_TESTS
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(room__merge__any_order_and_duplication_holds_each_seq_once),
		OOM_TESTS
	};
	return cmocka_run_group_tests_name("room_props", tests, NULL, NULL);
}
