/*
 * proto (shared documents): the document frames of confab.v1 against
 * docs/protocol.md, "Shared documents".
 *
 * Like test_proto.c, in three parts: every document frame of both
 * directions survives encode -> decode with every field intact; malformed
 * ones are refused with their stable code (a table, one named test per
 * row); and what the encoder writes for the fields only these frames have.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "model/ot.h"
#include "model/proto.h"
#include "model/utf8.h"

#include "proto_fixture.h"

#define TS 1700000000000 /* a plausible timestamp, ms */

/* ---- helpers ------------------------------------------------------------- */

/* What a helper holds besides held (proto_fixture.h), released by the
 * teardown when an assertion jumps out of the test. */
static struct {
	char *op_want, *op_got;
	cJSON *op;
} held_op;

static int
release_doc(void **state)
{
	release_held(state);
	free(held_op.op_want);
	free(held_op.op_got);
	cJSON_Delete(held_op.op);
	memset(&held_op, 0, sizeof held_op);
	return 0;
}

/* An operation as the caller of proto_encode holds it (owned by held_op). */
static const cJSON *
op_of(const char *json)
{
	cJSON_Delete(held_op.op);
	held_op.op = cJSON_Parse(json);
	assert_non_null(held_op.op);
	return held_op.op;
}

/* The fields document frames use, arrays element by element, the op by
 * its printed form. */
static void
assert_same_doc_frame(const struct proto_frame *w, const struct proto_frame *g)
{
	assert_string_equal(proto_type_name(g->type), proto_type_name(w->type));
#define STR(m) same_str(#m, w->m, g->m)
	STR(cid); STR(room); STR(doc); STR(user); STR(session); STR(text); STR(name);
#undef STR
#define NUM(m) assert_int_equal(w->m, g->m)
	NUM(rev); NUM(has_rev); NUM(since); NUM(has_since); NUM(before);
	NUM(has_before); NUM(limit); NUM(has_limit); NUM(ts); NUM(has_ts);
	NUM(seq); NUM(has_seq); NUM(more); NUM(has_sel); NUM(sel[0]); NUM(sel[1]);
	NUM(ncursors); NUM(nrevisions); NUM(ntags);
#undef NUM
	assert_int_equal(w->op == NULL, g->op == NULL);
	if (w->op != NULL) {
		held_op.op_want = cJSON_PrintUnformatted(w->op);
		held_op.op_got = cJSON_PrintUnformatted(g->op);
		assert_string_equal(held_op.op_got, held_op.op_want);
	}
	for (size_t i = 0; i < w->ncursors; i++) {
		const struct proto_cursor *wc = &w->cursors[i], *gc = &g->cursors[i];
		same_str("cursor.user", wc->user, gc->user);
		same_str("cursor.session", wc->session, gc->session);
		assert_int_equal(wc->has_sel, gc->has_sel);
		if (wc->has_sel) {
			assert_int_equal(wc->sel[0], gc->sel[0]);
			assert_int_equal(wc->sel[1], gc->sel[1]);
		}
	}
	for (size_t i = 0; i < w->nrevisions; i++) {
		assert_int_equal(w->revisions[i].rev, g->revisions[i].rev);
		same_str("revision.user", w->revisions[i].user,
		    g->revisions[i].user);
		assert_int_equal(w->revisions[i].ts, g->revisions[i].ts);
	}
	for (size_t i = 0; i < w->ntags; i++) {
		same_str("tag.name", w->tags[i].name, g->tags[i].name);
		assert_int_equal(w->tags[i].rev, g->tags[i].rev);
		same_str("tag.user", w->tags[i].user, g->tags[i].user);
		assert_int_equal(w->tags[i].ts, g->tags[i].ts);
	}
}

static void
assert_roundtrip(const struct proto_frame *in, enum proto_dir dir)
{
	round_trip_same(in, dir, assert_same_doc_frame);
	release_doc(NULL);
}

static struct proto_frame
doc_frame(enum proto_type type)
{
	struct proto_frame f = proto_frame_of(type);
	f.room = "lobby";
	f.doc = "notes";
	return f;
}

/* ---- round trips: client -> server --------------------------------------- */

