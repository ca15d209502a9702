/*
 * The client core, without a socket or a terminal: frames and intents go
 * in, and the test looks at the frames the core sent through its port and
 * at the state it keeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "client/pins.h"
#include "fake_port.h"

static struct fx *
started(void)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	return fx;
}

static struct fx *
connected(void)
{
	struct fx *fx = started();
	fx_connect(fx);
	fx_joined(fx, "lobby", 3, "bob");
	fx_clear(fx);
	return fx;
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- the link ------------------------------------------------------------ */

static void
core__connect__sends_hello_then_joins_the_first_room_after_welcome(void **state)
{
	(void)state;
	struct fx *fx = started();
	assert_int_equal(fx_count(fx, NULL), 0); /* nothing without a link */
	fx->link_open = true;
	struct client_link l = { .state = CHAT_CONNECTING, .open = true };
	client_link(fx->c, &l);
	client_connected(fx->c);
	assert_int_equal(fx_count(fx, NULL), 1);
	assert_int_equal(fx_count(fx, "HELLO"), 1);
	fx_feed(fx, "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"s\","
	    "\"heartbeat_ms\":15000}");
	cJSON *join = fx_last(fx, "JOIN");
	assert_non_null(join);
	assert_string_equal(str(join, "room"), "lobby");
	assert_int_equal(fx->c->chat->link, CHAT_CONNECTED);
	cJSON_Delete(join);
	fx_free(fx);
}

static void
core__message_typed_offline__goes_after_welcome_and_the_next_after_its_ack(void **state)
{
	(void)state;
	struct fx *fx = started();
	fx_say(fx, "first");
	fx_say(fx, "second");
	assert_int_equal(fx->c->chat->pending, 2);
	fx_connect(fx);
	assert_int_equal(fx_count(fx, "MESSAGE"), 1); /* one in flight */
	cJSON *m = fx_last(fx, "MESSAGE");
	assert_string_equal(str(m, "text"), "first");
	cJSON_Delete(m);
	fx_ack_last(fx, "MESSAGE");
	assert_int_equal(fx_count(fx, "MESSAGE"), 2);
	m = fx_last(fx, "MESSAGE");
	assert_string_equal(str(m, "text"), "second");
	cJSON_Delete(m);
	fx_ack_last(fx, "MESSAGE");
	assert_int_equal(fx->c->chat->pending, 0);
	fx_free(fx);
}

static void
core__rate_limited__keeps_the_request_first_and_sends_it_a_second_later(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "hello");
	cJSON *m = fx_last(fx, "MESSAGE");
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"rate_limited\","
	    "\"reason\":\"slow down\",\"ref\":\"MESSAGE\"}", str(m, "cid"));
	assert_int_equal(fx_count(fx, "MESSAGE"), 1);
	assert_int_equal(client_deadline(fx->c), fx->now + SENDQ_RETRY_MS);
	fx->now += SENDQ_RETRY_MS - 1;
	client_tick(fx->c);
	assert_int_equal(fx_count(fx, "MESSAGE"), 1);
	fx->now += 1;
	client_tick(fx->c);
	assert_int_equal(fx_count(fx, "MESSAGE"), 2);
	cJSON *again = fx_last(fx, "MESSAGE");
	assert_string_equal(str(again, "cid"), str(m, "cid"));
	assert_false(fx_noted(fx, "slow down")); /* not a failure to show */
	cJSON_Delete(m);
	cJSON_Delete(again);
	fx_free(fx);
}

static void
core__idle__has_no_deadline(void **state)
{
	(void)state;
	struct fx *fx = fx_new("away_after = 0\n");
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 3, "bob");
	assert_int_equal(client_deadline(fx->c), INT64_MAX);
	fx_free(fx);
}

static void
core__idle__goes_away_after_away_after_seconds(void **state)
{
	(void)state;
	struct fx *fx = fx_new("away_after = 60\n");
	fx_start(fx);
	fx_connect(fx);
	fx_clear(fx);
	assert_int_equal(client_deadline(fx->c), fx->c->last_input + 60000);
	fx->now = fx->c->last_input + 60000;
	client_tick(fx->c);
	cJSON *p = fx_last(fx, "PRESENCE_UPDATE");
	assert_non_null(p);
	assert_string_equal(str(p, "status"), "away");
	cJSON_Delete(p);
	assert_int_equal(client_deadline(fx->c), INT64_MAX);
	fx_type(fx, "x"); /* a key brings me back */
	p = fx_last(fx, "PRESENCE_UPDATE");
	assert_string_equal(str(p, "status"), "online");
	cJSON_Delete(p);
	fx_free(fx);
}

/* ---- documents ----------------------------------------------------------- */

static void
open_doc(struct fx *fx)
{
	fx_say(fx, "/doc notes");
	cJSON *o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":0,\"text\":\"\",\"cid\":\"%s\",\"cursors\":[]}", str(o, "cid"));
	cJSON_Delete(o);
	assert_int_equal(fx->c->docs.state, DOCS_LIVE);
}

static void
core__chat_ack__sends_no_doc_open(void **state)
{
	(void)state;
	struct fx *fx = connected();
	open_doc(fx);
	fx_key(fx, UI_DOC_FOCUS, 0); /* keys back to the input line */
	assert_int_equal(fx_count(fx, "DOC_OPEN"), 1);
	fx_say(fx, "hi");
	fx_ack_last(fx, "MESSAGE");
	fx_say(fx, "again");
	fx_ack_last(fx, "MESSAGE");
	assert_int_equal(fx_count(fx, "MESSAGE"), 2);
	assert_int_equal(fx_count(fx, "DOC_OPEN"), 1);
	fx_free(fx);
}

static void
core__failed_doc_rev__leaves_the_keys_on_the_input_line(void **state)
{
	(void)state;
	struct fx *fx = connected();
	open_doc(fx);
	fx_key(fx, UI_DOC_FOCUS, 0);
	assert_false(fx->c->docs.focused);
	fx_say(fx, "/doc rev 99");
	cJSON *g = fx_last(fx, "DOC_GET");
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"bad_rev\","
	    "\"reason\":\"no revision 99\",\"ref\":\"DOC_GET\"}", str(g, "cid"));
	cJSON_Delete(g);
	assert_false(fx->c->docs.ro);
	assert_false(fx->c->docs.focused);
	fx_say(fx, "a chat line");
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	cJSON *m = fx_last(fx, "MESSAGE");
	assert_string_equal(str(m, "text"), "a chat line");
	cJSON_Delete(m);
	fx_free(fx);
}

