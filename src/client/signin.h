/*
 * signin: signing in to a server that has accounts (docs/protocol.md,
 * "Accounts and sign-in").
 *
 * HELLO carries the token kept from the last sign-in, if there is one. A
 * server that refuses it (or wants one: ERROR unauthorized, then it
 * closes) makes the client ask for the password, in the input line with
 * nothing echoed, and hold the connection meanwhile. Once the password is
 * typed, the next connection signs in first (LOGIN); LOGGED_IN brings the
 * token, kept in STATE/tokens-USER.json (mode 0600, one per server), and
 * HELLO follows with it. A wrong password is asked again. The password
 * lives only until the server has answered it, and is wiped then.
 * /logout revokes the token on the server and forgets it here.
 *
 * A server without accounts (--auth none) never refuses HELLO, and
 * nothing here happens.
 */
#ifndef CONFAB_CLIENT_SIGNIN_H
#define CONFAB_CLIENT_SIGNIN_H

#include <stdbool.h>
#include <stddef.h>

#include "client/port.h"
#include "model/edit.h"
#include "model/proto.h"
#include "ui/ui.h"

struct signin {
	const struct client_port *port;
	char *path;           /* the tokens file */
	char *server, *user;
	char *token;          /* the kept one, or NULL */
	bool asking;          /* the password is being typed */
	struct edit secret;   /* what is typed (never drawn) */
	char *password;       /* typed, waiting for a connection or an answer */
	char login_cid[17];   /* LOGIN sent, not answered */
	char why[160];        /* said above the question */
};

void signin_init(struct signin *s, const struct client_port *port,
    const char *state_dir, const char *server, const char *user);
void signin_free(struct signin *s);

/* The socket opened: LOGIN to send before anything else when a password
 * waits (HELLO then waits for LOGGED_IN), or NULL. It holds the password:
 * give it back to signin_wipe_frame once sent. */
char *signin_login_frame(struct signin *s);
void signin_wipe_frame(char *frame);
/* The token for HELLO, or NULL. */
const char *signin_token(const struct signin *s);

enum signin_result {
	SIGNIN_NOT_MINE,      /* not about signing in */
	SIGNIN_HANDLED,
	SIGNIN_SEND_HELLO,    /* signed in: HELLO may go now, with the token */
};
enum signin_result signin_frame(struct signin *s, const struct proto_frame *f);

/* A key while the password is asked for; false when not asking. */
bool signin_key(struct signin *s, const struct ui_intent *in);
/* The question over the input line ("password for …: ••••"), or false. */
bool signin_prompt(const struct signin *s, char *buf, size_t size);
/* /logout: revoke the token (when connected) and forget it. */
void signin_logout(struct signin *s, bool connected);

#endif
