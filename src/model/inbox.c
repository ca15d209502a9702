/*
 * inbox: the notification centre's list (see inbox.h).
 *
 * One array sorted by decreasing id, searched by bisection: pushes arrive
 * at the front, pages at the back, so inserts are cheap where they happen
 * and a lookup by id (NOTIFICATION_READ) is logarithmic. A page holds at
 * most PROTO_MAX_ARRAY entries (the decoder's bound), so the room made for
 * one is bounded too; what passes INBOX_MAX is dropped at once.
 */
#include "model/inbox.h"

#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"

#define NONE ((size_t)-1)

struct inbox *
inbox_new(void)
{
	return xcalloc(1, sizeof(struct inbox));
}

static void
item_free(struct inbox_item *it)
{
	free(it->level);
	free(it->kind);
	free(it->title);
	free(it->message);
	free(it->room);
}

void
inbox_free(struct inbox *ib)
{
	if (ib == NULL)
		return;
	for (size_t i = 0; i < ib->n; i++)
		item_free(&ib->items[i]);
	free(ib->items);
	free(ib);
}

/* A copy of a decoded notification. */
static struct inbox_item
item_copy(const struct proto_notification *n)
{
	return (struct inbox_item){
		.id = n->id, .seq = n->seq, .ts = n->ts, .read = n->read,
		.level = xstrdup(n->level ? n->level : ""),
		.kind = xstrdup(n->kind ? n->kind : ""),
		.title = xstrdup(n->title ? n->title : ""),
		.message = xstrdup(n->message ? n->message : ""),
		.room = xstrdup_or_null(n->room),
	};
}

