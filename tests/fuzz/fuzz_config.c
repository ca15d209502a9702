/*
 * fuzz_config: the settings file parser (model/config).
 *
 * The input is the file's bytes, NULs and all (config_parse_len, as confab
 * reads the file). Beyond not crashing:
 *
 *   - a refused file leaves the settings exactly as they were, and the
 *     message names the file and line and is valid UTF-8;
 *   - an accepted file leaves only settings that pass their own checks;
 *   - the settings written back as a file (every value quoted) parse to
 *     the same settings: quoting, comments and blanks lose nothing.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <strings.h>

#include "fuzz.h"
#include "model/config.h"
#include "model/names.h"
#include "model/utf8.h"

struct text {
	char *s;
	size_t len, cap;
};

static void
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	FUZZ_CHECK(n >= 0);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (t->s == NULL)
			abort();
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* key = "value", with the two escapes unquote knows. */
static void
put_quoted(struct text *t, const char *key, const char *v)
{
	if (v == NULL)
		return;
	put(t, "%s = \"", key);
	for (const char *p = v; *p; p++)
		put(t, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
	put(t, "\"\n");
}

/* A list, its entries joined by commas, quoted. */
static void
put_list(struct text *t, const char *key, const struct config_list *l)
{
	struct text v = {NULL, 0, 0};
	for (size_t i = 0; i < l->n; i++)
		put(&v, "%s%s", i ? "," : "", l->v[i]);
	put_quoted(t, key, v.s ? v.s : "");
	free(v.s);
}

static const char *
yes(bool b)
{
	return b ? "true" : "false";
}

/* The settings as a file that config_parse reads back. */
static char *
written(const struct config *c)
{
	struct text t = {NULL, 0, 0};
	char num[3][24];
	put_quoted(&t, "server", c->server);
	put_quoted(&t, "user", c->user);
	put_quoted(&t, "room", c->room);
	put_quoted(&t, "theme", c->theme);
	put_quoted(&t, "log", c->log);
	snprintf(num[0], sizeof num[0], "%d", c->away_after);
	snprintf(num[1], sizeof num[1], "%u", c->reconnect_attempts);
	snprintf(num[2], sizeof num[2], "%d", c->history_page);
	put_quoted(&t, "away_after", num[0]);
	put_quoted(&t, "reconnect_attempts", num[1]);
	put_quoted(&t, "history_page", num[2]);
	put_quoted(&t, "timestamps", yes(c->timestamps));
	put_quoted(&t, "side_panes", yes(c->side_panes));
	put_quoted(&t, "notify", notify_level_name(c->notify.level));
	put_quoted(&t, "notify_when", notify_when_name(c->notify.when));
	put_quoted(&t, "bell", yes(c->notify.bell));
	put_quoted(&t, "dnd", yes(c->notify.dnd));
	for (size_t i = 0; i < c->notify.nrooms; i++) {
		char key[128];
		snprintf(key, sizeof key, "notify.%s", c->notify.rooms[i].room);
		put_quoted(&t, key, notify_level_name(c->notify.rooms[i].level));
	}
	put_list(&t, "autojoin", &c->autojoin);
	put_list(&t, "highlight", &c->highlight);
	put_quoted(&t, "remember_rooms", yes(c->remember_rooms));
	put_quoted(&t, "chat_logs", yes(c->chat_logs));
	put_quoted(&t, "chat_log_dir", c->chat_log_dir);
	put_quoted(&t, "timestamp_format", c->timestamp_format);
	put_quoted(&t, "ca", c->ca);
	put(&t, "%s", "");
	return t.s;
}

static bool
valid_string(const char *s)
{
	return s == NULL || utf8_valid(s, strlen(s));
}

static void
check_settings(const struct config *c)
{
	size_t scheme = c->server == NULL ? 0 :
	    strncasecmp(c->server, "wss://", 6) == 0 ? 6 :
	    strncasecmp(c->server, "ws://", 5) == 0 ? 5 : 0;
	FUZZ_CHECK(scheme > 0 && c->server[scheme] != '\0' &&
	    c->server[scheme] != '/');
	FUZZ_CHECK(c->user == NULL || names_valid_user(c->user));
	FUZZ_CHECK(c->room != NULL && names_valid_room(c->room));
	FUZZ_CHECK(c->theme != NULL && *c->theme != '\0' &&
	    strlen(c->theme) <= 63 &&
	    strspn(c->theme, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-") == strlen(c->theme));
	FUZZ_CHECK(c->log == NULL || *c->log != '\0');
	FUZZ_CHECK(valid_string(c->server) && valid_string(c->log));
	FUZZ_CHECK(c->away_after >= 0 && c->away_after <= 86400);
	FUZZ_CHECK(c->reconnect_attempts <= 1000000);
	FUZZ_CHECK(c->history_page >= 1 && c->history_page <= 200);
	for (size_t i = 0; i < c->notify.nrooms; i++) {
		FUZZ_CHECK(names_valid_room(c->notify.rooms[i].room));
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(c->notify.rooms[i].room,
			    c->notify.rooms[j].room) != 0);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("USER", "alice", 1);
	setenv("HOME", "/home/alice", 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	config_defaults(&c);
	char *before = written(&c);
	char err[1024] = "";
	if (!config_parse_len(&c, (const char *)data, size, "fuzz.conf", err,
	    sizeof err)) {
		char *after = written(&c);
		FUZZ_CHECK(strcmp(before, after) == 0);
		FUZZ_CHECK(strncmp(err, "fuzz.conf:", 10) == 0);
		FUZZ_CHECK(utf8_valid(err, strlen(err)));
		free(after);
	} else {
		check_settings(&c);
		char *file = written(&c);
		struct config again;
		config_defaults(&again);
		if (!config_parse(&again, file, "again.conf", err, sizeof err)) {
			fprintf(stderr, "rewritten file refused: %s\n%s", err, file);
			FUZZ_CHECK(!"the rewritten file parses");
		}
		char *file2 = written(&again);
		FUZZ_CHECK(strcmp(file, file2) == 0);
		free(file2);
		free(file);
		config_free(&again);
	}
	free(before);
	config_free(&c);
	return 0;
}
