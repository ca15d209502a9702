/*
 * confab: the terminal client. Reads the configuration, then runs one
 * libwebsockets loop over the connection to confabd and the terminal
 * (stdin adopted as a raw file); everything else reacts to its events.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/app.h"
#include "model/names.h"
#include "model/notifyrules.h"

#define TICK_US (250 * LWS_US_PER_MS)

int64_t
app_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
app_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct app *log_app; /* for the lws log emitter */

void
app_log(struct app *a, const char *fmt, ...)
{
	if (a->log == NULL)
		return;
	time_t t = time(NULL);
	struct tm tm;
	char when[32];
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(a->log, "%s ", when);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(a->log, fmt, ap);
	va_end(ap);
	fputc('\n', a->log);
	fflush(a->log);
}

static void
lws_emit(int level, const char *line)
{
	(void)level;
	if (log_app != NULL && log_app->log != NULL) {
		fputs(line, log_app->log);
		fflush(log_app->log);
	}
}

void
app_note(struct app *a, bool error, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	struct room *r = chat_current(a->chat);
	chat_notice(a->chat, r ? r->name : NULL, error, app_wall_ms(), "%s", buf);
	app_log(a, "%s%s", error ? "error: " : "", buf);
	a->dirty = true;
}

/* ---- sending ------------------------------------------------------------- */

bool
app_send(struct app *a, const char *frame)
{
	if (!a->welcomed)
		return false;
	return conn_send(a->conn, frame, strlen(frame));
}

static void
update_pending(struct app *a)
{
	a->chat->pending = a->outbox->n;
	a->dirty = true;
}

/*
 * The outbox goes out one request at a time, the next when the previous is
 * acknowledged. A pipeline would be faster, but when the server refuses one
 * request (rate_limited) the ones behind it could be stored before it, and
 * the room would show messages out of the order they were typed.
 */
static void
pump_outbox(struct app *a)
{
	if (!a->welcomed || a->inflight[0] || a->outbox->n == 0)
		return;
	if (a->resend_at && app_mono_ms() < a->resend_at)
		return;
	a->resend_at = 0;
	const struct outbox_entry *e = &a->outbox->v[0];
	if (app_send(a, e->frame))
		snprintf(a->inflight, sizeof a->inflight, "%s", e->cid);
}

/* The answer to a queued request came: the next one may go. */
static void
outbox_done(struct app *a, const char *cid, bool remove)
{
	if (remove && outbox_remove(a->outbox, cid))
		update_pending(a);
	if (strcmp(a->inflight, cid) == 0)
		a->inflight[0] = '\0';
	pump_outbox(a);
	docs_welcome(a);
}

void
app_say(struct app *a, const char *room, const char *text)
{
	char cid[17];
	outbox_new_cid(cid);
	char *frame = chat_message_frame(cid, room, text);
	struct room *r = chat_room(a->chat, room);
	if (frame == NULL || r == NULL) {
		free(frame);
		return;
	}
	bool kept = app_queue(a, cid, frame); /* its ACK comes on a later turn */
	free(frame);
	if (!kept) {
		app_note(a, true, "cannot keep the message in %s: not sent",
		    a->outbox->path);
		return;
	}
	room_add_pending(r, cid, text, app_wall_ms());
}

/* JOIN, from since when it is > 0; offline, the room is joined after the
 * next WELCOME. */
static void
send_join(struct app *a, const char *room, int64_t since)
{
	char *f = chat_join_frame(room, since > 0 ? since : -1);
	if (f != NULL)
		app_send(a, f);
	free(f);
}

void
app_join(struct app *a, const char *room)
{
	struct room *r = chat_open(a->chat, room);
	if (r == NULL)
		return;
	for (size_t i = 0; i < a->chat->nrooms; i++)
		if (a->chat->rooms[i] == r)
			chat_switch(a->chat, i);
	a->scroll = 0;
	if (!r->joined)
		send_join(a, room, r->last_seq);
	a->dirty = true;
}

bool
app_queue(struct app *a, const char *cid, const char *frame)
{
	if (frame == NULL || !outbox_add(a->outbox, cid, frame))
		return false;
	update_pending(a);
	pump_outbox(a);
	return true;
}

void
app_part(struct app *a, const char *room)
{
	char cid[17];
	outbox_new_cid(cid);
	char *frame = chat_leave_frame(cid, room);
	app_queue(a, cid, frame);
	free(frame);
	if (a->typing_room && strcmp(a->typing_room, room) == 0)
		app_stop_typing(a);
	docs_parted(a, room);
	chat_close(a->chat, room);
	app_note(a, false, "left %s", room);
}

