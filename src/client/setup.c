/*
 * setup: what confab reads before it starts: the configuration file and
 * the flags over it, the XDG directories, and themes (also at run time,
 * /theme).
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/app.h"

/* ---- themes -------------------------------------------------------------- */

static char *
read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2 && len < (1u << 20)) {
			char *g = realloc(buf, cap *= 2);
			if (g == NULL) {
				free(buf);
				buf = NULL;
			}
			buf = g;
		}
		if (len >= (1u << 20) - 1)
			break;
	}
	fclose(f);
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

bool
app_load_theme(struct app *a, const char *name)
{
	bool valid = *name != '\0';
	for (const char *p = name; *p; p++)
		if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			valid = false;
	if (!valid) {
		app_note(a, true, "/theme: \"%s\" is not a theme name", name);
		return false;
	}
	const char *dirs[3] = {a->config_dir, getenv("CONFAB_THEMES_DIR"),
	    CONFAB_THEMES_DIR};
	char path[4096], err[512] = "";
	for (int i = 0; i < 3; i++) {
		if (dirs[i] == NULL)
			continue;
		snprintf(path, sizeof path, i == 0 ? "%s/themes/%s.theme" : "%s/%s.theme",
		    dirs[i], name);
		if (access(path, R_OK) != 0)
			continue;
		char *text = read_file(path, err, sizeof err);
		struct theme t;
		theme_default(&t);
		if (text != NULL && theme_parse(&t, text, path, err, sizeof err)) {
			snprintf(t.name, sizeof t.name, "%s", name);
			a->theme = t;
			ui_set_theme(&a->theme);
			free(text);
			a->dirty = true;
			return true;
		}
		free(text);
		app_note(a, true, "theme: %s; using the default theme", err);
		theme_default(&a->theme);
		ui_set_theme(&a->theme);
		return false;
	}
	app_note(a, true, "theme %s not found (looked in %s/themes and %s)", name,
	    a->config_dir, CONFAB_THEMES_DIR);
	return false;
}

/* ---- directories and configuration ---------------------------------------- */

char *
setup_xdg_dir(const char *env, const char *fallback)
{
	const char *base = getenv(env);
	const char *home = getenv("HOME");
	char buf[4096];
	if (base != NULL && *base == '/')
		snprintf(buf, sizeof buf, "%s/confab", base);
	else
		snprintf(buf, sizeof buf, "%s/%s/confab", home ? home : ".", fallback);
	return strdup(buf);
}

int
setup_mkdirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: confab [options]\n"
	    "  --server URL    ws://host:port/ of confabd (default ws://127.0.0.1:7681/)\n"
	    "  --user NAME     your name (default $USER)\n"
	    "  --room ROOM     the room to open (default lobby)\n"
	    "  --theme NAME    themes/NAME.theme (default default)\n"
	    "  --log FILE      diagnostics (default ~/.local/state/confab/confab.log)\n"
	    "  --help, --version\n"
	    "Settings also come from ~/.config/confab/config (docs/config.md);\n"
	    "flags win over the file.\n");
}

/* Reads the config file, then the flags over it. */
int
setup_configure(struct app *a, int argc, char **argv)
{
	config_defaults(&a->cfg);
	char path[4096], err[512];
	snprintf(path, sizeof path, "%s/config", a->config_dir);
	if (access(path, F_OK) == 0) {
		char *text = read_file(path, err, sizeof err);
		if (text == NULL || !config_parse(&a->cfg, text, path, err, sizeof err)) {
			fprintf(stderr, "confab: %s\n", err);
			free(text);
			return 2;
		}
		free(text);
	}
	static const struct option opts[] = {
		{"server", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"room", required_argument, NULL, 'r'},
		{"theme", required_argument, NULL, 't'},
		{"log", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *key = NULL;
		switch (c) {
		case 's': key = "server"; break;
		case 'u': key = "user"; break;
		case 'r': key = "room"; break;
		case 't': key = "theme"; break;
		case 'l': key = "log"; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("confab %s\n", CONFAB_VERSION); return 0;
		default: usage(stderr); return 2;
		}
		if (!config_set(&a->cfg, key, optarg, err, sizeof err)) {
			fprintf(stderr, "confab: --%s: %s\n", key, err);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "confab: unexpected argument: %s\n", argv[optind]);
		return 2;
	}
	if (a->cfg.user == NULL) {
		const char *u = getenv("USER");
		struct passwd *pw = u == NULL ? getpwuid(getuid()) : NULL;
		if (pw != NULL)
			u = pw->pw_name;
		if (u == NULL || !config_set(&a->cfg, "user", u, err, sizeof err)) {
			fprintf(stderr, "confab: no usable user name: use --user NAME\n");
			return 2;
		}
	}
	return -1;
}

