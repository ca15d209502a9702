/*
 * client_link: the link to the server (client.h): connecting, signing in,
 * a certificate that did not pass, and the frames the server sends, each
 * handed to the subsystem it is for.
 */
#include "client/client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_impl.h"
#include "client/pins.h"
#include "model/mention.h"
#include "model/notifyrules.h"
#include "model/roles.h"
#include "model/xmalloc.h"

/* ---- the link ------------------------------------------------------------ */

static void
send_hello(struct client *c)
{
	char *hello = chat_hello_frame(c->chat, signin_token(&c->signin));
	if (hello != NULL)
		c->world.send(c->world.ud, hello, strlen(hello));
	free(hello);
}

void
client_connected(struct client *c)
{
	char *login = signin_login_frame(&c->signin);
	if (login != NULL) /* LOGIN first, HELLO on LOGGED_IN */
		c->world.send(c->world.ud, login, strlen(login));
	else
		send_hello(c);
	signin_wipe_frame(login);
	c->chat->link = CHAT_CONNECTING;
	port_redraw(&c->port);
}

/* After WELCOME: join what HELLO did not resume, restore presence, send
 * everything still waiting for an ACK. */
static void
on_welcome(struct client *c)
{
	c->welcomed = true;
	for (size_t i = 0; i < c->chat->nrooms; i++) {
		struct room *r = c->chat->rooms[i];
		if (r->last_seq <= 0)
			client_send_join(c, r->name, -1);
	}
	if (c->chat->status != PS_ONLINE)
		client_set_presence(c, c->chat->status, c->chat->status_text);
	sendq_online(&c->sendq, true);
	docset_welcome(&c->docset);
	centre_welcome(&c->centre);
}

/* A wss:// certificate that did not pass: a new one is put to the user
 * (once), a changed one is refused loudly (once); connecting goes on
 * failing meanwhile, which the status line shows. */
static void
certificate_trouble(struct client *c, enum client_cert cert, const char *fp)
{
	if ((c->told_fp && strcmp(c->told_fp, fp) == 0) ||
	    (c->trust_fp && strcmp(c->trust_fp, fp) == 0) ||
	    (cert == CLIENT_CERT_UNTRUSTED && c->pinned_fp &&
	    strcmp(c->pinned_fp, fp) == 0))
		return;
	char server[300];
	pins_server_of(c->cfg->server, server, sizeof server);
	free(c->told_fp);
	c->told_fp = xstrdup(fp);
	if (cert == CLIENT_CERT_UNTRUSTED) {
		client_note(c, false, "%s has a certificate that no authority this "
		    "machine trusts has signed (it may be self-signed). Its SHA-256 "
		    "fingerprint is", server);
		client_note(c, false, "  %s", fp);
		client_note(c, false, "Compare it with what the server's operator "
		    "says it is before you trust it.");
		free(c->trust_fp);
		c->trust_fp = xstrdup(fp);
		snprintf(c->prompt, sizeof c->prompt,
		    "trust this certificate of %.50s from now on? (y/n)", server);
	} else if (cert == CLIENT_CERT_CHANGED) {
		client_note(c, true, "THE CERTIFICATE OF %s HAS CHANGED since you "
		    "trusted it: not connecting. It is now", server);
		client_note(c, true, "  %s", fp);
		client_note(c, true, "Someone may be pretending to be the server. If "
		    "you know its certificate changed, remove its line from %s and "
		    "/reconnect.", c->pins_path);
	} else {
		client_note(c, true, "%s: %s", server, c->chat->link_error ?
		    c->chat->link_error : "the certificate is not valid");
	}
}

/* The answer to "trust this certificate?". */
void
client_answer_trust(struct client *c, bool yes)
{
	char *fp = c->trust_fp;
	c->trust_fp = NULL;
	c->prompt[0] = '\0';
	if (fp == NULL)
		return;
	char server[300];
	pins_server_of(c->cfg->server, server, sizeof server);
	if (!yes) {
		client_note(c, false, "not trusted: confab stays offline (/reconnect "
		    "asks again)");
	} else if (!pins_add(c->pins_path, server, fp)) {
		client_note(c, true, "cannot keep the certificate in %s: %s",
		    c->pins_path, strerror(errno));
	} else {
		client_note(c, false, "trusted; %s remembers it", c->pins_path);
		free(c->told_fp);
		c->told_fp = NULL;
		free(c->pinned_fp);
		c->pinned_fp = xstrdup(fp);
		if (c->world.trust != NULL)
			c->world.trust(c->world.ud, fp);
	}
	free(fp);
}

void
client_link(struct client *c, const struct client_link *st)
{
	if (!st->open) {
		if (c->welcomed)
			port_log(&c->port, "disconnected: %s", st->error ? st->error : "");
		c->welcomed = false;
		client_joins_done(c, NULL);
		client_rights_offline(c);
		sendq_online(&c->sendq, false);
		docset_offline(&c->docset);
		centre_offline(&c->centre);
		c->history_inflight = false;
		client_msgact_offline(c);
		for (size_t i = 0; i < c->chat->nrooms; i++) {
			c->chat->rooms[i]->joined = false;
			c->chat->rooms[i]->ntyping = 0;
		}
	}
	if (!st->open || c->chat->link != CHAT_CONNECTED)
		c->chat->link = st->state;
	if (st->cert != CLIENT_CERT_OK && st->fingerprint && *st->fingerprint)
		certificate_trouble(c, st->cert, st->fingerprint);
	snprintf(c->chat->transport, sizeof c->chat->transport, "%s",
	    st->transport ? st->transport : "ws");
	c->chat->attempt = st->attempt;
	c->chat->retry_at = st->retry_at;
	free(c->chat->link_error);
	c->chat->link_error = st->error && *st->error ? xstrdup(st->error) : NULL;
	port_redraw(&c->port);
}

