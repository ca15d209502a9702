/*
 * proto_notify: the notification frames of confab.v1 (docs/protocol.md,
 * "Notifications"): every frame survives encode -> decode with its fields,
 * and malformed ones are refused with their stable error code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/proto.h"
#include "model/utf8.h"

#include "proto_fixture.h"

#define TS 1700000000000

static void
same_notification(const struct proto_notification *w,
    const struct proto_notification *g)
{
	assert_int_equal(w->id, g->id);
	same_str("level", w->level, g->level);
	same_str("kind", w->kind, g->kind);
	same_str("title", w->title, g->title);
	same_str("message", w->message, g->message);
	assert_int_equal(w->ts, g->ts);
	assert_int_equal(w->read, g->read);
	same_str("room", w->room, g->room);
	assert_int_equal(w->seq, g->seq);
}

/* The fields these frames use, arrays element by element. */
static void
same_frame(const struct proto_frame *w, const struct proto_frame *g)
{
	assert_int_equal(w->type, g->type);
	same_str("cid", w->cid, g->cid);
	same_notification(&w->notification, &g->notification);
	assert_int_equal(w->nnotifications, g->nnotifications);
	for (size_t i = 0; i < w->nnotifications; i++)
		same_notification(&w->notifications[i], &g->notifications[i]);
	assert_int_equal(w->has_unread, g->has_unread);
	assert_int_equal(w->unread, g->unread);
	assert_int_equal(w->has_upto, g->has_upto);
	assert_int_equal(w->upto, g->upto);
	assert_int_equal(w->has_before, g->has_before);
	assert_int_equal(w->before, g->before);
	assert_int_equal(w->has_limit, g->has_limit);
	assert_int_equal(w->limit, g->limit);
	assert_int_equal(w->more, g->more);
}

static void
roundtrip(const struct proto_frame *in, enum proto_dir dir)
{
	round_trip_same(in, dir, same_frame);
}

static const struct proto_notification MENTION = {17, "mention",
    "alice in lobby", "@bob can you look? caf\xc3\xa9", TS, false, "lobby", 42,
    "mention"};
static const struct proto_notification JOIN = {9, "join", "bob joined lobby",
    "", TS - 5, true, "lobby", 0, "join"};
static const struct proto_notification DM = {18, "dm", "alice", "hi",
    TS + 1, false, "@alice+bob", 3, "dm"};

/* ---- round trips --------------------------------------------------------- */

static void
proto_notify__roundtrip__notification_with_every_field(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION);
	f.notification = MENTION;
	f.unread = 4;
	f.has_unread = true;
	roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_notify__roundtrip__notification_without_seq_or_unread(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION);
	f.notification = JOIN;
	roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_notify__roundtrip__notification_of_a_direct_message_room(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION);
	f.notification = DM;
	roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_notify__roundtrip__a_page_of_notifications(void **state)
{
	(void)state;
	struct proto_notification v[] = {DM, MENTION, JOIN};
	struct proto_frame f = proto_frame_of(PT_NOTIFICATIONS);
	f.cid = "n1";
	f.before = 20;
	f.has_before = true;
	f.notifications = v;
	f.nnotifications = 3;
	f.more = true;
	f.unread = 2;
	f.has_unread = true;
	roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_notify__roundtrip__an_empty_page(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATIONS);
	f.has_unread = true;
	held.json = proto_encode(&f, PROTO_TO_CLIENT);
	assert_string_equal(held.json, "{\"type\":\"NOTIFICATIONS\","
	    "\"notifications\":[],\"more\":false,\"unread\":0}");
	release_held(NULL);
	roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_notify__roundtrip__notification_read_of_one_and_of_all(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION_READ);
	f.notification.id = 17;
	f.unread = 3;
	f.has_unread = true;
	roundtrip(&f, PROTO_TO_CLIENT);
	f = proto_frame_of(PT_NOTIFICATION_READ);
	f.upto = 0;
	f.has_upto = true;
	f.has_unread = true;
	roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_notify__roundtrip__the_requests(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATIONS);
	roundtrip(&f, PROTO_TO_SERVER);
	f.before = 17;
	f.has_before = true;
	f.limit = 200;
	f.has_limit = true;
	f.cid = "n2";
	roundtrip(&f, PROTO_TO_SERVER);

	f = proto_frame_of(PT_MARK_READ);
	f.notification.id = 17;
	f.cid = "r1";
	roundtrip(&f, PROTO_TO_SERVER);

	f = proto_frame_of(PT_MARK_ALL_READ);
	roundtrip(&f, PROTO_TO_SERVER);
	f.upto = 17;
	f.has_upto = true;
	f.cid = "r2";
	roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_notify__roundtrip__welcome_with_unread(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_WELCOME);
	f.user = "bob";
	f.session = "s1";
	f.heartbeat_ms = 15000;
	f.unread = 5;
	f.has_unread = true;
	roundtrip(&f, PROTO_TO_CLIENT);
	f.unread = 0;
	f.has_unread = false; /* optional: a server may leave it out */
	roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_notify__encode__refuses_a_notification_without_its_required_fields(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_NOTIFICATION);
	f.notification = MENTION;
	f.notification.title = NULL;
	assert_null(proto_encode(&f, PROTO_TO_CLIENT));
	f.notification = MENTION;
	f.notification.id = 0;
	assert_null(proto_encode(&f, PROTO_TO_CLIENT));
	f = proto_frame_of(PT_MARK_READ);
	assert_null(proto_encode(&f, PROTO_TO_SERVER));
	f = proto_frame_of(PT_NOTIFICATION_READ); /* no unread */
	f.notification.id = 3;
	assert_null(proto_encode(&f, PROTO_TO_CLIENT));
}

