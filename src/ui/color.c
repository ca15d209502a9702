/*
 * color: a theme's colours on whatever the terminal has.
 *
 * A theme colour is the terminal's default, a palette index 0-255 or an
 * RGB value. The terminal has a direct-colour description (COLORS is
 * 2^24, as with TERM=xterm-direct: RGB values are colour numbers), a 256
 * palette, 16 or 8 colours, or none. Each colour goes to the closest thing
 * the terminal can show: RGB to the nearest entry of the 6x6x6 cube or the
 * grey ramp (the 16 basic entries are skipped: users recolour them), and
 * palette entries past COLORS to the nearest basic colour by xterm's
 * default RGB values. The terminal's palette itself is never redefined:
 * init_color would change it for every other program until reset.
 *
 * With NO_COLOR (or a terminal without colours) only attributes remain,
 * and the elements whose look the theme gave by colour alone get one (the
 * status line reverse, mentions bold), so the screen keeps its structure.
 *
 * Pairs come from alloc_pair, which reuses a pair for the same fg/bg, so
 * nick colours on any background cost a lookup, not bookkeeping here.
 */
#include "ui/internal.h"

#include <curses.h>
#include <string.h>

static struct {
	bool on;
	int ncolors;
	bool direct;
	struct theme theme;
	int pair[TH_COUNT];
	attr_t attrs[TH_COUNT];
	int bg[TH_COUNT];           /* terminal colour numbers */
} co;

/* ---- pure mapping -------------------------------------------------------- */

static const uint32_t basic16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd,
	0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff,
	0x00ffff, 0xffffff,
};

static const int cube_level[6] = { 0, 95, 135, 175, 215, 255 };

/* xterm's default RGB for a palette index. */
static uint32_t
palette_rgb(int p)
{
	if (p < 16)
		return basic16[p];
	if (p < 232) {
		p -= 16;
		return (uint32_t)cube_level[p / 36] << 16 |
		    (uint32_t)cube_level[p / 6 % 6] << 8 | (uint32_t)cube_level[p % 6];
	}
	uint32_t v = (uint32_t)(8 + 10 * (p - 232));
	return v << 16 | v << 8 | v;
}

/* Squared distance, weighted for how the eye sees green over blue. */
static long
dist(uint32_t a, uint32_t b)
{
	long dr = (long)(a >> 16 & 255) - (long)(b >> 16 & 255);
	long dg = (long)(a >> 8 & 255) - (long)(b >> 8 & 255);
	long db = (long)(a & 255) - (long)(b & 255);
	return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

static int
nearest_basic(uint32_t rgb, int n)
{
	int best = 0;
	for (int i = 1; i < n; i++)
		if (dist(rgb, basic16[i]) < dist(rgb, basic16[best]))
			best = i;
	return best;
}

static int
nearest_level(int v)
{
	int best = 0;
	for (int i = 1; i < 6; i++) {
		int d = v - cube_level[i], b = v - cube_level[best];
		if (d * d < b * b)
			best = i;
	}
	return best;
}

static int
nearest_256(uint32_t rgb)
{
	int r = nearest_level((int)(rgb >> 16 & 255));
	int g = nearest_level((int)(rgb >> 8 & 255));
	int b = nearest_level((int)(rgb & 255));
	int cube = 16 + 36 * r + 6 * g + b;
	int avg = (int)((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3;
	int grey = avg < 8 ? 232 : avg > 238 ? 255 : 232 + (avg - 8 + 5) / 10;
	if (grey > 255)
		grey = 255;
	return dist(rgb, palette_rgb(grey)) < dist(rgb, palette_rgb(cube)) ?
	    grey : cube;
}

int
color_map(int32_t c, int ncolors, bool direct)
{
	if (c < 0 || ncolors < 8)
		return -1;
	if (THEME_IS_RGB(c)) {
		uint32_t rgb = (uint32_t)c & 0xffffff;
		if (direct) /* numbers below 8 are the basic colours there */
			return rgb < 8 ? 8 : (int)rgb;
		if (ncolors >= 256)
			return nearest_256(rgb);
		return nearest_basic(rgb, ncolors >= 16 ? 16 : 8);
	}
	if (c > 255)
		return -1;
	if (direct)
		return c < 8 ? c : color_map(THEME_RGB(0, 0, 0) |
		    (int32_t)palette_rgb(c), ncolors, true);
	if (c < ncolors)
		return c;
	if (ncolors < 16 && c < 16)
		return c - 8; /* bright -> its basic colour */
	return nearest_basic(palette_rgb(c), ncolors >= 16 ? 16 : 8);
}

/* ---- curses -------------------------------------------------------------- */

static attr_t
attrs_of(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_DIM)
		r |= A_DIM;
	if (a & THEME_ITALIC)
		r |= A_ITALIC;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
	return r;
}

/* Without colours, what an element gets when its theme gave it nothing
 * but colour. */
static attr_t
monochrome(enum theme_elem e)
{
	switch (e) {
	case TH_STATUS:
		return A_REVERSE;
	case TH_STATUS_ALERT:
		return A_REVERSE | A_BOLD;
	case TH_ROOM_MENTION: case TH_MENTION: case TH_UNREAD_MARKER:
	case TH_DAY: case TH_FAILED:
		return A_BOLD;
	case TH_TIME: case TH_BORDER:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

static int
pair_for(int fg, int bg)
{
	if (fg == -1 && bg == -1)
		return 0;
	int p = alloc_pair(fg, bg);
	return p < 0 ? 0 : p;
}

void
color_start(bool no_color)
{
	co.on = !no_color && has_colors();
	if (!co.on)
		return;
	start_color();
	use_default_colors();
	co.ncolors = COLORS;
	co.direct = COLORS >= 0x1000000;
	if (co.ncolors < 8)
		co.on = false;
}

void
color_set_theme(const struct theme *t)
{
	co.theme = *t;
	if (co.on)
		reset_color_pairs();
	for (int e = 0; e < TH_COUNT; e++) {
		const struct theme_style *st = &t->style[e];
		co.attrs[e] = attrs_of(st->attrs);
		co.pair[e] = 0;
		co.bg[e] = -1;
		if (!co.on) {
			if (st->attrs == 0)
				co.attrs[e] = monochrome((enum theme_elem)e);
			continue;
		}
		int fg = color_map(st->fg, co.ncolors, co.direct);
		co.bg[e] = color_map(st->bg, co.ncolors, co.direct);
		co.pair[e] = pair_for(fg, co.bg[e]);
	}
}

void
color_style(enum theme_elem e, int32_t fg, unsigned long *attrs, int *pair)
{
	if ((int)e < 0 || e >= TH_COUNT)
		e = TH_NORMAL;
	*attrs = co.attrs[e];
	*pair = co.pair[e];
	if (co.on && fg != UI_FG_THEME)
		*pair = pair_for(color_map(fg, co.ncolors, co.direct), co.bg[e]);
}
