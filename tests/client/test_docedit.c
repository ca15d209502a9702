/*
 * Editing in the document pane through the core: the selection (Shift
 * with the motion keys, the mouse) sent as my CURSOR's sel and replaced
 * by typing; cut and copy onto the clipboard and the kill ring; kills
 * that join, yank and yank-pop; find with its count and smart case, and
 * what a find key costs on a 1 MB document; go to line; the decorations
 * handed to the pane; /doc save and /doc load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "client/docedit.h"
#include "fake_port.h"
#include "model/xmalloc.h"

#define TEST(name) static void name(void **state __attribute__((unused)))

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Connected, in lobby, with notes open at rev 1 with text (JSON-escaped);
 * the pane has the keys. */
static struct fx *
with_doc(const char *text)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 1, "bob");
	fx_say(fx, "/doc notes");
	cJSON *o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":1,\"text\":\"%s\",\"cid\":\"%s\",\"cursors\":[]}", text,
	    str(o, "cid"));
	cJSON_Delete(o);
	assert_int_equal(fx->c->docs.state, DOCS_LIVE);
	assert_true(fx->c->docs.focused);
	fx_clear(fx);
	return fx;
}

static const char *
text(struct fx *fx)
{
	return fx->c->docs.lay.text;
}

static size_t
cursor(struct fx *fx)
{
	return fx->c->docs.view.cursor;
}

static void
sel(struct fx *fx, int m, int times)
{
	for (int i = 0; i < times; i++)
		fx_key(fx, UI_SELECT, m);
}

/* The pane's view as ui_draw gets it. */
static const struct ui_doc *
view(struct fx *fx)
{
	fx->c->docs.rows = 20;
	return docs_view(&fx->c->docs);
}

static bool
has_span(const struct ui_doc *u, size_t a, size_t b, enum ui_span_kind k)
{
	for (size_t i = 0; i < u->nspans; i++)
		if (u->spans[i].start == a && u->spans[i].end == b &&
		    u->spans[i].kind == k)
			return true;
	return false;
}

/* ---- selection ----------------------------------------------------------- */

TEST(docedit__select__shift_right_selects_and_the_cursor_carries_it)
{
	struct fx *fx = with_doc("hello world");
	sel(fx, DL_RIGHT, 5);
	size_t a, b;
	assert_true(docs_selection(&fx->c->docs, &a, &b));
	assert_int_equal(a, 0);
	assert_int_equal(b, 5);
	fx->now += 1000;
	client_tick(fx->c);
	cJSON *c = fx_last(fx, "CURSOR");
	assert_non_null(c);
	cJSON *s = cJSON_GetObjectItem(c, "sel");
	assert_int_equal(cJSON_GetArrayItem(s, 0)->valueint, 0);
	assert_int_equal(cJSON_GetArrayItem(s, 1)->valueint, 5);
	cJSON_Delete(c);
	assert_true(has_span(view(fx), 0, 5, UI_SPAN_SELECT));
	fx_free(fx);
}

TEST(docedit__view__no_decorations_hands_the_pane_none)
{
	struct fx *fx = with_doc("abc");
	fx_edit(fx, EDIT_RIGHT);              /* the editing state exists */
	const struct ui_doc *u = view(fx);
	assert_int_equal(u->nspans, 0);
	assert_false(u->numbers);
	assert_null(u->info);
	fx_free(fx);
}

TEST(docedit__select__typing_replaces_it_and_backspace_deletes_it)
{
	struct fx *fx = with_doc("hello world");
	fx_key(fx, UI_SELECT, DL_WORD_RIGHT);
	fx_type(fx, "HI");
	assert_string_equal(text(fx), "HI world");
	fx_key(fx, UI_SELECT, DL_END);
	fx_edit(fx, EDIT_BACKSPACE);
	assert_string_equal(text(fx), "HI");
	fx_key(fx, UI_SELECT, DL_HOME);
	fx_edit(fx, EDIT_DELETE);
	assert_string_equal(text(fx), "");
	fx_free(fx);
}

