/*
 * wsframe: WebSocket framing (RFC 6455, section 5) as a server sees it.
 *
 * The decoder takes the bytes of a client's stream as they arrive and
 * turns them into events: a slice of a data message's payload (unmasked in
 * place), a whole control frame, or a protocol error with the close code
 * to answer it with (1002 for an unmasked frame, reserved bits, an unknown
 * opcode, a fragmented or oversized control frame, a continuation out of
 * place; a payload length with its top bit set). It never buffers a data
 * payload: slices point into the caller's buffer, and each says how much
 * of its frame is still to come, so a message over the caller's limit is
 * refused when its header arrives.
 *
 * The encoder writes a server frame's header (servers never mask).
 *
 * Pure: no I/O, no allocation. Owns the decoder's header and
 * control-frame bytes only.
 */
#ifndef CONFAB_WSFRAME_H
#define CONFAB_WSFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wsf_op {
	WSF_CONT = 0x0, WSF_TEXT = 0x1, WSF_BINARY = 0x2,
	WSF_CLOSE = 0x8, WSF_PING = 0x9, WSF_PONG = 0xa,
};

#define WSF_CONTROL_MAX 125
#define WSF_HEADER_MAX 10 /* of a server frame */

struct wsf_decoder {
	unsigned char hdr[14];
	size_t hlen;
	bool in_frame;     /* the header is read; payload follows */
	uint64_t left;     /* payload bytes of this frame still to come */
	unsigned char mask[4];
	size_t mask_at;
	enum wsf_op op;    /* of this frame */
	bool fin;
	bool in_message;   /* a data message is open (more fragments due) */
	bool msg_binary;
	bool msg_started;  /* the open message's first slice was given */
	unsigned char ctl[WSF_CONTROL_MAX];
	size_t ctl_len;
};

enum wsf_kind {
	WSF_NEED_MORE, /* every byte given was consumed */
	WSF_DATA,      /* a slice of a text or binary message */
	WSF_CONTROL,   /* a whole close, ping or pong frame */
	WSF_ERROR,     /* a protocol error: close with code */
};

struct wsf_event {
	enum wsf_kind kind;
	/* WSF_DATA: data[0..len) of the message (len may be 0); first is the
	 * message's first slice, last its last; frame_left counts the bytes
	 * of the current frame after this slice. */
	const unsigned char *data;
	size_t len;
	bool binary, first, last;
	uint64_t frame_left;
	/* WSF_CONTROL: op and data[0..len) */
	enum wsf_op op;
	/* WSF_ERROR */
	unsigned code;
	const char *why;
};

void wsf_init(struct wsf_decoder *d);

/* Consumes bytes from buf[0..len) (which it may unmask in place) up to the
 * next event; returns how many. After WSF_ERROR the stream is unusable. */
size_t wsf_decode(struct wsf_decoder *d, unsigned char *buf, size_t len,
    struct wsf_event *ev);

/* Checks a close frame's payload: 0 when acceptable (empty, or a code a
 * peer may send and a UTF-8 reason), else the close code to answer with
 * (1002, or 1007 for a reason that is not UTF-8). *code gets the peer's
 * code (1005 when it gave none). */
unsigned wsf_close_check(const unsigned char *p, size_t len, unsigned *code);

/* Writes the header of an unmasked frame into out (WSF_HEADER_MAX bytes);
 * returns its length. */
size_t wsf_header(unsigned char *out, enum wsf_op op, bool fin, uint64_t len);

#endif
