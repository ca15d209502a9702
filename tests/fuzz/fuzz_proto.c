/*
 * fuzz_proto: the confab.v1 frame decoder (model/proto*), both directions.
 *
 * The input is one text frame, decoded as a client's frame (what confabd
 * reads) and as a server's (what confab reads). Beyond not crashing:
 *
 *   - a frame that is accepted was JSON, and its parse tree holds every
 *     string, key and number exactly as jsonref reads them (nothing cut at
 *     a NUL, nothing made up by a lenient parser);
 *   - what is accepted encodes again, and decoding that encoding gives the
 *     same encoding (the codec's two halves agree);
 *   - what is refused gets a stable code and a reason, and the ERROR frame
 *     the server would answer with is itself a valid frame, valid UTF-8,
 *     echoing the cid and type that were readable;
 *   - an operation in a DOC_OP frame goes through ot_decode_json, as the
 *     server's would.
 */
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "fuzz.h"
#include "jsonref.h"
#include "model/names.h"
#include "model/ot.h"
#include "model/proto.h"
#include "model/utf8.h"

/*
 * cJSON alone is lenient (a \u escape without four hex digits becomes a
 * NUL that cuts the string short, control bytes pass as white space,
 * numbers such as 060 are read); proto.c checks every frame as strict
 * JSON first (model/jsoncheck), so every frame it accepts must be strict
 * JSON, read whole. The seeds lax-*.json hold the three cases that once
 * passed.
 */

/* The cJSON tree a decoder accepted against jsonref's reading of the same
 * text, member for member. */
static bool
same_tree(const cJSON *c, const struct jref *r)
{
	if (c->string != NULL && (strlen(c->string) != r->klen ||
	    memcmp(c->string, r->key, r->klen) != 0))
		return false;
	switch (r->type) {
	case JREF_NULL: return cJSON_IsNull(c);
	case JREF_FALSE: return cJSON_IsFalse(c);
	case JREF_TRUE: return cJSON_IsTrue(c);
	case JREF_NUMBER: return cJSON_IsNumber(c) && c->valuedouble == r->num;
	case JREF_STRING:
		return cJSON_IsString(c) && strlen(c->valuestring) == r->len &&
		    memcmp(c->valuestring, r->str, r->len) == 0;
	case JREF_ARRAY:
	case JREF_OBJECT:
		if (r->type == JREF_ARRAY ? !cJSON_IsArray(c) : !cJSON_IsObject(c))
			return false;
		const cJSON *k = c->child;
		for (size_t i = 0; i < r->nkids; i++, k = k->next)
			if (k == NULL || !same_tree(k, &r->kids[i]))
				return false;
		return k == NULL;
	}
	return false;
}

static void
check_faithful(const char *buf, size_t len, const struct proto_frame *f)
{
	struct jref ref;
	enum jref_result res = jref_parse(buf, len, &ref);
	FUZZ_CHECK(res == JREF_OK); /* accepted text is JSON */
	FUZZ_CHECK(same_tree(f->tree_, &ref));
	jref_free(&ref);
}

/* The ERROR frame that answers a refused frame must reach the client. */
static void
check_error_reply(const struct proto_error *err)
{
	FUZZ_CHECK(err->code != PE_OK && err->code < PE_COUNT);
	FUZZ_CHECK(memchr(err->reason, '\0', sizeof err->reason) != NULL);
	FUZZ_CHECK(err->reason[0] != '\0');
	FUZZ_CHECK(memchr(err->cid, '\0', sizeof err->cid) != NULL);
	FUZZ_CHECK(memchr(err->ref, '\0', sizeof err->ref) != NULL);
	FUZZ_CHECK(err->cid[0] == '\0' || names_valid_cid(err->cid));
	FUZZ_CHECK(err->ref[0] == '\0' || proto_type_parse(err->ref) != PT_NONE);

	char *reply = proto_encode_error(err->code, err->cid, err->ref,
	    err->reason);
	FUZZ_CHECK(reply != NULL);
	size_t n = strlen(reply);
	FUZZ_CHECK(utf8_valid(reply, n)); /* a WebSocket text frame */
	struct proto_frame f;
	struct proto_error e2;
	FUZZ_CHECK(proto_decode(reply, n, PROTO_TO_CLIENT, &f, &e2));
	FUZZ_CHECK(f.type == PT_ERROR);
	FUZZ_CHECK(strcmp(f.code, proto_err_name(err->code)) == 0);
	FUZZ_CHECK(strcmp(f.reason, err->reason) == 0);
	FUZZ_CHECK(strcmp(f.cid ? f.cid : "", err->cid) == 0);
	FUZZ_CHECK(strcmp(f.ref ? f.ref : "", err->ref) == 0);
	proto_frame_free(&f);
	free(reply);
}

static void
check_op(const struct proto_frame *f)
{
	if (f->op == NULL)
		return;
	struct ot_op op = OT_OP_INIT;
	char why[160];
	if (ot_decode_json(f->op, &op, why, sizeof why) == OT_OK) {
		char *s = ot_encode(&op);
		FUZZ_CHECK(s != NULL);
		free(s);
		ot_free(&op);
	} else {
		FUZZ_CHECK(op.comps == NULL); /* the output is left alone */
	}
}

static void
check_direction(const char *buf, size_t len, enum proto_dir dir)
{
	struct proto_frame f;
	struct proto_error err;
	if (!proto_decode(buf, len, dir, &f, &err)) {
		FUZZ_CHECK(f.type == PT_NONE && f.tree_ == NULL);
		check_error_reply(&err);
		return;
	}
	FUZZ_CHECK(f.type != PT_NONE && f.type < PT_COUNT);
	check_faithful(buf, len, &f);
	check_op(&f);

	char *once = proto_encode(&f, dir);
	FUZZ_CHECK(once != NULL);
	size_t n = strlen(once);
	FUZZ_CHECK(utf8_valid(once, n));
	struct proto_frame g;
	struct proto_error e2;
	FUZZ_CHECK(proto_decode(once, n, dir, &g, &e2));
	FUZZ_CHECK(g.type == f.type);
	char *twice = proto_encode(&g, dir);
	FUZZ_CHECK(twice != NULL && strcmp(once, twice) == 0);
	free(twice);
	proto_frame_free(&g);
	free(once);
	proto_frame_free(&f);
	FUZZ_CHECK(f.tree_ == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_bytes(data, size);
	check_direction(buf, size, PROTO_TO_SERVER);
	check_direction(buf, size, PROTO_TO_CLIENT);
	free(buf);
	return 0;
}
