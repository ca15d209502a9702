/*
 * doc-replay: replays an editing trace through the whole shared-document
 * path: each writer is a client with its own OT buffer (model/otclient)
 * talking confab.v1 to a real confabd over a real WebSocket; the server
 * transforms, stores and acknowledges every operation. At the end the
 * server's text (DOC_GET at the head) and every client's text must equal
 * the trace's endContent.
 *
 *   doc-replay --url ws://127.0.0.1:PORT/ [--pace stream|each] [--room R]
 *              FILE.json.gz
 *
 * A trace (data/editing-traces/README.md) is gzipped JSON with
 * "startContent", "endContent" and "txns", each a list of
 * [pos, delCount, text] patches in code points.
 *
 * Sequential traces: one client types every patch into its buffer.
 *   stream  the patches go in as fast as the client applies them; while an
 *           operation is in flight the next ones compose into the buffer,
 *           which goes out on the ACK (as a fast typist's would)
 *   each    the client waits for the ACK of every patch: one revision per
 *           patch, one round trip each
 *
 * Concurrent traces (per transaction an "agent" and its "parents"): one
 * client per agent. Transactions are taken in the file's order; the agent
 * of one makes it once the server has sent it every parent and it has no
 * operation of its own in flight (so each transaction is one operation),
 * and the transaction's positions are read in the document exactly as its
 * parents left it. The client applies whatever the server sends at once;
 * operations of others that the next transaction has not seen yet wait in
 * a queue beside the text (in the client's document, moved past every
 * later local edit) and join the trace's view of the document only when a
 * transaction needs them. Waiting for every ACK before the next
 * transaction keeps the server's order that of the file.
 *
 * The last line of output is one JSON object with the figures; the time
 * runs from the first edit to the last ACK, the final DOC_GET excluded.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>
#include <zlib.h>

#include "model/doc.h"
#include "model/ot.h"
#include "model/otclient.h"
#include "model/proto.h"
#include "model/utf8.h"

#define WAIT_MS 10000
#define SERVICE_EVERY 16
#define HEARTBEAT_MS 5000

struct patch {
	size_t pos, del;
	const char *text;
	size_t len;
};

struct txn {
	struct patch *p;
	size_t np;
	int agent;
	int *parents;
	size_t nparents;
};

struct trace {
	cJSON *root;
	const char *end;
	struct txn *t;
	size_t ntxn, npatches;
	int nagents;
	bool concurrent;
	int *vv; /* per txn and agent: that agent's newest ancestor txn, or -1 */
};

/* An operation of someone else, applied to the client's document but not
 * yet part of the trace's view of it. */
struct qop {
	struct ot_op op;
	long txn;
};

struct frame {
	struct frame *next;
	size_t len;
	unsigned char data[]; /* LWS_PRE headroom, then the payload */
};

struct agent {
	int id;
	char user[16];
	struct lws *wsi;
	bool open, closed, ready;
	struct frame *out_head, *out_tail;
	char *rx;
	size_t rx_len, rx_cap;
	struct otclient *ot;
	int next_cid;
	char cid[24];
	struct ot_op inflight; /* a copy of the op in flight (concurrent mode) */
	bool has_inflight;
	struct qop *q;
	size_t q_start, q_n, q_cap;
	size_t len_tr;  /* length of the trace's view of the document */
	char *got;      /* a DOC_TEXT answer */
	long long ops, server_transformed, client_transformed;
	int64_t last_sent, inflight_base;
};

static struct {
	struct lws_context *ctx;
	lws_sorted_usec_list_t wake;
	struct agent *agents;
	int nagents;
	const char *room;
	char doc[48];
	unsigned char *have; /* per agent and txn: in the agent's trace view */
	bool *noop;          /* txns that changed nothing and were never sent */
	long long sent_ops;
} g;

static void
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

static void *
xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (q == NULL)
		die("out of memory");
	return q;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- the trace ----------------------------------------------------------- */

static char *
read_gz(const char *path, size_t *len)
{
	gzFile f = gzopen(path, "rb");
	if (f == NULL)
		die("cannot open %s", path);
	size_t cap = 1 << 20, n = 0;
	char *buf = xrealloc(NULL, cap);
	for (;;) {
		if (cap - n < (1 << 16))
			buf = xrealloc(buf, cap *= 2);
		int k = gzread(f, buf + n, (unsigned)(cap - n - 1));
		if (k < 0)
			die("cannot decompress %s", path);
		if (k == 0)
			break;
		n += (size_t)k;
	}
	gzclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static size_t
count_of(const cJSON *v)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble != (double)(size_t)v->valuedouble)
		die("a patch has a bad position or count");
	return (size_t)v->valuedouble;
}

