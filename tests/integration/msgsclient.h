/*
 * Steps the tests of threads, reactions, edits and deletes share
 * (test_threads.c, test_msgs.c). Include after common.h.
 */
#ifndef CONFAB_IT_MSGSCLIENT_H
#define CONFAB_IT_MSGSCLIENT_H

#define THUMBS "\xf0\x9f\x91\x8d" /* 👍 */
#define PARTY "\xf0\x9f\x8e\x89"  /* 🎉 */

/* it_ack (common.h) with the fields made by fmt. */
static inline cJSON *
ack_of(struct tc *c, const char *type, const char *cid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline cJSON *
ack_of(struct tc *c, const char *type, const char *cid, const char *fmt, ...)
{
	char fields[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fields, sizeof fields, fmt, ap);
	va_end(ap);
	return it_ack(c, type, cid, fields);
}

#define OK(...) cJSON_Delete(ack_of(__VA_ARGS__))

static inline void
react(struct tc *c, const char *cid, const char *room, long long seq,
    const char *emoji, bool on)
{
	OK(c, "REACT", cid, "\"room\":\"%s\",\"seq\":%lld,\"emoji\":\"%s\",\"on\":%s",
	    room, seq, emoji, on ? "true" : "false");
}

/* A reply to root; returns its seq. */
static inline long long
reply(struct tc *c, const char *room, const char *cid, long long root,
    const char *text)
{
	cJSON *a = ack_of(c, "MESSAGE", cid, "\"room\":\"%s\",\"text\":\"%s\","
	    "\"thread\":%lld", room, text, root);
	long long seq = tc_int(a, "seq");
	cJSON_Delete(a);
	return seq;
}

/* The next frame of type about message seq of room (NULL if none came). */
static inline cJSON *
event_on(struct tc *c, const char *type, long long seq)
{
	cJSON *e = tc_expect(c, type, T);
	if (e == NULL)
		fail_msg("no %s for seq %lld", type, seq);
	assert_int_equal(tc_int(e, "seq"), seq);
	assert_true(tc_int(e, "rev") > 0);
	return e;
}

/* The HISTORY of room's latest limit messages. */
static inline cJSON *
history(struct tc *c, const char *room, int limit)
{
	tc_sendf(c, "{\"type\":\"HISTORY\",\"room\":\"%s\",\"limit\":%d,"
	    "\"cid\":\"h\"}", room, limit);
	cJSON *h = tc_expect_field(c, "HISTORY", "cid", "h", T);
	assert_non_null(h);
	return h;
}

/* Message seq in a list of messages (JOINED, HISTORY, THREAD), or NULL. */
static inline const cJSON *
msg_in(const cJSON *frame, long long seq)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(frame, "messages"))
		if (tc_int(m, "seq") == seq)
			return m;
	return NULL;
}

/* The count of emoji on message m (0 when it has none), and its i-th
 * user (NULL past the list). */
static inline long long
reaction_count(const cJSON *m, const char *emoji)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(m, "reactions"))
		if (strcmp(tc_str(r, "emoji"), emoji) == 0)
			return tc_int(r, "count");
	return 0;
}

static inline const char *
reaction_user(const cJSON *m, const char *emoji, int i)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(m, "reactions"))
		if (strcmp(tc_str(r, "emoji"), emoji) == 0) {
			const cJSON *u = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "users"), i);
			return u ? u->valuestring : NULL;
		}
	return NULL;
}

#endif
