/*
 * commands: the slash commands, one short handler each, dispatched from a
 * table sorted by name (also what /help and Tab completion read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "client/docedit.h"
#include "model/xmalloc.h"
#include "model/names.h"
#include "model/notifyrules.h"
#include "model/urls.h"
#include "ui/ui.h"

/* An alias has no usage: its help names the command it stands for. */
struct command {
	const char *name;
	void (*fn)(struct client *c, char *args);
	const char *usage;
	const char *help;
};

static struct room *
current(struct client *c)
{
	return chat_current(c->chat);
}

static bool
need_room(struct client *c)
{
	if (current(c) != NULL)
		return true;
	client_note(c, true, "no room open: /join ROOM first");
	return false;
}

static void
cmd_away(struct client *c, char *args)
{
	c->auto_away = false;
	client_set_presence(c, PS_AWAY, args);
	client_note(c, false, "you are away%s%s", *args ? ": " : "", args);
}

static void
cmd_back(struct client *c, char *args)
{
	(void)args;
	c->auto_away = false;
	client_set_presence(c, PS_ONLINE, NULL);
	client_note(c, false, "you are back");
}

static void
cmd_busy(struct client *c, char *args)
{
	c->auto_away = false;
	client_set_presence(c, PS_BUSY, args);
	client_note(c, false, "you are busy%s%s", *args ? ": " : "", args);
}

static void
cmd_clear(struct client *c, char *args)
{
	(void)args;
	if (need_room(c))
		room_clear(current(c));
	c->scroll = 0;
}

static void
cmd_discard(struct client *c, char *args)
{
	(void)args;
	if (need_room(c))
		client_discard_failed(c);
}

static void cmd_help(struct client *c, char *args);

/* /doc NAME | open NAME | close[!] | list | history [BEFORE] | rev N |
 * live | tag NAME | restore REV | diff A B */
static bool
doc_open_needed(struct client *c, const char *sub)
{
	if (c->docs.name != NULL)
		return true;
	client_note(c, true, "/doc %s: no document open (/doc NAME opens one)", sub);
	return false;
}

static bool
parse_rev(const char *s, long long *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0)
		return false;
	*out = v;
	return true;
}

/* /doc tag NAME, /doc restore REV, /doc diff A B (REV: a number or a name) */
static void
cmd_doc_version(struct client *c, const char *sub, char *arg)
{
	char *b = arg + strcspn(arg, " ");
	if (*b)
		*b++ = '\0';
	while (*b == ' ')
		b++;
	bool diff = strcmp(sub, "diff") == 0;
	if (*arg == '\0' || (diff ? *b == '\0' || strchr(b, ' ') != NULL : *b != '\0'))
		client_note(c, true, "usage: /doc %s", diff ? "diff A B (revisions or names)"
		    : strcmp(sub, "tag") == 0 ? "tag NAME" : "restore REV (a revision or a name)");
	else if (!doc_open_needed(c, sub))
		return;
	else if (strcmp(sub, "tag") == 0)
		docs_tag(&c->docs, arg);
	else if (diff)
		docs_diff(&c->docs, arg, b);
	else
		docs_restore(&c->docs, arg);
}

/* /doc NAME, /doc open NAME: in a new tab, or its tab if open. */
static void
doc_open_named(struct client *c, const char *name)
{
	if (*name == '\0')
		client_note(c, true, "usage: /doc open NAME");
	else if (!names_valid_room(name))
		client_note(c, true, "/doc: \"%s\" is not a document name (1-64 of a-z 0-9"
		    " _ . -, starting with a letter or digit)", name);
	else if (need_room(c))
		docset_open(&c->docset, current(c)->name, name);
}

/* /doc goto N, /doc numbers on|off, /doc save FILE, /doc load FILE */
static void
cmd_doc_edit(struct client *c, const char *sub, char *arg)
{
	long long n = 0;
	if (strcmp(sub, "goto") == 0 && !parse_rev(arg, &n))
		client_note(c, true, "usage: /doc goto LINE");
	else if (strcmp(sub, "numbers") == 0 && strcmp(arg, "on") != 0 &&
	    strcmp(arg, "off") != 0)
		client_note(c, true, "usage: /doc numbers on|off");
	else if ((strcmp(sub, "save") == 0 || strcmp(sub, "load") == 0) && *arg == '\0')
		client_note(c, true, "usage: /doc %s FILE", sub);
	else if (!doc_open_needed(c, sub))
		return;
	else if (strcmp(sub, "goto") == 0)
		docs_goto_line(&c->docs, n);
	else if (strcmp(sub, "numbers") == 0)
		docs_set_numbers(&c->docs, strcmp(arg, "on") == 0);
	else if (strcmp(sub, "save") == 0)
		docs_save_file(&c->docs, arg);
	else
		docs_load_file(&c->docs, arg);
}