TEST(docedit__select__a_plain_motion_or_esc_drops_it)
{
	struct fx *fx = with_doc("abc");
	sel(fx, DL_RIGHT, 2);
	fx_key(fx, UI_ESCAPE, 0);
	size_t a, b;
	assert_false(docs_selection(&fx->c->docs, &a, &b));
	assert_true(fx->c->docs.focused);   /* Esc dropped the selection only */
	sel(fx, DL_LEFT, 1);
	fx_edit(fx, EDIT_RIGHT);
	assert_false(docs_selection(&fx->c->docs, &a, &b));
	fx_free(fx);
}

TEST(docedit__select__someone_elses_insert_before_moves_it)
{
	struct fx *fx = with_doc("hello world");
	fx_edit(fx, EDIT_WORD_RIGHT);
	fx_edit(fx, EDIT_RIGHT);
	fx_key(fx, UI_SELECT, DL_WORD_RIGHT);     /* "world" */
	fx_feed(fx, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":2,\"user\":\"bob\",\"ts\":1,\"op\":[\">> \",11]}");
	size_t a, b;
	assert_true(docs_selection(&fx->c->docs, &a, &b));
	assert_int_equal(a, 9);
	assert_int_equal(b, 14);
	fx_free(fx);
}

TEST(docedit__mouse__press_drag_release_select)
{
	struct fx *fx = with_doc("one two\\nthree");
	fx->c->docs.focused = false;
	struct ui_intent in = { .kind = UI_DOC_MOUSE, .n = UI_MOUSE_PRESS, .x = 4,
	    .y = 0 };
	client_key(fx->c, &in);
	assert_true(fx->c->docs.focused);
	assert_int_equal(cursor(fx), 4);
	in.n = UI_MOUSE_DRAG;
	in.x = 2;
	in.y = 1;
	client_key(fx->c, &in);
	in.n = UI_MOUSE_RELEASE;
	client_key(fx->c, &in);
	size_t a, b;
	assert_true(docs_selection(&fx->c->docs, &a, &b));
	assert_int_equal(a, 4);
	assert_int_equal(b, 10);    /* "two\nth" */
	/* A drag without a press first selects nothing. */
	in.n = UI_MOUSE_DRAG;
	in.x = 0;
	client_key(fx->c, &in);
	assert_true(docs_selection(&fx->c->docs, &a, &b));
	assert_int_equal(b, 10);
	fx_free(fx);
}

TEST(docedit__mouse__over_a_suggestion_shown_maps_to_the_local_text)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 1, "bob");
	fx_say(fx, "/doc notes");
	cJSON *o = fx_last(fx, "DOC_OPEN");
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":1,\"text\":\"abcd\",\"cid\":\"%s\",\"cursors\":[],"
	    "\"suggestions\":[{\"id\":1,\"user\":\"bob\",\"ts\":1,"
	    "\"op\":[2,\"XY\",2]}],\"can_edit\":true}", str(o, "cid"));
	cJSON_Delete(o);
	const struct ui_doc *u = view(fx);     /* the pane shows "abXYcd" */
	assert_string_equal(u->lay->text, "abXYcd");
	struct ui_intent in = { .kind = UI_DOC_MOUSE, .n = UI_MOUSE_PRESS, .x = 4,
	    .y = 0 };
	client_key(fx->c, &in);
	assert_int_equal(cursor(fx), 2);       /* "c" */
	in.x = 3;                              /* in the inserted "XY" */
	client_key(fx->c, &in);
	assert_int_equal(cursor(fx), 2);       /* where it would go */
	in.n = UI_MOUSE_DRAG;
	in.x = 1;
	client_key(fx->c, &in);
	size_t a, b;
	assert_true(docs_selection(&fx->c->docs, &a, &b));
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	fx_free(fx);
}

