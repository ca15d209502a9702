/*
 * threadpane: a thread beside the messages. A title row, the root and
 * its replies as the message pane draws them (the same pane code, its
 * view of the room being the thread), and an input line of its own at the
 * bottom, where a reply is written.
 */
#include "ui/internal.h"

#include <curses.h>
#include <string.h>

#include "model/textwidth.h"

#define PROMPT "> "
#define PROMPT_ELSEWHERE "\xc2\xb7 "

static void
input_row(const struct ui_thread *t, struct ui_rect r, int y, int *cy,
    int *cx)
{
	struct ui_clip clip = { r.x, r.x + r.w };
	enum theme_elem te = t->focused ? TH_INPUT : TH_OFFLINE;
	draw_fill(y, r.x, r.w, TH_INPUT);
	const char *prompt = t->focused ? PROMPT : PROMPT_ELSEWHERE;
	int x = draw_text(y, r.x, prompt, strlen(prompt), clip, te, UI_FG_THEME);
	struct ui_buf d = { 0 };
	size_t dcur = 0;
	const struct edit *e = t->input;
	if (e && e->buf)
		ui_sanitize_mark(&d, e->buf, e->len, UI_NL_SHOW,
		    edit_cursor_byte(e), &dcur);
	const char *text = d.s ? d.s : "";
	int avail = r.x + r.w - x, cur = tw_width(text, dcur);
	int hs = cur >= avail ? cur - avail + 1 : 0;
	struct ui_clip tc = { x, r.x + r.w };
	draw_text(y, x - hs, text, d.len, tc, te, UI_FG_THEME);
	ui_buf_free(&d);
	*cy = y;
	*cx = x + cur - hs;
}

void
threadpane_draw(const struct ui_view *v, struct pane_view *pv,
    struct ui_rect r, int *scroll_out, int *cy, int *cx)
{
	const struct ui_thread *t = v->thread;
	const struct room *room = chat_current(v->chat);
	*scroll_out = 0;
	*cy = *cx = -1;
	if (r.h < 3 || r.w < 4 || room == NULL)
		return;
	struct ui_clip clip = { r.x, r.x + r.w };
	for (int y = 0; y < r.h; y++)
		draw_fill(r.y + y, r.x, r.w, TH_NORMAL);
	draw_str(r.y, r.x + 1, t->title ? t->title : "thread", clip, TH_DAY,
	    UI_FG_THEME);
	struct pane_src src = {
		.room = room,
		.me = v->chat->me,
		.theme = v->theme,
		.timestamps = v->timestamps,
		.first_unread = room->nmsgs,
		.mark_seq = t->selected,
		.time_format = v->time_format,
		.thread = t->root,
		.selected = t->selected,
	};
	int rows = r.h - 2;
	struct pane_frame fr;
	pane_view_frame(pv, &src, r.w, rows, t->scroll > 0 ? t->scroll : 0,
	    t->selected > 0, &fr);
	int y = r.y + 1 + rows - (int)fr.lines.n;
	for (size_t i = 0; i < fr.lines.n; i++, y++)
		draw_line(y, r.x, &fr.lines.v[i], clip);
	pane_frame_free(&fr);
	*scroll_out = fr.scroll;
	input_row(t, r, r.y + r.h - 1, cy, cx);
}
