/*
 * spos: where an HTTP session's stream stands, as its SSE ids and long
 * polls' resume say it: which texts are read and which refused, and how
 * delivered frames move it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/spos.h"

static const struct spos_room *
at(GArray *a, guint i)
{
	return &g_array_index(a, struct spos_room, i);
}

static void
spos__parse__reads_rooms_with_and_without_seq_and_rev(void **state)
{
	(void)state;
	GArray *a = spos_parse("lobby:41.9,dev:7,ops,@alice+bob:3", 10);
	assert_non_null(a);
	assert_int_equal(a->len, 4);
	assert_string_equal(at(a, 0)->name, "lobby");
	assert_true(at(a, 0)->has_seq);
	assert_int_equal(at(a, 0)->seq, 41);
	assert_int_equal(at(a, 0)->rev, 9);
	assert_int_equal(at(a, 1)->seq, 7);
	assert_int_equal(at(a, 1)->rev, -1);
	assert_false(at(a, 2)->has_seq);
	assert_string_equal(at(a, 3)->name, "@alice+bob");
	g_array_free(a, TRUE);
	a = spos_parse("-", 10);
	assert_non_null(a);
	assert_int_equal(a->len, 0);
	g_array_free(a, TRUE);
}

static void
spos__parse__refuses_malformed_text(void **state)
{
	(void)state;
	const char *bad[] = {"", ",", "lobby,", "Lobby", "lobby:", "lobby:x",
	    "lobby:1.", "lobby:1.x", "lobby:-1", "lobby:1:2", "lobby,lobby:3",
	    "a b", "lobby:1234567890123456789", "@bob+alice", NULL};
	for (int i = 0; bad[i] != NULL; i++) {
		GArray *a = spos_parse(bad[i], 10);
		if (a != NULL)
			fail_msg("%s was read", bad[i]);
	}
	assert_null(spos_parse("a,b,c", 2)); /* more rooms than allowed */
}

static char *
fmt(struct spos *p)
{
	static char buf[256];
	char *t = spos_format(p, NULL);
	snprintf(buf, sizeof buf, "%s", t);
	g_free(t);
	return buf;
}

static bool
advance(struct spos *p, const char *json)
{
	return spos_advance(p, json, strlen(json));
}

static void
spos__advance__follows_joined_messages_and_changes(void **state)
{
	(void)state;
	struct spos p;
	spos_init(&p);
	assert_string_equal(fmt(&p), "-");
	/* a join without since stands at the head */
	spos_hint(&p, "lobby", -1, -1);
	assert_string_equal(fmt(&p), "lobby");
	assert_true(advance(&p, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":12,"
	    "\"rev\":3,\"messages\":[{\"type\":\"MESSAGE\",\"seq\":12}]}"));
	assert_string_equal(fmt(&p), "lobby:12.3");
	assert_true(advance(&p, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":13}"));
	assert_false(advance(&p, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":13}"));
	assert_true(advance(&p, "{\"type\":\"REACTION\",\"room\":\"lobby\",\"seq\":2,"
	    "\"rev\":4}"));
	assert_false(advance(&p, "{\"type\":\"TYPING\",\"room\":\"lobby\"}"));
	assert_false(advance(&p, "{\"type\":\"MESSAGE\",\"room\":\"other\",\"seq\":99}"));
	assert_string_equal(fmt(&p), "lobby:13.4");
	/* a join with since stands at its since, the replay moves it on */
	spos_hint(&p, "dev", 5, -1);
	assert_string_equal(fmt(&p), "dev:5,lobby:13.4");
	assert_true(advance(&p, "{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":9,"
	    "\"rev\":2}"));
	assert_string_equal(fmt(&p), "dev:5,lobby:13.4");
	assert_true(advance(&p, "{\"type\":\"MESSAGE\",\"room\":\"dev\",\"seq\":6}"));
	/* no rev asked: changes do not move it */
	assert_false(advance(&p, "{\"type\":\"MESSAGE_EDITED\",\"room\":\"dev\","
	    "\"seq\":6,\"rev\":3}"));
	assert_string_equal(fmt(&p), "dev:6,lobby:13.4");
	/* a refused join is not followed */
	spos_hint(&p, "nope", 1, -1);
	assert_true(advance(&p, "{\"type\":\"ERROR\",\"code\":\"banned\",\"room\":"
	    "\"nope\"}"));
	assert_string_equal(fmt(&p), "dev:6,lobby:13.4");
	/* only subscribed rooms are written */
	GHashTable *subs = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_add(subs, "lobby");
	char *t = spos_format(&p, subs);
	assert_string_equal(t, "lobby:13.4");
	g_free(t);
	g_hash_table_destroy(subs);
	spos_free(&p);
}

static void
spos__advance__a_since_past_the_head_stands_at_the_head(void **state)
{
	(void)state;
	struct spos p;
	spos_init(&p);
	spos_hint(&p, "lobby", 50, 7);
	assert_true(advance(&p, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":10,"
	    "\"rev\":2}"));
	assert_string_equal(fmt(&p), "lobby:10.2");
	spos_free(&p);
}

static void
spos__advance__reads_only_the_frames_own_fields(void **state)
{
	(void)state;
	struct spos p;
	spos_init(&p);
	spos_hint(&p, "lobby", -1, -1);
	/* the messages inside a JOINED have seqs of their own */
	assert_true(advance(&p, "{\"type\":\"JOINED\",\"room\":\"lobby\","
	    "\"messages\":[{\"room\":\"x\",\"seq\":99}],\"seq\":5,\"rev\":1}"));
	assert_string_equal(fmt(&p), "lobby:5.1");
	/* a text that looks like fields is a text */
	assert_true(advance(&p, "{\"type\":\"MESSAGE\",\"text\":\"a \\\"}\\\","
	    "\\\"seq\\\":99 {[\",\"room\":\"lobby\",\"seq\":6,\"user\":\"bob\"}"));
	assert_string_equal(fmt(&p), "lobby:6.1");
	assert_false(advance(&p, "{\"type\":\"MESSAGE\",\"room\":\"lobby\"}"));
	assert_false(advance(&p, "not json"));
	spos_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spos__parse__reads_rooms_with_and_without_seq_and_rev),
		cmocka_unit_test(spos__parse__refuses_malformed_text),
		cmocka_unit_test(spos__advance__follows_joined_messages_and_changes),
		cmocka_unit_test(spos__advance__a_since_past_the_head_stands_at_the_head),
		cmocka_unit_test(spos__advance__reads_only_the_frames_own_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