static void
core__esc_from_an_old_revision__gives_the_keys_back_to_the_input_line(void **state)
{
	(void)state;
	struct fx *fx = connected();
	open_doc(fx);
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc rev 0");
	assert_true(fx->c->docs.ro);
	assert_true(fx->c->docs.focused); /* to scroll the old text */
	fx_key(fx, UI_ESCAPE, 0);
	assert_false(fx->c->docs.ro);
	assert_false(fx->c->docs.focused);
	fx_free(fx);
}


/* ---- unread -------------------------------------------------------------- */

static void
core__switching_into_a_room_with_unread__shows_the_new_messages_line(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/join dev");
	fx_joined(fx, "dev", 2, "bob");
	struct room *lobby = chat_room(fx->c->chat, "lobby");
	fx_message(fx, "lobby", 4, "bob", "while away");
	fx_message(fx, "lobby", 5, "bob", "and more");
	assert_int_equal(lobby->unread, 2);
	client_switch(fx->c, 0);
	assert_int_equal(lobby->unread, 0);
	size_t i = room_marker_index(lobby);
	assert_true(i < lobby->nmsgs);
	assert_int_equal(lobby->msgs[i]->seq, 4);
	fx_message(fx, "lobby", 6, "bob", "live"); /* the line stays put */
	assert_int_equal(lobby->msgs[room_marker_index(lobby)]->seq, 4);
	client_switch(fx->c, 1);
	client_switch(fx->c, 0); /* nothing new meanwhile: no line */
	assert_int_equal(room_marker_index(lobby), lobby->nmsgs);
	fx_free(fx);
}

static void
core__first_direct_message__counts_as_unread(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_feed(fx, "{\"type\":\"NOTIFICATION\",\"id\":3,\"level\":\"info\","
	    "\"kind\":\"dm\",\"title\":\"bob\",\"message\":\"psst\",\"ts\":1,"
	    "\"read\":false,\"room\":\"@alice+bob\",\"seq\":1}");
	struct room *dm = chat_room(fx->c->chat, "@alice+bob");
	assert_non_null(dm);
	assert_true(dm != chat_current(fx->c->chat));
	fx_feed(fx, "{\"type\":\"JOINED\",\"room\":\"@alice+bob\",\"seq\":1,"
	    "\"members\":[{\"user\":\"alice\",\"status\":\"online\"},"
	    "{\"user\":\"bob\",\"status\":\"online\"}],\"typing\":[],"
	    "\"messages\":[{\"room\":\"@alice+bob\",\"seq\":1,\"id\":\"1\","
	    "\"user\":\"bob\",\"text\":\"psst\",\"ts\":1}]}");
	assert_int_equal(dm->unread, 1);
	fx_message(fx, "@alice+bob", 2, "bob", "again");
	assert_int_equal(dm->unread, 2);
	fx_free(fx);
}


/* ---- rooms across runs --------------------------------------------------- */

static void
core__rooms__come_back_on_the_next_start_with_what_arrived_unread(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/join #Dev");
	fx_joined(fx, "dev", 2, "bob");
	fx_say(fx, "/query bob");
	assert_non_null(chat_room(fx->c->chat, "@alice+bob"));
	client_switch(fx->c, 0); /* lobby, read up to 3 */
	fx_restart(fx);
	fx_start(fx);
	struct chat *ch = fx->c->chat;
	assert_int_equal(ch->nrooms, 3);
	assert_string_equal(ch->rooms[0]->name, "lobby");
	assert_string_equal(ch->rooms[1]->name, "dev");
	assert_string_equal(ch->rooms[2]->name, "@alice+bob");
	fx_connect(fx);
	assert_int_equal(fx_count(fx, "JOIN"), 3);
	fx_joined(fx, "lobby", 5, "bob"); /* 4 and 5 came while confab was off */
	struct room *lobby = chat_room(ch, "lobby");
	assert_int_equal(lobby->msgs[room_marker_index(lobby)]->seq, 4);
	fx_free(fx);
}

static void
core__rooms__are_not_remembered_when_told_not_to(void **state)
{
	(void)state;
	struct fx *fx = fx_new("remember_rooms = off\n");
	fx_start(fx);
	fx_say(fx, "/join dev");
	fx_restart(fx);
	fx_start(fx);
	assert_int_equal(fx->c->chat->nrooms, 1);
	fx_free(fx);
}

static void
core__autojoin__opens_its_rooms_at_start(void **state)
{
	(void)state;
	struct fx *fx = fx_new("autojoin = dev, ops\nremember_rooms = no\n");
	fx_start(fx);
	fx_connect(fx);
	assert_int_equal(fx_count(fx, "JOIN"), 3);
	assert_string_equal(chat_current(fx->c->chat)->name, "lobby");
	fx_free(fx);
}

static void
core__aliases__do_what_their_commands_do(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/j Ops");
	assert_string_equal(chat_current(fx->c->chat)->name, "ops");
	fx_say(fx, "/leave");
	assert_null(chat_room(fx->c->chat, "ops"));
	fx_ack_last(fx, "LEAVE");
	fx_say(fx, "/query bob hello");
	assert_string_equal(chat_current(fx->c->chat)->name, "@alice+bob");
	cJSON *m = fx_last(fx, "MESSAGE");
	assert_string_equal(str(m, "text"), "hello");
	cJSON_Delete(m);
	fx_say(fx, "/close");
	assert_null(chat_room(fx->c->chat, "@alice+bob"));
	fx_say(fx, "/exit");
	assert_true(fx->c->quit);
	fx_free(fx);
}


/* ---- search, highlights, links, logs ------------------------------------- */

