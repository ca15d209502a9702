/*
 * confabd: the reference confab.v1 server. Parses options, opens the store,
 * runs the libwebsockets loop until SIGTERM/SIGINT, then closes every
 * session with 1001 and commits what is pending before it exits.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/accounts.h"
#include "server/conn.h"
#include "server/hsess.h"
#include "server/server.h"
#include "server/usercmd.h"

static volatile sig_atomic_t stop_signal;
static struct lws_context *signal_ctx;

static void
on_signal(int sig)
{
	stop_signal = sig;
	if (signal_ctx != NULL)
		lws_cancel_service(signal_ctx); /* wakes poll(); a pipe write */
}

static volatile sig_atomic_t hangup_signal;

static void
on_hangup(int sig)
{
	(void)sig;
	hangup_signal = 1;
	if (signal_ctx != NULL)
		lws_cancel_service(signal_ctx);
}

/* SIGHUP: the certificate and key again (a renewed certificate), for the
 * connections that come next; on failure the old ones stay. */
static void
reload_certificates(struct server *srv)
{
	if (srv->cfg.tls_cert == NULL)
		return;
	if (lws_tls_cert_updated(srv->ctx, srv->cfg.tls_cert, srv->cfg.tls_key,
	    NULL, 0, NULL, 0) != 0)
		fprintf(stderr, "confabd: cannot load %s and %s again; the old "
		    "certificate stays\n", srv->cfg.tls_cert, srv->cfg.tls_key);
	else
		fprintf(stderr, "confabd: certificate %s loaded again\n",
		    srv->cfg.tls_cert);
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: confabd [options]\n"
	    "  --listen HOST:PORT   address to listen on (default 127.0.0.1:7681;\n"
	    "                       port 0 picks a free one)\n"
	    "  --db PATH            SQLite database (default confab.db)\n"
	    "  --port-file PATH     write the bound port there once listening\n"
	    "  --log-level LEVEL    error, warn, notice, info or debug (default notice)\n"
	    "  --max-frame BYTES    largest accepted frame (default 65536)\n"
	    "  --max-text N         longest message text in code points (default 4000)\n"
	    "  --rate N             frames per second per session, 0 = unlimited (default 20)\n"
	    "  --burst N            rate-limit burst (default 40)\n"
	    "  --max-rooms N        rooms per session (default 100)\n"
	    "  --max-queue BYTES    unsent bytes per session before it is dropped\n"
	    "                       with 4002 (default 4194304)\n"
	    "  --max-queue-total BYTES  unsent bytes of all sessions together; past\n"
	    "                       it the biggest queues are dropped (default 268435456)\n"
	    "  --heartbeat-ms MS    heartbeat interval (default 15000)\n"
	    "  --poll-hold-ms MS    how long a long poll is held (default 25000,\n"
	    "                       at most 1.75 heartbeat intervals)\n"
	    "  --sync full|normal   SQLite durability on power loss (default full)\n"
	    "  --doc-log N          operations kept per document for transforming\n"
	    "                       late edits (default 10000)\n"
	    "  --doc-log-bytes BYTES  memory those operations may take per document;\n"
	    "                       the oldest go first (default 8388608)\n"
	    "  --max-op N           most components (retains, inserts, deletes) in one\n"
	    "                       document operation (default 4096)\n"
	    "  --max-doc N          longest shared document in code points\n"
	    "                       (default 1000000)\n"
	    "  --db-check quick|none  at start, read the whole database for damage\n"
	    "                       (quick, the default) or only prove it writable\n"
	    "  --auth accounts|none  accounts (the default): HELLO must carry the\n"
	    "                       token of a sign-in; none: whoever says HELLO is\n"
	    "                       who they say (loopback only)\n"
	    "  --open-registration  let people make their own accounts (REGISTER)\n"
	    "  --token-days N       how long a sign-in is good (default 30)\n"
	    "  --tls-cert FILE --tls-key FILE  serve wss:// and https:// (PEM);\n"
	    "                       SIGHUP loads them again\n"
	    "  --insecure-plaintext  allow ws:// on an address other than loopback\n"
	    "  --web-dir DIR        the web client's files, served at / (default:\n"
	    "                       the installed ones, else the source tree's web/)\n"
	    "abuse limits (0 turns a count off):\n"
	    "  --max-conns-per-ip N connections at once from one address (an IPv6\n"
	    "                       /64); more are refused (default 64)\n"
	    "  --handshake-timeout SECONDS  from connecting to HELLO, the WebSocket\n"
	    "                       upgrade included; slower is closed (default 10)\n"
	    "  --max-sessions-per-user N  sessions of one user at once (default 16)\n"
	    "  --max-created-rooms N  rooms one user may create (default 100)\n"
	    "  --max-created-docs N   documents one user may create (default 1000)\n"
	    "  --allow-origin ORIGIN  a browser page's origin allowed to connect\n"
	    "                       (repeatable; \"*\" any); without one, only pages\n"
	    "                       of this server's own host (default none)\n"
	    "  --help, --version\n"
	    "Accounts: confabd user add|passwd|del|list|revoke [NAME] [--db PATH]\n");
}

