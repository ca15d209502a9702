/*
 * desknotify against a real notification daemon: dunst on a private X
 * server and session bus (run-with-dunst.sh starts them). What the daemon
 * received is read back from `dunstctl history`, after `dunstctl
 * close-all` has moved what it shows into the history.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "common.h"

/* ---- dunst's history ------------------------------------------------------- */

static char *
run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	if (p == NULL)
		return NULL;
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *g = realloc(buf, cap *= 2);
			if (g == NULL)
				free(buf);
			buf = g;
		}
	}
	pclose(p);
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

static const char *
field(const cJSON *entry, const char *name)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(entry, name);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(f, "data");
	return cJSON_IsString(d) ? d->valuestring : NULL;
}

/* The history entries whose summary starts with prefix: how many, a copy
 * of one's summary, body, app name and category, and whether any has the
 * body look_for. */
struct found {
	size_t n;
	char summary[256], body[2048], appname[64], category[64];
	bool has_body;
};

static void
scan_history(const char *prefix, const char *look_for, struct found *out)
{
	memset(out, 0, sizeof *out);
	if (system("dunstctl close-all >/dev/null 2>&1") != 0)
		return;
	char *text = run("dunstctl history 2>/dev/null");
	cJSON *doc = text != NULL ? cJSON_Parse(text) : NULL;
	free(text);
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
	const cJSON *list = cJSON_GetArrayItem(data, 0);
	const cJSON *entry;
	cJSON_ArrayForEach(entry, list) {
		const char *summary = field(entry, "summary");
		if (summary == NULL || strncmp(summary, prefix, strlen(prefix)) != 0)
			continue;
		out->n++;
		if (look_for != NULL && field(entry, "body") != NULL &&
		    strcmp(field(entry, "body"), look_for) == 0)
			out->has_body = true;
		snprintf(out->summary, sizeof out->summary, "%s", summary);
		snprintf(out->body, sizeof out->body, "%s", field(entry, "body"));
		snprintf(out->appname, sizeof out->appname, "%s",
		    field(entry, "appname"));
		snprintf(out->category, sizeof out->category, "%s",
		    field(entry, "category"));
	}
	cJSON_Delete(doc);
}

/* Polls the history until at least want entries match (or the deadline). */
static void
wait_history(const char *prefix, size_t want, struct found *out)
{
	int64_t end = mono_ms() + WAIT_MS;
	for (;;) {
		scan_history(prefix, NULL, out);
		if (out->n >= want || mono_ms() >= end)
			return;
		sleep_ms(50);
	}
}

/* A summary no other test (or earlier run against this dunst) uses. */
static void
unique(char *buf, size_t len, const char *what)
{
	static unsigned counter;
	snprintf(buf, len, "%s %ld-%u", what, (long)getpid(), ++counter);
}

/* ---- fixture --------------------------------------------------------------- */

static int
setup(void **state)
{
	if (!desknotify_supported())
		return 0; /* each test skips */
	char err[256];
	struct desknotify *dn = desknotify_start(NULL, err, sizeof err);
	if (dn == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = dn;
	return 0;
}

static int
teardown(void **state)
{
	struct desknotify *dn = *state;
	if (dn != NULL && !desknotify_stop(dn))
		return -1;
	return 0;
}

static struct desknotify *
dn_of(void **state)
{
	if (!desknotify_supported())
		skip();
	return *state;
}

/* Posts one notification and returns what dunst got, found by the
 * unique start of its summary. */
static void
post_one(void **state, const char *title, const char *body,
    const char *prefix, struct found *out)
{
	struct desknotify *dn = dn_of(state);
	desknotify_post(dn, title, body, DESKNOTIFY_NORMAL);
	wait_history(prefix, 1, out);
	assert_int_equal(out->n, 1);
}

/* ---- tests ----------------------------------------------------------------- */

static void
desknotify__post__shows_one_notification_with_its_summary_and_body(
    void **state)
{
	struct desknotify *dn = dn_of(state);
	char title[64];
	struct found f;
	unique(title, sizeof title, "hello");
	post_one(state, title, "hello from the test", title, &f);
	assert_string_equal(f.summary, title);
	assert_string_equal(f.body, "hello from the test");
	assert_string_equal(f.appname, "confab");
	assert_string_equal(f.category, "im.received");

	struct desknotify_stats st;
	assert_true(wait_idle(dn, &st));
	assert_int_equal(st.posted, 1);
	assert_int_equal(st.shown, 1);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.failures, 0);
	assert_false(st.unavailable);
	/* exactly one entry: nothing was shown twice */
	scan_history(title, NULL, &f);
	assert_int_equal(f.n, 1);
}