static void
cmd_doc(struct client *c, char *args)
{
	char *arg = args + strcspn(args, " ");
	if (*arg)
		*arg++ = '\0';
	while (*arg == ' ')
		arg++;
	long long n = 0;
	if (*args == '\0') {
		if (c->docs.name)
			docset_note(&c->docset);
		else
			client_note(c, true, "usage: /doc NAME | open NAME | close | list | "
			    "history | rev N | live | tag NAME | restore REV | diff A B | "
			    "suggest on|off | accept [ID] | reject [ID] | suggestions | "
			    "protect on|off | goto LINE | numbers on|off | save FILE | "
			    "load FILE");
	} else if (strcmp(args, "close") == 0 || strcmp(args, "close!") == 0) {
		if (doc_open_needed(c, args) && docset_close(&c->docset, args[5] == '!'))
			client_note(c, false, "document closed");
	} else if (strcmp(args, "list") == 0) {
		if (need_room(c))
			client_list_docs(c, current(c)->name);
	} else if (strcmp(args, "open") == 0) {
		doc_open_named(c, arg);
	} else if (strcmp(args, "history") == 0) {
		if (*arg && !parse_rev(arg, &n))
			client_note(c, true, "usage: /doc history [BEFORE]");
		else if (doc_open_needed(c, args))
			docs_history(&c->docs, n);
	} else if (strcmp(args, "rev") == 0) {
		if (!parse_rev(arg, &n))
			client_note(c, true, "usage: /doc rev N");
		else if (doc_open_needed(c, args))
			docs_show_rev(&c->docs, n);
	} else if (strcmp(args, "live") == 0) {
		if (doc_open_needed(c, args))
			docs_live(&c->docs);
	} else if (strcmp(args, "tag") == 0 || strcmp(args, "restore") == 0 ||
	    strcmp(args, "diff") == 0) {
		cmd_doc_version(c, args, arg);
	} else if (docsuggest_command(&c->docs, args, arg)) {
		/* suggest, accept, reject, suggestions, protect (docsuggest.c) */
	} else if (strcmp(args, "goto") == 0 || strcmp(args, "numbers") == 0 ||
	    strcmp(args, "save") == 0 || strcmp(args, "load") == 0) {
		cmd_doc_edit(c, args, arg);
	} else {
		doc_open_named(c, args);
	}
}

static void
cmd_join(struct client *c, char *args)
{
	char room[NAMES_DM_MAX + 1];
	if (!names_room_from_input(args, room)) {
		client_note(c, true, "/join: \"%s\" is not a room name (1-64 of a-z 0-9 "
		    "_ . -, starting with a letter or digit)", args);
		return;
	}
	client_show_room(c, room);
}

static void
cmd_logout(struct client *c, char *args)
{
	(void)args;
	signin_logout(&c->signin, c->welcomed);
}

static void
cmd_me(struct client *c, char *args)
{
	if (!*args) {
		client_note(c, true, "usage: /me TEXT");
		return;
	}
	if (!need_room(c))
		return;
	char *text = xasprintf("/me %s", args);
	client_say(c, current(c)->name, text);
	free(text);
}

static void
cmd_part(struct client *c, char *args)
{
	char named[NAMES_DM_MAX + 1];
	if (*args && !names_room_from_input(args, named)) {
		client_note(c, true, "/part: \"%s\" is not a room name", args);
		return;
	}
	if (*args == '\0' && !need_room(c))
		return;
	const char *room = *args ? named : current(c)->name;
	if (chat_room(c->chat, room) == NULL) {
		client_note(c, true, "/part: you are not in %s", room);
		return;
	}
	client_part(c, room);
}

static void
cmd_quit(struct client *c, char *args)
{
	(void)args;
	c->quit = true;
}

static void
cmd_reconnect(struct client *c, char *args)
{
	(void)args;
	free(c->told_fp); /* a certificate declined is asked about again */
	c->told_fp = NULL;
	client_note(c, false, "reconnecting now");
	if (c->world.reconnect != NULL)
		c->world.reconnect(c->world.ud);
}

