/*
 * roomstore: the rooms the user was in (direct-message rooms too), in the
 * order of the room list, how far they had read each and how far its chat
 * log goes (chatlog.h), kept across
 * runs in the state directory (rooms-USER.json, mode 0600, replaced
 * whole). On the next start the rooms come back and are joined again, and
 * what arrived meanwhile counts as unread, with the new-messages line
 * where the user left off.
 *
 * The file names the server it belongs to: another server's rooms are not
 * brought back. A file that cannot be read or parsed is reported and left
 * as it is (the next save replaces it).
 */
#ifndef CONFAB_CLIENT_ROOMSTORE_H
#define CONFAB_CLIENT_ROOMSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/chat.h"

/* Opens the remembered rooms in chat (not joined) with their read marks;
 * true when there was nothing to load or it loaded, false with the reason
 * in err. */
bool roomstore_load(const char *path, const char *server, struct chat *chat,
    char *err, size_t errlen);
/* Writes chat's rooms; false (errno set) when it could not. */
bool roomstore_save(const char *path, const char *server,
    const struct chat *chat);

#endif
