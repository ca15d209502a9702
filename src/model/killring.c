/*
 * killring: see killring.h.
 */
#include "model/killring.h"

#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

void
killring_init(struct killring *k)
{
	memset(k, 0, sizeof *k);
}

void
killring_free(struct killring *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	memset(k, 0, sizeof *k);
}

static void
drop_oldest(struct killring *k)
{
	k->n--;
	k->bytes -= k->len[k->n];
	free(k->v[k->n]);
	k->v[k->n] = NULL;
}

/* Makes room for need more bytes, dropping the oldest entries but never
 * the newest when keep is set (it is being joined). */
static void
fit(struct killring *k, size_t need, bool keep)
{
	while (k->n > (keep ? 1u : 0u) && k->bytes + need > KILLRING_BYTES)
		drop_oldest(k);
}

static bool
join(struct killring *k, const char *text, size_t len, bool append)
{
	if (k->len[0] + len > KILLRING_BYTES)
		return false;
	fit(k, len, true);
	char *s = xmalloc(k->len[0] + len + 1);
	if (append) {
		memcpy(s, k->v[0], k->len[0]);
		memcpy(s + k->len[0], text, len);
	} else {
		memcpy(s, text, len);
		memcpy(s + len, k->v[0], k->len[0]);
	}
	s[k->len[0] + len] = '\0';
	free(k->v[0]);
	k->v[0] = s;
	k->len[0] += len;
	k->bytes += len;
	return true;
}

bool
killring_push(struct killring *k, const char *text, size_t len,
    enum killring_join how)
{
	if (len == 0 || len > KILLRING_BYTES)
		return false;
	k->yank = 0;
	if (how != KILLRING_NEW && k->n > 0)
		return join(k, text, len, how == KILLRING_APPEND);
	fit(k, len, false);
	if (k->n == KILLRING_MAX)
		drop_oldest(k);
	memmove(k->v + 1, k->v, k->n * sizeof *k->v);
	memmove(k->len + 1, k->len, k->n * sizeof *k->len);
	k->v[0] = xmalloc(len + 1);
	memcpy(k->v[0], text, len);
	k->v[0][len] = '\0';
	k->len[0] = len;
	k->n++;
	k->bytes += len;
	return true;
}

const char *
killring_yank(struct killring *k, size_t *len)
{
	if (k->n == 0)
		return NULL;
	k->yank = 0;
	*len = k->len[0];
	return k->v[0];
}

const char *
killring_pop(struct killring *k, size_t *len)
{
	if (k->n == 0)
		return NULL;
	k->yank = (k->yank + 1) % k->n;
	*len = k->len[k->yank];
	return k->v[k->yank];
}
