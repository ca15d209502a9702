/*
 * broker: fan-out of a room's frames to the sessions subscribed to it.
 *
 * One node keeps subscriptions in process (broker_local.c); a cluster puts a
 * Redis pub/sub implementation behind the same operations, so that the hub
 * never knows how many nodes there are. Delivery to a session goes through
 * hub_deliver, which may hold it back while the session replays the room.
 */
#ifndef CONFAB_BROKER_H
#define CONFAB_BROKER_H

struct broker;
struct session;
struct outbuf;

typedef void (*broker_visit_fn)(struct session *s, void *arg);

struct broker_ops {
	void (*subscribe)(struct broker *, const char *room, struct session *);
	void (*unsubscribe)(struct broker *, const char *room, struct session *);
	/* Delivers b to every subscriber of room but `except` (may be NULL). */
	void (*publish)(struct broker *, const char *room, struct outbuf *b,
	    const struct session *except);
	/* Calls fn for every local subscriber of room. */
	void (*visit)(struct broker *, const char *room, broker_visit_fn fn, void *arg);
	unsigned (*rooms)(struct broker *);
	void (*destroy)(struct broker *);
};

struct broker {
	const struct broker_ops *ops;
};

struct broker *broker_local_new(void);

#endif
