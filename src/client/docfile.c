/*
 * docfile: /doc save FILE and /doc load FILE (see docedit.h).
 *
 * A save writes the live text as the pane has it (my edits not yet
 * acknowledged included) to FILE, whole or not at all: a temporary file
 * beside it, fsync, rename. An existing file keeps its permissions; a new
 * one gets 0666 less the umask, as any editor's. "~/" is the home.
 *
 * A load replaces the document by the file's text as ONE edit against
 * the text I have (model/textpatch: only the lines that differ are
 * deleted and inserted), so that it goes through the OT client like
 * typing: transformed against what others type meanwhile (their edits in
 * lines the file leaves alone survive), resent after a reconnect, undone
 * by Ctrl-Z. It is refused, with the reason, when the file is not UTF-8,
 * holds NUL bytes, is longer than the server's longest document
 * (WELCOME's max_doc, in code points), or changes more than one edit can
 * carry (docs_fits). Windows line ends (CRLF) are read as '\n'.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/docedit.h"
#include "client/fileio.h"
#include "model/textpatch.h"
#include "model/utf8.h"
#include "model/xmalloc.h"
#include "net/outbox.h"

#define DEFAULT_MAX_DOC 1000000   /* confabd's default, for an older server */
#define LOAD_MAX_COMPS 1024       /* under the server's cap on an op (4096) */

/* path with a leading "~/" (or "~" alone) made the home's; to free. */
static char *
expand(const char *path)
{
	const char *home = getenv("HOME");
	if (home != NULL && path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

static bool
write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		s += w;
		len -= (size_t)w;
	}
	return true;
}

/* Replaces path by text[0..len) atomically; false with errno. */
static bool
save_atomic(const char *path, const char *text, size_t len)
{
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return false;
	}
	bool ok = fchmod(fd, mode) == 0 && write_all(fd, text, len) &&
	    fsync(fd) == 0;
	if (close(fd) != 0)
		ok = false;
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
	}
	free(tmp);
	return ok;
}

void
docs_save_file(struct docs *d, const char *path)
{
	if (d->ot == NULL) {
		port_note(d->port, true, "/doc save: %s is not loaded yet", d->name);
		return;
	}
	char *p = expand(path);
	if (save_atomic(p, d->lay.text, d->lay.len))
		port_note(d->port, false, "saved %s to %s (%zu lines, %zu bytes)", d->name,
		    path, d->lay.nlines, d->lay.len);
	else
		port_note(d->port, true, "/doc save: cannot write %s: %s", path,
		    strerror(errno));
	free(p);
}

/* CRLF to LF, in place; the new length. */
static size_t
unix_lines(char *s, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
			s[o++] = s[i];
	s[o] = '\0';
	return o;
}

/* The file's text, checked; NULL after telling why. */
static char *
read_checked(struct docs *d, const char *path, size_t *len)
{
	size_t max_cps = d->max_doc ? d->max_doc : DEFAULT_MAX_DOC;
	char err[512];
	char *p = expand(path);
	char *text = file_read(p, max_cps * 4, len, err, sizeof err);
	free(p);
	if (text == NULL) {
		port_note(d->port, true, "/doc load: cannot read %s", err);
		return NULL;
	}
	const char *why = NULL;
	if (strlen(text) != *len)
		why = "it holds NUL bytes (a binary file?)";
	else if (!utf8_valid(text, *len))
		why = "it is not valid UTF-8 text";
	if (why == NULL) {
		*len = unix_lines(text, *len);
		size_t cps = utf8_count(text, *len);
		if (cps > max_cps) {
			port_note(d->port, true, "/doc load: %s has %zu characters; the server "
			    "keeps documents of %zu at most", path, cps, max_cps);
			free(text);
			return NULL;
		}
		return text;
	}
	port_note(d->port, true, "/doc load: %s not loaded: %s", path, why);
	free(text);
	return NULL;
}

/* The op goes through the OT client as one undo step. */
static void
apply_load(struct docs *d, struct ot_op *op, size_t bytes, const char *path,
    size_t cps)
{
	char cid[17];
	outbox_new_cid(cid);
	struct otclient_send s;
	enum otclient_state st0 = otclient_state(d->ot);
	otclient_undo_boundary(d->ot);
	enum otclient_status st = otclient_local(d->ot, op, cid, &s);
	if (st != OTCLIENT_OK) {
		port_note(d->port, true, "/doc load: %s", otclient_strerror(st));
		return;
	}
	otclient_undo_boundary(d->ot);
	struct ot_selection sel = otclient_selection(d->ot);
	if (sel.head > cps || sel.anchor > cps)
		otclient_set_selection(d->ot, (struct ot_selection){ cps, cps });
	docs_after_local(d, st0, &s, op, bytes);
	docs_cursor_moved(d);
	port_note(d->port, false, "loaded %s into %s as one edit (Ctrl-Z in the "
	    "document undoes it)", path, d->name);
}

void
docs_load_file(struct docs *d, const char *path)
{
	if (d->ro)
		docs_live(d);
	if (!docs_editable(d)) {
		if (d->ot == NULL)
			port_note(d->port, true, "/doc load: %s is not loaded yet", d->name);
		return;
	}
	if (!docsuggest_can_edit(d) || docsuggest_on(d)) {
		port_note(d->port, true, "/doc load: %s", docsuggest_can_edit(d) ?
		    "not while suggesting (/doc suggest off first)" :
		    "the document is protected: you may suggest, not edit");
		return;
	}
	size_t len;
	char *text = read_checked(d, path, &len);
	if (text == NULL)
		return;
	struct ot_op op;
	size_t bytes = 0;
	if (!textpatch_op(d->lay.text, d->lay.len, text, len, LOAD_MAX_COMPS, &op,
	    &bytes)) {
		port_note(d->port, true, "/doc load: %s cannot be loaded", path);
	} else if (ot_is_noop(&op)) {
		port_note(d->port, false, "%s already has the text of %s", d->name, path);
	} else if (docs_fits(d, bytes)) {
		apply_load(d, &op, bytes, path, utf8_count(text, len));
	}
	ot_free(&op);
	free(text);
}
