/* The outbox: what it keeps across restarts, and how it survives damage. */
#define _GNU_SOURCE /* nftw, mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/outbox.h"

struct fixture {
	char dir[64];
	char path[128]; /* dir/state/confab/outbox.jsonl: parents not there yet */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/confab-outbox-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/state/confab/outbox.jsonl", f->dir);
	*state = f;
	return 0;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct outbox *
open_ok(const char *path)
{
	char err[256] = "";
	struct outbox *o = outbox_open(path, err, sizeof err);
	if (o == NULL)
		fail_msg("outbox_open: %s", err);
	return o;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char *const frames[] = {
	"{\"type\":\"MESSAGE\",\"cid\":\"c1\",\"room\":\"lobby\",\"text\":\"hi\"}",
	"{\"type\":\"MESSAGE\",\"cid\":\"c2\",\"room\":\"lobby\",\"text\":\"caf\xc3\xa9 \\\"quoted\\\"\\n\"}",
	"{\"type\":\"LEAVE\",\"cid\":\"c3\",\"room\":\"dev\"}",
};

static void
outbox__keeps_entries_in_order_across_a_reopen(void **state)
{
	struct fixture *f = *state;
	struct outbox *o = open_ok(f->path);
	assert_int_equal(o->n, 0);
	assert_true(outbox_add(o, "c1", frames[0]));
	assert_true(outbox_add(o, "c2", frames[1]));
	assert_true(outbox_add(o, "c3", frames[2]));
	outbox_free(o);

	o = open_ok(f->path);
	assert_int_equal(o->n, 3);
	assert_int_equal(o->skipped, 0);
	const char *cids[] = {"c1", "c2", "c3"};
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(o->v[i].cid, cids[i]);
		assert_string_equal(o->v[i].frame, frames[i]);
	}
	assert_non_null(outbox_find(o, "c2"));
	assert_string_equal(outbox_find(o, "c2")->frame, frames[1]);
	assert_null(outbox_find(o, "nope"));
	outbox_free(o);
}

static void
outbox__normalises_a_frame_so_memory_matches_the_file(void **state)
{
	struct fixture *f = *state;
	struct outbox *o = open_ok(f->path);
	assert_true(outbox_add(o, "c1", "{ \"type\" : \"MESSAGE\",\n \"text\": \"a\" }"));
	assert_string_equal(o->v[0].frame, "{\"type\":\"MESSAGE\",\"text\":\"a\"}");
	outbox_free(o);
	o = open_ok(f->path);
	assert_string_equal(o->v[0].frame, "{\"type\":\"MESSAGE\",\"text\":\"a\"}");
	outbox_free(o);
}

static void
outbox__remove_persists(void **state)
{
	struct fixture *f = *state;
	struct outbox *o = open_ok(f->path);
	assert_true(outbox_add(o, "c1", frames[0]));
	assert_true(outbox_add(o, "c2", frames[1]));
	assert_true(outbox_add(o, "c3", frames[2]));
	assert_true(outbox_remove(o, "c2"));
	assert_false(outbox_remove(o, "c2"));
	assert_int_equal(o->n, 2);
	outbox_free(o);

	o = open_ok(f->path);
	assert_int_equal(o->n, 2);
	assert_string_equal(o->v[0].cid, "c1");
	assert_string_equal(o->v[1].cid, "c3");
	assert_true(outbox_remove(o, "c1"));
	assert_true(outbox_remove(o, "c3"));
	outbox_free(o);

	o = open_ok(f->path);
	assert_int_equal(o->n, 0);
	outbox_free(o);
}

static void
outbox__refuses_a_duplicate_cid(void **state)
{
	struct fixture *f = *state;
	struct outbox *o = open_ok(f->path);
	assert_true(outbox_add(o, "c1", frames[0]));
	assert_false(outbox_add(o, "c1", frames[1]));
	assert_int_equal(o->n, 1);
	assert_string_equal(o->v[0].frame, frames[0]);
	outbox_free(o);
	o = open_ok(f->path);
	assert_int_equal(o->n, 1);
	outbox_free(o);
}

static void
outbox__refuses_a_bad_cid_or_a_frame_that_is_not_an_object(void **state)
{
	struct fixture *f = *state;
	struct outbox *o = open_ok(f->path);
	assert_false(outbox_add(o, "", frames[0]));
	assert_false(outbox_add(o, "has space", frames[0]));
	assert_false(outbox_add(o, "c1", "not json"));
	assert_false(outbox_add(o, "c1", "[1,2]"));
	assert_int_equal(o->n, 0);
	outbox_free(o);
}

static void
outbox__keeps_good_lines_of_a_damaged_file_and_counts_the_rest(void **state)
{
	struct fixture *f = *state;
	struct outbox *o = open_ok(f->path); /* creates the directory */
	outbox_free(o);
	write_file(f->path,
	    "{\"cid\":\"a\",\"frame\":{\"type\":\"MESSAGE\",\"text\":\"1\"}}\n"
	    "garbage \x01\xff line\n"
	    "\n"
	    "{\"cid\":\"b\",\"frame\":{\"type\":\"MESSAGE\",\"text\":\"2\"}}\r\n"
	    "{\"cid\":\"nofr\"}\n"                         /* valid JSON, no frame */
	    "{\"frame\":{\"type\":\"X\"}}\n"               /* no cid */
	    "{\"cid\":7,\"frame\":{}}\n"                   /* cid not a string */
	    "{\"cid\":\"s\",\"frame\":\"text\"}\n"         /* frame not an object */
	    "[1,2,3]\n"
	    "{\"cid\":\"a\",\"frame\":{\"type\":\"DUP\"}}\n" /* a second "a" */
	    "{\"cid\":\"c\",\"frame\":{\"type\":\"MESSAGE\",\"text\":\"3\"}}\n"
	    "{\"cid\":\"d\",\"frame\":{\"type\":\"MESS");   /* cut short */
	o = open_ok(f->path);
	assert_int_equal(o->n, 3);
	assert_string_equal(o->v[0].cid, "a");
	assert_string_equal(o->v[0].frame, "{\"type\":\"MESSAGE\",\"text\":\"1\"}");
	assert_string_equal(o->v[1].cid, "b");
	assert_string_equal(o->v[2].cid, "c");
	assert_int_equal(o->skipped, 8);

	/* The next change writes a clean file. */
	assert_true(outbox_add(o, "e", frames[0]));
	outbox_free(o);
	o = open_ok(f->path);
	assert_int_equal(o->n, 4);
	assert_int_equal(o->skipped, 0);
	outbox_free(o);
}

static void
outbox__keeps_a_complete_last_line_without_its_newline(void **state)
{
	struct fixture *f = *state;
	outbox_free(open_ok(f->path));
	write_file(f->path, "{\"cid\":\"a\",\"frame\":{\"type\":\"MESSAGE\"}}");
	struct outbox *o = open_ok(f->path);
	assert_int_equal(o->n, 1);
	assert_int_equal(o->skipped, 0);
	outbox_free(o);
}

static void
outbox__reports_a_location_it_cannot_create(void **state)
{
	struct fixture *f = *state;
	char file[160], path[200], err[256] = "";
	snprintf(file, sizeof file, "%s/plainfile", f->dir);
	write_file(file, "x");
	snprintf(path, sizeof path, "%s/sub/outbox.jsonl", file);
	assert_null(outbox_open(path, err, sizeof err));
	assert_non_null(strstr(err, "directory"));

	assert_null(outbox_open(f->dir, err, sizeof err)); /* a directory */
	assert_true(err[0] != '\0');
	assert_null(outbox_open("", err, sizeof err));
}

static void
outbox__a_failed_write_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct outbox *o = open_ok(f->path);
	assert_true(outbox_add(o, "c1", frames[0]));
	/* Take the directory away: no temporary file can be made any more,
	 * whoever runs the test (root ignores permissions). */
	char dir[160];
	snprintf(dir, sizeof dir, "%s/state/confab", f->dir);
	char moved[170];
	snprintf(moved, sizeof moved, "%s/gone", f->dir);
	assert_int_equal(rename(dir, moved), 0);

