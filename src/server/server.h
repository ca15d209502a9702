/*
 * server: the state of one confabd process and the types its parts share.
 *
 * Single-threaded: everything here is touched only from the libwebsockets
 * service loop. listen.c accepts connections, conn.c reads HTTP and hands
 * WebSocket upgrades to ws.c, which turns them into sessions and frames;
 * hub.c applies frames to rooms, users and the store; docs.c is the
 * authority over the rooms' shared documents; broker_local.c fans frames
 * out to the sessions subscribed to a room; http.c answers /health and
 * /metrics; hsess.c carries sessions over plain HTTP (SSE, long polling).
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
#include "server/wsframe.h"

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
	size_t max_queue;       /* unsent bytes per session */
	size_t max_queue_total; /* unsent bytes of every session together */
	int64_t heartbeat_ms;
	bool sync_full;
	size_t doc_log; /* operations kept per document for transforming */
	size_t doc_log_bytes; /* and the memory they may take */
	size_t max_op;  /* most components in one operation */
	size_t max_doc; /* longest document, in code points */
	bool db_check;  /* quick_check the database at start */
	bool accounts;  /* --auth accounts (HELLO needs a token), or none */
	bool open_registration; /* REGISTER makes accounts */
	int64_t token_ttl_s;    /* how long a sign-in is good */
	const char *tls_cert, *tls_key; /* serve wss:// and https:// */
	bool insecure_plaintext; /* plaintext on a non-loopback address */
	/* Abuse limits (limits.c); 0 turns a count off. */
	size_t max_conns_per_ip;      /* connections at once from one address */
	int64_t handshake_timeout_ms; /* connect to HELLO */
	size_t max_sessions_per_user;
	size_t max_created_rooms;     /* rooms one user may create */
	size_t max_created_docs;      /* documents one user may create */
	const char **allow_origins;   /* browsers' Origins allowed besides the
	                                 server's own host ("*": any) */
	size_t nallow_origins;
	int64_t poll_hold_ms; /* a long poll is held at most this long */
	const char *web_dir;  /* the web client's files; NULL: the default */
};

struct server;

/* An answer produced piece by piece as its session's socket drains: one
 * WebSocket message, sent as fragments (a big JOINED, HISTORY, DOC_STATE).
 * next appends the next piece of its JSON text (about OSTREAM_PIECE bytes)
 * to out and says whether the message is complete; OS_FAIL ends the
 * session (1011), since half a message cannot be taken back. */
enum ostream_step { OS_MORE, OS_DONE, OS_FAIL };
#define OSTREAM_PIECE (64 * 1024)
struct ostream {
	enum ostream_step (*next)(struct ostream *o, struct server *srv, GString *out);
	void (*free)(struct ostream *o);
	size_t held; /* bytes it holds for this session alone (budgets) */
};

/* A frame encoded once and shared by every session it goes to, or (stream
 * set, len 0) an answer still to be produced, owned by one session. */
struct outbuf {
	unsigned refs;
	size_t len;
	struct ostream *stream;
	unsigned char data[]; /* LWS_PRE bytes of headroom, then the payload */
};

/* A room's rights, loaded with the room (rights.c). */
struct room_rights {
	bool is_private;
	char *owner;     /* its creator; NULL while it has none */
	GPtrArray *mods; /* char *, in name order */
};

struct room {
	char *name;
	int64_t id;
	int64_t committed; /* highest seq known to be durable */
	int64_t rev;       /* highest change rev known to be durable (msgs.c) */
	struct typing typing;
	struct room_rights rights;
};

struct user {
	char *name;
	struct presence presence;
	GHashTable *rooms;   /* room names the user is a member of (set) */
	GPtrArray *sessions; /* struct session * */
	struct docs_where *where; /* the documents it has open (docs_where.c) */
};

/* A session's subscription to a room. While replay_next > 0 the session is
 * catching up from the store and live frames of the room skip it; so too
 * while changes is set: it is catching up with the changes after rev
 * change_next - 1 (msgs.c), of messages up to change_seq, or of any
 * message past change_rev0. seen is the last seq it holds. */
struct sub {
	struct room *room;
	int64_t replay_next;
	bool changes;
	int64_t change_next, change_seq, change_rev0, seen;
};

static inline bool
sub_replaying(const struct sub *sub)
{
	return sub->replay_next > 0 || sub->changes;
}

