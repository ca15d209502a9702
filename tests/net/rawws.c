#define _GNU_SOURCE /* strcasestr */
#include "rawws.h"

#include <arpa/inet.h>
#include <glib.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int
rawws_listen(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof a;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0
	    || getsockname(fd, (struct sockaddr *)&a, &al) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

int
rawws_closed_port(void)
{
	int port = -1, fd = rawws_listen(&port);
	if (fd >= 0)
		close(fd);
	return port;
}

static bool
write_all(int fd, const void *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return false;
		p = (const char *)p + w;
		n -= (size_t)w;
	}
	return true;
}

/* RFC 6455 4.2.2: Sec-WebSocket-Accept is base64(SHA-1(key + GUID)). */
static bool
handshake(int fd)
{
	char req[8192];
	size_t n = 0;
	req[0] = '\0';
	while (strstr(req, "\r\n\r\n") == NULL) {
		ssize_t r = read(fd, req + n, sizeof req - 1 - n);
		if (r <= 0 || (n += (size_t)r) >= sizeof req - 1)
			return false;
		req[n] = '\0';
	}
	const char *k = strcasestr(req, "\r\nSec-WebSocket-Key:");
	if (k == NULL)
		return false;
	k += strlen("\r\nSec-WebSocket-Key:");
	k += strspn(k, " ");
	char key[128];
	snprintf(key, sizeof key, "%.*s258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
	    (int)strcspn(k, " \r\n"), k);
	guint8 digest[20];
	gsize dl = sizeof digest;
	GChecksum *cs = g_checksum_new(G_CHECKSUM_SHA1);
	g_checksum_update(cs, (const guchar *)key, (gssize)strlen(key));
	g_checksum_get_digest(cs, digest, &dl);
	g_checksum_free(cs);
	gchar *accept = g_base64_encode(digest, dl);
	char resp[512];
	int m = snprintf(resp, sizeof resp,
	    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n"
	    "Sec-WebSocket-Protocol: confab.v1\r\n\r\n", accept);
	g_free(accept);
	return write_all(fd, resp, (size_t)m);
}

/* A server-to-client frame (unmasked); b0 holds FIN and the opcode. The
 * announced length may exceed what follows (RAWWS_HUGE). */
static void
frame(int fd, unsigned char b0, const void *p, size_t len, uint64_t announce)
{
	unsigned char h[10] = {b0};
	size_t hl = 2;
	if (announce < 126)
		h[1] = (unsigned char)announce;
	else if (announce < 65536) {
		h[1] = 126;
		h[2] = (unsigned char)(announce >> 8);
		h[3] = (unsigned char)announce;
		hl = 4;
	} else {
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)(announce >> (56 - 8 * i));
		hl = 10;
	}
	write_all(fd, h, hl);
	write_all(fd, p, len);
}

static void
serve(int fd, enum rawws_mode mode)
{
	/* Let the client take the 101 by itself before frames follow. */
	struct timespec ts = {0, 100 * 1000000L};
	nanosleep(&ts, NULL);
	if (mode == RAWWS_FRAGMENTS) {
		frame(fd, 0x01, "hel", 3, 3);   /* text, more to come */
		frame(fd, 0x80, "lo", 2, 2);    /* continuation, final */
		size_t big = 100000;
		char *b = malloc(big);
		memset(b, 'x', big);
		frame(fd, 0x81, b, big, big);   /* one frame, many rx chunks */
		free(b);
		frame(fd, 0x01, "ab", 2, 2);
		frame(fd, 0x89, "", 0, 0);      /* a ping between the pieces */
		frame(fd, 0x80, "cd", 2, 2);
		frame(fd, 0x82, "bin", 3, 3);
		frame(fd, 0x81, "end", 3, 3);
	} else if (mode == RAWWS_HUGE) {
		/* More than one rx chunk of the client: lws calls back only
		 * once its buffer is full or the frame is complete. */
		static char b[20000];
		memset(b, 'x', sizeof b);
		frame(fd, 0x81, b, sizeof b, (uint64_t)32 << 20);
	}
}

pid_t
rawws_start(enum rawws_mode mode, int *port)
{
	int lfd = rawws_listen(port);
	if (lfd < 0)
		return -1;
	pid_t pid = fork();
	if (pid != 0) {
		close(lfd);
		return pid;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Inherited copies of the test's sockets would keep its connections
	 * alive after the test closes them. */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != lfd)
			close(fd);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		if (mode == RAWWS_WEB) {
			static const char nf[] = "HTTP/1.1 404 Not Found\r\n"
			    "Content-Length: 0\r\nConnection: close\r\n\r\n";
			char req[4096];
			if (read(fd, req, sizeof req) > 0)
				write_all(fd, nf, sizeof nf - 1);
			close(fd);
		} else if (handshake(fd)) {
			serve(fd, mode); /* and keep it open */
		} else {
			close(fd);
		}
	}
}
