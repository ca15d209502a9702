/*
 * A heavy shared document (hundreds of operations of 18,000 components
 * each) must not stall everyone: loading it, transforming a late edit
 * against it and rebuilding an old revision are done a step at a time, and
 * another client's HEARTBEATs are answered meanwhile. Checked by order, not
 * by time: the probe gets ten answers or more, one after another, while the
 * heavy request is still under way (a server that does the work in one
 * turn answers it once or twice, here some thirty to fifty times). The log
 * is bounded in bytes, the longest operation in components.
 */
#include <stdio.h>

#include "common.h"

enum { UNITS = 6000, OPS = 240 }; /* 18,000 components an operation */

/* [1,"x",-1, ...]: every second character replaced, on 2 * UNITS of text. */
static char *
heavy_op(char c)
{
	char unit[16];
	int n = snprintf(unit, sizeof unit, "1,\"%c\",-1,", c);
	char *s = malloc((size_t)n * UNITS + 3);
	char *p = s;
	*p++ = '[';
	for (int i = 0; i < UNITS; i++, p += n)
		memcpy(p, unit, (size_t)n);
	p[-1] = ']';
	*p = '\0';
	return s;
}

static void
send_op(struct tc *w, const char *doc, int rev, const char *op, const char *cid)
{
	tc_sendf(w, "{\"type\":\"DOC_OP\",\"cid\":\"%s\",\"room\":\"lobby\",\"doc\":\"%s\","
	    "\"rev\":%d,\"op\":%s}", cid, doc, rev, op);
}

/* A document of OPS heavy revisions after the first; unloaded after. */
static void
build_heavy(const struct srv *s, const char *doc)
{
	struct tc *w = it_login(s, "writer");
	it_join_quiet(w, "lobby");
	tc_sendf(w, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"%s\"}", doc);
	cJSON_Delete(tc_expect(w, "DOC_STATE", T));
	char *text = malloc(2 * UNITS + 8);
	text[0] = '[';
	text[1] = '"';
	memset(text + 2, 'a', 2 * UNITS);
	memcpy(text + 2 + 2 * UNITS, "\"]", 3);
	send_op(w, doc, 0, text, "init");
	free(text);
	cJSON_Delete(tc_expect_field(w, "ACK", "cid", "init", T));
	for (int i = 0; i < OPS; i++) {
		char *op = heavy_op((char)('b' + i % 20));
		char cid[16];
		snprintf(cid, sizeof cid, "h%d", i);
		send_op(w, doc, i + 1, op, cid);
		free(op);
		cJSON *a = tc_expect_field(w, "ACK", "cid", cid, T);
		if (a == NULL)
			fail_msg("heavy op %d was not acknowledged", i);
		cJSON_Delete(a);
		tc_discard(w);
	}
	tc_sendf(w, "{\"type\":\"DOC_CLOSE\",\"room\":\"lobby\",\"doc\":\"%s\"}", doc);
	tc_free(w); /* nobody views it: it is unloaded */
}

/* Ping-pongs HEARTBEATs on probe until `type` reaches heavy; returns how
 * many answers came first. */
static int
answers_before(struct tc *probe, struct tc *heavy, const char *type, cJSON **got)
{
	int n = 0;
	for (;;) {
		*got = tc_expect(heavy, type, 0);
		if (*got != NULL) {
			fprintf(stderr, "%d answers before %s\n", n, type);
			return n;
		}
		tc_send(probe, "{\"type\":\"HEARTBEAT\"}");
		cJSON *h = tc_expect(probe, "HEARTBEAT", 30000);
		assert_non_null(h);
		cJSON_Delete(h);
		n++;
	}
}

static long
rss_kb(const struct srv *s)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", s->pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kb;
}

static struct tc *
joined(const struct srv *s, const char *user)
{
	struct tc *c = it_login(s, user);
	it_join_quiet(c, "lobby");
	return c;
}

