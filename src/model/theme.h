/*
 * theme: which colours and attributes each part of the screen uses, and
 * the parser of themes/NAME.theme files (format in docs/themes.md).
 *
 * A theme file is lines of `element = style`, where a style is words:
 * `fg:COLOR`, `bg:COLOR`, `bold`, `dim`, `italic`, `underline`, `reverse`,
 * `none`. COLOR is `default`, a name (black red green yellow blue magenta
 * cyan white, bright-black .. bright-white), a palette index 0-255 or
 * `#rrggbb`. `nick_colors = COLOR COLOR ...` lists the colours nicks are
 * hashed onto. Elements a file does not name keep the built-in default's
 * style. Errors name the file and line and leave the theme untouched.
 * Pure: the UI maps colours to what the terminal has.
 *
 * An element's name is its enum name without TH_, in lower case, with
 * '_' written '.': TH_ROOM_CURRENT is `room.current`. A line names an
 * element's whole style (words it does not give are default/off); `none`
 * is the plain style and stands alone. Comments are lines starting with
 * '#', or " # ..." at the end of a line ('#' with a blank on both sides,
 * since "#rrggbb" is a colour).
 */
#ifndef CONFAB_THEME_H
#define CONFAB_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum theme_elem {
	TH_NORMAL,          /* anything not named below */
	TH_BORDER,          /* pane separators */
	TH_BORDER_FOCUS,    /* the separator of the pane that has the keys */
	TH_ROOM,            /* a room in the list */
	TH_ROOM_CURRENT,    /* the room shown */
	TH_ROOM_UNREAD,     /* a room with unread messages */
	TH_ROOM_MENTION,    /* a room that mentions me */
	TH_TIME,            /* message times */
	TH_NICK_SELF,       /* my nick */
	TH_TEXT,            /* message text */
	TH_ACTION,          /* /me lines */
	TH_PENDING,         /* my messages not yet acknowledged */
	TH_FAILED,          /* my messages the server refused */
	TH_MENTION,         /* lines that mention me */
	TH_DAY,             /* day separators */
	TH_UNREAD_MARKER,   /* the "new messages" line */
	TH_SEARCH,          /* what /search found, in the messages */
	TH_NOTICE,          /* client messages in the pane (errors, help) */
	TH_TYPING,          /* the typing line */
	TH_ONLINE, TH_AWAY, TH_BUSY, TH_OFFLINE, /* presence list */
	TH_STATUS,          /* the status line */
	TH_STATUS_ALERT,    /* the status line's connection trouble */
	TH_INPUT,           /* the input line */
	TH_COUNT
};

#define THEME_COLOR_DEFAULT (-1)
#define THEME_RGB(r, g, b) (0x1000000 | ((r) << 16) | ((g) << 8) | (b))
#define THEME_IS_RGB(c) ((c) >= 0x1000000)

enum {
	THEME_BOLD = 1, THEME_DIM = 2, THEME_ITALIC = 4, THEME_UNDERLINE = 8,
	THEME_REVERSE = 16,
};

struct theme_style {
	int32_t fg, bg;  /* THEME_COLOR_DEFAULT, 0-255, or THEME_RGB */
	unsigned attrs;
};

#define THEME_NICK_COLORS_MAX 32

struct theme {
	char name[64];
	struct theme_style style[TH_COUNT];
	int32_t nick_colors[THEME_NICK_COLORS_MAX];
	size_t n_nick_colors;
};

/* The built-in default (dark) theme. */
void theme_default(struct theme *t);
/* Parses text over a copy of the default; on error writes
 * "filename:line: reason" into err and leaves t untouched. The theme is
 * named after the file: "themes/light.theme" is "light". */
bool theme_parse(struct theme *t, const char *text, const char *filename,
    char *err, size_t errlen);
/* The name of e in theme files ("room.current"); NULL when out of range. */
const char *theme_elem_name(enum theme_elem e);
/* The colour for a nick: a stable hash of it onto nick_colors. */
int32_t theme_nick_color(const struct theme *t, const char *nick);

#endif
