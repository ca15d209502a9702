/*
 * spos: an HTTP session's stream position (spos.h).
 */
#include <stdlib.h>
#include <string.h>

#include "model/xmalloc.h"
#include "server/spos.h"

#define DIGITS_MAX 18

/* Digits of text[0..n) as a number; false when not 1..18 digits. */
static bool
number(const char *p, size_t n, int64_t *out)
{
	if (n == 0 || n > DIGITS_MAX)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

static bool
parse_item(const char *p, size_t n, struct spos_room *r)
{
	memset(r, 0, sizeof *r);
	r->rev = -1;
	const char *colon = memchr(p, ':', n);
	size_t nn = colon ? (size_t)(colon - p) : n;
	if (nn == 0 || nn > SPOS_NAME_MAX)
		return false;
	memcpy(r->name, p, nn);
	r->name[nn] = '\0';
	if (!names_valid_room_or_dm(r->name))
		return false;
	if (colon == NULL)
		return true;
	const char *s = colon + 1, *e = p + n;
	const char *dot = memchr(s, '.', (size_t)(e - s));
	r->has_seq = true;
	if (!number(s, (size_t)((dot ? dot : e) - s), &r->seq))
		return false;
	return dot == NULL || number(dot + 1, (size_t)(e - dot - 1), &r->rev);
}

GArray *
spos_parse(const char *text, size_t max)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct spos_room));
	if (strcmp(text, "-") == 0)
		return a;
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		struct spos_room r;
		if (!parse_item(p, n, &r) || a->len >= max) {
			g_array_free(a, TRUE);
			return NULL;
		}
		for (guint i = 0; i < a->len; i++)
			if (strcmp(g_array_index(a, struct spos_room, i).name,
			    r.name) == 0) {
				g_array_free(a, TRUE);
				return NULL;
			}
		g_array_append_val(a, r);
		p += n;
		if (*p == ',' && *++p == '\0') {
			g_array_free(a, TRUE); /* a trailing comma */
			return NULL;
		}
	}
	if (a->len == 0) {
		g_array_free(a, TRUE);
		return NULL;
	}
	return a;
}

void
spos_init(struct spos *p)
{
	p->rooms = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free);
	p->hints = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free);
}

void
spos_free(struct spos *p)
{
	g_hash_table_destroy(p->rooms);
	g_hash_table_destroy(p->hints);
}

static struct spos_room *
room_new(const char *name, int64_t seq, int64_t rev)
{
	struct spos_room *r = xcalloc(1, sizeof *r);
	g_strlcpy(r->name, name, sizeof r->name);
	r->has_seq = true;
	r->seq = seq;
	r->rev = rev;
	return r;
}

void
spos_hint(struct spos *p, const char *room, int64_t since, int64_t since_rev)
{
	if (strlen(room) > SPOS_NAME_MAX)
		return;
	struct spos_room *r = room_new(room, since, since_rev);
	g_hash_table_replace(p->hints, r->name, r);
}

/* The top-level type of an encoded frame ({"type":"..." comes first). */
static bool
type_is(const char *json, size_t len, const char *type)
{
	static const char pre[] = "{\"type\":\"";
	size_t pn = sizeof pre - 1, tn = strlen(type);
	return len > pn + tn && memcmp(json, pre, pn) == 0 &&
	    memcmp(json + pn, type, tn) == 0 && json[pn + tn] == '"';
}

/* What a frame says of its room: read from its top-level members alone,
 * without building a tree (every SSE session reads every frame it gets).
 * The frames are the server's own encoding: well-formed JSON. */
struct fields {
	char room[SPOS_NAME_MAX + 1];
	bool has_room;
	int64_t seq, rev;
};

/* The end of the JSON string starting at p (its opening quote). */
static const char *
string_end(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return e;
}

/* The end of the JSON value starting at p. */
static const char *
value_end(const char *p, const char *e)
{
	if (p < e && *p == '"')
		return string_end(p, e);
	int depth = 0;
	for (; p < e; p++) {
		if (*p == '"') {
			p = string_end(p, e) - 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (--depth < 0)
				return p;
		} else if (*p == ',' && depth == 0) {
			return p;
		}
	}
	return e;
}

