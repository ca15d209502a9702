/*
 * jsonref: a reference reader of JSON text (RFC 8259) for the harnesses.
 *
 * Written apart from cJSON and from src/model, and kept plain rather than
 * fast, so that a harness can ask of a decoder that accepted some text:
 * was that text JSON at all, and did every string, key and number reach
 * the parse tree whole? The tree it builds holds each string's exact
 * bytes, NULs included, which is where a C-string parser loses data.
 *
 * It knows nothing of frames or operations. It refuses what RFC 8259
 * refuses (control bytes outside the four white-space ones, raw control
 * characters in strings, escapes other than the nine, \u without four hex
 * digits, lone surrogates, numbers outside the grammar), except that it
 * does not check UTF-8: callers do where it matters. Deeper than
 * JREF_MAX_DEPTH it gives up (JREF_DEEP) rather than recurse without
 * bound.
 */
#ifndef CONFAB_JSONREF_H
#define CONFAB_JSONREF_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define JREF_MAX_DEPTH 200

enum jref_type { JREF_NULL, JREF_FALSE, JREF_TRUE, JREF_NUMBER, JREF_STRING,
	JREF_ARRAY, JREF_OBJECT };

struct jref {
	enum jref_type type;
	double num;
	char *str;             /* JREF_STRING: the decoded bytes */
	size_t len;
	char *key;             /* a member of an object: its decoded key */
	size_t klen;
	struct jref *kids;     /* JREF_ARRAY, JREF_OBJECT: elements in order */
	size_t nkids;
};

enum jref_result {
	JREF_OK,
	JREF_INVALID,    /* not JSON */
	JREF_DEEP,       /* nested past JREF_MAX_DEPTH: no answer */
};

struct jref_reader {
	const char *s;
	size_t len, i;
	int depth;
	bool deep;
};

static void
jref_ws(struct jref_reader *r)
{
	while (r->i < r->len && (r->s[r->i] == ' ' || r->s[r->i] == '\t' ||
	    r->s[r->i] == '\n' || r->s[r->i] == '\r'))
		r->i++;
}

