/*
 * Read marks, search, topics and the directory through the core: the
 * server's marks give the unread counts (JOINED, READ from the user's
 * other sessions), READ goes for what the user has seen (at most once a
 * second a room), /search lists the server's results and Enter pages back
 * to one, /topic and /list.
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

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static struct fx *
connected(void)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	return fx;
}

/* A draw of the room shown, at its newest line. */
static void
drawn(struct fx *fx)
{
	struct ui_drawn d = { .page = 20 };
	client_drawn(fx->c, &d);
}

static void
joined_with_marks(struct fx *fx, const char *room, int read, int unread)
{
	fx_feed(fx, "{\"type\":\"JOINED\",\"room\":\"%s\",\"seq\":5,\"members\":"
	    "[],\"typing\":[],\"read\":%d,\"unread\":%d,\"receipts\":[{\"user\":"
	    "\"bob\",\"seq\":4}],\"topic\":\"ship it\",\"messages\":["
	    "{\"room\":\"%s\",\"seq\":4,\"id\":\"4\",\"user\":\"bob\",\"text\":"
	    "\"four\",\"ts\":1},{\"room\":\"%s\",\"seq\":5,\"id\":\"5\",\"user\":"
	    "\"bob\",\"text\":\"five\",\"ts\":2}]}", room, read, unread, room, room);
}

static void
readmarks__joined_gives_the_count_and_read_from_elsewhere_clears_it(
    void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/join dev");
	joined_with_marks(fx, "dev", 3, 2);
	joined_with_marks(fx, "lobby", 3, 2);
	/* dev is shown: what it holds is read; lobby is not */
	assert_int_equal(chat_room(fx->c->chat, "dev")->unread, 0);
	struct room *lobby = chat_room(fx->c->chat, "lobby");
	assert_int_equal(lobby->unread, 2); /* the server's count */
	assert_int_equal(lobby->read_seq, 3);
	assert_string_equal(lobby->topic, "ship it");
	assert_int_equal(lobby->nreceipts, 1);
	fx_feed(fx, "{\"type\":\"READ\",\"room\":\"lobby\",\"seq\":5,"
	    "\"unread\":0}");
	assert_int_equal(lobby->unread, 0);
	assert_int_equal(lobby->read_seq, 5);
	/* another session behind this one: what is shown here stays read */
	fx_feed(fx, "{\"type\":\"READ\",\"room\":\"dev\",\"seq\":4,"
	    "\"unread\":1}");
	assert_int_equal(chat_room(fx->c->chat, "dev")->unread, 0);
	fx_free(fx);
}

static void
readmarks__read_goes_for_the_bottom_seen_once_a_second(void **state)
{
	(void)state;
	struct fx *fx = connected();
	joined_with_marks(fx, "lobby", 3, 2);
	fx_clear(fx);
	drawn(fx);
	cJSON *r = fx_last(fx, "READ");
	assert_non_null(r);
	assert_string_equal(str(r, "room"), "lobby");
	assert_int_equal(num(r, "seq"), 5);
	cJSON_Delete(r);
	drawn(fx); /* nothing new seen: nothing sent */
	assert_int_equal(fx_count(fx, "READ"), 1);
	fx_message(fx, "lobby", 6, "bob", "six");
	fx_message(fx, "lobby", 7, "bob", "seven");
	drawn(fx);
	assert_int_equal(fx_count(fx, "READ"), 1); /* within the second */
	assert_int_equal(client_deadline(fx->c), fx->now + 1000);
	fx->now += 1000;
	client_tick(fx->c);
	assert_int_equal(fx_count(fx, "READ"), 2);
	r = fx_last(fx, "READ");
	assert_int_equal(num(r, "seq"), 7); /* the latest only */
	cJSON_Delete(r);
	/* scrolled back, nothing is read */
	fx->now += 5000;
	fx_message(fx, "lobby", 8, "bob", "eight");
	fx->c->scroll = 3;
	struct ui_drawn d = { .page = 20, .scroll = 3 };
	client_drawn(fx->c, &d);
	assert_int_equal(fx_count(fx, "READ"), 2);
	fx_free(fx);
}

