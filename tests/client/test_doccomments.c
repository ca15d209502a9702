/*
 * The open document's comments through the core: DOC_STATE's comments are
 * underlined where they are, and stay on their text through my pending
 * edit, another's DOC_OP and the ACK of mine; /comment sends the word at
 * the cursor at the server's revision (moved back through my pending
 * edits);
 * Alt-c goes to a comment and the pane's bottom row shows it; Enter opens
 * its thread, where what I type is a reply; /resolve and /reopen send
 * COMMENT_RESOLVE, /editcomment and /uncomment my own comment's
 * COMMENT_EDIT and COMMENT_DELETE; /comments lists them all, resolved
 * ones too, and Enter opens one's thread; a resolved comment is no longer underlined, a deleted
 * one goes, and text removed under one says so.
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

#define CMT(id, s, e, extra) "{\"id\":" #id ",\"user\":\"bob\",\"ts\":1700000000000," \
	"\"range\":[" #s "," #e "],\"text\":\"why " #id "?\"" extra ",\"replies\":[]}"

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Connected, notes open at rev 3 with text and comments (a JSON list);
 * the keys in the document. */
static struct fx *
with_doc(const char *text, const char *comments)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 3, "bob");
	fx_say(fx, "/doc notes");
	cJSON *o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":3,\"text\":\"%s\",\"cid\":\"%s\",\"cursors\":[],"
	    "\"comments\":%s}", text, str(o, "cid"), comments);
	cJSON_Delete(o);
	assert_int_equal(fx->c->docs.state, DOCS_LIVE);
	if (!fx->c->docs.focused)
		fx_key(fx, UI_DOC_FOCUS, 0);
	fx_clear(fx);
	return fx;
}

/* The pane's comment spans as "s-e s-e*" (* the current one). */
static void
assert_spans(struct fx *fx, const char *want)
{
	const struct ui_doc *u = docs_view(&fx->c->docs);
	assert_non_null(u);
	char got[256] = "";
	size_t n = 0;
	for (size_t i = 0; i < u->nspans; i++) {
		const struct ui_doc_span *sp = &u->spans[i];
		if (sp->kind != UI_SPAN_COMMENT && sp->kind != UI_SPAN_COMMENT_CURRENT)
			continue;
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%zu-%zu%s", n ? " " : "",
		    sp->start, sp->end, sp->kind == UI_SPAN_COMMENT_CURRENT ? "*" : "");
	}
	assert_string_equal(got, want);
}

static const char *
status(struct fx *fx)
{
	const struct ui_doc *u = docs_view(&fx->c->docs);
	return u->status ? u->status : "";
}

static void
doccomments__ranges_follow_pending_edits_others_ops_and_my_ack(void **state)
{
	(void)state;
	struct fx *fx = with_doc("the quick brown fox", "[" CMT(7, 10, 15, "") "]");
	assert_spans(fx, "10-15");
	fx_edit(fx, EDIT_HOME);
	fx_type(fx, "A ");                      /* mine, in flight */
	assert_string_equal(fx->c->docs.lay.text, "A the quick brown fox");
	assert_spans(fx, "12-17");
	cJSON *mine = fx_last(fx, "DOC_OP");
	assert_non_null(mine);
	/* another's edit at rev 4: "the very quick brown fox" */
	fx_feed(fx, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":4,"
	    "\"op\":[4,\"very \",15],\"user\":\"bob\",\"cid\":\"b1\",\"ts\":1}");
	assert_string_equal(fx->c->docs.lay.text, "A the very quick brown fox");
	assert_spans(fx, "17-22");
	fx_feed(fx, "{\"type\":\"ACK\",\"cid\":\"%s\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":5}", str(mine, "cid"));
	cJSON_Delete(mine);
	assert_spans(fx, "17-22");
	/* a COMMENT event at rev 5 lands where the server says */
	fx_feed(fx, "{\"type\":\"COMMENT\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":5,"
	    "\"comment\":" CMT(8, 2, 5, "") "}");
	assert_spans(fx, "2-5* 17-22");          /* my cursor is at 2 */
	/* deleting all of a comment's text: no underline, "text removed" */
	fx_feed(fx, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":6,"
	    "\"op\":[17,-6,3],\"user\":\"bob\",\"cid\":\"b2\",\"ts\":1}");
	assert_spans(fx, "2-5* 17-17");          /* empty: a margin mark */
	fx_key(fx, UI_DOC_COMMENT, 1);            /* to where its text was */
	assert_int_equal(fx->c->docs.view.cursor, 17);
	assert_non_null(strstr(status(fx), "why 7?"));
	assert_non_null(strstr(status(fx), "text removed"));
	fx_free(fx);
}

