/*
 * theme: the built-in default theme and the *.theme parser.
 *
 * Element names are the enum names without TH_, in lower case, with each
 * '_' turned into '.': TH_ROOM_CURRENT is "room.current". The dot reads as
 * "a kind of": room.current is a room entry, status.alert a status line.
 * `nick_colors` is not an element but the list of nick colours, and keeps
 * the spelling the format has always had.
 *
 * The built-in default uses only the eight basic colours and attributes,
 * so that it is readable on any dark terminal, down to the Linux console.
 * Its nick colours add the bright variants (8-15): the UI folds those onto
 * the basic ones where the terminal has only eight colours.
 *
 * Comments: a line whose first non-blank character is '#', or a '#' that
 * has a blank before it and a blank or the end of line after it. A '#'
 * followed by anything else is the start of a #rrggbb colour, which is why
 * the rule is stricter than the config file's.
 */
#include "model/theme.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/utf8.h"

/* Lines are refused, not cut, past this: 32 nick colours as #rrggbb need
 * about 260 bytes. */
#define THEME_LINE_MAX 1024

static const char *const elem_names[TH_COUNT] = {
	[TH_NORMAL] = "normal",
	[TH_BORDER] = "border",
	[TH_BORDER_FOCUS] = "border.focus",
	[TH_ROOM] = "room",
	[TH_ROOM_CURRENT] = "room.current",
	[TH_ROOM_UNREAD] = "room.unread",
	[TH_ROOM_MENTION] = "room.mention",
	[TH_TIME] = "time",
	[TH_NICK_SELF] = "nick.self",
	[TH_TEXT] = "text",
	[TH_ACTION] = "action",
	[TH_PENDING] = "pending",
	[TH_FAILED] = "failed",
	[TH_MENTION] = "mention",
	[TH_DAY] = "day",
	[TH_UNREAD_MARKER] = "unread.marker",
	[TH_SEARCH] = "search",
	[TH_NOTICE] = "notice",
	[TH_TYPING] = "typing",
	[TH_ONLINE] = "online",
	[TH_AWAY] = "away",
	[TH_BUSY] = "busy",
	[TH_OFFLINE] = "offline",
	[TH_STATUS] = "status",
	[TH_STATUS_ALERT] = "status.alert",
	[TH_INPUT] = "input",
};

/* Basic colours are 0-7 and their bright variants 8-15, as in the 256
 * palette, so a name is just another way to write an index. */
static const char *const color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white",
};

enum { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE, BRIGHT = 8 };

static const struct {
	const char *word;
	unsigned attr;
} attr_words[] = {
	{ "bold", THEME_BOLD },
	{ "dim", THEME_DIM },
	{ "italic", THEME_ITALIC },
	{ "underline", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE },
};

#define D THEME_COLOR_DEFAULT

/* Each entry is the answer to "what must this look like on a black
 * screen with eight colours". Blue is kept off text: on many dark
 * terminals basic blue on black is too dark to read. */
static const struct theme_style default_styles[TH_COUNT] = {
	[TH_NORMAL] = { D, D, 0 },
	[TH_BORDER] = { BLUE, D, 0 },
	[TH_BORDER_FOCUS] = { YELLOW, D, THEME_BOLD },
	[TH_ROOM] = { D, D, 0 },
	[TH_ROOM_CURRENT] = { D, D, THEME_BOLD | THEME_REVERSE },
	[TH_ROOM_UNREAD] = { D, D, THEME_BOLD },
	[TH_ROOM_MENTION] = { YELLOW, D, THEME_BOLD },
	[TH_TIME] = { CYAN, D, 0 },
	[TH_NICK_SELF] = { D, D, THEME_BOLD },
	[TH_TEXT] = { D, D, 0 },
	[TH_ACTION] = { MAGENTA, D, 0 },
	[TH_PENDING] = { D, D, THEME_DIM },
	[TH_FAILED] = { RED, D, 0 },
	[TH_MENTION] = { YELLOW, D, THEME_BOLD },
	[TH_DAY] = { CYAN, D, THEME_BOLD },
	[TH_UNREAD_MARKER] = { RED, D, THEME_BOLD },
	[TH_SEARCH] = { BLACK, YELLOW, 0 },
	[TH_NOTICE] = { GREEN, D, 0 },
	[TH_TYPING] = { D, D, THEME_DIM },
	[TH_ONLINE] = { GREEN, D, 0 },
	[TH_AWAY] = { YELLOW, D, 0 },
	[TH_BUSY] = { RED, D, 0 },
	[TH_OFFLINE] = { D, D, THEME_DIM },
	[TH_STATUS] = { WHITE, BLUE, 0 },
	[TH_STATUS_ALERT] = { WHITE, RED, THEME_BOLD },
	[TH_INPUT] = { D, D, 0 },
};

