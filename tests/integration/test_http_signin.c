/*
 * Sign-in over HTTP, over real sockets: POST /login gives a token HELLO
 * takes; a wrong password and an unknown user get the same answer; the
 * failed-sign-in limit holds here too (429 with Retry-After); POST /logout
 * ends the token and every session it signed in; bodies that are not
 * {"user","password"} JSON, of another type, chunked, too large, or on
 * another route are refused with the right status; a sign-in body read
 * leaves the connection able to carry the next request; --auth none has no
 * sign-in routes.
 */
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "common.h"
#include "rawc.h"

#define PW "correct horse battery"
#define SIGNIN_BODY_LIMIT 4096 /* SIGNIN_BODY_MAX */

static const char *const accounts[] = {"--rate", "0", "--auth", "accounts", NULL};

static struct srv *
server_with_alice(const char *const *extra)
{
	struct srv *s = it_start(extra ? extra : accounts);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "printf '%%s\\n' '" PW "' | '%s' user add alice "
	    "--db '%s' >/dev/null 2>&1", getenv("CONFABD"), s->db);
	assert_int_equal(system(cmd), 0);
	return s;
}

struct answer {
	int status;
	char head[2048];
	char body[2048];
};

/* Splits one HTTP answer; false when raw does not hold one. */
static bool
split(const char *raw, struct answer *a)
{
	memset(a, 0, sizeof *a);
	if (sscanf(raw, "HTTP/1.1 %d", &a->status) != 1)
		return false;
	const char *end = strstr(raw, "\r\n\r\n");
	if (end == NULL)
		return false;
	snprintf(a->head, sizeof a->head, "%.*s", (int)(end - raw), raw);
	snprintf(a->body, sizeof a->body, "%s", end + 4);
	return true;
}

/* Sends the raw request bytes on a connection of their own and reads the
 * answer until the server closes (requests say Connection: close). */
static void
exchange(const struct srv *s, const char *raw, size_t n, struct answer *a)
{
	int fd = rawc_connect(s->port, 10000);
	assert_true(fd >= 0);
	assert_true(rawc_write(fd, raw, n));
	static char buf[8192];
	bool eof = false;
	rawc_read_all(fd, buf, sizeof buf, 15000, &eof);
	close(fd);
	assert_true(eof);
	assert_true(split(buf, a));
}

static void
post(const struct srv *s, const char *path, const char *headers,
    const char *body, struct answer *a)
{
	char raw[8192];
	int n = snprintf(raw, sizeof raw, "POST %s HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\n%sContent-Length: %zu\r\n\r\n%s", path,
	    headers, strlen(body), body);
	assert_true(n > 0 && (size_t)n < sizeof raw);
	exchange(s, raw, (size_t)n, a);
}

static void
login_post(const struct srv *s, const char *user, const char *password,
    struct answer *a)
{
	char body[512];
	snprintf(body, sizeof body, "{\"user\":\"%s\",\"password\":\"%s\"}", user,
	    password);
	post(s, "/login", "Content-Type: application/json\r\n", body, a);
}

static const char *
field(const struct answer *a, cJSON **root, const char *name)
{
	*root = cJSON_Parse(a->body);
	assert_non_null(*root);
	const cJSON *v = cJSON_GetObjectItem(*root, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A WebSocket session of user signed in with token; NULL when refused. */
static struct tc *
session_with(const struct srv *s, const char *user, const char *token)
{
	struct tc *c = tc_connect(s->port, NULL);
	assert_non_null(c);
	tc_sendf(c, "{\"type\":\"HELLO\",\"user\":\"%s\",\"token\":\"%s\"}", user,
	    token);
	cJSON *f;
	while ((f = tc_recv(c, T)) != NULL && !tc_is(f, "WELCOME") &&
	    !tc_is(f, "ERROR"))
		cJSON_Delete(f);
	bool ok = tc_is(f, "WELCOME");
	cJSON_Delete(f);
	if (!ok) {
		tc_free(c);
		return NULL;
	}
	return c;
}

static void
post_login_gives_a_token_that_hello_takes(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	struct answer a;
	login_post(s, "alice", PW, &a);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.head, "Content-Type: application/json"));
	assert_non_null(strstr(a.head, "Cache-Control: no-store"));
	cJSON *r;
	const char *token = field(&a, &r, "token");
	assert_non_null(token);
	assert_int_equal(strlen(token), 43);
	assert_string_equal(cJSON_GetObjectItem(r, "user")->valuestring, "alice");
	long long expires = (long long)cJSON_GetObjectItem(r, "expires")->valuedouble;
	assert_true(expires > (long long)time(NULL) * 1000);
	struct tc *c = session_with(s, "alice", token);
	assert_non_null(c);
	tc_free(c);
	cJSON_Delete(r);
	it_stop(s);
}

