/*
 * config: the settings file and config_set, as docs/config.md describes
 * them. Every error is checked with its exact "file:line: reason".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/config.h"

struct fixture {
	struct config c;
	char err[512];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (f == NULL)
		return -1;
	setenv("USER", "alice", 1);
	setenv("HOME", "/home/alice", 1);
	config_defaults(&f->c);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	config_free(&f->c);
	free(f);
	return 0;
}

/* Parses text that must be good. */
static struct config *
ok(void **state, const char *text)
{
	struct fixture *f = *state;
	if (!config_parse(&f->c, text, "confab.conf", f->err, sizeof f->err))
		fail_msg("unexpected error: %s", f->err);
	return &f->c;
}

/* Parses text that must be refused and returns the message. */
static const char *
bad(void **state, const char *text)
{
	struct fixture *f = *state;
	f->err[0] = '\0';
	assert_false(config_parse(&f->c, text, "confab.conf", f->err,
	    sizeof f->err));
	return f->err;
}

/* ---- defaults ---------------------------------------------------------- */

static void
config__defaults__are_the_documented_values(void **state)
{
	struct config *c = &((struct fixture *)*state)->c;
	assert_string_equal(c->server, "ws://127.0.0.1:7681/");
	assert_string_equal(c->room, "lobby");
	assert_string_equal(c->theme, "default");
	assert_null(c->log);
	assert_int_equal(c->away_after, 300);
	assert_int_equal(c->reconnect_attempts, 0);
	assert_int_equal(c->history_page, 50);
	assert_true(c->timestamps);
	assert_true(c->side_panes);
}

static void
config__defaults__take_the_user_from_USER(void **state)
{
	struct config *c = &((struct fixture *)*state)->c;
	assert_string_equal(c->user, "alice");
}

static void
config__defaults__leave_the_user_unset_when_USER_is_no_valid_name(void **state)
{
	(void)state;
	struct config c;
	setenv("USER", "not a name", 1);
	config_defaults(&c);
	assert_null(c.user);
	config_free(&c);
	unsetenv("USER");
	config_defaults(&c);
	assert_null(c.user);
	config_free(&c);
}

/* ---- each key ---------------------------------------------------------- */

static void
config__parse__sets_server(void **state)
{
	assert_string_equal(ok(state, "server = ws://chat.example:7681/\n")->server,
	    "ws://chat.example:7681/");
}

static void
config__parse__sets_user(void **state)
{
	assert_string_equal(ok(state, "user = Bob_2.x-y\n")->user, "Bob_2.x-y");
}

static void
config__parse__sets_room(void **state)
{
	assert_string_equal(ok(state, "room = dev.ops-2\n")->room, "dev.ops-2");
}

static void
config__parse__sets_theme(void **state)
{
	assert_string_equal(ok(state, "theme = solarized-dark\n")->theme,
	    "solarized-dark");
}

static void
config__parse__sets_log(void **state)
{
	assert_string_equal(ok(state, "log = /var/tmp/confab.log\n")->log,
	    "/var/tmp/confab.log");
}

static void
config__parse__expands_a_leading_tilde_in_log(void **state)
{
	assert_string_equal(ok(state, "log = ~/logs/c.log\n")->log,
	    "/home/alice/logs/c.log");
}

static void
config__parse__takes_an_empty_log_as_the_default_place(void **state)
{
	ok(state, "log = /tmp/x\n");
	assert_null(ok(state, "log =\n")->log);
}

static void
config__parse__sets_away_after(void **state)
{
	assert_int_equal(ok(state, "away_after = 600\n")->away_after, 600);
}

static void
config__parse__accepts_away_after_from_0_to_86400(void **state)
{
	assert_int_equal(ok(state, "away_after = 0\n")->away_after, 0);
	assert_int_equal(ok(state, "away_after = 86400\n")->away_after, 86400);
}