enum session_closing {
	CLOSING_NO,
	CLOSING_GRACEFUL, /* what is queued goes first (shutdown) */
	CLOSING_DROP,     /* the queue is dropped; waits for the peer's close */
	CLOSING_FAIL,     /* the queue is dropped; no wait after the close */
};

struct conn;
struct req;

/* How a session's output leaves and its input is let in: the transport.
 * The queue (s->out), its budgets and the close state are the session's;
 * a transport drains the queue as its peer takes it. ws.c is one
 * transport (a WebSocket); hsess.c gives the others (Server-Sent Events
 * with POST /send, and long polling). The hub never knows which carries a
 * session. */
struct session_transport {
	const char *name; /* "ws", "sse", "poll" (metrics, logs) */
	/* Something is queued, a close began, or deferred work (a replay) may
	 * go on: drain when the peer can take it. Called from inside fan-outs
	 * and handlers: it must only schedule, never write or free. */
	void (*wake)(struct session *s);
	/* A close began, or (close_sent) nothing more is owed to the peer. */
	void (*closing)(struct session *s);
	/* The session's input may be read again (it was blocked). */
	void (*unblock)(struct session *s);
	/* The peer's address, for logs and sign-in limits. */
	void (*peer)(struct session *s, char *out, size_t cap);
	/* The connection that carried it is gone (conn.c): frees it. */
	void (*gone)(struct session *s);
};

struct session {
	uint64_t id;
	char sid[24];
	const struct session_transport *tx;
	void *tx_data;     /* the transport's own state */
	struct lws *wsi;   /* WebSocket: its connection */
	struct conn *conn;
	struct server *srv;
	struct user *user; /* NULL until HELLO */
	GHashTable *subs;  /* room name -> struct sub * */
	GQueue out;        /* struct outbuf * */
	size_t out_bytes;  /* queued and not yet written, streams' held too */
	size_t head_sent;  /* bytes of the head outbuf already written */
	bool streaming;    /* the head stream has sent its first fragment */
	struct wsf_decoder dec;
	char *rx;          /* the message being assembled */
	size_t rx_len, rx_cap;
	bool rx_binary;
	unsigned char *pong; /* a ping's payload to answer (pong_due), else NULL */
	size_t pong_len;
	bool pong_due;
	struct ratelimit rl;
	int64_t last_rx;
	int64_t opened;    /* when its connection was accepted (ms) */
	bool dead;         /* closing: nothing more is queued */
	enum session_closing closing;
	int close_code;
	char *close_reason; /* NULL until a close began (at most 63 bytes) */
	bool close_sent, peer_closed;
	bool detached;     /* gone from the hub; only the close remains */
	bool blocked;      /* its input waits for long work to finish */
	unsigned doc_replays; /* its viewers with a replay under way */
	struct proto_frame *parked; /* a request waiting for a job (hub_park) */
	void (*parked_fn)(const struct req *);
	bool park_now;     /* the running handler parks its request */
	unsigned mark;     /* de-duplicates a fan-out over several rooms */
	unsigned replaying; /* subs with a replay under way (never below the
	                       true count; hub_session_drained makes it exact) */
	char *token;       /* the sign-in HELLO carried, for LOGOUT; or NULL */
	bool signing_in;   /* a LOGIN or REGISTER is being checked */
};

struct metrics {
	uint64_t frames_in, frames_out, messages_stored, slow_disconnects;
	uint64_t budget_disconnects, heartbeat_disconnects, protocol_errors;
	uint64_t http_requests, accept_pauses;
	uint64_t conns_refused, handshake_timeouts, origins_refused; /* limits */
	uint64_t errors[PE_COUNT];
};

/* A request waiting for the loop turn's transaction, and how it ends: each
 * kind of request says so in its own file (a callback plus its data, as
 * redis's ae and tmux's cmdq do), so batch.c names none of them. After the
 * commit, committed answers and announces it; after a rollback,
 * rolled_back answers it with an ERROR; then free frees data either way.
 * Entries are completed once each, in the order they were queued. */
struct pending_kind {
	void (*committed)(struct server *srv, void *data);
	void (*rolled_back)(struct server *srv, void *data);
	void (*free)(struct server *srv, void *data);
};
struct pending {
	const struct pending_kind *kind;
	void *data;
};

/* What keeps state in memory beside the transaction (documents ahead of
 * their committed revision, notifications not yet pushed): rolled_back
 * runs before any pending entry's, committed after every one's. Either
 * may be NULL. */
