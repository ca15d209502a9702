/*
 * proto_notify: the notification frames of confab.v1 (docs/protocol.md,
 * "Notifications"): their table rows and the list of notifications that a
 * NOTIFICATIONS page carries.
 *
 * A notification's fields are one table, used both for the NOTIFICATION
 * frame (where they sit in the frame's `notification`) and for each
 * element of a page (decoded through a scratch frame, as proto.c does for
 * messages). `level` and `kind` are any string: a client shows one it does
 * not know as a plain notification, so new ones need no new codec.
 */
#include <stdlib.h>
#include <string.h>

#include "model/proto_impl.h"
#include "model/xmalloc.h"

#define NF(key, kind, fl, m) {key, kind, fl, FO(notification.m), -1}
#define NOTIFICATION_FIELDS \
	NF("id", K_POSINT, REQ, id), NF("level", K_STR, REQ, level), \
	NF("title", K_STR, REQ, title), NF("message", K_STR, REQ, message), \
	NF("ts", K_INT, REQ, ts), NF("read", K_BOOL, REQ, read), \
	NF("room", K_ROOM, OPT, room), NF("seq", K_POSINT, OPT, seq), \
	NF("kind", K_STR, OPT, kind)

const struct row proto_notify_to_server[] = {
	{PT_NOTIFICATIONS, {I(before, K_INT, OPT), I(limit, K_POSINT, OPT),
	    S(cid, K_CID, OPT), END}},
	{PT_MARK_READ, {NF("id", K_POSINT, REQ, id), S(cid, K_CID, OPT), END}},
	{PT_MARK_ALL_READ, {I(upto, K_INT, OPT), S(cid, K_CID, OPT), END}},
};
const size_t proto_notify_to_server_n =
    sizeof proto_notify_to_server / sizeof *proto_notify_to_server;

const struct row proto_notify_to_client[] = {
	{PT_NOTIFICATION, {NOTIFICATION_FIELDS, I(unread, K_INT, OPT), END}},
	{PT_NOTIFICATIONS, {S(cid, K_CID, OPT), I(before, K_INT, OPT),
	    {"notifications", K_NOTIFS, ALWAYS, FO(notifications), -1},
	    S(more, K_BOOL, REQ), I(unread, K_INT, REQ), END}},
	{PT_NOTIFICATION_READ, {NF("id", K_POSINT, OPT, id), I(upto, K_INT, OPT),
	    I(unread, K_INT, REQ), END}},
};
const size_t proto_notify_to_client_n =
    sizeof proto_notify_to_client / sizeof *proto_notify_to_client;

static const struct field item_fields[] = {NOTIFICATION_FIELDS, END};

bool
proto_notify_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err)
{
	int n = proto_array_size(v, fd, err);
	if (n < 0)
		return false;
	struct proto_notification *arr = xcalloc((size_t)n, sizeof *arr);
	f->notifications = arr;
	f->nnotifications = (size_t)n;
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		struct proto_frame t;
		if (!proto_decode_item(e, fd->name, item_fields, &t, err))
			return false;
		arr[i++] = t.notification;
	}
	return true;
}

static cJSON *
encode_item(const struct proto_notification *n)
{
	struct proto_frame t;
	memset(&t, 0, sizeof t);
	t.notification = *n;
	cJSON *o = cJSON_CreateObject();
	if (!proto_encode_fields(o, item_fields, &t)) { /* a required field is missing */
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

bool
proto_notify_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; f->notifications != NULL && i < f->nnotifications; i++) {
		cJSON *e = encode_item(&f->notifications[i]);
		if (e == NULL) {
			cJSON_Delete(a);
			return false;
		}
		cJSON_AddItemToArray(a, e);
	}
	cJSON_AddItemToObject(o, fd->name, a);
	return true;
}
