/* search: /search in a room's messages (search.h). */
#include "client/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/mention.h"
#include "model/xmalloc.h"

void
search_init(struct search *s, const struct client_port *port,
    const struct chat *chat, const struct search_hooks *hooks)
{
	memset(s, 0, sizeof *s);
	s->port = port;
	s->chat = chat;
	s->hooks = *hooks;
}

void
search_stop(struct search *s)
{
	free(s->query);
	free(s->room);
	s->query = s->room = NULL;
	s->active = s->go = s->waiting = false;
	s->said = NULL;
	s->seq = 0;
	s->found = 0;
	port_redraw(s->port);
}

void
search_free(struct search *s)
{
	search_stop(s);
}

bool
search_match(const char *text, const char *query, size_t *at)
{
	size_t i = mention_find(text, query, 0);
	if (at != NULL)
		*at = i;
	return i != SIZE_MAX;
}

static const struct room *
room_of(const struct search *s)
{
	return s->room ? chat_room(s->chat, s->room) : NULL;
}

static bool
matches(const struct search *s, const struct room_msg *m)
{
	/* a loose line is the thread pane's, not in the timeline searched */
	return !m->loose && search_match(m->text, s->query, NULL);
}

static void
land(struct search *s, int64_t seq)
{
	s->said = NULL;
	s->seq = seq;
	s->go = true;
	s->found++;
	port_redraw(s->port);
}

/* Looks older than the match shown (all, when none is): a match, or a
 * page of history asked for, or the news that there is none. */
static void
look_older(struct search *s)
{
	const struct room *r = room_of(s);
	if (r == NULL) {
		search_stop(s);
		return;
	}
	size_t i = s->seq > 0 ? room_seq_index(r, s->seq) : r->nconfirmed;
	while (i-- > 0) {
		if (matches(s, r->msgs[i])) {
			land(s, r->msgs[i]->seq);
			return;
		}
	}
	if (r->more_before) {
		/* One request at a time across the client: when another is out
		 * (or the room is being joined), the next HISTORY or JOINED
		 * brings us back here. */
		s->waiting = true;
		s->hooks.history(s->hooks.ud, r->name, SEARCH_PAGE);
		port_redraw(s->port);
		return;
	}
	if (s->found == 0) {
		port_note(s->port, false, "no message of %s holds \"%s\"", r->name,
		    s->query);
		search_stop(s);
		return;
	}
	/* said where the user looks: the pane is scrolled to the match */
	s->said = "no older match";
	port_redraw(s->port);
}

static void
look_newer(struct search *s)
{
	const struct room *r = room_of(s);
	if (r == NULL || s->seq == 0)
		return;
	for (size_t i = room_seq_index(r, s->seq) + 1; i < r->nconfirmed; i++) {
		if (matches(s, r->msgs[i])) {
			land(s, r->msgs[i]->seq);
			return;
		}
	}
	s->said = "no newer match";
	port_redraw(s->port);
}

void
search_start(struct search *s, const char *room, const char *query)
{
	search_stop(s);
	s->active = true;
	s->query = xstrdup(query);
	s->room = xstrdup(room);
	look_older(s);
}

void
search_move(struct search *s, int dir)
{
	if (!s->active || s->waiting)
		return;
	if (dir < 0)
		look_older(s);
	else
		look_newer(s);
}

void
search_history(struct search *s)
{
	if (!s->active || !s->waiting)
		return;
	s->waiting = false;
	look_older(s);
}

void
search_prompt(const struct search *s, char *buf, size_t size)
{
	if (!s->active) {
		buf[0] = '\0';
		return;
	}
	const char *state = s->waiting ? "looking further back\xe2\x80\xa6" :
	    s->said ? s->said : s->seq == 0 ? "nothing yet" : NULL;
	snprintf(buf, size, "search \"%s\"%s%s%s: n older, N newer, Esc ends",
	    s->query, state ? " (" : "", state ? state : "", state ? ")" : "");
}
