/*
 * loadgen: a confab.v1 load generator. Opens N WebSocket sessions to one
 * room, has M of them send MESSAGE frames at a total rate R for a while,
 * and measures how many deliveries arrive and how late.
 *
 *   loadgen --url ws://127.0.0.1:PORT/ --sessions N --senders M --rate R
 *           --duration SECONDS [--room NAME] [--user NAME] [--warmup SECONDS]
 *           [--size BYTES] [--wave N] [--join-timeout SECONDS]
 *           [--drain SECONDS]
 *
 * One lws context, one thread: every session is multiplexed on lws_service
 * and every timer is an lws_sul. Sessions connect in waves (at most --wave
 * handshakes in flight) so the listen backlog and the handshake timeout are
 * never the limit. Sending starts once all N have their JOINED and the
 * server has then been quiet (no frame but HEARTBEAT) for 0.5 s: the joins
 * make it fan out N^2/2 USER_JOINED frames, which is not what is measured.
 *
 * Sender j sends every M/R seconds, offset by j/R, so the total is evenly
 * spread. Sends are scheduled on absolute times: a late timer catches up
 * rather than lowering the offered rate (open loop). Each text starts with
 * the CLOCK_MONOTONIC time it was queued, in ns; since the receivers live in
 * this process, delivery latency is receive time minus that. The cid is
 * "<sender>-<n>", which finds the send time again for the ACK latency.
 * Messages sent during --warmup are delivered but not counted. "send lag"
 * (how late the loadgen itself sent) and the mean latency per second of the
 * run tell an overloaded loadgen and a growing backlog apart.
 *
 * Latencies go into log-linear histograms (128 sub-buckets per power of
 * two: under 1% error, constant memory whatever the sample count); the
 * maximum is exact. The last line of output is one JSON object.
 *
 * Exit status: 0 on a clean run; 1 when a session failed to connect or
 * join or was closed, an ERROR frame arrived, or the run was interrupted;
 * 2 on bad usage. Lost or late deliveries alone are figures, not failures.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#define NS_PER_S 1000000000ull
#define NS_PER_MS 1000000.0
#define MAX_ERROR_CODES 32
#define MAX_FAILURE_LINES 10
#define SETTLE_QUIET_NS (500 * 1000000ull)

/* ---- histogram ---------------------------------------------------------- */

#define HIST_SUB_BITS 7
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_BUCKETS ((64 - HIST_SUB_BITS) * HIST_SUB)

struct hist {
	uint64_t count, max;
	uint64_t bucket[HIST_BUCKETS];
};

static unsigned
hist_index(uint64_t v)
{
	if (v < 2 * HIST_SUB)
		return (unsigned)v;
	unsigned msb = 63u - (unsigned)__builtin_clzll(v);
	unsigned shift = msb - HIST_SUB_BITS;
	return (shift + 1) * HIST_SUB + (unsigned)(v >> shift) - HIST_SUB;
}

/* The middle of bucket i: within half a bucket (< 0.4%) of any value in it. */
static uint64_t
hist_value(unsigned i)
{
	if (i < 2 * HIST_SUB)
		return i;
	unsigned shift = i / HIST_SUB - 1;
	uint64_t low = (uint64_t)(i % HIST_SUB + HIST_SUB) << shift;
	return low + ((1ull << shift) - 1) / 2;
}

static void
hist_add(struct hist *h, uint64_t v)
{
	h->bucket[hist_index(v)]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

/* The smallest recorded value v such that p% of the samples are <= v. */
static uint64_t
hist_percentile(const struct hist *h, double p)
{
	if (h->count == 0)
		return 0;
	uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			uint64_t v = hist_value(i);
			return v < h->max ? v : h->max;
		}
	}
	return h->max;
}

static double
hist_ms(const struct hist *h, double p)
{
	return (double)hist_percentile(h, p) / NS_PER_MS;
}

/* ---- state -------------------------------------------------------------- */

struct options {
	const char *url;
	unsigned sessions, senders;
	double rate, duration, warmup, join_timeout, drain;
	const char *room;
	const char *user;  /* session i is user USER<i> (lg0, lg1...) */
	size_t size;
	unsigned wave;
};

/* An outgoing frame: the client masks in place, so each is sent once. */
struct frame {
	struct frame *next;
	size_t len;
	unsigned char buf[]; /* LWS_PRE bytes of headroom, then the payload */
};

enum sstate {
	SS_IDLE, SS_CONNECTING, SS_WELCOME, SS_JOINING, SS_JOINED, SS_GONE
};

struct sender;

