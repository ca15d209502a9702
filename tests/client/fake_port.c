/* fake_port: the recording port and its helpers (fake_port.h). */
#include "fake_port.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/xmalloc.h"

static bool
rec_send(void *ud, const char *frame, size_t len)
{
	struct fx *fx = ud;
	if (!fx->link_open)
		return false;
	assert_true(fx->nsent < FX_MAX);
	fx->sent[fx->nsent++] = xstrndup(frame, len);
	return true;
}

static int64_t rec_now(void *ud) { return ((struct fx *)ud)->now; }
static int64_t rec_wall(void *ud) { return ((struct fx *)ud)->wall; }

static void
rec_log(void *ud, const char *text)
{
	struct fx *fx = ud;
	if (fx->nlogs < FX_MAX)
		fx->logs[fx->nlogs++] = xstrdup(text);
}

static void rec_redraw(void *ud) { ((struct fx *)ud)->redraws++; }
static void rec_bell(void *ud) { ((struct fx *)ud)->bells++; }
static void rec_reconnect(void *ud) { ((struct fx *)ud)->reconnects++; }
static void rec_stop(void *ud) { ((struct fx *)ud)->stops++; }

static void
rec_copy(void *ud, const char *text)
{
	struct fx *fx = ud;
	free(fx->copied);
	fx->copied = strdup(text);
}

static void
rec_desktop(void *ud, const char *title, const char *body, bool urgent)
{
	(void)urgent;
	struct fx *fx = ud;
	if (fx->ndesktop < FX_MAX)
		fx->desktop[fx->ndesktop++] = xasprintf("%s|%s", title, body);
}

static void
rec_trust(void *ud, const char *fp)
{
	struct fx *fx = ud;
	free(fx->trusted);
	fx->trusted = xstrdup(fp);
}

static bool
rec_theme(void *ud, const char *name, char *err, size_t errlen)
{
	struct fx *fx = ud;
	free(fx->theme);
	fx->theme = xstrdup(name);
	if (strcmp(name, "missing") == 0) {
		snprintf(err, errlen, "theme missing not found");
		return false;
	}
	return true;
}

static void
make_core(struct fx *fx)
{
	char err[256];
	char *logs = fx->cfg.chat_logs ? xasprintf("%s/logs", fx->dir) : NULL;
	fx->c = client_new(&fx->cfg, fx->dir, logs, &fx->port, err, sizeof err);
	free(logs);
	if (fx->c == NULL)
		fail_msg("client_new: %s", err);
}