static void
core__search__finds_the_newest_match_then_older_ones_through_history(void **state)
{
	(void)state;
	struct fx *fx = connected(); /* lobby holds "line 1".."line 3" */
	fx_say(fx, "/find LINE");
	assert_true(fx->c->search.active);
	assert_int_equal(fx->c->search.seq, 3);
	struct ui_view v;
	struct ui_centre cb;
	client_view(fx->c, &v, &cb);
	assert_int_equal(v.mark_seq, 3);
	assert_true(v.goto_mark);
	assert_string_equal(v.search, "LINE");
	fx_type(fx, "n");
	assert_int_equal(fx->c->search.seq, 2);
	fx_type(fx, "N");
	assert_int_equal(fx->c->search.seq, 3);
	fx_type(fx, "n");
	fx_type(fx, "n");
	assert_int_equal(fx->c->search.seq, 1);
	assert_int_equal(fx_count(fx, "HISTORY"), 0); /* nothing older exists */
	fx_type(fx, "n");
	char prompt[256];
	search_prompt(&fx->c->search, prompt, sizeof prompt);
	assert_string_equal(prompt, "search \"LINE\" (no older match): n older, "
	    "N newer, Esc ends");
	assert_int_equal(fx->c->search.seq, 1);
	fx_key(fx, UI_ESCAPE, 0);
	assert_false(fx->c->search.active);
	fx_free(fx);
}

static void
core__search__pages_back_until_the_server_has_a_match(void **state)
{
	(void)state;
	struct fx *fx = started();
	fx_connect(fx);
	fx_feed(fx, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":300,\"members\":[],"
	    "\"typing\":[],\"messages\":[{\"room\":\"lobby\",\"seq\":300,\"id\":\"300\","
	    "\"user\":\"bob\",\"text\":\"newest\",\"ts\":1}]}");
	fx_clear(fx);
	fx_say(fx, "/find needle");
	cJSON *h = fx_last(fx, "HISTORY");
	assert_non_null(h);
	assert_int_equal(cJSON_GetObjectItem(h, "before")->valueint, 300);
	cJSON_Delete(h);
	fx_feed(fx, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"more\":true,\"messages\":["
	    "{\"room\":\"lobby\",\"seq\":299,\"id\":\"299\",\"user\":\"bob\","
	    "\"text\":\"hay\",\"ts\":1}]}");
	assert_int_equal(fx_count(fx, "HISTORY"), 2); /* on to the next page */
	fx_feed(fx, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"more\":false,\"messages\":["
	    "{\"room\":\"lobby\",\"seq\":298,\"id\":\"298\",\"user\":\"bob\","
	    "\"text\":\"the Needle\",\"ts\":1}]}");
	assert_int_equal(fx->c->search.seq, 298);
	fx_free(fx);
}

static void
core__highlight_words__count_as_mentions_and_notify(void **state)
{
	(void)state;
	struct fx *fx = fx_new("highlight = deploy\nnotify_when = always\n");
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 0, "bob");
	fx_say(fx, "/join dev");
	fx_joined(fx, "dev", 0, "bob");
	fx_message(fx, "lobby", 1, "bob", "Deploy is done.");
	fx_message(fx, "lobby", 2, "bob", "redeployed nothing");
	struct room *lobby = chat_room(fx->c->chat, "lobby");
	assert_int_equal(lobby->unread, 2);
	assert_int_equal(lobby->mentions, 1);
	assert_int_equal(fx->ndesktop, 1);
	assert_string_equal(fx->desktop[0], "bob in lobby|Deploy is done.");
	fx_free(fx);
}

static void
core__notify__sets_this_rooms_level_for_the_run(void **state)
{
	(void)state;
	struct fx *fx = fx_new("notify_when = always\n");
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 0, "bob");
	fx_say(fx, "/join dev");
	fx_joined(fx, "dev", 0, "bob");
	fx_say(fx, "/notify all");
	assert_true(fx_noted(fx, "notifications in dev: all"));
	client_switch(fx->c, 0);
	fx_message(fx, "dev", 1, "bob", "plain words");
	fx_message(fx, "lobby", 1, "bob", "plain words");
	assert_int_equal(fx->ndesktop, 1);
	assert_string_equal(fx->desktop[0], "bob in dev|plain words");
	fx_say(fx, "/notify loud");
	assert_true(fx_noted(fx, "usage: /notify"));
	fx_free(fx);
}

static void
core__url__lists_the_latest_links_whole(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_message(fx, "lobby", 4, "bob", "see https://example.org/a_b?c=1, then");
	fx_message(fx, "lobby", 5, "carol", "(www.example.com/x) and ftp://h/f.");
	fx_say(fx, "/url");
	assert_true(fx_noted(fx, "1 bob: https://example.org/a_b?c=1"));
	assert_true(fx_noted(fx, "2 carol: www.example.com/x"));
	assert_true(fx_noted(fx, "3 carol: ftp://h/f"));
	fx_free(fx);
}

