/*
 * room: one room as the client sees it. A timeline of messages (confirmed
 * ones ordered by seq, then the user's pending ones in the order they were
 * sent), the members with their presence, who is typing, and the counters
 * the room list shows (unread, mentions).
 *
 * Merging rules, so that no line is ever missing or shown twice:
 * - a confirmed message is identified by its seq: adding one whose seq is
 *   already there changes nothing;
 * - a pending message is identified by its cid; when the server's MESSAGE
 *   or ACK for that cid arrives, the pending entry becomes the confirmed
 *   one in place (moved to its seq position), never a second line;
 * - HISTORY pages merge by the same rules, older pages before newer.
 * Pages and replays may arrive in any order and overlap: the result is the
 * same set of lines, each once, ordered by seq.
 *
 * Unread: a message counts (unread, and mentions when it mentions the local
 * user) only when it is new to the room, newer than read_seq, not the
 * local user's own, and the caller allows it. History never counts. On the
 * first snapshot of a room (nothing held, nothing read) read_seq starts at
 * the head, so that the backlog shown on joining is not news.
 *
 * Memory: each message is one piece of the room's arena (its text inline:
 * blocks filled in the order lines come, each freed once the last of its
 * lines goes), user names are interned once per room, and a room holds at
 * most `limit` confirmed
 * messages (room_set_limit): a new message past it drops the oldest (a
 * batch at a time) and more_before says the server has them, to page back
 * as history. last_seq, the resume point, is kept through a drop as
 * through room_clear. Allocation failure aborts (model/xmalloc.h).
 * Pure: no I/O, no clock (times are passed in), no curses.
 */
#ifndef CONFAB_ROOM_H
#define CONFAB_ROOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/proto.h"
#include "model/roles.h"

enum room_msg_state {
	ROOM_MSG_CONFIRMED, /* stored by the server: has seq and ts */
	ROOM_MSG_PENDING,   /* sent or queued, no ACK yet */
	ROOM_MSG_FAILED,    /* the server refused it: error holds why */
};

/* The users who reacted with one emoji (room_msg's extra). count is the
 * server's; users lists the first ones it named (at most 10) and is kept
 * up to date by live REACTIONs. */
struct room_reaction {
	char *emoji;
	int64_t count;
	char **users;
	size_t nusers;
};

/* What a message gained after it was sent: most messages have none, so
 * it is a separate allocation, owned by the message. */
struct room_extra {
	int64_t replies, last_reply; /* a thread's root: its replies */
	int64_t edited_ts;           /* 0: never edited */
	char *text;                  /* the edited text (m->text points here) */
	struct room_reaction *reactions; /* in the order of first reaction */
	size_t nreactions;
};

/* The header, then the text, in the room's arena. The server's message id
 * is not kept (nothing the client does needs it), nor another user's cid
 * (only the local user's identify a line). text is the body, or the
 * edited text in extra, or "" for a tombstone. */
struct room_msg {
	int64_t seq;        /* 0 unless confirmed */
	int64_t ts;         /* server time when confirmed, local send time else */
	const char *user;   /* interned in the room */
	char *cid;          /* the local user's lines only, else NULL */
	char *error;        /* ROOM_MSG_FAILED: the server's reason, or NULL */
	enum room_msg_state state;
	/* A cache for the message pane, which measures a message once per
	 * layout: rows it takes at layout generation view_gen (0: not
	 * measured). The room resets it whenever what the line shows
	 * changes; nothing in the model reads it. */
	uint32_t view_gen;
	uint16_t view_rows;
	bool mention;       /* mentions the local user (set by room_set_me) */
	bool deleted;       /* a tombstone: "message deleted" */
	bool loose;         /* held for the thread pane, older than the run
	                       of seqs the room holds (room_add_loose): the
	                       timeline leaves it out */
	uint16_t changes;   /* counts its edits, reactions, replies: the pane
	                       keys what it keeps by it */
	uint32_t block;     /* the arena block it is in */
	int64_t thread;     /* a reply: its root's seq; 0 else */
	struct room_extra *x; /* NULL until something changes */
	const char *text;
	char body[];
};