static void
config__parse__sets_reconnect_attempts(void **state)
{
	assert_int_equal(ok(state, "reconnect_attempts = 12\n")->reconnect_attempts,
	    12);
	assert_int_equal(
	    ok(state, "reconnect_attempts = 1000000\n")->reconnect_attempts,
	    1000000);
}

static void
config__parse__sets_history_page_from_1_to_200(void **state)
{
	assert_int_equal(ok(state, "history_page = 1\n")->history_page, 1);
	assert_int_equal(ok(state, "history_page = 200\n")->history_page, 200);
}

static void
config__parse__sets_scrollback_lines_from_100_to_ten_million(void **state)
{
	assert_int_equal(ok(state, "")->scrollback_lines, 20000);
	assert_int_equal(ok(state, "scrollback_lines = 100\n")->scrollback_lines,
	    100);
	assert_int_equal(
	    ok(state, "scrollback_lines = 10000000\n")->scrollback_lines,
	    10000000);
	assert_string_equal(bad(state, "scrollback_lines = 99\n"),
	    "confab.conf:1: scrollback_lines: out of range (100-10000000): '99'");
}

static void
config__parse__sets_timestamps(void **state)
{
	assert_false(ok(state, "timestamps = false\n")->timestamps);
	assert_true(ok(state, "timestamps = true\n")->timestamps);
}

static void
config__parse__sets_side_panes(void **state)
{
	assert_false(ok(state, "side_panes = off\n")->side_panes);
	assert_true(ok(state, "side_panes = on\n")->side_panes);
}

static void
config__parse__accepts_every_boolean_spelling_in_any_case(void **state)
{
	static const char *const yes[] = { "true", "yes", "on", "TRUE", "Yes" };
	static const char *const no[] = { "false", "no", "off", "FALSE", "Off" };
	char line[64];
	for (size_t i = 0; i < 5; i++) {
		snprintf(line, sizeof line, "timestamps = %s", no[i]);
		assert_false(ok(state, line)->timestamps);
		snprintf(line, sizeof line, "timestamps = %s", yes[i]);
		assert_true(ok(state, line)->timestamps);
	}
}

/* ---- syntax ------------------------------------------------------------ */

static void
config__parse__accepts_the_empty_file(void **state)
{
	assert_string_equal(ok(state, "")->room, "lobby");
}

static void
config__parse__skips_comment_lines(void **state)
{
	assert_string_equal(ok(state, "# room = nope\n  # indented\nroom = a\n")->room,
	    "a");
}

static void
config__parse__skips_blank_lines(void **state)
{
	assert_string_equal(ok(state, "\n   \n\t\nroom = b\n\n")->room, "b");
}

static void
config__parse__strips_a_comment_after_the_value(void **state)
{
	assert_string_equal(ok(state, "room = dev   # the team room\n")->room,
	    "dev");
}

static void
config__parse__keeps_a_hash_that_follows_no_blank(void **state)
{
	assert_string_equal(ok(state, "log = /tmp/a#b\n")->log, "/tmp/a#b");
}

static void
config__parse__keeps_spaces_and_hashes_inside_quotes(void **state)
{
	assert_string_equal(
	    ok(state, "log = \"/tmp/my logs # 2\"  # comment\n")->log,
	    "/tmp/my logs # 2");
}

static void
config__parse__unescapes_quotes_and_backslashes_inside_quotes(void **state)
{
	assert_string_equal(ok(state, "log = \"/a\\\"b\\\\c\\d\"\n")->log,
	    "/a\"b\\c\\d");
}

static void
config__parse__ignores_blanks_around_key_and_value(void **state)
{
	assert_string_equal(ok(state, "\t room\t=\t  x  \t\n")->room, "x");
	assert_string_equal(ok(state, "room=y")->room, "y");
}

static void
config__parse__accepts_crlf_line_ends(void **state)
{
	struct config *c = ok(state, "room = a\r\nhistory_page = 9\r\n");
	assert_string_equal(c->room, "a");
	assert_int_equal(c->history_page, 9);
}

