#include "model/roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
roles_clear(struct room_roles *r)
{
	free(r->owner);
	for (size_t i = 0; i < r->nmods; i++)
		free(r->mods[i]);
	free(r->mods);
	memset(r, 0, sizeof *r);
}

/* Where user is in the moderators, or would go. */
static size_t
mod_index(const struct room_roles *r, const char *user, bool *found)
{
	size_t i = 0;
	while (i < r->nmods && strcmp(r->mods[i], user) < 0)
		i++;
	*found = i < r->nmods && strcmp(r->mods[i], user) == 0;
	return i;
}

static bool
set_mod(struct room_roles *r, const char *user, bool on)
{
	bool found;
	size_t i = mod_index(r, user, &found);
	if (found == on)
		return true;
	if (!on) {
		free(r->mods[i]);
		memmove(&r->mods[i], &r->mods[i + 1], (r->nmods - i - 1) * sizeof *r->mods);
		r->nmods--;
		return true;
	}
	char *copy = strdup(user);
	char **g = copy ? realloc(r->mods, (r->nmods + 1) * sizeof *g) : NULL;
	if (g == NULL) {
		free(copy);
		return false;
	}
	r->mods = g;
	memmove(&r->mods[i + 1], &r->mods[i], (r->nmods - i) * sizeof *r->mods);
	r->mods[i] = copy;
	r->nmods++;
	return true;
}

bool
roles_from_joined(struct room_roles *r, const struct proto_frame *joined)
{
	struct room_roles n = {joined->is_private, NULL, NULL, 0};
	if (joined->owner != NULL && (n.owner = strdup(joined->owner)) == NULL)
		return false;
	for (size_t i = 0; i < joined->nmoderators; i++) {
		if (!set_mod(&n, joined->moderators[i], true)) {
			roles_clear(&n);
			return false;
		}
	}
	roles_clear(r);
	*r = n;
	return true;
}

bool
roles_apply_event(struct room_roles *r, const struct proto_frame *ev)
{
	const char *e = ev->event ? ev->event : "";
	if (strcmp(e, "mode") == 0 && ev->has_private) {
		r->is_private = ev->is_private;
		return true;
	}
	if (ev->user == NULL)
		return true;
	if (strcmp(e, "op") == 0)
		return set_mod(r, ev->user, true);
	if (strcmp(e, "deop") == 0 || strcmp(e, "ban") == 0)
		return set_mod(r, ev->user, false);
	return true;
}

bool
roles_is_mod(const struct room_roles *r, const char *user)
{
	bool found;
	mod_index(r, user, &found);
	return found;
}

char
roles_mark(const struct room_roles *r, const char *user)
{
	if (user == NULL)
		return 0;
	if (r->owner != NULL && strcmp(r->owner, user) == 0)
		return '@';
	return roles_is_mod(r, user) ? '+' : 0;
}

bool
roles_event_removes_me(const struct proto_frame *ev, const char *me)
{
	return ev->event != NULL && ev->user != NULL && strcmp(ev->user, me) == 0 &&
	    (strcmp(ev->event, "kick") == 0 || strcmp(ev->event, "ban") == 0);
}

void
roles_event_text(const struct proto_frame *ev, const char *me, char *buf,
    size_t size)
{
	const char *e = ev->event ? ev->event : "";
	const char *by = ev->by ? ev->by : "someone";
	const char *room = ev->room ? ev->room : "";
	bool mine = ev->user != NULL && strcmp(ev->user, me) == 0;
	const char *who = mine ? "you" : ev->user ? ev->user : "someone";
	const char *whose = mine ? "your" : who;
	const char *reason = ev->reason && *ev->reason ? ev->reason : NULL;
	int n;
	if (strcmp(e, "kick") == 0 || strcmp(e, "ban") == 0)
		n = snprintf(buf, size, "%s %s %s%s%s", by, e[0] == 'k' ? "kicked"
		    : "banned", who, mine ? " from " : "", mine ? room : "");
	else if (strcmp(e, "unban") == 0)
		n = snprintf(buf, size, "%s unbanned %s", by, who);
	else if (strcmp(e, "invite") == 0)
		n = snprintf(buf, size, "%s invited %s", by, who);
	else if (strcmp(e, "uninvite") == 0)
		n = snprintf(buf, size, "%s took back %s%s invite", by, whose,
		    mine ? "" : "'s");
	else if (strcmp(e, "op") == 0)
		n = snprintf(buf, size, "%s made %s a moderator", by, who);
	else if (strcmp(e, "deop") == 0)
		n = snprintf(buf, size, "%s took %s%s moderator role", by, whose,
		    mine ? "" : "'s");
	else if (strcmp(e, "mode") == 0)
		n = snprintf(buf, size, "%s made %s %s", by, room, ev->is_private
		    ? "private (invite only)" : "public");
	else
		n = snprintf(buf, size, "%s: %s%s%s", room, e, ev->user ? " " : "",
		    ev->user ? ev->user : "");
	if (reason != NULL && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ": %s", reason);
}