static void
load_txn(struct trace *tr, struct txn *t, const cJSON *o, size_t index)
{
	const cJSON *patches = cJSON_GetObjectItemCaseSensitive(o, "patches");
	if (!cJSON_IsArray(patches))
		die("transaction %zu has no patches", index);
	t->np = (size_t)cJSON_GetArraySize(patches);
	t->p = xrealloc(NULL, t->np * sizeof *t->p);
	size_t i = 0;
	const cJSON *a;
	cJSON_ArrayForEach(a, patches) {
		const cJSON *text = cJSON_GetArrayItem(a, 2);
		if (cJSON_GetArraySize(a) != 3 || !cJSON_IsString(text))
			die("transaction %zu: a patch is not [pos, delCount, text]", index);
		t->p[i++] = (struct patch){count_of(cJSON_GetArrayItem(a, 0)),
		    count_of(cJSON_GetArrayItem(a, 1)), text->valuestring,
		    strlen(text->valuestring)};
	}
	tr->npatches += t->np;
	const cJSON *agent = cJSON_GetObjectItemCaseSensitive(o, "agent");
	const cJSON *parents = cJSON_GetObjectItemCaseSensitive(o, "parents");
	if (!tr->concurrent)
		return;
	if (!cJSON_IsNumber(agent) || agent->valueint < 0 ||
	    agent->valueint >= tr->nagents || !cJSON_IsArray(parents))
		die("transaction %zu lacks a valid agent or parents", index);
	t->agent = agent->valueint;
	t->nparents = (size_t)cJSON_GetArraySize(parents);
	t->parents = xrealloc(NULL, t->nparents * sizeof *t->parents);
	i = 0;
	cJSON_ArrayForEach(a, parents) {
		if (!cJSON_IsNumber(a) || a->valueint < 0 || (size_t)a->valueint >= index)
			die("transaction %zu has a parent that does not precede it", index);
		t->parents[i++] = a->valueint;
	}
}

/* Every agent's transactions form a chain, so a transaction's ancestors are,
 * per agent, a prefix of that agent's transactions: vv keeps the newest. */
static void
index_ancestors(struct trace *tr)
{
	int n = tr->nagents;
	tr->vv = xrealloc(NULL, tr->ntxn * (size_t)n * sizeof *tr->vv);
	for (size_t i = 0; i < tr->ntxn; i++) {
		int *v = &tr->vv[i * (size_t)n];
		for (int k = 0; k < n; k++)
			v[k] = -1;
		for (size_t j = 0; j < tr->t[i].nparents; j++) {
			int p = tr->t[i].parents[j];
			const int *pv = &tr->vv[(size_t)p * (size_t)n];
			for (int k = 0; k < n; k++)
				v[k] = pv[k] > v[k] ? pv[k] : v[k];
			if (p > v[tr->t[p].agent])
				v[tr->t[p].agent] = p;
		}
	}
}

static bool
is_ancestor(const struct trace *tr, long x, size_t of)
{
	return x <= tr->vv[of * (size_t)tr->nagents + (size_t)tr->t[x].agent];
}

static void
load_trace(struct trace *tr, const char *path)
{
	size_t len;
	char *json = read_gz(path, &len);
	tr->root = cJSON_ParseWithLength(json, len);
	free(json);
	if (tr->root == NULL)
		die("%s is not valid JSON", path);
	const cJSON *start = cJSON_GetObjectItemCaseSensitive(tr->root, "startContent");
	const cJSON *end = cJSON_GetObjectItemCaseSensitive(tr->root, "endContent");
	const cJSON *txns = cJSON_GetObjectItemCaseSensitive(tr->root, "txns");
	const cJSON *agents = cJSON_GetObjectItemCaseSensitive(tr->root, "numAgents");
	if (!cJSON_IsArray(txns) || !cJSON_IsString(end))
		die("%s lacks txns or endContent", path);
	if (cJSON_IsString(start) && start->valuestring[0] != '\0')
		die("%s starts from a non-empty text, which this tool does not load", path);
	tr->end = end->valuestring;
	tr->concurrent = cJSON_IsNumber(agents);
	tr->nagents = tr->concurrent ? agents->valueint : 1;
	if (tr->nagents < 1 || tr->nagents > 64)
		die("%s: bad numAgents", path);
	tr->ntxn = (size_t)cJSON_GetArraySize(txns);
	tr->t = xrealloc(NULL, tr->ntxn * sizeof *tr->t);
	memset(tr->t, 0, tr->ntxn * sizeof *tr->t);
	size_t i = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, txns) {
		load_txn(tr, &tr->t[i], o, i);
		i++;
	}
	if (tr->concurrent)
		index_ancestors(tr);
}

