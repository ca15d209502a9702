/*
 * docstore: edits the server has not acknowledged survive a restart.
 *
 * While a document holds unacknowledged edits, the state directory keeps
 * doc-USER,ROOM,NAME.json (one file a document, so that several open at
 * once keep theirs apart; ',' is in no user, room or document name, so
 * the name is never ambiguous): the server, room and document, the revision R the OT
 * client last saw, the local text D, and, when the op in flight has been
 * transmitted, that op as sent (cid, base revision, operation). It is
 * rewritten (temporary file, fsync, rename) at most every 2 s while edits
 * wait, when the link drops and at quit, and removed once all is
 * acknowledged. D is S(R) + inflight + buffer, whatever happened since.
 *
 * After a restart the document is rebuilt so that the server sees the
 * same requests it would have seen without the restart:
 *
 *   1. DOC_GET the base revision B: the op in flight's base when there is
 *      one (the server may have applied it: it must go again with its own
 *      cid and base, which the server deduplicates), else R.
 *   2. A new OT client on that text, offline; the op in flight, if any,
 *      goes in flight again with its cid.
 *   3. DOC_OPEN since=B: every revision after B is replayed through the OT
 *      client (my op among them is its ACK). When the client reaches R,
 *      its text is S(R) + the op in flight as transformed: the rest of D
 *      (the buffer) is that text's difference to D, made a local edit.
 *   4. DOC_STATE: the op in flight goes out as first sent, as after any
 *      reconnect.
 *
 * If the server cannot do 1 or 3 (the revision is gone, rev_too_old), D is
 * written beside as an unmerged copy and the document opens fresh.
 * Not kept: the undo history and the others' cursors. A file of the older
 * single-document name, doc-USER.json, is restored too, renamed to its
 * document's name as it is.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/docs.h"
#include "client/fileio.h"
#include "model/xmalloc.h"
#include "net/outbox.h"
#include "model/utf8.h"

#define SAVE_EVERY_MS 2000
#define DOCSTORE_MAX_FILE ((size_t)64 << 20)

struct docstore_sent {
	char cid[65];
	size_t rev;
	char *op;                /* JSON */
};

struct docstore_restore {
	char *text;              /* D */
	size_t len;
	size_t rev;              /* R */
	struct docstore_sent *sent;
	char get_cid[17];
	bool injected;
};

static void
sent_free(struct docstore_sent *s)
{
	if (s != NULL)
		free(s->op);
	free(s);
}

static void
path_of(const struct docs *d, char *buf, size_t size)
{
	snprintf(buf, size, "%s/doc-%s,%s,%s.json", d->state_dir, d->user,
	    d->room ? d->room : "", d->name ? d->name : "");
}

char *
docstore_path(const char *state_dir, const char *user, const char *room,
    const char *name)
{
	return xasprintf("%s/doc-%s,%s,%s.json", state_dir, user, room, name);
}

/* doc-USER.json, or doc-USER,ROOM,NAME.json. */
static bool
kept_name(const char *file, const char *user)
{
	size_t n = strlen(user), len = strlen(file);
	if (strncmp(file, "doc-", 4) != 0 || strncmp(file + 4, user, n) != 0 ||
	    len < 4 + n + 5 || strcmp(file + len - 5, ".json") != 0)
		return false;
	const char *rest = file + 4 + n;
	if (strcmp(rest, ".json") == 0)
		return true;
	const char *comma = strchr(rest + 1, ',');
	return rest[0] == ',' && comma != NULL && strchr(comma + 1, ',') == NULL;
}

size_t
docstore_kept(const char *state_dir, const char *user, char ***paths)
{
	*paths = NULL;
	DIR *dir = opendir(state_dir);
	if (dir == NULL)
		return 0;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (!kept_name(e->d_name, user))
			continue;
		xgrow(paths, &cap, n + 1, sizeof **paths);
		(*paths)[n++] = xasprintf("%s/%s", state_dir, e->d_name);
	}
	closedir(dir);
	return n;
}

const char *
docstore_sent_cid(const struct docs *d)
{
	return d->sent ? d->sent->cid : NULL;
}