void
app_set_presence(struct app *a, enum proto_status st, const char *text)
{
	a->chat->status = st;
	/* text may be status_text itself (restored after a reconnect) */
	char *copy = text && *text ? strdup(text) : NULL;
	free(a->chat->status_text);
	a->chat->status_text = copy;
	char *f = chat_presence_frame(st, copy);
	if (f != NULL)
		app_send(a, f); /* offline: sent again after WELCOME */
	free(f);
	a->dirty = true;
}

void
app_stop_typing(struct app *a)
{
	if (a->typing_sent && a->typing_room != NULL) {
		char *f = chat_typing_frame(a->typing_room, false);
		if (f != NULL)
			app_send(a, f);
		free(f);
	}
	a->typing_sent = 0;
	free(a->typing_room);
	a->typing_room = NULL;
}

bool
app_request_history_of(struct app *a, struct room *r, int limit)
{
	if (r == NULL || !r->joined || !r->more_before || a->history_inflight ||
	    r->nconfirmed == 0)
		return false;
	char *f = chat_history_frame(r->name, r->msgs[0].seq,
	    limit > 0 ? limit : a->cfg.history_page);
	bool sent = f != NULL && app_send(a, f);
	if (sent) {
		a->history_inflight = true;
		free(a->history_room);
		a->history_room = strdup(r->name);
	}
	free(f);
	return sent;
}

void
app_request_history(struct app *a)
{
	app_request_history_of(a, chat_current(a->chat), 0);
}

/* The newest failed message of the current room. */
static struct room_msg *
last_failed(struct app *a)
{
	struct room *r = chat_current(a->chat);
	for (size_t i = r->nmsgs; i > 0; i--)
		if (r->msgs[i - 1].state == ROOM_MSG_FAILED)
			return &r->msgs[i - 1];
	app_note(a, true, "no failed message in %s", r->name);
	return NULL;
}

void
app_retry_failed(struct app *a)
{
	struct room *r = chat_current(a->chat);
	struct room_msg *m = last_failed(a);
	if (m == NULL)
		return;
	/* A new cid: the server remembers the refused one. */
	char *text = strdup(m->text);
	room_discard(r, m->cid);
	if (text != NULL)
		app_say(a, r->name, text);
	free(text);
}

void
app_discard_failed(struct app *a)
{
	struct room_msg *m = last_failed(a);
	if (m != NULL) {
		outbox_remove(a->outbox, m->cid);
		room_discard(chat_current(a->chat), m->cid);
		update_pending(a);
	}
}

/* ---- network events ------------------------------------------------------ */

static void
on_opened(void *ud)
{
	struct app *a = ud;
	char *hello = chat_hello_frame(a->chat);
	if (hello != NULL)
		conn_send(a->conn, hello, strlen(hello));
	free(hello);
	a->chat->link = CHAT_CONNECTING;
	a->dirty = true;
}

/* After WELCOME: join what HELLO did not resume, restore presence, send
 * everything still waiting for an ACK. */
static void
on_welcome(struct app *a)
{
	a->welcomed = true;
	conn_set_heartbeat(a->conn, a->chat->heartbeat_ms);
	for (size_t i = 0; i < a->chat->nrooms; i++) {
		struct room *r = a->chat->rooms[i];
		if (r->last_seq <= 0)
			send_join(a, r->name, -1);
	}
	if (a->chat->status != PS_ONLINE)
		app_set_presence(a, a->chat->status, a->chat->status_text);
	a->inflight[0] = '\0';
	pump_outbox(a);
	docs_welcome(a);
	centre_welcome(a);
}

static void
on_error(struct app *a, const struct proto_frame *f)
{
	if (f->cid == NULL || outbox_find(a->outbox, f->cid) == NULL)
		return;
	if (strcmp(f->code, "rate_limited") == 0) {
		/* transient: keep it first in line and try again shortly */
		a->resend_at = app_mono_ms() + 1000;
		outbox_done(a, f->cid, false);
		return;
	}
	outbox_done(a, f->cid, true); /* refused: shown failed, not resent */
}

/* A message the client did not hold yet: tell the desktop and ring the
 * bell as the notification settings say (docs/notifications.md). */
