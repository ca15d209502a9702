/*
 * Several documents open at once, through the core: /doc NAME opens a
 * second one in a tab and keeps the first; frames go to the document they
 * name, the keys to the one shown; the tab keys switch; /doc close shows
 * the next tab; a reconnect reopens every one; unsent edits of each are
 * kept in a file of its own and all come back after a restart; an ERROR
 * about an edit goes to the document of that edit; /doc list asks for the
 * room's documents and Enter opens one; the presence list learns which
 * document each member is in.
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
#include "model/xmalloc.h"

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* /doc NAME and its DOC_STATE at rev 0 with text. */
static void
open_doc(struct fx *fx, const char *name, const char *text)
{
	char cmd[64];
	snprintf(cmd, sizeof cmd, "/doc %s", name);
	fx_say(fx, cmd);
	cJSON *o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	assert_string_equal(str(o, "doc"), name);
	fx_feed(fx, "{\"type\":\"DOC_STATE\",\"room\":\"lobby\",\"doc\":\"%s\","
	    "\"rev\":0,\"text\":\"%s\",\"cid\":\"%s\",\"cursors\":[]}", name, text,
	    str(o, "cid"));
	cJSON_Delete(o);
	assert_string_equal(fx->c->docs.name, name);
	assert_int_equal(fx->c->docs.state, DOCS_LIVE);
}

/* Connected, in lobby, with notes ("n") and plan ("p") open, plan shown
 * with the keys. */
static struct fx *
with_two(void)
{
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 1, "bob");
	open_doc(fx, "notes", "n");
	fx_key(fx, UI_DOC_FOCUS, 0); /* the keys to the input line */
	open_doc(fx, "plan", "p");
	fx_clear(fx);
	return fx;
}

static const char *
text_of(struct fx *fx, size_t tab)
{
	return docset_at(&fx->c->docset, tab)->lay.text;
}

static void
docset__open__keeps_the_first_document_and_shows_the_second_in_a_tab(void **state)
{
	(void)state;
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 1, "bob");
	open_doc(fx, "notes", "n");
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_clear(fx);
	open_doc(fx, "plan", "p");
	assert_int_equal(fx_count(fx, "DOC_CLOSE"), 0);
	const struct ui_doc *u = docset_view(&fx->c->docset);
	assert_int_equal(u->ntabs, 2);
	assert_string_equal(u->tabs[0], "notes");
	assert_string_equal(u->tabs[1], "plan");
	assert_int_equal(u->tab, 1);
	assert_string_equal(u->name, "plan");
	assert_true(u->focused);
	/* opening one open already shows its tab, asks nothing */
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_clear(fx);
	fx_say(fx, "/doc open notes");
	assert_int_equal(fx_count(fx, "DOC_OPEN"), 0);
	assert_string_equal(docset_view(&fx->c->docset)->name, "notes");
	assert_int_equal(docset_view(&fx->c->docset)->tab, 0);
	fx_free(fx);
}

static void
docset__frames__go_to_the_document_they_name(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_feed(fx, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"notes\","
	    "\"rev\":1,\"op\":[1,\"!\"],\"user\":\"bob\",\"ts\":1}");
	assert_string_equal(text_of(fx, 0), "n!");
	assert_string_equal(text_of(fx, 1), "p");
	assert_string_equal(fx->c->docs.name, "plan"); /* still shown */
	fx_feed(fx, "{\"type\":\"DOC_OP\",\"room\":\"lobby\",\"doc\":\"plan\","
	    "\"rev\":1,\"op\":[\"?\",1],\"user\":\"bob\",\"ts\":2}");
	assert_string_equal(text_of(fx, 1), "?p");
	assert_string_equal(text_of(fx, 0), "n!");
	fx_free(fx);
}

static void
docset__keys__edit_the_shown_document_and_the_tab_keys_switch(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_type(fx, "x");
	cJSON *o = fx_last(fx, "DOC_OP");
	assert_non_null(o);
	assert_string_equal(str(o, "doc"), "plan");
	cJSON_Delete(o);
	fx_key(fx, UI_DOC_PREV, 0);
	assert_string_equal(fx->c->docs.name, "notes");
	assert_true(fx->c->docs.focused); /* the keys stay in a document */
	fx->now += 1000;
	fx_clear(fx);
	fx_type(fx, "y");
	o = fx_last(fx, "DOC_OP");
	assert_non_null(o);
	assert_string_equal(str(o, "doc"), "notes");
	cJSON_Delete(o);
	/* wrapping both ways */
	fx_key(fx, UI_DOC_PREV, 0);
	assert_string_equal(fx->c->docs.name, "plan");
	fx_key(fx, UI_DOC_NEXT, 0);
	assert_string_equal(fx->c->docs.name, "notes");
	fx_free(fx);
}

