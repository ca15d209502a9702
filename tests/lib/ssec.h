/*
 * ssec: a client of confabd's sessions over plain HTTP, for tests: a
 * Server-Sent Events stream read on a raw socket, parsed into events as
 * an EventSource would (data:, event:, id:, retry:, comments), and one
 * plain request per connection. Blocking calls with deadlines; while a
 * stream waits, the WebSocket clients of tc.h are serviced, so a test can
 * drive both from one thread.
 */
#ifndef CONFAB_SSEC_H
#define CONFAB_SSEC_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct sse {
	int fd;
	char buf[2 << 20]; /* what is not parsed yet moves to the front */
	size_t len, at;  /* received; parsed up to at */
	int status;
	char head[4096];
	char key[128];   /* from the session event (sse_session) */
	char last_id[4096]; /* as EventSource keeps it */
	int comments;    /* comments seen (heartbeats) */
	int retry;       /* the last retry: advice */
	bool eof;
	char *data;      /* the last event's data */
	size_t data_cap;
};

struct sse_event {
	char event[64];  /* "" for an unnamed event */
	const char *data; /* its data: lines joined; good until the next call */
	char id[4096];
	bool has_id;
};

/* GET target with Accept: text/event-stream and extra header lines (each
 * ending in CRLF, may be NULL); reads the answer's head. NULL when the
 * connection or the head failed. */
struct sse *sse_open(int port, const char *target, const char *headers);
/* sse_open, a 200, and its session event's key in c->key; else NULL. */
struct sse *sse_session(int port, const char *target, const char *headers);
void sse_close(struct sse *c);
/* The next event with data; false at the deadline or the end. */
bool sse_next(struct sse *c, struct sse_event *ev, int timeout_ms);
/* The next event named type, or unnamed whose frame's type is type
 * (others skipped), parsed; NULL at the deadline or the end. */
cJSON *sse_expect(struct sse *c, const char *type, int timeout_ms);

struct hanswer {
	int status;
	char head[4096];
	char *body; /* free it (hanswer_free) */
};

/* One request on a connection of its own (Connection: close); false when
 * no answer came. */
bool http_request(int port, const char *method, const char *target,
    const char *headers, const char *body, struct hanswer *a);
void hanswer_free(struct hanswer *a);

#endif