void
docstore_free(struct docs *d)
{
	sent_free(d->sent);
	d->sent = NULL;
	if (d->restore != NULL) {
		free(d->restore->text);
		sent_free(d->restore->sent);
		free(d->restore);
		d->restore = NULL;
	}
}

bool
docstore_restoring(const struct docs *d)
{
	return d->restore != NULL;
}

/* ---- saving -------------------------------------------------------------- */

void
docstore_sent(struct docs *d, const char *cid, size_t rev, const struct ot_op *op)
{
	if (d->sent && strcmp(d->sent->cid, cid) == 0)
		return;
	struct docstore_sent *s = xcalloc(1, sizeof *s);
	if ((s->op = ot_encode(op)) == NULL) {
		sent_free(s);
		return;
	}
	snprintf(s->cid, sizeof s->cid, "%s", cid);
	s->rev = rev;
	sent_free(d->sent);
	d->sent = s;
	d->save_due = true;
}

void
docstore_acked(struct docs *d, const char *cid)
{
	if (d->sent && cid && strcmp(d->sent->cid, cid) == 0) {
		sent_free(d->sent);
		d->sent = NULL;
		d->save_due = true;
	}
}

void
docstore_clear(struct docs *d)
{
	char path[4096];
	path_of(d, path, sizeof path);
	if (unlink(path) != 0 && errno != ENOENT)
		port_log(d->port, "%s: %s", path, strerror(errno));
	d->save_due = false;
}

static cJSON *
state_json(struct docs *d)
{
	cJSON *o = cJSON_CreateObject();
	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "server", d->server);
	cJSON_AddStringToObject(o, "room", d->room);
	cJSON_AddStringToObject(o, "doc", d->name);
	cJSON_AddNumberToObject(o, "rev", (double)otclient_rev(d->ot));
	cJSON_AddStringToObject(o, "text", d->lay.text);
	if (d->sent != NULL) {
		cJSON *s = cJSON_AddObjectToObject(o, "inflight");
		cJSON *op = cJSON_Parse(d->sent->op);
		if (s == NULL || op == NULL) {
			cJSON_Delete(op);
			cJSON_Delete(o);
			return NULL;
		}
		cJSON_AddStringToObject(s, "cid", d->sent->cid);
		cJSON_AddNumberToObject(s, "rev", (double)d->sent->rev);
		cJSON_AddItemToObject(s, "op", op);
	}
	return o;
}

void
docstore_save(struct docs *d)
{
	if (d->name == NULL || d->ot == NULL || d->restore != NULL)
		return;
	d->saved_at = port_now(d->port);
	d->save_due = false;
	if (otclient_pending(d->ot) == 0) {
		docstore_clear(d);
		return;
	}
	char path[4096];
	path_of(d, path, sizeof path);
	cJSON *o = state_json(d);
	char *text = o ? cJSON_PrintUnformatted(o) : NULL;
	if (text == NULL || !file_write_atomic(path, text, strlen(text), true))
		port_log(d->port, "cannot keep the unsent edits of %s in %s", d->name, path);
	free(text);
	cJSON_Delete(o);
}

int64_t
docstore_deadline(const struct docs *d)
{
	if (!d->save_due || d->ot == NULL)
		return INT64_MAX;
	if (otclient_pending(d->ot) == 0)
		return 0;
	return d->saved_at + SAVE_EVERY_MS;
}

void
docstore_tick(struct docs *d)
{
	if (!d->save_due || d->ot == NULL)
		return;
	/* Forgetting is cheap and should not wait; writing is paced. */
	if (otclient_pending(d->ot) == 0 ||
	    port_now(d->port) - d->saved_at >= SAVE_EVERY_MS)
		docstore_save(d);
}

/* ---- restoring ----------------------------------------------------------- */

static const char *
str_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool
num_of(const cJSON *o, const char *k, size_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!cJSON_IsNumber(v) || v->valuedouble < 0)
		return false;
	*out = (size_t)v->valuedouble;
	return true;
}

