/*
 * status: the status line, which must always say where the user is and
 * how the connection is, however narrow the terminal.
 *
 * The line is a row of parts, each with forms from long to short (the
 * last of an optional part is nothing). When it does not fit, parts give
 * way in a fixed order: first the optional ones (who I am, the scroll,
 * the document, away, why the link dropped), least important first; then
 * the separators shrink from " · " to " "; then the parts that must stay
 * (the connection state, the room, what is pending, unread notifications)
 * take their short forms, the room name last of all cut down to a few
 * characters. Only then, below about 20 columns, is the line cut.
 *
 * status_fit is the choice alone, pure, for the tests; status_draw puts
 * the chosen forms on the screen.
 */
#include "ui/internal.h"

#include <stdio.h>
#include <string.h>

#include "model/textwidth.h"

#define SEP_WIDE " \xc2\xb7 "
#define SEP_NARROW " "

static int
width_of(const char *s)
{
	return tw_width(s, strlen(s));
}

/* The width of the line with the parts at their chosen forms. */
static int
line_width(const struct status_part *p, size_t n, const int *form, bool wide)
{
	int w = 0;
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		const char *s = p[i].forms[form[i]];
		if (*s == '\0')
			continue;
		if (!first)
			w += p[i].sep ? (wide ? 3 : 1) : 1;
		w += width_of(s);
		first = false;
	}
	return w;
}

/* Shrinks the parts that give way at this stage, lowest priority first,
 * one form at a time, until the line fits. */
static bool
shrink(const struct status_part *p, size_t n, int *form, bool wide,
    bool essential, int cols)
{
	for (int prio = STATUS_PRIO_MAX; prio >= 0; prio--) {
		for (size_t i = 0; i < n; i++) {
			if (p[i].prio != prio || p[i].essential != essential)
				continue;
			while (form[i] + 1 < p[i].nforms &&
			    line_width(p, n, form, wide) > cols)
				form[i]++;
			if (line_width(p, n, form, wide) <= cols)
				return true;
		}
	}
	return false;
}

bool
status_fit(const struct status_part *p, size_t n, int cols, int *form)
{
	for (size_t i = 0; i < n; i++)
		form[i] = 0;
	if (line_width(p, n, form, true) <= cols ||
	    shrink(p, n, form, true, false, cols))
		return true;
	if (line_width(p, n, form, false) > cols)
		shrink(p, n, form, false, true, cols);
	return false;
}

int
status_draw(int y, int cols, const struct status_part *p, size_t n)
{
	int form[STATUS_PARTS_MAX];
	/* A margin of one column while there is room for it. */
	bool wide = status_fit(p, n, cols - 1, form);
	int x = 1;
	if (!wide) {
		wide = status_fit(p, n, cols, form);
		x = 0;
	}
	struct ui_clip clip = { 0, cols };
	draw_fill(y, 0, cols, TH_STATUS);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		const char *s = p[i].forms[form[i]];
		if (*s == '\0')
			continue;
		if (!first)
			x = draw_str(y, x, p[i].sep && wide ? SEP_WIDE : SEP_NARROW,
			    clip, TH_STATUS, UI_FG_THEME);
		x = draw_str(y, x, s, clip, p[i].elem, UI_FG_THEME);
		first = false;
	}
	return x;
}
