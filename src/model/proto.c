/*
 * proto: the frame codec (proto.h): the names of types, errors and
 * statuses, the core frames' field tables, and decoding. Encoding is in
 * proto_encode.c; the other frames' rows in proto_doc.c, proto_auth.c,
 * proto_rights.c, proto_notify.c, proto_msgs.c and proto_rooms.c.
 */
#include "model/proto.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsoncheck.h"
#include "model/names.h"
#include "model/proto_impl.h"
#include "model/utf8.h"

#define MAX_INT PROTO_MAX_INT
#define MAX_ARRAY PROTO_MAX_ARRAY

static const char *const type_names[PT_COUNT] = {
	[PT_NONE] = "",
	[PT_HELLO] = "HELLO",
	[PT_WELCOME] = "WELCOME",
	[PT_JOIN] = "JOIN",
	[PT_JOINED] = "JOINED",
	[PT_LEAVE] = "LEAVE",
	[PT_MESSAGE] = "MESSAGE",
	[PT_ACK] = "ACK",
	[PT_HISTORY] = "HISTORY",
	[PT_TYPING] = "TYPING",
	[PT_PRESENCE_UPDATE] = "PRESENCE_UPDATE",
	[PT_HEARTBEAT] = "HEARTBEAT",
	[PT_USER_JOINED] = "USER_JOINED",
	[PT_USER_LEFT] = "USER_LEFT",
	[PT_ERROR] = "ERROR",
	[PT_DOC_OPEN] = "DOC_OPEN",
	[PT_DOC_CLOSE] = "DOC_CLOSE",
	[PT_DOC_OP] = "DOC_OP",
	[PT_DOC_STATE] = "DOC_STATE",
	[PT_CURSOR] = "CURSOR",
	[PT_DOC_HISTORY] = "DOC_HISTORY",
	[PT_DOC_GET] = "DOC_GET",
	[PT_DOC_TEXT] = "DOC_TEXT",
	[PT_DOC_TAG] = "DOC_TAG",
	[PT_NOTIFICATION] = "NOTIFICATION",
	[PT_NOTIFICATIONS] = "NOTIFICATIONS",
	[PT_MARK_READ] = "MARK_READ",
	[PT_MARK_ALL_READ] = "MARK_ALL_READ",
	[PT_NOTIFICATION_READ] = "NOTIFICATION_READ",
	[PT_LOGIN] = "LOGIN",
	[PT_REGISTER] = "REGISTER",
	[PT_LOGOUT] = "LOGOUT",
	[PT_LOGGED_IN] = "LOGGED_IN",
	[PT_INVITE] = "INVITE",
	[PT_KICK] = "KICK",
	[PT_BAN] = "BAN",
	[PT_UNBAN] = "UNBAN",
	[PT_ROOM_MODE] = "ROOM_MODE",
	[PT_OP] = "OP",
	[PT_DEOP] = "DEOP",
	[PT_ROOM_EVENT] = "ROOM_EVENT",
	[PT_THREAD] = "THREAD",
	[PT_REACT] = "REACT",
	[PT_REACTION] = "REACTION",
	[PT_EDIT] = "EDIT",
	[PT_MESSAGE_EDITED] = "MESSAGE_EDITED",
	[PT_DELETE] = "DELETE",
	[PT_MESSAGE_DELETED] = "MESSAGE_DELETED",
	[PT_READ] = "READ",
	[PT_RECEIPT] = "RECEIPT",
	[PT_SEARCH] = "SEARCH",
	[PT_SEARCH_RESULTS] = "SEARCH_RESULTS",
	[PT_TOPIC] = "TOPIC",
	[PT_ROOMS] = "ROOMS",
	[PT_COMMENT] = "COMMENT",
	[PT_COMMENT_REPLY] = "COMMENT_REPLY",
	[PT_COMMENT_RESOLVE] = "COMMENT_RESOLVE",
	[PT_COMMENT_EDIT] = "COMMENT_EDIT",
	[PT_COMMENT_DELETE] = "COMMENT_DELETE",
	[PT_DOC_SUGGEST] = "DOC_SUGGEST",
	[PT_SUGGEST_ACCEPT] = "SUGGEST_ACCEPT",
	[PT_SUGGEST_REJECT] = "SUGGEST_REJECT",
	[PT_SUGGESTION] = "SUGGESTION",
	[PT_SUGGESTION_CLOSED] = "SUGGESTION_CLOSED",
	[PT_DOC_MODE] = "DOC_MODE",
	[PT_DOC_LIST] = "DOC_LIST",
};

