/*
 * Suggestions through the core: the open suggestions of DOC_STATE and
 * SUGGESTION are shown in the pane's text, inserts spliced in with their
 * spans and deletes struck, my cursor mapped past them; while suggesting,
 * typing makes a draft that changes no text and goes out as one
 * DOC_SUGGEST after a pause; Alt-y accepts the suggestion under the
 * cursor; an accepted DOC_OP and SUGGESTION_CLOSED take it away; a
 * protected document turns suggesting on by itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_port.h"

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

/* Connected, in lobby, notes open at rev with text and the extra DOC_STATE
 * fields more; the keys in the document. */
static struct fx *
with_doc(int rev, const char *text, const char *more)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 3, "bob");
	fx_say(fx, "/doc notes");
	cJSON *o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":%d,\"text\":\"%s\",\"cid\":\"%s\",\"cursors\":[]%s}", rev, text,
	    str(o, "cid"), more);
	cJSON_Delete(o);
	assert_int_equal(fx->c->docs.state, DOCS_LIVE);
	if (!fx->c->docs.focused)
		fx_key(fx, UI_DOC_FOCUS, 0);
	fx_clear(fx);
	return fx;
}

static const struct ui_doc *
view(struct fx *fx)
{
	const struct ui_doc *u = docs_view(&fx->c->docs);
	assert_non_null(u);
	assert_non_null(u->lay);
	return u;
}

/* The spans as "kind:start-end,..." (i inserted, d deleted). */
static void
assert_spans(const struct ui_doc *u, const char *want)
{
	char got[256] = "";
	size_t n = 0;
	for (size_t i = 0; i < u->nspans; i++)
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%c:%zu-%zu", i ? "," : "",
		    u->spans[i].kind == UI_SPAN_INSERTED ? 'i' :
		    u->spans[i].kind == UI_SPAN_DELETED ? 'd' : '?', u->spans[i].start,
		    u->spans[i].end);
	assert_string_equal(got, want);
}

static void
docsuggest__state_suggestions_are_shown_inline_and_struck(void **state)
{
	(void)state;
	struct fx *fx = with_doc(4, "hello world", ",\"suggestions\":[{\"id\":3,"
	    "\"user\":\"bob\",\"ts\":1,\"op\":[6,\"big \",5]},{\"id\":4,\"user\":"
	    "\"carol\",\"ts\":2,\"op\":[-6,5]}]");
	const struct ui_doc *u = view(fx);
	assert_string_equal(u->lay->text, "hello big world");
	assert_spans(u, "d:0-6,i:6-10");
	assert_string_equal(u->spans[1].user, "bob");
	assert_string_equal(u->spans[0].user, "carol");
	/* the document itself is untouched */
	assert_string_equal(fx->c->docs.lay.text, "hello world");
	/* my cursor at the end of the document is at the end of what is shown */
	fx_edit(fx, EDIT_END);
	u = view(fx);
	assert_int_equal(u->view.cursor, 15);
	/* a SUGGESTION_CLOSED takes one away */
	fx_feed(fx, "{\"type\":\"SUGGESTION_CLOSED\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"id\":4,\"event\":\"rejected\",\"by\":\"alice\",\"rev\":4}");
	assert_true(fx_noted(fx, "suggestion #4 rejected by alice"));
	u = view(fx);
	assert_spans(u, "i:6-10");
	fx_free(fx);
}

static void
docsuggest__a_suggestion_moves_with_the_text_and_goes_when_accepted(void **state)
{
	(void)state;
	struct fx *fx = with_doc(4, "abc", "");
	fx_feed(fx, "{\"type\":\"SUGGESTION\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":4,\"id\":9,\"user\":\"bob\",\"ts\":1,\"op\":[3,\"!\"]}");
	assert_string_equal(view(fx)->lay->text, "abc!");
	/* someone inserts before it: it moves along */
	fx_feed(fx, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":5,\"op\":[\">\",3],\"user\":\"carol\",\"cid\":\"c1\",\"ts\":1}");
	assert_string_equal(view(fx)->lay->text, ">abc!");
	/* Alt-y with the cursor right after it (the end) accepts it */
	fx_edit(fx, EDIT_END);
	fx_key(fx, UI_SUGGEST_ACCEPT, 0);
	cJSON *a = fx_last(fx, "SUGGEST_ACCEPT");
	assert_non_null(a);
	assert_int_equal((int)num(a, "id"), 9);
	cJSON_Delete(a);
	fx_feed(fx, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":6,\"op\":[4,\"!\"],\"user\":\"bob\",\"cid\":\"s9\",\"ts\":2,"
	    "\"by\":\"alice\",\"suggestion\":9}");
	assert_true(fx_noted(fx, "bob's suggestion #9 accepted by alice"));
	const struct ui_doc *u = view(fx);
	assert_string_equal(u->lay->text, ">abc!");
	assert_int_equal(u->nspans, 0);
	/* nothing under the cursor now */
	fx_key(fx, UI_SUGGEST_REJECT, 0);
	assert_true(fx_noted(fx, "no suggestion under the cursor"));
	fx_free(fx);
}