static void
config__parse__reads_a_last_line_without_newline(void **state)
{
	assert_string_equal(ok(state, "room = a\nroom = last")->room, "last");
}

static void
config__parse__lets_a_later_line_win(void **state)
{
	assert_string_equal(ok(state, "room = a\nroom = b\n")->room, "b");
}

/* ---- errors ------------------------------------------------------------ */

static void
config__parse__reports_an_unknown_key(void **state)
{
	assert_string_equal(bad(state, "room = a\ncolour = red\n"),
	    "confab.conf:2: unknown key 'colour'");
}

static void
config__parse__reports_a_missing_equals_sign(void **state)
{
	assert_string_equal(bad(state, "room lobby\n"),
	    "confab.conf:1: missing '=' (expected 'key = value')");
}

static void
config__parse__reports_a_missing_key(void **state)
{
	assert_string_equal(bad(state, " = lobby\n"),
	    "confab.conf:1: missing key before '='");
}

static void
config__parse__reports_a_bad_number(void **state)
{
	assert_string_equal(bad(state, "away_after = 5m\n"),
	    "confab.conf:1: away_after: not a number: '5m'");
	assert_string_equal(bad(state, "history_page = -1\n"),
	    "confab.conf:1: history_page: not a number: '-1'");
}

static void
config__parse__reports_a_number_out_of_range(void **state)
{
	assert_string_equal(bad(state, "away_after = 86401\n"),
	    "confab.conf:1: away_after: out of range (0-86400): '86401'");
	assert_string_equal(bad(state, "history_page = 0\n"),
	    "confab.conf:1: history_page: out of range (1-200): '0'");
	assert_string_equal(bad(state, "history_page = 201\n"),
	    "confab.conf:1: history_page: out of range (1-200): '201'");
	assert_string_equal(bad(state, "reconnect_attempts = 1000001\n"),
	    "confab.conf:1: reconnect_attempts: out of range (0-1000000): "
	    "'1000001'");
}

static void
config__parse__reports_a_huge_number_as_out_of_range(void **state)
{
	assert_string_equal(bad(state, "away_after = 99999999999999999999999\n"),
	    "confab.conf:1: away_after: out of range (0-86400): "
	    "'99999999999999999999999'");
}

static void
config__parse__reports_a_bad_boolean(void **state)
{
	assert_string_equal(bad(state, "side_panes = maybe\n"),
	    "confab.conf:1: side_panes: not a boolean (true/false, yes/no, "
	    "on/off): 'maybe'");
	assert_string_equal(bad(state, "timestamps = 1\n"),
	    "confab.conf:1: timestamps: not a boolean (true/false, yes/no, "
	    "on/off): '1'");
}

static void
config__parse__reports_an_empty_value(void **state)
{
	assert_string_equal(bad(state, "server =\n"),
	    "confab.conf:1: server: empty value");
	assert_string_equal(bad(state, "room = \"\"\n"),
	    "confab.conf:1: room: empty value");
	assert_string_equal(bad(state, "user = # nobody\n"),
	    "confab.conf:1: user: empty value");
}

static void
config__parse__reports_an_overlong_line(void **state)
{
	size_t n = 5000;
	char *text = malloc(n + 1);
	assert_non_null(text);
	memset(text, 'a', n);
	memcpy(text, "log = /", 7);
	text[n] = '\0';
	assert_string_equal(bad(state, text),
	    "confab.conf:1: line longer than 4096 bytes");
	free(text);
}

static void
config__parse__reports_invalid_utf8(void **state)
{
	assert_string_equal(bad(state, "room = a\n# caf\xE9\n"),
	    "confab.conf:2: invalid UTF-8");
}

