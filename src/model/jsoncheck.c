#include "model/jsoncheck.h"

#include <stdio.h>
#include <string.h>

/* Deeper nesting than this is refused whatever the caller asks for, so the
 * bracket stack stays on the C stack. */
#define DEPTH_CAP 1024

struct scan {
	const char *s;
	size_t len, i;
	char *why;
	size_t whylen;
};

static bool
fail(struct scan *sc, const char *what)
{
	if (sc->why != NULL && sc->whylen > 0)
		snprintf(sc->why, sc->whylen, "%s at byte %zu", what, sc->i);
	return false;
}

static int
peek(const struct scan *sc)
{
	return sc->i < sc->len ? (unsigned char)sc->s[sc->i] : -1;
}

static void
skip_ws(struct scan *sc)
{
	while (sc->i < sc->len) {
		char c = sc->s[sc->i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		sc->i++;
	}
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The four hex digits after "\u" at sc->i (which points at the 'u'); -1
 * when they are not four hex digits. */
static long
hex4(const struct scan *sc)
{
	if (sc->len - sc->i < 5)
		return -1;
	long v = 0;
	for (size_t k = 1; k <= 4; k++) {
		int h = hex_value((unsigned char)sc->s[sc->i + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* A \u escape, sc->i at the 'u'; a high surrogate must be followed by an
 * escaped low one. */
static bool
unicode_escape(struct scan *sc)
{
	long v = hex4(sc);
	if (v < 0)
		return fail(sc, "bad \\u escape (four hex digits expected)");
	if (v == 0)
		return fail(sc, "NUL characters (\\u0000) are not allowed");
	if (v >= 0xDC00 && v <= 0xDFFF)
		return fail(sc, "unpaired low surrogate in a \\u escape");
	sc->i += 5;
	if (v < 0xD800 || v > 0xDBFF)
		return true;
	if (sc->len - sc->i < 2 || sc->s[sc->i] != '\\' || sc->s[sc->i + 1] != 'u')
		return fail(sc, "unpaired high surrogate in a \\u escape");
	sc->i++;
	long lo = hex4(sc);
	if (lo < 0xDC00 || lo > 0xDFFF)
		return fail(sc, "unpaired high surrogate in a \\u escape");
	sc->i += 5;
	return true;
}

/* A string, sc->i at its opening quote. */
static bool
string(struct scan *sc)
{
	sc->i++;
	for (;;) {
		int c = peek(sc);
		if (c < 0)
			return fail(sc, "unterminated string");
		if (c == '"') {
			sc->i++;
			return true;
		}
		if (c < 0x20)
			return fail(sc, "control characters must be escaped in strings");
		if (c != '\\') {
			sc->i++;
			continue;
		}
		sc->i++;
		c = peek(sc);
		if (c == 'u') {
			if (!unicode_escape(sc))
				return false;
		} else if (c > 0 && strchr("\"\\/bfnrt", c) != NULL) {
			sc->i++;
		} else {
			return fail(sc, "bad escape in a string");
		}
	}
}

static bool
digits(struct scan *sc)
{
	if (!is_digit(peek(sc)))
		return fail(sc, "a digit expected in a number");
	while (is_digit(peek(sc)))
		sc->i++;
	return true;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool
number(struct scan *sc)
{
	if (peek(sc) == '-')
		sc->i++;
	if (peek(sc) == '0') {
		sc->i++;
		if (is_digit(peek(sc)))
			return fail(sc, "leading zero in a number");
	} else if (!digits(sc)) {
		return false;
	}
	if (peek(sc) == '.') {
		sc->i++;
		if (!digits(sc))
			return false;
	}
	if (peek(sc) == 'e' || peek(sc) == 'E') {
		sc->i++;
		if (peek(sc) == '+' || peek(sc) == '-')
			sc->i++;
		if (!digits(sc))
			return false;
	}
	return true;
}

static bool
literal(struct scan *sc, const char *word)
{
	size_t n = strlen(word);
	if (sc->len - sc->i < n || memcmp(sc->s + sc->i, word, n) != 0)
		return fail(sc, "unexpected character");
	sc->i += n;
	return true;
}

/* A value that is not an object or array. */
static bool
scalar(struct scan *sc)
{
	int c = peek(sc);
	switch (c) {
	case '"': return string(sc);
	case 't': return literal(sc, "true");
	case 'f': return literal(sc, "false");
	case 'n': return literal(sc, "null");
	case -1: return fail(sc, "unexpected end of the text");
	default:
		if (c == '-' || is_digit(c))
			return number(sc);
		if (c < 0x20)
			return fail(sc, "control character outside a string");
		return fail(sc, "unexpected character");
	}
}

/* An object key and its colon; sc->i at the key. */
static bool
key(struct scan *sc)
{
	if (peek(sc) != '"')
		return fail(sc, "a string key expected");
	if (!string(sc))
		return false;
	skip_ws(sc);
	if (peek(sc) != ':')
		return fail(sc, "':' expected after a key");
	sc->i++;
	skip_ws(sc);
	return true;
}

bool
jsoncheck(const char *s, size_t len, int max_depth, char *why, size_t whylen)
{
	struct scan sc = {s, len, 0, why, whylen};
	char stack[DEPTH_CAP];
	int depth = 0;
	if (max_depth > DEPTH_CAP)
		max_depth = DEPTH_CAP;
	skip_ws(&sc);
	for (;;) {
		/* at a value */
		int c = peek(&sc);
		if (c == '{' || c == '[') {
			if (depth >= max_depth) {
				if (why != NULL && whylen > 0)
					snprintf(why, whylen, "nesting deeper than %d levels",
					    max_depth);
				return false;
			}
			stack[depth++] = (char)c;
			sc.i++;
			skip_ws(&sc);
			int close = c == '{' ? '}' : ']';
			if (peek(&sc) == close) {
				sc.i++;
				depth--;
			} else {
				if (c == '{' && !key(&sc))
					return false;
				continue;
			}
		} else if (!scalar(&sc)) {
			return false;
		}
		/* after a value: close containers, or go on to the next value */
		for (;;) {
			skip_ws(&sc);
			if (depth == 0) {
				if (sc.i != len)
					return fail(&sc, "unexpected text after the JSON value");
				return true;
			}
			char top = stack[depth - 1];
			c = peek(&sc);
			if ((top == '{' && c == '}') || (top == '[' && c == ']')) {
				sc.i++;
				depth--;
				continue;
			}
			if (c != ',')
				return fail(&sc, top == '{' ? "',' or '}' expected"
				    : "',' or ']' expected");
			sc.i++;
			skip_ws(&sc);
			if (top == '{' && !key(&sc))
				return false;
			break;
		}
	}
}
