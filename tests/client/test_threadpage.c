/*
 * The thread pane's replies from the server, through the core with a
 * recording port: THREAD when it opens and as it scrolls to its top, the
 * root alone when it is older than the room's history, the answers
 * folded into the room (once each) without touching its timeline, and
 * the edit of a reply made in the pane's own input line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_port.h"
#include "model/msgcursor.h"
#include "model/xmalloc.h"

/* A message object; thread 0: not a reply. */
static char *
msg(int seq, const char *user, const char *text, int thread)
{
	return xasprintf("{\"room\":\"lobby\",\"seq\":%d,\"id\":\"%d\","
	    "\"user\":\"%s\",\"text\":\"%s\",\"ts\":%d%s%.0d}", seq, seq, user,
	    text, 1000 + seq, thread ? ",\"thread\":" : "", thread);
}

/* lobby holds 298..300 of 300 (299 a reply to 5): the room's history on
 * screen is far newer than the thread of 5. */
static struct fx *
connected(void)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	char *a = msg(298, "bob", "late", 0), *b = msg(299, "carol", "r299", 5),
	    *d = msg(300, "bob", "newest", 0);
	fx_feed(fx, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":300,"
	    "\"members\":[],\"typing\":[],\"messages\":[%s,%s,%s]}", a, b, d);
	free(a);
	free(b);
	free(d);
	fx_clear(fx);
	return fx;
}

static struct room *
lobby(struct fx *fx)
{
	return chat_room(fx->c->chat, "lobby");
}

static char *
cid_of(cJSON *j)
{
	cJSON *cid = cJSON_GetObjectItem(j, "cid");
	assert_true(cJSON_IsString(cid));
	return xstrdup(cid->valuestring);
}

static int
num(cJSON *j, const char *key)
{
	cJSON *v = cJSON_GetObjectItem(j, key);
	return cJSON_IsNumber(v) ? v->valueint : -1;
}

static size_t
replies_held(struct room *r, int64_t root)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nconfirmed; i++)
		n += r->msgs[i]->thread == root;
	return n;
}

static void
drawn(struct fx *fx, int thread_scroll)
{
	struct ui_drawn d = { .page = 20, .thread_scroll = thread_scroll };
	client_drawn(fx->c, &d);
}

