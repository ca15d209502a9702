/*
 * The document's versions through the core: /doc tag sends DOC_TAG for the
 * revision held and says so on its ACK; /doc restore reads the old text
 * (looking a name up in DOC_HISTORY first) and sends the operation from
 * the text I have to it as my edit, which Ctrl-Z undoes; /doc diff reads
 * two texts and shows their diff read-only until Esc.
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

/* Connected, in lobby, with notes open at rev with text; the keys on the
 * input line. */
static struct fx *
with_doc(int rev, const char *text)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 3, "bob");
	fx_say(fx, "/doc notes");
	cJSON *o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":%d,\"text\":\"%s\",\"cid\":\"%s\",\"cursors\":[]}", rev, text,
	    str(o, "cid"));
	cJSON_Delete(o);
	assert_int_equal(fx->c->docs.state, DOCS_LIVE);
	if (fx->c->docs.focused)
		fx_key(fx, UI_DOC_FOCUS, 0);
	fx_clear(fx);
	return fx;
}

/* Answers the last DOC_GET (which must be of rev) with text. */
static void
answer_get(struct fx *fx, int rev, const char *text)
{
	cJSON *g = fx_last(fx, "DOC_GET");
	assert_non_null(g);
	assert_int_equal((int)num(g, "rev"), rev);
	fx_feed(fx, "{\"type\":\"DOC_TEXT\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":%d,\"text\":\"%s\",\"cid\":\"%s\"}", rev, text, str(g, "cid"));
	cJSON_Delete(g);
}

static char *
last_op(struct fx *fx)
{
	cJSON *o = fx_last(fx, "DOC_OP");
	assert_non_null(o);
	char *s = cJSON_PrintUnformatted(cJSON_GetObjectItem(o, "op"));
	cJSON_Delete(o);
	return s;
}

static void
docversion__tag__names_the_revision_held_and_says_so_on_its_ack(void **state)
{
	(void)state;
	struct fx *fx = with_doc(3, "abc");
	fx_say(fx, "/doc tag v1.0");
	cJSON *t = fx_last(fx, "DOC_TAG");
	assert_non_null(t);
	assert_string_equal(str(t, "name"), "v1.0");
	assert_int_equal((int)num(t, "rev"), 3);
	assert_false(fx_noted(fx, "now named"));
	fx_feed(fx, "{\"type\":\"ACK\",\"cid\":\"%s\",\"room\":\"lobby\",\"doc\":"
	    "\"notes\",\"rev\":3}", str(t, "cid"));
	assert_true(fx_noted(fx, "revision 3 of notes is now named v1.0"));
	cJSON_Delete(t);

	fx_say(fx, "/doc tag 12");
	t = fx_last(fx, "DOC_TAG");
	fx_feed(fx, "{\"type\":\"ERROR\",\"cid\":\"%s\",\"code\":\"bad_field\","
	    "\"reason\":\"bad version name\",\"ref\":\"DOC_TAG\"}", str(t, "cid"));
	assert_true(fx_noted(fx, "/doc tag 12: bad version name"));
	cJSON_Delete(t);
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	fx_free(fx);
}

static void
docversion__restore__sends_the_op_to_the_old_text_and_ctrl_z_undoes_it(void **state)
{
	(void)state;
	struct fx *fx = with_doc(2, "new text");
	fx_say(fx, "/doc restore 1");
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	answer_get(fx, 1, "old text");
	char *op = last_op(fx);
	assert_string_equal(op, "[\"old\",-3,5]");
	free(op);
	cJSON *o = fx_last(fx, "DOC_OP");
	assert_int_equal((int)num(o, "rev"), 2);
	assert_string_equal(fx->c->docs.lay.text, "old text");
	assert_true(fx_noted(fx, "restored notes to revision 1"));

	/* acknowledged, then undone from the document pane */
	fx_feed(fx, "{\"type\":\"ACK\",\"cid\":\"%s\",\"room\":\"lobby\",\"doc\":"
	    "\"notes\",\"rev\":3}", str(o, "cid"));
	cJSON_Delete(o);
	fx_key(fx, UI_DOC_FOCUS, 0);
	assert_true(fx->c->docs.focused);
	fx_key(fx, UI_UNDO, 0);
	assert_string_equal(fx->c->docs.lay.text, "new text");
	fx->now += 1000;
	client_tick(fx->c);
	op = last_op(fx);
	assert_string_equal(op, "[\"new\",-3,5]");
	free(op);
	fx_free(fx);
}

