/* chatlog: plain-text logs of the rooms (chatlog.h). */
#include "client/chatlog.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/fileio.h"
#include "model/xmalloc.h"

#define REPLACEMENT "\xef\xbf\xbd"

void
chatlog_init(struct chatlog *l, const char *dir, const struct client_port *port)
{
	memset(l, 0, sizeof *l);
	l->dir = xstrdup_or_null(dir);
	l->port = port;
}

static void
close_file(struct chatlog *l)
{
	if (l->f != NULL && fclose(l->f) != 0 && !l->failed) {
		l->failed = true;
		port_note(l->port, true, "chat log %s: %s; logging stops",
		    l->open_path, strerror(errno));
	}
	l->f = NULL;
	l->flush_at = 0;
	free(l->open_path);
	l->open_path = NULL;
}

void
chatlog_free(struct chatlog *l)
{
	close_file(l);
	free(l->dir);
	l->dir = NULL;
}

static void
fail(struct chatlog *l, const char *path)
{
	l->failed = true;
	port_note(l->port, true, "chat log %s: %s; logging stops until confab "
	    "starts again", path, strerror(errno));
}

/* The file for room and day, opened for appending (0600). */
static FILE *
file_for(struct chatlog *l, const char *room, const struct tm *tm)
{
	char day[16];
	strftime(day, sizeof day, "%Y-%m-%d", tm);
	char *path = xasprintf("%s/%s/%s.log", l->dir, room, day);
	if (l->open_path != NULL && strcmp(l->open_path, path) == 0) {
		free(path);
		return l->f;
	}
	close_file(l);
	char *dir = xasprintf("%s/%s", l->dir, room);
	int fd = file_mkdirs(dir) == 0 ?
	    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
	free(dir);
	if (fd < 0 || (l->f = fdopen(fd, "a")) == NULL) {
		if (fd >= 0)
			close(fd);
		fail(l, path);
		free(path);
		return NULL;
	}
	l->open_path = path;
	return l->f;
}

/* text as a log line's tail: controls as U+FFFD, newlines indented. */
static void
put_text(FILE *f, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n')
			fputs("\n         ", f);
		else if (*p == '\t')
			fputc(' ', f);
		else if (*p < 0x20 || *p == 0x7f)
			fputs(REPLACEMENT, f);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {
			fputs(REPLACEMENT, f); /* a C1 control */
			p++;
		} else
			fputc(*p, f);
	}
}

static bool
write_msg(struct chatlog *l, const char *room, const struct room_msg *m)
{
	time_t t = (time_t)(m->ts / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	FILE *f = file_for(l, room, &tm);
	if (f == NULL)
		return false;
	char when[16];
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	const char *user = m->user ? m->user : "", *text = m->text;
	if (m->deleted) {
		/* a tombstone (replayed, or deleted before it was written): an
		 * event line, which no message's text can pass for */
		fprintf(f, "%s -!- %s: message deleted\n", when, user);
		return !ferror(f);
	}
	if (strncmp(text, "/me ", 4) == 0) {
		fprintf(f, "%s * %s ", when, user);
		put_text(f, text + 4);
	} else {
		fprintf(f, "%s <%s> ", when, user);
		put_text(f, text);
	}
	if (m->x != NULL && m->x->edited_ts != 0)
		fputs(" (edited)", f);
	fputc('\n', f);
	return !ferror(f);
}

void
chatlog_room(struct chatlog *l, struct room *r)
{
	if (l->dir == NULL || l->failed || !r->read_known)
		return;
	if (!r->logged_known) {
		/* the backlog shown on first sight is context, not news */
		r->logged = r->read_seq;
		r->logged_known = true;
	}
	/* the first newer than logged; seqs come from the wire */
	size_t i = r->logged == INT64_MAX ? r->nconfirmed :
	    room_seq_index(r, r->logged + 1);
	for (; i < r->nconfirmed && r->msgs[i]->seq <= r->last_seq; i++) {
		if (r->msgs[i]->loose)
			continue; /* the log follows the room's run */
		if (!write_msg(l, r->name, r->msgs[i])) {
			if (!l->failed)
				fail(l, l->open_path ? l->open_path : r->name);
			return;
		}
		r->logged = r->msgs[i]->seq;
	}
	if (l->f != NULL && l->flush_at == 0)
		l->flush_at = port_now(l->port) + CHATLOG_FLUSH_MS;
}

int64_t
chatlog_deadline(const struct chatlog *l)
{
	return l->flush_at ? l->flush_at : INT64_MAX;
}

void
chatlog_tick(struct chatlog *l)
{
	if (l->flush_at == 0 || port_now(l->port) < l->flush_at)
		return;
	l->flush_at = 0;
	if (l->f != NULL && fflush(l->f) != 0 && !l->failed)
		fail(l, l->open_path);
}
