/*
 * The fixture the room tests share: a room for "alice" in "lobby", ways to
 * feed it messages and frames, and the invariants every operation keeps.
 * Static inline, so that each test program uses what it needs.
 */
#ifndef CONFAB_TEST_ROOM_FIXTURE_H
#define CONFAB_TEST_ROOM_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/room.h"

#define ME "alice"

static inline int
setup(void **state)
{
	struct room *r = room_new("lobby", ME);
	if (r == NULL)
		return -1;
	*state = r;
	return 0;
}

static inline int
teardown(void **state)
{
	room_free(*state);
	return 0;
}

static inline struct proto_message
pmsg(int64_t seq, const char *user, const char *text, const char *cid)
{
	return (struct proto_message){.room = "lobby", .seq = seq, .id = "id",
	    .user = user, .text = text, .ts = 1000 + seq, .cid = cid};
}

/* Another user's live message. */
static inline bool
live(struct room *r, int64_t seq, const char *user, const char *text)
{
	struct proto_message m = pmsg(seq, user, text, NULL);
	return room_add_message(r, &m, true);
}

/* The server's echo of the local user's message. */
static inline bool
echo(struct room *r, int64_t seq, const char *cid)
{
	struct proto_message m = pmsg(seq, ME, "mine", cid);
	return room_add_message(r, &m, false);
}

static inline void
fill(struct room *r, int64_t from, int64_t to)
{
	for (int64_t s = from; s <= to; s++)
		live(r, s, "bob", "hi");
}

/* A frame over messages[from..to] (borrowed; the room copies). */
static inline struct proto_frame
page(enum proto_type t, struct proto_message *buf, int64_t from, int64_t to,
    bool more)
{
	struct proto_frame f = proto_frame_of(t);
	size_t n = 0;
	for (int64_t s = from; s <= to; s++)
		buf[n++] = pmsg(s, "bob", "old", NULL);
	f.messages = buf;
	f.nmessages = n;
	f.more = more;
	f.seq = to;
	return f;
}

/* The invariants every operation keeps. */
static inline void
assert_consistent(const struct room *r)
{
	assert_true(r->nconfirmed <= r->nmsgs && r->nmsgs <= r->capmsgs);
	bool run = false; /* loose messages come before the run's */
	for (size_t i = 0; i < r->nmsgs; i++) {
		const struct room_msg *m = r->msgs[i];
		assert_non_null(m->user);
		assert_non_null(m->text);
		if (i < r->nconfirmed && !m->loose)
			run = true;
		else if (i < r->nconfirmed)
			assert_false(run);
		if (i < r->nconfirmed) {
			assert_int_equal(m->state, ROOM_MSG_CONFIRMED);
			assert_true(m->seq > 0 && m->seq <= r->head);
			if (i > 0)
				assert_true(r->msgs[i - 1]->seq < m->seq);
		} else {
			assert_int_not_equal(m->state, ROOM_MSG_CONFIRMED);
			assert_non_null(m->cid);
			for (size_t k = r->nconfirmed; k < i; k++)
				assert_string_not_equal(r->msgs[k]->cid, m->cid);
		}
	}
	assert_true(r->last_seq <= r->head);
}

static inline void
assert_seqs(const struct room *r, const int64_t *want, size_t n)
{
	assert_int_equal(r->nconfirmed, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r->msgs[i]->seq, want[i]);
	assert_consistent(r);
}

#define SEQS(r, ...)                                                         \
	do {                                                                 \
		const int64_t want_[] = {__VA_ARGS__};                       \
		assert_seqs((r), want_, sizeof want_ / sizeof *want_);       \
	} while (0)

#endif