static int
parse_level(const char *s)
{
	static const struct { const char *name; int mask; } levels[] = {
		{"error", LLL_ERR},
		{"warn", LLL_ERR | LLL_WARN},
		{"notice", LLL_ERR | LLL_WARN | LLL_NOTICE},
		{"info", LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO},
		{"debug", LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO | LLL_DEBUG},
	};
	for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
		if (strcmp(s, levels[i].name) == 0)
			return levels[i].mask;
	return -1;
}

static bool
parse_num(const char *s, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool
parse_listen(const char *s, struct server_config *cfg)
{
	static char host[256];
	const char *colon = strrchr(s, ':');
	double port;
	if (colon == NULL || colon == s || (size_t)(colon - s) >= sizeof host ||
	    !parse_num(colon + 1, 0, 65535, &port))
		return false;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	/* [::1]:7681, an IPv6 address as URLs write it */
	size_t n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	cfg->listen_host = host;
	cfg->port = (int)port;
	return true;
}

/* Whether the address reaches this machine only. */
static bool
loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "localhost") == 0;
}

/* What a server open to a network must not be: -1 to go on, else 2. */
static int
check_policy(const struct server_config *cfg)
{
	if ((cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
		fprintf(stderr, "confabd: --tls-cert and --tls-key go together\n");
		return 2;
	}
	if (loopback(cfg->listen_host))
		return -1;
	if (!cfg->accounts) {
		fprintf(stderr, "confabd: --auth none lets anyone be anyone: it is "
		    "for loopback only, not %s\n", cfg->listen_host);
		return 2;
	}
	if (cfg->tls_cert == NULL && !cfg->insecure_plaintext) {
		fprintf(stderr, "confabd: %s is not loopback: give --tls-cert and "
		    "--tls-key (or --insecure-plaintext, if something in front of "
		    "confabd encrypts)\n", cfg->listen_host);
		return 2;
	}
	if (cfg->tls_cert == NULL)
		fprintf(stderr, "confabd: warning: passwords and messages cross the "
		    "network unencrypted (--insecure-plaintext)\n");
	return -1;
}

/* The abuse limits' options, in the order of their O_ values. */
static bool
parse_limit(int which, const char *arg, struct server_config *cfg)
{
	static const char *origins[64];
	double v;
	if (which == 5) {
		/* as a browser sends it: scheme://host[:port], no path */
		size_t n = strlen(arg);
		if (n > 1 && arg[n - 1] == '/')
			((char *)arg)[n - 1] = '\0'; /* argv's own bytes */
		if (cfg->nallow_origins == sizeof origins / sizeof *origins || !*arg)
			return false;
		origins[cfg->nallow_origins++] = arg;
		cfg->allow_origins = origins;
		return true;
	}
	if (!parse_num(arg, which == 1 ? 1 : 0, which == 1 ? 3600 : 1e9, &v))
		return false;
	switch (which) {
	case 0: cfg->max_conns_per_ip = (size_t)v; break;
	case 1: cfg->handshake_timeout_ms = (int64_t)v * 1000; break;
	case 2: cfg->max_sessions_per_user = (size_t)v; break;
	case 3: cfg->max_created_rooms = (size_t)v; break;
	case 4: cfg->max_created_docs = (size_t)v; break;
	}
	return true;
}

static int
parse_args(int argc, char **argv, struct server_config *cfg)
{
	enum { O_LISTEN = 256, O_DB, O_PORTFILE, O_LOG, O_FRAME, O_TEXT, O_RATE,
	    O_BURST, O_ROOMS, O_QUEUE, O_QTOTAL, O_HB, O_SYNC, O_DOCLOG, O_DOCBYTES,
	    O_MAXOP, O_MAXDOC, O_DBCHECK, O_AUTH, O_OPENREG, O_TOKDAYS, O_TLSCERT,
	    O_TLSKEY, O_PLAIN, O_HELP, O_VERSION,
	    /* abuse limits */
	    O_PERIP, O_HANDSHAKE, O_SESSIONS, O_CROOMS, O_CDOCS, O_ORIGIN,
	    O_POLLHOLD, O_WEBDIR };
	static const struct option opts[] = {
		{"listen", required_argument, NULL, O_LISTEN},
		{"db", required_argument, NULL, O_DB},
		{"port-file", required_argument, NULL, O_PORTFILE},
		{"log-level", required_argument, NULL, O_LOG},
		{"max-frame", required_argument, NULL, O_FRAME},
		{"max-text", required_argument, NULL, O_TEXT},
		{"rate", required_argument, NULL, O_RATE},
		{"burst", required_argument, NULL, O_BURST},
		{"max-rooms", required_argument, NULL, O_ROOMS},
		{"max-queue", required_argument, NULL, O_QUEUE},
		{"max-queue-total", required_argument, NULL, O_QTOTAL},
		{"heartbeat-ms", required_argument, NULL, O_HB},
		{"sync", required_argument, NULL, O_SYNC},
		{"doc-log", required_argument, NULL, O_DOCLOG},
		{"doc-log-bytes", required_argument, NULL, O_DOCBYTES},
		{"max-op", required_argument, NULL, O_MAXOP},
		{"max-doc", required_argument, NULL, O_MAXDOC},
		{"db-check", required_argument, NULL, O_DBCHECK},
		{"auth", required_argument, NULL, O_AUTH},
		{"open-registration", no_argument, NULL, O_OPENREG},
		{"token-days", required_argument, NULL, O_TOKDAYS},
		{"tls-cert", required_argument, NULL, O_TLSCERT},
		{"tls-key", required_argument, NULL, O_TLSKEY},
		{"insecure-plaintext", no_argument, NULL, O_PLAIN},
		{"help", no_argument, NULL, O_HELP},
		{"version", no_argument, NULL, O_VERSION},
		{"max-conns-per-ip", required_argument, NULL, O_PERIP},
		{"handshake-timeout", required_argument, NULL, O_HANDSHAKE},
		{"max-sessions-per-user", required_argument, NULL, O_SESSIONS},
		{"max-created-rooms", required_argument, NULL, O_CROOMS},
		{"max-created-docs", required_argument, NULL, O_CDOCS},
		{"allow-origin", required_argument, NULL, O_ORIGIN},
		{"poll-hold-ms", required_argument, NULL, O_POLLHOLD},
		{"web-dir", required_argument, NULL, O_WEBDIR},
		{NULL, 0, NULL, 0},
	};
	int c;
	double v;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		bool ok = true;
		switch (c) {
		case O_LISTEN: ok = parse_listen(optarg, cfg); break;
		case O_DB: cfg->db_path = optarg; break;
		case O_PORTFILE: cfg->port_file = optarg; break;
		case O_WEBDIR: cfg->web_dir = optarg; break;
		case O_LOG:
			cfg->log_level = parse_level(optarg);
			ok = cfg->log_level >= 0;
			break;
		case O_FRAME:
			if ((ok = parse_num(optarg, 256, 1 << 30, &v)))
				cfg->max_frame = (size_t)v;
			break;
		case O_TEXT:
			if ((ok = parse_num(optarg, 1, 1 << 24, &v)))
				cfg->max_text = (size_t)v;
			break;
		case O_RATE: ok = parse_num(optarg, 0, 1e9, &cfg->rate); break;
		case O_BURST: ok = parse_num(optarg, 1, 1e9, &cfg->burst); break;
		case O_ROOMS:
			if ((ok = parse_num(optarg, 1, 1e6, &v)))
				cfg->max_rooms = (size_t)v;
			break;
		case O_QUEUE:
			if ((ok = parse_num(optarg, 4096, 1e12, &v)))
				cfg->max_queue = (size_t)v;
			break;
		case O_QTOTAL:
			if ((ok = parse_num(optarg, 65536, 1e13, &v)))
				cfg->max_queue_total = (size_t)v;
			break;
		case O_POLLHOLD:
			if ((ok = parse_num(optarg, 10, 3.6e6, &v)))
				cfg->poll_hold_ms = (int64_t)v;
			break;
		case O_HB:
			if ((ok = parse_num(optarg, 10, 3.6e6, &v)))
				cfg->heartbeat_ms = (int64_t)v;
			break;
		case O_SYNC:
			ok = strcmp(optarg, "full") == 0 || strcmp(optarg, "normal") == 0;
			cfg->sync_full = strcmp(optarg, "full") == 0;
			break;
		case O_DOCLOG:
			if ((ok = parse_num(optarg, 1, 1e8, &v)))
				cfg->doc_log = (size_t)v;
			break;
		case O_DOCBYTES:
			if ((ok = parse_num(optarg, 4096, 1e12, &v)))
				cfg->doc_log_bytes = (size_t)v;
			break;
		case O_MAXOP:
			if ((ok = parse_num(optarg, 1, 1e7, &v)))
				cfg->max_op = (size_t)v;
			break;
		case O_MAXDOC:
			if ((ok = parse_num(optarg, 1, 1e9, &v)))
				cfg->max_doc = (size_t)v;
			break;
		case O_DBCHECK:
			ok = strcmp(optarg, "quick") == 0 || strcmp(optarg, "none") == 0;
			cfg->db_check = strcmp(optarg, "quick") == 0;
			break;
		case O_AUTH:
			ok = strcmp(optarg, "accounts") == 0 || strcmp(optarg, "none") == 0;
			cfg->accounts = strcmp(optarg, "accounts") == 0;
			break;
		case O_OPENREG: cfg->open_registration = true; break;
		case O_TOKDAYS:
			/* 0 days: a sign-in good for seconds, for tests of expiry */
			if ((ok = parse_num(optarg, 0, 3650, &v)))
				cfg->token_ttl_s = v > 0 ? (int64_t)(v * 86400) : 2;
			break;
		case O_TLSCERT: cfg->tls_cert = optarg; break;
		case O_TLSKEY: cfg->tls_key = optarg; break;
		case O_PLAIN: cfg->insecure_plaintext = true; break;
		case O_PERIP: case O_HANDSHAKE: case O_SESSIONS: case O_CROOMS:
		case O_CDOCS: case O_ORIGIN:
			ok = parse_limit(c - O_PERIP, optarg, cfg);
			break;
		case O_HELP: usage(stdout); return 0;
		case O_VERSION: printf("confabd %s\n", CONFAB_VERSION); return 0;
		default: usage(stderr); return 2;
		}
		if (!ok) {
			fprintf(stderr, "confabd: bad value for --%s: %s\n",
			    opts[c - O_LISTEN].name, optarg);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "confabd: unexpected argument: %s\n", argv[optind]);
		return 2;
	}
	return check_policy(cfg);
}

