/*
 * Messages' changes through the core: the frames the message cursor's
 * actions send (REACT, EDIT, DELETE, a reply), the live frames that
 * change what the room shows (REACTION, MESSAGE_EDITED, MESSAGE_DELETED,
 * replies counted on their root), and the rev a resume sends.
 */
#define _GNU_SOURCE /* asprintf */
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

static struct fx *
connected(void)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 3, "bob");
	fx_clear(fx);
	return fx;
}

static struct room *
lobby(struct fx *fx)
{
	return chat_room(fx->c->chat, "lobby");
}

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

static int64_t
view_selected(struct fx *fx)
{
	struct ui_view v;
	struct ui_centre centre;
	client_view(fx->c, &v, &centre);
	return v.selected;
}

static struct ui_view
view_of(struct fx *fx)
{
	struct ui_view v;
	struct ui_centre centre;
	client_view(fx->c, &v, &centre);
	return v;
}

static void
changes__a_reaction_is_sent_and_taken_back_by_the_same_pick(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "+");
	fx_type(fx, "thumbs up");
	fx_key(fx, UI_SUBMIT, 0);
	cJSON *r = fx_last(fx, "REACT");
	assert_non_null(r);
	assert_string_equal(str(r, "room"), "lobby");
	assert_int_equal(num(r, "seq"), 3);
	assert_string_equal(str(r, "emoji"), "👍");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "on")));
	cJSON_Delete(r);
	fx_ack_last(fx, "REACT");
	fx_feed(fx, "{\"type\":\"REACTION\",\"room\":\"lobby\",\"seq\":3,"
	    "\"emoji\":\"👍\",\"user\":\"alice\",\"on\":true,\"count\":1,"
	    "\"rev\":1}");
	struct room_msg *m = msgcursor_msg(lobby(fx), 3);
	assert_int_equal(m->x->reactions[0].count, 1);
	assert_true(room_reacted(m, "👍", "alice"));
	/* the same emoji again takes it back; recent ones come first */
	fx_clear(fx);
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "+");
	fx_key(fx, UI_SUBMIT, 0);
	r = fx_last(fx, "REACT");
	assert_non_null(r);
	assert_string_equal(str(r, "emoji"), "👍");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r, "on")));
	cJSON_Delete(r);
	fx_free(fx);
}

static void
changes__edit_and_delete_send_their_frames(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_message(fx, "lobby", 4, "alice", "teh plan");
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "e");
	fx_edit(fx, EDIT_KILL_TO_START);
	fx_say(fx, "the plan");
	assert_int_equal(view_selected(fx), 0); /* the action ends the cursor */
	cJSON *e = fx_last(fx, "EDIT");
	assert_non_null(e);
	assert_int_equal(num(e, "seq"), 4);
	assert_string_equal(str(e, "text"), "the plan");
	cJSON_Delete(e);
	assert_int_equal(fx_count(fx, "MESSAGE"), 0); /* an edit, not a message */
	fx_ack_last(fx, "EDIT"); /* one request in flight at a time */
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "d");
	fx_type(fx, "y");
	cJSON *d = fx_last(fx, "DELETE");
	assert_non_null(d);
	assert_int_equal(num(d, "seq"), 4);
	cJSON_Delete(d);
	fx_free(fx);
}

static void
changes__live_edits_and_deletes_change_the_line(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_feed(fx, "{\"type\":\"MESSAGE_EDITED\",\"room\":\"lobby\",\"seq\":2,"
	    "\"text\":\"line two, fixed\",\"edited_ts\":5,\"rev\":4}");
	fx_feed(fx, "{\"type\":\"MESSAGE_DELETED\",\"room\":\"lobby\",\"seq\":1,"
	    "\"by\":\"bob\",\"rev\":5}");
	struct room *r = lobby(fx);
	assert_string_equal(msgcursor_msg(r, 2)->text, "line two, fixed");
	assert_true(msgcursor_msg(r, 1)->deleted);
	assert_int_equal(r->rev, 5);
	/* and a resume says how far the changes go */
	fx_disconnect(fx);
	fx_clear(fx);
	fx_open(fx);
	cJSON *h = fx_last(fx, "HELLO");
	assert_non_null(h);
	const cJSON *res = cJSON_GetObjectItem(cJSON_GetObjectItem(h, "resume"),
	    "lobby");
	assert_int_equal(num(res, "seq"), 3);
	assert_int_equal(num(res, "rev"), 5);
	cJSON_Delete(h);
	fx_free(fx);
}

