/*
 * xmalloc: the one allocation policy of confab and confabd.
 *
 * Running out of memory is not an error that callers handle: every
 * allocation goes through these wrappers, which never return NULL. On
 * failure they write one line to standard error and abort, as tmux's
 * xmalloc and redis's zmalloc do. (GLib's g_new behaves the same, so
 * the GLib containers the server uses follow the same policy; cJSON is
 * pointed at these by xmalloc_init_cjson.) Code that takes untrusted
 * sizes bounds them before allocating: an abort is for a machine out of
 * memory, never for a big number in a frame.
 *
 * docs/hacking.md has the rest of the failure policy.
 */
#ifndef CONFAB_XMALLOC_H
#define CONFAB_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
/* n * size, checked for overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A copy of s, or NULL for NULL. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Makes cJSON allocate through xmalloc (call once, before any cJSON use). */
void xmalloc_init_cjson(void);

/* Grows *v (of *cap elements of size) so that it holds at least need;
 * doubling, from at least 8. */
void xgrow(void *v, size_t *cap, size_t need, size_t size);

#endif
