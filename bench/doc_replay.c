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
 * client per agent. A transaction is made by its agent once every parent
 * has been made and the server has sent it to that agent, and while no
 * operation is in flight anywhere (so each transaction is one operation,
 * and the server orders them as they are made); its positions are read in
 * the document exactly as its parents left it. The client applies what the
 * server sends at once; operations of others that the next transaction has
 * not seen yet wait in a queue beside the text (in the client's document,
 * moved past every later local edit) and join the trace's view of the
 * document only when a transaction needs them. replay_concurrent says in
 * which order the transactions are made.
 *
 * The last line of output is one JSON object with the figures; the time
 * runs from the first edit to the last ACK, the final DOC_GET excluded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <zlib.h>

#include "doc_replay.h"
#include "model/doc.h"
#include "model/utf8.h"

struct replay g;

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

/* ---- sequential traces --------------------------------------------------- */

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

/*
 * The order transactions are made in: the lowest agent whose next
 * transaction has every parent made goes next. Any causal order replays
 * the trace; this one also settles concurrent insertions at one place as
 * the recording editor did (the lower agent's text first), given the
 * server's tie rule (the operation it ordered first comes first).
 */
static void
replay_concurrent(const struct trace *tr)
{
	size_t n = tr->ntxn, *next = xrealloc(NULL, (size_t)g.nagents * sizeof *next);
	bool *made = xrealloc(NULL, n * sizeof *made);
	g.have = xrealloc(NULL, (size_t)g.nagents * n);
	g.noop = xrealloc(NULL, n * sizeof *g.noop);
	memset(g.have, 0, (size_t)g.nagents * n);
	memset(g.noop, 0, n * sizeof *g.noop);
	memset(made, 0, n * sizeof *made);
	for (int k = 0; k < g.nagents; k++)
		for (next[k] = 0; next[k] < n && tr->t[next[k]].agent != k; next[k]++)
			;
	for (size_t done = 0; done < n; done++) {
		size_t pick = n;
		for (int k = 0; k < g.nagents && pick == n; k++) {
			const struct txn *t = next[k] < n ? &tr->t[next[k]] : NULL;
			bool ok = t != NULL;
			for (size_t i = 0; ok && i < t->nparents; i++)
				ok = made[t->parents[i]];
			if (ok)
				pick = next[k];
		}
		if (pick == n)
			die("no transaction has all its parents: the trace is not causal");
		struct turn u = {tr, pick};
		wait_for(turn_ready, &u, "the parents of a transaction");
		make_txn(tr, pick);
		made[pick] = true;
		int k = tr->t[pick].agent;
		do
			next[k]++;
		while (next[k] < n && tr->t[next[k]].agent != k);
	}
	free(next);
	free(made);
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
