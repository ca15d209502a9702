/*
 * wsframe: how confabd reads a client's WebSocket frames, and which it
 * answers with a protocol error (RFC 6455 section 5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/wsframe.h"

/* A client frame: b0 (FIN, RSV, opcode), masked with a fixed key unless
 * unmasked is set; returns its length in out. */
static size_t
client_frame(unsigned char *out, unsigned char b0, const void *payload,
    size_t n, bool unmasked)
{
	static const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
	size_t h = wsf_header(out, (enum wsf_op)(b0 & 0x0f), b0 & 0x80, n);
	out[0] = b0;
	if (!unmasked) {
		out[1] |= 0x80;
		memcpy(out + h, key, 4);
		h += 4;
	}
	for (size_t i = 0; i < n; i++)
		out[h + i] = ((const unsigned char *)payload)[i] ^ (unmasked ? 0 : key[i & 3]);
	return h + n;
}

struct got {
	char text[70000];
	size_t len;
	int messages, controls, errors;
	unsigned code;
	enum wsf_op ctl_op;
	char ctl[126];
	size_t ctl_len;
	bool binary;
};

/* Feeds buf in pieces of step bytes, collecting what comes out. */
static void
feed(struct wsf_decoder *d, unsigned char *buf, size_t len, size_t step,
    struct got *g)
{
	size_t at = 0;
	while (at < len && g->errors == 0) {
		size_t n = len - at < step ? len - at : step;
		size_t used = 0;
		for (;;) {
			struct wsf_event ev;
			size_t u = wsf_decode(d, buf + at + used, n - used, &ev);
			used += u;
			if (ev.kind == WSF_DATA) {
				if (ev.first)
					g->len = 0;
				memcpy(g->text + g->len, ev.data, ev.len);
				g->len += ev.len;
				g->binary = ev.binary;
				if (ev.last)
					g->messages++;
			} else if (ev.kind == WSF_CONTROL) {
				g->controls++;
				g->ctl_op = ev.op;
				memcpy(g->ctl, ev.data, ev.len);
				g->ctl_len = ev.len;
			} else if (ev.kind == WSF_ERROR) {
				g->errors++;
				g->code = ev.code;
				return;
			} else {
				break;
			}
		}
		assert_int_equal(used, n);
		at += n;
	}
}

static void
wsframe__reads_masked_text_in_any_pieces(void **state)
{
	(void)state;
	static unsigned char buf[70100], copy[sizeof buf];
	char big[65000];
	memset(big, 'q', sizeof big);
	size_t n = client_frame(buf, 0x81, "hello", 5, false);
	n += client_frame(buf + n, 0x81, big, sizeof big, false);
	static const size_t steps[] = {1, 2, 3, 7, 100, 4096, sizeof buf};
	for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
		memcpy(copy, buf, n);
		struct wsf_decoder d;
		wsf_init(&d);
		struct got g = {0};
		feed(&d, copy, n, steps[s], &g);
		assert_int_equal(g.errors, 0);
		assert_int_equal(g.messages, 2);
		assert_int_equal(g.len, sizeof big);
		assert_memory_equal(g.text, big, sizeof big);
	}
}

static void
wsframe__joins_fragments_around_a_ping(void **state)
{
	(void)state;
	unsigned char buf[256];
	size_t n = client_frame(buf, 0x01, "ab", 2, false);
	n += client_frame(buf + n, 0x89, "p", 1, false);
	n += client_frame(buf + n, 0x00, "cd", 2, false);
	n += client_frame(buf + n, 0x80, "", 0, false);
	struct wsf_decoder d;
	wsf_init(&d);
	struct got g = {0};
	feed(&d, buf, n, 1, &g);
	assert_int_equal(g.errors, 0);
	assert_int_equal(g.messages, 1);
	assert_int_equal(g.len, 4);
	assert_memory_equal(g.text, "abcd", 4);
	assert_int_equal(g.controls, 1);
	assert_int_equal(g.ctl_op, WSF_PING);
	assert_int_equal(g.ctl_len, 1);
}

static void
wsframe__tells_a_frames_whole_length_at_its_header(void **state)
{
	(void)state;
	unsigned char hdr[14] = {0x81, 0x80 | 127, 0, 0, 0, 0, 0x01, 0, 0, 0, 1, 2, 3, 4};
	struct wsf_decoder d;
	wsf_init(&d);
	struct wsf_event ev;
	assert_int_equal(wsf_decode(&d, hdr, sizeof hdr, &ev), sizeof hdr);
	assert_int_equal(ev.kind, WSF_DATA);
	assert_true(ev.first);
	assert_int_equal(ev.len, 0);
	assert_true(ev.frame_left == (uint64_t)1 << 24);
}