static void
cmd_retry(struct client *c, char *args)
{
	(void)args;
	if (need_room(c))
		client_retry_failed(c);
}

/* /notify [all|mentions|none|retry]: this room's level, for this run. */
static void
cmd_notify(struct client *c, char *args)
{
	struct room *r = current(c);
	if (strcmp(args, "retry") == 0) {
		if (c->world.notify_retry == NULL ||
		    !c->world.notify_retry(c->world.ud))
			client_note(c, true, "desktop notifications did not start (see "
			    "the log)");
		else
			client_note(c, false, "trying desktop notifications again");
		return;
	}
	enum notify_level level;
	if (*args && !notify_level_parse(args, &level)) {
		client_note(c, true, "usage: /notify [all|mentions|none|retry]");
		return;
	}
	if (!need_room(c))
		return;
	if (r->name[0] == '@') {
		client_note(c, true, "/notify: a direct message always counts as a "
		    "mention; /notify none in no room silences it, /dnd on does");
		return;
	}
	if (*args) {
		char *key = xasprintf("notify.%s", r->name), err[160];
		if (!config_set(c->cfg, key, args, err, sizeof err))
			client_note(c, true, "/notify: %s", err);
		free(key);
	}
	client_note(c, false, "notifications in %s: %s%s", r->name,
	    notify_level_name(notifyrules_level(&c->cfg->notify, r->name)),
	    *args ? " (for this run; notify." : "");
	if (*args)
		client_note(c, false, "  notify.%s = %s in the config file keeps it)",
		    r->name, args);
}

#define URLS_SHOWN 10

/* /url: the room's latest links, newest last, each whole on a line. */
static void
cmd_url(struct client *c, char *args)
{
	(void)args;
	if (!need_room(c))
		return;
	struct room *r = current(c);
	struct { const char *s; size_t n; const char *user; } v[URLS_SHOWN];
	size_t n = 0;
	for (size_t i = r->nmsgs; i > 0 && n < URLS_SHOWN; i--) {
		const struct room_msg *m = r->msgs[i - 1];
		const char *t = m->text;
		size_t len = strlen(t), us, ue;
		/* the links of one message, last first */
		size_t found[URLS_SHOWN][2], k = 0;
		for (size_t from = 0; k < URLS_SHOWN && url_next(t, len, from, &us, &ue);
		    from = ue)
			found[k][0] = us, found[k][1] = ue, k++;
		while (k > 0 && n < URLS_SHOWN) {
			k--;
			v[n].s = t + found[k][0];
			v[n].n = found[k][1] - found[k][0];
			v[n].user = m->user ? m->user : "";
			n++;
		}
	}
	if (n == 0) {
		client_note(c, false, "no links in the messages of %s held here",
		    r->name);
		return;
	}
	client_note(c, false, "links in %s, newest last:", r->name);
	for (size_t i = n; i > 0; i--)
		client_note(c, false, "%zu %s: %.*s", n - i + 1, v[i - 1].user,
		    (int)v[i - 1].n, v[i - 1].s);
}

static void
cmd_dnd(struct client *c, char *args)
{
	if (strcmp(args, "on") != 0 && strcmp(args, "off") != 0) {
		client_note(c, false, "do not disturb is %s (/dnd on|off)",
		    c->cfg->notify.dnd ? "on" : "off");
		return;
	}
	c->cfg->notify.dnd = strcmp(args, "on") == 0;
	client_note(c, false, "do not disturb %s", args);
}

/* The two users' direct-message room (docs/protocol.md), named after the
 * first word of args; the rest of args is left in *rest. */
static bool
dm_room(struct client *c, const char *cmd, char *args, char **rest,
    char room[NAMES_DM_MAX + 1])
{
	char *text = args + strcspn(args, " ");
	if (*text)
		*text++ = '\0';
	while (*text == ' ')
		text++;
	*rest = text;
	if (!*args)
		return false;
	if (!names_dm_make(c->chat->me, args, room)) {
		client_note(c, true, "/%s: \"%s\" is not a user you can write to",
		    cmd, args);
		return false;
	}
	return true;
}

/* /msg USER TEXT */
static void
cmd_msg(struct client *c, char *args)
{
	char room[NAMES_DM_MAX + 1], *text;
	bool named = dm_room(c, "msg", args, &text, room);
	if (named && !*text)
		client_note(c, true, "usage: /msg USER TEXT");
	if (!named || !*text)
		return;
	client_show_room(c, room);
	client_say(c, room, text);
}

