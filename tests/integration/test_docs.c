/*
 * confabd's shared documents over real sockets: concurrent edits converge,
 * ACKed revisions survive a crash, a resent op applies once, bad requests
 * change nothing, cursors follow the text, and every old revision can be
 * read back.
 */
#include <signal.h>

#include "common.h"
#include "docclient.h"

#define ROOM "lobby"
#define DOC "notes"

/* ---- helpers ------------------------------------------------------------- */

static struct tc *
login_joined(const struct srv *s, const char *user)
{
	struct tc *c = it_login(s, user);
	it_join_quiet(c, ROOM);
	return c;
}

/* DOC_OPEN (since < 0: without since) and the DOC_STATE answer. */
static cJSON *
doc_open(struct tc *c, long long since)
{
	if (since < 0)
		tc_sendf(c, "{\"type\":\"DOC_OPEN\",\"room\":\"" ROOM "\",\"doc\":\"" DOC "\"}");
	else
		tc_sendf(c, "{\"type\":\"DOC_OPEN\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
		    "\",\"since\":%lld}", since);
	cJSON *st = tc_expect(c, "DOC_STATE", T);
	assert_non_null(st);
	return st;
}

static void
send_op(struct tc *c, const char *cid, long long rev, const char *op)
{
	tc_sendf(c, "{\"type\":\"DOC_OP\",\"cid\":\"%s\",\"room\":\"" ROOM "\","
	    "\"doc\":\"" DOC "\",\"rev\":%lld,\"op\":%s}", cid, rev, op);
}

/* Sends an op and returns the revision its ACK names. */
static long long
edit(struct tc *c, const char *cid, long long rev, const char *op)
{
	send_op(c, cid, rev, op);
	cJSON *a = tc_expect_field(c, "ACK", "cid", cid, T);
	assert_non_null(a);
	assert_string_equal(tc_str(a, "doc"), DOC);
	assert_string_equal(tc_str(a, "room"), ROOM);
	long long r = tc_int(a, "rev");
	cJSON_Delete(a);
	return r;
}

/* The text at rev (DOC_GET); free() it. */
static char *
doc_get(struct tc *c, long long rev)
{
	tc_sendf(c, "{\"type\":\"DOC_GET\",\"room\":\"" ROOM "\",\"doc\":\"" DOC "\","
	    "\"rev\":%lld,\"cid\":\"g%lld\"}", rev, rev);
	cJSON *t = tc_expect(c, "DOC_TEXT", T);
	assert_non_null(t);
	assert_int_equal(tc_int(t, "rev"), rev);
	char *text = strdup(tc_str(t, "text"));
	cJSON_Delete(t);
	return text;
}

static void
assert_text_at(struct tc *c, long long rev, const char *want)
{
	char *got = doc_get(c, rev);
	if (strcmp(got, want) != 0) {
		print_error("revision %lld: want \"%s\", got \"%s\"\n", rev, want, got);
		free(got);
		fail();
	}
	free(got);
}

/* The newest revision, from DOC_HISTORY. */
static long long
doc_head(struct tc *c)
{
	tc_send(c, "{\"type\":\"DOC_HISTORY\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"limit\":1}");
	cJSON *h = tc_expect(c, "DOC_HISTORY", T);
	assert_non_null(h);
	const cJSON *revs = cJSON_GetObjectItem(h, "revisions");
	long long head = cJSON_GetArraySize(revs) ? tc_int(cJSON_GetArrayItem(revs, 0),
	    "rev") : 0;
	cJSON_Delete(h);
	return head;
}

/* A pseudo-random edit of the client's text: an insert (sometimes of
 * characters outside ASCII) or a delete, at a random place. */
static void
random_edit(struct dc *d, unsigned *seed)
{
	static const char *const words[] = {"a", "bc", "\xc3\xa9", "d\xe2\x82\xac", "xyz"};
	*seed = *seed * 1103515245u + 12345u;
	size_t len = dc_length(d), pos = len ? (*seed >> 8) % (len + 1) : 0;
	struct ot_op op = OT_OP_INIT;
	assert_int_equal(ot_retain(&op, pos), OT_OK);
	if (len > pos + 2 && (*seed >> 4) % 3 == 0) {
		size_t n = 1 + (*seed >> 12) % 2;
		assert_int_equal(ot_delete(&op, n), OT_OK);
		assert_int_equal(ot_retain(&op, len - pos - n), OT_OK);
	} else {
		const char *w = words[(*seed >> 16) % 5];
		assert_int_equal(ot_insert(&op, w, strlen(w)), OT_OK);
		assert_int_equal(ot_retain(&op, len - pos), OT_OK);
	}
	dc_local(d, &op);
}

