/*
 * desknotify with nobody to talk to: a session bus address that refuses
 * connections, no session bus at all, and a bus that accepts and never
 * answers. The caller must never block, and learns of the failure exactly
 * once per attempt. Also the text cleaning, which needs no daemon.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "common.h"

/* Short enough for a unix socket path (108 bytes) with a name after it. */
static char tmpdir[64];

/* A unix socket path whose connections are refused (bound, not listening)
 * or, with listening, accepted by the kernel and never answered. */
static void
make_socket(const char *name, bool listening, char *addr, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	assert_true(strlen(tmpdir) + 1 + strlen(name) < sizeof sa.sun_path);
	memcpy(sa.sun_path, tmpdir, strlen(tmpdir));
	sa.sun_path[strlen(tmpdir)] = '/';
	memcpy(sa.sun_path + strlen(tmpdir) + 1, name, strlen(name) + 1);
	unlink(sa.sun_path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	if (listening)
		assert_int_equal(listen(fd, 64), 0); /* kept open, never accepted */
	else
		close(fd);
	snprintf(addr, len, "unix:path=%s", sa.sun_path);
}

static struct desknotify *
start(void)
{
	char err[256];
	struct desknotify *dn = desknotify_start(NULL, err, sizeof err);
	if (dn == NULL)
		fail_msg("%s", err);
	return dn;
}

static void
use_dead_bus(void)
{
	char addr[512];
	make_socket("dead.sock", false, addr, sizeof addr);
	setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
}

static void
post_many(struct desknotify *dn, int n)
{
	for (int i = 0; i < n; i++)
		desknotify_post(dn, "someone", "said something", DESKNOTIFY_NORMAL);
}

/* ---- a bus that refuses ------------------------------------------------------ */

static void
desknotify__post__reports_one_failure_for_many_posts_to_a_dead_bus(
    void **state)
{
	(void)state;
	use_dead_bus();
	struct desknotify *dn = start();
	post_many(dn, 50);
	struct seen s = { 0 };
	assert_int_equal(wait_events(dn, &s, 1), 1);
	struct desknotify_stats st;
	assert_true(wait_idle(dn, &st));
	desknotify_drain(dn, record, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.kind[0], DESKNOTIFY_UNAVAILABLE);
	if (desknotify_supported())
		assert_string_equal(s.text[0], "desktop notifications unavailable: "
		    "cannot reach the D-Bus session bus: Could not connect: "
		    "Connection refused");
	else
		assert_string_equal(s.text[0], "desktop notifications unavailable: "
		    "built without libnotify");
	assert_int_equal(st.posted, 50);
	assert_int_equal(st.shown, 0);
	/* some may have been pushed out of the queue while the first try ran */
	assert_int_equal(st.dropped + st.suppressed, 50);
	assert_int_equal(st.failures, 1);
	assert_int_equal(st.attempts, 1);
	assert_true(st.unavailable);
	assert_true(desknotify_stop(dn));
}

static void
desknotify__post__drops_silently_after_a_failure_until_retry(void **state)
{
	(void)state;
	use_dead_bus();
	struct desknotify *dn = start();
	post_many(dn, 1);
	struct seen s = { 0 };
	assert_int_equal(wait_events(dn, &s, 1), 1);

	/* Given up: a post is counted and dropped on the caller's thread,
	 * without waking the worker. */
	post_many(dn, 50);
	struct desknotify_stats st;
	desknotify_get_stats(dn, &st);
	assert_int_equal(st.posted, 51);
	assert_int_equal(st.suppressed, 51);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.attempts, 1);
	assert_int_equal(desknotify_drain(dn, record, &s), 0);
	assert_true(desknotify_stop(dn));
}

static void
desknotify__retry__tries_again_and_reports_one_more_failure(void **state)
{
	(void)state;
	use_dead_bus();
	struct desknotify *dn = start();
	post_many(dn, 10);
	struct seen s = { 0 };
	assert_int_equal(wait_events(dn, &s, 1), 1);

	desknotify_retry(dn);
	assert_int_equal(wait_events(dn, &s, 2), 2);
	assert_int_equal(s.kind[1], DESKNOTIFY_UNAVAILABLE);
	post_many(dn, 10);
	struct desknotify_stats st;
	assert_true(wait_idle(dn, &st));
	assert_int_equal(desknotify_drain(dn, record, &s), 0);
	assert_int_equal(st.attempts, 2);
	assert_int_equal(st.failures, 2);
	assert_int_equal(st.dropped + st.suppressed, 20);
	assert_true(desknotify_stop(dn));
}

/* ---- no bus at all ------------------------------------------------------------ */

