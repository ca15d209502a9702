/*
 * docversion: the document's versions (docs/protocol.md, "DOC_TAG: named
 * versions"). /doc tag NAME names the revision the client holds; the
 * names come with every DOC_HISTORY answer and are kept until the next.
 *
 * /doc restore REV and /doc diff A B take revision numbers or names; a
 * name is looked up in a fresh DOC_HISTORY first (names move), then the
 * texts are read with DOC_GET. A restore is an ordinary local edit: the
 * operation from the text I have now to the old one (model/textdiff),
 * one undo step of its own, so Ctrl-Z takes it back and every other
 * client sees one new revision by me. A diff is shown read-only in the
 * pane, as an old revision is, its lines marked "+ " and "- " (and
 * coloured by docpane); Esc returns to the live text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/docs.h"
#include "model/textdiff.h"
#include "model/utf8.h"
#include "model/xmalloc.h"
#include "net/outbox.h"

static bool
number(const char *s, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0)
		return false;
	*out = v;
	return true;
}

static const char *
what(const struct docs *d)
{
	return d->ver.op == DV_DIFF ? "/doc diff" : "/doc restore";
}

/* The action in progress is over (done or failed). */
static void
end_op(struct docs *d)
{
	struct docs_ver *v = &d->ver;
	for (int i = 0; i < 2; i++) {
		free(v->arg[i]);
		free(v->text[i]);
		v->arg[i] = v->text[i] = NULL;
		v->get_cid[i][0] = '\0';
	}
	v->names_cid[0] = '\0';
	v->op = DV_NONE;
}

static void
free_names(struct docs_ver *v)
{
	for (size_t i = 0; i < v->nnames; i++)
		free(v->names[i].name);
	free(v->names);
	v->names = NULL;
	v->nnames = 0;
}

void
docver_free(struct docs *d)
{
	end_op(d);
	free_names(&d->ver);
	free(d->ver.tag_name);
	d->ver.tag_name = NULL;
}

static void
set_name(struct docs_ver *v, const char *name, long long rev)
{
	for (size_t i = 0; i < v->nnames; i++)
		if (strcmp(v->names[i].name, name) == 0) {
			v->names[i].rev = rev;
			return;
		}
	v->names = xreallocarray(v->names, v->nnames + 1, sizeof *v->names);
	v->names[v->nnames++] = (struct docs_name){ xstrdup(name), rev };
}

void
docver_names(struct docs *d, const struct proto_frame *f)
{
	free_names(&d->ver);
	for (size_t i = 0; i < f->ntags; i++)
		set_name(&d->ver, f->tags[i].name, f->tags[i].rev);
}

void
docver_names_of(const struct docs *d, long long from, long long to, char *buf,
    size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < d->ver.nnames && n + 1 < len; i++) {
		const struct docs_name *m = &d->ver.names[i];
		if (m->rev < from || m->rev > to)
			continue;
		int w = from == to ? snprintf(buf + n, len - n, "%s%s", n ? ", " : "", m->name)
		    : snprintf(buf + n, len - n, "%s%s=%lld", n ? ", " : "", m->name, m->rev);
		n = w < 0 || (size_t)w >= len - n ? len - 1 : n + (size_t)w;
	}
}

/* ---- /doc tag ------------------------------------------------------------- */

void
docs_tag(struct docs *d, const char *name)
{
	if (!d->online || d->ot == NULL) {
		port_note(d->port, true, "/doc tag: %s", d->online ? "the document is "
		    "still opening" : "not connected");
		return;
	}
	struct proto_frame f = docs_frame_of(d, PT_DOC_TAG);
	outbox_new_cid(d->ver.tag_cid);
	f.cid = d->ver.tag_cid;
	f.rev = (long long)otclient_rev(d->ot);
	f.has_rev = true;
	f.name = name;
	free(d->ver.tag_name);
	d->ver.tag_name = xstrdup(name);
	d->ver.tag_rev = f.rev;
	docs_send_frame(d, &f);
}

bool
docver_ack(struct docs *d, const struct proto_frame *f)
{
	struct docs_ver *v = &d->ver;
	if (f->cid == NULL || v->tag_cid[0] == '\0' || strcmp(f->cid, v->tag_cid) != 0)
		return false;
	v->tag_cid[0] = '\0';
	set_name(v, v->tag_name, v->tag_rev);
	port_note(d->port, false, "revision %lld of %s is now named %s (/doc restore %s "
	    "goes back to it)", v->tag_rev, d->name, v->tag_name, v->tag_name);
	return true;
}