/* A store that cannot take writes still serves what it can read; the
 * operator learns of it here and from /health, not from users' errors. */
static void
check_store(struct server *srv)
{
	int64_t t0 = now_ms();
	srv->store->ops->check(srv->store, srv->cfg.db_check, &srv->store_state);
	if (srv->store_state.state == STORE_OK) {
		if (srv->cfg.db_check)
			lwsl_notice("store: %s checked in %lld ms\n", srv->cfg.db_path,
			    (long long)(now_ms() - t0));
		return;
	}
	fprintf(stderr, "confabd: the store is %s (%s); serving what it can, "
	    "writes will fail, /health says so\n",
	    store_state_name(srv->store_state.state), srv->store_state.detail);
}

static int
write_port_file(const char *path, int port)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path); /* readers never see a half-written file */
}

static void
close_all(struct server *srv, int code, const char *reason)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, srv->sessions);
	while (g_hash_table_iter_next(&it, NULL, &v))
		session_close(v, code, reason);
}

/* Closes every session with 1001 and waits (bounded) for them to go. */
static void
shutdown_sessions(struct server *srv)
{
	srv->stopping = true;
	hub_flush(srv);
	close_all(srv, LWS_CLOSE_STATUS_GOINGAWAY, "server shutting down");
	int64_t deadline = now_ms() + 2000;
	while (g_hash_table_size(srv->sessions) > 0 && now_ms() < deadline)
		if (lws_service(srv->ctx, 0) < 0)
			break;
}

