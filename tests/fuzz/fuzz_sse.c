/*
 * fuzz_sse: what reads a server's event stream (net/sseparse, the SSE
 * transport of confab). The first input byte picks the size of the pieces
 * the rest is fed in. Beyond not crashing:
 *
 *   - the pieces do not matter: fed at once or piece by piece, the stream
 *     gives the same events, or fails at the same point;
 *   - an event's data is no longer than the limit, holds no CR and is
 *     NUL-terminated at its length; a name is never longer than its field.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "net/sseparse.h"

#define MAX 256
#define MAX_EVENTS 4096

struct seen {
	size_t n;
	uint64_t hash;      /* over names and data, in order */
	size_t comments;
};

static void
on_event(void *ud, const char *name, const char *data, size_t len)
{
	struct seen *s = ud;
	FUZZ_CHECK(len <= MAX);
	FUZZ_CHECK(data[len] == '\0');
	FUZZ_CHECK(memchr(data, '\r', len) == NULL);
	FUZZ_CHECK(strlen(name) < 32);
	uint64_t h = s->hash ^ 0x9e3779b97f4a7c15ULL;
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 1099511628211ULL;
	s->hash = h;
	s->n++;
}

static void
on_comment(void *ud)
{
	((struct seen *)ud)->comments++;
}

static bool
run(const uint8_t *data, size_t size, size_t step, struct seen *s)
{
	struct sse_parser p;
	sse_init(&p, MAX);
	struct sse_sink sink = {on_event, on_comment, s};
	bool ok = true;
	for (size_t i = 0; i < size && ok; i += step)
		ok = sse_feed(&p, (const char *)data + i,
		    i + step > size ? size - i : step, &sink);
	sse_free(&p);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t step = (size_t)data[0] % 17 + 1;
	data++;
	size--;
	struct seen whole = {0}, pieces = {0};
	bool a = run(data, size, size ? size : 1, &whole);
	bool b = run(data, size, step, &pieces);
	FUZZ_CHECK(a == b);
	if (a) {
		FUZZ_CHECK(whole.n == pieces.n);
		FUZZ_CHECK(whole.hash == pieces.hash);
		FUZZ_CHECK(whole.comments == pieces.comments);
	}
	return 0;
}
