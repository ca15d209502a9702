/*
 * confab: the terminal client's glue. Reads the configuration, then runs
 * one libwebsockets loop over the connection to confabd (net/conn), the
 * terminal (stdin adopted as a raw file) and the desktop-notification
 * worker's pipe, and feeds what they say to the core (client/client.h),
 * whose port it implements. It draws once per loop turn when the core
 * asked for it, at most every FRAME_MS, and sleeps until the core's next
 * deadline: an idle confab takes no CPU. The only client file that knows libwebsockets and curses.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "client/client.h"
#include "client/doccmd.h"
#include "client/fileio.h"
#include "client/pins.h"
#include "client/setup.h"
#include "model/osc52.h"
#include "model/theme.h"
#include "model/xmalloc.h"
#include "net/conn.h"
#include "notify/desknotify.h"
#include "ui/ui.h"

struct glue {
	struct config cfg;
	char *state_dir, *config_dir;
	FILE *log;
	struct lws_context *ctx;
	struct conn *conn;
	struct client *client;
	struct theme theme;
	struct desknotify *notify;  /* NULL: notifications could not start */
	bool dirty;                 /* the core asked for a redraw */
	bool terminal_gone;
	int64_t heartbeat_ms;       /* what conn was told */
	char last_detail[128];      /* the last failure logged */
	lws_sorted_usec_list_t wake;
	int64_t wake_at;            /* when wake is due (INT64_MAX: not set) */
	lws_sorted_usec_list_t frame; /* the next frame, when one was too soon */
	bool frame_armed;
	int64_t drawn_at;           /* monotonic ms of the last frame */
};

static struct glue *log_glue; /* for the lws log emitter */

static void
log_line(struct glue *g, const char *text)
{
	if (g->log == NULL)
		return;
	time_t t = time(NULL);
	struct tm tm;
	char when[32];
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(g->log, "%s %s\n", when, text);
	fflush(g->log);
}

static void
lws_emit(int level, const char *line)
{
	(void)level;
	if (log_glue != NULL && log_glue->log != NULL) {
		fputs(line, log_glue->log);
		fflush(log_glue->log);
	}
}

/* ---- the port ------------------------------------------------------------ */

static bool
port_send_cb(void *ud, const char *frame, size_t len)
{
	struct glue *g = ud;
	return conn_send(g->conn, frame, len);
}

static int64_t port_now_cb(void *ud) { (void)ud; return setup_mono_ms(); }
static int64_t port_wall_cb(void *ud) { (void)ud; return setup_wall_ms(); }
static void port_log_cb(void *ud, const char *text) { log_line(ud, text); }

static void
port_redraw_cb(void *ud)
{
	struct glue *g = ud;
	g->dirty = true;
}

static void port_bell_cb(void *ud) { (void)ud; ui_bell(); }

/* The sequence goes straight to the terminal, between two frames: curses
 * never sees it, so it cannot land in the middle of one. */
static void
port_copy_cb(void *ud, const char *text)
{
	(void)ud;
	char *seq = osc52_sequence(text, strlen(text));
	if (seq == NULL)
		return;
	size_t n = strlen(seq);
	const char *s = seq;
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);
		if (w <= 0)
			break;
		s += w;
		n -= (size_t)w;
	}
	free(seq);
}

static void
port_desktop_cb(void *ud, const char *title, const char *body, bool urgent)
{
	struct glue *g = ud;
	if (g->notify != NULL)
		desknotify_post(g->notify, title, body,
		    urgent ? DESKNOTIFY_NORMAL : DESKNOTIFY_LOW);
}

static bool
port_notify_retry_cb(void *ud)
{
	struct glue *g = ud;
	if (g->notify == NULL)
		return false;
	desknotify_retry(g->notify);
	return true;
}

static void
port_reconnect_cb(void *ud)
{
	struct glue *g = ud;
	conn_reconnect_now(g->conn);
}

static void
port_stop_cb(void *ud)
{
	struct glue *g = ud;
	conn_stop(g->conn);
}