static void
refused(unsigned char b0, const void *p, size_t n, bool unmasked, bool open,
    unsigned code)
{
	unsigned char buf[300];
	size_t len = 0;
	if (open)
		len = client_frame(buf, 0x01, "x", 1, false);
	len += client_frame(buf + len, b0, p, n, unmasked);
	struct wsf_decoder d;
	wsf_init(&d);
	struct got g = {0};
	feed(&d, buf, len, len, &g);
	if (g.errors != 1 || g.code != code)
		fail_msg("frame %02x (%zu bytes): errors %d code %u", b0, n, g.errors,
		    g.code);
}

static void
wsframe__refuses_protocol_errors_with_1002(void **state)
{
	(void)state;
	char big[126];
	memset(big, 'b', sizeof big);
	refused(0x81, "hi", 2, true, false, 1002);   /* unmasked */
	refused(0x89, "", 0, true, false, 1002);     /* unmasked ping */
	refused(0xc1, "hi", 2, false, false, 1002);  /* RSV1 */
	refused(0x83, "hi", 2, false, false, 1002);  /* opcode 3 */
	refused(0x8b, "", 0, false, false, 1002);    /* opcode 11 */
	refused(0x09, "", 0, false, false, 1002);    /* fragmented ping */
	refused(0x89, big, sizeof big, false, false, 1002); /* ping over 125 */
	refused(0x80, "x", 1, false, false, 1002);   /* continuation alone */
	refused(0x81, "x", 1, false, true, 1002);    /* text inside a message */
	/* a 64-bit length with its top bit set */
	unsigned char hdr[14] = {0x82, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
	struct wsf_decoder d;
	wsf_init(&d);
	struct wsf_event ev;
	wsf_decode(&d, hdr, sizeof hdr, &ev);
	assert_int_equal(ev.kind, WSF_ERROR);
	assert_int_equal(ev.code, 1002);
}

static void
wsframe__checks_close_payloads(void **state)
{
	(void)state;
	unsigned code;
	assert_int_equal(wsf_close_check(NULL, 0, &code), 0);
	assert_int_equal(code, 1005);
	assert_int_equal(wsf_close_check((const unsigned char *)"\x03", 1, &code), 1002);
	assert_int_equal(wsf_close_check((const unsigned char *)"\x03\xe8" "bye", 5,
	    &code), 0);
	assert_int_equal(code, 1000);
	assert_int_equal(wsf_close_check((const unsigned char *)"\x0f\xa0", 2, &code), 0);
	assert_int_equal(code, 4000);
	static const unsigned bad[] = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		unsigned char p[2] = {(unsigned char)(bad[i] >> 8), (unsigned char)bad[i]};
		assert_int_equal(wsf_close_check(p, 2, &code), 1002);
	}
	assert_int_equal(wsf_close_check((const unsigned char *)"\x03\xe8\xff", 3,
	    &code), 1007);
}

static void
wsframe__writes_server_headers_of_every_size(void **state)
{
	(void)state;
	unsigned char h[WSF_HEADER_MAX];
	assert_int_equal(wsf_header(h, WSF_TEXT, true, 125), 2);
	assert_memory_equal(h, "\x81\x7d", 2);
	assert_int_equal(wsf_header(h, WSF_TEXT, false, 126), 4);
	assert_memory_equal(h, "\x01\x7e\x00\x7e", 4);
	assert_int_equal(wsf_header(h, WSF_CONT, true, 65536), 10);
	assert_memory_equal(h, "\x80\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
	assert_int_equal(wsf_header(h, WSF_CLOSE, true, 2), 2);
	assert_memory_equal(h, "\x88\x02", 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wsframe__reads_masked_text_in_any_pieces),
		cmocka_unit_test(wsframe__joins_fragments_around_a_ping),
		cmocka_unit_test(wsframe__tells_a_frames_whole_length_at_its_header),
		cmocka_unit_test(wsframe__refuses_protocol_errors_with_1002),
		cmocka_unit_test(wsframe__checks_close_payloads),
		cmocka_unit_test(wsframe__writes_server_headers_of_every_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
