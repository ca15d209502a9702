/*
 * proto_msgs: the frames of threads, reactions, edits and deletes
 * (docs/protocol.md, "Threads, reactions, edits and deletes"), and the
 * kinds of value only they use: a reaction's emoji, a message's list of
 * reactions, a flag written only when set (a tombstone's "deleted").
 *
 * A message's own new fields (thread, replies, last_reply, edited_ts,
 * deleted, reactions) are in proto.c's message rows through
 * PROTO_MSGS_MESSAGE_FIELDS.
 */
#include <stdlib.h>
#include <string.h>

#include "model/names.h"
#include "model/proto_impl.h"
#include "model/reactemoji.h"
#include "model/xmalloc.h"

#define REACTION_USERS_MAX 1000 /* users one reaction of a list may name */

#define TARGET S(cid, K_CID, REQ), S(room, K_ROOM, REQ), I(seq, K_POSINT, REQ)
#define CHANGED S(room, K_ROOM, REQ), I(seq, K_POSINT, REQ)

const struct row proto_msgs_to_server[] = {
	{PT_THREAD, {S(room, K_ROOM, REQ), I(root, K_POSINT, REQ),
	    I(before, K_INT, OPT), I(limit, K_POSINT, OPT), S(cid, K_CID, OPT),
	    END}},
	{PT_REACT, {TARGET, {"emoji", K_EMOJI, REQ, FO(emoji), -1},
	    S(on, K_BOOL, REQ), END}},
	{PT_EDIT, {TARGET, S(text, K_STR, REQ), END}},
	{PT_DELETE, {TARGET, END}},
};
const size_t proto_msgs_to_server_n =
    sizeof proto_msgs_to_server / sizeof *proto_msgs_to_server;

const struct row proto_msgs_to_client[] = {
	{PT_THREAD, {S(room, K_ROOM, REQ), S(cid, K_CID, OPT),
	    I(root, K_POSINT, REQ),
	    {"messages", K_MESSAGES, ALWAYS, FO(messages), -1},
	    S(more, K_BOOL, REQ), END}},
	{PT_REACTION, {CHANGED, S(emoji, K_STR, REQ), S(user, K_USER, REQ),
	    S(on, K_BOOL, REQ), S(count, K_INT, REQ), I(rev, K_POSINT, REQ),
	    END}},
	{PT_MESSAGE_EDITED, {CHANGED, S(text, K_STR, REQ),
	    {"edited_ts", K_POSINT, REQ, FO(edited_ts), -1},
	    I(rev, K_POSINT, REQ), END}},
	{PT_MESSAGE_DELETED, {CHANGED, S(by, K_USER, REQ),
	    I(rev, K_POSINT, REQ), END}},
};
const size_t proto_msgs_to_client_n =
    sizeof proto_msgs_to_client / sizeof *proto_msgs_to_client;

bool
proto_msgs_check(const char *text, bool deleted, struct proto_error *err)
{
	if (!deleted && text == NULL)
		return proto_fail(err, PE_BAD_FIELD, "missing field text");
	if (deleted && text != NULL)
		return proto_fail(err, PE_BAD_FIELD, "a deleted message has no text");
	return true;
}

void
proto_msgs_free_reactions(struct proto_reaction *r, size_t n)
{
	for (size_t i = 0; r != NULL && i < n; i++)
		free((void *)r[i].users);
	free(r);
}