static void
port_trust_cb(void *ud, const char *fingerprint)
{
	struct glue *g = ud;
	conn_set_pin(g->conn, fingerprint);
	conn_reconnect_now(g->conn);
}

static bool
port_theme_cb(void *ud, const char *name, char *err, size_t errlen)
{
	struct glue *g = ud;
	struct theme t;
	if (!setup_load_theme(&t, g->config_dir, name, err, errlen))
		return false;
	g->theme = t;
	ui_set_theme(&g->theme);
	g->dirty = true;
	return true;
}

/* ---- the connection ------------------------------------------------------ */

static void
on_opened(void *ud)
{
	struct glue *g = ud;
	client_connected(g->client);
}

static void
on_frame(void *ud, const char *text, size_t len)
{
	struct glue *g = ud;
	client_frame(g->client, text, len);
	int64_t hb = g->client->chat->heartbeat_ms;
	if (g->client->welcomed && hb != g->heartbeat_ms) {
		g->heartbeat_ms = hb;  /* from WELCOME */
		conn_set_heartbeat(g->conn, hb);
	}
}

static void
on_status(void *ud, const struct conn_status *st)
{
	struct glue *g = ud;
	static const enum chat_link links[] = {
		[CONN_OFFLINE] = CHAT_OFFLINE, [CONN_CONNECTING] = CHAT_CONNECTING,
		[CONN_OPEN] = CHAT_CONNECTING, [CONN_WAITING] = CHAT_WAITING,
	};
	struct client_link l = {
		.state = links[st->state], .open = st->state == CONN_OPEN,
		.attempt = st->attempt, .retry_at = st->retry_at_ms,
		.error = st->last_error,
		.cert = (enum client_cert)st->cert,
		.fingerprint = st->fingerprint, .transport = st->transport,
	};
	if (st->state == CONN_WAITING && st->detail[0] &&
	    strcmp(st->detail, g->last_detail) != 0) {
		char *line = xasprintf("connection failed: %s (%s)", st->last_error,
		    st->detail);
		log_line(g, line);
		free(line);
	}
	snprintf(g->last_detail, sizeof g->last_detail, "%s", st->detail);
	client_link(g->client, &l);
}

static const struct conn_events events = {on_opened, on_frame, on_status};

_Static_assert((int)CLIENT_CERT_OK == (int)CONN_CERT_OK &&
    (int)CLIENT_CERT_UNTRUSTED == (int)CONN_CERT_UNTRUSTED &&
    (int)CLIENT_CERT_CHANGED == (int)CONN_CERT_CHANGED &&
    (int)CLIENT_CERT_BAD == (int)CONN_CERT_BAD, "the certificate verdicts");

/* ---- the terminal -------------------------------------------------------- */

static void
read_terminal(struct glue *g)
{
	struct ui_intent in;
	while (ui_read(&in)) {
		client_key(g->client, &in);
		free(in.text);
	}
}

/*
 * Readable with nothing in it is the end of the terminal: a hangup, or
 * standard input at end of file. curses only ever says ERR then, so
 * without this the loop would spin on a descriptor that stays readable.
 */
static bool
terminal_at_end(int fd)
{
	int n = 0;
	return ioctl(fd, FIONREAD, &n) == 0 && n == 0;
}

static void draw(struct glue *g);

static int
callback_stdin(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct glue *g = lws_context_user(lws_get_context(wsi));
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (terminal_at_end(lws_get_socket_fd(wsi))) {
			g->terminal_gone = true;
			return -1;
		}
		read_terminal(g);
		if (g->dirty)
			draw(g); /* what the user does shows at once */
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		g->terminal_gone = true;
		return 0;
	default:
		return 0;
	}
}

static void
on_notify_event(void *ud, const struct desknotify_event *ev)
{
	struct glue *g = ud;
	client_note(g->client, ev->kind == DESKNOTIFY_UNAVAILABLE, "%s", ev->text);
}

