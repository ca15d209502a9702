/* accounts: passwords checked off the loop, sign-in limits, tokens
 * (accounts.h). */
#define _GNU_SOURCE /* pipe2 */
#include "server/accounts.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/xmalloc.h"

#define LIMITS_MAX 20000         /* addresses and users counted at once */
#define LIMIT_FORGET_MS (15 * 60 * 1000)

/* A check on its way to the worker and back. */
struct check {
	char *user;
	char *password;
	char *hash;              /* the account's, or the dummy one */
	char *addr;
	bool exists;
	bool create;             /* a new account: hash it, not check it */
	bool ok;                 /* the worker's verdict */
	auth_done done;
	void *data;
	struct check *next;      /* the answers' list */
};

/* Failures of one user or one address. */
struct limit {
	unsigned failures;
	int64_t next_ms;         /* no check before this */
	int64_t last_ms;
};

struct auth {
	struct server *srv;
	GThread *worker;
	GAsyncQueue *checks;     /* struct check *, or the stop marker */
	int pipe[2];             /* worker -> loop: a byte per answer */
	GMutex lock;             /* answers */
	struct check *answers;
	unsigned waiting;        /* queued or being checked */
	char dummy[crypto_pwhash_STRBYTES];
	GHashTable *limits;      /* "u:NAME" / "a:ADDR" -> struct limit * */
	struct lws *wsi;         /* the pipe's end in the loop */
	GQueue later;            /* struct now *: verdicts due next turn */
};

static struct check stop_marker;

/* ---- the worker ---------------------------------------------------------- */

static gpointer
worker(gpointer p)
{
	struct auth *a = p;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are the loop's */
	for (;;) {
		struct check *c = g_async_queue_pop(a->checks);
		if (c == &stop_marker)
			return NULL;
		if (c->create) {
			c->hash = xmalloc(crypto_pwhash_STRBYTES);
			c->ok = auth_hash(c->password, c->hash);
		} else {
			c->ok = crypto_pwhash_str_verify(c->hash, c->password,
			    strlen(c->password)) == 0 && c->exists;
		}
		sodium_memzero(c->password, strlen(c->password));
		g_mutex_lock(&a->lock);
		c->next = a->answers;
		a->answers = c;
		g_mutex_unlock(&a->lock);
		char b = 1;
		while (write(a->pipe[1], &b, 1) < 0 && errno == EINTR)
			;
	}
}

/* ---- limits -------------------------------------------------------------- */

static struct limit *
limit_of(struct auth *a, char kind, const char *name, bool make)
{
	char *key = xasprintf("%c:%s", kind, name);
	struct limit *l = g_hash_table_lookup(a->limits, key);
	if (l == NULL && make) {
		if (g_hash_table_size(a->limits) >= LIMITS_MAX)
			g_hash_table_remove_all(a->limits); /* a flood: start over */
		l = g_new0(struct limit, 1);
		g_hash_table_insert(a->limits, key, l);
		key = NULL;
	}
	free(key);
	return l;
}

/* Seconds until a check of user from addr may run, 0 now. */
static int
wait_for(struct auth *a, const char *user, const char *addr)
{
	int64_t now = now_ms(), until = 0;
	struct limit *l[2] = { limit_of(a, 'u', user, false),
	    limit_of(a, 'a', addr, false) };
	for (int i = 0; i < 2; i++)
		if (l[i] != NULL && now - l[i]->last_ms < LIMIT_FORGET_MS &&
		    l[i]->next_ms > until)
			until = l[i]->next_ms;
	return until > now ? (int)((until - now + 999) / 1000) : 0;
}

static void
failed(struct auth *a, const char *user, const char *addr)
{
	int64_t now = now_ms();
	struct limit *l[2] = { limit_of(a, 'u', user, true),
	    limit_of(a, 'a', addr, true) };
	for (int i = 0; i < 2; i++) {
		if (now - l[i]->last_ms >= LIMIT_FORGET_MS)
			l[i]->failures = 0;
		l[i]->failures++;
		l[i]->last_ms = now;
		if (l[i]->failures > AUTH_FREE_FAILURES) {
			unsigned k = l[i]->failures - AUTH_FREE_FAILURES - 1;
			int64_t s = k >= 5 ? AUTH_WAIT_MAX_S : (int64_t)2 << k;
			l[i]->next_ms = now + (s > AUTH_WAIT_MAX_S ? AUTH_WAIT_MAX_S : s) *
			    1000;
		}
	}
}

static void
succeeded(struct auth *a, const char *user, const char *addr)
{
	char *k1 = xasprintf("u:%s", user), *k2 = xasprintf("a:%s", addr);
	g_hash_table_remove(a->limits, k1);
	g_hash_table_remove(a->limits, k2);
	free(k1);
	free(k2);
}