static const char *const err_names[PE_COUNT] = {
	[PE_OK] = "ok",
	[PE_BAD_JSON] = "bad_json",
	[PE_UNKNOWN_TYPE] = "unknown_type",
	[PE_BAD_FIELD] = "bad_field",
	[PE_TOO_LARGE] = "too_large",
	[PE_INVALID_UTF8] = "invalid_utf8",
	[PE_UNSUPPORTED_FRAME] = "unsupported_frame",
	[PE_BAD_ROOM] = "bad_room",
	[PE_NOT_JOINED] = "not_joined",
	[PE_RATE_LIMITED] = "rate_limited",
	[PE_TOO_MANY_ROOMS] = "too_many_rooms",
	[PE_NO_HELLO] = "no_hello",
	[PE_BAD_STATE] = "bad_state",
	[PE_INTERNAL] = "internal",
	[PE_BAD_OP] = "bad_op",
	[PE_BAD_REV] = "bad_rev",
	[PE_REV_TOO_OLD] = "rev_too_old",
	[PE_NOT_OPEN] = "not_open",
	[PE_FORBIDDEN] = "forbidden",
	[PE_UNKNOWN_USER] = "unknown_user",
	[PE_UNAUTHORIZED] = "unauthorized",
	[PE_TAKEN] = "taken",
	[PE_INVITE_ONLY] = "invite_only",
	[PE_BANNED] = "banned",
	[PE_TOO_MANY_SESSIONS] = "too_many_sessions",
	[PE_TOO_MANY_DOCS] = "too_many_docs",
	[PE_NO_MESSAGE] = "no_message",
	[PE_DELETED] = "deleted",
	[PE_BAD_EMOJI] = "bad_emoji",
	[PE_TOO_MANY_REACTIONS] = "too_many_reactions",
	[PE_NO_COMMENT] = "no_comment",
	[PE_NO_SUGGESTION] = "no_suggestion",
};

static const char *const status_names[] = {
	[PS_NONE] = "", [PS_ONLINE] = "online", [PS_AWAY] = "away",
	[PS_BUSY] = "busy", [PS_OFFLINE] = "offline",
};

const char *
proto_type_name(enum proto_type t)
{
	return t < PT_COUNT ? type_names[t] : "";
}

enum proto_type
proto_type_parse(const char *name)
{
	for (int t = PT_NONE + 1; t < PT_COUNT; t++)
		if (strcmp(type_names[t], name) == 0)
			return (enum proto_type)t;
	return PT_NONE;
}

const char *
proto_err_name(enum proto_err e)
{
	return e < PE_COUNT ? err_names[e] : "internal";
}

const char *
proto_status_name(enum proto_status s)
{
	return s <= PS_OFFLINE ? status_names[s] : "";
}

enum proto_status
proto_status_parse(const char *name)
{
	for (int s = PS_ONLINE; s <= PS_OFFLINE; s++)
		if (strcmp(status_names[s], name) == 0)
			return (enum proto_status)s;
	return PS_NONE;
}

/* ---- the field tables ---------------------------------------------------- */

static const struct row to_server[] = {
	{PT_HELLO, {S(user, K_USER, REQ), {"resume", K_RESUME, OPT, FO(resume), -1},
	    S(token, K_STR, OPT), S(client, K_STR, OPT), END}},
	{PT_JOIN, {S(room, K_ROOM, REQ), I(since, K_INT, OPT), S(cid, K_CID, OPT),
	    PROTO_MSGS_JOIN_FIELDS, END}},
	{PT_LEAVE, {S(room, K_ROOM, REQ), S(cid, K_CID, OPT), END}},
	{PT_MESSAGE, {S(cid, K_CID, REQ), S(room, K_ROOM, REQ), S(text, K_STR, REQ),
	    I(thread, K_POSINT, OPT), END}},
	{PT_HISTORY, {S(room, K_ROOM, REQ), I(before, K_INT, OPT),
	    I(limit, K_POSINT, OPT), S(cid, K_CID, OPT), END}},
	{PT_TYPING, {S(room, K_ROOM, REQ), S(active, K_BOOL, REQ), END}},
	{PT_PRESENCE_UPDATE, {S(status, K_STATUS, REQ), S(text, K_STR, OPT),
	    S(cid, K_CID, OPT), END}},
	{PT_HEARTBEAT, {I(ts, K_INT, OPT), END}},
};

