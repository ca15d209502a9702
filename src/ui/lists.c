/*
 * lists: the two side panes.
 *
 * The room list shows every open room in list order, one a row: its
 * number (what Alt-digit goes to), its name, and its unread count with,
 * when someone mentioned me there, "@N" in the mention style ("7 @1": the
 * mentions stay when there is room for one count only). It scrolls only as much as
 * needed to keep the current room on screen; ui.c remembers the first row
 * so that a click maps back to a room.
 *
 * A private room has a '*' just before its name.
 *
 * The presence list shows the current room's members grouped online, away,
 * busy, offline, each group sorted by name, with the document they are in
 * ("alice · editing notes") and their status text where there is room; the room's owner is marked '@', its moderators '+'. When they do not fit, the last row says how many were
 * left out: offline people go first, since they come last.
 */
#include "ui/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/textwidth.h"
#include "model/xmalloc.h"

/* ---- rooms --------------------------------------------------------------- */

/* "7", "@1" or both ("7 @1"): unread messages, and how many mention me. */
static void
room_counts(const struct room *rm, char *unread, char *mentions, size_t size)
{
	unread[0] = mentions[0] = '\0';
	if (rm->mentions > 0)
		snprintf(mentions, size, rm->mentions > 99 ? "@99+" : "@%u",
		    rm->mentions);
	if (rm->unread > rm->mentions || (rm->unread > 0 && rm->mentions == 0))
		snprintf(unread, size, rm->unread > 999 ? "999+" : "%u", rm->unread);
}

static void
room_row(const struct room *rm, size_t index, int numw, bool current, int y,
    struct ui_rect r)
{
	char unread[16], mentions[16], num[24];
	room_counts(rm, unread, mentions, sizeof unread);
	enum theme_elem ue = TH_ROOM_UNREAD, me = TH_ROOM_MENTION;
	enum theme_elem ne = current ? TH_ROOM_CURRENT :
	    rm->mentions ? TH_ROOM_MENTION : rm->unread ? TH_ROOM_UNREAD : TH_ROOM;
	if (current) {
		draw_fill(y, r.x, r.w, TH_ROOM_CURRENT);
		ue = me = TH_ROOM_CURRENT; /* the bar stays whole */
	}
	int right = r.x + r.w - 1;         /* one cell of margin */
	int uw = (int)strlen(unread), mw = (int)strlen(mentions);
	struct ui_clip cc = { r.x, right };
	/* the mentions first, then the count when there is room for both */
	if (mw > 0 && mw + 3 <= r.w) {
		draw_text(y, right - mw, mentions, (size_t)mw, cc, me, UI_FG_THEME);
		right -= mw + 1;
	}
	if (uw > 0 && uw + 3 <= right - r.x) {
		draw_text(y, right - uw, unread, (size_t)uw, cc, ue, UI_FG_THEME);
		right -= uw + 1;
	}
	int x = r.x + 1;
	/* the number Alt-digit goes to, while there is room for a name too */
	if (numw > 0 && r.w >= numw + 6) {
		snprintf(num, sizeof num, "%*zu", numw, index + 1);
		struct ui_clip nc = { r.x, right };
		x = draw_text(y, x, num, strlen(num), nc,
		    current ? TH_ROOM_CURRENT : TH_OFFLINE, UI_FG_THEME) + 1;
	}
	/* a private room: '*' in the column before its name */
	if (rm->roles.is_private && rm->name && rm->name[0] != '@' && x > r.x)
		draw_text(y, x - 1, "*", 1, (struct ui_clip){ r.x, right }, ne,
		    UI_FG_THEME);
	struct ui_clip nc = { r.x + 1, right };
	draw_str(y, x, rm->name ? rm->name : "", nc, ne, UI_FG_THEME);
}

size_t
lists_draw_rooms(const struct chat *c, struct ui_rect r)
{
	if (r.h <= 0 || r.w <= 0 || c->nrooms == 0)
		return 0;
	size_t h = (size_t)r.h;
	size_t first = c->current >= h ? c->current - h + 1 : 0;
	int numw = c->nrooms > 99 ? 3 : c->nrooms > 9 ? 2 : 1;
	for (size_t i = first; i < c->nrooms && i - first < h; i++)
		room_row(c->rooms[i], i, numw, i == c->current,
		    r.y + (int)(i - first), r);
	return first;
}

/* ---- people -------------------------------------------------------------- */

static const struct {
	const char *title;
	enum theme_elem elem;
} groups[] = {
	{ "online", TH_ONLINE },
	{ "away", TH_AWAY },
	{ "busy", TH_BUSY },
	{ "offline", TH_OFFLINE },
};