static void
config__parse__takes_a_wss_server_and_a_ca_file(void **state)
{
	struct config *c = ok(state, "server = wss://chat.example/\nca = ~/ca.pem\n");
	assert_string_equal(c->server, "wss://chat.example/");
	assert_string_equal(c->ca, "/home/alice/ca.pem");
	assert_string_equal(bad(state, "server = wss://\n"),
	    "confab.conf:1: server: no host after wss://");
}

static void
config__parse__reports_a_server_that_is_not_ws(void **state)
{
	assert_string_equal(bad(state, "server = http://chat.example/\n"),
	    "confab.conf:1: server: must start with ws:// or wss://: "
	    "'http://chat.example/'");
}

static void
config__parse__reports_a_server_without_host(void **state)
{
	assert_string_equal(bad(state, "server = ws://\n"),
	    "confab.conf:1: server: no host after ws://");
}

static void
config__parse__reports_a_bad_user_name(void **state)
{
	static const char *const names[] = {
		".bob", "-bob", "bo b", "b\xC3\xB6\x62",
		"abcdefghijabcdefghijabcdefghijabc", /* 33 */
	};
	char line[128], want[256];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(line, sizeof line, "user = \"%s\"", names[i]);
		snprintf(want, sizeof want,
		    "confab.conf:1: user: not a valid user name (1-32 of "
		    "A-Z a-z 0-9 _ . -, not starting with . or -): '%s'",
		    names[i]);
		assert_string_equal(bad(state, line), want);
	}
}

static void
config__parse__reports_a_bad_room_name(void **state)
{
	static const char *const names[] = {
		"Lobby", "_x", ".x", "a b",
		"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcde",
	};
	char line[128], want[256];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(line, sizeof line, "room = \"%s\"", names[i]);
		snprintf(want, sizeof want,
		    "confab.conf:1: room: not a valid room name (1-64 of "
		    "a-z 0-9 _ . -, starting with a letter or digit): '%s'",
		    strlen(names[i]) > 48 ?
		    "abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh..." :
		    names[i]);
		assert_string_equal(bad(state, line), want);
	}
}

static void
config__parse__reports_a_bad_theme_name(void **state)
{
	assert_string_equal(bad(state, "theme = ../evil\n"),
	    "confab.conf:1: theme: not a theme name (up to 63 of "
	    "A-Z a-z 0-9 _ -): '../evil'");
}

static void
config__parse__reports_an_unterminated_quote(void **state)
{
	assert_string_equal(bad(state, "log = \"/tmp/x\n"),
	    "confab.conf:1: unterminated quoted value");
}

static void
config__parse__reports_text_after_a_closing_quote(void **state)
{
	assert_string_equal(bad(state, "log = \"/tmp/x\" y\n"),
	    "confab.conf:1: unexpected text after the closing quote");
}

static void
config__parse__counts_comment_and_blank_lines_in_the_line_number(void **state)
{
	assert_string_equal(bad(state, "# c\n\nroom = a\r\n\nroom = A\n"),
	    "confab.conf:5: room: not a valid room name (1-64 of "
	    "a-z 0-9 _ . -, starting with a letter or digit): 'A'");
}

static void
config__parse__leaves_the_settings_untouched_on_error(void **state)
{
	struct fixture *f = *state;
	char *server = f->c.server, *room = f->c.room;
	bad(state, "server = ws://other/\nroom = dev\naway_after = 1\n"
	    "timestamps = no\nbogus = 1\n");
	assert_ptr_equal(f->c.server, server);
	assert_ptr_equal(f->c.room, room);
	assert_string_equal(f->c.server, "ws://127.0.0.1:7681/");
	assert_string_equal(f->c.room, "lobby");
	assert_int_equal(f->c.away_after, 300);
	assert_true(f->c.timestamps);
}

/* ---- config_set -------------------------------------------------------- */

static void
config__set__sets_a_key(void **state)
{
	struct fixture *f = *state;
	assert_true(config_set(&f->c, "room", "dev", f->err, sizeof f->err));
	assert_string_equal(f->c.room, "dev");
	assert_true(config_set(&f->c, "side_panes", "no", f->err, sizeof f->err));
	assert_false(f->c.side_panes);
}

