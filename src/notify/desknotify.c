/*
 * desknotify: the queue, the worker thread and the result pipe.
 *
 * The caller and the worker share one struct under one mutex. The caller
 * only ever holds the mutex for a few pointer moves, never across D-Bus:
 * the worker copies an entry out, unlocks, talks to the daemon, and locks
 * again to record the outcome. So desknotify_post costs a text cleaning
 * (bounded by the length limits) and two short critical sections, whatever
 * the daemon does.
 *
 * The queue is a ring of queue_max entries; a post into a full ring frees
 * the oldest entry (a burst of messages shows its newest ones).
 *
 * Results come back as a short list of events under the mutex plus one
 * byte written to a non-blocking pipe; a full pipe already holds a wake-up,
 * so the worker never waits on it either.
 *
 * Stopping: the worker may be stuck in a D-Bus call for as long as the
 * daemon or the bus takes. desknotify_stop waits a bounded time for it and
 * then detaches it. The struct is reference-counted (the caller and the
 * worker), so whichever lets go last frees it; a left-behind worker never
 * touches freed memory.
 */
#include "notify/desknotify.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "model/xmalloc.h"
#include "notify/notifier.h"

#define EVENTS_MAX 8
#define EVENT_TEXT_MAX 320
#define UNAVAILABLE_PREFIX "desktop notifications unavailable: "

struct entry {
	char *title, *body;
	enum desknotify_urgency urgency;
};

struct pending_event {
	enum desknotify_event_kind kind;
	char text[EVENT_TEXT_MAX];
};

struct desknotify {
	pthread_mutex_t mu;
	pthread_cond_t wake;     /* the worker waits here for work */
	pthread_cond_t ended;    /* desknotify_stop waits here for the worker */
	pthread_t thread;
	int refs;                /* the caller's and the worker's */
	int rfd, wfd;

	/* set at start, read-only after */
	char *app_name, *icon, *category;
	size_t cap;

	/* under mu */
	struct entry *ring;
	size_t head, n;
	bool busy;               /* the worker holds an entry */
	bool probe;              /* desknotify_retry asked for a probe */
	bool unavailable;
	bool stopping, exited;
	struct pending_event events[EVENTS_MAX];
	size_t nevents;
	struct desknotify_stats st;
};

/* ---- text ---------------------------------------------------------------- */

static bool
dropped_char(gunichar c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) ||
	    (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

char *
desknotify_clean(const char *s, size_t max_chars, bool multiline)
{
	static const char ellipsis[] = "\xE2\x80\xA6";
	if (s == NULL)
		s = "";
	size_t len = strlen(s);
	/* each kept character takes at most 4 bytes (U+FFFD 3) and at least
	 * one byte of s */
	size_t most = max_chars < len ? max_chars : len;
	char *out = xmalloc(most * 4 + sizeof ellipsis);
	size_t o = 0, chars = 0;
	const char *p = s, *end = s + len;
	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		size_t step;
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			c = 0xFFFD;
			step = 1;
		} else {
			step = (size_t)(g_utf8_next_char(p) - p);
		}
		p += step;
		if (c == '\t' || (c == '\n' && !multiline))
			c = ' ';
		else if (dropped_char(c) && c != '\n')
			continue;
		if (chars == max_chars) {
			memcpy(out + o, ellipsis, sizeof ellipsis - 1);
			o += sizeof ellipsis - 1;
			break;
		}
		o += (size_t)g_unichar_to_utf8(c, out + o);
		chars++;
	}
	out[o] = '\0';
	return out;
}

/* ---- shared state ---------------------------------------------------------- */

static void
entry_free(struct entry *e)
{
	free(e->title);
	free(e->body);
	e->title = e->body = NULL;
}

static void
destroy(struct desknotify *dn)
{
	for (size_t i = 0; i < dn->n; i++)
		entry_free(&dn->ring[(dn->head + i) % dn->cap]);
	free(dn->ring);
	if (dn->rfd >= 0)
		close(dn->rfd);
	if (dn->wfd >= 0)
		close(dn->wfd);
	pthread_cond_destroy(&dn->wake);
	pthread_cond_destroy(&dn->ended);
	pthread_mutex_destroy(&dn->mu);
	free(dn->app_name);
	free(dn->icon);
	free(dn->category);
	free(dn);
}

static void
release(struct desknotify *dn)
{
	pthread_mutex_lock(&dn->mu);
	bool last = --dn->refs == 0;
	pthread_mutex_unlock(&dn->mu);
	if (last)
		destroy(dn);
}

