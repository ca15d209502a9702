/*
 * doccmd: `confab doc get ROOM NAME [--rev N]` and `confab doc put ROOM
 * NAME FILE`. A glue of its own around the client core: the connection
 * (net/conn, with its backoff), the core (client.h) with a port that
 * draws nothing, and one deadline over all of it (--timeout).
 *
 * The document goes through the core's document pane (docs.h) as if the
 * user had typed /doc NAME: a put is one local edit (the head's text to
 * the file's, one replaced range), so that it is transformed against
 * concurrent edits, resent after a reconnect and deduplicated by the
 * server exactly as the pane's edits are. Errors the core tells the user
 * (a refused JOIN, a refused DOC_OPEN or DOC_GET) end the command.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "client/client.h"
#include "client/doccmd.h"
#include "client/fileio.h"
#include "client/pins.h"
#include "client/setup.h"
#include "model/textdiff.h"
#include "model/utf8.h"
#include "model/xmalloc.h"
#include "net/conn.h"
#include "net/outbox.h"

#define DOCCMD_MAX_FILE ((size_t)64 << 20)
#define TICK_MS 20

struct doccmd {
	struct config cfg;
	char *state_dir, *config_dir;
	struct lws_context *ctx;
	struct conn *conn;
	struct client *client;
	bool put;
	const char *room, *name;
	long long rev;              /* get --rev, or -1: the head */
	char *text;                 /* put: the file's */
	size_t len;
	int64_t deadline;           /* monotonic ms */
	bool asked, edited;         /* DOC_GET sent; the put's edit made */
	bool done;
	char error[512];            /* the first error the core told */
	lws_sorted_usec_list_t tick;
};

/* ---- the port ------------------------------------------------------------ */

static bool
port_send_cb(void *ud, const char *frame, size_t len)
{
	struct doccmd *g = ud;
	return conn_send(g->conn, frame, len);
}

static int64_t port_now_cb(void *ud) { (void)ud; return setup_mono_ms(); }
static int64_t port_wall_cb(void *ud) { (void)ud; return setup_wall_ms(); }

/* The core logs every note it shows; an error note is what the user would
 * have read in red, and ends the command. */
static void
port_log_cb(void *ud, const char *text)
{
	struct doccmd *g = ud;
	if (strncmp(text, "error: ", 7) == 0 && g->error[0] == '\0')
		snprintf(g->error, sizeof g->error, "%s", text + 7);
}

static void
port_reconnect_cb(void *ud)
{
	struct doccmd *g = ud;
	conn_reconnect_now(g->conn);
}

static void
port_stop_cb(void *ud)
{
	struct doccmd *g = ud;
	conn_stop(g->conn);
}

/* ---- the connection ------------------------------------------------------ */

static void
on_opened(void *ud)
{
	struct doccmd *g = ud;
	client_connected(g->client);
}

static void
on_frame(void *ud, const char *text, size_t len)
{
	struct doccmd *g = ud;
	client_frame(g->client, text, len);
}

static void
on_status(void *ud, const struct conn_status *st)
{
	struct doccmd *g = ud;
	static const enum chat_link links[] = {
		[CONN_OFFLINE] = CHAT_OFFLINE, [CONN_CONNECTING] = CHAT_CONNECTING,
		[CONN_OPEN] = CHAT_CONNECTING, [CONN_WAITING] = CHAT_WAITING,
	};
	struct client_link l = {
		.state = links[st->state], .open = st->state == CONN_OPEN,
		.attempt = st->attempt, .retry_at = st->retry_at_ms,
		.error = st->last_error, .cert = (enum client_cert)st->cert,
		.fingerprint = st->fingerprint, .transport = st->transport,
	};
	client_link(g->client, &l);
}

static const struct conn_events events = {on_opened, on_frame, on_status};

/* ---- the command --------------------------------------------------------- */

static bool
write_all(const char *s, size_t n)
{
	if (n > 0 && fwrite(s, 1, n, stdout) != n)
		return false;
	return fflush(stdout) == 0;
}

static void
fail(struct doccmd *g, const char *fmt, const char *arg)
{
	if (g->error[0] == '\0')
		snprintf(g->error, sizeof g->error, fmt, arg);
}

