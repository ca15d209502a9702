/*
 * proto_msgs: the frames of threads, reactions, edits and deletes (docs/protocol.md,
 * "Threads, reactions, edits and deletes").
 */
#include "model/proto_impl.h"

/* No rows yet: a placeholder the frames' rows replace. */
const struct row proto_msgs_to_server[] = {{PT_NONE, {END}}};
const size_t proto_msgs_to_server_n = 0;

const struct row proto_msgs_to_client[] = {{PT_NONE, {END}}};
const size_t proto_msgs_to_client_n = 0;
