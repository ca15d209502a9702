/*
 * sseparse: reads a text/event-stream (the WHATWG HTML "Server-sent
 * events" format) as it arrives, in pieces of any size: lines end with
 * LF, CRLF or CR; "data:" lines join with LF; "event:" names the event; a
 * blank line ends it; lines starting with ':' are comments. "id:" and
 * "retry:" are read and ignored (the client resumes from its own seqs).
 * Pure: no I/O.
 */
#ifndef CONFAB_SSEPARSE_H
#define CONFAB_SSEPARSE_H

#include <stdbool.h>
#include <stddef.h>

struct sse_parser {
	char *line;          /* the line being read */
	size_t len, cap;
	char *data;          /* the event's data so far */
	size_t dlen, dcap;
	bool has_data;
	bool after_cr;       /* the last byte was a CR: an LF next is its end */
	char event[32];      /* "" for an unnamed event */
	size_t max;          /* longest line or event accepted */
};

struct sse_sink {
	/* A complete event: its name ("" for none) and data (NUL-terminated,
	 * len bytes). */
	void (*event)(void *ud, const char *name, const char *data, size_t len);
	/* A comment line (a heartbeat). */
	void (*comment)(void *ud);
	void *ud;
};

/* max: the longest line, and event, accepted. */
void sse_init(struct sse_parser *p, size_t max);
void sse_free(struct sse_parser *p);
/* Reads n bytes. False when a line or an event is longer than max: the
 * stream is not to be trusted further. A sink callback may not free p. */
bool sse_feed(struct sse_parser *p, const char *in, size_t n,
    const struct sse_sink *sink);

#endif
