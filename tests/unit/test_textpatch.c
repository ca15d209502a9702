/*
 * textpatch: the op from one text to another, line by line: it turns a
 * into b for random texts, touches only changed lines (an edit elsewhere,
 * transformed through it, survives), and falls back to one range past
 * the component cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/ot.h"
#include "model/textpatch.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

static char *
apply(const struct ot_op *op, const char *s)
{
	char *out;
	assert_int_equal(ot_apply(op, s, strlen(s), &out, NULL), OT_OK);
	return out;
}

static void
turns_into(const char *a, const char *b)
{
	struct ot_op op;
	size_t bytes;
	assert_true(textpatch_op(a, strlen(a), b, strlen(b), 4096, &op, &bytes));
	char *got = apply(&op, a);
	assert_string_equal(got, b);
	free(got);
	ot_free(&op);
}

TEST(textpatch__op__turns_a_into_b_at_the_edges)
{
	turns_into("", "");
	turns_into("", "one\ntwo");
	turns_into("one\ntwo\n", "");
	turns_into("one", "one\n");
	turns_into("one\n", "one");
	turns_into("a\nb\nc", "a\nB\nc");
	turns_into("caf\xc3\xa9\n\xe6\x97\xa5\n", "caf\xc3\xa9\nx\n\xe6\x97\xa5\n");
}

TEST(textpatch__op__turns_a_into_b_for_random_texts)
{
	static const char *words[] = { "a", "b", "\xc3\xa9", "\n", "\n", "cd " };
	srand(14);
	for (int round = 0; round < 500; round++) {
		char a[256] = "", b[256] = "";
		int na = rand() % 30, nb = rand() % 30;
		for (int i = 0; i < na; i++)
			strcat(a, words[rand() % 6]);
		/* b: a with some lines changed, or anything */
		if (round % 2) {
			for (int i = 0; i < nb; i++)
				strcat(b, words[rand() % 6]);
		} else {
			for (const char *p = a; *p; p++) {
				size_t n = strlen(b);
				if (*p == '\n' && rand() % 3 == 0 && n + 4 < sizeof b)
					strcat(b, "zz\n");
				else if (n + 2 < sizeof b)
					b[n] = *p, b[n + 1] = '\0';
			}
		}
		turns_into(a, b);
	}
}

TEST(textpatch__concurrent__an_edit_in_a_kept_line_survives)
{
	/* The file changes the last line; someone else meanwhile types in
	 * the first. Transformed either way, both edits are in the text. */
	const char *head = "first line\nmiddle\nlast line\n";
	const char *file = "first line\nmiddle\nthe end\n";
	struct ot_op load, other = OT_OP_INIT, l2, o2;
	assert_true(textpatch_op(head, strlen(head), file, strlen(file), 4096, &load,
	    NULL));
	assert_int_equal(ot_retain(&other, 5), OT_OK);
	assert_int_equal(ot_insert(&other, "!", 1), OT_OK);
	assert_int_equal(ot_retain(&other, strlen(head) - 5), OT_OK);
	assert_int_equal(ot_transform(&other, &load, &o2, &l2), OT_OK);
	char *s1 = apply(&other, head), *t1 = apply(&l2, s1);
	assert_string_equal(t1, "first! line\nmiddle\nthe end\n");
	free(s1);
	free(t1);
	ot_free(&load);
	ot_free(&other);
	ot_free(&l2);
	ot_free(&o2);
}

TEST(textpatch__cap__past_it_one_range_is_replaced)
{
	const char *a = "1\n2\n3\n4\n5\n6\n", *b = "1\nx\n3\ny\n5\nz\n";
	struct ot_op op;
	assert_true(textpatch_op(a, strlen(a), b, strlen(b), 3, &op, NULL));
	assert_true(op.ncomps <= 4);
	char *got = apply(&op, a);
	assert_string_equal(got, b);
	free(got);
	ot_free(&op);
}

TEST(textpatch__invalid__utf8_is_refused)
{
	struct ot_op op;
	assert_false(textpatch_op("a", 1, "\xff", 1, 10, &op, NULL));
	assert_int_equal(op.ncomps, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(textpatch__op__turns_a_into_b_at_the_edges),
		cmocka_unit_test(textpatch__op__turns_a_into_b_for_random_texts),
		cmocka_unit_test(textpatch__concurrent__an_edit_in_a_kept_line_survives),
		cmocka_unit_test(textpatch__cap__past_it_one_range_is_replaced),
		cmocka_unit_test(textpatch__invalid__utf8_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
