/*
 * Shared steps of the tests of sessions over plain HTTP (test_sse.c,
 * test_poll.c): requests that must be answered, POST /send, a long poll's
 * JSON, a metric, messages said by a WebSocket client.
 */
#ifndef CONFAB_IT_HTTPSESS_H
#define CONFAB_IT_HTTPSESS_H

#include <stdint.h>
#include <time.h>

#include "common.h"
#include "ssec.h"

static inline void
request(int port, const char *method, const char *target, const char *headers,
    const char *body, struct hanswer *a)
{
	if (!http_request(port, method, target, headers, body, a))
		fail_msg("no answer to %s %s", method, target);
}

static inline struct sse *
it_sse_open(int port, const char *target, const char *headers)
{
	struct sse *c = sse_open(port, target, headers);
	if (c == NULL)
		fail_msg("no answer to GET %s", target);
	return c;
}

/* A stream answered 200 with its session event (c->key). */
static inline struct sse *
it_sse(int port, const char *target, const char *headers)
{
	struct sse *c = sse_session(port, target, headers);
	if (c == NULL)
		fail_msg("no SSE session from GET %s", target);
	return c;
}
static inline int64_t
ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* POST /send of body to the session; returns the status. */
static inline int
send_frames(int port, const char *key, const char *body)
{
	char target[256];
	snprintf(target, sizeof target, "/send?session=%s", key);
	struct hanswer a;
	request(port, "POST", target, "Content-Type: application/json\r\n", body, &a);
	int st = a.status;
	if (st == 202)
		assert_non_null(strstr(a.body, "\"accepted\""));
	hanswer_free(&a);
	return st;
}

static inline cJSON *
poll_json(int port, const char *target, int *status)
{
	struct hanswer a;
	request(port, "GET", target, NULL, NULL, &a);
	*status = a.status;
	cJSON *j = cJSON_Parse(a.body);
	hanswer_free(&a);
	assert_non_null(j);
	return j;
}

static inline long long
metric(const struct srv *s, const char *name)
{
	char *m = srv_http_get(s, "/metrics");
	assert_non_null(m);
	char pat[128];
	snprintf(pat, sizeof pat, "\n%s ", name);
	char *p = strstr(m, pat);
	assert_non_null(p);
	long long v = atoll(p + strlen(pat));
	free(m);
	return v;
}

static inline void
say_range(struct tc *bob, int first, int n)
{
	for (int i = first; i < first + n; i++) {
		char cid[16], text[16];
		snprintf(cid, sizeof cid, "c%d", i);
		snprintf(text, sizeof text, "m%d", i);
		it_say(bob, "lobby", cid, text);
	}
}

static inline int
nevents(const cJSON *j)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(j, "events"));
}

static inline bool
has_text(const cJSON *j, const char *text)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(j, "events"))
		if (tc_is(e, "MESSAGE") && strcmp(tc_str(e, "text"), text) == 0)
			return true;
	return false;
}

/* n messages of about 400 bytes, m<first>.., sent ten at a time (their
 * echoes and ACKs fit a small queue). */
static inline void
say_many(struct tc *bob, int first, int n)
{
	char pad[401];
	memset(pad, 'p', 400);
	pad[400] = '\0';
	for (int i = first; i < first + n; i += 10) {
		int k = first + n - i < 10 ? first + n - i : 10;
		for (int j = i; j < i + k; j++)
			tc_sendf(bob, "{\"type\":\"MESSAGE\",\"cid\":\"c%d\","
			    "\"room\":\"lobby\",\"text\":\"m%d %s\"}", j, j, pad);
		char last[16];
		snprintf(last, sizeof last, "c%d", i + k - 1);
		cJSON *a = tc_expect_field(bob, "ACK", "cid", last, 10000);
		assert_non_null(a);
		cJSON_Delete(a);
		tc_discard(bob);
	}
}

static inline int
text_number(const cJSON *m)
{
	return atoi(tc_str(m, "text") + 1);
}

#endif