static void
docset__kill_ring__goes_along_to_the_tab_shown(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_key(fx, UI_DOC_PREV, 0); /* notes: "n", the cursor at its start */
	fx_edit(fx, EDIT_HOME);
	fx_edit(fx, EDIT_KILL_TO_END); /* "n" to the kill ring */
	fx->now += 1000;
	fx_key(fx, UI_DOC_NEXT, 0); /* plan */
	fx_clear(fx);
	fx_edit(fx, EDIT_YANK);
	fx->now += 1000;
	docset_tick(&fx->c->docset);
	cJSON *o = fx_last(fx, "DOC_OP");
	assert_non_null(o);
	assert_string_equal(str(o, "doc"), "plan");
	char *op = cJSON_PrintUnformatted(cJSON_GetObjectItem(o, "op"));
	assert_non_null(strstr(op, "\"n\""));
	free(op);
	cJSON_Delete(o);
	fx_free(fx);
}

static void
docset__close__shows_the_next_tab(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_key(fx, UI_DOC_PREV, 0); /* notes, the first tab */
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc close");
	cJSON *o = fx_last(fx, "DOC_CLOSE");
	assert_non_null(o);
	assert_string_equal(str(o, "doc"), "notes");
	cJSON_Delete(o);
	assert_string_equal(fx->c->docs.name, "plan");
	assert_int_equal(docset_count(&fx->c->docset), 1);
	assert_int_equal(docset_view(&fx->c->docset)->ntabs, 1);
	fx_say(fx, "/doc close");
	assert_null(fx->c->docs.name);
	assert_null(docset_view(&fx->c->docset));
	fx_free(fx);
}

static void
docset__link__reopens_every_document_after_a_reconnect(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_disconnect(fx);
	fx_clear(fx);
	fx_connect(fx);
	assert_int_equal(fx_count(fx, "DOC_OPEN"), 2);
	fx_free(fx);
}

static void
docset__docstore__keeps_each_documents_unsent_edits_in_its_own_file(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_disconnect(fx);
	fx_type(fx, "P");
	fx_key(fx, UI_DOC_PREV, 0);
	fx_type(fx, "N");
	fx_disconnect(fx); /* saves */
	char *a = xasprintf("%s/doc-alice,lobby,notes.json", fx->dir);
	char *b = xasprintf("%s/doc-alice,lobby,plan.json", fx->dir);
	assert_int_equal(access(a, F_OK), 0);
	assert_int_equal(access(b, F_OK), 0);
	fx = fx_restart(fx);
	fx_start(fx);
	assert_int_equal(docset_count(&fx->c->docset), 2);
	assert_non_null(docset_find(&fx->c->docset, "lobby", "notes") >= 0 ? "" : NULL);
	assert_non_null(docset_find(&fx->c->docset, "lobby", "plan") >= 0 ? "" : NULL);
	/* both asked for their base texts once connected */
	fx_clear(fx);
	fx_connect(fx);
	assert_int_equal(fx_count(fx, "DOC_GET"), 2);
	free(a);
	free(b);
	fx_free(fx);
}

static void
docset__docstore__restores_a_file_of_the_older_name_and_renames_it(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_disconnect(fx);
	fx_type(fx, "P");
	fx_disconnect(fx);
	fx = fx_restart(fx); /* quitting saved it again */
	char *now = xasprintf("%s/doc-alice,lobby,plan.json", fx->dir);
	char *old = xasprintf("%s/doc-alice.json", fx->dir);
	assert_int_equal(rename(now, old), 0); /* as an older confab left it */
	fx_start(fx);
	assert_int_equal(docset_count(&fx->c->docset), 1);
	assert_string_equal(fx->c->docs.name, "plan");
	assert_int_equal(access(old, F_OK), -1);
	assert_int_equal(access(now, F_OK), 0);
	free(now);
	free(old);
	fx_free(fx);
}

