/*
 * ui: the screen as a whole.
 *
 * Start and stop curses (and the terminal modes it does not know about:
 * bracketed paste and focus events), lay the screen out, and draw one
 * frame: the side panes (lists.c), the message pane (pane.c), the typing
 * line, the status line and the input line, then put the cursor where the
 * user types. A frame is werase, drawing into stdscr, wnoutrefresh and
 * doupdate: curses sends the terminal only what changed.
 *
 * Layout, from 80 columns on:      below 80 columns:
 *   rooms │ messages │ people        messages (side panes folded away;
 *         │ typing   │               F2 lays them over the left and
 *   status line                      right of the messages)
 *   input line
 *
 * The only state kept between frames is what must persist for the screen
 * to stay still: the input line's horizontal scroll, the layout (for mouse
 * clicks) and whether the next frame must repaint every cell.
 */
#include "ui/internal.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "model/textwidth.h"

#define WIDE_COLS 80
#define ESCDELAY_MS 25
/* Bracketed paste, focus events, and mouse motion while a button is held
 * (1002: a drag over the document selects; curses asks only for
 * presses). */
#define MODES_ON "\033[?2004h\033[?1004h\033[?1002h"
#define MODES_OFF "\033[?1002l\033[?1004l\033[?2004l"
#define PROMPT "> "
#define PROMPT_SCROLLED "< "
#define PROMPT_ELSEWHERE "\xc2\xb7 "  /* the keys are in another pane */

struct ui_layout ui_layout_last;
bool ui_need_clear;

static struct {
	bool started;
	struct theme applied;    /* what the colour pairs were made from */
	bool have_theme;
	int hscroll;             /* input line: columns scrolled off the left */
	bool narrow;             /* the last frame was under 80 columns */
	bool narrow_base;        /* side_panes when it became narrow */
	struct pane_view pane;   /* the message pane between frames */
	struct pane_view thread; /* the thread pane's */
} ui;

/* ---- start / stop -------------------------------------------------------- */

