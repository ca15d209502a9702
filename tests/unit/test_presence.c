/*
 * presence: a user's presence shown over all their sessions, and a room's
 * typing set with expiry. Every mutating call answers "did what others see
 * change?", which decides whether the server broadcasts; the tests pin that
 * answer down in both directions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/presence.h"
#include "model/utf8.h"

static int
setup_presence(void **state)
{
	struct presence *p = malloc(sizeof *p);
	if (p == NULL)
		return -1;
	presence_init(p);
	*state = p;
	return 0;
}

static int
teardown_presence(void **state)
{
	presence_clear(*state);
	free(*state);
	return 0;
}

static int
setup_typing(void **state)
{
	struct typing *t = malloc(sizeof *t);
	if (t == NULL)
		return -1;
	typing_init(t);
	*state = t;
	return 0;
}

static int
teardown_typing(void **state)
{
	typing_clear_all(*state);
	free(*state);
	return 0;
}

static void
assert_shown(const struct presence *p, enum proto_status status, const char *text)
{
	struct presence_view v = presence_view(p);
	assert_int_equal(v.status, status);
	assert_non_null(v.text);
	assert_string_equal(v.text, text);
}

/* ---- presence: one session ----------------------------------------------- */

static void
presence__view__is_offline_with_no_session(void **state)
{
	struct presence *p = *state;
	assert_shown(p, PS_OFFLINE, "");
	assert_int_equal(presence_sessions(p), 0);
}

static void
presence__open__first_session_shows_online_and_reports_a_change(void **state)
{
	struct presence *p = *state;
	assert_true(presence_open(p, 1, 1000));
	assert_shown(p, PS_ONLINE, "");
	assert_int_equal(presence_sessions(p), 1);
}

static void
presence__open__the_same_session_twice_changes_nothing(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_false(presence_open(p, 1, 2000));
	assert_int_equal(presence_sessions(p), 1);
}

static void
presence__set__status_change_is_reported(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_true(presence_set(p, 1, PS_AWAY, NULL, 2000));
	assert_shown(p, PS_AWAY, "");
}

static void
presence__set__text_change_alone_is_reported(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_true(presence_set(p, 1, PS_ONLINE, "at my desk", 2000));
	assert_shown(p, PS_ONLINE, "at my desk");
}

static void
presence__set__repeating_the_same_status_and_text_is_not_a_change(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_AWAY, "lunch", 2000);
	assert_false(presence_set(p, 1, PS_AWAY, "lunch", 3000));
	assert_shown(p, PS_AWAY, "lunch");
}

static void
presence__set__empty_text_and_null_text_are_the_same(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_false(presence_set(p, 1, PS_ONLINE, "", 2000));
	assert_false(presence_set(p, 1, PS_ONLINE, NULL, 3000));
	assert_shown(p, PS_ONLINE, "");
}

static void
presence__set__clearing_the_text_is_a_change(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_BUSY, "meeting", 2000);
	assert_true(presence_set(p, 1, PS_BUSY, NULL, 3000));
	assert_shown(p, PS_BUSY, "");
}

static void
presence__set__refuses_offline_as_a_session_status(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_false(presence_set(p, 1, PS_OFFLINE, "gone", 2000));
	assert_shown(p, PS_ONLINE, "");
}

static void
presence__set__refuses_no_status(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_false(presence_set(p, 1, PS_NONE, "x", 2000));
	assert_shown(p, PS_ONLINE, "");
}

static void
presence__set__ignores_an_unknown_session(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_false(presence_set(p, 2, PS_AWAY, "lunch", 2000));
	assert_shown(p, PS_ONLINE, "");
	assert_int_equal(presence_sessions(p), 1);
}

static void
presence__set__clips_text_to_128_code_points(void **state)
{
	struct presence *p = *state;
	/* 130 two-byte code points */
	char text[2 * 130 + 1];
	for (int i = 0; i < 130; i++)
		memcpy(text + 2 * i, "\xc3\xa9", 2);
	text[2 * 130] = '\0';
	presence_open(p, 1, 1000);
	assert_true(presence_set(p, 1, PS_AWAY, text, 2000));
	struct presence_view v = presence_view(p);
	size_t len = strlen(v.text);
	assert_true(utf8_valid(v.text, len));
	assert_int_equal(utf8_count(v.text, len), PRESENCE_TEXT_MAX);
	assert_memory_equal(v.text, text, len);
}

