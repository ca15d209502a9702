/*
 * lists: the presence list drawn into a curses screen that writes to
 * /dev/null, read back: a member in a document says which
 * ("alice · editing notes"; another room's as "editing dev/plan"), the
 * shorter "alice · notes" when only that fits, nothing when not even
 * that does.
 */
#include <curses.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "model/theme.h"
#include "ui/internal.h"

static struct theme theme;

/* The row y of the screen from column x, n cells, as UTF-8. */
static void
row_text(int y, int x, int n, char *buf, size_t size)
{
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		cchar_t c;
		wchar_t wc[CCHARW_MAX + 1];
		attr_t a;
		short p;
		assert_int_equal(mvwin_wch(stdscr, y, x + i, &c), OK);
		getcchar(&c, wc, &a, &p, NULL);
		char mb[8];
		int k = wctomb(mb, wc[0]);
		if (k > 0 && len + (size_t)k < size) {
			memcpy(buf + len, mb, (size_t)k);
			len += (size_t)k;
		}
	}
	buf[len] = '\0';
	while (len > 0 && buf[len - 1] == ' ')
		buf[--len] = '\0';
}

/* lobby with alice in doc (room/name, NULL: none), drawn w wide; alice's
 * row (the first under the "online" title). */
static void
alice_row(const char *room, const char *name, int w, char *buf, size_t size)
{
	struct chat *c = chat_new("bob", "test");
	struct room *r = chat_open(c, "lobby");
	room_set_member(r, "alice", PS_ONLINE, "", 1);
	struct proto_docref at = {room, name};
	room_set_member_doc(r, "alice", &at);
	werase(stdscr);
	lists_draw_people(c, (struct ui_rect){ 0, 0, w, 10 });
	row_text(1, 0, w, buf, size);
	chat_free(c);
}

static void
lists__people__say_the_document_a_member_is_in(void **state)
{
	(void)state;
	char buf[256];
	alice_row("lobby", "notes", 30, buf, sizeof buf);
	assert_string_equal(buf, "  alice \xc2\xb7 editing notes");
	alice_row("dev", "plan", 30, buf, sizeof buf);
	assert_string_equal(buf, "  alice \xc2\xb7 editing dev/plan");
	alice_row(NULL, NULL, 30, buf, sizeof buf);
	assert_string_equal(buf, "  alice");
}

static void
lists__people__shorten_the_document_to_the_width(void **state)
{
	(void)state;
	char buf[256];
	alice_row("lobby", "notes", 16, buf, sizeof buf);
	assert_string_equal(buf, "  alice \xc2\xb7 notes");
	alice_row("lobby", "notes", 10, buf, sizeof buf);
	assert_string_equal(buf, "  alice");
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	FILE *null = fopen("/dev/null", "w");
	SCREEN *scr = newterm("xterm-256color", null, stdin);
	if (scr == NULL) {
		fprintf(stderr, "test_lists: no terminal description\n");
		return 77;
	}
	resize_term(12, 60);
	theme_default(&theme);
	color_start(false);
	color_set_theme(&theme);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists__people__say_the_document_a_member_is_in),
		cmocka_unit_test(lists__people__shorten_the_document_to_the_width),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	endwin();
	delscreen(scr);
	fclose(null);
	return rc;
}
