/*
 * config: the settings file parser.
 *
 * Every key has one setter in a table sorted by name; the file parser and
 * config_set (command-line flags) both go through it, so a value is checked
 * the same way wherever it comes from. The one family of keys not in the
 * table is notify.ROOM (a room's notification level), whose name holds the
 * room; config_set sends every key with that prefix to set_notify_room.
 * A setter checks its value completely before it changes anything, which
 * makes config_set all-or-nothing; the file parser gets the same property
 * for a whole file by applying the lines to a copy and swapping it in only
 * when every line was good.
 *
 * Reasons for errors are written without a location; config_parse prefixes
 * "file:line: " and config_set leaves it to the caller to say which flag.
 */
#include "model/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/names.h"
#include "model/utf8.h"

/* Longer lines are refused rather than cut: a cut line would silently
 * change a value. 4096 holds any path a system allows. */
#define CONFIG_LINE_MAX 4096
/* The theme name must fit struct theme's name[64]. */
#define CONFIG_THEME_MAX 63
/* Values are quoted in messages up to this many bytes. */
#define QUOTE_MAX 48
/* Per-room notification keys: notify.ROOM = level. */
#define CONFIG_NOTIFY_PREFIX "notify."

static char *
xstrdup(const char *s)
{
	char *d = strdup(s);
	if (d == NULL) {
		fputs("confab: out of memory\n", stderr);
		abort();
	}
	return d;
}

static bool
fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err != NULL && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		/* cut between characters: messages are shown as UTF-8 */
		if (n >= 0 && (size_t)n >= errlen)
			err[utf8_trim_partial(err, strlen(err))] = '\0';
	}
	return false;
}

/* A value as shown in a message: at most QUOTE_MAX bytes, cut on a
 * character boundary (values are valid UTF-8 by then) and marked "...". */
static const char *
shown(const char *v, char buf[QUOTE_MAX + 4])
{
	size_t n = strlen(v);
	if (n <= QUOTE_MAX)
		return v;
	n = utf8_prefix(v, n, QUOTE_MAX);
	memcpy(buf, v, n);
	memcpy(buf + n, "...", 4);
	return buf;
}

static void
replace(char **field, const char *value)
{
	char *d = value != NULL ? xstrdup(value) : NULL;
	free(*field);
	*field = d;
}

/* ---- values -------------------------------------------------------------- */

/* Decimal digits only, within [min, max]. */
static bool
parse_number(const char *key, const char *v, unsigned long min,
    unsigned long max, unsigned long *out, char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	unsigned long n = 0;
	bool big = false;
	if (*v == '\0')
		return fail(err, errlen, "%s: not a number: '%s'", key, v);
	for (const char *p = v; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return fail(err, errlen, "%s: not a number: '%s'", key,
			    shown(v, q));
		if (n > max)
			big = true; /* keep scanning for non-digits */
		else
			n = n * 10 + (unsigned long)(*p - '0');
	}
	if (big || n < min || n > max)
		return fail(err, errlen, "%s: out of range (%lu-%lu): '%s'", key,
		    min, max, shown(v, q));
	*out = n;
	return true;
}

static bool
parse_bool(const char *key, const char *v, bool *out, char *err,
    size_t errlen)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	char q[QUOTE_MAX + 4];
	return fail(err, errlen,
	    "%s: not a boolean (true/false, yes/no, on/off): '%s'", key,
	    shown(v, q));
}

/* ---- setters, one per key ------------------------------------------------ */

typedef bool setter(struct config *c, const char *v, char *err,
    size_t errlen);

static bool
set_server(struct config *c, const char *v, char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	if (strncasecmp(v, "wss://", 6) == 0)
		return fail(err, errlen,
		    "server: wss:// (TLS) is not supported yet, use ws://");
	if (strncmp(v, "ws://", 5) != 0)
		return fail(err, errlen, "server: must start with ws://: '%s'",
		    shown(v, q));
	if (v[5] == '\0' || v[5] == '/')
		return fail(err, errlen, "server: no host after ws://");
	replace(&c->server, v);
	return true;
}