static void
thread__an_old_root_gets_all_its_replies_and_pages_older_at_the_top(
    void **state)
{
	(void)state;
	struct fx *fx = connected();
	client_thread_show(fx->c, "lobby", 5);
	fx_key(fx, UI_PANE_FOCUS, 0);
	assert_int_equal(fx_count(fx, "THREAD"), 1);
	cJSON *t = fx_last(fx, "THREAD");
	assert_string_equal(cJSON_GetObjectItem(t, "room")->valuestring, "lobby");
	assert_int_equal(num(t, "root"), 5);
	assert_null(cJSON_GetObjectItem(t, "before")); /* the newest page */
	char *tcid = cid_of(t);
	cJSON_Delete(t);
	/* the root alone: a HISTORY of one before root + 1 */
	cJSON *h = fx_last(fx, "HISTORY");
	assert_non_null(h);
	assert_int_equal(num(h, "before"), 6);
	assert_int_equal(num(h, "limit"), 1);
	char *hcid = cid_of(h);
	cJSON_Delete(h);

	char *r150 = msg(150, "bob", "r150", 5), *r299 = msg(299, "carol",
	    "r299", 5);
	fx_feed(fx, "{\"type\":\"THREAD\",\"room\":\"lobby\",\"cid\":\"%s\","
	    "\"root\":5,\"messages\":[%s,%s],\"more\":true}", tcid, r150, r299);
	char *root = xasprintf("{\"room\":\"lobby\",\"seq\":5,\"id\":\"5\","
	    "\"user\":\"alice\",\"text\":\"the root\",\"ts\":1005,"
	    "\"replies\":3,\"last_reply\":1299}");
	fx_feed(fx, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"cid\":\"%s\","
	    "\"messages\":[%s],\"more\":true}", hcid, root);
	struct room *r = lobby(fx);
	/* the pane's title counts what the server has, not only what came */
	struct ui_view v;
	struct ui_centre centre;
	client_view(fx->c, &v, &centre);
	assert_non_null(v.thread);
	assert_non_null(strstr(v.thread->title, "3 replies"));
	assert_non_null(strstr(v.thread->title, "the root"));
	assert_true(room_holds_seq(r, 5));
	assert_true(room_holds_seq(r, 150));
	assert_int_equal(replies_held(r, 5), 2); /* 299 once */
	assert_true(r->more_before);
	assert_int_equal(room_run_first(r), 298);

	/* the room's timeline is as it was: its cursor never meets them */
	assert_int_equal(msgcursor_step(r, 0, 298, -1), 298);
	assert_int_equal(msgcursor_step(r, 5, 299, -1), 150);
	assert_int_equal(msgcursor_step(r, 5, 150, -1), 5);
	/* and its history goes on from what it holds, not from the thread */
	fx_clear(fx);
	assert_true(client_request_history(fx->c, "lobby", 0));
	h = fx_last(fx, "HISTORY");
	assert_int_equal(num(h, "before"), 298);
	cJSON_Delete(h);
	char *p297 = msg(297, "bob", "p297", 0);
	fx_feed(fx, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"messages\":[%s],"
	    "\"more\":true}", p297);
	assert_int_equal(room_run_first(r), 297);
	assert_true(room_holds_seq(r, 150));

	/* scrolled to its top: the next older page, from the oldest reply */
	fx_clear(fx);
	drawn(fx, 0);
	assert_int_equal(fx_count(fx, "THREAD"), 0); /* not at the top yet */
	fx_key(fx, UI_SCROLL, 5);
	drawn(fx, 2); /* could go up only 2 */
	t = fx_last(fx, "THREAD");
	assert_non_null(t);
	assert_int_equal(num(t, "before"), 150);
	free(tcid);
	tcid = cid_of(t);
	cJSON_Delete(t);
	fx_key(fx, UI_SCROLL, 5);
	drawn(fx, 2);
	assert_int_equal(fx_count(fx, "THREAD"), 1); /* one at a time */
	char *r7 = msg(7, "bob", "r7", 5);
	fx_feed(fx, "{\"type\":\"THREAD\",\"room\":\"lobby\",\"cid\":\"%s\","
	    "\"root\":5,\"messages\":[%s],\"more\":false}", tcid, r7);
	assert_int_equal(replies_held(r, 5), 3);
	fx_clear(fx);
	fx_key(fx, UI_SCROLL, 5);
	drawn(fx, 2);
	assert_int_equal(fx_count(fx, "THREAD"), 0); /* no more */

	/* closed: what only the pane held goes, the room's own stay */
	fx_key(fx, UI_ESCAPE, 0);
	assert_false(room_holds_seq(r, 150));
	assert_false(room_holds_seq(r, 5));
	assert_true(room_holds_seq(r, 297));
	assert_true(room_holds_seq(r, 299));
	free(tcid);
	free(hcid);
	free(r150);
	free(r299);
	free(root);
	free(p297);
	free(r7);
	fx_free(fx);
}

