/*
 * docs: the shared-document pane of the client, one document at a time
 * (several open at once are several of these: docset.h).
 *
 * docs.c speaks the protocol (docs/protocol.md, "Shared documents"):
 * DOC_OPEN -> DOC_STATE makes the local OT client (model/otclient) and
 * the text mirror the pane draws (ui/doclayout); DOC_OP, ACK and CURSOR
 * feed the OT client; its sends go out paced (at most one DOC_OP and one
 * CURSOR per DOCS_GAP_MS, both limited by the server's rate limit). When
 * the link drops, edits go on locally; after the next WELCOME the document
 * is reopened with since = the revision held, the replayed operations are
 * applied (my own one among them is its ACK), and on DOC_STATE the op in
 * flight is sent again as first sent. A server that no longer has that
 * revision (rev_too_old) gets a fresh DOC_OPEN; only then, and only if
 * there were unsent edits, are they lost to the document: the local text
 * is written to the state directory and the user is told where.
 *
 * docedit.c turns keys into cursor motion and edits while the pane has
 * the keys; docview.c lists revisions, shows an old one read-only in the
 * same pane, and makes what ui_draw shows; docstore.c keeps unsent edits
 * across a restart (see there).
 */
#ifndef CONFAB_CLIENT_DOCS_H
#define CONFAB_CLIENT_DOCS_H

#include <stdbool.h>
#include <stdint.h>

#include "client/port.h"
#include "model/otclient.h"
#include "model/proto.h"
#include "ui/doclayout.h"
#include "ui/ui.h"

#define DOCS_GAP_MS 100   /* at least this between two DOC_OPs, two CURSORs */

struct docs_edit;
struct docstore_sent;
struct docstore_restore;
struct doccomments;
struct docsuggest;

/* A named revision, as the last DOC_HISTORY said. */
struct docs_name {
	char *name;
	long long rev;
};

/* docversion.c's state: the names known, and a /doc restore or /doc diff
 * waiting for the names (names_cid) or for its texts (get_cid). */
enum docs_ver_op { DV_NONE, DV_RESTORE, DV_DIFF };
struct docs_ver {
	struct docs_name *names;
	size_t nnames;
	char tag_cid[17], names_cid[17], get_cid[2][17];
	char *tag_name;              /* of the DOC_TAG awaiting its ACK */
	long long tag_rev;
	enum docs_ver_op op;
	char *arg[2];                /* as typed: revisions or names */
	long long rev[2];
	char *text[2];
	bool diff;                   /* the read-only pane shows a diff */
	char title[320];
};

enum docs_state {
	DOCS_CLOSED,
	DOCS_OPENING,   /* waiting to send, or for, the first DOC_STATE */
	DOCS_CATCHUP,   /* reopened with since: replayed ops, then DOC_STATE */
	DOCS_LIVE,
	DOCS_OFFLINE,   /* the link is down; edits stay local */
};

struct docs {
	const struct client_port *port;
	const char *user, *server, *state_dir; /* the core's; outlive docs */
	bool online;                 /* WELCOME seen on this connection */
	char *room, *name;           /* the open document, NULL when none */
	enum docs_state state;
	struct otclient *ot;         /* NULL until the first DOC_STATE */
	struct doclayout lay;        /* the live text, as the pane draws it */
	struct dl_view view;
	bool focused, full;
	bool focus_before_ro;        /* where the keys were before /doc rev */
	int rows;                    /* text rows at the last draw */

	char open_cid[17], hist_cid[17], get_cid[17];
	unsigned inflight_edits, buffered_edits;
	size_t inflight_bytes, buffered_bytes; /* text they insert */
	size_t max_frame;            /* the server's, from WELCOME */
	size_t max_doc;              /* code points, from WELCOME; 0 unknown */
	bool unmerged;               /* the last reopen lost unsent edits */

	bool ro;                     /* showing an old revision, read-only */
	bool ro_loaded;
	bool ro_told;                /* "read-only" said once for this view */
	long long ro_rev;
	struct doclayout ro_lay;
	struct dl_view ro_view;

	bool op_due, cursor_due;     /* waiting for their gap to pass */
	int64_t op_sent, cursor_sent; /* mono ms */
	int64_t wake_at;             /* when a due send's gap has passed */

	int64_t saved_at;            /* mono ms of the last docstore write */
	bool save_due;
	struct docstore_sent *sent;  /* the op in flight as transmitted */
	struct docstore_restore *restore; /* a restore in progress */

	struct docs_ver ver;
	struct doccomments *comments; /* doccomments.c, NULL until needed */
	struct docsuggest *sug;      /* docsuggest.c; NULL until needed */

