/*
 * doccomments_impl: what doccomments.c (the comments' state, frames and
 * requests) shares with doccomview.c (the thread, the list of them all,
 * the keys and what the pane shows). Internal to the two files.
 */
#ifndef CONFAB_CLIENT_DOCCOMMENTS_IMPL_H
#define CONFAB_CLIENT_DOCCOMMENTS_IMPL_H

#include "client/docs.h"
#include "model/anchor.h"

#define ROWS_MAX 256 /* rows of the thread's list */

struct dreply {
	long long id;
	char *user, *text;
	int64_t ts;
};

struct dcomment {
	long long id;
	char *user, *text, *resolved_by;
	int64_t ts, edited_ts;
	struct anchor a;            /* at the server revision cm->rev */
	struct dreply *replies;
	size_t nreplies;
};

struct doccomments {
	struct dcomment *v;
	size_t n, cap;
	size_t rev;                 /* the server revision the ranges are at */
	long long current;          /* the comment under the cursor, 0: none */
	bool jumped;                /* gone to with Alt-c, the cursor still at */
	size_t jump_at;             /* where it went: there Enter opens it */
	bool thread;                /* its thread is shown */
	bool listing;               /* the list of every comment is shown */
	size_t sel;                 /* the list's selected row */
	bool was_full;              /* the pane was full before the thread or
	                               the list */
	char cid[17];               /* the last request, for its ERROR */
	struct ui_doc_span *spans;
	size_t nspans;
	char status[480];
	struct ui_list list;
	struct ui_list_row rows[ROWS_MAX];
	char *rowtext[ROWS_MAX];
	size_t nrows;
	char title[240];
};

void dcm_rows_free(struct doccomments *cm);
struct dcomment *dcm_find(struct doccomments *cm, long long id);
/* The range as I see it: moved through what is pending. */
struct anchor dcm_local(const struct docs *d, const struct dcomment *c);
/* The comment under the cursor becomes current (see doccomments.c). */
void dcm_follow_cursor(struct docs *d, struct doccomments *cm);
/* Alt-c (dir 1) / Alt-C (-1). */
void dcm_go(struct docs *d, int dir);
/* The cursor to c's start; c is current, Enter opens its thread. */
void dcm_go_to(struct docs *d, struct dcomment *c);

#endif