static struct docstore_sent *
sent_of(const cJSON *o)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "inflight");
	const char *cid = str_of(s, "cid");
	struct docstore_sent *r = xcalloc(1, sizeof *r);
	struct ot_op op = OT_OP_INIT;
	if (cid == NULL || !num_of(s, "rev", &r->rev) ||
	    ot_decode_json(cJSON_GetObjectItemCaseSensitive(s, "op"), &op, NULL, 0)
	    != OT_OK || (r->op = ot_encode(&op)) == NULL) {
		ot_free(&op);
		sent_free(r);
		return NULL;
	}
	ot_free(&op);
	snprintf(r->cid, sizeof r->cid, "%s", cid);
	return r;
}

/* Reads the file; the restore and the document's names, or false. */
static bool
load(struct docs *d, const char *path, struct docstore_restore *r, char **room,
    char **doc)
{
	char *text = file_read(path, DOCSTORE_MAX_FILE, NULL, NULL, 0);
	cJSON *o = text ? cJSON_Parse(text) : NULL;
	free(text);
	const char *server = str_of(o, "server"), *rm = str_of(o, "room");
	const char *dc = str_of(o, "doc"), *t = str_of(o, "text");
	bool ok = server && rm && dc && t && strcmp(server, d->server) == 0 &&
	    utf8_valid(t, strlen(t)) && num_of(o, "rev", &r->rev);
	if (ok && cJSON_GetObjectItemCaseSensitive(o, "inflight") != NULL)
		ok = (r->sent = sent_of(o)) != NULL;
	if (ok) {
		r->len = strlen(t);
		r->text = xstrdup(t);
		*room = xstrdup(rm);
		*doc = xstrdup(dc);
	}
	cJSON_Delete(o);
	return ok;
}

bool
docstore_restore(struct docs *d, const char *path)
{
	if (access(path, F_OK) != 0)
		return false;
	struct docstore_restore *r = xcalloc(1, sizeof *r);
	char *room = NULL, *doc = NULL;
	if (!load(d, path, r, &room, &doc)) {
		port_note(d->port, true, "%s: cannot read the unsent document edits "
		    "kept there (left as it is)", path);
		free(r->text);
		sent_free(r->sent);
		free(r);
		free(room);
		free(doc);
		return false;
	}
	docs_open(d, room, doc);
	free(room);
	free(doc);
	char mine[4096];
	path_of(d, mine, sizeof mine);
	if (strcmp(mine, path) != 0 && rename(path, mine) != 0)
		port_log(d->port, "%s: %s", path, strerror(errno));
	d->restore = r;
	d->focused = false;
	port_log(d->port, "doc %s: restoring from revision %zu%s%s", d->name,
	    r->rev, r->sent ? ", the edit in flight again as " : "",
	    r->sent ? r->sent->cid : "");
	port_note(d->port, false, "%s: restoring the edits not sent before confab "
	    "quit", d->name);
	return true;
}

static size_t
base_rev(const struct docstore_restore *r)
{
	return r->sent ? r->sent->rev : r->rev;
}

void
docstore_welcome(struct docs *d)
{
	struct docstore_restore *r = d->restore;
	if (d->ot != NULL) { /* the link dropped during the replay */
		docs_send_open(d, true);
		return;
	}
	struct proto_frame f = proto_frame_of(PT_DOC_GET);
	f.room = d->room;
	f.doc = d->name;
	outbox_new_cid(r->get_cid);
	f.cid = r->get_cid;
	f.rev = (int64_t)base_rev(r);
	f.has_rev = true;
	docs_send_frame(d, &f);
}

/* Gives up: the kept text goes beside, the document opens fresh. */
static void
fail(struct docs *d, const char *why)
{
	docs_keep_unmerged(d, d->restore->text, d->restore->len, why);
	docstore_free(d);
	docstore_clear(d);
	otclient_free(d->ot);
	d->ot = NULL;
	if (d->online)
		docs_send_open(d, false);
}

static bool
cont_at(const char *s, size_t n, size_t i)
{
	return i < n && (s[i] & 0xc0) == 0x80;
}

/* The op taking text x to text y: one replaced range, between their
 * common prefix and suffix (on character boundaries). */