/* The chat log file of room for today (as the fixture's clock says). */
static char *
log_of(struct fx *fx, const char *room, int64_t ts)
{
	/* lines reach the file within CHATLOG_FLUSH_MS */
	fx->now += CHATLOG_FLUSH_MS;
	client_tick(fx->c);
	time_t t = (time_t)(ts / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	char day[16];
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	char path[256];
	snprintf(path, sizeof path, "%s/logs/%s/%s.log", fx->dir, room, day);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	char *buf = calloc(1, 8192);
	size_t n = fread(buf, 1, 8191, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
count_lines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static void
core__chat_log__writes_each_message_once_across_restarts(void **state)
{
	(void)state;
	struct fx *fx = connected(); /* the backlog 1..3 is not news */
	fx_message(fx, "lobby", 4, "bob", "four");
	fx_message(fx, "lobby", 5, "bob", "/me waves\\nand \\u001b[31mred");
	char *text = log_of(fx, "lobby", fx->wall);
	assert_non_null(text);
	assert_null(strstr(text, "line 3"));
	assert_non_null(strstr(text, " <bob> four\n"));
	assert_non_null(strstr(text, " * bob waves\n         and \xef\xbf\xbd[31mred\n"));
	assert_int_equal(count_lines(text), 3);
	free(text);
	fx_restart(fx);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 6, "bob"); /* 1..6: only 6 is new */
	text = log_of(fx, "lobby", fx->wall);
	assert_int_equal(count_lines(text), 4);
	assert_non_null(strstr(text, " <bob> line 6\n"));
	free(text);
	char path[256];
	snprintf(path, sizeof path, "%s/logs/lobby", fx->dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	fx_free(fx);
}

static void
core__chat_log__writes_a_tombstone_and_an_edit_as_such(void **state)
{
	(void)state;
	struct fx *fx = connected();
	/* replayed after a reconnect, in their latest state */
	fx_feed(fx, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":4,"
	    "\"id\":\"m4\",\"user\":\"bob\",\"deleted\":true,\"ts\":%lld}",
	    (long long)fx->wall);
	fx_feed(fx, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":5,"
	    "\"id\":\"m5\",\"user\":\"carol\",\"text\":\"the plan\","
	    "\"edited_ts\":%lld,\"ts\":%lld}", (long long)fx->wall,
	    (long long)fx->wall);
	char *text = log_of(fx, "lobby", fx->wall);
	assert_non_null(text);
	assert_non_null(strstr(text, " -!- bob: message deleted\n"));
	assert_null(strstr(text, "<bob> \n"));
	assert_non_null(strstr(text, " <carol> the plan (edited)\n"));
	assert_int_equal(count_lines(text), 2);
	free(text);
	fx_free(fx);
}

static void
core__chat_log__is_not_written_when_turned_off(void **state)
{
	(void)state;
	struct fx *fx = fx_new("chat_logs = off\n");
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 1, "bob");
	fx_message(fx, "lobby", 2, "bob", "two");
	assert_null(log_of(fx, "lobby", fx->wall));
	fx_free(fx);
}

static void
core__state_files__are_private(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "kept in the outbox");
	fx_say(fx, "/join dev");
	const char *names[] = { "outbox-alice.jsonl", "rooms-alice.json" };
	for (size_t i = 0; i < 2; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/%s", fx->dir, names[i]);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	fx_free(fx);
}

/* ---- keys ---------------------------------------------------------------- */

static void
drawn(struct fx *fx, int scroll, bool at_top)
{
	struct ui_drawn d = { .scroll = scroll, .at_top = at_top, .page = 20 };
	client_drawn(fx->c, &d);
}

static void
core__scrollback_lines__bounds_a_room_and_pages_the_rest_back(void **state)
{
	(void)state;
	struct fx *fx = fx_new("scrollback_lines = 100\n");
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 3, "bob");
	for (int seq = 4; seq <= 150; seq++)
		fx_message(fx, "lobby", seq, "bob", "more");
	struct room *r = chat_room(fx->c->chat, "lobby");
	assert_true(r->nconfirmed <= 100);
	assert_int_equal(r->last_seq, 150);
	assert_true(r->more_before);
	int64_t oldest = r->msgs[0]->seq;
	fx_clear(fx);
	drawn(fx, 0, true); /* scrolled up to the oldest line held */
	cJSON *h = fx_last(fx, "HISTORY");
	assert_non_null(h);
	assert_int_equal(cJSON_GetObjectItem(h, "before")->valueint, oldest);
	cJSON_Delete(h);
	fx_free(fx);
}

static void
core__page_up__past_the_oldest_line_held_waits_for_the_pages_and_goes_on(
    void **state)
{
	(void)state;
	struct fx *fx = started();
	fx_connect(fx);
	fx_feed(fx, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":300,"
	    "\"members\":[],\"typing\":[],\"messages\":[{\"room\":\"lobby\","
	    "\"seq\":300,\"id\":\"300\",\"user\":\"bob\",\"text\":\"newest\","
	    "\"ts\":1}]}");
	struct room *r = chat_room(fx->c->chat, "lobby");
	drawn(fx, 0, true); /* one line: the top is on screen at once */
	assert_int_equal(fx_count(fx, "HISTORY"), 1);
	fx_clear(fx);
	for (int i = 0; i < 3; i++)
		fx_key(fx, UI_SCROLL_PAGE, 1);
	assert_int_equal(fx->c->scroll, 54); /* pages of 20 rows, less 2 */
	drawn(fx, 0, true);
	assert_int_equal(fx->c->scroll, 54); /* kept: a page is on its way */
	assert_int_equal(fx_count(fx, "HISTORY"), 0); /* one at a time */
	assert_true(r->hold);
	fx_feed(fx, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"more\":true,"
	    "\"messages\":[{\"room\":\"lobby\",\"seq\":299,\"id\":\"299\","
	    "\"user\":\"bob\",\"text\":\"older\",\"ts\":1}]}");
	drawn(fx, 3, true); /* the page moved the pane up 3 rows, not 54 */
	assert_int_equal(fx->c->scroll, 54);
	assert_int_equal(fx_count(fx, "HISTORY"), 1); /* and the next one */
	fx_key(fx, UI_SCROLL_PAGE, 1);
	assert_int_equal(fx->c->scroll, 72); /* a press meanwhile counts too */
	drawn(fx, 72, false);
	assert_int_equal(fx->c->scroll, 72);
	/* nothing older: the scroll is what could be drawn */
	fx_feed(fx, "{\"type\":\"HISTORY\",\"room\":\"lobby\",\"more\":false,"
	    "\"messages\":[]}");
	fx_key(fx, UI_SCROLL_PAGE, 1);
	drawn(fx, 80, true);
	assert_int_equal(fx->c->scroll, 80);
	fx_key(fx, UI_BOTTOM, 0);
	drawn(fx, 0, false);
	assert_false(r->hold);
	fx_free(fx);
}

static void
core__end__goes_back_to_the_newest_line(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_SCROLL, 5);
	assert_int_equal(fx->c->scroll, 5);
	fx_edit(fx, EDIT_END);
	assert_int_equal(fx->c->scroll, 0);
	fx_key(fx, UI_SCROLL, 5);
	fx_key(fx, UI_BOTTOM, 0);
	assert_int_equal(fx->c->scroll, 0);
	fx_free(fx);
}