static void
docsuggest__typing_while_suggesting_is_a_draft_sent_after_a_pause(void **state)
{
	(void)state;
	struct fx *fx = with_doc(2, "one two", "");
	fx_key(fx, UI_SUGGEST_MODE, 0);
	assert_true(fx_noted(fx, "suggesting"));
	fx_edit(fx, EDIT_END);
	fx_type(fx, " three");
	fx_edit(fx, EDIT_BACKSPACE);
	fx_type(fx, "E");
	/* no edit of the document, and shown as mine */
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	assert_string_equal(fx->c->docs.lay.text, "one two");
	const struct ui_doc *u = view(fx);
	assert_string_equal(u->lay->text, "one two threE");
	assert_spans(u, "i:7-13");
	assert_string_equal(u->spans[0].user, "alice");
	assert_int_equal(u->view.cursor, 13);
	assert_non_null(strstr(u->sync, "suggesting (draft)"));
	/* it goes once I pause */
	assert_int_equal(fx_count(fx, "DOC_SUGGEST"), 0);
	int64_t due = client_deadline(fx->c);
	assert_true(due <= fx->now + 1000);
	fx->now += 1000;
	client_tick(fx->c);
	cJSON *s = fx_last(fx, "DOC_SUGGEST");
	assert_non_null(s);
	assert_int_equal((int)num(s, "rev"), 2);
	char *op = cJSON_PrintUnformatted(cJSON_GetObjectItem(s, "op"));
	assert_string_equal(op, "[7,\" threE\"]");
	free(op);
	/* the server's SUGGESTION brings it back: shown the same */
	fx_feed(fx, "{\"type\":\"SUGGESTION\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":2,\"id\":1,\"user\":\"alice\",\"ts\":1,\"op\":[7,\" threE\"],"
	    "\"cid\":\"%s\"}", str(s, "cid"));
	fx_feed(fx, "{\"type\":\"ACK\",\"cid\":\"%s\",\"room\":\"lobby\",\"doc\":"
	    "\"notes\",\"rev\":2,\"suggestion\":1}", str(s, "cid"));
	cJSON_Delete(s);
	u = view(fx);
	assert_string_equal(u->lay->text, "one two threE");
	assert_non_null(strstr(u->sync, "suggesting"));
	assert_null(strstr(u->sync, "draft"));
	/* a second draft that deletes: struck, and Ctrl-Z drops it */
	fx_edit(fx, EDIT_HOME);
	fx_edit(fx, EDIT_DELETE);
	u = view(fx);
	assert_spans(u, "d:0-1,i:7-13");
	fx_key(fx, UI_UNDO, 0);
	assert_true(fx_noted(fx, "draft suggestion dropped"));
	assert_spans(view(fx), "i:7-13");
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	fx_free(fx);
}

static void
docsuggest__a_protected_document_turns_suggesting_on(void **state)
{
	(void)state;
	struct fx *fx = with_doc(1, "x", ",\"protected\":true,\"can_edit\":false");
	assert_true(docsuggest_on(&fx->c->docs));
	fx_key(fx, UI_DOC_FOCUS, 0); /* the keys to the input line */
	fx_say(fx, "/doc suggest off");
	assert_true(fx_noted(fx, "notes is protected: you may only suggest"));
	fx_say(fx, "/doc restore 0");
	assert_true(fx_noted(fx, "/doc restore: notes is protected"));
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_type(fx, "y");
	assert_string_equal(view(fx)->lay->text, "yx");
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	fx_feed(fx, "{\"type\":\"DOC_MODE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"protected\":false,\"can_edit\":true,\"by\":\"bob\"}");
	assert_true(fx_noted(fx, "bob unprotected notes"));
	fx_free(fx);
}

/* While suggesting, what is not drafted (a file loaded, a redo) changes
 * nothing and says why: it would be an edit of the document. */
static void
docsuggest__what_is_not_drafted_is_refused_while_suggesting(void **state)
{
	(void)state;
	struct fx *fx = with_doc(1, "x", "");
	char path[] = "/tmp/confab-sug-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "loaded\n", 7), 7);
	close(fd);
	fx_key(fx, UI_SUGGEST_MODE, 0);
	assert_true(docsuggest_on(&fx->c->docs));
	fx_key(fx, UI_DOC_FOCUS, 0); /* the keys to the input line */
	char cmd[64];
	snprintf(cmd, sizeof cmd, "/doc load %s", path);
	fx_say(fx, cmd);
	assert_true(fx_noted(fx, "/doc load: not while suggesting"));
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_key(fx, UI_REDO, 0);
	assert_true(fx_noted(fx, "redo is not made while suggesting"));
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	assert_string_equal(fx->c->docs.lay.text, "x");
	/* and once suggesting is off, the same load is an edit */
	fx_key(fx, UI_SUGGEST_MODE, 0);
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, cmd);
	assert_string_equal(fx->c->docs.lay.text, "loaded\n");
	unlink(path);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docsuggest__state_suggestions_are_shown_inline_and_struck),
		cmocka_unit_test(docsuggest__a_suggestion_moves_with_the_text_and_goes_when_accepted),
		cmocka_unit_test(docsuggest__typing_while_suggesting_is_a_draft_sent_after_a_pause),
		cmocka_unit_test(docsuggest__a_protected_document_turns_suggesting_on),
		cmocka_unit_test(docsuggest__what_is_not_drafted_is_refused_while_suggesting),
	};
	return cmocka_run_group_tests_name("docsuggest", tests, NULL, NULL);
}