struct session {
	unsigned idx;
	enum sstate state;
	struct lws *wsi;
	struct frame *qhead, *qtail;
	char *rx;
	size_t rx_len, rx_cap;
	int64_t heartbeat_ms;
	lws_sorted_usec_list_t hb_sul;
	struct sender *sender; /* NULL for a receiver only */
};

struct sender {
	unsigned idx;
	struct session *s;
	lws_sorted_usec_list_t sul;
	uint64_t next_due; /* ns, CLOCK_MONOTONIC */
	uint64_t n;        /* messages sent so far */
	uint64_t *sent_ns; /* send time of message n, for its ACK */
	size_t cap;
};

enum phase { PH_CONNECT, PH_SETTLE, PH_SEND, PH_DRAIN, PH_DONE };

struct error_count {
	char code[32];
	uint64_t n;
};

static struct loadgen {
	struct options o;
	char host[256], path[512];
	int port;
	struct lws_context *ctx;
	struct session *sessions;
	struct sender *senders;
	enum phase phase;
	lws_sorted_usec_list_t tick;
	unsigned launched, in_flight, joined, failed, closed;
	uint64_t t_start, t_joined, t_send, t_measure, t_end, deadline;
	uint64_t last_rx; /* any frame but HEARTBEAT, for the settle phase */
	double cpu_at_send;
	uint64_t interval_ns; /* between two sends of one sender */
	uint64_t sent, acked, delivered, last_delivery, last_ack, warmup_sent;
	uint64_t delivered_all, last_any; /* warm-up deliveries included */
	struct hist lat, ack, lag;
	double *sec_sum; /* delivery latency sum (ms) by second of send time */
	uint64_t *sec_n;
	size_t nsec;
	struct error_count errors[MAX_ERROR_CODES];
	unsigned nerror_codes;
	uint64_t error_frames;
	unsigned failure_lines;
	volatile sig_atomic_t interrupted;
} lg;

static uint64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static double
secs(uint64_t ns)
{
	return (double)ns / (double)NS_PER_S;
}

/* CPU time of this process, user and system. */
static double
cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void
schedule_ns(lws_sorted_usec_list_t *sul, sul_cb_t cb, uint64_t due)
{
	uint64_t now = now_ns();
	lws_usec_t us = due > now ? (lws_usec_t)((due - now) / 1000) : 0;
	lws_sul_schedule(lg.ctx, 0, sul, cb, us);
}

/* ---- sending ------------------------------------------------------------ */

static bool
session_queue(struct session *s, const char *fmt, ...)
{
	if (s->state == SS_GONE || s->state == SS_IDLE || s->wsi == NULL)
		return false;
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	struct frame *f = malloc(sizeof *f + LWS_PRE + (size_t)len + 1);
	if (f == NULL)
		return false;
	va_start(ap, fmt);
	vsnprintf((char *)f->buf + LWS_PRE, (size_t)len + 1, fmt, ap);
	va_end(ap);
	f->len = (size_t)len;
	f->next = NULL;
	if (s->qtail != NULL)
		s->qtail->next = f;
	else
		s->qhead = f;
	s->qtail = f;
	lws_callback_on_writable(s->wsi);
	return true;
}

static void
session_drop_queue(struct session *s)
{
	while (s->qhead != NULL) {
		struct frame *f = s->qhead;
		s->qhead = f->next;
		free(f);
	}
	s->qtail = NULL;
}

static int
session_writeable(struct session *s)
{
	struct frame *f = s->qhead;
	if (f == NULL)
		return 0;
	s->qhead = f->next;
	if (s->qhead == NULL)
		s->qtail = NULL;
	int n = lws_write(s->wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT);
	free(f);
	if (n < 0)
		return -1;
	if (s->qhead != NULL)
		lws_callback_on_writable(s->wsi);
	return 0;
}

static void
on_heartbeat(lws_sorted_usec_list_t *sul)
{
	struct session *s = lws_container_of(sul, struct session, hb_sul);
	if (s->state == SS_GONE || lg.phase == PH_DONE)
		return;
	session_queue(s, "{\"type\":\"HEARTBEAT\"}");
	/* Half the interval: the server closes after two silent ones. */
	lws_sul_schedule(lg.ctx, 0, &s->hb_sul, on_heartbeat,
	    s->heartbeat_ms * LWS_US_PER_MS / 2);
}

static bool
sender_record(struct sender *d, uint64_t t)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 1024;
		uint64_t *g = realloc(d->sent_ns, cap * sizeof *g);
		if (g == NULL)
			return false;
		d->sent_ns = g;
		d->cap = cap;
	}
	d->sent_ns[d->n] = t;
	return true;
}

