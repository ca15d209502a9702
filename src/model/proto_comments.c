/*
 * proto_comments: the frames of documents' comments (docs/protocol.md,
 * "Comments"), and the kinds of value only they use: a range, a comment
 * object with its replies, a list of them (DOC_STATE's).
 *
 * A comment is decoded by hand rather than through a field table: it
 * nests a list of replies, which a scratch frame has no room for. Shape
 * only: the server checks lengths, the document and the rights.
 */
#include <stdlib.h>
#include <string.h>

#include "model/names.h"
#include "model/proto_impl.h"
#include "model/xmalloc.h"

#define DOCREF S(cid, K_CID, REQ), S(room, K_ROOM, REQ), S(doc, K_DOC, REQ)
#define CID_ID {"id", K_POSINT, REQ, FO(comment_id), (long)FO(has_comment_id)}

const struct row proto_comments_to_server[] = {
	{PT_COMMENT, {DOCREF, I(rev, K_INT, REQ),
	    {"range", K_RANGE, REQ, FO(range), (long)FO(has_range)},
	    S(text, K_STR, REQ), END}},
	{PT_COMMENT_REPLY, {DOCREF, CID_ID, S(text, K_STR, REQ), END}},
	{PT_COMMENT_RESOLVE, {DOCREF, CID_ID, S(resolved, K_BOOL, REQ), END}},
	{PT_COMMENT_EDIT, {DOCREF, CID_ID, S(text, K_STR, REQ), END}},
	{PT_COMMENT_DELETE, {DOCREF, CID_ID, END}},
};
const size_t proto_comments_to_server_n =
    sizeof proto_comments_to_server / sizeof *proto_comments_to_server;

const struct row proto_comments_to_client[] = {
	{PT_COMMENT, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ),
	    I(rev, K_INT, REQ), {"comment", K_COMMENT, REQ, FO(comments), -1},
	    END}},
	{PT_COMMENT_DELETE, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ), CID_ID,
	    S(by, K_USER, REQ), END}},
};
const size_t proto_comments_to_client_n =
    sizeof proto_comments_to_client / sizeof *proto_comments_to_client;

static bool
get_str(const cJSON *o, const char *name, bool user, const char **out,
    struct proto_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsString(v) || (user && !names_valid_user(v->valuestring)))
		return proto_fail(err, PE_BAD_FIELD, "comment.%s must be a %s", name,
		    user ? "user name" : "string");
	*out = v->valuestring;
	return true;
}

static bool
get_int(const cJSON *o, const char *name, int64_t min, bool req, int64_t *out,
    struct proto_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (v == NULL && !req)
		return true;
	if (!proto_get_int(v, min, out))
		return proto_fail(err, PE_BAD_FIELD, "comment.%s must be an integer "
		    ">= %lld", name, (long long)min);
	return true;
}

static bool
get_bool(const cJSON *o, const char *name, bool *out, struct proto_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (v == NULL)
		return true;
	if (!cJSON_IsBool(v))
		return proto_fail(err, PE_BAD_FIELD, "comment.%s must be true or false",
		    name);
	*out = cJSON_IsTrue(v);
	return true;
}

static bool
decode_range(const cJSON *v, const char *name, int64_t out[2],
    struct proto_error *err)
{
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 ||
	    !proto_get_int(cJSON_GetArrayItem(v, 0), 0, &out[0]) ||
	    !proto_get_int(cJSON_GetArrayItem(v, 1), 0, &out[1]))
		return proto_fail(err, PE_BAD_FIELD, "%s must be [start, end]", name);
	if (out[0] > out[1])
		return proto_fail(err, PE_BAD_FIELD, "%s starts after its end", name);
	return true;
}

static bool
decode_reply(const cJSON *o, struct proto_comment_reply *r,
    struct proto_error *err)
{
	if (!cJSON_IsObject(o))
		return proto_fail(err, PE_BAD_FIELD, "comment.replies must hold objects");
	return get_int(o, "id", 1, true, &r->id, err) &&
	    get_str(o, "user", true, &r->user, err) &&
	    get_int(o, "ts", 0, true, &r->ts, err) &&
	    get_str(o, "text", false, &r->text, err);
}