	struct docs_edit *edit;      /* docedit.h: selection, kill ring, find;
	                                kept across documents */
	struct ui_doc_cursor *others;
	size_t nothers;
	char sync[48];
	struct ui_doc ui;
	struct ui_doc_span *spans;   /* what the pane decorates, gathered */
	size_t nspans, spans_cap;
};

/* docs.c: opening, closing, the protocol, the link. */
void docs_init(struct docs *d, const struct client_port *port,
    const char *user, const char *server, const char *state_dir);
void docs_free(struct docs *d);
void docs_open(struct docs *d, const char *room, const char *name);
/* false (and a notice) when unsent edits would be lost and !force. */
bool docs_close(struct docs *d, bool force);
void docs_parted(struct docs *d, const char *room);
/* The user was removed from room (a kick, a ban): its document closes at
 * once, unsent edits kept in a file. */
void docs_room_lost(struct docs *d, const char *room);
/* A frame from the server; true when it was the document's alone. */
bool docs_frame(struct docs *d, const struct proto_frame *f);
void docs_welcome(struct docs *d);
void docs_offline(struct docs *d);
/* When docs_tick has something to do (INT64_MAX: nothing). */
int64_t docs_deadline(const struct docs *d);
void docs_tick(struct docs *d);
/* My edits went to the OT client (st0: its state before): count them,
 * send what is ready, bring the mirror and the cursor along. */
void docs_after_local(struct docs *d, enum otclient_state st0,
    const struct otclient_send *send, const struct ot_op *op, size_t bytes);
/* My selection changed: send it when the gap allows. */
void docs_cursor_moved(struct docs *d);
/* Edits not yet acknowledged. */
unsigned docs_pending(const struct docs *d);
/* Whether an edit inserting bytes still fits in one DOC_OP frame with the
 * edits it would be composed with; false after telling the user. */
bool docs_fits(struct docs *d, size_t bytes);
/* Frames about the open document, and sending them when connected. */
struct proto_frame docs_frame_of(struct docs *d, enum proto_type t);
void docs_send_frame(struct docs *d, const struct proto_frame *f);
/* Sends DOC_OPEN (with since = the revision held, or fresh). */
void docs_send_open(struct docs *d, bool since);
/* Writes text (edits that could not be merged) to the state directory
 * and tells the user where. */
void docs_keep_unmerged(struct docs *d, const char *text, size_t len,
    const char *why);

/* docview.c: revisions, an old revision read-only, what the pane shows. */
void docs_history(struct docs *d, long long before);
void docs_show_rev(struct docs *d, long long rev);
void docs_live(struct docs *d);
void docs_note_readonly(struct docs *d);
void docs_on_history(struct docs *d, const struct proto_frame *f);
void docs_on_text(struct docs *d, const struct proto_frame *f);
/* The pane for ui_draw (NULL when no document is open), and what the
 * draw did with it. */
const struct ui_doc *docs_view(struct docs *d);
void docs_drawn(struct docs *d, const struct ui_drawn *drawn);

/* docversion.c: named revisions, restoring one, the diff of two. A rev
 * argument is a revision number or a name. The frame hooks are true when
 * the frame was theirs. */
void docs_tag(struct docs *d, const char *name);
void docs_restore(struct docs *d, const char *rev);
void docs_diff(struct docs *d, const char *a, const char *b);
void docver_names(struct docs *d, const struct proto_frame *f);
/* The names of rev, ", "-separated, for the history's lines ("" if none). */
void docver_names_of(const struct docs *d, long long from, long long to,
    char *buf, size_t len);
bool docver_history(struct docs *d, const struct proto_frame *f);
bool docver_text(struct docs *d, const struct proto_frame *f);
bool docver_ack(struct docs *d, const struct proto_frame *f);
bool docver_error(struct docs *d, const struct proto_frame *f);
void docver_free(struct docs *d);

/* doccomments.c: the document's comments (see there). */
void doccomments_free(struct docs *d);
void doccomments_state(struct docs *d, const struct proto_frame *f);
/* The server's revision rev, op (before the OT client transforms it). */
void doccomments_server_op(struct docs *d, size_t rev, const struct ot_op *op);
/* COMMENT, COMMENT_DELETE, a comment's ACK or ERROR: true when its. */
bool doccomments_frame(struct docs *d, const struct proto_frame *f);
void doccomments_comment(struct docs *d, const char *text);
void doccomments_reply(struct docs *d, const char *text);
void doccomments_resolve(struct docs *d, bool resolved);
void doccomments_edit(struct docs *d, const char *text);
void doccomments_delete(struct docs *d);
/* Alt-c / Alt-C, Enter on a comment, Esc on its thread: true when taken. */
bool doccomments_key(struct docs *d, struct ui_intent *in);
bool doccomments_thread_open(const struct docs *d);
/* /comments: the list of them all, in place of the messages. */
void doccomments_show_all(struct docs *d);
/* The thread or that list, shown in place of the messages, or NULL. */
const struct ui_list *doccomments_list(struct docs *d);
/* The spans and the status line of the pane. */
void doccomments_view(struct docs *d, struct ui_doc *u);

