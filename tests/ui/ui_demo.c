/*
 * ui_demo: a made-up chat on the screen, to look at the UI without a
 * server (in tmux: capture-pane shows what a user would see).
 *
 *   ui_demo [--cjk] [--hostile] [--no-panes] [--scroll N] [--input TEXT]
 *           [--no-timestamps] [--prompt TEXT]
 *
 * --cjk fills the rooms with wide characters, emoji and combining marks;
 * --hostile with very long nicks and text full of control and escape
 * characters; --no-panes starts as side_panes = false would. Keys work as
 * in confab (editing, PgUp/PgDn, Alt-1..9, F2, the wheel); q on an empty
 * input line or Ctrl-C quits. NO_COLOR=1 draws without colours.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/chat.h"
#include "model/edit.h"
#include "model/room.h"
#include "model/theme.h"
#include "ui/ui.h"

/* Milliseconds since the epoch of a local date and time. */
static int64_t
at(int year, int mon, int day, int hour, int min)
{
	struct tm tm = { 0 };
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

static int64_t seq;

static void
say(struct room *r, const char *user, const char *text, int64_t ts)
{
	char id[24];
	seq++;
	snprintf(id, sizeof id, "%lld", (long long)seq);
	struct proto_message m = { .room = r->name, .seq = seq, .id = id,
	    .user = user, .text = text, .ts = ts };
	room_add_message(r, &m, true);
}

static void
members(struct room *r, bool hostile)
{
	room_set_member(r, "me", PS_ONLINE, NULL, 0);
	room_set_member(r, "alice", PS_ONLINE, NULL, 0);
	room_set_member(r, "bob", PS_AWAY, "lunch, back at 2", 0);
	room_set_member(r, "carol", PS_BUSY, "in a meeting until the end of "
	    "the afternoon, please do not disturb", 0);
	room_set_member(r, "dave", PS_OFFLINE, NULL, 0);
	room_set_member(r, "erin", PS_OFFLINE, NULL, 0);
	room_set_member(r, "田中太郎", PS_ONLINE, "東京", 0);
	if (hostile)
		room_set_member(r, "x\x1b[2Jevil_nick_that_goes_on_and_on_and_on",
		    PS_ONLINE, "\x1b]0;pwned\x07", 0);
}

static void
lobby(struct room *r, bool cjk, bool hostile)
{
	int64_t d1 = at(2026, 11, 27, 23, 40), d2 = at(2026, 11, 28, 9, 5);
	say(r, "alice", "hi everyone", d1);
	say(r, "bob", "/me waves from the train", d1 + 60000);
	say(r, "carol", "Here is a rather long message, so that the pane has to "
	    "wrap it over several lines; the continuation lines should start "
	    "under the text column, not under the nick.", d1 + 120000);
	say(r, "me", "good night all", d1 + 600000);
	say(r, "alice", "morning!\nsecond line of a two-line message", d2);
	r->read_seq = seq;
	r->unread = 0;
	if (cjk) {
		say(r, "田中太郎", "日本語のテキストも正しく折り返されるはずです。"
		    "全角文字は二つのセルを使います。漢字、ひらがな、カタカナ。", d2 + 60000);
		say(r, "bob", "emoji: 👍 🎉 family 👨‍👩‍👧 flag 🇯🇵 "
		    "skin 👋🏽 — and combining: café = cafe\xcc\x81", d2 + 120000);
		say(r, "alice", "한국어도 됩니다 · 中文也可以 · ｆｕｌｌｗｉｄｔｈ", d2 + 180000);
	}
	if (hostile) {
		say(r, "x\x1b[2Jevil_nick_that_goes_on_and_on_and_on",
		    "\x1b[31mred?\x1b[0m bell\x07 csi\xc2\x9b" "2J osc\x1b]0;t\x07 "
		    "tab\there cr\rhere bidi\xe2\x80\xaeoverride\xe2\x80\xac end",
		    d2 + 200000);
		say(r, "bob", "\xcc\x81\xcc\x81 starts with combining marks",
		    d2 + 210000);
		say(r, "alice", "averyveryveryveryveryveryveryveryveryveryveryvery"
		    "veryveryveryveryveryveryveryveryverylongwordwithoutspaces",
		    d2 + 220000);
	}
	say(r, "bob", "me: can you look at the build?", d2 + 240000);
	say(r, "alice", "/me thinks it is the linker", d2 + 300000);
	room_add_pending(r, "c1", "on my way", d2 + 360000);
	room_add_pending(r, "c2", "this one was refused", d2 + 370000);
	room_fail(r, "c2", "rate_limited: slow down");
	members(r, hostile);
	room_set_typing(r, "alice", true);
	room_set_typing(r, "bob", true);
}

static struct chat *
fake_chat(bool cjk, bool hostile)
{
	struct chat *c = chat_new("me", "127.0.0.1:7681");
	struct room *r = chat_open(c, "lobby");
	r->joined = true;
	lobby(r, cjk, hostile);
	int64_t d2 = at(2026, 11, 28, 9, 5);
	chat_notice(c, "lobby", false, d2 + 30000, "dave left lobby");
	chat_notice(c, "lobby", true, d2 + 365000,
	    "server: rate_limited (slow down)");
	struct room *dev = chat_open(c, "dev");
	dev->joined = true;
	say(dev, "alice", "ci is green", d2);
	dev->unread = 3;
	struct room *rnd = chat_open(c, "random");
	rnd->unread = 12;
	rnd->mentions = 2;
	chat_open(c, cjk ? "日本語チャンネル" : "ops");
	if (hostile)
		chat_open(c, "room\x1b[7mwith\x1b[0mescapes-and-a-long-name");
	c->link = CHAT_CONNECTED;
	c->pending = 1;
	return c;
}

int
main(int argc, char **argv)
{
	bool cjk = false, hostile = false, panes = true, stamps = true;
	int scroll = 0;
	const char *input = NULL, *prompt = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cjk") == 0)
			cjk = true;
		else if (strcmp(argv[i], "--hostile") == 0)
			hostile = true;
		else if (strcmp(argv[i], "--no-panes") == 0)
			panes = false;
		else if (strcmp(argv[i], "--no-timestamps") == 0)
			stamps = false;
		else if (strcmp(argv[i], "--scroll") == 0 && i + 1 < argc)
			scroll = atoi(argv[++i]);
		else if (strcmp(argv[i], "--input") == 0 && i + 1 < argc)
			input = argv[++i];
		else if (strcmp(argv[i], "--prompt") == 0 && i + 1 < argc)
			prompt = argv[++i];
		else {
			fprintf(stderr, "usage: ui_demo [--cjk] [--hostile] [--no-panes] "
			    "[--scroll N] [--input TEXT] [--prompt TEXT] "
			    "[--no-timestamps]\n");
			return 2;
		}
	}
	const char *nc = getenv("NO_COLOR");
	ui_init(nc != NULL && nc[0] != '\0');

	struct chat *c = fake_chat(cjk, hostile);
	struct edit e;
	edit_init(&e);
	if (input)
		edit_set(&e, input);
	struct theme t;
	theme_default(&t);
	struct ui_view v = { .chat = c, .input = &e, .theme = &t, .scroll = scroll,
	    .side_panes = panes, .timestamps = stamps, .prompt = prompt };
	struct ui_drawn d;
	bool quit = false;
	while (!quit) {
		ui_draw(&v, &d);
		v.scroll = d.scroll;
		struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
		poll(&p, 1, 1000);
		struct ui_intent in;
		while (ui_read(&in)) {
			switch (in.kind) {
			case UI_INSERT:
				if (strcmp(in.text, "q") == 0 && e.len == 0)
					quit = true;
				else
					edit_insert(&e, in.text, strlen(in.text));
				break;
			case UI_PASTE: edit_insert(&e, in.text, strlen(in.text)); break;
			case UI_EDIT: edit_apply(&e, (enum edit_op)in.op); break;
			case UI_SUBMIT: edit_clear(&e); v.prompt = NULL; break;
			case UI_SCROLL: v.scroll += in.n; break;
			case UI_SCROLL_PAGE: v.scroll += in.n * (d.page - 2); break;
			case UI_ROOM: chat_switch(c, (size_t)in.n); break;
			case UI_ROOM_NEXT:
				chat_switch(c, (c->current + 1) % c->nrooms);
				break;
			case UI_ROOM_PREV:
				chat_switch(c, (c->current + c->nrooms - 1) % c->nrooms);
				break;
			case UI_TOGGLE_PANES: v.side_panes = !v.side_panes; break;
			case UI_QUIT: quit = true; break;
			default: break;
			}
			free(in.text);
			if (v.scroll < 0)
				v.scroll = 0;
		}
	}
	ui_end();
	edit_free(&e);
	chat_free(c);
	return 0;
}
