/* chat: the client's state as server frames fold into it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/chat.h"

/* Decodes a server frame given as JSON and applies it. */
static void
apply(struct chat *c, const char *json)
{
	struct proto_frame f;
	struct proto_error err;
	if (!proto_decode(json, strlen(json), PROTO_TO_CLIENT, &f, &err))
		fail_msg("bad test frame %s: %s", json, err.reason);
	chat_apply(c, &f, 1000);
	proto_frame_free(&f);
}

static struct chat *
joined_chat(void)
{
	struct chat *c = chat_new("alice", "127.0.0.1:7681");
	apply(c, "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"s1\",\"heartbeat_ms\":15000}");
	apply(c, "{\"type\":\"JOINED\",\"room\":\"lobby\",\"seq\":2,"
	    "\"members\":[{\"user\":\"alice\",\"status\":\"online\"},{\"user\":\"bob\",\"status\":\"online\"}],"
	    "\"typing\":[],\"messages\":["
	    "{\"room\":\"lobby\",\"seq\":1,\"id\":\"1\",\"user\":\"bob\",\"text\":\"one\",\"ts\":1},"
	    "{\"room\":\"lobby\",\"seq\":2,\"id\":\"2\",\"user\":\"bob\",\"text\":\"two\",\"ts\":2}]}");
	return c;
}

static void
welcome_marks_the_link_connected(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	assert_int_equal(c->link, CHAT_CONNECTED);
	assert_int_equal(c->heartbeat_ms, 15000);
	assert_string_equal(c->session, "s1");
	chat_free(c);
}

static void
joined_opens_the_room_with_its_snapshot(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	struct room *r = chat_room(c, "lobby");
	assert_non_null(r);
	assert_true(r->joined);
	assert_int_equal(r->nconfirmed, 2);
	assert_int_equal(r->last_seq, 2);
	assert_int_equal(r->nmembers, 2);
	assert_int_equal(r->unread, 0); /* the shown room is read */
	chat_free(c);
}

static void
messages_in_another_room_count_unread_and_mentions(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	apply(c, "{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":0,\"members\":[],\"typing\":[],\"messages\":[]}");
	assert_int_equal(c->current, 0);
	apply(c, "{\"type\":\"MESSAGE\",\"room\":\"dev\",\"seq\":1,\"id\":\"9\",\"user\":\"bob\",\"text\":\"hey\",\"ts\":5}");
	apply(c, "{\"type\":\"MESSAGE\",\"room\":\"dev\",\"seq\":2,\"id\":\"10\",\"user\":\"bob\",\"text\":\"@alice look\",\"ts\":6}");
	struct room *dev = chat_room(c, "dev");
	assert_int_equal(dev->unread, 2);
	assert_int_equal(dev->mentions, 1);
	chat_switch(c, 1);
	assert_int_equal(dev->unread, 0);
	assert_int_equal(dev->mentions, 0);
	chat_free(c);
}

static void
own_messages_never_count_unread(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	apply(c, "{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":0,\"members\":[],\"typing\":[],\"messages\":[]}");
	apply(c, "{\"type\":\"MESSAGE\",\"room\":\"dev\",\"seq\":1,\"id\":\"9\",\"user\":\"alice\",\"text\":\"from my other session\",\"ts\":5,\"cid\":\"zz\"}");
	assert_int_equal(chat_room(c, "dev")->unread, 0);
	chat_free(c);
}

static void
an_ack_confirms_the_pending_message_in_place(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	struct room *r = chat_room(c, "lobby");
	assert_true(room_add_pending(r, "c1", "mine", 3));
	apply(c, "{\"type\":\"ACK\",\"cid\":\"c1\",\"room\":\"lobby\",\"seq\":3,\"id\":\"7\",\"ts\":3}");
	apply(c, "{\"type\":\"MESSAGE\",\"room\":\"lobby\",\"seq\":3,\"id\":\"7\",\"user\":\"alice\",\"text\":\"mine\",\"ts\":3,\"cid\":\"c1\"}");
	assert_int_equal(r->nmsgs, 3);
	assert_int_equal(r->nconfirmed, 3);
	assert_int_equal(r->msgs[2]->state, ROOM_MSG_CONFIRMED);
	assert_string_equal(r->msgs[2]->text, "mine");
	chat_free(c);
}