static void
presence__set__keeps_text_of_exactly_128_code_points(void **state)
{
	struct presence *p = *state;
	char text[PRESENCE_TEXT_MAX + 1];
	memset(text, 'x', PRESENCE_TEXT_MAX);
	text[PRESENCE_TEXT_MAX] = '\0';
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_AWAY, text, 2000);
	assert_shown(p, PS_AWAY, text);
}

static void
presence__set__drops_text_that_is_not_utf8(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_AWAY, "bad \xff text", 2000);
	assert_shown(p, PS_AWAY, "");
}

static void
presence__set__copies_the_text(void **state)
{
	struct presence *p = *state;
	char text[] = "lunch";
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_AWAY, text, 2000);
	text[0] = 'p';
	assert_shown(p, PS_AWAY, "lunch");
}

static void
presence__close__last_session_shows_offline_with_last_seen(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_AWAY, "lunch", 2000);
	assert_true(presence_close(p, 1, 5000));
	struct presence_view v = presence_view(p);
	assert_int_equal(v.status, PS_OFFLINE);
	assert_string_equal(v.text, "");
	assert_int_equal(v.last_seen, 5000);
	assert_int_equal(presence_sessions(p), 0);
}

static void
presence__close__an_unknown_session_changes_nothing(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_false(presence_close(p, 2, 2000));
	assert_shown(p, PS_ONLINE, "");
	assert_int_equal(presence_sessions(p), 1);
}

static void
presence__close__with_no_session_at_all_changes_nothing(void **state)
{
	struct presence *p = *state;
	assert_false(presence_close(p, 1, 2000));
	assert_shown(p, PS_OFFLINE, "");
}

static void
presence__open__after_going_offline_shows_online_again(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_close(p, 1, 2000);
	assert_true(presence_open(p, 2, 3000));
	assert_shown(p, PS_ONLINE, "");
}

static void
presence__open__a_new_session_starts_online_without_text(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_AWAY, "lunch", 2000);
	presence_close(p, 1, 3000);
	presence_open(p, 2, 4000);
	assert_shown(p, PS_ONLINE, "");
}

/* ---- presence: several sessions ------------------------------------------ */

static void
presence__open__second_session_while_online_is_not_a_change(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	assert_false(presence_open(p, 2, 2000));
	assert_shown(p, PS_ONLINE, "");
	assert_int_equal(presence_sessions(p), 2);
}

static void
presence__open__online_session_beats_an_away_one(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_AWAY, "lunch", 2000);
	assert_true(presence_open(p, 2, 3000));
	assert_shown(p, PS_ONLINE, "");
}

static void
presence__view__online_beats_busy(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_set(p, 1, PS_BUSY, "meeting", 2000);
	presence_set(p, 2, PS_ONLINE, "laptop", 1500);
	assert_shown(p, PS_ONLINE, "laptop");
}

static void
presence__view__busy_beats_away(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_set(p, 1, PS_BUSY, "meeting", 2000);
	presence_set(p, 2, PS_AWAY, "phone idle", 3000);
	assert_shown(p, PS_BUSY, "meeting");
}

static void
presence__set__a_less_available_session_is_not_a_change(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	assert_false(presence_set(p, 2, PS_AWAY, "phone idle", 2000));
	assert_shown(p, PS_ONLINE, "");
}

static void
presence__set__text_comes_from_the_winning_session(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_set(p, 1, PS_AWAY, "phone idle", 2000);
	assert_true(presence_set(p, 2, PS_BUSY, "coding", 3000));
	assert_shown(p, PS_BUSY, "coding");
}

static void
presence__set__on_a_tie_the_latest_update_gives_the_text(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_set(p, 1, PS_AWAY, "first", 2000);
	assert_true(presence_set(p, 2, PS_AWAY, "second", 3000));
	assert_shown(p, PS_AWAY, "second");
	assert_true(presence_set(p, 1, PS_AWAY, "third", 4000));
	assert_shown(p, PS_AWAY, "third");
}

