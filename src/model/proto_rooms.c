/*
 * proto_rooms: the frames of read marks, search, topics and the room directory
 * (docs/protocol.md, "Read marks, search, topics and the directory"): their
 * table rows and the three lists only they carry: every member's read mark
 * (JOINED's receipts), search hits (SEARCH_RESULTS) and public rooms
 * (ROOMS). JOINED's read, unread, receipts and topic are fields of its row
 * in proto.c (PROTO_ROOMS_JOINED_FIELDS).
 *
 * Each list element is decoded through a scratch frame and a small field
 * table, as proto.c does for messages; a hit's marks ([start, end] pairs of
 * code points in its snippet) are checked here: integers, start <= end.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/proto_impl.h"
#include "model/xmalloc.h"

#define MAX_MARKS 256 /* highlighted ranges in one snippet */

const struct row proto_rooms_to_server[] = {
	{PT_READ, {S(room, K_ROOM, REQ), {"seq", K_INT, REQ, FO(seq),
	    (long)FO(has_seq)}, S(cid, K_CID, OPT), END}},
	{PT_SEARCH, {S(cid, K_CID, REQ), S(text, K_STR, REQ), S(room, K_ROOM, OPT),
	    I(before, K_POSINT, OPT), I(limit, K_POSINT, OPT), END}},
	{PT_TOPIC, {S(cid, K_CID, REQ), S(room, K_ROOM, REQ), S(text, K_STR, REQ),
	    END}},
	{PT_ROOMS, {S(cid, K_CID, REQ), S(query, K_STR, OPT), S(after, K_STR, OPT),
	    I(limit, K_POSINT, OPT), END}},
};
const size_t proto_rooms_to_server_n =
    sizeof proto_rooms_to_server / sizeof *proto_rooms_to_server;

const struct row proto_rooms_to_client[] = {
	{PT_READ, {S(room, K_ROOM, REQ), {"seq", K_INT, REQ, FO(seq),
	    (long)FO(has_seq)}, {"unread", K_INT, REQ, FO(unread),
	    (long)FO(has_unread)}, END}},
	{PT_RECEIPT, {S(room, K_ROOM, REQ), S(user, K_USER, REQ), {"seq", K_INT,
	    REQ, FO(seq), (long)FO(has_seq)}, END}},
	{PT_SEARCH_RESULTS, {S(cid, K_CID, REQ),
	    {"results", K_HITS, ALWAYS, FO(hits), -1}, S(more, K_BOOL, REQ),
	    I(before, K_POSINT, OPT), END}},
	{PT_TOPIC, {S(room, K_ROOM, REQ), S(text, K_STR, REQ), S(by, K_USER, REQ),
	    I(ts, K_INT, REQ), END}},
	{PT_ROOMS, {S(cid, K_CID, REQ), {"rooms", K_ROOMINFOS, ALWAYS, FO(rooms),
	    -1}, S(more, K_BOOL, REQ), END}},
};
const size_t proto_rooms_to_client_n =
    sizeof proto_rooms_to_client / sizeof *proto_rooms_to_client;

/* The elements' fields, in scratch-frame members. */
static const struct field receipt_fields[] = {
	S(user, K_USER, REQ), {"seq", K_INT, REQ, FO(seq), -1}, END,
};
static const struct field hit_fields[] = {
	S(room, K_ROOM, REQ), {"seq", K_POSINT, REQ, FO(seq), -1},
	S(user, K_USER, REQ), {"ts", K_INT, REQ, FO(ts), -1},
	{"snippet", K_STR, REQ, FO(text), -1}, END,
};
static const struct field room_fields[] = {
	S(room, K_ROOM, REQ), S(topic, K_STR, OPT),
	{"members", K_INT, REQ, FO(count), -1}, END,
};

static bool
decode_marks(const cJSON *v, struct proto_search_hit *h, struct proto_error *err)
{
	if (v == NULL || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsArray(v))
		return proto_fail(err, PE_BAD_FIELD, "marks must be an array");
	int n = cJSON_GetArraySize(v);
	if (n > MAX_MARKS)
		return proto_fail(err, PE_TOO_LARGE, "marks has too many entries");
	h->marks = xcalloc(n ? (size_t)n : 1, sizeof *h->marks);
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		int64_t a, b;
		if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 ||
		    !proto_get_int(cJSON_GetArrayItem(e, 0), 0, &a) ||
		    !proto_get_int(cJSON_GetArrayItem(e, 1), 0, &b) || b < a)
			return proto_fail(err, PE_BAD_FIELD,
			    "marks must hold [start, end] pairs, start <= end");
		h->marks[h->nmarks][0] = a;
		h->marks[h->nmarks++][1] = b;
	}
	return true;
}