/* ---- editing together ---------------------------------------------------- */

static void
an_op_is_acked_with_the_next_revision_and_sent_to_the_other_viewers(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = login_joined(s, "alice"), *bob = login_joined(s, "bob");
	cJSON *st = doc_open(alice, -1);
	assert_int_equal(tc_int(st, "rev"), 0);
	assert_string_equal(tc_str(st, "text"), "");
	cJSON_Delete(st);
	cJSON_Delete(doc_open(bob, -1));

	assert_int_equal(edit(alice, "e1", 0, "[\"h\\u00e9llo\"]"), 1);
	cJSON *op = tc_expect(bob, "DOC_OP", T);
	assert_non_null(op);
	assert_int_equal(tc_int(op, "rev"), 1);
	assert_string_equal(tc_str(op, "user"), "alice");
	assert_string_equal(tc_str(op, "cid"), "e1");
	assert_true(tc_int(op, "ts") > 0);
	char *json = cJSON_PrintUnformatted(cJSON_GetObjectItem(op, "op"));
	assert_string_equal(json, "[\"h\xc3\xa9llo\"]");
	free(json);
	cJSON_Delete(op);
	assert_true(tc_quiet(alice, "DOC_OP", 200)); /* the sender has its ACK */

	/* bob's op made on revision 0 is transformed past alice's */
	assert_int_equal(edit(bob, "b1", 0, "[\"> \"]"), 2);
	op = tc_expect(alice, "DOC_OP", T);
	json = cJSON_PrintUnformatted(cJSON_GetObjectItem(op, "op"));
	assert_string_equal(json, "[5,\"> \"]");
	free(json);
	cJSON_Delete(op);
	assert_text_at(alice, 2, "h\xc3\xa9llo> ");
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
two_clients_editing_concurrently_converge_to_the_server_text(void **state)
{
	(void)state;
	enum { ROUNDS = 120 };
	struct srv *s = it_start(NULL);
	struct tc *ca = login_joined(s, "alice"), *cb = login_joined(s, "bob");
	cJSON_Delete(doc_open(ca, -1));
	cJSON_Delete(doc_open(cb, -1));
	struct dc a, b;
	dc_init(&a, ca, ROOM, DOC, "a", "", 0);
	dc_init(&b, cb, ROOM, DOC, "b", "", 0);
	unsigned sa = 1, sb = 2;
	for (int i = 0; i < ROUNDS; i++) {
		/* both edit before either hears of the other's edit */
		random_edit(&a, &sa);
		random_edit(&b, &sb);
		if (i % 3 == 0) {
			random_edit(&a, &sa);
			random_edit(&b, &sb);
		}
		dc_poll(&a, i % 4 == 0 ? 5 : 0);
		dc_poll(&b, 0);
	}
	for (int i = 0; i < 400 && !(dc_synced(&a) && dc_synced(&b) && a.rev == b.rev);
	    i++) {
		dc_poll(&a, 10);
		dc_poll(&b, 10);
	}
	assert_true(dc_synced(&a) && dc_synced(&b));
	assert_int_equal(a.rev, b.rev);
	assert_true(a.transformed > 0 || b.transformed > 0);
	assert_string_equal(a.text, b.text);
	assert_int_equal(doc_head(ca), a.rev);
	assert_text_at(ca, a.rev, a.text);

	/* a third viewer opening now gets the same text at the same head */
	struct tc *carol = login_joined(s, "carol");
	cJSON *st = doc_open(carol, -1);
	assert_int_equal(tc_int(st, "rev"), a.rev);
	assert_string_equal(tc_str(st, "text"), a.text);
	cJSON_Delete(st);
	dc_free(&a);
	dc_free(&b);
	tc_free(ca);
	tc_free(cb);
	tc_free(carol);
	it_stop(s);
}

/* ---- durability and reconnects ------------------------------------------- */

static void
acked_revisions_survive_kill_9_and_the_head_continues(void **state)
{
	(void)state;
	enum { N = 150 };
	struct srv *s = it_start(NULL);
	struct tc *alice = login_joined(s, "alice");
	cJSON_Delete(doc_open(alice, -1));
	struct dc d;
	dc_init(&d, alice, ROOM, DOC, "k", "", 0);
	char *texts[N + 1] = {strdup("")};
	unsigned seed = 7;
	for (int rev = 1; rev <= N; rev++) {
		random_edit(&d, &seed);
		while (!dc_synced(&d))
			dc_poll(&d, T);
		assert_int_equal(d.rev, rev);
		texts[rev] = strdup(d.text);
	}
	srv_stop(s, SIGKILL);
	tc_free(alice);
	assert_true(srv_restart(s));

	alice = login_joined(s, "alice");
	cJSON *st = doc_open(alice, -1);
	assert_int_equal(tc_int(st, "rev"), N);
	assert_string_equal(tc_str(st, "text"), texts[N]);
	cJSON_Delete(st);
	for (int rev = 0; rev <= N; rev++)
		assert_text_at(alice, rev, texts[rev]);
	/* a resend from before the crash is recognised */
	send_op(alice, "k1", 0, "[\"late\"]");
	cJSON *a = tc_expect_field(alice, "ACK", "cid", "k1", T);
	assert_int_equal(tc_int(a, "rev"), 1);
	cJSON_Delete(a);
	char insert[64];
	snprintf(insert, sizeof insert, "[\"!\",%zu]",
	    utf8_count(texts[N], strlen(texts[N])));
	assert_int_equal(edit(alice, "after", N, insert), N + 1);
	for (int rev = 0; rev <= N; rev++)
		free(texts[rev]);
	dc_free(&d);
	tc_free(alice);
	it_stop(s);
}

static void
an_op_resent_after_a_reconnect_with_its_cid_and_base_rev_applies_once(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = login_joined(s, "alice"), *bob = login_joined(s, "bob");
	cJSON_Delete(doc_open(alice, -1));
	cJSON_Delete(doc_open(bob, -1));
	assert_int_equal(edit(alice, "a1", 0, "[\"abc\"]"), 1);
	assert_int_equal(edit(alice, "a2", 1, "[3,\"def\"]"), 2);

	/* alice's op reaches the server, its ACK never reaches her */
	send_op(alice, "x1", 2, "[\"X\",6]");
	cJSON *seen = tc_expect_field(bob, "DOC_OP", "cid", "x1", T);
	assert_int_equal(tc_int(seen, "rev"), 3);
	cJSON_Delete(seen);
	tc_free(alice);
	tc_drain(bob);
	/* meanwhile bob edits */
	assert_int_equal(edit(bob, "b1", 3, "[7,\"!\"]"), 4);

	alice = login_joined(s, "alice");
	tc_send(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"since\":2}");
	cJSON *r3 = tc_expect(alice, "DOC_OP", T);
	assert_int_equal(tc_int(r3, "rev"), 3);
	assert_string_equal(tc_str(r3, "cid"), "x1"); /* her own: the lost ACK */
	assert_string_equal(tc_str(r3, "user"), "alice");
	cJSON_Delete(r3);
	cJSON *r4 = tc_expect(alice, "DOC_OP", T);
	assert_int_equal(tc_int(r4, "rev"), 4);
	assert_string_equal(tc_str(r4, "cid"), "b1");
	cJSON_Delete(r4);
	cJSON *st = tc_expect(alice, "DOC_STATE", T);
	assert_int_equal(tc_int(st, "rev"), 4);
	assert_null(cJSON_GetObjectItem(st, "text"));
	cJSON_Delete(st);

	/* the outbox resends anyway, as first sent */
	send_op(alice, "x1", 2, "[\"X\",6]");
	cJSON *a = tc_expect_field(alice, "ACK", "cid", "x1", T);
	assert_int_equal(tc_int(a, "rev"), 3);
	cJSON_Delete(a);
	assert_true(tc_quiet(bob, "DOC_OP", 300));
	assert_int_equal(doc_head(alice), 4);
	assert_text_at(alice, 4, "Xabcdef!");

	/* an op of hers the server never got, made on revision 2: applied once */
	assert_int_equal(edit(alice, "x2", 2, "[6,\"?\"]"), 5);
	assert_text_at(alice, 5, "Xabcdef!?"); /* bob's "!" was first */
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

/* ---- bad requests -------------------------------------------------------- */

/* Sends a request that must be refused with code, and checks that the
 * document still has head revisions and text. */
static void
refused(struct tc *c, const char *json, const char *code, const char *cid,
    long long head, const char *text)
{
	tc_send(c, json);
	it_expect_error(c, code, cid);
	assert_int_equal(doc_head(c), head);
	assert_text_at(c, head, text);
}

static void
bad_operations_get_their_error_and_change_nothing(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--max-doc", "12", NULL};
	struct srv *s = it_start(opts);
	struct tc *alice = login_joined(s, "alice"), *bob = login_joined(s, "bob");
	cJSON_Delete(doc_open(alice, -1));
	cJSON_Delete(doc_open(bob, -1));
	assert_int_equal(edit(alice, "e1", 0, "[\"hello\"]"), 1);
	tc_drain(bob);

#define OPF(cid, rev, op) "{\"type\":\"DOC_OP\",\"cid\":\"" cid "\",\"room\":\"" ROOM \
	"\",\"doc\":\"" DOC "\",\"rev\":" #rev ",\"op\":" op "}"
	refused(alice, OPF("m1", 1, "\"hello\""), "bad_op", "m1", 1, "hello");
	refused(alice, OPF("m2", 1, "[5,0]"), "bad_op", "m2", 1, "hello");
	refused(alice, OPF("m3", 1, "[2,2,1]"), "bad_op", "m3", 1, "hello");
	refused(alice, OPF("m4", 1, "[5,\"\\u0000\"]"), "bad_json", NULL, 1, "hello");
	refused(alice, OPF("l1", 1, "[4,\"!\"]"), "bad_op", "l1", 1, "hello");
	refused(alice, OPF("l2", 1, "[6,\"!\"]"), "bad_op", "l2", 1, "hello");
	refused(alice, OPF("l3", 0, "[5,\"!\"]"), "bad_op", "l3", 1, "hello");
	refused(alice, OPF("r1", 2, "[5,\"!\"]"), "bad_rev", "r1", 1, "hello");
	refused(alice, OPF("t1", 1, "[5,\"12345678\"]"), "too_large", "t1", 1, "hello");
	assert_true(tc_quiet(bob, "DOC_OP", 200));
	/* a refused cid is free for a good op */
	assert_int_equal(edit(alice, "l1", 1, "[5,\"!\"]"), 2);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
a_revision_older_than_the_transform_log_is_refused(void **state)
{
	(void)state;
	static const char *const opts[] = {"--rate", "0", "--doc-log", "3", NULL};
	struct srv *s = it_start(opts);
	struct tc *alice = login_joined(s, "alice");
	cJSON_Delete(doc_open(alice, -1));
	for (int rev = 0; rev < 6; rev++) {
		char cid[8], op[32];
		snprintf(cid, sizeof cid, "e%d", rev);
		if (rev == 0)
			snprintf(op, sizeof op, "[\"x\"]");
		else
			snprintf(op, sizeof op, "[%d,\"x\"]", rev);
		assert_int_equal(edit(alice, cid, rev, op), rev + 1);
	}
	refused(alice, OPF("old", 2, "[2,\"y\"]"), "rev_too_old", "old", 6, "xxxxxx");
	/* the oldest kept base still works: 3 revisions back */
	assert_int_equal(edit(alice, "ok", 3, "[\"y\",3]"), 7);
	tc_send(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"since\":1}");
	it_expect_error(alice, "rev_too_old", NULL);
	tc_send(alice, "{\"type\":\"DOC_OPEN\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"since\":8}");
	it_expect_error(alice, "bad_rev", NULL);
	tc_free(alice);
	it_stop(s);
}

static void
document_requests_need_the_room_joined_and_the_document_open(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = login_joined(s, "alice"), *bob = it_login(s, "bob");
	refused(alice, OPF("n1", 0, "[\"x\"]"), "not_open", "n1", 0, "");
	tc_send(alice, "{\"type\":\"CURSOR\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"rev\":0,\"sel\":[0,0]}");
	it_expect_error(alice, "not_open", NULL);
	tc_send(alice, "{\"type\":\"DOC_CLOSE\",\"room\":\"" ROOM "\",\"doc\":\"" DOC "\"}");
	it_expect_error(alice, "not_open", NULL);

	static const char *const not_joined[] = {
		OPF("j1", 0, "[\"x\"]"),
		"{\"type\":\"DOC_OPEN\",\"room\":\"" ROOM "\",\"doc\":\"" DOC "\"}",
		"{\"type\":\"DOC_GET\",\"room\":\"" ROOM "\",\"doc\":\"" DOC "\",\"rev\":0}",
		"{\"type\":\"DOC_HISTORY\",\"room\":\"" ROOM "\",\"doc\":\"" DOC "\"}",
		"{\"type\":\"CURSOR\",\"room\":\"" ROOM "\",\"doc\":\"" DOC "\",\"rev\":0}",
	};
	for (size_t i = 0; i < sizeof not_joined / sizeof *not_joined; i++) {
		tc_send(bob, not_joined[i]);
		it_expect_error(bob, "not_joined", NULL);
	}
	/* having the document open in a room left is not enough either */
	cJSON_Delete(doc_open(alice, -1));
	tc_send(alice, "{\"type\":\"LEAVE\",\"room\":\"" ROOM "\"}");
	tc_send(alice, OPF("j2", 0, "[\"x\"]"));
	it_expect_error(alice, "not_joined", "j2");
	it_join_quiet(alice, ROOM);
	refused(alice, OPF("n2", 0, "[\"x\"]"), "not_open", "n2", 0, "");
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

/* ---- cursors ------------------------------------------------------------- */

static const cJSON *
sel_of(const cJSON *f)
{
	return cJSON_GetObjectItem(f, "sel");
}

static void
assert_sel(const cJSON *sel, long long anchor, long long head)
{
	assert_true(cJSON_IsArray(sel));
	assert_int_equal(cJSON_GetArrayItem(sel, 0)->valuedouble, anchor);
	assert_int_equal(cJSON_GetArrayItem(sel, 1)->valuedouble, head);
}

static void
cursors_are_broadcast_moved_by_later_ops_and_dropped_on_close_and_disconnect(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = login_joined(s, "alice"), *bob = login_joined(s, "bob");
	cJSON_Delete(doc_open(alice, -1));
	cJSON_Delete(doc_open(bob, -1));
	assert_int_equal(edit(alice, "e1", 0, "[\"abcdef\"]"), 1);
	tc_drain(bob);

	tc_send(bob, "{\"type\":\"CURSOR\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"rev\":1,\"sel\":[2,4]}");
	cJSON *c = tc_expect(alice, "CURSOR", T);
	assert_non_null(c);
	assert_string_equal(tc_str(c, "user"), "bob");
	assert_non_null(tc_str(c, "session"));
	assert_int_equal(tc_int(c, "rev"), 1);
	assert_sel(sel_of(c), 2, 4);
	char bob_session[24];
	snprintf(bob_session, sizeof bob_session, "%s", tc_str(c, "session"));
	cJSON_Delete(c);
	assert_true(tc_quiet(bob, "CURSOR", 200));

	/* alice inserts before it; a cursor sent on an older revision moves too */
	assert_int_equal(edit(alice, "e2", 1, "[\"XY\",6]"), 2);
	tc_send(alice, "{\"type\":\"CURSOR\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"rev\":1,\"sel\":[6,6]}");
	c = tc_expect(bob, "CURSOR", T);
	assert_int_equal(tc_int(c, "rev"), 2);
	assert_sel(sel_of(c), 8, 8);
	cJSON_Delete(c);
	tc_send(alice, "{\"type\":\"CURSOR\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"rev\":2,\"sel\":[9,9]}");
	it_expect_error(alice, "bad_field", NULL);

	struct tc *carol = login_joined(s, "carol");
	cJSON *st = doc_open(carol, -1);
	const cJSON *cur = cJSON_GetObjectItem(st, "cursors");
	assert_int_equal(cJSON_GetArraySize(cur), 2);
	bool seen_bob = false;
	const cJSON *e;
	cJSON_ArrayForEach(e, cur) {
		if (strcmp(tc_str(e, "user"), "bob") == 0) {
			seen_bob = true;
			assert_string_equal(tc_str(e, "session"), bob_session);
			assert_sel(sel_of(e), 4, 6);
		} else {
			assert_sel(sel_of(e), 8, 8);
		}
	}
	assert_true(seen_bob);
	cJSON_Delete(st);

	/* bob goes: the others see his cursor dropped */
	tc_free(bob);
	c = tc_expect_field(carol, "CURSOR", "user", "bob", T);
	assert_non_null(c);
	assert_true(cJSON_IsNull(sel_of(c)));
	cJSON_Delete(c);
	c = tc_expect_field(alice, "CURSOR", "user", "bob", T);
	assert_true(cJSON_IsNull(sel_of(c)));
	cJSON_Delete(c);
	/* alice closes: carol sees hers dropped, and alice gets no more ops */
	tc_send(alice, "{\"type\":\"DOC_CLOSE\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"cid\":\"c1\"}");
	cJSON *a = tc_expect_field(alice, "ACK", "cid", "c1", T);
	assert_non_null(a);
	cJSON_Delete(a);
	c = tc_expect_field(carol, "CURSOR", "user", "alice", T);
	assert_true(cJSON_IsNull(sel_of(c)));
	cJSON_Delete(c);
	assert_int_equal(edit(carol, "c1", 2, "[8,\"!\"]"), 3);
	assert_true(tc_quiet(alice, "DOC_OP", 200));
	tc_free(alice);
	tc_free(carol);
	it_stop(s);
}

/* ---- history ------------------------------------------------------------- */

static void
doc_history_lists_revisions_with_author_and_time(void **state)
{
	(void)state;
	struct srv *s = it_start(NULL);
	struct tc *alice = login_joined(s, "alice"), *bob = login_joined(s, "bob");
	cJSON_Delete(doc_open(alice, -1));
	cJSON_Delete(doc_open(bob, -1));
	const char *who[] = {"alice", "alice", "bob", "alice", "bob"};
	for (int rev = 0; rev < 5; rev++) {
		char cid[8], op[32];
		snprintf(cid, sizeof cid, "h%d", rev);
		if (rev == 0)
			snprintf(op, sizeof op, "[\"x\"]");
		else
			snprintf(op, sizeof op, "[%d,\"x\"]", rev);
		assert_int_equal(edit(who[rev][0] == 'a' ? alice : bob, cid, rev, op),
		    rev + 1);
	}
	tc_send(bob, "{\"type\":\"DOC_HISTORY\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"cid\":\"q1\"}");
	cJSON *h = tc_expect_field(bob, "DOC_HISTORY", "cid", "q1", T);
	const cJSON *revs = cJSON_GetObjectItem(h, "revisions");
	assert_int_equal(cJSON_GetArraySize(revs), 5);
	for (int i = 0; i < 5; i++) {
		const cJSON *r = cJSON_GetArrayItem(revs, i);
		assert_int_equal(tc_int(r, "rev"), i + 1);
		assert_string_equal(tc_str(r, "user"), who[i]);
		assert_true(tc_int(r, "ts") > 1700000000000LL);
	}
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(h, "more")));
	cJSON_Delete(h);

	tc_send(bob, "{\"type\":\"DOC_HISTORY\",\"room\":\"" ROOM "\",\"doc\":\"" DOC
	    "\",\"before\":5,\"limit\":2}");
	h = tc_expect(bob, "DOC_HISTORY", T);
	revs = cJSON_GetObjectItem(h, "revisions");
	assert_int_equal(cJSON_GetArraySize(revs), 2);
	assert_int_equal(tc_int(cJSON_GetArrayItem(revs, 0), "rev"), 3);
	assert_int_equal(tc_int(cJSON_GetArrayItem(revs, 1), "rev"), 4);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(h, "more")));
	cJSON_Delete(h);

	/* a document nobody opened has no history and only revision 0 */
	tc_send(bob, "{\"type\":\"DOC_HISTORY\",\"room\":\"" ROOM "\",\"doc\":\"other\"}");
	h = tc_expect(bob, "DOC_HISTORY", T);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(h, "revisions")), 0);
	cJSON_Delete(h);
	tc_send(bob, "{\"type\":\"DOC_GET\",\"room\":\"" ROOM "\",\"doc\":\"other\","
	    "\"rev\":1}");
	it_expect_error(bob, "bad_rev", NULL);
	tc_free(alice);
	tc_free(bob);
	it_stop(s);
}