static void
presence__close__an_away_session_while_another_is_online_is_not_a_change(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_set(p, 2, PS_AWAY, "phone idle", 2000);
	assert_false(presence_close(p, 2, 3000));
	assert_shown(p, PS_ONLINE, "");
	assert_int_equal(presence_sessions(p), 1);
}

static void
presence__close__the_winning_session_shows_the_next_best(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_set(p, 2, PS_AWAY, "phone idle", 2000);
	assert_true(presence_close(p, 1, 3000));
	assert_shown(p, PS_AWAY, "phone idle");
}

static void
presence__close__one_of_two_identical_sessions_is_not_a_change(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_set(p, 1, PS_BUSY, "focus", 2000);
	presence_set(p, 2, PS_BUSY, "focus", 2500);
	assert_false(presence_close(p, 2, 3000));
	assert_shown(p, PS_BUSY, "focus");
}

static void
presence__close__stays_online_until_the_last_session_closes(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_open(p, 3, 1000);
	assert_false(presence_close(p, 2, 2000));
	assert_false(presence_close(p, 1, 3000));
	assert_shown(p, PS_ONLINE, "");
	assert_true(presence_close(p, 3, 4000));
	struct presence_view v = presence_view(p);
	assert_int_equal(v.status, PS_OFFLINE);
	assert_int_equal(v.last_seen, 4000);
}

static void
presence__clear__forgets_every_session(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_open(p, 2, 1000);
	presence_set(p, 1, PS_AWAY, "lunch", 2000);
	presence_clear(p);
	assert_int_equal(presence_sessions(p), 0);
	assert_shown(p, PS_OFFLINE, "");
}

static void
presence__open__holds_many_sessions(void **state)
{
	struct presence *p = *state;
	for (uint64_t id = 1; id <= 100; id++)
		presence_open(p, id, 1000);
	assert_int_equal(presence_sessions(p), 100);
	for (uint64_t id = 1; id < 100; id++)
		assert_false(presence_close(p, id, 2000));
	assert_true(presence_close(p, 100, 3000));
}

static void
presence__open__reports_a_change_when_only_the_shown_text_changes(void **state)
{
	struct presence *p = *state;
	presence_open(p, 1, 1000);
	presence_set(p, 1, PS_ONLINE, "at my desk", 2000);
	struct presence_view before = presence_view(p);
	char text[64];
	snprintf(text, sizeof text, "%s", before.text);
	bool changed = presence_open(p, 2, 3000);
	struct presence_view after = presence_view(p);
	assert_int_equal(after.status, PS_ONLINE);
	assert_int_equal(changed, strcmp(text, after.text) != 0);
}

/* Every call, in any order, answers true exactly when status or text shown
 * to others differs from before the call. */
static void
presence__every_call__reports_a_change_exactly_when_the_view_changed(void **state)
{
	struct presence *p = *state;
	static const enum proto_status statuses[] = {
		PS_ONLINE, PS_AWAY, PS_BUSY, PS_OFFLINE, PS_NONE,
	};
	static const char *const texts[] = {NULL, "", "lunch", "meeting"};
	uint32_t rnd = 12345;
	for (int step = 0; step < 5000; step++) {
		rnd = rnd * 1103515245u + 12345u;
		uint32_t r = rnd >> 8;
		uint64_t session = 1 + r % 4;
		struct presence_view v = presence_view(p);
		enum proto_status status = v.status;
		char text[PRESENCE_TEXT_MAX * 4 + 1];
		snprintf(text, sizeof text, "%s", v.text);
		bool changed;
		switch ((r >> 4) % 3) {
		case 0:
			changed = presence_open(p, session, step);
			break;
		case 1:
			changed = presence_set(p, session, statuses[(r >> 8) % 5],
			    texts[(r >> 12) % 4], step);
			break;
		default:
			changed = presence_close(p, session, step);
		}
		v = presence_view(p);
		bool differs = v.status != status || strcmp(v.text, text) != 0;
		if (changed != differs)
			fail_msg("step %d: reported %d, view changed %d", step, changed,
			    differs);
	}
}

/* ---- typing -------------------------------------------------------------- */

static void
typing__start__is_news_the_first_time(void **state)
{
	struct typing *t = *state;
	assert_true(typing_start(t, "alice", 1000));
}

static void
typing__start__is_not_news_on_a_renewal(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	assert_false(typing_start(t, "alice", 2000));
}

