/* fileio: reading and replacing the client's small files (fileio.h). */
#include "client/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/xmalloc.h"

char *
file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		if (err != NULL)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0, got;
	char *buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n > max)
			break;
		if (cap - n < 2)
			buf = xrealloc(buf, cap *= 2);
	}
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad || n > max) {
		if (err != NULL)
			snprintf(err, errlen, bad ? "%s: cannot read it" :
			    "%s: larger than %zu bytes", path, max);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

bool
file_write_atomic(const char *path, const char *text, size_t len,
    bool durable)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = fd >= 0;
	for (size_t off = 0; ok && off < len;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		off += ok ? (size_t)w : 0;
	}
	ok = ok && (!durable || fsync(fd) == 0);
	if (fd >= 0 && close(fd) != 0)
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

int
file_mkdirs(const char *path)
{
	char *buf = xstrdup(path);
	int rc = 0;
	for (char *p = buf + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(buf, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(buf);
	return rc;
}