static void
core__alt_a__goes_to_mentions_first_then_unread(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/join dev");
	fx_joined(fx, "dev", 0, "bob");
	fx_say(fx, "/join ops");
	fx_joined(fx, "ops", 0, "bob");
	client_switch(fx->c, 0);
	fx_message(fx, "dev", 1, "bob", "plain");
	fx_message(fx, "ops", 1, "bob", "@alice look");
	fx_key(fx, UI_NEXT_ACTIVE, 0);
	assert_string_equal(chat_current(fx->c->chat)->name, "ops");
	fx_key(fx, UI_NEXT_ACTIVE, 0);
	assert_string_equal(chat_current(fx->c->chat)->name, "dev");
	fx_key(fx, UI_NEXT_ACTIVE, 0);
	assert_true(fx_noted(fx, "no room has anything new"));
	fx_free(fx);
}

static void
core__alt_enter__puts_a_newline_in_the_line(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_type(fx, "one");
	fx_key(fx, UI_NEWLINE, 0);
	fx_type(fx, "two");
	fx_key(fx, UI_SUBMIT, 0);
	cJSON *m = fx_last(fx, "MESSAGE");
	assert_string_equal(str(m, "text"), "one\ntwo");
	cJSON_Delete(m);
	fx_free(fx);
}


static void
core__msg_to_an_unknown_user__closes_the_room_and_says_why(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/msg nosuch hi");
	cJSON *j = fx_last(fx, "JOIN");
	assert_string_equal(str(j, "room"), "@alice+nosuch");
	assert_non_null(str(j, "cid"));
	cJSON *m = fx_last(fx, "MESSAGE");
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"unknown_user\","
	    "\"reason\":\"no user nosuch on this server\",\"ref\":\"JOIN\"}",
	    str(j, "cid"));
	assert_null(chat_room(fx->c->chat, "@alice+nosuch"));
	assert_true(fx_noted(fx, "cannot open @alice+nosuch: no user nosuch on this server"));
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"unknown_user\","
	    "\"reason\":\"no user nosuch on this server\",\"ref\":\"MESSAGE\"}",
	    str(m, "cid"));
	assert_int_equal(fx->c->chat->pending, 0); /* not kept to send again */
	cJSON_Delete(j);
	cJSON_Delete(m);
	fx_free(fx);
}


/* ---- certificates -------------------------------------------------------- */

#define FP "SHA256:AB:CD:EF:01"

static void
link_with_cert(struct fx *fx, enum client_cert cert, const char *fp)
{
	struct client_link l = { .state = CHAT_WAITING, .attempt = 1,
	    .retry_at = fx->now + 1000, .error = "untrusted", .cert = cert,
	    .fingerprint = fp };
	client_link(fx->c, &l);
}

static void
core__an_untrusted_certificate__is_put_to_the_user_once_and_pinned_on_yes(void **state)
{
	(void)state;
	struct fx *fx = fx_new("server = wss://chat.example:8443/\n");
	fx_start(fx);
	link_with_cert(fx, CLIENT_CERT_UNTRUSTED, FP);
	assert_true(fx_noted(fx, FP));
	assert_non_null(strstr(fx->c->prompt, "trust this certificate"));
	link_with_cert(fx, CLIENT_CERT_UNTRUSTED, FP); /* the next attempt */
	size_t notes = fx->c->chat->nnotices;
	link_with_cert(fx, CLIENT_CERT_UNTRUSTED, FP);
	assert_int_equal(fx->c->chat->nnotices, notes);
	fx_type(fx, "x"); /* waits for y or n */
	assert_null(fx->trusted);
	fx_type(fx, "y");
	assert_string_equal(fx->trusted, FP);
	assert_string_equal(fx->c->prompt, "");
	/* an attempt made before the pin reports the same certificate */
	notes = fx->c->chat->nnotices;
	link_with_cert(fx, CLIENT_CERT_UNTRUSTED, FP);
	assert_string_equal(fx->c->prompt, "");
	assert_int_equal(fx->c->chat->nnotices, notes);
	char pin[128];
	char path[256];
	snprintf(path, sizeof path, "%s/known_servers", fx->dir);
	assert_true(pins_lookup(path, "chat.example:8443", pin, sizeof pin));
	assert_string_equal(pin, FP);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	fx_free(fx);
}

static void
core__an_untrusted_certificate__declined_is_not_pinned(void **state)
{
	(void)state;
	struct fx *fx = fx_new("server = wss://chat.example/\n");
	fx_start(fx);
	link_with_cert(fx, CLIENT_CERT_UNTRUSTED, FP);
	fx_type(fx, "n");
	assert_null(fx->trusted);
	assert_true(fx_noted(fx, "not trusted"));
	char pin[128], path[256];
	snprintf(path, sizeof path, "%s/known_servers", fx->dir);
	assert_false(pins_lookup(path, "chat.example:443", pin, sizeof pin));
	fx_free(fx);
}

static void
core__a_changed_certificate__is_refused_loudly(void **state)
{
	(void)state;
	struct fx *fx = fx_new("server = wss://chat.example/\n");
	fx_start(fx);
	link_with_cert(fx, CLIENT_CERT_CHANGED, FP);
	assert_true(fx_noted(fx, "HAS CHANGED"));
	assert_string_equal(fx->c->prompt, "");
	assert_null(fx->trusted);
	fx_free(fx);
}


/* ---- signing in ---------------------------------------------------------- */