static void
notify_message(struct app *a, const char *room, const char *user,
    const char *text)
{
	struct notify_event ev = {
		.room = room,
		.is_dm = room[0] == '@', /* direct-message rooms: docs/protocol.md */
		.is_mention = room_mentions(text, a->cfg.user),
		.from_me = strcmp(user, a->cfg.user) == 0,
		.focused = a->focused,
	};
	struct notify_decision d = notifyrules_decide(&a->cfg.notify, &ev);
	if (d.bell)
		ui_bell();
	if (d.desktop && a->notify != NULL) {
		char title[160];
		if (ev.is_dm)
			snprintf(title, sizeof title, "%s (direct message)", user);
		else
			snprintf(title, sizeof title, "%s in %s", user, room);
		desknotify_post(a->notify, title, text,
		    ev.is_mention || ev.is_dm ? DESKNOTIFY_NORMAL : DESKNOTIFY_LOW);
	}
}

/* A direct message opens its room in the list (without switching to it),
 * so the conversation is there when the user looks. Its first message
 * reaches the client inside the JOINED snapshot, not as a MESSAGE, so the
 * notification itself (its title is the sender) tells the desktop. */
static void
on_notification(struct app *a, const struct proto_notification *n)
{
	if (n->kind == NULL || strcmp(n->kind, "dm") != 0 || n->room == NULL ||
	    n->title == NULL || n->message == NULL ||
	    chat_room(a->chat, n->room) != NULL)
		return;
	if (chat_open(a->chat, n->room) == NULL)
		return;
	send_join(a, n->room, -1);
	notify_message(a, n->room, n->title, n->message);
}

static void
on_frame(void *ud, const char *text, size_t len)
{
	struct app *a = ud;
	struct proto_frame f;
	struct proto_error err;
	if (!proto_decode(text, len, PROTO_TO_CLIENT, &f, &err)) {
		app_log(a, "bad frame from the server (%s: %s): %.*s",
		    proto_err_name(err.code), err.reason, (int)(len > 200 ? 200 : len), text);
		return;
	}
	if (f.type == PT_ERROR && f.cid != NULL && strcmp(f.code, "rate_limited") == 0 &&
	    outbox_find(a->outbox, f.cid) != NULL) {
		on_error(a, &f); /* not a failure the user needs to see */
		proto_frame_free(&f);
		return;
	}
	if (docs_frame(a, &f)) {
		proto_frame_free(&f);
		a->dirty = true;
		return;
	}
	struct room *held = f.type == PT_MESSAGE ? chat_room(a->chat, f.room) : NULL;
	bool fresh = held != NULL && f.seq > held->last_seq;
	chat_apply(a->chat, &f, app_wall_ms());
	if (fresh)
		notify_message(a, f.room, f.user, f.text);
	switch (f.type) {
	case PT_WELCOME: on_welcome(a); break;
	case PT_NOTIFICATION: on_notification(a, &f.notification); break;
	case PT_ACK:
		if (f.cid != NULL)
			outbox_done(a, f.cid, true);
		break;
	case PT_ERROR: on_error(a, &f); break;
	case PT_HISTORY:
		if (a->history_room && strcmp(a->history_room, f.room) == 0)
			a->history_inflight = false;
		break;
	default: break;
	}
	centre_frame(a, &f); /* after the HISTORY above: the next page may go */
	proto_frame_free(&f);
	a->dirty = true;
}

static void
on_status(void *ud, const struct conn_status *st)
{
	struct app *a = ud;
	static const enum chat_link links[] = {
		[CONN_OFFLINE] = CHAT_OFFLINE, [CONN_CONNECTING] = CHAT_CONNECTING,
		[CONN_OPEN] = CHAT_CONNECTING, [CONN_WAITING] = CHAT_WAITING,
	};
	if (st->state != CONN_OPEN) {
		if (a->welcomed)
			app_log(a, "disconnected: %s", st->last_error);
		a->welcomed = false;
		docs_offline(a);
		a->history_inflight = false;
		a->inflight[0] = '\0';
		for (size_t i = 0; i < a->chat->nrooms; i++) {
			a->chat->rooms[i]->joined = false;
			a->chat->rooms[i]->ntyping = 0;
		}
	}
	if (st->state != CONN_OPEN || a->chat->link != CHAT_CONNECTED)
		a->chat->link = links[st->state];
	a->chat->attempt = st->attempt;
	a->chat->retry_at = st->retry_at_ms;
	free(a->chat->link_error);
	a->chat->link_error = st->last_error[0] ? strdup(st->last_error) : NULL;
	a->dirty = true;
}

static const struct conn_events events = {on_opened, on_frame, on_status};

/* ---- the terminal and the loop -------------------------------------------- */

static void
read_terminal(struct app *a)
{
	struct ui_intent in;
	while (ui_read(&in)) {
		keys_handle(a, &in);
		free(in.text);
	}
}