static void
proto_notify__decode__a_server_only_frame_from_a_client_is_an_unknown_type(void **state)
{
	(void)state;
	static const char *const frames[] = {
		"{\"type\":\"NOTIFICATION\",\"id\":1}",
		"{\"type\":\"NOTIFICATION_READ\",\"id\":1,\"unread\":0}",
	};
	for (size_t i = 0; i < 2; i++) {
		struct proto_error e;
		assert_false(proto_decode(frames[i], strlen(frames[i]), PROTO_TO_SERVER,
		    &held.frame, &e));
		assert_int_equal(e.code, PE_UNKNOWN_TYPE);
		assert_true(e.ref[0] != '\0');
	}
}

static void
proto_notify__decode__keeps_the_cid_of_a_refused_mark(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"MARK_READ\",\"id\":\"7\",\"cid\":\"r9\"}";
	struct proto_error e;
	assert_false(proto_decode(json, sizeof json - 1, PROTO_TO_SERVER,
	    &held.frame, &e));
	assert_int_equal(e.code, PE_BAD_FIELD);
	assert_string_equal(e.cid, "r9");
	assert_string_equal(e.ref, "MARK_READ");
}

/* ---- the table of refused frames ----------------------------------------- */

struct reject_case {
	enum proto_dir dir;
	enum proto_err code;
	const char *json;
};

static void
decode_rejects(void **state)
{
	const struct reject_case *c = *state;
	struct proto_error e;
	if (proto_decode(c->json, strlen(c->json), c->dir, &held.frame, &e))
		fail_msg("accepted, expected %s: %s", proto_err_name(c->code), c->json);
	assert_string_equal(proto_err_name(e.code), proto_err_name(c->code));
	assert_true(e.reason[0] != '\0');
	assert_null(held.frame.notifications);
}