static void
config__set__wins_over_the_file_when_applied_after_it(void **state)
{
	struct fixture *f = *state;
	ok(state, "room = fromfile\n");
	assert_true(config_set(&f->c, "room", "fromflag", f->err, sizeof f->err));
	assert_string_equal(f->c.room, "fromflag");
}

static void
config__set__reports_the_reason_without_a_location(void **state)
{
	struct fixture *f = *state;
	assert_false(config_set(&f->c, "history_page", "500", f->err,
	    sizeof f->err));
	assert_string_equal(f->err, "history_page: out of range (1-200): '500'");
}

static void
config__set__reports_an_unknown_key(void **state)
{
	struct fixture *f = *state;
	assert_false(config_set(&f->c, "colour", "red", f->err, sizeof f->err));
	assert_string_equal(f->err, "unknown key 'colour'");
}

static void
config__set__takes_a_null_value_as_empty(void **state)
{
	struct fixture *f = *state;
	assert_false(config_set(&f->c, "user", NULL, f->err, sizeof f->err));
	assert_string_equal(f->err, "user: empty value");
}

static void
config__set__leaves_the_settings_untouched_on_error(void **state)
{
	struct fixture *f = *state;
	char *user = f->c.user;
	assert_false(config_set(&f->c, "user", "-x", f->err, sizeof f->err));
	assert_ptr_equal(f->c.user, user);
	assert_string_equal(f->c.user, "alice");
	assert_false(config_set(&f->c, "away_after", "x", f->err, sizeof f->err));
	assert_int_equal(f->c.away_after, 300);
}

static void
config__set__accepts_a_null_error_buffer(void **state)
{
	struct fixture *f = *state;
	assert_false(config_set(&f->c, "room", "", NULL, 0));
}

/* ---- notifications ------------------------------------------------------ */

static void
config__defaults__notify_on_mentions_when_unfocused(void **state)
{
	struct config *c = &((struct fixture *)*state)->c;
	assert_int_equal(c->notify.level, NOTIFY_MENTIONS);
	assert_int_equal(c->notify.when, NOTIFY_UNFOCUSED);
	assert_false(c->notify.bell);
	assert_false(c->notify.dnd);
	assert_int_equal(c->notify.nrooms, 0);
}

static void
config__parse__sets_notify(void **state)
{
	assert_int_equal(ok(state, "notify = all\n")->notify.level, NOTIFY_ALL);
	assert_int_equal(ok(state, "notify = none\n")->notify.level,
	    NOTIFY_NONE);
	assert_int_equal(ok(state, "notify = mentions\n")->notify.level,
	    NOTIFY_MENTIONS);
}

static void
config__parse__reports_a_bad_notify_level(void **state)
{
	assert_string_equal(bad(state, "notify = some\n"),
	    "confab.conf:1: notify: not one of all, mentions, none: 'some'");
}

static void
config__parse__sets_notify_when(void **state)
{
	assert_int_equal(ok(state, "notify_when = always\n")->notify.when,
	    NOTIFY_ALWAYS);
	assert_int_equal(ok(state, "notify_when = unfocused\n")->notify.when,
	    NOTIFY_UNFOCUSED);
	assert_string_equal(bad(state, "notify_when = never\n"),
	    "confab.conf:1: notify_when: not one of always, unfocused: 'never'");
}

static void
config__parse__sets_bell_and_dnd(void **state)
{
	struct config *c = ok(state, "bell = yes\ndnd = on\n");
	assert_true(c->notify.bell);
	assert_true(c->notify.dnd);
	c = ok(state, "bell = false\ndnd = off\n");
	assert_false(c->notify.bell);
	assert_false(c->notify.dnd);
	assert_string_equal(bad(state, "bell = loud\n"),
	    "confab.conf:1: bell: not a boolean (true/false, yes/no, on/off): "
	    "'loud'");
}