static int
callback_notify(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct glue *g = lws_context_user(lws_get_context(wsi));
	if (reason == LWS_CALLBACK_RAW_RX_FILE && g->notify != NULL)
		desknotify_drain(g->notify, on_notify_event, g);
	return 0;
}

/*
 * A resize: the SIGWINCH handler writes a byte to a pipe the loop
 * watches, so that the loop reads the terminal only when it has something
 * (rather than asking curses after every turn, a poll() a message).
 */
static int winch_pipe[2] = { -1, -1 };

static void
on_winch(int sig)
{
	(void)sig;
	int saved = errno;
	if (write(winch_pipe[1], "w", 1) < 0) {
		/* full: a resize is already waiting */
	}
	errno = saved;
}

static int
callback_winch(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct glue *g = lws_context_user(lws_get_context(wsi));
	if (reason == LWS_CALLBACK_RAW_RX_FILE) {
		char buf[64];
		while (read(lws_get_socket_fd(wsi), buf, sizeof buf) > 0)
			;
		ui_resize();
		g->dirty = true;
	}
	return 0;
}

static struct lws_protocols winch_protocol = {
	"confab-winch", callback_winch, 0, 0, 0, NULL, 0,
};

static struct lws_protocols stdin_protocol = {
	"confab-terminal", callback_stdin, 0, 0, 0, NULL, 0,
};

static struct lws_protocols notify_protocol = {
	"confab-notify", callback_notify, 0, 0, 0, NULL, 0,
};

/* ---- time and drawing ---------------------------------------------------- */

static void
on_wake(lws_sorted_usec_list_t *sul)
{
	struct glue *g = lws_container_of(sul, struct glue, wake);
	g->wake_at = INT64_MAX;
	client_tick(g->client);
	/* lws polls on after a timer it ran before the poll: wake the loop,
	 * which draws what the tick changed and arms the next deadline */
	lws_cancel_service(g->ctx);
}

/* One timer, at the core's next deadline. */
static void
arm_wake(struct glue *g)
{
	int64_t at = client_deadline(g->client);
	if (at == g->wake_at)
		return;
	lws_sul_cancel(&g->wake);
	g->wake_at = at;
	if (at == INT64_MAX)
		return;
	int64_t in = at - setup_mono_ms();
	lws_sul_schedule(g->ctx, 0, &g->wake, on_wake,
	    (lws_usec_t)(in > 0 ? in : 0) * LWS_US_PER_MS + 1);
}

static void
draw(struct glue *g)
{
	g->drawn_at = setup_mono_ms();
	if (g->frame_armed)
		lws_sul_cancel(&g->frame);
	g->frame_armed = false;
	struct ui_view v;
	struct ui_centre centre;
	client_view(g->client, &v, &centre);
	v.theme = &g->theme;
	struct ui_drawn d = {0};
	ui_draw(&v, &d);
	g->dirty = false;
	client_drawn(g->client, &d);
}

/*
 * Frames are coalesced: everything one loop turn changed is drawn once,
 * and frames come at most every FRAME_MS, however fast lines arrive (a
 * terminal shows no more, and no one reads 500 lines a second). What
 * changes sooner waits for the next frame, a timer away; what the user
 * types shows at once (callback_stdin). While a frame
 * is due, the loop waits for it rather than waking for every message:
 * what came meanwhile is then read, in one go, and drawn (pace).
 */
#define FRAME_MS 25 /* 40 frames a second */

static void
on_frame_due(lws_sorted_usec_list_t *sul)
{
	struct glue *g = lws_container_of(sul, struct glue, frame);
	g->frame_armed = false;
	/* lws runs a timer that is due before it polls: without this, the
	 * poll after it would sleep on with the frame undrawn */
	lws_cancel_service(g->ctx);
}

static void
draw_when_due(struct glue *g)
{
	int64_t wait = g->drawn_at + FRAME_MS - setup_mono_ms();
	if (wait <= 0)
		draw(g);
	else if (!g->frame_armed) {
		g->frame_armed = true;
		lws_sul_schedule(g->ctx, 0, &g->frame, on_frame_due,
		    (lws_usec_t)wait * LWS_US_PER_MS);
	}
}