static void
doc_get_rebuilds_old_revisions_across_snapshot_boundaries(void **state)
{
	(void)state;
	enum { N = 250 };
	struct srv *s = it_start(NULL);
	struct tc *alice = login_joined(s, "alice");
	cJSON_Delete(doc_open(alice, -1));
	/* revision n is the digits of 1..n, last digits only */
	char text[N + 1] = "";
	for (int rev = 0; rev < N; rev++) {
		char cid[8], op[32];
		snprintf(cid, sizeof cid, "s%d", rev);
		if (rev == 0)
			snprintf(op, sizeof op, "[\"1\"]");
		else
			snprintf(op, sizeof op, "[%d,\"%d\"]", rev, (rev + 1) % 10);
		assert_int_equal(edit(alice, cid, rev, op), rev + 1);
	}
	for (int i = 0; i < N; i++)
		text[i] = (char)('0' + (i + 1) % 10);
	static const int revs[] = {0, 1, 42, 99, 100, 101, 150, 199, 200, 201, 249, 250};
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof revs / sizeof *revs; i++) {
			char want[N + 1];
			memcpy(want, text, (size_t)revs[i]);
			want[revs[i]] = '\0';
			assert_text_at(alice, revs[i], want);
		}
		/* the second pass reads a document nobody has open */
		if (pass == 0)
			tc_send(alice, "{\"type\":\"DOC_CLOSE\",\"room\":\"" ROOM
			    "\",\"doc\":\"" DOC "\"}");
	}
	tc_send(alice, "{\"type\":\"DOC_GET\",\"room\":\"" ROOM "\",\"doc\":\"" DOC "\","
	    "\"rev\":251}");
	it_expect_error(alice, "bad_rev", NULL);
	tc_free(alice);
	it_stop(s);
}

