/*
 * desknotify: desktop notifications that never block the caller.
 *
 * Owns one worker thread, a bounded queue that feeds it and a pipe that
 * brings its results back. desknotify_post cleans the text and queues it
 * (when the queue is full the oldest entry is dropped and counted), and
 * returns at once; the worker hands each entry to the notification daemon
 * over D-Bus (libnotify). The loop watches desknotify_fd() and calls
 * desknotify_drain() when it becomes readable. The module never includes
 * libwebsockets or curses and never writes to the terminal (libnotify's
 * warnings are captured, not printed).
 *
 * Failure: when there is no D-Bus session bus, or no notification daemon
 * answers, or the daemon refuses a notification, the worker reports ONE
 * event "desktop notifications unavailable: REASON", empties the queue and
 * stops trying: later posts are counted and dropped without any D-Bus
 * traffic until desknotify_retry(). A session bus is looked for only where
 * DBUS_SESSION_BUS_ADDRESS or $XDG_RUNTIME_DIR/bus says; no bus is ever
 * started (no X11 autolaunch).
 *
 * Threads: every function is called from one thread, the loop's; the
 * worker is internal. Signals are blocked in the worker, so they keep
 * interrupting the loop's poll.
 */
#ifndef CONFAB_DESKNOTIFY_H
#define CONFAB_DESKNOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DESKNOTIFY_TITLE_MAX 100  /* characters of a title; more is cut */
#define DESKNOTIFY_BODY_MAX 300   /* characters of a body; more is cut */
#define DESKNOTIFY_QUEUE_MAX 32   /* default queue length */
#define DESKNOTIFY_STOP_WAIT_MS 1000

enum desknotify_urgency {
	DESKNOTIFY_LOW,
	DESKNOTIFY_NORMAL,    /* mentions and direct messages */
	DESKNOTIFY_CRITICAL,
};

struct desknotify_options {
	const char *app_name;  /* NULL: "confab" */
	const char *icon;      /* an icon name or path, NULL: none */
	const char *category;  /* NULL: "im.received" */
	size_t queue_max;      /* 0: DESKNOTIFY_QUEUE_MAX */
};

enum desknotify_event_kind {
	/* text: "desktop notifications unavailable: REASON"; once per failure */
	DESKNOTIFY_UNAVAILABLE,
	/* text: "desktop notifications available (SERVER VERSION)"; only as
	 * the answer to desknotify_retry */
	DESKNOTIFY_AVAILABLE,
};

struct desknotify_event {
	enum desknotify_event_kind kind;
	const char *text;      /* valid during the callback only */
};

typedef void desknotify_fn(void *ud, const struct desknotify_event *ev);

/* Counters since start. Every post ends in exactly one of shown, dropped
 * or suppressed, or is still pending: posted == shown + dropped +
 * suppressed + pending. */
struct desknotify_stats {
	uint64_t posted;      /* calls to desknotify_post */
	uint64_t shown;       /* accepted by the daemon */
	uint64_t dropped;     /* pushed out of a full queue (the oldest goes) */
	uint64_t suppressed;  /* given up while notifications were unavailable */
	uint64_t attempts;    /* times the worker set out to reach the daemon */
	uint64_t failures;    /* DESKNOTIFY_UNAVAILABLE events raised */
	size_t pending;       /* queued or being shown now */
	bool unavailable;     /* given up until desknotify_retry */
};

struct desknotify;

/* Starts the worker. NULL on failure (no pipe or thread), with the reason
 * in err. Nothing talks to D-Bus until the first post or retry. */
struct desknotify *desknotify_start(const struct desknotify_options *opt,
    char *err, size_t errlen);

/* The read end of the result pipe (non-blocking). Watch a dup() of it:
 * libwebsockets closes what it adopts. */
int desknotify_fd(const struct desknotify *dn);

/* Queues a notification; never blocks, never fails (losses are counted).
 * title and body are any bytes: they are made valid UTF-8, stripped of
 * control characters and cut to DESKNOTIFY_TITLE_MAX / _BODY_MAX
 * characters; the body is escaped for daemons that read markup. */
void desknotify_post(struct desknotify *dn, const char *title,
    const char *body, enum desknotify_urgency urgency);

/* Empties the pipe and calls fn for each event that came back, in order.
 * Returns how many. */
size_t desknotify_drain(struct desknotify *dn, desknotify_fn *fn, void *ud);

/* Tries again after a failure: asks the daemon who it is, and reports
 * DESKNOTIFY_AVAILABLE or (once) DESKNOTIFY_UNAVAILABLE. */
void desknotify_retry(struct desknotify *dn);

void desknotify_get_stats(struct desknotify *dn, struct desknotify_stats *out);

/* Stops the worker and frees everything. Waits at most
 * DESKNOTIFY_STOP_WAIT_MS for a worker stuck in D-Bus, then leaves it
 * behind (it frees its share when it returns) and returns false. NULL is
 * fine. Queued notifications are dropped. */
bool desknotify_stop(struct desknotify *dn);

/* False when built without libnotify: every attempt then fails with
 * "built without libnotify". */
bool desknotify_supported(void);

/* The cleaning desknotify_post applies: valid UTF-8 (bad bytes become
 * U+FFFD), no C0/C1 control characters or bidirectional overrides (a tab
 * becomes a space; a newline stays when multiline, else becomes a space),
 * at most max_chars characters and then "…". A new string (free()); s NULL
 * is "". */
char *desknotify_clean(const char *s, size_t max_chars, bool multiline);

#endif
