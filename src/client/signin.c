/* signin: the password, the token and LOGIN (signin.h). */
#include "client/signin.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/fileio.h"
#include "model/xmalloc.h"
#include "net/outbox.h"

#define TOKENS_MAX_FILE ((size_t)1 << 20)
#define BULLET "\xe2\x80\xa2"

/* ---- the tokens file: [{"server":…,"token":…,"expires":…}] ---------------- */

static cJSON *
tokens_load(const char *path)
{
	char *text = file_read(path, TOKENS_MAX_FILE, NULL, NULL, 0);
	cJSON *a = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!cJSON_IsArray(a)) {
		cJSON_Delete(a);
		a = cJSON_CreateArray();
	}
	return a;
}

static cJSON *
entry_of(cJSON *a, const char *server)
{
	cJSON *e;
	cJSON_ArrayForEach(e, a) {
		const cJSON *srv = cJSON_GetObjectItemCaseSensitive(e, "server");
		if (cJSON_IsString(srv) && strcmp(srv->valuestring, server) == 0)
			return e;
	}
	return NULL;
}

static void
tokens_save(struct signin *s, cJSON *a)
{
	char *text = cJSON_PrintUnformatted(a);
	if (!file_write_atomic(s->path, text, strlen(text), true))
		port_log(s->port, "cannot keep the sign-in in %s: %s", s->path,
		    strerror(errno));
	free(text);
}

static void
keep_token(struct signin *s, const char *token, int64_t expires)
{
	cJSON *a = tokens_load(s->path);
	cJSON *e = entry_of(a, s->server);
	cJSON *keep = cJSON_CreateArray(); /* the others, then this one */
	cJSON *it;
	cJSON_ArrayForEach(it, a)
		if (it != e)
			cJSON_AddItemToArray(keep, cJSON_Duplicate(it, true));
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "server", s->server);
	cJSON_AddStringToObject(n, "token", token);
	cJSON_AddNumberToObject(n, "expires", (double)expires);
	cJSON_AddItemToArray(keep, n);
	tokens_save(s, keep);
	cJSON_Delete(keep);
	cJSON_Delete(a);
	free(s->token);
	s->token = xstrdup(token);
}

static void
forget_token(struct signin *s)
{
	free(s->token);
	s->token = NULL;
	cJSON *a = tokens_load(s->path);
	cJSON *keep = cJSON_CreateArray();
	cJSON *it;
	bool had = false;
	cJSON_ArrayForEach(it, a) {
		const cJSON *srv = cJSON_GetObjectItemCaseSensitive(it, "server");
		if (cJSON_IsString(srv) && strcmp(srv->valuestring, s->server) == 0)
			had = true;
		else
			cJSON_AddItemToArray(keep, cJSON_Duplicate(it, true));
	}
	if (had)
		tokens_save(s, keep);
	cJSON_Delete(keep);
	cJSON_Delete(a);
}

/* ---- life ---------------------------------------------------------------- */

void
signin_init(struct signin *s, const struct client_port *port,
    const char *state_dir, const char *server, const char *user)
{
	memset(s, 0, sizeof *s);
	s->port = port;
	s->path = xasprintf("%s/tokens-%s.json", state_dir, user);
	s->server = xstrdup(server);
	s->user = xstrdup(user);
	edit_init(&s->secret);
	cJSON *a = tokens_load(s->path);
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(entry_of(a, server),
	    "token");
	if (cJSON_IsString(tok))
		s->token = xstrdup(tok->valuestring);
	cJSON_Delete(a);
}

static void
wipe(char *p)
{
	if (p != NULL)
		explicit_bzero(p, strlen(p));
}

static void
drop_password(struct signin *s)
{
	wipe(s->password);
	free(s->password);
	s->password = NULL;
	if (s->secret.buf != NULL && s->secret.len > 0)
		explicit_bzero(s->secret.buf, s->secret.len);
	edit_clear(&s->secret);
}

void
signin_free(struct signin *s)
{
	drop_password(s);
	edit_free(&s->secret);
	free(s->path);
	free(s->server);
	free(s->user);
	free(s->token);
}

const char *
signin_token(const struct signin *s)
{
	return s->token;
}

/* ---- the protocol --------------------------------------------------------- */

