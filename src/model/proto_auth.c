/*
 * proto_auth: the frames of signing in over the WebSocket (docs/protocol.md,
 * "Accounts and sign-in"): LOGIN, REGISTER and LOGOUT from the client, LOGGED_IN
 * from the server. A password is any string of 1 to PROTO_PASSWORD_MAX
 * bytes; the codec never keeps it longer than the frame.
 */
#include "model/proto_impl.h"

const struct row proto_auth_to_server[] = {
	{PT_LOGIN, {S(cid, K_CID, REQ), S(user, K_USER, REQ),
	    S(password, K_STR, REQ), END}},
	{PT_REGISTER, {S(cid, K_CID, REQ), S(user, K_USER, REQ),
	    S(password, K_STR, REQ), END}},
	{PT_LOGOUT, {S(cid, K_CID, REQ), END}},
};
const size_t proto_auth_to_server_n =
    sizeof proto_auth_to_server / sizeof *proto_auth_to_server;

const struct row proto_auth_to_client[] = {
	{PT_LOGGED_IN, {S(cid, K_CID, REQ), S(user, K_USER, REQ),
	    S(token, K_STR, REQ), I(expires, K_INT, REQ), END}},
};
const size_t proto_auth_to_client_n =
    sizeof proto_auth_to_client / sizeof *proto_auth_to_client;
