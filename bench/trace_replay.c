/*
 * trace-replay: replays a sequential editing trace through the document
 * engine and prints how long it took.
 *
 *   trace-replay [--runs N] [--mode doc|ot|string] FILE.json.gz
 *
 * A trace (see data/editing-traces/README.md) is gzipped JSON:
 *   {"startContent": "...", "endContent": "...",
 *    "txns": [{"time": ..., "patches": [[pos, delCount, "text"], ...]}, ...]}
 * Every patch is applied in order like JavaScript's
 * text.splice(pos, delCount, text), positions in code points.
 *
 * Modes:
 *   doc     doc_delete + doc_insert per patch (the default)
 *   ot      one ot_op per patch (retain pos, delete n, insert text, retain
 *           the rest), built and applied with ot_apply_doc: the OT path
 *   string  the same ops applied with ot_apply to a plain string, which
 *           rebuilds the whole text per patch: the baseline doc.c is
 *           measured against
 *
 * Concurrent traces (transactions with "parents") need the OT server to
 * replay and are refused. Each run is timed with CLOCK_MONOTONIC, excluding
 * reading and parsing, and its result is checked against endContent. The
 * last line of output is one JSON object with the figures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <zlib.h>

#include "model/doc.h"
#include "model/ot.h"

struct patch {
	size_t pos, del;
	const char *text; /* points into the parsed JSON */
	size_t len;
};

struct trace {
	cJSON *root;
	const char *start, *end;
	size_t start_len, end_len;
	struct patch *patches;
	size_t npatches;
};

enum mode { MODE_DOC, MODE_OT, MODE_STRING };
static const char *const mode_names[] = {"doc", "ot", "string"};

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "trace-replay: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

/* realloc that never returns NULL: the tool cannot go on without memory. */
static void *
xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size);
	if (q == NULL)
		die("out of memory%s", "");
	return q;
}

