/* roomstore: the room list across runs (roomstore.h). */
#include "client/roomstore.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/fileio.h"
#include "model/names.h"

#define ROOMSTORE_MAX_FILE ((size_t)1 << 20)

static bool
seq_of(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble >= 0 &&
	    v->valuedouble < 9007199254740992.0;
}

bool
roomstore_load(const char *path, const char *server, struct chat *chat,
    char *err, size_t errlen)
{
	char why[256];
	char *text = file_read(path, ROOMSTORE_MAX_FILE, NULL, why, sizeof why);
	if (text == NULL) {
		if (errno == ENOENT)
			return true;
		snprintf(err, errlen, "%s", why);
		return false;
	}
	cJSON *o = cJSON_Parse(text);
	free(text);
	const cJSON *srv = cJSON_GetObjectItemCaseSensitive(o, "server");
	const cJSON *rooms = cJSON_GetObjectItemCaseSensitive(o, "rooms");
	if (!cJSON_IsString(srv) || !cJSON_IsArray(rooms)) {
		snprintf(err, errlen, "%s: not a list of rooms (left as it is)", path);
		cJSON_Delete(o);
		return false;
	}
	if (strcmp(srv->valuestring, server) == 0) {
		const cJSON *e;
		cJSON_ArrayForEach(e, rooms) {
			const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
			const cJSON *read = cJSON_GetObjectItemCaseSensitive(e, "read");
			if (!cJSON_IsString(name) ||
			    !names_valid_room_or_dm(name->valuestring))
				continue;
			const cJSON *logged =
			    cJSON_GetObjectItemCaseSensitive(e, "logged");
			struct room *r = chat_open(chat, name->valuestring);
			if (seq_of(read))
				room_set_read(r, (int64_t)read->valuedouble);
			if (seq_of(logged)) {
				r->logged = (int64_t)logged->valuedouble;
				r->logged_known = true;
			}
		}
	}
	cJSON_Delete(o);
	return true;
}

bool
roomstore_save(const char *path, const char *server, const struct chat *chat)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "server", server);
	cJSON *rooms = cJSON_AddArrayToObject(o, "rooms");
	for (size_t i = 0; i < chat->nrooms; i++) {
		const struct room *r = chat->rooms[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", r->name);
		if (r->read_known)
			cJSON_AddNumberToObject(e, "read", (double)r->read_seq);
		if (r->logged_known)
			cJSON_AddNumberToObject(e, "logged", (double)r->logged);
		cJSON_AddItemToArray(rooms, e);
	}
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	bool ok = file_write_atomic(path, text, strlen(text), false);
	free(text);
	return ok;
}
