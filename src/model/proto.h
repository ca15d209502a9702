/*
 * proto: confab.v1 frames <-> C structs (docs/protocol.md is the contract).
 *
 * The only module that knows JSON. One table per direction lists, for every
 * frame type, its fields, their JSON types and whether they are required;
 * decoding and encoding are both driven by it, so the two cannot drift.
 * The shared-document frames' rows (and the kinds of value only they use:
 * operations, selections, cursors, revisions) live in proto_doc.c, the
 * notification frames' rows in proto_notify.c.
 *
 * Decoding checks shape (JSON, nesting depth, UTF-8, types, required fields,
 * name syntax) and reports the first problem as a stable error code with a
 * human reason. Policy that depends on configuration (text length, rate,
 * membership) is the server's business, not the codec's.
 *
 * A decoded frame borrows its strings from a parse tree it owns; the tree
 * and the arrays are released by proto_frame_free. A frame built by a caller
 * for encoding borrows the caller's strings and owns nothing.
 */
#ifndef CONFAB_PROTO_H
#define CONFAB_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;

#define PROTO_SUBPROTOCOL "confab.v1"
#define PROTO_MAX_DEPTH 64

enum proto_dir {
	PROTO_TO_SERVER, /* frames a client sends */
	PROTO_TO_CLIENT, /* frames the server sends */
};

enum proto_type {
	PT_NONE,
	PT_HELLO,
	PT_WELCOME,
	PT_JOIN,
	PT_JOINED,
	PT_LEAVE,
	PT_MESSAGE,
	PT_ACK,
	PT_HISTORY,
	PT_TYPING,
	PT_PRESENCE_UPDATE,
	PT_HEARTBEAT,
	PT_USER_JOINED,
	PT_USER_LEFT,
	PT_ERROR,
	PT_DOC_OPEN,
	PT_DOC_CLOSE,
	PT_DOC_OP,
	PT_DOC_STATE,
	PT_CURSOR,
	PT_DOC_HISTORY,
	PT_DOC_GET,
	PT_DOC_TEXT,
	PT_DOC_TAG,      /* documents' named revisions */
	PT_NOTIFICATION,
	PT_NOTIFICATIONS,
	PT_MARK_READ,
	PT_MARK_ALL_READ,
	PT_NOTIFICATION_READ,
	PT_LOGIN,
	PT_REGISTER,
	PT_LOGOUT,
	PT_LOGGED_IN,
	/* rooms' rights (proto_rights.c) */
	PT_INVITE,
	PT_KICK,
	PT_BAN,
	PT_UNBAN,
	PT_ROOM_MODE,
	PT_OP,
	PT_DEOP,
	PT_ROOM_EVENT,
	/* messages' changes: threads, reactions, edits, deletes (proto_msgs.c) */
	PT_THREAD,
	PT_REACT,
	PT_REACTION,
	PT_EDIT,
	PT_MESSAGE_EDITED,
	PT_DELETE,
	PT_MESSAGE_DELETED,
	/* read marks, search, topics, the directory (proto_rooms.c) */
	PT_READ,
	PT_RECEIPT,
	PT_SEARCH,
	PT_SEARCH_RESULTS,
	PT_TOPIC,
	PT_ROOMS,
	/* documents' comments (proto_comments.c) */
	PT_COMMENT,
	PT_COMMENT_REPLY,
	PT_COMMENT_RESOLVE,
	PT_COMMENT_EDIT,
	PT_COMMENT_DELETE,
	/* suggestions and protected documents (proto_suggest.c) */
	PT_DOC_SUGGEST,
	PT_SUGGEST_ACCEPT,
	PT_SUGGEST_REJECT,
	PT_SUGGESTION,
	PT_SUGGESTION_CLOSED,
	PT_DOC_MODE,
	/* several documents: a room's list (proto_doclist.c) */
	PT_DOC_LIST,
	PT_COUNT
};

