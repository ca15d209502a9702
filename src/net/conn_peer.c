/*
 * conn_peer: who the conn talks to: the server's URL, its certificate
 * (checked by OpenSSL, then the pin, as ssh's known_hosts), and lws's
 * reasons for an attempt that failed, in plain words (see conn.h).
 */
#define _GNU_SOURCE /* getrandom */
#include "net/conn_impl.h"

#include <ctype.h>
#include <openssl/sha.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "model/xmalloc.h"

/* lws's reasons for a failed attempt, in the words of someone who just
 * wants to chat (the reason itself goes to the log). */
static const struct {
	const char *lws;     /* a prefix of lws's reason */
	const char *words;   /* printf: host, port */
} explained[] = {
	{ "HS: ws upgrade unauthorized", "%s:%d refused to let this client in" },
	{ "HS: ws upgrade response not 101", "%s:%d answered, but it is not a "
	    "confab server (no WebSocket there)" },
	{ "HS: Cannot match protocol", "%s:%d is a WebSocket server that does "
	    "not speak confab" },
	{ "HS: PROTOCOL malformed", "%s:%d is a WebSocket server that does not "
	    "speak confab" },
	{ "HS:", "%s:%d answered, but not as a confab server does" },
	{ "getaddrinfo", "cannot find %s (no such host name)" },
	{ "Peer hung up", "%s:%d hung up before it answered" },
	{ "read failed", "%s:%d hung up before it answered" },
	{ "timed out", "no answer from %s:%d (timed out)" },
	{ "", "nothing is listening at %s:%d (is confabd running?)" },
};

void
conn_explain(const char *reason, const char *host, int port, char *out,
    size_t size)
{
	for (size_t i = 0; i < sizeof explained / sizeof *explained; i++) {
		const char *p = explained[i].lws;
		if (strncmp(reason, p, strlen(p)) == 0 ||
		    (*p != '\0' && p[0] != 'H' && strstr(reason, p) != NULL)) {
			snprintf(out, size, explained[i].words, host, port);
			return;
		}
	}
}

/* ---- certificates -------------------------------------------------------- */

void
conn_fingerprint(const unsigned char *der, size_t len, char *out)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256(der, len, md);
	char *p = out + sprintf(out, "SHA256:");
	for (size_t i = 0; i < sizeof md; i++)
		p += sprintf(p, i ? ":%02X" : "%02X", md[i]);
}

static void
leaf_fingerprint(X509_STORE_CTX *x, char *out)
{
	X509 *leaf = X509_STORE_CTX_get0_cert(x);
	unsigned char *der = NULL;
	int n = leaf != NULL ? i2d_X509(leaf, &der) : -1;
	if (n > 0)
		conn_fingerprint(der, (size_t)n, out);
	else
		out[0] = '\0';
	OPENSSL_free(der);
}

/* Errors that say only that no trusted authority vouches for the chain. */
static bool
untrusted(int err)
{
	return err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	    err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	    err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	    err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE ||
	    err == X509_V_ERR_CERT_UNTRUSTED;
}

/*
 * OpenSSL's verdict on each certificate of the chain, with the chance to
 * change it. A chain a trusted authority signed passes as OpenSSL says.
 * Otherwise the leaf's fingerprint decides, as ssh's known_hosts does: the
 * pinned one passes (whatever name or dates it bears: the user chose this
 * very certificate), another is refused as CHANGED, and with no pin the
 * attempt fails as UNTRUSTED with the fingerprint for the user to judge.
 * Returns 0 to pass (X509_V_OK set), 1 to fail.
 */
int
conn_verify_cert(struct conn *c, X509_STORE_CTX *x, int preverify_ok)
{
	leaf_fingerprint(x, c->st.fingerprint);
	if (preverify_ok)
		return 0;
	int err = X509_STORE_CTX_get_error(x);
	if (c->pin != NULL && strcmp(c->pin, c->st.fingerprint) == 0) {
		X509_STORE_CTX_set_error(x, X509_V_OK);
		return 0;
	}
	if (c->pin != NULL)
		c->st.cert = CONN_CERT_CHANGED;
	else if (untrusted(err) || c->st.cert == CONN_CERT_UNTRUSTED)
		c->st.cert = CONN_CERT_UNTRUSTED; /* and maybe a name as well */
	else
		c->st.cert = CONN_CERT_BAD;
	snprintf(c->st.detail, sizeof c->st.detail, "%s",
	    X509_verify_cert_error_string(err));
	return 1;
}

