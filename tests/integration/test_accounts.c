/*
 * Accounts and sign-in over real sockets (--auth accounts): accounts made
 * with `confabd user add`, LOGIN, HELLO with the token, what is refused
 * (no token, a wrong password, an unknown user alike, another user's
 * token, a revoked one, an expired one), the limit on failed sign-ins,
 * LOGOUT, REGISTER, and that the database holds neither a password nor a
 * token.
 */
#define _GNU_SOURCE /* memmem */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

#define AUTH_FREE 3 /* failed sign-ins before the waits begin (accounts.h) */

#define PW "correct horse battery"

static const char *const accounts[] = {"--rate", "0", "--auth", "accounts", NULL};

/* confabd user VERB NAME --db (the server's), the password on stdin. */
static int
user_cmd(const struct srv *s, const char *verb, const char *name,
    const char *password)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "printf '%%s\\n' '%s' | '%s' user %s %s --db '%s' "
	    ">/dev/null 2>&1", password ? password : "", getenv("CONFABD"), verb,
	    name, s->db);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static struct srv *
server_with_alice(const char *const *extra)
{
	struct srv *s = it_start(extra ? extra : accounts);
	assert_int_equal(user_cmd(s, "add", "alice", PW), 0);
	assert_int_equal(user_cmd(s, "add", "bob", PW "!"), 0);
	return s;
}

/* LOGIN on c; the answer (LOGGED_IN or ERROR). */
static cJSON *
login(struct tc *c, const char *user, const char *password)
{
	tc_sendf(c, "{\"type\":\"LOGIN\",\"cid\":\"l1\",\"user\":\"%s\","
	    "\"password\":\"%s\"}", user, password);
	for (;;) {
		cJSON *f = tc_recv(c, 10000);
		if (f == NULL || tc_is(f, "LOGGED_IN") || tc_is(f, "ERROR"))
			return f;
		cJSON_Delete(f);
	}
}

/* A token of user, signed in on a connection of its own. */
static char *
token_of(const struct srv *s, const char *user, const char *password)
{
	struct tc *c = tc_connect(s->port, NULL);
	assert_non_null(c);
	cJSON *r = login(c, user, password);
	assert_non_null(r);
	assert_true(tc_is(r, "LOGGED_IN"));
	char *t = strdup(tc_str(r, "token"));
	cJSON_Delete(r);
	tc_free(c);
	return t;
}

/* HELLO with a token: the WELCOME, or the ERROR with the close code. */
static cJSON *
hello(const struct srv *s, const char *user, const char *token, int *close)
{
	struct tc *c = tc_connect(s->port, NULL);
	assert_non_null(c);
	if (token)
		tc_sendf(c, "{\"type\":\"HELLO\",\"user\":\"%s\",\"token\":\"%s\"}",
		    user, token);
	else
		tc_sendf(c, "{\"type\":\"HELLO\",\"user\":\"%s\"}", user);
	cJSON *f = NULL;
	while ((f = tc_recv(c, 10000)) != NULL && !tc_is(f, "WELCOME") &&
	    !tc_is(f, "ERROR"))
		cJSON_Delete(f);
	*close = tc_is(f, "ERROR") ? tc_wait_closed(c, 5000) : 0;
	tc_free(c);
	return f;
}

static void
expect_refused(const struct srv *s, const char *user, const char *token,
    const char *why)
{
	int close = 0;
	cJSON *f = hello(s, user, token, &close);
	assert_non_null(f);
	assert_true(tc_is(f, "ERROR"));
	assert_string_equal(tc_str(f, "code"), "unauthorized");
	assert_non_null(strstr(tc_str(f, "reason"), why));
	assert_int_equal(close, 4003);
	cJSON_Delete(f);
}

static void
a_hello_without_a_token_is_refused_and_closed(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	expect_refused(s, "alice", NULL, "needs you to sign in");
	it_stop(s);
}

static void
login_gives_a_token_that_hello_takes(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	struct tc *c = tc_connect(s->port, NULL);
	cJSON *r = login(c, "alice", PW);
	assert_true(tc_is(r, "LOGGED_IN"));
	assert_string_equal(tc_str(r, "cid"), "l1");
	assert_string_equal(tc_str(r, "user"), "alice");
	assert_int_equal(strlen(tc_str(r, "token")), 43);
	long long expires = (long long)cJSON_GetObjectItem(r, "expires")->valuedouble;
	long long now = (long long)time(NULL) * 1000;
	assert_true(expires > now + 29LL * 86400 * 1000);
	assert_true(expires < now + 31LL * 86400 * 1000);
	/* HELLO on the same connection */
	tc_sendf(c, "{\"type\":\"HELLO\",\"user\":\"alice\",\"token\":\"%s\"}",
	    tc_str(r, "token"));
	cJSON *w = tc_expect(c, "WELCOME", T);
	assert_non_null(w);
	cJSON_Delete(w);
	cJSON_Delete(it_join(c, "lobby"));
	cJSON_Delete(r);
	tc_free(c);
	it_stop(s);
}

