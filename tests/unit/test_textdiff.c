/*
 * textdiff: the line diff reproduces both texts, is as short as the
 * longest common subsequence allows (checked against a dynamic program on
 * random texts), and the operation turns one text into the other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/textdiff.h"
#include "model/utf8.h"

/* The lines of d but those of kind other, each ended by a newline. */
static char *
side(const struct textdiff *d, enum textdiff_kind other)
{
	size_t cap = 1;
	for (size_t i = 0; i < d->n; i++)
		cap += d->v[i].len + 1;
	char *s = malloc(cap), *p = s;
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].kind == other)
			continue;
		memcpy(p, d->v[i].text, d->v[i].len);
		p += d->v[i].len;
		*p++ = '\n';
	}
	*p = '\0';
	return s;
}

/* t, ended by a newline as side() rebuilds it. */
static void
assert_side(const struct textdiff *d, enum textdiff_kind other, const char *t)
{
	char *s = side(d, other);
	size_t n = strlen(t);
	char want[4096];
	snprintf(want, sizeof want, "%s%s", t, n == 0 || t[n - 1] == '\n' ? "" : "\n");
	assert_string_equal(s, want);
	free(s);
}

static void
diff_of(const char *a, const char *b, struct textdiff *d)
{
	textdiff_lines(a, strlen(a), b, strlen(b), d);
	assert_side(d, TD_INS, a);
	assert_side(d, TD_DEL, b);
}

static void
textdiff__lines__equal_texts_have_no_change(void **state)
{
	(void)state;
	struct textdiff d;
	diff_of("one\ntwo\nthree", "one\ntwo\nthree", &d);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.ndel + d.nins, 0);
	textdiff_free(&d);
}

static void
textdiff__lines__a_replaced_line_is_deleted_then_inserted(void **state)
{
	(void)state;
	struct textdiff d;
	diff_of("one\ntwo\nthree\n", "one\nTWO\nthree\n", &d);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.v[1].kind, TD_DEL);
	assert_int_equal(d.v[1].len, 3);
	assert_memory_equal(d.v[1].text, "two", 3);
	assert_int_equal(d.v[2].kind, TD_INS);
	assert_memory_equal(d.v[2].text, "TWO", 3);
	assert_int_equal(d.v[0].kind, TD_SAME);
	assert_int_equal(d.v[3].kind, TD_SAME);
	textdiff_free(&d);
}

static void
textdiff__lines__empty_sides(void **state)
{
	(void)state;
	struct textdiff d;
	diff_of("", "a\nb", &d);
	assert_int_equal(d.nins, 2);
	assert_int_equal(d.ndel, 0);
	textdiff_free(&d);
	diff_of("a\nb", "", &d);
	assert_int_equal(d.ndel, 2);
	textdiff_free(&d);
	diff_of("", "", &d);
	assert_int_equal(d.n, 0);
	textdiff_free(&d);
}

static void
textdiff__lines__a_missing_last_newline_is_a_change(void **state)
{
	(void)state;
	struct textdiff d;
	textdiff_lines("a\nb", 3, "a\nb\n", 4, &d);
	assert_int_equal(d.ndel, 1);
	assert_int_equal(d.nins, 1);
	textdiff_free(&d);
}

static void
textdiff__format__marks_each_line(void **state)
{
	(void)state;
	struct textdiff d;
	diff_of("keep\nold\nend", "keep\nnew\nend", &d);
	size_t len;
	char *s = textdiff_format(&d, &len);
	assert_string_equal(s, "  keep\n- old\n+ new\n  end");
	assert_int_equal(len, strlen(s));
	free(s);
	textdiff_free(&d);
}

/* ---- shortest: against the longest common subsequence --------------------- */

static size_t
lcs(char **A, size_t n, char **B, size_t m)
{
	size_t *t = calloc((n + 1) * (m + 1), sizeof *t);
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t *c = &t[i * (m + 1) + j];
			if (strcmp(A[i - 1], B[j - 1]) == 0)
				*c = t[(i - 1) * (m + 1) + j - 1] + 1;
			else {
				size_t u = t[(i - 1) * (m + 1) + j], l = t[i * (m + 1) + j - 1];
				*c = u > l ? u : l;
			}
		}
	size_t r = t[n * (m + 1) + m];
	free(t);
	return r;
}

static size_t
random_text(char *buf, char **lines, size_t max, unsigned nwords, unsigned *seed)
{
	static const char *words[] = {"a", "b", "c", "d"};
	size_t n = (size_t)rand_r(seed) % max, p = 0;
	for (size_t i = 0; i < n; i++) {
		lines[i] = (char *)words[(unsigned)rand_r(seed) % nwords];
		p += (size_t)sprintf(buf + p, "%s\n", lines[i]);
	}
	buf[p] = '\0';
	return n;
}