static void
changes__a_reply_goes_in_its_thread_and_counts_once_on_the_root(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "r");
	fx_type(fx, "agreed");
	fx_key(fx, UI_SUBMIT, 0);
	cJSON *m = fx_last(fx, "MESSAGE");
	assert_non_null(m);
	assert_int_equal(num(m, "thread"), 2);
	assert_string_equal(str(m, "text"), "agreed");
	const char *cid = str(m, "cid");
	char *echo = NULL;
	assert_true(asprintf(&echo, "{\"type\":\"MESSAGE\",\"room\":\"lobby\","
	    "\"seq\":4,\"id\":\"4\",\"user\":\"alice\",\"text\":\"agreed\","
	    "\"ts\":9,\"cid\":\"%s\",\"thread\":2}", cid) > 0);
	fx_feed(fx, "{\"type\":\"ACK\",\"cid\":\"%s\",\"room\":\"lobby\","
	    "\"seq\":4,\"id\":\"4\",\"ts\":9}", cid);
	fx_feed(fx, "%s", echo);
	free(echo);
	cJSON_Delete(m);
	struct room *r = lobby(fx);
	assert_int_equal(msgcursor_msg(r, 2)->x->replies, 1);
	/* another user's reply, live, counts too; a replay of it does not */
	fx_feed(fx, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":5,\"id\":"
	    "\"5\",\"user\":\"bob\",\"text\":\"me too\",\"ts\":10,\"thread\":2}");
	fx_feed(fx, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":5,\"id\":"
	    "\"5\",\"user\":\"bob\",\"text\":\"me too\",\"ts\":10,\"thread\":2}");
	assert_int_equal(msgcursor_msg(r, 2)->x->replies, 2);
	assert_int_equal(msgcursor_msg(r, 2)->x->last_reply, 10);
	/* the room's cursor leaves the replies to the thread */
	assert_int_equal(msgcursor_last(r, 0), 3);
	assert_int_equal(msgcursor_last(r, 2), 5);
	fx_free(fx);
}

static void
changes__a_replayed_tombstone_and_latest_state_keep_the_run_of_seqs(
    void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_feed(fx, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":4,\"id\":"
	    "\"4\",\"user\":\"bob\",\"ts\":9,\"deleted\":true}");
	fx_feed(fx, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":5,\"id\":"
	    "\"5\",\"user\":\"bob\",\"text\":\"fixed\",\"ts\":10,"
	    "\"edited_ts\":11,\"replies\":2,\"last_reply\":12,\"reactions\":"
	    "[{\"emoji\":\"🎉\",\"count\":2,\"users\":[\"bob\",\"carol\"]}]}");
	struct room *r = lobby(fx);
	assert_int_equal(r->last_seq, 5);
	assert_true(msgcursor_msg(r, 4)->deleted);
	struct room_msg *m = msgcursor_msg(r, 5);
	assert_int_equal(m->x->edited_ts, 11);
	assert_int_equal(m->x->replies, 2);
	assert_int_equal(m->x->reactions[0].count, 2);
	assert_int_equal(fx->ndesktop, 0);
	fx_free(fx);
}

static void
changes__a_jump_to_a_reply_opens_its_thread_with_it_selected(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_feed(fx, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":4,\"id\":"
	    "\"4\",\"user\":\"bob\",\"text\":\"the hidden needle\",\"ts\":9,"
	    "\"thread\":1}");
	fx_say(fx, "/find needle");
	struct ui_view v = view_of(fx);
	assert_non_null(v.thread);
	assert_int_equal(v.thread->root, 1);
	assert_int_equal(v.thread->selected, 4);
	assert_int_equal(v.mark_seq, 0); /* not in the room's timeline */
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(changes__a_reaction_is_sent_and_taken_back_by_the_same_pick),
		cmocka_unit_test(changes__edit_and_delete_send_their_frames),
		cmocka_unit_test(changes__live_edits_and_deletes_change_the_line),
		cmocka_unit_test(changes__a_reply_goes_in_its_thread_and_counts_once_on_the_root),
		cmocka_unit_test(changes__a_replayed_tombstone_and_latest_state_keep_the_run_of_seqs),
		cmocka_unit_test(changes__a_jump_to_a_reply_opens_its_thread_with_it_selected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
