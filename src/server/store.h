/*
 * store: durable state of confabd behind one interface, so that a cluster
 * can put PostgreSQL where a single node has SQLite (store_sqlite.c).
 *
 * It owns rooms (with each room's head seq), messages (unique per room and
 * seq, and per user and cid), memberships, users' last_seen, and the shared
 * documents of each room: a document's operations (unique per document and
 * revision, and per document, user and cid) with a snapshot of its text
 * every so many revisions, from which any revision can be rebuilt, and
 * each user's notifications (store_sqlite_notify.c for SQLite), and rooms'
 * rights: mode, moderators, bans, invites (store_sqlite_rights.c). Every
 * function returns 0 on success and -1 on a storage failure, after which
 * the open transaction, if any, must be rolled back.
 *
 * Writes may be grouped: store_begin opens a transaction, later writes join
 * it, store_commit makes them durable. Reads inside see the uncommitted
 * writes; callers that must only show committed data bound their reads by
 * the seq they know to be committed.
 */
#ifndef CONFAB_STORE_H
#define CONFAB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The users who reacted to a message with one emoji: count of them, the
 * first STORE_REACTION_USERS by the order they reacted in. */
struct store_reaction {
	char *emoji;
	int64_t count;
	char **users;
	size_t nusers;
};
#define STORE_REACTION_USERS 10

/* A message. thread is its root's seq in a reply (0: none); a root counts
 * its replies and the last one's ts. A tombstone (deleted) keeps its row
 * with text "" and no reactions. Reactions come with the lists
 * (messages_after, messages_before, thread_before), by first reaction. */
struct store_msg {
	char *room;
	int64_t seq, id, ts;
	char *user, *cid, *text;
	int64_t thread, replies, last_reply, edited_ts;
	bool deleted;
	struct store_reaction *reactions;
	size_t nreactions;
};

struct store_msgs {
	struct store_msg *v;
	size_t n;
};

/* A change to a message (store_sqlite_msgs.c): the room's change counter
 * rev after it, the message's seq, who made it with which cid, and what
 * it was. A reaction's count is the number of users with that emoji on
 * the message after it; an edit has its text (emptied when the message is
 * deleted later); a delete's user is who deleted. */
enum store_change_kind { SC_REACT, SC_UNREACT, SC_EDIT, SC_DELETE };

struct store_change {
	int64_t rev, seq, ts, count;
	enum store_change_kind kind;
	char *user, *cid, *emoji, *text;
};

struct store_changes {
	struct store_change *v;
	size_t n;
};

/* What reaction_set did: nothing (the user had that reaction already, or
 * had none to take back), a change, or nothing for the message has every
 * distinct emoji it may have. */
enum store_react_result { SR_UNCHANGED, SR_CHANGED, SR_TOO_MANY };

struct store_member {
	char *user;
	int64_t last_seen;
};

/* One stored revision of a document; op is the operation's JSON text (NULL
 * in the answer of doc_revisions, which leaves it out). */
struct store_doc_op {
	int64_t rev, ts;
	char *user, *cid, *op;
};

struct store_doc_ops {
	struct store_doc_op *v;
	size_t n;
};

/* A document's comment and its replies (store_sqlite_comments.c): its
 * anchor [start, end) is at revision rev (see docs_comments.c). */
struct store_comment_reply {
	int64_t id, ts;
	char *user, *text;
};

struct store_comment {
	int64_t id, ts, edited_ts, rev, start, end;
	bool removed;
	char *user, *text;
	char *resolved_by; /* NULL when open */
	struct store_comment_reply *replies;
	size_t nreplies;
};

/* One named revision of a document (store_sqlite_tags.c). */
struct store_doc_tag {
	char *name, *user;
	int64_t rev, ts;
};

/* One suggestion of a document: its op (JSON) at revision rev; deletes is
 * model/suggest.h's flag. */
struct store_suggestion {
	int64_t id;
	char *user, *cid;
	int64_t rev;
	char *op;
	bool deletes;
	int64_t ts;
};

/* One document of a room's list (store_sqlite_doclist.c): its head, and
 * the time and author of that revision (0 and NULL for head 0). */
struct store_doc_info {
	char *name;
	int64_t head, ts;
	char *user;
};

/* One notification; room may be NULL, seq 0 is none. */
struct store_notif {
	int64_t id;
	char *user, *level, *title, *message, *room;
	int64_t ts, seq;
	bool read;
	char *kind;  /* what caused it: mention, dm, join */
};