int
main(int argc, char **argv)
{
	struct server srv = {0};
	srv.cfg = (struct server_config){
		.listen_host = "127.0.0.1", .port = 7681, .db_path = "confab.db",
		.log_level = LLL_ERR | LLL_WARN | LLL_NOTICE,
		.max_frame = 65536, .max_text = 4000, .rate = 20, .burst = 40,
		.max_rooms = 100, .max_queue = 4u << 20, .max_queue_total = 256u << 20,
		.heartbeat_ms = 15000,
		.sync_full = true, .doc_log = 10000, .doc_log_bytes = 8u << 20,
		.max_op = 4096, .max_doc = 1000000,
		.db_check = true, .accounts = true, .token_ttl_s = 30 * 86400,
		.max_conns_per_ip = 64, .handshake_timeout_ms = 10000,
		.max_sessions_per_user = 16, .max_created_rooms = 100,
		.max_created_docs = 1000, .poll_hold_ms = 25000,
	};
	xmalloc_init_cjson();
	if (argc > 1 && strcmp(argv[1], "user") == 0)
		return usercmd_main(argc - 1, argv + 1);
	int rc = parse_args(argc, argv, &srv.cfg);
	if (rc >= 0)
		return rc;

	lws_set_log_level(srv.cfg.log_level, NULL);
	char err[512];
	srv.store = store_sqlite_open(srv.cfg.db_path, srv.cfg.sync_full, err,
	    sizeof err);
	if (srv.store == NULL) {
		fprintf(stderr, "confabd: cannot open the store: %s\n", err);
		return 1;
	}
	check_store(&srv);
	srv.broker = broker_local_new();
	srv.started = now_ms();

	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	/* lws runs the loop and holds the sockets; listening, HTTP and
	 * WebSocket are confabd's own (listen.c, conn.c, ws.c) */
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = server_protocols;
	info.user = &srv;
	info.pt_serv_buf_size = 32 * 1024;
	if (srv.cfg.tls_cert != NULL) {
		/* lws does the TLS of each adopted socket (conn_adopt), then
		 * hands the plain bytes to confabd's HTTP and WebSocket */
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = srv.cfg.tls_cert;
		info.ssl_private_key_filepath = srv.cfg.tls_key;
		/* lws offers h2 by default; confabd speaks HTTP/1.1 only, and a
		 * client that chose h2 would wait on an answer never coming */
		info.alpn = "http/1.1";
	}
	srv.ctx = lws_create_context(&info);
	srv.vh = srv.ctx ? lws_get_vhost_by_name(srv.ctx, "default") : NULL;
	int port = 0;
	if (srv.vh == NULL || listener_open(&srv, srv.cfg.listen_host,
	    srv.cfg.port, &port) != 0) {
		if (srv.vh == NULL)
			fprintf(stderr, "confabd: cannot start the event loop\n");
		if (srv.ctx != NULL)
			lws_context_destroy(srv.ctx);
		srv.store->ops->close(srv.store);
		srv.broker->ops->destroy(srv.broker);
		return 1;
	}
	hub_init(&srv);
	if (srv.cfg.accounts && auth_start(&srv, err, sizeof err) != 0) {
		fprintf(stderr, "confabd: %s\n", err);
		stop_signal = SIGTERM;
	}

	signal_ctx = srv.ctx;
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	struct sigaction hup = {.sa_handler = on_hangup};
	sigemptyset(&hup.sa_mask);
	sigaction(SIGHUP, &hup, NULL);
	signal(SIGPIPE, SIG_IGN);

	bool v6 = strchr(srv.cfg.listen_host, ':') != NULL;
	fprintf(stderr, "confabd %s: listening on %s://%s%s%s:%d/ (db %s, %s)\n",
	    CONFAB_VERSION, srv.cfg.tls_cert ? "wss" : "ws", v6 ? "[" : "",
	    srv.cfg.listen_host, v6 ? "]" : "", port, srv.cfg.db_path,
	    srv.cfg.accounts ? "accounts" : "no accounts");
	if (srv.cfg.port_file && write_port_file(srv.cfg.port_file, port) != 0) {
		fprintf(stderr, "confabd: cannot write %s: %s\n", srv.cfg.port_file,
		    strerror(errno));
		stop_signal = SIGTERM;
	}

	while (!stop_signal) {
		srv.turn++;
		if (lws_service(srv.ctx, 0) < 0)
			break;
		if (hangup_signal) {
			hangup_signal = 0;
			reload_certificates(&srv);
		}
	}

	fprintf(stderr, "confabd: shutting down\n");
	auth_stop(&srv);
	shutdown_sessions(&srv);
	lws_sul_cancel(&srv.tick_sul);
	lws_sul_cancel(&srv.flush_sul);
	lws_sul_cancel(&srv.reap_sul);
	hub_flush(&srv);
	srv.destroying = true;
	signal_ctx = NULL;
	listener_close(&srv);
	hsess_destroy(&srv);
	lws_context_destroy(srv.ctx);
	hsess_cleanup(&srv);
	hub_destroy(&srv);
	srv.broker->ops->destroy(srv.broker);
	srv.store->ops->close(srv.store);
	return 0;
}
