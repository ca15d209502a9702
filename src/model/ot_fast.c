#include "model/ot_fast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

struct cur {
	const char *p, *end;
};

static void
ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' ||
	    *c->p == '\r'))
		c->p++;
}

static int
hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static bool
hex4(struct cur *c, unsigned *v)
{
	if (c->end - c->p < 4)
		return false;
	*v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hex(c->p[k]);
		if (h < 0)
			return false;
		*v = *v * 16 + (unsigned)h;
	}
	c->p += 4;
	return true;
}

static size_t
utf8_put(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One escape after the backslash into o; its length, 0 when refused. */
static size_t
escape(struct cur *c, char *o)
{
	if (c->p == c->end)
		return 0;
	char e = *c->p++;
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = e ? strchr(from, e) : NULL;
	if (k != NULL) {
		*o = to[k - from];
		return 1;
	}
	unsigned cp, lo;
	if (e != 'u' || !hex4(c, &cp) || cp == 0 || (cp >= 0xdc00 && cp <= 0xdfff))
		return 0;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
			return 0;
		c->p += 2;
		if (!hex4(c, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return 0;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	return utf8_put(o, cp);
}

/* A string: *s points at its text, unescaped into buf when it had escapes
 * (buf has room for the raw length). */
static bool
string(struct cur *c, char *buf, const char **s, size_t *n)
{
	c->p++; /* the quote */
	const char *start = c->p;
	size_t out = 0;
	bool esc = false;
	while (c->p < c->end && *c->p != '"') {
		unsigned char ch = (unsigned char)*c->p;
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			if (!esc) {
				memcpy(buf, start, (size_t)(c->p - start));
				out = (size_t)(c->p - start);
				esc = true;
			}
			c->p++;
			size_t k = escape(c, buf + out);
			if (k == 0)
				return false;
			out += k;
			continue;
		}
		if (esc)
			buf[out++] = (char)ch;
		c->p++;
	}
	if (c->p == c->end)
		return false;
	*s = esc ? buf : start;
	*n = esc ? out : (size_t)(c->p - start);
	c->p++;
	return true;
}

/* -?[1-9][0-9]{0,15}: a plain non-zero integer, no more digits than the
 * largest length has. */
static bool
integer(struct cur *c, int64_t *v)
{
	bool neg = *c->p == '-';
	if (neg)
		c->p++;
	if (c->p == c->end || *c->p < '1' || *c->p > '9')
		return false;
	int64_t x = 0;
	int digits = 0;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (++digits > 16)
			return false;
		x = x * 10 + (*c->p++ - '0');
	}
	if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E'))
		return false;
	*v = neg ? -x : x;
	return true;
}

/* One component, under the rules of the full reader: no zero, no two of a
 * kind together, no insert right after a delete, no empty insert. */
static bool
component(struct cur *c, struct ot_op *op, char *buf, enum ot_kind *last)
{
	enum ot_status st;
	enum ot_kind kind;
	if (*c->p == '"') {
		const char *s;
		size_t n;
		if (!string(c, buf, &s, &n) || n == 0)
			return false;
		kind = OT_INSERT;
		if (*last == OT_INSERT || *last == OT_DELETE)
			return false;
		st = ot_insert(op, s, n);
	} else {
		int64_t v;
		if (!integer(c, &v))
			return false;
		kind = v > 0 ? OT_RETAIN : OT_DELETE;
		if (*last == kind)
			return false;
		st = v > 0 ? ot_retain(op, (size_t)v) : ot_delete(op, (size_t)-v);
	}
	*last = kind;
	return st == OT_OK;
}

bool
ot_decode_fast(const char *json, size_t len, struct ot_op *out)
{
	struct cur c = {json, json + len};
	ws(&c);
	if (c.p == c.end || *c.p != '[')
		return false;
	c.p++;
	char *buf = xmalloc(len + 1); /* len: a frame's or a stored op's */
	struct ot_op op = OT_OP_INIT;
	enum ot_kind last = (enum ot_kind)-1;
	bool ok = true;
	ws(&c);
	if (c.p < c.end && *c.p == ']') {
		c.p++;
	} else {
		for (;;) {
			ws(&c);
			if (c.p == c.end || !component(&c, &op, buf, &last)) {
				ok = false;
				break;
			}
			ws(&c);
			if (c.p < c.end && *c.p == ',') {
				c.p++;
				continue;
			}
			ok = c.p < c.end && *c.p == ']';
			c.p++;
			break;
		}
	}
	free(buf);
	ws(&c);
	if (!ok || c.p != c.end) {
		ot_free(&op);
		return false;
	}
	*out = op;
	return true;
}