/* ---- /doc restore and /doc diff ------------------------------------------ */

static void
send_get(struct docs *d, int i)
{
	struct proto_frame f = docs_frame_of(d, PT_DOC_GET);
	outbox_new_cid(d->ver.get_cid[i]);
	f.cid = d->ver.get_cid[i];
	f.rev = d->ver.rev[i];
	f.has_rev = true;
	docs_send_frame(d, &f);
}

/* Every argument a revision: read the texts; false after a notice. */
static bool
resolve(struct docs *d)
{
	struct docs_ver *v = &d->ver;
	int n = v->op == DV_DIFF ? 2 : 1;
	for (int i = 0; i < n; i++) {
		if (number(v->arg[i], &v->rev[i]))
			continue;
		size_t k = 0;
		while (k < v->nnames && strcmp(v->names[k].name, v->arg[i]) != 0)
			k++;
		if (k == v->nnames) {
			port_note(d->port, true, "%s: %s has no version named %s (/doc "
			    "history lists them)", what(d), d->name, v->arg[i]);
			return false;
		}
		v->rev[i] = v->names[k].rev;
	}
	for (int i = 0; i < n; i++)
		send_get(d, i);
	return true;
}

static void
start(struct docs *d, enum docs_ver_op op, const char *a, const char *b)
{
	end_op(d);
	struct docs_ver *v = &d->ver;
	v->op = op;
	v->arg[0] = xstrdup(a);
	v->arg[1] = b ? xstrdup(b) : NULL;
	if (!d->online || d->ot == NULL || docstore_restoring(d)) {
		port_note(d->port, true, "%s: %s", what(d), !d->online ? "not connected"
		    : "the document is still opening");
		end_op(d);
		return;
	}
	long long r;
	if (number(a, &r) && (b == NULL || number(b, &r))) {
		if (!resolve(d))
			end_op(d);
		return;
	}
	/* names move: ask for the current ones */
	struct proto_frame f = docs_frame_of(d, PT_DOC_HISTORY);
	outbox_new_cid(v->names_cid);
	f.cid = v->names_cid;
	f.limit = 1;
	f.has_limit = true;
	docs_send_frame(d, &f);
}

void
docs_restore(struct docs *d, const char *rev)
{
	if (!docsuggest_can_edit(d)) {
		port_note(d->port, true, "/doc restore: %s is protected: only the room's "
		    "owner and moderators may change it", d->name);
		return;
	}
	start(d, DV_RESTORE, rev, NULL);
}

void
docs_diff(struct docs *d, const char *a, const char *b)
{
	start(d, DV_DIFF, a, b);
}

bool
docver_history(struct docs *d, const struct proto_frame *f)
{
	struct docs_ver *v = &d->ver;
	if (f->cid == NULL || v->names_cid[0] == '\0' || strcmp(f->cid, v->names_cid) != 0)
		return false;
	v->names_cid[0] = '\0';
	docver_names(d, f);
	if (!resolve(d))
		end_op(d);
	return true;
}

/* "revision 3", or "v1 (revision 3)" for a name. */
static void
label_of(const struct docs *d, int i, char *buf, size_t len)
{
	long long r;
	if (number(d->ver.arg[i], &r))
		snprintf(buf, len, "revision %lld", d->ver.rev[i]);
	else
		snprintf(buf, len, "%s (revision %lld)", d->ver.arg[i], d->ver.rev[i]);
}