/* A message the client did not hold yet: tell the desktop and ring the
 * bell as the notification settings say (docs/notifications.md). */
static void
notify_message(struct client *c, const char *room, const char *user,
    const char *text)
{
	struct notify_event ev = {
		.room = room,
		.is_dm = room[0] == '@', /* direct-message rooms: docs/protocol.md */
		.is_mention = room_mentions(text, c->cfg->user) ||
		    mention_highlight(text, (const char *const *)c->cfg->highlight.v,
		    c->cfg->highlight.n),
		.from_me = strcmp(user, c->cfg->user) == 0,
		.focused = c->focused,
	};
	struct notify_decision d = notifyrules_decide(&c->cfg->notify, &ev);
	if (d.bell && c->world.bell != NULL)
		c->world.bell(c->world.ud);
	if (d.desktop && c->world.desktop != NULL) {
		char title[160];
		if (ev.is_dm)
			snprintf(title, sizeof title, "%s (direct message)", user);
		else
			snprintf(title, sizeof title, "%s in %s", user, room);
		c->world.desktop(c->world.ud, title, text, ev.is_mention || ev.is_dm);
	}
}

/* A direct message opens its room in the list (without switching to it),
 * so the conversation is there when the user looks. Its first message
 * reaches the client inside the JOINED snapshot, not as a MESSAGE, so the
 * notification itself (its title is the sender) tells the desktop. */
static void
on_notification(struct client *c, const struct proto_notification *n)
{
	if (n->kind == NULL || strcmp(n->kind, "dm") != 0 || n->room == NULL ||
	    n->title == NULL || n->message == NULL ||
	    chat_room(c->chat, n->room) != NULL)
		return;
	struct room *r = chat_open(c->chat, n->room);
	if (n->seq > 0)
		room_set_read(r, n->seq - 1); /* the message it is about is news */
	client_send_join(c, n->room, -1);
	client_rooms_changed(c);
	notify_message(c, n->room, n->title, n->message);
}

static void
on_error(struct client *c, const struct proto_frame *f)
{
	bool later = strcmp(f->code, "rate_limited") == 0;
	if (sendq_answer(&c->sendq, f->cid, later ? SENDQ_LATER : SENDQ_DONE))
		client_update_pending(c); /* refused: chat_apply marked it failed */
}

void
client_frame(struct client *c, const char *text, size_t len)
{
	struct proto_frame f;
	struct proto_error err;
	if (!proto_decode(text, len, PROTO_TO_CLIENT, &f, &err)) {
		port_log(&c->port, "bad frame from the server (%s: %s): %.*s",
		    proto_err_name(err.code), err.reason, (int)(len > 200 ? 200 : len),
		    text);
		return;
	}
	port_redraw(&c->port);
	if (f.type == PT_ERROR && f.cid != NULL &&
	    strcmp(f.code, "rate_limited") == 0 && sendq_has(&c->sendq, f.cid)) {
		on_error(c, &f); /* not a failure the user needs to see */
		proto_frame_free(&f);
		return;
	}
	if (client_rights_frame(c, &f) || client_finder_frame(c, &f)) {
		proto_frame_free(&f);
		return;
	}
	enum signin_result sr = signin_frame(&c->signin, &f);
	if (sr == SIGNIN_SEND_HELLO)
		send_hello(c);
	if (sr != SIGNIN_NOT_MINE || docset_frame(&c->docset, &f) ||
	    (f.type == PT_ERROR && client_join_refused(c, &f))) {
		proto_frame_free(&f);
		return;
	}
	if (client_msgact_frame(c, &f)) {
		proto_frame_free(&f);
		return;
	}
	if (f.type == PT_JOINED)
		client_joins_done(c, f.room);
	struct room *held = f.type == PT_MESSAGE ? chat_room(c->chat, f.room) : NULL;
	bool fresh = held != NULL && f.seq > held->last_seq;
	chat_apply(c->chat, &f, port_wall(&c->port));
	if (fresh && f.text != NULL) /* a replayed tombstone tells nothing */
		notify_message(c, f.room, f.user, f.text);
	switch (f.type) {
	case PT_WELCOME: on_welcome(c); break;
	case PT_NOTIFICATION: on_notification(c, &f.notification); break;
	case PT_ACK:
		if (sendq_answer(&c->sendq, f.cid, SENDQ_DONE))
			client_update_pending(c);
		break;
	case PT_ERROR: on_error(c, &f); break;
	case PT_ROOM_EVENT:
		if (roles_event_removes_me(&f, c->chat->me))
			client_rooms_changed(c); /* the room is gone from the list */
		break;
	case PT_HISTORY:
		if (c->history_room && strcmp(c->history_room, f.room) == 0)
			c->history_inflight = false;
		break;
	default: break;
	}
	centre_frame(&c->centre, &f); /* after the HISTORY above: the next page */
	if (f.type == PT_HISTORY || f.type == PT_JOINED) {
		search_history(&c->search);
		client_finder_history(c);
		client_msgact_history(c);
	}
	if ((f.type == PT_MESSAGE || f.type == PT_JOINED) && f.room != NULL &&
	    (held = chat_room(c->chat, f.room)) != NULL)
		chatlog_room(&c->log, held);
	proto_frame_free(&f);
}
