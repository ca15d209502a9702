/*
 * theme: the built-in default, the *.theme parser, nick colours, and every
 * theme shipped in themes/ (found through $THEMES_DIR, set by meson).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/theme.h"

static char err[512];

/* Parses text that must be good into *t. */
static struct theme *
ok(struct theme *t, const char *text)
{
	if (!theme_parse(t, text, "test.theme", err, sizeof err))
		fail_msg("unexpected error: %s", err);
	return t;
}

/* The style one line gives to "text". */
static struct theme_style
style_of(const char *style)
{
	char line[256];
	struct theme t;
	snprintf(line, sizeof line, "text = %s\n", style);
	return ok(&t, line)->style[TH_TEXT];
}

/* Parses text that must be refused and returns the message. */
static const char *
bad(const char *text)
{
	struct theme t;
	err[0] = '\0';
	assert_false(theme_parse(&t, text, "test.theme", err, sizeof err));
	return err;
}

/* ---- the built-in default ---------------------------------------------- */

static void
theme__default__uses_only_the_eight_basic_colours(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	for (int e = 0; e < TH_COUNT; e++) {
		assert_in_range(t.style[e].fg + 1, 0, 8);
		assert_in_range(t.style[e].bg + 1, 0, 8);
	}
}

static void
theme__default__is_named_default(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	assert_string_equal(t.name, "default");
}

static void
theme__default__has_about_a_dozen_distinct_nick_colours(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	assert_in_range(t.n_nick_colors, 10, 16);
	for (size_t i = 0; i < t.n_nick_colors; i++) {
		assert_in_range(t.nick_colors[i], 1, 15);
		assert_int_not_equal(t.nick_colors[i], 7);  /* white: the text */
		assert_int_not_equal(t.nick_colors[i], 8);  /* grey: too dim */
		for (size_t k = 0; k < i; k++)
			assert_int_not_equal(t.nick_colors[i], t.nick_colors[k]);
	}
}

/* ---- element names ----------------------------------------------------- */

static void
theme__elem_name__names_every_element_in_lower_case_with_dots(void **state)
{
	(void)state;
	for (int e = 0; e < TH_COUNT; e++) {
		const char *n = theme_elem_name((enum theme_elem)e);
		assert_non_null(n);
		assert_true(n[0] >= 'a' && n[0] <= 'z');
		for (const char *p = n; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '.');
		for (int k = 0; k < e; k++)
			assert_string_not_equal(n, theme_elem_name((enum theme_elem)k));
	}
	assert_string_equal(theme_elem_name(TH_ROOM_MENTION), "room.mention");
	assert_string_equal(theme_elem_name(TH_UNREAD_MARKER), "unread.marker");
	assert_string_equal(theme_elem_name(TH_STATUS_ALERT), "status.alert");
}

static void
theme__elem_name__is_null_out_of_range(void **state)
{
	(void)state;
	assert_null(theme_elem_name(TH_COUNT));
	assert_null(theme_elem_name((enum theme_elem)-1));
}

/* ---- styles ------------------------------------------------------------ */

static void
theme__parse__reads_each_attribute_word(void **state)
{
	(void)state;
	assert_int_equal(style_of("bold").attrs, THEME_BOLD);
	assert_int_equal(style_of("dim").attrs, THEME_DIM);
	assert_int_equal(style_of("italic").attrs, THEME_ITALIC);
	assert_int_equal(style_of("underline").attrs, THEME_UNDERLINE);
	assert_int_equal(style_of("reverse").attrs, THEME_REVERSE);
}

static void
theme__parse__combines_words(void **state)
{
	(void)state;
	struct theme_style s = style_of("bold  underline\tfg:red bg:blue");
	assert_int_equal(s.attrs, THEME_BOLD | THEME_UNDERLINE);
	assert_int_equal(s.fg, 1);
	assert_int_equal(s.bg, 4);
}

static void
theme__parse__reads_none_as_the_plain_style(void **state)
{
	(void)state;
	struct theme_style s = style_of("none");
	assert_int_equal(s.fg, THEME_COLOR_DEFAULT);
	assert_int_equal(s.bg, THEME_COLOR_DEFAULT);
	assert_int_equal(s.attrs, 0);
}

