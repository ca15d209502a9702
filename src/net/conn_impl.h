/*
 * conn_impl: the conn's state, shared by conn.c (the connection's life)
 * and conn_peer.c (the server's URL, its certificate, and why it did not
 * answer). Private to src/net.
 */
#ifndef CONFAB_CONN_IMPL_H
#define CONFAB_CONN_IMPL_H

#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/backoff.h"
#include "model/fallback.h"
#include "net/conn.h"
#include "net/link.h"

struct conn {
	struct lws_context *ctx;
	struct conn_events ev;
	void *ud;
	char *host;     /* for the socket: no brackets around IPv6 */
	char *hosthdr;  /* for the Host header: host[:port] */
	char *path;
	int port;
	bool tls;
	char *pin;       /* an accepted fingerprint, or NULL */

	struct backoff bo;
	struct fallback fb;
	struct conn_status st;
	int64_t healthy_ms, heartbeat_ms;

	const struct link_ops *ops;
	struct link *link;   /* the attempt's or the open one; NULL when none */
	bool carried;        /* a frame came on it */
	int64_t opened_ms, last_tx_ms, last_rx_ms;

	/* A link that reports while it is being opened: handled after. */
	bool dialling, pend_open, pend_end;
	enum fb_outcome pend_o;

	struct link *probe;  /* a WebSocket tried beside a worse link */

	lws_sorted_usec_list_t wait, beat, healthy, probe_sul;
};

void conn_set_error(struct conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* OpenSSL's verdict on a certificate of the chain, with the pin's say:
 * 0 to pass, 1 to fail (conn_peer.c). */
int conn_verify_cert(struct conn *c, X509_STORE_CTX *x, int preverify_ok);
/* ws://host[:port][/path] into c's host, hosthdr, path, port and tls. */
bool conn_parse_url(struct conn *c, const char *url, char *err, size_t errlen);
uint64_t conn_random_seed(void);

#endif