/* The head's text into the put's, as one local edit. */
static void
edit(struct doccmd *g)
{
	struct docs *d = &g->client->docs;
	g->edited = true;
	struct ot_op op = OT_OP_INIT;
	/* one replaced range between the common prefix and suffix */
	if (!textdiff_op(d->lay.text, d->lay.len, g->text, g->len, &op)) {
		ot_free(&op);
		fail(g, "%s: out of memory", g->name);
		return;
	}
	if (ot_is_noop(&op) || !docs_fits(d, g->len)) {
		ot_free(&op);
		return; /* nothing to send, or the core said why not */
	}
	char cid[17];
	outbox_new_cid(cid);
	struct otclient_send s;
	enum otclient_state st0 = otclient_state(d->ot);
	enum otclient_status st = otclient_local(d->ot, &op, cid, &s);
	if (st == OTCLIENT_OK)
		docs_after_local(d, st0, &s, &op, g->len);
	else
		fail(g, "edit not made: %s", otclient_strerror(st));
	ot_free(&op);
}

/* After every turn of the loop: what the core holds now decides. */
static void
step(struct doccmd *g)
{
	struct client *c = g->client;
	struct docs *d = &c->docs;
	if (g->error[0] != '\0' || g->done)
		return;
	if (c->signin.asking) {
		fail(g, "the server wants %s to sign in: run confab once and type "
		    "the password (the token it keeps is used here)", g->cfg.user);
		return;
	}
	if (d->name == NULL) {
		fail(g, "%s: the document closed", g->name);
		return;
	}
	if (d->state != DOCS_LIVE || d->ot == NULL)
		return;
	if (!g->put && g->rev < 0) {
		if (otclient_rev(d->ot) == 0)
			fail(g, "%s: no such document (it has no revisions)", g->name);
		else if (write_all(d->lay.text, d->lay.len))
			g->done = true;
		else
			fail(g, "cannot write the text: %s", strerror(errno));
	} else if (!g->put) {
		if (!g->asked) {
			g->asked = true;
			docs_show_rev(d, g->rev);
		} else if (d->ro && d->ro_loaded) {
			if (write_all(d->ro_lay.text, d->ro_lay.len))
				g->done = true;
			else
				fail(g, "cannot write the text: %s", strerror(errno));
		}
	} else if (!g->edited) {
		edit(g);
	} else if (otclient_pending(d->ot) == 0) {
		printf("%zu\n", otclient_rev(d->ot));
		fflush(stdout);
		g->done = true;
	}
}

static void
on_tick(lws_sorted_usec_list_t *sul)
{
	struct doccmd *g = lws_container_of(sul, struct doccmd, tick);
	if (client_deadline(g->client) <= setup_mono_ms())
		client_tick(g->client);
	lws_sul_schedule(g->ctx, 0, &g->tick, on_tick,
	    (lws_usec_t)TICK_MS * LWS_US_PER_MS);
	lws_cancel_service(g->ctx);
}

static int
start_network(struct doccmd *g)
{
	static struct lws_protocols protocols[2];
	protocols[0] = conn_protocol;
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.user = g;
	info.timeout_secs = 10;
	if (strncasecmp(g->cfg.server, "wss://", 6) == 0) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = g->cfg.ca;
		if (g->cfg.ca != NULL && access(g->cfg.ca, R_OK) != 0) {
			fprintf(stderr, "confab: cannot read the CA file %s: %s\n",
			    g->cfg.ca, strerror(errno));
			return 1;
		}
	}
	lws_set_log_level(0, NULL);
	g->ctx = lws_create_context(&info);
	if (g->ctx == NULL) {
		fprintf(stderr, "confab: cannot start the network layer\n");
		return 1;
	}
	char err[256], server[300], pin[128];
	pins_server_of(g->cfg.server, server, sizeof server);
	char *pins = xasprintf("%s/known_servers", g->state_dir);
	bool pinned = pins_lookup(pins, server, pin, sizeof pin);
	free(pins);
	struct conn_options co = {
		.url = g->cfg.server, .pin = pinned ? pin : NULL,
		.max_attempts = 0, .base_ms = 250, .cap_ms = 2000,
		.seed = (uint64_t)setup_wall_ms() ^ (uint64_t)getpid(),
		.transport = g->cfg.transport,
	};
	g->conn = conn_new(g->ctx, &co, &events, g, err, sizeof err);
	if (g->conn == NULL) {
		fprintf(stderr, "confab: %s\n", err);
		return 1;
	}
	return 0;
}