static bool
set_user(struct config *c, const char *v, char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	if (!names_valid_user(v))
		return fail(err, errlen,
		    "user: not a valid user name (1-32 of A-Z a-z 0-9 _ . -, "
		    "not starting with . or -): '%s'", shown(v, q));
	replace(&c->user, v);
	return true;
}

static bool
set_room(struct config *c, const char *v, char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	if (!names_valid_room(v))
		return fail(err, errlen,
		    "room: not a valid room name (1-64 of a-z 0-9 _ . -, "
		    "starting with a letter or digit): '%s'", shown(v, q));
	replace(&c->room, v);
	return true;
}

static bool
set_theme(struct config *c, const char *v, char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	size_t n = strlen(v);
	bool ok = n <= CONFIG_THEME_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		char ch = v[i];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
	}
	if (!ok)
		return fail(err, errlen,
		    "theme: not a theme name (up to %d of A-Z a-z 0-9 _ -): '%s'",
		    CONFIG_THEME_MAX, shown(v, q));
	replace(&c->theme, v);
	return true;
}

/* Empty means the default place; a leading ~/ is the home directory, as a
 * shell would have it, because the file is not read by a shell. */
static bool
set_log(struct config *c, const char *v, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	const char *home = getenv("HOME");
	if (*v == '\0') {
		replace(&c->log, NULL);
	} else if (v[0] == '~' && v[1] == '/' && home != NULL &&
	    *home != '\0') {
		size_t hn = strlen(home), vn = strlen(v + 1);
		char *path = malloc(hn + vn + 1);
		if (path == NULL) {
			fputs("confab: out of memory\n", stderr);
			abort();
		}
		memcpy(path, home, hn);
		memcpy(path + hn, v + 1, vn + 1);
		free(c->log);
		c->log = path;
	} else {
		replace(&c->log, v);
	}
	return true;
}

static bool
set_away_after(struct config *c, const char *v, char *err, size_t errlen)
{
	unsigned long n;
	if (!parse_number("away_after", v, 0, 86400, &n, err, errlen))
		return false;
	c->away_after = (int)n;
	return true;
}

static bool
set_reconnect_attempts(struct config *c, const char *v, char *err,
    size_t errlen)
{
	unsigned long n;
	if (!parse_number("reconnect_attempts", v, 0, 1000000, &n, err, errlen))
		return false;
	c->reconnect_attempts = (unsigned)n;
	return true;
}

static bool
set_history_page(struct config *c, const char *v, char *err, size_t errlen)
{
	unsigned long n;
	if (!parse_number("history_page", v, 1, 200, &n, err, errlen))
		return false;
	c->history_page = (int)n;
	return true;
}

static bool
set_timestamps(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_bool("timestamps", v, &c->timestamps, err, errlen);
}

static bool
set_side_panes(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_bool("side_panes", v, &c->side_panes, err, errlen);
}

static bool
parse_level(const char *key, const char *v, enum notify_level *out,
    char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	if (!notify_level_parse(v, out))
		return fail(err, errlen, "%s: not one of all, mentions, none: '%s'",
		    key, shown(v, q));
	return true;
}

static bool
set_notify(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_level("notify", v, &c->notify.level, err, errlen);
}

static bool
set_notify_when(struct config *c, const char *v, char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	if (!notify_when_parse(v, &c->notify.when))
		return fail(err, errlen,
		    "notify_when: not one of always, unfocused: '%s'", shown(v, q));
	return true;
}

static bool
set_bell(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_bool("bell", v, &c->notify.bell, err, errlen);
}

static bool
set_dnd(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_bool("dnd", v, &c->notify.dnd, err, errlen);
}

/* "notify.ROOM": one level per room, the key naming the room. A second
 * line for the same room replaces the first, like any other key. */
