/*
 * mention: which names a message's text mentions (docs/protocol.md,
 * "Mentions"), the rule the server notifies by and the client highlights by.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/mention.h"

/* Every name the scan reports, as "a,b,c" (in order, repeats kept). */
struct seen {
	char buf[512];
	int calls, stop_after;
};

static bool
record(const char *name, size_t len, void *arg)
{
	struct seen *s = arg;
	size_t used = strlen(s->buf);
	snprintf(s->buf + used, sizeof s->buf - used, "%s%.*s", used ? "," : "",
	    (int)len, name);
	s->calls++;
	return s->stop_after == 0 || s->calls < s->stop_after;
}

static const char *
scan(const char *text)
{
	static struct seen s;
	memset(&s, 0, sizeof s);
	mention_scan(text, record, &s);
	return s.buf;
}

static void
mention__scan__finds_an_at_name_anywhere_in_the_text(void **state)
{
	(void)state;
	assert_string_equal(scan("@bob"), "bob");
	assert_string_equal(scan("hi @bob how are you"), "bob");
	assert_string_equal(scan("ping (@bob)"), "bob");
	assert_string_equal(scan("@bob and @carol"), "bob,carol");
}

static void
mention__scan__reports_a_name_as_often_as_it_is_written(void **state)
{
	(void)state;
	assert_string_equal(scan("@bob @bob"), "bob,bob");
}

static void
mention__scan__keeps_the_case_of_the_text(void **state)
{
	(void)state;
	assert_string_equal(scan("hi @BoB"), "BoB");
}

static void
mention__scan__finds_name_colon_or_comma_at_the_start(void **state)
{
	(void)state;
	assert_string_equal(scan("bob: lunch?"), "bob");
	assert_string_equal(scan("   bob, lunch?"), "bob");
	assert_string_equal(scan("so bob: lunch?"), "");
	assert_string_equal(scan("bob lunch?"), "");
}

static void
mention__scan__ignores_addresses_and_longer_words(void **state)
{
	(void)state;
	assert_string_equal(scan("mail x@bob.org"), "");
	assert_string_equal(scan("@bobby"), "bobby");
	assert_string_equal(scan("@bob\xc3\xa9"), ""); /* runs on into a letter */
}

static void
mention__scan__lets_a_dot_or_dash_end_a_name_only_before_a_non_word(void **state)
{
	(void)state;
	assert_string_equal(scan("thanks @bob."), "bob,bob.");
	assert_string_equal(scan("@bob.smith"), "bob.smith");
	assert_string_equal(scan("@a-b- x"), "a-b,a-b-");
}

static void
mention__scan__ends_a_name_at_punctuation_and_spaces(void **state)
{
	(void)state;
	assert_string_equal(scan("@bob!"), "bob");
	assert_string_equal(scan("@bob\xe2\x80\xa6"), "bob"); /* ellipsis */
	assert_string_equal(scan("@bob\xe3\x80\x82"), "bob"); /* ideographic stop */
}

static void
mention__scan__reports_only_valid_user_names(void **state)
{
	(void)state;
	assert_string_equal(scan("@ @. @-x @"), "");
	char text[64];
	snprintf(text, sizeof text, "@%s", "abcdefghijklmnopqrstuvwxyz0123456");
	assert_string_equal(scan(text), ""); /* 33 characters */
	text[33] = '\0';
	assert_string_equal(scan(text), "abcdefghijklmnopqrstuvwxyz012345");
}

static void
mention__scan__stops_when_the_callback_says_so(void **state)
{
	(void)state;
	struct seen s;
	memset(&s, 0, sizeof s);
	s.stop_after = 1;
	mention_scan("@a @b @c", record, &s);
	assert_string_equal(s.buf, "a");
}

static void
mention__scan__does_nothing_for_null_or_empty_text(void **state)
{
	(void)state;
	assert_string_equal(scan(NULL), "");
	assert_string_equal(scan(""), "");
}

static void
mention__of__compares_names_without_ascii_case(void **state)
{
	(void)state;
	assert_true(mention_of("hi @BOB", "bob"));
	assert_true(mention_of("Bob: hi", "bob"));
	assert_true(mention_of("hi @bob", "Bob"));
	assert_false(mention_of("hi @bobby", "bob"));
}

static void
mention__of__finds_a_name_among_several(void **state)
{
	(void)state;
	assert_true(mention_of("@alice @bob @carol", "carol"));
	assert_false(mention_of("@alice @bob @carol", "dave"));
}

static void
mention__of__is_false_without_a_user(void **state)
{
	(void)state;
	assert_false(mention_of("@bob", NULL));
	assert_false(mention_of("@", ""));
	assert_false(mention_of(NULL, "bob"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mention__scan__finds_an_at_name_anywhere_in_the_text),
		cmocka_unit_test(mention__scan__reports_a_name_as_often_as_it_is_written),
		cmocka_unit_test(mention__scan__keeps_the_case_of_the_text),
		cmocka_unit_test(mention__scan__finds_name_colon_or_comma_at_the_start),
		cmocka_unit_test(mention__scan__ignores_addresses_and_longer_words),
		cmocka_unit_test(mention__scan__lets_a_dot_or_dash_end_a_name_only_before_a_non_word),
		cmocka_unit_test(mention__scan__ends_a_name_at_punctuation_and_spaces),
		cmocka_unit_test(mention__scan__reports_only_valid_user_names),
		cmocka_unit_test(mention__scan__stops_when_the_callback_says_so),
		cmocka_unit_test(mention__scan__does_nothing_for_null_or_empty_text),
		cmocka_unit_test(mention__of__compares_names_without_ascii_case),
		cmocka_unit_test(mention__of__finds_a_name_among_several),
		cmocka_unit_test(mention__of__is_false_without_a_user),
	};
	return cmocka_run_group_tests_name("mention", tests, NULL, NULL);
}
