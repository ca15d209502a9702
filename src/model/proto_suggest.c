/*
 * proto_suggest: the frames of suggestions and protected documents
 * (docs/protocol.md, "Suggestions"), and the kind only they use: DOC_STATE's
 * list of open suggestions.
 *
 * A suggestion's op is checked for shape only, as a DOC_OP's is
 * (proto_doc.c): the server validates it fully with the OT engine. The
 * fields these frames add to others (ACK's and DOC_OP's suggestion, DOC_OP's
 * by, DOC_STATE's suggestions, protected and can_edit) come in through the
 * PROTO_SUGGEST_*_FIELDS macros of proto_impl.h.
 */
#include <stdlib.h>

#include "model/proto_impl.h"
#include "model/xmalloc.h"

#define ID {"id", K_POSINT, REQ, FO(suggestion), (long)FO(has_suggestion)}
#define PLACE S(room, K_ROOM, REQ), S(doc, K_DOC, REQ)

const struct row proto_suggest_to_server[] = {
	{PT_DOC_SUGGEST, {S(cid, K_CID, REQ), PLACE, I(rev, K_INT, REQ),
	    S(op, K_OP, REQ), END}},
	{PT_SUGGEST_ACCEPT, {S(cid, K_CID, REQ), PLACE, ID, END}},
	{PT_SUGGEST_REJECT, {S(cid, K_CID, REQ), PLACE, ID, END}},
	{PT_DOC_MODE, {S(cid, K_CID, REQ), PLACE,
	    {"protected", K_BOOL, REQ, FO(is_protected), (long)FO(has_protected)},
	    END}},
};
const size_t proto_suggest_to_server_n =
    sizeof proto_suggest_to_server / sizeof *proto_suggest_to_server;

const struct row proto_suggest_to_client[] = {
	{PT_SUGGESTION, {PLACE, I(rev, K_INT, REQ), ID, S(user, K_USER, REQ),
	    I(ts, K_INT, REQ), S(op, K_OP, REQ), S(cid, K_CID, OPT), END}},
	{PT_SUGGESTION_CLOSED, {PLACE, ID, S(event, K_STR, REQ),
	    S(by, K_USER, OPT), I(rev, K_INT, REQ), END}},
	{PT_DOC_MODE, {PLACE,
	    {"protected", K_BOOL, REQ, FO(is_protected), (long)FO(has_protected)},
	    {"can_edit", K_BOOL, OPT, FO(can_edit), (long)FO(has_can_edit)},
	    S(by, K_USER, REQ), END}},
};
const size_t proto_suggest_to_client_n =
    sizeof proto_suggest_to_client / sizeof *proto_suggest_to_client;

static const struct field item_fields[] = {
	ID, S(user, K_USER, REQ), I(ts, K_INT, REQ), S(op, K_OP, REQ), END,
};

bool
proto_suggest_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err)
{
	if (fd->kind != K_SUGGESTIONS)
		return proto_fail(err, PE_INTERNAL, "no decoder for %s", fd->name);
	int n = proto_array_size(v, fd, err);
	if (n < 0)
		return false;
	/* owned by the frame as soon as it is made: a failure halfway frees it */
	f->suggestions = xcalloc(n ? (size_t)n : 1, sizeof *f->suggestions);
	f->nsuggestions = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		struct proto_frame t;
		if (!proto_decode_item(e, fd->name, item_fields, &t, err))
			return false;
		f->suggestions[f->nsuggestions++] = (struct proto_suggestion){
		    t.suggestion, t.user, t.ts, t.op};
	}
	return true;
}

bool
proto_suggest_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f)
{
	if (fd->kind != K_SUGGESTIONS)
		return false;
	if (f->nsuggestions == 0)
		return true; /* left out: most documents have none */
	cJSON *a = cJSON_AddArrayToObject(o, fd->name);
	if (a == NULL)
		return false;
	for (size_t i = 0; i < f->nsuggestions; i++) {
		const struct proto_suggestion *s = &f->suggestions[i];
		struct proto_frame t = {.suggestion = s->id, .has_suggestion = true,
		    .user = s->user, .ts = s->ts, .has_ts = true, .op = s->op};
		cJSON *e = cJSON_CreateObject();
		if (e == NULL || !proto_encode_fields(e, item_fields, &t) ||
		    !cJSON_AddItemToArray(a, e)) {
			cJSON_Delete(e);
			return false;
		}
	}
	return true;
}
