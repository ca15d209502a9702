/*
 * reactemoji: the check of a reaction's emoji (reactemoji.h).
 */
#include "model/reactemoji.h"

#include <stdint.h>
#include <unictype.h>
#include <unigbrk.h>

#include "model/utf8.h"

#define VS16 0xfe0f   /* emoji presentation selector */
#define KEYCAP 0x20e3 /* combining enclosing keycap */

bool
reactemoji_valid(const char *s, size_t len)
{
	if (len == 0 || len > REACTEMOJI_MAX || !utf8_valid(s, len))
		return false;
	char breaks[REACTEMOJI_MAX];
	u8_grapheme_breaks((const uint8_t *)s, len, breaks);
	for (size_t i = 1; i < len; i++)
		if (breaks[i])
			return false;
	bool pictographic = false, emoji = false, selected = false;
	for (size_t at = 0; at < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + at, len - at, &cp);
		if (n == 0)
			return false;
		at += n;
		if (uc_is_property_extended_pictographic(cp) ||
		    uc_is_property_emoji_presentation(cp))
			pictographic = true;
		if (uc_is_property_emoji(cp))
			emoji = true;
		if (cp == VS16 || cp == KEYCAP)
			selected = true;
	}
	return pictographic || (emoji && selected);
}
