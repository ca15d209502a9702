/*
 * proto_fixture: what the protocol's unit tests share: comparing strings
 * by field, encoding and decoding back, and refusals. Included once by a
 * test file, after <cmocka.h>; a test that uses held names release_held
 * as its teardown.
 */
#ifndef CONFAB_TESTS_PROTO_FIXTURE_H
#define CONFAB_TESTS_PROTO_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "model/proto.h"
#include "model/utf8.h"

/* Fails naming the field unless both are NULL or both the same string. */
static inline void
same_str(const char *field, const char *want, const char *got)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp(want, got) != 0)
		fail_msg("%s: want %s%s%s, got %s%s%s", field,
		    want ? "\"" : "", want ? want : "NULL", want ? "\"" : "",
		    got ? "\"" : "", got ? got : "NULL", got ? "\"" : "");
}

/*
 * What a helper holds while it asserts: a failed assertion jumps out of the
 * test, and the teardown releases these so a failure does not also leak.
 */
static struct {
	char *json;
	struct proto_frame frame;
} held;

static inline int
release_held(void **state)
{
	(void)state;
	free(held.json);
	held.json = NULL;
	proto_frame_free(&held.frame);
	return 0;
}

/* Decodes json into held.frame (failing the test if it is refused). */
static inline const struct proto_frame *
decoded(const char *json, enum proto_dir dir)
{
	proto_frame_free(&held.frame);
	struct proto_error err;
	if (!proto_decode(json, strlen(json), dir, &held.frame, &err))
		fail_msg("decode failed: %s (%s) on %s", proto_err_name(err.code),
		    err.reason, json);
	return &held.frame;
}

/* Encodes f into held.json (valid UTF-8), decodes it back into held.frame
 * and returns that, of f's type. */
static inline const struct proto_frame *
round_trip(const struct proto_frame *f, enum proto_dir dir)
{
	release_held(NULL);
	held.json = proto_encode(f, dir);
	assert_non_null(held.json);
	assert_true(utf8_valid(held.json, strlen(held.json)));
	decoded(held.json, dir);
	assert_int_equal(held.frame.type, f->type);
	return &held.frame;
}

/* A round trip whose frame `same` compares with in, then released. */
static inline void
round_trip_same(const struct proto_frame *in, enum proto_dir dir,
    void (*same)(const struct proto_frame *want, const struct proto_frame *got))
{
	same(in, round_trip(in, dir));
	release_held(NULL);
}

/* The code json is refused with (failing the test if it is accepted);
 * every refusal has a reason. */
static inline enum proto_err
refusal(const char *json, enum proto_dir dir)
{
	struct proto_frame f;
	struct proto_error err;
	if (proto_decode(json, strlen(json), dir, &f, &err)) {
		proto_frame_free(&f);
		fail_msg("accepted: %s", json);
	}
	assert_true(err.reason[0] != '\0');
	return err.code;
}

#endif