#define NGROUPS (sizeof groups / sizeof *groups)

static size_t
group_of(enum proto_status st)
{
	switch (st) {
	case PS_AWAY: return 1;
	case PS_BUSY: return 2;
	case PS_OFFLINE: return 3;
	default: return 0;   /* online, or not said */
	}
}

static int
by_name(const void *a, const void *b)
{
	const struct room_member *x = *(const struct room_member *const *)a;
	const struct room_member *y = *(const struct room_member *const *)b;
	return strcmp(x->user ? x->user : "", y->user ? y->user : "");
}

/* " · editing notes" after a member in a document (" · editing
 * room/notes" for another room's), or " · notes" when only that fits, or
 * nothing; the column after it. */
static int
member_doc(const struct room *rm, const struct room_member *m, int x, int y,
    struct ui_rect r)
{
	if (m->doc_name == NULL)
		return x;
	char what[160];
	bool here = m->doc_room && strcmp(m->doc_room, rm->name) == 0;
	snprintf(what, sizeof what, " \xc2\xb7 editing %s%s%s", here ? "" : m->doc_room,
	    here ? "" : "/", m->doc_name);
	int room = r.x + r.w - x;
	if (tw_width(what, strlen(what)) > room)
		snprintf(what, sizeof what, " \xc2\xb7 %s", m->doc_name);
	if (tw_width(what, strlen(what)) > room)
		return x;
	struct ui_clip clip = { x, r.x + r.w };
	return draw_str(y, x, what, clip, TH_OFFLINE, UI_FG_THEME);
}

/* A member, after the mark of their role in the room: '@' the owner, '+'
 * a moderator. */
static void
member_row(const struct room *rm, const struct room_member *m,
    enum theme_elem e, int y, struct ui_rect r)
{
	struct ui_clip clip = { r.x + 1, r.x + r.w };
	char mark[2] = { roles_mark(&rm->roles, m->user), '\0' };
	if (mark[0] && r.w > 3)
		draw_text(y, r.x + 1, mark, 1, clip, e, UI_FG_THEME);
	int x = draw_str(y, r.x + 2, m->user ? m->user : "", clip, e,
	    UI_FG_THEME);
	x = member_doc(rm, m, x, y, r);
	if (m->text && m->text[0] && x + 2 < r.x + r.w)
		draw_str(y, x + 1, m->text, clip, TH_OFFLINE, UI_FG_THEME);
}

void
lists_draw_people(const struct chat *c, struct ui_rect r)
{
	const struct room *rm = chat_current(c);
	if (rm == NULL || rm->nmembers == 0 || r.h <= 0 || r.w <= 0)
		return;
	const struct room_member **v = xreallocarray(NULL, rm->nmembers,
	    sizeof *v);
	size_t n[NGROUPS] = { 0 }, start[NGROUPS], at[NGROUPS];
	for (size_t i = 0; i < rm->nmembers; i++)
		n[group_of(rm->members[i].status)]++;
	for (size_t g = 0, s = 0; g < NGROUPS; s += n[g], g++)
		start[g] = at[g] = s;
	for (size_t i = 0; i < rm->nmembers; i++)
		v[at[group_of(rm->members[i].status)]++] = &rm->members[i];

	struct ui_clip clip = { r.x, r.x + r.w };
	int y = r.y, end = r.y + r.h;
	size_t shown = 0;
	for (size_t g = 0; g < NGROUPS; g++) {
		if (n[g] == 0)
			continue;
		qsort(v + start[g], n[g], sizeof *v, by_name);
		/* A title needs someone under it, and the "more" row after. */
		bool last_group = shown + n[g] == rm->nmembers;
		if (end - y < 3 && !(last_group && (size_t)(end - y) >= n[g] + 1))
			break;
		char title[48];
		snprintf(title, sizeof title, "%s %zu", groups[g].title, n[g]);
		draw_text(y++, r.x + 1, title, strlen(title), clip, groups[g].elem,
		    UI_FG_THEME);
		for (size_t k = 0; k < n[g]; k++) {
			/* Keep the last row for "… N more" when others remain. */
			bool last = y == end - 1 && shown + 1 < rm->nmembers;
			if (y >= end || last)
				break;
			member_row(rm, v[start[g] + k], groups[g].elem, y++, r);
			shown++;
		}
	}
	if (shown < rm->nmembers && y < end) {
		char more[48];
		snprintf(more, sizeof more, "\xe2\x80\xa6 %zu more",
		    rm->nmembers - shown);
		draw_text(y, r.x + 1, more, strlen(more), clip, TH_OFFLINE,
		    UI_FG_THEME);
	}
	free(v);
}