	assert_false(outbox_add(o, "c2", frames[1]));
	assert_int_equal(o->n, 1);
	assert_null(outbox_find(o, "c2"));
	assert_false(outbox_remove(o, "c1"));
	assert_int_equal(o->n, 1);
	assert_non_null(outbox_find(o, "c1"));
	outbox_free(o);
}

static int
cmp_cid(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
outbox__new_cids_are_16_lowercase_alphanumerics_and_unique(void **state)
{
	(void)state;
	enum { N = 10000 };
	char(*cids)[17] = malloc(N * sizeof *cids);
	assert_non_null(cids);
	for (size_t i = 0; i < N; i++) {
		outbox_new_cid(cids[i]);
		assert_int_equal(strlen(cids[i]), 16);
		for (size_t k = 0; k < 16; k++)
			assert_true((cids[i][k] >= 'a' && cids[i][k] <= 'z')
			    || (cids[i][k] >= '0' && cids[i][k] <= '9'));
	}
	qsort(cids, N, sizeof *cids, cmp_cid);
	for (size_t i = 1; i < N; i++)
		assert_string_not_equal(cids[i - 1], cids[i]);
	free(cids);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(outbox__keeps_entries_in_order_across_a_reopen),
		T(outbox__normalises_a_frame_so_memory_matches_the_file),
		T(outbox__remove_persists),
		T(outbox__refuses_a_duplicate_cid),
		T(outbox__refuses_a_bad_cid_or_a_frame_that_is_not_an_object),
		T(outbox__keeps_good_lines_of_a_damaged_file_and_counts_the_rest),
		T(outbox__keeps_a_complete_last_line_without_its_newline),
		T(outbox__reports_a_location_it_cannot_create),
		T(outbox__a_failed_write_changes_nothing),
		T(outbox__new_cids_are_16_lowercase_alphanumerics_and_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