/* One member's read mark (JOINED's receipts, RECEIPT). */
struct room_receipt {
	char *user;
	int64_t seq;
};

struct room_block;

struct room_member {
	char *user;
	enum proto_status status;
	char *text;
	int64_t last_seen;
	char *doc_room, *doc_name; /* the document they are in; NULL: none */
};

struct room {
	char *name;
	struct room_msg **msgs; /* confirmed by seq, then pending/failed */
	size_t nmsgs, capmsgs;
	size_t nconfirmed;     /* msgs[0..nconfirmed) are confirmed */
	size_t limit;          /* confirmed messages held at most (0: no limit) */
	bool hold;             /* the user reads back in the room: drop nothing
	                          until twice the limit */
	uint32_t edits;        /* counts every change of the timeline but a new
	                          newest message after the confirmed ones with
	                          nothing pending: the pane re-measures then */
	struct room_blocks {   /* the arena the messages are in */
		struct room_block **v; /* NULL: a free slot */
		size_t n, cap;
		size_t cur;      /* the block being filled, or n */
	} blocks;
	struct room_names {    /* every user name the room's lines use, once */
		char **v;
		size_t n, cap;   /* open addressing; cap a power of two */
	} names;
	int64_t head;          /* highest seq known to exist in the room */
	int64_t last_seq;      /* highest seq held without a gap from the first
	                          loaded one: what to resume from */
	bool more_before;      /* older history exists on the server */
	int64_t read_seq;      /* last seq the user has seen */
	bool read_known;       /* read_seq comes from what the user saw (a
	                          snapshot, a restart, a notification), not
	                          from nothing yet */
	int64_t logged;        /* the client's chat log holds the room up to
	                          this seq (kept for it, never set by frames) */
	bool logged_known;
	bool marked;           /* the "new messages" line is shown: */
	int64_t marker;        /* before the first message newer than this */
	unsigned unread, mentions;
	struct room_member *members; /* sorted by user name (strcmp) */
	size_t nmembers;
	char **typing;         /* users typing now, not the local user, in the
	                          order they started */
	size_t ntyping;
	char *me;              /* the local user, for mentions and own lines */
	const char *const *highlights; /* words that count as mentions too */
	size_t nhighlights;    /* (borrowed: the chat's, from the settings) */
	bool joined;
	struct room_roles roles; /* its mode, owner, moderators (roles.h) */
	int64_t rev;           /* the last change (reaction, edit, delete)
	                          seen: what to resume changes from */
	char *topic;           /* NULL: none set */
	struct room_receipt *receipts; /* every member's read mark */
	size_t nreceipts;
	bool read_server;      /* read_seq and unread are the server's (its
	                          read marks), not only this client's */
	int64_t sent_read;     /* the highest READ the server has of us */
	int64_t sent_read_at;  /* when the last READ went (monotonic ms) */
	int64_t kept_thread;   /* the thread pane's root: the limit keeps its
	                          messages, as loose ones (room_keep_thread) */
};

struct room *room_new(const char *name, const char *me);
void room_free(struct room *r);

/*
 * The rule of model/mention.h, shared with the server's notifications:
 * a whole-word, case-insensitive "@me" or "me:"/"me," at the start (after
 * leading spaces). "@me" must not follow a word character ("x@me.org" is
 * an address) nor run on into one ("@mel"); as names may hold '.' and '-',
 * "@me.x" and "@me-x" name someone else, while "@me." and "@me-" do not.
 * Word characters: ASCII letters, digits, '_' and non-ASCII letters.
 */
bool room_mentions(const char *text, const char *me);

/* Words that mention me too (the highlight setting): borrowed, they must
 * outlive the room; every message's mention flag is recomputed. */
void room_set_highlights(struct room *r, const char *const *words, size_t n);

/* Changes the local user (from WELCOME) and recomputes every message's
 * mention flag. */
void room_set_me(struct room *r, const char *me);

/* At most n confirmed messages held (0: no limit); a room over it drops
 * its oldest on the next new message. */
void room_set_limit(struct room *r, size_t n);
/* The user reads back in the room (hold) or is at its newest line again:
 * while held, lines paged back are not dropped at once, only past twice
 * the limit, so that reading the top of the history does not drop it. */