static int
run(struct doccmd *g)
{
	if (file_mkdirs(g->state_dir) != 0) {
		fprintf(stderr, "confab: cannot create %s: %s\n", g->state_dir,
		    strerror(errno));
		return 1;
	}
	g->cfg.remember_rooms = false; /* the interactive client's list stays */
	/* The document pane keeps a document's unsent edits in its file and
	 * clears it once all is acknowledged: running the pane here would
	 * clear edits kept by an earlier run, never sent (so would the file
	 * of the older single-document name, whatever document it holds). */
	char *kept = docstore_path(g->state_dir, g->cfg.user, g->room, g->name);
	char *old = xasprintf("%s/doc-%s.json", g->state_dir, g->cfg.user);
	const char *busy = access(kept, F_OK) == 0 ? kept
	    : access(old, F_OK) == 0 ? old : NULL;
	if (busy)
		fprintf(stderr, "confab: %s holds document edits not yet sent: start "
		    "confab as %s once to send them first\n", busy, g->cfg.user);
	bool refuse = busy != NULL;
	free(kept);
	free(old);
	if (refuse)
		return 1;
	int rc = start_network(g);
	if (rc != 0)
		return rc;
	static struct client_port p;
	p = (struct client_port){
		.ud = g, .send = port_send_cb, .now = port_now_cb,
		.wall = port_wall_cb, .log = port_log_cb,
		.reconnect = port_reconnect_cb, .stop = port_stop_cb,
	};
	char err[512];
	g->client = client_new(&g->cfg, g->state_dir, NULL, &p, err, sizeof err);
	if (g->client == NULL) {
		fprintf(stderr, "confab: %s\n", err);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	client_show_room(g->client, g->room);
	docs_open(&g->client->docs, g->room, g->name);
	conn_reconnect_now(g->conn);
	lws_sul_schedule(g->ctx, 0, &g->tick, on_tick,
	    (lws_usec_t)TICK_MS * LWS_US_PER_MS);
	while (!g->done && g->error[0] == '\0' && setup_mono_ms() < g->deadline) {
		if (lws_service(g->ctx, 0) < 0)
			break;
		step(g);
	}
	lws_sul_cancel(&g->tick);
	if (g->done) {
		docs_close(&g->client->docs, true);
		return 0;
	}
	if (g->error[0] != '\0') {
		fprintf(stderr, "confab: %s\n", g->error);
	} else if (g->edited && g->client->docs.ot != NULL &&
	    otclient_pending(g->client->docs.ot) > 0) {
		char *kept = docstore_path(g->state_dir, g->cfg.user, g->room, g->name);
		fprintf(stderr, "confab: %s: no acknowledgement within the timeout; "
		    "the edit is kept in %s and sent the next time confab starts\n",
		    g->name, kept);
		free(kept);
	} else {
		const struct conn_status *st = conn_status(g->conn);
		bool online = g->client->welcomed;
		fprintf(stderr, "confab: %s %s within the timeout%s%s\n",
		    online ? "no answer about" : "no connection to",
		    online ? g->name : g->cfg.server,
		    !online && st->last_error[0] ? ": " : "",
		    !online ? st->last_error : "");
	}
	return 1;
}

/* ---- arguments ----------------------------------------------------------- */

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: confab doc get ROOM NAME [--rev N] [options]\n"
	    "       confab doc put ROOM NAME FILE [options]   (FILE - : stdin)\n"
	    "  --rev N         the text at revision N rather than the head\n"
	    "  --timeout S     give up after S seconds (default 10)\n"
	    "  and confab's --server, --user, --ca, --log, --transport\n"
	    "  (confab --help)\n");
}

static bool
number(const char *s, long long min, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min)
		return false;
	*out = v;
	return true;
}

