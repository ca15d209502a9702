/*
 * notifyrules: when a message raises a desktop notification and rings the
 * bell, as docs/notifications.md describes it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/notifyrules.h"

static struct notify_room_rule rules[] = {
	{ "dev", NOTIFY_ALL },
	{ "random", NOTIFY_NONE },
	{ "ops", NOTIFY_MENTIONS },
};

/* The defaults, with the terminal unfocused unless a test says otherwise. */
static struct notify_settings
defaults(void)
{
	struct notify_settings s;
	notify_settings_default(&s);
	return s;
}

static struct notify_event
message(const char *room)
{
	struct notify_event ev = { room, false, false, false, false };
	return ev;
}

static struct notify_event
mention(const char *room)
{
	struct notify_event ev = message(room);
	ev.is_mention = true;
	return ev;
}

static void
assert_decision(struct notify_decision d, bool desktop, bool bell)
{
	assert_int_equal(d.desktop, desktop);
	assert_int_equal(d.bell, bell);
}

/* ---- defaults ------------------------------------------------------------ */

static void
notifyrules__defaults__are_mentions_unfocused_no_bell_no_dnd(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	assert_int_equal(s.level, NOTIFY_MENTIONS);
	assert_int_equal(s.when, NOTIFY_UNFOCUSED);
	assert_false(s.bell);
	assert_false(s.dnd);
	assert_int_equal(s.nrooms, 0);
}

static void
notifyrules__defaults__notify_a_mention(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	struct notify_event ev = mention("lobby");
	assert_decision(notifyrules_decide(&s, &ev), true, false);
}

static void
notifyrules__defaults__ignore_a_plain_message(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	struct notify_event ev = message("lobby");
	assert_decision(notifyrules_decide(&s, &ev), false, false);
}

/* ---- own messages -------------------------------------------------------- */

static void
notifyrules__decide__never_notifies_my_own_message(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.level = NOTIFY_ALL;
	s.when = NOTIFY_ALWAYS;
	s.bell = true;
	struct notify_event ev = mention("lobby");
	ev.is_dm = true;
	ev.from_me = true;
	assert_decision(notifyrules_decide(&s, &ev), false, false);
}

/* ---- levels -------------------------------------------------------------- */

static void
notifyrules__decide__notifies_every_message_at_level_all(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.level = NOTIFY_ALL;
	struct notify_event ev = message("lobby");
	assert_decision(notifyrules_decide(&s, &ev), true, false);
}

static void
notifyrules__decide__notifies_nothing_at_level_none(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.level = NOTIFY_NONE;
	struct notify_event ev = mention("lobby");
	ev.is_dm = true;
	assert_decision(notifyrules_decide(&s, &ev), false, false);
}

static void
notifyrules__decide__counts_a_direct_message_as_a_mention(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	struct notify_event ev = message("bob");
	ev.is_dm = true;
	assert_decision(notifyrules_decide(&s, &ev), true, false);
}

/* ---- rooms --------------------------------------------------------------- */

static void
notifyrules__level__is_the_room_rule_when_there_is_one(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.rooms = rules;
	s.nrooms = 3;
	assert_int_equal(notifyrules_level(&s, "dev"), NOTIFY_ALL);
	assert_int_equal(notifyrules_level(&s, "random"), NOTIFY_NONE);
	assert_int_equal(notifyrules_level(&s, "ops"), NOTIFY_MENTIONS);
}

static void
notifyrules__level__is_the_default_for_other_rooms(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.level = NOTIFY_NONE;
	s.rooms = rules;
	s.nrooms = 3;
	assert_int_equal(notifyrules_level(&s, "lobby"), NOTIFY_NONE);
	assert_int_equal(notifyrules_level(&s, NULL), NOTIFY_NONE);
}

static void
notifyrules__level__takes_the_last_rule_for_a_room(void **state)
{
	(void)state;
	struct notify_room_rule twice[] = {
		{ "dev", NOTIFY_ALL },
		{ "dev", NOTIFY_NONE },
	};
	struct notify_settings s = defaults();
	s.rooms = twice;
	s.nrooms = 2;
	assert_int_equal(notifyrules_level(&s, "dev"), NOTIFY_NONE);
}

static void
notifyrules__decide__follows_a_room_at_level_all(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.rooms = rules;
	s.nrooms = 3;
	struct notify_event ev = message("dev");
	assert_decision(notifyrules_decide(&s, &ev), true, false);
}

static void
notifyrules__decide__silences_a_room_at_level_none_even_for_mentions(
    void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.level = NOTIFY_ALL;
	s.rooms = rules;
	s.nrooms = 3;
	struct notify_event ev = mention("random");
	assert_decision(notifyrules_decide(&s, &ev), false, false);
}

/* ---- focus --------------------------------------------------------------- */