static const struct row to_client[] = {
	{PT_WELCOME, {S(user, K_USER, REQ), S(session, K_STR, REQ),
	    S(heartbeat_ms, K_POSINT, REQ), S(server, K_STR, OPT),
	    {"limits", K_LIMITS, OPT, FO(limits), (long)FO(has_limits)},
	    I(unread, K_INT, OPT), END}},
	{PT_JOINED, {S(room, K_ROOM, REQ), I(seq, K_INT, REQ),
	    {"members", K_MEMBERS, ALWAYS, FO(members), -1},
	    {"typing", K_USERS, ALWAYS, FO(typing), -1},
	    PROTO_RIGHTS_JOINED_FIELDS, PROTO_MSGS_JOINED_FIELDS,
	    PROTO_ROOMS_JOINED_FIELDS,
	    {"messages", K_MESSAGES, ALWAYS, FO(messages), -1}, END}},
	{PT_MESSAGE, {S(room, K_ROOM, REQ), I(seq, K_POSINT, REQ), S(id, K_STR, REQ),
	    S(user, K_USER, REQ), S(text, K_STR, OPT), I(ts, K_INT, REQ),
	    S(cid, K_CID, OPT), PROTO_MSGS_MESSAGE_FIELDS, END}},
	{PT_ACK, {S(cid, K_CID, REQ), S(room, K_ROOM, OPT), I(seq, K_POSINT, OPT),
	    S(id, K_STR, OPT), I(ts, K_INT, OPT), S(doc, K_DOC, OPT),
	    I(rev, K_POSINT, OPT), PROTO_COMMENTS_ACK_FIELDS,
	    PROTO_SUGGEST_ACK_FIELDS, END}},
	{PT_HISTORY, {S(room, K_ROOM, REQ), S(cid, K_CID, OPT),
	    {"messages", K_MESSAGES, ALWAYS, FO(messages), -1},
	    S(more, K_BOOL, REQ), END}},
	{PT_TYPING, {S(room, K_ROOM, REQ), S(user, K_USER, REQ),
	    S(active, K_BOOL, REQ), END}},
	{PT_PRESENCE_UPDATE, {S(user, K_USER, REQ), S(status, K_PRESENCE, REQ),
	    S(text, K_STR, OPT), S(last_seen, K_INT, REQ),
	    PROTO_DOCLIST_PRESENCE_FIELD, END}},
	{PT_HEARTBEAT, {I(ts, K_INT, OPT), END}},
	{PT_USER_JOINED, {S(room, K_ROOM, REQ), S(user, K_USER, REQ),
	    S(status, K_PRESENCE, OPT), S(text, K_STR, OPT), S(last_seen, K_INT, OPT),
	    END}},
	{PT_USER_LEFT, {S(room, K_ROOM, REQ), S(user, K_USER, REQ), END}},
	{PT_ERROR, {S(code, K_STR, REQ), S(reason, K_STR, REQ), S(cid, K_STR, OPT),
	    S(ref, K_STR, OPT), S(room, K_ROOM, OPT), END}},
};

static const struct row *
find_in(const struct row *rows, size_t n, enum proto_type type)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].type == type)
			return &rows[i];
	return NULL;
}

/* Every module's rows, per direction; a new module adds one line to each. */
struct rows { const struct row *rows; const size_t *n; };
static const size_t to_server_n = sizeof to_server / sizeof *to_server;
static const size_t to_client_n = sizeof to_client / sizeof *to_client;
/* Room for the modules: unused slots are empty. */
static const struct rows tables[2][12] = {
	[PROTO_TO_SERVER] = {{to_server, &to_server_n},
	    {proto_doc_to_server, &proto_doc_to_server_n},
	    {proto_auth_to_server, &proto_auth_to_server_n},
	    {proto_rights_to_server, &proto_rights_to_server_n},
	    {proto_notify_to_server, &proto_notify_to_server_n},
	    {proto_msgs_to_server, &proto_msgs_to_server_n},
	    {proto_rooms_to_server, &proto_rooms_to_server_n},
	    {proto_comments_to_server, &proto_comments_to_server_n},
	    {proto_suggest_to_server, &proto_suggest_to_server_n},
	    {proto_doclist_to_server, &proto_doclist_to_server_n}},
	[PROTO_TO_CLIENT] = {{to_client, &to_client_n},
	    {proto_doc_to_client, &proto_doc_to_client_n},
	    {proto_auth_to_client, &proto_auth_to_client_n},
	    {proto_rights_to_client, &proto_rights_to_client_n},
	    {proto_notify_to_client, &proto_notify_to_client_n},
	    {proto_msgs_to_client, &proto_msgs_to_client_n},
	    {proto_rooms_to_client, &proto_rooms_to_client_n},
	    {proto_comments_to_client, &proto_comments_to_client_n},
	    {proto_suggest_to_client, &proto_suggest_to_client_n},
	    {proto_doclist_to_client, &proto_doclist_to_client_n}},
};