static void
doccomments__comment_sends_the_word_at_the_cursor_at_the_servers_revision(void **state)
{
	(void)state;
	struct fx *fx = with_doc("the quick brown fox", "[]");
	fx_edit(fx, EDIT_HOME);
	for (int i = 0; i < 6; i++)
		fx_edit(fx, EDIT_RIGHT);              /* in "quick" */
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/comment fast?");
	cJSON *c = fx_last(fx, "COMMENT");
	assert_non_null(c);
	assert_int_equal((int)num(c, "rev"), 3);
	const cJSON *r = cJSON_GetObjectItem(c, "range");
	assert_int_equal((int)cJSON_GetArrayItem(r, 0)->valuedouble, 4);
	assert_int_equal((int)cJSON_GetArrayItem(r, 1)->valuedouble, 9);
	assert_string_equal(str(c, "text"), "fast?");
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"too_large\","
	    "\"reason\":\"too many\",\"ref\":\"COMMENT\"}", str(c, "cid"));
	assert_true(fx_noted(fx, "comment: too many"));
	cJSON_Delete(c);
	fx_clear(fx);
	/* with my edits on their way: the range at the server's revision */
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_edit(fx, EDIT_HOME);
	fx_type(fx, "A ");                          /* in flight */
	fx_type(fx, "B ");                          /* buffered */
	assert_string_equal(fx->c->docs.lay.text, "A B the quick brown fox");
	for (int i = 0; i < 7; i++)
		fx_edit(fx, EDIT_RIGHT);                /* in "quick" (11) */
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/comment later");
	c = fx_last(fx, "COMMENT");
	assert_non_null(c);
	assert_int_equal((int)num(c, "rev"), 3);
	r = cJSON_GetObjectItem(c, "range");
	assert_int_equal((int)cJSON_GetArrayItem(r, 0)->valuedouble, 4);
	assert_int_equal((int)cJSON_GetArrayItem(r, 1)->valuedouble, 9);
	cJSON_Delete(c);
	fx_free(fx);
}

static void
doccomments__alt_c_enter_reply_resolve_and_delete(void **state)
{
	(void)state;
	struct fx *fx = with_doc("one two three", "[" CMT(3, 4, 7, "") ","
	    CMT(4, 8, 13, "") "]");
	fx_edit(fx, EDIT_HOME);
	assert_spans(fx, "4-7 8-13");
	assert_string_equal(status(fx), "");
	fx_key(fx, UI_DOC_COMMENT, 1);
	assert_int_equal(fx->c->docs.view.cursor, 4);
	assert_spans(fx, "4-7* 8-13");
	assert_non_null(strstr(status(fx), "comment 1/2"));
	assert_non_null(strstr(status(fx), "bob: why 3?"));
	fx_key(fx, UI_DOC_COMMENT, 1);
	assert_spans(fx, "4-7 8-13*");
	fx_key(fx, UI_DOC_COMMENT, -1);
	assert_spans(fx, "4-7* 8-13");
	/* Enter opens the thread; typing replies */
	fx_key(fx, UI_SUBMIT, 0);
	assert_string_equal(fx->c->docs.lay.text, "one two three"); /* no newline */
	const struct ui_list *l = doccomments_list(&fx->c->docs);
	assert_non_null(l);
	assert_non_null(strstr(l->title, "\"two\""));
	assert_non_null(strstr(l->rows[0].text, "bob: why 3?"));
	fx_say(fx, "because");
	cJSON *r = fx_last(fx, "COMMENT_REPLY");
	assert_non_null(r);
	assert_int_equal((int)num(r, "id"), 3);
	assert_string_equal(str(r, "text"), "because");
	cJSON_Delete(r);
	assert_int_equal(fx_count(fx, "MESSAGE"), 0);
	fx_feed(fx, "{\"type\":\"COMMENT\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":3,"
	    "\"comment\":{\"id\":3,\"user\":\"bob\",\"ts\":1700000000000,\"range\":[4,7],"
	    "\"text\":\"why 3?\",\"replies\":[{\"id\":9,\"user\":\"alice\","
	    "\"ts\":1700000001000,\"text\":\"because\"}]}}");
	l = doccomments_list(&fx->c->docs);
	assert_int_equal(l->nrows, 2);
	assert_non_null(strstr(l->rows[1].text, "alice: because"));
	fx_say(fx, "/resolve");
	r = fx_last(fx, "COMMENT_RESOLVE");
	assert_non_null(r);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "resolved")));
	cJSON_Delete(r);
	fx_feed(fx, "{\"type\":\"COMMENT\",\"room\":\"lobby\",\"doc\":\"notes\",\"rev\":3,"
	    "\"comment\":" CMT(3, 4, 7, ",\"resolved\":true,\"resolved_by\":\"alice\"")
	    "}");
	l = doccomments_list(&fx->c->docs);
	assert_non_null(strstr(l->rows[l->nrows - 1].text, "resolved by alice"));
	assert_spans(fx, "8-13");                 /* resolved: not underlined */
	fx_say(fx, "/reopen");
	r = fx_last(fx, "COMMENT_RESOLVE");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "resolved")));
	cJSON_Delete(r);
	fx_say(fx, "/editcomment mine?");         /* bob's: not mine to edit */
	assert_int_equal(fx_count(fx, "COMMENT_EDIT"), 0);
	assert_true(fx_noted(fx, "only bob edits their comment"));
	fx_key(fx, UI_ESCAPE, 0);
	assert_null(doccomments_list(&fx->c->docs));
	assert_true(fx->c->docs.focused);
	fx_feed(fx, "{\"type\":\"COMMENT_DELETE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"id\":4,\"by\":\"bob\"}");
	assert_spans(fx, "");
	assert_true(fx_noted(fx, "bob deleted the comment"));
	fx_free(fx);
}