static void
utf8_locale(void)
{
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	if (strcasecmp(cs, "UTF-8") != 0 && strcasecmp(cs, "utf8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

static void
put_modes(const char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void
ui_init(bool no_color)
{
	if (ui.started)
		return;
	utf8_locale();
	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* No look at the keyboard in the middle of a frame: curses would
	 * flush what it has before each look, a write() each; the loop reads
	 * keys between frames, and a frame is written at once. */
	typeahead(-1);
	set_escdelay(ESCDELAY_MS);
	color_start(no_color);
	struct theme t;
	theme_default(&t);
	ui_set_theme(&t);
	mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | REPORT_MOUSE_POSITION |
	    BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	    | BUTTON5_PRESSED
#endif
	    , NULL);
	mouseinterval(0);
	input_start();
	curs_set(1);
	/* ncurses 6.4 flushes its output at every cursor move until the
	 * screen has once been suspended and resumed (_endwin stays at its
	 * initial state otherwise): a write() a row. Once through endwin and
	 * a refresh, a frame goes out in one write. */
	endwin();
	doupdate();
	put_modes(MODES_ON);
	ui.started = true;
}

void
ui_end(void)
{
	if (!ui.started)
		return;
	put_modes(MODES_OFF);
	endwin();
	pane_view_free(&ui.pane);
	pane_view_free(&ui.thread);
	ui.started = false;
}

void
ui_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	ui_need_clear = true;
}

void
ui_set_theme(const struct theme *t)
{
	ui.applied = *t;
	ui.have_theme = true;
	color_set_theme(t);
	unsigned long a;
	int pair;
	color_style(TH_NORMAL, UI_FG_THEME, &a, &pair);
	cchar_t bg;
	wchar_t blank[] = L" ";
	setcchar(&bg, blank, (attr_t)a, (short)pair, &pair);
	wbkgrndset(stdscr, &bg);
}

/* ---- layout -------------------------------------------------------------- */

struct layout {
	int rows, cols;
	int pane_rows;            /* message pane */
	int typing_row;           /* -1: no room for it */
	int status_row, input_row;
	int msg_x, msg_w;         /* where messages are laid out */
	struct ui_clip msg_clip;  /* and the columns they may use */
	bool panes;
	struct ui_rect rooms, people;
	bool people_shown;
	bool chat_shown;          /* false: the document is shown instead */
	bool doc_shown;
	struct ui_rect doc;       /* the document pane */
	int doc_vline;            /* the separator left of it, or -1 */
	int notice_row;           /* instead of the messages: the newest
	                             notice goes here; -1 none */
	int msg_y;                /* the message pane's first row (under the
	                             topic when there is one) */
	int topic_row;            /* -1: no topic shown */
	bool thread_shown;
	struct ui_rect thread;    /* the thread pane */
	int thread_vline;
};

static int
clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* From 80 columns the panes are shown when side_panes says so. Narrower,
 * they fold away, and side_panes changing while narrow (F2) brings them
 * over the messages: what counts there is a toggle since the screen
 * became narrow, so that the setting for wide screens survives. */
static bool
panes_shown(const struct ui_view *v, bool wide)
{
	if (wide) {
		ui.narrow = false;
		return v->side_panes;
	}
	if (!ui.narrow) {
		ui.narrow = true;
		ui.narrow_base = v->side_panes;
	}
	return v->side_panes != ui.narrow_base;
}

#define SPLIT_MIN_COLS 50     /* a split narrower than this shows one pane */
#define NARROW_TEXT_MIN 36    /* message columns kept when F2 shows the lists
                                 below 80 columns */

/* The document pane: beside the messages, in place of the people list
 * (split), or instead of the messages (full, or too narrow to split). */
static void
layout_doc(const struct ui_view *v, struct layout *l, bool wide, int main_rows)
{
	(void)wide;
	int a = l->panes ? l->rooms.w + 1 : 0, b = l->cols;
	l->doc_shown = main_rows >= 2;
	l->doc_vline = -1;
	if (!l->doc_shown)
		return;
	bool full = v->doc->full || b - a < SPLIT_MIN_COLS;
	if (full) {
		if (l->people_shown)
			b = l->people.x - 1;
		l->chat_shown = false;
		/* The typing row becomes a message line, as in an editor. */
		l->notice_row = l->typing_row;
		l->doc = (struct ui_rect){ a, 0, b - a,
		    l->typing_row >= 0 ? main_rows - 1 : main_rows };
		return;
	}
	int mid = a + (b - a) / 2;
	l->people_shown = false;
	l->msg_x = a;
	l->msg_w = mid - a;
	l->msg_clip = (struct ui_clip){ a, mid };
	l->doc_vline = mid;
	l->doc = (struct ui_rect){ mid + 1, 0, b - mid - 1, main_rows };
}

/* The thread pane: beside the messages in place of the people list, or
 * instead of them when the screen is too narrow to split. */
static void
layout_thread(struct layout *l, int main_rows)
{
	int a = l->panes ? l->rooms.w + 1 : 0, b = l->cols;
	l->thread_shown = main_rows >= 3;
	l->thread_vline = -1;
	if (!l->thread_shown)
		return;
	if (b - a < SPLIT_MIN_COLS) {
		if (l->people_shown)
			b = l->people.x - 1;
		l->chat_shown = false;
		l->thread = (struct ui_rect){ a, 0, b - a, main_rows };
		return;
	}
	int mid = a + (b - a) / 2;
	l->people_shown = false;
	l->msg_x = a;
	l->msg_w = mid - a;
	l->msg_clip = (struct ui_clip){ a, mid };
	l->thread_vline = mid;
	l->thread = (struct ui_rect){ mid + 1, 0, b - mid - 1, main_rows };
}

/* A room with a topic shows it on the pane's first row. */
static void
layout_topic(const struct ui_view *v, struct layout *l)
{
	const struct room *r = chat_current(v->chat);
	if (r == NULL || r->topic == NULL || l->pane_rows < 4)
		return;
	l->topic_row = 0;
	l->msg_y = 1;
	l->pane_rows--;
}

static struct layout layout_of(const struct ui_view *v);

static struct layout
layout(const struct ui_view *v)
{
	struct layout l = layout_of(v);
	int main_rows = l.rows - 2 > 0 ? l.rows - 2 : 0;
	if (v->thread)
		layout_thread(&l, main_rows);
	layout_topic(v, &l);
	return l;
}

static struct layout
layout_of(const struct ui_view *v)
{
	struct layout l = { .rows = LINES, .cols = COLS, .chat_shown = true,
	    .notice_row = -1, .topic_row = -1, .thread_vline = -1 };
	l.input_row = l.rows - 1;
	l.status_row = l.rows >= 2 ? l.rows - 2 : -1;
	int main_rows = l.rows - 2 > 0 ? l.rows - 2 : 0;
	l.typing_row = main_rows >= 4 ? main_rows - 1 : -1;
	l.pane_rows = l.typing_row >= 0 ? main_rows - 1 : main_rows;

	bool wide = l.cols >= WIDE_COLS;
	l.panes = panes_shown(v, wide) && main_rows > 0;
	l.people_shown = l.panes;
	l.msg_x = 0;
	l.msg_w = l.cols;
	l.msg_clip = (struct ui_clip){ 0, l.cols };
	if (!l.panes) {
		if (v->doc && !v->thread)
			layout_doc(v, &l, wide, main_rows);
		return l;
	}
	int rw = clamp(l.cols / 7, 12, 20), pw = clamp(l.cols / 6, 14, 24);
	if (!wide) {
		/* Asked for below 80 columns (F2): narrower lists, and the
		 * messages wrap in what is left between them; the people go
		 * first when that would leave the messages too little. */
		rw = clamp(l.cols / 5, 8, 14);
		pw = clamp(l.cols / 5, 8, 14);
		if (l.cols - rw - pw - 2 < NARROW_TEXT_MIN) {
			l.people_shown = false;
			pw = 0;
		}
		if (l.cols - rw - 1 < NARROW_TEXT_MIN / 2)
			rw = l.cols / 3;
	}
	l.rooms = (struct ui_rect){ 0, 0, rw, main_rows };
	l.people = (struct ui_rect){ l.cols - pw, 0, pw, main_rows };
	int right = l.people_shown ? l.cols - pw - 1 : l.cols;
	l.msg_clip = (struct ui_clip){ rw + 1, right };
	l.msg_x = rw + 1;
	l.msg_w = right - rw - 1 > 1 ? right - rw - 1 : 1;
	if (v->doc && !v->thread)
		layout_doc(v, &l, wide, main_rows);
	return l;
}

/* ---- the message pane and the typing line -------------------------------- */

static void
draw_pane(const struct ui_view *v, const struct layout *l,
    struct ui_drawn *out)
{
	const struct chat *c = v->chat;
	const struct room *r = chat_current(c);
	struct pane_src src = {
		.room = r,
		.notices = c->notices,
		.nnotices = c->nnotices,
		.me = c->me,
		.theme = v->theme ? v->theme : &ui.applied,
		.timestamps = v->timestamps,
		.first_unread = r ? room_marker_index(r) : 0,
		.mark_seq = v->mark_seq,
		.search = v->search,
		.time_format = v->time_format,
		.selected = v->selected,
		.seen_seq = v->seen_seq,
	};
	struct pane_frame fr;
	pane_view_frame(&ui.pane, &src, l->msg_w, l->pane_rows,
	    v->scroll > 0 ? v->scroll : 0, v->goto_mark && v->mark_seq > 0, &fr);
	int y = l->msg_y + l->pane_rows - (int)fr.lines.n;
	for (size_t i = 0; i < fr.lines.n; i++, y++)
		draw_line(y, l->msg_x, &fr.lines.v[i], l->msg_clip);
	pane_frame_free(&fr);
	out->scroll = fr.scroll;
	out->at_top = fr.at_top;
	out->mark_shown = fr.mark_shown;
	out->page = l->pane_rows;
}

/* Instead of the messages: the room's newest notice, on one line. */
static void
draw_notice_line(const struct ui_view *v, const struct layout *l)
{
	const struct chat *c = v->chat;
	const struct room *r = chat_current(c);
	if (l->notice_row < 0)
		return;
	for (size_t i = c->nnotices; i > 0; i--) {
		const struct chat_notice *n = &c->notices[i - 1];
		if (n->room != NULL && (r == NULL || strcmp(n->room, r->name) != 0))
			continue;
		struct ui_clip clip = { l->doc.x, l->doc.x + l->doc.w };
		draw_str(l->notice_row, l->doc.x + 1, n->text ? n->text : "", clip,
		    n->error ? TH_FAILED : TH_NOTICE, UI_FG_THEME);
		return;
	}
}

static void
draw_topic(const struct ui_view *v, const struct layout *l)
{
	const struct room *r = chat_current(v->chat);
	if (l->topic_row < 0 || r == NULL || r->topic == NULL)
		return;
	int x = draw_str(l->topic_row, l->msg_clip.left + 1, "topic: ",
	    l->msg_clip, TH_DAY, UI_FG_THEME);
	draw_str(l->topic_row, x, r->topic, l->msg_clip, TH_DAY, UI_FG_THEME);
}

static void
draw_typing(const struct ui_view *v, const struct layout *l)
{
	const struct room *r = chat_current(v->chat);
	if (l->typing_row < 0 || r == NULL)
		return;
	char buf[512];
	chat_typing_line(r, buf, sizeof buf);
	draw_str(l->typing_row, l->msg_clip.left + 1, buf, l->msg_clip, TH_TYPING,
	    UI_FG_THEME);
}

/* ---- the status line ----------------------------------------------------- */

/* Storage for the forms of the status parts of one frame. */
struct status_text {
	char buf[STATUS_PARTS_MAX][STATUS_FORMS_MAX][160];
	struct status_part p[STATUS_PARTS_MAX];
	size_t n;
};

static struct status_part *
part(struct status_text *t, int prio, bool essential, bool sep,
    enum theme_elem e)
{
	struct status_part *p = &t->p[t->n];
	*p = (struct status_part){ .prio = prio, .essential = essential,
	    .sep = sep, .elem = e };
	for (int i = 0; i < STATUS_FORMS_MAX; i++)
		p->forms[i] = t->buf[t->n][i];
	t->n++;
	return p;
}

/* Adds the next form of p (printf-style). */
static void __attribute__((format(printf, 3, 4)))
form(struct status_text *t, struct status_part *p, const char *fmt, ...)
{
	if (p->nforms == STATUS_FORMS_MAX)
		return;
	char *out = t->buf[p - t->p][p->nforms++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, 160, fmt, ap);
	va_end(ap);
}

/* "[name]", then cut shorter and shorter, down to one character. */
static void
room_forms(struct status_text *t, struct status_part *p, const char *name)
{
	struct ui_buf b = { 0 };
	ui_sanitize(&b, name, strlen(name), UI_NL_BAD);
	const char *s = b.s ? b.s : "";
	form(t, p, "[%s]", s);
	static const int cuts[] = { 16, 10, 6, 3, 1 };
	int w = tw_width(s, b.len);
	size_t n = b.len;
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		if (cuts[i] >= w)
			continue;
		n = tw_fit(s, b.len, cuts[i]);
		form(t, p, "[%.*s" UI_ELLIPSIS "]", (int)n, s);
	}
	/* the brackets go last */
	form(t, p, "%.*s%s", (int)n, s, n < b.len ? UI_ELLIPSIS : "");
	ui_buf_free(&b);
}

static void
link_part(struct status_text *t, const struct chat *c, int64_t now, bool sep)
{
	bool ok = c->link == CHAT_CONNECTED;
	struct status_part *p = part(t, 1, true, sep,
	    ok ? TH_STATUS : TH_STATUS_ALERT);
	switch (c->link) {
	case CHAT_CONNECTED:
		/* the WebSocket is the usual way: only the others are named */
		if (c->transport[0] && strcmp(c->transport, "ws") != 0)
			form(t, p, "connected (%s)", c->transport);
		form(t, p, "connected");
		break;
	case CHAT_CONNECTING:
		form(t, p, "connecting" UI_ELLIPSIS);
		form(t, p, "conn" UI_ELLIPSIS);
		break;
	case CHAT_WAITING: {
		int64_t left = c->retry_at - now;
		long secs = left > 0 ? (long)((left + 999) / 1000) : 0;
		form(t, p, "retry in %lds (attempt %u)", secs, c->attempt);
		form(t, p, "retry in %lds", secs);
		form(t, p, "retry %lds", secs);
		break;
	}
	case CHAT_OFFLINE:
	default:
		form(t, p, "offline");
		break;
	}
	if (c->link_error && c->link_error[0] && !ok) {
		struct status_part *e = part(t, 7, false, false, TH_STATUS_ALERT);
		form(t, e, "(%s)", c->link_error);
		form(t, e, "%s", "");
	}
}

/* "doc notes rev 42 synced": the document and how its edits are. */
static void
doc_part(struct status_text *t, const struct ui_doc *d)
{
	const char *state = d->readonly ? "read-only" : d->sync ? d->sync : "";
	bool alert = d->readonly || strncmp(state, "offline", 7) == 0;
	struct status_part *p = part(t, 5, false, false,
	    alert ? TH_STATUS_ALERT : TH_STATUS);
	const char *name = d->name ? d->name : "";
	if (d->lay != NULL || d->readonly)
		form(t, p, "doc %s rev %lld %s", name, d->rev, state);
	else
		form(t, p, "doc %s %s", name, state);
	form(t, p, "%s %s", name, state);
	form(t, p, "%s", "");
}

static void
draw_status(const struct ui_view *v, const struct layout *l,
    const struct ui_drawn *drawn)
{
	if (l->status_row < 0)
		return;
	const struct chat *c = v->chat;
	const struct room *r = chat_current(c);
	static struct status_text t;
	t.n = 0;
	struct status_part *p = part(&t, 8, false, false, TH_STATUS);
	if (c->server && c->server[0])
		form(&t, p, "%s@%s", c->me ? c->me : "", c->server);
	form(&t, p, "%s", c->me ? c->me : "");
	form(&t, p, "%s", "");
	if (r)
		room_forms(&t, part(&t, 0, true, false, TH_STATUS), r->name);
	if (v->doc)
		doc_part(&t, v->doc);
	link_part(&t, c, v->mono_now, v->doc != NULL);
	int64_t unread = inbox_unread(c->inbox);
	if (unread > 0) {
		p = part(&t, 3, true, true, TH_STATUS_ALERT);
		form(&t, p, "%lld unread", (long long)unread);
		form(&t, p, "\xe2\x97\x8f%lld", (long long)unread);
	}
	if (c->pending > 0) {
		p = part(&t, 2, true, true, TH_STATUS);
		form(&t, p, "%zu pending", c->pending);
		form(&t, p, "~%zu", c->pending);
	}
	if (c->status == PS_AWAY || c->status == PS_BUSY) {
		p = part(&t, 6, false, true, TH_STATUS);
		const char *st = proto_status_name(c->status);
		if (c->status_text && c->status_text[0])
			form(&t, p, "%s: %s", st, c->status_text);
		form(&t, p, "%s", st);
		form(&t, p, "%s", "");
	}
	if (drawn->scroll > 0 && l->chat_shown && !v->centre) {
		p = part(&t, 9, false, true, TH_STATUS);
		form(&t, p, "scrolled up %d", drawn->scroll);
		form(&t, p, "\xe2\x86\x91%d", drawn->scroll);
		form(&t, p, "%s", "");
	}
	status_draw(l->status_row, l->cols, t.p, t.n);
}

/* ---- the input line ------------------------------------------------------ */

/* Keeps the cursor column cur inside a window of avail columns over text
 * of width total; moves by a third of the window so that typing at an
 * edge does not shift the line on every key. */
static int
hscroll(int hs, int cur, int total, int avail)
{
	if (cur < hs)
		hs = cur - avail / 3;
	else if (cur >= hs + avail)
		hs = cur - avail + 1 + avail / 3;
	if (hs > total - avail + 1)
		hs = total - avail + 1;
	return hs < 0 ? 0 : hs;
}

static void
draw_input(const struct ui_view *v, const struct layout *l)
{
	int y = l->input_row;
	struct ui_clip all = { 0, l->cols };
	draw_fill(y, 0, l->cols, TH_INPUT);
	if (v->prompt) {
		int x = draw_str(y, 0, v->prompt, all, TH_STATUS_ALERT,
		    UI_FG_THEME);
		wmove(stdscr, y, x < l->cols ? x : l->cols - 1);
		return;
	}
	const struct edit *e = v->input;
	struct ui_buf d = { 0 };
	size_t dcur = 0;
	if (e && e->buf)
		ui_sanitize_mark(&d, e->buf, e->len, UI_NL_SHOW,
		    edit_cursor_byte(e), &dcur);
	const char *text = d.s ? d.s : "";
	int px = tw_width(PROMPT, strlen(PROMPT));
	int avail = l->cols - px > 1 ? l->cols - px : 1;
	int cur = tw_width(text, dcur), total = tw_width(text, d.len);
	ui.hscroll = hscroll(ui.hscroll, cur, total, avail);
	/* While the document or the centre has the keys, the line waits:
	 * its prompt and text go dim. */
	bool keys = !(l->doc_shown && v->doc->focused) && v->centre == NULL &&
	    !(l->thread_shown && v->thread->focused) &&
	    (v->list == NULL || v->list->query == NULL);
	enum theme_elem te = keys ? TH_INPUT : TH_OFFLINE;
	const char *prompt = !keys ? PROMPT_ELSEWHERE :
	    ui.hscroll ? PROMPT_SCROLLED : PROMPT;
	draw_text(y, 0, prompt, strlen(prompt), all, te, UI_FG_THEME);
	struct ui_clip clip = { px, l->cols };
	draw_text(y, px - ui.hscroll, text, d.len, clip, te, UI_FG_THEME);
	ui_buf_free(&d);
	int x = px + cur - ui.hscroll;
	wmove(stdscr, y, x < l->cols ? x : l->cols - 1);
}

/* ---- a frame ------------------------------------------------------------- */

static void
draw_panes(const struct ui_view *v, const struct layout *l)
{
	ui_layout_last = (struct ui_layout){ 0 };
	if (!l->panes)
		return;
	int rows = l->rooms.h;
	/* Over the messages, a pane first clears what it covers. */
	for (int y = 0; y < rows; y++) {
		draw_fill(y, l->rooms.x, l->rooms.w, TH_NORMAL);
		if (l->people_shown)
			draw_fill(y, l->people.x, l->people.w, TH_NORMAL);
	}
	/* Beside a document shown full, the room list's line is its border. */
	bool doc_keys = l->doc_shown && !l->chat_shown && v->doc->focused;
	draw_vline(l->rooms.x + l->rooms.w, 0, rows,
	    doc_keys ? TH_BORDER_FOCUS : TH_BORDER);
	ui_layout_last.rooms_first = lists_draw_rooms(v->chat, l->rooms);
	if (l->people_shown) {
		draw_vline(l->people.x - 1, 0, rows,
		    doc_keys ? TH_BORDER_FOCUS : TH_BORDER);
		lists_draw_people(v->chat, l->people);
	}
	ui_layout_last.rooms_shown = true;
	ui_layout_last.rooms = l->rooms;
	ui_layout_last.nrooms = v->chat->nrooms;
}

void
ui_draw(const struct ui_view *v, struct ui_drawn *out)
{
	struct ui_drawn ignored;
	if (out == NULL)
		out = &ignored;
	memset(out, 0, sizeof *out);
	if (!ui.started || v == NULL || v->chat == NULL)
		return;
	if (v->theme && (!ui.have_theme ||
	    memcmp(v->theme, &ui.applied, sizeof ui.applied) != 0))
		ui_set_theme(v->theme);
	if (ui_need_clear) {
		clearok(curscr, TRUE);
		ui_need_clear = false;
	}
	werase(stdscr);
	/* The centre takes the place of the messages, and of a document; so
	 * does a list (/doc list, the picker...) while the document is shown
	 * instead of the messages, where the list would not be seen. */
	const struct ui_view *given = v;
	struct ui_view chat_view = *v;
	if (v->centre || (v->list && v->doc && v->doc->full))
		chat_view.doc = NULL;
	v = &chat_view;
	struct layout l = layout(v);
	int list_cy = -1, list_cx = -1;
	if (v->list && (l.chat_shown || !l.thread_shown)) {
		int h = l.typing_row >= 0 ? l.pane_rows + 1 : l.pane_rows;
		h += l.msg_y;
		struct ui_rect r = { l.msg_clip.left, 0,
		    l.msg_clip.right - l.msg_clip.left, h };
		list_cx = listpane_draw(v->list, r, &list_cy);
		out->scroll = v->scroll > 0 ? v->scroll : 0;
		out->page = l.pane_rows;
	} else if (v->centre) {
		int h = l.typing_row >= 0 ? l.pane_rows + 1 : l.pane_rows;
		struct ui_rect r = { l.msg_clip.left, 0,
		    l.msg_clip.right - l.msg_clip.left, h };
		centre_draw(v->centre, r, &out->centre_top, &out->centre_rows);
		out->scroll = v->scroll > 0 ? v->scroll : 0;
		out->page = l.pane_rows;
	} else if (l.chat_shown) {
		draw_topic(v, &l);
		draw_pane(v, &l, out);
		draw_typing(v, &l);
	} else {
		out->scroll = v->scroll > 0 ? v->scroll : 0;
		out->page = l.pane_rows;
	}
	struct docpane_out dp = { 0 };
	if (l.doc_shown) {
		docpane_draw(v->doc, v->theme ? v->theme : &ui.applied, l.doc, &dp);
		draw_vline(l.doc_vline, 0, l.doc.h,
		    v->doc->focused ? TH_BORDER_FOCUS : TH_BORDER);
		draw_notice_line(v, &l);
		out->doc_shown = true;
		out->doc_view = dp.view;
		out->doc_rows = dp.rows;
	}
	int tcy = -1, tcx = -1;
	if (l.thread_shown) {
		threadpane_draw(v, &ui.thread, l.thread, &out->thread_scroll, &tcy,
		    &tcx);
		if (l.thread_vline >= 0)
			draw_vline(l.thread_vline, 0, l.thread.h,
			    v->thread->focused ? TH_BORDER_FOCUS : TH_BORDER);
	}
	draw_panes(v, &l);
	ui_layout_last.doc_shown = l.doc_shown && dp.text.w > 0;
	ui_layout_last.doc_text = dp.text;
	draw_status(given, &l, out);
	draw_input(v, &l);
	if (l.doc_shown && v->doc->focused && dp.cursor_shown && !v->prompt)
		wmove(stdscr, dp.cy, dp.cx);
	if (l.thread_shown && v->thread->focused && tcy >= 0 && !v->prompt)
		wmove(stdscr, tcy, tcx < l.cols ? tcx : l.cols - 1);
	if (list_cy >= 0 && !v->prompt)
		wmove(stdscr, list_cy, list_cx < l.cols ? list_cx : l.cols - 1);
	wnoutrefresh(stdscr);
	doupdate();
}

void
ui_bell(void)
{
	beep();
}
