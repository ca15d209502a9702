/*
 * doc_replay: what the two halves of doc-replay share: doc_replay.c reads
 * the trace and decides the order of the edits, doc_replay_net.c runs the
 * clients (WebSocket, confab.v1 frames, the OT buffer of each writer).
 */
#ifndef CONFAB_DOC_REPLAY_H
#define CONFAB_DOC_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "model/ot.h"
#include "model/otclient.h"
#include "model/proto.h"
#include "model/xmalloc.h"

#define WAIT_MS 60000
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

struct replay {
	struct lws_context *ctx;
	lws_sorted_usec_list_t wake;
	struct agent *agents;
	int nagents;
	const char *room;
	char doc[48];
	unsigned char *have; /* per agent and txn: in the agent's trace view */
	bool *noop;          /* txns that changed nothing and were never sent */
	long long sent_ops;
};
extern struct replay g;


void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int64_t mono_ms(void);

/* doc_replay_net.c */
void connect_agents(const char *url, int n);
/* One turn of the loop, waiting at most us microseconds. */
void pump(lws_usec_t us);
/* Runs the loop until done(arg), or dies after WAIT_MS. */
void wait_for(bool (*done)(void *), void *arg, const char *what);
/* Nothing pending anywhere; with a non-NULL arg, every client also holds
 * every revision made (one per operation sent). */
bool synced(void *arg);
bool has_text(void *arg); /* arg: an agent with a DOC_TEXT answer */
struct proto_frame doc_frame(enum proto_type type);
void send_frame(struct agent *a, const struct proto_frame *f);
const char *next_cid(struct agent *a);
/* A local edit through the agent's client, sent when the client says so. */
void local_edit(struct agent *a, const struct ot_op *op, const char *cid);

#endif
