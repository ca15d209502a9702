/*
 * http_static: the web client's files (web/ in the source tree: index.html,
 * app.js, app.css...) at / and /NAME, GET and HEAD.
 *
 * The files are read from a directory (--web-dir, else the installed one,
 * else the source tree's web/) at each request rather than built into the
 * binary: the page can be changed without rebuilding confabd, the build
 * needs no generator, and a packager can ship or drop the files alone.
 * They are small, local and read in one go, so the read does not hold the
 * loop up noticeably.
 *
 * Only one level of names of [A-Za-z0-9_-][A-Za-z0-9._-]* with a known
 * type is served: no subdirectory, no dot file, no '%' or '..', no
 * listing; a name that is a symbolic link or not a regular file is not
 * found. Everything else on this route is 404, as for any unknown path.
 * Answers carry an ETag (a hash of the bytes) and Last-Modified, are
 * revalidated each time (Cache-Control: no-cache), and carry a strict
 * Content-Security-Policy: scripts, styles and connections of this host
 * only, nothing inline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/http1.h"
#include "server/server.h"

#ifndef CONFAB_WEB_DIR
#define CONFAB_WEB_DIR "/usr/local/share/confab/web"
#endif
#ifndef CONFAB_SOURCE_WEB_DIR
#define CONFAB_SOURCE_WEB_DIR "web"
#endif

/* The largest file served: the client's files are a few tens of KiB. */
#define STATIC_MAX (1024 * 1024)

static const struct {
	const char *ext, *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".json", "application/json"},
	{".txt", "text/plain; charset=utf-8"},
};

const char *
http_static_dir(const struct server_config *cfg)
{
	if (cfg->web_dir != NULL)
		return cfg->web_dir;
	struct stat st;
	if (stat(CONFAB_WEB_DIR, &st) == 0 && S_ISDIR(st.st_mode))
		return CONFAB_WEB_DIR;
	return CONFAB_SOURCE_WEB_DIR;
}

/* The file name a path asks for, or NULL when it is not one served. */
static const char *
file_of(const char *path)
{
	if (strcmp(path, "/") == 0)
		return "index.html";
	const char *n = path + 1;
	size_t len = strlen(n);
	if (len == 0 || len > 64 || n[0] == '.' || n[0] == '-')
		return NULL;
	for (const char *c = n; *c; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.';
		if (!ok)
			return NULL;
	}
	return strstr(n, "..") ? NULL : n;
}

static const char *
type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

/* The whole file, NUL-terminated, or NULL: not there, not a regular file
 * (a directory is never listed), a link, too big, or holding a NUL (the
 * answer is written as text). */
static char *
read_file(const char *dir, const char *name, struct stat *st)
{
	char *path = g_strdup_printf("%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	g_free(path);
	if (fd < 0)
		return NULL;
	char *buf = NULL;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size > STATIC_MAX)
		goto out;
	size_t size = (size_t)st->st_size, got = 0;
	buf = g_malloc(size + 1); /* the answer's body, g_free'd once written */
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	if (got != size || memchr(buf, '\0', got) != NULL) {
		g_free(buf);
		buf = NULL;
	}
out:
	close(fd);
	return buf;
}

/* FNV-1a: the ETag changes with the bytes, whatever the clock says. */
static uint64_t
hash_of(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* True when If-None-Match names etag (or is "*"). */
static bool
etag_matches(const char *inm, const char *etag)
{
	if (strcmp(inm, "*") == 0)
		return true;
	size_t n = strlen(etag);
	for (const char *p = inm; (p = strstr(p, etag)) != NULL; p += n) {
		const char *before = p;
		while (before > inm && (before[-1] == ' ' || before[-1] == '\t'))
			before--;
		bool start = before == inm || before[-1] == ',' ||
		    (before - inm >= 2 && before[-1] == '/' && before[-2] == 'W');
		char after = p[n];
		if (start && (after == '\0' || after == ',' || after == ' ' ||
		    after == '\t'))
			return true;
	}
	return false;
}

/* The Host, when it is only what a host and port are made of: it is
 * written into the policy. */
static bool
host_plain(const char *host)
{
	if (!*host)
		return false;
	for (const char *c = host; *c; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' ||
		    *c == ':' || *c == '[' || *c == ']';
		if (!ok)
			return false;
	}
	return true;
}

static void
not_found(struct http_answer *a)
{
	a->status = 404;
	a->body = g_strdup("not found\n");
}

bool
http_static_route(struct server *srv, const struct http_call *call,
    struct http_answer *a)
{
	const struct http1_req *req = call->req;
	const char *name = file_of(req->path);
	const char *type = name ? type_of(name) : NULL;
	if (type == NULL) {
		not_found(a);
		return true;
	}
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		a->status = 405;
		snprintf(a->headers, sizeof a->headers, "Allow: GET, HEAD\r\n");
		a->body = g_strdup("only GET and HEAD are served here\n");
		return true;
	}
	struct stat st;
	char *body = read_file(http_static_dir(&srv->cfg), name, &st);
	if (body == NULL) {
		not_found(a);
		return true;
	}
	size_t n = strlen(body);
	char etag[48], modified[64];
	snprintf(etag, sizeof etag, "\"%016llx-%zx\"",
	    (unsigned long long)hash_of(body, n), n);
	struct tm tm;
	gmtime_r(&st.st_mtime, &tm);
	strftime(modified, sizeof modified, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	char ws[600] = "";
	if (host_plain(req->host))
		snprintf(ws, sizeof ws, " ws://%s wss://%s", req->host, req->host);
	a->own_policy = true;
	snprintf(a->headers, sizeof a->headers,
	    "ETag: %s\r\nLast-Modified: %s\r\nCache-Control: no-cache\r\n"
	    "Content-Security-Policy: default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self'; connect-src 'self'%s; "
	    "object-src 'none'; base-uri 'none'; form-action 'none'; "
	    "frame-ancestors 'none'\r\n", etag, modified, ws);
	if (req->if_none_match[0] && etag_matches(req->if_none_match, etag)) {
		g_free(body);
		a->status = 304;
		a->body = g_strdup("");
		return true;
	}
	a->status = 200;
	a->type = type;
	a->body = body;
	return true;
}
