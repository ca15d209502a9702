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

/*
 * Defines the fixture of a test file whose struct fx has the fields
 *	char dir[STORE_DIR_SIZE]; char path[STORE_PATH_SIZE]; struct store *s;
 * setup (a fresh directory, no store), setup_open (with the store open in
 * it), teardown (release(fx) for the file's own fields, then the store
 * closed and the directory removed) and reopen (closes and opens the
 * store on the same file, as a restart would).
 */
#define STORE_FIXTURE(release) \
	static inline int \
	setup(void **state) \
	{ \
		struct fx *fx = calloc(1, sizeof *fx); \
		if (fx == NULL || !store_fixture_dir(fx->dir, fx->path)) { \
			free(fx); \
			return -1; \
		} \
		*state = fx; \
		return 0; \
	} \
	static inline int \
	teardown(void **state) \
	{ \
		struct fx *fx = *state; \
		release(fx); \
		if (fx->s != NULL) \
			fx->s->ops->close(fx->s); \
		store_fixture_remove(fx->dir); \
		free(fx); \
		return 0; \
	} \
	static inline int \
	setup_open(void **state) \
	{ \
		if (setup(state) != 0) \
			return -1; \
		struct fx *fx = *state; \
		char err[256] = ""; \
		fx->s = store_sqlite_open(fx->path, false, err, sizeof err); \
		if (fx->s == NULL) { \
			print_error("store_sqlite_open: %s\n", err); \
			teardown(state); \
			return -1; \
		} \
		return 0; \
	} \
	static inline void \
	reopen(struct fx *fx) \
	{ \
		fx->s->ops->close(fx->s); \
		fx->s = NULL; \
		fx->s = store_fixture_open(fx->path); \
	}

/* The release of a struct fx with nothing of its own. */
#define STORE_FIXTURE_NOTHING(fx) ((void)(fx))

#endif