static bool
sender_send(struct sender *d, uint64_t due)
{
	uint64_t t = now_ns();
	char prefix[32];
	int plen = snprintf(prefix, sizeof prefix, "%" PRIu64 ":", t);
	int pad = lg.o.size > (size_t)plen ? (int)(lg.o.size - (size_t)plen) : 1;
	if (!sender_record(d, t))
		return false;
	if (!session_queue(d->s,
	    "{\"type\":\"MESSAGE\",\"room\":\"%s\",\"cid\":\"%u-%" PRIu64 "\","
	    "\"text\":\"%s%0*d\"}", lg.o.room, d->idx, d->n, prefix, pad, 0))
		return false;
	d->n++;
	hist_add(&lg.lag, t > due ? t - due : 0);
	if (t >= lg.t_measure)
		lg.sent++;
	else
		lg.warmup_sent++;
	return true;
}

static void
on_send_due(lws_sorted_usec_list_t *sul)
{
	struct sender *d = lws_container_of(sul, struct sender, sul);
	uint64_t now = now_ns();
	while (lg.phase == PH_SEND && d->next_due <= now && d->next_due < lg.t_end) {
		if (!sender_send(d, d->next_due))
			return; /* its session is gone: this sender stops */
		d->next_due += lg.interval_ns;
	}
	if (lg.phase == PH_SEND && d->next_due < lg.t_end)
		schedule_ns(&d->sul, on_send_due, d->next_due);
}

/* ---- receiving ---------------------------------------------------------- */

static void
fail(struct session *s, const char *what, const char *detail)
{
	if (s->state == SS_GONE)
		return;
	bool joined = s->state == SS_JOINED;
	if (!joined && s->state != SS_IDLE)
		lg.in_flight--;
	s->state = SS_GONE;
	s->wsi = NULL;
	session_drop_queue(s);
	lws_sul_cancel(&s->hb_sul);
	if (joined) {
		lg.joined--;
		lg.closed++;
	} else {
		lg.failed++;
	}
	if (lg.failure_lines++ < MAX_FAILURE_LINES)
		fprintf(stderr, "loadgen: session %s%u: %s%s%s\n", lg.o.user, s->idx, what,
		    detail && *detail ? ": " : "", detail ? detail : "");
}

