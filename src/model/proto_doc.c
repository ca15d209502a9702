/*
 * proto_doc: the shared-document frames of confab.v1 (docs/protocol.md,
 * "Shared documents"): their table rows and the value kinds only they use.
 *
 * An operation is checked for shape only (an array of finite numbers and
 * strings, reported as bad_op); the OT engine validates it fully, since
 * only it knows the normal form. It is never copied: a decoded frame
 * points into its parse tree, and an encoded one prints the caller's array
 * through a cJSON reference. cJSON allocates through xmalloc
 * (xmalloc_init_cjson), so building a tree is never checked for memory;
 * an encoder fails only for a required field that is missing.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/proto_impl.h"
#include "model/xmalloc.h"

const struct row proto_doc_to_server[] = {
	{PT_DOC_OPEN, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ),
	    I(since, K_INT, OPT), S(cid, K_CID, OPT), END}},
	{PT_DOC_CLOSE, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ),
	    S(cid, K_CID, OPT), END}},
	{PT_DOC_OP, {S(cid, K_CID, REQ), S(room, K_ROOM, REQ), S(doc, K_DOC, REQ),
	    I(rev, K_INT, REQ), S(op, K_OP, REQ), END}},
	{PT_CURSOR, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ), I(rev, K_INT, REQ),
	    {"sel", K_SEL, ALWAYS, FO(sel), (long)FO(has_sel)}, END}},
	{PT_DOC_HISTORY, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ),
	    I(before, K_INT, OPT), I(limit, K_POSINT, OPT), S(cid, K_CID, OPT), END}},
	{PT_DOC_GET, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ), I(rev, K_INT, REQ),
	    S(cid, K_CID, OPT), END}},
	{PT_DOC_TAG, {S(cid, K_CID, REQ), S(room, K_ROOM, REQ), S(doc, K_DOC, REQ),
	    I(rev, K_INT, REQ), S(name, K_STR, REQ), END}},
};
const size_t proto_doc_to_server_n =
    sizeof proto_doc_to_server / sizeof *proto_doc_to_server;

const struct row proto_doc_to_client[] = {
	{PT_DOC_OP, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ), I(rev, K_POSINT, REQ),
	    S(op, K_OP, REQ), S(user, K_USER, REQ), S(cid, K_CID, OPT),
	    I(ts, K_INT, REQ), PROTO_SUGGEST_OP_FIELDS, END}},
	{PT_DOC_STATE, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ), I(rev, K_INT, REQ),
	    S(text, K_STR, OPT), S(cid, K_CID, OPT),
	    {"cursors", K_CURSORS, ALWAYS, FO(cursors), -1},
	    PROTO_COMMENTS_STATE_FIELDS, PROTO_SUGGEST_STATE_FIELDS, END}},
	{PT_CURSOR, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ), I(rev, K_INT, REQ),
	    S(user, K_USER, REQ), S(session, K_STR, REQ),
	    {"sel", K_SEL, ALWAYS, FO(sel), (long)FO(has_sel)}, END}},
	{PT_DOC_HISTORY, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ),
	    S(cid, K_CID, OPT), {"revisions", K_REVISIONS, ALWAYS, FO(revisions), -1},
	    S(more, K_BOOL, REQ), {"tags", K_TAGS, OPT, FO(tags), -1}, END}},
	{PT_DOC_TEXT, {S(room, K_ROOM, REQ), S(doc, K_DOC, REQ), I(rev, K_INT, REQ),
	    S(text, K_STR, REQ), S(cid, K_CID, OPT), END}},
};
const size_t proto_doc_to_client_n =
    sizeof proto_doc_to_client / sizeof *proto_doc_to_client;

static const struct field cursor_fields[] = {
	S(user, K_USER, REQ), S(session, K_STR, REQ),
	{"sel", K_SEL, ALWAYS, FO(sel), (long)FO(has_sel)}, END,
};

static const struct field revision_fields[] = {
	I(rev, K_POSINT, REQ), S(user, K_USER, REQ), I(ts, K_INT, REQ), END,
};

static const struct field tag_fields[] = {
	S(name, K_STR, REQ), I(rev, K_INT, REQ), S(user, K_USER, REQ),
	I(ts, K_INT, REQ), END,
};

static const struct field *
element_fields(enum kind kind)
{
	return kind == K_CURSORS ? cursor_fields : kind == K_TAGS ? tag_fields
	    : revision_fields;
}

static size_t
element_size(enum kind kind)
{
	return kind == K_CURSORS ? sizeof(struct proto_cursor)
	    : kind == K_TAGS ? sizeof(struct proto_tag) : sizeof(struct proto_revision);
}

/* ---- decoding ------------------------------------------------------------ */

static bool
decode_op(const cJSON *v, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	if (!cJSON_IsArray(v))
		return proto_fail(err, PE_BAD_OP, "%s must be an array", fd->name);
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsNumber(e) && !cJSON_IsString(e))
			return proto_fail(err, PE_BAD_OP,
			    "%s holds only integers and strings", fd->name);
		/* 1e999 parses as infinity, which would be encoded as null */
		if (cJSON_IsNumber(e) && !isfinite(e->valuedouble))
			return proto_fail(err, PE_BAD_OP, "%s holds a number out of range",
			    fd->name);
	}
	*(const cJSON **)((char *)f + fd->off) = v;
	return true;
}