#undef D

/* Eleven hues that stay apart on a dark screen: no black, no white (the
 * text colour), no basic blue (too dark). */
static const int32_t default_nick_colors[] = {
	RED, GREEN, YELLOW, MAGENTA, CYAN,
	BRIGHT + RED, BRIGHT + GREEN, BRIGHT + YELLOW, BRIGHT + BLUE,
	BRIGHT + MAGENTA, BRIGHT + CYAN,
};

void
theme_default(struct theme *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "default");
	memcpy(t->style, default_styles, sizeof t->style);
	t->n_nick_colors =
	    sizeof default_nick_colors / sizeof *default_nick_colors;
	memcpy(t->nick_colors, default_nick_colors, sizeof default_nick_colors);
}

const char *
theme_elem_name(enum theme_elem e)
{
	if ((int)e < 0 || e >= TH_COUNT)
		return NULL;
	return elem_names[e];
}

/* FNV-1a (32 bit): cheap, stable across runs and machines, and it spreads
 * short strings that differ in one character, as nicks often do. */
int32_t
theme_nick_color(const struct theme *t, const char *nick)
{
	if (t->n_nick_colors == 0)
		return THEME_COLOR_DEFAULT;
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)nick; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return t->nick_colors[h % t->n_nick_colors];
}

/* ---- parsing ------------------------------------------------------------- */

/* A message is cut, if it must be, between characters, never inside one:
 * it is shown and logged as UTF-8. */
static bool
fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err != NULL && errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n >= errlen)
			err[utf8_trim_partial(err, strlen(err))] = '\0';
	}
	return false;
}

/* How much of a word of the file a message quotes ("%.*s"): 40 bytes or
 * fewer, ending between characters. */
