/*
 * outbox: unacknowledged requests, persisted as JSON lines (see outbox.h).
 *
 * The whole file is rewritten on every change (tmp + fsync + rename, then
 * an fsync of the directory so the rename itself survives a crash). The
 * outbox holds what one person typed while offline, a few lines to a few
 * hundred, so a full rewrite costs less than the bookkeeping an append log
 * with compaction would need, and a reader never sees a half-written file.
 *
 * Each frame is stored as a JSON object, not as a string, so the file stays
 * readable; frames are therefore normalised (cJSON_PrintUnformatted) when
 * added, so that what is in memory is exactly what a reload gives back.
 */
#define _GNU_SOURCE /* getrandom */
#include "net/outbox.h"

#include "model/xmalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CID_MAX 64

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The protocol's cid rule: 1-64 printable ASCII characters, no space. */
static bool
cid_valid(const char *cid)
{
	size_t n = 0;
	for (; cid[n] != '\0'; n++)
		if ((unsigned char)cid[n] < 0x21 || (unsigned char)cid[n] > 0x7e)
			return false;
	return n >= 1 && n <= CID_MAX;
}

/* mkdir -p of everything before the last '/' of path. */
static int
make_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir) {
		free(dir); /* the current directory, or the root: both exist */
		return 0;
	}
	*slash = '\0';
	int rc = 0;
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		struct stat st;
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = -1;
		else if (stat(dir, &st) != 0)
			rc = -1;
		else if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			rc = -1;
		}
		*p = saved;
		if (rc != 0 || saved == '\0')
			break;
	}
	free(dir);
	return rc;
}

static void
push(struct outbox *o, char *cid, char *frame)
{
	xgrow(&o->v, &o->cap, o->n + 1, sizeof *o->v);
	o->v[o->n++] = (struct outbox_entry){cid, frame};
}

static size_t
index_of(const struct outbox *o, const char *cid)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i].cid, cid) == 0)
			return i;
	return SIZE_MAX;
}

/* One stored line into an entry; false when it is damaged. */
static bool
load_line(struct outbox *o, const char *line, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(line, len);
	const cJSON *cid = cJSON_GetObjectItemCaseSensitive(j, "cid");
	const cJSON *frame = cJSON_GetObjectItemCaseSensitive(j, "frame");
	bool ok = false;
	if (cJSON_IsObject(j) && cJSON_IsString(cid) && cid_valid(cid->valuestring)
	    && cJSON_IsObject(frame) && index_of(o, cid->valuestring) == SIZE_MAX) {
		push(o, xstrdup(cid->valuestring), cJSON_PrintUnformatted(frame));
		ok = true;
	}
	cJSON_Delete(j);
	return ok;
}