static void
theme__parse__reads_colour_names(void **state)
{
	(void)state;
	assert_int_equal(style_of("fg:black").fg, 0);
	assert_int_equal(style_of("fg:white").fg, 7);
	assert_int_equal(style_of("fg:bright-black").fg, 8);
	assert_int_equal(style_of("fg:bright-cyan").fg, 14);
	assert_int_equal(style_of("fg:bright-white").fg, 15);
	assert_int_equal(style_of("fg:Magenta").fg, 5);
	assert_int_equal(style_of("fg:default").fg, THEME_COLOR_DEFAULT);
}

static void
theme__parse__reads_palette_indexes_0_to_255(void **state)
{
	(void)state;
	assert_int_equal(style_of("fg:0").fg, 0);
	assert_int_equal(style_of("fg:208").fg, 208);
	assert_int_equal(style_of("bg:255").bg, 255);
}

static void
theme__parse__reads_rgb_colours(void **state)
{
	(void)state;
	assert_int_equal(style_of("fg:#ff8000").fg, THEME_RGB(255, 128, 0));
	assert_int_equal(style_of("bg:#002B36").bg, THEME_RGB(0, 0x2b, 0x36));
	assert_true(THEME_IS_RGB(style_of("fg:#000000").fg));
}

static void
theme__parse__gives_a_named_element_its_whole_style(void **state)
{
	(void)state;
	struct theme t;
	ok(&t, "room.current = fg:red\n");
	assert_int_equal(t.style[TH_ROOM_CURRENT].fg, 1);
	assert_int_equal(t.style[TH_ROOM_CURRENT].attrs, 0);
}

static void
theme__parse__keeps_the_default_for_elements_not_named(void **state)
{
	(void)state;
	struct theme t, d;
	theme_default(&d);
	ok(&t, "text = bold\n");
	for (int e = 0; e < TH_COUNT; e++)
		if (e != TH_TEXT)
			assert_memory_equal(&t.style[e], &d.style[e],
			    sizeof t.style[e]);
	assert_int_equal(t.n_nick_colors, d.n_nick_colors);
}

static void
theme__parse__reads_nick_colours(void **state)
{
	(void)state;
	struct theme t;
	ok(&t, "nick_colors = red 12 #112233 default\n");
	assert_int_equal(t.n_nick_colors, 4);
	assert_int_equal(t.nick_colors[0], 1);
	assert_int_equal(t.nick_colors[1], 12);
	assert_int_equal(t.nick_colors[2], THEME_RGB(0x11, 0x22, 0x33));
	assert_int_equal(t.nick_colors[3], THEME_COLOR_DEFAULT);
}

static void
theme__parse__names_the_theme_after_its_file(void **state)
{
	(void)state;
	struct theme t;
	assert_true(theme_parse(&t, "", "/usr/share/confab/themes/light.theme",
	    err, sizeof err));
	assert_string_equal(t.name, "light");
}

static void
theme__parse__skips_comments_and_blank_lines(void **state)
{
	(void)state;
	struct theme t;
	ok(&t, "# a theme\n\n   # indented\n\ttext = bold # loud\n");
	assert_int_equal(t.style[TH_TEXT].attrs, THEME_BOLD);
}

static void
theme__parse__reads_a_hash_colour_after_a_blank_as_a_colour(void **state)
{
	(void)state;
	struct theme t;
	ok(&t, "nick_colors = #ff0000 #00ff00 # two of them\n");
	assert_int_equal(t.n_nick_colors, 2);
}

static void
theme__parse__accepts_crlf_line_ends(void **state)
{
	(void)state;
	struct theme t;
	ok(&t, "text = bold\r\ntime = dim\r\n");
	assert_int_equal(t.style[TH_TIME].attrs, THEME_DIM);
}

/* ---- errors ------------------------------------------------------------ */

static void
theme__parse__reports_an_unknown_element(void **state)
{
	(void)state;
	assert_string_equal(bad("text = bold\nsidebar = bold\n"),
	    "test.theme:2: unknown element 'sidebar'");
}

/* fuzz_theme: a name quoted up to 40 bytes was cut inside a character,
 * and the message, shown in the client and its log, was not UTF-8. */
static void
theme__parse__quotes_a_long_name_only_up_to_a_character_boundary(void **state)
{
	(void)state;
	/* 38 bytes, then U+65E5 (3 bytes) across the 40-byte limit */
	assert_string_equal(bad("abcdefghijklmnopqrstuvwxyzabcdefghijkl\xe6\x97\xa5"
	    "xyz = bold\n"),
	    "test.theme:1: unknown element 'abcdefghijklmnopqrstuvwxyzabcdefghijkl'");
	assert_string_equal(bad("text = fg:\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x\xc3\xa9\n"),
	    "test.theme:1: unknown colour '\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x'");
}

