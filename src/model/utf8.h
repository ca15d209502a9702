/*
 * utf8: strict UTF-8 validation and code-point arithmetic.
 *
 * The wire protocol counts lengths and positions in Unicode code points, and
 * every byte string that reaches us from outside is validated here first
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
 * Pure functions over byte ranges; no allocation.
 */
#ifndef CONFAB_UTF8_H
#define CONFAB_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8 (NUL bytes allowed). */
bool utf8_valid(const char *s, size_t len);

/* Number of code points in valid UTF-8 s[0..len). */
size_t utf8_count(const char *s, size_t len);

/* Byte offset of code point number cp in valid UTF-8 s[0..len), or len when
 * cp is at or past the end. */
size_t utf8_offset(const char *s, size_t len, size_t cp);

/* Decodes the code point at s[0..len) (len > 0, valid UTF-8) into *cp and
 * returns its byte length. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Bytes of the longest prefix of valid UTF-8 s[0..len) that is at most
 * max bytes and ends on a character boundary: where to cut text that is
 * quoted in a message. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

/* s[0..len) is valid UTF-8 cut at an arbitrary byte (vsnprintf into a
 * short buffer): its length without the partial character the cut may
 * have left at the end. */
size_t utf8_trim_partial(const char *s, size_t len);

/* Writes cp as UTF-8 into out (at least 4 bytes); returns the byte count,
 * 0 when cp is not a scalar value. */
size_t utf8_encode(uint32_t cp, char *out);

#endif
