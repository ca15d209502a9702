/*
 * fallback: which transport the link uses next, after what happened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/fallback.h"

#define P FALLBACK_PROBE_MS

static struct fallback
automatic(void)
{
	struct fallback f;
	fallback_init(&f, false, TRANSPORT_WS, 0);
	return f;
}

static void
fallback__parse__knows_the_four_names_only(void **state)
{
	(void)state;
	bool forced = true;
	enum transport tr = TRANSPORT_POLL;
	assert_true(fallback_parse("auto", &forced, &tr));
	assert_false(forced);
	assert_int_equal(tr, TRANSPORT_WS);
	assert_true(fallback_parse("sse", &forced, &tr));
	assert_true(forced);
	assert_int_equal(tr, TRANSPORT_SSE);
	assert_true(fallback_parse("poll", &forced, &tr));
	assert_int_equal(tr, TRANSPORT_POLL);
	assert_true(fallback_parse("ws", &forced, &tr));
	assert_int_equal(tr, TRANSPORT_WS);
	static const char *const bad[] = {"", "WS", "websocket", "sse ", "long", NULL};
	for (int i = 0; bad[i] != NULL; i++)
		assert_false(fallback_parse(bad[i], &forced, &tr));
	assert_false(fallback_parse(NULL, &forced, &tr));
	assert_string_equal(transport_name(TRANSPORT_SSE), "sse");
	assert_string_equal(transport_name(TRANSPORT_POLL), "poll");
	assert_string_equal(transport_name(TRANSPORT_WS), "ws");
}

static void
fallback__refused_upgrade_moves_to_sse_then_silence_to_poll(void **state)
{
	(void)state;
	struct fallback f = automatic();
	assert_int_equal(f.tr, TRANSPORT_WS);
	assert_true(fallback_outcome(&f, FB_REFUSED, 1000));
	assert_int_equal(f.tr, TRANSPORT_SSE);
	assert_true(fallback_outcome(&f, FB_SILENT, 2000));
	assert_int_equal(f.tr, TRANSPORT_POLL);
	/* nothing below long polling */
	assert_false(fallback_outcome(&f, FB_REFUSED, 3000));
	assert_false(fallback_outcome(&f, FB_SILENT, 3000));
	assert_int_equal(f.tr, TRANSPORT_POLL);
}

static void
fallback__an_unreachable_server_or_a_lost_session_keeps_the_transport(void **state)
{
	(void)state;
	struct fallback f = automatic();
	for (int i = 0; i < 5; i++) {
		assert_false(fallback_outcome(&f, FB_UNREACHABLE, i));
		assert_false(fallback_outcome(&f, FB_LOST, i));
	}
	assert_int_equal(f.tr, TRANSPORT_WS);
	fallback_outcome(&f, FB_REFUSED, 10);
	assert_false(fallback_outcome(&f, FB_UNREACHABLE, 20));
	assert_false(fallback_outcome(&f, FB_LOST, 30));
	assert_int_equal(f.tr, TRANSPORT_SSE);
}

static void
fallback__a_silent_websocket_is_a_dead_server_not_a_proxy(void **state)
{
	(void)state;
	struct fallback f = automatic();
	assert_false(fallback_outcome(&f, FB_SILENT, 0));
	assert_int_equal(f.tr, TRANSPORT_WS);
}

static void
fallback__a_forced_transport_never_moves(void **state)
{
	(void)state;
	static const enum fb_outcome all[] = {FB_CARRIED, FB_UNREACHABLE,
	    FB_REFUSED, FB_SILENT, FB_LOST};
	for (int t = TRANSPORT_WS; t <= TRANSPORT_POLL; t++) {
		struct fallback f;
		fallback_init(&f, true, (enum transport)t, 0);
		for (int i = 0; i < 5; i++) {
			assert_false(fallback_outcome(&f, all[i], 1000 * i));
			assert_false(fallback_before_attempt(&f, INT64_MAX - 1));
			assert_false(fallback_probe_due(&f, INT64_MAX - 1));
		}
		fallback_probe_done(&f, true, 0);
		assert_int_equal(f.tr, t);
	}
}

