/*
 * otgen: random documents and operations for the property tests of the
 * models built on text operations (anchors, suggestions).
 *
 * Tagged documents hold one distinct private-use character per position
 * (U+F0000 + i), so a test can tell which original characters survive and
 * where; inserted text never uses those characters. Every case runs from a
 * seed of its own, printed by OTGEN_CHECK on failure.
 */
#ifndef CONFAB_TEST_OTGEN_H
#define CONFAB_TEST_OTGEN_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ot.h"
#include "model/utf8.h"

#define OTGEN_TAG_BASE 0xF0000u

struct otgen {
	uint64_t s;
	uint64_t seed; /* the case's seed, for messages */
};

static uint64_t otgen_seed;

#define OTGEN_CHECK(cond)                                                  \
	do {                                                               \
		if (!(cond))                                               \
			fail_msg("%s failed for seed %" PRIu64, #cond,     \
			    otgen_seed);                                   \
	} while (0)

static inline struct otgen
otgen_new(uint64_t seed)
{
	otgen_seed = seed;
	return (struct otgen){.s = seed, .seed = seed};
}

/* splitmix64 */
static inline uint64_t
otgen_next(struct otgen *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static inline size_t
otgen_below(struct otgen *r, size_t n)
{
	return (size_t)(otgen_next(r) % n);
}

/* One to four bytes per character, so byte and code-point offsets differ;
 * none is a tag. */
static const char *const otgen_alphabet[] = {
	"a", "b", "c", " ", "\n", "é", "ß", "日", "語", "😀",
};
#define OTGEN_NALPHA (sizeof otgen_alphabet / sizeof otgen_alphabet[0])

/* n random untagged code points, NUL-terminated, to free(). */
static inline char *
otgen_text(struct otgen *r, size_t n)
{
	char *s = malloc(n * 4 + 1);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		const char *c = otgen_alphabet[otgen_below(r, OTGEN_NALPHA)];
		memcpy(s + w, c, strlen(c));
		w += strlen(c);
	}
	s[w] = '\0';
	return s;
}

/* n distinct tags: U+F0000, U+F0001, ... */
static inline char *
otgen_tagged(size_t n)
{
	char *s = malloc(n * 4 + 1);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		w += utf8_encode(OTGEN_TAG_BASE + (uint32_t)i, s + w);
	s[w] = '\0';
	return s;
}

/* The code point at cp in s (NUL-terminated). */
static inline uint32_t
otgen_at(const char *s, size_t cp)
{
	size_t len = strlen(s);
	size_t off = utf8_offset(s, len, cp);
	uint32_t c = 0;
	utf8_decode(s + off, len - off, &c);
	return c;
}

static inline bool
otgen_is_tag(uint32_t c)
{
	return c >= OTGEN_TAG_BASE && c < OTGEN_TAG_BASE + 0x10000u;
}

/* A random op on a document of len code points: a walk of retains,
 * deletes and inserts like ot.js's randomOperation. ins and del are the
 * chances in tenths of an insert and a delete at each step. */
static inline struct ot_op
otgen_op_mix(struct otgen *r, size_t len, unsigned ins, unsigned del)
{
	struct ot_op op = OT_OP_INIT;
	size_t left = len;
	while (left > 0) {
		size_t k = 1 + otgen_below(r, left < 6 ? left : 6);
		unsigned pick = (unsigned)otgen_below(r, 10);
		if (pick < ins) {
			char *t = otgen_text(r, 1 + otgen_below(r, 4));
			ot_insert(&op, t, strlen(t));
			free(t);
		} else if (pick < ins + del) {
			ot_delete(&op, k);
			left -= k;
		} else {
			ot_retain(&op, k);
			left -= k;
		}
	}
	if (otgen_below(r, 4) == 0) {
		char *t = otgen_text(r, 1 + otgen_below(r, 4));
		ot_insert(&op, t, strlen(t));
		free(t);
	}
	return op;
}

static inline struct ot_op
otgen_op(struct otgen *r, size_t len)
{
	return otgen_op_mix(r, len, 2, 3);
}

/* One user's edit on a document of len code points, as typing makes it:
 * 1 to 4 code points inserted somewhere, or (one time in del) 1 to 3
 * deleted. */
static inline struct ot_op
otgen_edit(struct otgen *r, size_t len, unsigned del)
{
	struct ot_op op = OT_OP_INIT;
	size_t at = otgen_below(r, len + 1);
	ot_retain(&op, at);
	if (at < len && otgen_below(r, del) == 0) {
		size_t k = 1 + otgen_below(r, 3);
		k = k < len - at ? k : len - at;
		ot_delete(&op, k);
		at += k;
	} else {
		char *t = otgen_text(r, 1 + otgen_below(r, 4));
		ot_insert(&op, t, strlen(t));
		free(t);
	}
	ot_retain(&op, len - at);
	return op;
}

/* op with each inserted character replaced by a fresh tag (*next on). */
static inline struct ot_op
otgen_retag(const struct ot_op *op, uint32_t *next)
{
	struct ot_op out = OT_OP_INIT;
	for (size_t i = 0; i < op->ncomps; i++) {
		const struct ot_comp *c = &op->comps[i];
		if (c->kind == OT_RETAIN) {
			ot_retain(&out, c->n);
		} else if (c->kind == OT_DELETE) {
			ot_delete(&out, c->n);
		} else {
			char *t = malloc(c->n * 4 + 1);
			size_t w = 0;
			for (size_t k = 0; k < c->n; k++)
				w += utf8_encode(OTGEN_TAG_BASE + (*next)++, t + w);
			ot_insert(&out, t, w);
			free(t);
		}
	}
	return out;
}

/* apply(op, *text), replacing *text; the op must fit. */
static inline void
otgen_apply(const struct ot_op *op, char **text)
{
	char *out = NULL;
	OTGEN_CHECK(ot_apply(op, *text, strlen(*text), &out, NULL) == OT_OK);
	free(*text);
	*text = out;
}

static inline size_t
otgen_len(const char *s)
{
	return utf8_count(s, strlen(s));
}

#endif
