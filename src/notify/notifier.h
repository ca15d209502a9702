/*
 * notifier: what desknotify's worker asks of a notification backend.
 * Internal to src/notify. Every function runs on the worker thread only,
 * and may block (D-Bus round trips): that is why it is on a worker.
 *
 * Two backends implement it: notifier_libnotify.c (freedesktop
 * notifications over D-Bus) and notifier_none.c (built without libnotify:
 * every attempt fails with a reason that says so). A failed call leaves
 * the backend ready to start over on the next call.
 */
#ifndef CONFAB_NOTIFIER_H
#define CONFAB_NOTIFIER_H

#include <stdbool.h>
#include <stddef.h>

#include "notify/desknotify.h"

struct notifier;

/* Called first on the worker; never NULL. */
struct notifier *notifier_new(const char *app_name);

/* Shows one notification (title and body already cleaned, the body not
 * yet escaped). On failure writes the reason into why. */
bool notifier_show(struct notifier *n, const char *title, const char *body,
    const char *icon, const char *category, enum desknotify_urgency urgency,
    char *why, size_t whylen);

/* Asks the daemon who it is: "NAME VERSION" into what, or the reason of
 * the failure. */
bool notifier_probe(struct notifier *n, char *what, size_t len);

/* Forgets the connection after a failure, so the next call starts over. */
void notifier_reset(struct notifier *n);

void notifier_free(struct notifier *n);

bool notifier_supported(void);

#endif
