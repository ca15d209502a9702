/*
 * search: the full-text search of messages on a big store, and what the
 * index costs the message path.
 *
 *   search [--messages N] [--queries Q] [--rooms R] [--words FILE]
 *
 * Fills a temporary SQLite store (the server's own, through its ops
 * table) with N messages (default 1,000,000) of 3 to 20 words drawn from
 * FILE (default /usr/share/dict/words, Debian's wamerican) with a Zipf
 * law, as words of a language are, spread over R rooms (default 200), in
 * transactions of 1,000 as the server's loop turns group them. A second
 * store without the index's triggers takes the same messages, so the two
 * insert rates compare. Then Q queries (default 300) of each kind — one
 * word and two words (whole words: a text ending in a space), and a word
 * with the first three letters of another (a prefix, as SEARCH makes the
 * last word of a text that does not end in a space) — run as SEARCH
 * runs them, for a user who is a member of a tenth of the rooms, 20 hits
 * a page with snippets, and the median and 90th percentile of each kind
 * are printed. The last line is one JSON object with the figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "model/searchq.h"
#include "model/xmalloc.h"
#include "server/store.h"

#define BATCH 1000
#define PAGE 20

static char **words;
static size_t nwords;
static double *zipf_cdf;
static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
uniform(void)
{
	return (double)(next_rand() >> 11) / (double)(1ull << 53);
}

static double
now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Lower-case ASCII words only (no names, no possessives), shuffled so
 * that the common ones are not all at the start of the alphabet. */
static void
load_words(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	char line[128];
	size_t cap = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		size_t n = strcspn(line, "\n");
		line[n] = '\0';
		bool ok = n >= 2;
		for (size_t i = 0; ok && i < n; i++)
			ok = line[i] >= 'a' && line[i] <= 'z';
		if (!ok)
			continue;
		xgrow(&words, &cap, nwords + 1, sizeof *words);
		words[nwords++] = xstrdup(line);
	}
	fclose(f);
	if (nwords < 100) {
		fprintf(stderr, "%s: too few words\n", path);
		exit(1);
	}
	for (size_t i = nwords - 1; i > 0; i--) {
		size_t j = next_rand() % (i + 1);
		char *t = words[i];
		words[i] = words[j];
		words[j] = t;
	}
	zipf_cdf = xcalloc(nwords, sizeof *zipf_cdf);
	double sum = 0;
	for (size_t i = 0; i < nwords; i++)
		zipf_cdf[i] = sum += 1.0 / (double)(i + 1);
	for (size_t i = 0; i < nwords; i++)
		zipf_cdf[i] /= sum;
}