static void
fallback__probes_the_websocket_five_minutes_after_falling(void **state)
{
	(void)state;
	struct fallback f = automatic();
	assert_false(fallback_probe_due(&f, INT64_MAX - 1)); /* on the best */
	fallback_outcome(&f, FB_REFUSED, 1000);
	fallback_outcome(&f, FB_CARRIED, 1500);
	assert_false(fallback_probe_due(&f, 1000 + P - 1));
	assert_true(fallback_probe_due(&f, 1000 + P));
	/* falling further does not put the probe off */
	fallback_outcome(&f, FB_SILENT, 5000);
	assert_true(fallback_probe_due(&f, 1000 + P));
}

static void
fallback__a_failed_probe_doubles_the_wait_up_to_the_cap(void **state)
{
	(void)state;
	struct fallback f = automatic();
	fallback_outcome(&f, FB_REFUSED, 0);
	int64_t now = P, wait = P;
	for (int i = 0; i < 10; i++) {
		assert_true(fallback_probe_due(&f, now));
		fallback_probe_done(&f, false, now);
		assert_int_equal(f.tr, TRANSPORT_SSE);
		wait = wait * 2 > FALLBACK_PROBE_CAP_MS ? FALLBACK_PROBE_CAP_MS : wait * 2;
		assert_false(fallback_probe_due(&f, now + wait - 1));
		now += wait;
	}
	assert_int_equal(f.probe_every, FALLBACK_PROBE_CAP_MS);
}

static void
fallback__a_good_probe_goes_back_to_the_websocket(void **state)
{
	(void)state;
	struct fallback f = automatic();
	fallback_outcome(&f, FB_REFUSED, 0);
	fallback_outcome(&f, FB_SILENT, 10);
	assert_int_equal(f.tr, TRANSPORT_POLL);
	fallback_probe_done(&f, true, P);
	assert_int_equal(f.tr, TRANSPORT_WS);
	assert_false(fallback_probe_due(&f, INT64_MAX - 1));
	/* and a later fall starts the schedule afresh */
	fallback_outcome(&f, FB_REFUSED, 2 * P);
	assert_true(fallback_probe_due(&f, 3 * P));
}

static void
fallback__a_reconnect_after_the_probe_time_starts_from_the_top(void **state)
{
	(void)state;
	struct fallback f = automatic();
	fallback_outcome(&f, FB_REFUSED, 0);
	assert_false(fallback_before_attempt(&f, P - 1));
	assert_int_equal(f.tr, TRANSPORT_SSE);
	assert_true(fallback_before_attempt(&f, P));
	assert_int_equal(f.tr, TRANSPORT_WS);
	/* still refused: down again, and the next try waits twice as long */
	assert_true(fallback_outcome(&f, FB_REFUSED, P));
	assert_int_equal(f.tr, TRANSPORT_SSE);
	assert_false(fallback_before_attempt(&f, P + 2 * P - 1));
	assert_true(fallback_before_attempt(&f, P + 2 * P));
	/* carried on the WebSocket: the schedule is reset */
	assert_false(fallback_outcome(&f, FB_CARRIED, 4 * P));
	assert_int_equal(f.probe_every, P);
}

static void
fallback__a_probe_time_can_be_set(void **state)
{
	(void)state;
	struct fallback f;
	fallback_init(&f, false, TRANSPORT_POLL, 200);
	assert_int_equal(f.tr, TRANSPORT_WS); /* auto starts at the top */
	fallback_outcome(&f, FB_REFUSED, 0);
	assert_false(fallback_probe_due(&f, 199));
	assert_true(fallback_probe_due(&f, 200));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fallback__parse__knows_the_four_names_only),
		cmocka_unit_test(fallback__refused_upgrade_moves_to_sse_then_silence_to_poll),
		cmocka_unit_test(fallback__an_unreachable_server_or_a_lost_session_keeps_the_transport),
		cmocka_unit_test(fallback__a_silent_websocket_is_a_dead_server_not_a_proxy),
		cmocka_unit_test(fallback__a_forced_transport_never_moves),
		cmocka_unit_test(fallback__probes_the_websocket_five_minutes_after_falling),
		cmocka_unit_test(fallback__a_failed_probe_doubles_the_wait_up_to_the_cap),
		cmocka_unit_test(fallback__a_good_probe_goes_back_to_the_websocket),
		cmocka_unit_test(fallback__a_reconnect_after_the_probe_time_starts_from_the_top),
		cmocka_unit_test(fallback__a_probe_time_can_be_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