/* A message longer than the caller's buffer is cut between characters. */
static void
theme__parse__cuts_a_long_message_between_characters(void **state)
{
	(void)state;
	struct theme t;
	char small[34];
	/* "x.theme:1: unknown element '" is 28 bytes, then U+65E5 twice */
	assert_false(theme_parse(&t, "\xe6\x97\xa5\xe6\x97\xa5 = bold\n",
	    "x.theme", small, sizeof small));
	assert_string_equal(small, "x.theme:1: unknown element '\xe6\x97\xa5");
}

static void
theme__parse__reports_an_unknown_colour(void **state)
{
	(void)state;
	assert_string_equal(bad("text = fg:purple\n"),
	    "test.theme:1: unknown colour 'purple'");
	assert_string_equal(bad("text = fg:\n"), "test.theme:1: unknown colour ''");
	assert_string_equal(bad("text = fg:12a\n"),
	    "test.theme:1: unknown colour '12a'");
}

static void
theme__parse__reports_an_index_above_255(void **state)
{
	(void)state;
	assert_string_equal(bad("text = bg:256\n"),
	    "test.theme:1: colour index out of range (0-255): '256'");
	assert_string_equal(bad("text = bg:99999999999\n"),
	    "test.theme:1: colour index out of range (0-255): '99999999999'");
}

static void
theme__parse__reports_a_bad_rgb_colour(void **state)
{
	(void)state;
	assert_string_equal(bad("text = fg:#12345\n"),
	    "test.theme:1: bad colour '#12345' (expected #rrggbb)");
	assert_string_equal(bad("text = fg:#12345g\n"),
	    "test.theme:1: bad colour '#12345g' (expected #rrggbb)");
	assert_string_equal(bad("text = fg:#1234567\n"),
	    "test.theme:1: bad colour '#1234567' (expected #rrggbb)");
}

static void
theme__parse__reports_a_garbage_word(void **state)
{
	(void)state;
	assert_string_equal(bad("text = bold blink\n"),
	    "test.theme:1: unknown style word 'blink'");
	assert_string_equal(bad("text = red\n"),
	    "test.theme:1: unknown style word 'red'");
}

static void
theme__parse__reports_a_missing_equals_sign(void **state)
{
	(void)state;
	assert_string_equal(bad("text bold\n"),
	    "test.theme:1: missing '=' (expected 'element = style')");
}

static void
theme__parse__reports_a_missing_element(void **state)
{
	(void)state;
	assert_string_equal(bad("= bold\n"),
	    "test.theme:1: missing element before '='");
}

static void
theme__parse__reports_an_empty_style(void **state)
{
	(void)state;
	assert_string_equal(bad("text =   # nothing\n"),
	    "test.theme:1: empty style (write 'none' for plain)");
}

static void
theme__parse__reports_none_with_other_words(void **state)
{
	(void)state;
	assert_string_equal(bad("text = none bold\n"),
	    "test.theme:1: 'none' cannot be combined with other words");
}

static void
theme__parse__reports_an_empty_nick_colour_list(void **state)
{
	(void)state;
	assert_string_equal(bad("nick_colors =\n"),
	    "test.theme:1: nick_colors needs at least one colour");
}

static void
theme__parse__reports_more_than_32_nick_colours(void **state)
{
	(void)state;
	char line[512] = "nick_colors =";
	for (int i = 0; i < 33; i++)
		strcat(line, " 1");
	assert_string_equal(bad(line), "test.theme:1: more than 32 nick colours");
}

static void
theme__parse__reports_a_bad_nick_colour(void **state)
{
	(void)state;
	assert_string_equal(bad("nick_colors = red purple\n"),
	    "test.theme:1: unknown colour 'purple'");
}

static void
theme__parse__reports_invalid_utf8(void **state)
{
	(void)state;
	assert_string_equal(bad("# ok\n# caf\xE9\n"),
	    "test.theme:2: invalid UTF-8");
}

static void
theme__parse__reports_an_overlong_line(void **state)
{
	(void)state;
	char line[1100];
	memset(line, ' ', sizeof line - 1);
	memcpy(line, "text = bold", 11);
	line[sizeof line - 1] = '\0';
	assert_string_equal(bad(line), "test.theme:1: line longer than 1024 bytes");
}