static void
proto_doc__roundtrip__doc_open_without_since(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_OPEN);
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_doc__roundtrip__doc_open_with_since_zero_and_cid(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_OPEN);
	f.since = 0;
	f.has_since = true;
	f.cid = "o1";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_doc__roundtrip__doc_close(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_CLOSE);
	f.cid = "x1";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_doc__roundtrip__doc_op_to_server(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_OP);
	f.cid = "e81";
	f.rev = 42;
	f.has_rev = true;
	f.op = op_of("[3,\"hi\",-1,7]");
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_doc__roundtrip__doc_op_at_revision_zero_with_an_empty_op(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_OP);
	f.cid = "e0";
	f.rev = 0;
	f.has_rev = true;
	f.op = op_of("[]");
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_doc__roundtrip__cursor_with_a_selection(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_CURSOR);
	f.rev = 43;
	f.has_rev = true;
	f.has_sel = true;
	f.sel[0] = 5;
	f.sel[1] = 9;
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_doc__roundtrip__cursor_with_null_selection(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_CURSOR);
	f.rev = 43;
	f.has_rev = true;
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_doc__roundtrip__doc_history_request(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_HISTORY);
	f.before = 43;
	f.has_before = true;
	f.limit = 50;
	f.has_limit = true;
	f.cid = "h1";
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

static void
proto_doc__roundtrip__doc_get_of_revision_zero(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_GET);
	f.rev = 0;
	f.has_rev = true;
	assert_roundtrip(&f, PROTO_TO_SERVER);
}

/* ---- round trips: server -> client --------------------------------------- */

static void
proto_doc__roundtrip__doc_op_to_client(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_OP);
	f.rev = 43;
	f.has_rev = true;
	f.op = op_of("[3,\"h\\u00e9 \\ud83d\\ude00\",-1,7]");
	f.user = "alice";
	f.cid = "e81";
	f.ts = TS;
	f.has_ts = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_doc__roundtrip__doc_state_with_text_and_cursors(void **state)
{
	(void)state;
	struct proto_cursor cursors[] = {
		{"bob", "s3", true, {5, 9}},
		{"carol", "s4", false, {0, 0}},
	};
	struct proto_frame f = doc_frame(PT_DOC_STATE);
	f.rev = 42;
	f.has_rev = true;
	f.text = "hello\nworld";
	f.cid = "o1";
	f.cursors = cursors;
	f.ncursors = 2;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_doc__roundtrip__doc_state_without_text_or_cursors(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_STATE);
	f.rev = 0;
	f.has_rev = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_doc__roundtrip__cursor_to_client(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_CURSOR);
	f.rev = 43;
	f.has_rev = true;
	f.user = "alice";
	f.session = "s1";
	f.has_sel = true;
	f.sel[0] = 9;
	f.sel[1] = 5;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
	f.has_sel = false;
	f.sel[0] = f.sel[1] = 0;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_doc__roundtrip__doc_history_answer(void **state)
{
	(void)state;
	struct proto_revision revs[] = {{41, "bob", TS}, {42, "alice", TS + 5}};
	struct proto_frame f = doc_frame(PT_DOC_HISTORY);
	f.revisions = revs;
	f.nrevisions = 2;
	f.more = true;
	f.cid = "h1";
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_doc__roundtrip__doc_history_answer_with_tags(void **state)
{
	(void)state;
	struct proto_revision revs[] = {{1, "bob", TS}};
	struct proto_tag tags[] = {{"draft", 0, "bob", TS}, {"v1.0", 12, "alice", TS + 9}};
	struct proto_frame f = doc_frame(PT_DOC_HISTORY);
	f.revisions = revs;
	f.nrevisions = 1;
	f.tags = tags;
	f.ntags = 2;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
	/* without tags the field is left out */
	f.ntags = 0;
	char *json = proto_encode(&f, PROTO_TO_CLIENT);
	assert_non_null(json);
	assert_null(strstr(json, "tags"));
	free(json);
}

static void
proto_doc__roundtrip__doc_tag(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_TAG);
	f.cid = "t1";
	f.rev = 0;
	f.has_rev = true;
	f.name = "v1.0";
	assert_roundtrip(&f, PROTO_TO_SERVER);
	f.name = NULL; /* name is required */
	assert_null(proto_encode(&f, PROTO_TO_SERVER));
}

static void
proto_doc__roundtrip__doc_text_may_be_empty(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_TEXT);
	f.rev = 0;
	f.has_rev = true;
	f.text = "";
	assert_roundtrip(&f, PROTO_TO_CLIENT);
	f.rev = 12;
	f.text = "twelve";
	f.cid = "g1";
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

static void
proto_doc__roundtrip__ack_of_a_document_operation(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_ACK);
	f.cid = "e81";
	f.rev = 43;
	f.has_rev = true;
	assert_roundtrip(&f, PROTO_TO_CLIENT);
}