/* Until the frame that is due: nothing arriving sooner would be shown
 * sooner. At most FRAME_MS, only while something waits to be drawn. */
static void
pace(struct glue *g)
{
	int64_t at = g->drawn_at + FRAME_MS;
	if (at <= setup_mono_ms())
		return;
	struct timespec ts = { (time_t)(at / 1000), (long)(at % 1000) * 1000000 };
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* ---- start-up ------------------------------------------------------------ */

static FILE *
open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	return fd < 0 ? NULL : fdopen(fd, "a");
}

/* SIGWINCH through a pipe (after ui_init: it takes the place of curses'
 * own handler). Without the pipe, the loop asks curses after every turn. */
static bool
watch_resizes(struct lws_vhost *vh)
{
	if (pipe(winch_pipe) != 0)
		return false;
	for (int i = 0; i < 2; i++) {
		fcntl(winch_pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(winch_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	lws_sock_file_fd_type fd;
	fd.filefd = winch_pipe[0]; /* lws closes it at the end */
	if (lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, fd,
	    winch_protocol.name, NULL) == NULL) {
		close(winch_pipe[0]);
		close(winch_pipe[1]);
		winch_pipe[0] = winch_pipe[1] = -1;
		return false;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_winch;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	return true;
}

/* Desktop notifications: a worker thread whose results come back through a
 * pipe the loop watches. Without it confab runs on, without notifications. */
static void
start_notify(struct glue *g, struct lws_vhost *vh)
{
	char err[256];
	g->notify = desknotify_start(NULL, err, sizeof err);
	if (g->notify == NULL) {
		log_line(g, err);
		return;
	}
	lws_sock_file_fd_type fd;
	fd.filefd = dup(desknotify_fd(g->notify)); /* lws closes what it adopts */
	if (fd.filefd < 0 || lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC,
	    fd, notify_protocol.name, NULL) == NULL) {
		log_line(g, "desktop notifications: cannot watch the worker");
		desknotify_stop(g->notify);
		g->notify = NULL;
	}
}

static int
start_network(struct glue *g)
{
	struct lws_protocols list[] = {conn_protocol, stdin_protocol,
	    notify_protocol, winch_protocol, {NULL, NULL, 0, 0, 0, NULL, 0}};
	static struct lws_protocols protocols[5];
	memcpy(protocols, list, sizeof list);
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
			return 2;
		}
	}
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
		.max_attempts = g->cfg.reconnect_attempts,
		.base_ms = 1000, .cap_ms = 30000,
		.seed = (uint64_t)setup_wall_ms() ^ (uint64_t)getpid(),
		.transport = g->cfg.transport,
	};
	g->conn = conn_new(g->ctx, &co, &events, g, err, sizeof err);
	if (g->conn == NULL) {
		fprintf(stderr, "confab: %s\n", err);
		return 2;
	}
	return 0;
}

static int
start(struct glue *g)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "confab: standard input and output must be a "
		    "terminal (confab is interactive; run it in one)\n");
		return 1;
	}
	if (file_mkdirs(g->state_dir) != 0) {
		fprintf(stderr, "confab: cannot create %s: %s\n", g->state_dir,
		    strerror(errno));
		return 1;
	}
	char *path = g->cfg.log ? xstrdup(g->cfg.log) :
	    xasprintf("%s/confab.log", g->state_dir);
	g->log = open_log(path);
	if (g->log == NULL) {
		fprintf(stderr, "confab: cannot open the log %s: %s\n", path,
		    strerror(errno));
		free(path);
		return 1;
	}
	free(path);
	log_glue = g;
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_emit);
	return start_network(g);
}