const struct row *
proto_find_row(enum proto_dir dir, enum proto_type type)
{
	const struct rows *t = tables[dir];
	for (size_t i = 0; i < sizeof tables[0] / sizeof *tables[0] &&
	    t[i].rows != NULL; i++) {
		const struct row *r = find_in(t[i].rows, *t[i].n, type);
		if (r != NULL)
			return r;
	}
	return NULL;
}

/* ---- decoding ------------------------------------------------------------ */

bool
proto_fail(struct proto_error *err, enum proto_err code, const char *fmt, ...)
{
	va_list ap;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof err->reason, fmt, ap);
	va_end(ap);
	return false;
}

bool
proto_decode_item(const cJSON *e, const char *list,
    const struct field *item, struct proto_frame *t, struct proto_error *err)
{
	memset(t, 0, sizeof *t);
	if (!cJSON_IsObject(e))
		return proto_fail(err, PE_BAD_FIELD, "%s must hold objects", list);
	return proto_decode_fields(e, item, t, err);
}

int
proto_array_size(const cJSON *v, const struct field *fd,
    struct proto_error *err)
{
	if (!cJSON_IsArray(v)) {
		proto_fail(err, PE_BAD_FIELD, "%s must be an array", fd->name);
		return -1;
	}
	int n = cJSON_GetArraySize(v);
	if (n > PROTO_MAX_ARRAY) {
		proto_fail(err, PE_TOO_LARGE, "%s has too many entries", fd->name);
		return -1;
	}
	return n;
}

bool
proto_get_int(const cJSON *v, int64_t min, int64_t *out)
{
	if (!cJSON_IsNumber(v))
		return false;
	double d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < (double)min || d > MAX_INT)
		return false;
	*out = (int64_t)d;
	return true;
}

static bool decode_message(const cJSON *o, struct proto_message *m,
    struct proto_error *err);
static bool decode_member(const cJSON *o, struct proto_member *m,
    struct proto_error *err);
static bool decode_resume(const cJSON *e, struct proto_resume *r,
    struct proto_error *err);

static bool
decode_array(const cJSON *v, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	if (fd->kind == K_RESUME ? !cJSON_IsObject(v) : !cJSON_IsArray(v))
		return proto_fail(err, PE_BAD_FIELD, "%s must be an %s", fd->name,
		    fd->kind == K_RESUME ? "object" : "array");
	int n = cJSON_GetArraySize(v);
	if (n > MAX_ARRAY)
		return proto_fail(err, PE_TOO_LARGE, "%s has too many entries", fd->name);
	size_t size = fd->kind == K_RESUME ? sizeof(struct proto_resume)
	    : fd->kind == K_MESSAGES ? sizeof(struct proto_message)
	    : fd->kind == K_MEMBERS ? sizeof(struct proto_member)
	    : sizeof(const char *);
	void *arr = calloc(n ? (size_t)n : 1, size);
	if (arr == NULL)
		return proto_fail(err, PE_INTERNAL, "out of memory");
	*(void **)((char *)f + fd->off) = arr;
	*(size_t *)((char *)f + fd->off + sizeof(void *)) = (size_t)n;

	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		switch (fd->kind) {
		case K_RESUME: {
			struct proto_resume *r = (struct proto_resume *)arr + i;
			if (!names_valid_room_or_dm(e->string))
				return proto_fail(err, PE_BAD_ROOM, "resume: bad room name");
			if (!decode_resume(e, r, err))
				return false;
			r->room = e->string;
			break;
		}
		case K_MESSAGES:
			if (!decode_message(e, (struct proto_message *)arr + i, err))
				return false;
			break;
		case K_MEMBERS:
			if (!decode_member(e, (struct proto_member *)arr + i, err))
				return false;
			break;
		default:
			if (!cJSON_IsString(e) || !names_valid_user(e->valuestring))
				return proto_fail(err, PE_BAD_FIELD, "%s holds a bad user name",
				    fd->name);
			((const char **)arr)[i] = e->valuestring;
		}
		i++;
	}
	return true;
}

