/*
 * ssec: an SSE and plain-HTTP client for tests (ssec.h).
 */
#include "ssec.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "rawc.h"
#include "tc.h"

static int64_t
ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads more, servicing the WebSocket clients meanwhile; false at EOF. */
static bool
sse_fill(struct sse *c, int wait_ms)
{
	struct pollfd p = {c->fd, POLLIN, 0};
	int r = poll(&p, 1, wait_ms);
	if (r <= 0) {
		tc_pump(5);
		return true;
	}
	if (c->at > 0) {
		memmove(c->buf, c->buf + c->at, c->len - c->at + 1);
		c->len -= c->at;
		c->at = 0;
	}
	if (c->len + 1 >= sizeof c->buf)
		return false;
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len - 1, 0);
	if (n <= 0) {
		c->eof = true;
		return false;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	return true;
}

/* Adds a data: line to the event's data (joined with LF, as
 * EventSource does). */
static void
append_data(struct sse *c, const char *line, bool more)
{
	size_t have = more ? strlen(c->data) : 0, n = strlen(line);
	if (have + n + 2 > c->data_cap) {
		c->data_cap = (have + n + 2) * 2;
		c->data = realloc(c->data, c->data_cap);
		if (c->data == NULL)
			abort();
	}
	if (more)
		c->data[have++] = '\n';
	memcpy(c->data + have, line, n + 1);
}

struct sse *
sse_open(int port, const char *target, const char *headers)
{
	struct sse *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->fd = rawc_connect(port, 5000);
	if (c->fd < 0) {
		free(c);
		return NULL;
	}
	char req[8192];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\n"
	    "Accept: text/event-stream\r\n%s\r\n", target, headers ? headers : "");
	int64_t end = ms_now() + TC_TIMEOUT_MS;
	char *e = NULL;
	if (n > 0 && (size_t)n < sizeof req && rawc_write(c->fd, req, (size_t)n))
		while ((e = strstr(c->buf, "\r\n\r\n")) == NULL && ms_now() < end)
			if (!sse_fill(c, 20))
				break;
	if (e == NULL || sscanf(c->buf, "HTTP/1.1 %d", &c->status) != 1) {
		sse_close(c);
		return NULL;
	}
	snprintf(c->head, sizeof c->head, "%.*s", (int)(e - c->buf), c->buf);
	c->at = (size_t)(e + 4 - c->buf);
	return c;
}

void
sse_close(struct sse *c)
{
	close(c->fd);
	free(c->data);
	free(c);
}

/* The next event (comments counted and skipped); false at the deadline or
 * EOF. */
bool
sse_next(struct sse *c, struct sse_event *ev, int timeout_ms)
{
	int64_t end = ms_now() + timeout_ms;
	for (;;) {
		char *blank = strstr(c->buf + c->at, "\n\n");
		if (blank != NULL) {
			memset(ev, 0, sizeof *ev);
			char *p = c->buf + c->at;
			*blank = '\0';
			bool any = false;
			for (char *l = strtok(p, "\n"); l; l = strtok(NULL, "\n")) {
				if (l[0] == ':') {
					c->comments++;
				} else if (strncmp(l, "data: ", 6) == 0) {
					append_data(c, l + 6, any);
					any = true;
				} else if (strncmp(l, "retry: ", 7) == 0) {
					c->retry = atoi(l + 7);
				} else if (strncmp(l, "event: ", 7) == 0) {
					snprintf(ev->event, sizeof ev->event, "%s", l + 7);
				} else if (strncmp(l, "id: ", 4) == 0) {
					snprintf(ev->id, sizeof ev->id, "%s", l + 4);
					snprintf(c->last_id, sizeof c->last_id, "%s", l + 4);
					ev->has_id = true;
				}
			}
			c->at = (size_t)(blank + 2 - c->buf);
			if (any) {
				ev->data = c->data;
				return true;
			}
			continue;
		}
		if (ms_now() >= end || !sse_fill(c, 20))
			return false;
	}
}

/* The next data event whose frame has type (others skipped), parsed. */
cJSON *
sse_expect(struct sse *c, const char *type, int timeout_ms)
{
	int64_t end = ms_now() + timeout_ms;
	struct sse_event *ev = malloc(sizeof *ev);
	if (ev == NULL)
		return NULL;
	while (ms_now() < end && sse_next(c, ev, (int)(end - ms_now()))) {
		if (ev->event[0] != '\0' && strcmp(type, ev->event) != 0)
			continue;
		cJSON *f = cJSON_Parse(ev->data);
		if (f == NULL)
			break; /* data that is no JSON: no frame */
		if (ev->event[0] != '\0' || tc_is(f, type)) {
			free(ev);
			return f;
		}
		cJSON_Delete(f);
	}
	free(ev);
	return NULL;
}

struct sse *
sse_session(int port, const char *target, const char *headers)
{
	struct sse *c = sse_open(port, target, headers);
	if (c == NULL)
		return NULL;
	cJSON *s = c->status == 200 ? sse_expect(c, "session", TC_TIMEOUT_MS) : NULL;
	const char *key = s ? tc_str(s, "session") : NULL;
	if (key == NULL) {
		cJSON_Delete(s);
		sse_close(c);
		return NULL;
	}
	snprintf(c->key, sizeof c->key, "%s", key);
	cJSON_Delete(s);
	return c;
}

/* ---- plain requests ---------------------------------------------------------- */

void
hanswer_free(struct hanswer *a)
{
	free(a->body);
	a->body = NULL;
}

bool
http_request(int port, const char *method, const char *target,
    const char *headers, const char *body, struct hanswer *a)
{
	memset(a, 0, sizeof *a);
	int fd = rawc_connect(port, 10000);
	if (fd < 0)
		return false;
	size_t bl = body ? strlen(body) : 0;
	char *req = malloc(bl + 8192);
	if (req == NULL) {
		close(fd);
		return false;
	}
	int n = snprintf(req, 8192, "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
	    "%sContent-Length: %zu\r\n\r\n", method, target, headers ? headers : "",
	    bl);
	memcpy(req + n, body ? body : "", bl);
	rawc_write(fd, req, (size_t)n + bl);
	free(req);
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	bool eof = false;
	if (buf != NULL)
		rawc_read_all(fd, buf, cap, 15000, &eof);
	close(fd);
	char *e = buf ? strstr(buf, "\r\n\r\n") : NULL;
	if (e == NULL || sscanf(buf, "HTTP/1.1 %d", &a->status) != 1) {
		free(buf);
		return false;
	}
	snprintf(a->head, sizeof a->head, "%.*s", (int)(e - buf), buf);
	a->body = strdup(e + 4);
	free(buf);
	return a->body != NULL;
}

