/*
 * store_sqlite_comments: documents' comments in the SQLite store: a
 * comment is stored with its anchor and the revision it is at, replies
 * hang on it in order, resolving, editing and moving the anchor change
 * only their fields, deleting drops the replies too, each document lists
 * only its own, and all of it survives reopening; a rollback forgets it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/store.h"
#include "store_fixture.h"

#define TS 1700000000000

struct fx {
	char dir[STORE_DIR_SIZE];
	char path[STORE_PATH_SIZE];
	struct store *s;
};

STORE_FIXTURE(STORE_FIXTURE_NOTHING)

static int64_t
doc(struct store *s, const char *name)
{
	int64_t room = -1, id = -1, head = -1;
	assert_int_equal(s->ops->room_ensure(s, "lobby", TS, &room, &head), 0);
	assert_int_equal(s->ops->doc_ensure(s, room, name, TS, &id, &head), 0);
	return id;
}

static int64_t
add(struct store *s, int64_t d, const char *user, const char *text,
    int64_t rev, int64_t start, int64_t end)
{
	struct store_comment c = {.ts = TS, .rev = rev, .start = start, .end = end,
	    .user = (char *)user, .text = (char *)text};
	int64_t id = 0;
	assert_int_equal(s->ops->comment_add(s, d, &c, &id), 0);
	assert_true(id > 0);
	return id;
}

/* The document's comments as "id:user@rev[s,e)R text{reply|reply}" with R
 * for removed and (by) when resolved. */
static void
assert_comments(struct store *s, int64_t d, const char *want)
{
	struct store_comment *v;
	size_t n;
	assert_int_equal(s->ops->comments_of(s, d, &v, &n), 0);
	char got[1024] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(got + len, sizeof got - len,
		    "%s%lld:%s@%lld[%lld,%lld)%s%s%s%s %s{", i ? " " : "",
		    (long long)v[i].id, v[i].user, (long long)v[i].rev,
		    (long long)v[i].start, (long long)v[i].end, v[i].removed ? "R" : "",
		    v[i].resolved_by ? "(" : "", v[i].resolved_by ? v[i].resolved_by : "",
		    v[i].resolved_by ? ")" : "", v[i].text);
		for (size_t j = 0; j < v[i].nreplies; j++)
			len += (size_t)snprintf(got + len, sizeof got - len, "%s%s:%s",
			    j ? "|" : "", v[i].replies[j].user, v[i].replies[j].text);
		len += (size_t)snprintf(got + len, sizeof got - len, "}");
	}
	store_comments_free(v, n);
	assert_string_equal(got, want);
}

static void
store__comments__keep_anchor_replies_and_state_across_reopening(void **state)
{
	struct fx *fx = *state;
	struct store *s = fx->s;
	int64_t d = doc(s, "notes"), e = doc(s, "other");
	assert_comments(s, d, "");
	int64_t a = add(s, d, "alice", "typo", 3, 2, 6);
	int64_t b = add(s, d, "bob", "why?", 4, 0, 0);
	int64_t c = add(s, e, "carol", "elsewhere", 1, 0, 1);
	int64_t r = 0;
	assert_int_equal(s->ops->comment_reply(s, a, "bob", TS + 1, "fixed", &r), 0);
	assert_int_equal(s->ops->comment_reply(s, a, "alice", TS + 2, "thanks", &r), 0);
	assert_int_equal(s->ops->comment_reply(s, c, "alice", TS + 2, "hm", &r), 0);
	assert_int_equal(s->ops->comment_resolve(s, a, "bob"), 0);
	assert_int_equal(s->ops->comment_edit(s, b, "why not?", TS + 3), 0);
	assert_int_equal(s->ops->comment_anchor(s, b, 9, 4, 4, true), 0);
	char want[512];
	snprintf(want, sizeof want, "%lld:alice@3[2,6)(bob) typo{bob:fixed|"
	    "alice:thanks} %lld:bob@9[4,4)R why not?{}", (long long)a, (long long)b);
	assert_comments(s, d, want);
	reopen(fx);
	s = fx->s;
	assert_comments(s, d, want);
	/* reopened, and deleted with its replies */
	assert_int_equal(s->ops->comment_resolve(s, a, NULL), 0);
	assert_int_equal(s->ops->comment_delete(s, b), 0);
	snprintf(want, sizeof want, "%lld:alice@3[2,6) typo{bob:fixed|alice:thanks}",
	    (long long)a);
	assert_comments(s, d, want);
	snprintf(want, sizeof want, "%lld:carol@1[0,1) elsewhere{alice:hm}",
	    (long long)c);
	assert_comments(s, e, want);
	assert_int_equal(s->ops->comment_delete(s, c), 0);
	assert_comments(s, e, "");
}

static void
store__comments__a_rollback_forgets_them(void **state)
{
	struct fx *fx = *state;
	struct store *s = fx->s;
	int64_t d = doc(s, "notes");
	int64_t a = add(s, d, "alice", "kept", 1, 0, 2);
	assert_int_equal(s->ops->begin(s), 0);
	add(s, d, "bob", "gone", 1, 0, 1);
	int64_t r = 0;
	assert_int_equal(s->ops->comment_reply(s, a, "bob", TS, "gone too", &r), 0);
	assert_int_equal(s->ops->comment_anchor(s, a, 5, 1, 3, false), 0);
	s->ops->rollback(s);
	char want[128];
	snprintf(want, sizeof want, "%lld:alice@1[0,2) kept{}", (long long)a);
	assert_comments(s, d, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    store__comments__keep_anchor_replies_and_state_across_reopening,
		    setup_open, teardown),
		cmocka_unit_test_setup_teardown(store__comments__a_rollback_forgets_them,
		    setup_open, teardown),
	};
	return cmocka_run_group_tests_name("store_comments", tests, NULL, NULL);
}