static void
notifyrules__decide__stays_quiet_while_focused_when_unfocused(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.bell = true;
	struct notify_event ev = mention("lobby");
	ev.focused = true;
	assert_decision(notifyrules_decide(&s, &ev), false, false);
}

static void
notifyrules__decide__notifies_while_focused_when_always(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.when = NOTIFY_ALWAYS;
	struct notify_event ev = mention("lobby");
	ev.focused = true;
	assert_decision(notifyrules_decide(&s, &ev), true, false);
}

/* ---- bell and do-not-disturb --------------------------------------------- */

static void
notifyrules__decide__rings_the_bell_when_on(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.bell = true;
	struct notify_event ev = mention("lobby");
	assert_decision(notifyrules_decide(&s, &ev), true, true);
}

static void
notifyrules__decide__rings_no_bell_for_what_does_not_notify(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.bell = true;
	struct notify_event ev = message("lobby");
	assert_decision(notifyrules_decide(&s, &ev), false, false);
}

static void
notifyrules__decide__silences_everything_in_do_not_disturb(void **state)
{
	(void)state;
	struct notify_settings s = defaults();
	s.level = NOTIFY_ALL;
	s.when = NOTIFY_ALWAYS;
	s.bell = true;
	s.dnd = true;
	struct notify_event ev = mention("lobby");
	ev.is_dm = true;
	assert_decision(notifyrules_decide(&s, &ev), false, false);
}

/* ---- words --------------------------------------------------------------- */

static void
notifyrules__level_parse__reads_the_three_levels(void **state)
{
	(void)state;
	enum notify_level l = NOTIFY_NONE;
	assert_true(notify_level_parse("all", &l));
	assert_int_equal(l, NOTIFY_ALL);
	assert_true(notify_level_parse("mentions", &l));
	assert_int_equal(l, NOTIFY_MENTIONS);
	assert_true(notify_level_parse("none", &l));
	assert_int_equal(l, NOTIFY_NONE);
	assert_string_equal(notify_level_name(NOTIFY_MENTIONS), "mentions");
}

static void
notifyrules__level_parse__refuses_other_words_and_leaves_the_level(
    void **state)
{
	(void)state;
	enum notify_level l = NOTIFY_ALL;
	assert_false(notify_level_parse("All", &l));
	assert_false(notify_level_parse("mention", &l));
	assert_false(notify_level_parse("", &l));
	assert_int_equal(l, NOTIFY_ALL);
}

static void
notifyrules__when_parse__reads_always_and_unfocused(void **state)
{
	(void)state;
	enum notify_when w = NOTIFY_UNFOCUSED;
	assert_true(notify_when_parse("always", &w));
	assert_int_equal(w, NOTIFY_ALWAYS);
	assert_true(notify_when_parse("unfocused", &w));
	assert_int_equal(w, NOTIFY_UNFOCUSED);
	assert_false(notify_when_parse("never", &w));
	assert_int_equal(w, NOTIFY_UNFOCUSED);
	assert_string_equal(notify_when_name(NOTIFY_ALWAYS), "always");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(notifyrules__defaults__are_mentions_unfocused_no_bell_no_dnd),
		cmocka_unit_test(notifyrules__defaults__notify_a_mention),
		cmocka_unit_test(notifyrules__defaults__ignore_a_plain_message),
		cmocka_unit_test(notifyrules__decide__never_notifies_my_own_message),
		cmocka_unit_test(notifyrules__decide__notifies_every_message_at_level_all),
		cmocka_unit_test(notifyrules__decide__notifies_nothing_at_level_none),
		cmocka_unit_test(notifyrules__decide__counts_a_direct_message_as_a_mention),
		cmocka_unit_test(notifyrules__level__is_the_room_rule_when_there_is_one),
		cmocka_unit_test(notifyrules__level__is_the_default_for_other_rooms),
		cmocka_unit_test(notifyrules__level__takes_the_last_rule_for_a_room),
		cmocka_unit_test(notifyrules__decide__follows_a_room_at_level_all),
		cmocka_unit_test(notifyrules__decide__silences_a_room_at_level_none_even_for_mentions),
		cmocka_unit_test(notifyrules__decide__stays_quiet_while_focused_when_unfocused),
		cmocka_unit_test(notifyrules__decide__notifies_while_focused_when_always),
		cmocka_unit_test(notifyrules__decide__rings_the_bell_when_on),
		cmocka_unit_test(notifyrules__decide__rings_no_bell_for_what_does_not_notify),
		cmocka_unit_test(notifyrules__decide__silences_everything_in_do_not_disturb),
		cmocka_unit_test(notifyrules__level_parse__reads_the_three_levels),
		cmocka_unit_test(notifyrules__level_parse__refuses_other_words_and_leaves_the_level),
		cmocka_unit_test(notifyrules__when_parse__reads_always_and_unfocused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
