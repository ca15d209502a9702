/*
 * hostile: clients of every hostile kind against one confabd, for a while.
 * bench/soak-run.sh runs it beside loadgen's honest clients and reads what
 * those still get; this program only attacks and counts what it was
 * answered.
 *
 *   hostile --port P --duration SECONDS [--each N] [--fds N] [--setup-only]
 *           [--no-setup]
 *
 * Setup (unless --no-setup): room "big" gets 300 messages of 4,000 x
 * U+0001 (24 KB each in JSON) and its document "heavy" 500 operations of
 * 3,999 components. Then N clients of each kind, one thread each, until the
 * time is up:
 *
 *   http     pipelined POSTs with bodies, a duplicate Content-Length, an
 *            h2c upgrade, an upgrade without confab.v1, kept-alive GETs
 *   frames   a session sending an unmasked frame or a close of one byte
 *            (completed: closed 1002), or \uZZZZ and control bytes before
 *            the object, then a close of its own (completed: echoed)
 *   heavy    DOC_OPEN + DOC_CLOSE of the heavy document, a DOC_OP made
 *            300 revisions back, DOC_GET of an old revision
 *   bigread  JOIN "big" since 0 (7 MB of replay) read to the end; HISTORY
 *            of 200 of them
 *   stall    joins the busy room (loadgen's "bench") and asks HISTORY of
 *            "big", then reads and sends nothing for 8 s (the soak's
 *            heartbeats are 3 s), then reads to the end
 *   fds      (--fds N connections, one thread) holds idle connections
 *            open, opening new ones as the server closes them
 *
 * Each thread uses blocking sockets with timeouts. Output: a line per kind
 * (rounds, and what ended them), then one JSON object.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
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

#define BIG_COUNT 300
#define BIG_CPS 4000
#define HEAVY_OPS 500
#define HEAVY_UNITS 1333

static int port;
static double duration = 10;
static atomic_bool stop;

enum kind { K_HTTP, K_FRAMES, K_HEAVY, K_BIGREAD, K_STALL, K_FDS, K_COUNT };
static const char *const kind_names[K_COUNT] = {"http", "frames", "heavy",
    "bigread", "stall", "fds"};

struct tally {
	atomic_long rounds, refused, closed_1002, closed_4001, closed_4002,
	    closed_other, eof, timeouts, completed;
};
static struct tally tallies[K_COUNT];

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- sockets ------------------------------------------------------------- */

static int
tcp(int timeout_ms)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
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

/* Reads until EOF or timeout; the first bytes in buf. */
static size_t
drain(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	char tmp[4096];
	ssize_t r;
	while ((r = recv(fd, tmp, sizeof tmp, 0)) > 0) {
		size_t k = len + (size_t)r < cap - 1 ? (size_t)r : cap - 1 - len;
		memcpy(buf + len, tmp, k);
		len += k;
	}
	buf[len] = '\0';
	return len;
}

/* ---- WebSocket ------------------------------------------------------------- */