/* Under mu. */
static void push_event(struct desknotify *dn, enum desknotify_event_kind kind,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
push_event(struct desknotify *dn, enum desknotify_event_kind kind,
    const char *fmt, ...)
{
	if (dn->nevents == EVENTS_MAX)
		return; /* the loop is not draining; these are rare and alike */
	struct pending_event *ev = &dn->events[dn->nevents++];
	ev->kind = kind;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev->text, sizeof ev->text, fmt, ap);
	va_end(ap);
	char b = 1;
	if (write(dn->wfd, &b, 1) < 0 && errno != EAGAIN)
		dn->nevents--; /* cannot wake the loop: nobody would see it */
}

/* Under mu: give up until a retry. */
static void
fail(struct desknotify *dn, const char *why)
{
	if (dn->unavailable)
		return;
	dn->unavailable = true;
	dn->st.failures++;
	for (; dn->n > 0; dn->n--) {
		entry_free(&dn->ring[dn->head]);
		dn->head = (dn->head + 1) % dn->cap;
		dn->st.suppressed++;
	}
	push_event(dn, DESKNOTIFY_UNAVAILABLE, UNAVAILABLE_PREFIX "%s", why);
}

/* ---- the worker ---------------------------------------------------------- */

/* Shows one entry; outside mu. */
static void
show(struct desknotify *dn, struct notifier *nf, struct entry *e)
{
	char why[256] = "";
	bool ok = notifier_show(nf, e->title, e->body, dn->icon, dn->category,
	    e->urgency, why, sizeof why);
	if (!ok)
		notifier_reset(nf);
	pthread_mutex_lock(&dn->mu);
	dn->busy = false;
	if (ok) {
		dn->st.shown++;
	} else {
		dn->st.suppressed++;
		fail(dn, why);
	}
	pthread_mutex_unlock(&dn->mu);
}

static void
probe(struct desknotify *dn, struct notifier *nf)
{
	char what[256] = "";
	bool ok = notifier_probe(nf, what, sizeof what);
	if (!ok)
		notifier_reset(nf);
	pthread_mutex_lock(&dn->mu);
	if (ok)
		push_event(dn, DESKNOTIFY_AVAILABLE,
		    "desktop notifications available (%s)", what);
	else
		fail(dn, what);
	pthread_mutex_unlock(&dn->mu);
}

static void *
worker(void *arg)
{
	struct desknotify *dn = arg;
	struct notifier *nf = notifier_new(dn->app_name);
	pthread_mutex_lock(&dn->mu);
	for (;;) {
		while (!dn->stopping && !dn->probe &&
		    (dn->n == 0 || dn->unavailable))
			pthread_cond_wait(&dn->wake, &dn->mu);
		if (dn->stopping)
			break;
		dn->st.attempts++;
		if (dn->probe) {
			dn->probe = false;
			pthread_mutex_unlock(&dn->mu);
			probe(dn, nf);
		} else {
			struct entry e = dn->ring[dn->head];
			dn->ring[dn->head] = (struct entry){ NULL, NULL, 0 };
			dn->head = (dn->head + 1) % dn->cap;
			dn->n--;
			dn->busy = true;
			pthread_mutex_unlock(&dn->mu);
			show(dn, nf, &e);
			entry_free(&e);
		}
		pthread_mutex_lock(&dn->mu);
	}
	pthread_mutex_unlock(&dn->mu);
	notifier_free(nf);
	pthread_mutex_lock(&dn->mu);
	dn->exited = true;
	pthread_cond_broadcast(&dn->ended);
	pthread_mutex_unlock(&dn->mu);
	release(dn);
	return NULL;
}

/* ---- the caller's side ------------------------------------------------------ */

static bool
start_fail(char *err, size_t errlen, const char *what, int e)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "desktop notifications: %s: %s", what,
		    strerror(e));
	return false;
}

static bool
init_sync(struct desknotify *dn, char *err, size_t errlen)
{
	pthread_condattr_t ca;
	int e = pthread_mutex_init(&dn->mu, NULL);
	if (e != 0)
		return start_fail(err, errlen, "mutex", e);
	if ((e = pthread_condattr_init(&ca)) != 0 ||
	    (e = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC)) != 0 ||
	    (e = pthread_cond_init(&dn->ended, &ca)) != 0) {
		pthread_mutex_destroy(&dn->mu);
		return start_fail(err, errlen, "condition variable", e);
	}
	pthread_condattr_destroy(&ca);
	if ((e = pthread_cond_init(&dn->wake, NULL)) != 0) {
		pthread_cond_destroy(&dn->ended);
		pthread_mutex_destroy(&dn->mu);
		return start_fail(err, errlen, "condition variable", e);
	}
	return true;
}

