/*
 * jsontext: the lexical checks of JSON text (RFC 8259) that cJSON leaves
 * out, made once over the text before cJSON parses it.
 *
 * cJSON is lenient where confab cannot be: a raw NUL byte in a string, or
 * a \u escape without four hex digits (\uZZZZ), becomes a NUL that cuts
 * the string short without a word; \u0000 does the same; every byte up to
 * the space counts as white space, NUL included; control characters pass
 * raw inside strings; numbers are whatever strtod reads ("01", "1.",
 * "-01e5"). jsontext_check refuses all of these with a reason naming the
 * byte, and bounds the nesting depth, so that a recursive parser never
 * meets ten thousand brackets.
 *
 * It checks tokens, not grammar (cJSON does that), and not UTF-8
 * (utf8_valid does). Pure: no allocation, no state.
 */
#ifndef CONFAB_JSONTEXT_H
#define CONFAB_JSONTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when every token of s[0..len) is strict JSON, no string holds
 * U+0000, and brackets nest at most max_depth deep. Otherwise false, with
 * a reason in why (why may be NULL). */
bool jsontext_check(const char *s, size_t len, int max_depth, char *why,
    size_t whylen);

#endif
