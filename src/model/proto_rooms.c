/*
 * proto_rooms: the frames of read marks, search, topics and the room directory
 * (docs/protocol.md, "Read marks, search, topics and the directory").
 */
#include "model/proto_impl.h"

/* No rows yet: a placeholder the frames' rows replace. */
const struct row proto_rooms_to_server[] = {{PT_NONE, {END}}};
const size_t proto_rooms_to_server_n = 0;

const struct row proto_rooms_to_client[] = {{PT_NONE, {END}}};
const size_t proto_rooms_to_client_n = 0;