static void
a_wrong_password_and_an_unknown_user_are_answered_alike(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	struct answer wrong, unknown;
	login_post(s, "alice", "not it", &wrong);
	login_post(s, "nosuch", "not it", &unknown);
	assert_int_equal(wrong.status, 401);
	assert_int_equal(unknown.status, 401);
	assert_string_equal(wrong.body, unknown.body);
	assert_non_null(strstr(wrong.body, "\"error\":\"unauthorized\""));
	it_stop(s);
}

static void
failed_sign_ins_over_http_are_limited_with_retry_after(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	struct answer a;
	for (int i = 0; i < 4; i++) { /* the free ones, then one counted */
		login_post(s, "alice", "guess", &a);
		assert_int_equal(a.status, 401);
	}
	login_post(s, "alice", PW, &a);
	assert_int_equal(a.status, 429);
	int wait = 0;
	const char *ra = strstr(a.head, "Retry-After: ");
	assert_non_null(ra);
	assert_int_equal(sscanf(ra, "Retry-After: %d", &wait), 1);
	assert_true(wait >= 1 && wait <= 60);
	assert_non_null(strstr(a.body, "\"error\":\"rate_limited\""));
	it_stop(s);
}

static void
post_logout_ends_the_token_and_its_sessions(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	struct answer a;
	login_post(s, "alice", PW, &a);
	cJSON *r;
	char *token = strdup(field(&a, &r, "token"));
	cJSON_Delete(r);
	struct tc *one = session_with(s, "alice", token);
	struct tc *two = session_with(s, "alice", token);
	assert_non_null(one);
	assert_non_null(two);

	post(s, "/logout", "", "", &a); /* no token */
	assert_int_equal(a.status, 401);
	assert_non_null(strstr(a.head, "WWW-Authenticate: Bearer"));
	assert_true(tc_is_open(one));

	char auth[128];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", token);
	post(s, "/logout", auth, "", &a);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "{\"logged_out\":true}\n");
	assert_int_equal(tc_wait_closed(one, 5000), 4003);
	assert_int_equal(tc_wait_closed(two, 5000), 4003);
	tc_free(one);
	tc_free(two);
	assert_null(session_with(s, "alice", token));
	post(s, "/logout", auth, "", &a); /* once only */
	assert_int_equal(a.status, 401);
	free(token);
	it_stop(s);
}