static void
docversion__restore__looks_a_name_up_in_the_history_first(void **state)
{
	(void)state;
	struct fx *fx = with_doc(4, "four");
	fx_say(fx, "/doc restore draft");
	assert_int_equal(fx_count(fx, "DOC_GET"), 0);
	cJSON *h = fx_last(fx, "DOC_HISTORY");
	assert_non_null(h);
	fx_feed(fx, "{\"type\":\"DOC_HISTORY\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"cid\":\"%s\",\"revisions\":[],\"more\":true,\"tags\":[{\"name\":"
	    "\"draft\",\"rev\":2,\"user\":\"bob\",\"ts\":1}]}", str(h, "cid"));
	cJSON_Delete(h);
	answer_get(fx, 2, "two");
	char *op = last_op(fx);
	assert_string_equal(op, "[\"two\",-4]");
	free(op);
	assert_true(fx_noted(fx, "restored notes to draft (revision 2)"));

	/* a name the document does not have: nothing is read or sent */
	fx_clear(fx);
	fx_say(fx, "/doc restore nosuch");
	h = fx_last(fx, "DOC_HISTORY");
	fx_feed(fx, "{\"type\":\"DOC_HISTORY\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"cid\":\"%s\",\"revisions\":[],\"more\":false}", str(h, "cid"));
	cJSON_Delete(h);
	assert_true(fx_noted(fx, "notes has no version named nosuch"));
	assert_int_equal(fx_count(fx, "DOC_GET"), 0);
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	fx_free(fx);
}

static void
docversion__diff__shows_the_marked_lines_read_only_until_esc(void **state)
{
	(void)state;
	struct fx *fx = with_doc(5, "live");
	fx_say(fx, "/doc diff 1 5");
	assert_int_equal(fx_count(fx, "DOC_GET"), 2);
	/* the answers in either order */
	cJSON *g1 = NULL, *g5 = NULL;
	for (size_t i = 0; i < fx->nsent; i++) {
		cJSON *f = cJSON_Parse(fx->sent[i]);
		if (f != NULL && strcmp(str(f, "type"), "DOC_GET") == 0)
			*(num(f, "rev") == 1 ? &g1 : &g5) = f;
		else
			cJSON_Delete(f);
	}
	assert_non_null(g1);
	assert_non_null(g5);
	fx_feed(fx, "{\"type\":\"DOC_TEXT\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":5,\"text\":\"a\\nB\\nc\",\"cid\":\"%s\"}", str(g5, "cid"));
	assert_false(fx->c->docs.ro);
	fx_feed(fx, "{\"type\":\"DOC_TEXT\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":1,\"text\":\"a\\nb\\nc\",\"cid\":\"%s\"}", str(g1, "cid"));
	cJSON_Delete(g1);
	cJSON_Delete(g5);
	assert_true(fx->c->docs.ro);
	assert_true(fx->c->docs.ver.diff);
	assert_string_equal(fx->c->docs.ro_lay.text, "  a\n- b\n+ B\n  c");
	assert_non_null(strstr(fx->c->docs.ver.title, "+1 -1 lines"));
	const struct ui_doc *u = docs_view(&fx->c->docs);
	assert_true(u->readonly && u->diff);
	fx_key(fx, UI_ESCAPE, 0);
	assert_false(fx->c->docs.ro);
	assert_false(docs_view(&fx->c->docs)->diff);
	assert_int_equal(fx_count(fx, "DOC_OP"), 0);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docversion__tag__names_the_revision_held_and_says_so_on_its_ack),
		cmocka_unit_test(docversion__restore__sends_the_op_to_the_old_text_and_ctrl_z_undoes_it),
		cmocka_unit_test(docversion__restore__looks_a_name_up_in_the_history_first),
		cmocka_unit_test(docversion__diff__shows_the_marked_lines_read_only_until_esc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
