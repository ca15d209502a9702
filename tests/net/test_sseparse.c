/*
 * sseparse: an event stream read in pieces of every size, with every
 * line ending, comments, named events, multi-line data and limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/sseparse.h"

struct got {
	char names[16][32];
	char data[16][128];
	int n, comments;
};

static void
on_event(void *ud, const char *name, const char *data, size_t len)
{
	struct got *g = ud;
	assert_true(g->n < 16);
	assert_int_equal(strlen(data), len);
	snprintf(g->names[g->n], 32, "%s", name);
	snprintf(g->data[g->n++], 128, "%s", data);
}

static void
on_comment(void *ud)
{
	((struct got *)ud)->comments++;
}

/* The whole text fed in pieces of step bytes. */
static bool
feed(struct got *g, const char *text, size_t step, size_t max)
{
	struct sse_parser p;
	sse_init(&p, max);
	struct sse_sink sink = {on_event, on_comment, g};
	memset(g, 0, sizeof *g);
	bool ok = true;
	size_t n = strlen(text);
	for (size_t i = 0; i < n && ok; i += step)
		ok = sse_feed(&p, text + i, i + step > n ? n - i : step, &sink);
	sse_free(&p);
	return ok;
}

static const char stream[] =
    "retry: 2000\n"
    "event: session\n"
    "data: {\"session\":\"s1.ab\"}\n"
    "\n"
    "data: {\"type\":\"WELCOME\"}\n"
    "id: -\n"
    "\n"
    ": heartbeat\n"
    "\n"
    "data: one\n"
    "data: two\n"
    "\n"
    "event: close\n"
    "data: {\"code\":4001}\n"
    "\n";

static void
sseparse__reads_events_in_pieces_of_every_size(void **state)
{
	(void)state;
	for (size_t step = 1; step <= sizeof stream; step++) {
		struct got g;
		assert_true(feed(&g, stream, step, 1024));
		assert_int_equal(g.n, 4);
		assert_string_equal(g.names[0], "session");
		assert_string_equal(g.data[0], "{\"session\":\"s1.ab\"}");
		assert_string_equal(g.names[1], "");
		assert_string_equal(g.data[1], "{\"type\":\"WELCOME\"}");
		assert_string_equal(g.data[2], "one\ntwo");
		assert_string_equal(g.names[3], "close");
		assert_int_equal(g.comments, 1);
	}
}

static void
sseparse__takes_crlf_and_cr_line_ends(void **state)
{
	(void)state;
	struct got g;
	for (size_t step = 1; step < 8; step++) {
		assert_true(feed(&g, "data: a\r\n\r\ndata:b\r\rdata: c\n\n", step, 64));
		assert_int_equal(g.n, 3);
		assert_string_equal(g.data[0], "a");
		assert_string_equal(g.data[1], "b");
		assert_string_equal(g.data[2], "c");
	}
}

static void
sseparse__an_event_without_data_or_an_end_is_not_given(void **state)
{
	(void)state;
	struct got g;
	assert_true(feed(&g, "event: x\n\nid: 4\n\ndata: late", 3, 64));
	assert_int_equal(g.n, 0);
	/* a field without a colon is a field with an empty value */
	assert_true(feed(&g, "data\n\n", 1, 64));
	assert_int_equal(g.n, 1);
	assert_string_equal(g.data[0], "");
	/* only one space after the colon is taken off */
	assert_true(feed(&g, "data:  two\n\n", 1, 64));
	assert_string_equal(g.data[0], " two");
}

static void
sseparse__refuses_lines_and_events_over_the_limit(void **state)
{
	(void)state;
	struct got g;
	char big[200];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char text[300];
	snprintf(text, sizeof text, "data: %s\n\n", big);
	assert_false(feed(&g, text, 7, 100));
	assert_int_equal(g.n, 0);
	/* short lines that add up to a long event */
	assert_false(feed(&g, "data: 0123456789\ndata: 0123456789\ndata: 0123456789\n\n",
	    5, 30));
	assert_true(feed(&g, text, 7, 300));
	assert_int_equal(g.n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sseparse__reads_events_in_pieces_of_every_size),
		cmocka_unit_test(sseparse__takes_crlf_and_cr_line_ends),
		cmocka_unit_test(sseparse__an_event_without_data_or_an_end_is_not_given),
		cmocka_unit_test(sseparse__refuses_lines_and_events_over_the_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