/* ---- decoding: what is accepted ------------------------------------------ */

static void
proto_doc__decode__gives_an_op_that_the_ot_engine_reads(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"DOC_OP\",\"cid\":\"e81\",\"room\":\"lobby\","
	    "\"doc\":\"notes\",\"rev\":42,\"op\":[3,\"hi\",-1,7]}";
	struct proto_error err;
	assert_true(proto_decode(json, sizeof json - 1, PROTO_TO_SERVER,
	    &held.frame, &err));
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_decode_json(held.frame.op, &op, NULL, 0), OT_OK);
	assert_int_equal(op.base_len, 11);
	assert_int_equal(op.target_len, 12);
	ot_free(&op);
	release_doc(NULL);
}

static void
proto_doc__decode__leaves_full_op_validation_to_the_ot_engine(void **state)
{
	(void)state;
	/* integers and strings, but not in normal form: the codec lets it
	 * through, ot_decode_json refuses it */
	const char json[] = "{\"type\":\"DOC_OP\",\"cid\":\"e\",\"room\":\"lobby\","
	    "\"doc\":\"notes\",\"rev\":1,\"op\":[2,3,1.5,\"\"]}";
	struct proto_error err;
	assert_true(proto_decode(json, sizeof json - 1, PROTO_TO_SERVER,
	    &held.frame, &err));
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_decode_json(held.frame.op, &op, NULL, 0), OT_EINVAL);
	release_doc(NULL);
}

static void
proto_doc__decode__reads_the_protocol_page_example_of_doc_state(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":42,\"text\":\"abc\",\"cursors\":[{\"user\":\"bob\",\"session\":\"s3\","
	    "\"sel\":[5,9]},{\"user\":\"eve\",\"session\":\"s9\",\"sel\":null}]}";
	struct proto_error err;
	assert_true(proto_decode(json, sizeof json - 1, PROTO_TO_CLIENT,
	    &held.frame, &err));
	const struct proto_frame *f = &held.frame;
	assert_int_equal(f->type, PT_DOC_STATE);
	assert_int_equal(f->rev, 42);
	assert_int_equal(f->ncursors, 2);
	assert_string_equal(f->cursors[0].user, "bob");
	assert_true(f->cursors[0].has_sel);
	assert_int_equal(f->cursors[0].sel[1], 9);
	assert_false(f->cursors[1].has_sel);
	release_doc(NULL);
}

static void
proto_doc__decode__takes_a_missing_sel_as_no_selection(void **state)
{
	(void)state;
	const char json[] = "{\"type\":\"CURSOR\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":3}";
	struct proto_error err;
	assert_true(proto_decode(json, sizeof json - 1, PROTO_TO_SERVER,
	    &held.frame, &err));
	assert_false(held.frame.has_sel);
	release_doc(NULL);
}

/* ---- encoding ------------------------------------------------------------ */

static void
proto_doc__encode__prints_the_op_as_given_and_null_sel(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_OP);
	f.cid = "e1";
	f.rev = 7;
	f.has_rev = true;
	f.op = op_of("[3, \"hi\", -1, 7]");
	held.json = proto_encode(&f, PROTO_TO_SERVER);
	assert_non_null(strstr(held.json, "\"op\":[3,\"hi\",-1,7]"));
	free(held.json);

	struct proto_frame c = doc_frame(PT_CURSOR);
	c.rev = 7;
	c.has_rev = true;
	c.user = "alice";
	c.session = "s1";
	held.json = proto_encode(&c, PROTO_TO_CLIENT);
	assert_non_null(strstr(held.json, "\"sel\":null"));
	assert_non_null(strstr(held.json, "\"rev\":7"));
	release_doc(NULL);
}