/* Stable error codes; proto_err_name gives the wire string. */
enum proto_err {
	PE_OK,
	PE_BAD_JSON,
	PE_UNKNOWN_TYPE,
	PE_BAD_FIELD,
	PE_TOO_LARGE,
	PE_INVALID_UTF8,
	PE_UNSUPPORTED_FRAME,
	PE_BAD_ROOM,
	PE_NOT_JOINED,
	PE_RATE_LIMITED,
	PE_TOO_MANY_ROOMS,
	PE_NO_HELLO,
	PE_BAD_STATE,
	PE_INTERNAL,
	PE_BAD_OP,
	PE_BAD_REV,
	PE_REV_TOO_OLD,
	PE_NOT_OPEN,
	PE_FORBIDDEN,
	PE_UNKNOWN_USER,
	PE_UNAUTHORIZED,
	PE_TAKEN,
	/* rooms' rights and abuse limits */
	PE_INVITE_ONLY,
	PE_BANNED,
	PE_TOO_MANY_SESSIONS,
	PE_TOO_MANY_DOCS,
	/* messages' changes */
	PE_NO_MESSAGE,          /* no such message in the room */
	PE_DELETED,             /* the message is a tombstone */
	PE_BAD_EMOJI,           /* not one emoji grapheme cluster */
	PE_TOO_MANY_REACTIONS,  /* the message has every distinct emoji it may */
	PE_NO_COMMENT,          /* no such comment in the document */
	PE_NO_SUGGESTION,       /* no such open suggestion in the document */
	PE_COUNT
};

enum proto_status {
	PS_NONE,
	PS_ONLINE,
	PS_AWAY,
	PS_BUSY,
	PS_OFFLINE,
};

/* The users who reacted with one emoji to one message. count is the
 * number of users; users may list fewer (the first ones, in order). */
struct proto_reaction {
	const char *emoji;
	int64_t count;
	const char **users;
	size_t nusers;
};

struct proto_message {
	const char *room;
	int64_t seq;
	const char *id;
	const char *user;
	const char *text;  /* NULL in a tombstone */
	int64_t ts;
	const char *cid;
	/* Threads: thread is the root's seq in a reply (0: not a reply); a
	 * root carries its number of replies and the last reply's ts. */
	int64_t thread, replies, last_reply;
	int64_t edited_ts; /* 0: never edited */
	bool deleted;      /* a tombstone: same seq, no text */
	struct proto_reaction *reactions;
	size_t nreactions;
};

/* The document a user is in (PRESENCE_UPDATE's and a member's "doc"):
 * room NULL is none. */
struct proto_docref {
	const char *room, *name;
};

struct proto_member {
	const char *user;
	enum proto_status status;
	const char *text;
	int64_t last_seen;
	struct proto_docref at; /* JOINED: a document of that room, or none */
};

/* A room to resume: the last message seq and the last change rev held
 * (-1: the old form {"room": seq}, which asks for no change). */
struct proto_resume {
	const char *room;
	int64_t seq;
	int64_t rev;
};

/* One member's read mark (JOINED's receipts). */
struct proto_receipt {
	const char *user;
	int64_t seq;
};

/* One SEARCH result: the message's place, and a snippet of its text with
 * the matched ranges marks[i] = [start, end) in code points of snippet. */
struct proto_search_hit {
	const char *room;
	int64_t seq;
	const char *user;
	int64_t ts;
	const char *snippet;
	int64_t (*marks)[2];
	size_t nmarks;
};

/* One public room of the directory (ROOMS). */
struct proto_room_info {
	const char *room;
	const char *topic;
	int64_t members;
};

/* One reply of a document's comment. */
struct proto_comment_reply {
	int64_t id;
	const char *user;
	int64_t ts;
	const char *text;
};

/* A comment of a document (docs/protocol.md, "Comments"): range is
 * [start, end) in code points at the frame's rev; removed says its text
 * was deleted (then start == end); edited_ts 0: never edited. */
struct proto_comment {
	int64_t id;
	const char *user;
	int64_t ts, edited_ts;
	int64_t range[2];
	bool removed, resolved;
	const char *resolved_by; /* NULL unless resolved */
	const char *text;
	struct proto_comment_reply *replies;
	size_t nreplies;
};

/* A viewer's cursor in DOC_STATE: sel is [anchor, head] in code points at
 * the state's revision; has_sel false is a viewer without one. */
struct proto_cursor {
	const char *user;
	const char *session;
	bool has_sel;
	int64_t sel[2];
};

/* One entry of a DOC_HISTORY answer. */
struct proto_revision {
	int64_t rev;
	const char *user;
	int64_t ts;
};

/* One named revision of a document (DOC_HISTORY's tags). */
struct proto_tag {
	const char *name;
	int64_t rev;
	const char *user;
	int64_t ts;
};

/* One open suggestion of a document (DOC_STATE's suggestions): its op is
 * at the state's revision, a JSON array as a frame's op is. */
