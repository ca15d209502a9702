/*
 * store_sqlite_suggest: documents' suggestions and protected mode in the
 * SQLite store: an open suggestion is listed with its op at its revision,
 * moves, is found by its author's cid, leaves the open list when closed
 * (once: a closed one stays closed), and all of it, the mode too,
 * survives reopening; a rollback forgets a suggestion made in it.
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

static void
release(struct fx *fx)
{
	(void)fx;
}

STORE_FIXTURE(release)

static int64_t
doc(struct store *s)
{
	int64_t room = -1, head = -1, id = -1;
	assert_int_equal(s->ops->room_ensure(s, "lobby", TS, &room, &head), 0);
	assert_int_equal(s->ops->doc_ensure(s, room, "notes", TS, &id, &head), 0);
	return id;
}

static int64_t
add(struct store *s, int64_t d, const char *user, const char *cid, int64_t rev,
    const char *op)
{
	struct store_suggestion g = {0, (char *)user, (char *)cid, rev, (char *)op,
	    op[1] == '-' || strstr(op, ",-") != NULL, TS};
	int64_t id = 0;
	assert_int_equal(s->ops->suggestion_add(s, d, &g, &id), 0);
	assert_true(id > 0);
	return id;
}

/* The open ones as "id:user@rev:op ..." */
static void
assert_open(struct store *s, int64_t d, const char *want)
{
	struct store_suggestion *v;
	size_t n;
	assert_int_equal(s->ops->suggestions_open(s, d, &v, &n), 0);
	char got[512] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(got + len, sizeof got - len, "%s%lld:%s@%lld:%s%s",
		    i ? " " : "", (long long)v[i].id, v[i].user, (long long)v[i].rev,
		    v[i].op, v[i].deletes ? "!" : "");
	store_suggestions_free(v, n);
	assert_string_equal(got, want);
}

static void
store__suggestions__move_close_and_survive_reopening(void **state)
{
	struct fx *fx = *state;
	struct store *s = fx->s;
	int64_t d = doc(s);
	assert_open(s, d, "");
	int64_t a = add(s, d, "bob", "s1", 3, "[2,\"x\",1]");
	int64_t b = add(s, d, "carol", "s2", 3, "[1,-2]");
	char want[256];
	snprintf(want, sizeof want, "%lld:bob@3:[2,\"x\",1] %lld:carol@3:[1,-2]!",
	    (long long)a, (long long)b);
	assert_open(s, d, want);
	assert_int_equal(s->ops->suggestion_move(s, a, 4, "[3,\"x\",1]"), 0);
	int64_t found = 0;
	assert_int_equal(s->ops->suggestion_by_cid(s, d, "bob", "s1", &found), 0);
	assert_int_equal(found, a);
	assert_int_equal(s->ops->suggestion_by_cid(s, d, "carol", "s1", &found), 0);
	assert_int_equal(found, 0);
	assert_int_equal(s->ops->suggestion_close(s, b, "rejected", "alice", 4), 0);
	/* closed once: a second close changes nothing, and it stays found */
	assert_int_equal(s->ops->suggestion_close(s, b, "accepted", "bob", 5), 0);
	assert_int_equal(s->ops->suggestion_by_cid(s, d, "carol", "s2", &found), 0);
	assert_int_equal(found, b);
	reopen(fx);
	s = fx->s;
	snprintf(want, sizeof want, "%lld:bob@4:[3,\"x\",1]", (long long)a);
	assert_open(s, d, want);
}

static void
store__doc_mode__is_off_until_set_and_survives_reopening(void **state)
{
	struct fx *fx = *state;
	int64_t d = doc(fx->s);
	bool p = true;
	assert_int_equal(fx->s->ops->doc_mode_get(fx->s, d, &p), 0);
	assert_false(p);
	assert_int_equal(fx->s->ops->doc_mode_set(fx->s, d, true), 0);
	reopen(fx);
	assert_int_equal(fx->s->ops->doc_mode_get(fx->s, d, &p), 0);
	assert_true(p);
	assert_int_equal(fx->s->ops->doc_mode_set(fx->s, d, false), 0);
	assert_int_equal(fx->s->ops->doc_mode_get(fx->s, d, &p), 0);
	assert_false(p);
}

static void
store__suggestions__a_rollback_forgets_one_made_in_it(void **state)
{
	struct fx *fx = *state;
	struct store *s = fx->s;
	int64_t d = doc(s);
	assert_int_equal(s->ops->begin(s), 0);
	add(s, d, "bob", "s1", 0, "[\"x\"]");
	s->ops->rollback(s);
	assert_open(s, d, "");
	int64_t found = -1;
	assert_int_equal(s->ops->suggestion_by_cid(s, d, "bob", "s1", &found), 0);
	assert_int_equal(found, 0);
}

#define OPEN(f) cmocka_unit_test_setup_teardown(f, setup_open, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		OPEN(store__suggestions__move_close_and_survive_reopening),
		OPEN(store__doc_mode__is_off_until_set_and_survives_reopening),
		OPEN(store__suggestions__a_rollback_forgets_one_made_in_it),
	};
	return cmocka_run_group_tests_name("store_suggest", tests, NULL, NULL);
}