TEST(docedit__readonly__an_old_revisions_selection_is_copied)
{
	struct fx *fx = with_doc("live text");
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc rev 0");
	cJSON *g = fx_last(fx, "DOC_GET");
	assert_non_null(g);
	fx_feed(fx, "{\"type\":\"DOC_TEXT\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":0,\"text\":\"old words here\",\"cid\":\"%s\"}", str(g, "cid"));
	cJSON_Delete(g);
	assert_true(fx->c->docs.ro && fx->c->docs.ro_loaded);
	fx_edit(fx, EDIT_WORD_RIGHT);
	fx_edit(fx, EDIT_RIGHT);
	fx_key(fx, UI_SELECT, DL_WORD_RIGHT);
	assert_true(has_span(view(fx), 4, 9, UI_SPAN_SELECT));
	fx_key(fx, UI_COPY, 0);
	assert_string_equal(fx->copied, "words");
	fx_key(fx, UI_ESCAPE, 0);                  /* the selection goes first */
	assert_true(fx->c->docs.ro);
	assert_false(has_span(view(fx), 4, 9, UI_SPAN_SELECT));
	fx_key(fx, UI_SELECT, DL_LEFT);
	fx_edit(fx, EDIT_KILL_WORD_BACK);          /* a cut is refused there */
	assert_true(fx_noted(fx, "read-only"));
	fx_key(fx, UI_ESCAPE, 0);
	assert_false(fx->c->docs.ro);
	assert_string_equal(text(fx), "live text");
	fx_free(fx);
}

TEST(docedit__suggesting__the_find_prompt_takes_what_is_typed)
{
	struct fx *fx = with_doc("one two");
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc suggest on");
	assert_true(docsuggest_on(&fx->c->docs));
	fx->c->docs.focused = true;
	fx_key(fx, UI_FIND, 0);
	fx_type(fx, "two");
	assert_non_null(strstr(docs_edit_prompt(&fx->c->docs), ": two"));
	fx_key(fx, UI_SUBMIT, 0);
	assert_int_equal(cursor(fx), 4);
	assert_string_equal(text(fx), "one two");
	/* a kill while suggesting is the suggestions' (a draft), not an edit */
	fx_edit(fx, EDIT_KILL_TO_END);
	assert_string_equal(text(fx), "one two");
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	fx_free(fx);
}

TEST(docedit__outside__shift_up_scrolls_and_ctrl_f_moves_right)
{
	struct fx *fx = with_doc("abc");
	fx_key(fx, UI_DOC_FOCUS, 0);
	assert_false(fx->c->docs.focused);
	fx_type(fx, "xy");
	fx_edit(fx, EDIT_HOME);
	fx_key(fx, UI_FIND, 0);
	assert_int_equal(fx->c->input.edit.cursor, 1);
	fx_key(fx, UI_SELECT, DL_UP);
	assert_int_equal(fx->c->scroll, 1);
	assert_null(docs_edit_prompt(&fx->c->docs));
	fx_free(fx);
}

/* ---- clipboard and kill ring --------------------------------------------- */

TEST(docedit__copy__puts_the_selection_on_the_clipboard_and_the_ring)
{
	struct fx *fx = with_doc("hello world");
	fx_key(fx, UI_SELECT, DL_WORD_RIGHT);
	fx_key(fx, UI_COPY, 0);
	assert_string_equal(fx->copied, "hello");
	assert_string_equal(text(fx), "hello world");
	assert_true(fx_noted(fx, "copied 5 characters to the clipboard"));
	fx_edit(fx, EDIT_END);
	fx_edit(fx, EDIT_YANK);
	assert_string_equal(text(fx), "hello worldhello");
	fx_free(fx);
}

TEST(docedit__cut__ctrl_w_with_a_selection_cuts_it)
{
	struct fx *fx = with_doc("hello world");
	fx_edit(fx, EDIT_END);
	fx_key(fx, UI_SELECT, DL_WORD_LEFT);
	fx_edit(fx, EDIT_KILL_WORD_BACK);
	assert_string_equal(text(fx), "hello ");
	assert_string_equal(fx->copied, "world");
	/* Without a selection Ctrl-W kills the word before, onto the ring
	 * only. */
	free(fx->copied);
	fx->copied = NULL;
	fx_edit(fx, EDIT_KILL_WORD_BACK);
	assert_string_equal(text(fx), "");
	assert_null(fx->copied);
	fx_edit(fx, EDIT_YANK);
	assert_string_equal(text(fx), "hello ");
	fx_free(fx);
}

