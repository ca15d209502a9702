/*
 * jsoncheck: strict validation of JSON text (RFC 8259) before a parser sees
 * it.
 *
 * cJSON is lenient where the protocol must not be: it skips every byte up to
 * 0x20 as whitespace, turns a malformed \u escape (\uZZZZ, \u00g0) into a
 * NUL that silently cuts the string, and accepts numbers such as 01, +1 or
 * 1. So every frame is checked here first, in one pass and without
 * recursion: exactly one value with only space, tab, CR and LF around it,
 * the full grammar of strings (escapes, \u with four hex digits, surrogates
 * in pairs, no raw control characters) and numbers, and nesting bounded by
 * max_depth. \u0000 is refused as well: C strings cannot carry it without
 * losing what follows.
 *
 * Owns nothing and keeps no state. Never checks UTF-8 (utf8_valid does) and
 * never builds a tree.
 */
#ifndef CONFAB_JSONCHECK_H
#define CONFAB_JSONCHECK_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is one valid JSON value; otherwise false with a
 * reason for people (naming the byte offset) in why[0..whylen). */
bool jsoncheck(const char *s, size_t len, int max_depth, char *why,
    size_t whylen);

#endif