static void
readmarks__search_lists_results_and_enter_pages_back_to_one(void **state)
{
	(void)state;
	struct fx *fx = connected();
	joined_with_marks(fx, "lobby", 5, 0);
	fx_clear(fx);
	fx_say(fx, "/search needle");
	cJSON *s = fx_last(fx, "SEARCH");
	assert_non_null(s);
	assert_string_equal(str(s, "text"), "needle");
	char cid[32];
	snprintf(cid, sizeof cid, "%s", str(s, "cid"));
	cJSON_Delete(s);
	fx_feed(fx, "{\"type\":\"SEARCH_RESULTS\",\"cid\":\"%s\",\"results\":["
	    "{\"room\":\"lobby\",\"seq\":2,\"user\":\"bob\",\"ts\":1,\"snippet\":"
	    "\"a needle here\",\"marks\":[[2,8]]}],\"more\":false}", cid);
	struct ui_view v;
	struct ui_centre centre;
	client_view(fx->c, &v, &centre);
	assert_non_null(v.list);
	assert_int_equal(v.list->nrows, 1);
	const struct ui_list_row *row = &v.list->rows[0];
	assert_int_equal(row->nmarks, 1);
	assert_int_equal(row->marks[0][1] - row->marks[0][0], 6);
	assert_memory_equal(row->text + row->marks[0][0], "needle", 6);
	fx_clear(fx);
	fx_key(fx, UI_SUBMIT, 0);
	cJSON *h = fx_last(fx, "HISTORY");
	assert_non_null(h); /* seq 2 is older than what is held */
	assert_int_equal(num(h, "before"), 4);
	cJSON_Delete(h);
	fx_feed(fx, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"more\":false,"
	    "\"messages\":[{\"room\":\"lobby\",\"seq\":1,\"id\":\"1\",\"user\":"
	    "\"bob\",\"text\":\"one\",\"ts\":1},{\"room\":\"lobby\",\"seq\":2,"
	    "\"id\":\"2\",\"user\":\"bob\",\"text\":\"a needle here\",\"ts\":1},"
	    "{\"room\":\"lobby\",\"seq\":3,\"id\":\"3\",\"user\":\"bob\",\"text\":"
	    "\"three\",\"ts\":1}]}");
	client_view(fx->c, &v, &centre);
	assert_null(v.list);
	assert_int_equal(v.selected, 2);
	assert_int_equal(v.mark_seq, 2);
	assert_true(v.goto_mark);
	fx_free(fx);
}

static void
readmarks__topic_and_the_directory(void **state)
{
	(void)state;
	struct fx *fx = connected();
	joined_with_marks(fx, "lobby", 5, 0);
	fx_say(fx, "/topic");
	assert_true(fx_noted(fx, "topic of lobby: ship it"));
	fx_clear(fx);
	fx_say(fx, "/topic release friday");
	cJSON *t = fx_last(fx, "TOPIC");
	assert_non_null(t);
	assert_string_equal(str(t, "text"), "release friday");
	cJSON_Delete(t);
	fx_feed(fx, "{\"type\":\"TOPIC\",\"room\":\"lobby\",\"text\":\"release "
	    "friday\",\"by\":\"alice\",\"ts\":5}");
	assert_string_equal(chat_room(fx->c->chat, "lobby")->topic,
	    "release friday");
	fx_say(fx, "/list");
	cJSON *l = fx_last(fx, "ROOMS");
	assert_non_null(l);
	char cid[32];
	snprintf(cid, sizeof cid, "%s", str(l, "cid"));
	cJSON_Delete(l);
	fx_feed(fx, "{\"type\":\"ROOMS\",\"cid\":\"%s\",\"rooms\":[{\"room\":"
	    "\"dev\",\"topic\":\"code\",\"members\":3},{\"room\":\"ops\","
	    "\"members\":1}],\"more\":false}", cid);
	struct ui_view v;
	struct ui_centre centre;
	client_view(fx->c, &v, &centre);
	assert_non_null(v.list);
	assert_int_equal(v.list->nrows, 2);
	assert_non_null(strstr(v.list->rows[0].text, "3 members"));
	fx_key(fx, UI_HISTORY_NEXT, 0);
	fx_clear(fx);
	fx_key(fx, UI_SUBMIT, 0);
	cJSON *j = fx_last(fx, "JOIN");
	assert_non_null(j);
	assert_string_equal(str(j, "room"), "ops");
	cJSON_Delete(j);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readmarks__joined_gives_the_count_and_read_from_elsewhere_clears_it),
		cmocka_unit_test(readmarks__read_goes_for_the_bottom_seen_once_a_second),
		cmocka_unit_test(readmarks__search_lists_results_and_enter_pages_back_to_one),
		cmocka_unit_test(readmarks__topic_and_the_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