static void
config__parse__sets_a_room_notify_level(void **state)
{
	struct config *c = ok(state,
	    "notify = none\nnotify.dev = all\nnotify.ops = mentions\n");
	assert_int_equal(c->notify.nrooms, 2);
	assert_int_equal(notifyrules_level(&c->notify, "dev"), NOTIFY_ALL);
	assert_int_equal(notifyrules_level(&c->notify, "ops"), NOTIFY_MENTIONS);
	assert_int_equal(notifyrules_level(&c->notify, "lobby"), NOTIFY_NONE);
}

static void
config__parse__lets_a_later_room_notify_line_win(void **state)
{
	struct config *c = ok(state, "notify.dev = all\nnotify.dev = none\n");
	assert_int_equal(c->notify.nrooms, 1);
	assert_int_equal(notifyrules_level(&c->notify, "dev"), NOTIFY_NONE);
}

static void
config__parse__keeps_room_notify_levels_across_files(void **state)
{
	ok(state, "notify.dev = all\n");
	struct config *c = ok(state, "notify.ops = none\n");
	assert_int_equal(c->notify.nrooms, 2);
	assert_int_equal(notifyrules_level(&c->notify, "dev"), NOTIFY_ALL);
	assert_int_equal(notifyrules_level(&c->notify, "ops"), NOTIFY_NONE);
}

static void
config__parse__reports_a_bad_room_in_a_notify_key(void **state)
{
	assert_string_equal(bad(state, "notify.Dev = all\n"),
	    "confab.conf:1: notify.Dev: not a valid room name (1-64 of a-z 0-9 "
	    "_ . -, starting with a letter or digit): 'Dev'");
	assert_string_equal(bad(state, "notify. = all\n"),
	    "confab.conf:1: notify.: not a valid room name (1-64 of a-z 0-9 "
	    "_ . -, starting with a letter or digit): ''");
}

/* The room of a long notify key is quoted like any value, not whole. */
static void
config__parse__quotes_a_long_bad_room_in_a_notify_key_shortened(void **state)
{
	char text[300] = "notify.";
	memset(text + 7, 'X', 200);
	strcpy(text + 207, " = all\n");
	const char *msg = bad(state, text);
	const char *q = strstr(msg, "digit): '");
	assert_non_null(q);
	assert_string_equal(q, "digit): 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
	    "XXXXXXXX...'");
}

/* A message cut to the caller's buffer ends between characters. */
static void
config__parse__cuts_a_long_message_between_characters(void **state)
{
	(void)state;
	struct config c;
	char err[30];
	config_defaults(&c);
	/* "confab.conf:1: unknown key '" is 28 bytes, then U+00E9 */
	assert_false(config_parse(&c, "\xc3\xa9 = 1\n", "confab.conf", err,
	    sizeof err));
	assert_string_equal(err, "confab.conf:1: unknown key '");
	config_free(&c);
}

static void
config__parse__reports_a_bad_room_notify_level(void **state)
{
	assert_string_equal(bad(state, "notify.dev = loud\n"),
	    "confab.conf:1: notify.dev: not one of all, mentions, none: 'loud'");
	assert_string_equal(bad(state, "notify.dev =\n"),
	    "confab.conf:1: notify.dev: empty value");
}

static void
config__parse__leaves_room_notify_levels_untouched_on_error(void **state)
{
	struct fixture *f = *state;
	ok(state, "notify.dev = all\n");
	bad(state, "notify.ops = none\nnotify.dev = none\nnotify = sometimes\n");
	assert_int_equal(f->c.notify.nrooms, 1);
	assert_int_equal(notifyrules_level(&f->c.notify, "dev"), NOTIFY_ALL);
	assert_int_equal(f->c.notify.level, NOTIFY_MENTIONS);
}