static char *
tokens_file(struct fx *fx)
{
	char path[256];
	snprintf(path, sizeof path, "%s/tokens-alice.json", fx->dir);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	char *buf = calloc(1, 4096);
	size_t n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
refuse_hello(struct fx *fx)
{
	fx_feed(fx, "{\"type\":\"ERROR\",\"code\":\"unauthorized\",\"reason\":"
	    "\"sign in first\",\"ref\":\"HELLO\"}");
}

static void
core__a_server_that_wants_a_password__gets_it_typed_unseen_then_login_then_hello(void **state)
{
	(void)state;
	struct fx *fx = started();
	fx_open(fx);
	cJSON *h = fx_last(fx, "HELLO");
	assert_null(str(h, "token"));
	cJSON_Delete(h);
	refuse_hello(fx);
	assert_int_equal(fx->stops, 1); /* no dialling while it is typed */
	struct ui_view v;
	struct ui_centre cb;
	client_view(fx->c, &v, &cb);
	assert_non_null(strstr(v.prompt, "this server needs a password"));
	fx_type(fx, "s3cret pw");
	client_view(fx->c, &v, &cb);
	assert_null(strstr(v.prompt, "s3cret"));
	assert_non_null(strstr(v.prompt, "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"));
	assert_string_equal(fx_line(fx), ""); /* not the input line's */
	fx_key(fx, UI_SUBMIT, 0);
	assert_int_equal(fx->reconnects, 1);
	fx_clear(fx);
	fx_open(fx);
	assert_int_equal(fx_count(fx, "HELLO"), 0); /* LOGIN first */
	cJSON *l = fx_last(fx, "LOGIN");
	assert_string_equal(str(l, "user"), "alice");
	assert_string_equal(str(l, "password"), "s3cret pw");
	fx_feed(fx, "{\"type\":\"LOGGED_IN\",\"cid\":\"%s\",\"user\":\"alice\","
	    "\"token\":\"T0KEN\",\"expires\":1800000000000}", str(l, "cid"));
	cJSON_Delete(l);
	h = fx_last(fx, "HELLO");
	assert_string_equal(str(h, "token"), "T0KEN");
	cJSON_Delete(h);
	char *kept = tokens_file(fx);
	assert_non_null(strstr(kept, "\"token\":\"T0KEN\""));
	assert_null(strstr(kept, "s3cret"));
	free(kept);
	for (size_t i = 0; i < fx->nlogs; i++)
		assert_null(strstr(fx->logs[i], "s3cret"));
	/* the next start uses the token */
	fx_restart(fx);
	fx_start(fx);
	fx_open(fx);
	h = fx_last(fx, "HELLO");
	assert_string_equal(str(h, "token"), "T0KEN");
	cJSON_Delete(h);
	fx_free(fx);
}

static void
core__a_wrong_password__is_asked_again(void **state)
{
	(void)state;
	struct fx *fx = started();
	fx_open(fx);
	refuse_hello(fx);
	fx_say(fx, "wrong");
	fx_clear(fx);
	fx_open(fx);
	cJSON *l = fx_last(fx, "LOGIN");
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"unauthorized\","
	    "\"reason\":\"no\",\"ref\":\"LOGIN\"}", str(l, "cid"));
	cJSON_Delete(l);
	struct ui_view v;
	struct ui_centre cb;
	client_view(fx->c, &v, &cb);
	assert_non_null(strstr(v.prompt, "wrong user name or password"));
	assert_int_equal(fx_count(fx, "HELLO"), 0);
	fx_key(fx, UI_ESCAPE, 0);
	client_view(fx->c, &v, &cb);
	assert_null(v.prompt);
	assert_true(fx_noted(fx, "not signed in"));
	fx_free(fx);
}

static void
core__a_refused_token__is_forgotten_and_the_password_asked(void **state)
{
	(void)state;
	struct fx *fx = started();
	fx_open(fx);
	refuse_hello(fx);
	fx_say(fx, "pw");
	fx_open(fx);
	cJSON *l = fx_last(fx, "LOGIN");
	fx_feed(fx, "{\"type\":\"LOGGED_IN\",\"cid\":\"%s\",\"user\":\"alice\","
	    "\"token\":\"OLD\",\"expires\":1}", str(l, "cid"));
	cJSON_Delete(l);
	fx_restart(fx);
	fx_start(fx);
	fx_open(fx);
	refuse_hello(fx); /* revoked, or expired */
	char *kept = tokens_file(fx);
	assert_null(strstr(kept, "OLD"));
	free(kept);
	struct ui_view v;
	struct ui_centre cb;
	client_view(fx->c, &v, &cb);
	assert_non_null(strstr(v.prompt, "sign in again"));
	fx_free(fx);
}

static void
core__logout__revokes_and_forgets_the_token(void **state)
{
	(void)state;
	struct fx *fx = started();
	fx_open(fx);
	refuse_hello(fx);
	fx_say(fx, "pw");
	fx_open(fx);
	cJSON *l = fx_last(fx, "LOGIN");
	fx_feed(fx, "{\"type\":\"LOGGED_IN\",\"cid\":\"%s\",\"user\":\"alice\","
	    "\"token\":\"TOK\",\"expires\":1}", str(l, "cid"));
	cJSON_Delete(l);
	fx_feed(fx, "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"s\","
	    "\"heartbeat_ms\":15000}");
	fx_say(fx, "/logout");
	assert_int_equal(fx_count(fx, "LOGOUT"), 1);
	char *kept = tokens_file(fx);
	assert_null(strstr(kept, "TOK"));
	free(kept);
	assert_true(fx_noted(fx, "signed out"));
	fx_free(fx);
}

/* ---- commands and completion --------------------------------------------- */

static void
core__part_without_argument__names_the_room_it_left(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/part");
	assert_true(fx_noted(fx, "left lobby"));
	assert_null(chat_room(fx->c->chat, "lobby"));
	cJSON *l = fx_last(fx, "LEAVE");
	assert_string_equal(str(l, "room"), "lobby");
	cJSON_Delete(l);
	fx_free(fx);
}

static void
core__tab_after_slash__offers_every_command_and_cycles(void **state)
{
	(void)state;
	struct fx *fx = connected();
	const char *all[64];
	size_t n = client_complete_command("", all, 64);
	assert_true(n > 16);
	fx_type(fx, "/");
	fx_key(fx, UI_COMPLETE, 0);
	char first[64];
	snprintf(first, sizeof first, "/%s ", all[0]);
	assert_string_equal(fx_line(fx), first);
	bool seen_retry = false, seen_theme = false;
	for (size_t i = 1; i < n; i++) {
		fx_key(fx, UI_COMPLETE, 0);
		seen_retry |= strcmp(fx_line(fx), "/retry ") == 0;
		seen_theme |= strcmp(fx_line(fx), "/theme ") == 0;
	}
	assert_true(seen_retry);
	assert_true(seen_theme);
	fx_key(fx, UI_COMPLETE, 0); /* past the last: the word as typed */
	assert_string_equal(fx_line(fx), "/");
	fx_key(fx, UI_COMPLETE, 0);
	assert_string_equal(fx_line(fx), first);
	fx_free(fx);
}

