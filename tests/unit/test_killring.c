/*
 * killring: kills pushed newest first, joined when they follow each
 * other, yanked and popped round the ring, within their bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/killring.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

static void
push(struct killring *k, const char *s, enum killring_join j)
{
	assert_true(killring_push(k, s, strlen(s), j));
}

static const char *
yank(struct killring *k)
{
	size_t n;
	const char *s = killring_yank(k, &n);
	assert_non_null(s);
	assert_int_equal(n, strlen(s));
	return s;
}

static const char *
pop(struct killring *k)
{
	size_t n;
	const char *s = killring_pop(k, &n);
	assert_non_null(s);
	assert_int_equal(n, strlen(s));
	return s;
}

TEST(killring__empty__yanks_nothing)
{
	struct killring k;
	killring_init(&k);
	size_t n;
	assert_null(killring_yank(&k, &n));
	assert_null(killring_pop(&k, &n));
	assert_false(killring_push(&k, "", 0, KILLRING_NEW));
	killring_free(&k);
}

TEST(killring__yank__takes_the_newest)
{
	struct killring k;
	killring_init(&k);
	push(&k, "one", KILLRING_NEW);
	push(&k, "two", KILLRING_NEW);
	assert_string_equal(yank(&k), "two");
	killring_free(&k);
}

TEST(killring__pop__steps_to_older_and_wraps)
{
	struct killring k;
	killring_init(&k);
	push(&k, "one", KILLRING_NEW);
	push(&k, "two", KILLRING_NEW);
	push(&k, "three", KILLRING_NEW);
	assert_string_equal(yank(&k), "three");
	assert_string_equal(pop(&k), "two");
	assert_string_equal(pop(&k), "one");
	assert_string_equal(pop(&k), "three");
	/* A new yank starts from the newest again. */
	assert_string_equal(yank(&k), "three");
	killring_free(&k);
}

TEST(killring__join__appends_forward_kills_and_prepends_backward_ones)
{
	struct killring k;
	killring_init(&k);
	push(&k, "first line\n", KILLRING_NEW);
	push(&k, "second\n", KILLRING_APPEND);
	assert_int_equal(k.n, 1);
	assert_string_equal(yank(&k), "first line\nsecond\n");
	push(&k, "word ", KILLRING_PREPEND);
	assert_string_equal(yank(&k), "word first line\nsecond\n");
	assert_int_equal(k.bytes, strlen("word first line\nsecond\n"));
	killring_free(&k);
}

TEST(killring__join__on_an_empty_ring_is_a_new_entry)
{
	struct killring k;
	killring_init(&k);
	push(&k, "x", KILLRING_APPEND);
	assert_string_equal(yank(&k), "x");
	killring_free(&k);
}

TEST(killring__count__drops_the_oldest_past_the_max)
{
	struct killring k;
	killring_init(&k);
	char buf[16];
	for (int i = 0; i < KILLRING_MAX + 5; i++) {
		snprintf(buf, sizeof buf, "k%d", i);
		push(&k, buf, KILLRING_NEW);
	}
	assert_int_equal(k.n, KILLRING_MAX);
	snprintf(buf, sizeof buf, "k%d", KILLRING_MAX + 4);
	assert_string_equal(yank(&k), buf);
	/* The oldest kept is number 5: popping round reaches it last. */
	const char *s = NULL;
	for (int i = 0; i < KILLRING_MAX - 1; i++)
		s = pop(&k);
	assert_string_equal(s, "k5");
	killring_free(&k);
}

TEST(killring__bytes__drop_the_oldest_and_refuse_one_too_big)
{
	struct killring k;
	killring_init(&k);
	size_t half = KILLRING_BYTES / 2 + 1;
	char *big = malloc(KILLRING_BYTES + 2);
	memset(big, 'a', KILLRING_BYTES + 1);
	big[KILLRING_BYTES + 1] = '\0';
	assert_false(killring_push(&k, big, KILLRING_BYTES + 1, KILLRING_NEW));
	assert_int_equal(k.n, 0);
	assert_true(killring_push(&k, big, half, KILLRING_NEW));
	big[0] = 'b';
	assert_true(killring_push(&k, big, half, KILLRING_NEW));
	assert_int_equal(k.n, 1);     /* the first went to make room */
	assert_true(k.bytes <= KILLRING_BYTES);
	size_t n;
	assert_int_equal(killring_yank(&k, &n)[0], 'b');
	/* Joining past the bound is refused and leaves the entry. */
	assert_false(killring_push(&k, big, half, KILLRING_APPEND));
	assert_int_equal(k.len[0], half);
	free(big);
	killring_free(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(killring__empty__yanks_nothing),
		cmocka_unit_test(killring__yank__takes_the_newest),
		cmocka_unit_test(killring__pop__steps_to_older_and_wraps),
		cmocka_unit_test(killring__join__appends_forward_kills_and_prepends_backward_ones),
		cmocka_unit_test(killring__join__on_an_empty_ring_is_a_new_entry),
		cmocka_unit_test(killring__count__drops_the_oldest_past_the_max),
		cmocka_unit_test(killring__bytes__drop_the_oldest_and_refuse_one_too_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
