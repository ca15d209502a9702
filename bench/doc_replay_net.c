/*
 * doc_replay_net: the clients of doc-replay. Each writer of the trace is one
 * WebSocket connection to confabd speaking confab.v1 (frames through
 * model/proto) with its own OT buffer (model/otclient): HELLO, JOIN and
 * DOC_OPEN on a new document, then DOC_OP out and ACK / DOC_OP in. An
 * operation of someone else is applied by the client and also queued, as
 * the client applied it, for doc_replay.c's view of the trace.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "doc_replay.h"
#include "model/doc.h"

void
die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "doc-replay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

int64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


/* ---- the connections ----------------------------------------------------- */

static void
send_text(struct agent *a, const char *json)
{
	size_t len = strlen(json);
	struct frame *f = xrealloc(NULL, sizeof *f + LWS_PRE + len);
	f->next = NULL;
	f->len = len;
	memcpy(f->data + LWS_PRE, json, len);
	if (a->out_tail)
		a->out_tail->next = f;
	else
		a->out_head = f;
	a->out_tail = f;
	a->last_sent = mono_ms();
	if (a->wsi)
		lws_callback_on_writable(a->wsi);
}

void
send_frame(struct agent *a, const struct proto_frame *f)
{
	char *json = proto_encode(f, PROTO_TO_SERVER);
	if (json == NULL)
		die("cannot encode a %s frame", proto_type_name(f->type));
	send_text(a, json);
	free(json);
}

struct proto_frame
doc_frame(enum proto_type type)
{
	struct proto_frame f = proto_frame_of(type);
	f.room = g.room;
	f.doc = g.doc;
	return f;
}

static void
send_op(struct agent *a, const struct otclient_send *s)
{
	cJSON *op = ot_encode_json(s->op);
	struct proto_frame f = doc_frame(PT_DOC_OP);
	f.cid = s->cid;
	f.rev = (int64_t)s->rev;
	f.has_rev = true;
	f.op = op;
	send_frame(a, &f);
	cJSON_Delete(op);
	a->inflight_base = (int64_t)s->rev;
	a->ops++;
	g.sent_ops++;
}

const char *
next_cid(struct agent *a)
{
	snprintf(a->cid, sizeof a->cid, "c%d", ++a->next_cid);
	return a->cid;
}

/* Someone else's op, revision rev: through the client, and queued beside
 * the trace's view as the client applied it (moved past the op in flight,
 * whose copy moves past it in turn). */
static void
on_server_op(struct agent *a, const struct proto_frame *f)
{
	struct ot_op op = OT_OP_INIT;
	if (ot_decode_json(f->op, &op, NULL, 0) != OT_OK)
		die("the server sent an op the client cannot read");
	struct otclient_send s;
	if (otclient_server_op(a->ot, (size_t)f->rev, &op, f->user, f->cid,
	    next_cid(a), &s) != OTCLIENT_OK)
		die("agent %d: the client refused revision %lld", a->id, (long long)f->rev);
	if (s.ready)
		send_op(a, &s);
	if (a->has_inflight) {
		struct ot_op s2 = OT_OP_INIT, m2 = OT_OP_INIT;
		if (ot_transform(&op, &a->inflight, &s2, &m2) != OT_OK)
			die("cannot transform past the op in flight");
		ot_free(&op);
		ot_free(&a->inflight);
		op = s2;
		a->inflight = m2;
	}
	if (a->q_start + a->q_n == a->q_cap) {
		memmove(a->q, a->q + a->q_start, a->q_n * sizeof *a->q);
		a->q_start = 0;
		if (a->q_n == a->q_cap) {
			a->q_cap = a->q_cap ? 2 * a->q_cap : 64;
			a->q = xrealloc(a->q, a->q_cap * sizeof *a->q);
		}
	}
	long txn = f->cid && f->cid[0] == 't' ? strtol(f->cid + 1, NULL, 10) : -1;
	a->q[a->q_start + a->q_n++] = (struct qop){op, txn};
}

static void
on_ack(struct agent *a, const struct proto_frame *f)
{
	struct otclient_send s;
	if (otclient_ack(a->ot, f->cid, (size_t)f->rev, next_cid(a), &s) != OTCLIENT_OK)
		die("agent %d: an ACK for no op in flight", a->id);
	if (f->rev > a->inflight_base + 1)
		a->server_transformed++;
	ot_free(&a->inflight);
	a->has_inflight = false;
	if (s.ready)
		send_op(a, &s);
}