static int
shown(const char *w)
{
	return (int)utf8_prefix(w, strlen(w), 40);
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int
hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static bool
parse_rgb(const char *w, int32_t *out, char *err, size_t errlen)
{
	int32_t v = 0;
	bool ok = strlen(w) == 7;
	for (size_t i = 1; ok && i < 7; i++) {
		int d = hex(w[i]);
		ok = d >= 0;
		v = (v << 4) | d;
	}
	if (!ok)
		return fail(err, errlen, "bad colour '%.*s' (expected #rrggbb)",
		    shown(w), w);
	*out = THEME_RGB(v >> 16, (v >> 8) & 0xff, v & 0xff);
	return true;
}

static bool
parse_index(const char *w, int32_t *out, char *err, size_t errlen)
{
	int32_t v = 0;
	for (const char *p = w; *p; p++) {
		if (*p < '0' || *p > '9')
			return fail(err, errlen, "unknown colour '%.*s'", shown(w), w);
		if (v <= 255)
			v = v * 10 + (*p - '0');
	}
	if (v > 255)
		return fail(err, errlen,
		    "colour index out of range (0-255): '%.*s'", shown(w), w);
	*out = v;
	return true;
}

static bool
parse_color(const char *w, int32_t *out, char *err, size_t errlen)
{
	if (strcasecmp(w, "default") == 0) {
		*out = THEME_COLOR_DEFAULT;
		return true;
	}
	if (w[0] == '#')
		return parse_rgb(w, out, err, errlen);
	if (w[0] >= '0' && w[0] <= '9')
		return parse_index(w, out, err, errlen);
	for (int i = 0; i < 16; i++) {
		if (strcasecmp(w, color_names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	return fail(err, errlen, "unknown colour '%.*s'", shown(w), w);
}

/* One word of a style; none is handled by the caller. */
static bool
parse_style_word(char *w, struct theme_style *st, char *err, size_t errlen)
{
	if (strncmp(w, "fg:", 3) == 0)
		return parse_color(w + 3, &st->fg, err, errlen);
	if (strncmp(w, "bg:", 3) == 0)
		return parse_color(w + 3, &st->bg, err, errlen);
	for (size_t i = 0; i < sizeof attr_words / sizeof *attr_words; i++) {
		if (strcmp(w, attr_words[i].word) == 0) {
			st->attrs |= attr_words[i].attr;
			return true;
		}
	}
	return fail(err, errlen, "unknown style word '%.*s'", shown(w), w);
}

/* The words of v (blank-separated, modified in place), one at a time. */
static char *
next_word(char **v)
{
	char *p = *v;
	while (is_blank(*p))
		p++;
	if (*p == '\0')
		return NULL;
	char *w = p;
	while (*p != '\0' && !is_blank(*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*v = p;
	return w;
}

static bool
parse_style(char *v, struct theme_style *out, char *err, size_t errlen)
{
	struct theme_style st = { THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, 0 };
	size_t n = 0;
	bool none = false;
	for (char *w; (w = next_word(&v)) != NULL; n++) {
		if (strcmp(w, "none") == 0)
			none = true;
		else if (!parse_style_word(w, &st, err, errlen))
			return false;
	}
	if (n == 0)
		return fail(err, errlen, "empty style (write 'none' for plain)");
	if (none && n > 1)
		return fail(err, errlen, "'none' cannot be combined with other words");
	*out = st;
	return true;
}

static bool
parse_nick_colors(char *v, struct theme *t, char *err, size_t errlen)
{
	int32_t colors[THEME_NICK_COLORS_MAX];
	size_t n = 0;
	for (char *w; (w = next_word(&v)) != NULL; n++) {
		if (n == THEME_NICK_COLORS_MAX)
			return fail(err, errlen, "more than %d nick colours",
			    THEME_NICK_COLORS_MAX);
		if (!parse_color(w, &colors[n], err, errlen))
			return false;
	}
	if (n == 0)
		return fail(err, errlen, "nick_colors needs at least one colour");
	memcpy(t->nick_colors, colors, n * sizeof *colors);
	t->n_nick_colors = n;
	return true;
}

/* Cuts a trailing comment: '#' with a blank before and a blank or the end
 * of line after. */
static void
uncomment(char *s)
{
	for (char *p = s; *p != '\0'; p++) {
		if (*p == '#' && p > s && is_blank(p[-1]) &&
		    (p[1] == '\0' || is_blank(p[1]))) {
			*p = '\0';
			return;
		}
	}
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

static bool
parse_line(struct theme *t, const char *line, size_t n, char *err,
    size_t errlen)
{
	char buf[THEME_LINE_MAX + 1];
	if (n > 0 && line[n - 1] == '\r')
		n--;
	if (n > THEME_LINE_MAX)
		return fail(err, errlen, "line longer than %d bytes",
		    THEME_LINE_MAX);
	if (!utf8_valid(line, n))
		return fail(err, errlen, "invalid UTF-8");
	memcpy(buf, line, n);
	buf[n] = '\0';

	char *s = trim(buf);
	if (*s == '\0' || *s == '#')
		return true;
	uncomment(s);
	char *eq = strchr(s, '=');
	if (eq == NULL)
		return fail(err, errlen, "missing '=' (expected 'element = style')");
	*eq = '\0';
	char *name = trim(s), *v = eq + 1;
	if (*name == '\0')
		return fail(err, errlen, "missing element before '='");
	if (strcmp(name, "nick_colors") == 0)
		return parse_nick_colors(v, t, err, errlen);
	for (int e = 0; e < TH_COUNT; e++)
		if (strcmp(name, elem_names[e]) == 0)
			return parse_style(v, &t->style[e], err, errlen);
	return fail(err, errlen, "unknown element '%.*s'", shown(name), name);
}

/* The theme's name is the file's: "themes/light.theme" is "light". */
static void
name_from_file(struct theme *t, const char *filename)
{
	const char *base = strrchr(filename, '/');
	base = base != NULL ? base + 1 : filename;
	size_t n = strlen(base);
	if (n > 6 && strcmp(base + n - 6, ".theme") == 0)
		n -= 6;
	if (n > 0 && n < sizeof t->name)
		snprintf(t->name, sizeof t->name, "%.*s", (int)n, base);
}

bool
theme_parse(struct theme *t, const char *text, const char *filename,
    char *err, size_t errlen)
{
	char reason[192];
	struct theme tmp;
	theme_default(&tmp);
	unsigned lineno = 0;
	for (const char *p = text != NULL ? text : ""; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (!parse_line(&tmp, p, n, reason, sizeof reason))
			return fail(err, errlen, "%s:%u: %s",
			    filename != NULL ? filename : "theme", lineno,
			    reason);
		p += n + (nl != NULL);
	}
	if (filename != NULL)
		name_from_file(&tmp, filename);
	*t = tmp;
	return true;
}
