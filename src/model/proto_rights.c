/*
 * proto_rights: the frames of rooms' rights (docs/protocol.md, "Rooms and
 * rights"): the requests owners and moderators send (INVITE, KICK, BAN,
 * UNBAN, ROOM_MODE, OP, DEOP; each with a cid, answered ACK or ERROR) and
 * the ROOM_EVENT every session in the room gets for each. JOINED's mode
 * and roles are fields of its row in proto.c (PROTO_RIGHTS_JOINED_FIELDS).
 *
 * A ROOM_EVENT's `event` is any string: a client shows one it does not know
 * as a plain notice, so new events need no new codec.
 */
#include "model/proto_impl.h"

#define TARGET S(room, K_ROOM, REQ), S(user, K_USER, REQ), S(cid, K_CID, REQ)

const struct row proto_rights_to_server[] = {
	{PT_INVITE, {TARGET, END}},
	{PT_KICK, {TARGET, S(reason, K_STR, OPT), END}},
	{PT_BAN, {TARGET, S(reason, K_STR, OPT), END}},
	{PT_UNBAN, {TARGET, END}},
	{PT_ROOM_MODE, {S(room, K_ROOM, REQ), {"private", K_BOOL, REQ,
	    FO(is_private), -1}, S(cid, K_CID, REQ), END}},
	{PT_OP, {TARGET, END}},
	{PT_DEOP, {TARGET, END}},
};
const size_t proto_rights_to_server_n =
    sizeof proto_rights_to_server / sizeof *proto_rights_to_server;

const struct row proto_rights_to_client[] = {
	{PT_ROOM_EVENT, {S(room, K_ROOM, REQ), S(event, K_STR, REQ),
	    S(user, K_USER, OPT), S(by, K_USER, REQ), S(reason, K_STR, OPT),
	    {"private", K_BOOL, OPT, FO(is_private), (long)FO(has_private)},
	    I(ts, K_INT, OPT), END}},
};
const size_t proto_rights_to_client_n =
    sizeof proto_rights_to_client / sizeof *proto_rights_to_client;
