/*
 * docsuggest_cmd: the suggestions' commands (see docsuggest.c): accept or
 * reject the one under the cursor or by number (Alt-y, Alt-n, /doc accept,
 * /doc reject), list the open ones (/doc suggestions), protect the
 * document (/doc protect), and /doc's sub-commands for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/docsuggest_impl.h"
#include "net/outbox.h"

/* ---- accept, reject, list, protect --------------------------------------- */

static const struct item *
under_cursor(struct docs *d)
{
	struct docsuggest *g = d->sug;
	size_t p = d->view.cursor;
	for (size_t i = 0; g != NULL && i < g->n; i++) {
		struct suggest_marks m;
		suggest_marks(&g->v[i].s, &m);
		bool hit = false;
		for (size_t k = 0; k < m.n && !hit; k++)
			hit = m.v[k].kind == SUGGEST_INSERTED ? m.v[k].pos == p
			    : m.v[k].pos <= p && p <= m.v[k].pos + m.v[k].len;
		suggest_marks_free(&m);
		if (hit)
			return &g->v[i];
	}
	return NULL;
}

void
docsuggest_decide(struct docs *d, bool accept, long long id)
{
	const char *what = accept ? "accept" : "reject";
	if (d->name == NULL || d->ot == NULL) {
		port_note(d->port, true, "/doc %s: no document open", what);
		return;
	}
	docsuggest_sync(d);
	if (id == 0) {
		const struct item *it = under_cursor(d);
		if (it == NULL) {
			port_note(d->port, true, "/doc %s: no suggestion under the cursor "
			    "(/doc suggestions lists them; /doc %s ID)", what, what);
			return;
		}
		id = it->id;
	}
	if (!d->online) {
		port_note(d->port, true, "/doc %s: not connected", what);
		return;
	}
	struct proto_frame f = docs_frame_of(d, accept ? PT_SUGGEST_ACCEPT
	    : PT_SUGGEST_REJECT);
	char cid[17];
	outbox_new_cid(cid);
	f.cid = cid;
	f.suggestion = id;
	f.has_suggestion = true;
	docs_send_frame(d, &f);
}

void
docsuggest_list(struct docs *d)
{
	struct docsuggest *g = d->sug;
	if (d->name == NULL) {
		port_note(d->port, true, "/doc suggestions: no document open");
		return;
	}
	docsuggest_sync(d);
	if (g == NULL || g->n == 0) {
		port_note(d->port, false, "%s has no open suggestions%s", d->name,
		    g != NULL && g->protect ? " (protected: only the owner and "
		    "moderators edit it)" : "");
		return;
	}
	port_note(d->port, false, "suggestions in %s (/doc accept ID, /doc reject ID):",
	    d->name);
	for (size_t i = 0; i < g->n; i++) {
		struct suggest_marks m;
		suggest_marks(&g->v[i].s, &m);
		char what[160] = "";
		size_t n = 0;
		for (size_t k = 0; k < m.n && n < sizeof what - 40; k++) {
			const struct suggest_mark *x = &m.v[k];
			if (x->kind == SUGGEST_INSERTED)
				n += (size_t)snprintf(what + n, sizeof what - n, "%s+\"%.40s\"",
				    n ? " " : "", x->text);
			else
				n += (size_t)snprintf(what + n, sizeof what - n, "%s-%zu at %zu",
				    n ? " " : "", x->len, x->pos);
		}
		suggest_marks_free(&m);
		port_note(d->port, false, "  #%lld %s: %s", g->v[i].id, g->v[i].user, what);
	}
}

void
docsuggest_protect(struct docs *d, bool on)
{
	if (d->name == NULL || !d->online) {
		port_note(d->port, true, "/doc protect: %s", d->name ? "not connected"
		    : "no document open");
		return;
	}
	struct proto_frame f = docs_frame_of(d, PT_DOC_MODE);
	char cid[17];
	outbox_new_cid(cid);
	f.cid = cid;
	f.is_protected = on;
	f.has_protected = true;
	docs_send_frame(d, &f);
}

/* ---- /doc's sub-commands ------------------------------------------------- */

static bool
on_off(const char *arg, bool *out)
{
	if (strcmp(arg, "on") == 0)
		*out = true;
	else if (strcmp(arg, "off") == 0)
		*out = false;
	else
		return false;
	return true;
}

bool
docsuggest_command(struct docs *d, const char *sub, const char *arg)
{
	bool on;
	if (strcmp(sub, "suggest") == 0) {
		if (*arg == '\0')
			docsuggest_set(d, !docsuggest_on(d));
		else if (!on_off(arg, &on))
			port_note(d->port, true, "usage: /doc suggest [on|off]");
		else
			docsuggest_set(d, on);
	} else if (strcmp(sub, "accept") == 0 || strcmp(sub, "reject") == 0) {
		char *end;
		long long id = *arg ? strtoll(arg, &end, 10) : 0;
		if (*arg && (*end != '\0' || id <= 0))
			port_note(d->port, true, "usage: /doc %s [ID]", sub);
		else
			docsuggest_decide(d, sub[0] == 'a', id);
	} else if (strcmp(sub, "suggestions") == 0) {
		docsuggest_list(d);
	} else if (strcmp(sub, "protect") == 0) {
		if (!on_off(arg, &on))
			port_note(d->port, true, "usage: /doc protect on|off");
		else
			docsuggest_protect(d, on);
	} else {
		return false;
	}
	return true;
}
