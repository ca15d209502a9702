/*
 * notifyrules: the notification decision (see the header for the rules).
 *
 * Room rules are few (one per configured room), so a linear search is
 * the right structure; the last rule for a room wins, which matches the
 * configuration file's "a later line wins" even if a caller appends
 * instead of replacing.
 */
#include "model/notifyrules.h"

#include <string.h>

static const char *const level_names[] = {
	[NOTIFY_ALL] = "all",
	[NOTIFY_MENTIONS] = "mentions",
	[NOTIFY_NONE] = "none",
};

static const char *const when_names[] = {
	[NOTIFY_UNFOCUSED] = "unfocused",
	[NOTIFY_ALWAYS] = "always",
};

void
notify_settings_default(struct notify_settings *s)
{
	s->level = NOTIFY_MENTIONS;
	s->rooms = NULL;
	s->nrooms = 0;
	s->when = NOTIFY_UNFOCUSED;
	s->bell = false;
	s->dnd = false;
}

enum notify_level
notifyrules_level(const struct notify_settings *s, const char *room)
{
	if (room != NULL)
		for (size_t i = s->nrooms; i > 0; i--)
			if (strcmp(s->rooms[i - 1].room, room) == 0)
				return s->rooms[i - 1].level;
	return s->level;
}

static bool
wanted(enum notify_level level, const struct notify_event *ev)
{
	switch (level) {
	case NOTIFY_ALL: return true;
	case NOTIFY_MENTIONS: return ev->is_mention || ev->is_dm;
	case NOTIFY_NONE: return false;
	}
	return false;
}

struct notify_decision
notifyrules_decide(const struct notify_settings *s,
    const struct notify_event *ev)
{
	struct notify_decision d = { false, false };
	if (ev->from_me || s->dnd)
		return d;
	if (!wanted(notifyrules_level(s, ev->room), ev))
		return d;
	if (s->when == NOTIFY_UNFOCUSED && ev->focused)
		return d;
	d.desktop = true;
	d.bell = s->bell;
	return d;
}

bool
notify_level_parse(const char *word, enum notify_level *out)
{
	for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
		if (strcmp(word, level_names[i]) == 0) {
			*out = (enum notify_level)i;
			return true;
		}
	}
	return false;
}

const char *
notify_level_name(enum notify_level level)
{
	if ((size_t)level >= sizeof level_names / sizeof level_names[0])
		return "?";
	return level_names[level];
}

bool
notify_when_parse(const char *word, enum notify_when *out)
{
	for (size_t i = 0; i < sizeof when_names / sizeof when_names[0]; i++) {
		if (strcmp(word, when_names[i]) == 0) {
			*out = (enum notify_when)i;
			return true;
		}
	}
	return false;
}

const char *
notify_when_name(enum notify_when when)
{
	if ((size_t)when >= sizeof when_names / sizeof when_names[0])
		return "?";
	return when_names[when];
}