static bool
decode_comment(const cJSON *o, struct proto_comment *c, struct proto_error *err)
{
	memset(c, 0, sizeof *c);
	if (!cJSON_IsObject(o))
		return proto_fail(err, PE_BAD_FIELD, "a comment must be an object");
	if (!get_int(o, "id", 1, true, &c->id, err) ||
	    !get_str(o, "user", true, &c->user, err) ||
	    !get_int(o, "ts", 0, true, &c->ts, err) ||
	    !get_int(o, "edited_ts", 1, false, &c->edited_ts, err) ||
	    !decode_range(cJSON_GetObjectItemCaseSensitive(o, "range"),
	        "comment.range", c->range, err) ||
	    !get_bool(o, "removed", &c->removed, err) ||
	    !get_bool(o, "resolved", &c->resolved, err) ||
	    !get_str(o, "text", false, &c->text, err))
		return false;
	if (cJSON_GetObjectItemCaseSensitive(o, "resolved_by") != NULL &&
	    !get_str(o, "resolved_by", true, &c->resolved_by, err))
		return false;
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(o, "replies");
	if (rs == NULL)
		return true;
	static const struct field replies_fd = {"comment.replies", K_COMMENTS, 0, 0,
	    -1};
	int n = proto_array_size(rs, &replies_fd, err);
	if (n < 0)
		return false;
	c->replies = xcalloc(n ? (size_t)n : 1, sizeof *c->replies);
	const cJSON *e;
	cJSON_ArrayForEach(e, rs) {
		if (!decode_reply(e, &c->replies[c->nreplies++], err))
			return false;
	}
	return true;
}

bool
proto_comments_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err)
{
	switch (fd->kind) {
	case K_RANGE:
		if (!decode_range(v, fd->name, f->range, err))
			return false;
		f->has_range = true;
		return true;
	case K_COMMENT:
		f->comments = xcalloc(1, sizeof *f->comments);
		f->ncomments = 1;
		return decode_comment(v, &f->comments[0], err);
	case K_COMMENTS: {
		int n = proto_array_size(v, fd, err);
		if (n < 0)
			return false;
		/* owned by the frame at once: a failure halfway frees it */
		f->comments = xcalloc(n ? (size_t)n : 1, sizeof *f->comments);
		f->ncomments = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, v) {
			if (!decode_comment(e, &f->comments[f->ncomments++], err))
				return false;
		}
		return true;
	}
	default:
		return proto_fail(err, PE_INTERNAL, "no decoder for %s", fd->name);
	}
}

void
proto_comments_free(struct proto_frame *f)
{
	for (size_t i = 0; f->comments != NULL && i < f->ncomments; i++)
		free(f->comments[i].replies);
	free(f->comments);
}

static cJSON *
range_json(const int64_t r[2])
{
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateNumber((double)r[0]));
	cJSON_AddItemToArray(a, cJSON_CreateNumber((double)r[1]));
	return a;
}

/* One comment as JSON (cJSON allocates through xmalloc: never NULL). */
static cJSON *
encode_comment(const struct proto_comment *c)
{
	cJSON *o = cJSON_CreateObject();
	proto_add_int(o, "id", c->id);
	cJSON_AddStringToObject(o, "user", c->user ? c->user : "");
	proto_add_int(o, "ts", c->ts);
	if (c->edited_ts > 0)
		proto_add_int(o, "edited_ts", c->edited_ts);
	cJSON_AddItemToObject(o, "range", range_json(c->range));
	cJSON_AddBoolToObject(o, "removed", c->removed);
	cJSON_AddBoolToObject(o, "resolved", c->resolved);
	if (c->resolved && c->resolved_by != NULL)
		cJSON_AddStringToObject(o, "resolved_by", c->resolved_by);
	cJSON_AddStringToObject(o, "text", c->text ? c->text : "");
	cJSON *rs = cJSON_AddArrayToObject(o, "replies");
	for (size_t i = 0; i < c->nreplies; i++) {
		const struct proto_comment_reply *r = &c->replies[i];
		cJSON *x = cJSON_CreateObject();
		proto_add_int(x, "id", r->id);
		cJSON_AddStringToObject(x, "user", r->user ? r->user : "");
		proto_add_int(x, "ts", r->ts);
		cJSON_AddStringToObject(x, "text", r->text ? r->text : "");
		cJSON_AddItemToArray(rs, x);
	}
	return o;
}

bool
proto_comments_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f)
{
	switch (fd->kind) {
	case K_RANGE:
		if (!f->has_range)
			return !(fd->flags & REQ);
		return cJSON_AddItemToObject(o, fd->name, range_json(f->range));
	case K_COMMENT:
		if (f->ncomments != 1 || f->comments == NULL || f->comments[0].user == NULL)
			return false;
		return cJSON_AddItemToObject(o, fd->name, encode_comment(&f->comments[0]));
	case K_COMMENTS: {
		if (f->ncomments == 0)
			return !(fd->flags & (REQ | ALWAYS));
		cJSON *a = cJSON_AddArrayToObject(o, fd->name);
		for (size_t i = 0; i < f->ncomments; i++)
			cJSON_AddItemToArray(a, encode_comment(&f->comments[i]));
		return a != NULL;
	}
	default:
		return false;
	}
}
