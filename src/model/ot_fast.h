/*
 * ot_fast: a quick reader for the text of an operation in its plain form,
 * the one ot_encode writes and a store holds: an array of integers and
 * strings, nothing else. ot_decode tries it first; anything it does not
 * take (another form, or a rule broken) goes to the full reader, which
 * also finds the words for the error. So it accepts exactly a subset of
 * what ot_decode accepts, and builds the same op with the same builders.
 *
 * A document's log is loaded from thousands of stored operations: through
 * a cJSON tree that costs an allocation and a strtod per component, here
 * one pass over the text.
 */
#ifndef CONFAB_OT_FAST_H
#define CONFAB_OT_FAST_H

#include <stdbool.h>
#include <stddef.h>

#include "model/ot.h"

/* True with *out (to ot_free) when json[0..len) is a valid operation in
 * the plain form; false, out untouched, otherwise. */
bool ot_decode_fast(const char *json, size_t len, struct ot_op *out);

#endif
