/*
 * listen: confabd's listening socket, owned here rather than by lws so that
 * running out of descriptors is handled: lws 4.1 retries a failing accept
 * at once, forever (a busy loop and a log line per try). Here EMFILE or
 * ENFILE pauses accepting; a connection closing (or a second passing, for
 * descriptors freed elsewhere) tries again. Waiting connections stay in the
 * kernel's backlog meanwhile. It is logged once per episode: the episode
 * ends, with a line saying how often accepting paused, once accepts have
 * worked for a while without a pause.
 *
 * The socket is adopted into the loop as a raw descriptor: lws polls it and
 * says when it is readable; accept4 is called here, at most ACCEPT_BATCH
 * times per turn, and each connection goes to conn_adopt.
 *
 * Connections are counted per address (an IPv4 address, an IPv6 /64, the
 * block one subscriber usually holds): past --max-conns-per-ip at once, a
 * new one is answered 429 (as far as the socket takes it at once) and
 * closed before anything of it is read, so that one address cannot hold
 * every descriptor. A reverse proxy on the same machine makes every
 * connection come from its address: limit there, and set 0 here.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/conn.h"

#define ACCEPT_BATCH 64
#define RETRY_US (1000 * LWS_US_PER_MS)
#define EPISODE_MS 10000 /* accepts working this long end an episode */

struct listener {
	struct server *srv;
	int fd;
	struct lws *wsi;
	bool paused;    /* not polled until a descriptor frees */
	bool exhausted; /* an episode is under way (logged) */
	int64_t last_pause; /* ms */
	unsigned pauses;    /* in this episode */
	lws_sorted_usec_list_t retry;
	GHashTable *per_addr; /* address -> connections open (in a pointer) */
};

static void
resume(struct listener *l)
{
	if (!l->paused)
		return;
	l->paused = false;
	lws_sul_cancel(&l->retry);
	lws_rx_flow_control(l->wsi, 1);
}

static void
retry_cb(lws_sorted_usec_list_t *sul)
{
	resume(lws_container_of(sul, struct listener, retry));
}

static void
pause_accepting(struct listener *l, int err)
{
	if (!l->exhausted) {
		lwsl_err("accept: %s; not accepting until a descriptor is free\n",
		    strerror(err));
		l->exhausted = true;
		l->pauses = 0;
	}
	l->pauses++;
	l->last_pause = now_ms();
	l->srv->m.accept_pauses++;
	l->paused = true;
	lws_rx_flow_control(l->wsi, 0);
	lws_sul_schedule(l->srv->ctx, 0, &l->retry, retry_cb, RETRY_US);
}

/* The address a connection is counted under. */
static void
addr_key(const struct sockaddr_storage *ss, char *out, size_t cap)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;
		if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
			inet_ntop(AF_INET, &a6->sin6_addr.s6_addr[12], out, (socklen_t)cap);
			return;
		}
		struct in6_addr net = a6->sin6_addr;
		memset(net.s6_addr + 8, 0, 8);
		char text[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &net, text, sizeof text);
		snprintf(out, cap, "%s/64", text);
	} else if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, out,
		    (socklen_t)cap);
	} else {
		snprintf(out, cap, "local");
	}
}

static unsigned
open_from(struct listener *l, const char *addr)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(l->per_addr, addr));
}

static void
count(struct listener *l, const char *addr, int by)
{
	unsigned n = open_from(l, addr) + (unsigned)by;
	if (n == 0)
		g_hash_table_remove(l->per_addr, addr);
	else
		g_hash_table_insert(l->per_addr, g_strdup(addr), GUINT_TO_POINTER(n));
}

/* Past the limit: a short answer if the socket takes it now, then the
 * close (nothing of the request is read; the peer may see a reset). */