TEST(docedit__copy__nothing_selected_says_how)
{
	struct fx *fx = with_doc("abc");
	fx_key(fx, UI_COPY, 0);
	assert_true(fx_noted(fx, "nothing selected"));
	assert_null(fx->copied);
	fx_free(fx);
}

TEST(docedit__kill__kills_in_a_row_join_and_yank_pop_cycles)
{
	struct fx *fx = with_doc("one\\ntwo\\nthree");
	fx_edit(fx, EDIT_KILL_TO_END);     /* "one" */
	fx_edit(fx, EDIT_KILL_TO_END);     /* the newline: joined */
	assert_string_equal(text(fx), "two\nthree");
	fx_edit(fx, EDIT_RIGHT);           /* a motion ends the run */
	fx_edit(fx, EDIT_KILL_TO_END);     /* "wo" */
	assert_string_equal(text(fx), "t\nthree");
	fx_edit(fx, EDIT_YANK);
	assert_string_equal(text(fx), "two\nthree");
	fx_key(fx, UI_YANK_POP, 0);
	assert_string_equal(text(fx), "tone\n\nthree");
	fx_key(fx, UI_YANK_POP, 0);
	assert_string_equal(text(fx), "two\nthree");
	/* Not right after a yank: said, nothing changed. */
	fx_edit(fx, EDIT_LEFT);
	fx_key(fx, UI_YANK_POP, 0);
	assert_string_equal(text(fx), "two\nthree");
	assert_true(fx_noted(fx, "Alt-Y comes right after Ctrl-Y"));
	fx_free(fx);
}

TEST(docedit__kill__ctrl_u_prepends_to_a_run)
{
	struct fx *fx = with_doc("ab cd");
	fx_edit(fx, EDIT_END);
	fx_edit(fx, EDIT_KILL_WORD_BACK);  /* "cd" */
	fx_edit(fx, EDIT_KILL_TO_START);   /* "ab " before it */
	assert_string_equal(text(fx), "");
	fx_edit(fx, EDIT_YANK);
	assert_string_equal(text(fx), "ab cd");
	fx_free(fx);
}

TEST(docedit__yank_pop__refuses_when_the_yanked_text_changed)
{
	struct fx *fx = with_doc("xy");
	fx_key(fx, UI_SELECT, DL_RIGHT);
	fx_key(fx, UI_COPY, 0);            /* "x" */
	fx_edit(fx, EDIT_END);
	fx_edit(fx, EDIT_YANK);            /* "xyx" */
	/* bob's insert at the start moves what was yanked before the Alt-Y */
	fx_feed(fx, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":2,\"user\":\"bob\",\"ts\":1,\"op\":[\">\",2]}");
	assert_string_equal(text(fx), ">xyx");
	fx_key(fx, UI_YANK_POP, 0);
	assert_string_equal(text(fx), ">xyx");
	assert_true(fx_noted(fx, "the text yanked was changed"));
	fx_free(fx);
}

TEST(docedit__redo__is_alt_z_now_that_ctrl_y_yanks)
{
	struct fx *fx = with_doc("");
	fx_type(fx, "abc");
	fx_key(fx, UI_UNDO, 0);
	assert_string_equal(text(fx), "");
	fx_key(fx, UI_REDO, 0);
	assert_string_equal(text(fx), "abc");
	fx_free(fx);
}

TEST(docedit__ring__follows_the_shown_document_from_tab_to_tab)
{
	struct fx *fx = with_doc("from notes");
	fx_key(fx, UI_SELECT, DL_WORD_RIGHT);
	fx_key(fx, UI_COPY, 0);                 /* "from" */
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc numbers on");
	fx_say(fx, "/doc other");
	cJSON *o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	assert_string_equal(str(o, "doc"), "other");
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"other\","
	    "\"rev\":1,\"text\":\"x\",\"cid\":\"%s\",\"cursors\":[]}", str(o, "cid"));
	cJSON_Delete(o);
	assert_string_equal(fx->c->docs.name, "other");
	fx_edit(fx, EDIT_YANK);
	assert_string_equal(text(fx), "fromx");
	assert_true(view(fx)->numbers);
	fx_key(fx, UI_DOC_PREV, 0);             /* back to notes: the ring too */
	assert_string_equal(fx->c->docs.name, "notes");
	fx_edit(fx, EDIT_END);
	fx_edit(fx, EDIT_YANK);
	assert_string_equal(text(fx), "from notesfrom");
	fx_free(fx);
}