static const char *
json_str(const cJSON *root, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool
our_room(const cJSON *root)
{
	const char *room = json_str(root, "room");
	return room != NULL && strcmp(room, lg.o.room) == 0;
}

static void
on_welcome(struct session *s, const cJSON *root, uint64_t now)
{
	(void)now;
	const cJSON *hb = cJSON_GetObjectItemCaseSensitive(root, "heartbeat_ms");
	s->heartbeat_ms = cJSON_IsNumber(hb) && hb->valuedouble >= 100 ?
	    (int64_t)hb->valuedouble : 15000;
	lws_sul_schedule(lg.ctx, 0, &s->hb_sul, on_heartbeat,
	    s->heartbeat_ms * LWS_US_PER_MS / 2);
	if (s->state == SS_WELCOME) {
		s->state = SS_JOINING;
		session_queue(s, "{\"type\":\"JOIN\",\"room\":\"%s\"}", lg.o.room);
	}
}

static void
on_joined(struct session *s, const cJSON *root, uint64_t now)
{
	(void)now;
	if (s->state != SS_JOINING || !our_room(root))
		return;
	s->state = SS_JOINED;
	lg.in_flight--;
	lg.joined++;
}

/* Counts one delivery of a message sent at t (ns, from its text). */
static void
record_delivery(uint64_t t, uint64_t now)
{
	lg.delivered_all++;
	lg.last_any = now;
	if (t < lg.t_measure)
		return; /* a warm-up message */
	uint64_t d = now > t ? now - t : 0;
	hist_add(&lg.lat, d);
	lg.delivered++;
	lg.last_delivery = now;
	size_t sec = (size_t)((t - lg.t_send) / NS_PER_S);
	if (sec < lg.nsec) {
		lg.sec_sum[sec] += (double)d / NS_PER_MS;
		lg.sec_n[sec]++;
	}
}

static void
on_message(struct session *s, const cJSON *root, uint64_t now)
{
	(void)s;
	if (!our_room(root))
		return;
	const char *text = json_str(root, "text");
	char *end;
	uint64_t t = text ? strtoull(text, &end, 10) : 0;
	if (t == 0 || *end != ':')
		return; /* not ours */
	record_delivery(t, now);
}

/*
 * The common frame, a MESSAGE of the bench room, read without a JSON parse:
 * at a million deliveries a second the parse would make loadgen, not the
 * server, the bottleneck. confabd writes "type" first and "room" second;
 * any other shape falls back to the parser.
 */
static bool
fast_message(const char *buf, size_t len, uint64_t now)
{
	static char head[160];
	static size_t head_len;
	if (head_len == 0)
		head_len = (size_t)snprintf(head, sizeof head,
		    "{\"type\":\"MESSAGE\",\"room\":\"%s\",", lg.o.room);
	if (len < head_len || memcmp(buf, head, head_len) != 0)
		return false;
	const char *t = memmem(buf, len, "\"text\":\"", 8);
	if (t == NULL)
		return false;
	t += 8;
	uint64_t v = 0;
	const char *end = buf + len;
	while (t < end && *t >= '0' && *t <= '9')
		v = v * 10 + (uint64_t)(*t++ - '0');
	if (t == end || *t != ':' || v == 0)
		return false;
	lg.last_rx = now;
	record_delivery(v, now);
	return true;
}

static void
on_ack(struct session *s, const cJSON *root, uint64_t now)
{
	const char *cid = json_str(root, "cid");
	struct sender *d = s->sender;
	unsigned idx;
	uint64_t n;
	if (cid == NULL || d == NULL ||
	    sscanf(cid, "%u-%" SCNu64, &idx, &n) != 2 || idx != d->idx || n >= d->n)
		return;
	uint64_t t = d->sent_ns[n];
	if (t < lg.t_measure)
		return;
	hist_add(&lg.ack, now > t ? now - t : 0);
	lg.acked++;
	lg.last_ack = now;
}

static void
on_error(struct session *s, const cJSON *root, uint64_t now)
{
	(void)now;
	const char *code = json_str(root, "code");
	if (code == NULL)
		code = "?";
	lg.error_frames++;
	unsigned i;
	for (i = 0; i < lg.nerror_codes; i++)
		if (strcmp(lg.errors[i].code, code) == 0)
			break;
	if (i == lg.nerror_codes && i < MAX_ERROR_CODES) {
		snprintf(lg.errors[i].code, sizeof lg.errors[i].code, "%s", code);
		lg.nerror_codes++;
	}
	if (i < lg.nerror_codes)
		lg.errors[i].n++;
	if (lg.error_frames <= MAX_FAILURE_LINES) {
		const char *reason = json_str(root, "reason");
		fprintf(stderr, "loadgen: session %s%u: ERROR %s (%s)\n", lg.o.user, s->idx,
		    code, reason ? reason : "");
	}
}

typedef void (*frame_handler)(struct session *, const cJSON *, uint64_t);

/* Types not listed (HEARTBEAT, USER_JOINED, ...) are ignored. */
static const struct {
	const char *type;
	frame_handler fn;
} handlers[] = {
	{"ACK", on_ack},
	{"ERROR", on_error},
	{"JOINED", on_joined},
	{"MESSAGE", on_message},
	{"WELCOME", on_welcome},
};

static void
handle_frame(struct session *s, const char *buf, size_t len, uint64_t now)
{
	if (fast_message(buf, len, now))
		return;
	cJSON *root = cJSON_ParseWithLength(buf, len);
	const char *type = root ? json_str(root, "type") : NULL;
	if (type == NULL || strcmp(type, "HEARTBEAT") != 0)
		lg.last_rx = now;
	if (type != NULL)
		for (size_t i = 0; i < sizeof handlers / sizeof *handlers; i++)
			if (strcmp(type, handlers[i].type) == 0) {
				handlers[i].fn(s, root, now);
				break;
			}
	cJSON_Delete(root);
}

static int
session_receive(struct session *s, struct lws *wsi, const char *in, size_t len)
{
	uint64_t now = now_ns();
	bool first = lws_is_first_fragment(wsi);
	bool last = lws_is_final_fragment(wsi) &&
	    lws_remaining_packet_payload(wsi) == 0;
	if (first && last) { /* the common case: parse in place */
		handle_frame(s, in, len, now);
		return 0;
	}
	if (first)
		s->rx_len = 0;
	if (s->rx_len + len > s->rx_cap) {
		size_t cap = s->rx_cap ? s->rx_cap : 4096;
		while (cap < s->rx_len + len)
			cap *= 2;
		char *g = realloc(s->rx, cap);
		if (g == NULL)
			return -1;
		s->rx = g;
		s->rx_cap = cap;
	}
	memcpy(s->rx + s->rx_len, in, len);
	s->rx_len += len;
	if (!last)
		return 0;
	handle_frame(s, s->rx, s->rx_len, now);
	s->rx_len = 0;
	if (s->rx_cap > 64 * 1024) { /* JOINED snapshots are big; MESSAGEs not */
		free(s->rx);
		s->rx = NULL;
		s->rx_cap = 0;
	}
	return 0;
}

static int
callback_loadgen(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct session *s = lws_get_opaque_user_data(wsi);
	(void)user;
	if (s == NULL || (s->wsi != wsi && s->wsi != NULL))
		return 0;
	if (lg.phase == PH_DONE && reason != LWS_CALLBACK_CLIENT_CLOSED)
		return 0;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		fail(s, "connection error", in ? (const char *)in : NULL);
		return 0;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		fail(s, "handshake did not complete", NULL);
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		s->wsi = wsi;
		s->state = SS_WELCOME;
		session_queue(s, "{\"type\":\"HELLO\",\"user\":\"%s%u\","
		    "\"client\":\"loadgen\"}", lg.o.user, s->idx);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return session_receive(s, wsi, in, len);
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return session_writeable(s);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
		char code[64] = "";
		if (len >= 2) {
			const unsigned char *p = in;
			snprintf(code, sizeof code, "close code %u",
			    (unsigned)p[0] << 8 | p[1]);
		}
		fail(s, "closed by the server", code);
		return 0;
	}
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (lg.phase != PH_DONE)
			fail(s, "connection closed", NULL);
		s->wsi = NULL;
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{"confab.v1", callback_loadgen, 0, 4096, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ---- phases ------------------------------------------------------------- */

static void on_tick(lws_sorted_usec_list_t *sul);

static void
session_connect(struct session *s)
{
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	ci.context = lg.ctx;
	ci.address = lg.host;
	ci.port = lg.port;
	ci.path = lg.path;
	ci.host = lg.host;
	ci.origin = lg.host;
	ci.protocol = "confab.v1";
	ci.local_protocol_name = "confab.v1";
	ci.ietf_version_or_minus_one = -1;
	ci.opaque_user_data = s;
	ci.pwsi = &s->wsi;
	s->state = SS_CONNECTING;
	lg.launched++;
	lg.in_flight++;
	if (lws_client_connect_via_info(&ci) == NULL && s->state == SS_CONNECTING)
		fail(s, "cannot start the connection", NULL);
}

static void
start_sending(uint64_t now)
{
	lg.phase = PH_SEND;
	lg.t_send = now;
	lg.cpu_at_send = cpu_s();
	lg.t_measure = now + (uint64_t)(lg.o.warmup * NS_PER_S);
	lg.t_end = lg.t_measure + (uint64_t)(lg.o.duration * NS_PER_S);
	lg.nsec = (size_t)ceil(lg.o.warmup + lg.o.duration) + 1;
	lg.sec_sum = calloc(lg.nsec, sizeof *lg.sec_sum);
	lg.sec_n = calloc(lg.nsec, sizeof *lg.sec_n);
	if (lg.sec_sum == NULL || lg.sec_n == NULL)
		lg.nsec = 0;
	lg.interval_ns = (uint64_t)((double)lg.o.senders * NS_PER_S / lg.o.rate);
	uint64_t stagger = (uint64_t)(NS_PER_S / lg.o.rate);
	for (unsigned j = 0; j < lg.o.senders; j++) {
		struct sender *d = &lg.senders[j];
		d->next_due = now + j * stagger;
		schedule_ns(&d->sul, on_send_due, d->next_due);
	}
	printf("joined: %u sessions in %.2f s, server quiet after %.2f s more; "
	    "sending for %.1f s (+%.1f s warm-up)\n", lg.joined,
	    secs(lg.t_joined - lg.t_start), secs(now - lg.t_joined),
	    lg.o.duration, lg.o.warmup);
	fflush(stdout);
}

static void
tick_connect(uint64_t now)
{
	while (lg.launched < lg.o.sessions && lg.in_flight < lg.o.wave)
		session_connect(&lg.sessions[lg.launched]);
	if (lg.failed > 0 || lg.closed > 0) {
		fprintf(stderr, "loadgen: %u session(s) failed to connect or join "
		    "(%u of %u joined); giving up\n", lg.failed + lg.closed,
		    lg.joined, lg.o.sessions);
		lg.phase = PH_DONE;
	} else if (lg.joined == lg.o.sessions) {
		/* The server is still fanning out USER_JOINED (N^2/2 frames):
		 * measuring now would measure that backlog. */
		lg.phase = PH_SETTLE;
		lg.t_joined = now;
		lg.deadline = now + (uint64_t)(lg.o.join_timeout * NS_PER_S);
	} else if (now > lg.deadline) {
		fprintf(stderr, "loadgen: only %u of %u sessions joined within "
		    "%.0f s (%u still connecting); giving up\n", lg.joined,
		    lg.o.sessions, lg.o.join_timeout, lg.in_flight);
		lg.failed += lg.o.sessions - lg.joined;
		lg.phase = PH_DONE;
	}
}

static void
on_tick(lws_sorted_usec_list_t *sul)
{
	uint64_t now = now_ns();
	if (lg.interrupted && lg.phase != PH_DONE) {
		fprintf(stderr, "loadgen: interrupted\n");
		if (lg.phase == PH_CONNECT)
			lg.failed += lg.o.sessions - lg.joined;
		lg.phase = PH_DONE;
	}
	switch (lg.phase) {
	case PH_CONNECT:
		tick_connect(now);
		break;
	case PH_SETTLE:
		if (lg.closed > 0) {
			fprintf(stderr, "loadgen: %u session(s) closed before "
			    "sending began; giving up\n", lg.closed);
			lg.phase = PH_DONE;
		} else if (now - lg.last_rx >= SETTLE_QUIET_NS) {
			start_sending(now);
		} else if (now > lg.deadline) {
			fprintf(stderr, "loadgen: warning: the server is still "
			    "sending after %.0f s; starting anyway\n",
			    lg.o.join_timeout);
			start_sending(now);
		}
		break;
	case PH_SEND:
		if (now >= lg.t_end) {
			lg.phase = PH_DRAIN;
			lg.deadline = now + (uint64_t)(lg.o.drain * NS_PER_S);
		}
		break;
	case PH_DRAIN:
		if ((lg.delivered >= lg.sent * lg.o.sessions && lg.acked >= lg.sent) ||
		    now >= lg.deadline)
			lg.phase = PH_DONE;
		break;
	case PH_DONE:
		break;
	}
	if (lg.phase != PH_DONE)
		lws_sul_schedule(lg.ctx, 0, sul, on_tick, 10 * LWS_US_PER_MS);
}

/* ---- report ------------------------------------------------------------- */

static double
per_s(uint64_t n, uint64_t last)
{
	return n && last > lg.t_measure ? (double)n / secs(last - lg.t_measure) : 0.0;
}

struct figures {
	uint64_t expected, lost;
	double dps, mps, all_dps, busy;
};

static struct figures
figures(void)
{
	struct figures f;
	f.expected = lg.sent * lg.o.sessions;
	f.lost = f.expected > lg.delivered ? f.expected - lg.delivered : 0;
	f.dps = per_s(lg.delivered, lg.last_delivery);
	f.mps = per_s(lg.acked, lg.last_ack);
	f.all_dps = lg.delivered_all && lg.last_any > lg.t_send ?
	    (double)lg.delivered_all / secs(lg.last_any - lg.t_send) : 0.0;
	f.busy = lg.t_send ? (cpu_s() - lg.cpu_at_send) /
	    secs(now_ns() - lg.t_send) * 100 : 0;
	return f;
}

static void
report_text(const struct figures *f)
{
	printf("senders, rate       %u, %g msg/s, %.1f s (+%.1f s warm-up, "
	    "%" PRIu64 " msgs not counted)\n", lg.o.senders, lg.o.rate,
	    lg.o.duration, lg.o.warmup, lg.warmup_sent);
	printf("sent                %" PRIu64 "\n", lg.sent);
	printf("acked               %" PRIu64 "\n", lg.acked);
	printf("expected deliveries %" PRIu64 "\n", f->expected);
	printf("delivered           %" PRIu64 "\n", lg.delivered);
	printf("lost                %" PRIu64 "\n", f->lost);
	printf("deliveries/s        %.0f (all, warm-up included: %" PRIu64
	    " at %.0f/s)\n", f->dps, lg.delivered_all, f->all_dps);
	printf("msgs/s acked        %.1f\n", f->mps);
	printf("delivery latency    p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
	    hist_ms(&lg.lat, 50), hist_ms(&lg.lat, 99),
	    (double)lg.lat.max / NS_PER_MS);
	printf("ack latency         p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
	    hist_ms(&lg.ack, 50), hist_ms(&lg.ack, 99),
	    (double)lg.ack.max / NS_PER_MS);
	printf("send lag            p99 %.2f ms  max %.2f ms (loadgen behind its "
	    "schedule)\n", hist_ms(&lg.lag, 99), (double)lg.lag.max / NS_PER_MS);
	printf("errors              %" PRIu64, lg.error_frames);
	for (unsigned i = 0; i < lg.nerror_codes; i++)
		printf("%s%s=%" PRIu64, i ? ", " : " (", lg.errors[i].code,
		    lg.errors[i].n);
	printf("%s\n", lg.nerror_codes ? ")" : "");
	if (lg.nsec > 0) {
		printf("mean latency ms by second sent:");
		for (size_t i = 0; i < lg.nsec; i++)
			if (lg.sec_n[i])
				printf(" %.1f", lg.sec_sum[i] / (double)lg.sec_n[i]);
		printf("\n");
	}
	printf("loadgen cpu         %.0f%% of a core from the first send to "
	    "the end\n", f->busy);
}

/* The last line of output: one JSON object. */
static void
report_json(const struct figures *f)
{
	printf("{\"sessions\":%u,\"senders\":%u,\"rate\":%g,\"duration_s\":%g,"
	    "\"sent\":%" PRIu64 ",\"acked\":%" PRIu64 ",\"delivered\":%" PRIu64
	    ",\"expected\":%" PRIu64 ",\"deliveries_per_s\":%.0f,"
	    "\"msgs_per_s\":%.1f,\"lat_p50_ms\":%.3f,\"lat_p99_ms\":%.3f,"
	    "\"lat_max_ms\":%.3f,\"ack_p50_ms\":%.3f,\"ack_p99_ms\":%.3f,"
	    "\"errors\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"failed\":%u,"
	    "\"closed\":%u,\"all_deliveries_per_s\":%.0f,\"loadgen_cpu_pct\":%.0f}\n",
	    lg.o.sessions, lg.o.senders, lg.o.rate, lg.o.duration, lg.sent,
	    lg.acked, lg.delivered, f->expected, f->dps, f->mps,
	    hist_ms(&lg.lat, 50), hist_ms(&lg.lat, 99),
	    (double)lg.lat.max / NS_PER_MS,
	    hist_ms(&lg.ack, 50), hist_ms(&lg.ack, 99), lg.error_frames, f->lost,
	    lg.failed, lg.closed, f->all_dps, f->busy);
}

static void
report(void)
{
	struct figures f = figures();
	printf("sessions            %u (%u failed, %u closed during the run)\n",
	    lg.o.sessions, lg.failed, lg.closed);
	if (lg.t_send != 0) /* else nothing was measured */
		report_text(&f);
	report_json(&f);
}

/* ---- setup -------------------------------------------------------------- */

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: loadgen --url ws://HOST:PORT/ --sessions N --senders M --rate R\n"
	    "               --duration SECONDS [options]\n"
	    "  --room NAME            room to join (default bench)\n"
	    "  --user NAME            sessions are users NAME0, NAME1... (default lg);\n"
	    "                         another name sends again what a run sent\n"
	    "  --warmup SECONDS       send this long before measuring (default 0)\n"
	    "  --size BYTES           message text length (default 64)\n"
	    "  --wave N               handshakes in flight at once (default 100)\n"
	    "  --join-timeout SECONDS deadline for all sessions to join (default 60)\n"
	    "  --drain SECONDS        wait for in-flight deliveries (default 5)\n");
}

