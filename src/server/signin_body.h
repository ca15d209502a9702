/*
 * signin_body: the JSON body of POST /login and POST /register,
 * {"user":…,"password":…} and nothing else (docs/protocol.md, "Sign-in over
 * HTTP"). Pure: no I/O, no state; checked as strictly as a frame (strict
 * JSON, UTF-8, a valid user name, a password of 1 to AUTH_PASSWORD_MAX
 * bytes).
 */
#ifndef CONFAB_SERVER_SIGNIN_BODY_H
#define CONFAB_SERVER_SIGNIN_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "model/names.h"

#define SIGNIN_BODY_MAX 4096
#define SIGNIN_PASSWORD_MAX 1024

struct signin_body {
	char user[NAMES_USER_MAX + 1];
	char password[SIGNIN_PASSWORD_MAX + 1];
};

/* Fills b from body[0..len); false with a reason for people in why. The
 * caller wipes b->password after use. */
bool signin_body_parse(const char *body, size_t len, struct signin_body *b,
    char *why, size_t whylen);

#endif
