#include "server/wsframe.h"

#include <string.h>

#include "model/utf8.h"

void
wsf_init(struct wsf_decoder *d)
{
	memset(d, 0, sizeof *d);
}

static size_t
error(struct wsf_event *ev, size_t used, unsigned code, const char *why)
{
	ev->kind = WSF_ERROR;
	ev->code = code;
	ev->why = why;
	return used;
}

static bool
is_control(enum wsf_op op)
{
	return op & 0x8;
}

/* Bytes of header a frame needs, given the two first; 0 when unknown yet. */
static size_t
header_len(const struct wsf_decoder *d)
{
	if (d->hlen < 2)
		return 2;
	size_t n = 2 + 4; /* client frames carry a mask key */
	unsigned l7 = d->hdr[1] & 0x7f;
	if (l7 == 126)
		n += 2;
	else if (l7 == 127)
		n += 8;
	return n;
}

/* The first two bytes: everything that can be refused before the rest. */
static const char *
check_start(struct wsf_decoder *d, unsigned *code)
{
	unsigned char b0 = d->hdr[0], b1 = d->hdr[1];
	enum wsf_op op = (enum wsf_op)(b0 & 0x0f);
	bool fin = b0 & 0x80;
	*code = 1002;
	if (b0 & 0x70)
		return "reserved bits set (no extension was negotiated)";
	if (!(b1 & 0x80))
		return "a client frame must be masked";
	if (is_control(op)) {
		if (op != WSF_CLOSE && op != WSF_PING && op != WSF_PONG)
			return "unknown control opcode";
		if (!fin)
			return "a fragmented control frame";
		if ((b1 & 0x7f) > WSF_CONTROL_MAX)
			return "a control frame over 125 bytes";
	} else if (op == WSF_CONT) {
		if (!d->in_message)
			return "a continuation frame outside a message";
	} else if (op == WSF_TEXT || op == WSF_BINARY) {
		if (d->in_message)
			return "a new message inside a fragmented one";
	} else {
		return "unknown data opcode";
	}
	d->op = op;
	d->fin = fin;
	return NULL;
}

/* The header is whole: length and mask; false on a length with the top
 * bit set. */
static bool
read_header(struct wsf_decoder *d)
{
	unsigned l7 = d->hdr[1] & 0x7f;
	const unsigned char *p = d->hdr + 2;
	uint64_t len = l7;
	if (l7 == 126) {
		len = (uint64_t)p[0] << 8 | p[1];
		p += 2;
	} else if (l7 == 127) {
		if (p[0] & 0x80)
			return false;
		len = 0;
		for (int k = 0; k < 8; k++)
			len = len << 8 | p[k];
		p += 8;
	}
	memcpy(d->mask, p, 4);
	d->mask_at = 0;
	d->left = len;
	d->hlen = 0;
	d->in_frame = true;
	d->ctl_len = 0;
	if (d->op == WSF_TEXT || d->op == WSF_BINARY) {
		d->in_message = true;
		d->msg_binary = d->op == WSF_BINARY;
		d->msg_started = false;
	}
	return true;
}

/* A data slice event; ends the frame and the message as they end. */
static void
data_event(struct wsf_decoder *d, struct wsf_event *ev, unsigned char *p,
    size_t n)
{
	ev->kind = WSF_DATA;
	ev->data = p;
	ev->len = n;
	ev->binary = d->msg_binary;
	ev->first = !d->msg_started;
	d->msg_started = true;
	ev->frame_left = d->left;
	ev->last = d->fin && d->left == 0;
	if (d->left == 0) {
		d->in_frame = false;
		if (d->fin)
			d->in_message = false;
	}
}

static void
control_event(struct wsf_decoder *d, struct wsf_event *ev)
{
	ev->kind = WSF_CONTROL;
	ev->op = d->op;
	ev->data = d->ctl;
	ev->len = d->ctl_len;
	d->in_frame = false;
}

static void
unmask(struct wsf_decoder *d, unsigned char *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		p[k] ^= d->mask[d->mask_at++ & 3];
}

static size_t
payload(struct wsf_decoder *d, unsigned char *buf, size_t len,
    struct wsf_event *ev)
{
	size_t take = d->left < len ? (size_t)d->left : len;
	if (take == 0 && d->left > 0)
		return 0;
	unmask(d, buf, take);
	d->left -= take;
	if (!is_control(d->op)) {
		data_event(d, ev, buf, take);
		return take;
	}
	memcpy(d->ctl + d->ctl_len, buf, take);
	d->ctl_len += take;
	if (d->left == 0)
		control_event(d, ev);
	return take;
}

size_t
wsf_decode(struct wsf_decoder *d, unsigned char *buf, size_t len,
    struct wsf_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->kind = WSF_NEED_MORE;
	if (d->in_frame)
		return payload(d, buf, len, ev);
	size_t i = 0;
	while (i < len && d->hlen < header_len(d)) {
		d->hdr[d->hlen++] = buf[i++];
		if (d->hlen == 2) {
			unsigned code;
			const char *why = check_start(d, &code);
			if (why != NULL)
				return error(ev, i, code, why);
		}
	}
	if (d->hlen < 2 || d->hlen < header_len(d))
		return i;
	if (!read_header(d))
		return error(ev, i, 1002, "a payload length with its top bit set");
	/* An event at once, even before any payload: it tells the caller the
	 * frame's whole length while nothing of it is buffered. */
	if (!is_control(d->op))
		data_event(d, ev, buf + i, 0);
	else if (d->left == 0)
		control_event(d, ev);
	return i;
}

unsigned
wsf_close_check(const unsigned char *p, size_t len, unsigned *code)
{
	*code = 1005;
	if (len == 0)
		return 0;
	if (len == 1)
		return 1002;
	unsigned c = (unsigned)p[0] << 8 | p[1];
	*code = c;
	bool known = (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) ||
	    (c >= 3000 && c <= 4999);
	if (!known)
		return 1002;
	if (!utf8_valid((const char *)p + 2, len - 2))
		return 1007;
	return 0;
}

size_t
wsf_header(unsigned char *out, enum wsf_op op, bool fin, uint64_t len)
{
	out[0] = (unsigned char)((fin ? 0x80 : 0) | op);
	if (len < 126) {
		out[1] = (unsigned char)len;
		return 2;
	}
	if (len < 65536) {
		out[1] = 126;
		out[2] = (unsigned char)(len >> 8);
		out[3] = (unsigned char)len;
		return 4;
	}
	out[1] = 127;
	for (int k = 0; k < 8; k++)
		out[2 + k] = (unsigned char)(len >> (56 - 8 * k));
	return 10;
}
