/* pins: trusted self-signed certificates (pins.h). */
#include "client/pins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/fileio.h"
#include "model/xmalloc.h"

#define PINS_MAX_FILE ((size_t)1 << 20)

void
pins_server_of(const char *url, char *out, size_t size)
{
	bool tls = strncasecmp(url, "wss://", 6) == 0;
	const char *a = url + (tls ? 6 : strncasecmp(url, "ws://", 5) == 0 ? 5 : 0);
	size_t n = strcspn(a, "/");
	const char *close = memchr(a, ']', n);
	const char *colon = memchr(close ? close : a, ':', n - (size_t)((close ? close : a) - a));
	if (colon != NULL)
		snprintf(out, size, "%.*s", (int)n, a);
	else
		snprintf(out, size, "%.*s:%d", (int)n, a, tls ? 443 : 80);
}

/* The line of server in text, or NULL; *len its length. */
static const char *
find_line(const char *text, const char *server, size_t *len)
{
	size_t sl = strlen(server);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > sl && strncmp(p, server, sl) == 0 && p[sl] == ' ') {
			*len = n;
			return p;
		}
		p += n + (p[n] == '\n');
	}
	return NULL;
}

bool
pins_lookup(const char *path, const char *server, char *out, size_t size)
{
	char *text = file_read(path, PINS_MAX_FILE, NULL, NULL, 0);
	size_t len;
	const char *line = text ? find_line(text, server, &len) : NULL;
	bool found = line != NULL;
	if (found) {
		size_t sl = strlen(server) + 1;
		snprintf(out, size, "%.*s", (int)(len - sl), line + sl);
	}
	free(text);
	return found;
}

bool
pins_add(const char *path, const char *server, const char *fp)
{
	char *text = file_read(path, PINS_MAX_FILE, NULL, NULL, 0);
	char *old = text ? text : xstrdup("");
	size_t len;
	const char *line = find_line(old, server, &len);
	char *out;
	if (line != NULL) { /* replaced in place */
		size_t at = (size_t)(line - old), rest = at + len;
		if (old[rest] == '\n')
			rest++;
		out = xasprintf("%.*s%s%s %s\n", (int)at, old, old + rest, server, fp);
	} else {
		size_t n = strlen(old);
		out = xasprintf("%s%s%s %s\n", old, n && old[n - 1] != '\n' ? "\n" : "",
		    server, fp);
	}
	bool ok = file_write_atomic(path, out, strlen(out), true);
	free(out);
	free(old);
	return ok;
}
