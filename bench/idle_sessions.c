/*
 * idle-sessions: what one idle WebSocket session costs confabd in memory.
 *
 *   idle-sessions --server PATH [--sessions N] [--runs R] [--room-size K]
 *   idle-sessions --port P --pid PID [--sessions N]   (a server of your own)
 *
 * Each run starts a fresh confabd (--auth none, a temporary database, no
 * per-address limit, heartbeats far off so nothing is closed), reads its
 * RSS (VmRSS of /proc/PID/status), opens N sessions one after another
 * (WebSocket upgrade, HELLO as its own user, WELCOME, JOIN of a room of K
 * sessions, JOINED), lets the server settle, reads its RSS again and prints
 * (after - before) / N. The last line is the median of the runs, in KB per
 * idle session. Rooms of K (default 100) keep the joins' presence fan-out
 * linear; a room's own state is then a hundredth of a session's.
 *
 * RLIMIT_NOFILE is raised to the hard limit here, and confabd inherits it:
 * 10,000 sessions are 10,000 descriptors on each side.
 *
 * Figures (KB per idle session, glibc malloc, loopback; 2,000 sessions,
 * one run, unless said):
 *   at the start                                  8.31 (10,000: 8.21)
 *   no input buffer kept while idle (conn.c's
 *   4 KB c->in freed once empty; a message whole
 *   in one slice goes to the hub from lws's
 *   buffer, an assembled one is freed)            3.33  (-5.0)
 *   struct session 736 -> 520 bytes (the pong,
 *   close reason and token allocated only while
 *   there is one)                                 3.08  (-0.25)
 *   10,000 sessions, median of 3 runs             2.96 (2.96, 2.96, 2.97)
 * What is left (massif, 1,000 sessions): lws's struct lws for the adopted
 * socket, 832 bytes (fixed by the library's build); struct session 520;
 * struct conn 192; the user (72) with its set of rooms (a GHashTable,
 * about 160) and its list of sessions; the session's subscriptions (a
 * GHashTable, about 100, and a struct sub of 56 with the room's name);
 * the session's and user's entries in the server's tables; presence.
 * A plain Node + ws server doing the same was measured at 8.9 KB.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int port;

static void
sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int
tcp(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {10, 0};
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool
put(int fd, const void *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p = (const char *)p + w;
		n -= (size_t)w;
	}
	return true;
}

static bool
get(int fd, void *p, size_t n)
{
	while (n > 0) {
		ssize_t r = recv(fd, p, n, 0);
		if (r <= 0)
			return false;
		p = (char *)p + r;
		n -= (size_t)r;
	}
	return true;
}

static bool
ws_text(int fd, const char *json)
{
	size_t n = strlen(json);
	unsigned char f[256];
	if (n > sizeof f - 8 || n >= 126)
		return false;
	f[0] = 0x81;
	f[1] = 0x80 | (unsigned char)n;
	memset(f + 2, 0, 4); /* a zero mask: the payload as it is */
	memcpy(f + 6, json, n);
	return put(fd, f, n + 6);
}

/* Reads messages until one holding what; false on a close, EOF, timeout. */
static bool
ws_expect(int fd, const char *what)
{
	static char *buf;
	static size_t cap;
	for (;;) {
		unsigned char h[2];
		if (!get(fd, h, 2))
			return false;
		uint64_t n = h[1] & 0x7f;
		if (n >= 126) {
			unsigned char x[8];
			size_t k = n == 126 ? 2 : 8;
			if (!get(fd, x, k))
				return false;
			n = 0;
			for (size_t i = 0; i < k; i++)
				n = n << 8 | x[i];
		}
		if (n + 1 > cap) {
			char *g = realloc(buf, n + 1);
			if (g == NULL)
				return false;
			buf = g;
			cap = n + 1;
		}
		if (!get(fd, buf, n))
			return false;
		buf[n] = '\0';
		int op = h[0] & 0x0f;
		if (op == 8)
			return false;
		if (op < 8 && strstr(buf, what) != NULL)
			return true;
	}
}

