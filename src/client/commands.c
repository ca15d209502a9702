/*
 * commands: the slash commands, one short handler each, dispatched from a
 * table sorted by name (also what /help and Tab completion read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/app.h"
#include "model/names.h"
#include "ui/ui.h"

struct command {
	const char *name;
	void (*fn)(struct app *a, char *args);
	const char *usage;
	const char *help;
};

static struct room *
current(struct app *a)
{
	return chat_current(a->chat);
}

static bool
need_room(struct app *a)
{
	if (current(a) != NULL)
		return true;
	app_note(a, true, "no room open: /join ROOM first");
	return false;
}

static void
cmd_away(struct app *a, char *args)
{
	a->auto_away = false;
	app_set_presence(a, PS_AWAY, args);
	app_note(a, false, "you are away%s%s", *args ? ": " : "", args);
}

static void
cmd_back(struct app *a, char *args)
{
	(void)args;
	a->auto_away = false;
	app_set_presence(a, PS_ONLINE, NULL);
	app_note(a, false, "you are back");
}

static void
cmd_busy(struct app *a, char *args)
{
	a->auto_away = false;
	app_set_presence(a, PS_BUSY, args);
	app_note(a, false, "you are busy%s%s", *args ? ": " : "", args);
}

static void
cmd_clear(struct app *a, char *args)
{
	(void)args;
	if (need_room(a))
		room_clear(current(a));
	a->scroll = 0;
}

static void
cmd_discard(struct app *a, char *args)
{
	(void)args;
	if (need_room(a))
		app_discard_failed(a);
}

static void cmd_help(struct app *a, char *args);

/* /doc NAME | close[!] | history [BEFORE] | rev N | live */
static bool
doc_open_needed(struct app *a, const char *sub)
{
	if (a->docs.name != NULL)
		return true;
	app_note(a, true, "/doc %s: no document open (/doc NAME opens one)", sub);
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

static void
cmd_doc(struct app *a, char *args)
{
	char *arg = args + strcspn(args, " ");
	if (*arg)
		*arg++ = '\0';
	while (*arg == ' ')
		arg++;
	long long n = 0;
	if (*args == '\0') {
		if (a->docs.name)
			app_note(a, false, "document %s of %s is open; /help doc for more",
			    a->docs.name, a->docs.room);
		else
			app_note(a, true, "usage: /doc NAME | close | history | rev N | live");
	} else if (strcmp(args, "close") == 0 || strcmp(args, "close!") == 0) {
		if (doc_open_needed(a, args) && docs_close(a, args[5] == '!'))
			app_note(a, false, "document closed");
	} else if (strcmp(args, "history") == 0) {
		if (*arg && !parse_rev(arg, &n))
			app_note(a, true, "usage: /doc history [BEFORE]");
		else if (doc_open_needed(a, args))
			docs_history(a, n);
	} else if (strcmp(args, "rev") == 0) {
		if (!parse_rev(arg, &n))
			app_note(a, true, "usage: /doc rev N");
		else if (doc_open_needed(a, args))
			docs_show_rev(a, n);
	} else if (strcmp(args, "live") == 0) {
		if (doc_open_needed(a, args))
			docs_live(a);
	} else if (!names_valid_room(args)) {
		app_note(a, true, "/doc: \"%s\" is not a document name (1-64 of a-z 0-9"
		    " _ . -, starting with a letter or digit)", args);
	} else if (need_room(a)) {
		docs_open(a, current(a)->name, args);
	}
}

static void
cmd_join(struct app *a, char *args)
{
	if (!names_valid_room_or_dm(args)) {
		app_note(a, true, "/join: \"%s\" is not a room name (1-64 of a-z 0-9 _ . -,"
		    " starting with a letter or digit)", args);
		return;
	}
	app_join(a, args);
}

static void
cmd_me(struct app *a, char *args)
{
	if (!*args) {
		app_note(a, true, "usage: /me TEXT");
		return;
	}
	if (!need_room(a))
		return;
	char *text = malloc(strlen(args) + 5);
	if (text == NULL)
		return;
	sprintf(text, "/me %s", args);
	app_say(a, current(a)->name, text);
	free(text);
}

static void
cmd_part(struct app *a, char *args)
{
	if (*args && !names_valid_room(args)) {
		app_note(a, true, "/part: \"%s\" is not a room name", args);
		return;
	}
	if (*args == '\0' && !need_room(a))
		return;
	const char *room = *args ? args : current(a)->name;
	if (chat_room(a->chat, room) == NULL) {
		app_note(a, true, "/part: you are not in %s", room);
		return;
	}
	app_part(a, room);
}

static void
cmd_quit(struct app *a, char *args)
{
	(void)args;
	a->quit = true;
}

static void
cmd_reconnect(struct app *a, char *args)
{
	(void)args;
	app_note(a, false, "reconnecting now");
	conn_reconnect_now(a->conn);
}

static void
cmd_retry(struct app *a, char *args)
{
	(void)args;
	if (need_room(a))
		app_retry_failed(a);
}

static void
cmd_notify(struct app *a, char *args)
{
	if (strcmp(args, "retry") != 0) {
		app_note(a, true, "usage: /notify retry");
		return;
	}
	if (a->notify == NULL) {
		app_note(a, true, "desktop notifications did not start (see the log)");
		return;
	}
	app_note(a, false, "trying desktop notifications again");
	desknotify_retry(a->notify);
}

static void
cmd_dnd(struct app *a, char *args)
{
	if (strcmp(args, "on") != 0 && strcmp(args, "off") != 0) {
		app_note(a, false, "do not disturb is %s (/dnd on|off)",
		    a->cfg.notify.dnd ? "on" : "off");
		return;
	}
	a->cfg.notify.dnd = strcmp(args, "on") == 0;
	app_note(a, false, "do not disturb %s", args);
}

/* /msg USER TEXT: the two users' direct-message room (docs/protocol.md). */
static void
cmd_msg(struct app *a, char *args)
{
	char *text = args + strcspn(args, " ");
	if (*text)
		*text++ = '\0';
	while (*text == ' ')
		text++;
	char room[NAMES_DM_MAX + 1];
	if (!*args || !*text) {
		app_note(a, true, "usage: /msg USER TEXT");
		return;
	}
	if (!names_dm_make(a->chat->me, args, room)) {
		app_note(a, true, "/msg: \"%s\" is not a user you can write to", args);
		return;
	}
	app_join(a, room);
	app_say(a, room, text);
}

static void
cmd_notifications(struct app *a, char *args)
{
	centre_command(a, args);
}

static void
cmd_theme(struct app *a, char *args)
{
	if (!*args) {
		app_note(a, false, "theme: %s", a->theme.name);
		return;
	}
	if (app_load_theme(a, args))
		app_note(a, false, "theme %s", args);
}

static const struct command commands[] = {
	{"away", cmd_away, "/away [TEXT]", "mark yourself away, with a reason"},
	{"back", cmd_back, "/back", "mark yourself online again"},
	{"busy", cmd_busy, "/busy [TEXT]", "mark yourself busy"},
	{"clear", cmd_clear, "/clear", "clear the room's messages from the screen"},
	{"discard", cmd_discard, "/discard", "drop the last message the server refused"},
	{"dnd", cmd_dnd, "/dnd [on|off]", "do not disturb: no desktop notifications or bell"},
	{"doc", cmd_doc, "/doc NAME|close|history|rev N|live",
	    "open the room's shared document NAME beside the chat (F3 edit, F4 "
	    "full), close it, list its revisions, show revision N read-only"},
	{"help", cmd_help, "/help [COMMAND]", "list commands, or explain one"},
	{"join", cmd_join, "/join ROOM", "join a room (created if new) and show it"},
	{"me", cmd_me, "/me TEXT", "say TEXT as an action"},
	{"msg", cmd_msg, "/msg USER TEXT", "send USER a direct message (a room of you two)"},
	{"notifications", cmd_notifications, "/notifications [read]",
	    "open the notification centre (F5), or mark every notification read"},
	{"notify", cmd_notify, "/notify retry", "try desktop notifications again"},
	{"part", cmd_part, "/part [ROOM]", "leave a room (the current one by default)"},
	{"quit", cmd_quit, "/quit", "leave confab (unsent messages are kept)"},
	{"reconnect", cmd_reconnect, "/reconnect", "reconnect at once"},
	{"retry", cmd_retry, "/retry", "send again the last message the server refused"},
	{"theme", cmd_theme, "/theme [NAME]", "switch theme (themes/NAME.theme)"},
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
cmd_help(struct app *a, char *args)
{
	if (*args) {
		const struct command *c = find(args[0] == '/' ? args + 1 : args);
		if (c == NULL)
			app_note(a, true, "/help: no command %s", args);
		else
			app_note(a, false, "%s: %s", c->usage, c->help);
		return;
	}
	app_note(a, false, "commands (/help NAME for one):");
	for (size_t i = 0; i < NCOMMANDS; i++)
		app_note(a, false, "  %-16s %s", commands[i].usage, commands[i].help);
	app_note(a, false, "keys: Alt-1..9 / Ctrl-N / Ctrl-P rooms, PgUp/PgDn scroll,"
	    " Tab completes, F2 side panes, F5 notifications, Ctrl-C quits");
	app_note(a, false, "notifications: Up/Down move, Enter opens the message,"
	    " r marks read, a marks all read, Esc closes");
	app_note(a, false, "document: F3 or Ctrl-X keys to the document or back, F4"
	    " beside or instead of the chat, Ctrl-Z undo, Ctrl-Y redo, Esc leaves");
}

void
commands_run(struct app *a, const char *line)
{
	char *copy = strdup(line + 1);
	if (copy == NULL)
		return;
	char *args = copy + strcspn(copy, " ");
	if (*args)
		*args++ = '\0';
	while (*args == ' ')
		args++;
	size_t n = strlen(args);
	while (n > 0 && args[n - 1] == ' ')
		args[--n] = '\0';
	const struct command *c = find(copy);
	if (c == NULL)
		app_note(a, true, "unknown command /%s (try /help)", copy);
	else
		c->fn(a, args);
	free(copy);
}

size_t
commands_complete(const char *prefix, const char **out, size_t max)
{
	size_t n = 0, len = strlen(prefix);
	for (size_t i = 0; i < NCOMMANDS && n < max; i++)
		if (strncmp(commands[i].name, prefix, len) == 0)
			out[n++] = commands[i].name;
	return n;
}