static int
jref_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at r->i, consumed; -1 when they are not. */
static long
jref_hex4(struct jref_reader *r)
{
	if (r->len - r->i < 4)
		return -1;
	long v = 0;
	for (int k = 0; k < 4; k++) {
		int d = jref_hex(r->s[r->i + (size_t)k]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	r->i += 4;
	return v;
}

static void
jref_put_utf8(char *out, size_t *n, unsigned long cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | (cp >> 6));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xe0 | (cp >> 12));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | (cp >> 18));
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* One \u escape (r->i just past the 'u'), surrogate pairs included. */
static bool
jref_unicode(struct jref_reader *r, char *out, size_t *n)
{
	long hi = jref_hex4(r);
	if (hi < 0)
		return false;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return false;
	if (hi < 0xd800 || hi > 0xdbff) {
		jref_put_utf8(out, n, (unsigned long)hi);
		return true;
	}
	if (r->len - r->i < 2 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
		return false;
	r->i += 2;
	long lo = jref_hex4(r);
	if (lo < 0)
		return false;
	if (lo < 0xdc00 || lo > 0xdfff)
		return false;
	jref_put_utf8(out, n, 0x10000 + (((unsigned long)hi - 0xd800) << 10) +
	    ((unsigned long)lo - 0xdc00));
	return true;
}

/* A string at r->i (its opening quote) into a new block *out, *outlen. */
static bool
jref_string(struct jref_reader *r, char **out, size_t *outlen)
{
	r->i++;
	/* a decoded string is never longer than its literal */
	char *buf = fuzz_alloc(r->len - r->i + 1);
	size_t n = 0;
	for (;;) {
		if (r->i >= r->len)
			break;
		unsigned char c = (unsigned char)r->s[r->i];
		if (c == '"') {
			r->i++;
			*out = buf;
			*outlen = n;
			return true;
		}
		if (c < 0x20)
			break;
		r->i++;
		if (c != '\\') {
			buf[n++] = (char)c;
			continue;
		}
		if (r->i >= r->len)
			break;
		char e = r->s[r->i++];
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *at = e != '\0' ? strchr(from, e) : NULL;
		if (at != NULL) {
			buf[n++] = to[at - from];
		} else if (e != 'u') {
			break;
		} else if (!jref_unicode(r, buf, &n)) {
			break;
		}
	}
	free(buf);
	return false;
}

static bool
jref_digits(struct jref_reader *r)
{
	size_t start = r->i;
	while (r->i < r->len && r->s[r->i] >= '0' && r->s[r->i] <= '9')
		r->i++;
	return r->i > start;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
jref_number(struct jref_reader *r, double *out)
{
	size_t start = r->i;
	if (r->s[r->i] == '-')
		r->i++;
	if (r->i < r->len && r->s[r->i] == '0')
		r->i++;
	else if (!jref_digits(r))
		return false;
	if (r->i < r->len && r->s[r->i] == '.') {
		r->i++;
		if (!jref_digits(r))
			return false;
	}
	if (r->i < r->len && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
		r->i++;
		if (r->i < r->len && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		if (!jref_digits(r))
			return false;
	}
	size_t n = r->i - start;
	char *tok = fuzz_alloc(n + 1);
	memcpy(tok, r->s + start, n);
	tok[n] = '\0';
	*out = strtod(tok, NULL);
	free(tok);
	return true;
}

static bool
jref_word(struct jref_reader *r, const char *w)
{
	size_t n = strlen(w);
	if (r->len - r->i < n || memcmp(r->s + r->i, w, n) != 0)
		return false;
	r->i += n;
	return true;
}

static void jref_free(struct jref *v);

static void
jref_push(struct jref *parent, struct jref *kid, size_t *cap)
{
	if (parent->nkids == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		struct jref *k = realloc(parent->kids, *cap * sizeof *k);
		if (k == NULL)
			abort();
		parent->kids = k;
	}
	parent->kids[parent->nkids++] = *kid;
}

static bool jref_value(struct jref_reader *r, struct jref *v);

/* An array or an object at r->i, its members into v. */
static bool
jref_container(struct jref_reader *r, struct jref *v, bool object)
{
	size_t cap = 0;
	char close = object ? '}' : ']';
	v->type = object ? JREF_OBJECT : JREF_ARRAY;
	if (++r->depth > JREF_MAX_DEPTH) {
		r->deep = true;
		return false;
	}
	r->i++;
	jref_ws(r);
	if (r->i < r->len && r->s[r->i] == close) {
		r->i++;
		r->depth--;
		return true;
	}
	for (;;) {
		struct jref kid;
		memset(&kid, 0, sizeof kid);
		if (object) {
			if (r->i >= r->len || r->s[r->i] != '"' ||
			    !jref_string(r, &kid.key, &kid.klen))
				return false;
			jref_ws(r);
			if (r->i >= r->len || r->s[r->i] != ':') {
				free(kid.key);
				return false;
			}
			r->i++;
			jref_ws(r);
		}
		bool ok = jref_value(r, &kid);
		jref_push(v, &kid, &cap);
		if (!ok)
			return false;
		jref_ws(r);
		if (r->i < r->len && r->s[r->i] == ',') {
			r->i++;
			jref_ws(r);
			continue;
		}
		if (r->i < r->len && r->s[r->i] == close) {
			r->i++;
			r->depth--;
			return true;
		}
		return false;
	}
}

static bool
jref_value(struct jref_reader *r, struct jref *v)
{
	if (r->i >= r->len)
		return false;
	char c = r->s[r->i];
	switch (c) {
	case '{': return jref_container(r, v, true);
	case '[': return jref_container(r, v, false);
	case '"':
		v->type = JREF_STRING;
		return jref_string(r, &v->str, &v->len);
	case 't': v->type = JREF_TRUE; return jref_word(r, "true");
	case 'f': v->type = JREF_FALSE; return jref_word(r, "false");
	case 'n': v->type = JREF_NULL; return jref_word(r, "null");
	default:
		v->type = JREF_NUMBER;
		if (c == '-' || (c >= '0' && c <= '9'))
			return jref_number(r, &v->num);
		return false;
	}
}

/* Reads the whole of s[0..len) as one JSON value with white space around
 * it into *v (jref_free it, whatever the result). */
static enum jref_result
jref_parse(const char *s, size_t len, struct jref *v)
{
	struct jref_reader r = {s, len, 0, 0, false};
	memset(v, 0, sizeof *v);
	jref_ws(&r);
	bool ok = jref_value(&r, v);
	if (ok) {
		jref_ws(&r);
		ok = r.i == len;
	}
	if (r.deep)
		return JREF_DEEP;
	return ok ? JREF_OK : JREF_INVALID;
}

static void
jref_free(struct jref *v)
{
	for (size_t i = 0; i < v->nkids; i++)
		jref_free(&v->kids[i]);
	free(v->kids);
	free(v->str);
	free(v->key);
	memset(v, 0, sizeof *v);
}

#endif