/* ---- find ---------------------------------------------------------------- */

static void
find(struct fx *fx, const char *q)
{
	fx_key(fx, UI_FIND, 0);
	fx_type(fx, q);
	fx_key(fx, UI_SUBMIT, 0);
}

TEST(docedit__find__highlights_as_typed_and_enter_goes_to_the_first)
{
	struct fx *fx = with_doc("Plan: plan the PLAN\\nno");
	fx_edit(fx, EDIT_RIGHT);
	fx_key(fx, UI_FIND, 0);
	assert_non_null(strstr(docs_edit_prompt(&fx->c->docs), "find"));
	fx_type(fx, "plan");
	const struct ui_doc *u = view(fx);
	assert_true(has_span(u, 0, 4, UI_SPAN_MATCH));
	assert_true(has_span(u, 6, 10, UI_SPAN_MATCH));
	assert_true(has_span(u, 15, 19, UI_SPAN_MATCH));
	assert_int_equal(cursor(fx), 1);   /* typing the query does not move */
	fx_key(fx, UI_SUBMIT, 0);
	assert_null(docs_edit_prompt(&fx->c->docs));
	assert_int_equal(cursor(fx), 6);
	u = view(fx);
	assert_true(has_span(u, 6, 10, UI_SPAN_MATCH_CURRENT));
	assert_string_equal(u->info, "match 2 of 3 \xc2\xb7 n next \xc2\xb7 N previous "
	    "\xc2\xb7 Esc");
	fx_free(fx);
}

TEST(docedit__find__n_and_N_step_round_the_end)
{
	struct fx *fx = with_doc("a x a x a");
	find(fx, "a");
	assert_int_equal(cursor(fx), 0);
	fx_type(fx, "n");
	assert_int_equal(cursor(fx), 4);
	fx_type(fx, "nn");                 /* two presses in one read */
	assert_int_equal(cursor(fx), 0);
	assert_non_null(strstr(view(fx)->info, "match 1 of 3, from the top"));
	fx_type(fx, "N");
	assert_int_equal(cursor(fx), 8);
	assert_non_null(strstr(view(fx)->info, "from the end"));
	/* Another key ends the stepping and types; the marks stay. */
	fx_type(fx, "n");
	fx_type(fx, "!");
	assert_string_equal(text(fx), "!a x a x a");
	assert_true(view(fx)->nspans > 0);
	assert_null(view(fx)->info);
	fx_key(fx, UI_ESCAPE, 0);
	assert_int_equal(view(fx)->nspans, 0);
	fx_free(fx);
}

TEST(docedit__find__smart_case_and_no_match)
{
	struct fx *fx = with_doc("plan PLAN");
	find(fx, "PLAN");
	assert_int_equal(cursor(fx), 5);
	assert_non_null(strstr(view(fx)->info, "match 1 of 1"));
	find(fx, "Plan");
	assert_non_null(strstr(view(fx)->info, "no match for \"Plan\""));
	/* Ctrl-F with nothing typed takes the last text again. */
	fx_key(fx, UI_FIND, 0);
	fx_key(fx, UI_FIND, 0);
	assert_non_null(strstr(docs_edit_prompt(&fx->c->docs), ": Plan"));
	fx_key(fx, UI_ESCAPE, 0);
	assert_null(docs_edit_prompt(&fx->c->docs));
	fx_free(fx);
}