static void
thread__asked_again_after_a_reconnect_and_late_answers_ignored(void **state)
{
	(void)state;
	struct fx *fx = connected();
	client_thread_show(fx->c, "lobby", 5);
	fx_key(fx, UI_PANE_FOCUS, 0);
	assert_int_equal(fx_count(fx, "THREAD"), 1);
	fx_disconnect(fx);
	fx_clear(fx);
	fx_connect(fx);
	char *d = msg(300, "bob", "newest", 0);
	fx_feed(fx, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":300,"
	    "\"members\":[],\"typing\":[],\"messages\":[%s]}", d);
	assert_int_equal(fx_count(fx, "THREAD"), 1);
	assert_int_equal(fx_count(fx, "HISTORY"), 1);
	/* an answer to a request of before: nothing */
	char *r150 = msg(150, "bob", "r150", 5);
	fx_feed(fx, "{\"type\":\"THREAD\",\"room\":\"lobby\",\"cid\":\"old\","
	    "\"root\":5,\"messages\":[%s],\"more\":false}", r150);
	assert_false(room_holds_seq(lobby(fx), 150));
	/* an ERROR for it says so once, and asks nothing again */
	cJSON *t = fx_last(fx, "THREAD");
	char *tcid = cid_of(t);
	cJSON_Delete(t);
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"no_message\","
	    "\"reason\":\"no such message\"}", tcid);
	assert_true(fx_noted(fx, "cannot show the thread"));
	fx_clear(fx);
	fx_key(fx, UI_SCROLL, 5);
	drawn(fx, 0);
	assert_int_equal(fx_count(fx, "THREAD"), 0);
	/* the pane closes before the root comes: the late root stays out of
	 * the room (its run would have a gap) */
	cJSON *h = fx_last(fx, "HISTORY");
	assert_null(h); /* cleared above; ask again from a new pane */
	fx_key(fx, UI_ESCAPE, 0);
	client_thread_show(fx->c, "lobby", 9);
	h = fx_last(fx, "HISTORY");
	assert_non_null(h);
	char *hcid = cid_of(h);
	cJSON_Delete(h);
	fx_key(fx, UI_PANE_FOCUS, 0);
	fx_key(fx, UI_ESCAPE, 0);
	assert_null(fx->c->thread.room);
	char *root = msg(9, "bob", "root 9", 0);
	fx_feed(fx, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"cid\":\"%s\","
	    "\"messages\":[%s],\"more\":true}", hcid, root);
	assert_false(room_holds_seq(lobby(fx), 9));
	assert_int_equal(room_run_first(lobby(fx)), 298);
	free(root);
	free(hcid);
	free(tcid);
	free(r150);
	free(d);
	fx_free(fx);
}

static void
thread__e_on_a_reply_edits_it_in_the_panes_input(void **state)
{
	(void)state;
	struct fx *fx = connected();
	char *mine = msg(301, "alice", "my reply", 298);
	fx_feed(fx, "{\"type\":\"MESSAGE\",%s", strchr(mine, '{') + 1);
	client_thread_show(fx->c, "lobby", 298);
	fx_type(fx, "draft"); /* the room's line keeps what it has */
	fx_key(fx, UI_PANE_FOCUS, 0);
	fx_key(fx, UI_HISTORY_PREV, 0); /* the pane's cursor: my reply */
	assert_int_equal(fx->c->thread.seq, 301);
	fx_type(fx, "e");
	assert_string_equal(fx->c->thread.input.buf, "my reply");
	assert_string_equal(fx_line(fx), "draft");
	assert_true(fx->c->thread.focused);
	fx_edit(fx, EDIT_KILL_TO_START);
	fx_type(fx, "fixed");
	fx_clear(fx);
	fx_key(fx, UI_SUBMIT, 0);
	cJSON *e = fx_last(fx, "EDIT");
	assert_non_null(e);
	assert_int_equal(num(e, "seq"), 301);
	assert_string_equal(cJSON_GetObjectItem(e, "text")->valuestring, "fixed");
	cJSON_Delete(e);
	assert_int_equal(fx_count(fx, "MESSAGE"), 0); /* not a reply */
	assert_string_equal(fx->c->thread.input.buf, "");
	assert_string_equal(fx_line(fx), "draft");
	assert_non_null(fx->c->thread.room); /* the pane stays */
	/* Esc drops an edit without closing the pane */
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "e");
	fx_key(fx, UI_ESCAPE, 0);
	assert_string_equal(fx->c->thread.input.buf, "");
	assert_non_null(fx->c->thread.room);
	free(mine);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    thread__an_old_root_gets_all_its_replies_and_pages_older_at_the_top),
		cmocka_unit_test(
		    thread__asked_again_after_a_reconnect_and_late_answers_ignored),
		cmocka_unit_test(thread__e_on_a_reply_edits_it_in_the_panes_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