static void
doccomments__enter_in_commented_text_is_a_newline_but_after_alt_c_the_thread(
    void **state)
{
	(void)state;
	struct fx *fx = with_doc("one two", "[" CMT(3, 4, 7, "") "]");
	fx_edit(fx, EDIT_END);
	fx_edit(fx, EDIT_LEFT);                   /* in "two", before its o */
	assert_spans(fx, "4-7*");
	assert_null(strstr(status(fx), "Enter"));
	fx_key(fx, UI_SUBMIT, 0);
	assert_string_equal(fx->c->docs.lay.text, "one tw\no");
	assert_null(doccomments_list(&fx->c->docs));
	assert_spans(fx, "4-8*");                 /* typed inside: it grew */
	fx_key(fx, UI_DOC_COMMENT, -1);
	assert_int_equal(fx->c->docs.view.cursor, 4);
	assert_non_null(strstr(status(fx), "Enter: thread"));
	fx_key(fx, UI_SUBMIT, 0);
	assert_string_equal(fx->c->docs.lay.text, "one tw\no");
	assert_non_null(doccomments_list(&fx->c->docs));
	fx_free(fx);
}

static void
doccomments__my_comment_is_edited_and_deleted_by_its_commands(void **state)
{
	(void)state;
	struct fx *fx = with_doc("one two", "[{\"id\":5,\"user\":\"alice\","
	    "\"ts\":1700000000000,\"range\":[0,3],\"text\":\"mine\",\"replies\":[]}]");
	fx_edit(fx, EDIT_END);
	fx_key(fx, UI_DOC_COMMENT, 1);
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/editcomment still mine");
	cJSON *e = fx_last(fx, "COMMENT_EDIT");
	assert_non_null(e);
	assert_int_equal((int)num(e, "id"), 5);
	assert_string_equal(str(e, "text"), "still mine");
	cJSON_Delete(e);
	fx_say(fx, "/uncomment");
	e = fx_last(fx, "COMMENT_DELETE");
	assert_non_null(e);
	assert_int_equal((int)num(e, "id"), 5);
	cJSON_Delete(e);
	fx_free(fx);
}

static void
doccomments__the_list_of_them_all_shows_resolved_ones_and_opens_a_thread(
    void **state)
{
	(void)state;
	struct fx *fx = with_doc("one two three", "[" CMT(4, 8, 13, "") ","
	    CMT(3, 4, 7, ",\"resolved\":true,\"resolved_by\":\"bob\"") "]");
	assert_spans(fx, "8-13");
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/comments");
	const struct ui_list *l = doccomments_list(&fx->c->docs);
	assert_non_null(l);
	assert_non_null(strstr(l->title, "comments on notes (2)"));
	assert_int_equal(l->nrows, 2);
	/* in the order of the text: the resolved one first */
	assert_non_null(strstr(l->rows[0].text, "\"two\"  bob: why 3? \xc2\xb7 resolved"));
	assert_non_null(strstr(l->rows[1].text, "\"three\"  bob: why 4?"));
	assert_int_equal(l->selected, 0);
	fx_key(fx, UI_HISTORY_NEXT, 0);
	fx_key(fx, UI_HISTORY_PREV, 0);
	fx_key(fx, UI_SUBMIT, 0);                  /* the resolved one's thread */
	assert_int_equal(fx_count(fx, "MESSAGE"), 0);
	l = doccomments_list(&fx->c->docs);
	assert_non_null(strstr(l->title, "comment on \"two\" \xc2\xb7 resolved"));
	assert_int_equal(fx->c->docs.view.cursor, 4);
	fx_say(fx, "/reopen");
	cJSON *r = fx_last(fx, "COMMENT_RESOLVE");
	assert_non_null(r);
	assert_int_equal((int)num(r, "id"), 3);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "resolved")));
	cJSON_Delete(r);
	fx_key(fx, UI_ESCAPE, 0);
	assert_null(doccomments_list(&fx->c->docs));
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(doccomments__ranges_follow_pending_edits_others_ops_and_my_ack),
		cmocka_unit_test(
		    doccomments__comment_sends_the_word_at_the_cursor_at_the_servers_revision),
		cmocka_unit_test(doccomments__alt_c_enter_reply_resolve_and_delete),
		cmocka_unit_test(
		    doccomments__enter_in_commented_text_is_a_newline_but_after_alt_c_the_thread),
		cmocka_unit_test(doccomments__my_comment_is_edited_and_deleted_by_its_commands),
		cmocka_unit_test(
		    doccomments__the_list_of_them_all_shows_resolved_ones_and_opens_a_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
