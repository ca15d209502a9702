/*
 * osc52: the clipboard escape sequence carries the text in base64.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/osc52.h"

static void
expect(const char *text, const char *want)
{
	char *s = osc52_sequence(text, strlen(text));
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void
osc52__encodes_every_padding(void **state)
{
	(void)state;
	expect("", "\033]52;c;\a");
	expect("f", "\033]52;c;Zg==\a");
	expect("fo", "\033]52;c;Zm8=\a");
	expect("foo", "\033]52;c;Zm9v\a");
	expect("héllo 👍", "\033]52;c;aMOpbGxvIPCfkY0=\a");
}

static void
osc52__refuses_text_terminals_drop(void **state)
{
	(void)state;
	char *big = calloc(1, OSC52_MAX_TEXT + 2);
	memset(big, 'a', OSC52_MAX_TEXT + 1);
	assert_null(osc52_sequence(big, OSC52_MAX_TEXT + 1));
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(osc52__encodes_every_padding),
		cmocka_unit_test(osc52__refuses_text_terminals_drop),
	};
	return cmocka_run_group_tests_name("osc52", tests, NULL, NULL);
}
