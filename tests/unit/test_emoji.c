/*
 * emoji: emoji-test.txt read into the picker's set, and its search.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/emoji.h"

#define THUMBS "\xf0\x9f\x91\x8d"
#define GRIN "\xf0\x9f\x98\x80"
#define HEART "\xe2\x9d\xa4\xef\xb8\x8f"
#define FAMILY "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"

static const char sample[] =
    "# emoji-test.txt\n"
    "# group: Smileys & Emotion\n"
    "\n"
    "1F600                                                  ; fully-qualified     # " GRIN " E1.0 grinning face\n"
    "2764 FE0F                                              ; fully-qualified     # " HEART " E0.6 red heart\n"
    "2764                                                   ; unqualified         # \xe2\x9d\xa4 E0.6 red heart\n"
    "1F44D                                                  ; fully-qualified     # " THUMBS " E0.6 thumbs up\n"
    "1F44D 1F3FB                                            ; fully-qualified     # x E1.0 thumbs up: light skin tone\n"
    "1F3FB                                                  ; component           # x E1.0 light skin tone\n"
    "1F468 200D 1F469 200D 1F467                            ; fully-qualified     # " FAMILY " E2.0 Family: Man, Woman, Girl\r\n"
    "ZZZZ ; fully-qualified # ? E1.0 not hex\n"
    "1F44E ; fully-qualified # no version here\n"
    "110000 ; fully-qualified # ? E1.0 past unicode\n"
    "D800 ; fully-qualified # ? E1.0 a surrogate\n"
    "1F44E ; fully-qualified # \xf0\x9f\x91\x8e E0.6 thumbs down";

static struct emoji_set *
parse(void)
{
	struct emoji_set *set = emoji_set_parse(sample, strlen(sample));
	assert_non_null(set);
	return set;
}

static void
parse__keeps_fully_qualified_emoji_without_skin_tones(void **state)
{
	(void)state;
	struct emoji_set *set = parse();
	assert_int_equal(emoji_set_count(set), 5);
	assert_string_equal(emoji_set_at(set, 0)->chars, GRIN);
	assert_string_equal(emoji_set_at(set, 0)->name, "grinning face");
	assert_string_equal(emoji_set_at(set, 1)->chars, HEART);
	assert_string_equal(emoji_set_at(set, 2)->name, "thumbs up");
	assert_string_equal(emoji_set_at(set, 3)->chars, FAMILY);
	assert_string_equal(emoji_set_at(set, 3)->name, "family: man, woman, girl");
	assert_string_equal(emoji_set_at(set, 4)->name, "thumbs down");
	assert_null(emoji_set_at(set, 5));
	emoji_set_free(set);
}

static void
parse__a_file_without_emoji_gives_no_set(void **state)
{
	(void)state;
	assert_null(emoji_set_parse("", 0));
	const char junk[] = "# only comments\n\n;;;###\n1F600 ; fully-qualified\n";
	assert_null(emoji_set_parse(junk, strlen(junk)));
	const char nul[] = "1F600 \0; fully-qualified # x E1.0 grinning face\n";
	assert_null(emoji_set_parse(nul, sizeof nul - 1));
}

static void
search__every_word_starts_a_word_of_the_name(void **state)
{
	(void)state;
	struct emoji_set *set = parse();
	const struct emoji *out[8];
	assert_int_equal(emoji_search(set, "thu up", NULL, 0, out, 8), 1);
	assert_string_equal(out[0]->chars, THUMBS);
	assert_int_equal(emoji_search(set, "THUMBS", NULL, 0, out, 8), 2);
	assert_int_equal(emoji_search(set, "hum", NULL, 0, out, 8), 0);
	assert_int_equal(emoji_search(set, "woman", NULL, 0, out, 8), 1);
	assert_int_equal(emoji_search(set, "  ", NULL, 0, out, 8), 5);
	assert_int_equal(emoji_search(set, "", NULL, 0, out, 3), 3);
	emoji_set_free(set);
}

static void
search__recent_emoji_come_first_once(void **state)
{
	(void)state;
	struct emoji_set *set = parse();
	const char *recent[] = {THUMBS, "not an emoji", HEART, THUMBS};
	const struct emoji *out[8];
	size_t n = emoji_search(set, "", recent, 4, out, 8);
	assert_int_equal(n, 5);
	assert_string_equal(out[0]->chars, THUMBS);
	assert_string_equal(out[1]->chars, HEART);
	assert_string_equal(out[2]->chars, GRIN);
	assert_string_equal(out[3]->chars, FAMILY);
	assert_string_equal(out[4]->name, "thumbs down");
	n = emoji_search(set, "thumbs", recent, 4, out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0]->chars, THUMBS);
	assert_string_equal(out[1]->name, "thumbs down");
	emoji_set_free(set);
}

static void
builtin__has_common_emoji_by_name(void **state)
{
	(void)state;
	struct emoji_set *set = emoji_set_builtin();
	assert_true(emoji_set_count(set) >= 30);
	const struct emoji *out[4];
	assert_int_equal(emoji_search(set, "thumbs up", NULL, 0, out, 4), 1);
	assert_string_equal(out[0]->chars, THUMBS);
	assert_non_null(emoji_find(set, HEART));
	emoji_set_free(set);
}

/* Debian's unicode-data (scripts/deps installs it) holds the real file. */
static void
parse__the_systems_emoji_test_file(void **state)
{
	(void)state;
	FILE *f = fopen("/usr/share/unicode/emoji/emoji-test.txt", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	struct emoji_set *set = emoji_set_parse(buf, (size_t)len);
	free(buf);
	assert_non_null(set);
	assert_true(emoji_set_count(set) > 1000);
	assert_string_equal(emoji_set_at(set, 0)->chars, GRIN);
	const struct emoji *e = emoji_find(set, THUMBS);
	assert_non_null(e);
	assert_string_equal(e->name, "thumbs up");
	const struct emoji *out[2];
	assert_int_equal(emoji_search(set, "thumbs up", NULL, 0, out, 2), 1);
	emoji_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse__keeps_fully_qualified_emoji_without_skin_tones),
		cmocka_unit_test(parse__a_file_without_emoji_gives_no_set),
		cmocka_unit_test(search__every_word_starts_a_word_of_the_name),
		cmocka_unit_test(search__recent_emoji_come_first_once),
		cmocka_unit_test(builtin__has_common_emoji_by_name),
		cmocka_unit_test(parse__the_systems_emoji_test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