struct desknotify *
desknotify_start(const struct desknotify_options *opt, char *err,
    size_t errlen)
{
	struct desknotify_options none = { 0 };
	if (opt == NULL)
		opt = &none;
	struct desknotify *dn = xcalloc(1, sizeof *dn);
	dn->rfd = dn->wfd = -1;
	if (!init_sync(dn, err, errlen)) {
		free(dn);
		return NULL;
	}
	dn->cap = opt->queue_max > 0 ? opt->queue_max : DESKNOTIFY_QUEUE_MAX;
	dn->ring = xcalloc(dn->cap, sizeof *dn->ring);
	dn->app_name = xstrdup(opt->app_name ? opt->app_name : "confab");
	dn->category = xstrdup(opt->category ? opt->category : "im.received");
	dn->icon = xstrdup_or_null(opt->icon);
	int fds[2];
	if (pipe(fds) != 0) {
		start_fail(err, errlen, "pipe", errno);
		destroy(dn);
		return NULL;
	}
	dn->rfd = fds[0];
	dn->wfd = fds[1];
	for (int i = 0; i < 2; i++) {
		if (fcntl(fds[i], F_SETFL, O_NONBLOCK) != 0 ||
		    fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0) {
			start_fail(err, errlen, "pipe", errno);
			destroy(dn);
			return NULL;
		}
	}

	/* The worker (and the GLib threads it starts) take no signals: they
	 * must reach the loop's thread and interrupt its poll. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	dn->refs = 2;
	int e = pthread_create(&dn->thread, NULL, worker, dn);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		start_fail(err, errlen, "thread", e);
		destroy(dn);
		return NULL;
	}
	return dn;
}

int
desknotify_fd(const struct desknotify *dn)
{
	return dn->rfd;
}

void
desknotify_post(struct desknotify *dn, const char *title, const char *body,
    enum desknotify_urgency urgency)
{
	pthread_mutex_lock(&dn->mu);
	dn->st.posted++;
	bool skip = dn->unavailable || dn->stopping;
	if (skip)
		dn->st.suppressed++;
	pthread_mutex_unlock(&dn->mu);
	if (skip)
		return;

	struct entry e = {
		desknotify_clean(title, DESKNOTIFY_TITLE_MAX, false),
		desknotify_clean(body, DESKNOTIFY_BODY_MAX, true),
		urgency,
	};
	pthread_mutex_lock(&dn->mu);
	if (dn->unavailable || dn->stopping) {
		dn->st.suppressed++; /* failed while we cleaned the text */
		entry_free(&e);
	} else {
		if (dn->n == dn->cap) {
			entry_free(&dn->ring[dn->head]);
			dn->head = (dn->head + 1) % dn->cap;
			dn->n--;
			dn->st.dropped++;
		}
		dn->ring[(dn->head + dn->n) % dn->cap] = e;
		dn->n++;
		pthread_cond_signal(&dn->wake);
	}
	pthread_mutex_unlock(&dn->mu);
}

size_t
desknotify_drain(struct desknotify *dn, desknotify_fn *fn, void *ud)
{
	char buf[64];
	while (read(dn->rfd, buf, sizeof buf) > 0)
		;
	struct pending_event evs[EVENTS_MAX];
	pthread_mutex_lock(&dn->mu);
	size_t n = dn->nevents;
	memcpy(evs, dn->events, n * sizeof evs[0]);
	dn->nevents = 0;
	pthread_mutex_unlock(&dn->mu);
	for (size_t i = 0; i < n; i++) {
		struct desknotify_event ev = { evs[i].kind, evs[i].text };
		if (fn != NULL)
			fn(ud, &ev);
	}
	return n;
}

void
desknotify_retry(struct desknotify *dn)
{
	pthread_mutex_lock(&dn->mu);
	dn->unavailable = false;
	dn->probe = true;
	pthread_cond_signal(&dn->wake);
	pthread_mutex_unlock(&dn->mu);
}

void
desknotify_get_stats(struct desknotify *dn, struct desknotify_stats *out)
{
	pthread_mutex_lock(&dn->mu);
	*out = dn->st;
	out->pending = dn->n + (dn->busy ? 1 : 0);
	out->unavailable = dn->unavailable;
	pthread_mutex_unlock(&dn->mu);
}

bool
desknotify_stop(struct desknotify *dn)
{
	if (dn == NULL)
		return true;
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += DESKNOTIFY_STOP_WAIT_MS / 1000;
	deadline.tv_nsec += (long)(DESKNOTIFY_STOP_WAIT_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&dn->mu);
	dn->stopping = true;
	pthread_cond_signal(&dn->wake);
	while (!dn->exited)
		if (pthread_cond_timedwait(&dn->ended, &dn->mu, &deadline) ==
		    ETIMEDOUT)
			break;
	bool ended = dn->exited;
	pthread_mutex_unlock(&dn->mu);
	if (ended)
		pthread_join(dn->thread, NULL);
	else
		pthread_detach(dn->thread);
	release(dn);
	return ended;
}

bool
desknotify_supported(void)
{
	return notifier_supported();
}