static void
a_wrong_password_and_an_unknown_user_get_the_same_answer(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	struct tc *c = tc_connect(s->port, NULL);
	cJSON *wrong = login(c, "alice", "not it at all");
	cJSON *unknown = login(c, "nosuch", "not it at all");
	assert_true(tc_is(wrong, "ERROR") && tc_is(unknown, "ERROR"));
	assert_string_equal(tc_str(wrong, "code"), "unauthorized");
	assert_string_equal(tc_str(unknown, "code"), tc_str(wrong, "code"));
	assert_string_equal(tc_str(unknown, "reason"), tc_str(wrong, "reason"));
	assert_true(tc_is_open(c)); /* may try again */
	cJSON_Delete(wrong);
	cJSON_Delete(unknown);
	tc_free(c);
	it_stop(s);
}

static void
a_token_of_another_user_is_refused(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	char *t = token_of(s, "alice", PW);
	expect_refused(s, "bob", t, "another user's");
	free(t);
	it_stop(s);
}

static void
a_revoked_token_is_refused(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	char *t = token_of(s, "alice", PW);
	int close = 0;
	cJSON *w = hello(s, "alice", t, &close);
	assert_true(tc_is(w, "WELCOME"));
	cJSON_Delete(w);
	assert_int_equal(user_cmd(s, "revoke", "alice", NULL), 0);
	expect_refused(s, "alice", t, "no longer good");
	free(t);
	it_stop(s);
}

static void
an_expired_token_is_refused(void **state)
{
	(void)state;
	static const char *const short_lived[] = {"--rate", "0", "--auth",
	    "accounts", "--token-days", "0", NULL}; /* good for 2 s */
	struct srv *s = server_with_alice(short_lived);
	char *t = token_of(s, "alice", PW);
	cJSON *f = NULL;
	for (int i = 0; i < 100; i++) { /* until it expires, 10 s at most */
		int close = 0;
		f = hello(s, "alice", t, &close);
		if (tc_is(f, "ERROR"))
			break;
		cJSON_Delete(f);
		f = NULL;
		tc_pump(100);
	}
	assert_non_null(f);
	assert_non_null(strstr(tc_str(f, "reason"), "no longer good"));
	cJSON_Delete(f);
	free(t);
	it_stop(s);
}

static void
logout_revokes_the_token_and_closes_the_session(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	char *t = token_of(s, "alice", PW);
	struct tc *c = tc_connect(s->port, NULL);
	tc_sendf(c, "{\"type\":\"HELLO\",\"user\":\"alice\",\"token\":\"%s\"}", t);
	cJSON_Delete(tc_expect(c, "WELCOME", T));
	tc_send(c, "{\"type\":\"LOGOUT\",\"cid\":\"o1\"}");
	cJSON *a = tc_expect_field(c, "ACK", "cid", "o1", T);
	assert_non_null(a);
	cJSON_Delete(a);
	assert_int_equal(tc_wait_closed(c, 5000), 4003);
	tc_free(c);
	expect_refused(s, "alice", t, "no longer good");
	free(t);
	it_stop(s);
}

static void
failed_sign_ins_are_limited_with_growing_waits(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	struct tc *c = tc_connect(s->port, NULL);
	for (int i = 0; i < AUTH_FREE; i++) {
		cJSON *r = login(c, "alice", "guess");
		assert_string_equal(tc_str(r, "code"), "unauthorized");
		cJSON_Delete(r);
	}
	cJSON *r = login(c, "alice", "guess");
	assert_string_equal(tc_str(r, "code"), "unauthorized"); /* counted */
	cJSON_Delete(r);
	r = login(c, "alice", PW); /* even the right one must wait now */
	assert_string_equal(tc_str(r, "code"), "rate_limited");
	assert_non_null(strstr(tc_str(r, "reason"), "try again in"));
	cJSON_Delete(r);
	/* and the same for an unknown user from here: the address counts */
	r = login(c, "nosuch", "guess");
	assert_string_equal(tc_str(r, "code"), "rate_limited");
	cJSON_Delete(r);
	tc_free(c);
	it_stop(s);
}

