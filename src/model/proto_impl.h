/*
 * proto_impl: the field tables behind proto.c and proto_encode.c, shared
 * with proto_doc.c and the other frames' files.
 * Internal to the codec: no other module includes this header.
 *
 * A frame type is a row of fields; a field names its JSON key, its kind
 * (which says how the value is checked and where it goes) and the offset
 * of its value in struct proto_frame. proto.c decodes by walking the rows,
 * proto_encode.c encodes by walking the same rows; proto_doc.c adds the
 * rows of the shared-document frames and the kinds only they use;
 * proto_notify.c does the same for the notification frames.
 */
#ifndef CONFAB_PROTO_IMPL_H
#define CONFAB_PROTO_IMPL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "model/proto.h"

#define PROTO_MAX_INT 9007199254740992.0 /* 2^53: integers exact in a double */
#define PROTO_MAX_ARRAY 100000

enum kind {
	K_STR,       /* any string */
	K_USER,      /* string, user-name syntax */
	K_ROOM,      /* string, room-name or direct-message room syntax */
	K_DOC,       /* string, room-name syntax, reported as bad_field */
	K_CID,       /* string, cid syntax */
	K_INT,       /* non-negative integer */
	K_POSINT,    /* integer >= 1 */
	K_BOOL,
	K_STATUS,    /* online / away / busy */
	K_PRESENCE,  /* online / away / busy / offline */
	K_RESUME,    /* {room: seq, ...} */
	K_MESSAGES,  /* [message, ...] */
	K_MEMBERS,   /* [member, ...] */
	K_USERS,     /* [user, ...] */
	K_LIMITS,    /* {max_frame, ...} */
	/* proto_doc.c */
	K_OP,        /* a text operation: an array of integers and strings */
	K_SEL,       /* [anchor, head] or null */
	K_CURSORS,   /* [cursor, ...] */
	K_REVISIONS, /* [revision, ...] */
	K_TAGS,      /* [{name, rev, user, ts}, ...], left out when empty */
	/* proto_notify.c */
	K_NOTIFS,    /* [notification, ...] */
	/* proto_msgs.c */
	K_EMOJI,     /* a reaction's emoji (reactemoji.h), else bad_emoji */
	K_REACTIONS, /* [{emoji, count, users}, ...] */
	K_FLAG,      /* a bool encoded only when true */
	/* proto_rooms.c */
	K_RECEIPTS,  /* [{user, seq}, ...] */
	K_HITS,      /* [search hit, ...] */
	K_ROOMINFOS, /* [{room, topic, members}, ...] */
	/* proto_comments.c */
	K_RANGE,     /* [start, end], start <= end */
	K_COMMENT,   /* one comment object: comments[0] */
	K_COMMENTS,  /* [comment, ...], left out when empty */
	/* proto_suggest.c */
	K_SUGGESTIONS, /* [{id, user, ts, op}, ...], left out when empty */
	/* proto_doclist.c */
	K_DOCREF,    /* {room, name} or null */
	K_DOCINFOS,  /* [{name, rev, ts, user, viewers, watching}, ...] */
};

enum { OPT = 0, REQ = 1, ALWAYS = 2 /* encoded even when empty or null */ };

struct field {
	const char *name;
	enum kind kind;
	int flags;
	size_t off; /* offset of the value in struct proto_frame */
	long has;   /* offset of its has_ flag, or -1 */
};

#define FO(m) offsetof(struct proto_frame, m)
#define S(n, k, fl) {#n, k, fl, FO(n), -1}
#define I(n, k, fl) {#n, k, fl, FO(n), (long)FO(has_##n)}
#define END {NULL, K_STR, 0, 0, -1}

struct row {
	enum proto_type type;
	struct field fields[20];
};

/* proto.c: what proto_doc.c borrows. */
const struct row *proto_find_row(enum proto_dir dir, enum proto_type type);
/* A message object of a list, and a member object. */
extern const struct field proto_message_fields[];
extern const struct field proto_member_fields[];
bool proto_fail(struct proto_error *err, enum proto_err code, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
bool proto_get_int(const cJSON *v, int64_t min, int64_t *out);
bool proto_decode_fields(const cJSON *obj, const struct field *fields,
    struct proto_frame *f, struct proto_error *err);
bool proto_encode_fields(cJSON *o, const struct field *fields,
    const struct proto_frame *f);
bool proto_add_int(cJSON *o, const char *name, int64_t v);
/* The length of v, the list of field fd: -1 with err set unless v is an
 * array of at most PROTO_MAX_ARRAY entries. */
int proto_array_size(const cJSON *v, const struct field *fd,
    struct proto_error *err);
/* An element e of the list named list, decoded by the field table item
 * into the scratch frame t (zeroed first); false with err set unless e is
 * an object whose fields decode. */
bool proto_decode_item(const cJSON *e, const char *list,
    const struct field *item, struct proto_frame *t, struct proto_error *err);

/* proto_doc.c: the document frames' rows and kinds. */
extern const struct row proto_doc_to_server[];
extern const size_t proto_doc_to_server_n;
extern const struct row proto_doc_to_client[];
extern const size_t proto_doc_to_client_n;
bool proto_doc_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err);
bool proto_doc_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f);

/* proto_notify.c: the notification frames' rows and their list kind. */
extern const struct row proto_auth_to_server[];
extern const size_t proto_auth_to_server_n;
extern const struct row proto_auth_to_client[];
extern const size_t proto_auth_to_client_n;
extern const struct row proto_notify_to_server[];
extern const size_t proto_notify_to_server_n;
extern const struct row proto_notify_to_client[];
extern const size_t proto_notify_to_client_n;
/* proto_rights.c: the frames of rooms' rights, and JOINED's roles. */
extern const struct row proto_rights_to_server[];
extern const size_t proto_rights_to_server_n;
extern const struct row proto_rights_to_client[];
extern const size_t proto_rights_to_client_n;