static bool
parse_num(const char *s, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min && v <= max))
		return false;
	*out = v;
	return true;
}

static bool
valid_room(const char *r)
{
	size_t n = strlen(r);
	if (n < 1 || n > 64 || r[0] == '_' || r[0] == '.' || r[0] == '-')
		return false;
	return strspn(r, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"url", required_argument, NULL, 'u'},
		{"sessions", required_argument, NULL, 'n'},
		{"senders", required_argument, NULL, 'm'},
		{"rate", required_argument, NULL, 'r'},
		{"duration", required_argument, NULL, 'd'},
		{"room", required_argument, NULL, 'R'},
		{"user", required_argument, NULL, 'U'},
		{"warmup", required_argument, NULL, 'w'},
		{"size", required_argument, NULL, 's'},
		{"wave", required_argument, NULL, 'W'},
		{"join-timeout", required_argument, NULL, 'j'},
		{"drain", required_argument, NULL, 'D'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	double sessions = 0, senders = 0, size = 64, wave = 100;
	*o = (struct options){.room = "bench", .user = "lg", .join_timeout = 60,
	    .drain = 5};
	int c;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case 'u': o->url = optarg; break;
		case 'n': ok = parse_num(optarg, 1, 1e6, &sessions); break;
		case 'm': ok = parse_num(optarg, 1, 1e6, &senders); break;
		case 'r': ok = parse_num(optarg, 0.001, 1e7, &o->rate); break;
		case 'd': ok = parse_num(optarg, 0.001, 1e6, &o->duration); break;
		case 'R': o->room = optarg; ok = valid_room(optarg); break;
		case 'U':
			o->user = optarg;
			ok = strlen(optarg) >= 1 && strlen(optarg) <= 24 &&
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyz0123456789") ==
			    strlen(optarg);
			break;
		case 'w': ok = parse_num(optarg, 0, 1e6, &o->warmup); break;
		case 's': ok = parse_num(optarg, 1, 1 << 20, &size); break;
		case 'W': ok = parse_num(optarg, 1, 1e5, &wave); break;
		case 'j': ok = parse_num(optarg, 0.1, 1e6, &o->join_timeout); break;
		case 'D': ok = parse_num(optarg, 0, 1e6, &o->drain); break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
		if (!ok) {
			const char *name = "?";
			for (size_t i = 0; longopts[i].name != NULL; i++)
				if (longopts[i].val == c)
					name = longopts[i].name;
			fprintf(stderr, "loadgen: bad value for --%s: %s\n", name,
			    optarg);
			return -1;
		}
	}
	o->sessions = (unsigned)sessions;
	o->senders = (unsigned)senders;
	o->size = (size_t)size;
	o->wave = (unsigned)wave;
	if (optind < argc || o->url == NULL || !o->sessions || !o->senders ||
	    o->rate <= 0 || o->duration <= 0) {
		fprintf(stderr, "loadgen: --url, --sessions, --senders, --rate and "
		    "--duration are required\n");
		usage(stderr);
		return -1;
	}
	if (o->senders > o->sessions) {
		fprintf(stderr, "loadgen: more senders than sessions\n");
		return -1;
	}
	return 0;
}

