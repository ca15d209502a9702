/*
 * proto_split: an answer encoded in pieces (the server streams big ones)
 * is, once put together, the same frame as encoded whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/proto.h"

static char *
join3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c);
	char *s = malloc(n + 1);
	strcpy(s, a);
	strcat(s, b);
	strcat(s, c);
	return s;
}

/* "[" items "]" */
static char *
array_of(char **items, size_t n)
{
	size_t len = 3;
	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]) + 1;
	char *s = malloc(len);
	strcpy(s, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, ",");
		strcat(s, items[i]);
		free(items[i]);
	}
	strcat(s, "]");
	return s;
}

static void
assert_decodes_equal(const char *a, const char *b)
{
	struct proto_frame fa, fb;
	struct proto_error e;
	assert_true(proto_decode(a, strlen(a), PROTO_TO_CLIENT, &fa, &e));
	assert_true(proto_decode(b, strlen(b), PROTO_TO_CLIENT, &fb, &e));
	char *ra = proto_encode(&fa, PROTO_TO_CLIENT);
	char *rb = proto_encode(&fb, PROTO_TO_CLIENT);
	assert_string_equal(ra, rb);
	free(ra);
	free(rb);
	proto_frame_free(&fa);
	proto_frame_free(&fb);
}

static void
proto_split__joined_in_pieces_is_joined_whole(void **state)
{
	(void)state;
	struct proto_member mem[2] = {{"alice", PS_ONLINE, "here", 5, {NULL, NULL}},
	    {"bob", PS_AWAY, "", 7, {NULL, NULL}}};
	struct proto_message msg[2] = {
	    {.room = "lobby", .seq = 1, .id = "11", .user = "bob",
	    .text = "hi \"you\"", .ts = 9, .cid = "c1"},
	    {.room = "lobby", .seq = 2, .id = "12", .user = "alice",
	    .text = "a\x01" "b\\", .ts = 10}};
	const char *typing[] = {"bob"};
	struct proto_frame f = proto_frame_of(PT_JOINED);
	f.room = "lobby";
	f.seq = 2;
	f.has_seq = true;
	f.members = mem;
	f.nmembers = 2;
	f.messages = msg;
	f.nmessages = 2;
	f.typing = typing;
	f.ntyping = 1;
	char *whole = proto_encode(&f, PROTO_TO_CLIENT);
	assert_non_null(whole);

	static const char *const holes[] = {"members", "messages"};
	char *pieces[3];
	assert_true(proto_encode_split(&f, PROTO_TO_CLIENT, holes, 2, pieces));
	char *mi[2] = {proto_encode_member_item(&mem[0]), proto_encode_member_item(&mem[1])};
	char *gi[2] = {proto_encode_message_item(&msg[0]), proto_encode_message_item(&msg[1])};
	char *ma = array_of(mi, 2), *ga = array_of(gi, 2);
	char *a = join3(pieces[0], ma, pieces[1]);
	char *built = join3(a, ga, pieces[2]);
	assert_decodes_equal(whole, built);
	for (int i = 0; i < 3; i++)
		free(pieces[i]);
	free(ma);
	free(ga);
	free(a);
	free(built);
	free(whole);
}

static void
proto_split__an_empty_history_is_an_empty_array(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_HISTORY);
	f.room = "lobby";
	f.cid = "h1";
	f.more = true;
	static const char *const holes[] = {"messages"};
	char *pieces[2];
	assert_true(proto_encode_split(&f, PROTO_TO_CLIENT, holes, 1, pieces));
	char *built = join3(pieces[0], "[]", pieces[1]);
	char *whole = proto_encode(&f, PROTO_TO_CLIENT);
	assert_decodes_equal(whole, built);
	free(pieces[0]);
	free(pieces[1]);
	free(built);
	free(whole);
}

static void
proto_split__a_text_escaped_in_pieces_reads_back_exactly(void **state)
{
	(void)state;
	/* every byte a document may hold, and UTF-8 */
	char text[200];
	size_t n = 0;
	for (int c = 1; c < 0x80; c++)
		text[n++] = (char)c;
	memcpy(text + n, "\xc3\xa9\xf0\x9f\x98\x80", 6);
	n += 6;
	struct proto_frame f = proto_frame_of(PT_DOC_TEXT);
	f.room = "lobby";
	f.doc = "notes";
	f.rev = 3;
	f.has_rev = true;
	f.cid = "g";
	static const char *const holes[] = {"text"};
	char *pieces[2];
	assert_true(proto_encode_split(&f, PROTO_TO_CLIENT, holes, 1, pieces));
	/* escaped in pieces of 7 bytes, as a stream cuts it */
	char *esc = malloc(6 * n + 3);
	size_t w = 0;
	esc[w++] = '"';
	for (size_t at = 0; at < n; at += 7)
		w += proto_json_escape(text + at, n - at < 7 ? n - at : 7, esc + w);
	esc[w++] = '"';
	esc[w] = '\0';
	char *built = join3(pieces[0], esc, pieces[1]);
	struct proto_frame d;
	struct proto_error e;
	assert_true(proto_decode(built, strlen(built), PROTO_TO_CLIENT, &d, &e));
	assert_int_equal(strlen(d.text), n);
	assert_memory_equal(d.text, text, n);
	assert_int_equal(d.rev, 3);
	proto_frame_free(&d);
	free(pieces[0]);
	free(pieces[1]);
	free(esc);
	free(built);
}

static void
proto_split__refuses_a_frame_missing_a_required_field(void **state)
{
	(void)state;
	struct proto_frame f = proto_frame_of(PT_DOC_TEXT);
	f.room = "lobby"; /* no doc */
	static const char *const holes[] = {"text"};
	char *pieces[2];
	assert_false(proto_encode_split(&f, PROTO_TO_CLIENT, holes, 1, pieces));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proto_split__joined_in_pieces_is_joined_whole),
		cmocka_unit_test(proto_split__an_empty_history_is_an_empty_array),
		cmocka_unit_test(proto_split__a_text_escaped_in_pieces_reads_back_exactly),
		cmocka_unit_test(proto_split__refuses_a_frame_missing_a_required_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
