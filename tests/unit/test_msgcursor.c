/*
 * msgcursor: the message cursor steps over a view of the room by seq.
 */
#include "room_fixture.h"

#include "model/msgcursor.h"

static void
reply(struct room *r, int64_t seq, int64_t root)
{
	struct proto_message m = pmsg(seq, "bob", "re", NULL);
	m.thread = root;
	room_add_message(r, &m, false);
}

static void
msgcursor__steps_over_the_timeline_leaving_replies_out(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	reply(r, 3, 1);
	fill(r, 4, 4);
	assert_int_equal(msgcursor_last(r, 0), 4);
	assert_int_equal(msgcursor_step(r, 0, 4, -1), 2);
	assert_int_equal(msgcursor_step(r, 0, 2, -1), 1);
	assert_int_equal(msgcursor_step(r, 0, 1, -1), 1);
	assert_int_equal(msgcursor_step(r, 0, 2, 1), 4);
	assert_int_equal(msgcursor_step(r, 0, 4, 1), 0);
}

static void
msgcursor__a_thread_is_its_root_and_its_replies(void **state)
{
	struct room *r = *state;
	fill(r, 1, 2);
	reply(r, 3, 1);
	reply(r, 4, 2);
	reply(r, 5, 1);
	assert_int_equal(msgcursor_last(r, 1), 5);
	assert_int_equal(msgcursor_step(r, 1, 5, -1), 3);
	assert_int_equal(msgcursor_step(r, 1, 3, -1), 1);
	assert_int_equal(msgcursor_step(r, 1, 1, 1), 3);
}

static void
msgcursor__skips_tombstones_and_pending_lines(void **state)
{
	struct room *r = *state;
	fill(r, 1, 3);
	room_apply_delete(r, 2);
	room_add_pending(r, "c1", "wait", 10);
	assert_int_equal(msgcursor_last(r, 0), 3);
	assert_int_equal(msgcursor_step(r, 0, 3, -1), 1);
}

static void
msgcursor__steps_on_from_a_message_that_went(void **state)
{
	struct room *r = *state;
	fill(r, 5, 8);
	assert_int_equal(msgcursor_step(r, 0, 3, 1), 5);
	assert_int_equal(msgcursor_step(r, 0, 7, -1), 6);
	assert_null(msgcursor_msg(r, 3));
	assert_non_null(msgcursor_msg(r, 6));
	assert_int_equal(msgcursor_last(r, 9), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(msgcursor__steps_over_the_timeline_leaving_replies_out),
		T(msgcursor__a_thread_is_its_root_and_its_replies),
		T(msgcursor__skips_tombstones_and_pending_lines),
		T(msgcursor__steps_on_from_a_message_that_went),
	};
	return cmocka_run_group_tests_name("msgcursor", tests, NULL, NULL);
}