struct batch_watch {
	void (*committed)(struct server *srv);
	void (*rolled_back)(struct server *srv);
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
	GArray *pending;      /* struct pending, in arrival order (batch.c) */
	GPtrArray *watches;   /* const struct batch_watch *, in the order given */
	GHashTable *docs;     /* "room/doc" -> struct sdoc * (docs.c), loaded ones */
	struct notif_state *notif; /* notify.c */
	struct reads_state *reads; /* reads.c: receipts being paced */
	lws_sorted_usec_list_t flush_sul, tick_sul;
	struct metrics m;
	struct store_check store_state; /* what /health reports of the store */
	size_t queued;        /* sum of the sessions' out_bytes */
	GArray *reap;         /* ids of dropped sessions to take off the hub */
	lws_sorted_usec_list_t reap_sul;
	struct listener *listener; /* listen.c */
	const char *adopting; /* the address of the connection being adopted */
	uint64_t turn;        /* loop turns (main.c counts them) */
	uint64_t work_turn;   /* the turn work_t0 belongs to */
	int64_t work_t0;      /* when deferrable work began this turn (us) */
	GQueue jobs;          /* struct job * (jobs.c) */
	lws_sorted_usec_list_t jobs_sul;
	unsigned mark;
	int64_t started;
	struct auth *auth;    /* accounts.c: sign-ins (with --auth accounts) */
	GHashTable *http_sessions; /* hsess.c: id -> struct hsess * */
	bool stopping;   /* no new sessions */
	bool destroying; /* the lws context is going: send nothing */
};

int64_t now_ms(void);
int64_t mono_us(void); /* a monotonic clock, for time slices */

/* signin.c: the sign-in requests; signin_hello is false (the session
 * told and closed) when HELLO may not go on. */
bool signin_hello(const struct req *q);
void signin_handle_login(const struct req *q);
void signin_handle_register(const struct req *q);
void signin_handle_logout(const struct req *q);
/* A token was logged out: every session it signed in ends (4003). */
void signin_token_ended(struct server *srv, const char *token);

/* ws.c: sessions and their queues, whatever the transport. */
/* A new session on transport tx (opened: when its connection was
 * accepted, ms), known to the hub; session_free takes it off the hub if it
 * is still there and frees it with its queue. */
struct session *session_new(struct server *srv,
    const struct session_transport *tx, void *tx_data, int64_t opened);
void session_free(struct session *s);
/* Wipes and frees the sign-in token the session holds, if any. */
void session_forget_token(struct session *s);
/* For transports that send whole frames (SSE, long polling): moves the
 * next frame of the queue to the end of out. */
enum session_take {
	SESSION_EMPTY,  /* nothing queued */
	SESSION_TAKEN,  /* out ends with one whole frame */
	SESSION_LATER,  /* a stream is part-way (its part is in out): call
	                   again in a later turn with the same out */
	SESSION_FAILED, /* a stream failed: the session is closing */
};
enum session_take session_take(struct session *s, GString *out);
/* Bytes a transport holds for the session outside its queue (a long
 * poll's answer kept for a retry): they count in its budgets. */
void session_account(struct session *s, size_t add, size_t sub);
static inline void
session_wake(struct session *s)
{
	s->tx->wake(s);
}
static inline void
session_peer(struct session *s, char *out, size_t cap)
{
	s->tx->peer(s, out, cap);
}
struct outbuf *outbuf_new(const char *payload, size_t len);
void outbuf_unref(struct outbuf *b);
/* Queues b on s (taking a reference); drops a session that is too slow
 * (4002), and the biggest queues when every session's together pass
 * --max-queue-total. */
void session_send(struct session *s, struct outbuf *b);
/* Queues an answer to be produced as the socket drains (takes o). */
void session_send_stream(struct session *s, struct ostream *o);
/* Encodes and queues one frame for one session. */
void session_send_frame(struct session *s, const struct proto_frame *f);
void session_send_error(struct session *s, enum proto_err code, const char *cid,
    const char *ref, const char *reason);
/* Closes after what is queued (a shutdown's 1001). */
void session_close(struct session *s, int code, const char *reason);
/* Closes at once: the queue is dropped, the session leaves the hub, and
 * only the close frame is still sent (4001, 4002). */
void session_drop(struct session *s, int code, const char *reason);
/* Lets a blocked session read its next frames again. */
void session_unblock(struct session *s);
/* ws.c, for conn.c: a new session on an upgraded connection; bytes
 * received on it (returns how many were used: fewer while it is blocked;
 * -1 to close the connection now); its socket is writable (-1 to close,
 * 1 once its close is sent: the connection lingers, then closes); its
 * connection is gone. */