/* ---- tokens -------------------------------------------------------------- */

static void
token_hash(const char *token, char hex[crypto_hash_sha256_BYTES * 2 + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, crypto_hash_sha256_BYTES * 2 + 1, h, sizeof h);
}

static bool
token_make(struct server *srv, const char *user, struct auth_result *r)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(r->token, sizeof r->token, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	token_hash(r->token, hex);
	int64_t now = now_ms();
	r->expires = now + (int64_t)srv->cfg.token_ttl_s * 1000;
	return srv->store->ops->token_add(srv->store, hex, user, now,
	    r->expires) == 0;
}

char *
auth_token_user(struct server *srv, const char *token)
{
	if (token == NULL || strlen(token) != AUTH_TOKEN_LEN)
		return NULL;
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	token_hash(token, hex);
	char *user = NULL;
	int64_t expires = 0;
	if (srv->store->ops->token_get(srv->store, hex, &user, &expires) != 0) {
		hub_store_error(srv);
		return NULL;
	}
	if (user != NULL && expires <= now_ms()) {
		bool gone;
		srv->store->ops->token_del(srv->store, hex, &gone);
		free(user);
		user = NULL;
	}
	return user;
}

bool
auth_logout(struct server *srv, const char *token)
{
	if (token == NULL)
		return false;
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	token_hash(token, hex);
	bool found = false;
	if (srv->store->ops->token_del(srv->store, hex, &found) != 0)
		hub_store_error(srv);
	return found;
}

/* ---- checks -------------------------------------------------------------- */

static void
check_free(struct check *c)
{
	if (c->password != NULL) {
		sodium_memzero(c->password, strlen(c->password));
		free(c->password);
	}
	free(c->user);
	free(c->hash);
	free(c->addr);
	free(c);
}

/* A new account, hashed by the worker: stored unless the name was taken
 * meanwhile, and signed in. */
static void
create(struct auth *a, struct check *c, struct auth_result *r)
{
	struct store *st = a->srv->store;
	char *had = NULL;
	if (!c->ok || st->ops->account_get(st, c->user, &had) != 0) {
		r->verdict = AUTH_FAILED;
	} else if (had != NULL) {
		r->verdict = AUTH_TAKEN;
	} else if (st->ops->account_put(st, c->user, c->hash, now_ms()) != 0 ||
	    !token_make(a->srv, c->user, r)) {
		hub_store_error(a->srv);
		r->verdict = AUTH_FAILED;
	}
	free(had);
}

/* The verdicts the worker has given, on the loop. */
static void
answers(struct auth *a)
{
	char buf[64];
	while (read(a->pipe[0], buf, sizeof buf) > 0)
		;
	g_mutex_lock(&a->lock);
	struct check *c = a->answers;
	a->answers = NULL;
	g_mutex_unlock(&a->lock);
	for (struct check *next; c != NULL; c = next) {
		next = c->next;
		a->waiting--;
		struct auth_result r = { .verdict = c->ok ? AUTH_OK : AUTH_WRONG };
		snprintf(r.user, sizeof r.user, "%s", c->user);
		if (c->create)
			create(a, c, &r);
		else if (c->ok) {
			succeeded(a, c->user, c->addr);
			if (!token_make(a->srv, c->user, &r)) {
				hub_store_error(a->srv);
				r.verdict = AUTH_FAILED;
			}
		} else {
			failed(a, c->user, c->addr);
		}
		c->done(a->srv, c->data, &r);
		sodium_memzero(r.token, sizeof r.token);
		check_free(c);
	}
}

/* A verdict given without a check, still on a later turn. */
struct now {
	struct server *srv;
	struct auth_result r;
	auth_done done;
	void *data;
	lws_sorted_usec_list_t sul;
};

static void
now_cb(lws_sorted_usec_list_t *sul)
{
	struct now *n = lws_container_of(sul, struct now, sul);
	g_queue_remove(&n->srv->auth->later, n);
	n->done(n->srv, n->data, &n->r);
	free(n);
}

static void
answer_later(struct server *srv, enum auth_verdict v, int retry, auth_done done,
    void *data)
{
	struct now *n = xcalloc(1, sizeof *n);
	n->srv = srv;
	n->r.verdict = v;
	n->r.retry_after_s = retry;
	n->done = done;
	n->data = data;
	g_queue_push_tail(&srv->auth->later, n);
	lws_sul_schedule(srv->ctx, 0, &n->sul, now_cb, 1);
}