void room_hold(struct room *r, bool hold);
/* The interned name (NULL when no line of the room uses it). */
const char *room_name_of(const struct room *r, const char *user);

/* Adds the local user's message, pending until acked. false when the cid
 * is already in the room. */
bool room_add_pending(struct room *r, const char *cid, const char *text,
    int64_t now);

/* Applies a MESSAGE (live, replayed or from a snapshot). counts_unread:
 * whether it may count as unread (false for the visible room or own lines).
 * The local user's message with the cid of a pending one confirms it.
 * Returns true when the timeline changed. */
bool room_add_message(struct room *r, const struct proto_message *m,
    bool counts_unread);

/* The server stored a pending message (its ACK). Returns true if the cid
 * was pending (or failed) here; if its MESSAGE came first, the pending
 * duplicate is dropped. */
bool room_ack(struct room *r, const char *cid, int64_t seq, int64_t ts);

/* The server refused it: marks it failed with the reason. */
bool room_fail(struct room *r, const char *cid, const char *reason);
/* A failed message goes back to pending (the caller resends it). */
bool room_retry(struct room *r, const char *cid);
/* Drops a pending or failed message. */
bool room_discard(struct room *r, const char *cid);

/* Applies a JOINED snapshot: joined, members, typing, latest messages,
 * head; more_before says whether older messages exist than those held. */
void room_apply_joined(struct room *r, const struct proto_frame *joined);
/* Merges a HISTORY page (older messages). Its `more` is taken when the page
 * reaches the oldest message held (a page overtaken by an older one says
 * nothing about what lies before). */
void room_apply_history(struct room *r, const struct proto_frame *history);

void room_set_member(struct room *r, const char *user, enum proto_status st,
    const char *text, int64_t last_seen);
/* The document the member is in (docs/protocol.md, PRESENCE_UPDATE's
 * doc; room NULL: none). */
void room_set_member_doc(struct room *r, const char *user,
    const struct proto_docref *at);
/* Also ends the user's typing. */
void room_remove_member(struct room *r, const char *user);
/* The member, or NULL: presence updates apply only to members. */
struct room_member *room_find_member(struct room *r, const char *user);
void room_set_typing(struct room *r, const char *user, bool active);

/* The user has seen everything: unread and mentions go to 0, read_seq to
 * the newest seq held. */
void room_mark_read(struct room *r);
/* A read mark known from elsewhere (the last run, a notification about
 * seq + 1): what is newer counts as unread when it arrives, even in the
 * room's first snapshot. Never moves read_seq backwards once known. */
void room_set_read(struct room *r, int64_t seq);
/* The user looks at the room now (it is shown). With unread messages, the
 * "new messages" line goes where the user left off, and stays there while
 * the room is shown; then everything is read. */
void room_see(struct room *r);
/* The user looks elsewhere: the line goes (it comes back, where they then
 * left off, the next time the room is shown with unread messages). */
void room_unsee(struct room *r);
/* Index in msgs of the first message under the "new messages" line (the
 * first confirmed one newer than the marker, not the local user's, not a
 * reply: the timeline leaves those to their thread), or
 * nmsgs when there is no line. */
size_t room_marker_index(const struct room *r);
/* Index of the first unread message (confirmed, newer than read_seq, not
 * the local user's), or nmsgs when none. */
size_t room_first_unread(const struct room *r);
/* Drops all confirmed messages from view (/clear) and marks them read;
 * resume points stay. The local user's pending and failed messages stay
 * too: they still await an ACK, a retry or a discard. */
void room_clear(struct room *r);

/* The local user's message with this cid (pending, failed or confirmed),
 * or NULL. Other users' cids are theirs and never match. */
struct room_msg *room_find_cid(struct room *r, const char *cid);
/* Loose messages: a thread's root and replies held for the thread pane
 * although they are older than the oldest message of the room's run of
 * seqs (which is what history pages back from). They are the first
 * confirmed messages (all older than the run), the timeline leaves them
 * out, the limit never drops them, and the run's own message of that seq
 * (a history page reaching it) takes one in: it is no longer loose.
 *
 * Adds m as loose when it is older than the run (true when it went in),
 * or brings the held message of its seq up to date. */