static void
core__tab_after_a_lone_at__offers_every_name(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_feed(fx, "{\"type\":\"USER_JOINED\",\"room\":\"lobby\",\"user\":\"carol\"}");
	fx_type(fx, "hi @");
	fx_key(fx, UI_COMPLETE, 0);
	assert_string_equal(fx_line(fx), "hi @bob ");
	fx_key(fx, UI_COMPLETE, 0);
	assert_string_equal(fx_line(fx), "hi @carol ");
	fx_type(fx, "x"); /* typing ends the cycle */
	fx_key(fx, UI_COMPLETE, 0);
	assert_string_equal(fx_line(fx), "hi @carol x");
	fx_free(fx);
}

/* ---- rooms' rights --------------------------------------------------------- */

static void
core__kick__sends_room_user_and_reason_and_the_event_is_said_in_the_room(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/kick carol spamming links");
	cJSON *k = fx_last(fx, "KICK");
	assert_non_null(k);
	assert_string_equal(str(k, "room"), "lobby");
	assert_string_equal(str(k, "user"), "carol");
	assert_string_equal(str(k, "reason"), "spamming links");
	assert_non_null(str(k, "cid"));
	size_t notes = fx->c->chat->nnotices;
	fx_feed(fx, "{\"type\":\"ACK\",\"cid\":\"%s\",\"room\":\"lobby\"}", str(k, "cid"));
	assert_int_equal(fx->c->chat->nnotices, notes); /* the event says it */
	fx_feed(fx, "{\"type\":\"ROOM_EVENT\",\"room\":\"lobby\",\"event\":\"kick\","
	    "\"user\":\"carol\",\"by\":\"alice\",\"reason\":\"spamming links\","
	    "\"ts\":1}");
	assert_true(fx_noted(fx, "alice kicked carol: spamming links"));
	cJSON_Delete(k);
	/* the others, each its own request */
	static const char *const cmds[][3] = {
		{"/invite dave", "INVITE", "dave"}, {"/ban dave", "BAN", "dave"},
		{"/unban dave", "UNBAN", "dave"}, {"/op bob", "OP", "bob"},
		{"/deop bob", "DEOP", "bob"},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		fx_say(fx, cmds[i][0]);
		cJSON *f = fx_last(fx, cmds[i][1]);
		assert_non_null(f);
		assert_string_equal(str(f, "user"), cmds[i][2]);
		assert_string_equal(str(f, "room"), "lobby");
		assert_null(str(f, "reason"));
		cJSON_Delete(f);
	}
	fx_say(fx, "/private on");
	cJSON *m = fx_last(fx, "ROOM_MODE");
	assert_non_null(m);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "private")));
	cJSON_Delete(m);
	fx_free(fx);
}

static void
core__a_refused_rights_request__is_said_in_plain_words(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/op bob");
	cJSON *o = fx_last(fx, "OP");
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"forbidden\","
	    "\"reason\":\"only the owner of lobby may name moderators\","
	    "\"ref\":\"OP\"}", str(o, "cid"));
	cJSON_Delete(o);
	assert_true(fx_noted(fx, "/op bob: only the owner of lobby may name "
	    "moderators"));
	assert_false(fx_noted(fx, "forbidden"));
	fx_free(fx);
}

static void
core__rights_commands__check_their_words_and_the_link_before_sending(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/kick");
	assert_true(fx_noted(fx, "usage: /kick USER [REASON]"));
	fx_say(fx, "/invite bob now");
	assert_true(fx_noted(fx, "usage: /invite USER"));
	fx_say(fx, "/ban -bob");
	assert_true(fx_noted(fx, "\"-bob\" is not a user name"));
	fx_say(fx, "/private maybe");
	assert_true(fx_noted(fx, "usage: /private on|off"));
	fx_say(fx, "/private");
	assert_true(fx_noted(fx, "lobby is public"));
	assert_int_equal(fx_count(fx, NULL), 0);
	/* no rights in a direct-message room */
	fx_say(fx, "/query bob");
	fx_joined(fx, "@alice+bob", 0, "bob");
	fx_clear(fx);
	fx_say(fx, "/kick bob");
	assert_true(fx_noted(fx, "a direct-message room has no invites"));
	assert_int_equal(fx_count(fx, "KICK"), 0);
	/* offline: not kept for later */
	client_switch(fx->c, 0);
	fx_disconnect(fx);
	fx_say(fx, "/kick carol");
	assert_true(fx_noted(fx, "/kick needs the server"));
	fx_connect(fx);
	assert_int_equal(fx_count(fx, "KICK"), 0);
	fx_free(fx);
}

static void
core__a_kick_of_me__closes_the_room_and_its_document_with_the_reason(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/join dev");
	fx_joined(fx, "dev", 2, "bob");
	fx_say(fx, "/doc notes");
	cJSON *o = fx_last(fx, "DOC_OPEN");
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"dev\",\"doc\":\"notes\","
	    "\"rev\":0,\"text\":\"\",\"cid\":\"%s\",\"cursors\":[]}", str(o, "cid"));
	cJSON_Delete(o);
	assert_int_equal(fx->c->docs.state, DOCS_LIVE);
	fx_clear(fx);
	fx_feed(fx, "{\"type\":\"ROOM_EVENT\",\"room\":\"dev\",\"event\":\"kick\","
	    "\"user\":\"alice\",\"by\":\"bob\",\"reason\":\"spamming\",\"ts\":1}");
	assert_null(chat_room(fx->c->chat, "dev"));
	assert_true(fx_noted(fx, "bob kicked you from dev: spamming"));
	assert_null(fx->c->docs.name);
	assert_int_equal(fx_count(fx, "DOC_CLOSE"), 0); /* the server did it */
	assert_int_equal(fx_count(fx, "LEAVE"), 0);
	/* and it does not come back on the next start */
	fx = fx_restart(fx);
	fx_start(fx);
	assert_null(chat_room(fx->c->chat, "dev"));
	assert_non_null(chat_room(fx->c->chat, "lobby"));
	fx_free(fx);
}