static void
typing__start__each_user_is_news_once(void **state)
{
	struct typing *t = *state;
	assert_true(typing_start(t, "alice", 1000));
	assert_true(typing_start(t, "bob", 1000));
	assert_false(typing_start(t, "alice", 1500));
	assert_false(typing_start(t, "bob", 1500));
}

static void
typing__next_expiry__is_minus_one_when_nobody_types(void **state)
{
	struct typing *t = *state;
	assert_int_equal(typing_next_expiry(t), -1);
}

static void
typing__next_expiry__is_six_seconds_after_the_start(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	assert_int_equal(typing_next_expiry(t), 1000 + TYPING_EXPIRY_MS);
	assert_int_equal(TYPING_EXPIRY_MS, 6000);
}

static void
typing__next_expiry__is_the_earliest_of_all(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 3000);
	typing_start(t, "bob", 1000);
	typing_start(t, "carol", 2000);
	assert_int_equal(typing_next_expiry(t), 7000);
}

static void
typing__start__renewal_extends_the_expiry(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	typing_start(t, "alice", 4000);
	assert_int_equal(typing_next_expiry(t), 10000);
	char who[64];
	assert_false(typing_pop_expired(t, 7000, who, sizeof who));
	assert_true(typing_pop_expired(t, 10000, who, sizeof who));
	assert_string_equal(who, "alice");
}

static void
typing__pop_expired__pops_nothing_before_the_expiry(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	char who[64] = "untouched";
	assert_false(typing_pop_expired(t, 1000, who, sizeof who));
	assert_false(typing_pop_expired(t, 6999, who, sizeof who));
	assert_string_equal(who, "untouched");
	assert_int_equal(typing_next_expiry(t), 7000);
}

static void
typing__pop_expired__pops_at_exactly_the_expiry(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	char who[64];
	assert_true(typing_pop_expired(t, 7000, who, sizeof who));
	assert_string_equal(who, "alice");
	assert_int_equal(typing_next_expiry(t), -1);
}

static void
typing__pop_expired__pops_each_expired_user_once_and_no_other(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);  /* expires 7000 */
	typing_start(t, "bob", 2000);    /* expires 8000 */
	typing_start(t, "carol", 3000);  /* expires 9000 */
	bool alice = false, bob = false;
	char who[64];
	for (int i = 0; i < 2; i++) {
		assert_true(typing_pop_expired(t, 8000, who, sizeof who));
		if (strcmp(who, "alice") == 0 && !alice)
			alice = true;
		else if (strcmp(who, "bob") == 0 && !bob)
			bob = true;
		else
			fail_msg("unexpected pop: %s", who);
	}
	assert_false(typing_pop_expired(t, 8000, who, sizeof who));
	assert_int_equal(typing_next_expiry(t), 9000);
	assert_false(typing_start(t, "carol", 8000));  /* carol still types */
	assert_true(typing_start(t, "alice", 8000));   /* alice was popped */
}

static void
typing__pop_expired__truncates_the_user_to_the_buffer(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alexandra", 1000);
	char who[5];
	assert_true(typing_pop_expired(t, 7000, who, sizeof who));
	assert_string_equal(who, "alex");
}

static void
typing__stop__reports_a_user_who_was_typing(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	assert_true(typing_stop(t, "alice"));
	assert_int_equal(typing_next_expiry(t), -1);
}

static void
typing__stop__reports_nothing_for_a_user_who_was_not_typing(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	assert_false(typing_stop(t, "bob"));
	assert_false(typing_stop(t, "Alice"));
	assert_int_equal(typing_next_expiry(t), 7000);
}

static void
typing__stop__twice_reports_only_once(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	assert_true(typing_stop(t, "alice"));
	assert_false(typing_stop(t, "alice"));
}

static void
typing__stop__leaves_the_others_typing(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	typing_start(t, "bob", 2000);
	typing_start(t, "carol", 3000);
	typing_stop(t, "alice");
	assert_int_equal(typing_next_expiry(t), 8000);
	assert_false(typing_start(t, "bob", 3000));
	assert_false(typing_start(t, "carol", 3000));
}

static void
typing__start__after_stop_is_news_again(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	typing_stop(t, "alice");
	assert_true(typing_start(t, "alice", 2000));
}

