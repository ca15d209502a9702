/*
 * reactemoji: what may be a reaction (docs/protocol.md, "Threads,
 * reactions, edits and deletes"): one grapheme cluster (UAX #29, through
 * libunistring), at most REACTEMOJI_MAX bytes of valid UTF-8, holding an
 * emoji: a pictographic code point or one shown as emoji by default, or a
 * code point made emoji by U+FE0F or a keycap (so "1" is none, "1️⃣" is).
 *
 * Pure: no I/O.
 */
#ifndef CONFAB_REACTEMOJI_H
#define CONFAB_REACTEMOJI_H

#include <stdbool.h>
#include <stddef.h>

#define REACTEMOJI_MAX 64

bool reactemoji_valid(const char *s, size_t len);

#endif
