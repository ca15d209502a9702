/*
 * docclient: a small OT client for the document integration tests, over a
 * tc connection: the local text, the last server revision, at most one
 * operation in flight and one buffer composed of the edits made meanwhile
 * (ot.js's Client, without undo or cursors). It is written against the
 * protocol page and ot.h only, so the tests check confabd, not another
 * client module.
 */
#ifndef CONFAB_IT_DOCCLIENT_H
#define CONFAB_IT_DOCCLIENT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ot.h"
#include "model/utf8.h"
#include "tc.h"

struct dc {
	struct tc *c;
	const char *room, *doc, *prefix; /* cids are prefix + a counter */
	char *text;
	long long rev;
	struct ot_op inflight, buffer;
	bool has_inflight, has_buffer;
	char cid[32];           /* of the op in flight */
	long long inflight_rev; /* its base revision */
	int next;
	int transformed;        /* ACKs of ops the server had to transform */
};

static inline void
dc_init(struct dc *d, struct tc *c, const char *room, const char *doc,
    const char *prefix, const char *text, long long rev)
{
	memset(d, 0, sizeof *d);
	d->c = c;
	d->room = room;
	d->doc = doc;
	d->prefix = prefix;
	d->text = strdup(text);
	d->rev = rev;
	ot_init(&d->inflight);
	ot_init(&d->buffer);
}

static inline void
dc_free(struct dc *d)
{
	free(d->text);
	ot_free(&d->inflight);
	ot_free(&d->buffer);
}

static inline size_t
dc_length(const struct dc *d)
{
	return utf8_count(d->text, strlen(d->text));
}

/* Sends the op in flight (again, after a reconnect: same cid, same rev). */
static inline void
dc_send_inflight(struct dc *d)
{
	char *json = ot_encode(&d->inflight);
	tc_sendf(d->c, "{\"type\":\"DOC_OP\",\"cid\":\"%s\",\"room\":\"%s\","
	    "\"doc\":\"%s\",\"rev\":%lld,\"op\":%s}", d->cid, d->room, d->doc,
	    d->inflight_rev, json);
	free(json);
}

static inline void
dc_start_send(struct dc *d, struct ot_op *op)
{
	d->inflight = *op;
	ot_init(op);
	d->has_inflight = true;
	d->inflight_rev = d->rev;
	snprintf(d->cid, sizeof d->cid, "%s%d", d->prefix, ++d->next);
	dc_send_inflight(d);
}

static inline void
dc_apply(struct dc *d, const struct ot_op *op)
{
	char *out;
	assert_int_equal(ot_apply(op, d->text, strlen(d->text), &out, NULL), OT_OK);
	free(d->text);
	d->text = out;
}

/* A local edit (takes op). */
static inline void
dc_local(struct dc *d, struct ot_op *op)
{
	dc_apply(d, op);
	if (!d->has_inflight) {
		dc_start_send(d, op);
	} else if (!d->has_buffer) {
		d->buffer = *op;
		ot_init(op);
		d->has_buffer = true;
	} else {
		struct ot_op c = OT_OP_INIT;
		assert_int_equal(ot_compose(&d->buffer, op, &c), OT_OK);
		ot_free(&d->buffer);
		ot_free(op);
		d->buffer = c;
	}
}

/* Someone else's revision rev, op (the server's op comes first). */
static inline void
dc_server_op(struct dc *d, long long rev, struct ot_op *op)
{
	assert_int_equal(rev, d->rev + 1);
	struct ot_op *mine[2] = {&d->inflight, &d->buffer};
	bool has[2] = {d->has_inflight, d->has_buffer};
	for (int i = 0; i < 2; i++) {
		if (!has[i])
			continue;
		struct ot_op s2 = OT_OP_INIT, m2 = OT_OP_INIT;
		assert_int_equal(ot_transform(op, mine[i], &s2, &m2), OT_OK);
		ot_free(op);
		ot_free(mine[i]);
		*op = s2;
		*mine[i] = m2;
	}
	dc_apply(d, op);
	ot_free(op);
	d->rev = rev;
}

static inline void
dc_ack(struct dc *d, const char *cid, long long rev)
{
	assert_true(d->has_inflight);
	assert_string_equal(cid, d->cid);
	assert_int_equal(rev, d->rev + 1);
	if (rev > d->inflight_rev + 1)
		d->transformed++;
	d->rev = rev;
	ot_free(&d->inflight);
	d->has_inflight = false;
	if (d->has_buffer) {
		d->has_buffer = false;
		dc_start_send(d, &d->buffer);
	}
}

/* Handles one received document frame; false for frames of other kinds
 * (dropped). */
static inline bool
dc_handle(struct dc *d, const cJSON *f)
{
	if (tc_is(f, "ACK") && tc_str(f, "doc") != NULL) {
		dc_ack(d, tc_str(f, "cid"), tc_int(f, "rev"));
		return true;
	}
	if (tc_is(f, "DOC_OP")) {
		struct ot_op op = OT_OP_INIT;
		assert_int_equal(ot_decode_json(cJSON_GetObjectItem(f, "op"), &op, NULL, 0),
		    OT_OK);
		const char *cid = tc_str(f, "cid");
		if (d->has_inflight && cid != NULL && strcmp(cid, d->cid) == 0) {
			/* my own op, replayed after a reconnect: its ACK */
			ot_free(&op);
			dc_ack(d, cid, tc_int(f, "rev"));
		} else {
			dc_server_op(d, tc_int(f, "rev"), &op);
		}
		return true;
	}
	if (tc_is(f, "ERROR"))
		fail_msg("unexpected ERROR %s: %s", tc_str(f, "code"), tc_str(f, "reason"));
	return false;
}

/* Handles what has arrived, waiting up to ms for the first frame. */
static inline void
dc_poll(struct dc *d, int ms)
{
	cJSON *f;
	while ((f = tc_recv(d->c, ms)) != NULL) {
		dc_handle(d, f);
		cJSON_Delete(f);
		ms = 0;
	}
}

static inline bool
dc_synced(const struct dc *d)
{
	return !d->has_inflight && !d->has_buffer;
}

#endif
