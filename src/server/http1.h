/*
 * http1: the head of one HTTP/1.x request, parsed strictly (RFC 9112).
 *
 * confabd serves the WebSocket upgrade (RFC 6455), GET/HEAD of /health and
 * /metrics, and POST of the sign-in routes, whose small bodies follow the
 * head (Content-Length only). The parser takes the bytes received so far
 * and says whether a whole head is there, what it asks for, or with which
 * status to refuse it: a head over HTTP1_HEAD_MAX bytes (431), a
 * malformed line, whitespace before a colon, line folding, a bare CR, a
 * Content-Length that is not digits or comes twice, Content-Length beside
 * Transfer-Encoding, a second Host or Origin, one over 255 bytes (400), a
 * version other than 1.0 and 1.1
 * (505), a Last-Event-ID over 4 KiB (400); If-None-Match is kept, cut
 * short when long (it only saves a transfer). What the request means (routes, methods, the handshake) is the
 * caller's.
 *
 * Pure: no I/O, no allocation, no state between calls. http1_head_end
 * finds the end of a head incrementally, so bytes that trickle in are
 * scanned once.
 */
#ifndef CONFAB_HTTP1_H
#define CONFAB_HTTP1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP1_HEAD_MAX 8192

struct http1_req {
	char method[16];
	char path[512];          /* the target's path, without ?query */
	char query[1024];        /* what follows '?', as sent (http1_query) */
	int minor;               /* HTTP/1.minor */
	bool keep_alive;         /* the connection may carry another request */
	bool has_body;           /* Content-Length > 0 or Transfer-Encoding */
	bool chunked;            /* Transfer-Encoding: the length is not known */
	uint64_t content_length;
	char content_type[128];  /* the media type, lowercase, no parameters */
	char authorization[256];
	bool upgrade_websocket;  /* Upgrade names websocket */
	bool connection_upgrade; /* Connection names upgrade */
	char ws_key[64];         /* Sec-WebSocket-Key */
	char ws_version[8];      /* Sec-WebSocket-Version */
	char ws_protocols[256];  /* Sec-WebSocket-Protocol, joined with ',' */
	char host[256];          /* Host, as given ("" without one) */
	char origin[256];        /* Origin, as given (browsers send it) */
	bool has_origin;
	char accept[256];        /* Accept, as given (may be cut short) */
	char last_event_id[4096]; /* Last-Event-ID (Server-Sent Events) */
	bool has_last_event_id;
	char if_none_match[256]; /* If-None-Match, as given (may be cut short) */
	unsigned status;         /* when refused: the status to answer */
	const char *why;         /* when refused: a reason for people */
};

enum http1_result {
	HTTP1_MORE,   /* no whole head yet */
	HTTP1_DONE,   /* req holds the request */
	HTTP1_REFUSE, /* req->status and req->why say why */
};

/* Where the head in buf[0..len) ends (the byte after its blank line), or 0
 * while it has not ended. *scanned carries how far earlier calls looked
 * (start with 0). */
size_t http1_head_end(const char *buf, size_t len, size_t *scanned);

/* False as soon as the request line received so far (buf[0..len), the
 * head not ended yet) cannot become a valid one: garbage is refused at
 * once rather than waited on. */
bool http1_start_valid(const char *buf, size_t len);

/* Parses the head buf[0..head_len) as found by http1_head_end. */
enum http1_result http1_parse(const char *buf, size_t head_len,
    struct http1_req *req);

/* True when the comma-separated list has token (ASCII case ignored). */
bool http1_list_has(const char *list, const char *token);

/* The value of key in a query string (a=b&c=d, RFC 3986 percent-encoding,
 * '+' as a space), decoded into out[0..cap); false when key is absent, its
 * value does not fit, or it is malformed (a bad %-escape, a NUL). */
bool http1_query(const char *query, const char *key, char *out, size_t cap);

/* The token of an "Authorization: Bearer TOKEN" value into out[0..cap), or
 * false (another scheme, none, or too long). */
bool http1_bearer(const char *authorization, char *out, size_t cap);

#endif