static void
textdiff__lines__is_shortest_on_random_texts(void **state)
{
	(void)state;
	unsigned seed = 12345;
	for (int round = 0; round < 6000; round++) {
		/* short texts of 4 words, then longer ones of 2 (long snakes) */
		size_t max = round < 3000 ? 12 : 60;
		unsigned nwords = round < 3000 ? 4 : 2;
		char a[256], b[256];
		char *la[60], *lb[60];
		size_t n = random_text(a, la, max, nwords, &seed);
		size_t m = random_text(b, lb, max, nwords, &seed);
		struct textdiff d;
		diff_of(a, b, &d);
		size_t common = lcs(la, n, lb, m);
		assert_true(d.shortest);
		assert_int_equal(d.ndel, n - common);
		assert_int_equal(d.nins, m - common);
		/* within a run of changes, deletions come first */
		for (size_t i = 1; i < d.n; i++)
			assert_false(d.v[i - 1].kind == TD_INS && d.v[i].kind == TD_DEL);
		textdiff_free(&d);
	}
}

static void
textdiff__lines__stops_searching_past_max_work_but_stays_true(void **state)
{
	(void)state;
	/* every line differs: about n^2 steps to prove it */
	size_t n = 6000;
	char *a = malloc(n * 8 + 1), *b = malloc(n * 8 + 1);
	size_t pa = 0, pb = 0;
	for (size_t i = 0; i < n; i++) {
		pa += (size_t)sprintf(a + pa, "a%zu\n", i);
		pb += (size_t)sprintf(b + pb, "b%zu\n", i);
	}
	struct textdiff d;
	textdiff_lines(a, pa, b, pb, &d);
	assert_false(d.shortest);
	assert_int_equal(d.ndel, n);
	assert_int_equal(d.nins, n);
	textdiff_free(&d);
	free(a);
	free(b);
}

/* ---- the operation -------------------------------------------------------- */

static void
assert_op_turns(const char *a, const char *b)
{
	struct ot_op op;
	assert_true(textdiff_op(a, strlen(a), b, strlen(b), &op));
	assert_int_equal(op.base_len, utf8_count(a, strlen(a)));
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(ot_apply(&op, a, strlen(a), &out, &len), OT_OK);
	assert_int_equal(len, strlen(b));
	assert_memory_equal(out, b, len);
	free(out);
	ot_free(&op);
}

static void
textdiff__op__turns_a_into_b(void **state)
{
	(void)state;
	assert_op_turns("", "");
	assert_op_turns("", "new text");
	assert_op_turns("old text", "");
	assert_op_turns("hello world", "hello brave world");
	assert_op_turns("abcabc", "abc");
	assert_op_turns("same", "same");
	/* a shared lead byte: é (C3 A9) against ã (C3 A3) */
	assert_op_turns("caf\xc3\xa9", "caf\xc3\xa3");
	assert_op_turns("\xc3\xa9x", "\xc3\xa3x");
	assert_op_turns("x\xe2\x82\xac", "x\xe2\x82\xacy\xe2\x82\xac");
}

static void
textdiff__op__keeps_the_common_ends(void **state)
{
	(void)state;
	struct ot_op op;
	assert_true(textdiff_op("one two three", 13, "one 2 three", 11, &op));
	/* retain 4, insert "2", delete 3, retain 6 */
	assert_int_equal(op.ncomps, 4);
	assert_int_equal(op.comps[0].kind, OT_RETAIN);
	assert_int_equal(op.comps[0].n, 4);
	assert_int_equal(op.comps[1].kind, OT_INSERT);
	assert_string_equal(op.comps[1].text, "2");
	assert_int_equal(op.comps[2].kind, OT_DELETE);
	assert_int_equal(op.comps[2].n, 3);
	assert_int_equal(op.comps[3].n, 6);
	ot_free(&op);
	assert_true(textdiff_op("same", 4, "same", 4, &op));
	assert_true(ot_is_noop(&op));
	ot_free(&op);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(textdiff__lines__equal_texts_have_no_change),
		cmocka_unit_test(textdiff__lines__a_replaced_line_is_deleted_then_inserted),
		cmocka_unit_test(textdiff__lines__empty_sides),
		cmocka_unit_test(textdiff__lines__a_missing_last_newline_is_a_change),
		cmocka_unit_test(textdiff__format__marks_each_line),
		cmocka_unit_test(textdiff__lines__is_shortest_on_random_texts),
		cmocka_unit_test(textdiff__lines__stops_searching_past_max_work_but_stays_true),
		cmocka_unit_test(textdiff__op__turns_a_into_b),
		cmocka_unit_test(textdiff__op__keeps_the_common_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