static bool
set_notify_room(struct config *c, const char *key, const char *v, char *err,
    size_t errlen)
{
	char q[QUOTE_MAX + 4], qroom[QUOTE_MAX + 4];
	const char *room = key + strlen(CONFIG_NOTIFY_PREFIX);
	enum notify_level level;
	if (!names_valid_room(room))
		return fail(err, errlen,
		    "%s: not a valid room name (1-64 of a-z 0-9 _ . -, "
		    "starting with a letter or digit): '%s'", shown(key, q),
		    shown(room, qroom));
	if (!parse_level(key, v, &level, err, errlen))
		return false;
	struct notify_settings *n = &c->notify;
	for (size_t i = 0; i < n->nrooms; i++) {
		if (strcmp(n->rooms[i].room, room) == 0) {
			n->rooms[i].level = level;
			return true;
		}
	}
	struct notify_room_rule *g = realloc(n->rooms,
	    (n->nrooms + 1) * sizeof *g);
	if (g == NULL) {
		fputs("confab: out of memory\n", stderr);
		abort();
	}
	n->rooms = g;
	n->rooms[n->nrooms].room = xstrdup(room);
	n->rooms[n->nrooms].level = level;
	n->nrooms++;
	return true;
}

/* Sorted by name for bsearch. */
static const struct key {
	const char *name;
	setter *set;
	bool empty_ok;
} keys[] = {
	{ "away_after", set_away_after, false },
	{ "bell", set_bell, false },
	{ "dnd", set_dnd, false },
	{ "history_page", set_history_page, false },
	{ "log", set_log, true },
	{ "notify", set_notify, false },
	{ "notify_when", set_notify_when, false },
	{ "reconnect_attempts", set_reconnect_attempts, false },
	{ "room", set_room, false },
	{ "server", set_server, false },
	{ "side_panes", set_side_panes, false },
	{ "theme", set_theme, false },
	{ "timestamps", set_timestamps, false },
	{ "user", set_user, false },
};

static int
key_cmp(const void *name, const void *k)
{
	return strcmp(name, ((const struct key *)k)->name);
}

static const struct key *
key_find(const char *name)
{
	return bsearch(name, keys, sizeof keys / sizeof keys[0], sizeof keys[0],
	    key_cmp);
}

/* ---- the public functions ---------------------------------------------- */

void
config_defaults(struct config *c)
{
	const char *user = getenv("USER");
	c->server = xstrdup("ws://127.0.0.1:7681/");
	c->user = user != NULL && names_valid_user(user) ? xstrdup(user) : NULL;
	c->room = xstrdup("lobby");
	c->theme = xstrdup("default");
	c->log = NULL;
	c->away_after = 300;
	c->reconnect_attempts = 0;
	c->history_page = 50;
	c->timestamps = true;
	c->side_panes = true;
	notify_settings_default(&c->notify);
}

static void
free_notify_rooms(struct notify_settings *n)
{
	for (size_t i = 0; i < n->nrooms; i++)
		free(n->rooms[i].room);
	free(n->rooms);
	n->rooms = NULL;
	n->nrooms = 0;
}

void
config_free(struct config *c)
{
	free(c->server);
	free(c->user);
	free(c->room);
	free(c->theme);
	free(c->log);
	c->server = c->user = c->room = c->theme = c->log = NULL;
	free_notify_rooms(&c->notify);
}

static void
config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	dst->server = src->server ? xstrdup(src->server) : NULL;
	dst->user = src->user ? xstrdup(src->user) : NULL;
	dst->room = src->room ? xstrdup(src->room) : NULL;
	dst->theme = src->theme ? xstrdup(src->theme) : NULL;
	dst->log = src->log ? xstrdup(src->log) : NULL;
	dst->notify.rooms = NULL;
	dst->notify.nrooms = 0;
	if (src->notify.nrooms > 0) {
		dst->notify.rooms = calloc(src->notify.nrooms,
		    sizeof *dst->notify.rooms);
		if (dst->notify.rooms == NULL) {
			fputs("confab: out of memory\n", stderr);
			abort();
		}
		for (size_t i = 0; i < src->notify.nrooms; i++) {
			dst->notify.rooms[i].room = xstrdup(src->notify.rooms[i].room);
			dst->notify.rooms[i].level = src->notify.rooms[i].level;
		}
		dst->notify.nrooms = src->notify.nrooms;
	}
}