/* docedit.c: a key while the pane has the keys; true when it took it. */
bool docs_key(struct docs *d, struct ui_intent *in);
void docs_toggle_focus(struct docs *d);
void docs_toggle_layout(struct docs *d);

/* docsuggest.c: suggestions, suggesting mode, protected documents (see
 * there). docsuggest_frame takes the suggestion frames (true when the
 * frame was its); docsuggest_state and docsuggest_op follow DOC_STATE
 * (after it is applied) and DOC_OP (before); docsuggest_key comes before
 * the pane's own keys; docsuggest_view rewrites the live pane to show the
 * suggestions, docsuggest_drawn keeps what the draw did with it (true
 * when the pane drew its text). */
bool docsuggest_frame(struct docs *d, const struct proto_frame *f);
void docsuggest_state(struct docs *d, const struct proto_frame *f);
void docsuggest_op(struct docs *d, const struct proto_frame *f);
bool docsuggest_key(struct docs *d, struct ui_intent *in);
void docsuggest_view(struct docs *d, struct ui_doc *u);
bool docsuggest_drawn(struct docs *d, const struct ui_drawn *dr);
/* While the pane shows the suggestions' text: that text and its view (for
 * the mouse), and the local position a place in it stands for (inserted
 * text: where it would go). */
bool docsuggest_point(struct docs *d, struct doclayout **lay,
    struct dl_view **view);
size_t docsuggest_local_of(const struct docs *d, size_t shown);
/* Whether a change not drafted as a suggestion (a cut, a yank, a file
 * loaded, a redo) may be made now; false after telling the user why. */
bool docsuggest_may_change(struct docs *d, const char *what);
int64_t docsuggest_deadline(const struct docs *d);
void docsuggest_tick(struct docs *d);
void docsuggest_free(struct docs *d);
/* /doc suggest on|off, /doc accept|reject [ID] (0: under the cursor),
 * /doc suggestions, /doc protect on|off. */
bool docsuggest_on(const struct docs *d);
/* Whether the server lets me edit the document (DOC_STATE's can_edit). */
bool docsuggest_can_edit(const struct docs *d);
void docsuggest_set(struct docs *d, bool on);
void docsuggest_decide(struct docs *d, bool accept, long long id);
void docsuggest_list(struct docs *d);
void docsuggest_protect(struct docs *d, bool on);
/* A /doc sub-command of these (sub, its argument); false when sub is none
 * of them. */
bool docsuggest_command(struct docs *d, const char *sub, const char *arg);

/* docstore.c: unsent edits across a restart (see there). */
void docstore_sent(struct docs *d, const char *cid, size_t rev,
    const struct ot_op *op);
void docstore_acked(struct docs *d, const char *cid);
void docstore_tick(struct docs *d);      /* saves when due, at most every 2 s */
int64_t docstore_deadline(const struct docs *d); /* when that is */
void docstore_save(struct docs *d);      /* now: the link dropped, quitting */
void docstore_clear(struct docs *d);
void docstore_free(struct docs *d);
/* At start: reopens the document whose unsent edits the file at path
 * keeps, into d (no document open); true when it did (the caller opens
 * d->room in the room list). */
bool docstore_restore(struct docs *d, const char *path);
/* The files of user's documents with unsent edits (*paths: malloc'd
 * strings in a malloc'd array), and the name of one document's. */
size_t docstore_kept(const char *state_dir, const char *user, char ***paths);
char *docstore_path(const char *state_dir, const char *user, const char *room,
    const char *name);
/* The cid of the edit in flight as transmitted, or NULL. */
const char *docstore_sent_cid(const struct docs *d);
bool docstore_restoring(const struct docs *d);
void docstore_welcome(struct docs *d);
/* The restore's DOC_TEXT or ERROR; true when the frame was its. */
bool docstore_text(struct docs *d, const struct proto_frame *f);
bool docstore_error(struct docs *d, const struct proto_frame *f);
void docstore_reached(struct docs *d);   /* after each replayed operation */
void docstore_caught_up(struct docs *d); /* DOC_STATE after the replay */

#endif