/* proto_msgs.c: threads, reactions, edits and deletes. */
extern const struct row proto_msgs_to_server[];
extern const size_t proto_msgs_to_server_n;
extern const struct row proto_msgs_to_client[];
extern const size_t proto_msgs_to_client_n;

/* A message's fields besides the first ones (a message object of a list,
 * and a MESSAGE frame to a client): its thread, replies, edit, tombstone
 * and reactions. */
#define PROTO_MSGS_MESSAGE_FIELDS \
	I(thread, K_POSINT, OPT), {"replies", K_POSINT, OPT, FO(replies), -1}, \
	{"last_reply", K_POSINT, OPT, FO(last_reply), -1}, \
	{"edited_ts", K_POSINT, OPT, FO(edited_ts), -1}, \
	{"deleted", K_FLAG, OPT, FO(deleted), -1}, \
	{"reactions", K_REACTIONS, OPT, FO(reactions), -1}
/* JOINED's change counter; JOIN's since_rev. */
#define PROTO_MSGS_JOINED_FIELDS I(rev, K_INT, OPT)
#define PROTO_MSGS_JOIN_FIELDS I(since_rev, K_INT, OPT)
bool proto_msgs_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err);
bool proto_msgs_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f);
/* A message's text and tombstone agree: text unless deleted, none if so. */
bool proto_msgs_check(const char *text, bool deleted, struct proto_error *err);
void proto_msgs_free_reactions(struct proto_reaction *r, size_t n);

/* proto_rooms.c: read marks, search, topics and the directory. */
extern const struct row proto_rooms_to_server[];
extern const size_t proto_rooms_to_server_n;
extern const struct row proto_rooms_to_client[];
extern const size_t proto_rooms_to_client_n;
bool proto_rooms_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err);
bool proto_rooms_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f);
/* Frees a decoded frame's receipts, hits (and their marks) and rooms. */
void proto_rooms_free(struct proto_frame *f);
/* JOINED's read mark, unread count, every member's mark and the topic. */
#define PROTO_ROOMS_JOINED_FIELDS \
	I(read, K_INT, OPT), I(unread, K_INT, OPT), \
	{"receipts", K_RECEIPTS, OPT, FO(receipts), -1}, S(topic, K_STR, OPT)
#define PROTO_RIGHTS_JOINED_FIELDS \
	{"private", K_BOOL, OPT, FO(is_private), -1}, S(owner, K_USER, OPT), \
	{"moderators", K_USERS, OPT, FO(moderators), -1}

/* proto_comments.c: documents' comments. */
extern const struct row proto_comments_to_server[];
extern const size_t proto_comments_to_server_n;
extern const struct row proto_comments_to_client[];
extern const size_t proto_comments_to_client_n;
bool proto_comments_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err);
bool proto_comments_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f);
/* Frees a decoded frame's comments and their replies. */
void proto_comments_free(struct proto_frame *f);
/* A new comment's ACK: its id. */
#define PROTO_COMMENTS_ACK_FIELDS \
	{"comment", K_POSINT, OPT, FO(comment_id), (long)FO(has_comment_id)}
/* DOC_STATE's comments. */
#define PROTO_COMMENTS_STATE_FIELDS \
	{"comments", K_COMMENTS, OPT, FO(comments), -1}
/* proto_suggest.c: suggestions and protected documents. */
extern const struct row proto_suggest_to_server[];
extern const size_t proto_suggest_to_server_n;
extern const struct row proto_suggest_to_client[];
extern const size_t proto_suggest_to_client_n;
bool proto_suggest_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err);
bool proto_suggest_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f);
/* ACK's suggestion (of DOC_SUGGEST, SUGGEST_ACCEPT, SUGGEST_REJECT). */
#define PROTO_SUGGEST_ACK_FIELDS \
	{"suggestion", K_POSINT, OPT, FO(suggestion), (long)FO(has_suggestion)}
/* The DOC_OP that accepted a suggestion: who accepted, and which. */
#define PROTO_SUGGEST_OP_FIELDS \
	S(by, K_USER, OPT), PROTO_SUGGEST_ACK_FIELDS
/* DOC_STATE's open suggestions, whether the document is protected and
 * whether its reader may edit it. */
#define PROTO_SUGGEST_STATE_FIELDS \
	{"suggestions", K_SUGGESTIONS, OPT, FO(suggestions), -1}, \
	{"protected", K_BOOL, OPT, FO(is_protected), (long)FO(has_protected)}, \
	{"can_edit", K_BOOL, OPT, FO(can_edit), (long)FO(has_can_edit)}
/* proto_doclist.c: DOC_LIST, and where a user is (PRESENCE_UPDATE's and a
 * member's doc). */
extern const struct row proto_doclist_to_server[];
extern const size_t proto_doclist_to_server_n;
extern const struct row proto_doclist_to_client[];
extern const size_t proto_doclist_to_client_n;
bool proto_doclist_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err);
bool proto_doclist_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f);
void proto_doclist_free(struct proto_frame *f);
#define PROTO_DOCLIST_PRESENCE_FIELD {"doc", K_DOCREF, ALWAYS, FO(at), -1}
#define PROTO_DOCLIST_MEMBER_FIELD {"doc", K_DOCREF, OPT, FO(at), -1}

bool proto_notify_decode(const cJSON *v, const struct field *fd,
    struct proto_frame *f, struct proto_error *err);
bool proto_notify_encode(cJSON *o, const struct field *fd,
    const struct proto_frame *f);

#endif
