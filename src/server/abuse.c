/*
 * abuse: the abuse limits on one user and on browsers' origins
 * (abuse.h). The per-address connection count lives with accepting
 * (listen.c), the request head's deadline with HTTP (conn.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server/abuse.h"

/* ---- Origin ------------------------------------------------------------------ */

/* host[:port] of an http(s) origin, with its scheme's default port left
 * out, into out; false for anything else ("null", another scheme). */
static bool
origin_authority(const char *origin, char *out, size_t cap, bool *https)
{
	const char *p;
	if (strncasecmp(origin, "http://", 7) == 0) {
		p = origin + 7;
		*https = false;
	} else if (strncasecmp(origin, "https://", 8) == 0) {
		p = origin + 8;
		*https = true;
	} else {
		return false;
	}
	size_t n = strlen(p);
	if (n == 0 || n >= cap || strpbrk(p, "/?#@ ") != NULL)
		return false;
	memcpy(out, p, n + 1);
	return true;
}

static void
strip_default_port(char *hostport, bool https)
{
	const char *port = https ? ":443" : ":80";
	size_t n = strlen(hostport), pn = strlen(port);
	if (n > pn && strcmp(hostport + n - pn, port) == 0 && hostport[n - pn - 1] != ':')
		hostport[n - pn] = '\0';
}

bool
abuse_origin_allowed(const struct server_config *cfg, const char *origin,
    const char *host)
{
	for (size_t i = 0; i < cfg->nallow_origins; i++) {
		const char *a = cfg->allow_origins[i];
		if (strcmp(a, "*") == 0 || strcasecmp(a, origin) == 0)
			return true;
	}
	/* the page came from this very server: same origin, no cross-site use */
	char from[300], to[300];
	bool https;
	if (host == NULL || *host == '\0' || strlen(host) >= sizeof to ||
	    !origin_authority(origin, from, sizeof from, &https))
		return false;
	memcpy(to, host, strlen(host) + 1);
	strip_default_port(from, https);
	strip_default_port(to, https);
	return strcasecmp(from, to) == 0;
}

/* ---- one user's sessions, rooms and documents ------------------------------------ */

bool
abuse_hello(const struct req *q, struct user *u)
{
	size_t max = q->srv->cfg.max_sessions_per_user;
	if (max == 0 || u->sessions->len < max)
		return true;
	char reason[128];
	snprintf(reason, sizeof reason, "%s has %zu sessions open, the most one "
	    "user may have here", u->name, max);
	hub_req_error(q, PE_TOO_MANY_SESSIONS, reason);
	session_close(q->s, 1008, "too many sessions");
	return false;
}

static bool
created(const struct req *q, int64_t *rooms, int64_t *docs)
{
	struct store *st = q->srv->store;
	if (st->ops->user_created(st, q->s->user->name, rooms, docs) != 0) {
		hub_store_failed(q->srv, q->s, q->f->cid, q->ref);
		return false;
	}
	return true;
}

bool
abuse_may_create_room(const struct req *q, const char *name)
{
	struct server *srv = q->srv;
	size_t max = srv->cfg.max_created_rooms;
	/* a direct-message room is not made by one of its users alone */
	if (max == 0 || name[0] == '@' || hub_room(srv, name) != NULL)
		return true;
	int64_t id, head, rooms, docs;
	if (srv->store->ops->room_find(srv->store, name, &id, &head) != 0) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		return false;
	}
	if (id != 0)
		return true;
	if (!created(q, &rooms, &docs))
		return false;
	if ((size_t)rooms < max)
		return true;
	char reason[160];
	snprintf(reason, sizeof reason, "you have made %lld rooms, the most one user "
	    "may make here", (long long)rooms);
	hub_room_error(q, name, PE_TOO_MANY_ROOMS, reason);
	return false;
}

bool
abuse_may_create_doc(const struct req *q, struct room *r, const char *doc,
    bool *creating)
{
	struct server *srv = q->srv;
	int64_t id, head, rooms, docs;
	*creating = false;
	if (srv->store->ops->doc_find(srv->store, r->id, doc, &id, &head) != 0) {
		hub_store_failed(srv, q->s, q->f->cid, q->ref);
		return false;
	}
	*creating = id == 0;
	size_t max = srv->cfg.max_created_docs;
	if (!*creating || max == 0)
		return true;
	if (!created(q, &rooms, &docs))
		return false;
	if ((size_t)docs < max)
		return true;
	char reason[160];
	snprintf(reason, sizeof reason, "you have made %lld documents, the most one "
	    "user may make here", (long long)docs);
	hub_req_error(q, PE_TOO_MANY_DOCS, reason);
	*creating = false;
	return false;
}

void
abuse_doc_created(const struct req *q, int64_t doc_id)
{
	struct store *st = q->srv->store;
	if (st->ops->doc_claim(st, doc_id, q->s->user->name) != 0)
		hub_store_error(q->srv);
}

/* ---- the handshake ------------------------------------------------------------------ */

bool
abuse_handshake_late(struct server *srv, struct session *s, int64_t now)
{
	/* a sign-in being checked answers within seconds; HELLO follows it */
	if (s->user != NULL || s->dead || s->blocked || s->parked != NULL ||
	    s->signing_in || now - s->opened <= srv->cfg.handshake_timeout_ms)
		return false;
	srv->m.handshake_timeouts++;
	session_drop(s, 1008, "no HELLO in time");
	return true;
}
