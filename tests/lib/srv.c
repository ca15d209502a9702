#define _GNU_SOURCE /* nftw, vasprintf */
#include "srv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
nap(int ms)
{
	struct timespec ts = {0, ms * 1000000L};
	nanosleep(&ts, NULL);
}

static bool
spawn(struct srv *s)
{
	char portfile[320];
	snprintf(portfile, sizeof portfile, "%s/port", s->dir);
	unlink(portfile);
	const char *bin = getenv("CONFABD");
	if (bin == NULL) {
		fprintf(stderr, "srv: CONFABD is not set\n");
		return false;
	}
	const char *argv[40] = {bin, "--listen", "127.0.0.1:0", "--db", s->db,
	    "--port-file", portfile, "--log-level", "notice"};
	int n = 9;
	/* who says HELLO is who they are, unless a test wants accounts */
	bool auth = false;
	for (int i = 0; s->extra[i] != NULL; i++)
		auth |= strcmp(s->extra[i], "--auth") == 0;
	if (!auth) {
		argv[n++] = "--auth";
		argv[n++] = "none";
	}
	for (int i = 0; s->extra[i] != NULL && n < 38; i++)
		argv[n++] = s->extra[i];
	argv[n] = NULL;

	s->pid = fork();
	if (s->pid < 0)
		return false;
	if (s->pid == 0) {
		/* Never outlive the test, and never hold its output pipes open
		 * (the runner waits for them to close). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (s->nofile > 0) {
			struct rlimit rl = {(rlim_t)s->nofile, (rlim_t)s->nofile};
			if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
				_exit(125);
		}
		if (s->fsize > 0) {
			struct rlimit rl = {(rlim_t)s->fsize, (rlim_t)s->fsize};
			signal(SIGXFSZ, SIG_IGN); /* stays ignored across exec */
			if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
				_exit(125);
		}
		if (s->as_nobody && geteuid() == 0 &&
		    (setgroups(0, NULL) != 0 || setgid(65534) != 0 ||
		    setuid(65534) != 0))
			_exit(126);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	/* Wait for the port file: the server writes it once it listens. */
	long long deadline = mono_ms() + 10000;
	while (mono_ms() < deadline) {
		FILE *f = fopen(portfile, "r");
		if (f != NULL) {
			int ok = fscanf(f, "%d", &s->port);
			fclose(f);
			if (ok == 1)
				return true;
		}
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			fprintf(stderr, "srv: confabd exited early (see %s)\n", s->log);
			s->pid = 0;
			return false;
		}
		nap(10);
	}
	fprintf(stderr, "srv: confabd did not start in time\n");
	srv_stop(s, SIGKILL);
	return false;
}

static struct srv *started[64];

void
srv_reap_all(void)
{
	for (size_t i = 0; i < sizeof started / sizeof *started; i++)
		if (started[i] != NULL && started[i]->pid > 0)
			srv_stop(started[i], SIGKILL);
}

static void
track(struct srv *s)
{
	for (size_t i = 0; i < sizeof started / sizeof *started; i++)
		if (started[i] == s)
			return;
	for (size_t i = 0; i < sizeof started / sizeof *started; i++)
		if (started[i] == NULL) {
			started[i] = s;
			return;
		}
}

static void
untrack(struct srv *s)
{
	for (size_t i = 0; i < sizeof started / sizeof *started; i++)
		if (started[i] == s)
			started[i] = NULL;
}

bool
srv_start(struct srv *s, const char *const *extra)
{
	track(s);
	memset(s->extra, 0, sizeof s->extra);
	for (int i = 0; extra != NULL && extra[i] != NULL && i < 15; i++)
		s->extra[i] = extra[i];
	snprintf(s->dir, sizeof s->dir, "/tmp/confab-test-XXXXXX");
	if (mkdtemp(s->dir) == NULL) {
		perror("mkdtemp");
		return false;
	}
	snprintf(s->db, sizeof s->db, "%s/confab.db", s->dir);
	snprintf(s->log, sizeof s->log, "%s/confabd.log", s->dir);
	return spawn(s);
}

bool
srv_restart(struct srv *s)
{
	return spawn(s);
}

int
srv_stop(struct srv *s, int sig)
{
	if (s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	long long deadline = mono_ms() + 10000;
	int st = 0;
	while (mono_ms() < deadline) {
		pid_t r = waitpid(s->pid, &st, WNOHANG);
		if (r == s->pid) {
			s->pid = 0;
			return st;
		}
		nap(10);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
	return -1;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
srv_cleanup(struct srv *s)
{
	if (s->pid > 0)
		srv_stop(s, SIGKILL);
	if (s->dir[0] && getenv("CONFAB_KEEP_TEST_DIRS") == NULL)
		nftw(s->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	untrack(s);
}

char *
srv_http_get(const struct srv *s, const char *path)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	char req[512];
	int n = snprintf(req, sizeof req,
	    "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
	if (write(fd, req, (size_t)n) != n) {
		close(fd);
		return NULL;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	ssize_t r;
	while ((r = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (cap - len < 1024)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

bool
srv_restart_same_port(struct srv *s)
{
	/* confabd takes the last --listen it is given, so the extra options
	 * can override the "port 0" that spawn always passes. */
	static char listen[32];
	size_t n = 0;
	while (n < 16 && s->extra[n] != NULL)
		n++;
	if (n + 2 >= 16 || s->port <= 0)
		return false;
	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	int port = s->port;
	s->extra[n] = "--listen";
	s->extra[n + 1] = listen;
	bool ok = spawn(s);
	s->extra[n] = NULL;
	s->extra[n + 1] = NULL;
	if (ok && s->port != port) {
		srv_stop(s, SIGKILL);
		return false;
	}
	return ok;
}