bool
config_set(struct config *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	char q[QUOTE_MAX + 4];
	const struct key *k = key_find(key);
	bool per_room = k == NULL && strncmp(key, CONFIG_NOTIFY_PREFIX,
	    strlen(CONFIG_NOTIFY_PREFIX)) == 0;
	if (k == NULL && !per_room)
		return fail(err, errlen, "unknown key '%s'", shown(key, q));
	if (value == NULL)
		value = "";
	if (*value == '\0' && (per_room || !k->empty_ok))
		return fail(err, errlen, "%s: empty value",
		    per_room ? shown(key, q) : k->name);
	if (per_room)
		return set_notify_room(c, key, value, err, errlen);
	return k->set(c, value, err, errlen);
}

/* ---- the file ------------------------------------------------------------ */

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static char *
trim(char *s)
{
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Unquotes the value at v (just after the opening '"') in place: \" is a
 * quote, \\ a backslash, any other backslash is itself. After the closing
 * quote only blanks or a comment may follow. */
static bool
unquote(char *v, char *err, size_t errlen)
{
	char *out = v;
	const char *p = v;
	while (*p != '\0' && *p != '"') {
		if (p[0] == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		*out++ = *p++;
	}
	if (*p != '"')
		return fail(err, errlen, "unterminated quoted value");
	p++;
	while (is_blank(*p))
		p++;
	if (*p != '\0' && *p != '#')
		return fail(err, errlen, "unexpected text after the closing quote");
	*out = '\0';
	return true;
}

/* Cuts an unquoted value at a '#' that follows a blank (the line's text
 * before v is blank or '='), then drops trailing blanks. */
static void
uncomment(char *v)
{
	for (char *p = v; *p != '\0'; p++) {
		if (*p == '#' && is_blank(p[-1])) {
			*p = '\0';
			break;
		}
	}
	trim(v);
}

static bool
parse_line(struct config *c, const char *line, size_t n, char *err,
    size_t errlen)
{
	char buf[CONFIG_LINE_MAX + 1];
	if (n > 0 && line[n - 1] == '\r')
		n--; /* files written on Windows */
	if (n > CONFIG_LINE_MAX)
		return fail(err, errlen, "line longer than %d bytes",
		    CONFIG_LINE_MAX);
	if (!utf8_valid(line, n))
		return fail(err, errlen, "invalid UTF-8");
	memcpy(buf, line, n);
	buf[n] = '\0';

	char *s = trim(buf);
	if (*s == '\0' || *s == '#')
		return true;
	char *eq = strchr(s, '=');
	if (eq == NULL)
		return fail(err, errlen, "missing '=' (expected 'key = value')");
	*eq = '\0';
	char *key = trim(s), *v = eq + 1;
	if (*key == '\0')
		return fail(err, errlen, "missing key before '='");
	while (is_blank(*v))
		v++;
	if (*v == '"') {
		if (!unquote(++v, err, errlen))
			return false;
	} else {
		uncomment(v);
	}
	return config_set(c, key, v, err, errlen);
}

bool
config_parse(struct config *c, const char *text, const char *filename,
    char *err, size_t errlen)
{
	char reason[256];
	struct config tmp;
	config_copy(&tmp, c);
	unsigned lineno = 0;
	for (const char *p = text != NULL ? text : ""; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (!parse_line(&tmp, p, n, reason, sizeof reason)) {
			config_free(&tmp);
			return fail(err, errlen, "%s:%u: %s",
			    filename != NULL ? filename : "config", lineno,
			    reason);
		}
		p += n + (nl != NULL);
	}
	config_free(c);
	*c = tmp;
	return true;
}
