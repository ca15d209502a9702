/*
 * Shared steps of the integration tests: each test starts its own confabd
 * (free port, temporary database) and drives it with real WebSocket
 * clients from tests/lib.
 */
#ifndef CONFAB_IT_COMMON_H
#define CONFAB_IT_COMMON_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "srv.h"
#include "tc.h"

#define T TC_TIMEOUT_MS

/* Starts confabd with extra options (NULL-ended); no rate limit unless the
 * options set one, since tests send faster than people. */
static inline struct srv *
it_start(const char *const *extra)
{
	static const char *const no_limit[] = {"--rate", "0", NULL};
	struct srv *s = calloc(1, sizeof *s);
	assert_non_null(s);
	assert_true(srv_start(s, extra ? extra : no_limit));
	return s;
}

static inline void
it_stop(struct srv *s)
{
	srv_cleanup(s);
	free(s);
}

/* Per-test teardown: a failed assertion skips the test's own clean-up, so
 * no server it started may survive it. */
static inline int
it_teardown(void **state)
{
	(void)state;
	srv_reap_all();
	return 0;
}

#define IT_TEST(f) cmocka_unit_test_teardown(f, it_teardown)

static inline struct tc *
it_login(const struct srv *s, const char *user)
{
	struct tc *c = tc_login(s->port, user);
	assert_non_null(c);
	return c;
}

/* JOINs room and returns the JOINED snapshot. */
static inline cJSON *
it_join(struct tc *c, const char *room)
{
	tc_sendf(c, "{\"type\":\"JOIN\",\"room\":\"%s\"}", room);
	cJSON *j = tc_expect_field(c, "JOINED", "room", room, T);
	assert_non_null(j);
	return j;
}

static inline void
it_join_quiet(struct tc *c, const char *room)
{
	cJSON_Delete(it_join(c, room));
}

/* A client of user signed in and joined to room. */
static inline struct tc *
it_joined(const struct srv *s, const char *user, const char *room)
{
	struct tc *c = it_login(s, user);
	it_join_quiet(c, room);
	return c;
}

/* Sends a MESSAGE and returns the seq its ACK carries. */
static inline long long
it_say(struct tc *c, const char *room, const char *cid, const char *text)
{
	tc_sendf(c, "{\"type\":\"MESSAGE\",\"cid\":\"%s\",\"room\":\"%s\",\"text\":\"%s\"}",
	    cid, room, text);
	cJSON *a = tc_expect_field(c, "ACK", "cid", cid, T);
	assert_non_null(a);
	long long seq = tc_int(a, "seq");
	cJSON_Delete(a);
	return seq;
}

/* Expects an ERROR with the given code (and cid when not NULL). */
static inline void
it_expect_error(struct tc *c, const char *code, const char *cid)
{
	cJSON *e = tc_expect(c, "ERROR", T);
	assert_non_null(e);
	assert_string_equal(tc_str(e, "code"), code);
	assert_non_null(tc_str(e, "reason"));
	if (cid != NULL) {
		assert_non_null(tc_str(e, "cid"));
		assert_string_equal(tc_str(e, "cid"), cid);
	}
	cJSON_Delete(e);
}

/* Reads n MESSAGE frames of room and checks they carry seq first..first+n-1. */
static inline void
it_expect_seqs(struct tc *c, const char *room, long long first, long long n)
{
	for (long long i = 0; i < n; i++) {
		cJSON *m = tc_expect_field(c, "MESSAGE", "room", room, T);
		assert_non_null(m);
		assert_int_equal(tc_int(m, "seq"), first + i);
		cJSON_Delete(m);
	}
}

/* Stops the server as an operator would and checks it exited cleanly (a
 * sanitized build's leak check runs at that exit). */
static inline void
it_stop_clean(struct srv *s)
{
	int st = srv_stop(s, SIGTERM);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("confabd did not exit cleanly: status %d", st);
}

/* Sends a request (a JSON object's fields after its type and cid) and
 * expects its ACK, which is returned. */
static inline cJSON *
it_ack(struct tc *c, const char *type, const char *cid, const char *fields)
{
	tc_sendf(c, "{\"type\":\"%s\",\"cid\":\"%s\",%s}", type, cid, fields);
	cJSON *a = tc_expect_field(c, "ACK", "cid", cid, T);
	if (a == NULL)
		fail_msg("no ACK for %s %s", type, fields);
	return a;
}

static inline void
it_ok(struct tc *c, const char *type, const char *cid, const char *fields)
{
	cJSON_Delete(it_ack(c, type, cid, fields));
}

/* Sends a request and expects ERROR code, with a reason, for its cid. */
static inline void
it_refused(struct tc *c, const char *type, const char *cid, const char *fields,
    const char *code)
{
	tc_sendf(c, "{\"type\":\"%s\",\"cid\":\"%s\",%s}", type, cid, fields);
	cJSON *e = tc_expect_field(c, "ERROR", "cid", cid, T);
	if (e == NULL)
		fail_msg("no ERROR for %s %s", type, fields);
	if (strcmp(tc_str(e, "code"), code) != 0)
		fail_msg("%s %s: %s (%s), want %s", type, fields, tc_str(e, "code"),
		    tc_str(e, "reason"), code);
	assert_non_null(tc_str(e, "reason"));
	cJSON_Delete(e);
}

#endif