static int
parse_url(const char *url)
{
	char buf[sizeof lg.host + sizeof lg.path];
	const char *prot, *ads, *path;
	snprintf(buf, sizeof buf, "%s", url);
	if (lws_parse_uri(buf, &prot, &ads, &lg.port, &path) ||
	    strcmp(prot, "ws") != 0 || !*ads) {
		fprintf(stderr, "loadgen: --url must look like ws://HOST:PORT/\n");
		return -1;
	}
	snprintf(lg.host, sizeof lg.host, "%s", ads);
	snprintf(lg.path, sizeof lg.path, "/%s", path); /* lws drops the '/' */
	return 0;
}

static void
raise_fd_limit(unsigned sessions)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)sessions + 32)
		fprintf(stderr, "loadgen: warning: fd limit %llu is below %u "
		    "sessions\n", (unsigned long long)rl.rlim_cur, sessions);
}

static void
on_signal(int sig)
{
	(void)sig;
	lg.interrupted = 1;
	if (lg.ctx != NULL)
		lws_cancel_service(lg.ctx);
}

static int
setup(void)
{
	lg.sessions = calloc(lg.o.sessions, sizeof *lg.sessions);
	lg.senders = calloc(lg.o.senders, sizeof *lg.senders);
	if (lg.sessions == NULL || lg.senders == NULL)
		return -1;
	for (unsigned i = 0; i < lg.o.sessions; i++)
		lg.sessions[i].idx = i;
	/* Senders spread over the sessions, so they join at different times. */
	for (unsigned j = 0; j < lg.o.senders; j++) {
		struct sender *d = &lg.senders[j];
		d->idx = j;
		d->s = &lg.sessions[(uint64_t)j * lg.o.sessions / lg.o.senders];
		d->s->sender = d;
	}

	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.timeout_secs = 30;
	info.fd_limit_per_thread = lg.o.sessions + 64;
	lg.ctx = lws_create_context(&info);
	return lg.ctx != NULL ? 0 : -1;
}