static void
bad_sign_in_requests_get_the_right_status(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	static const struct {
		const char *path, *headers, *body;
		int status;
		const char *says;
	} cases[] = {
		{"/login", "Content-Type: application/json\r\n", "{\"user\":\"alice\"",
		    400, "not JSON"},
		{"/login", "Content-Type: application/json\r\n",
		    "{\"user\":\"alice\",\"password\":\"x\",\"admin\":true}", 400,
		    "unknown field"},
		{"/login", "Content-Type: application/json\r\n",
		    "{\"user\":\"al ice\",\"password\":\"x\"}", 400, "user name"},
		{"/login", "Content-Type: application/json\r\n",
		    "{\"user\":\"alice\",\"password\":\"\"}", 400, "password"},
		{"/login", "Content-Type: application/json\r\n",
		    "{\"user\":\"alice\",\"user\":\"bob\",\"password\":\"x\"}", 400,
		    "twice"},
		{"/login", "Content-Type: application/json\r\n", "[1,2]", 400,
		    "object"},
		{"/login", "Content-Type: application/json\r\n",
		    "{\"user\":\"alice\",\"password\":\"\xff\"}", 400, "UTF-8"},
		{"/login", "Content-Type: text/plain\r\n",
		    "{\"user\":\"alice\",\"password\":\"" PW "\"}", 415, "json"},
		{"/login", "", "{\"user\":\"alice\",\"password\":\"" PW "\"}", 415,
		    "json"},
		{"/register", "Content-Type: application/json\r\n",
		    "{\"user\":\"carol\",\"password\":\"" PW "\"}", 403, "operator"},
		{"/health", "", "x", 413, "no body"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct answer a;
		post(s, cases[i].path, cases[i].headers, cases[i].body, &a);
		if (a.status != cases[i].status || !strstr(a.body, cases[i].says))
			fail_msg("case %zu: %d %s", i, a.status, a.body);
	}
	struct answer a;
	static const char chunked[] = "POST /login HTTP/1.1\r\nHost: t\r\n"
	    "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
	    "2\r\n{}\r\n0\r\n\r\n";
	exchange(s, chunked, sizeof chunked - 1, &a);
	assert_int_equal(a.status, 411);
	static const char get[] = "GET /login HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\n\r\n";
	exchange(s, get, sizeof get - 1, &a);
	assert_int_equal(a.status, 405);
	assert_non_null(strstr(a.head, "Allow: POST"));
	char big[SIGNIN_BODY_LIMIT + 64];
	int n = snprintf(big, sizeof big, "POST /login HTTP/1.1\r\nHost: t\r\n"
	    "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n",
	    SIGNIN_BODY_LIMIT + 1);
	exchange(s, big, (size_t)n, &a); /* refused before the body is sent */
	assert_int_equal(a.status, 413);
	/* the server still signs people in */
	login_post(s, "alice", PW, &a);
	assert_int_equal(a.status, 200);
	it_stop(s);
}

/* A body read to its end leaves the connection at the next request: two
 * sign-ins and a /health pipelined in one write get three answers. */
static void
pipelined_requests_after_a_sign_in_body_are_answered(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	static const char body[] = "{\"user\":\"alice\",\"password\":\"" PW "\"}";
	char raw[2048];
	int n = snprintf(raw, sizeof raw,
	    "POST /login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n\r\n%s"
	    "POST /login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n\r\n%s"
	    "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
	    sizeof body - 1, body, sizeof body - 1, body);
	int fd = rawc_connect(s->port, 10000);
	assert_true(fd >= 0);
	assert_true(rawc_write(fd, raw, (size_t)n));
	static char buf[8192];
	bool eof = false;
	rawc_read_all(fd, buf, sizeof buf, 15000, &eof);
	close(fd);
	assert_true(eof);
	int oks = 0;
	for (const char *p = buf; (p = strstr(p, "HTTP/1.1 200 OK")) != NULL; p++)
		oks++;
	assert_int_equal(oks, 3);
	const char *first = strstr(buf, "\"token\":\"");
	assert_non_null(first);
	const char *second = strstr(first + 1, "\"token\":\"");
	assert_non_null(second);
	assert_true(strncmp(first, second, 9 + 43) != 0); /* two tokens */
	assert_non_null(strstr(second, "\"status\":\"ok\""));
	it_stop(s);
}

/* A sign-in body that trickles in is waited for (within the head's time);
 * one that never comes ends with the connection. */
static void
a_body_sent_slowly_is_waited_for(void **state)
{
	(void)state;
	struct srv *s = server_with_alice(NULL);
	static const char body[] = "{\"user\":\"alice\",\"password\":\"" PW "\"}";
	char head[512];
	int n = snprintf(head, sizeof head, "POST /login HTTP/1.1\r\nHost: t\r\n"
	    "Connection: close\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n\r\n", sizeof body - 1);
	int fd = rawc_connect(s->port, 10000);
	assert_true(rawc_write(fd, head, (size_t)n));
	char buf[4096];
	bool eof = false;
	size_t got = rawc_read_all(fd, buf, sizeof buf, 300, &eof);
	assert_int_equal(got, 0); /* nothing answered before the body */
	assert_false(eof);
	assert_true(rawc_write(fd, body, 10));
	got = rawc_read_all(fd, buf, sizeof buf, 300, &eof);
	assert_int_equal(got, 0);
	assert_true(rawc_write(fd, body + 10, sizeof body - 1 - 10));
	rawc_read_all(fd, buf, sizeof buf, 15000, &eof);
	close(fd);
	struct answer a;
	assert_true(split(buf, &a));
	assert_int_equal(a.status, 200);
	it_stop(s);
}

static void
a_server_without_accounts_has_no_sign_in_routes(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL); /* --auth none */
	struct answer a;
	login_post(s, "alice", PW, &a);
	assert_int_equal(a.status, 404);
	assert_non_null(strstr(a.body, "no accounts"));
	it_stop(s);
}

static void
post_register_makes_an_account_when_the_server_lets_it(void **state)
{
	(void)state;
	static const char *const open[] = {"--rate", "0", "--auth", "accounts",
	    "--open-registration", NULL};
	struct srv *s = server_with_alice(open);
	struct answer a;
	post(s, "/register", "Content-Type: application/json\r\n",
	    "{\"user\":\"carol\",\"password\":\"" PW "\"}", &a);
	assert_int_equal(a.status, 200);
	cJSON *r;
	const char *token = field(&a, &r, "token");
	struct tc *c = session_with(s, "carol", token);
	assert_non_null(c);
	tc_free(c);
	cJSON_Delete(r);
	post(s, "/register", "Content-Type: application/json\r\n",
	    "{\"user\":\"carol\",\"password\":\"" PW "\"}", &a);
	assert_int_equal(a.status, 409);
	post(s, "/register", "Content-Type: application/json\r\n",
	    "{\"user\":\"dave\",\"password\":\"short\"}", &a);
	assert_int_equal(a.status, 400);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(post_login_gives_a_token_that_hello_takes),
		IT_TEST(a_wrong_password_and_an_unknown_user_are_answered_alike),
		IT_TEST(failed_sign_ins_over_http_are_limited_with_retry_after),
		IT_TEST(post_logout_ends_the_token_and_its_sessions),
		IT_TEST(bad_sign_in_requests_get_the_right_status),
		IT_TEST(pipelined_requests_after_a_sign_in_body_are_answered),
		IT_TEST(a_body_sent_slowly_is_waited_for),
		IT_TEST(a_server_without_accounts_has_no_sign_in_routes),
		IT_TEST(post_register_makes_an_account_when_the_server_lets_it),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