/* The index of id, or where it would go. */
static size_t
position(const struct inbox *ib, int64_t id)
{
	size_t lo = 0, hi = ib->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ib->items[mid].id > id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
reserve(struct inbox *ib, size_t extra)
{
	xgrow(&ib->items, &ib->cap, ib->n + extra, sizeof *ib->items);
}

/* Puts it (taking what it owns) in its place, replacing the entry of the
 * same id; the capacity is reserved. True when the id was new. */
static bool
put(struct inbox *ib, const struct inbox_item *it)
{
	size_t i = position(ib, it->id);
	if (i < ib->n && ib->items[i].id == it->id) {
		item_free(&ib->items[i]);
		ib->items[i] = *it;
		return false;
	}
	memmove(&ib->items[i + 1], &ib->items[i], (ib->n - i) * sizeof *ib->items);
	ib->items[i] = *it;
	ib->n++;
	return true;
}

/* Drops the entries from index i on. */
static void
truncate_at(struct inbox *ib, size_t i)
{
	while (ib->n > i)
		item_free(&ib->items[--ib->n]);
}

static void
trim(struct inbox *ib)
{
	if (ib->n > INBOX_MAX) {
		truncate_at(ib, INBOX_MAX);
		ib->more = true;
	}
}

static void
apply_one(struct inbox *ib, const struct proto_frame *f)
{
	reserve(ib, 1);
	struct inbox_item it = item_copy(&f->notification);
	bool fresh = put(ib, &it);
	if (f->has_unread)
		ib->unread = f->unread;
	else if (fresh && !it.read)
		ib->unread++;
	trim(ib);
}

static void
apply_page(struct inbox *ib, const struct proto_frame *f)
{
	size_t k = f->nnotifications;
	int64_t page_oldest = 0;
	bool continues = f->has_before && (ib->n == 0 || f->before == inbox_oldest(ib));
	reserve(ib, k);
	for (size_t i = 0; i < k; i++) {
		struct inbox_item it = item_copy(&f->notifications[i]);
		if (page_oldest == 0 || it.id < page_oldest)
			page_oldest = it.id;
		put(ib, &it);
	}
	if (!f->has_before) {
		/* the newest page: what is older may have a gap before it */
		truncate_at(ib, k == 0 ? 0 : position(ib, page_oldest) + 1);
		ib->more = f->more;
	} else if (continues) {
		ib->more = f->more;
	}
	if (f->has_unread)
		ib->unread = f->unread;
	trim(ib);
}

static void
apply_read(struct inbox *ib, const struct proto_frame *f)
{
	if (f->notification.id > 0) {
		size_t i = inbox_find(ib, f->notification.id);
		if (i != NONE)
			ib->items[i].read = true;
	}
	if (f->has_upto)
		for (size_t i = position(ib, f->upto); i < ib->n; i++)
			ib->items[i].read = true;
	if (f->has_unread)
		ib->unread = f->unread;
}

void
inbox_apply(struct inbox *ib, const struct proto_frame *f)
{
	switch (f->type) {
	case PT_WELCOME:
		if (f->has_unread)
			ib->unread = f->unread;
		break;
	case PT_NOTIFICATION:
		apply_one(ib, f);
		break;
	case PT_NOTIFICATIONS:
		apply_page(ib, f);
		break;
	case PT_NOTIFICATION_READ:
		apply_read(ib, f);
		break;
	default:
		break;
	}
}

size_t
inbox_count(const struct inbox *ib)
{
	return ib->n;
}

const struct inbox_item *
inbox_at(const struct inbox *ib, size_t index)
{
	return index < ib->n ? &ib->items[index] : NULL;
}

size_t
inbox_find(const struct inbox *ib, int64_t id)
{
	size_t i = position(ib, id);
	return i < ib->n && ib->items[i].id == id ? i : NONE;
}

int64_t
inbox_unread(const struct inbox *ib)
{
	return ib->unread;
}

bool
inbox_link(const struct inbox *ib, size_t index, const char **room,
    int64_t *seq)
{
	const struct inbox_item *it = inbox_at(ib, index);
	if (it == NULL || it->room == NULL)
		return false;
	*room = it->room;
	*seq = it->seq;
	return true;
}

int64_t
inbox_newest(const struct inbox *ib)
{
	return ib->n ? ib->items[0].id : 0;
}

int64_t
inbox_oldest(const struct inbox *ib)
{
	return ib->n ? ib->items[ib->n - 1].id : 0;
}

static void
count_read(struct inbox *ib)
{
	if (ib->unread > 0)
		ib->unread--;
}

bool
inbox_mark_read(struct inbox *ib, int64_t id)
{
	size_t i = inbox_find(ib, id);
	if (i == NONE || ib->items[i].read)
		return false;
	ib->items[i].read = true;
	count_read(ib);
	return true;
}

size_t
inbox_mark_all_read(struct inbox *ib, int64_t upto)
{
	size_t marked = 0;
	for (size_t i = upto < 0 ? 0 : position(ib, upto); i < ib->n; i++)
		if (!ib->items[i].read) {
			ib->items[i].read = true;
			count_read(ib);
			marked++;
		}
	return marked;
}

/* ---- frames the client sends --------------------------------------------- */

char *
inbox_page_frame(const char *cid, int64_t before, int limit)
{
	struct proto_frame f = proto_frame_of(PT_NOTIFICATIONS);
	f.cid = cid;
	f.before = before;
	f.has_before = before > 0;
	f.limit = limit;
	f.has_limit = limit > 0;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
inbox_mark_read_frame(const char *cid, int64_t id)
{
	struct proto_frame f = proto_frame_of(PT_MARK_READ);
	f.cid = cid;
	f.notification.id = id;
	return proto_encode(&f, PROTO_TO_SERVER);
}

char *
inbox_mark_all_read_frame(const char *cid, int64_t upto)
{
	struct proto_frame f = proto_frame_of(PT_MARK_ALL_READ);
	f.cid = cid;
	f.upto = upto;
	f.has_upto = upto >= 0;
	return proto_encode(&f, PROTO_TO_SERVER);
}