static void
core__a_room_hello_could_not_resume__leaves_the_list_with_the_reason(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "/join dev");
	fx_joined(fx, "dev", 2, "bob");
	fx_disconnect(fx);
	fx_open(fx);
	cJSON *h = fx_last(fx, "HELLO");
	assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(h, "resume"), "dev"));
	cJSON_Delete(h);
	fx_feed(fx, "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"s\","
	    "\"heartbeat_ms\":15000}");
	fx_feed(fx, "{\"type\":\"ERROR\",\"code\":\"invite_only\",\"reason\":\"dev is "
	    "private: only invited users may join\",\"ref\":\"HELLO\",\"room\":\"dev\"}");
	assert_null(chat_room(fx->c->chat, "dev"));
	assert_true(fx_noted(fx, "cannot open dev: dev is private"));
	fx_free(fx);
}

static void
core__roles__are_those_of_joined_and_follow_the_events(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_feed(fx, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":3,\"private\":true,"
	    "\"owner\":\"bob\",\"members\":[{\"user\":\"alice\",\"status\":\"online\"},"
	    "{\"user\":\"bob\",\"status\":\"online\"}],\"typing\":[],\"messages\":[]}");
	struct room *r = chat_room(fx->c->chat, "lobby");
	assert_true(r->roles.is_private);
	assert_int_equal(roles_mark(&r->roles, "bob"), '@');
	assert_int_equal(roles_mark(&r->roles, "alice"), 0);
	fx_feed(fx, "{\"type\":\"ROOM_EVENT\",\"room\":\"lobby\",\"event\":\"op\","
	    "\"user\":\"alice\",\"by\":\"bob\"}");
	assert_int_equal(roles_mark(&r->roles, "alice"), '+');
	assert_true(fx_noted(fx, "bob made you a moderator"));
	fx_say(fx, "/private");
	assert_true(fx_noted(fx, "lobby is private: invited users only, owned by bob"));
	/* an invite for me points the way in */
	fx_feed(fx, "{\"type\":\"NOTIFICATION\",\"id\":4,\"level\":\"info\","
	    "\"kind\":\"invite\",\"title\":\"carol invited you to ops\",\"message\":\"\","
	    "\"ts\":1,\"read\":false,\"room\":\"ops\",\"unread\":1}");
	assert_true(fx_noted(fx, "carol invited you to ops: /join ops"));
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(core__connect__sends_hello_then_joins_the_first_room_after_welcome),
		cmocka_unit_test(core__message_typed_offline__goes_after_welcome_and_the_next_after_its_ack),
		cmocka_unit_test(core__rate_limited__keeps_the_request_first_and_sends_it_a_second_later),
		cmocka_unit_test(core__idle__has_no_deadline),
		cmocka_unit_test(core__idle__goes_away_after_away_after_seconds),
		cmocka_unit_test(core__chat_ack__sends_no_doc_open),
		cmocka_unit_test(core__failed_doc_rev__leaves_the_keys_on_the_input_line),
		cmocka_unit_test(core__esc_from_an_old_revision__gives_the_keys_back_to_the_input_line),
		cmocka_unit_test(core__switching_into_a_room_with_unread__shows_the_new_messages_line),
		cmocka_unit_test(core__first_direct_message__counts_as_unread),
		cmocka_unit_test(core__rooms__come_back_on_the_next_start_with_what_arrived_unread),
		cmocka_unit_test(core__rooms__are_not_remembered_when_told_not_to),
		cmocka_unit_test(core__autojoin__opens_its_rooms_at_start),
		cmocka_unit_test(core__aliases__do_what_their_commands_do),
		cmocka_unit_test(core__search__finds_the_newest_match_then_older_ones_through_history),
		cmocka_unit_test(core__page_up__past_the_oldest_line_held_waits_for_the_pages_and_goes_on),
		cmocka_unit_test(core__scrollback_lines__bounds_a_room_and_pages_the_rest_back),
		cmocka_unit_test(core__search__pages_back_until_the_server_has_a_match),
		cmocka_unit_test(core__highlight_words__count_as_mentions_and_notify),
		cmocka_unit_test(core__notify__sets_this_rooms_level_for_the_run),
		cmocka_unit_test(core__url__lists_the_latest_links_whole),
		cmocka_unit_test(core__chat_log__writes_each_message_once_across_restarts),
		cmocka_unit_test(core__chat_log__writes_a_tombstone_and_an_edit_as_such),
		cmocka_unit_test(core__chat_log__is_not_written_when_turned_off),
		cmocka_unit_test(core__state_files__are_private),
		cmocka_unit_test(core__end__goes_back_to_the_newest_line),
		cmocka_unit_test(core__alt_a__goes_to_mentions_first_then_unread),
		cmocka_unit_test(core__alt_enter__puts_a_newline_in_the_line),
		cmocka_unit_test(core__msg_to_an_unknown_user__closes_the_room_and_says_why),
		cmocka_unit_test(core__an_untrusted_certificate__is_put_to_the_user_once_and_pinned_on_yes),
		cmocka_unit_test(core__an_untrusted_certificate__declined_is_not_pinned),
		cmocka_unit_test(core__a_changed_certificate__is_refused_loudly),
		cmocka_unit_test(core__a_server_that_wants_a_password__gets_it_typed_unseen_then_login_then_hello),
		cmocka_unit_test(core__a_wrong_password__is_asked_again),
		cmocka_unit_test(core__a_refused_token__is_forgotten_and_the_password_asked),
		cmocka_unit_test(core__logout__revokes_and_forgets_the_token),
		cmocka_unit_test(core__part_without_argument__names_the_room_it_left),
		cmocka_unit_test(core__tab_after_slash__offers_every_command_and_cycles),
		cmocka_unit_test(core__tab_after_a_lone_at__offers_every_name),
		cmocka_unit_test(core__kick__sends_room_user_and_reason_and_the_event_is_said_in_the_room),
		cmocka_unit_test(core__a_refused_rights_request__is_said_in_plain_words),
		cmocka_unit_test(core__rights_commands__check_their_words_and_the_link_before_sending),
		cmocka_unit_test(core__a_kick_of_me__closes_the_room_and_its_document_with_the_reason),
		cmocka_unit_test(core__a_room_hello_could_not_resume__leaves_the_list_with_the_reason),
		cmocka_unit_test(core__roles__are_those_of_joined_and_follow_the_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