struct store_notifs {
	struct store_notif *v;
	size_t n;
};

/* A room's rights: its mode, its owner (its creator, NULL when it has
 * none) and its moderators, in name order. */
struct store_rights {
	bool is_private;
	char *owner;
	char **moderators;
	size_t nmoderators;
};

/* Read marks, topics, the directory, search (store_sqlite_rooms.c). */
struct store_receipt {
	char *user;
	int64_t seq;
};

struct store_room_info {
	char *room, *topic;
	int64_t members;
};

/* One search hit: the message (id is the search's paging cursor) and its
 * snippet, matches between SEARCHQ_OPEN and SEARCHQ_CLOSE. */
struct store_hit {
	int64_t id, seq, ts;
	char *room, *user, *snippet;
};

struct store_hits {
	struct store_hit *v;
	size_t n;
};

/* What a store is fit for: STORE_OK; read only (its file or directory may
 * not be written); corrupt (quick_check found damage); failing (a write
 * failed for another reason: a full disk, an I/O error). */
enum store_state { STORE_OK, STORE_READ_ONLY, STORE_CORRUPT, STORE_FAILING };

struct store_check {
	enum store_state state;
	char detail[256]; /* for people: what failed and why */
};

/* "ok", "read_only", "corrupt", "failing" */
const char *store_state_name(enum store_state s);

struct store;

struct store_ops {
	int (*begin)(struct store *);
	int (*commit)(struct store *);
	void (*rollback)(struct store *);
	int (*room_ensure)(struct store *, const char *room, int64_t now,
	    int64_t *id, int64_t *head);
	int (*message_append)(struct store *, int64_t room_id, const char *user,
	    const char *cid, const char *text, int64_t ts, struct store_msg *out,
	    bool *duplicate);
	int (*messages_after)(struct store *, int64_t room_id, int64_t after,
	    int64_t upto, size_t limit, struct store_msgs *out);
	int (*messages_before)(struct store *, int64_t room_id, int64_t before,
	    size_t limit, struct store_msgs *out, bool *more);
	int (*member_add)(struct store *, int64_t room_id, const char *user,
	    int64_t now, bool *added);
	int (*member_remove)(struct store *, int64_t room_id, const char *user,
	    bool *removed);
	int (*members)(struct store *, int64_t room_id, struct store_member **out,
	    size_t *n);
	/* At most limit members whose names sort after `after` (NULL: from
	 * the first), in name order. */
	int (*members_page)(struct store *, int64_t room_id, const char *after,
	    size_t limit, struct store_member **out, size_t *n);
	int (*user_rooms)(struct store *, const char *user, char ***rooms, size_t *n);
	int (*user_seen)(struct store *, const char *user, int64_t ts);

