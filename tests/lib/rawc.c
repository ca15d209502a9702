#include "rawc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
rawc_connect(int port, int timeout_ms)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	return fd;
}

bool
rawc_write(int fd, const void *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p = (const char *)p + w;
		n -= (size_t)w;
	}
	return true;
}

/* Waits for input until deadline; false when none came. */
static bool
wait_in(int fd, long long deadline)
{
	long long left = deadline - mono_ms();
	if (left <= 0)
		return false;
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, (int)left) > 0;
}

size_t
rawc_read_all(int fd, char *buf, size_t cap, int timeout_ms, bool *eof)
{
	long long deadline = mono_ms() + timeout_ms;
	size_t len = 0;
	*eof = false;
	while (len + 1 < cap && wait_in(fd, deadline)) {
		ssize_t r = recv(fd, buf + len, cap - 1 - len, 0);
		if (r <= 0) {
			*eof = true;
			break;
		}
		len += (size_t)r;
	}
	buf[len] = '\0';
	return len;
}

static bool
read_exact(int fd, void *p, size_t n, long long deadline)
{
	while (n > 0) {
		if (!wait_in(fd, deadline))
			return false;
		ssize_t r = recv(fd, p, n, 0);
		if (r <= 0)
			return false;
		p = (char *)p + r;
		n -= (size_t)r;
	}
	return true;
}

int
rawc_upgrade(int fd, const char *protocols, char *head, size_t cap)
{
	char req[512];
	int n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\n%s%s%s\r\n",
	    protocols ? "Sec-WebSocket-Protocol: " : "", protocols ? protocols : "",
	    protocols ? "\r\n" : "");
	if (!rawc_write(fd, req, (size_t)n))
		return -1;
	/* byte by byte: what follows the head is the first frame */
	size_t len = 0;
	long long deadline = mono_ms() + 5000;
	while (len + 1 < cap) {
		if (!read_exact(fd, head + len, 1, deadline))
			break;
		len++;
		head[len] = '\0';
		if (len >= 4 && memcmp(head + len - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	head[len] = '\0';
	int status;
	if (sscanf(head, "HTTP/1.1 %d", &status) != 1)
		return -1;
	return status;
}

bool
rawc_frame(int fd, unsigned char b0, const void *p, size_t n, bool unmasked)
{
	static const unsigned char key[4] = {0x11, 0x22, 0x33, 0x44};
	unsigned char *f = malloc(n + 14);
	size_t h = 0;
	f[h++] = b0;
	unsigned char m = unmasked ? 0 : 0x80;
	if (n < 126) {
		f[h++] = m | (unsigned char)n;
	} else if (n < 65536) {
		f[h++] = m | 126;
		f[h++] = (unsigned char)(n >> 8);
		f[h++] = (unsigned char)n;
	} else {
		f[h++] = m | 127;
		for (int k = 7; k >= 0; k--)
			f[h++] = (unsigned char)((uint64_t)n >> (8 * k));
	}
	if (!unmasked) {
		memcpy(f + h, key, 4);
		h += 4;
	}
	for (size_t i = 0; i < n; i++)
		f[h + i] = ((const unsigned char *)p)[i] ^ (unmasked ? 0 : key[i & 3]);
	bool ok = rawc_write(fd, f, h + n);
	free(f);
	return ok;
}

/* One server frame: its opcode and payload (malloc'd in *out); -1 on EOF
 * or the deadline. */
static int
read_frame(int fd, long long deadline, unsigned char **out, size_t *len)
{
	unsigned char h[2];
	if (!read_exact(fd, h, 2, deadline))
		return -1;
	uint64_t n = h[1] & 0x7f;
	if (n == 126 || n == 127) {
		unsigned char x[8];
		size_t k = n == 126 ? 2 : 8;
		if (!read_exact(fd, x, k, deadline))
			return -1;
		n = 0;
		for (size_t i = 0; i < k; i++)
			n = n << 8 | x[i];
	}
	*out = malloc(n + 1);
	if (!read_exact(fd, *out, n, deadline)) {
		free(*out);
		return -1;
	}
	(*out)[n] = 0;
	*len = n;
	return h[0] & 0x0f;
}

int
rawc_close_code(int fd, int timeout_ms)
{
	long long deadline = mono_ms() + timeout_ms;
	for (;;) {
		unsigned char *p;
		size_t n;
		int op = read_frame(fd, deadline, &p, &n);
		if (op < 0) {
			char c;
			return recv(fd, &c, 1, MSG_DONTWAIT) == 0 ? 1006 : -1;
		}
		int code = n >= 2 ? p[0] << 8 | p[1] : 1005;
		free(p);
		if (op == 8)
			return code;
	}
}

long
rawc_next_frame(int fd, char *buf, size_t cap, int timeout_ms)
{
	long long deadline = mono_ms() + timeout_ms;
	for (;;) {
		unsigned char *p;
		size_t n;
		int op = read_frame(fd, deadline, &p, &n);
		if (op < 0 || op == 8) {
			if (op == 8)
				free(p);
			return -1;
		}
		if (op == 9 || op == 10) {
			free(p);
			continue;
		}
		size_t k = n < cap - 1 ? n : cap - 1;
		memcpy(buf, p, k);
		buf[k] = '\0';
		free(p);
		return (long)n;
	}
}

double
rawc_cpu_seconds(int pid)
{
	char path[64], line[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	size_t n = fread(line, 1, sizeof line - 1, f);
	fclose(f);
	line[n] = '\0';
	/* fields 14 and 15 (utime, stime), after the ")" of the name */
	char *p = strrchr(line, ')');
	if (p == NULL)
		return -1;
	unsigned long ut, st;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}
