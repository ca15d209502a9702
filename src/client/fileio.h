/*
 * fileio: the client's small files (state, configuration, themes, logs).
 *
 * Every file confab writes in its state directory is private (mode 0600,
 * directories 0700): it holds what the user typed and who they talk to.
 * A state file is replaced whole (a temporary file beside it, fsync,
 * rename), so a crash leaves the old one or the new one, never half.
 */
#ifndef CONFAB_CLIENT_FILEIO_H
#define CONFAB_CLIENT_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

/* The whole file, NUL-terminated, its length in *len (may be NULL).
 * NULL with "PATH: reason" in err when it cannot be read or is larger
 * than max bytes. */
char *file_read(const char *path, size_t max, size_t *len, char *err,
    size_t errlen);
/* Replaces path with text, mode 0600; false (errno set) on failure, the
 * old file untouched. durable: fsync before the rename, so that the new
 * text survives a power loss too (what the user typed); without, a crash
 * of the machine may bring back the old file (a room list). */
bool file_write_atomic(const char *path, const char *text, size_t len,
    bool durable);
/* mkdir -p with mode 0700; 0, or -1 with errno. */
int file_mkdirs(const char *path);

#endif