/* The whole decompressed file, NUL-terminated. */
static char *
read_gz(const char *path, size_t *len)
{
	gzFile f = gzopen(path, "rb");
	if (f == NULL)
		die("cannot open %s", path);
	size_t cap = 1 << 20, n = 0;
	char *buf = xrealloc(NULL, cap);
	for (;;) {
		if (cap - n < (1 << 16)) {
			cap *= 2;
			buf = xrealloc(buf, cap);
			continue;
		}
		int k = gzread(f, buf + n, (unsigned)(cap - n - 1));
		if (k < 0)
			die("cannot decompress %s", path);
		if (k == 0)
			break;
		n += (size_t)k;
	}
	gzclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static size_t
count_of(const cJSON *item, const char *what)
{
	if (!cJSON_IsNumber(item) || item->valuedouble < 0 ||
	    item->valuedouble != (double)(size_t)item->valuedouble)
		die("bad %s in a patch", what);
	return (size_t)item->valuedouble;
}

static void
load_patch(struct patch *p, const cJSON *arr)
{
	if (cJSON_GetArraySize(arr) != 3)
		die("a patch is not [pos, delCount, text]%s", "");
	const cJSON *text = cJSON_GetArrayItem(arr, 2);
	if (!cJSON_IsString(text))
		die("a patch's text is not a string%s", "");
	p->pos = count_of(cJSON_GetArrayItem(arr, 0), "position");
	p->del = count_of(cJSON_GetArrayItem(arr, 1), "delete count");
	p->text = text->valuestring;
	p->len = strlen(p->text);
}

static void
load_trace(struct trace *t, const char *path)
{
	size_t len;
	char *json = read_gz(path, &len);
	t->root = cJSON_ParseWithLength(json, len);
	free(json);
	if (t->root == NULL)
		die("%s is not valid JSON", path);
	const cJSON *start = cJSON_GetObjectItemCaseSensitive(t->root, "startContent");
	const cJSON *end = cJSON_GetObjectItemCaseSensitive(t->root, "endContent");
	const cJSON *txns = cJSON_GetObjectItemCaseSensitive(t->root, "txns");
	if (!cJSON_IsArray(txns))
		die("%s has no \"txns\" array", path);
	const cJSON *txn;
	cJSON_ArrayForEach(txn, txns) {
		if (cJSON_GetObjectItemCaseSensitive(txn, "parents") != NULL)
			die("%s is a concurrent trace (transactions have \"parents\");"
			    " replaying it needs OT through a server, not this tool",
			    path);
	}
	if (!cJSON_IsString(start) || !cJSON_IsString(end))
		die("%s lacks startContent or endContent", path);
	t->start = start->valuestring;
	t->end = end->valuestring;
	t->start_len = strlen(t->start);
	t->end_len = strlen(t->end);

	size_t cap = 1024;
	t->patches = xrealloc(NULL, cap * sizeof *t->patches);
	t->npatches = 0;
	cJSON_ArrayForEach(txn, txns) {
		const cJSON *patches = cJSON_GetObjectItemCaseSensitive(txn, "patches");
		if (!cJSON_IsArray(patches))
			die("a transaction in %s has no patches", path);
		const cJSON *arr;
		cJSON_ArrayForEach(arr, patches) {
			if (t->npatches == cap) {
				cap *= 2;
				t->patches = xrealloc(t->patches,
				    cap * sizeof *t->patches);
			}
			load_patch(&t->patches[t->npatches++], arr);
		}
	}
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The op for one splice on a document of doc_len code points. */
static void
build_op(struct ot_op *op, const struct patch *p, size_t doc_len)
{
	ot_init(op);
	if (p->pos > doc_len || p->del > doc_len - p->pos)
		die("a patch reaches past the end of the document%s", "");
	if (ot_retain(op, p->pos) != OT_OK || ot_delete(op, p->del) != OT_OK ||
	    ot_insert(op, p->text, p->len) != OT_OK ||
	    ot_retain(op, doc_len - p->pos - p->del) != OT_OK)
		die("cannot build an operation for a patch%s", "");
}

static char *
replay_doc(const struct trace *t, enum mode mode, size_t *len)
{
	struct doc *doc = doc_new_from(t->start, t->start_len);
	if (doc == NULL)
		die("cannot load startContent%s", "");
	for (size_t i = 0; i < t->npatches; i++) {
		const struct patch *p = &t->patches[i];
		if (mode == MODE_OT) {
			struct ot_op op;
			build_op(&op, p, doc_length(doc));
			if (ot_apply_doc(doc, &op) != OT_OK)
				die("ot_apply_doc failed%s", "");
			ot_free(&op);
			continue;
		}
		if (doc_delete(doc, p->pos, p->del) != DOC_OK ||
		    doc_insert(doc, p->pos, p->text, p->len) != DOC_OK)
			die("a patch does not fit the document%s", "");
	}
	char *text = doc_text(doc, len);
	doc_free(doc);
	return text;
}

static char *
replay_string(const struct trace *t, size_t *len)
{
	char *s = strdup(t->start);
	size_t n = t->start_len, cps = 0;
	for (const char *c = s; *c; c++)
		cps += ((unsigned char)*c & 0xc0) != 0x80;
	for (size_t i = 0; i < t->npatches && s != NULL; i++) {
		struct ot_op op;
		char *next;
		build_op(&op, &t->patches[i], cps);
		if (ot_apply(&op, s, n, &next, &n) != OT_OK)
			die("ot_apply failed%s", "");
		cps = op.target_len;
		ot_free(&op);
		free(s);
		s = next;
	}
	*len = n;
	return s;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static const char *
trace_name(const char *path)
{
	static char name[256];
	const char *base = strrchr(path, '/');
	snprintf(name, sizeof name, "%s", base ? base + 1 : path);
	char *dot = strstr(name, ".json");
	if (dot != NULL)
		*dot = '\0';
	return name;
}

static void
usage(void)
{
	fprintf(stderr, "usage: trace-replay [--runs N] [--mode doc|ot|string]"
	    " FILE.json.gz\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int runs = 5;
	enum mode mode = MODE_DOC;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			char *end;
			errno = 0;
			long v = strtol(argv[++i], &end, 10);
			if (errno || *end || v < 1 || v > 10000)
				usage();
			runs = (int)v;
		} else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
			const char *m = argv[++i];
			if (strcmp(m, "doc") == 0) mode = MODE_DOC;
			else if (strcmp(m, "ot") == 0) mode = MODE_OT;
			else if (strcmp(m, "string") == 0) mode = MODE_STRING;
			else usage();
		} else if (argv[i][0] == '-' || path != NULL) {
			usage();
		} else {
			path = argv[i];
		}
	}
	if (path == NULL)
		usage();

	struct trace t;
	load_trace(&t, path);
	printf("%s: %zu patches, mode %s, %d runs\n", trace_name(path),
	    t.npatches, mode_names[mode], runs);

	double *ms = malloc((size_t)runs * sizeof *ms);
	if (ms == NULL)
		die("out of memory%s", "");
	size_t final_len = 0;
	for (int r = 0; r < runs; r++) {
		size_t len;
		double t0 = now_ms();
		char *text = mode == MODE_STRING ? replay_string(&t, &len) :
		    replay_doc(&t, mode, &len);
		ms[r] = now_ms() - t0;
		if (text == NULL)
			die("out of memory%s", "");
		if (len != t.end_len || memcmp(text, t.end, len) != 0)
			die("run ended with text different from endContent (%s)",
			    path);
		final_len = 0;
		for (size_t i = 0; i < len; i++)
			final_len += ((unsigned char)text[i] & 0xc0) != 0x80;
		free(text);
		printf("run %d: %.3f ms\n", r + 1, ms[r]);
	}
	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	double median = runs % 2 ? ms[runs / 2] :
	    (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
	printf("result matches endContent; final length %zu code points\n",
	    final_len);
	printf("median %.3f ms, min %.3f ms, max %.3f ms\n", median, ms[0],
	    ms[runs - 1]);

	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "trace", trace_name(path));
	cJSON_AddStringToObject(o, "mode", mode_names[mode]);
	cJSON_AddNumberToObject(o, "patches", (double)t.npatches);
	cJSON_AddNumberToObject(o, "final_length", (double)final_len);
	cJSON_AddNumberToObject(o, "ms", (double)(long long)(median * 1e3 + 0.5) / 1e3);
	cJSON_AddNumberToObject(o, "runs", runs);
	cJSON_AddNumberToObject(o, "ms_min", (double)(long long)(ms[0] * 1e3 + 0.5) / 1e3);
	cJSON_AddNumberToObject(o, "ms_max",
	    (double)(long long)(ms[runs - 1] * 1e3 + 0.5) / 1e3);
	char *line = cJSON_PrintUnformatted(o);
	if (line == NULL)
		die("out of memory%s", "");
	printf("%s\n", line);
	cJSON_free(line);
	cJSON_Delete(o);
	cJSON_Delete(t.root);
	free(t.patches);
	free(ms);
	return 0;
}
