/*
 * proto_doclist: working with more than one document (docs/protocol.md,
 * "DOC_LIST"): the rows of DOC_LIST, its list of documents, and the value
 * that says which document a user is in ({"room","name"} or null), in
 * PRESENCE_UPDATE (proto.c's row, PROTO_DOCLIST_PRESENCE_FIELD) and in
 * JOINED's members (PROTO_DOCLIST_MEMBER_FIELD).
 *
 * A document of the list is decoded through a scratch frame and a small
 * field table, as proto_rooms.c does for the directory: its viewers go
 * through the frame's typing list (user names, checked), its watching
 * count through count.
 */
#include <stdlib.h>
#include <string.h>

#include "model/names.h"
#include "model/proto_impl.h"
#include "model/xmalloc.h"

const struct row proto_doclist_to_server[] = {
	{PT_DOC_LIST, {S(cid, K_CID, REQ), S(room, K_ROOM, REQ),
	    {"after", K_DOC, OPT, FO(after), -1}, I(limit, K_POSINT, OPT), END}},
};
const size_t proto_doclist_to_server_n =
    sizeof proto_doclist_to_server / sizeof *proto_doclist_to_server;

const struct row proto_doclist_to_client[] = {
	{PT_DOC_LIST, {S(cid, K_CID, REQ), S(room, K_ROOM, REQ),
	    {"docs", K_DOCINFOS, ALWAYS, FO(docinfos), -1}, S(more, K_BOOL, REQ),
	    END}},
};
const size_t proto_doclist_to_client_n =
    sizeof proto_doclist_to_client / sizeof *proto_doclist_to_client;

/* A document of the list, in scratch-frame members. */
static const struct field docinfo_fields[] = {
	S(name, K_DOC, REQ), {"rev", K_INT, REQ, FO(rev), (long)FO(has_rev)},
	{"ts", K_INT, OPT, FO(ts), (long)FO(has_ts)}, S(user, K_USER, OPT),
	{"viewers", K_USERS, ALWAYS, FO(typing), -1},
	{"watching", K_INT, REQ, FO(count), -1}, END,
};

static bool
decode_ref(const cJSON *v, struct proto_docref *at, struct proto_error *err)
{
	if (!cJSON_IsObject(v))
		return proto_fail(err, PE_BAD_FIELD, "doc must be {room, name} or null");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(v, "room");
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(v, "name");
	if (!cJSON_IsString(r) || !names_valid_room_or_dm(r->valuestring))
		return proto_fail(err, PE_BAD_ROOM, "doc.room: bad room name");
	if (!cJSON_IsString(n) || !names_valid_room(n->valuestring))
		return proto_fail(err, PE_BAD_FIELD, "doc.name: bad document name");
	*at = (struct proto_docref){r->valuestring, n->valuestring};
	return true;
}

static bool
decode_infos(const cJSON *v, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	int n = proto_array_size(v, fd, err);
	if (n < 0)
		return false;
	/* owned by the frame at once: a failure halfway frees what was made */
	f->docinfos = xcalloc(n ? (size_t)n : 1, sizeof *f->docinfos);
	f->ndocinfos = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		struct proto_frame t;
		if (!proto_decode_item(e, fd->name, docinfo_fields, &t, err)) {
			free((void *)t.typing);
			return false;
		}
		if (t.count < (int64_t)t.ntyping) {
			free((void *)t.typing);
			return proto_fail(err, PE_BAD_FIELD,
			    "docs.watching is less than its viewers");
		}
		f->docinfos[f->ndocinfos++] = (struct proto_docinfo){t.name, t.rev,
		    t.ts, t.user, t.typing, t.ntyping, t.count};
	}
	return true;
}

bool
proto_doclist_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err)
{
	if (fd->kind == K_DOCREF)
		return decode_ref(v, (struct proto_docref *)((char *)f + fd->off), err);
	return decode_infos(v, fd, f, err);
}

static bool
encode_ref(cJSON *o, const struct field *fd, const struct proto_docref *at)
{
	if (at->room == NULL || at->name == NULL) {
		if (!(fd->flags & (REQ | ALWAYS)))
			return true;
		return cJSON_AddNullToObject(o, fd->name) != NULL;
	}
	cJSON *x = cJSON_AddObjectToObject(o, fd->name);
	return x != NULL && cJSON_AddStringToObject(x, "room", at->room) &&
	    cJSON_AddStringToObject(x, "name", at->name);
}

static cJSON *
encode_info(const struct proto_docinfo *d)
{
	struct proto_frame t;
	memset(&t, 0, sizeof t);
	t.name = d->name;
	t.rev = d->rev;
	t.has_rev = true;
	t.ts = d->ts;
	t.has_ts = d->ts > 0;
	t.user = d->user;
	t.typing = d->viewers;
	t.ntyping = d->nviewers;
	t.count = d->watching;
	cJSON *o = cJSON_CreateObject();
	if (o != NULL && !proto_encode_fields(o, docinfo_fields, &t)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

bool
proto_doclist_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f)
{
	if (fd->kind == K_DOCREF)
		return encode_ref(o, fd,
		    (const struct proto_docref *)((const char *)f + fd->off));
	cJSON *a = cJSON_CreateArray();
	if (a == NULL)
		return false;
	for (size_t i = 0; f->docinfos != NULL && i < f->ndocinfos; i++) {
		cJSON *e = encode_info(&f->docinfos[i]);
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
proto_doclist_free(struct proto_frame *f)
{
	for (size_t i = 0; f->docinfos != NULL && i < f->ndocinfos; i++)
		free((void *)f->docinfos[i].viewers);
	free(f->docinfos);
}