/* The words for a failed attempt whose certificate was the trouble. */
static bool
explain_cert(struct conn *c)
{
	switch (c->st.cert) {
	case CONN_CERT_UNTRUSTED:
		conn_set_error(c, "%s:%d has a certificate no trusted authority signed",
		    c->host, c->port);
		return true;
	case CONN_CERT_CHANGED:
		conn_set_error(c, "the certificate of %s:%d CHANGED since you trusted it: "
		    "not connecting", c->host, c->port);
		return true;
	case CONN_CERT_BAD:
		conn_set_error(c, "%s:%d has a certificate that is not valid (%s)",
		    c->host, c->port, c->st.detail);
		return true;
	default:
		return false;
	}
}

void
conn_set_pin(struct conn *c, const char *fingerprint)
{
	free(c->pin);
	c->pin = xstrdup_or_null(fingerprint);
}

/* The words for a failed attempt whose certificate was the trouble. */
enum fb_outcome
conn_link_failed(struct conn *c, const char *reason)
{
	if (reason == NULL)
		reason = "";
	if (explain_cert(c))
		return FB_UNREACHABLE; /* detail: OpenSSL's words */
	snprintf(c->st.detail, sizeof c->st.detail, "%s", reason);
	char why[sizeof c->st.last_error];
	conn_explain(reason, c->host, c->port, why, sizeof why);
	conn_set_error(c, "%s", why);
	/* "HS:" is lws's handshake: an HTTP answer came, not the upgrade. */
	return strncmp(reason, "HS:", 3) == 0 ? FB_REFUSED : FB_UNREACHABLE;
}

static bool
url_chars_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool
parse_port(const char *s, size_t n, int *port)
{
	if (n == 0 || n > 5)
		return false;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	*port = (int)v;
	return true;
}

/* ws://host[:port][/path], host a name, an IPv4 address or [IPv6]. */
bool
conn_parse_url(struct conn *c, const char *url, char *err, size_t errlen)
{
	c->tls = url != NULL && strncasecmp(url, "wss://", 6) == 0;
	if (url == NULL || (!c->tls && strncasecmp(url, "ws://", 5) != 0)) {
		snprintf(err, errlen, "not a ws:// or wss:// URL: %s",
		    url ? url : "(none)");
		return false;
	}
	const char *a = url + (c->tls ? 6 : 5), *slash = strchr(a, '/');
	size_t alen = slash ? (size_t)(slash - a) : strlen(a);
	const char *h = a, *colon;
	size_t hlen;
	if (alen > 0 && a[0] == '[') {
		const char *close = memchr(a, ']', alen);
		if (close == NULL || close == a + 1) {
			snprintf(err, errlen, "bad IPv6 address in %s", url);
			return false;
		}
		h = a + 1;
		hlen = (size_t)(close - h);
		colon = close + 1 < a + alen ? close + 1 : NULL;
		if (colon != NULL && *colon != ':') {
			snprintf(err, errlen, "junk after the address in %s", url);
			return false;
		}
	} else {
		colon = memchr(a, ':', alen);
		hlen = colon ? (size_t)(colon - a) : alen;
	}
	if (hlen == 0 || !url_chars_ok(h, hlen) || memchr(h, '@', hlen) != NULL) {
		snprintf(err, errlen, "no usable host in %s", url);
		return false;
	}
	c->port = c->tls ? 443 : 80;
	if (colon != NULL
	    && !parse_port(colon + 1, (size_t)(a + alen - colon - 1), &c->port)) {
		snprintf(err, errlen, "bad port in %s (1-65535)", url);
		return false;
	}
	const char *path = slash ? slash : "/";
	if (!url_chars_ok(path, strlen(path))) {
		snprintf(err, errlen, "bad characters in the path of %s", url);
		return false;
	}
	c->host = xstrndup(h, hlen);
	c->hosthdr = xstrndup(a, alen);
	c->path = xstrdup(path);
	return true;
}

uint64_t
conn_random_seed(void)
{
	uint64_t s = 0;
	if (getrandom(&s, sizeof s, 0) != (ssize_t)sizeof s) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		s = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32;
	}
	return s;
}