static void
config__set__sets_a_room_notify_level(void **state)
{
	struct fixture *f = *state;
	assert_true(config_set(&f->c, "notify.dev", "none", f->err,
	    sizeof f->err));
	assert_int_equal(notifyrules_level(&f->c.notify, "dev"), NOTIFY_NONE);
	assert_false(config_set(&f->c, "notifyx", "all", f->err, sizeof f->err));
	assert_string_equal(f->err, "unknown key 'notifyx'");
}


/* ---- lists, logs, times, NUL ------------------------------------------- */

static void
config__defaults__remember_rooms_and_write_chat_logs(void **state)
{
	struct config *c = &((struct fixture *)*state)->c;
	assert_true(c->remember_rooms);
	assert_true(c->chat_logs);
	assert_null(c->chat_log_dir);
	assert_string_equal(c->timestamp_format, "%H:%M");
	assert_int_equal(c->autojoin.n, 0);
	assert_int_equal(c->highlight.n, 0);
}

static void
config__autojoin__takes_rooms_as_people_type_them(void **state)
{
	struct config *c = ok(state, "autojoin = \"#Dev, ops  lobby\"\n");
	assert_int_equal(c->autojoin.n, 3);
	assert_string_equal(c->autojoin.v[0], "dev");
	assert_string_equal(c->autojoin.v[1], "ops");
	assert_string_equal(c->autojoin.v[2], "lobby");
}

static void
config__autojoin__refuses_what_is_no_room_name(void **state)
{
	assert_string_equal(bad(state, "autojoin = dev, -bad\n"),
	    "confab.conf:1: autojoin: not a room name: '-bad'");
}

static void
config__highlight__keeps_each_word(void **state)
{
	struct config *c = ok(state, "highlight = deploy, Outage urgent\n");
	assert_int_equal(c->highlight.n, 3);
	assert_string_equal(c->highlight.v[1], "Outage");
}

static void
config__a_list__given_twice_keeps_the_second(void **state)
{
	struct config *c = ok(state, "highlight = a b\nhighlight = c\n");
	assert_int_equal(c->highlight.n, 1);
	assert_string_equal(c->highlight.v[0], "c");
}

static void
config__timestamp_format__is_checked(void **state)
{
	struct config *c = ok(state, "timestamp_format = \"%H:%M:%S\"\n");
	assert_string_equal(c->timestamp_format, "%H:%M:%S");
	assert_string_equal(bad(state, "timestamp_format = %A %A %A %A\n"),
	    "confab.conf:1: timestamp_format: makes more than 24 characters: "
	    "'%A %A %A %A'");
}

static void
config__chat_log_dir__expands_a_leading_tilde(void **state)
{
	struct config *c = ok(state, "chat_logs = off\nchat_log_dir = ~/logs\n");
	assert_false(c->chat_logs);
	assert_string_equal(c->chat_log_dir, "/home/alice/logs");
}