static int
session(int i, int room_size)
{
	int fd = tcp();
	if (fd < 0)
		return -1;
	static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: confab.v1\r\n\r\n";
	char head[1024];
	size_t len = 0;
	if (!put(fd, req, sizeof req - 1))
		goto bad;
	while (len < sizeof head - 1 && get(fd, head + len, 1)) {
		head[++len] = '\0';
		if (len >= 4 && memcmp(head + len - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	head[len] = '\0';
	if (strncmp(head, "HTTP/1.1 101", 12) != 0)
		goto bad;
	char f[128];
	snprintf(f, sizeof f, "{\"type\":\"HELLO\",\"user\":\"idle%d\"}", i);
	if (!ws_text(fd, f) || !ws_expect(fd, "\"WELCOME\""))
		goto bad;
	snprintf(f, sizeof f, "{\"type\":\"JOIN\",\"room\":\"idle%d\"}", i / room_size);
	if (!ws_text(fd, f) || !ws_expect(fd, "\"JOINED\""))
		goto bad;
	return fd;
bad:
	close(fd);
	return -1;
}

static long
rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* RSS once it has stopped moving (the last joins' fan-out done). */
static long
settled_rss(pid_t pid)
{
	long prev = rss_kb(pid), cur = prev;
	for (int i = 0; i < 50; i++) {
		sleep_ms(200);
		cur = rss_kb(pid);
		if (cur == prev && i >= 4)
			break;
		prev = cur;
	}
	return cur;
}

static char dir[64];

static pid_t
start_server(const char *server)
{
	snprintf(dir, sizeof dir, "/tmp/idle-sessions.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	char db[128], pf[128];
	snprintf(db, sizeof db, "%s/db", dir);
	snprintf(pf, sizeof pf, "%s/port", dir);
	pid_t pid = fork();
	if (pid == 0) {
		execl(server, server, "--listen", "127.0.0.1:0", "--db", db,
		    "--port-file", pf, "--auth", "none", "--sync", "normal",
		    "--log-level", "error", "--max-conns-per-ip", "0",
		    "--heartbeat-ms", "3600000", "--handshake-timeout", "600",
		    (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(pf, "r");
		if (f != NULL) {
			int p = 0;
			bool ok = fscanf(f, "%d", &p) == 1 && p > 0;
			fclose(f);
			if (ok) {
				port = p;
				return pid;
			}
		}
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		sleep_ms(20);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static void
stop_server(pid_t pid)
{
	kill(pid, SIGTERM);
	for (int i = 0; i < 500 && waitpid(pid, NULL, WNOHANG) != pid; i++)
		sleep_ms(20);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "idle-sessions: could not remove %s\n", dir);
}

/* One run: KB per session, or a negative number on failure. */
static double
run(pid_t pid, int n, int room_size)
{
	int *fds = calloc((size_t)n, sizeof *fds);
	if (fds == NULL)
		return -1;
	long before = settled_rss(pid);
	int opened = 0;
	for (int i = 0; i < n; i++) {
		fds[i] = session(i, room_size);
		if (fds[i] < 0) {
			fprintf(stderr, "idle-sessions: session %d failed (%s)\n",
			    i, strerror(errno));
			break;
		}
		opened++;
	}
	long after = settled_rss(pid);
	double per = opened == n ? (double)(after - before) / n : -1;
	printf("run: %d sessions, RSS %ld -> %ld KB: %.2f KB per session\n",
	    opened, before, after, per);
	fflush(stdout);
	for (int i = 0; i < opened; i++)
		close(fds[i]);
	free(fds);
	return per;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	const char *server = NULL;
	int n = 10000, runs = 3, room_size = 100;
	pid_t pid = 0;
	static const struct option opts[] = {
		{"server", required_argument, NULL, 's'},
		{"sessions", required_argument, NULL, 'n'},
		{"runs", required_argument, NULL, 'r'},
		{"room-size", required_argument, NULL, 'k'},
		{"port", required_argument, NULL, 'p'},
		{"pid", required_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': server = optarg; break;
		case 'n': n = atoi(optarg); break;
		case 'r': runs = atoi(optarg); break;
		case 'k': room_size = atoi(optarg); break;
		case 'p': port = atoi(optarg); break;
		case 'P': pid = (pid_t)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: idle-sessions --server PATH "
			    "[--sessions N] [--runs R] [--room-size K]\n"
			    "       idle-sessions --port P --pid PID [--sessions N]\n");
			return 2;
		}
	}
	if (n <= 0 || runs <= 0 || room_size <= 0 || runs > 99 ||
	    (server == NULL && (port <= 0 || pid <= 0))) {
		fprintf(stderr, "idle-sessions: --server, or --port and --pid\n");
		return 2;
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
		fprintf(stderr, "idle-sessions: %d sessions need %d descriptors, "
		    "the limit is %lu\n", n, n + 64, (unsigned long)rl.rlim_cur);
		return 1;
	}
	double per[99];
	int got = 0;
	for (int r = 0; r < (server != NULL ? runs : 1); r++) {
		if (server != NULL) {
			pid = start_server(server);
			if (pid < 0) {
				fprintf(stderr, "idle-sessions: %s did not start\n", server);
				return 1;
			}
		}
		double k = run(pid, n, room_size);
		if (server != NULL)
			stop_server(pid);
		if (k < 0)
			return 1;
		per[got++] = k;
	}
	qsort(per, (size_t)got, sizeof *per, cmp);
	printf("idle_kb_per_session %.2f (median of %d, %d sessions)\n",
	    per[got / 2], got, n);
	return 0;
}