	/* Shared documents. A document is found (doc_find: *id 0 when there is
	 * none) or created (doc_ensure) by room and name; its head is the
	 * newest stored revision. doc_op_append stores revision rev, which must
	 * be the head + 1 (else it fails and stores nothing). */
	int (*doc_find)(struct store *, int64_t room_id, const char *name,
	    int64_t *id, int64_t *head);
	int (*doc_ensure)(struct store *, int64_t room_id, const char *name,
	    int64_t now, int64_t *id, int64_t *head);
	int (*doc_op_append)(struct store *, int64_t doc_id, int64_t rev,
	    const char *user, const char *cid, const char *op, int64_t ts);
	/* The revision (user, cid) produced in the document; *rev 0 if none. */
	int (*doc_op_by_cid)(struct store *, int64_t doc_id, const char *user,
	    const char *cid, int64_t *rev);
	/* Revisions after < rev <= upto, oldest first, at most limit. */
	int (*doc_ops_range)(struct store *, int64_t doc_id, int64_t after,
	    int64_t upto, size_t limit, struct store_doc_ops *out);
	int (*doc_snapshot_put)(struct store *, int64_t doc_id, int64_t rev,
	    const char *text);
	/* The newest snapshot at or before rev: *snap_rev 0 and an empty text
	 * when there is none (revision 0 is the empty document). *text is
	 * malloc'd. */
	int (*doc_snapshot_at_or_before)(struct store *, int64_t doc_id,
	    int64_t rev, int64_t *snap_rev, char **text);
	/* The newest limit revisions below before, oldest first, without their
	 * ops; *more when older ones exist. */
	int (*doc_revisions)(struct store *, int64_t doc_id, int64_t before,
	    size_t limit, struct store_doc_ops *out, bool *more);
	/* Named revisions: doc_tag_set names rev (a name the document has
	 * already moves to rev); doc_tags lists them by revision, then name
	 * (free with store_doc_tags_free). */
	int (*doc_tag_set)(struct store *, int64_t doc_id, const char *name,
	    int64_t rev, const char *user, int64_t ts);
	/* A room's documents by name, the first limit after `after` ("" for
	 * the first page); free with store_doc_infos_free. */
	int (*docs_page)(struct store *, int64_t room_id, const char *after,
	    size_t limit, struct store_doc_info **out, size_t *n);
	int (*doc_tags)(struct store *, int64_t doc_id, struct store_doc_tag **out,
	    size_t *n);
	/* Documents' comments: comment_add stores c (its id, replies and
	 * resolved_by ignored) and sets *id; comment_reply adds a reply;
	 * comment_resolve sets who resolved it (NULL: open again);
	 * comment_edit its text; comment_anchor where it is at rev;
	 * comment_delete drops it and its replies. comments_of lists a
	 * document's comments by id, each with its replies by id (free with
	 * store_comments_free). */
	int (*comment_add)(struct store *, int64_t doc_id,
	    const struct store_comment *c, int64_t *id);
	int (*comment_reply)(struct store *, int64_t comment_id, const char *user,
	    int64_t ts, const char *text, int64_t *id);
	int (*comment_resolve)(struct store *, int64_t comment_id, const char *by);
	int (*comment_edit)(struct store *, int64_t comment_id, const char *text,
	    int64_t ts);
	int (*comment_anchor)(struct store *, int64_t comment_id, int64_t rev,
	    int64_t start, int64_t end, bool removed);
	int (*comment_delete)(struct store *, int64_t comment_id);
	int (*comments_of)(struct store *, int64_t doc_id,
	    struct store_comment **out, size_t *n);
	/* Suggestions (store_sqlite_suggest.c): suggestion_add stores an open
	 * one and sets *id; suggestion_by_cid finds one by its author's cid (0:
	 * none); suggestion_move keeps its op at rev; suggestion_close closes
	 * an open one (state accepted, rejected or dropped; by may be NULL);
	 * suggestions_open lists the open ones by id (free with
	 * store_suggestions_free). doc_mode_get / doc_mode_set: whether the
	 * document is protected. */
	int (*suggestion_add)(struct store *, int64_t doc_id,
	    const struct store_suggestion *s, int64_t *id);
	int (*suggestion_by_cid)(struct store *, int64_t doc_id, const char *user,
	    const char *cid, int64_t *id);
	int (*suggestion_move)(struct store *, int64_t id, int64_t rev,
	    const char *op);
	int (*suggestion_close)(struct store *, int64_t id, const char *state,
	    const char *by, int64_t rev);
	int (*suggestions_open)(struct store *, int64_t doc_id,
	    struct store_suggestion **out, size_t *n);
	int (*doc_mode_get)(struct store *, int64_t doc_id, bool *protect);
	int (*doc_mode_set)(struct store *, int64_t doc_id, bool protect);

	/* Notifications. room_creator makes user the room's creator when it
	 * has none yet (its first member: *claimed) and gives the creator
	 * while they are a member (else NULL; malloc'd). notif_add stores n
	 * (read or not as n says) and sets n->id; ids increase. The reads
	 * never go past id upto (what the caller knows to be committed):
	 * notif_before gives the newest limit ids below before, newest first,
	 * *more when older ones exist. notif_mark_read sets *found when the
	 * user has that notification (read already or not). */
	int (*room_creator)(struct store *, int64_t room_id, const char *user,
	    char **creator, bool *claimed);
	/* Records that user has joined the room; *first when never before
	 * (a LEAVE and a JOIN again are not a first join). */
	int (*room_first_join)(struct store *, int64_t room_id, const char *user,
	    bool *first);
	/* Whether a user of that name has ever been seen (signed in), or has
	 * an account. */
	int (*user_known)(struct store *, const char *user, bool *known);