static void
an_error_for_a_pending_cid_marks_it_failed(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	struct room *r = chat_room(c, "lobby");
	room_add_pending(r, "c2", "too long", 3);
	apply(c, "{\"type\":\"ERROR\",\"cid\":\"c2\",\"code\":\"too_large\",\"reason\":\"text is over 4000 characters\"}");
	struct room_msg *m = room_find_cid(r, "c2");
	assert_non_null(m);
	assert_int_equal(m->state, ROOM_MSG_FAILED);
	assert_string_equal(m->error, "text is over 4000 characters");
	assert_int_equal(c->nnotices, 0);
	chat_free(c);
}

static void
an_error_without_a_message_becomes_a_notice(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	apply(c, "{\"type\":\"ERROR\",\"code\":\"bad_room\",\"reason\":\"bad room name\"}");
	assert_int_equal(c->nnotices, 1);
	assert_true(c->notices[0].error);
	assert_non_null(strstr(c->notices[0].text, "bad room name"));
	assert_string_equal(c->notices[0].room, "lobby");
	chat_free(c);
}

static void
presence_updates_every_room_the_user_is_in(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	apply(c, "{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":0,"
	    "\"members\":[{\"user\":\"bob\",\"status\":\"online\"}],\"typing\":[\"bob\"],\"messages\":[]}");
	apply(c, "{\"type\":\"PRESENCE_UPDATE\",\"user\":\"bob\",\"status\":\"away\",\"text\":\"lunch\",\"last_seen\":9}");
	for (size_t i = 0; i < 2; i++) {
		struct room *r = c->rooms[i];
		bool found = false;
		for (size_t k = 0; k < r->nmembers; k++)
			if (strcmp(r->members[k].user, "bob") == 0) {
				assert_int_equal(r->members[k].status, PS_AWAY);
				assert_string_equal(r->members[k].text, "lunch");
				found = true;
			}
		assert_true(found);
	}
	apply(c, "{\"type\":\"PRESENCE_UPDATE\",\"user\":\"bob\",\"status\":\"offline\",\"last_seen\":10}");
	assert_int_equal(chat_room(c, "dev")->ntyping, 0);
	chat_free(c);
}

static void
leaving_from_another_session_closes_the_room(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	apply(c, "{\"type\":\"USER_LEFT\",\"room\":\"lobby\",\"user\":\"alice\"}");
	assert_null(chat_room(c, "lobby"));
	assert_int_equal(c->nrooms, 0);
	assert_null(chat_current(c));
	chat_free(c);
}

static void
others_joining_and_leaving_are_noted_and_listed(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	struct room *r = chat_room(c, "lobby");
	apply(c, "{\"type\":\"USER_JOINED\",\"room\":\"lobby\",\"user\":\"carol\",\"status\":\"online\"}");
	assert_int_equal(r->nmembers, 3);
	apply(c, "{\"type\":\"USER_LEFT\",\"room\":\"lobby\",\"user\":\"carol\"}");
	assert_int_equal(r->nmembers, 2);
	assert_int_equal(c->nnotices, 2);
	chat_free(c);
}

static void
hello_resumes_only_rooms_that_hold_messages(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	chat_open(c, "empty");
	char *hello = chat_hello_frame(c, NULL);
	struct proto_frame f;
	struct proto_error err;
	assert_true(proto_decode(hello, strlen(hello), PROTO_TO_SERVER, &f, &err));
	assert_string_equal(f.user, "alice");
	assert_int_equal(f.nresume, 1);
	assert_string_equal(f.resume[0].room, "lobby");
	assert_int_equal(f.resume[0].seq, 2);
	proto_frame_free(&f);
	free(hello);
	chat_free(c);
}

static void
client_frames_decode_as_the_server_reads_them(void **state)
{
	(void)state;
	char *frames[] = {
		chat_join_frame("dev", -1), chat_join_frame("dev", 5),
		chat_message_frame("c1", "dev", "hi"), chat_leave_frame("c2", "dev"),
		chat_history_frame("dev", 10, 50), chat_typing_frame("dev", true),
		chat_presence_frame(PS_AWAY, "out"),
	};
	enum proto_type want[] = {PT_JOIN, PT_JOIN, PT_MESSAGE, PT_LEAVE, PT_HISTORY,
	    PT_TYPING, PT_PRESENCE_UPDATE};
	for (size_t i = 0; i < sizeof frames / sizeof *frames; i++) {
		struct proto_frame f;
		struct proto_error err;
		assert_non_null(frames[i]);
		assert_true(proto_decode(frames[i], strlen(frames[i]), PROTO_TO_SERVER,
		    &f, &err));
		assert_int_equal(f.type, want[i]);
		if (i == 0)
			assert_false(f.has_since);
		if (i == 1)
			assert_int_equal(f.since, 5);
		proto_frame_free(&f);
		free(frames[i]);
	}
}

