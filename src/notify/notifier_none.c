/*
 * notifier_none: the backend of a build without libnotify. Every attempt
 * fails with the same reason, so the user is told once and the rest of
 * desknotify behaves as it does without a daemon.
 */
#include "notify/notifier.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/xmalloc.h"

struct notifier {
	int unused;
};

static const char reason[] = "built without libnotify";

struct notifier *
notifier_new(const char *app_name)
{
	(void)app_name;
	return xcalloc(1, sizeof(struct notifier));
}

bool
notifier_show(struct notifier *n, const char *title, const char *body,
    const char *icon, const char *category, enum desknotify_urgency urgency,
    char *why, size_t whylen)
{
	(void)n;
	(void)title;
	(void)body;
	(void)icon;
	(void)category;
	(void)urgency;
	snprintf(why, whylen, "%s", reason);
	return false;
}

bool
notifier_probe(struct notifier *n, char *what, size_t len)
{
	(void)n;
	snprintf(what, len, "%s", reason);
	return false;
}

void
notifier_reset(struct notifier *n)
{
	(void)n;
}

void
notifier_free(struct notifier *n)
{
	free(n);
}

bool
notifier_supported(void)
{
	return false;
}