TEST(docedit__find__on_a_megabyte_costs_the_screen_per_frame)
{
	/* 1 MB: lines of 63 characters and a newline, "needle" on the last
	 * (written JSON-escaped for DOC_STATE). */
	size_t lines = 16384;
	char *big = xmalloc(lines * 65 + 16), *p = big;
	for (size_t i = 0; i < lines; i++) {
		memset(p, 'a' + (int)(i % 26), 63);
		p += 63;
		if (i + 1 < lines) {
			memcpy(p, "\\n", 2);
			p += 2;
		} else {
			*p++ = ' ';
		}
	}
	strcpy(p, "needle");
	struct fx *fx = with_doc(big);
	struct docs *d = &fx->c->docs;
	assert_int_equal(d->lay.len, lines * 64 + 6);
	clock_t c0 = clock();
	fx_key(fx, UI_FIND, 0);
	fx_type(fx, "aaaa");
	const struct ui_doc *u = view(fx);
	double type_ms = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
	/* Only the lines that can show were looked through. */
	assert_true(u->nspans > 0 && u->nspans < 200);
	fx_key(fx, UI_ESCAPE, 0);
	c0 = clock();
	find(fx, "needle");
	double enter_ms = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
	assert_int_equal(d->view.cursor, lines * 64);
	assert_non_null(strstr(view(fx)->info, "match 1 of 1"));
	c0 = clock();
	for (int i = 0; i < 100; i++)
		(void)view(fx);
	double frame_ms = (double)(clock() - c0) * 10.0 / CLOCKS_PER_SEC;
	fprintf(stderr, "docedit: 1 MB: a query key + frame %.2f ms, Enter (scan "
	    "and count) %.2f ms, a frame with highlights %.3f ms\n", type_ms,
	    enter_ms, frame_ms);
	assert_true(frame_ms < 50);
	free(big);
	fx_free(fx);
}

/* ---- lines --------------------------------------------------------------- */

TEST(docedit__goto__ctrl_g_and_the_command_go_to_a_line)
{
	struct fx *fx = with_doc("a\\nbb\\nccc");
	fx_key(fx, UI_GOTO, 0);
	fx_type(fx, "3x");                 /* digits only */
	assert_non_null(strstr(docs_edit_prompt(&fx->c->docs), ": 3"));
	fx_key(fx, UI_SUBMIT, 0);
	assert_int_equal(cursor(fx), 5);
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc goto 2");
	assert_int_equal(cursor(fx), 2);
	assert_true(fx->c->docs.focused);
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc goto 99");
	assert_int_equal(cursor(fx), 5);
	assert_true(fx_noted(fx, "notes has 3 lines: going to the last"));
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc goto x");
	assert_true(fx_noted(fx, "usage: /doc goto LINE"));
	fx_free(fx);
}

TEST(docedit__numbers__on_and_off)
{
	struct fx *fx = with_doc("a");
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc numbers on");
	assert_true(view(fx)->numbers);
	fx_say(fx, "/doc numbers off");
	assert_false(view(fx)->numbers);
	fx_say(fx, "/doc numbers maybe");
	assert_true(fx_noted(fx, "usage: /doc numbers on|off"));
	fx_free(fx);
}

/* ---- files --------------------------------------------------------------- */

static void
write_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fwrite(s, 1, n, f);
	fclose(f);
}

TEST(docedit__save__writes_the_live_text_whole)
{
	struct fx *fx = with_doc("one\\ntwo");
	fx_type(fx, "> ");
	fx_key(fx, UI_DOC_FOCUS, 0);
	char path[128];
	snprintf(path, sizeof path, "%s/out.txt", fx->dir);
	char *cmd = xasprintf("/doc save %s", path);
	fx_say(fx, cmd);
	free(cmd);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[64] = "";
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, "> one\ntwo");
	assert_true(fx_noted(fx, "saved notes to"));
	fx_say(fx, "/doc save /nonexistent-dir/x");
	assert_true(fx_noted(fx, "cannot write /nonexistent-dir/x: No such file"));
	fx_free(fx);
}

TEST(docedit__load__is_one_op_on_the_changed_lines_only)
{
	struct fx *fx = with_doc("keep\\nold\\nkeep too");
	fx_key(fx, UI_DOC_FOCUS, 0);
	char path[128];
	snprintf(path, sizeof path, "%s/in.txt", fx->dir);
	write_file(path, "keep\r\nnew\r\nkeep too", 19);
	char *cmd = xasprintf("/doc load %s", path);
	fx_say(fx, cmd);
	free(cmd);
	assert_string_equal(text(fx), "keep\nnew\nkeep too");
	assert_int_equal(fx_count(fx, "DOC_OP"), 1);
	cJSON *o = fx_last(fx, "DOC_OP");
	char *op = cJSON_PrintUnformatted(cJSON_GetObjectItem(o, "op"));
	assert_string_equal(op, "[5,\"new\\n\",-4,8]");
	free(op);
	cJSON_Delete(o);
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_key(fx, UI_UNDO, 0);
	assert_string_equal(text(fx), "keep\nold\nkeep too");
	fx_free(fx);
}