static bool
diff_op(const char *x, size_t nx, const char *y, size_t ny, struct ot_op *op)
{
	size_t p = 0, q = 0;
	while (p < nx && p < ny && x[p] == y[p])
		p++;
	while (p > 0 && (cont_at(x, nx, p) || cont_at(y, ny, p)))
		p--;
	size_t max = (nx < ny ? nx : ny) - p;
	while (q < max && x[nx - 1 - q] == y[ny - 1 - q])
		q++;
	while (q > 0 && (cont_at(x, nx, nx - q) || cont_at(y, ny, ny - q)))
		q--;
	size_t pc = utf8_count(x, p), del = utf8_count(x + p, nx - q - p);
	return ot_retain(op, pc) == OT_OK &&
	    ot_insert(op, y + p, ny - q - p) == OT_OK &&
	    ot_delete(op, del) == OT_OK &&
	    ot_retain(op, utf8_count(x + nx - q, q)) == OT_OK;
}

/* The rest of D, once the OT client stands at R: a local edit. */
static void
inject(struct docs *d)
{
	struct docstore_restore *r = d->restore;
	r->injected = true;
	size_t len;
	char *now = doc_text(otclient_doc(d->ot), &len);
	struct ot_op op = OT_OP_INIT;
	bool ok = now != NULL && diff_op(now, len, r->text, r->len, &op);
	free(now);
	char cid[17];
	outbox_new_cid(cid);
	struct otclient_send s;
	enum otclient_state st0 = otclient_state(d->ot);
	if (ok && !ot_is_noop(&op) && otclient_local(d->ot, &op, cid, &s) == OTCLIENT_OK)
		docs_after_local(d, st0, &s, &op, 0);
	else if (!ok)
		port_log(d->port, "doc %s: the kept edits do not fit", d->name);
	ot_free(&op);
}

bool
docstore_text(struct docs *d, const struct proto_frame *f)
{
	struct docstore_restore *r = d->restore;
	if (r == NULL || f->cid == NULL || strcmp(f->cid, r->get_cid) != 0)
		return false;
	struct doc *doc = doc_new_from(f->text, strlen(f->text));
	d->ot = doc ? otclient_new(doc, base_rev(r), d->user) : NULL;
	if (d->ot == NULL) {
		doc_free(doc);
		fail(d, "out of memory");
		return true;
	}
	otclient_offline(d->ot);
	dl_set_text(&d->lay, f->text, strlen(f->text));
	if (r->sent != NULL) {
		struct ot_op op = OT_OP_INIT;
		struct otclient_send s;
		enum otclient_state st0 = otclient_state(d->ot);
		if (ot_decode(r->sent->op, strlen(r->sent->op), &op, NULL, 0) != OT_OK ||
		    otclient_local(d->ot, &op, r->sent->cid, &s) != OTCLIENT_OK) {
			ot_free(&op);
			fail(d, "the edit in flight does not fit its revision");
			return true;
		}
		docs_after_local(d, st0, &s, &op, 0);
		ot_free(&op);
		d->sent = r->sent; /* transmitted before: still to be deduplicated */
		r->sent = NULL;
	}
	docstore_reached(d);
	docs_send_open(d, true);
	return true;
}

void
docstore_reached(struct docs *d)
{
	struct docstore_restore *r = d->restore;
	if (r != NULL && !r->injected && d->ot &&
	    otclient_rev(d->ot) >= r->rev)
		inject(d);
}

void
docstore_caught_up(struct docs *d)
{
	if (d->restore == NULL)
		return;
	if (!d->restore->injected)
		inject(d);
	free(d->restore->text);
	sent_free(d->restore->sent);
	free(d->restore);
	d->restore = NULL;
	d->save_due = true;
	port_note(d->port, false, "%s: the edits kept since the last run are back", d->name);
}

bool
docstore_error(struct docs *d, const struct proto_frame *f)
{
	struct docstore_restore *r = d->restore;
	if (r == NULL || f->cid == NULL)
		return false;
	if (strcmp(f->cid, r->get_cid) != 0 && strcmp(f->cid, d->open_cid) != 0)
		return false;
	char why[200];
	snprintf(why, sizeof why, "the server no longer has revision %zu: %s",
	    base_rev(r), f->reason);
	fail(d, why);
	return true;
}