static int
ws_open(const char *protocols)
{
	int fd = tcp(5000);
	if (fd < 0)
		return -1;
	char req[512];
	int n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n\r\n",
	    protocols);
	char head[1024];
	size_t len = 0;
	if (!put(fd, req, (size_t)n))
		goto bad;
	while (len < sizeof head - 1 && get(fd, head + len, 1)) {
		head[++len] = '\0';
		if (len >= 4 && memcmp(head + len - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	head[len] = '\0';
	if (strncmp(head, "HTTP/1.1 101", 12) == 0)
		return fd;
bad:
	close(fd);
	return -1;
}

static bool
ws_send(int fd, unsigned char b0, const char *p, size_t n, bool unmasked)
{
	unsigned char *f = malloc(n + 14);
	size_t h = 0;
	f[h++] = b0;
	unsigned char m = unmasked ? 0 : 0x80;
	if (n < 126) {
		f[h++] = m | (unsigned char)n;
	} else if (n < 65536) {
		f[h++] = m | 126;
		f[h++] = (unsigned char)(n >> 8);
		f[h++] = (unsigned char)n;
	} else {
		f[h++] = m | 127;
		for (int k = 7; k >= 0; k--)
			f[h++] = (unsigned char)((uint64_t)n >> (8 * k));
	}
	if (!unmasked) {
		memset(f + h, 0, 4); /* a zero key: the payload as it is */
		h += 4;
	}
	memcpy(f + h, p, n);
	bool ok = put(fd, f, h + n);
	free(f);
	return ok;
}

static bool
ws_text(int fd, const char *json)
{
	return ws_send(fd, 0x81, json, strlen(json), false);
}

/* The next message (fragments joined) into *out (malloc'd); its opcode,
 * 8 for a close (*code set), -1 on EOF or timeout. */
static int
ws_next(int fd, char **out, size_t *len, int *code)
{
	char *msg = NULL;
	size_t mlen = 0;
	for (;;) {
		unsigned char h[2];
		if (!get(fd, h, 2))
			break;
		uint64_t n = h[1] & 0x7f;
		if (n >= 126) {
			unsigned char x[8];
			size_t k = n == 126 ? 2 : 8;
			if (!get(fd, x, k))
				break;
			n = 0;
			for (size_t i = 0; i < k; i++)
				n = n << 8 | x[i];
		}
		char *g = realloc(msg, mlen + n + 1);
		if (g == NULL || !get(fd, g + mlen, n)) {
			msg = g;
			break;
		}
		msg = g;
		int op = h[0] & 0x0f;
		if (op == 8) {
			*code = n >= 2 ? (unsigned char)msg[mlen] << 8 |
			    (unsigned char)msg[mlen + 1] : 1005;
			free(msg);
			return 8;
		}
		if (op >= 8)
			continue; /* ping, pong */
		mlen += n;
		if (h[0] & 0x80) {
			msg[mlen] = '\0';
			*out = msg;
			*len = mlen;
			return 1;
		}
	}
	free(msg);
	return -1;
}

/* Reads until a message holding what (kept in *got when got is given);
 * false on a close (counted), EOF or timeout. */
static bool
ws_expect_msg(int fd, const char *what, struct tally *t, char **got)
{
	for (;;) {
		char *m;
		size_t n;
		int code = 0;
		int op = ws_next(fd, &m, &n, &code);
		if (op == 8) {
			if (code == 1002 || code == 1007)
				t->closed_1002++;
			else if (code == 4001)
				t->closed_4001++;
			else if (code == 4002)
				t->closed_4002++;
			else
				t->closed_other++;
			return false;
		}
		if (op < 0) {
			t->eof++;
			return false;
		}
		bool hit = strstr(m, what) != NULL;
		if (hit && got != NULL) {
			*got = m;
			return true;
		}
		free(m);
		if (hit)
			return true;
	}
}

static bool
ws_expect(int fd, const char *what, struct tally *t)
{
	return ws_expect_msg(fd, what, t, NULL);
}

/* Reads to the server's close: its code, or -1 (EOF, timeout). */
static int
ws_close_code(int fd)
{
	for (;;) {
		char *m;
		size_t n;
		int code = 0, op = ws_next(fd, &m, &n, &code);
		if (op == 8)
			return code;
		if (op < 0)
			return -1;
		free(m);
	}
}

static int
session(const char *user, struct tally *t)
{
	int fd = ws_open("confab.v1");
	if (fd < 0) {
		t->refused++;
		return -1;
	}
	char hello[96];
	snprintf(hello, sizeof hello, "{\"type\":\"HELLO\",\"user\":\"%s\"}", user);
	if (!ws_text(fd, hello) || !ws_expect(fd, "\"WELCOME\"", t)) {
		close(fd);
		return -1;
	}
	return fd;
}

static char *
control_text(size_t cps)
{
	char *s = malloc(6 * cps + 1);
	for (size_t i = 0; i < cps; i++)
		memcpy(s + 6 * i, "\\u0001", 6);
	s[6 * cps] = '\0';
	return s;
}

/* [1,"x",-1, ...] on 2 * HEAVY_UNITS characters */
static char *
heavy_op(char c)
{
	char *s = malloc(16 * HEAVY_UNITS + 3), *p = s;
	*p++ = '[';
	for (int i = 0; i < HEAVY_UNITS; i++)
		p += sprintf(p, "1,\"%c\",-1,", c);
	p[-1] = ']';
	*p = '\0';
	return s;
}

/* ---- the kinds --------------------------------------------------------- */

static void
http_round(struct tally *t, int i)
{
	static const char *const reqs[] = {
		"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"
		    "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx",
		"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
		    "Content-Length: 30\r\n\r\nx",
		"GET /health HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n"
		    "Connection: Upgrade, HTTP2-Settings, close\r\n"
		    "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
		"GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
		    "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	};
	int fd = tcp(3000);
	if (fd < 0) {
		t->refused++;
		return;
	}
	const char *r = reqs[i % (sizeof reqs / sizeof *reqs)];
	char buf[256];
	if (put(fd, r, strlen(r)) && drain(fd, buf, sizeof buf) > 0)
		t->completed++;
	else
		t->timeouts++;
	close(fd);
}

static void
frames_round(struct tally *t, int i, const char *user)
{
	int fd = session(user, t);
	if (fd < 0)
		return;
	static const char hb[] = "{\"type\":\"HEARTBEAT\"}";
	int want;
	switch (i % 3) {
	case 0:
		ws_send(fd, 0x81, hb, sizeof hb - 1, true);
		want = 1002;
		break;
	case 1:
		ws_send(fd, 0x88, "\x03", 1, false);
		want = 1002;
		break;
	default:
		/* bad_json keeps the session: then a close of our own, echoed */
		for (int k = 0; k < 20; k++) {
			ws_text(fd, "{\"type\":\"MESSAGE\",\"cid\":\"z3\\uZZZZ\",\"room\":\"big\","
			    "\"text\":\"visible\\uZZZZhidden\"}");
			ws_send(fd, 0x81, "\x01{\"type\":\"HEARTBEAT\"}", 21, false);
		}
		ws_send(fd, 0x88, "\x0f\xa0", 2, false);
		want = 4000;
	}
	int code = ws_close_code(fd);
	if (code == want)
		t->completed++;
	else if (code < 0)
		t->eof++;
	else
		t->closed_other++;
	if (code == 1002)
		t->closed_1002++;
	close(fd);
}

static void
heavy_round(struct tally *t, int i, const char *user)
{
	int fd = session(user, t);
	if (fd < 0)
		return;
	if (!ws_text(fd, "{\"type\":\"JOIN\",\"room\":\"big\"}") ||
	    !ws_expect(fd, "\"JOINED\"", t))
		goto out;
	switch (i % 3) {
	case 0:
		ws_text(fd, "{\"type\":\"DOC_OPEN\",\"room\":\"big\",\"doc\":\"heavy\"}");
		if (ws_expect(fd, "\"DOC_STATE\"", t))
			t->completed++;
		ws_text(fd, "{\"type\":\"DOC_CLOSE\",\"room\":\"big\",\"doc\":\"heavy\"}");
		break;
	case 1: {
		/* an edit made 40 revisions back: a transform job */
		char *st = NULL;
		ws_text(fd, "{\"type\":\"DOC_OPEN\",\"room\":\"big\",\"doc\":\"heavy\"}");
		if (!ws_expect_msg(fd, "\"DOC_STATE\"", t, &st))
			break;
		const char *r = strstr(st, "\"rev\":");
		long head = r ? atol(r + 6) : 0;
		free(st);
		char *op = heavy_op('q'), *f = malloc(strlen(op) + 256), cid[64];
		snprintf(cid, sizeof cid, "\"cid\":\"late%d-%s\"", i, user);
		sprintf(f, "{\"type\":\"DOC_OP\",%s,\"room\":\"big\",\"doc\":\"heavy\","
		    "\"rev\":%ld,\"op\":%s}", cid, head > 40 ? head - 40 : 1, op);
		ws_text(fd, f);
		free(op);
		free(f);
		/* an ACK, or rev_too_old should the log not reach */
		if (ws_expect(fd, cid, t))
			t->completed++;
		break;
	}
	default:
		ws_text(fd, "{\"type\":\"DOC_GET\",\"room\":\"big\",\"doc\":\"heavy\",\"rev\":199}");
		if (ws_expect(fd, "\"DOC_TEXT\"", t))
			t->completed++;
	}
out:
	close(fd);
}

static void
bigread_round(struct tally *t, int i, const char *user)
{
	int fd = session(user, t);
	if (fd < 0)
		return;
	bool ok;
	if (i % 2 == 0) {
		ok = ws_text(fd, "{\"type\":\"JOIN\",\"room\":\"big\",\"since\":0}") &&
		    ws_expect(fd, "\"JOINED\"", t);
		char last[64];
		snprintf(last, sizeof last, "\"seq\":%d,", BIG_COUNT);
		ok = ok && ws_expect(fd, last, t);
	} else {
		ok = ws_text(fd, "{\"type\":\"JOIN\",\"room\":\"big\"}") &&
		    ws_expect(fd, "\"JOINED\"", t) &&
		    ws_text(fd, "{\"type\":\"HISTORY\",\"room\":\"big\",\"limit\":200}") &&
		    ws_expect(fd, "\"HISTORY\"", t);
	}
	if (ok)
		t->completed++;
	close(fd);
}

static void
stall_round(struct tally *t, int i, const char *user)
{
	(void)i;
	int fd = session(user, t);
	if (fd < 0)
		return;
	int small = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	ws_text(fd, "{\"type\":\"JOIN\",\"room\":\"bench\"}"); /* loadgen's */
	ws_text(fd, "{\"type\":\"JOIN\",\"room\":\"big\"}");
	ws_text(fd, "{\"type\":\"HISTORY\",\"room\":\"big\",\"limit\":200}");
	/* silent and not reading for 8 s (past two heartbeats), then reading
	 * what it was sent: the server has dropped it meanwhile */
	double until = now_s() + 8;
	while (!stop && now_s() < until)
		usleep(100 * 1000);
	ws_expect(fd, "\x01never", t);
	close(fd);
}

struct worker {
	enum kind kind;
	int index;
};

static void *
run(void *arg)
{
	struct worker *w = arg;
	struct tally *t = &tallies[w->kind];
	char user[32];
	for (int i = 0; !stop; i++) {
		snprintf(user, sizeof user, "%s%d", kind_names[w->kind], w->index);
		t->rounds++;
		switch (w->kind) {
		case K_HTTP: http_round(t, i); break;
		case K_FRAMES: frames_round(t, i, user); break;
		case K_HEAVY: heavy_round(t, i, user); break;
		case K_BIGREAD: bigread_round(t, i, user); break;
		case K_STALL: stall_round(t, i, user); break;
		default: break;
		}
	}
	return NULL;
}

/* Holds n idle connections; reopens those the server closes. */
static void *
run_fds(void *arg)
{
	int n = *(int *)arg;
	struct tally *t = &tallies[K_FDS];
	int *fds = calloc((size_t)n, sizeof *fds);
	for (int i = 0; i < n; i++)
		fds[i] = -1;
	while (!stop) {
		for (int i = 0; i < n && !stop; i++) {
			if (fds[i] >= 0) {
				char c;
				ssize_t r = recv(fds[i], &c, 1, MSG_DONTWAIT);
				if (r == 0 || (r < 0 && errno != EAGAIN)) {
					close(fds[i]);
					fds[i] = -1;
					t->eof++;
				}
			}
			if (fds[i] < 0) {
				t->rounds++;
				fds[i] = tcp(1000);
				if (fds[i] < 0)
					t->refused++;
			}
		}
		usleep(100 * 1000);
	}
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return NULL;
}

/* ---- setup --------------------------------------------------------------- */

static int
setup(void)
{
	struct tally t = {0};
	int fd = session("builder", &t);
	if (fd < 0 || !ws_text(fd, "{\"type\":\"JOIN\",\"room\":\"big\"}") ||
	    !ws_expect(fd, "\"JOINED\"", &t))
		return -1;
	char *text = control_text(BIG_CPS), *f = malloc(strlen(text) + 128);
	for (int i = 0; i < BIG_COUNT; i++) {
		sprintf(f, "{\"type\":\"MESSAGE\",\"cid\":\"big%d\",\"room\":\"big\","
		    "\"text\":\"%s\"}", i, text);
		if (!ws_text(fd, f) || !ws_expect(fd, "\"ACK\"", &t))
			return -1;
	}
	free(text);
	free(f);
	ws_text(fd, "{\"type\":\"DOC_OPEN\",\"room\":\"big\",\"doc\":\"heavy\"}");
	if (!ws_expect(fd, "\"DOC_STATE\"", &t))
		return -1;
	char init[2 * HEAVY_UNITS + 160];
	int n = sprintf(init, "{\"type\":\"DOC_OP\",\"cid\":\"h0\",\"room\":\"big\","
	    "\"doc\":\"heavy\",\"rev\":0,\"op\":[\"");
	memset(init + n, 'a', 2 * HEAVY_UNITS);
	strcpy(init + n + 2 * HEAVY_UNITS, "\"]}");
	if (!ws_text(fd, init) || !ws_expect(fd, "\"ACK\"", &t))
		return -1;
	char *op = heavy_op('b');
	f = malloc(strlen(op) + 160);
	for (int i = 0; i < HEAVY_OPS; i++) {
		sprintf(f, "{\"type\":\"DOC_OP\",\"cid\":\"h%d\",\"room\":\"big\","
		    "\"doc\":\"heavy\",\"rev\":%d,\"op\":%s}", i + 1, i + 1, op);
		if (!ws_text(fd, f) || !ws_expect(fd, "\"ACK\"", &t))
			return -1;
	}
	free(op);
	free(f);
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	int each = 2, nfds = 0;
	bool setup_only = false, no_setup = false;
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"duration", required_argument, NULL, 'd'},
		{"each", required_argument, NULL, 'n'},
		{"fds", required_argument, NULL, 'f'},
		{"setup-only", no_argument, NULL, 's'},
		{"no-setup", no_argument, NULL, 'S'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': port = atoi(optarg); break;
		case 'd': duration = atof(optarg); break;
		case 'n': each = atoi(optarg); break;
		case 'f': nfds = atoi(optarg); break;
		case 's': setup_only = true; break;
		case 'S': no_setup = true; break;
		default:
			fprintf(stderr, "usage: hostile --port P --duration S [--each N] "
			    "[--fds N] [--setup-only|--no-setup]\n");
			return 2;
		}
	}
	if (port <= 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if (!no_setup) {
		double t0 = now_s();
		if (setup() != 0) {
			fprintf(stderr, "hostile: setup failed\n");
			return 1;
		}
		fprintf(stderr, "hostile: setup done in %.1f s\n", now_s() - t0);
	}
	if (setup_only)
		return 0;
	int nworkers = each * (K_COUNT - 1);
	pthread_t *th = calloc((size_t)nworkers + 1, sizeof *th);
	struct worker *ws = calloc((size_t)nworkers, sizeof *ws);
	for (int i = 0; i < nworkers; i++) {
		ws[i] = (struct worker){(enum kind)(i / each), i % each};
		pthread_create(&th[i], NULL, run, &ws[i]);
	}
	if (nfds > 0)
		pthread_create(&th[nworkers], NULL, run_fds, &nfds);
	usleep((useconds_t)(duration * 1e6));
	stop = true;
	/* a round under way ends within its timeouts; one that does not is
	 * left behind rather than waited on */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 15;
	int stuck = 0;
	for (int i = 0; i < nworkers + (nfds > 0); i++)
		stuck += pthread_timedjoin_np(th[i], NULL, &until) != 0;
	if (stuck > 0)
		fprintf(stderr, "hostile: %d clients still busy at the end\n", stuck);
	printf("kind      rounds completed refused closed_1002 closed_4001 "
	    "closed_4002 closed_other eof\n");
	for (int k = 0; k < K_COUNT; k++) {
		struct tally *t = &tallies[k];
		printf("%-8s %7ld %9ld %7ld %11ld %11ld %11ld %12ld %5ld\n", kind_names[k],
		    t->rounds, t->completed, t->refused, t->closed_1002, t->closed_4001,
		    t->closed_4002, t->closed_other, t->eof);
	}
	printf("{");
	for (int k = 0; k < K_COUNT; k++)
		printf("%s\"%s_rounds\":%ld,\"%s_completed\":%ld", k ? "," : "",
		    kind_names[k], (long)tallies[k].rounds, kind_names[k],
		    (long)tallies[k].completed);
	printf("}\n");
	fflush(stdout);
	_exit(0); /* threads left behind end with the process */
}
