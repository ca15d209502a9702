/*
 * signin: the sign-in requests of a session (docs/protocol.md, "Accounts
 * and sign-in"): LOGIN and REGISTER before HELLO, the token HELLO must
 * carry, LOGOUT. The checks themselves are accounts.c's; answers come back
 * on a later turn, to the session if it is still there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/accounts.h"

#define CLOSE_UNAUTHORIZED 4003

/* What a sign-in's answer needs to find its way back. */
struct pending_signin {
	uint64_t session;
	char cid[65];
	const char *ref;
};

static void
refuse(struct session *s, const char *cid, const char *ref, const char *why)
{
	session_send_error(s, PE_UNAUTHORIZED, cid, ref, why);
	session_close(s, CLOSE_UNAUTHORIZED, "unauthorized");
}

bool
signin_hello(const struct req *q)
{
	struct server *srv = q->srv;
	if (!srv->cfg.accounts)
		return true;
	const char *token = q->f->token;
	if (token == NULL || *token == '\0') {
		refuse(q->s, q->f->cid, q->ref, "this server needs you to sign in "
		    "(LOGIN, then HELLO with its token)");
		return false;
	}
	char *user = auth_token_user(srv, token);
	if (user == NULL) {
		refuse(q->s, q->f->cid, q->ref, "that sign-in is no longer good "
		    "(expired or revoked): sign in again");
		return false;
	}
	bool same = strcmp(user, q->f->user) == 0;
	free(user);
	if (!same) {
		refuse(q->s, q->f->cid, q->ref, "that sign-in is another user's");
		return false;
	}
	session_forget_token(q->s);
	q->s->token = xstrndup(token, 63);
	return true;
}

static void
signin_done(struct server *srv, void *data, const struct auth_result *r)
{
	struct pending_signin *p = data;
	struct session *s = g_hash_table_lookup(srv->sessions,
	    GSIZE_TO_POINTER(p->session));
	if (s != NULL)
		s->signing_in = false;
	if (s == NULL || s->dead || srv->destroying) {
		free(p);
		return;
	}
	char why[128];
	switch (r->verdict) {
	case AUTH_OK: {
		struct proto_frame f = proto_frame_of(PT_LOGGED_IN);
		f.cid = p->cid;
		f.user = r->user;
		f.token = r->token;
		f.expires = r->expires;
		f.has_expires = true;
		session_send_frame(s, &f);
		break;
	}
	case AUTH_WRONG:
		session_send_error(s, PE_UNAUTHORIZED, p->cid, p->ref,
		    "wrong user name or password");
		break;
	case AUTH_LIMITED:
		snprintf(why, sizeof why, "too many failed sign-ins: try again in "
		    "%d s", r->retry_after_s);
		session_send_error(s, PE_RATE_LIMITED, p->cid, p->ref, why);
		break;
	case AUTH_BUSY:
		session_send_error(s, PE_RATE_LIMITED, p->cid, p->ref,
		    "the server is busy signing others in: try again in a second");
		break;
	case AUTH_TAKEN:
		session_send_error(s, PE_TAKEN, p->cid, p->ref,
		    "that user name has an account already");
		break;
	case AUTH_FAILED:
	default:
		session_send_error(s, PE_INTERNAL, p->cid, p->ref,
		    "storage failure, try again");
		break;
	}
	free(p);
}

/* LOGIN and REGISTER share everything but the check. */
static void
sign_in(const struct req *q, bool create)
{
	struct server *srv = q->srv;
	struct session *s = q->s;
	if (!srv->cfg.accounts) {
		hub_req_error(q, PE_BAD_STATE, "this server has no accounts: HELLO "
		    "needs no sign-in");
		return;
	}
	if (create && !srv->cfg.open_registration) {
		hub_req_error(q, PE_FORBIDDEN, "accounts are made by the server's "
		    "operator here");
		return;
	}
	if (s->user != NULL) {
		hub_req_error(q, PE_BAD_STATE, "signed in already");
		return;
	}
	size_t n = strlen(q->f->password);
	if (n == 0 || n > AUTH_PASSWORD_MAX ||
	    (create && n < AUTH_PASSWORD_MIN)) {
		char why[96];
		snprintf(why, sizeof why, "a password is %d to %d bytes",
		    create ? AUTH_PASSWORD_MIN : 1, AUTH_PASSWORD_MAX);
		hub_req_error(q, PE_BAD_FIELD, why);
		return;
	}
	if (s->signing_in) {
		hub_req_error(q, PE_RATE_LIMITED, "one sign-in at a time");
		return;
	}
	char addr[64] = "";
	session_peer(s, addr, sizeof addr);
	struct pending_signin *p = xcalloc(1, sizeof *p);
	p->session = s->id;
	snprintf(p->cid, sizeof p->cid, "%s", q->f->cid);
	p->ref = create ? "REGISTER" : "LOGIN";
	s->signing_in = true;
	if (create)
		auth_register(srv, q->f->user, q->f->password, addr, signin_done, p);
	else
		auth_login(srv, q->f->user, q->f->password, addr, signin_done, p);
}

void
signin_handle_login(const struct req *q)
{
	sign_in(q, false);
}

void
signin_handle_register(const struct req *q)
{
	sign_in(q, true);
}

void
signin_token_ended(struct server *srv, const char *token)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, srv->sessions);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct session *s = v;
		if (s->dead || s->token == NULL || strcmp(s->token, token) != 0)
			continue;
		session_forget_token(s);
		session_close(s, CLOSE_UNAUTHORIZED, "signed out");
	}
}

void
signin_handle_logout(const struct req *q)
{
	struct session *s = q->s;
	if (!q->srv->cfg.accounts || s->token == NULL) {
		hub_req_error(q, PE_BAD_STATE, "not signed in with a token");
		return;
	}
	char token[64];
	snprintf(token, sizeof token, "%s", s->token);
	auth_logout(q->srv, token);
	struct proto_frame a = proto_frame_of(PT_ACK);
	a.cid = q->f->cid;
	session_send_frame(s, &a);
	signin_token_ended(q->srv, token);
	sodium_memzero(token, sizeof token);
}