/* /query USER [TEXT]: the direct-message room, shown, and TEXT said. */
static void
cmd_query(struct client *c, char *args)
{
	char room[NAMES_DM_MAX + 1], *text;
	if (!dm_room(c, "query", args, &text, room)) {
		if (!*args)
			client_note(c, true, "usage: /query USER [TEXT]");
		return;
	}
	client_show_room(c, room);
	if (*text)
		client_say(c, room, text);
}

static void
cmd_notifications(struct client *c, char *args)
{
	centre_command(&c->centre, args);
}

/* /search TEXT: the current room's messages, newest first (Ctrl-R). */
static void
cmd_find(struct client *c, char *args)
{
	if (!*args) {
		client_note(c, true, "usage: /find TEXT (then n older, N newer, "
		    "Esc ends)");
		return;
	}
	if (need_room(c))
		search_start(&c->search, current(c)->name, args);
}

static void
cmd_search(struct client *c, char *args)
{
	if (!*args) {
		client_note(c, true, "usage: /search TEXT (every room of yours, on "
		    "the server; /find searches this room's lines)");
		return;
	}
	client_search_server(c, args);
}

static void
cmd_topic(struct client *c, char *args)
{
	client_topic(c, args);
}

static void
cmd_list(struct client *c, char *args)
{
	client_list_rooms(c, args);
}

static void
cmd_theme(struct client *c, char *args)
{
	if (!*args) {
		client_note(c, false, "theme: %s", c->cfg->theme);
		return;
	}
	char err[512] = "";
	if (c->world.theme == NULL || !c->world.theme(c->world.ud, args, err,
	    sizeof err)) {
		client_note(c, true, "%s", err[0] ? err : "themes cannot be loaded");
		return;
	}
	char ignored[64];
	config_set(c->cfg, "theme", args, ignored, sizeof ignored);
	client_note(c, false, "theme %s", args);
}

/* Comments on the open document (doccomments.c). */
static void
cmd_comment(struct client *c, char *args)
{
	if (*args == '\0')
		client_note(c, true, "usage: /comment TEXT (on the selection, or the "
		    "word at the cursor)");
	else
		doccomments_comment(&c->docs, args);
}

static void
cmd_comments(struct client *c, char *args)
{
	(void)args;
	doccomments_show_all(&c->docs);
}

static void
cmd_reply(struct client *c, char *args)
{
	if (*args == '\0')
		client_note(c, true, "usage: /reply TEXT (to the comment at the cursor)");
	else
		doccomments_reply(&c->docs, args);
}

static void
cmd_resolve(struct client *c, char *args)
{
	(void)args;
	doccomments_resolve(&c->docs, true);
}

static void
cmd_reopen(struct client *c, char *args)
{
	(void)args;
	doccomments_resolve(&c->docs, false);
}

static void
cmd_editcomment(struct client *c, char *args)
{
	if (*args == '\0')
		client_note(c, true, "usage: /editcomment TEXT (your comment at the "
		    "cursor)");
	else
		doccomments_edit(&c->docs, args);
}

static void
cmd_uncomment(struct client *c, char *args)
{
	(void)args;
	doccomments_delete(&c->docs);
}

/* Rooms' rights, of the room shown (rights.c). */
#define RIGHTS_COMMAND(name, type) \
	static void cmd_##name(struct client *c, char *args) \
	{ client_moderate(c, type, args); }
RIGHTS_COMMAND(ban, PT_BAN)
RIGHTS_COMMAND(deop, PT_DEOP)
RIGHTS_COMMAND(invite, PT_INVITE)
RIGHTS_COMMAND(kick, PT_KICK)
RIGHTS_COMMAND(op, PT_OP)
RIGHTS_COMMAND(private, PT_ROOM_MODE)
RIGHTS_COMMAND(unban, PT_UNBAN)
#undef RIGHTS_COMMAND