static void
on_frame(struct agent *a)
{
	struct proto_frame f;
	struct proto_error err;
	if (!proto_decode(a->rx, a->rx_len, PROTO_TO_CLIENT, &f, &err))
		die("agent %d: a bad frame from the server: %s", a->id, err.reason);
	switch (f.type) {
	case PT_WELCOME: {
		struct proto_frame j = proto_frame_of(PT_JOIN);
		j.room = g.room;
		send_frame(a, &j);
		break;
	}
	case PT_JOINED: {
		struct proto_frame o = doc_frame(PT_DOC_OPEN);
		send_frame(a, &o);
		break;
	}
	case PT_DOC_STATE:
		if (f.text == NULL || f.text[0] != '\0' || f.rev != 0)
			die("the document %s is not new", g.doc);
		a->ot = otclient_new(doc_new(), 0, a->user);
		a->ready = a->ot != NULL;
		break;
	case PT_DOC_OP:
		on_server_op(a, &f);
		break;
	case PT_ACK:
		if (f.doc != NULL && f.has_rev)
			on_ack(a, &f);
		break;
	case PT_DOC_TEXT:
		a->got = strdup(f.text);
		break;
	case PT_ERROR:
		die("agent %d: ERROR %s: %s", a->id, f.code, f.reason);
	default:
		break;
	}
	proto_frame_free(&f);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct agent *a = user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED: {
		struct proto_frame h = proto_frame_of(PT_HELLO);
		h.user = a->user;
		h.client = "doc-replay";
		a->open = true;
		send_frame(a, &h);
		break;
	}
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		die("agent %d: cannot connect: %s", a ? a->id : -1,
		    in ? (const char *)in : "?");
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (lws_is_first_fragment(wsi))
			a->rx_len = 0;
		if (a->rx_len + len > a->rx_cap) {
			a->rx_cap = 2 * (a->rx_len + len);
			a->rx = xrealloc(a->rx, a->rx_cap);
		}
		memcpy(a->rx + a->rx_len, in, len);
		a->rx_len += len;
		if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0)
			on_frame(a);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE: {
		struct frame *f = a->out_head;
		if (f == NULL)
			break;
		a->out_head = f->next;
		if (a->out_head == NULL)
			a->out_tail = NULL;
		int n = lws_write(wsi, f->data + LWS_PRE, f->len, LWS_WRITE_TEXT);
		free(f);
		if (n < 0)
			return -1;
		if (a->out_head)
			lws_callback_on_writable(wsi);
		break;
	}
	case LWS_CALLBACK_CLIENT_CLOSED:
		a->closed = true;
		a->wsi = NULL;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{"doc-replay", callback, 0, 65536, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void
wake_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
}

void
pump(lws_usec_t us)
{
	static int64_t beat;
	int64_t now = mono_ms();
	if (now - beat > HEARTBEAT_MS) {
		beat = now;
		for (int i = 0; i < g.nagents; i++)
			if (g.agents[i].ready && now - g.agents[i].last_sent > HEARTBEAT_MS)
				send_text(&g.agents[i], "{\"type\":\"HEARTBEAT\"}");
	}
	lws_sul_schedule(g.ctx, 0, &g.wake, wake_cb, us ? us : 1);
	lws_service(g.ctx, 0);
	for (int i = 0; i < g.nagents; i++)
		if (g.agents[i].closed)
			die("agent %d: the server closed the connection", i);
}

void
wait_for(bool (*done)(void *), void *arg, const char *what)
{
	int64_t deadline = mono_ms() + WAIT_MS;
	while (!done(arg)) {
		if (mono_ms() > deadline) {
			for (int i = 0; i < g.nagents; i++) {
				struct agent *a = &g.agents[i];
				int nout = 0;
				for (struct frame *f = a->out_head; f; f = f->next)
					nout++;
				fprintf(stderr, "agent %d: rev %zu, pending %u, sent %lld,"
				    " unsent frames %d\n", i, a->ot ? otclient_rev(a->ot) : 0,
				    a->ot ? otclient_pending(a->ot) : 0, a->ops, nout);
			}
			die("timed out waiting for %s", what);
		}
		pump(10 * LWS_US_PER_MS);
	}
}

static bool
all_ready(void *arg)
{
	(void)arg;
	for (int i = 0; i < g.nagents; i++)
		if (!g.agents[i].ready)
			return false;
	return true;
}

void
connect_agents(const char *url, int n)
{
	char buf[256];
	const char *proto, *host, *path;
	int port;
	snprintf(buf, sizeof buf, "%s", url);
	if (lws_parse_uri(buf, &proto, &host, &port, &path) != 0)
		die("bad --url %s", url);
	static char full_path[256];
	snprintf(full_path, sizeof full_path, "/%s", path);

	lws_set_log_level(LLL_ERR, NULL);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	g.ctx = lws_create_context(&info);
	if (g.ctx == NULL)
		die("cannot create the lws context");
	g.nagents = n;
	g.agents = xrealloc(NULL, (size_t)n * sizeof *g.agents);
	memset(g.agents, 0, (size_t)n * sizeof *g.agents);
	for (int i = 0; i < n; i++) {
		struct agent *a = &g.agents[i];
		a->id = i;
		snprintf(a->user, sizeof a->user, "agent%d", i);
		ot_init(&a->inflight);
		struct lws_client_connect_info ci;
		memset(&ci, 0, sizeof ci);
		ci.context = g.ctx;
		ci.address = host;
		ci.port = port;
		ci.path = full_path;
		ci.host = host;
		ci.origin = host;
		ci.protocol = PROTO_SUBPROTOCOL;
		ci.local_protocol_name = "doc-replay";
		ci.userdata = a;
		ci.pwsi = &a->wsi;
		if (lws_client_connect_via_info(&ci) == NULL)
			die("cannot connect to %s", url);
	}
	wait_for(all_ready, NULL, "the documents to open");
}

bool
synced(void *arg)
{
	bool every_rev = arg != NULL;
	for (int i = 0; i < g.nagents; i++) {
		struct agent *a = &g.agents[i];
		if (otclient_pending(a->ot) != 0 ||
		    (every_rev && (long long)otclient_rev(a->ot) != g.sent_ops))
			return false;
	}
	return true;
}

bool
has_text(void *arg)
{
	return ((struct agent *)arg)->got != NULL;
}

void
local_edit(struct agent *a, const struct ot_op *op, const char *cid)
{
	struct otclient_send s;
	if (otclient_local(a->ot, op, cid, &s) != OTCLIENT_OK)
		die("agent %d: the client refused a local edit", a->id);
	if (s.ready)
		send_op(a, &s);
}