bool room_add_loose(struct room *r, const struct proto_message *m);
/* Drops every loose message (the thread pane closed). */
void room_drop_loose(struct room *r);
/* The thread of root is shown (0: none): past the limit, its root and
 * replies stay, loose, while the run's other old lines go. */
void room_keep_thread(struct room *r, int64_t root);
/* The index of the oldest message of the run (after the loose ones), and
 * its seq (0: the run is empty). */
size_t room_run_start(const struct room *r);
int64_t room_run_first(const struct room *r);
/* Whether the confirmed message with this seq is held. */
bool room_holds_seq(const struct room *r, int64_t seq);
/* The index of the first confirmed message whose seq is >= seq (nconfirmed
 * when there is none): where that seq is, or would go. */
size_t room_seq_index(const struct room *r, int64_t seq);

/* ---- changes to messages (room_changes.c) ---------------------------------
 *
 * A message's replies, reactions, edit and deletion. Each returns true
 * when what the room shows changed (and then bumps the message's changes
 * and the room's edits, so that the pane measures it again). A change to
 * a message that is not held is nothing: its page comes in its latest
 * state. rev is kept as the highest change seen, for the resume.
 */

/* The room's change counter: rev is seen (REACTION, MESSAGE_EDITED,
 * MESSAGE_DELETED, JOINED). Never goes back. */
void room_note_rev(struct room *r, int64_t rev);
/* A REACTION: user (on) or un-reacted (off) with emoji to seq; count is
 * the server's new total (0: the emoji goes). */
bool room_apply_reaction(struct room *r, int64_t seq, const char *emoji,
    const char *user, bool on, int64_t count);
/* MESSAGE_EDITED. */
bool room_apply_edit(struct room *r, int64_t seq, const char *text,
    int64_t edited_ts);
/* MESSAGE_DELETED: the line stays, as a tombstone. */
bool room_apply_delete(struct room *r, int64_t seq);
/* A live reply to root arrived (or was acknowledged): the root counts it. */
bool room_note_reply(struct room *r, int64_t root, int64_t ts);
/* The held replies to root that are new to the user: after the "new
 * messages" line's mark while it shows (room_see), else after the read
 * mark; not the user's own, not deleted. */
size_t room_new_replies(const struct room *r, const struct room_msg *root);
/* Whether user reacted to m with emoji, as far as the room knows. */
bool room_reacted(const struct room_msg *m, const char *emoji,
    const char *user);
/* Adds the local user's reply, pending until acked (room_add_pending). */
bool room_add_pending_reply(struct room *r, const char *cid, const char *text,
    int64_t thread, int64_t now);

/* Read marks. A JOINED's read/unread (when it has them), or a READ from
 * the user's other sessions: the mark moves forward only, unread is the
 * server's count, mentions those held after the mark. */
void room_apply_server_read(struct room *r, int64_t seq, int64_t unread);
/* JOINED's receipts (replaced) or a RECEIPT (one member's, forward only). */
void room_set_receipts(struct room *r, const struct proto_receipt *v, size_t n);
bool room_apply_receipt(struct room *r, const char *user, int64_t seq);
/* The members other than me whose mark is at or past seq, in the
 * receipts' order, up to max into out; returns how many there are. */
size_t room_seen_by(const struct room *r, int64_t seq, const char **out,
    size_t max);
/* The local user's newest confirmed message in the main timeline (not a
 * reply), or NULL. */
const struct room_msg *room_last_own(const struct room *r);
/* What the message shows changed outside the model (the message cursor
 * came or went: who reacted is shown): the pane measures it again. */
void room_touch(struct room *r, int64_t seq);
/* Sets the topic (NULL or "": none). */
void room_set_topic(struct room *r, const char *topic);
/* Copies what a frame says of a message's later state (replies, edit,
 * deletion, reactions) onto the held m; true when it changed. */
bool room_sync_extra(struct room *r, struct room_msg *m,
    const struct proto_message *pm);
/* Frees what a message gained (room.c calls it when the message goes). */
void room_extra_free(struct room_extra *x);

#endif
