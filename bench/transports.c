/*
 * transports: the same fan-out load carried to the receivers over each
 * client transport (WebSocket, SSE + POST, long polling), through the
 * client's own net/conn. One sender (a WebSocket) posts messages to a room
 * with a window of unacknowledged ones; R receivers on the transport under
 * test read them. Prints messages delivered per second and the p50/p99
 * latency from send to delivery, then, with --pid, the server's resident
 * memory per idle SSE session (K sessions opened and left idle).
 *
 *   transports --port P [--pid PID] [--receivers 20] [--messages 2000]
 *              [--window 20] [--idle 200] [--idle-transport sse|ws|poll]
 *              [--no-load]  (only the idle sessions, on a fresh server)
 * (bench/transports-run.sh starts a confabd for it.)
 */
#include <cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/xmalloc.h"
#include "net/conn.h"

struct peer {
	struct conn *c;
	char user[32];
	bool joined;
	bool sender;
};

static struct lws_context *ctx;
static lws_sorted_usec_list_t wake;
static int64_t *lat;           /* latencies (us) of every delivery */
static size_t nlat, caplat;
static int acked, sent, total, window_, run_id;
static struct peer *sender_peer;

static int64_t
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void on_wake(lws_sorted_usec_list_t *s) { (void)s; }

static void
pump_once(void)
{
	lws_sul_schedule(ctx, 0, &wake, on_wake, 5 * 1000);
	lws_service(ctx, 0);
}

static void
send_text(struct peer *p, const char *t)
{
	if (!conn_send(p->c, t, strlen(t)))
		fprintf(stderr, "%s: cannot send\n", p->user);
}

static void
send_next(void)
{
	while (sent < total && sent - acked < window_) {
		char f[160];
		snprintf(f, sizeof f, "{\"type\":\"MESSAGE\",\"room\":\"bench\","
		    "\"cid\":\"m%d.%d\",\"text\":\"t=%lld\"}", run_id, sent,
		    (long long)now_us());
		send_text(sender_peer, f);
		sent++;
	}
}

static void
ev_opened(void *ud)
{
	struct peer *p = ud;
	char f[160];
	snprintf(f, sizeof f, "{\"type\":\"HELLO\",\"user\":\"%s\"}", p->user);
	send_text(p, f);
}

static void
ev_frame(void *ud, const char *text, size_t len)
{
	struct peer *p = ud;
	cJSON *f = cJSON_ParseWithLength(text, len);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(f, "type"));
	if (type == NULL) {
		cJSON_Delete(f);
		return;
	}
	if (strcmp(type, "WELCOME") == 0)
		send_text(p, "{\"type\":\"JOIN\",\"room\":\"bench\"}");
	else if (strcmp(type, "JOINED") == 0)
		p->joined = true;
	else if (strcmp(type, "ACK") == 0 && p->sender) {
		acked++;
		send_next();
	} else if (strcmp(type, "MESSAGE") == 0 && !p->sender) {
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(f, "text"));
		if (t != NULL && strncmp(t, "t=", 2) == 0) {
			if (nlat == caplat)
				xgrow(&lat, &caplat, nlat + 1, sizeof *lat);
			lat[nlat++] = now_us() - strtoll(t + 2, NULL, 10);
		}
	}
	cJSON_Delete(f);
}

static const struct conn_events events = {ev_opened, ev_frame, NULL};

static void
peer_open(struct peer *p, int port, const char *user, const char *tr)
{
	char url[64], err[256];
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/", port);
	snprintf(p->user, sizeof p->user, "%s", user);
	struct conn_options o = {.url = url, .transport = tr, .seed = 1};
	p->c = conn_new(ctx, &o, &events, p, err, sizeof err);
	if (p->c == NULL) {
		fprintf(stderr, "transports: %s\n", err);
		exit(1);
	}
	conn_reconnect_now(p->c);
}

