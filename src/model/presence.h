/*
 * presence: one user's presence aggregated over their sessions, and a
 * room's typing set with expiry.
 *
 * A user's shown status is the most available one among their sessions
 * (online, then busy, then away), with the text of that session (the most
 * recently updated one on a tie); with no session the user is offline.
 * Every call says whether what others see changed, so the caller knows when
 * to broadcast. Time is passed in (milliseconds); nothing here reads a clock.
 */
#ifndef CONFAB_PRESENCE_H
#define CONFAB_PRESENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/proto.h"

#define PRESENCE_TEXT_MAX 128 /* code points */
#define TYPING_EXPIRY_MS 6000

struct presence_session {
	uint64_t id;
	enum proto_status status;
	char *text;
	uint64_t stamp; /* order of updates, for ties */
};

struct presence {
	struct presence_session *sessions;
	size_t n, cap;
	int64_t last_seen;
	uint64_t clock;
};

struct presence_view {
	enum proto_status status;
	const char *text; /* borrowed from p; "" when none */
	int64_t last_seen;
};

void presence_init(struct presence *p);
void presence_clear(struct presence *p);

/* Each returns true when the user's view changed. */
bool presence_open(struct presence *p, uint64_t session, int64_t now);
bool presence_set(struct presence *p, uint64_t session, enum proto_status st,
    const char *text, int64_t now);
bool presence_close(struct presence *p, uint64_t session, int64_t now);

struct presence_view presence_view(const struct presence *p);
size_t presence_sessions(const struct presence *p);

struct typing_entry {
	char *user;
	int64_t expires;
};

struct typing {
	struct typing_entry *e;
	size_t n, cap;
};

void typing_init(struct typing *t);
void typing_clear_all(struct typing *t);
/* Marks user typing until now + TYPING_EXPIRY_MS; true when the user was
 * not typing before (a broadcast is due), false on a renewal. */
bool typing_start(struct typing *t, const char *user, int64_t now);
/* True when the user was typing (a broadcast of active:false is due). */
bool typing_stop(struct typing *t, const char *user);
/* Removes the first entry expired at now, copying its user into out (size
 * outsz); false when none has expired. Call until false. */
bool typing_pop_expired(struct typing *t, int64_t now, char *out, size_t outsz);
/* Earliest expiry, or -1 when nobody is typing. */
int64_t typing_next_expiry(const struct typing *t);

#endif