static bool
read_fields(const char *json, size_t len, struct fields *f)
{
	const char *p = json, *e = json + len;
	memset(f, 0, sizeof *f);
	f->seq = f->rev = -1;
	if (p == e || *p++ != '{')
		return false;
	while (p < e && *p == '"') {
		const char *k = p + 1, *ke = string_end(p, e) - 1;
		p = ke + 1;
		if (p >= e || *p++ != ':')
			return false;
		const char *v = p, *ve = value_end(p, e);
		size_t kn = (size_t)(ke - k), vn = (size_t)(ve - v);
		if (kn == 4 && memcmp(k, "room", 4) == 0 && vn >= 2 && *v == '"' &&
		    vn - 2 <= SPOS_NAME_MAX && memchr(v + 1, '\\', vn - 2) == NULL) {
			memcpy(f->room, v + 1, vn - 2);
			f->room[vn - 2] = '\0';
			f->has_room = true;
		} else if (kn == 3 && (memcmp(k, "seq", 3) == 0 ||
		    memcmp(k, "rev", 3) == 0)) {
			int64_t n;
			if (number(v, vn, &n))
				*(k[0] == 's' ? &f->seq : &f->rev) = n;
		}
		p = ve;
		if (p < e && *p == ',')
			p++;
	}
	return true;
}

static bool
joined(struct spos *p, const char *room, const struct fields *f)
{
	int64_t head = f->seq < 0 ? 0 : f->seq, rev = f->rev;
	struct spos_room *h = g_hash_table_lookup(p->hints, room);
	/* a since past what the room has (another server's, a lost
	 * database) would skip what comes next: the head is where it stands */
	struct spos_room *r = h != NULL && h->seq >= 0
	    ? room_new(room, h->seq < head ? h->seq : head,
	        h->rev >= 0 && rev >= 0 && rev < h->rev ? rev : h->rev)
	    : room_new(room, head, rev);
	if (h != NULL)
		g_hash_table_remove(p->hints, room);
	g_hash_table_replace(p->rooms, r->name, r);
	return true;
}

bool
spos_advance(struct spos *p, const char *json, size_t len)
{
	bool msg = type_is(json, len, "MESSAGE");
	bool change = type_is(json, len, "REACTION") ||
	    type_is(json, len, "MESSAGE_EDITED") ||
	    type_is(json, len, "MESSAGE_DELETED");
	bool join = type_is(json, len, "JOINED");
	bool error = type_is(json, len, "ERROR");
	if (!msg && !change && !join && !error)
		return false;
	struct fields f;
	if (!read_fields(json, len, &f) || !f.has_room)
		return false;
	struct spos_room *r = g_hash_table_lookup(p->rooms, f.room);
	if (error) /* a refused join: the room is not followed */
		return g_hash_table_remove(p->hints, f.room);
	if (join)
		return joined(p, f.room, &f);
	if (r != NULL && msg && f.seq > r->seq) {
		r->seq = f.seq;
		return true;
	}
	if (r != NULL && change && r->rev >= 0 && f.rev > r->rev) {
		r->rev = f.rev;
		return true;
	}
	return false;
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *
spos_format(const struct spos *p, GHashTable *subs)
{
	GPtrArray *names = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, p->rooms);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if ((subs == NULL || g_hash_table_contains(subs, k)) &&
		    !g_hash_table_contains(p->hints, k))
			g_ptr_array_add(names, k);
	/* joins under way stand where they were asked to start */
	g_hash_table_iter_init(&it, p->hints);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(names, k);
	g_ptr_array_sort(names, by_name);
	GString *o = g_string_new(NULL);
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		const struct spos_room *r = g_hash_table_lookup(p->hints, name);
		if (r == NULL)
			r = g_hash_table_lookup(p->rooms, name);
		g_string_append_printf(o, "%s%s", i ? "," : "", r->name);
		if (r->seq < 0)
			continue;
		g_string_append_printf(o, ":%lld", (long long)r->seq);
		if (r->rev >= 0)
			g_string_append_printf(o, ".%lld", (long long)r->rev);
	}
	if (o->len == 0)
		g_string_append_c(o, '-');
	g_ptr_array_free(names, TRUE);
	return g_string_free(o, FALSE);
}