static void
refuse_busy(struct listener *l, int fd, const char *addr)
{
	static const char busy[] = "HTTP/1.1 429 Too Many Requests\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 39\r\n"
	    "Connection: close\r\n\r\ntoo many connections from your address\n";
	l->srv->m.conns_refused++;
	lwsl_info("accept: %s has %u connections open, refused\n", addr,
	    open_from(l, addr));
	if (send(fd, busy, sizeof busy - 1, MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
		shutdown(fd, SHUT_WR);
	close(fd);
}

void
listener_conn_closed(struct server *srv, const char *addr)
{
	struct listener *l = srv->listener;
	if (l != NULL && *addr && open_from(l, addr) > 0)
		count(l, addr, -1);
}

static void
admit(struct listener *l, int fd, const struct sockaddr_storage *ss)
{
	char addr[LISTENER_ADDR_MAX];
	addr_key(ss, addr, sizeof addr);
	size_t max = l->srv->cfg.max_conns_per_ip;
	if (max > 0 && open_from(l, addr) >= max) {
		refuse_busy(l, fd, addr);
		return;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	count(l, addr, 1);
	if (!conn_adopt(l->srv, fd, addr))
		count(l, addr, -1);
}

static void
accept_some(struct listener *l)
{
	for (int i = 0; i < ACCEPT_BATCH && !l->paused; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		memset(&ss, 0, sizeof ss);
		int fd = accept4(l->fd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			if (e == EAGAIN || e == EWOULDBLOCK)
				return;
			if (e == EINTR || e == ECONNABORTED || e == EPROTO)
				continue;
			if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
				pause_accepting(l, e);
				return;
			}
			lwsl_err("accept: %s\n", strerror(e));
			return;
		}
		if (l->exhausted && now_ms() - l->last_pause > EPISODE_MS) {
			lwsl_notice("accept: descriptors are free again (accepting paused "
			    "%u times)\n", l->pauses);
			l->exhausted = false;
		}
		admit(l, fd, &ss);
	}
}

int
listener_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct server *srv = lws_context_user(lws_get_context(wsi));
	if (reason == LWS_CALLBACK_RAW_RX_FILE && srv->listener != NULL &&
	    srv->listener->wsi == wsi)
		accept_some(srv->listener);
	return 0;
}

void
listener_fd_freed(struct server *srv)
{
	if (srv->listener != NULL && !srv->destroying)
		resume(srv->listener);
}

static int
bind_one(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Binds the first address host names; -1 with a message on stderr. */
int
listener_open(struct server *srv, const char *host, int port, int *bound)
{
	char service[16];
	snprintf(service, sizeof service, "%d", port);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	    .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "confabd: cannot listen on %s: %s\n", host,
		    gai_strerror(rc));
		return -1;
	}
	int fd = -1, err = 0;
	for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		if ((fd = bind_one(ai)) < 0)
			err = errno;
	freeaddrinfo(res);
	if (fd < 0) {
		fprintf(stderr, "confabd: cannot listen on %s:%d: %s\n", host, port,
		    strerror(err));
		return -1;
	}
	struct listener *l = calloc(1, sizeof *l);
	if (l == NULL) {
		close(fd);
		return -1;
	}
	l->srv = srv;
	l->fd = fd;
	l->per_addr = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	srv->adopting = "";
	*bound = port_of(fd);
	lws_sock_file_fd_type d = {.filefd = fd};
	l->wsi = lws_adopt_descriptor_vhost(srv->vh, LWS_ADOPT_RAW_FILE_DESC, d,
	    "confab-listen", NULL);
	if (l->wsi == NULL) {
		fprintf(stderr, "confabd: cannot poll the listening socket\n");
		close(fd);
		g_hash_table_destroy(l->per_addr);
		free(l);
		return -1;
	}
	srv->listener = l;
	return 0;
}

void
listener_close(struct server *srv)
{
	struct listener *l = srv->listener;
	if (l == NULL)
		return;
	lws_sul_cancel(&l->retry);
	srv->listener = NULL; /* lws closes the descriptor with the context */
	g_hash_table_destroy(l->per_addr);
	free(l);
}