/* Reads FILE (or stdin for "-"): valid UTF-8 without NUL, or an error. */
static bool
read_input(struct doccmd *g, const char *path)
{
	char err[512];
	if (strcmp(path, "-") != 0) {
		g->text = file_read(path, DOCCMD_MAX_FILE, &g->len, err, sizeof err);
		if (g->text == NULL) {
			fprintf(stderr, "confab: %s\n", err);
			return false;
		}
	} else {
		size_t cap = 4096;
		g->text = xmalloc(cap);
		size_t n;
		while ((n = fread(g->text + g->len, 1, cap - g->len - 1, stdin)) > 0) {
			g->len += n;
			if (g->len > DOCCMD_MAX_FILE) {
				fprintf(stderr, "confab: standard input: more than %zu MB\n",
				    DOCCMD_MAX_FILE >> 20);
				return false;
			}
			if (cap - g->len < 2)
				g->text = xrealloc(g->text, cap *= 2);
		}
		if (ferror(stdin)) {
			fprintf(stderr, "confab: standard input: %s\n", strerror(errno));
			return false;
		}
		g->text[g->len] = '\0';
	}
	if (!utf8_valid(g->text, g->len) || memchr(g->text, '\0', g->len) != NULL) {
		fprintf(stderr, "confab: %s: not valid UTF-8 text\n",
		    strcmp(path, "-") == 0 ? "standard input" : path);
		return false;
	}
	return true;
}

/* The command's own arguments out of argv; the rest (confab's options)
 * into rest, for setup_configure. */
static int
parse(struct doccmd *g, int argc, char **argv, char **rest, int *nrest,
    long long *timeout)
{
	static const char *const with_arg[] = {"--server", "--user", "--room",
	    "--theme", "--log", "--ca", "--transport"};
	const char *pos[4];
	int npos = 0;
	rest[(*nrest)++] = argv[0];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		bool rev = strcmp(a, "--rev") == 0, to = strcmp(a, "--timeout") == 0;
		if (rev || to) {
			if (i + 1 >= argc || !number(argv[++i], rev ? 0 : 1,
			    rev ? &g->rev : timeout)) {
				fprintf(stderr, "confab: %s needs a number%s\n", a,
				    rev ? "" : " of seconds, at least 1");
				return 2;
			}
		} else if (strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
			rest[(*nrest)++] = argv[i];
			for (size_t k = 0; k < sizeof with_arg / sizeof *with_arg; k++)
				if (strcmp(a, with_arg[k]) == 0 && i + 1 < argc)
					rest[(*nrest)++] = argv[++i];
		} else if (npos < 4) {
			pos[npos++] = a;
		} else {
			fprintf(stderr, "confab: unexpected argument: %s\n", a);
			return 2;
		}
	}
	rest[*nrest] = NULL;
	g->put = npos > 0 && strcmp(pos[0], "put") == 0;
	bool get = npos > 0 && strcmp(pos[0], "get") == 0;
	if ((!get && !g->put) || npos != (g->put ? 4 : 3)) {
		usage(stderr);
		return 2;
	}
	if (g->put && g->rev >= 0) {
		fprintf(stderr, "confab: --rev is for doc get\n");
		return 2;
	}
	g->room = pos[1];
	g->name = pos[2];
	if (g->put && !read_input(g, pos[3]))
		return 1;
	return -1;
}

int
doccmd_main(int argc, char **argv)
{
	static struct doccmd cmd;
	struct doccmd *g = &cmd;
	g->rev = -1;
	long long timeout = 10;
	char **rest = xcalloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0;
	int rc = parse(g, argc, argv, rest, &nrest, &timeout);
	g->state_dir = setup_xdg_dir("XDG_STATE_HOME", ".local/state");
	g->config_dir = setup_xdg_dir("XDG_CONFIG_HOME", ".config");
	if (rc < 0)
		rc = setup_configure(&g->cfg, g->config_dir, nrest, rest);
	if (rc < 0) {
		g->deadline = setup_mono_ms() + timeout * 1000;
		rc = run(g);
	}
	client_free(g->client); /* keeps an edit still unacknowledged */
	conn_free(g->conn);
	if (g->ctx != NULL)
		lws_context_destroy(g->ctx);
	config_free(&g->cfg);
	free(g->text);
	free(g->state_dir);
	free(g->config_dir);
	free(rest);
	return rc;
}