struct session *ws_session_open(struct server *srv, struct conn *c);
int ws_session_rx(struct session *s, unsigned char *buf, size_t len);
int ws_session_writeable(struct session *s);
void ws_session_gone(struct session *s);
/* The sessions' bytes queued fell: hub_session_drained for replays. */
#define SESSION_LOW_WATER(srv) ((srv)->cfg.max_queue / 4)

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
/* Commits the loop turn's transaction; -1 when the commit failed (then
 * everything pending failed with it). */
int hub_flush(struct server *srv);
/* Whether deferrable work (replays, streams, long jobs) may go on in this
 * loop turn: each turn gives it a few milliseconds, so that a heavy
 * request never holds up everyone's events. */
bool hub_work_left(struct server *srv);
#define WORK_SLICE_US 4000
/* Delivery from the broker: respects a session's replay of that room. */
void hub_deliver(struct session *s, const char *room, struct outbuf *b);
/* For request handlers outside hub.c: an ERROR answering q; the session's
 * subscription to q's room or an ERROR not_joined; an ERROR internal after
 * a store failure (logged). */
void hub_req_error(const struct req *q, enum proto_err code, const char *reason);
/* The ACK of q, naming room. */
void hub_req_ack(const struct req *q, const char *room);
/* An ERROR answering q that names the room it refuses (a JOIN, or a room
 * HELLO resumes). */
void hub_room_error(const struct req *q, const char *room, enum proto_err code,
    const char *reason);
/* Sends f to every session in room but except (NULL: all). */
void hub_publish(struct server *srv, const char *room,
    const struct proto_frame *f, const struct session *except);
/* A stored message as protocol (strings borrowed; its id written to idbuf)
 * and as a MESSAGE frame. */
void hub_to_proto(const struct store_msg *m, const char *room,
    struct proto_message *p, char *idbuf, size_t idlen);
struct proto_frame hub_message_frame(const struct proto_message *pm);
/* Frees what hub_to_proto made for p (its list of reactions). */
void hub_proto_release(struct proto_message *p);
struct sub *hub_joined(const struct req *q);
/* Sends f to every session in room at once, a session replaying the room
 * too (an event that the replay would never bring). */
void hub_publish_now(struct server *srv, const char *room,
    const struct proto_frame *f);
/* user is no longer a member of r (LEAVE, a kick, a ban): every session of
 * theirs leaves the room (its documents closed), their typing there ends. */
void hub_member_gone(struct server *srv, struct room *r, const char *user);
/* The user called name if one has signed in during this run, else NULL. */
struct user *hub_user(struct server *srv, const char *name);
/* The room called name if it is loaded, else NULL. */
struct room *hub_room(struct server *srv, const char *name);
/* Parks q: its frame is kept and its session reads nothing more until
 * hub_resume runs it again (ok) or answers it with ERROR internal. */
void hub_park(const struct req *q);
void hub_resume(struct server *srv, struct session *s, bool ok);
/* The parked request was answered (by its job): s reads on. */
void hub_unpark(struct server *srv, struct session *s);
/* Frees a parked request (its session goes). */
void hub_park_drop(struct session *s);
void hub_store_failed(struct server *srv, struct session *s, const char *cid,
    const char *ref);
/* Logs the store's last error and marks the store failing for /health
 * (until a commit succeeds again). */
void hub_store_error(struct server *srv);
/* Joins later writes of this loop turn to one transaction (committed by
 * hub_flush); hub_batch_abort rolls it back and fails everything pending. */
int hub_batch_begin(struct server *srv);
void hub_batch_abort(struct server *srv);
/* A request's write committed at once: hub_req_begin (false, with q
 * answered, when no transaction begins), the write, then hub_req_commit
 * with the write's result (false, with q answered, when the write or the
 * commit failed). */
bool hub_req_begin(const struct req *q);
bool hub_req_commit(const struct req *q, int rc);
/* Fails every request waiting for a commit (the transaction is gone). */
void hub_batch_fail(struct server *srv);
/* Queues data, written in the open transaction, to be completed by kind
 * once the transaction is over. */
void hub_pend(struct server *srv, const struct pending_kind *kind, void *data);
/* w (static) is told of every transaction's end from now on. */
void hub_batch_watch(struct server *srv, const struct batch_watch *w);