static void
docset__error__about_an_edit_goes_to_the_document_of_that_edit(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_key(fx, UI_DOC_PREV, 0);
	fx_type(fx, "z"); /* an edit of notes in flight */
	cJSON *o = fx_last(fx, "DOC_OP");
	assert_non_null(o);
	char *cid = xstrdup(str(o, "cid"));
	cJSON_Delete(o);
	fx_key(fx, UI_DOC_NEXT, 0); /* plan shown */
	fx_clear(fx);
	fx_feed(fx, "{\"type\":\"ERROR\",\"code\":\"bad_op\",\"reason\":\"no\","
	    "\"cid\":\"%s\",\"ref\":\"DOC_OP\"}", cid);
	/* notes opens afresh; plan is left alone */
	o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	assert_string_equal(str(o, "doc"), "notes");
	cJSON_Delete(o);
	assert_int_equal(fx_count(fx, "DOC_OPEN"), 1);
	assert_string_equal(fx->c->docs.name, "plan");
	assert_int_equal(fx->c->docs.state, DOCS_LIVE);
	free(cid);
	fx_free(fx);
}

static void
docset__list__asks_for_the_rooms_documents_and_enter_opens_one(void **state)
{
	(void)state;
	struct fx *fx = with_two();
	fx_key(fx, UI_DOC_FOCUS, 0);
	fx_say(fx, "/doc list");
	cJSON *o = fx_last(fx, "DOC_LIST");
	assert_non_null(o);
	assert_string_equal(str(o, "room"), "lobby");
	fx_feed(fx, "{\"type\":\"DOC_LIST\",\"cid\":\"%s\",\"room\":\"lobby\","
	    "\"more\":false,\"docs\":[{\"name\":\"ideas\",\"rev\":3,\"ts\":1,"
	    "\"user\":\"bob\",\"viewers\":[\"bob\"],\"watching\":1},{\"name\":\"notes\","
	    "\"rev\":0,\"viewers\":[],\"watching\":0}]}", str(o, "cid"));
	cJSON_Delete(o);
	const struct ui_list *l = client_finder_list(fx->c);
	assert_non_null(l);
	assert_int_equal(l->nrows, 2);
	assert_non_null(strstr(l->rows[0].text, "ideas"));
	assert_non_null(strstr(l->rows[0].text, "rev 3 by bob,"));
	assert_non_null(strstr(l->rows[0].text, "in it: bob"));
	assert_non_null(strstr(l->rows[1].text, "never edited"));
	assert_non_null(strstr(l->rows[1].text, "nobody in it"));
	fx_clear(fx);
	fx_key(fx, UI_SUBMIT, 0);
	o = fx_last(fx, "DOC_OPEN");
	assert_non_null(o);
	assert_string_equal(str(o, "doc"), "ideas");
	cJSON_Delete(o);
	assert_int_equal(docset_count(&fx->c->docset), 3);
	assert_null(client_finder_list(fx->c));
	fx_free(fx);
}

static void
docset__presence__says_which_document_each_member_is_in(void **state)
{
	(void)state;
	struct fx *fx = fx_new(NULL);
	fx_start(fx);
	fx_connect(fx);
	fx_joined(fx, "lobby", 1, "bob");
	fx_feed(fx, "{\"type\":\"PRESENCE_UPDATE\",\"user\":\"bob\",\"status\":\"online\","
	    "\"last_seen\":1,\"doc\":{\"room\":\"lobby\",\"name\":\"notes\"}}");
	struct room_member *m = room_find_member(chat_room(fx->c->chat, "lobby"), "bob");
	assert_non_null(m);
	assert_string_equal(m->doc_name, "notes");
	assert_string_equal(m->doc_room, "lobby");
	fx_feed(fx, "{\"type\":\"PRESENCE_UPDATE\",\"user\":\"bob\",\"status\":\"away\","
	    "\"last_seen\":2,\"doc\":null}");
	m = room_find_member(chat_room(fx->c->chat, "lobby"), "bob");
	assert_null(m->doc_name);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(docset__open__keeps_the_first_document_and_shows_the_second_in_a_tab),
		cmocka_unit_test(docset__frames__go_to_the_document_they_name),
		cmocka_unit_test(docset__keys__edit_the_shown_document_and_the_tab_keys_switch),
		cmocka_unit_test(docset__kill_ring__goes_along_to_the_tab_shown),
		cmocka_unit_test(docset__close__shows_the_next_tab),
		cmocka_unit_test(docset__link__reopens_every_document_after_a_reconnect),
		cmocka_unit_test(docset__docstore__keeps_each_documents_unsent_edits_in_its_own_file),
		cmocka_unit_test(docset__docstore__restores_a_file_of_the_older_name_and_renames_it),
		cmocka_unit_test(docset__error__about_an_edit_goes_to_the_document_of_that_edit),
		cmocka_unit_test(docset__list__asks_for_the_rooms_documents_and_enter_opens_one),
		cmocka_unit_test(docset__presence__says_which_document_each_member_is_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
