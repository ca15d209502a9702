/*
 * The message cursor and its actions, the thread pane and the picker,
 * through the core with a recording port: keys go in, the test looks at
 * the view, the input line, the notes and the frames sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_port.h"

static struct fx *
connected(void)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 3, "bob");
	fx_clear(fx);
	return fx;
}

static struct ui_view
view(struct fx *fx)
{
	struct ui_view v;
	struct ui_centre centre;
	client_view(fx->c, &v, &centre);
	return v;
}

static void
cursor__up_in_an_empty_line_selects_the_newest_and_moves(void **state)
{
	(void)state;
	struct fx *fx = connected();
	assert_int_equal(view(fx).selected, 0);
	fx_key(fx, UI_HISTORY_PREV, 0);
	assert_int_equal(view(fx).selected, 3);
	assert_int_equal(view(fx).mark_seq, 3);
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_key(fx, UI_HISTORY_PREV, 0); /* the oldest: it stays */
	assert_int_equal(view(fx).selected, 1);
	fx_key(fx, UI_HISTORY_NEXT, 0);
	assert_int_equal(view(fx).selected, 2);
	fx_key(fx, UI_ESCAPE, 0);
	assert_int_equal(view(fx).selected, 0);
	fx_key(fx, UI_CURSOR, 0); /* Alt-Up */
	assert_int_equal(view(fx).selected, 3);
	fx_key(fx, UI_HISTORY_NEXT, 0); /* past the newest: off */
	assert_int_equal(view(fx).selected, 0);
	fx_free(fx);
}

static void
cursor__typing_leaves_it_and_goes_into_the_line(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "h");
	assert_int_equal(view(fx).selected, 0);
	assert_string_equal(fx_line(fx), "h");
	fx_key(fx, UI_HISTORY_PREV, 0); /* a line being typed: not the cursor */
	assert_int_equal(view(fx).selected, 0);
	fx_free(fx);
}

static void
cursor__input_history_is_on_ctrl_up(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_say(fx, "first words");
	fx_key(fx, UI_HISTORY_BACK, 0);
	assert_string_equal(fx_line(fx), "first words");
	assert_int_equal(view(fx).selected, 0);
	fx_free(fx);
}

static void
cursor__c_copies_the_text_to_the_clipboard(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "c");
	assert_non_null(fx->copied);
	assert_string_equal(fx->copied, "line 2");
	assert_true(fx_noted(fx, "copied"));
	assert_string_equal(fx_line(fx), "");
	fx_free(fx);
}

static void
cursor__e_edits_only_my_own_messages(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "e");
	assert_true(fx_noted(fx, "only your own messages"));
	assert_string_equal(fx_line(fx), "");
	fx_message(fx, "lobby", 4, "alice", "my typo");
	fx_key(fx, UI_ESCAPE, 0);
	fx_key(fx, UI_HISTORY_PREV, 0);
	assert_int_equal(view(fx).selected, 4);
	fx_type(fx, "e");
	assert_string_equal(fx_line(fx), "my typo");
	assert_int_equal(fx->c->cur.editing, 4);
	fx_key(fx, UI_ESCAPE, 0); /* leaves it as it was */
	assert_int_equal(fx->c->cur.editing, 0);
	assert_string_equal(fx_line(fx), "");
	fx_free(fx);
}

static void
cursor__d_asks_first_and_n_keeps_the_message(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "d");
	assert_non_null(view(fx).prompt);
	assert_non_null(strstr(view(fx).prompt, "delete this message?"));
	fx_type(fx, "n");
	assert_null(view(fx).prompt);
	assert_true(fx_noted(fx, "not deleted"));
	assert_int_equal(fx_count(fx, NULL), 0);
	fx_free(fx);
}

static void
cursor__r_opens_the_thread_pane_with_its_own_input(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "r");
	struct ui_view v = view(fx);
	assert_non_null(v.thread);
	assert_int_equal(v.thread->root, 2);
	assert_true(v.thread->focused);
	assert_int_equal(v.selected, 0);
	fx_type(fx, "hi");
	assert_string_equal(fx->c->thread.input.buf, "hi");
	assert_string_equal(fx_line(fx), "");
	fx_key(fx, UI_PANE_FOCUS, 0); /* F6: keys to the room's line */
	fx_type(fx, "x");
	assert_string_equal(fx_line(fx), "x");
	fx_key(fx, UI_PANE_FOCUS, 0);
	fx_key(fx, UI_ESCAPE, 0);
	assert_null(view(fx).thread);
	fx_free(fx);
}

static void
cursor__plus_opens_the_picker_which_filters_by_name(void **state)
{
	(void)state;
	struct fx *fx = connected();
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_type(fx, "+");
	struct ui_view v = view(fx);
	assert_non_null(v.list);
	assert_non_null(v.list->query);
	size_t all = v.list->nrows;
	assert_true(all > 10);
	fx_type(fx, "thumbs");
	v = view(fx);
	assert_true(v.list->nrows > 0 && v.list->nrows < all);
	assert_non_null(strstr(v.list->rows[0].text, "thumbs"));
	fx_key(fx, UI_ESCAPE, 0);
	assert_null(view(fx).list);
	fx_free(fx);
}

static void
picker__recent_emoji_come_first_and_last_a_restart(void **state)
{
	(void)state;
	struct fx *fx = connected();
	picker_used(&fx->c->picker, "🎉");
	picker_used(&fx->c->picker, "👍");
	picker_used(&fx->c->picker, "🎉");
	fx = fx_restart(fx);
	assert_int_equal(fx->c->picker.nrecent, 2);
	assert_string_equal(fx->c->picker.recent[0], "🎉");
	assert_string_equal(fx->c->picker.recent[1], "👍");
	picker_open(&fx->c->picker, "lobby", 1);
	const struct ui_list *l = picker_view(&fx->c->picker);
	assert_true(strncmp(l->rows[0].text, "🎉", strlen("🎉")) == 0);
	assert_true(strncmp(l->rows[1].text, "👍", strlen("👍")) == 0);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cursor__up_in_an_empty_line_selects_the_newest_and_moves),
		cmocka_unit_test(cursor__typing_leaves_it_and_goes_into_the_line),
		cmocka_unit_test(cursor__input_history_is_on_ctrl_up),
		cmocka_unit_test(cursor__c_copies_the_text_to_the_clipboard),
		cmocka_unit_test(cursor__e_edits_only_my_own_messages),
		cmocka_unit_test(cursor__d_asks_first_and_n_keeps_the_message),
		cmocka_unit_test(cursor__r_opens_the_thread_pane_with_its_own_input),
		cmocka_unit_test(cursor__plus_opens_the_picker_which_filters_by_name),
		cmocka_unit_test(picker__recent_emoji_come_first_and_last_a_restart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