	/* Accounts: a user's password hash (argon2id, as libsodium's
	 * crypto_pwhash_str writes it). account_get gives NULL when there is
	 * no such account (malloc'd otherwise); accounts the names, sorted
	 * (the caller frees each and the array). Tokens of sign-ins are kept
	 * by the hex SHA-256 of the token, never the token itself; token_get
	 * gives NULL for an unknown one. */
	int (*account_put)(struct store *, const char *user, const char *hash,
	    int64_t now);
	int (*account_get)(struct store *, const char *user, char **hash);
	int (*account_del)(struct store *, const char *user, bool *found);
	int (*accounts)(struct store *, char ***users, size_t *n);
	int (*token_add)(struct store *, const char *hash, const char *user,
	    int64_t now, int64_t expires);
	int (*token_get)(struct store *, const char *hash, char **user,
	    int64_t *expires);
	int (*token_del)(struct store *, const char *hash, bool *found);
	int (*tokens_del_user)(struct store *, const char *user, int64_t *n);
	int (*notif_add)(struct store *, struct store_notif *n);
	int (*notif_last_id)(struct store *, int64_t *id);
	int (*notif_before)(struct store *, const char *user, int64_t before,
	    int64_t upto, size_t limit, struct store_notifs *out, bool *more);
	int (*notif_unread)(struct store *, const char *user, int64_t upto,
	    int64_t *count);
	int (*notif_mark_read)(struct store *, const char *user, int64_t id,
	    bool *found);
	int (*notif_mark_all_read)(struct store *, const char *user, int64_t upto);

	/* Rooms' rights (store_sqlite_rights.c for SQLite). room_find gives
	 * a room's id and head without making it (*id 0 when there is none).
	 * Moderators, bans and invites are one mark per room and user: each
	 * *_set makes it (on) or takes it back, *changed when it was not so
	 * before. room_access says whether the user is a member, banned,
	 * invited. What
	 * a user has created: user_created counts their rooms (direct-message
	 * rooms aside) and documents; doc_claim makes user the creator of a
	 * document that has none. */
	int (*room_find)(struct store *, const char *room, int64_t *id,
	    int64_t *head);
	int (*room_rights)(struct store *, int64_t room_id, struct store_rights *out);
	int (*room_set_private)(struct store *, int64_t room_id, bool on);
	int (*room_moderator_set)(struct store *, int64_t room_id, const char *user,
	    bool on, bool *changed);
	int (*room_ban_set)(struct store *, int64_t room_id, const char *user,
	    const char *by, int64_t ts, bool on, bool *changed);
	int (*room_invite_set)(struct store *, int64_t room_id, const char *user,
	    const char *by, int64_t ts, bool on, bool *changed);
	int (*room_access)(struct store *, int64_t room_id, const char *user,
	    bool *member, bool *banned, bool *invited);
	int (*user_created)(struct store *, const char *user, int64_t *rooms,
	    int64_t *docs);
	int (*doc_claim)(struct store *, int64_t doc_id, const char *user);

