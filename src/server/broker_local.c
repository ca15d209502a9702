/*
 * broker_local: subscriptions of one process, room name -> set of sessions.
 * Publishing walks the set and hands the shared buffer to each session.
 */
#include <glib.h>
#include <stdlib.h>

#include "server/broker.h"
#include "server/server.h"

struct local_broker {
	struct broker base;
	GHashTable *rooms; /* name -> GHashTable set of struct session * */
};

static GHashTable *
subscribers(struct broker *b, const char *room)
{
	return g_hash_table_lookup(((struct local_broker *)b)->rooms, room);
}

static void
local_subscribe(struct broker *b, const char *room, struct session *s)
{
	struct local_broker *lb = (struct local_broker *)b;
	GHashTable *set = g_hash_table_lookup(lb->rooms, room);
	if (set == NULL) {
		set = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_hash_table_insert(lb->rooms, g_strdup(room), set);
	}
	g_hash_table_add(set, s);
}

static void
local_unsubscribe(struct broker *b, const char *room, struct session *s)
{
	struct local_broker *lb = (struct local_broker *)b;
	GHashTable *set = g_hash_table_lookup(lb->rooms, room);
	if (set == NULL)
		return;
	g_hash_table_remove(set, s);
	if (g_hash_table_size(set) == 0)
		g_hash_table_remove(lb->rooms, room);
}

static void
local_publish(struct broker *b, const char *room, struct outbuf *buf,
    const struct session *except)
{
	GHashTable *set = subscribers(b, room);
	if (set == NULL)
		return;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &key, NULL))
		if (key != except)
			hub_deliver(key, room, buf);
}

static void
local_visit(struct broker *b, const char *room, broker_visit_fn fn, void *arg)
{
	GHashTable *set = subscribers(b, room);
	if (set == NULL)
		return;
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &key, NULL))
		fn(key, arg);
}

static unsigned
local_rooms(struct broker *b)
{
	return g_hash_table_size(((struct local_broker *)b)->rooms);
}

static void
local_destroy(struct broker *b)
{
	struct local_broker *lb = (struct local_broker *)b;
	g_hash_table_destroy(lb->rooms);
	g_free(lb);
}

static const struct broker_ops local_ops = {
	.subscribe = local_subscribe,
	.unsubscribe = local_unsubscribe,
	.publish = local_publish,
	.visit = local_visit,
	.rooms = local_rooms,
	.destroy = local_destroy,
};

struct broker *
broker_local_new(void)
{
	struct local_broker *lb = g_new0(struct local_broker, 1);
	lb->base.ops = &local_ops;
	lb->rooms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    (GDestroyNotify)g_hash_table_destroy);
	return &lb->base;
}
