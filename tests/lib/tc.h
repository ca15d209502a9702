/*
 * tc: a test client for confab.v1 on libwebsockets, written for tests
 * rather than speed. Calls look blocking: each services the shared lws
 * context until what it waits for happens or its deadline passes, so a
 * test reads as a script and never sleeps blindly.
 */
#ifndef CONFAB_TC_H
#define CONFAB_TC_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define TC_TIMEOUT_MS 5000

struct tc;

/* The shared lws context; created on first use, freed by tc_shutdown. */
void tc_shutdown(void);

/* Opens a WebSocket to 127.0.0.1:port with the given subprotocol (NULL for
 * confab.v1) and waits until it is established; NULL on failure. */
struct tc *tc_connect(int port, const char *subprotocol);
/* tc_connect + HELLO as user + wait for WELCOME; NULL on failure. */
struct tc *tc_login(int port, const char *user);
void tc_free(struct tc *c);

/* Queues a text frame (or binary, or raw bytes in a text frame). */
void tc_send(struct tc *c, const char *json);
void tc_sendf(struct tc *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tc_send_bytes(struct tc *c, const void *data, size_t len, bool binary);

/* The next received frame, parsed (cJSON_Delete it), or NULL when nothing
 * arrived within timeout_ms. Frames that are not JSON come back as a cJSON
 * string holding the raw text. */
cJSON *tc_recv(struct tc *c, int timeout_ms);
/* Takes the first frame of the given type, already queued or arriving
 * within timeout_ms (NULL if none); frames of other types stay queued. */
cJSON *tc_expect(struct tc *c, const char *type, int timeout_ms);
/* Like tc_expect, but the frame must also have field == value (string). */
cJSON *tc_expect_field(struct tc *c, const char *type, const char *field,
    const char *value, int timeout_ms);
/* True when no frame of that type arrives within timeout_ms. */
bool tc_quiet(struct tc *c, const char *type, int timeout_ms);
/* Lets pending frames arrive (50 ms), then drops everything received. */
void tc_drain(struct tc *c);
/* Drops what has been received, without waiting. */
void tc_discard(struct tc *c);

/* Waits until the connection is closed; returns the peer's close code,
 * 1006 when it vanished without one, -1 if still open at the deadline. */
int tc_wait_closed(struct tc *c, int timeout_ms);
bool tc_is_open(const struct tc *c);
/* Stops (false) or resumes (true) reading from the socket. */
void tc_read_enable(struct tc *c, bool on);
/* Runs the event loop for ms milliseconds (lets the other side act). */
void tc_pump(int ms);

/* Field helpers on a received frame. */
const char *tc_str(const cJSON *f, const char *field);
long long tc_int(const cJSON *f, const char *field);
bool tc_is(const cJSON *f, const char *type);

#endif
