/*
 * doc: the text of a shared document, in a structure that makes edits at
 * code-point positions cheap on large documents (a gap buffer of UTF-8 bytes;
 * doc.c explains the choice, with measurements).
 *
 * Owns: the document's bytes, always valid UTF-8 (NUL bytes allowed).
 * Never does: I/O, revisions or undo history, and never hands out pointers
 * into its storage (doc_text and doc_slice return copies).
 *
 * Positions and counts are Unicode code points. Functions that can fail
 * return a status and leave the document untouched on failure (running out
 * of memory aborts: model/xmalloc.h).
 */
#ifndef CONFAB_DOC_H
#define CONFAB_DOC_H

#include <stddef.h>

#include "model/ot.h"

enum doc_status {
	DOC_OK = 0,
	DOC_EINVAL, /* text is not valid UTF-8 */
	DOC_ERANGE, /* a position or range beyond the end of the document */
};

struct doc;

/* An empty document, or one holding utf8[0..len). doc_new_from gives NULL
 * when the text is not valid UTF-8; doc_new never fails. */
struct doc *doc_new(void);
struct doc *doc_new_from(const char *utf8, size_t len);
void doc_free(struct doc *doc);

size_t doc_length(const struct doc *doc); /* in code points */
size_t doc_bytes(const struct doc *doc);  /* in bytes of UTF-8 */

/* The whole text as a new NUL-terminated string to free(); its byte length
 * in *len when len is not NULL. */
char *doc_text(const struct doc *doc, size_t *len);

/* Copies cp_count code points from cp_pos into a new NUL-terminated string
 * (*out, to free(); byte length in *out_len when not NULL). */
enum doc_status doc_slice(const struct doc *doc, size_t cp_pos,
    size_t cp_count, char **out, size_t *out_len);

/* Inserts valid UTF-8 utf8[0..len) before code point cp_pos (0..length). */
enum doc_status doc_insert(struct doc *doc, size_t cp_pos, const char *utf8,
    size_t len);

/* Deletes cp_count code points starting at cp_pos; the range must lie inside
 * the document. */
enum doc_status doc_delete(struct doc *doc, size_t cp_pos, size_t cp_count);

/* Applies op in place, walking its components (no rebuild of the text).
 * OT_ELENGTH, the document untouched, when op's base length is not the
 * document's length. */
enum ot_status ot_apply_doc(struct doc *doc, const struct ot_op *op);

/* ot_invert against the document op is about to be applied to (before):
 * OT_ELENGTH when op's base length is not its length, OT_EINVAL when the
 * text op deletes holds U+0000. */
enum ot_status ot_invert_doc(const struct ot_op *op, const struct doc *before,
    struct ot_op *out);

#endif
