/*
 * osc52: the clipboard escape sequence (see osc52.h).
 */
#include "model/osc52.h"

#include <string.h>

#include "model/xmalloc.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
osc52_sequence(const char *text, size_t len)
{
	if (len > OSC52_MAX_TEXT)
		return NULL;
	const unsigned char *s = (const unsigned char *)text;
	size_t n = (len + 2) / 3 * 4;
	char *out = xmalloc(n + 16), *o = out;
	memcpy(o, "\033]52;c;", 7);
	o += 7;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < len ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < len ? b64[v & 63] : '=';
	}
	*o++ = '\a';
	*o = '\0';
	return out;
}