static void
typing__start__holds_many_users(void **state)
{
	struct typing *t = *state;
	char name[16];
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof name, "user%d", i);
		assert_true(typing_start(t, name, 1000 + i));
	}
	assert_int_equal(typing_next_expiry(t), 7000);
	int popped = 0;
	while (typing_pop_expired(t, 7049, name, sizeof name))
		popped++;
	assert_int_equal(popped, 50);
}

static void
typing__clear_all__forgets_everyone(void **state)
{
	struct typing *t = *state;
	typing_start(t, "alice", 1000);
	typing_start(t, "bob", 1000);
	typing_clear_all(t);
	assert_int_equal(typing_next_expiry(t), -1);
	assert_true(typing_start(t, "alice", 2000));
}

#define P(f) cmocka_unit_test_setup_teardown(f, setup_presence, teardown_presence)
#define T(f) cmocka_unit_test_setup_teardown(f, setup_typing, teardown_typing)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		P(presence__view__is_offline_with_no_session),
		P(presence__open__first_session_shows_online_and_reports_a_change),
		P(presence__open__the_same_session_twice_changes_nothing),
		P(presence__set__status_change_is_reported),
		P(presence__set__text_change_alone_is_reported),
		P(presence__set__repeating_the_same_status_and_text_is_not_a_change),
		P(presence__set__empty_text_and_null_text_are_the_same),
		P(presence__set__clearing_the_text_is_a_change),
		P(presence__set__refuses_offline_as_a_session_status),
		P(presence__set__refuses_no_status),
		P(presence__set__ignores_an_unknown_session),
		P(presence__set__clips_text_to_128_code_points),
		P(presence__set__keeps_text_of_exactly_128_code_points),
		P(presence__set__drops_text_that_is_not_utf8),
		P(presence__set__copies_the_text),
		P(presence__close__last_session_shows_offline_with_last_seen),
		P(presence__close__an_unknown_session_changes_nothing),
		P(presence__close__with_no_session_at_all_changes_nothing),
		P(presence__open__after_going_offline_shows_online_again),
		P(presence__open__a_new_session_starts_online_without_text),
		P(presence__open__second_session_while_online_is_not_a_change),
		P(presence__open__online_session_beats_an_away_one),
		P(presence__view__online_beats_busy),
		P(presence__view__busy_beats_away),
		P(presence__set__a_less_available_session_is_not_a_change),
		P(presence__set__text_comes_from_the_winning_session),
		P(presence__set__on_a_tie_the_latest_update_gives_the_text),
		P(presence__close__an_away_session_while_another_is_online_is_not_a_change),
		P(presence__close__the_winning_session_shows_the_next_best),
		P(presence__close__one_of_two_identical_sessions_is_not_a_change),
		P(presence__close__stays_online_until_the_last_session_closes),
		P(presence__clear__forgets_every_session),
		P(presence__open__holds_many_sessions),
		P(presence__open__reports_a_change_when_only_the_shown_text_changes),
		P(presence__every_call__reports_a_change_exactly_when_the_view_changed),
		T(typing__start__is_news_the_first_time),
		T(typing__start__is_not_news_on_a_renewal),
		T(typing__start__each_user_is_news_once),
		T(typing__next_expiry__is_minus_one_when_nobody_types),
		T(typing__next_expiry__is_six_seconds_after_the_start),
		T(typing__next_expiry__is_the_earliest_of_all),
		T(typing__start__renewal_extends_the_expiry),
		T(typing__pop_expired__pops_nothing_before_the_expiry),
		T(typing__pop_expired__pops_at_exactly_the_expiry),
		T(typing__pop_expired__pops_each_expired_user_once_and_no_other),
		T(typing__pop_expired__truncates_the_user_to_the_buffer),
		T(typing__stop__reports_a_user_who_was_typing),
		T(typing__stop__reports_nothing_for_a_user_who_was_not_typing),
		T(typing__stop__twice_reports_only_once),
		T(typing__stop__leaves_the_others_typing),
		T(typing__start__after_stop_is_news_again),
		T(typing__start__holds_many_users),
		T(typing__clear_all__forgets_everyone),
	};
	return cmocka_run_group_tests_name("presence", tests, NULL, NULL);
}
