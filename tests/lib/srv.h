/*
 * srv: starts and stops a real confabd for a test: a free loopback port
 * (the server binds port 0 and writes what it got to a file), a private
 * temporary directory with the database, and an end by PID.
 * The binary is $CONFABD (meson sets it).
 */
#ifndef CONFAB_SRV_H
#define CONFAB_SRV_H

#include <stdbool.h>
#include <sys/types.h>

struct srv {
	pid_t pid;
	int port;
	char dir[256];
	char db[300];
	char log[300];
	const char *extra[16];
	/* Run confabd as user nobody when the test runs as root (who may
	 * write any file), so that file permissions bind it. */
	bool as_nobody;
	/* When > 0, confabd's RLIMIT_NOFILE (descriptor exhaustion tests). */
	int nofile;
	/* When > 0, confabd's RLIMIT_FSIZE in bytes, with SIGXFSZ ignored: a
	 * write that would grow a file past it fails (a store that fills up
	 * while running). */
	long fsize;
};

/* Makes the directory and starts confabd with extra options (a NULL-ended
 * list, may be NULL); false with a message on stderr on failure. */
bool srv_start(struct srv *s, const char *const *extra);
/* Starts it again on the same database (a new port). */
bool srv_restart(struct srv *s);
/* Sends sig and waits (bounded) for the exit; returns the exit status as
 * from waitpid, or -1 if it had to be killed. */
int srv_stop(struct srv *s, int sig);
/* Stops it if running and removes the directory. */
void srv_cleanup(struct srv *s);
/* Kills every server still running (a failed test's teardown). */
void srv_reap_all(void);
/* GET path over plain HTTP; returns the malloc'd response (headers and
 * body) or NULL. */
char *srv_http_get(const struct srv *s, const char *path);

/* Starts it again on the same database and the same port as before (for
 * clients that must find it where they left it); false if the port is
 * taken meanwhile or the server does not start. */
bool srv_restart_same_port(struct srv *s);

#endif