static int
callback_stdin(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct app *a = lws_context_user(lws_get_context(wsi));
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		read_terminal(a);
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		a->quit = true; /* the terminal went away */
		return 0;
	default:
		return 0;
	}
}

static void
on_notify_event(void *ud, const struct desknotify_event *ev)
{
	app_note(ud, ev->kind == DESKNOTIFY_UNAVAILABLE, "%s", ev->text);
}

static int
callback_notify(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct app *a = lws_context_user(lws_get_context(wsi));
	if (reason == LWS_CALLBACK_RAW_RX_FILE && a->notify != NULL)
		desknotify_drain(a->notify, on_notify_event, a);
	return 0;
}

static void
tick(lws_sorted_usec_list_t *sul)
{
	struct app *a = lws_container_of(sul, struct app, tick);
	int64_t now = app_mono_ms();
	pump_outbox(a);
	docs_tick(a);
	if (a->cfg.away_after > 0 && !a->auto_away && a->chat->status == PS_ONLINE &&
	    now - a->last_input >= (int64_t)a->cfg.away_after * 1000) {
		a->auto_away = true;
		app_set_presence(a, PS_AWAY, "idle");
	}
	a->dirty = true;
	lws_sul_schedule(a->ctx, 0, &a->tick, tick, TICK_US);
}

static void
draw(struct app *a)
{
	struct ui_view v = {
		.chat = a->chat, .input = &a->input, .theme = &a->theme,
		.scroll = a->scroll, .side_panes = a->side_panes,
		.timestamps = a->cfg.timestamps, .mono_now = app_mono_ms(),
		.prompt = a->prompt[0] ? a->prompt : NULL,
		.doc = docs_view(a),
	};
	struct ui_centre centre;
	v.centre = centre_view(a, &centre);
	centre_mark(a, &v.mark_seq, &v.goto_mark);
	struct ui_drawn d = {0};
	ui_draw(&v, &d);
	a->scroll = d.scroll;
	a->page = d.page;
	docs_drawn(a, &d);
	centre_drawn(a, &d);
	if (d.at_top)
		app_request_history(a);
	a->dirty = false;
}

/* ---- start-up ------------------------------------------------------------- */

/* Shows what the outbox still holds as pending lines of their rooms. */
static void
restore_outbox(struct app *a)
{
	for (size_t i = 0; i < a->outbox->n; i++) {
		struct proto_frame f;
		struct proto_error err;
		const char *frame = a->outbox->v[i].frame;
		if (!proto_decode(frame, strlen(frame), PROTO_TO_SERVER, &f, &err))
			continue;
		if (f.type == PT_MESSAGE) {
			struct room *r = chat_open(a->chat, f.room);
			if (r != NULL)
				room_add_pending(r, f.cid, f.text, app_wall_ms());
		}
		proto_frame_free(&f);
	}
	if (a->outbox->skipped)
		app_note(a, true, "%s: %zu damaged entries skipped", a->outbox->path,
		    a->outbox->skipped);
	update_pending(a);
}

static int
start(struct app *a)
{
	char path[4096], err[512];
	if (setup_mkdirs(a->state_dir) != 0) {
		fprintf(stderr, "confab: cannot create %s: %s\n", a->state_dir,
		    strerror(errno));
		return 1;
	}
	snprintf(path, sizeof path, "%s/confab.log", a->state_dir);
	a->log = fopen(a->cfg.log ? a->cfg.log : path, "a");
	if (a->log == NULL) {
		fprintf(stderr, "confab: cannot open the log %s: %s\n",
		    a->cfg.log ? a->cfg.log : path, strerror(errno));
		return 1;
	}
	log_app = a;
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_emit);

	snprintf(path, sizeof path, "%s/outbox-%s.jsonl", a->state_dir, a->cfg.user);
	a->outbox = outbox_open(path, err, sizeof err);
	if (a->outbox == NULL) {
		fprintf(stderr, "confab: %s\n", err);
		return 1;
	}
	const char *host = a->cfg.server + strlen("ws://");
	char label[256];
	snprintf(label, sizeof label, "%.*s", (int)strcspn(host, "/"), host);
	a->chat = chat_new(a->cfg.user, label);
	if (a->chat == NULL)
		return 1;
	app_log(a, "confab %s starting as %s on %s", CONFAB_VERSION, a->cfg.user,
	    a->cfg.server);
	return 0;
}

static struct lws_protocols stdin_protocol = {
	"confab-terminal", callback_stdin, 0, 0, 0, NULL, 0,
};

