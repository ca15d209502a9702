/*
 * jsontext: one pass over JSON text, token by token (see jsontext.h).
 *
 * The scanner keeps no stack: brackets are only counted, for the depth
 * bound, since whether they match is the parser's business. Each token
 * is read by the grammar of RFC 8259, section 4 to 7; whatever follows a
 * token is read as the start of the next one, which is how "01" fails
 * (the number 0, then a digit where no token starts with one after a
 * number) and "nullx" too.
 */
#include "model/jsontext.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool
refuse(char *why, size_t whylen, const char *fmt, ...)
{
	if (why != NULL && whylen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string whose opening quote is at s[*i]; *i ends past its closing one. */
static bool
scan_string(const char *s, size_t len, size_t *i, char *why, size_t whylen)
{
	size_t start = *i;
	for (size_t k = start + 1; k < len; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == '"') {
			*i = k + 1;
			return true;
		}
		if (c == 0)
			return refuse(why, whylen, "a NUL byte in a string (byte %zu)", k);
		if (c < 0x20)
			return refuse(why, whylen, "control character 0x%02x not escaped"
			    " in a string (byte %zu)", c, k);
		if (c != '\\')
			continue;
		if (++k == len)
			break;
		char e = s[k];
		if (e == 'u') {
			if (len - k - 1 < 4 || !is_hex(s[k + 1]) || !is_hex(s[k + 2]) ||
			    !is_hex(s[k + 3]) || !is_hex(s[k + 4]))
				return refuse(why, whylen, "\\u needs four hex digits"
				    " (byte %zu)", k - 1);
			if (memcmp(s + k + 1, "0000", 4) == 0)
				return refuse(why, whylen, "NUL characters (\\u0000) are"
				    " not allowed (byte %zu)", k - 1);
			k += 4;
		} else if (e == '\0' || strchr("\"\\/bfnrt", e) == NULL) {
			return refuse(why, whylen, "bad escape in a string (byte %zu)",
			    k - 1);
		}
	}
	return refuse(why, whylen, "unterminated string (byte %zu)", start);
}

static size_t
skip_digits(const char *s, size_t len, size_t i)
{
	while (i < len && is_digit(s[i]))
		i++;
	return i;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and no digit, point,
 * exponent or sign straight after it. */
static bool
scan_number(const char *s, size_t len, size_t *i, char *why, size_t whylen)
{
	size_t start = *i, k = *i, d;
	if (s[k] == '-')
		k++;
	if (k < len && s[k] == '0')
		d = k + 1;
	else if ((d = skip_digits(s, len, k)) == k)
		goto bad;
	k = d;
	if (k < len && s[k] == '.') {
		if ((d = skip_digits(s, len, k + 1)) == k + 1)
			goto bad;
		k = d;
	}
	if (k < len && (s[k] == 'e' || s[k] == 'E')) {
		k++;
		if (k < len && (s[k] == '+' || s[k] == '-'))
			k++;
		if ((d = skip_digits(s, len, k)) == k)
			goto bad;
		k = d;
	}
	if (k < len && (is_digit(s[k]) || strchr(".eE+-", s[k]) != NULL))
		goto bad;
	*i = k;
	return true;
bad:
	return refuse(why, whylen, "bad number (byte %zu)", start);
}

static bool
scan_word(const char *s, size_t len, size_t *i, char *why, size_t whylen)
{
	static const char *const words[] = {"true", "false", "null"};
	for (size_t w = 0; w < 3; w++) {
		size_t n = strlen(words[w]);
		if (len - *i >= n && memcmp(s + *i, words[w], n) == 0) {
			*i += n;
			return true;
		}
	}
	return refuse(why, whylen, "unexpected character '%c' (byte %zu)", s[*i],
	    *i);
}

bool
jsontext_check(const char *s, size_t len, int max_depth, char *why,
    size_t whylen)
{
	int depth = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		bool ok = true;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' ||
		    c == ',') {
			i++;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return refuse(why, whylen, "nesting deeper than %d levels",
				    max_depth);
			i++;
		} else if (c == ']' || c == '}') {
			depth--;
			i++;
		} else if (c == '"') {
			ok = scan_string(s, len, &i, why, whylen);
		} else if (c == '-' || is_digit((char)c)) {
			ok = scan_number(s, len, &i, why, whylen);
		} else if (c >= 'a' && c <= 'z') {
			ok = scan_word(s, len, &i, why, whylen);
		} else if (c < 0x20 || c >= 0x7f) {
			return refuse(why, whylen, "unexpected byte 0x%02x (byte %zu)", c,
			    i);
		} else {
			return refuse(why, whylen, "unexpected character '%c' (byte %zu)",
			    c, i);
		}
		if (!ok)
			return false;
	}
	return true;
}
