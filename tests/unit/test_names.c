/*
 * names: the naming rules of docs/protocol.md, "Names", at their boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/names.h"

/* A string of n copies of c (n < 128). */
static const char *
repeat(char c, size_t n)
{
	static char buf[128];
	assert_true(n < sizeof buf);
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* ---- user ---------------------------------------------------------------- */

static void
names__user__accepts_one_character(void **state)
{
	(void)state;
	assert_true(names_valid_user("a"));
	assert_true(names_valid_user("Z"));
	assert_true(names_valid_user("7"));
	assert_true(names_valid_user("_"));
}

static void
names__user__accepts_32_characters(void **state)
{
	(void)state;
	assert_true(names_valid_user(repeat('a', 32)));
}

static void
names__user__rejects_33_characters(void **state)
{
	(void)state;
	assert_false(names_valid_user(repeat('a', 33)));
}

static void
names__user__rejects_the_empty_name(void **state)
{
	(void)state;
	assert_false(names_valid_user(""));
}

static void
names__user__accepts_letters_of_both_cases_digits_and_underscore_dot_dash(void **state)
{
	(void)state;
	assert_true(names_valid_user("Alice_B.c-9"));
	assert_true(names_valid_user("a.b"));
	assert_true(names_valid_user("a-"));
	assert_true(names_valid_user("_x"));
}

static void
names__user__rejects_a_leading_dot_or_dash(void **state)
{
	(void)state;
	assert_false(names_valid_user(".alice"));
	assert_false(names_valid_user("-alice"));
}

static void
names__user__rejects_spaces_and_punctuation(void **state)
{
	(void)state;
	assert_false(names_valid_user("al ice"));
	assert_false(names_valid_user("alice!"));
	assert_false(names_valid_user("@alice"));
	assert_false(names_valid_user("al/ice"));
	assert_false(names_valid_user("alice\n"));
}

static void
names__user__rejects_non_ascii_letters(void **state)
{
	(void)state;
	assert_false(names_valid_user("jos\xc3\xa9"));
}

/* ---- room ---------------------------------------------------------------- */

static void
names__room__accepts_one_character(void **state)
{
	(void)state;
	assert_true(names_valid_room("a"));
	assert_true(names_valid_room("0"));
}

static void
names__room__accepts_64_characters(void **state)
{
	(void)state;
	assert_true(names_valid_room(repeat('r', 64)));
}

static void
names__room__rejects_65_characters(void **state)
{
	(void)state;
	assert_false(names_valid_room(repeat('r', 65)));
}

static void
names__room__rejects_the_empty_name(void **state)
{
	(void)state;
	assert_false(names_valid_room(""));
}

static void
names__room__accepts_lower_case_digits_and_underscore_dot_dash(void **state)
{
	(void)state;
	assert_true(names_valid_room("lobby"));
	assert_true(names_valid_room("dev-2024_q1.notes"));
	assert_true(names_valid_room("9lives"));
}

static void
names__room__rejects_upper_case(void **state)
{
	(void)state;
	assert_false(names_valid_room("Lobby"));
	assert_false(names_valid_room("lobbY"));
}

static void
names__room__rejects_a_leading_underscore_dot_or_dash(void **state)
{
	(void)state;
	assert_false(names_valid_room("_lobby"));
	assert_false(names_valid_room(".lobby"));
	assert_false(names_valid_room("-lobby"));
}

static void
names__room__rejects_the_reserved_direct_message_prefix(void **state)
{
	(void)state;
	assert_false(names_valid_room("@dm"));
	assert_false(names_valid_room("@alice"));
}

static void
names__room__rejects_spaces_and_other_characters(void **state)
{
	(void)state;
	assert_false(names_valid_room("the lobby"));
	assert_false(names_valid_room("lobby#1"));
	assert_false(names_valid_room("lob/by"));
	assert_false(names_valid_room("caf\xc3\xa9"));
}

/* ---- cid ----------------------------------------------------------------- */

static void
names__cid__accepts_one_character(void **state)
{
	(void)state;
	assert_true(names_valid_cid("x"));
}

static void
names__cid__accepts_64_characters(void **state)
{
	(void)state;
	assert_true(names_valid_cid(repeat('k', 64)));
}

static void
names__cid__rejects_65_characters(void **state)
{
	(void)state;
	assert_false(names_valid_cid(repeat('k', 65)));
}

static void
names__cid__rejects_the_empty_cid(void **state)
{
	(void)state;
	assert_false(names_valid_cid(""));
}

static void
names__cid__accepts_every_printable_ascii_character(void **state)
{
	(void)state;
	char all[0x7e - 0x21 + 2];
	size_t n = 0;
	for (int c = 0x21; c <= 0x7e; c++)
		all[n++] = (char)c;
	all[n] = '\0';
	assert_int_equal(n, 94);
	/* 94 is more than 64: check the two halves. */
	char half[48];
	memcpy(half, all, 47);
	half[47] = '\0';
	assert_true(names_valid_cid(half));
	assert_true(names_valid_cid(all + 47));
}

static void
names__cid__rejects_space(void **state)
{
	(void)state;
	assert_false(names_valid_cid(" "));
	assert_false(names_valid_cid("a b"));
}

static void
names__cid__rejects_control_characters_and_del(void **state)
{
	(void)state;
	assert_false(names_valid_cid("a\tb"));
	assert_false(names_valid_cid("a\nb"));
	assert_false(names_valid_cid("\x01"));
	assert_false(names_valid_cid("\x7f"));
}

static void
names__cid__rejects_non_ascii_bytes(void **state)
{
	(void)state;
	assert_false(names_valid_cid("\xc3\xa9"));
	assert_false(names_valid_cid("k\xff"));
}

/* ---- direct-message rooms ------------------------------------------------ */

static void
names__dm_parse__splits_a_well_formed_name_into_its_two_users(void **state)
{
	(void)state;
	char a[NAMES_USER_MAX + 1], b[NAMES_USER_MAX + 1];
	assert_true(names_dm_parse("@alice+bob", a, b));
	assert_string_equal(a, "alice");
	assert_string_equal(b, "bob");
	assert_true(names_dm_parse("@Bob+alice", NULL, NULL)); /* 'B' < 'a' */
	assert_true(names_dm_parse("@_x+a.b-c", NULL, NULL)); /* '_' < 'a' */
}

static void
names__dm_parse__needs_the_users_in_byte_order_and_distinct(void **state)
{
	(void)state;
	assert_false(names_dm_parse("@bob+alice", NULL, NULL));
	assert_false(names_dm_parse("@alice+Bob", NULL, NULL));
	assert_false(names_dm_parse("@alice+alice", NULL, NULL));
}

static void
names__dm_parse__refuses_a_missing_or_bad_user(void **state)
{
	(void)state;
	assert_false(names_dm_parse("@alice", NULL, NULL));
	assert_false(names_dm_parse("@+bob", NULL, NULL));
	assert_false(names_dm_parse("@alice+", NULL, NULL));
	assert_false(names_dm_parse("@a+b+c", NULL, NULL));
	assert_false(names_dm_parse("@alice+b b", NULL, NULL));
	assert_false(names_dm_parse("@.alice+bob", NULL, NULL));
	assert_false(names_dm_parse("alice+bob", NULL, NULL));
	assert_false(names_dm_parse("", NULL, NULL));
	assert_false(names_dm_parse("@", NULL, NULL));
}

static void
names__dm_parse__accepts_two_users_of_32_characters_and_no_longer(void **state)
{
	(void)state;
	char room[256];
	snprintf(room, sizeof room, "@%s+", repeat('a', 32));
	snprintf(room + strlen(room), sizeof room - strlen(room), "%s", repeat('b', 32));
	assert_int_equal(strlen(room), NAMES_DM_MAX);
	assert_true(names_dm_parse(room, NULL, NULL));
	snprintf(room, sizeof room, "@%s+", repeat('a', 33));
	snprintf(room + strlen(room), sizeof room - strlen(room), "b");
	assert_false(names_dm_parse(room, NULL, NULL));
	snprintf(room, sizeof room, "@a+%s", repeat('b', 33));
	assert_false(names_dm_parse(room, NULL, NULL));
}

static void
names__dm_make__orders_the_users_whichever_comes_first(void **state)
{
	(void)state;
	char room[NAMES_DM_MAX + 1];
	assert_true(names_dm_make("bob", "alice", room));
	assert_string_equal(room, "@alice+bob");
	assert_true(names_dm_make("alice", "bob", room));
	assert_string_equal(room, "@alice+bob");
	assert_true(names_dm_parse(room, NULL, NULL));
}

static void
names__dm_make__refuses_one_user_twice_or_a_bad_name(void **state)
{
	(void)state;
	char room[NAMES_DM_MAX + 1] = "untouched";
	assert_false(names_dm_make("alice", "alice", room));
	assert_false(names_dm_make("alice", "b b", room));
	assert_false(names_dm_make("", "bob", room));
	assert_string_equal(room, "untouched");
}

static void
names__dm_other__gives_the_other_user_to_either_of_the_two(void **state)
{
	(void)state;
	char other[NAMES_USER_MAX + 1];
	assert_true(names_dm_other("@alice+bob", "alice", other));
	assert_string_equal(other, "bob");
	assert_true(names_dm_other("@alice+bob", "bob", other));
	assert_string_equal(other, "alice");
	assert_true(names_dm_other("@alice+bob", "bob", NULL));
}

static void
names__dm_other__is_false_for_a_third_user_or_an_ordinary_room(void **state)
{
	(void)state;
	assert_false(names_dm_other("@alice+bob", "carol", NULL));
	assert_false(names_dm_other("@alice+bob", "Alice", NULL));
	assert_false(names_dm_other("lobby", "alice", NULL));
	assert_false(names_dm_other("@bob+alice", "alice", NULL));
}

static void
names__room_or_dm__accepts_both_kinds_and_nothing_else(void **state)
{
	(void)state;
	assert_true(names_valid_room_or_dm("lobby"));
	assert_true(names_valid_room_or_dm("@alice+bob"));
	assert_false(names_valid_room_or_dm("@dm"));
	assert_false(names_valid_room_or_dm("@bob+alice"));
	assert_false(names_valid_room_or_dm("Lobby"));
	/* the ordinary rule still refuses every '@' name */
	assert_false(names_valid_room("@alice+bob"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names__user__accepts_one_character),
		cmocka_unit_test(names__user__accepts_32_characters),
		cmocka_unit_test(names__user__rejects_33_characters),
		cmocka_unit_test(names__user__rejects_the_empty_name),
		cmocka_unit_test(names__user__accepts_letters_of_both_cases_digits_and_underscore_dot_dash),
		cmocka_unit_test(names__user__rejects_a_leading_dot_or_dash),
		cmocka_unit_test(names__user__rejects_spaces_and_punctuation),
		cmocka_unit_test(names__user__rejects_non_ascii_letters),
		cmocka_unit_test(names__room__accepts_one_character),
		cmocka_unit_test(names__room__accepts_64_characters),
		cmocka_unit_test(names__room__rejects_65_characters),
		cmocka_unit_test(names__room__rejects_the_empty_name),
		cmocka_unit_test(names__room__accepts_lower_case_digits_and_underscore_dot_dash),
		cmocka_unit_test(names__room__rejects_upper_case),
		cmocka_unit_test(names__room__rejects_a_leading_underscore_dot_or_dash),
		cmocka_unit_test(names__room__rejects_the_reserved_direct_message_prefix),
		cmocka_unit_test(names__room__rejects_spaces_and_other_characters),
		cmocka_unit_test(names__cid__accepts_one_character),
		cmocka_unit_test(names__cid__accepts_64_characters),
		cmocka_unit_test(names__cid__rejects_65_characters),
		cmocka_unit_test(names__cid__rejects_the_empty_cid),
		cmocka_unit_test(names__cid__accepts_every_printable_ascii_character),
		cmocka_unit_test(names__cid__rejects_space),
		cmocka_unit_test(names__cid__rejects_control_characters_and_del),
		cmocka_unit_test(names__cid__rejects_non_ascii_bytes),
		cmocka_unit_test(names__dm_parse__splits_a_well_formed_name_into_its_two_users),
		cmocka_unit_test(names__dm_parse__needs_the_users_in_byte_order_and_distinct),
		cmocka_unit_test(names__dm_parse__refuses_a_missing_or_bad_user),
		cmocka_unit_test(names__dm_parse__accepts_two_users_of_32_characters_and_no_longer),
		cmocka_unit_test(names__dm_make__orders_the_users_whichever_comes_first),
		cmocka_unit_test(names__dm_make__refuses_one_user_twice_or_a_bad_name),
		cmocka_unit_test(names__dm_other__gives_the_other_user_to_either_of_the_two),
		cmocka_unit_test(names__dm_other__is_false_for_a_third_user_or_an_ordinary_room),
		cmocka_unit_test(names__room_or_dm__accepts_both_kinds_and_nothing_else),
	};
	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