static void
register_makes_an_account_only_when_the_server_lets_it(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	struct tc *c = tc_connect(s->port, NULL);
	tc_send(c, "{\"type\":\"REGISTER\",\"cid\":\"r1\",\"user\":\"carol\","
	    "\"password\":\"" PW "\"}");
	it_expect_error(c, "forbidden", "r1");
	tc_free(c);
	it_stop(s);

	static const char *const open[] = {"--rate", "0", "--auth", "accounts",
	    "--open-registration", NULL};
	s = server_with_alice(open);
	c = tc_connect(s->port, NULL);
	tc_send(c, "{\"type\":\"REGISTER\",\"cid\":\"r1\",\"user\":\"carol\","
	    "\"password\":\"" PW "\"}");
	cJSON *r = tc_expect(c, "LOGGED_IN", 10000);
	assert_non_null(r);
	assert_string_equal(tc_str(r, "user"), "carol");
	cJSON_Delete(r);
	tc_send(c, "{\"type\":\"REGISTER\",\"cid\":\"r2\",\"user\":\"alice\","
	    "\"password\":\"" PW "\"}");
	it_expect_error(c, "taken", "r2");
	tc_send(c, "{\"type\":\"REGISTER\",\"cid\":\"r3\",\"user\":\"dave\","
	    "\"password\":\"short\"}");
	it_expect_error(c, "bad_field", "r3");
	tc_free(c);
	char *t = token_of(s, "carol", PW);
	free(t);
	it_stop(s);
}

static void
the_database_holds_no_password_and_no_token(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	char *t = token_of(s, "alice", PW);
	srv_stop(s, SIGTERM);
	FILE *f = fopen(s->db, "rb");
	assert_non_null(f);
	static char db[8 << 20];
	size_t n = fread(db, 1, sizeof db, f);
	fclose(f);
	assert_null(memmem(db, n, PW, strlen(PW)));
	assert_null(memmem(db, n, t, strlen(t)));
	assert_non_null(memmem(db, n, "$argon2id$", 10));
	free(t);
	it_stop(s);
}

static void
user_list_and_del_work_on_the_database(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' user list --db '%s'", getenv("CONFABD"),
	    s->db);
	FILE *p = popen(cmd, "r");
	char out[256] = "";
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	pclose(p);
	assert_string_equal(out, "alice\nbob\n");
	assert_int_equal(user_cmd(s, "add", "alice", PW), 1); /* there already */
	assert_int_equal(user_cmd(s, "add", "eve", "short"), 1); /* too short */
	assert_int_equal(user_cmd(s, "del", "bob", NULL), 0);
	struct tc *c = tc_connect(s->port, NULL);
	cJSON *r = login(c, "bob", PW "!");
	assert_string_equal(tc_str(r, "code"), "unauthorized");
	cJSON_Delete(r);
	tc_free(c);
	it_stop(s);
}

static void
auth_none_or_plaintext_on_a_network_address_is_refused(void **state)
{
	(void)state;
	/* refused before listening: nothing is ever bound to 0.0.0.0 here */
	char cmd[512];
	snprintf(cmd, sizeof cmd, "'%s' --listen 0.0.0.0:0 --auth none --db "
	    "/nonexistent/x.db 2>&1", getenv("CONFABD"));
	FILE *p = popen(cmd, "r");
	char out[512] = "";
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	int rc = pclose(p);
	assert_int_equal(WEXITSTATUS(rc), 2);
	assert_non_null(strstr(out, "loopback only"));
	snprintf(cmd, sizeof cmd, "'%s' --listen 0.0.0.0:0 --db /nonexistent/x.db "
	    "2>&1", getenv("CONFABD"));
	p = popen(cmd, "r");
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	rc = pclose(p);
	assert_int_equal(WEXITSTATUS(rc), 2);
	assert_non_null(strstr(out, "--tls-cert"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(a_hello_without_a_token_is_refused_and_closed),
		IT_TEST(login_gives_a_token_that_hello_takes),
		IT_TEST(a_wrong_password_and_an_unknown_user_get_the_same_answer),
		IT_TEST(a_token_of_another_user_is_refused),
		IT_TEST(a_revoked_token_is_refused),
		IT_TEST(an_expired_token_is_refused),
		IT_TEST(logout_revokes_the_token_and_closes_the_session),
		IT_TEST(failed_sign_ins_are_limited_with_growing_waits),
		IT_TEST(register_makes_an_account_only_when_the_server_lets_it),
		IT_TEST(the_database_holds_no_password_and_no_token),
		IT_TEST(user_list_and_del_work_on_the_database),
		IT_TEST(auth_none_or_plaintext_on_a_network_address_is_refused),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