static void
ask(struct signin *s, const char *why)
{
	snprintf(s->why, sizeof s->why, "%s", why);
	s->asking = true;
	s->login_cid[0] = '\0';
	drop_password(s);
	if (s->port->stop != NULL)
		s->port->stop(s->port->ud); /* no use dialling until it is typed */
	port_redraw(s->port);
}

char *
signin_login_frame(struct signin *s)
{
	if (s->password == NULL)
		return NULL;
	struct proto_frame f = proto_frame_of(PT_LOGIN);
	outbox_new_cid(s->login_cid);
	f.cid = s->login_cid;
	f.user = s->user;
	f.password = s->password;
	return proto_encode(&f, PROTO_TO_SERVER);
}

void
signin_wipe_frame(char *frame)
{
	wipe(frame);
	free(frame);
}

enum signin_result
signin_frame(struct signin *s, const struct proto_frame *f)
{
	bool ours = f->cid != NULL && s->login_cid[0] &&
	    strcmp(f->cid, s->login_cid) == 0;
	if (f->type == PT_LOGGED_IN && ours) {
		s->login_cid[0] = '\0';
		drop_password(s);
		keep_token(s, f->token, f->expires);
		port_note(s->port, false, "signed in as %s", f->user);
		return SIGNIN_SEND_HELLO;
	}
	if (f->type != PT_ERROR)
		return SIGNIN_NOT_MINE;
	if (ours) {
		s->login_cid[0] = '\0';
		ask(s, strcmp(f->code, "unauthorized") == 0 ?
		    "wrong user name or password" : f->reason);
		return SIGNIN_HANDLED;
	}
	bool hello = f->ref != NULL && strcmp(f->ref, "HELLO") == 0;
	if (strcmp(f->code, "unauthorized") == 0 && (hello || f->cid == NULL)) {
		bool had = s->token != NULL;
		forget_token(s);
		ask(s, had ? "the server wants you to sign in again" :
		    "this server needs a password");
		return SIGNIN_HANDLED;
	}
	return SIGNIN_NOT_MINE;
}

void
signin_logout(struct signin *s, bool connected)
{
	if (connected && s->token != NULL) {
		struct proto_frame f = proto_frame_of(PT_LOGOUT);
		char cid[17];
		outbox_new_cid(cid);
		f.cid = cid;
		port_send_frame(s->port, &f);
	}
	bool had = s->token != NULL;
	forget_token(s);
	port_note(s->port, false, had ? "signed out: the token is forgotten here "
	    "and revoked on the server" : "not signed in");
}

/* ---- the question --------------------------------------------------------- */

bool
signin_key(struct signin *s, const struct ui_intent *in)
{
	if (!s->asking)
		return false;
	switch (in->kind) {
	case UI_INSERT:
	case UI_PASTE:
		edit_insert(&s->secret, in->text, strlen(in->text));
		break;
	case UI_EDIT:
		if (in->op == EDIT_BACKSPACE || in->op == EDIT_KILL_TO_START ||
		    in->op == EDIT_KILL_WORD_BACK)
			edit_apply(&s->secret, (enum edit_op)in->op);
		break;
	case UI_SUBMIT:
		if (s->secret.len == 0)
			break;
		s->password = xstrdup(s->secret.buf);
		explicit_bzero(s->secret.buf, s->secret.len);
		edit_clear(&s->secret);
		s->asking = false;
		port_note(s->port, false, "signing in as %s\xe2\x80\xa6", s->user);
		if (s->port->reconnect != NULL)
			s->port->reconnect(s->port->ud);
		break;
	case UI_ESCAPE:
		drop_password(s);
		s->asking = false;
		port_note(s->port, false, "not signed in: confab stays offline "
		    "(/reconnect signs in)");
		break;
	default:
		return in->kind != UI_QUIT && in->kind != UI_FOCUS &&
		    in->kind != UI_REDRAW && in->kind != UI_SCROLL &&
		    in->kind != UI_SCROLL_PAGE;
	}
	port_redraw(s->port);
	return true;
}

bool
signin_prompt(const struct signin *s, char *buf, size_t size)
{
	if (!s->asking)
		return false;
	size_t n = edit_length(&s->secret), at;
	at = (size_t)snprintf(buf, size, "%s; password for %s (Esc: stay "
	    "offline): ", s->why, s->user);
	for (size_t i = 0; i < n && i < 32 && at + 4 < size; i++)
		at += (size_t)snprintf(buf + at, size - at, BULLET);
	return true;
}