static void
teardown(void)
{
	lws_context_destroy(lg.ctx);
	for (unsigned i = 0; i < lg.o.sessions; i++) {
		session_drop_queue(&lg.sessions[i]);
		free(lg.sessions[i].rx);
	}
	for (unsigned j = 0; j < lg.o.senders; j++)
		free(lg.senders[j].sent_ns);
	free(lg.sessions);
	free(lg.senders);
	free(lg.sec_sum);
	free(lg.sec_n);
}

int
main(int argc, char **argv)
{
	if (parse_options(argc, argv, &lg.o) != 0 || parse_url(lg.o.url) != 0)
		return 2;
	raise_fd_limit(lg.o.sessions);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (setup() != 0) {
		fprintf(stderr, "loadgen: cannot create the lws context\n");
		return 1;
	}

	lg.t_start = now_ns();
	lg.deadline = lg.t_start + (uint64_t)(lg.o.join_timeout * NS_PER_S);
	lg.phase = PH_CONNECT;
	printf("loadgen: %u sessions, %u senders, %g msg/s, %g s, %zu-byte "
	    "texts, room %s, %s\n", lg.o.sessions, lg.o.senders, lg.o.rate,
	    lg.o.duration, lg.o.size, lg.o.room, lg.o.url);
	fflush(stdout);
	on_tick(&lg.tick);
	while (lg.phase != PH_DONE)
		if (lws_service(lg.ctx, 0) < 0)
			break;
	report();
	bool ok = lg.t_send != 0 && lg.failed == 0 && lg.closed == 0 &&
	    lg.error_frames == 0 && !lg.interrupted;
	teardown();
	return ok ? 0 : 1;
}