static bool
decode_reaction(const cJSON *o, struct proto_reaction *r, struct proto_error *err)
{
	if (!cJSON_IsObject(o))
		return proto_fail(err, PE_BAD_FIELD, "reactions must hold objects");
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "emoji");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "count");
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "users");
	if (!cJSON_IsString(e) || e->valuestring[0] == '\0')
		return proto_fail(err, PE_BAD_FIELD, "reactions.emoji must be a string");
	if (!proto_get_int(c, 1, &r->count))
		return proto_fail(err, PE_BAD_FIELD,
		    "reactions.count must be an integer >= 1");
	r->emoji = e->valuestring;
	if (u == NULL || cJSON_IsNull(u))
		return true;
	if (!cJSON_IsArray(u))
		return proto_fail(err, PE_BAD_FIELD, "reactions.users must be an array");
	int n = cJSON_GetArraySize(u);
	if (n > REACTION_USERS_MAX || n > r->count)
		return proto_fail(err, PE_BAD_FIELD,
		    "reactions.users names more users than its count");
	r->users = xcalloc(n ? (size_t)n : 1, sizeof *r->users);
	const cJSON *x;
	cJSON_ArrayForEach(x, u) {
		if (!cJSON_IsString(x) || !names_valid_user(x->valuestring))
			return proto_fail(err, PE_BAD_FIELD,
			    "reactions.users holds a bad user name");
		r->users[r->nusers++] = x->valuestring;
	}
	return true;
}

static bool
decode_reactions(const cJSON *v, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	int n = proto_array_size(v, fd, err);
	if (n < 0)
		return false;
	/* owned by the frame as soon as it is made: a failure halfway frees it */
	f->reactions = xcalloc(n ? (size_t)n : 1, sizeof *f->reactions);
	f->nreactions = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		struct proto_reaction *r = &f->reactions[f->nreactions++];
		if (!decode_reaction(e, r, err))
			return false;
	}
	return true;
}

bool
proto_msgs_decode(const cJSON *v, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	char *dst = (char *)f + fd->off;
	switch (fd->kind) {
	case K_EMOJI:
		if (!cJSON_IsString(v) ||
		    !reactemoji_valid(v->valuestring, strlen(v->valuestring)))
			return proto_fail(err, PE_BAD_EMOJI,
			    "%s must be one emoji (one grapheme cluster, at most %d bytes)",
			    fd->name, REACTEMOJI_MAX);
		*(const char **)dst = v->valuestring;
		return true;
	case K_FLAG:
		if (!cJSON_IsBool(v))
			return proto_fail(err, PE_BAD_FIELD, "%s must be true or false",
			    fd->name);
		*(bool *)dst = cJSON_IsTrue(v);
		return true;
	case K_REACTIONS:
		return decode_reactions(v, fd, f, err);
	default:
		return proto_fail(err, PE_INTERNAL, "no decoder for %s", fd->name);
	}
}

static cJSON *
encode_reaction(const struct proto_reaction *r)
{
	cJSON *o = cJSON_CreateObject();
	if (o == NULL || r->emoji == NULL ||
	    !cJSON_AddStringToObject(o, "emoji", r->emoji) ||
	    !proto_add_int(o, "count", r->count))
		goto bad;
	cJSON *u = cJSON_AddArrayToObject(o, "users");
	if (u == NULL)
		goto bad;
	for (size_t i = 0; i < r->nusers; i++) {
		cJSON *s = cJSON_CreateString(r->users[i]);
		if (s == NULL || !cJSON_AddItemToArray(u, s)) {
			cJSON_Delete(s);
			goto bad;
		}
	}
	return o;
bad:
	cJSON_Delete(o);
	return NULL;
}

bool
proto_msgs_encode(cJSON *o, const struct field *fd, const struct proto_frame *f)
{
	const char *src = (const char *)f + fd->off;
	switch (fd->kind) {
	case K_EMOJI: {
		const char *s = *(const char *const *)src;
		if (s == NULL)
			return !(fd->flags & REQ);
		return cJSON_AddStringToObject(o, fd->name, s) != NULL;
	}
	case K_FLAG:
		if (!*(const bool *)src)
			return true;
		return cJSON_AddTrueToObject(o, fd->name) != NULL;
	case K_REACTIONS: {
		if (f->nreactions == 0)
			return !(fd->flags & REQ);
		cJSON *a = cJSON_AddArrayToObject(o, fd->name);
		if (a == NULL)
			return false;
		for (size_t i = 0; i < f->nreactions; i++) {
			cJSON *e = encode_reaction(&f->reactions[i]);
			if (e == NULL || !cJSON_AddItemToArray(a, e)) {
				cJSON_Delete(e);
				return false;
			}
		}
		return true;
	}
	default:
		return false;
	}
}