static void
proto_doc__encode__always_writes_cursors_and_revisions(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_STATE);
	f.rev = 1;
	f.has_rev = true;
	held.json = proto_encode(&f, PROTO_TO_CLIENT);
	assert_non_null(strstr(held.json, "\"cursors\":[]"));
	assert_null(strstr(held.json, "\"text\""));
	free(held.json);
	struct proto_frame h = doc_frame(PT_DOC_HISTORY);
	held.json = proto_encode(&h, PROTO_TO_CLIENT);
	assert_non_null(strstr(held.json, "\"revisions\":[]"));
	release_doc(NULL);
}

static void
proto_doc__encode__refuses_frames_without_their_required_fields(void **state)
{
	(void)state;
	struct proto_frame f = doc_frame(PT_DOC_OP); /* no cid, rev or op */
	assert_null(proto_encode(&f, PROTO_TO_SERVER));
	f.cid = "e1";
	f.has_rev = true;
	assert_null(proto_encode(&f, PROTO_TO_SERVER));
	struct proto_frame t = doc_frame(PT_DOC_TEXT);
	t.has_rev = true;
	assert_null(proto_encode(&t, PROTO_TO_CLIENT));
	struct proto_frame o = proto_frame_of(PT_DOC_OPEN);
	o.room = "lobby";
	assert_null(proto_encode(&o, PROTO_TO_SERVER));
	/* revision 0 is no revision an operation produced */
	struct proto_frame b = doc_frame(PT_DOC_OP);
	b.op = op_of("[1]");
	b.user = "alice";
	b.ts = TS;
	b.has_ts = true;
	assert_null(proto_encode(&b, PROTO_TO_CLIENT));
	release_doc(NULL);
}

/* ---- decoding: the table of refused frames ------------------------------- */

struct reject_case {
	enum proto_dir dir;
	enum proto_err code;
	const char *json;
	size_t len;
};

static void
decode_rejects(void **state)
{
	const struct reject_case *c = *state;
	struct proto_error e;
	if (proto_decode(c->json, c->len, c->dir, &held.frame, &e))
		fail_msg("accepted, expected %s: %.*s", proto_err_name(c->code),
		    (int)c->len, c->json);
	assert_string_equal(proto_err_name(e.code), proto_err_name(c->code));
	assert_true(e.reason[0] != '\0');
	assert_null(held.frame.tree_);
	assert_null(held.frame.cursors);
	assert_null(held.frame.revisions);
}

#define REJECT(name, d, c, lit) \
	{#name, decode_rejects, NULL, release_doc, \
	    &(struct reject_case){d, c, lit, sizeof(lit) - 1}}
