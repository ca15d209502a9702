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
#include "model/fallback.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/names.h"
#include "model/utf8.h"
#include "model/xmalloc.h"

#include <time.h>

/* Longer lines are refused rather than cut: a cut line would silently
 * change a value. 4096 holds any path a system allows. */
#define CONFIG_LINE_MAX 4096
/* The theme name must fit struct theme's name[64]. */
#define CONFIG_THEME_MAX 63
/* Values are quoted in messages up to this many bytes. */
#define QUOTE_MAX 48
/* Per-room notification keys: notify.ROOM = level. */
#define CONFIG_NOTIFY_PREFIX "notify."


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

static void set_path(char **field, const char *v);

static bool
set_server(struct config *c, const char *v, char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	size_t n = strncasecmp(v, "wss://", 6) == 0 ? 6 :
	    strncasecmp(v, "ws://", 5) == 0 ? 5 : 0;
	if (n == 0)
		return fail(err, errlen, "server: must start with ws:// or wss://: "
		    "'%s'", shown(v, q));
	if (v[n] == '\0' || v[n] == '/')
		return fail(err, errlen, "server: no host after %.*s", (int)n, v);
	replace(&c->server, v);
	return true;
}

/* How the link is carried (model/fallback.h). */
static bool
set_transport(struct config *c, const char *v, char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	bool forced;
	enum transport tr;
	if (!fallback_parse(v, &forced, &tr))
		return fail(err, errlen, "transport: auto, ws, sse or poll, not '%s'",
		    shown(v, q));
	replace(&c->transport, v);
	return true;
}

