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