bool
proto_rooms_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err)
{
	int n = proto_array_size(v, fd, err);
	if (n < 0)
		return false;
	size_t cap = n ? (size_t)n : 1;
	const struct field *item = fd->kind == K_RECEIPTS ? receipt_fields
	    : fd->kind == K_HITS ? hit_fields : room_fields;
	if (fd->kind == K_RECEIPTS)
		f->receipts = xcalloc(cap, sizeof *f->receipts);
	else if (fd->kind == K_HITS)
		f->hits = xcalloc(cap, sizeof *f->hits);
	else
		f->rooms = xcalloc(cap, sizeof *f->rooms);
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		struct proto_frame t;
		if (!proto_decode_item(e, fd->name, item, &t, err))
			return false;
		if (fd->kind == K_RECEIPTS) {
			f->receipts[f->nreceipts++] = (struct proto_receipt){t.user, t.seq};
		} else if (fd->kind == K_HITS) {
			/* counted before the marks, so that a failure frees them */
			struct proto_search_hit *h = &f->hits[f->nhits++];
			*h = (struct proto_search_hit){.room = t.room, .seq = t.seq,
			    .user = t.user, .ts = t.ts, .snippet = t.text};
			if (!decode_marks(cJSON_GetObjectItemCaseSensitive(e, "marks"),
			    h, err))
				return false;
		} else {
			f->rooms[f->nrooms++] = (struct proto_room_info){t.room, t.topic,
			    t.count};
		}
	}
	return true;
}

static cJSON *
encode_marks(const struct proto_search_hit *h)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; a != NULL && i < h->nmarks; i++) {
		cJSON *p = cJSON_CreateArray();
		if (p == NULL || !cJSON_AddItemToArray(a, p)) {
			cJSON_Delete(p);
			cJSON_Delete(a);
			return NULL;
		}
		for (int k = 0; k < 2; k++) {
			/* printed exactly, as proto_add_int does */
			char num[24];
			snprintf(num, sizeof num, "%" PRId64, h->marks[i][k]);
			cJSON *x = cJSON_CreateRaw(num);
			if (x == NULL || !cJSON_AddItemToArray(p, x)) {
				cJSON_Delete(x);
				cJSON_Delete(a);
				return NULL;
			}
		}
	}
	return a;
}

static cJSON *
encode_item(const struct field *fd, const struct proto_frame *f, size_t i)
{
	struct proto_frame t;
	memset(&t, 0, sizeof t);
	const struct field *item;
	if (fd->kind == K_RECEIPTS) {
		item = receipt_fields;
		t.user = f->receipts[i].user;
		t.seq = f->receipts[i].seq;
	} else if (fd->kind == K_HITS) {
		item = hit_fields;
		const struct proto_search_hit *h = &f->hits[i];
		t.room = h->room;
		t.seq = h->seq;
		t.user = h->user;
		t.ts = h->ts;
		t.text = h->snippet;
	} else {
		item = room_fields;
		t.room = f->rooms[i].room;
		t.topic = f->rooms[i].topic;
		t.count = f->rooms[i].members;
	}
	cJSON *o = cJSON_CreateObject();
	if (o == NULL || !proto_encode_fields(o, item, &t))
		goto bad;
	if (fd->kind == K_HITS) {
		cJSON *m = encode_marks(&f->hits[i]);
		if (m == NULL || !cJSON_AddItemToObject(o, "marks", m)) {
			cJSON_Delete(m);
			goto bad;
		}
	}
	return o;
bad:
	cJSON_Delete(o);
	return NULL;
}

bool
proto_rooms_encode(cJSON *o, const struct field *fd, const struct proto_frame *f)
{
	size_t n = fd->kind == K_RECEIPTS ? f->nreceipts
	    : fd->kind == K_HITS ? f->nhits : f->nrooms;
	const void *arr = fd->kind == K_RECEIPTS ? (const void *)f->receipts
	    : fd->kind == K_HITS ? (const void *)f->hits : (const void *)f->rooms;
	if (arr == NULL)
		n = 0;
	if (n == 0 && !(fd->flags & (REQ | ALWAYS)))
		return true;
	cJSON *a = cJSON_CreateArray();
	if (a == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		cJSON *e = encode_item(fd, f, i);
		if (e == NULL || !cJSON_AddItemToArray(a, e)) {
			cJSON_Delete(e);
			cJSON_Delete(a);
			return false;
		}
	}
	if (!cJSON_AddItemToObject(o, fd->name, a)) {
		cJSON_Delete(a);
		return false;
	}
	return true;
}

void
proto_rooms_free(struct proto_frame *f)
{
	free(f->receipts);
	for (size_t i = 0; f->hits != NULL && i < f->nhits; i++)
		free(f->hits[i].marks);
	free(f->hits);
	free(f->rooms);
}
