/*
 * notifier_libnotify: freedesktop notifications through libnotify.
 *
 * Before the first notification the backend makes sure there is someone
 * to talk to, with calls whose errors it can report and whose time it
 * bounds: the session bus (only where DBUS_SESSION_BUS_ADDRESS or
 * $XDG_RUNTIME_DIR/bus points: GLib would otherwise try to autolaunch a
 * bus through dbus-launch), then the daemon's GetCapabilities, which also
 * says whether bodies are read as markup. libnotify then shows the
 * notifications.
 *
 * Three GLib traps are handled here:
 *   - the shared session-bus connection kills the process (exit-on-close)
 *     when the bus goes away; that is switched off as soon as we hold it;
 *   - libnotify prints warnings on stderr, over the curses screen; a log
 *     handler for its domain keeps them (the last one helps say why);
 *   - signals from the daemon (NotificationClosed) are queued to the
 *     main context of the thread that made the proxy; this thread pushes
 *     a context of its own and empties it after every call, so they never
 *     pile up.
 */
#include "notify/notifier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <libnotify/notify.h>

#include "model/xmalloc.h"

#define FDN_NAME "org.freedesktop.Notifications"
#define FDN_PATH "/org/freedesktop/Notifications"
#define FDN_IFACE "org.freedesktop.Notifications"
/* Our own calls to the daemon; libnotify's own are bounded by its 25 s. */
#define CALL_TIMEOUT_MS 5000

struct notifier {
	char *app_name;
	GMainContext *ctx;
	GDBusConnection *bus;
	guint log_handler;
	bool ready;              /* bus reached, daemon answered, libnotify up */
	bool markup;             /* the daemon reads bodies as markup */
	char last_log[256];      /* libnotify's last warning */
};

static void
on_log(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer ud)
{
	(void)domain;
	struct notifier *n = ud;
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
	    G_LOG_LEVEL_WARNING))
		snprintf(n->last_log, sizeof n->last_log, "%s", msg);
}

static void
pump(struct notifier *n)
{
	while (g_main_context_iteration(n->ctx, FALSE))
		;
}

struct notifier *
notifier_new(const char *app_name)
{
	struct notifier *n = xcalloc(1, sizeof *n);
	n->app_name = xstrdup(app_name);
	n->ctx = g_main_context_new();
	g_main_context_push_thread_default(n->ctx);
	n->log_handler = g_log_set_handler("libnotify", G_LOG_LEVEL_MASK |
	    G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, on_log, n);
	return n;
}

static bool
say(char *why, size_t len, const char *what, GError *e)
{
	if (e != NULL && g_dbus_error_is_remote_error(e))
		g_dbus_error_strip_remote_error(e);
	snprintf(why, len, "%s%s%s", what, e != NULL ? ": " : "",
	    e != NULL ? e->message : "");
	g_clear_error(&e);
	return false;
}

/* Where GLib would find the session bus without starting one. */
static bool
bus_configured(void)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	if (addr != NULL && *addr != '\0')
		return true;
	const char *rt = getenv("XDG_RUNTIME_DIR");
	if (rt == NULL || *rt == '\0')
		return false;
	char path[4096];
	struct stat st;
	snprintf(path, sizeof path, "%s/bus", rt);
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

static GVariant *
call(struct notifier *n, const char *method, const GVariantType *reply,
    GError **e)
{
	GVariant *r = g_dbus_connection_call_sync(n->bus, FDN_NAME, FDN_PATH,
	    FDN_IFACE, method, NULL, reply, G_DBUS_CALL_FLAGS_NONE,
	    CALL_TIMEOUT_MS, NULL, e);
	pump(n);
	return r;
}

static bool
make_ready(struct notifier *n, char *why, size_t len)
{
	if (n->ready)
		return true;
	if (!bus_configured())
		return say(why, len,
		    "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)",
		    NULL);
	GError *e = NULL;
	n->bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &e);
	if (n->bus == NULL)
		return say(why, len, "cannot reach the D-Bus session bus", e);
	g_dbus_connection_set_exit_on_close(n->bus, FALSE);
	GVariant *caps = call(n, "GetCapabilities", G_VARIANT_TYPE("(as)"), &e);
	if (caps == NULL)
		return say(why, len, "no notification daemon", e);
	GVariantIter *it;
	const gchar *cap;
	n->markup = false;
	g_variant_get(caps, "(as)", &it);
	while (g_variant_iter_loop(it, "&s", &cap))
		if (strcmp(cap, "body-markup") == 0)
			n->markup = true;
	g_variant_iter_free(it);
	g_variant_unref(caps);
	if (!notify_is_initted() && !notify_init(n->app_name))
		return say(why, len, "libnotify did not start", NULL);
	n->ready = true;
	return true;
}

static NotifyUrgency
urgency_of(enum desknotify_urgency u)
{
	switch (u) {
	case DESKNOTIFY_LOW: return NOTIFY_URGENCY_LOW;
	case DESKNOTIFY_NORMAL: return NOTIFY_URGENCY_NORMAL;
	case DESKNOTIFY_CRITICAL: return NOTIFY_URGENCY_CRITICAL;
	}
	return NOTIFY_URGENCY_NORMAL;
}

bool
notifier_show(struct notifier *n, const char *title, const char *body,
    const char *icon, const char *category, enum desknotify_urgency urgency,
    char *why, size_t whylen)
{
	if (!make_ready(n, why, whylen))
		return false;
	/* The summary is plain text in the specification; only the body is
	 * markup, and only for daemons that say they read it. */
	gchar *text = n->markup ? g_markup_escape_text(body, -1) : g_strdup(body);
	NotifyNotification *nn = notify_notification_new(title, text, icon);
	g_free(text);
	notify_notification_set_category(nn, category);
	notify_notification_set_urgency(nn, urgency_of(urgency));
	GError *e = NULL;
	n->last_log[0] = '\0';
	bool ok = notify_notification_show(nn, &e);
	g_object_unref(nn);
	pump(n);
	if (!ok && e == NULL && n->last_log[0] != '\0')
		return say(why, whylen, n->last_log, NULL);
	if (!ok)
		return say(why, whylen, "the notification daemon failed", e);
	return true;
}

bool
notifier_probe(struct notifier *n, char *what, size_t len)
{
	if (!make_ready(n, what, len))
		return false;
	GError *e = NULL;
	GVariant *r = call(n, "GetServerInformation",
	    G_VARIANT_TYPE("(ssss)"), &e);
	if (r == NULL)
		return say(what, len, "no notification daemon", e);
	const gchar *name, *vendor, *version, *spec;
	g_variant_get(r, "(&s&s&s&s)", &name, &vendor, &version, &spec);
	snprintf(what, len, "%s %s", name, version);
	g_variant_unref(r);
	return true;
}

void
notifier_reset(struct notifier *n)
{
	if (notify_is_initted())
		notify_uninit();
	g_clear_object(&n->bus);
	pump(n);
	n->ready = false;
}

void
notifier_free(struct notifier *n)
{
	notifier_reset(n);
	g_log_remove_handler("libnotify", n->log_handler);
	g_main_context_pop_thread_default(n->ctx);
	g_main_context_unref(n->ctx);
	free(n->app_name);
	free(n);
}

bool
notifier_supported(void)
{
	return true;
}