static void
welcome_says_the_longest_document_the_server_keeps(void **state)
{
	(void)state;
	static const char *const opts[] = {"--max-doc", "12", NULL};
	struct srv *s = it_start(opts);
	struct tc *c = tc_connect(s->port, NULL);
	assert_non_null(c);
	tc_send(c, "{\"type\":\"HELLO\",\"user\":\"alice\"}");
	cJSON *w = tc_expect(c, "WELCOME", T);
	assert_non_null(w);
	const cJSON *l = cJSON_GetObjectItem(w, "limits");
	assert_int_equal(cJSON_GetObjectItem(l, "max_doc")->valueint, 12);
	cJSON_Delete(w);
	tc_free(c);
	it_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		IT_TEST(welcome_says_the_longest_document_the_server_keeps),
		IT_TEST(an_op_is_acked_with_the_next_revision_and_sent_to_the_other_viewers),
		IT_TEST(two_clients_editing_concurrently_converge_to_the_server_text),
		IT_TEST(acked_revisions_survive_kill_9_and_the_head_continues),
		IT_TEST(an_op_resent_after_a_reconnect_with_its_cid_and_base_rev_applies_once),
		IT_TEST(bad_operations_get_their_error_and_change_nothing),
		IT_TEST(a_revision_older_than_the_transform_log_is_refused),
		IT_TEST(document_requests_need_the_room_joined_and_the_document_open),
		IT_TEST(cursors_are_broadcast_moved_by_later_ops_and_dropped_on_close_and_disconnect),
		IT_TEST(doc_history_lists_revisions_with_author_and_time),
		IT_TEST(doc_get_rebuilds_old_revisions_across_snapshot_boundaries),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tc_shutdown();
	return rc;
}
