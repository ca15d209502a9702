/*
 * store_fixture: what the store tests share. Each test gets a fresh
 * temporary directory with a database path in it, so that it can close
 * and reopen the file to check what is durable; the teardown removes the
 * directory with whatever the store left there (the WAL and its index).
 * Include after <cmocka.h>.
 */
#ifndef CONFAB_STORE_FIXTURE_H
#define CONFAB_STORE_FIXTURE_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/store.h"

#define STORE_DIR_SIZE 64
#define STORE_PATH_SIZE 128

/* Makes the directory (dir) and names the database in it (path). */
static inline bool
store_fixture_dir(char dir[STORE_DIR_SIZE], char path[STORE_PATH_SIZE])
{
	snprintf(dir, STORE_DIR_SIZE, "/tmp/confab-store-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return false;
	snprintf(path, STORE_PATH_SIZE, "%s/confab.db", dir);
	return true;
}

static inline void
store_fixture_remove(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	char path[512];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* The store on path; the test fails when it cannot be opened. */
static inline struct store *
store_fixture_open(const char *path)
{
	char err[256] = "";
	struct store *s = store_sqlite_open(path, false, err, sizeof err);
	if (s == NULL)
		fail_msg("store_sqlite_open(%s): %s", path, err);
	return s;
}

#endif
