/*
 * accounts: who may sign in to confabd, and how (--auth accounts, the
 * default; docs/protocol.md, "Accounts and sign-in").
 *
 * A password is kept as its argon2id hash (libsodium's crypto_pwhash_str,
 * the interactive limits). Checking one costs tens of milliseconds and
 * 64 MiB on purpose, so it never runs on the loop: a worker thread takes
 * the checks from a bounded queue and hands the verdicts back through a
 * pipe the loop watches; the caller's completion runs on the loop, later.
 * A user with no account is checked against a dummy hash at the same cost,
 * so the answer and its time say nothing of whether the user exists.
 *
 * Failed sign-ins are counted per user and per address. After a few, each
 * further attempt must wait (2 s, doubling up to a minute); one made
 * earlier is refused at once (rate_limited, with the seconds to wait),
 * without a check. A success clears both counts.
 *
 * A sign-in gives a token: 256 random bits, base64url, of which the store
 * keeps only the SHA-256. A token is good until it expires (--token-days),
 * is logged out, or its user's tokens are revoked (confabd user revoke).
 */
#ifndef CONFAB_SERVER_ACCOUNTS_H
#define CONFAB_SERVER_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "server/server.h"

#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 1024
#define AUTH_TOKEN_LEN 43        /* base64url of 32 bytes, no padding */
#define AUTH_QUEUE_MAX 64        /* checks waiting for the worker */
#define AUTH_FREE_FAILURES 3     /* failures before the waits begin */
#define AUTH_WAIT_MAX_S 60

enum auth_verdict {
	AUTH_OK,
	AUTH_WRONG,      /* no such user, or not the password */
	AUTH_LIMITED,    /* too many failures: retry_after_s */
	AUTH_BUSY,       /* too many checks waiting */
	AUTH_FAILED,     /* the store failed */
	AUTH_TAKEN,      /* register: the name has an account */
};

struct auth_result {
	enum auth_verdict verdict;
	char user[64];
	char token[AUTH_TOKEN_LEN + 1];
	int64_t expires;         /* ms since the epoch */
	int retry_after_s;
};

/* Called on the loop with the verdict; data is the caller's. */
typedef void (*auth_done)(struct server *srv, void *data,
    const struct auth_result *r);

/* Starts the worker (after the loop exists); -1 with err set. */
int auth_start(struct server *srv, char *err, size_t errlen);
void auth_stop(struct server *srv);

/* Checks user's password; done follows on a later loop turn, always. */
void auth_login(struct server *srv, const char *user, const char *password,
    const char *addr, auth_done done, void *data);
/* Makes user's account (--open-registration) and signs in; the same
 * completion. */
void auth_register(struct server *srv, const char *user, const char *password,
    const char *addr, auth_done done, void *data);
/* The user a token is good for now, or NULL (malloc'd). */
char *auth_token_user(struct server *srv, const char *token);
/* Revokes a token; false when it was none. */
bool auth_logout(struct server *srv, const char *token);

/* For confabd user …: the hash of a password (blocking, off the loop). */
bool auth_hash(const char *password, char out[crypto_pwhash_STRBYTES]);

#endif