/* The file of authorities for wss:// servers, beside the system's. */
static bool
set_ca(struct config *c, const char *v, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	set_path(&c->ca, v);
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
	set_path(&c->log, v);
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
set_scrollback_lines(struct config *c, const char *v, char *err, size_t errlen)
{
	unsigned long n;
	if (!parse_number("scrollback_lines", v, 100, 10000000, &n, err, errlen))
		return false;
	c->scrollback_lines = (size_t)n;
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
	n->rooms = xreallocarray(n->rooms, n->nrooms + 1, sizeof *n->rooms);
	n->rooms[n->nrooms].room = xstrdup(room);
	n->rooms[n->nrooms].level = level;
	n->nrooms++;
	return true;
}


/* ---- lists --------------------------------------------------------------- */

static void
list_free(struct config_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
list_copy(struct config_list *dst, const struct config_list *src)
{
	dst->n = src->n;
	dst->v = src->n ? xcalloc(src->n, sizeof *dst->v) : NULL;
	for (size_t i = 0; i < src->n; i++)
		dst->v[i] = xstrdup(src->v[i]);
}

/* Splits v at commas and blanks; each item goes through check, which may
 * rewrite it (into out, CONFIG_WORD_MAX + 1 bytes at least). */
typedef bool item_check(const char *key, const char *item, char *out,
    char *err, size_t errlen);

static bool
parse_list(const char *key, const char *v, struct config_list *out,
    item_check *check, char *err, size_t errlen)
{
	struct config_list l = { NULL, 0 };
	char item[NAMES_DM_MAX + CONFIG_WORD_MAX + 2];
	for (const char *p = v; *p != '\0';) {
		p += strspn(p, ", \t");
		size_t n = strcspn(p, ", \t");
		if (n == 0)
			break;
		if (l.n == CONFIG_LIST_MAX) {
			list_free(&l);
			return fail(err, errlen, "%s: more than %d entries", key,
			    CONFIG_LIST_MAX);
		}
		char raw[sizeof item];
		if (n >= sizeof raw) {
			list_free(&l);
			return fail(err, errlen, "%s: an entry is too long", key);
		}
		memcpy(raw, p, n);
		raw[n] = '\0';
		if (!check(key, raw, item, err, errlen)) {
			list_free(&l);
			return false;
		}
		l.v = xreallocarray(l.v, l.n + 1, sizeof *l.v);
		l.v[l.n++] = xstrdup(item);
		p += n;
	}
	list_free(out);
	*out = l;
	return true;
}

static bool
check_room(const char *key, const char *item, char *out, char *err,
    size_t errlen)
{
	char q[QUOTE_MAX + 4];
	if (!names_room_from_input(item, out))
		return fail(err, errlen, "%s: not a room name: '%s'", key,
		    shown(item, q));
	return true;
}

static bool
check_word(const char *key, const char *item, char *out, char *err,
    size_t errlen)
{
	char q[QUOTE_MAX + 4];
	if (strlen(item) > CONFIG_WORD_MAX)
		return fail(err, errlen, "%s: longer than %d bytes: '%s'", key,
		    CONFIG_WORD_MAX, shown(item, q));
	strcpy(out, item);
	return true;
}

static bool
set_autojoin(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_list("autojoin", v, &c->autojoin, check_room, err, errlen);
}

static bool
set_highlight(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_list("highlight", v, &c->highlight, check_word, err, errlen);
}

static bool
set_remember_rooms(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_bool("remember_rooms", v, &c->remember_rooms, err, errlen);
}

static bool
set_chat_logs(struct config *c, const char *v, char *err, size_t errlen)
{
	return parse_bool("chat_logs", v, &c->chat_logs, err, errlen);
}

/* Paths: empty means the default place; a leading ~/ is the home
 * directory, as a shell would have it (the file is not read by one). */
static void
set_path(char **field, const char *v)
{
	const char *home = getenv("HOME");
	if (*v == '\0') {
		replace(field, NULL);
	} else if (v[0] == '~' && v[1] == '/' && home != NULL && *home != '\0') {
		free(*field);
		*field = xasprintf("%s%s", home, v + 1);
	} else {
		replace(field, v);
	}
}

static bool
set_chat_log_dir(struct config *c, const char *v, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	set_path(&c->chat_log_dir, v);
	return true;
}

/* Printable ASCII, and what it makes of a date stays short: the time
 * column of the message pane is as wide as the longest it makes. */
static bool
set_timestamp_format(struct config *c, const char *v, char *err,
    size_t errlen)
{
	char q[QUOTE_MAX + 4];
	size_t n = strlen(v);
	bool ok = n <= CONFIG_TIMEFMT_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = v[i] >= 0x20 && v[i] < 0x7f;
	if (!ok)
		return fail(err, errlen, "timestamp_format: up to %d printable "
		    "ASCII characters: '%s'", CONFIG_TIMEFMT_MAX, shown(v, q));
	struct tm tm = { .tm_year = 126, .tm_mon = 11, .tm_mday = 28,
	    .tm_hour = 23, .tm_min = 59, .tm_sec = 59, .tm_wday = 3 };
	char out[64];
	size_t made = strftime(out, sizeof out, v, &tm);
	if (made == 0 || made > 24)
		return fail(err, errlen, "timestamp_format: makes %s: '%s'",
		    made == 0 ? "nothing" : "more than 24 characters", shown(v, q));
	replace(&c->timestamp_format, v);
	return true;
}

/* Sorted by name for bsearch. */
static const struct key {
	const char *name;
	setter *set;
	bool empty_ok;
} keys[] = {
	{ "autojoin", set_autojoin, true },
	{ "away_after", set_away_after, false },
	{ "bell", set_bell, false },
	{ "ca", set_ca, true },
	{ "chat_log_dir", set_chat_log_dir, true },
	{ "chat_logs", set_chat_logs, false },
	{ "dnd", set_dnd, false },
	{ "highlight", set_highlight, true },
	{ "history_page", set_history_page, false },
	{ "log", set_log, true },
	{ "notify", set_notify, false },
	{ "notify_when", set_notify_when, false },
	{ "reconnect_attempts", set_reconnect_attempts, false },
	{ "remember_rooms", set_remember_rooms, false },
	{ "room", set_room, false },
	{ "scrollback_lines", set_scrollback_lines, false },
	{ "server", set_server, false },
	{ "side_panes", set_side_panes, false },
	{ "theme", set_theme, false },
	{ "timestamp_format", set_timestamp_format, false },
	{ "timestamps", set_timestamps, false },
	{ "transport", set_transport, false },
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
	c->transport = xstrdup("auto");
	c->user = user != NULL && names_valid_user(user) ? xstrdup(user) : NULL;
	c->room = xstrdup("lobby");
	c->theme = xstrdup("default");
	c->log = NULL;
	c->away_after = 300;
	c->reconnect_attempts = 0;
	c->history_page = 50;
	c->scrollback_lines = 20000;
	c->timestamps = true;
	c->side_panes = true;
	c->autojoin = (struct config_list){ NULL, 0 };
	c->remember_rooms = true;
	c->highlight = (struct config_list){ NULL, 0 };
	c->chat_logs = true;
	c->chat_log_dir = NULL;
	c->ca = NULL;
	c->timestamp_format = xstrdup("%H:%M");
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
	free(c->transport);
	c->transport = NULL;
	free(c->user);
	free(c->room);
	free(c->theme);
	free(c->log);
	free(c->chat_log_dir);
	free(c->timestamp_format);
	free(c->ca);
	c->ca = NULL;
	c->server = c->user = c->room = c->theme = c->log = NULL;
	c->chat_log_dir = c->timestamp_format = NULL;
	list_free(&c->autojoin);
	list_free(&c->highlight);
	free_notify_rooms(&c->notify);
}

static void
config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	dst->server = src->server ? xstrdup(src->server) : NULL;
	dst->transport = xstrdup_or_null(src->transport);
	dst->user = src->user ? xstrdup(src->user) : NULL;
	dst->room = src->room ? xstrdup(src->room) : NULL;
	dst->theme = src->theme ? xstrdup(src->theme) : NULL;
	dst->log = src->log ? xstrdup(src->log) : NULL;
	dst->chat_log_dir = xstrdup_or_null(src->chat_log_dir);
	dst->ca = xstrdup_or_null(src->ca);
	dst->timestamp_format = xstrdup_or_null(src->timestamp_format);
	list_copy(&dst->autojoin, &src->autojoin);
	list_copy(&dst->highlight, &src->highlight);
	dst->notify.rooms = NULL;
	dst->notify.nrooms = 0;
	if (src->notify.nrooms > 0) {
		dst->notify.rooms = xcalloc(src->notify.nrooms,
		    sizeof *dst->notify.rooms);
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
config_parse_len(struct config *c, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	char reason[256];
	struct config tmp;
	config_copy(&tmp, c);
	unsigned lineno = 0;
	for (size_t at = 0; at < len;) {
		const char *p = text + at;
		const char *nl = memchr(p, '\n', len - at);
		size_t n = nl != NULL ? (size_t)(nl - p) : len - at;
		lineno++;
		bool ok = memchr(p, '\0', n) == NULL ||
		    fail(reason, sizeof reason, "a NUL byte (the file is damaged, "
		    "or not text)");
		if (!ok || !parse_line(&tmp, p, n, reason, sizeof reason)) {
			config_free(&tmp);
			return fail(err, errlen, "%s:%u: %s",
			    filename != NULL ? filename : "config", lineno,
			    reason);
		}
		at += n + (nl != NULL);
	}
	config_free(c);
	*c = tmp;
	return true;
}

bool
config_parse(struct config *c, const char *text, const char *filename,
    char *err, size_t errlen)
{
	return config_parse_len(c, text != NULL ? text : "",
	    text != NULL ? strlen(text) : 0, filename, err, errlen);
}