static void
the_typing_line_reads_naturally(void **state)
{
	(void)state;
	struct room *r = room_new("lobby", "me");
	char buf[128];
	chat_typing_line(r, buf, sizeof buf);
	assert_string_equal(buf, "");
	room_set_typing(r, "alice", true);
	chat_typing_line(r, buf, sizeof buf);
	assert_string_equal(buf, "alice is typing…");
	room_set_typing(r, "bob", true);
	chat_typing_line(r, buf, sizeof buf);
	assert_string_equal(buf, "alice and bob are typing…");
	room_set_typing(r, "carol", true);
	room_set_typing(r, "dave", true);
	chat_typing_line(r, buf, sizeof buf);
	assert_string_equal(buf, "several people are typing…");
	room_free(r);
}

static void
nick_completion_is_case_insensitive_and_sorted(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	apply(c, "{\"type\":\"USER_JOINED\",\"room\":\"lobby\",\"user\":\"Bea\",\"status\":\"online\"}");
	const char *out[8];
	size_t n = chat_complete_nick(c, chat_current(c), "b", out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "Bea");
	assert_string_equal(out[1], "bob");
	chat_free(c);
}

static void
nick_completion_knows_every_room_and_author_members_first(void **state)
{
	(void)state;
	struct chat *c = joined_chat();
	apply(c, "{\"type\":\"USER_JOINED\",\"room\":\"lobby\",\"user\":\"carl\",\"status\":\"online\"}");
	apply(c, "{\"type\":\"JOINED\",\"room\":\"dev\",\"seq\":1,"
	    "\"members\":[{\"user\":\"alice\",\"status\":\"online\"},"
	    "{\"user\":\"cat\",\"status\":\"online\"},{\"user\":\"bob\",\"status\":\"online\"}],"
	    "\"typing\":[],\"messages\":["
	    "{\"room\":\"dev\",\"seq\":1,\"id\":\"9\",\"user\":\"ada\",\"text\":\"bye\",\"ts\":1}]}");
	const char *out[8];
	/* lobby is current: its carl first, then dev's cat */
	assert_int_equal(chat_complete_nick(c, chat_current(c), "ca", out, 8), 2);
	assert_string_equal(out[0], "carl");
	assert_string_equal(out[1], "cat");
	/* ada left dev but wrote there; I am never offered; bob once */
	assert_int_equal(chat_complete_nick(c, chat_current(c), "a", out, 8), 1);
	assert_string_equal(out[0], "ada");
	assert_int_equal(chat_complete_nick(c, chat_current(c), "", out, 8), 4);
	assert_string_equal(out[0], "bob");
	assert_string_equal(out[1], "carl");
	assert_string_equal(out[2], "ada");
	assert_string_equal(out[3], "cat");
	/* a full out keeps the room's members and the first of the rest */
	assert_int_equal(chat_complete_nick(c, chat_current(c), "", out, 3), 3);
	assert_string_equal(out[2], "ada");
	chat_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(welcome_marks_the_link_connected),
		cmocka_unit_test(joined_opens_the_room_with_its_snapshot),
		cmocka_unit_test(messages_in_another_room_count_unread_and_mentions),
		cmocka_unit_test(own_messages_never_count_unread),
		cmocka_unit_test(an_ack_confirms_the_pending_message_in_place),
		cmocka_unit_test(an_error_for_a_pending_cid_marks_it_failed),
		cmocka_unit_test(an_error_without_a_message_becomes_a_notice),
		cmocka_unit_test(presence_updates_every_room_the_user_is_in),
		cmocka_unit_test(leaving_from_another_session_closes_the_room),
		cmocka_unit_test(others_joining_and_leaving_are_noted_and_listed),
		cmocka_unit_test(hello_resumes_only_rooms_that_hold_messages),
		cmocka_unit_test(client_frames_decode_as_the_server_reads_them),
		cmocka_unit_test(the_typing_line_reads_naturally),
		cmocka_unit_test(nick_completion_is_case_insensitive_and_sorted),
		cmocka_unit_test(nick_completion_knows_every_room_and_author_members_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
