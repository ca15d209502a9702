/*
 * server: the state of one confabd process and the types its parts share.
 *
 * Single-threaded: everything here is touched only from the libwebsockets
 * service loop. ws.c turns sockets into sessions and frames; hub.c applies
 * frames to rooms, users and the store; docs.c is the authority over the
 * rooms' shared documents; broker_local.c fans frames out to the sessions
 * subscribed to a room; http.c answers /health and /metrics.
 */
#ifndef CONFAB_SERVER_H
#define CONFAB_SERVER_H

#include <glib.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/presence.h"
#include "model/proto.h"
#include "model/ratelimit.h"
#include "server/broker.h"
#include "server/store.h"

struct server_config {
	const char *listen_host;
	int port;
	const char *db_path;
	const char *port_file;
	int log_level;
	size_t max_frame;
	size_t max_text;
	double rate, burst;
	size_t max_rooms;
	size_t max_queue;
	int64_t heartbeat_ms;
	bool sync_full;
	size_t doc_log; /* operations kept per document for transforming */
	size_t max_doc; /* longest document, in code points */
	bool db_check;  /* quick_check the database at start */
};

/* A frame encoded once and shared by every session it goes to. */
struct outbuf {
	unsigned refs;
	size_t len;
	unsigned char data[]; /* LWS_PRE bytes of headroom, then the payload */
};

struct room {
	char *name;
	int64_t id;
	int64_t committed; /* highest seq known to be durable */
	struct typing typing;
};

struct user {
	char *name;
	struct presence presence;
	GHashTable *rooms;   /* room names the user is a member of (set) */
	GPtrArray *sessions; /* struct session * */
};

/* A session's subscription to a room. While replay_next > 0 the session is
 * catching up from the store and live frames of the room skip it. */
struct sub {
	struct room *room;
	int64_t replay_next;
};

struct session {
	uint64_t id;
	char sid[24];
	struct lws *wsi;
	struct server *srv;
	struct user *user; /* NULL until HELLO */
	GHashTable *subs;  /* room name -> struct sub * */
	GQueue out;        /* struct outbuf * */
	size_t out_bytes;
	char *rx;          /* the frame being assembled */
	size_t rx_len, rx_cap;
	bool rx_binary, rx_too_large;
	struct ratelimit rl;
	int64_t last_rx;
	bool dead;         /* closing; nothing more is queued */
	int close_code;
	unsigned mark;     /* de-duplicates a fan-out over several rooms */
	unsigned replaying; /* subs with a replay under way (never below the
	                       true count; hub_session_drained makes it exact) */
};

struct metrics {
	uint64_t frames_in, frames_out, messages_stored, slow_disconnects;
	uint64_t errors[PE_COUNT];
};

/* A request waiting for its transaction to commit: a MESSAGE (msg), or a
 * document operation (docop, owned by docs.c). */
struct pending {
	uint64_t session;
	struct room *room;
	struct store_msg msg;
	bool duplicate;
	struct doc_pending *docop;
};

struct server {
	struct server_config cfg;
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct store *store;
	struct broker *broker;
	GHashTable *rooms;    /* name -> struct room * */
	GHashTable *users;    /* name -> struct user * */
	GHashTable *sessions; /* id (uint64 in pointer) -> struct session * */
	uint64_t next_session;
	GArray *pending;      /* struct pending, in arrival order */
	GHashTable *docs;     /* "room/doc" -> struct sdoc * (docs.c), loaded ones */
	struct notif_state *notif; /* notify.c */
	lws_sorted_usec_list_t flush_sul, tick_sul;
	struct metrics m;
	struct store_check store_state; /* what /health reports of the store */
	unsigned mark;
	int64_t started;
	bool stopping;   /* no new sessions */
	bool destroying; /* the lws context is going: send nothing */
};

int64_t now_ms(void);

/* ws.c */
struct outbuf *outbuf_new(const char *payload, size_t len);
void outbuf_unref(struct outbuf *b);
/* Queues b on s (taking a reference); drops a session that is too slow. */
void session_send(struct session *s, struct outbuf *b);
/* Encodes and queues one frame for one session. */
void session_send_frame(struct session *s, const struct proto_frame *f);
void session_send_error(struct session *s, enum proto_err code, const char *cid,
    const char *ref, const char *reason);
void session_close(struct session *s, int code, const char *reason);
extern const struct lws_protocols server_protocols[];

/* A decoded request and where it came from. */
struct req {
	struct server *srv;
	struct session *s;
	const struct proto_frame *f;
	const char *ref;
};

/* hub.c */
void hub_init(struct server *srv);
void hub_destroy(struct server *srv);
void hub_session_open(struct server *srv, struct session *s);
void hub_session_closed(struct server *srv, struct session *s);
void hub_frame(struct server *srv, struct session *s, const char *buf, size_t len);
void hub_session_drained(struct server *srv, struct session *s);
void hub_tick(struct server *srv);
void hub_flush(struct server *srv);
/* Delivery from the broker: respects a session's replay of that room. */
void hub_deliver(struct session *s, const char *room, struct outbuf *b);
/* For request handlers outside hub.c: an ERROR answering q; the session's
 * subscription to q's room or an ERROR not_joined; an ERROR internal after
 * a store failure (logged). */
void hub_req_error(const struct req *q, enum proto_err code, const char *reason);
/* Sends f to every session in room but except (NULL: all). */
void hub_publish(struct server *srv, const char *room,
    const struct proto_frame *f, const struct session *except);
/* A stored message as protocol (strings borrowed; its id written to idbuf)
 * and as a MESSAGE frame. */
void hub_to_proto(const struct store_msg *m, const char *room,
    struct proto_message *p, char *idbuf, size_t idlen);
struct proto_frame hub_message_frame(const struct proto_message *pm);
struct sub *hub_joined(const struct req *q);
void hub_store_failed(struct server *srv, struct session *s, const char *cid,
    const char *ref);
/* Logs the store's last error and marks the store failing for /health
 * (until a commit succeeds again). */
void hub_store_error(struct server *srv);
/* Joins later writes of this loop turn to one transaction (committed by
 * hub_flush); hub_batch_abort rolls it back and fails everything pending. */
int hub_batch_begin(struct server *srv);
void hub_batch_abort(struct server *srv);
/* Fails every request waiting for a commit (the transaction is gone). */
void hub_batch_fail(struct server *srv);

/* docs.c: the shared documents. */
void docs_init(struct server *srv);
void docs_destroy(struct server *srv);
void docs_handle_open(const struct req *q);
void docs_handle_close(const struct req *q);
void docs_handle_op(const struct req *q);
void docs_handle_cursor(const struct req *q);
void docs_handle_history(const struct req *q);
void docs_handle_get(const struct req *q);
/* A pending document operation after its transaction: committed, it is
 * ACKed and broadcast; else its sender gets ERROR internal. Frees it. */
void docs_pending_done(struct server *srv, struct pending *p, bool committed);
/* The transaction was rolled back: documents return to their committed
 * revision. */
void docs_rollback(struct server *srv);
/* s stops viewing the documents of room (LEAVE), or every document. */
void docs_session_left(struct server *srv, struct session *s, const char *room);
void docs_session_closed(struct server *srv, struct session *s);

/* http.c */
int http_serve(struct server *srv, struct lws *wsi, const char *uri);
/* ws.c: queues an HTTP response with the given body (copied). */
int http_respond(struct lws *wsi, unsigned status, const char *type, char *text);
/* The body of /health; *status 200, or 503 when the store is not fit. */
char *http_health(struct server *srv, unsigned *status);
char *http_metrics(struct server *srv);

#endif