static void
theme__parse__leaves_the_theme_untouched_on_error(void **state)
{
	(void)state;
	struct theme t, before;
	theme_default(&t);
	snprintf(t.name, sizeof t.name, "mine");
	t.style[TH_TEXT].attrs = THEME_ITALIC;
	before = t;
	assert_false(theme_parse(&t, "text = bold\nnick_colors = red\nx = y\n",
	    "test.theme", err, sizeof err));
	assert_memory_equal(&t, &before, sizeof t);
}

/* ---- nick colours ------------------------------------------------------ */

static void
theme__nick_color__is_fnv1a_of_the_nick_onto_the_list(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	t.n_nick_colors = 32;
	for (int i = 0; i < 32; i++)
		t.nick_colors[i] = 100 + i;
	/* FNV-1a("a") = 0xe40c292c, FNV-1a("foobar") = 0xbf9cf968 */
	assert_int_equal(theme_nick_color(&t, "a"), 100 + 0xe40c292c % 32);
	assert_int_equal(theme_nick_color(&t, "foobar"), 100 + 0xbf9cf968 % 32);
}

static void
theme__nick_color__is_the_same_every_time_for_a_nick(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	int32_t c = theme_nick_color(&t, "alice");
	for (int i = 0; i < 10; i++)
		assert_int_equal(theme_nick_color(&t, "alice"), c);
}

static void
theme__nick_color__spreads_nicks_over_every_colour(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	size_t count[THEME_NICK_COLORS_MAX] = { 0 };
	const int nicks = 2000;
	for (int i = 0; i < nicks; i++) {
		char nick[32];
		snprintf(nick, sizeof nick, "user%d", i);
		int32_t c = theme_nick_color(&t, nick);
		size_t k = 0;
		while (k < t.n_nick_colors && t.nick_colors[k] != c)
			k++;
		assert_true(k < t.n_nick_colors);
		count[k]++;
	}
	size_t fair = nicks / t.n_nick_colors;
	for (size_t k = 0; k < t.n_nick_colors; k++)
		assert_in_range(count[k], fair / 2, fair * 3 / 2);
}

static void
theme__nick_color__is_default_without_nick_colours(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	t.n_nick_colors = 0;
	assert_int_equal(theme_nick_color(&t, "alice"), THEME_COLOR_DEFAULT);
}

/* ---- the shipped themes ------------------------------------------------ */

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(65536);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 65535, f);
	assert_true(n < 65535);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Whether the file has a line "name = ...". */
static bool
names(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = text; p != NULL; p = strchr(p, '\n')) {
		p += *p == '\n';
		p += strspn(p, " \t");
		if (strncmp(p, name, n) != 0)
			continue;
		const char *q = p + n;
		q += strspn(q, " \t");
		if (*q == '=')
			return true;
	}
	return false;
}

static void
check_shipped(const char *dir, const char *file)
{
	char path[1024], msg[512];
	struct theme t;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	char *text = read_file(path);
	if (!theme_parse(&t, text, path, msg, sizeof msg))
		fail_msg("%s", msg);
	for (int e = 0; e < TH_COUNT; e++)
		if (!names(text, theme_elem_name((enum theme_elem)e)))
			fail_msg("%s does not name %s", path,
			    theme_elem_name((enum theme_elem)e));
	if (!names(text, "nick_colors"))
		fail_msg("%s does not name nick_colors", path);
	free(text);
}

static void
theme__shipped__every_theme_parses_and_names_every_element(void **state)
{
	(void)state;
	const char *dir = getenv("THEMES_DIR");
	assert_non_null(dir);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int seen = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		size_t n = strlen(de->d_name);
		if (n > 6 && strcmp(de->d_name + n - 6, ".theme") == 0) {
			check_shipped(dir, de->d_name);
			seen++;
		}
	}
	closedir(d);
	assert_true(seen >= 5);
}

static void
theme__shipped__default_file_is_the_built_in_default(void **state)
{
	(void)state;
	char path[1024];
	struct theme t, d;
	snprintf(path, sizeof path, "%s/default.theme", getenv("THEMES_DIR"));
	char *text = read_file(path);
	assert_true(theme_parse(&t, text, path, err, sizeof err));
	theme_default(&d);
	assert_memory_equal(t.style, d.style, sizeof t.style);
	assert_int_equal(t.n_nick_colors, d.n_nick_colors);
	assert_memory_equal(t.nick_colors, d.nick_colors,
	    d.n_nick_colors * sizeof *d.nick_colors);
	free(text);
}