static bool
decode_sel(const cJSON *v, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	int64_t *sel = (int64_t *)((char *)f + fd->off);
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 ||
	    !proto_get_int(cJSON_GetArrayItem(v, 0), 0, &sel[0]) ||
	    !proto_get_int(cJSON_GetArrayItem(v, 1), 0, &sel[1]))
		return proto_fail(err, PE_BAD_FIELD,
		    "%s must be [anchor, head] (integers >= 0) or null", fd->name);
	*(bool *)((char *)f + fd->has) = true;
	return true;
}

/* Array elements reuse the tables through a scratch frame, as proto.c does
 * for messages and members. */
static bool
decode_element(const cJSON *e, enum kind kind, void *arr, size_t i,
    struct proto_error *err)
{
	struct proto_frame t;
	bool cursor = kind == K_CURSORS;
	if (!proto_decode_item(e, cursor ? "cursors" : kind == K_TAGS ? "tags"
	    : "revisions", element_fields(kind), &t, err))
		return false;
	if (kind == K_TAGS)
		((struct proto_tag *)arr)[i] = (struct proto_tag){t.name, t.rev,
		    t.user, t.ts};
	else if (cursor)
		((struct proto_cursor *)arr)[i] = (struct proto_cursor){t.user,
		    t.session, t.has_sel, {t.sel[0], t.sel[1]}};
	else
		((struct proto_revision *)arr)[i] = (struct proto_revision){t.rev,
		    t.user, t.ts};
	return true;
}

static bool
decode_list(const cJSON *v, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	int n = proto_array_size(v, fd, err);
	if (n < 0)
		return false;
	size_t size = element_size(fd->kind);
	void *arr = xcalloc((size_t)n, size); /* n bounded above */
	*(void **)((char *)f + fd->off) = arr;
	*(size_t *)((char *)f + fd->off + sizeof(void *)) = (size_t)n;
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		if (!decode_element(e, fd->kind, arr, i++, err))
			return false;
	}
	return true;
}

bool
proto_doc_decode(const cJSON *v, const struct field *fd, struct proto_frame *f,
    struct proto_error *err)
{
	switch (fd->kind) {
	case K_OP:
		return decode_op(v, fd, f, err);
	case K_SEL:
		return decode_sel(v, fd, f, err);
	default:
		return decode_list(v, fd, f, err);
	}
}

/* ---- encoding ------------------------------------------------------------ */

/* Integers are printed exactly, as proto_add_int does for fields. */
static void
append_int(cJSON *a, int64_t v)
{
	char num[24];
	snprintf(num, sizeof num, "%" PRId64, v);
	cJSON_AddItemToArray(a, cJSON_CreateRaw(num));
}

static cJSON *
encode_sel(bool has, const int64_t sel[2])
{
	if (!has)
		return cJSON_CreateNull();
	cJSON *a = cJSON_CreateArray();
	append_int(a, sel[0]);
	append_int(a, sel[1]);
	return a;
}

static cJSON *
encode_element(enum kind kind, const void *arr, size_t i)
{
	struct proto_frame t;
	memset(&t, 0, sizeof t);
	const struct field *fields = element_fields(kind);
	if (kind == K_TAGS) {
		const struct proto_tag *g = (const struct proto_tag *)arr + i;
		t.name = g->name;
		t.rev = g->rev;
		t.has_rev = true;
		t.user = g->user;
		t.ts = g->ts;
		t.has_ts = true;
	} else if (kind == K_CURSORS) {
		const struct proto_cursor *c = (const struct proto_cursor *)arr + i;
		t.user = c->user;
		t.session = c->session;
		t.has_sel = c->has_sel;
		t.sel[0] = c->sel[0];
		t.sel[1] = c->sel[1];
	} else {
		const struct proto_revision *r = (const struct proto_revision *)arr + i;
		t.rev = r->rev;
		t.has_rev = true;
		t.user = r->user;
		t.ts = r->ts;
		t.has_ts = true;
	}
	cJSON *o = cJSON_CreateObject();
	if (!proto_encode_fields(o, fields, &t)) { /* a required field is missing */
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
encode_list(const struct field *fd, const struct proto_frame *f)
{
	const char *base = (const char *)f + fd->off;
	const void *arr = *(void *const *)base;
	size_t n = *(const size_t *)(base + sizeof(void *));
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; arr != NULL && i < n; i++) {
		cJSON *e = encode_element(fd->kind, arr, i);
		if (e == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
		cJSON_AddItemToArray(a, e);
	}
	return a;
}

bool
proto_doc_encode(cJSON *o, const struct field *fd, const struct proto_frame *f)
{
	const char *src = (const char *)f + fd->off;
	cJSON *v;
	switch (fd->kind) {
	case K_OP: {
		const cJSON *op = *(const cJSON *const *)src;
		if (op == NULL)
			return !(fd->flags & REQ);
		/* a reference: printed in place, never freed with o */
		return cJSON_AddItemReferenceToObject(o, fd->name, (cJSON *)op);
	}
	case K_SEL:
		v = encode_sel(*(const bool *)((const char *)f + fd->has),
		    (const int64_t *)src);
		break;
	default:
		if (fd->kind == K_TAGS && f->ntags == 0)
			return true; /* left out: most documents have none */
		if ((v = encode_list(fd, f)) == NULL)
			return false;
	}
	cJSON_AddItemToObject(o, fd->name, v);
	return true;
}
