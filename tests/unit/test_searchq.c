/*
 * searchq: a search box's text becomes an FTS5 query of quoted words (no
 * input is a syntax error), the last word a prefix; snippets lose their
 * markers and give code-point ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/searchq.h"

static void
query_is(const char *text, bool prefix, const char *want)
{
	char *q = searchq_build(text, prefix);
	if (want == NULL) {
		if (q != NULL)
			fail_msg("%s: want none, got %s", text, q);
		return;
	}
	if (q == NULL || strcmp(q, want) != 0)
		fail_msg("%s: want %s, got %s", text, want, q ? q : "NULL");
	free(q);
}

static void
searchq__words__are_quoted_and_anded(void **state)
{
	(void)state;
	query_is("hello world", false, "\"hello\" \"world\"");
	query_is("  hello\t\nworld  ", true, "\"hello\" \"world\"");
	query_is("hello", false, "\"hello\"");
}

static void
searchq__the_last_word__is_a_prefix_while_typed(void **state)
{
	(void)state;
	query_is("hello wor", true, "\"hello\" \"wor\"*");
	/* a space after it: the word is complete */
	query_is("hello wor ", true, "\"hello\" \"wor\"");
}

static void
searchq__operators_and_quotes__are_plain_words(void **state)
{
	(void)state;
	query_is("a OR b", false, "\"a\" \"OR\" \"b\"");
	query_is("NOT", false, "\"NOT\"");
	query_is("\"unbalanced", false, "\"\"\"unbalanced\"");
	query_is("say \"hi\"", true, "\"say\" \"\"\"hi\"\"\"*");
	query_is("col:x (y* NEAR/2 ^z)", false,
	    "\"col:x\" \"(y*\" \"NEAR/2\" \"^z)\"");
}

static void
searchq__nothing_to_search__is_none(void **state)
{
	(void)state;
	query_is("", true, NULL);
	query_is(" \t\n ", true, NULL);
}

static void
searchq__many_or_long_words__are_bounded(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < 40; i++)
		strcat(text, "w ");
	char *q = searchq_build(text, false);
	assert_non_null(q);
	size_t words = 0;
	for (const char *p = q; *p; p++)
		words += *p == 'w';
	assert_int_equal(words, SEARCHQ_MAX_TERMS);
	free(q);

	/* a long word is cut on a character boundary (é is two bytes) */
	char big[400] = "";
	for (int i = 0; i < 150; i++)
		strcat(big, "é");
	q = searchq_build(big, true);
	assert_non_null(q);
	/* quotes, 64 é (128 bytes), no prefix for a word that was cut */
	assert_int_equal(strlen(q), 2 + SEARCHQ_MAX_TERM);
	assert_int_equal(q[strlen(q) - 1], '"');
	free(q);
}

static void
searchq__snippet__gives_ranges_in_code_points(void **state)
{
	(void)state;
	struct searchq_snippet s;
	searchq_snippet("…the \x01" "café\x02 on \x01" "main\x02 street…", &s);
	assert_string_equal(s.text, "…the café on main street…");
	assert_int_equal(s.nmarks, 2);
	/* "…" and "é" are one code point each */
	assert_int_equal(s.marks[0][0], 5);
	assert_int_equal(s.marks[0][1], 9);
	assert_int_equal(s.marks[1][0], 13);
	assert_int_equal(s.marks[1][1], 17);
	searchq_snippet_free(&s);

	searchq_snippet("no marks", &s);
	assert_string_equal(s.text, "no marks");
	assert_int_equal(s.nmarks, 0);
	searchq_snippet_free(&s);

	/* unpaired or empty markers are dropped */
	searchq_snippet("a\x02 b\x01\x02 c\x01", &s);
	assert_string_equal(s.text, "a b c");
	assert_int_equal(s.nmarks, 0);
	searchq_snippet_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(searchq__words__are_quoted_and_anded),
		cmocka_unit_test(searchq__the_last_word__is_a_prefix_while_typed),
		cmocka_unit_test(searchq__operators_and_quotes__are_plain_words),
		cmocka_unit_test(searchq__nothing_to_search__is_none),
		cmocka_unit_test(searchq__many_or_long_words__are_bounded),
		cmocka_unit_test(searchq__snippet__gives_ranges_in_code_points),
	};
	return cmocka_run_group_tests_name("searchq", tests, NULL, NULL);
}
