#include "server/http1.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 tchar */
static bool
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != 0 && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t
skip_blank_lines(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i;
}

size_t
http1_head_end(const char *buf, size_t len, size_t *scanned)
{
	size_t start = skip_blank_lines(buf, len);
	size_t i = *scanned > start + 2 ? *scanned - 2 : start;
	for (; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	*scanned = len;
	return 0;
}

bool
http1_start_valid(const char *buf, size_t len)
{
	static const char version[] = "HTTP/1.1";
	size_t i = skip_blank_lines(buf, len);
	size_t m = 0;
	for (; i < len && buf[i] != ' '; i++, m++)
		if (!is_tchar((unsigned char)buf[i]) || m >= 16)
			return false;
	if (i++ >= len)
		return true;
	if (m == 0)
		return false;
	for (m = 0; i < len && buf[i] != ' '; i++, m++)
		if ((unsigned char)buf[i] <= 0x20 || (unsigned char)buf[i] >= 0x7f ||
		    m >= 8192)
			return false;
	if (i++ >= len)
		return true;
	/* "HTTP/" then a digit, '.', a digit, then the line end */
	for (m = 0; i < len && m < 8; i++, m++) {
		char c = buf[i];
		bool digit = c >= '0' && c <= '9';
		if (m == 5 || m == 7 ? !digit : m == 6 ? c != '.' : c != version[m])
			return false;
	}
	if (i < len && buf[i] != '\r' && buf[i] != '\n')
		return false;
	return true;
}

static enum http1_result
refuse(struct http1_req *req, unsigned status, const char *why)
{
	req->status = status;
	req->why = why;
	return HTTP1_REFUSE;
}

/* The next line of the head (without its CRLF or LF); NULL after a bare
 * CR, which could split a line differently for another reader. */
static const char *
next_line(const char **p, const char *end, size_t *n)
{
	const char *line = *p;
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	if (nl == NULL)
		nl = end;
	size_t len = (size_t)(nl - line);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (memchr(line, '\r', len) != NULL)
		return NULL;
	*n = len;
	*p = nl < end ? nl + 1 : end;
	return line;
}

static bool
copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		return false;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return true;
}

static enum http1_result
request_line(const char *l, size_t n, struct http1_req *req)
{
	const char *sp1 = memchr(l, ' ', n);
	if (sp1 == NULL || sp1 == l)
		return refuse(req, 400, "malformed request line");
	const char *rest = sp1 + 1;
	const char *sp2 = memchr(rest, ' ', (size_t)(l + n - rest));
	if (sp2 == NULL || sp2 == rest)
		return refuse(req, 400, "malformed request line");
	for (const char *c = l; c < sp1; c++)
		if (!is_tchar((unsigned char)*c))
			return refuse(req, 400, "malformed method");
	if (!copy(req->method, sizeof req->method, l, (size_t)(sp1 - l)))
		return refuse(req, 501, "unknown method");
	for (const char *c = rest; c < sp2; c++)
		if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
			return refuse(req, 400, "malformed request target");
	if (*rest != '/')
		return refuse(req, 400, "only origin-form request targets are served");
	const char *q = memchr(rest, '?', (size_t)(sp2 - rest));
	if (!copy(req->path, sizeof req->path, rest, (size_t)((q ? q : sp2) - rest)))
		return refuse(req, 414, "request target too long");
	if (q != NULL && !copy(req->query, sizeof req->query, q + 1,
	    (size_t)(sp2 - q - 1)))
		return refuse(req, 414, "request target too long");
	const char *v = sp2 + 1;
	size_t vn = (size_t)(l + n - v);
	if (vn == 8 && memcmp(v, "HTTP/1.", 7) == 0 && (v[7] == '0' || v[7] == '1')) {
		req->minor = v[7] - '0';
		return HTTP1_DONE;
	}
	if (vn == 8 && memcmp(v, "HTTP/", 5) == 0 && v[6] == '.' &&
	    v[5] >= '0' && v[5] <= '9' && v[7] >= '0' && v[7] <= '9')
		return refuse(req, 505, "only HTTP/1.0 and HTTP/1.1 are served");
	return refuse(req, 400, "malformed HTTP version");
}