/* The op of one splice on a document of len code points. */
static void
build_patch_op(const struct patch *p, size_t len, struct ot_op *out)
{
	ot_init(out);
	if (p->pos > len || p->del > len - p->pos)
		die("a patch reaches past the end of the document");
	if (ot_retain(out, p->pos) != OT_OK || ot_delete(out, p->del) != OT_OK ||
	    ot_insert(out, p->text, p->len) != OT_OK ||
	    ot_retain(out, len - p->pos - p->del) != OT_OK)
		die("cannot build the operation of a patch");
}

/* The op of a transaction's patches, one after the other. */
static void
build_txn_op(const struct txn *t, size_t len, struct ot_op *out)
{
	build_patch_op(&t->p[0], len, out);
	for (size_t i = 1; i < t->np; i++) {
		struct ot_op one, both = OT_OP_INIT;
		build_patch_op(&t->p[i], out->target_len, &one);
		if (ot_compose(out, &one, &both) != OT_OK)
			die("cannot compose the patches of a transaction");
		ot_free(out);
		ot_free(&one);
		*out = both;
	}
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

static void
send_frame(struct agent *a, const struct proto_frame *f)
{
	char *json = proto_encode(f, PROTO_TO_SERVER);
	if (json == NULL)
		die("cannot encode a %s frame", proto_type_name(f->type));
	send_text(a, json);
	free(json);
}

static struct proto_frame
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

static const char *
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

/* One turn of the loop, waiting at most us microseconds. */
static void
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

/* Runs the loop until done(arg), or dies after WAIT_MS. */
static void
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

static void
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

/* Nothing pending anywhere; with every_rev, every client also holds every
 * revision made (one per operation sent). */
static bool
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

static bool
has_text(void *arg)
{
	return ((struct agent *)arg)->got != NULL;
}

/* ---- sequential traces --------------------------------------------------- */

static void
local_edit(struct agent *a, const struct ot_op *op, const char *cid)
{
	struct otclient_send s;
	if (otclient_local(a->ot, op, cid, &s) != OTCLIENT_OK)
		die("agent %d: the client refused a local edit", a->id);
	if (s.ready)
		send_op(a, &s);
}

static void
replay_sequential(const struct trace *tr, bool each)
{
	struct agent *a = &g.agents[0];
	size_t k = 0;
	for (size_t i = 0; i < tr->ntxn; i++) {
		for (size_t j = 0; j < tr->t[i].np; j++) {
			struct ot_op op;
			build_patch_op(&tr->t[i].p[j], doc_length(otclient_doc(a->ot)), &op);
			local_edit(a, &op, next_cid(a));
			ot_free(&op);
			if (each)
				wait_for(synced, NULL, "an ACK");
			else if (++k % SERVICE_EVERY == 0)
				pump(0);
		}
	}
}

/* ---- concurrent traces --------------------------------------------------- */

static unsigned char *
have(int agent, size_t txn, size_t ntxn)
{
	return &g.have[(size_t)agent * ntxn + txn];
}

static bool
queued(const struct agent *a, long txn)
{
	for (size_t i = 0; i < a->q_n; i++)
		if (a->q[a->q_start + i].txn == txn)
			return true;
	return false;
}

struct turn {
	const struct trace *tr;
	size_t t;
};

/* Transaction t can be made: nothing in flight anywhere (so the server
 * orders operations as the file does), and its agent has every parent. */
static bool
turn_ready(void *arg)
{
	const struct turn *u = arg;
	const struct txn *t = &u->tr->t[u->t];
	for (int i = 0; i < g.nagents; i++)
		if (g.agents[i].has_inflight)
			return false;
	const struct agent *a = &g.agents[t->agent];
	for (size_t i = 0; i < t->nparents; i++) {
		int p = t->parents[i];
		if (!g.noop[p] && !*have(a->id, (size_t)p, u->tr->ntxn) &&
		    !queued(a, p))
			return false;
	}
	return true;
}

/* Moves the queued ops up to the newest ancestor of t into the trace's
 * view. They must all be ancestors: one that is not, ordered before one
 * that is, would have to be taken out of the middle of the history. */
static void
accept_until(struct agent *a, const struct trace *tr, size_t t)
{
	size_t k = 0;
	for (size_t i = 0; i < a->q_n; i++)
		if (a->q[a->q_start + i].txn >= 0 &&
		    is_ancestor(tr, a->q[a->q_start + i].txn, t))
			k = i + 1;
	for (size_t i = 0; i < k; i++) {
		struct qop *q = &a->q[a->q_start + i];
		if (q->txn < 0 || !is_ancestor(tr, q->txn, t))
			die("transaction %zu: the server ordered %ld, which it has not"
			    " seen, before one of its parents", t, q->txn);
		a->len_tr += q->op.target_len;
		a->len_tr -= q->op.base_len;
		*have(a->id, (size_t)q->txn, tr->ntxn) = 1;
		ot_free(&q->op);
	}
	a->q_start += k;
	a->q_n -= k;
}

/* Makes transaction t in the trace's view of its agent's document, moves
 * it past the queued ops into the client's document and sends it. */
static void
make_txn(const struct trace *tr, size_t t)
{
	struct agent *a = &g.agents[tr->t[t].agent];
	accept_until(a, tr, t);
	struct ot_op op;
	build_txn_op(&tr->t[t], a->len_tr, &op);
	a->len_tr += op.target_len;
	a->len_tr -= op.base_len;
	*have(a->id, t, tr->ntxn) = 1;
	for (size_t i = 0; i < a->q_n; i++) {
		struct qop *q = &a->q[a->q_start + i];
		struct ot_op q2 = OT_OP_INIT, op2 = OT_OP_INIT;
		if (ot_transform(&q->op, &op, &q2, &op2) != OT_OK)
			die("transaction %zu does not fit its agent's document", t);
		ot_free(&q->op);
		ot_free(&op);
		q->op = q2;
		op = op2;
	}
	if (a->q_n > 0)
		a->client_transformed++;
	if (ot_is_noop(&op)) {
		g.noop[t] = true; /* a concurrent edit did it already */
		ot_free(&op);
		return;
	}
	char cid[24];
	snprintf(cid, sizeof cid, "t%zu", t);
	local_edit(a, &op, cid);
	if (!a->has_inflight && otclient_pending(a->ot) == 1) {
		a->inflight = op;
		a->has_inflight = true;
	} else {
		die("agent %d: transaction %zu was not sent at once", a->id, t);
	}
}

static void
replay_concurrent(const struct trace *tr)
{
	g.have = xrealloc(NULL, (size_t)g.nagents * tr->ntxn);
	memset(g.have, 0, (size_t)g.nagents * tr->ntxn);
	g.noop = xrealloc(NULL, tr->ntxn * sizeof *g.noop);
	memset(g.noop, 0, tr->ntxn * sizeof *g.noop);
	for (size_t t = 0; t < tr->ntxn; t++) {
		struct turn u = {tr, t};
		wait_for(turn_ready, &u, "the parents of a transaction");
		make_txn(tr, t);
	}
}

/* ---- main ---------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr, "usage: doc-replay --url ws://HOST:PORT/ [--pace stream|each]"
	    " [--room ROOM] FILE.json.gz\n");
	exit(2);
}

static const char *
trace_name(const char *path)
{
	static char name[128];
	const char *base = strrchr(path, '/');
	snprintf(name, sizeof name, "%s", base ? base + 1 : path);
	char *dot = strstr(name, ".json");
	if (dot != NULL)
		*dot = '\0';
	return name;
}

/* The client's text must be the trace's; returns its length in code points. */
static size_t
check_text(const char *who, const char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		size_t i = 0;
		while (got[i] && got[i] == want[i])
			i++;
		die("%s differs from endContent at byte %zu (%zu vs %zu bytes)", who, i,
		    strlen(got), strlen(want));
	}
	return utf8_count(got, strlen(got));
}