/* {"room": seq} (no change wanted: rev -1) or {"room": {"seq", "rev"}}. */
static bool
decode_resume(const cJSON *e, struct proto_resume *r, struct proto_error *err)
{
	r->rev = -1;
	if (!cJSON_IsObject(e)) {
		if (!proto_get_int(e, 0, &r->seq))
			return proto_fail(err, PE_BAD_FIELD,
			    "resume.%s must be a non-negative integer or {seq, rev}",
			    e->string);
		return true;
	}
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(e, "seq");
	const cJSON *rev = cJSON_GetObjectItemCaseSensitive(e, "rev");
	if (!proto_get_int(seq, 0, &r->seq))
		return proto_fail(err, PE_BAD_FIELD,
		    "resume.%s.seq must be a non-negative integer", e->string);
	if (rev != NULL && !proto_get_int(rev, 0, &r->rev))
		return proto_fail(err, PE_BAD_FIELD,
		    "resume.%s.rev must be a non-negative integer", e->string);
	return true;
}

static bool
decode_limits(const cJSON *v, struct proto_limits *l, struct proto_error *err)
{
	if (!cJSON_IsObject(v))
		return proto_fail(err, PE_BAD_FIELD, "limits must be an object");
	struct { const char *name; int64_t *dst; } k[] = {
		{"max_frame", &l->max_frame}, {"max_text", &l->max_text},
		{"history_max", &l->history_max}, {"max_rooms", &l->max_rooms},
		{"max_doc", &l->max_doc},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(v, k[i].name);
		if (x != NULL && !proto_get_int(x, 0, k[i].dst))
			return proto_fail(err, PE_BAD_FIELD, "limits.%s must be an integer",
			    k[i].name);
	}
	return true;
}

static bool
decode_field(const cJSON *obj, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, fd->name);
	char *dst = (char *)f + fd->off;

	if (v == NULL || cJSON_IsNull(v)) {
		if (fd->flags & REQ)
			return proto_fail(err, PE_BAD_FIELD, "missing field %s", fd->name);
		return true;
	}
	switch (fd->kind) {
	case K_STR: case K_USER: case K_ROOM: case K_DOC: case K_CID:
	case K_STATUS: case K_PRESENCE: {
		if (!cJSON_IsString(v))
			return proto_fail(err, PE_BAD_FIELD, "%s must be a string", fd->name);
		const char *s = v->valuestring;
		if (fd->kind == K_ROOM && !names_valid_room_or_dm(s))
			return proto_fail(err, PE_BAD_ROOM,
			    "bad room name (1-64 of a-z 0-9 _ . -, or @user1+user2)");
		if (fd->kind == K_DOC && !names_valid_room(s))
			return proto_fail(err, PE_BAD_FIELD,
			    "bad document name (1-64 of a-z 0-9 _ . -)");
		if (fd->kind == K_USER && !names_valid_user(s))
			return proto_fail(err, PE_BAD_FIELD, "bad user name in %s", fd->name);
		if (fd->kind == K_CID && !names_valid_cid(s))
			return proto_fail(err, PE_BAD_FIELD, "bad cid (1-64 printable ASCII)");
		if (fd->kind == K_STATUS || fd->kind == K_PRESENCE) {
			enum proto_status st = proto_status_parse(s);
			if (st == PS_NONE || (fd->kind == K_STATUS && st == PS_OFFLINE))
				return proto_fail(err, PE_BAD_FIELD, "%s must be online, away%s",
				    fd->name, fd->kind == K_STATUS ? " or busy"
				    : ", busy or offline");
			*(enum proto_status *)dst = st;
		} else {
			*(const char **)dst = s;
		}
		return true;
	}
	case K_INT: case K_POSINT:
		if (!proto_get_int(v, fd->kind == K_POSINT ? 1 : 0, (int64_t *)dst))
			return proto_fail(err, PE_BAD_FIELD, "%s must be an integer >= %d",
			    fd->name, fd->kind == K_POSINT ? 1 : 0);
		if (fd->has >= 0)
			*(bool *)((char *)f + fd->has) = true;
		return true;
	case K_BOOL:
		if (!cJSON_IsBool(v))
			return proto_fail(err, PE_BAD_FIELD, "%s must be true or false", fd->name);
		*(bool *)dst = cJSON_IsTrue(v);
		if (fd->has >= 0)
			*(bool *)((char *)f + fd->has) = true;
		return true;
	case K_LIMITS:
		if (fd->has >= 0)
			*(bool *)((char *)f + fd->has) = true;
		return decode_limits(v, (struct proto_limits *)dst, err);
	case K_OP: case K_SEL: case K_CURSORS: case K_REVISIONS: case K_TAGS:
		return proto_doc_decode(v, fd, f, err);
	case K_NOTIFS:
		return proto_notify_decode(v, fd, f, err);
	case K_EMOJI: case K_REACTIONS: case K_FLAG:
		return proto_msgs_decode(v, fd, f, err);
	case K_RECEIPTS: case K_HITS: case K_ROOMINFOS:
		return proto_rooms_decode(v, fd, f, err);
	case K_RANGE: case K_COMMENT: case K_COMMENTS:
		return proto_comments_decode(v, fd, f, err);
	case K_SUGGESTIONS:
		return proto_suggest_decode(v, fd, f, err);
	case K_DOCREF: case K_DOCINFOS:
		return proto_doclist_decode(v, fd, f, err);
	default:
		return decode_array(v, fd, f, err);
	}
}