static const char *
zipf_word(void)
{
	double u = uniform();
	size_t lo = 0, hi = nwords - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (zipf_cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return words[lo];
}

static void
make_text(char *buf, size_t size)
{
	int n = 3 + (int)(next_rand() % 18);
	size_t o = 0;
	for (int i = 0; i < n; i++) {
		const char *w = zipf_word();
		int k = snprintf(buf + o, size - o, "%s%s", i ? " " : "", w);
		if (k < 0 || (size_t)k >= size - o)
			break;
		o += (size_t)k;
	}
}

static struct store *
open_store(const char *path)
{
	char err[256];
	struct store *s = store_sqlite_open(path, false, err, sizeof err);
	if (s == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	return s;
}

static void
check(int rc, struct store *s, const char *what)
{
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", what, s->ops->error(s));
		exit(1);
	}
}

/* Inserts n messages into s over its rooms; returns messages a second. */
static double
fill(struct store *s, const int64_t *room_ids, int nrooms, long n,
    unsigned long long seed)
{
	rng = seed;
	char text[512], cid[32];
	double t0 = now_s();
	for (long i = 0; i < n; i++) {
		if (i % BATCH == 0)
			check(s->ops->begin(s), s, "begin");
		make_text(text, sizeof text);
		snprintf(cid, sizeof cid, "c%ld", i);
		struct store_msg m;
		bool dup;
		int64_t room = room_ids[next_rand() % (unsigned)nrooms];
		check(s->ops->message_append(s, room, "u", cid, text, 1700000000000 + i,
		    &m, &dup), s, "append");
		store_msg_free(&m);
		if (i % BATCH == BATCH - 1 || i == n - 1)
			check(s->ops->commit(s), s, "commit");
	}
	return (double)n / (now_s() - t0);
}

static void
make_rooms(struct store *s, int nrooms, int64_t *ids, const char *member)
{
	check(s->ops->begin(s), s, "begin");
	for (int i = 0; i < nrooms; i++) {
		char name[32];
		int64_t head;
		bool added;
		snprintf(name, sizeof name, "room%d", i);
		check(s->ops->room_ensure(s, name, 1, &ids[i], &head), s, "room");
		if (i % 10 == 0)
			check(s->ops->member_add(s, ids[i], member, 1, &added), s, "member");
	}
	check(s->ops->commit(s), s, "commit");
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct figures {
	double median_ms, p90_ms, hits;
};

/* Q queries of one kind: 1 word, 2 words, or 1 word and a prefix. */
static struct figures
run_queries(struct store *s, int kind, int q)
{
	double *ms = xcalloc((size_t)q, sizeof *ms);
	double hits = 0;
	for (int i = 0; i < q; i++) {
		char text[300];
		const char *a = zipf_word(), *b = zipf_word();
		if (kind == 0)
			snprintf(text, sizeof text, "%s", a);
		else if (kind == 1)
			snprintf(text, sizeof text, "%s %s", a, b);
		else
			snprintf(text, sizeof text, "%s %.*s", a,
			    (int)(strlen(b) > 3 ? 3 : strlen(b)), b);
		double t0 = now_s();
		char *match = searchq_build(text, kind == 2);
		struct store_hits h;
		bool more;
		check(s->ops->search(s, "reader", 0, match, 0, PAGE, &h, &more), s,
		    "search");
		for (size_t k = 0; k < h.n; k++) {
			struct searchq_snippet sn;
			searchq_snippet(h.v[k].snippet, &sn);
			searchq_snippet_free(&sn);
		}
		ms[i] = (now_s() - t0) * 1000.0;
		hits += (double)h.n;
		store_hits_free(&h);
		free(match);
	}
	qsort(ms, (size_t)q, sizeof *ms, cmp_double);
	struct figures f = {ms[q / 2], ms[(q * 9) / 10], hits / q};
	free(ms);
	return f;
}

int
main(int argc, char **argv)
{
	long n = 1000000;
	int q = 300, nrooms = 200;
	const char *wordfile = "/usr/share/dict/words";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--messages") == 0)
			n = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--queries") == 0)
			q = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--rooms") == 0)
			nrooms = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--words") == 0)
			wordfile = argv[i + 1];
		else {
			fprintf(stderr, "usage: search [--messages N] [--queries Q] "
			    "[--rooms R] [--words FILE]\n");
			return 2;
		}
	}
	if (n < 1 || q < 1 || nrooms < 10) {
		fprintf(stderr, "search: --messages and --queries >= 1, --rooms >= 10\n");
		return 2;
	}
	load_words(wordfile);

	char dir[] = "/tmp/confab-bench-search-XXXXXX";
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	char with[sizeof dir + 16], without[sizeof dir + 16];
	snprintf(with, sizeof with, "%s/fts.db", dir);
	snprintf(without, sizeof without, "%s/plain.db", dir);
	int64_t *ids = xcalloc((size_t)nrooms, sizeof *ids);

	/* without the index: its triggers dropped from a fresh store */
	struct store *plain = open_store(without);
	sqlite3 *db;
	if (sqlite3_open(without, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "DROP TRIGGER messages_fts_insert;", NULL, NULL,
	        NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", without, sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_close(db);
	make_rooms(plain, nrooms, ids, "reader");
	double rate_plain = fill(plain, ids, nrooms, n, 42);
	plain->ops->close(plain);
	printf("insert without index: %.0f messages/s\n", rate_plain);
	fflush(stdout);

	struct store *s = open_store(with);
	make_rooms(s, nrooms, ids, "reader");
	double rate_fts = fill(s, ids, nrooms, n, 42);
	printf("insert with index:    %.0f messages/s (%.0f%% of without)\n",
	    rate_fts, 100.0 * rate_fts / rate_plain);
	fflush(stdout);

	static const char *const kinds[] = {"one word", "two words", "prefix"};
	struct figures fg[3];
	rng = 7;
	for (int k = 0; k < 3; k++) {
		fg[k] = run_queries(s, k, q);
		printf("query, %-9s: median %.3f ms, p90 %.3f ms, %.1f hits a page\n",
		    kinds[k], fg[k].median_ms, fg[k].p90_ms, fg[k].hits);
	}
	s->ops->close(s);
	printf("{\"messages\":%ld,\"rooms\":%d,\"queries\":%d,"
	    "\"insert_plain_per_s\":%.0f,\"insert_fts_per_s\":%.0f,"
	    "\"one_word_median_ms\":%.3f,\"two_words_median_ms\":%.3f,"
	    "\"prefix_median_ms\":%.3f,\"one_word_p90_ms\":%.3f,"
	    "\"two_words_p90_ms\":%.3f,\"prefix_p90_ms\":%.3f}\n",
	    n, nrooms, q, rate_plain, rate_fts, fg[0].median_ms, fg[1].median_ms,
	    fg[2].median_ms, fg[0].p90_ms, fg[1].p90_ms, fg[2].p90_ms);

	char path[sizeof dir + 32];
	static const char *const files[] = {"fts.db", "fts.db-wal", "fts.db-shm",
	    "plain.db", "plain.db-wal", "plain.db-shm"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	for (size_t i = 0; i < nwords; i++)
		free(words[i]);
	free(words);
	free(zipf_cdf);
	free(ids);
	return 0;
}