static bool
read_all(FILE *f, char **out, size_t *outlen)
{
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);
	size_t r;
	while ((r = fread(buf + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (ferror(f)) {
		free(buf);
		return false;
	}
	*out = buf;
	*outlen = len;
	return true;
}

/* A missing file is an empty outbox; an unreadable one is an error. A last
 * line without its newline (a crash mid-write of a file not written by us,
 * or a hand edit) is kept if it parses and skipped otherwise. */
static bool
load(struct outbox *o, char *err, size_t errlen)
{
	FILE *f = fopen(o->path, "r");
	if (f == NULL) {
		if (errno == ENOENT)
			return true;
		seterr(err, errlen, "cannot read %s: %s", o->path, strerror(errno));
		return false;
	}
	char *buf;
	size_t len;
	bool ok = read_all(f, &buf, &len);
	int saved = errno;
	fclose(f);
	if (!ok) {
		seterr(err, errlen, "cannot read %s: %s", o->path, strerror(saved));
		return false;
	}
	for (size_t start = 0; start < len;) {
		const char *nl = memchr(buf + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t n = end - start;
		if (n > 0 && buf[start + n - 1] == '\r')
			n--;
		bool blank = true;
		for (size_t i = 0; i < n && blank; i++)
			blank = buf[start + i] == ' ' || buf[start + i] == '\t';
		if (!blank && !load_line(o, buf + start, n))
			o->skipped++;
		start = end + 1;
	}
	free(buf);
	return true;
}

static bool
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Serialises every entry into one buffer, one line each. Frames were
 * normalised on the way in, so each line is {"cid":...,"frame":FRAME}. */
static char *
serialise(const struct outbox *o, size_t *len)
{
	size_t cap = 256, n = 0;
	char *out = xmalloc(cap);
	for (size_t i = 0; i < o->n; i++) {
		cJSON *line = cJSON_CreateObject();
		cJSON_AddStringToObject(line, "cid", o->v[i].cid);
		cJSON_AddItemToObject(line, "frame", cJSON_Parse(o->v[i].frame));
		char *s = cJSON_PrintUnformatted(line);
		cJSON_Delete(line);
		size_t sl = strlen(s);
		xgrow(&out, &cap, n + sl + 1, 1);
		memcpy(out + n, s, sl);
		out[n + sl] = '\n';
		n += sl + 1;
		free(s);
	}
	*len = n;
	return out;
}

static void
sync_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *d = ".";
	if (slash == dir)
		d = "/";
	else if (slash != NULL) {
		*slash = '\0';
		d = dir;
	}
	int fd = open(d, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd); /* best effort: some file systems refuse it */
		close(fd);
	}
	free(dir);
}

static bool
persist(const struct outbox *o)
{
	size_t len;
	char *data = serialise(o, &len);
	char *tmp = xasprintf("%s.tmp", o->path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = fd >= 0 && write_all(fd, data, len) && fsync(fd) == 0;
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (ok && rename(tmp, o->path) != 0)
		ok = false;
	if (ok)
		sync_parent(o->path);
	else if (fd >= 0)
		unlink(tmp);
	free(tmp);
	free(data);
	return ok;
}

struct outbox *
outbox_open(const char *path, char *err, size_t errlen)
{
	if (path == NULL || path[0] == '\0' || path[strlen(path) - 1] == '/') {
		seterr(err, errlen, "outbox path is not a file name");
		return NULL;
	}
	if (make_parent(path) != 0) {
		seterr(err, errlen, "cannot create the directory of %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	struct outbox *o = xcalloc(1, sizeof *o);
	o->path = xstrdup(path);
	if (!load(o, err, errlen)) {
		outbox_free(o);
		return NULL;
	}
	return o;
}

void
outbox_free(struct outbox *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].cid);
		free(o->v[i].frame);
	}
	free(o->v);
	free(o->path);
	free(o);
}

bool
outbox_add(struct outbox *o, const char *cid, const char *frame)
{
	if (!cid_valid(cid) || index_of(o, cid) != SIZE_MAX)
		return false;
	cJSON *j = cJSON_Parse(frame);
	char *f = cJSON_IsObject(j) ? cJSON_PrintUnformatted(j) : NULL;
	cJSON_Delete(j);
	if (f == NULL)
		return false;
	char *c = xstrdup(cid);
	push(o, c, f);
	if (!persist(o)) {
		o->n--;
		free(c);
		free(f);
		return false;
	}
	return true;
}

bool
outbox_remove(struct outbox *o, const char *cid)
{
	size_t i = index_of(o, cid);
	if (i == SIZE_MAX)
		return false;
	struct outbox_entry gone = o->v[i];
	memmove(&o->v[i], &o->v[i + 1], (o->n - i - 1) * sizeof *o->v);
	o->n--;
	if (!persist(o)) {
		/* Put it back where it was: the file still holds it. */
		memmove(&o->v[i + 1], &o->v[i], (o->n - i) * sizeof *o->v);
		o->v[i] = gone;
		o->n++;
		return false;
	}
	free(gone.cid);
	free(gone.frame);
	return true;
}

const struct outbox_entry *
outbox_find(const struct outbox *o, const char *cid)
{
	size_t i = index_of(o, cid);
	return i == SIZE_MAX ? NULL : &o->v[i];
}

/* Random bytes from the kernel; false only if neither getrandom(2) nor
 * /dev/urandom answers (a very old kernel inside a bare chroot). */
static bool
kernel_random(unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return true;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == n;
}

/* Last resort when the kernel gives nothing: splitmix64 over the clock, the
 * pid and a counter. Not secret, but still distinct between calls, which is
 * all a cid needs. */
static void
weak_random(unsigned char *buf, size_t n)
{
	static uint64_t state;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	state ^= (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30)
	    ^ ((uint64_t)getpid() << 48);
	for (size_t i = 0; i < n; i++) {
		uint64_t z = (state += UINT64_C(0x9e3779b97f4a7c15));
		z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
		z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
		buf[i] = (unsigned char)(z ^ (z >> 31));
	}
}

void
outbox_new_cid(char out[17])
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char raw[32];
	size_t made = 0;
	while (made < 16) {
		if (!kernel_random(raw, sizeof raw))
			weak_random(raw, sizeof raw);
		/* 252 = 7 * 36: rejecting the bytes above keeps every character
		 * equally likely. */
		for (size_t i = 0; i < sizeof raw && made < 16; i++)
			if (raw[i] < 252)
				out[made++] = alphabet[raw[i] % 36];
	}
	out[16] = '\0';
}