/* Appends a value to a comma-joined list field; false when it overflows. */
static bool
join(char *dst, size_t cap, const char *v, size_t n)
{
	size_t used = strlen(dst);
	if (used > 0) {
		if (used + 1 >= cap)
			return false;
		dst[used++] = ',';
		dst[used] = '\0';
	}
	return copy(dst + used, cap - used, v, n);
}

struct seen {
	unsigned host, content_length, ws_key, origin;
	bool te, conn_close, conn_keep_alive;
	unsigned long long length;
};

static bool
list_has_n(const char *v, size_t n, const char *token)
{
	char tmp[256];
	if (!copy(tmp, sizeof tmp, v, n))
		return false;
	return http1_list_has(tmp, token);
}

static enum http1_result
content_length(const char *v, size_t n, struct seen *sn, struct http1_req *req)
{
	if (++sn->content_length > 1)
		return refuse(req, 400, "Content-Length given twice");
	if (n == 0 || n > 18)
		return refuse(req, 400, "malformed Content-Length");
	unsigned long long len = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return refuse(req, 400, "malformed Content-Length");
		len = len * 10 + (unsigned)(v[i] - '0');
	}
	sn->length = len;
	return HTTP1_DONE;
}

#define IS(name) (nn == sizeof(name) - 1 && strncasecmp(l, name, nn) == 0)

