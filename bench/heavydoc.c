/*
 * heavydoc: how long a heavy shared document holds everyone else up.
 *
 *   heavydoc --port P [--pid PID] [--ops N] [--units U]
 *
 * Builds document "heavy" in room "lobby": one insert of 2U characters,
 * then N operations of 3U components each ([1,"x",-1] U times: every second
 * character replaced), and closes it so that it is unloaded. Then, while a
 * probe session ping-pongs HEARTBEATs without pause on its own connection,
 * a second session asks for the heavy things one after another:
 *
 *   open      DOC_OPEN of the unloaded document (it loads)
 *   open x3   three DOC_OPEN + DOC_CLOSE pairs
 *   late op   a DOC_OP made on revision 2 (transformed against the rest,
 *             or refused as too old when the log does not reach back)
 *   get       DOC_GET of the revision 99 after the newest snapshot below
 *             the head (a rebuild of 99 operations)
 *
 * For each: how long the request took, and the probe's HEARTBEAT round
 * trips that overlap it (count, p50, p99, max; a loop that stalls shows as
 * one long round trip), and confabd's RSS after it (with --pid). The
 * document stays open from the first open to the get; "open x3" closes and
 * opens it three times last. The last line is one JSON object.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port, server_pid, ops = 2000, units = 6000;

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
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

static int
ws_open(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {600, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
		return -1;
	static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: confab.v1\r\n\r\n";
	put(fd, req, sizeof req - 1);
	char head[1024];
	size_t len = 0;
	while (len < sizeof head - 1 && get(fd, head + len, 1)) {
		head[++len] = '\0';
		if (len >= 4 && memcmp(head + len - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	return strncmp(head, "HTTP/1.1 101", 12) == 0 ? fd : -1;
}

static void
ws_text(int fd, const char *s)
{
	size_t n = strlen(s);
	unsigned char h[14];
	size_t hl = 0;
	h[hl++] = 0x81;
	if (n < 126) {
		h[hl++] = 0x80 | (unsigned char)n;
	} else if (n < 65536) {
		h[hl++] = 0x80 | 126;
		h[hl++] = (unsigned char)(n >> 8);
		h[hl++] = (unsigned char)n;
	} else {
		h[hl++] = 0x80 | 127;
		for (int k = 7; k >= 0; k--)
			h[hl++] = (unsigned char)((uint64_t)n >> (8 * k));
	}
	memset(h + hl, 0, 4);
	hl += 4;
	/* one send: a header alone would wait for the peer's delayed ACK */
	char *f = malloc(hl + n);
	memcpy(f, h, hl);
	memcpy(f + hl, s, n);
	put(fd, f, hl + n);
	free(f);
}

/* The next message holding what (malloc'd), fragments joined; NULL on EOF. */
static char *
ws_expect(int fd, const char *what)
{
	char *msg = NULL;
	size_t mlen = 0;
	for (;;) {
		unsigned char h[2];
		if (!get(fd, h, 2))
			return NULL;
		uint64_t n = h[1] & 0x7f;
		if (n >= 126) {
			unsigned char x[8];
			size_t k = n == 126 ? 2 : 8;
			if (!get(fd, x, k))
				return NULL;
			n = 0;
			for (size_t i = 0; i < k; i++)
				n = n << 8 | x[i];
		}
		msg = realloc(msg, mlen + n + 1);
		if (!get(fd, msg + mlen, n))
			return NULL;
		int op = h[0] & 0x0f;
		if (op == 8) {
			fprintf(stderr, "heavydoc: the server closed a session\n");
			exit(1);
		}
		if (op >= 8)
			continue;
		mlen += n;
		if (!(h[0] & 0x80))
			continue;
		msg[mlen] = '\0';
		if (strstr(msg, what) != NULL)
			return msg;
		mlen = 0;
	}
}

static int
session(const char *user)
{
	int fd = ws_open();
	if (fd < 0) {
		fprintf(stderr, "heavydoc: cannot connect\n");
		exit(1);
	}
	char s[128];
	snprintf(s, sizeof s, "{\"type\":\"HELLO\",\"user\":\"%s\"}", user);
	ws_text(fd, s);
	free(ws_expect(fd, "\"WELCOME\""));
	ws_text(fd, "{\"type\":\"JOIN\",\"room\":\"lobby\"}");
	free(ws_expect(fd, "\"JOINED\""));
	return fd;
}

static char *
heavy_op(int rev, char c)
{
	char *s = malloc(16 * (size_t)units + 200), *p = s;
	p += sprintf(p, "{\"type\":\"DOC_OP\",\"cid\":\"c%d\",\"room\":\"lobby\","
	    "\"doc\":\"heavy\",\"rev\":%d,\"op\":[", rev, rev);
	for (int i = 0; i < units; i++)
		p += sprintf(p, "1,\"%c\",-1,", c);
	strcpy(p - 1, "]}");
	return s;
}

/* ---- the probe ------------------------------------------------------------ */

static int probe_fd;
static atomic_bool probe_stop;
static double *rtt_at, *rtt_end, *rtt;
static atomic_size_t nrtt;
#define RTT_MAX 4000000