void
auth_login(struct server *srv, const char *user, const char *password,
    const char *addr, auth_done done, void *data)
{
	struct auth *a = srv->auth;
	int wait = wait_for(a, user, addr);
	if (wait > 0) {
		answer_later(srv, AUTH_LIMITED, wait, done, data);
		return;
	}
	if (a->waiting >= AUTH_QUEUE_MAX) {
		answer_later(srv, AUTH_BUSY, 1, done, data);
		return;
	}
	char *hash = NULL;
	if (srv->store->ops->account_get(srv->store, user, &hash) != 0) {
		hub_store_error(srv);
		answer_later(srv, AUTH_FAILED, 0, done, data);
		return;
	}
	struct check *c = xcalloc(1, sizeof *c);
	c->user = xstrdup(user);
	c->password = xstrdup(password);
	c->exists = hash != NULL;
	c->hash = hash != NULL ? hash : xstrdup(a->dummy);
	c->addr = xstrdup(addr);
	c->done = done;
	c->data = data;
	a->waiting++;
	g_async_queue_push(a->checks, c);
}

void
auth_register(struct server *srv, const char *user, const char *password,
    const char *addr, auth_done done, void *data)
{
	struct auth *a = srv->auth;
	if (a->waiting >= AUTH_QUEUE_MAX) {
		answer_later(srv, AUTH_BUSY, 1, done, data);
		return;
	}
	char *had = NULL;
	if (srv->store->ops->account_get(srv->store, user, &had) != 0) {
		hub_store_error(srv);
		answer_later(srv, AUTH_FAILED, 0, done, data);
		return;
	}
	if (had != NULL) {
		free(had);
		answer_later(srv, AUTH_TAKEN, 0, done, data);
		return;
	}
	struct check *c = xcalloc(1, sizeof *c);
	c->user = xstrdup(user);
	c->password = xstrdup(password);
	c->addr = xstrdup(addr);
	c->create = true;
	c->done = done;
	c->data = data;
	a->waiting++;
	g_async_queue_push(a->checks, c);
}

bool
auth_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

/* ---- life ---------------------------------------------------------------- */

int
auth_pipe_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct server *srv = lws_context_user(lws_get_context(wsi));
	if (reason == LWS_CALLBACK_RAW_RX_FILE && srv->auth != NULL)
		answers(srv->auth);
	return 0;
}

int
auth_start(struct server *srv, char *err, size_t errlen)
{
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium did not start");
		return -1;
	}
	struct auth *a = xcalloc(1, sizeof *a);
	a->srv = srv;
	unsigned char pw[16];
	randombytes_buf(pw, sizeof pw);
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, pw, sizeof pw);
	if (!auth_hash(hex, a->dummy) || pipe2(a->pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot prepare sign-ins: %s", strerror(errno));
		free(a);
		return -1;
	}
	lws_sock_file_fd_type fd = { .filefd = dup(a->pipe[0]) };
	a->wsi = fd.filefd < 0 ? NULL : lws_adopt_descriptor_vhost(srv->vh,
	    LWS_ADOPT_RAW_FILE_DESC, fd, "confab-auth", NULL);
	if (a->wsi == NULL) {
		snprintf(err, errlen, "cannot watch the sign-in worker");
		close(a->pipe[0]);
		close(a->pipe[1]);
		free(a);
		return -1;
	}
	g_mutex_init(&a->lock);
	a->checks = g_async_queue_new();
	a->limits = g_hash_table_new_full(g_str_hash, g_str_equal, free, g_free);
	a->worker = g_thread_new("confabd-auth", worker, a);
	srv->auth = a;
	return 0;
}

void
auth_stop(struct server *srv)
{
	struct auth *a = srv->auth;
	if (a == NULL)
		return;
	g_async_queue_push(a->checks, &stop_marker);
	g_thread_join(a->worker);
	/* Every caller hears back, if only that the server is going. */
	struct auth_result failed_r = { .verdict = AUTH_FAILED };
	struct check *c;
	while ((c = g_async_queue_try_pop(a->checks)) != NULL) {
		c->done(srv, c->data, &failed_r);
		check_free(c);
	}
	for (c = a->answers; c != NULL;) {
		struct check *next = c->next;
		c->done(srv, c->data, &failed_r);
		check_free(c);
		c = next;
	}
	struct now *n;
	while ((n = g_queue_pop_head(&a->later)) != NULL) {
		lws_sul_cancel(&n->sul);
		n->done(srv, n->data, &failed_r);
		free(n);
	}
	g_async_queue_unref(a->checks);
	g_hash_table_destroy(a->limits);
	g_mutex_clear(&a->lock);
	close(a->pipe[0]);
	close(a->pipe[1]);
	sodium_memzero(a->dummy, sizeof a->dummy);
	free(a);
	srv->auth = NULL;
}