static const struct client_port *
glue_port(struct glue *g)
{
	static struct client_port p;
	p = (struct client_port){
		.ud = g, .send = port_send_cb, .now = port_now_cb,
		.wall = port_wall_cb, .log = port_log_cb, .redraw = port_redraw_cb,
		.bell = port_bell_cb, .desktop = port_desktop_cb,
		.notify_retry = port_notify_retry_cb,
		.reconnect = port_reconnect_cb, .theme = port_theme_cb,
		.trust = port_trust_cb, .stop = port_stop_cb, .copy = port_copy_cb,
	};
	return &p;
}

static int
run(struct glue *g)
{
	char err[512];
	char *logs = NULL;
	if (g->cfg.chat_logs) {
		char *data = setup_xdg_dir("XDG_DATA_HOME", ".local/share");
		logs = g->cfg.chat_log_dir ? xstrdup(g->cfg.chat_log_dir) :
		    xasprintf("%s/logs", data);
		free(data);
	}
	g->client = client_new(&g->cfg, g->state_dir, logs, glue_port(g), err,
	    sizeof err);
	free(logs);
	if (g->client == NULL) {
		fprintf(stderr, "confab: %s\n", err);
		return 1;
	}
	log_line(g, "confab " CONFAB_VERSION " starting");
	bool no_color = getenv("NO_COLOR") != NULL && *getenv("NO_COLOR");
	signal(SIGPIPE, SIG_IGN);
	ui_init(no_color);
	theme_default(&g->theme);
	ui_set_theme(&g->theme);
	if (strcmp(g->cfg.theme, "default") != 0 &&
	    !port_theme_cb(g, g->cfg.theme, err, sizeof err))
		client_note(g->client, true, "%s; using the default theme", err);

	lws_sock_file_fd_type fd;
	fd.filefd = dup(STDIN_FILENO);
	struct lws_vhost *vh = lws_get_vhost_by_name(g->ctx, "default");
	if (lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, fd,
	    stdin_protocol.name, NULL) == NULL) {
		ui_end();
		fprintf(stderr, "confab: cannot watch the terminal\n");
		return 1;
	}
	start_notify(g, vh);
	watch_resizes(vh);
	client_start(g->client);
	conn_reconnect_now(g->conn);
	g->wake_at = INT64_MAX;

	draw(g);
	while (!g->client->quit && !g->terminal_gone) {
		arm_wake(g);
		if (g->frame_armed)
			pace(g);
		if (lws_service(g->ctx, 0) < 0)
			break;
		if (winch_pipe[1] < 0)
			read_terminal(g); /* SIGWINCH interrupts poll: KEY_RESIZE */
		if (g->dirty)
			draw_when_due(g);
	}
	lws_sul_cancel(&g->wake);
	lws_sul_cancel(&g->frame);
	ui_end();
	if (g->terminal_gone)
		log_line(g, "the terminal went away");
	return 0;
}

int
main(int argc, char **argv)
{
	static struct glue glue;
	struct glue *g = &glue;
	setlocale(LC_ALL, "");
	xmalloc_init_cjson();
	if (argc > 1 && strcmp(argv[1], "doc") == 0)
		return doccmd_main(argc, argv);
	g->state_dir = setup_xdg_dir("XDG_STATE_HOME", ".local/state");
	g->config_dir = setup_xdg_dir("XDG_CONFIG_HOME", ".config");
	int rc = setup_configure(&g->cfg, g->config_dir, argc, argv);
	if (rc < 0 && (rc = start(g)) == 0)
		rc = run(g);
	if (g->client != NULL) {
		char *line = xasprintf("quit with %zu messages waiting",
		    g->client->outbox->n);
		client_free(g->client); /* saves a document's unsent edits */
		log_line(g, line);
		free(line);
	}
	conn_free(g->conn);
	if (g->ctx != NULL)
		lws_context_destroy(g->ctx);
	if (!desknotify_stop(g->notify))
		log_line(g, "desktop notifications: left a stuck worker behind");
	config_free(&g->cfg);
	if (g->log != NULL)
		fclose(g->log);
	free(g->state_dir);
	free(g->config_dir);
	return rc;
}