static const struct command commands[] = {
	{"away", cmd_away, "/away [TEXT]", "mark yourself away, with a reason"},
	{"back", cmd_back, "/back", "mark yourself online again"},
	{"ban", cmd_ban, "/ban USER [REASON]",
	    "keep USER out of this room (they leave it at once); owner and"
	    " moderators"},
	{"busy", cmd_busy, "/busy [TEXT]", "mark yourself busy"},
	{"clear", cmd_clear, "/clear", "clear the room's messages from the screen"},
	{"close", cmd_part, NULL, "part"},
	{"comment", cmd_comment, "/comment TEXT", "comment on the document's "
	    "selection (or the word at the cursor); Alt-c / Alt-C go to the next"
	    " / previous comment, Enter right after shows its thread"},
	{"comments", cmd_comments, "/comments", "list the document's comments,"
	    " resolved ones too; Enter opens one's thread"},
	{"deop", cmd_deop, "/deop USER",
	    "USER is no longer a moderator of this room; the owner only"},
	{"discard", cmd_discard, "/discard", "drop the last message the server refused"},
	{"dnd", cmd_dnd, "/dnd [on|off]", "do not disturb: no desktop notifications or bell"},
	{"doc", cmd_doc, "/doc [open] NAME|close|list|history|rev N|live|tag NAME|"
	    "restore REV|diff A B|suggest on|off|accept [ID]|reject [ID]|"
	    "suggestions|protect on|off|goto LINE|numbers on|off|save FILE|"
	    "load FILE",
	    "open the room's shared document NAME beside the chat (F3 edit, F4 "
	    "full; several open at once, as tabs: Ctrl-PgUp/PgDn or Alt-PgUp/PgDn "
	    "switch), close the one shown, list the room's documents and who is "
	    "in each (Enter opens one), list its revisions, show revision N "
	    "read-only, name the revision you have, restore a revision (Ctrl-Z "
	    "undoes), show what changed between two; suggest instead of editing "
	    "(Alt-s), accept or reject the suggestion under the cursor (Alt-y, "
	    "Alt-n) or number ID, list the open ones, protect the document (owner "
	    "and moderators: the others may only suggest); go to a line (Ctrl-G), "
	    "show line numbers, write the text to FILE, replace it by FILE's as "
	    "one edit (Ctrl-Z undoes)"},
	{"editcomment", cmd_editcomment, "/editcomment TEXT", "change the text of"
	    " your comment at the document's cursor"},
	{"exit", cmd_quit, NULL, "quit"},
	{"find", cmd_find, "/find TEXT", "find TEXT in this room's messages,"
	    " older history too (Ctrl-R); n older, N newer, Esc ends"},
	{"help", cmd_help, "/help [COMMAND]", "list commands, or explain one"},
	{"invite", cmd_invite, "/invite USER",
	    "let USER join this room (a private room is invite only); owner"
	    " and moderators"},
	{"j", cmd_join, NULL, "join"},
	{"join", cmd_join, "/join ROOM", "join a room (created if new) and show it;"
	    " #Dev means dev"},
	{"kick", cmd_kick, "/kick USER [REASON]",
	    "send USER out of this room (they may come back to a public"
	    " one); owner and moderators"},
	{"leave", cmd_part, NULL, "part"},
	{"list", cmd_list, "/list [QUERY]", "the server's public rooms (matching"
	    " QUERY); Enter joins the one selected"},
	{"logout", cmd_logout, "/logout", "sign out: the server revokes this "
	    "sign-in, and the next connection asks for the password"},
	{"me", cmd_me, "/me TEXT", "say TEXT as an action"},
	{"msg", cmd_msg, "/msg USER TEXT", "send USER a direct message (a room of you two)"},
	{"notifications", cmd_notifications, "/notifications [read]",
	    "open the notification centre (F5), or mark every notification read"},
	{"notify", cmd_notify, "/notify [all|mentions|none|retry]",
	    "what notifies in this room (for this run), or try desktop"
	    " notifications again"},
	{"op", cmd_op, "/op USER",
	    "make USER a moderator of this room (marked +; the owner is @);"
	    " the owner only"},
	{"part", cmd_part, "/part [ROOM]", "leave a room (the current one by default)"},
	{"private", cmd_private, "/private [on|off]",
	    "make this room invite only, or open to anyone; without on|off,"
	    " say which it is"},
	{"query", cmd_query, "/query USER [TEXT]",
	    "open the direct-message room of you and USER (and say TEXT)"},
	{"quit", cmd_quit, "/quit", "leave confab (unsent messages are kept)"},
	{"reconnect", cmd_reconnect, "/reconnect", "reconnect at once"},
	{"reopen", cmd_reopen, "/reopen", "open again the resolved comment at the"
	    " document's cursor"},
	{"reply", cmd_reply, "/reply TEXT", "reply to the comment at the document's"
	    " cursor (its thread open: type and Enter)"},
	{"resolve", cmd_resolve, "/resolve", "resolve the comment at the document's"
	    " cursor (it is no longer underlined; /reopen)"},
	{"retry", cmd_retry, "/retry", "send again the last message the server refused"},
	{"search", cmd_search, "/search TEXT", "search every room of yours on the"
	    " server; Enter goes to the message (/find: this room's lines)"},
	{"theme", cmd_theme, "/theme [NAME]", "switch theme (themes/NAME.theme)"},
	{"topic", cmd_topic, "/topic [TEXT]", "show the room's topic, or set it"},
	{"uncomment", cmd_uncomment, "/uncomment", "delete your comment at the"
	    " document's cursor"},
	{"unban", cmd_unban, "/unban USER",
	    "let a banned USER join this room again; owner and moderators"},
	{"url", cmd_url, "/url", "list the latest links in this room, each whole"},
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

static const struct command *
find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
cmd_help(struct client *c, char *args)
{
	if (*args) {
		const struct command *cmd = find(args[0] == '/' ? args + 1 : args);
		if (cmd != NULL && cmd->usage == NULL)
			cmd = find(cmd->help);
		if (cmd == NULL)
			client_note(c, true, "/help: no command %s", args);
		else
			client_note(c, false, "%s: %s", cmd->usage, cmd->help);
		return;
	}
	/* The names alone, so that the whole list fits a screen; /help NAME
	 * gives one in full, however long its usage. */
	char names[512] = "", aliases[256] = "";
	for (size_t i = 0; i < NCOMMANDS; i++) {
		char *to = commands[i].usage ? names : aliases;
		size_t size = commands[i].usage ? sizeof names : sizeof aliases;
		size_t n = strlen(to);
		if (commands[i].usage)
			snprintf(to + n, size - n, "%s/%s", n ? " " : "", commands[i].name);
		else
			snprintf(to + n, size - n, "%s/%s = /%s", n ? ", " : "",
			    commands[i].name, commands[i].help);
	}
	client_note(c, false, "commands (/help NAME says what one does): %s",
	    names);
	client_note(c, false, "aliases: %s", aliases);
	client_note(c, false, "keys: Alt-1..9 / Ctrl-N / Ctrl-P rooms, Alt-A the "
	    "next with news, PgUp/PgDn scroll, End newest, Ctrl-R find in the "
	    "room, Ctrl-Up/Ctrl-Down input history, Tab completes, F2 side panes, "
	    "F5 notifications, Ctrl-C quits");
	client_note(c, false, "messages: Up in an empty input line or Alt-Up "
	    "selects one, Up/Down move, Esc leaves; then r (or Enter) reply in "
	    "its thread, e edit, d delete, + react, c copy; F6 keys to the "
	    "thread pane or back, Up in its empty line selects there (e edits "
	    "in its line), Esc closes it");
	client_note(c, false, "notifications: Up/Down move, Enter opens the message,"
	    " r marks read, a marks all read, Esc closes");
	client_note(c, false, "document: F3 or Ctrl-X keys to the document or back, F4"
	    " beside or instead of the chat, Ctrl-Z undo, Alt-Z redo, Esc leaves;"
	    " Alt-c / Alt-C next / previous comment, Enter then its thread;"
	    " Ctrl-PgUp/PgDn or Alt-PgUp/PgDn the previous or next open document");
	client_note(c, false, "document editing: Shift with the arrows, Home/End or "
	    "Ctrl-Left/Right (or a mouse drag) selects; Ctrl-W cut, Alt-W copy (to "
	    "the clipboard), Ctrl-K/Ctrl-U kill, Ctrl-Y yank, Alt-Y (Alt-Shift-y) "
	    "the kill before; Ctrl-F find, then n/N; Ctrl-G go to a line");
}

void
client_command(struct client *c, const char *line)
{
	char *copy = xstrdup(line + 1);
	char *args = copy + strcspn(copy, " ");
	if (*args)
		*args++ = '\0';
	while (*args == ' ')
		args++;
	size_t n = strlen(args);
	while (n > 0 && args[n - 1] == ' ')
		args[--n] = '\0';
	const struct command *cmd = find(copy);
	if (cmd == NULL)
		client_note(c, true, "unknown command /%s (try /help)", copy);
	else
		cmd->fn(c, args);
	free(copy);
}

size_t
client_complete_command(const char *prefix, const char **out, size_t max)
{
	size_t n = 0, len = strlen(prefix);
	for (size_t i = 0; i < NCOMMANDS && n < max; i++)
		if (strncmp(commands[i].name, prefix, len) == 0)
			out[n++] = commands[i].name;
	return n;
}