	/* Messages' changes (store_sqlite_msgs.c for SQLite). message_get
	 * reads one message (without its reactions; *found false when none).
	 * message_thread_set makes message seq a reply to root, counted on
	 * the root. change_by_cid finds the change a (user, cid) made, in any
	 * room. The changes themselves bump the room's rev (gap-free, in the
	 * transaction) and are recorded with their (user, cid), unique:
	 * reaction_set adds or takes back a reaction (at most max_emoji
	 * distinct emoji per message), message_edit sets a message's text and
	 * edited_ts, message_delete makes it a tombstone (its reactions gone,
	 * the text of its earlier edits emptied). changes_after gives at most
	 * limit changes after < rev <= upto, oldest first, of messages with
	 * seq <= max_seq unless their rev is above all_after. thread_before
	 * is the newest limit replies to root below seq before and at most
	 * upto, oldest first, *more when older ones exist; thread_page says
	 * where that page starts (*first, 0 when it is empty) without reading
	 * it, and thread_after reads a thread's replies after < seq <= upto,
	 * oldest first, at most limit. */
	int (*room_rev)(struct store *, int64_t room_id, int64_t *rev);
	int (*message_get)(struct store *, int64_t room_id, int64_t seq,
	    struct store_msg *out, bool *found);
	int (*message_thread_set)(struct store *, int64_t room_id, int64_t seq,
	    int64_t root, int64_t ts);
	int (*change_by_cid)(struct store *, const char *user, const char *cid,
	    struct store_change *out, bool *found);
	int (*reaction_set)(struct store *, int64_t room_id, int64_t seq,
	    const char *user, const char *cid, const char *emoji, bool on,
	    int64_t ts, size_t max_emoji, struct store_change *out,
	    enum store_react_result *res);
	int (*message_edit)(struct store *, int64_t room_id, int64_t seq,
	    const char *user, const char *cid, const char *text, int64_t ts,
	    struct store_change *out);
	int (*message_delete)(struct store *, int64_t room_id, int64_t seq,
	    const char *by, const char *cid, int64_t ts, struct store_change *out);
	int (*changes_after)(struct store *, int64_t room_id, int64_t after,
	    int64_t upto, int64_t max_seq, int64_t all_after, size_t limit,
	    struct store_changes *out);
	int (*thread_before)(struct store *, int64_t room_id, int64_t root,
	    int64_t before, int64_t upto, size_t limit, struct store_msgs *out,
	    bool *more);
	int (*thread_page)(struct store *, int64_t room_id, int64_t root,
	    int64_t before, int64_t upto, size_t limit, int64_t *first, bool *more);
	int (*thread_after)(struct store *, int64_t room_id, int64_t root,
	    int64_t after, int64_t upto, size_t limit, struct store_msgs *out);
	/* Read marks, topics, the directory, search (store_sqlite_rooms.c
	 * for SQLite). A read mark is a seq per room and user, 0 when none;
	 * read_mark_set never moves it back: *mark gets the mark after it.
	 * read_marks gives every member's (members with a mark, in name
	 * order). unread_count counts the messages with after < seq <= upto
	 * not by user and not deleted, at most cap. topic_get gives "" and a
	 * NULL by when the room has none (malloc'd). rooms_directory lists
	 * public rooms (never private or direct-message ones) whose name
	 * sorts after `after` (NULL: from the first), and whose name or topic
	 * holds query (NULL or "": any), by name, at most limit; *more when
	 * there are others. search runs an FTS5 query (searchq_build's) over
	 * the messages of the rooms user is a member of (of room_id alone
	 * when it is not 0) with id < before (0: any), newest first, at most
	 * limit; *more when there are older ones. */
	int (*read_mark_set)(struct store *, int64_t room_id, const char *user,
	    int64_t seq, int64_t *mark);
	int (*read_mark_get)(struct store *, int64_t room_id, const char *user,
	    int64_t *mark);
	int (*read_marks)(struct store *, int64_t room_id,
	    struct store_receipt **out, size_t *n);
	int (*unread_count)(struct store *, int64_t room_id, const char *user,
	    int64_t after, int64_t upto, int64_t cap, int64_t *count);
	int (*topic_set)(struct store *, int64_t room_id, const char *text,
	    const char *by, int64_t ts);
	int (*topic_get)(struct store *, int64_t room_id, char **text, char **by,
	    int64_t *ts);
	int (*rooms_directory)(struct store *, const char *query, const char *after,
	    size_t limit, struct store_room_info **out, size_t *n, bool *more);
	int (*search)(struct store *, const char *user, int64_t room_id,
	    const char *match, int64_t before, size_t limit, struct store_hits *out,
	    bool *more);

	/* Proves the store writable with a real commit and, when integrity is
	 * set, reads it whole for damage first (slow on a big database: for
	 * the start). Must run outside a transaction. */
	void (*check)(struct store *, bool integrity, struct store_check *out);

	const char *(*error)(struct store *);
	void (*close)(struct store *);
};

struct store {
	const struct store_ops *ops;
	bool in_txn;
};

/* Opens (creating and migrating) a SQLite database; NULL with a reason in
 * err on failure. sync_full selects synchronous=FULL over NORMAL. */
struct store *store_sqlite_open(const char *path, bool sync_full, char *err,
    size_t errlen);

void store_msgs_free(struct store_msgs *m);
void store_msg_free(struct store_msg *m);
void store_members_free(struct store_member *m, size_t n);
void store_strings_free(char **v, size_t n);
void store_doc_ops_free(struct store_doc_ops *ops);
void store_doc_tags_free(struct store_doc_tag *v, size_t n);
void store_comments_free(struct store_comment *v, size_t n);
void store_comment_clear(struct store_comment *c); /* frees what c holds */
void store_suggestions_free(struct store_suggestion *v, size_t n);
void store_doc_infos_free(struct store_doc_info *v, size_t n);
void store_notif_free(struct store_notif *n);
void store_notifs_free(struct store_notifs *ns);
void store_rights_free(struct store_rights *r);
void store_change_free(struct store_change *c);
void store_changes_free(struct store_changes *cs);
/* The reactions of a message (its reactions array freed and emptied). */
void store_reactions_free(struct store_msg *m);
void store_receipts_free(struct store_receipt *v, size_t n);
void store_room_infos_free(struct store_room_info *v, size_t n);
void store_hits_free(struct store_hits *h);

#endif