static void
desknotify__drain__reports_nothing_while_notifications_work(void **state)
{
	struct desknotify *dn = dn_of(state);
	char title[64];
	struct found f;
	unique(title, sizeof title, "quiet");
	post_one(state, title, "body", title, &f);
	struct seen s = { 0 };
	assert_int_equal(desknotify_drain(dn, record, &s), 0);
}

static void
desknotify__post__escapes_markup_in_the_body_only(void **state)
{
	char title[64], markup_title[96];
	struct found f;
	unique(title, sizeof title, "markup");
	snprintf(markup_title, sizeof markup_title, "%s <b>x</b> & y", title);
	post_one(state, markup_title, "a & b <i>x</i> > y", title, &f);
	assert_string_equal(f.body, "a &amp; b &lt;i&gt;x&lt;/i&gt; &gt; y");
	/* the summary is plain text: it arrives as it was written */
	assert_string_equal(f.summary, markup_title);
}

static void
desknotify__post__strips_control_characters(void **state)
{
	char title[64], noisy_title[96];
	struct found f;
	unique(title, sizeof title, "controls");
	snprintf(noisy_title, sizeof noisy_title, "%s\n\x1b[31m", title);
	post_one(state, noisy_title, "x\x01y\x1b[31mz\x7f\xc2\x9b!", title, &f);
	assert_string_equal(f.body, "xy[31mz!");
	char shown[128];
	snprintf(shown, sizeof shown, "%s [31m", title);
	assert_string_equal(f.summary, shown);
}

static void
desknotify__post__cuts_a_long_body(void **state)
{
	char title[64], body[1001], want[DESKNOTIFY_BODY_MAX + 4];
	struct found f;
	unique(title, sizeof title, "long");
	memset(body, 'a', 1000);
	body[1000] = '\0';
	memset(want, 'a', DESKNOTIFY_BODY_MAX);
	memcpy(want + DESKNOTIFY_BODY_MAX, "\xE2\x80\xA6", 4);
	post_one(state, title, body, title, &f);
	assert_string_equal(f.body, want);
}

static void
desknotify__post__never_blocks_a_flood_and_counts_what_it_drops(
    void **state)
{
	struct desknotify *dn = dn_of(state);
	enum { FLOOD = 1000 };
	char title[64], body[32];
	unique(title, sizeof title, "flood");
	for (int i = 0; i < FLOOD; i++) {
		snprintf(body, sizeof body, "message %d", i);
		desknotify_post(dn, title, body, DESKNOTIFY_LOW);
	}
	struct desknotify_stats st;
	desknotify_get_stats(dn, &st);
	assert_int_equal(st.posted, FLOOD);
	assert_true(st.pending <= DESKNOTIFY_QUEUE_MAX + 1);
	assert_int_equal(st.posted,
	    st.shown + st.dropped + st.suppressed + st.pending);

	assert_true(wait_idle(dn, &st));
	assert_int_equal(st.posted, FLOOD);
	assert_int_equal(st.suppressed, 0);
	assert_int_equal(st.failures, 0);
	assert_true(st.dropped > 0);
	assert_int_equal(st.shown + st.dropped, FLOOD);
	/* what was not dropped reached the daemon, once each */
	struct found f;
	wait_history(title, (size_t)st.shown, &f);
	assert_int_equal(f.n, st.shown);
	/* the newest survive a full queue */
	char last[32];
	snprintf(last, sizeof last, "message %d", FLOOD - 1);
	scan_history(title, last, &f);
	assert_true(f.has_body);
}

static void
desknotify__retry__reports_the_daemon_when_it_works(void **state)
{
	struct desknotify *dn = dn_of(state);
	struct seen s = { 0 };
	desknotify_retry(dn);
	assert_int_equal(wait_events(dn, &s, 1), 1);
	assert_int_equal(s.kind[0], DESKNOTIFY_AVAILABLE);
	assert_non_null(strstr(s.text[0], "desktop notifications available (dunst"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(desknotify__post__shows_one_notification_with_its_summary_and_body),
		T(desknotify__drain__reports_nothing_while_notifications_work),
		T(desknotify__post__escapes_markup_in_the_body_only),
		T(desknotify__post__strips_control_characters),
		T(desknotify__post__cuts_a_long_body),
		T(desknotify__post__never_blocks_a_flood_and_counts_what_it_drops),
		T(desknotify__retry__reports_the_daemon_when_it_works),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
