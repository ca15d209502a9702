/* usercmd: confabd user add|passwd|del|list|revoke (usercmd.h). */
#include "server/usercmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "model/names.h"
#include "server/accounts.h"

static void
usage(void)
{
	fprintf(stderr, "usage: confabd user add|passwd|del|revoke NAME [--db PATH]\n"
	    "       confabd user list [--db PATH]\n");
}

/* One line from fd into buf (the newline dropped); false at EOF or when
 * it does not fit. */
static bool
read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	for (;;) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return n > 0 && n < size;
		if (ch == '\n')
			break;
		if (n + 1 >= size)
			return false;
		buf[n++] = ch;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return true;
}

/* Asks on the terminal, echo off. */
static bool
ask(int tty, const char *question, char *buf, size_t size)
{
	struct termios old, quiet;
	if (tcgetattr(tty, &old) != 0)
		return false;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	dprintf(tty, "%s", question);
	tcsetattr(tty, TCSAFLUSH, &quiet);
	bool ok = read_line(tty, buf, size);
	tcsetattr(tty, TCSAFLUSH, &old);
	dprintf(tty, "\n");
	return ok;
}

static bool
read_password(const char *user, char *buf, size_t size)
{
	if (!isatty(STDIN_FILENO)) {
		if (!read_line(STDIN_FILENO, buf, size)) {
			fprintf(stderr, "confabd: no password on standard input\n");
			return false;
		}
	} else {
		char again[AUTH_PASSWORD_MAX + 2], q[128];
		snprintf(q, sizeof q, "password for %s: ", user);
		if (!ask(STDIN_FILENO, q, buf, size) ||
		    !ask(STDIN_FILENO, "the same again: ", again, sizeof again)) {
			fprintf(stderr, "confabd: no password read\n");
			return false;
		}
		bool same = strcmp(buf, again) == 0;
		sodium_memzero(again, sizeof again);
		if (!same) {
			fprintf(stderr, "confabd: the two passwords differ\n");
			return false;
		}
	}
	size_t n = strlen(buf);
	if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX) {
		fprintf(stderr, "confabd: a password is %d to %d bytes\n",
		    AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
		return false;
	}
	return true;
}

static int
set_password(struct store *st, const char *user, bool must_exist)
{
	char *had = NULL;
	if (st->ops->account_get(st, user, &had) != 0) {
		fprintf(stderr, "confabd: %s\n", st->ops->error(st));
		return 1;
	}
	bool exists = had != NULL;
	free(had);
	if (exists != must_exist) {
		fprintf(stderr, exists ? "confabd: %s has an account already\n" :
		    "confabd: %s has no account\n", user);
		return 1;
	}
	char pw[AUTH_PASSWORD_MAX + 2], hash[crypto_pwhash_STRBYTES];
	bool ok = read_password(user, pw, sizeof pw) && auth_hash(pw, hash);
	sodium_memzero(pw, sizeof pw);
	if (!ok)
		return 1;
	int64_t gone = 0;
	if (st->ops->account_put(st, user, hash, now_ms()) != 0 ||
	    (must_exist && st->ops->tokens_del_user(st, user, &gone) != 0)) {
		fprintf(stderr, "confabd: %s\n", st->ops->error(st));
		return 1;
	}
	printf(must_exist ? "password of %s changed; its sign-ins ended\n" :
	    "account %s made\n", user);
	return 0;
}

int
usercmd_main(int argc, char **argv)
{
	const char *db = "confab.db", *verb = argc > 1 ? argv[1] : "", *name = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (name == NULL && argv[i][0] != '-')
			name = argv[i];
		else {
			usage();
			return 2;
		}
	}
	bool list = strcmp(verb, "list") == 0;
	if ((list && name != NULL) || (!list && (name == NULL ||
	    (strcmp(verb, "add") && strcmp(verb, "passwd") && strcmp(verb, "del") &&
	    strcmp(verb, "revoke"))))) {
		usage();
		return 2;
	}
	if (name != NULL && !names_valid_user(name)) {
		fprintf(stderr, "confabd: \"%s\" is not a user name (1-32 of A-Z a-z "
		    "0-9 _ . -, not starting with . or -)\n", name);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "confabd: libsodium did not start\n");
		return 1;
	}
	char err[512];
	struct store *st = store_sqlite_open(db, true, err, sizeof err);
	if (st == NULL) {
		fprintf(stderr, "confabd: cannot open the store: %s\n", err);
		return 1;
	}
	int rc = 0;
	if (strcmp(verb, "add") == 0) {
		rc = set_password(st, name, false);
	} else if (strcmp(verb, "passwd") == 0) {
		rc = set_password(st, name, true);
	} else if (strcmp(verb, "del") == 0 || strcmp(verb, "revoke") == 0) {
		bool del = strcmp(verb, "del") == 0, found = true;
		int64_t n = 0;
		if ((del && st->ops->account_del(st, name, &found) != 0) ||
		    st->ops->tokens_del_user(st, name, &n) != 0) {
			fprintf(stderr, "confabd: %s\n", st->ops->error(st));
			rc = 1;
		} else if (!found) {
			fprintf(stderr, "confabd: %s has no account\n", name);
			rc = 1;
		} else {
			printf(del ? "account %s removed; %lld sign-ins ended\n" :
			    "%s: %lld sign-ins ended\n", name, (long long)n);
		}
	} else {
		char **users;
		size_t n;
		if (st->ops->accounts(st, &users, &n) != 0) {
			fprintf(stderr, "confabd: %s\n", st->ops->error(st));
			rc = 1;
		} else {
			for (size_t i = 0; i < n; i++) {
				printf("%s\n", users[i]);
				free(users[i]);
			}
			free(users);
		}
	}
	st->ops->close(st);
	return rc;
}