TEST(docedit__load__refuses_what_is_not_text_or_too_long)
{
	struct fx *fx = with_doc("x");
	fx_key(fx, UI_DOC_FOCUS, 0);
	char path[128], *cmd;
	snprintf(path, sizeof path, "%s/bin", fx->dir);
	write_file(path, "a\0b", 3);
	cmd = xasprintf("/doc load %s", path);
	fx_say(fx, cmd);
	free(cmd);
	assert_true(fx_noted(fx, "it holds NUL bytes"));
	write_file(path, "\xff\xfe", 2);
	cmd = xasprintf("/doc load %s", path);
	fx_say(fx, cmd);
	free(cmd);
	assert_true(fx_noted(fx, "it is not valid UTF-8 text"));
	fx->c->docs.max_doc = 4;
	write_file(path, "12345", 5);
	cmd = xasprintf("/doc load %s", path);
	fx_say(fx, cmd);
	free(cmd);
	assert_true(fx_noted(fx, "has 5 characters; the server keeps documents of 4"));
	fx_say(fx, "/doc load /nonexistent-dir/x");
	assert_true(fx_noted(fx, "/doc load: cannot read /nonexistent-dir/x"));
	assert_string_equal(text(fx), "x");
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docedit__select__shift_right_selects_and_the_cursor_carries_it),
		cmocka_unit_test(docedit__view__no_decorations_hands_the_pane_none),
		cmocka_unit_test(docedit__select__typing_replaces_it_and_backspace_deletes_it),
		cmocka_unit_test(docedit__select__a_plain_motion_or_esc_drops_it),
		cmocka_unit_test(docedit__select__someone_elses_insert_before_moves_it),
		cmocka_unit_test(docedit__mouse__press_drag_release_select),
		cmocka_unit_test(docedit__mouse__over_a_suggestion_shown_maps_to_the_local_text),
		cmocka_unit_test(docedit__readonly__an_old_revisions_selection_is_copied),
		cmocka_unit_test(docedit__suggesting__the_find_prompt_takes_what_is_typed),
		cmocka_unit_test(docedit__outside__shift_up_scrolls_and_ctrl_f_moves_right),
		cmocka_unit_test(docedit__copy__puts_the_selection_on_the_clipboard_and_the_ring),
		cmocka_unit_test(docedit__cut__ctrl_w_with_a_selection_cuts_it),
		cmocka_unit_test(docedit__copy__nothing_selected_says_how),
		cmocka_unit_test(docedit__kill__kills_in_a_row_join_and_yank_pop_cycles),
		cmocka_unit_test(docedit__kill__ctrl_u_prepends_to_a_run),
		cmocka_unit_test(docedit__yank_pop__refuses_when_the_yanked_text_changed),
		cmocka_unit_test(docedit__redo__is_alt_z_now_that_ctrl_y_yanks),
		cmocka_unit_test(docedit__ring__follows_the_shown_document_from_tab_to_tab),
		cmocka_unit_test(docedit__find__highlights_as_typed_and_enter_goes_to_the_first),
		cmocka_unit_test(docedit__find__n_and_N_step_round_the_end),
		cmocka_unit_test(docedit__find__smart_case_and_no_match),
		cmocka_unit_test(docedit__find__on_a_megabyte_costs_the_screen_per_frame),
		cmocka_unit_test(docedit__goto__ctrl_g_and_the_command_go_to_a_line),
		cmocka_unit_test(docedit__numbers__on_and_off),
		cmocka_unit_test(docedit__save__writes_the_live_text_whole),
		cmocka_unit_test(docedit__load__is_one_op_on_the_changed_lines_only),
		cmocka_unit_test(docedit__load__refuses_what_is_not_text_or_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