static struct lws_protocols notify_protocol = {
	"confab-notify", callback_notify, 0, 0, 0, NULL, 0,
};

/* Desktop notifications: a worker thread whose results come back through a
 * pipe the loop watches. Without it confab runs on, without notifications. */
static void
start_notify(struct app *a, struct lws_vhost *vh)
{
	char err[256];
	a->notify = desknotify_start(NULL, err, sizeof err);
	if (a->notify == NULL) {
		app_log(a, "%s", err);
		return;
	}
	lws_sock_file_fd_type fd;
	fd.filefd = dup(desknotify_fd(a->notify)); /* lws closes what it adopts */
	if (fd.filefd < 0 || lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC,
	    fd, notify_protocol.name, NULL) == NULL) {
		app_log(a, "desktop notifications: cannot watch the worker");
		desknotify_stop(a->notify);
		a->notify = NULL;
	}
}

int
main(int argc, char **argv)
{
	static struct app app;
	struct app *a = &app;
	setlocale(LC_ALL, "");
	a->state_dir = setup_xdg_dir("XDG_STATE_HOME", ".local/state");
	a->config_dir = setup_xdg_dir("XDG_CONFIG_HOME", ".config");
	int rc = setup_configure(a, argc, argv);
	if (rc >= 0)
		return rc;
	if ((rc = start(a)) != 0)
		return rc;

	struct lws_protocols list[] = {conn_protocol, stdin_protocol,
	    notify_protocol, {NULL, NULL, 0, 0, 0, NULL, 0}};
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = list;
	info.user = a;
	info.timeout_secs = 10;
	a->ctx = lws_create_context(&info);
	if (a->ctx == NULL) {
		fprintf(stderr, "confab: cannot start the network layer\n");
		return 1;
	}
	char err[256];
	struct conn_options co = {a->cfg.server, a->cfg.reconnect_attempts, 1000, 30000,
	    (uint64_t)app_wall_ms() ^ (uint64_t)getpid()};
	a->conn = conn_new(a->ctx, &co, &events, a, err, sizeof err);
	if (a->conn == NULL) {
		fprintf(stderr, "confab: %s\n", err);
		return 2;
	}

	edit_init(&a->input);
	a->side_panes = a->cfg.side_panes;
	a->no_color = getenv("NO_COLOR") != NULL && *getenv("NO_COLOR");
	signal(SIGPIPE, SIG_IGN);
	ui_init(a->no_color);
	theme_default(&a->theme);
	ui_set_theme(&a->theme);
	if (strcmp(a->cfg.theme, "default") != 0)
		app_load_theme(a, a->cfg.theme);

	lws_sock_file_fd_type fd;
	fd.filefd = dup(0);
	struct lws_vhost *vh = lws_get_vhost_by_name(a->ctx, "default");
	if (lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, fd,
	    stdin_protocol.name, NULL) == NULL) {
		ui_end();
		fprintf(stderr, "confab: cannot watch the terminal\n");
		return 1;
	}

	start_notify(a, vh);
	restore_outbox(a);
	docs_init(a);
	app_join(a, a->cfg.room);
	docstore_restore(a);
	a->last_input = app_mono_ms();
	conn_reconnect_now(a->conn);
	lws_sul_schedule(a->ctx, 0, &a->tick, tick, TICK_US);

	draw(a);
	while (!a->quit) {
		if (lws_service(a->ctx, 0) < 0)
			break;
		read_terminal(a); /* SIGWINCH interrupts poll: pick up KEY_RESIZE */
		if (a->dirty)
			draw(a);
	}

	app_stop_typing(a);
	lws_sul_cancel(&a->tick);
	docs_free(a);
	centre_unmark(a);
	ui_end();
	conn_free(a->conn);
	lws_context_destroy(a->ctx);
	if (!desknotify_stop(a->notify))
		app_log(a, "desktop notifications: left a stuck worker behind");
	app_log(a, "quit with %zu messages waiting", a->outbox->n);
	outbox_free(a->outbox);
	chat_free(a->chat);
	edit_free(&a->input);
	for (size_t i = 0; i < a->nhist; i++) {
		for (size_t k = 0; k < a->hist[i].n; k++)
			free(a->hist[i].lines[k]);
		free(a->hist[i].lines);
		free(a->hist[i].room);
	}
	free(a->hist);
	free(a->paste);
	free(a->typing_room);
	free(a->history_room);
	config_free(&a->cfg);
	fclose(a->log);
	free(a->state_dir);
	free(a->config_dir);
	return 0;
}