struct proto_suggestion {
	int64_t id;
	const char *user;
	int64_t ts;
	const struct cJSON *op;
};

/* One document of a DOC_LIST page: its head revision, the last edit's
 * time and author (ts 0, user NULL: never edited), and who has it open
 * now: watching users, the first nviewers of them (by name) in viewers. */
struct proto_docinfo {
	const char *name;
	int64_t rev, ts;
	const char *user;
	const char **viewers;
	size_t nviewers;
	int64_t watching;
};

/* One notification (docs/protocol.md, "Notifications"); seq 0 is none. */
struct proto_notification {
	int64_t id;
	const char *level, *title, *message; /* level: info success warning error */
	int64_t ts;
	bool read;
	const char *room;
	int64_t seq;
	const char *kind;                    /* mention, dm, join */
};

struct proto_limits {
	int64_t max_frame, max_text, history_max, max_rooms;
	int64_t max_doc;         /* a document's code points; 0: not said */
};

/*
 * One struct for every frame: each type uses the fields its table row names
 * and leaves the rest zero. has_* flags tell optional integers apart from 0.
 */
struct proto_frame {
	enum proto_type type;
	const char *cid, *room, *user, *text, *session, *server, *token, *client;
	const char *password;  /* LOGIN */
	int64_t expires;       /* LOGGED_IN: ms since the epoch */
	bool has_expires;
	const char *id, *code, *reason, *ref;
	int64_t seq, since, before, limit, ts, last_seen, heartbeat_ms;
	bool has_seq, has_since, has_before, has_limit, has_ts;
	bool active, more;
	enum proto_status status;
	struct proto_limits limits;
	bool has_limits;

	struct proto_resume *resume;
	size_t nresume;
	struct proto_message *messages;
	size_t nmessages;
	struct proto_member *members;
	size_t nmembers;
	const char **typing;
	size_t ntyping;

	/* Shared documents. op is the operation's JSON array: in a decoded
	 * frame it points into the parse tree (shape checked lightly: integers
	 * and strings; ot_decode_json validates it fully); in a frame built for
	 * encoding it is the caller's array, printed as it is. sel is
	 * [anchor, head]; has_sel false encodes "sel": null. */
	const char *doc;
	int64_t rev;
	bool has_rev, has_sel;
	int64_t sel[2];
	const struct cJSON *op;
	struct proto_cursor *cursors;
	size_t ncursors;
	struct proto_revision *revisions;
	size_t nrevisions;
	/* Named revisions: DOC_TAG's name, DOC_HISTORY's tags. */
	const char *name;
	struct proto_tag *tags;
	size_t ntags;

	/* Notifications. notification is a NOTIFICATION frame's (its id is
	 * also the id of MARK_READ and NOTIFICATION_READ); notifications is a
	 * NOTIFICATIONS page; unread is the user's count of unread ones (also
	 * in WELCOME); upto bounds MARK_ALL_READ and NOTIFICATION_READ. */
	struct proto_notification notification;
	struct proto_notification *notifications;
	size_t nnotifications;
	int64_t unread, upto;
	bool has_unread, has_upto;

	/* Rooms' rights (proto_rights.c). A ROOM_EVENT's event (invite,
	 * uninvite, kick, ban, unban, op, deop, mode) and who made it (by);
	 * is_private is JOINED's and a mode event's "private"; owner and
	 * moderators are JOINED's roles. */
	const char *event, *by, *owner;
	bool is_private, has_private; /* has_private: a ROOM_EVENT's is set */
	const char **moderators;
	size_t nmoderators;

	/* Messages' changes (proto_msgs.c). thread: a MESSAGE's root (has_
	 * thread); root: THREAD's; emoji/on/count: REACT and REACTION;
	 * edited_ts: MESSAGE_EDITED; rev (shared with documents) is a room's
	 * change counter in REACTION, MESSAGE_EDITED, MESSAGE_DELETED and
	 * JOINED; since_rev: JOIN's. A MESSAGE frame to a client (a replay's
	 * is in its latest state) also has the message's replies, last_reply,
	 * deleted and reactions, as struct proto_message has them. */
	int64_t thread, root, count, edited_ts, since_rev;
	bool has_thread, has_root, has_since_rev, on;
	const char *emoji;
	int64_t replies, last_reply;
	bool deleted;
	struct proto_reaction *reactions;
	size_t nreactions;

