/*
 * fuzz_text: what reads message text from other people: UTF-8 validation
 * and code-point arithmetic (model/utf8), cell widths and word wrap
 * (model/textwidth), mentions (model/mention).
 *
 * The first input byte picks a width (cols), the rest is the text, taken
 * as arbitrary bytes where the function allows them (textwidth draws
 * invalid bytes) and as validated UTF-8 where it does not. Beyond not
 * crashing:
 *
 *   - utf8_valid agrees with a plain reference decoder (RFC 3629), and on
 *     valid text count, offset, decode and encode agree with it, and a
 *     cut for a message (utf8_prefix, utf8_trim_partial) ends between
 *     characters;
 *   - tw_fit cuts on a glyph boundary within the width, never shrinks as
 *     the width grows, and widths add up across the cut;
 *   - tw_wrap's lines are in order, within the text, within the width
 *     (or one glyph wider than it), with the widths tw_width gives, and
 *     every byte they leave out is a space or a newline: no text is lost;
 *   - every name mention_scan reports is a valid user name found in the
 *     text, and mention_of agrees.
 */
#include <limits.h>
#include <locale.h>
#include <stdbool.h>

#include "fuzz.h"
#include "model/mention.h"
#include "model/names.h"
#include "model/textwidth.h"
#include "model/utf8.h"

#define MAX_LINES 64

/* RFC 3629 by the bit patterns: the length of the character at s[0..n),
 * 0 when the bytes there are not one, its value in *cp. */
static size_t
ref_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v, min;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, v = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, v = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, v = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static void
check_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	bool valid = true;
	size_t count = 0;
	for (size_t i = 0; i < len && valid;) {
		uint32_t cp;
		size_t k = ref_char(u + i, len - i, &cp);
		valid = k > 0;
		i += k;
		count++;
	}
	FUZZ_CHECK(utf8_valid(s, len) == valid);
	if (!valid)
		return;
	FUZZ_CHECK(utf8_count(s, len) == count);
	size_t at = 0;
	for (size_t n = 0; n < count; n++) {
		FUZZ_CHECK(utf8_offset(s, len, n) == at);
		uint32_t cp, want;
		size_t k = utf8_decode(s + at, len - at, &cp);
		FUZZ_CHECK(k == ref_char(u + at, len - at, &want) && cp == want);
		char enc[4];
		FUZZ_CHECK(utf8_encode(cp, enc) == k && memcmp(enc, s + at, k) == 0);
		at += k;
	}
	FUZZ_CHECK(utf8_offset(s, len, count) == len);
	FUZZ_CHECK(utf8_offset(s, len, count + 1) == len);

	/* cutting for messages: on a boundary, within the limit, and what a
	 * blind cut leaves is trimmed back to one */
	for (size_t max = 0; max <= len && max < 12; max++) {
		size_t p = utf8_prefix(s, len, max);
		FUZZ_CHECK(p <= max && utf8_valid(s, p));
		FUZZ_CHECK(p == max || !utf8_valid(s, max));
		size_t t = utf8_trim_partial(s, max);
		FUZZ_CHECK(t == p);
	}
}

static int
by_value(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* At a dozen widths, narrow to wide: the corners and the input's own. */
static void
check_fit(const char *s, size_t len, int width, int cols)
{
	int widths[] = {-1, 0, 1, 2, 3, cols, cols + 1, width / 2, width - 1,
	    width, width + 1, INT_MAX};
	size_t n = sizeof widths / sizeof *widths, prev = 0;
	qsort(widths, n, sizeof *widths, by_value);
	for (size_t i = 0; i < n; i++) {
		size_t fit = tw_fit(s, len, widths[i]);
		FUZZ_CHECK(fit <= len && fit >= prev);
		int head = tw_width(s, fit), tail = tw_width(s + fit, len - fit);
		FUZZ_CHECK(head <= (widths[i] > 0 ? widths[i] : 0));
		FUZZ_CHECK(head + tail == width); /* a glyph boundary */
		prev = fit;
	}
	FUZZ_CHECK(prev == len);
}

static void
check_wrap(const char *s, size_t len, int cols)
{
	struct tw_line lines[MAX_LINES];
	size_t n = tw_wrap(s, len, cols, lines, MAX_LINES);
	FUZZ_CHECK(n >= 1);
	FUZZ_CHECK(tw_wrap(s, len, cols, NULL, 0) == n);
	size_t newlines = 0;
	for (size_t i = 0; i < len; i++)
		newlines += s[i] == '\n';
	FUZZ_CHECK(n >= newlines + 1);
	if (n > MAX_LINES)
		return;
	size_t covered = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tw_line *l = &lines[i];
		FUZZ_CHECK(l->start <= l->end && l->end <= len);
		FUZZ_CHECK(l->start >= covered);
		for (size_t k = covered; k < l->start; k++)
			FUZZ_CHECK(s[k] == ' ' || s[k] == '\n');
		FUZZ_CHECK(memchr(s + l->start, '\n', l->end - l->start) == NULL);
		size_t bytes = l->end - l->start;
		FUZZ_CHECK(l->width == tw_width(s + l->start, bytes));
		FUZZ_CHECK(l->width <= (cols < 1 ? 1 : cols) ||
		    tw_fit(s + l->start, bytes, l->width - 1) == 0);
		covered = l->end;
	}
	for (size_t k = covered; k < len; k++)
		FUZZ_CHECK(s[k] == ' ' || s[k] == '\n');
}

struct seen {
	const char *text;
	size_t len, count;
};

static bool
on_mention(const char *name, size_t len, void *arg)
{
	struct seen *seen = arg;
	FUZZ_CHECK(name >= seen->text && name + len <= seen->text + seen->len);
	FUZZ_CHECK(len >= 1 && len <= NAMES_USER_MAX);
	char user[NAMES_USER_MAX + 1];
	memcpy(user, name, len);
	user[len] = '\0';
	FUZZ_CHECK(names_valid_user(user));
	FUZZ_CHECK(mention_of(seen->text, user));
	seen->count++;
	return seen->count < 100;
}

static void
check_mentions(const char *text, size_t len)
{
	struct seen seen = {text, len, 0};
	mention_scan(text, on_mention, &seen);
	FUZZ_CHECK(!mention_of(text, NULL) && !mention_of(text, ""));
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		fputs("fuzz_text: no C.UTF-8 locale\n", stderr);
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	int cols = (int)data[0] % 100;
	char *s = fuzz_bytes(data + 1, size - 1);
	size_t len = size - 1;
	check_utf8(s, len);
	int width = tw_width(s, len);
	FUZZ_CHECK(width >= 0 && (size_t)width <= 2 * len);
	check_fit(s, len, width, cols);
	check_wrap(s, len, cols);
	if (utf8_valid(s, len)) {
		char *text = fuzz_cstring(data + 1, strnlen(s, len));
		check_mentions(text, strlen(text));
		free(text);
	}
	free(s);
	return 0;
}