static void
config__a_nul_byte__is_an_error_on_its_line(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "room = dev\nuser = bo\0b\n";
	assert_false(config_parse_len(&f->c, text, sizeof text - 1, "confab.conf",
	    f->err, sizeof f->err));
	assert_string_equal(f->err, "confab.conf:2: a NUL byte (the file is "
	    "damaged, or not text)");
	assert_string_equal(f->c.room, "lobby"); /* all or nothing */
	assert_string_equal(f->c.user, "alice");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(config__defaults__are_the_documented_values),
		T(config__defaults__remember_rooms_and_write_chat_logs),
		T(config__autojoin__takes_rooms_as_people_type_them),
		T(config__autojoin__refuses_what_is_no_room_name),
		T(config__highlight__keeps_each_word),
		T(config__a_list__given_twice_keeps_the_second),
		T(config__timestamp_format__is_checked),
		T(config__chat_log_dir__expands_a_leading_tilde),
		T(config__a_nul_byte__is_an_error_on_its_line),
		T(config__defaults__take_the_user_from_USER),
		T(config__defaults__leave_the_user_unset_when_USER_is_no_valid_name),
		T(config__parse__sets_server),
		T(config__parse__sets_user),
		T(config__parse__sets_room),
		T(config__parse__sets_theme),
		T(config__parse__sets_log),
		T(config__parse__expands_a_leading_tilde_in_log),
		T(config__parse__takes_an_empty_log_as_the_default_place),
		T(config__parse__sets_away_after),
		T(config__parse__accepts_away_after_from_0_to_86400),
		T(config__parse__sets_reconnect_attempts),
		T(config__parse__sets_history_page_from_1_to_200),
		T(config__parse__sets_scrollback_lines_from_100_to_ten_million),
		T(config__parse__sets_timestamps),
		T(config__parse__sets_side_panes),
		T(config__parse__accepts_every_boolean_spelling_in_any_case),
		T(config__parse__accepts_the_empty_file),
		T(config__parse__skips_comment_lines),
		T(config__parse__skips_blank_lines),
		T(config__parse__strips_a_comment_after_the_value),
		T(config__parse__keeps_a_hash_that_follows_no_blank),
		T(config__parse__keeps_spaces_and_hashes_inside_quotes),
		T(config__parse__unescapes_quotes_and_backslashes_inside_quotes),
		T(config__parse__ignores_blanks_around_key_and_value),
		T(config__parse__accepts_crlf_line_ends),
		T(config__parse__reads_a_last_line_without_newline),
		T(config__parse__lets_a_later_line_win),
		T(config__parse__reports_an_unknown_key),
		T(config__parse__reports_a_missing_equals_sign),
		T(config__parse__reports_a_missing_key),
		T(config__parse__reports_a_bad_number),
		T(config__parse__reports_a_number_out_of_range),
		T(config__parse__reports_a_huge_number_as_out_of_range),
		T(config__parse__reports_a_bad_boolean),
		T(config__parse__reports_an_empty_value),
		T(config__parse__reports_an_overlong_line),
		T(config__parse__reports_invalid_utf8),
		T(config__parse__takes_a_wss_server_and_a_ca_file),
		T(config__parse__reports_a_server_that_is_not_ws),
		T(config__parse__reports_a_server_without_host),
		T(config__parse__reports_a_bad_user_name),
		T(config__parse__reports_a_bad_room_name),
		T(config__parse__reports_a_bad_theme_name),
		T(config__parse__reports_an_unterminated_quote),
		T(config__parse__reports_text_after_a_closing_quote),
		T(config__parse__counts_comment_and_blank_lines_in_the_line_number),
		T(config__parse__leaves_the_settings_untouched_on_error),
		T(config__set__sets_a_key),
		T(config__set__wins_over_the_file_when_applied_after_it),
		T(config__set__reports_the_reason_without_a_location),
		T(config__set__reports_an_unknown_key),
		T(config__set__takes_a_null_value_as_empty),
		T(config__set__leaves_the_settings_untouched_on_error),
		T(config__set__accepts_a_null_error_buffer),
		T(config__defaults__notify_on_mentions_when_unfocused),
		T(config__parse__sets_notify),
		T(config__parse__reports_a_bad_notify_level),
		T(config__parse__sets_notify_when),
		T(config__parse__sets_bell_and_dnd),
		T(config__parse__sets_a_room_notify_level),
		T(config__parse__lets_a_later_room_notify_line_win),
		T(config__parse__keeps_room_notify_levels_across_files),
		T(config__parse__reports_a_bad_room_in_a_notify_key),
		T(config__parse__quotes_a_long_bad_room_in_a_notify_key_shortened),
		T(config__parse__cuts_a_long_message_between_characters),
		T(config__parse__reports_a_bad_room_notify_level),
		T(config__parse__leaves_room_notify_levels_untouched_on_error),
		T(config__set__sets_a_room_notify_level),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