#define TS_ PROTO_TO_SERVER
#define TC_ PROTO_TO_CLIENT
#define OP_ "{\"type\":\"DOC_OP\",\"cid\":\"e\",\"room\":\"lobby\",\"doc\":\"notes\","
#define CUR_ "{\"type\":\"CURSOR\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,"
#define TEST(f) cmocka_unit_test_teardown(f, release_doc)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(proto_doc__roundtrip__doc_open_without_since),
		TEST(proto_doc__roundtrip__doc_open_with_since_zero_and_cid),
		TEST(proto_doc__roundtrip__doc_close),
		TEST(proto_doc__roundtrip__doc_op_to_server),
		TEST(proto_doc__roundtrip__doc_op_at_revision_zero_with_an_empty_op),
		TEST(proto_doc__roundtrip__cursor_with_a_selection),
		TEST(proto_doc__roundtrip__cursor_with_null_selection),
		TEST(proto_doc__roundtrip__doc_history_request),
		TEST(proto_doc__roundtrip__doc_get_of_revision_zero),
		TEST(proto_doc__roundtrip__doc_op_to_client),
		TEST(proto_doc__roundtrip__doc_state_with_text_and_cursors),
		TEST(proto_doc__roundtrip__doc_state_without_text_or_cursors),
		TEST(proto_doc__roundtrip__cursor_to_client),
		TEST(proto_doc__roundtrip__doc_history_answer),
		TEST(proto_doc__roundtrip__doc_history_answer_with_tags),
		TEST(proto_doc__roundtrip__doc_tag),
		TEST(proto_doc__roundtrip__doc_text_may_be_empty),
		TEST(proto_doc__roundtrip__ack_of_a_document_operation),

		TEST(proto_doc__decode__gives_an_op_that_the_ot_engine_reads),
		TEST(proto_doc__decode__leaves_full_op_validation_to_the_ot_engine),
		TEST(proto_doc__decode__reads_the_protocol_page_example_of_doc_state),
		TEST(proto_doc__decode__takes_a_missing_sel_as_no_selection),

		TEST(proto_doc__encode__prints_the_op_as_given_and_null_sel),
		TEST(proto_doc__encode__always_writes_cursors_and_revisions),
		TEST(proto_doc__encode__refuses_frames_without_their_required_fields),

		/* bad_op: not an array of integers and strings */
		REJECT(proto_doc__decode__rejects_an_op_that_is_not_an_array, TS_,
		    PE_BAD_OP, OP_ "\"rev\":1,\"op\":\"abc\"}"),
		REJECT(proto_doc__decode__rejects_an_op_that_is_an_object, TS_,
		    PE_BAD_OP, OP_ "\"rev\":1,\"op\":{\"0\":1}}"),
		REJECT(proto_doc__decode__rejects_an_op_holding_an_object, TS_,
		    PE_BAD_OP, OP_ "\"rev\":1,\"op\":[1,{\"x\":1}]}"),
		REJECT(proto_doc__decode__rejects_an_op_holding_a_boolean, TS_,
		    PE_BAD_OP, OP_ "\"rev\":1,\"op\":[true]}"),
		REJECT(proto_doc__decode__rejects_an_op_holding_an_array, TS_,
		    PE_BAD_OP, OP_ "\"rev\":1,\"op\":[[1]]}"),
		REJECT(proto_doc__decode__rejects_an_op_holding_null, TS_,
		    PE_BAD_OP, OP_ "\"rev\":1,\"op\":[1,null]}"),
		/* fuzz_proto: infinity passed, and was encoded again as null */
		REJECT(proto_doc__decode__rejects_an_op_holding_a_number_beyond_a_double, TS_,
		    PE_BAD_OP, OP_ "\"rev\":1,\"op\":[2,1e999]}"),
		REJECT(proto_doc__decode__rejects_an_op_holding_minus_infinity, TC_,
		    PE_BAD_OP, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\","
		    "\"rev\":2,\"op\":[-1e400],\"user\":\"bob\",\"ts\":1}"),
		REJECT(proto_doc__decode__rejects_a_bad_op_sent_to_a_client, TC_,
		    PE_BAD_OP, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\","
		    "\"rev\":2,\"op\":5,\"user\":\"bob\",\"ts\":1}"),

		/* bad_field */
		REJECT(proto_doc__decode__rejects_a_doc_op_without_op, TS_,
		    PE_BAD_FIELD, OP_ "\"rev\":1}"),
		REJECT(proto_doc__decode__rejects_a_doc_op_with_null_op, TS_,
		    PE_BAD_FIELD, OP_ "\"rev\":1,\"op\":null}"),
		REJECT(proto_doc__decode__rejects_a_doc_op_without_rev, TS_,
		    PE_BAD_FIELD, OP_ "\"op\":[1]}"),
		REJECT(proto_doc__decode__rejects_a_negative_rev, TS_,
		    PE_BAD_FIELD, OP_ "\"rev\":-1,\"op\":[1]}"),
		REJECT(proto_doc__decode__rejects_a_fractional_rev, TS_,
		    PE_BAD_FIELD, OP_ "\"rev\":1.5,\"op\":[1]}"),
		REJECT(proto_doc__decode__rejects_a_doc_op_without_cid, TS_, PE_BAD_FIELD,
		    "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":1,"
		    "\"op\":[1]}"),
		REJECT(proto_doc__decode__rejects_a_missing_doc, TS_, PE_BAD_FIELD,
		    "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\"}"),
		REJECT(proto_doc__decode__rejects_an_upper_case_doc_name, TS_, PE_BAD_FIELD,
		    "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"Notes\"}"),
		REJECT(proto_doc__decode__rejects_a_doc_name_of_a_number, TS_, PE_BAD_FIELD,
		    "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":7}"),
		REJECT(proto_doc__decode__rejects_a_negative_since, TS_, PE_BAD_FIELD,
		    "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"notes\",\"since\":-1}"),
		REJECT(proto_doc__decode__rejects_a_sel_of_three_numbers, TS_,
		    PE_BAD_FIELD, CUR_ "\"sel\":[1,2,3]}"),
		REJECT(proto_doc__decode__rejects_a_sel_of_one_number, TS_,
		    PE_BAD_FIELD, CUR_ "\"sel\":[1]}"),
		REJECT(proto_doc__decode__rejects_a_negative_sel, TS_,
		    PE_BAD_FIELD, CUR_ "\"sel\":[-1,2]}"),
		REJECT(proto_doc__decode__rejects_a_sel_of_strings, TS_,
		    PE_BAD_FIELD, CUR_ "\"sel\":[\"1\",\"2\"]}"),
		REJECT(proto_doc__decode__rejects_a_sel_that_is_a_number, TS_,
		    PE_BAD_FIELD, CUR_ "\"sel\":4}"),
		REJECT(proto_doc__decode__rejects_a_cursor_without_rev, TS_, PE_BAD_FIELD,
		    "{\"type\":\"CURSOR\",\"room\":\"lobby\",\"doc\":\"notes\",\"sel\":[1,1]}"),
		REJECT(proto_doc__decode__rejects_a_doc_get_without_rev, TS_, PE_BAD_FIELD,
		    "{\"type\":\"DOC_GET\",\"room\":\"lobby\",\"doc\":\"notes\"}"),
		REJECT(proto_doc__decode__rejects_a_doc_history_limit_of_zero, TS_,
		    PE_BAD_FIELD, "{\"type\":\"DOC_HISTORY\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"limit\":0}"),
		REJECT(proto_doc__decode__rejects_cursors_that_are_not_an_array, TC_,
		    PE_BAD_FIELD, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"rev\":1,\"cursors\":{}}"),
		REJECT(proto_doc__decode__rejects_a_cursor_entry_without_session, TC_,
		    PE_BAD_FIELD, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"rev\":1,\"cursors\":[{\"user\":\"bob\",\"sel\":null}]}"),
		REJECT(proto_doc__decode__rejects_a_revision_entry_of_revision_zero, TC_,
		    PE_BAD_FIELD, "{\"type\":\"DOC_HISTORY\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"more\":false,\"revisions\":[{\"rev\":0,"
		    "\"user\":\"bob\",\"ts\":1}]}"),
		REJECT(proto_doc__decode__rejects_a_doc_text_without_text, TC_,
		    PE_BAD_FIELD, "{\"type\":\"DOC_TEXT\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"rev\":1}"),
		REJECT(proto_doc__decode__rejects_an_ack_of_revision_zero, TC_,
		    PE_BAD_FIELD, "{\"type\":\"ACK\",\"cid\":\"e\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"rev\":0}"),
		REJECT(proto_doc__decode__rejects_a_doc_op_to_a_client_without_user, TC_,
		    PE_BAD_FIELD, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\","
		    "\"rev\":2,\"op\":[1],\"ts\":1}"),

		/* bad_room */
		REJECT(proto_doc__decode__rejects_a_bad_room_in_doc_op, TS_, PE_BAD_ROOM,
		    "{\"type\":\"DOC_OP\",\"cid\":\"e\",\"room\":\"Lobby\",\"doc\":\"notes\","
		    "\"rev\":1,\"op\":[1]}"),

		/* unknown_type: server-only frames sent to a server and back */
		REJECT(proto_doc__decode__rejects_doc_state_sent_to_a_server, TS_,
		    PE_UNKNOWN_TYPE, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"rev\":1}"),
		REJECT(proto_doc__decode__rejects_doc_text_sent_to_a_server, TS_,
		    PE_UNKNOWN_TYPE, "{\"type\":\"DOC_TEXT\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"rev\":1,\"text\":\"\"}"),
		REJECT(proto_doc__decode__rejects_doc_open_sent_to_a_client, TC_,
		    PE_UNKNOWN_TYPE, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\","
		    "\"doc\":\"notes\"}"),
		REJECT(proto_doc__decode__rejects_doc_get_sent_to_a_client, TC_,
		    PE_UNKNOWN_TYPE, "{\"type\":\"DOC_GET\",\"room\":\"lobby\","
		    "\"doc\":\"notes\",\"rev\":1}"),
	};
	return cmocka_run_group_tests_name("proto_doc", tests, NULL, NULL);
}