static enum http1_result
header(const char *l, size_t n, struct seen *sn, struct http1_req *req)
{
	if (n > 0 && (l[0] == ' ' || l[0] == '\t'))
		return refuse(req, 400, "obsolete line folding");
	const char *colon = memchr(l, ':', n);
	if (colon == NULL || colon == l)
		return refuse(req, 400, "malformed header line");
	size_t nn = (size_t)(colon - l);
	for (size_t i = 0; i < nn; i++)
		if (!is_tchar((unsigned char)l[i]))
			return refuse(req, 400, "malformed header name");
	const char *v = colon + 1, *ve = l + n;
	while (v < ve && (*v == ' ' || *v == '\t'))
		v++;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	for (const char *c = v; c < ve; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
			return refuse(req, 400, "control character in a header");
	size_t vn = (size_t)(ve - v);
	if (IS("host")) {
		if (++sn->host > 1)
			return refuse(req, 400, "Host given twice");
		if (!copy(req->host, sizeof req->host, v, vn))
			return refuse(req, 400, "Host too long");
	} else if (IS("origin")) {
		/* what a browser says a page came from: one, or none */
		if (++sn->origin > 1 || !copy(req->origin, sizeof req->origin, v, vn))
			return refuse(req, 400, "bad Origin");
		req->has_origin = true;
	} else if (IS("accept")) {
		/* only looked into for text/event-stream: a long one is cut */
		copy(req->accept, sizeof req->accept, v,
		    vn < sizeof req->accept ? vn : sizeof req->accept - 1);
	} else if (IS("if-none-match")) {
		copy(req->if_none_match, sizeof req->if_none_match, v,
		    vn < sizeof req->if_none_match ? vn : sizeof req->if_none_match - 1);
	} else if (IS("last-event-id")) {
		if (req->has_last_event_id || !copy(req->last_event_id,
		    sizeof req->last_event_id, v, vn))
			return refuse(req, 400, "bad Last-Event-ID");
		req->has_last_event_id = true;
	} else if (IS("content-length")) {
		return content_length(v, vn, sn, req);
	} else if (IS("transfer-encoding")) {
		sn->te = true;
	} else if (IS("content-type")) {
		size_t tn = 0;
		while (tn < vn && v[tn] != ';' && v[tn] != ' ' && v[tn] != '\t')
			tn++;
		if (!copy(req->content_type, sizeof req->content_type, v, tn))
			return refuse(req, 400, "Content-Type too long");
		for (char *c = req->content_type; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	} else if (IS("authorization")) {
		if (req->authorization[0] || !copy(req->authorization,
		    sizeof req->authorization, v, vn))
			return refuse(req, 400, "bad Authorization");
	} else if (IS("connection")) {
		sn->conn_close |= list_has_n(v, vn, "close");
		sn->conn_keep_alive |= list_has_n(v, vn, "keep-alive");
		req->connection_upgrade |= list_has_n(v, vn, "upgrade");
	} else if (IS("upgrade")) {
		req->upgrade_websocket |= list_has_n(v, vn, "websocket");
	} else if (IS("sec-websocket-key")) {
		if (++sn->ws_key > 1 || !copy(req->ws_key, sizeof req->ws_key, v, vn))
			return refuse(req, 400, "bad Sec-WebSocket-Key");
	} else if (IS("sec-websocket-version")) {
		if (!copy(req->ws_version, sizeof req->ws_version, v, vn))
			return refuse(req, 400, "bad Sec-WebSocket-Version");
	} else if (IS("sec-websocket-protocol")) {
		if (!join(req->ws_protocols, sizeof req->ws_protocols, v, vn))
			return refuse(req, 400, "Sec-WebSocket-Protocol too long");
	}
	return HTTP1_DONE;
}

enum http1_result
http1_parse(const char *buf, size_t head_len, struct http1_req *req)
{
	memset(req, 0, sizeof *req);
	const char *p = buf + skip_blank_lines(buf, head_len), *end = buf + head_len;
	size_t n;
	const char *l = next_line(&p, end, &n);
	if (l == NULL)
		return refuse(req, 400, "bare CR in the request");
	enum http1_result r = request_line(l, n, req);
	if (r != HTTP1_DONE)
		return r;
	struct seen sn = {0};
	unsigned count = 0;
	while ((l = next_line(&p, end, &n)) != NULL && n > 0) {
		if (++count > 100)
			return refuse(req, 431, "too many header fields");
		if ((r = header(l, n, &sn, req)) != HTTP1_DONE)
			return r;
	}
	if (l == NULL)
		return refuse(req, 400, "bare CR in the request");
	if (sn.te && sn.content_length)
		return refuse(req, 400, "Content-Length beside Transfer-Encoding");
	if (req->minor == 1 && sn.host == 0)
		return refuse(req, 400, "Host is required in HTTP/1.1");
	req->has_body = sn.te || sn.length > 0;
	req->chunked = sn.te;
	req->content_length = sn.length;
	req->keep_alive = req->minor == 1 ? !sn.conn_close
	    : sn.conn_keep_alive && !sn.conn_close;
	return HTTP1_DONE;
}

bool
http1_list_has(const char *list, const char *token)
{
	size_t tn = strlen(token);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *te = e;
		while (te > p && (te[-1] == ' ' || te[-1] == '\t'))
			te--;
		if ((size_t)(te - p) == tn && strncasecmp(p, token, tn) == 0)
			return true;
		p = e;
	}
	return false;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes src[0..n) into out[0..cap); false when malformed or too long. */
static bool
query_decode(const char *src, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = src[i];
		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%') {
			int hi = i + 2 < n ? hex_digit(src[i + 1]) : -1;
			int lo = hi >= 0 ? hex_digit(src[i + 2]) : -1;
			if (lo < 0 || (hi == 0 && lo == 0))
				return false;
			ch = (char)(hi << 4 | lo);
			i += 2;
		}
		if (o + 1 >= cap)
			return false;
		out[o++] = ch;
	}
	out[o] = '\0';
	return true;
}

bool
http1_query(const char *query, const char *key, char *out, size_t cap)
{
	size_t kn = strlen(key);
	const char *p = query;
	while (*p) {
		const char *e = strchr(p, '&');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		size_t name_n = eq ? (size_t)(eq - p) : n;
		if (name_n == kn && memcmp(p, key, kn) == 0) {
			const char *v = eq ? eq + 1 : p + n;
			return query_decode(v, (size_t)(p + n - v), out, cap);
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return false;
}

bool
http1_bearer(const char *authorization, char *out, size_t cap)
{
	if (strncasecmp(authorization, "Bearer ", 7) != 0)
		return false;
	const char *t = authorization + 7;
	while (*t == ' ')
		t++;
	size_t n = strlen(t);
	if (n == 0 || n >= cap)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_tchar((unsigned char)t[i]) && t[i] != '/' && t[i] != '=')
			return false;
	memcpy(out, t, n + 1);
	return true;
}
