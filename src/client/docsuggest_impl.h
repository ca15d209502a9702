/*
 * docsuggest_impl: what docsuggest.c (suggestions, drafting, frames) and
 * docsuggest_view.c (the shown text the pane draws) share. Internal to
 * the two files; see docsuggest.c for the rules.
 */
#ifndef CONFAB_CLIENT_DOCSUGGEST_IMPL_H
#define CONFAB_CLIENT_DOCSUGGEST_IMPL_H

#include "client/docs.h"
#include "model/suggest.h"

#define SUGGEST_PAUSE_MS 1000

struct item {
	long long id;
	char *user;
	struct suggest s; /* against the local text (s.rev unused) */
};

struct docsuggest {
	struct item *v;           /* the open suggestions, by id */
	size_t n, cap;
	bool protect, can_edit;
	bool on;
	char *base;               /* the local text the positions are in */
	size_t base_len;

	bool has_flight, flight_sent; /* my DOC_SUGGEST until it comes back */
	struct suggest flight;
	char flight_cid[17];

	bool has_draft, draft_due;
	struct ot_op draft;       /* against the local text */
	struct doclayout dlay;    /* the local text with the draft applied */
	struct dl_view dview;     /* my cursor there */
	int64_t edited;           /* when the draft last changed (mono ms) */

	struct doclayout slay;    /* what the pane shows */
	struct dl_view sview;
	bool shown;
	struct ui_doc_span *spans;
	size_t nspans, scap;
	size_t *map;              /* local position -> shown position */
	size_t mapcap;
	char sync[80];
};

/* d's state, made on first use. */
struct docsuggest *docsuggest_state_of(struct docs *d);
/* Moves everything held from the text it is at to the local text now. */
void docsuggest_sync(struct docs *d);

#endif