/* My edit: the text I have now becomes the old one, as one undo step. */
static void
restore_text(struct docs *d, const char *old)
{
	long long rev = d->ver.rev[0];
	struct ot_op op;
	if (d->ot == NULL || !textdiff_op(d->lay.text, d->lay.len, old, strlen(old), &op)) {
		port_note(d->port, true, "/doc restore: revision %lld cannot be restored",
		    rev);
		return;
	}
	size_t bytes = 0;
	for (size_t i = 0; i < op.ncomps; i++)
		bytes += op.comps[i].kind == OT_INSERT ? op.comps[i].bytes : 0;
	if (ot_is_noop(&op)) {
		port_note(d->port, false, "%s is already the text of revision %lld", d->name,
		    rev);
	} else if (docs_fits(d, bytes)) {
		if (d->ro)
			docs_live(d); /* show what the restore made */
		char cid[17];
		outbox_new_cid(cid);
		struct otclient_send s;
		enum otclient_state st0 = otclient_state(d->ot);
		otclient_undo_boundary(d->ot);
		enum otclient_status st = otclient_local(d->ot, &op, cid, &s);
		if (st != OTCLIENT_OK) {
			port_note(d->port, true, "/doc restore: %s", otclient_strerror(st));
		} else {
			otclient_undo_boundary(d->ot);
			size_t end = utf8_count(old, strlen(old));
			struct ot_selection sel = otclient_selection(d->ot);
			if (sel.head > end)
				otclient_set_selection(d->ot, (struct ot_selection){ end, end });
			docs_after_local(d, st0, &s, &op, bytes);
			docs_cursor_moved(d);
			char label[96];
			label_of(d, 0, label, sizeof label);
			port_note(d->port, false, "restored %s to %s (Ctrl-Z in the document "
			    "undoes it)", d->name, label);
		}
	}
	ot_free(&op);
}

static void
show_diff(struct docs *d)
{
	struct docs_ver *v = &d->ver;
	struct textdiff td;
	textdiff_lines(v->text[0], strlen(v->text[0]), v->text[1], strlen(v->text[1]),
	    &td);
	size_t len;
	char *text = textdiff_format(&td, &len);
	char a[96], b[96];
	label_of(d, 0, a, sizeof a);
	label_of(d, 1, b, sizeof b);
	if (td.ndel + td.nins == 0)
		port_note(d->port, false, "/doc diff: %s and %s have the same text", a, b);
	else if (!dl_set_text(&d->ro_lay, text, len))
		port_note(d->port, true, "/doc diff: too large to show");
	else {
		if (!d->ro)
			d->focus_before_ro = d->focused;
		d->ro = true;
		d->ro_loaded = true;
		d->ro_told = false;
		d->ro_rev = v->rev[1];
		d->ro_view = (struct dl_view){ 0, -1, 0, 0 };
		d->get_cid[0] = '\0';
		d->focused = true;
		v->diff = true;
		snprintf(v->title, sizeof v->title, " diff %s \xe2\x86\x92 %s: +%zu -%zu "
		    "lines%s \xc2\xb7 Esc returns to the live text", a, b, td.nins, td.ndel,
		    td.shortest ? "" : " (not the shortest)");
		port_redraw(d->port);
	}
	free(text);
	textdiff_free(&td);
}

bool
docver_text(struct docs *d, const struct proto_frame *f)
{
	struct docs_ver *v = &d->ver;
	int i = 0;
	while (i < 2 && (f->cid == NULL || v->get_cid[i][0] == '\0' ||
	    strcmp(f->cid, v->get_cid[i]) != 0))
		i++;
	if (i == 2)
		return false;
	v->get_cid[i][0] = '\0';
	free(v->text[i]);
	v->text[i] = xstrdup(f->text ? f->text : "");
	if (v->op == DV_RESTORE) {
		restore_text(d, v->text[0]);
		end_op(d);
	} else if (v->text[0] != NULL && v->text[1] != NULL) {
		show_diff(d);
		end_op(d);
	}
	return true;
}

bool
docver_error(struct docs *d, const struct proto_frame *f)
{
	struct docs_ver *v = &d->ver;
	const char *cid = f->cid;
	if (cid == NULL || *cid == '\0')
		return false;
	if (strcmp(cid, v->tag_cid) == 0) {
		v->tag_cid[0] = '\0';
		port_note(d->port, true, "/doc tag %s: %s", v->tag_name ? v->tag_name : "",
		    f->reason ? f->reason : f->code);
		return true;
	}
	if (strcmp(cid, v->names_cid) == 0 || strcmp(cid, v->get_cid[0]) == 0 ||
	    strcmp(cid, v->get_cid[1]) == 0) {
		port_note(d->port, true, "%s: %s", what(d), f->reason ? f->reason : f->code);
		end_op(d);
		return true;
	}
	return false;
}