bool
proto_decode_fields(const cJSON *obj, const struct field *fields, struct proto_frame *f,
    struct proto_error *err)
{
	for (const struct field *fd = fields; fd->name != NULL; fd++)
		if (!decode_field(obj, fd, f, err))
			return false;
	return true;
}

const struct field proto_message_fields[] = {
	S(room, K_ROOM, OPT), I(seq, K_POSINT, REQ), S(id, K_STR, REQ),
	S(user, K_USER, REQ), S(text, K_STR, OPT), I(ts, K_INT, REQ),
	S(cid, K_CID, OPT), PROTO_MSGS_MESSAGE_FIELDS, END,
};

const struct field proto_member_fields[] = {
	S(user, K_USER, REQ), S(status, K_PRESENCE, REQ), S(text, K_STR, OPT),
	S(last_seen, K_INT, OPT), PROTO_DOCLIST_MEMBER_FIELD, END,
};

/* Array elements reuse the frame tables through a scratch frame. */
static bool
decode_message(const cJSON *o, struct proto_message *m, struct proto_error *err)
{
	struct proto_frame t;
	if (!proto_decode_item(o, "messages", proto_message_fields, &t, err) ||
	    !proto_msgs_check(t.text, t.deleted, err)) {
		proto_msgs_free_reactions(t.reactions, t.nreactions);
		return false;
	}
	*m = (struct proto_message){.room = t.room, .seq = t.seq,
	    .id = t.id, .user = t.user, .text = t.text, .ts = t.ts, .cid = t.cid,
	    .thread = t.thread, .replies = t.replies, .last_reply = t.last_reply,
	    .edited_ts = t.edited_ts, .deleted = t.deleted,
	    .reactions = t.reactions, .nreactions = t.nreactions};
	return true;
}

static bool
decode_member(const cJSON *o, struct proto_member *m, struct proto_error *err)
{
	struct proto_frame t;
	if (!proto_decode_item(o, "members", proto_member_fields, &t, err))
		return false;
	*m = (struct proto_member){t.user, t.status, t.text, t.last_seen, t.at};
	return true;
}