	/* Read marks, search, topics, the directory (proto_rooms.c). read is
	 * JOINED's mark of the user (unread is JOINED's count after it);
	 * receipts are every member's; topic: JOINED's and TOPIC's; hits:
	 * SEARCH_RESULTS; rooms and query: ROOMS; after: ROOMS's paging. */
	int64_t read;
	bool has_read;
	struct proto_receipt *receipts;
	size_t nreceipts;
	const char *topic, *query, *after;
	struct proto_search_hit *hits;
	size_t nhits;
	struct proto_room_info *rooms;
	size_t nrooms;

	/* Documents' comments (proto_comments.c). comments: DOC_STATE's list,
	 * or a COMMENT event's one comment (ncomments 1); range: a new
	 * COMMENT's [start, end); comment_id: the JSON "id" of the
	 * COMMENT_* requests, COMMENT_DELETE's event and a comment's ACK;
	 * resolved: COMMENT_RESOLVE's. */
	struct proto_comment *comments;
	size_t ncomments;
	int64_t range[2];
	bool has_range;
	int64_t comment_id;
	bool has_comment_id, resolved;
	/* Suggestions (proto_suggest.c). suggestion is a suggestion's id: the
	 * "id" of SUGGEST_ACCEPT, SUGGEST_REJECT, SUGGESTION and
	 * SUGGESTION_CLOSED, the "suggestion" of an ACK and of the DOC_OP that
	 * accepted it (by: who accepted; event and by also say how one
	 * closed); suggestions: DOC_STATE's open ones; is_protected: DOC_MODE's
	 * and DOC_STATE's "protected"; can_edit: DOC_STATE's. */
	int64_t suggestion;
	bool has_suggestion, is_protected, has_protected, can_edit, has_can_edit;
	struct proto_suggestion *suggestions;
	size_t nsuggestions;
	/* Several documents (proto_doclist.c). at: PRESENCE_UPDATE's doc (the
	 * user's document; at.room NULL: none, encoded null); docinfos: a
	 * DOC_LIST page (its after and limit are the paging fields above). */
	struct proto_docref at;
	struct proto_docinfo *docinfos;
	size_t ndocinfos;

	void *tree_; /* owned parse tree of a decoded frame */
	bool owns_arrays_;
};

/* The first problem found while decoding. */
struct proto_error {
	enum proto_err code;
	char reason[160];
	char cid[65];  /* the offending frame's cid, "" if none was readable */
	char ref[24];  /* the offending frame's type, "" if none was readable */
};

/*
 * Decodes one text frame sent in direction dir. On success fills *out
 * (release with proto_frame_free) and returns true. On failure fills *err,
 * leaves *out empty and returns false.
 */
bool proto_decode(const char *buf, size_t len, enum proto_dir dir,
    struct proto_frame *out, struct proto_error *err);

/* Encodes f (direction dir) into a new NUL-terminated string (malloc'd), or
 * NULL when f lacks a required field. */
char *proto_encode(const struct proto_frame *f, enum proto_dir dir);

void proto_frame_free(struct proto_frame *f);

/* A zeroed frame of the given type. */
struct proto_frame proto_frame_of(enum proto_type type);

const char *proto_type_name(enum proto_type t);
enum proto_type proto_type_parse(const char *name);
const char *proto_err_name(enum proto_err e);
const char *proto_status_name(enum proto_status s);
enum proto_status proto_status_parse(const char *name);

/* Streamed encoding, for answers too big to build whole (the server sends
 * them as fragments while the socket drains). The frame f is encoded with
 * the listed fields (in the order the frame's encoding has them) left out:
 * pieces[0..nfields] receive the text around them (malloc'd), each field's
 * name and colon ending the piece before it. The caller writes each field's
 * value between: "[" items joined by "," "]" for an array, a quoted
 * string made with proto_json_escape. False when out of memory or f lacks
 * a required field. */
bool proto_encode_split(const struct proto_frame *f, enum proto_dir dir,
    const char *const *fields, size_t nfields, char **pieces);
/* One element of a messages or members array, as JSON text (malloc'd). */
char *proto_encode_message_item(const struct proto_message *m);
char *proto_encode_member_item(const struct proto_member *m);
/* Escapes UTF-8 text s[0..len) for the inside of a JSON string into out,
 * which has room for 6 * len bytes; returns the bytes written. */
size_t proto_json_escape(const char *s, size_t len, char *out);

/* Convenience encoders for the server's hot paths. */
char *proto_encode_error(enum proto_err code, const char *cid, const char *ref,
    const char *reason);

#endif