#define REJECT(name, d, c, lit) \
	{#name, decode_rejects, NULL, release_held, &(struct reject_case){d, c, lit}}
#define TS_ PROTO_TO_SERVER
#define TC_ PROTO_TO_CLIENT
#define NOTE_ "\"id\":1,\"level\":\"mention\",\"title\":\"t\",\"message\":\"m\",\"ts\":1"
#define TEST(f) cmocka_unit_test_teardown(f, release_held)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(proto_notify__roundtrip__notification_with_every_field),
		TEST(proto_notify__roundtrip__notification_without_seq_or_unread),
		TEST(proto_notify__roundtrip__notification_of_a_direct_message_room),
		TEST(proto_notify__roundtrip__a_page_of_notifications),
		TEST(proto_notify__roundtrip__an_empty_page),
		TEST(proto_notify__roundtrip__notification_read_of_one_and_of_all),
		TEST(proto_notify__roundtrip__the_requests),
		TEST(proto_notify__roundtrip__welcome_with_unread),
		TEST(proto_notify__encode__refuses_a_notification_without_its_required_fields),
		TEST(proto_notify__decode__a_server_only_frame_from_a_client_is_an_unknown_type),
		TEST(proto_notify__decode__keeps_the_cid_of_a_refused_mark),

		/* client -> server */
		REJECT(proto_notify__decode__rejects_mark_read_without_id, TS_, PE_BAD_FIELD,
		    "{\"type\":\"MARK_READ\",\"cid\":\"r1\"}"),
		REJECT(proto_notify__decode__rejects_mark_read_with_id_zero, TS_, PE_BAD_FIELD,
		    "{\"type\":\"MARK_READ\",\"id\":0}"),
		REJECT(proto_notify__decode__rejects_mark_read_with_a_negative_id, TS_,
		    PE_BAD_FIELD, "{\"type\":\"MARK_READ\",\"id\":-4}"),
		REJECT(proto_notify__decode__rejects_mark_read_with_a_string_id, TS_,
		    PE_BAD_FIELD, "{\"type\":\"MARK_READ\",\"id\":\"4\"}"),
		REJECT(proto_notify__decode__rejects_mark_read_with_a_fractional_id, TS_,
		    PE_BAD_FIELD, "{\"type\":\"MARK_READ\",\"id\":1.5}"),
		REJECT(proto_notify__decode__rejects_mark_read_with_a_bad_cid, TS_,
		    PE_BAD_FIELD, "{\"type\":\"MARK_READ\",\"id\":1,\"cid\":\"a b\"}"),
		REJECT(proto_notify__decode__rejects_mark_all_read_with_a_negative_upto, TS_,
		    PE_BAD_FIELD, "{\"type\":\"MARK_ALL_READ\",\"upto\":-1}"),
		REJECT(proto_notify__decode__rejects_mark_all_read_with_a_boolean_upto, TS_,
		    PE_BAD_FIELD, "{\"type\":\"MARK_ALL_READ\",\"upto\":true}"),
		REJECT(proto_notify__decode__rejects_notifications_with_limit_zero, TS_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATIONS\",\"limit\":0}"),
		REJECT(proto_notify__decode__rejects_notifications_with_a_negative_before,
		    TS_, PE_BAD_FIELD, "{\"type\":\"NOTIFICATIONS\",\"before\":-2}"),
		REJECT(proto_notify__decode__rejects_notifications_with_a_string_limit, TS_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATIONS\",\"limit\":\"5\"}"),
		REJECT(proto_notify__decode__rejects_invalid_utf8_in_a_mark, TS_,
		    PE_INVALID_UTF8, "{\"type\":\"MARK_READ\",\"id\":1,\"cid\":\"\xff\"}"),

		/* server -> client */
		REJECT(proto_notify__decode__rejects_a_notification_without_id, TC_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATION\",\"level\":\"mention\","
		    "\"title\":\"t\",\"message\":\"m\",\"ts\":1,\"read\":false}"),
		REJECT(proto_notify__decode__rejects_a_notification_without_read, TC_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATION\"," NOTE_ "}"),
		REJECT(proto_notify__decode__rejects_a_notification_with_a_numeric_read, TC_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATION\"," NOTE_ ",\"read\":0}"),
		REJECT(proto_notify__decode__rejects_a_notification_with_a_numeric_title,
		    TC_, PE_BAD_FIELD, "{\"type\":\"NOTIFICATION\",\"id\":1,"
		    "\"level\":\"mention\",\"title\":5,\"message\":\"m\",\"ts\":1,\"read\":false}"),
		REJECT(proto_notify__decode__rejects_a_notification_with_seq_zero, TC_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATION\"," NOTE_ ",\"read\":false,"
		    "\"seq\":0}"),
		REJECT(proto_notify__decode__rejects_a_notification_with_a_bad_room, TC_,
		    PE_BAD_ROOM, "{\"type\":\"NOTIFICATION\"," NOTE_ ",\"read\":false,"
		    "\"room\":\"@bob+alice\"}"),
		REJECT(proto_notify__decode__rejects_a_page_without_unread, TC_, PE_BAD_FIELD,
		    "{\"type\":\"NOTIFICATIONS\",\"notifications\":[],\"more\":false}"),
		REJECT(proto_notify__decode__rejects_a_page_without_more, TC_, PE_BAD_FIELD,
		    "{\"type\":\"NOTIFICATIONS\",\"notifications\":[],\"unread\":0}"),
		REJECT(proto_notify__decode__rejects_a_page_that_is_not_an_array, TC_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATIONS\",\"notifications\":{},"
		    "\"more\":false,\"unread\":0}"),
		REJECT(proto_notify__decode__rejects_a_page_holding_a_non_object, TC_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATIONS\",\"notifications\":[1],"
		    "\"more\":false,\"unread\":0}"),
		REJECT(proto_notify__decode__rejects_a_page_holding_a_bad_notification, TC_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATIONS\",\"notifications\":[{"
		    NOTE_ ",\"read\":false},{\"id\":2}],\"more\":false,\"unread\":0}"),
		REJECT(proto_notify__decode__rejects_notification_read_without_unread, TC_,
		    PE_BAD_FIELD, "{\"type\":\"NOTIFICATION_READ\",\"id\":3}"),
		REJECT(proto_notify__decode__rejects_notification_read_with_a_negative_unread,
		    TC_, PE_BAD_FIELD, "{\"type\":\"NOTIFICATION_READ\",\"id\":3,\"unread\":-1}"),
		REJECT(proto_notify__decode__rejects_welcome_with_a_negative_unread, TC_,
		    PE_BAD_FIELD, "{\"type\":\"WELCOME\",\"user\":\"bob\",\"session\":\"s\","
		    "\"heartbeat_ms\":1,\"unread\":-1}"),
	};
	return cmocka_run_group_tests_name("proto_notify", tests, NULL, NULL);
}