static bool
all_joined(struct peer *ps, int n)
{
	for (int i = 0; i < n; i++)
		if (!ps[i].joined)
			return false;
	return true;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void
run(int port, const char *tr, int receivers, int messages, int run_no)
{
	struct peer *ps = xcalloc((size_t)receivers + 1, sizeof *ps);
	for (int i = 0; i < receivers; i++) {
		char u[32];
		snprintf(u, sizeof u, "r%d_%s%d", i, tr, run_no);
		peer_open(&ps[i], port, u, tr);
	}
	struct peer *s = &ps[receivers];
	s->sender = true;
	peer_open(s, port, "sender", "ws");
	int64_t end = now_us() + 30 * 1000000LL;
	while (!all_joined(ps, receivers + 1) && now_us() < end)
		pump_once();
	if (!all_joined(ps, receivers + 1)) {
		fprintf(stderr, "transports: %s: not every receiver joined\n", tr);
		exit(1);
	}
	nlat = 0;
	acked = sent = 0;
	run_id = run_no; /* the sender's cids are new each run */
	total = messages;
	sender_peer = s;
	size_t want = (size_t)messages * (size_t)receivers;
	int64_t t0 = now_us();
	send_next();
	end = t0 + 60 * 1000000LL;
	while (nlat < want && now_us() < end)
		pump_once();
	int64_t dt = now_us() - t0;
	qsort(lat, nlat, sizeof *lat, cmp64);
	printf("%-5s %3d receivers  %7zu/%zu delivered  %9.0f msg/s  p50 %7.2f ms  "
	    "p99 %7.2f ms\n", tr, receivers, nlat, want, nlat * 1e6 / (double)dt,
	    nlat ? lat[nlat / 2] / 1000.0 : 0, nlat ? lat[nlat * 99 / 100] / 1000.0 : 0);
	fflush(stdout);
	for (int i = 0; i <= receivers; i++)
		conn_free(ps[i].c);
	free(ps);
	/* let the server see them go */
	end = now_us() + 500000;
	while (now_us() < end)
		pump_once();
}

static long
rss_kib(int pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	long kib = -1;
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	if (f != NULL)
		fclose(f);
	return kib;
}

static void
idle_memory(int port, int pid, int k, const char *tr)
{
	long before = rss_kib(pid);
	struct peer *ps = xcalloc((size_t)k, sizeof *ps);
	for (int i = 0; i < k; i++) {
		char u[32];
		snprintf(u, sizeof u, "idle%d", i);
		peer_open(&ps[i], port, u, tr);
	}
	int64_t end = now_us() + 60 * 1000000LL;
	while (!all_joined(ps, k) && now_us() < end)
		pump_once();
	end = now_us() + 1000000;
	while (now_us() < end)
		pump_once();
	long after = rss_kib(pid);
	printf("idle %s sessions: %d joined, server RSS %ld -> %ld KiB: %.1f KiB "
	    "per session\n", tr, k, before, after, (after - before) / (double)k);
	for (int i = 0; i < k; i++)
		conn_free(ps[i].c);
	free(ps);
}

int
main(int argc, char **argv)
{
	int port = 0, pid = 0, receivers = 20, messages = 2000, idle = 200;
	const char *idle_tr = "sse";
	bool load = true;
	window_ = 20;
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"pid", required_argument, NULL, 'P'},
		{"receivers", required_argument, NULL, 'r'},
		{"messages", required_argument, NULL, 'm'},
		{"window", required_argument, NULL, 'w'},
		{"idle", required_argument, NULL, 'i'},
		{"idle-transport", required_argument, NULL, 't'},
		{"no-load", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': port = atoi(optarg); break;
		case 'P': pid = atoi(optarg); break;
		case 'r': receivers = atoi(optarg); break;
		case 'm': messages = atoi(optarg); break;
		case 'w': window_ = atoi(optarg); break;
		case 'i': idle = atoi(optarg); break;
		case 't': idle_tr = optarg; break;
		case 'n': load = false; break;
		default: return 2;
		}
	}
	if (port <= 0 || receivers <= 0 || messages <= 0 || window_ <= 0) {
		fprintf(stderr, "usage: transports --port P [--pid PID] [--receivers N] "
		    "[--messages N] [--window N] [--idle N]\n");
		return 2;
	}
	xmalloc_init_cjson();
	lws_set_log_level(0, NULL);
	static struct lws_protocols protocols[2];
	protocols[0] = conn_protocol;
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.fd_limit_per_thread = 4096;
	ctx = lws_create_context(&info);
	if (ctx == NULL)
		return 1;
	static const char *const trs[] = {"ws", "sse", "poll"};
	for (int i = 0; i < 3 && load; i++)
		run(port, trs[i], receivers, messages, i);
	if (pid > 0 && idle > 0)
		idle_memory(port, pid, idle, idle_tr);
	lws_sul_cancel(&wake);
	lws_context_destroy(ctx);
	free(lat);
	return 0;
}