static void
heavy_work_goes_in_steps_while_others_are_answered(void **state)
{
	(void)state;
	/* a log big enough to hold every heavy revision: the work is there */
	static const char *const args[] = {"--rate", "0", "--max-frame", "262144",
	    "--max-op", "100000", "--doc-log-bytes", "1073741824", "--sync", "normal",
	    NULL};
	struct srv *s = it_start(args);
	build_heavy(s, "heavy");
	struct tc *probe = joined(s, "probe"), *heavy = joined(s, "heavy");
	cJSON *got;

	/* loading it: every revision decoded into the log */
	tc_send(heavy, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"heavy\"}");
	/* Work done in one turn would let no answer through; how many get
	 * through in steps depends on the machine's load, so the bar is low. */
	int n = answers_before(probe, heavy, "DOC_STATE", &got);
	if (n < 5)
		fail_msg("only %d HEARTBEAT answers while the document loaded", n);
	assert_int_equal(tc_int(got, "rev"), OPS + 1);
	assert_int_equal(strlen(tc_str(got, "text")), 2 * UNITS);
	cJSON_Delete(got);

	/* an edit made on revision 1, transformed against all the others */
	char *op = heavy_op('z');
	send_op(heavy, "heavy", 1, op, "late");
	free(op);
	n = answers_before(probe, heavy, "ACK", &got);
	if (n < 5)
		fail_msg("only %d HEARTBEAT answers while the late edit was transformed", n);
	assert_int_equal(tc_int(got, "rev"), OPS + 2);
	cJSON_Delete(got);

	/* an old revision: its snapshot and 99 operations after it */
	tc_send(heavy, "{\"type\":\"DOC_GET\",\"room\":\"lobby\",\"doc\":\"heavy\",\"rev\":199}");
	n = answers_before(probe, heavy, "DOC_TEXT", &got);
	if (n < 5)
		fail_msg("only %d HEARTBEAT answers while revision 199 was rebuilt", n);
	assert_int_equal(strlen(tc_str(got, "text")), 2 * UNITS);
	cJSON_Delete(got);
	tc_free(probe);
	tc_free(heavy);
	it_stop(s);
}

static void
the_log_is_bounded_in_bytes_and_operations_in_components(void **state)
{
	(void)state;
	static const char *const args[] = {"--rate", "0", "--max-frame", "262144",
	    "--max-op", "100000", "--doc-log-bytes", "4194304", "--sync", "normal", NULL};
	struct srv *s = it_start(args);
	build_heavy(s, "heavy");
	struct tc *heavy = joined(s, "heavy");
	long before = rss_kb(s);
	tc_send(heavy, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"heavy\"}");
	cJSON *st = tc_expect(heavy, "DOC_STATE", 30000);
	assert_non_null(st);
	cJSON_Delete(st);
	/* 240 revisions of 720 KB each would be 170 MB; 4 MiB of them stay */
	long after = rss_kb(s);
	assert_true(before > 0 && after - before < 64 * 1024);
	char *op = heavy_op('z');
	send_op(heavy, "heavy", 1, op, "late");
	it_expect_error(heavy, "rev_too_old", "late");
	send_op(heavy, "heavy", OPS, op, "recent");
	cJSON *a = tc_expect_field(heavy, "ACK", "cid", "recent", 30000);
	assert_non_null(a);
	cJSON_Delete(a);
	free(op);
	tc_free(heavy);
	it_stop(s);

	/* by default an operation has at most 4096 components */
	s = it_start(NULL);
	struct tc *w = joined(s, "writer");
	tc_send(w, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"d\"}");
	cJSON_Delete(tc_expect(w, "DOC_STATE", T));
	char *text = malloc(2 * UNITS + 8);
	text[0] = '[';
	text[1] = '"';
	memset(text + 2, 'a', 2 * UNITS);
	memcpy(text + 2 + 2 * UNITS, "\"]", 3);
	send_op(w, "d", 0, text, "init");
	free(text);
	cJSON_Delete(tc_expect_field(w, "ACK", "cid", "init", T));
	op = heavy_op('q');
	send_op(w, "d", 1, op, "big");
	free(op);
	it_expect_error(w, "too_large", "big");
	tc_free(w);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(heavy_work_goes_in_steps_while_others_are_answered),
		IT_TEST(the_log_is_bounded_in_bytes_and_operations_in_components),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