static void
theme__shipped__mono_uses_no_colour_at_all(void **state)
{
	(void)state;
	char path[1024];
	struct theme t;
	snprintf(path, sizeof path, "%s/mono.theme", getenv("THEMES_DIR"));
	char *text = read_file(path);
	assert_true(theme_parse(&t, text, path, err, sizeof err));
	for (int e = 0; e < TH_COUNT; e++) {
		assert_int_equal(t.style[e].fg, THEME_COLOR_DEFAULT);
		assert_int_equal(t.style[e].bg, THEME_COLOR_DEFAULT);
	}
	for (size_t i = 0; i < t.n_nick_colors; i++)
		assert_int_equal(t.nick_colors[i], THEME_COLOR_DEFAULT);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(theme__default__uses_only_the_eight_basic_colours),
		cmocka_unit_test(theme__default__is_named_default),
		cmocka_unit_test(theme__default__has_about_a_dozen_distinct_nick_colours),
		cmocka_unit_test(theme__elem_name__names_every_element_in_lower_case_with_dots),
		cmocka_unit_test(theme__elem_name__is_null_out_of_range),
		cmocka_unit_test(theme__parse__reads_each_attribute_word),
		cmocka_unit_test(theme__parse__combines_words),
		cmocka_unit_test(theme__parse__reads_none_as_the_plain_style),
		cmocka_unit_test(theme__parse__reads_colour_names),
		cmocka_unit_test(theme__parse__reads_palette_indexes_0_to_255),
		cmocka_unit_test(theme__parse__reads_rgb_colours),
		cmocka_unit_test(theme__parse__gives_a_named_element_its_whole_style),
		cmocka_unit_test(theme__parse__keeps_the_default_for_elements_not_named),
		cmocka_unit_test(theme__parse__reads_nick_colours),
		cmocka_unit_test(theme__parse__names_the_theme_after_its_file),
		cmocka_unit_test(theme__parse__skips_comments_and_blank_lines),
		cmocka_unit_test(theme__parse__reads_a_hash_colour_after_a_blank_as_a_colour),
		cmocka_unit_test(theme__parse__accepts_crlf_line_ends),
		cmocka_unit_test(theme__parse__reports_an_unknown_element),
		cmocka_unit_test(theme__parse__quotes_a_long_name_only_up_to_a_character_boundary),
		cmocka_unit_test(theme__parse__cuts_a_long_message_between_characters),
		cmocka_unit_test(theme__parse__reports_an_unknown_colour),
		cmocka_unit_test(theme__parse__reports_an_index_above_255),
		cmocka_unit_test(theme__parse__reports_a_bad_rgb_colour),
		cmocka_unit_test(theme__parse__reports_a_garbage_word),
		cmocka_unit_test(theme__parse__reports_a_missing_equals_sign),
		cmocka_unit_test(theme__parse__reports_a_missing_element),
		cmocka_unit_test(theme__parse__reports_an_empty_style),
		cmocka_unit_test(theme__parse__reports_none_with_other_words),
		cmocka_unit_test(theme__parse__reports_an_empty_nick_colour_list),
		cmocka_unit_test(theme__parse__reports_more_than_32_nick_colours),
		cmocka_unit_test(theme__parse__reports_a_bad_nick_colour),
		cmocka_unit_test(theme__parse__reports_invalid_utf8),
		cmocka_unit_test(theme__parse__reports_an_overlong_line),
		cmocka_unit_test(theme__parse__leaves_the_theme_untouched_on_error),
		cmocka_unit_test(theme__nick_color__is_fnv1a_of_the_nick_onto_the_list),
		cmocka_unit_test(theme__nick_color__is_the_same_every_time_for_a_nick),
		cmocka_unit_test(theme__nick_color__spreads_nicks_over_every_colour),
		cmocka_unit_test(theme__nick_color__is_default_without_nick_colours),
		cmocka_unit_test(theme__shipped__every_theme_parses_and_names_every_element),
		cmocka_unit_test(theme__shipped__default_file_is_the_built_in_default),
		cmocka_unit_test(theme__shipped__mono_uses_no_colour_at_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
