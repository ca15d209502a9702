/*
 * proto_encode: frames to JSON text (proto.h), by the same field tables
 * decoding walks, and the message and member items a server stores
 * already encoded.
 */
#include "model/proto.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/proto_impl.h"

/* Integers are printed exactly: cJSON's number printer rounds some values
 * above 2^52 to 15 significant digits. */
bool
proto_add_int(cJSON *o, const char *name, int64_t v)
{
	char num[24];
	snprintf(num, sizeof num, "%" PRId64, v);
	return cJSON_AddRawToObject(o, name, num) != NULL;
}

static cJSON *
encode_message(const struct proto_message *m)
{
	struct proto_frame t = {.room = m->room, .seq = m->seq, .id = m->id,
	    .user = m->user, .text = m->deleted ? NULL : m->text, .ts = m->ts,
	    .cid = m->cid, .has_seq = true, .has_ts = true,
	    .thread = m->thread, .has_thread = m->thread > 0,
	    .replies = m->replies, .last_reply = m->last_reply,
	    .edited_ts = m->edited_ts, .deleted = m->deleted,
	    .reactions = m->reactions, .nreactions = m->nreactions};
	cJSON *o = cJSON_CreateObject();
	if (o != NULL && !proto_encode_fields(o, proto_message_fields, &t)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
encode_member(const struct proto_member *m)
{
	struct proto_frame t = {.user = m->user, .status = m->status,
	    .text = m->text, .last_seen = m->last_seen, .at = m->at};
	cJSON *o = cJSON_CreateObject();
	if (o != NULL && !proto_encode_fields(o, proto_member_fields, &t)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
encode_array(const struct field *fd, const struct proto_frame *f)
{
	const char *base = (const char *)f + fd->off;
	const void *arr = *(void *const *)base;
	size_t n = *(const size_t *)(base + sizeof(void *));
	cJSON *a = fd->kind == K_RESUME ? cJSON_CreateObject() : cJSON_CreateArray();
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < n && arr != NULL; i++) {
		cJSON *e = NULL;
		switch (fd->kind) {
		case K_RESUME: {
			const struct proto_resume *r = (const struct proto_resume *)arr + i;
			if (r->rev < 0) {
				if (!proto_add_int(a, r->room, r->seq))
					goto bad;
				continue;
			}
			cJSON *x = cJSON_AddObjectToObject(a, r->room);
			if (x == NULL || !proto_add_int(x, "seq", r->seq) ||
			    !proto_add_int(x, "rev", r->rev))
				goto bad;
			continue;
		}
		case K_MESSAGES:
			e = encode_message((const struct proto_message *)arr + i);
			break;
		case K_MEMBERS:
			e = encode_member((const struct proto_member *)arr + i);
			break;
		default:
			e = cJSON_CreateString(((const char *const *)arr)[i]);
		}
		if (e == NULL || !cJSON_AddItemToArray(a, e)) {
			cJSON_Delete(e);
			goto bad;
		}
	}
	return a;
bad:
	cJSON_Delete(a);
	return NULL;
}

static bool
encode_field(cJSON *o, const struct field *fd, const struct proto_frame *f)
{
	const char *src = (const char *)f + fd->off;
	switch (fd->kind) {
	case K_STR: case K_USER: case K_ROOM: case K_DOC: case K_CID: {
		const char *s = *(const char *const *)src;
		if (s == NULL)
			return !(fd->flags & REQ);
		return cJSON_AddStringToObject(o, fd->name, s) != NULL;
	}
	case K_STATUS: case K_PRESENCE: {
		enum proto_status st = *(const enum proto_status *)src;
		if (st == PS_NONE)
			return !(fd->flags & REQ);
		return cJSON_AddStringToObject(o, fd->name, proto_status_name(st)) != NULL;
	}
	case K_INT: case K_POSINT: {
		int64_t v = *(const int64_t *)src;
		bool set = fd->has >= 0 ? *(const bool *)((const char *)f + fd->has)
		    : !(fd->kind == K_POSINT && v < 1);
		if (!set)
			return !(fd->flags & REQ);
		return proto_add_int(o, fd->name, v);
	}
	case K_BOOL:
		/* with a has_ flag, left out unless it is set */
		if (fd->has >= 0 && !*(const bool *)((const char *)f + fd->has))
			return !(fd->flags & REQ);
		return cJSON_AddBoolToObject(o, fd->name, *(const bool *)src) != NULL;
	case K_LIMITS: {
		if (fd->has >= 0 && !*(const bool *)((const char *)f + fd->has))
			return true;
		const struct proto_limits *l = (const struct proto_limits *)src;
		cJSON *x = cJSON_AddObjectToObject(o, fd->name);
		return x != NULL && proto_add_int(x, "max_frame", l->max_frame) &&
		    proto_add_int(x, "max_text", l->max_text) &&
		    proto_add_int(x, "history_max", l->history_max) &&
		    proto_add_int(x, "max_rooms", l->max_rooms) &&
		    (l->max_doc <= 0 || proto_add_int(x, "max_doc", l->max_doc));
	}
	case K_OP: case K_SEL: case K_CURSORS: case K_REVISIONS: case K_TAGS:
		return proto_doc_encode(o, fd, f);
	case K_NOTIFS:
		return proto_notify_encode(o, fd, f);
	case K_EMOJI: case K_REACTIONS: case K_FLAG:
		return proto_msgs_encode(o, fd, f);
	case K_RECEIPTS: case K_HITS: case K_ROOMINFOS:
		return proto_rooms_encode(o, fd, f);
	case K_RANGE: case K_COMMENT: case K_COMMENTS:
		return proto_comments_encode(o, fd, f);
	case K_SUGGESTIONS:
		return proto_suggest_encode(o, fd, f);
	case K_DOCREF: case K_DOCINFOS:
		return proto_doclist_encode(o, fd, f);
	default: {
		size_t n = *(const size_t *)(src + sizeof(void *));
		if (n == 0 && !(fd->flags & (REQ | ALWAYS)))
			return true;
		cJSON *a = encode_array(fd, f);
		return a != NULL && cJSON_AddItemToObject(o, fd->name, a);
	}
	}
}

bool
proto_encode_fields(cJSON *o, const struct field *fields, const struct proto_frame *f)
{
	for (const struct field *fd = fields; fd->name != NULL; fd++)
		if (!encode_field(o, fd, f))
			return false;
	return true;
}

char *
proto_encode(const struct proto_frame *f, enum proto_dir dir)
{
	const struct row *row = proto_find_row(dir, f->type);
	if (row == NULL)
		return NULL;
	cJSON *o = cJSON_CreateObject();
	char *out = NULL;
	if (o != NULL && cJSON_AddStringToObject(o, "type", proto_type_name(f->type)) &&
	    proto_encode_fields(o, row->fields, f))
		out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}

/* A marker no printed JSON holds: cJSON escapes every control character
 * inside strings and writes none outside them. */
#define SPLIT_MARK "\x01"

bool
proto_encode_split(const struct proto_frame *f, enum proto_dir dir,
    const char *const *fields, size_t nfields, char **pieces)
{
	const struct row *row = proto_find_row(dir, f->type);
	if (row == NULL || nfields == 0)
		return false;
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL && cJSON_AddStringToObject(o, "type", proto_type_name(f->type));
	size_t marked = 0;
	for (const struct field *fd = row->fields; ok && fd->name != NULL; fd++) {
		bool split = marked < nfields && strcmp(fd->name, fields[marked]) == 0;
		if (split) {
			ok = cJSON_AddRawToObject(o, fd->name, SPLIT_MARK) != NULL;
			marked++;
		} else {
			ok = encode_field(o, fd, f);
		}
	}
	char *text = ok && marked == nfields ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	if (text == NULL)
		return false;
	const char *p = text;
	for (size_t i = 0; i <= nfields; i++) {
		const char *m = i < nfields ? strchr(p, SPLIT_MARK[0]) : p + strlen(p);
		pieces[i] = m ? strndup(p, (size_t)(m - p)) : NULL;
		if (pieces[i] == NULL) {
			while (i-- > 0)
				free(pieces[i]);
			free(text);
			return false;
		}
		p = m + 1;
	}
	free(text);
	return true;
}

static char *
print_item(cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return s;
}

char *
proto_encode_message_item(const struct proto_message *m)
{
	return print_item(encode_message(m));
}

char *
proto_encode_member_item(const struct proto_member *m)
{
	return print_item(encode_member(m));
}

size_t
proto_json_escape(const char *s, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c >= 0x20) {
			*o++ = (char)c;
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (c == '\t') {
			*o++ = '\\';
			*o++ = 't';
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	return (size_t)(o - out);
}

char *
proto_encode_error(enum proto_err code, const char *cid, const char *ref,
    const char *reason)
{
	struct proto_frame f = proto_frame_of(PT_ERROR);
	f.code = proto_err_name(code);
	f.reason = reason;
	f.cid = cid != NULL && *cid ? cid : NULL;
	f.ref = ref != NULL && *ref ? ref : NULL;
	return proto_encode(&f, PROTO_TO_CLIENT);
}