bool
proto_decode(const char *buf, size_t len, enum proto_dir dir,
    struct proto_frame *out, struct proto_error *err)
{
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);

	if (!utf8_valid(buf, len))
		return proto_fail(err, PE_INVALID_UTF8, "the frame is not valid UTF-8");
	char why[sizeof err->reason];
	if (!jsoncheck(buf, len, PROTO_MAX_DEPTH, why, sizeof why))
		return proto_fail(err, PE_BAD_JSON, "%s", why);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
	if (root == NULL)
		return proto_fail(err, PE_BAD_JSON, "not valid JSON");
	for (; end != NULL && end < buf + len; end++) {
		if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') {
			cJSON_Delete(root);
			return proto_fail(err, PE_BAD_JSON, "data after the JSON object");
		}
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return proto_fail(err, PE_BAD_JSON, "a frame must be a JSON object");
	}
	out->tree_ = root;
	out->owns_arrays_ = true;

	const cJSON *cid = cJSON_GetObjectItemCaseSensitive(root, "cid");
	if (cJSON_IsString(cid) && names_valid_cid(cid->valuestring))
		snprintf(err->cid, sizeof err->cid, "%s", cid->valuestring);

	const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "type");
	if (!cJSON_IsString(type)) {
		proto_fail(err, PE_UNKNOWN_TYPE, "missing field type");
		goto bad;
	}
	enum proto_type t = proto_type_parse(type->valuestring);
	if (t != PT_NONE)
		snprintf(err->ref, sizeof err->ref, "%s", type_names[t]);
	const struct row *row = t == PT_NONE ? NULL : proto_find_row(dir, t);
	if (row == NULL) {
		proto_fail(err, PE_UNKNOWN_TYPE, t == PT_NONE ? "unknown frame type"
		    : "this frame type is not sent in this direction");
		goto bad;
	}
	out->type = t;
	if (!proto_decode_fields(root, row->fields, out, err))
		goto bad;
	if (t == PT_MESSAGE && dir == PROTO_TO_CLIENT &&
	    !proto_msgs_check(out->text, out->deleted, err))
		goto bad;
	return true;
bad:
	proto_frame_free(out);
	return false;
}

void
proto_frame_free(struct proto_frame *f)
{
	if (f->owns_arrays_) {
		free(f->resume);
		for (size_t i = 0; f->messages != NULL && i < f->nmessages; i++)
			proto_msgs_free_reactions(f->messages[i].reactions,
			    f->messages[i].nreactions);
		proto_msgs_free_reactions(f->reactions, f->nreactions);
		free(f->messages);
		free(f->members);
		free((void *)f->typing);
		free(f->cursors);
		free(f->revisions);
		free(f->tags);
		free(f->notifications);
		free((void *)f->moderators);
		proto_rooms_free(f);
		proto_comments_free(f);
		free(f->suggestions);
		proto_doclist_free(f);
	}
	cJSON_Delete(f->tree_);
	memset(f, 0, sizeof *f);
}

struct proto_frame
proto_frame_of(enum proto_type type)
{
	return (struct proto_frame){.type = type};
}

/* decode_array and encode_array find an array's count right after its
 * pointer. */
_Static_assert(offsetof(struct proto_frame, nresume) ==
    offsetof(struct proto_frame, resume) + sizeof(void *), "resume layout");
_Static_assert(offsetof(struct proto_frame, nmessages) ==
    offsetof(struct proto_frame, messages) + sizeof(void *), "messages layout");
_Static_assert(offsetof(struct proto_frame, nmembers) ==
    offsetof(struct proto_frame, members) + sizeof(void *), "members layout");
_Static_assert(offsetof(struct proto_frame, ntyping) ==
    offsetof(struct proto_frame, typing) + sizeof(void *), "typing layout");
_Static_assert(offsetof(struct proto_frame, ncursors) ==
    offsetof(struct proto_frame, cursors) + sizeof(void *), "cursors layout");
_Static_assert(offsetof(struct proto_frame, nrevisions) ==
    offsetof(struct proto_frame, revisions) + sizeof(void *), "revisions layout");
_Static_assert(offsetof(struct proto_frame, ntags) ==
    offsetof(struct proto_frame, tags) + sizeof(void *), "tags layout");
_Static_assert(offsetof(struct proto_frame, nmoderators) ==
    offsetof(struct proto_frame, moderators) + sizeof(void *), "moderators layout");
_Static_assert(offsetof(struct proto_frame, nnotifications) ==
    offsetof(struct proto_frame, notifications) + sizeof(void *),
    "notifications layout");
_Static_assert(offsetof(struct proto_frame, nsuggestions) ==
    offsetof(struct proto_frame, suggestions) + sizeof(void *),
    "suggestions layout");
_Static_assert(offsetof(struct proto_frame, nreactions) ==
    offsetof(struct proto_frame, reactions) + sizeof(void *), "reactions layout");