/* docs.c: the shared documents. */
void docs_init(struct server *srv);
void docs_destroy(struct server *srv);
void docs_handle_open(const struct req *q);
void docs_handle_close(const struct req *q);
void docs_handle_op(const struct req *q);
void docs_handle_cursor(const struct req *q);
void docs_handle_history(const struct req *q);
void docs_handle_get(const struct req *q);
void docs_handle_tag(const struct req *q);
/* docs_comments.c: documents' comments. */
void docs_handle_comment(const struct req *q);
void docs_handle_comment_reply(const struct req *q);
void docs_handle_comment_resolve(const struct req *q);
void docs_handle_comment_edit(const struct req *q);
void docs_handle_comment_delete(const struct req *q);
/* docs_suggest.c: DOC_SUGGEST, SUGGEST_ACCEPT, SUGGEST_REJECT, DOC_MODE. */
void docs_handle_suggest(const struct req *q);
void docs_handle_accept(const struct req *q);
void docs_handle_reject(const struct req *q);
void docs_handle_mode(const struct req *q);
/* s stops viewing the documents of room (LEAVE), or every document. */
void docs_session_left(struct server *srv, struct session *s, const char *room);
void docs_session_closed(struct server *srv, struct session *s);
/* docs_where.c: the document each user is in, for presence. The session
 * is closing: forgets its documents; true when the user's document
 * changed (their presence is due). */
bool docs_where_forget(struct session *s);
/* The user's document, or none; and the same only when it is in room. */
struct proto_docref docs_where_of(const struct user *u);
struct proto_docref docs_where_in(const struct user *u, const char *room);
void docs_where_free(struct user *u);
/* docs_list.c */
void docs_handle_list(const struct req *q);
/* Continues the document replays (DOC_OPEN with since) of s while its
 * queue has room; returns how many are still under way, and sets
 * *deferred when the turn's time ran out. */
unsigned docs_replaying(struct server *srv, struct session *s, bool *deferred);

/* http.c: the HTTP routes. An answer: status, extra header lines (each
 * ending in CRLF), content type and body (g_free it). */
struct http_answer {
	unsigned status;
	char headers[1024];
	const char *type;
	char *body;
	/* headers say Cache-Control and Content-Security-Policy (the web
	 * client's files); otherwise no-store and default-src 'none' */
	bool own_policy;
};
struct http1_req;
struct conn;
/* A request as a route sees it: its head, its body (POST routes only; at
 * most SIGNIN_BODY_MAX bytes), the peer's address. */
struct http_call {
	const struct http1_req *req;
	const char *body;
	size_t body_len;
	const char *addr;
	struct conn *conn;
};
/* True when the request takes a body (its length already checked). */
bool http_takes_body(const struct http1_req *req);
/* Answers in *a and returns true, or returns false: the route answers on a
 * later turn through the http_wait it took. */
bool http_route(struct server *srv, const struct http_call *call,
    struct http_answer *a);
/* conn.c: an answer given later. A route takes one for its call; the
 * answer goes to the connection if it is still there, and frees w. */
struct http_wait;
struct http_wait *http_wait_take(struct conn *c);
void http_wait_answer(struct http_wait *w, struct http_answer *a);
/* http_signin.c: POST /login, /register, /logout (docs/protocol.md, "Sign-in
 * over HTTP"); false when the path is none of them. */
bool http_signin_route(struct server *srv, const struct http_call *call,
    struct http_answer *a, bool *later);
/* http_static.c: the web client's files at / and /NAME; answers every
 * path given to it (404 for what it does not serve). */
bool http_static_route(struct server *srv, const struct http_call *call,
    struct http_answer *a);
/* Where the web client's files are read from. */
const char *http_static_dir(const struct server_config *cfg);
/* The body of /health; *status 200, or 503 when the store is not fit. */
char *http_health(struct server *srv, unsigned *status);
char *http_metrics(struct server *srv);
const char *http_reason(unsigned status);

/* listen.c: the listening socket, accepting with a back-off when the
 * process runs out of descriptors. */
int listener_open(struct server *srv, const char *host, int port, int *bound);
void listener_fd_freed(struct server *srv);
/* The connections counted per address (--max-conns-per-ip): addr, as
 * conn_adopt got it, closed one. */
#define LISTENER_ADDR_MAX 64
void listener_conn_closed(struct server *srv, const char *addr);
void listener_close(struct server *srv);

#endif