static void
desknotify__post__reports_a_missing_session_bus_without_starting_one(
    void **state)
{
	(void)state;
	if (!desknotify_supported())
		skip();
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	setenv("XDG_RUNTIME_DIR", tmpdir, 1); /* no "bus" socket in it */
	struct desknotify *dn = start();
	post_many(dn, 50);
	struct seen s = { 0 };
	assert_int_equal(wait_events(dn, &s, 1), 1);
	struct desknotify_stats st;
	assert_true(wait_idle(dn, &st));
	desknotify_drain(dn, record, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.text[0], "desktop notifications unavailable: "
	    "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
	assert_int_equal(st.dropped + st.suppressed, 50);
	assert_int_equal(st.attempts, 1);
	assert_true(desknotify_stop(dn));
}

static void
desknotify__stop__is_immediate_when_nothing_was_posted(void **state)
{
	(void)state;
	use_dead_bus();
	assert_true(desknotify_stop(start()));
	assert_true(desknotify_stop(NULL));
}

/* ---- text cleaning ------------------------------------------------------------- */

static void
assert_clean(const char *in, size_t max, bool multiline, const char *want)
{
	char *got = desknotify_clean(in, max, multiline);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
desknotify__clean__keeps_plain_text(void **state)
{
	(void)state;
	assert_clean("hello, wörld ✓", 300, true, "hello, wörld ✓");
	assert_clean(NULL, 300, true, "");
}

static void
desknotify__clean__replaces_invalid_utf8(void **state)
{
	(void)state;
	assert_clean("a\xff" "b\xc3", 300, true, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	assert_clean("\xed\xa0\x80", 300, true,
	    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* a surrogate */
}

static void
desknotify__clean__strips_control_and_bidi_characters(void **state)
{
	(void)state;
	assert_clean("a\x01\x1b[1mb\x7f\xc2\x85" "c", 300, true, "a[1mbc");
	assert_clean("x\xE2\x80\xAEy\xE2\x81\xA6z", 300, true, "xyz");
	assert_clean("a\tb\rc", 300, true, "a bc");
}

static void
desknotify__clean__keeps_newlines_only_when_multiline(void **state)
{
	(void)state;
	assert_clean("a\nb", 300, true, "a\nb");
	assert_clean("a\nb", 300, false, "a b");
}

static void
desknotify__clean__cuts_at_max_characters_with_an_ellipsis(void **state)
{
	(void)state;
	assert_clean("abcdef", 3, true, "abc\xE2\x80\xA6");
	assert_clean("ééééé", 2, true, "éé\xE2\x80\xA6");
	assert_clean("abc", 3, true, "abc");
	assert_clean("abc\x01\x02", 3, true, "abc"); /* nothing shown was cut */
}

/* The copy is sized by the text (at most 3 bytes of U+FFFD for a bad byte),
 * never by a limit that has no text behind it. */
static void
desknotify__clean__sizes_its_copy_by_the_text_not_by_the_limit(void **state)
{
	(void)state;
	assert_clean("\xff\xff\xff", SIZE_MAX, true,
	    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_clean("wörld", SIZE_MAX / 2, false, "wörld");
	assert_clean("", SIZE_MAX, false, "");
}

/* ---- a bus that never answers (last: it leaves a worker stuck) ---------------- */

static void
desknotify__stop__leaves_a_worker_stuck_in_d_bus_behind(void **state)
{
	(void)state;
	if (!desknotify_supported())
		skip();
	char addr[512];
	make_socket("mute.sock", true, addr, sizeof addr);
	setenv("DBUS_SESSION_BUS_ADDRESS", addr, 1);
	struct desknotify *dn = start();
	/* Let the worker take the first one into the mute bus... */
	post_many(dn, 1);
	struct desknotify_stats st;
	int64_t end = mono_ms() + WAIT_MS;
	do {
		sleep_ms(10);
		desknotify_get_stats(dn, &st);
	} while (st.attempts == 0 && mono_ms() < end);
	assert_int_equal(st.attempts, 1);

	/* ...then flood: every post returns, the oldest are dropped. */
	post_many(dn, 99);
	desknotify_get_stats(dn, &st);
	assert_int_equal(st.posted, 100);
	assert_int_equal(st.pending, DESKNOTIFY_QUEUE_MAX + 1);
	assert_int_equal(st.dropped, 100 - DESKNOTIFY_QUEUE_MAX - 1);
	assert_int_equal(st.shown, 0);
	struct seen s = { 0 };
	assert_int_equal(desknotify_drain(dn, record, &s), 0);

	/* stop gives up on the worker after its bounded wait */
	assert_false(desknotify_stop(dn));
}

int
main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/confab-nodaemon.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(desknotify__post__reports_one_failure_for_many_posts_to_a_dead_bus),
		cmocka_unit_test(desknotify__post__drops_silently_after_a_failure_until_retry),
		cmocka_unit_test(desknotify__retry__tries_again_and_reports_one_more_failure),
		cmocka_unit_test(desknotify__post__reports_a_missing_session_bus_without_starting_one),
		cmocka_unit_test(desknotify__stop__is_immediate_when_nothing_was_posted),
		cmocka_unit_test(desknotify__clean__keeps_plain_text),
		cmocka_unit_test(desknotify__clean__replaces_invalid_utf8),
		cmocka_unit_test(desknotify__clean__strips_control_and_bidi_characters),
		cmocka_unit_test(desknotify__clean__keeps_newlines_only_when_multiline),
		cmocka_unit_test(desknotify__clean__cuts_at_max_characters_with_an_ellipsis),
		cmocka_unit_test(desknotify__clean__sizes_its_copy_by_the_text_not_by_the_limit),
		cmocka_unit_test(desknotify__stop__leaves_a_worker_stuck_in_d_bus_behind),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char path[512];
	const char *names[] = { "dead.sock", "mute.sock" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	return rc;
}
