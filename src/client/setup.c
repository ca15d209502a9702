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
#include <time.h>
#include <unistd.h>

#include "client/fileio.h"
#include "client/setup.h"
#include "model/xmalloc.h"

/* ---- themes -------------------------------------------------------------- */

#define THEME_MAX_FILE ((size_t)1 << 20)
#define CONFIG_MAX_FILE ((size_t)1 << 20)

static bool
theme_name_valid(const char *name)
{
	if (*name == '\0')
		return false;
	for (const char *p = name; *p; p++)
		if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return false;
	return true;
}

bool
setup_load_theme(struct theme *out, const char *config_dir, const char *name,
    char *err, size_t errlen)
{
	if (!theme_name_valid(name)) {
		snprintf(err, errlen, "/theme: \"%s\" is not a theme name", name);
		return false;
	}
	const char *dirs[3] = {config_dir, getenv("CONFAB_THEMES_DIR"),
	    CONFAB_THEMES_DIR};
	for (int i = 0; i < 3; i++) {
		if (dirs[i] == NULL)
			continue;
		char *path = xasprintf(i == 0 ? "%s/themes/%s.theme" : "%s/%s.theme",
		    dirs[i], name);
		if (access(path, R_OK) != 0) {
			free(path);
			continue;
		}
		char *text = file_read(path, THEME_MAX_FILE, NULL, err, errlen);
		struct theme t;
		theme_default(&t);
		bool ok = text != NULL && theme_parse(&t, text, path, err, errlen);
		free(text);
		free(path);
		if (!ok)
			return false;
		snprintf(t.name, sizeof t.name, "%s", name);
		*out = t;
		return true;
	}
	snprintf(err, errlen, "theme %s not found (looked in %s/themes and %s)",
	    name, config_dir, CONFAB_THEMES_DIR);
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
	return xstrdup(buf);
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: confab [options]\n"
	    "       confab doc get|put ...  a shared document from a script\n"
	    "                  (confab doc --help)\n"
	    "  --server URL    ws://host:port/ or wss://host:port/ of confabd\n"
	    "                  (default ws://127.0.0.1:7681/)\n"
	    "  --ca FILE       authorities for wss:// besides the system's\n"
	    "  --transport T   auto (default: WebSocket, else Server-Sent Events,\n"
	    "                  else long polling), ws, sse or poll\n"
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
setup_configure(struct config *cfg, const char *config_dir, int argc,
    char **argv)
{
	config_defaults(cfg);
	char path[4096], err[512];
	snprintf(path, sizeof path, "%s/config", config_dir);
	if (access(path, F_OK) == 0) {
		size_t len = 0;
		char *text = file_read(path, CONFIG_MAX_FILE, &len, err, sizeof err);
		if (text == NULL ||
		    !config_parse_len(cfg, text, len, path, err, sizeof err)) {
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
		{"ca", required_argument, NULL, 'c'},
		{"transport", required_argument, NULL, 'T'},
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
		case 'c': key = "ca"; break;
		case 'T': key = "transport"; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("confab %s\n", CONFAB_VERSION); return 0;
		default: usage(stderr); return 2;
		}
		if (!config_set(cfg, key, optarg, err, sizeof err)) {
			fprintf(stderr, "confab: --%s: %s\n", key, err);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "confab: unexpected argument: %s\n", argv[optind]);
		return 2;
	}
	if (cfg->user == NULL) {
		const char *u = getenv("USER");
		struct passwd *pw = u == NULL ? getpwuid(getuid()) : NULL;
		if (pw != NULL)
			u = pw->pw_name;
		if (u == NULL || !config_set(cfg, "user", u, err, sizeof err)) {
			fprintf(stderr, "confab: no usable user name: use --user NAME\n");
			return 2;
		}
	}
	return -1;
}

int64_t
setup_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
setup_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