static void *
probe(void *arg)
{
	(void)arg;
	while (!probe_stop) {
		double t0 = now_ms();
		ws_text(probe_fd, "{\"type\":\"HEARTBEAT\"}");
		free(ws_expect(probe_fd, "\"HEARTBEAT\""));
		size_t i = nrtt;
		if (i < RTT_MAX) {
			double t1 = now_ms();
			rtt_at[i] = t0;
			rtt_end[i] = t1;
			rtt[i] = t1 - t0;
			nrtt = i + 1;
		}
	}
	return NULL;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static long
rss_kb(void)
{
	if (server_pid <= 0)
		return -1;
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", server_pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static char json[4096];

/* The probe's round trips that overlap [t0, t1]; one still under way at t1
 * counts as long as it has been so far. */
static void
report(const char *name, double t0, double t1)
{
	/* let a round trip under way at t1 end (or show it is stuck) */
	usleep(50 * 1000);
	size_t n = nrtt, k = 0;
	double *v = malloc((n + 2) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		if (rtt_at[i] <= t1 && rtt_end[i] >= t0)
			v[k++] = rtt[i];
	qsort(v, k, sizeof *v, cmp);
	double p50 = k ? v[k / 2] : 0, p99 = k ? v[(k * 99) / 100] : 0,
	    max = k ? v[k - 1] : 0;
	long rss = rss_kb();
	printf("%-8s %10.1f ms   probe: %6zu round trips  p50 %7.2f  p99 %8.2f  "
	    "max %8.2f ms   rss %ld kB\n", name, t1 - t0, k, p50, p99, max, rss);
	size_t used = strlen(json);
	snprintf(json + used, sizeof json - used, "%s\"%s\":{\"ms\":%.1f,\"probe_n\":%zu,"
	    "\"probe_p99_ms\":%.2f,\"probe_max_ms\":%.2f,\"rss_kb\":%ld}",
	    used > 1 ? "," : "", name, t1 - t0, k, p99, max, rss);
	free(v);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"pid", required_argument, NULL, 'P'},
		{"ops", required_argument, NULL, 'o'},
		{"units", required_argument, NULL, 'u'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': port = atoi(optarg); break;
		case 'P': server_pid = atoi(optarg); break;
		case 'o': ops = atoi(optarg); break;
		case 'u': units = atoi(optarg); break;
		default: return 2;
		}
	}
	if (port <= 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	rtt_at = malloc(RTT_MAX * sizeof *rtt_at);
	rtt_end = malloc(RTT_MAX * sizeof *rtt_end);
	rtt = malloc(RTT_MAX * sizeof *rtt);

	double t = now_ms();
	int w = session("writer");
	ws_text(w, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"heavy\"}");
	free(ws_expect(w, "\"DOC_STATE\""));
	char *init = malloc(2 * (size_t)units + 200);
	int n = sprintf(init, "{\"type\":\"DOC_OP\",\"cid\":\"c0\",\"room\":\"lobby\","
	    "\"doc\":\"heavy\",\"rev\":0,\"op\":[\"");
	memset(init + n, 'a', 2 * (size_t)units);
	strcpy(init + n + 2 * units, "\"]}");
	ws_text(w, init);
	free(init);
	free(ws_expect(w, "\"ACK\""));
	for (int i = 1; i <= ops; i++) {
		char *op = heavy_op(i, (char)('b' + i % 20));
		ws_text(w, op);
		free(op);
		free(ws_expect(w, "\"ACK\""));
	}
	ws_text(w, "{\"type\":\"DOC_CLOSE\",\"room\":\"lobby\",\"doc\":\"heavy\",\"cid\":\"x\"}");
	free(ws_expect(w, "\"ACK\""));
	close(w);
	printf("built    %10.1f ms   %d operations of %d components on %d characters, "
	    "rss %ld kB\n", now_ms() - t, ops, 3 * units, 2 * units, rss_kb());
	strcpy(json, "{");

	probe_fd = session("probe");
	int h = session("heavy");
	pthread_t th;
	pthread_create(&th, NULL, probe, NULL);
	usleep(200 * 1000);

	t = now_ms();
	ws_text(h, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"heavy\"}");
	char *st = ws_expect(h, "\"DOC_STATE\"");
	report("open", t, now_ms());
	const char *r = strstr(st, "\"rev\":");
	int head = r ? atoi(r + 6) : ops + 1;
	free(st);

	t = now_ms();
	char *late = heavy_op(2, 'q');
	char *cid = strstr(late, "\"c2\"");
	memcpy(cid, "\"L2\"", 4);
	ws_text(h, late);
	free(late);
	char *ans = ws_expect(h, "\"L2\"");
	bool refused = strstr(ans, "rev_too_old") != NULL;
	report(refused ? "late_op_refused" : "late_op", t, now_ms());
	free(ans);
	head += !refused;

	/* 99 operations after a snapshot (one every 100 revisions) */
	int rev = (head - 1) / 100 * 100 - 1;
	char get_req[160];
	snprintf(get_req, sizeof get_req, "{\"type\":\"DOC_GET\",\"room\":\"lobby\","
	    "\"doc\":\"heavy\",\"rev\":%d}", rev);
	t = now_ms();
	ws_text(h, get_req);
	free(ws_expect(h, "\"DOC_TEXT\""));
	report("get", t, now_ms());

	t = now_ms();
	for (int i = 0; i < 3; i++) {
		ws_text(h, "{\"type\":\"DOC_CLOSE\",\"room\":\"lobby\",\"doc\":\"heavy\",\"cid\":\"z\"}");
		free(ws_expect(h, "\"ACK\""));
		ws_text(h, "{\"type\":\"DOC_OPEN\",\"room\":\"lobby\",\"doc\":\"heavy\"}");
		free(ws_expect(h, "\"DOC_STATE\""));
	}
	report("open_x3", t, now_ms());

	probe_stop = true;
	pthread_join(th, NULL);
	strcat(json, "}");
	puts(json);
	return 0;
}