int
main(int argc, char **argv)
{
	const char *url = NULL, *pace = "stream", *file = NULL;
	g.room = "bench";
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--url") == 0 && i + 1 < argc)
			url = argv[++i];
		else if (strcmp(argv[i], "--pace") == 0 && i + 1 < argc)
			pace = argv[++i];
		else if (strcmp(argv[i], "--room") == 0 && i + 1 < argc)
			g.room = argv[++i];
		else if (argv[i][0] != '-' && file == NULL)
			file = argv[i];
		else
			usage();
	}
	bool each = strcmp(pace, "each") == 0;
	if (url == NULL || file == NULL || (!each && strcmp(pace, "stream") != 0))
		usage();

	struct trace tr;
	memset(&tr, 0, sizeof tr);
	load_trace(&tr, file);
	snprintf(g.doc, sizeof g.doc, "replay-%ld-%lld", (long)getpid(),
	    (long long)(mono_ms() % 1000000000));
	connect_agents(url, tr.nagents);

	double t0 = now_ms();
	if (tr.concurrent)
		replay_concurrent(&tr);
	else
		replay_sequential(&tr, each);
	wait_for(synced, &g, "the last ACKs and operations");
	double ms = now_ms() - t0;
	long long head = g.sent_ops;

	size_t len = 0;
	long long st = 0, ct = 0;
	for (int i = 0; i < g.nagents; i++) {
		struct agent *a = &g.agents[i];
		char who[32], *text = doc_text(otclient_doc(a->ot), NULL);
		snprintf(who, sizeof who, "agent %d's text", i);
		len = check_text(who, text, tr.end);
		free(text);
		st += a->server_transformed;
		ct += a->client_transformed;
	}
	struct agent *a0 = &g.agents[0];
	struct proto_frame get = doc_frame(PT_DOC_GET);
	get.rev = head;
	get.has_rev = true;
	send_frame(a0, &get);
	wait_for(has_text, a0, "DOC_TEXT");
	check_text("the server's text", a0->got, tr.end);

	size_t absorbed = 0;
	for (size_t t = 0; tr.concurrent && t < tr.ntxn; t++)
		absorbed += g.noop[t];
	const char *mode = tr.concurrent ? "causal" : pace;
	printf("trace               %s (%d agent%s, %zu transactions, %zu patches)\n",
	    trace_name(file), tr.nagents, tr.nagents > 1 ? "s" : "", tr.ntxn,
	    tr.npatches);
	printf("pace                %s\n", mode);
	printf("revisions           %lld (ops the server transformed: %lld)\n", head, st);
	printf("time                %.0f ms, %.0f patches/s, %.0f revisions/s\n", ms,
	    tr.npatches / (ms / 1e3), head / (ms / 1e3));
	printf("final text          %zu code points, equal to endContent on the server"
	    " and every client\n", len);
	printf("{\"trace\":\"%s\",\"mode\":\"server\",\"pace\":\"%s\",\"agents\":%d,"
	    "\"patches\":%zu,\"txns\":%zu,\"revisions\":%lld,\"final_length\":%zu,"
	    "\"ms\":%.1f,\"patches_per_s\":%.0f,\"server_transformed\":%lld,"
	    "\"client_transformed\":%lld,\"absorbed\":%zu}\n", trace_name(file), mode,
	    tr.nagents, tr.npatches, tr.ntxn, head, len, ms, tr.npatches / (ms / 1e3), st,
	    ct, absorbed);

	lws_context_destroy(g.ctx);
	for (int i = 0; i < g.nagents; i++) {
		struct agent *a = &g.agents[i];
		otclient_free(a->ot);
		ot_free(&a->inflight);
		for (size_t j = 0; j < a->q_n; j++)
			ot_free(&a->q[a->q_start + j].op);
		while (a->out_head) {
			struct frame *f = a->out_head;
			a->out_head = f->next;
			free(f);
		}
		free(a->q);
		free(a->rx);
		free(a->got);
	}
	free(g.agents);
	free(g.have);
	free(g.noop);
	for (size_t t = 0; t < tr.ntxn; t++) {
		free(tr.t[t].p);
		free(tr.t[t].parents);
	}
	free(tr.t);
	free(tr.vv);
	cJSON_Delete(tr.root);
	return 0;
}
