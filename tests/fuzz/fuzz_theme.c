/*
 * fuzz_theme: the *.theme parser (model/theme).
 *
 * The input is the file's text (up to its first NUL, as theme_parse reads
 * a C string). Beyond not crashing:
 *
 *   - a refused file leaves the theme exactly as it was, and the message
 *     names the file and line and is valid UTF-8;
 *   - an accepted theme holds only colours the UI can map (default, 0-255,
 *     24-bit RGB), known attributes and 1 to 32 nick colours, and is named
 *     after the file;
 *   - the theme written back as a file parses to the same theme, and
 *     every nick gets one of its nick colours.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "model/theme.h"
#include "model/utf8.h"

#define ATTRS (THEME_BOLD | THEME_DIM | THEME_ITALIC | THEME_UNDERLINE | \
	THEME_REVERSE)

static bool
valid_color(int32_t c)
{
	return c == THEME_COLOR_DEFAULT || (c >= 0 && c <= 255) ||
	    (THEME_IS_RGB(c) && c <= THEME_RGB(255, 255, 255));
}

static char *
put_color(char *p, int32_t c)
{
	if (c == THEME_COLOR_DEFAULT)
		return p + sprintf(p, "default");
	if (THEME_IS_RGB(c))
		return p + sprintf(p, "#%06x", (unsigned)c & 0xffffff);
	return p + sprintf(p, "%d", (int)c);
}

/* The theme as a file; every element is written, so nothing depends on
 * the default. */
static char *
written(const struct theme *t)
{
	static const char *const words[] = {"bold", "dim", "italic",
	    "underline", "reverse"};
	char *s = fuzz_alloc(TH_COUNT * 128 + THEME_NICK_COLORS_MAX * 12 + 32);
	char *p = s;
	for (int e = 0; e < TH_COUNT; e++) {
		const struct theme_style *st = &t->style[e];
		p += sprintf(p, "%s =", theme_elem_name((enum theme_elem)e));
		char *start = p;
		if (st->fg != THEME_COLOR_DEFAULT)
			p = put_color(p + sprintf(p, " fg:"), st->fg);
		if (st->bg != THEME_COLOR_DEFAULT)
			p = put_color(p + sprintf(p, " bg:"), st->bg);
		for (int i = 0; i < 5; i++)
			if (st->attrs & (1u << i))
				p += sprintf(p, " %s", words[i]);
		if (p == start)
			p += sprintf(p, " none");
		p += sprintf(p, "\n");
	}
	p += sprintf(p, "nick_colors =");
	for (size_t i = 0; i < t->n_nick_colors; i++)
		p = put_color(p + sprintf(p, " "), t->nick_colors[i]);
	sprintf(p, "\n");
	return s;
}

static bool
same_theme(const struct theme *a, const struct theme *b)
{
	if (strcmp(a->name, b->name) != 0 || a->n_nick_colors != b->n_nick_colors)
		return false;
	for (int e = 0; e < TH_COUNT; e++)
		if (a->style[e].fg != b->style[e].fg ||
		    a->style[e].bg != b->style[e].bg ||
		    a->style[e].attrs != b->style[e].attrs)
			return false;
	return memcmp(a->nick_colors, b->nick_colors,
	    a->n_nick_colors * sizeof *a->nick_colors) == 0;
}

static void
check_theme(const struct theme *t, const char *text)
{
	FUZZ_CHECK(strcmp(t->name, "fuzz") == 0);
	for (int e = 0; e < TH_COUNT; e++) {
		FUZZ_CHECK(valid_color(t->style[e].fg));
		FUZZ_CHECK(valid_color(t->style[e].bg));
		FUZZ_CHECK((t->style[e].attrs & ~(unsigned)ATTRS) == 0);
	}
	FUZZ_CHECK(t->n_nick_colors >= 1 &&
	    t->n_nick_colors <= THEME_NICK_COLORS_MAX);
	for (size_t i = 0; i < t->n_nick_colors; i++)
		FUZZ_CHECK(valid_color(t->nick_colors[i]));
	int32_t c = theme_nick_color(t, text);
	bool listed = false;
	for (size_t i = 0; i < t->n_nick_colors; i++)
		listed = listed || t->nick_colors[i] == c;
	FUZZ_CHECK(listed);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstring(data, size);
	struct theme t, before;
	theme_default(&t);
	snprintf(t.name, sizeof t.name, "before");
	before = t;
	char err[1024] = "";
	if (!theme_parse(&t, text, "themes/fuzz.theme", err, sizeof err)) {
		FUZZ_CHECK(memcmp(&t, &before, sizeof t) == 0);
		FUZZ_CHECK(strncmp(err, "themes/fuzz.theme:", 18) == 0);
		FUZZ_CHECK(utf8_valid(err, strlen(err)));
	} else {
		check_theme(&t, text);
		char *file = written(&t);
		struct theme again;
		if (!theme_parse(&again, file, "fuzz.theme", err, sizeof err)) {
			fprintf(stderr, "rewritten theme refused: %s\n%s", err, file);
			FUZZ_CHECK(!"the rewritten theme parses");
		}
		FUZZ_CHECK(same_theme(&t, &again));
		free(file);
	}
	free(text);
	return 0;
}