struct fx *
fx_new(const char *config_text)
{
	xmalloc_init_cjson();
	struct fx *fx = xcalloc(1, sizeof *fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/confab-core-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	config_defaults(&fx->cfg);
	char err[256];
	if (config_text != NULL &&
	    !config_parse(&fx->cfg, config_text, "config", err, sizeof err))
		fail_msg("config: %s", err);
	if (fx->cfg.user == NULL)
		config_set(&fx->cfg, "user", "alice", err, sizeof err);
	fx->now = 1000000;
	fx->wall = 1700000000000;
	fx->port = (struct client_port){
		.ud = fx, .send = rec_send, .now = rec_now, .wall = rec_wall,
		.log = rec_log, .redraw = rec_redraw, .bell = rec_bell,
		.desktop = rec_desktop, .reconnect = rec_reconnect,
		.theme = rec_theme, .trust = rec_trust, .stop = rec_stop,
		.copy = rec_copy,
	};
	make_core(fx);
	return fx;
}

void
fx_start(struct fx *fx)
{
	client_start(fx->c);
}

static void
free_list(char **v, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free(v[i]);
	*n = 0;
}

struct fx *
fx_restart(struct fx *fx)
{
	client_free(fx->c);
	fx->link_open = false;
	fx_clear(fx);
	make_core(fx);
	return fx;
}

void
fx_free(struct fx *fx)
{
	client_free(fx->c);
	config_free(&fx->cfg);
	fx_clear(fx);
	free_list(fx->logs, &fx->nlogs);
	free_list(fx->desktop, &fx->ndesktop);
	free(fx->theme);
	free(fx->trusted);
	free(fx->copied);
	char *cmd = xasprintf("rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fx->dir);
	free(cmd);
	free(fx);
}

void
fx_feed(struct fx *fx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *json = xvasprintf(fmt, ap);
	va_end(ap);
	client_frame(fx->c, json, strlen(json));
	free(json);
}

void
fx_open(struct fx *fx)
{
	fx->link_open = true;
	struct client_link l = { .state = CHAT_CONNECTING, .open = true };
	client_link(fx->c, &l);
	client_connected(fx->c);
}

void
fx_connect(struct fx *fx)
{
	fx_open(fx);
	fx_feed(fx, "{\"type\":\"WELCOME\",\"user\":\"%s\",\"session\":\"s1\","
	    "\"heartbeat_ms\":15000,\"unread\":0,\"limits\":{\"max_frame\":65536,"
	    "\"max_text\":4000,\"history_max\":200,\"max_rooms\":100}}",
	    fx->cfg.user);
}

void
fx_disconnect(struct fx *fx)
{
	fx->link_open = false;
	struct client_link l = { .state = CHAT_WAITING, .attempt = 1,
	    .retry_at = fx->now + 1000, .error = "connection lost" };
	client_link(fx->c, &l);
}

void
fx_joined(struct fx *fx, const char *room, int n, const char *user)
{
	char *msgs = xstrdup("");
	for (int i = 1; i <= n; i++) {
		char *m = xasprintf("%s%s{\"room\":\"%s\",\"seq\":%d,\"id\":\"%d\","
		    "\"user\":\"%s\",\"text\":\"line %d\",\"ts\":%lld}", msgs,
		    i > 1 ? "," : "", room, i, i, user, i,
		    (long long)fx->wall - 1000 * (n - i));
		free(msgs);
		msgs = m;
	}
	fx_feed(fx, "{\"type\":\"JOINED\",\"room\":\"%s\",\"seq\":%d,\"members\":"
	    "[{\"user\":\"%s\",\"status\":\"online\"},{\"user\":\"%s\","
	    "\"status\":\"online\"}],\"typing\":[],\"messages\":[%s]}", room, n,
	    fx->cfg.user, user, msgs);
	free(msgs);
}

void
fx_message(struct fx *fx, const char *room, int seq, const char *user,
    const char *text)
{
	fx_feed(fx, "{\"type\":\"MESSAGE\",\"room\":\"%s\",\"seq\":%d,\"id\":\"m%d\","
	    "\"user\":\"%s\",\"text\":\"%s\",\"ts\":%lld}", room, seq, seq, user,
	    text, (long long)fx->wall);
}

void
fx_type(struct fx *fx, const char *text)
{
	struct ui_intent in = { .kind = UI_INSERT, .text = xstrdup(text) };
	client_key(fx->c, &in);
	free(in.text);
}

void
fx_key(struct fx *fx, enum ui_intent_kind kind, int n)
{
	struct ui_intent in = { .kind = kind, .n = n };
	client_key(fx->c, &in);
}

void
fx_edit(struct fx *fx, int op)
{
	struct ui_intent in = { .kind = UI_EDIT, .op = op };
	client_key(fx->c, &in);
}

void
fx_say(struct fx *fx, const char *line)
{
	fx_type(fx, line);
	fx_key(fx, UI_SUBMIT, 0);
}

static bool
is_type(const char *frame, const char *type)
{
	if (type == NULL)
		return true;
	cJSON *o = cJSON_Parse(frame);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
	bool yes = cJSON_IsString(t) && strcmp(t->valuestring, type) == 0;
	cJSON_Delete(o);
	return yes;
}

size_t
fx_count(const struct fx *fx, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; i < fx->nsent; i++)
		n += is_type(fx->sent[i], type);
	return n;
}

cJSON *
fx_last(const struct fx *fx, const char *type)
{
	for (size_t i = fx->nsent; i > 0; i--)
		if (is_type(fx->sent[i - 1], type))
			return cJSON_Parse(fx->sent[i - 1]);
	return NULL;
}

void
fx_clear(struct fx *fx)
{
	free_list(fx->sent, &fx->nsent);
}

void
fx_ack_last(struct fx *fx, const char *type)
{
	cJSON *f = fx_last(fx, type);
	assert_non_null(f);
	const char *cid = cJSON_GetObjectItem(f, "cid")->valuestring;
	const cJSON *room = cJSON_GetObjectItem(f, "room");
	if (strcmp(type, "MESSAGE") == 0)
		fx_feed(fx, "{\"type\":\"ACK\",\"cid\":\"%s\",\"room\":\"%s\","
		    "\"seq\":99,\"id\":\"99\",\"ts\":%lld}", cid, room->valuestring,
		    (long long)fx->wall);
	else
		fx_feed(fx, "{\"type\":\"ACK\",\"cid\":\"%s\"}", cid);
	cJSON_Delete(f);
}

bool
fx_noted(const struct fx *fx, const char *text)
{
	const struct chat *ch = fx->c->chat;
	for (size_t i = 0; i < ch->nnotices; i++)
		if (strstr(ch->notices[i].text, text) != NULL)
			return true;
	return false;
}

const char *
fx_line(const struct fx *fx)
{
	return fx->c->input.edit.buf;
}

void
fx_dump_logs(const struct fx *fx)
{
	for (size_t i = 0; i < fx->nlogs; i++)
		fprintf(stderr, "log: %s\n", fx->logs[i]);
}
