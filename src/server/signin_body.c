#include "server/signin_body.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/jsoncheck.h"
#include "model/utf8.h"

static bool
fail(char *why, size_t whylen, const char *text)
{
	snprintf(why, whylen, "%s", text);
	return false;
}

bool
signin_body_parse(const char *body, size_t len, struct signin_body *b,
    char *why, size_t whylen)
{
	memset(b, 0, sizeof *b);
	if (len > SIGNIN_BODY_MAX)
		return fail(why, whylen, "the body is too large");
	if (!utf8_valid(body, len))
		return fail(why, whylen, "the body is not valid UTF-8");
	char jwhy[128];
	if (!jsoncheck(body, len, 2, jwhy, sizeof jwhy)) {
		snprintf(why, whylen, "the body is not JSON: %s", jwhy);
		return false;
	}
	cJSON *root = cJSON_ParseWithLength(body, len);
	if (root == NULL)
		return fail(why, whylen, "the body is not JSON");
	bool ok = false;
	const cJSON *user = NULL, *password = NULL;
	if (!cJSON_IsObject(root)) {
		fail(why, whylen, "the body must be an object "
		    "{\"user\":…,\"password\":…}");
		goto out;
	}
	for (const cJSON *f = root->child; f != NULL; f = f->next) {
		const cJSON **slot = strcmp(f->string, "user") == 0 ? &user
		    : strcmp(f->string, "password") == 0 ? &password : NULL;
		if (slot == NULL) {
			int n = (int)utf8_prefix(f->string, strlen(f->string), 32);
			snprintf(why, whylen, "unknown field \"%.*s\"", n, f->string);
			goto out;
		}
		if (*slot != NULL) {
			fail(why, whylen, "a field is given twice");
			goto out;
		}
		*slot = f;
	}
	if (!cJSON_IsString(user) || !names_valid_user(user->valuestring)) {
		fail(why, whylen, "\"user\" must be a user name (1 to 32 "
		    "letters, digits, '_', '.', '-')");
		goto out;
	}
	if (!cJSON_IsString(password) || password->valuestring[0] == '\0' ||
	    strlen(password->valuestring) > SIGNIN_PASSWORD_MAX) {
		fail(why, whylen, "\"password\" must be a string of 1 to 1024 bytes");
		goto out;
	}
	snprintf(b->user, sizeof b->user, "%s", user->valuestring);
	snprintf(b->password, sizeof b->password, "%s", password->valuestring);
	ok = true;
out:
	if (password != NULL && cJSON_IsString(password))
		memset(password->valuestring, 0, strlen(password->valuestring));
	cJSON_Delete(root);
	return ok;
}
