#include "model/names.h"

#include <string.h>

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

bool
names_valid_user(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAMES_USER_MAX || !(is_alnum(s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

bool
names_valid_room(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAMES_ROOM_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool lower = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!lower && (i == 0 || (c != '_' && c != '.' && c != '-')))
			return false;
	}
	return true;
}

bool
names_valid_cid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > NAMES_CID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return true;
}

/* ---- direct-message rooms ------------------------------------------------ */

/* Copies s[0..n) as a user name into out (when given) if it is one. */
static bool
take_user(const char *s, size_t n, char out[NAMES_USER_MAX + 1])
{
	char buf[NAMES_USER_MAX + 1];
	if (n == 0 || n > NAMES_USER_MAX)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!names_valid_user(buf))
		return false;
	if (out != NULL)
		memcpy(out, buf, n + 1);
	return true;
}

bool
names_dm_parse(const char *room, char u1[NAMES_USER_MAX + 1],
    char u2[NAMES_USER_MAX + 1])
{
	if (room[0] != '@')
		return false;
	const char *plus = strchr(room + 1, '+');
	if (plus == NULL)
		return false;
	char a[NAMES_USER_MAX + 1], b[NAMES_USER_MAX + 1];
	if (!take_user(room + 1, (size_t)(plus - room - 1), a) ||
	    !take_user(plus + 1, strlen(plus + 1), b) || strcmp(a, b) >= 0)
		return false;
	if (u1 != NULL)
		memcpy(u1, a, sizeof a);
	if (u2 != NULL)
		memcpy(u2, b, sizeof b);
	return true;
}

bool
names_dm_make(const char *a, const char *b, char out[NAMES_DM_MAX + 1])
{
	if (!names_valid_user(a) || !names_valid_user(b))
		return false;
	int c = strcmp(a, b);
	if (c == 0)
		return false;
	const char *lo = c < 0 ? a : b, *hi = c < 0 ? b : a;
	size_t nlo = strlen(lo), nhi = strlen(hi);
	out[0] = '@';
	memcpy(out + 1, lo, nlo);
	out[1 + nlo] = '+';
	memcpy(out + 2 + nlo, hi, nhi + 1);
	return true;
}

bool
names_dm_other(const char *room, const char *user,
    char other[NAMES_USER_MAX + 1])
{
	char a[NAMES_USER_MAX + 1], b[NAMES_USER_MAX + 1];
	if (!names_dm_parse(room, a, b))
		return false;
	const char *o = strcmp(user, a) == 0 ? b : strcmp(user, b) == 0 ? a : NULL;
	if (o == NULL)
		return false;
	if (other != NULL)
		memcpy(other, o, strlen(o) + 1);
	return true;
}

bool
names_valid_room_or_dm(const char *s)
{
	return names_valid_room(s) || names_dm_parse(s, NULL, NULL);
}

bool
names_room_from_input(const char *in, char out[NAMES_DM_MAX + 1])
{
	if (names_dm_parse(in, NULL, NULL)) {
		strcpy(out, in);
		return true;
	}
	if (*in == '#')
		in++;
	char buf[NAMES_DM_MAX + 1];
	size_t n = strlen(in);
	if (n > NAMES_ROOM_MAX)
		return false;
	for (size_t i = 0; i <= n; i++)
		buf[i] = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a') : in[i];
	if (!names_valid_room(buf))
		return false;
	strcpy(out, buf);
	return true;
}
