/*
 * The client over TLS (wss://) against confabd serving TLS (--tls-cert,
 * --tls-key), with throwaway certificates made by make-certs.sh: a chain
 * that a given CA signed is trusted; a self-signed certificate, or one of
 * a private CA the client was not given, is refused as untrusted with its
 * SHA-256 fingerprint, which is what openssl itself says; once pinned it
 * is accepted; another certificate than the pinned one is refused as
 * changed. confabd's side: SIGHUP loads a renewed certificate, https://
 * serves /health, and plaintext sent to the TLS port is refused without
 * harm.
 */
#define _GNU_SOURCE
#include <libwebsockets.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/conn.h"
#include "rawc.h"
#include "srv.h"

static char dir[64];
static struct lws_context *ctx;
static struct conn *c;
static struct srv *server;
static int welcomed;

static void
on_opened(void *ud)
{
	(void)ud;
	conn_send(c, "{\"type\":\"HELLO\",\"user\":\"alice\"}", 31);
}

static void
on_frame(void *ud, const char *text, size_t len)
{
	(void)ud;
	if (memmem(text, len, "WELCOME", 7) != NULL)
		welcomed++;
}

static const struct conn_events events = { on_opened, on_frame, NULL };

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static lws_sorted_usec_list_t tick;
static void on_tick(lws_sorted_usec_list_t *s) { (void)s; }

/* Services the loop until done() or ms pass. */
static void
pump_until(bool (*done)(void), int ms)
{
	int64_t end = now_ms() + ms;
	while (!done() && now_ms() < end) {
		lws_sul_schedule(ctx, 0, &tick, on_tick, 20 * LWS_US_PER_MS);
		lws_service(ctx, 0);
	}
}

static bool got_welcome(void) { return welcomed > 0; }
static bool waiting(void) { return conn_status(c)->state == CONN_WAITING; }

static char *
path(const char *name)
{
	static char buf[8][128];
	static int k;
	char *p = buf[k++ % 8];
	snprintf(p, 128, "%s/%s", dir, name);
	return p;
}

/* confabd serving TLS with the certificate name (NAME.pem, NAME.key). */
static void
serve_as(const char *cert, const char *key)
{
	static const char *argv[8];
	argv[0] = "--tls-cert";
	argv[1] = cert;
	argv[2] = "--tls-key";
	argv[3] = key;
	argv[4] = NULL;
	server = calloc(1, sizeof *server);
	assert_non_null(server);
	assert_true(srv_start(server, argv));
}

static void
connect_client(void)
{
	char url[64];
	snprintf(url, sizeof url, "wss://127.0.0.1:%d/", server->port);
	struct conn_options o = { .url = url, .base_ms = 5000, .cap_ms = 5000,
	    .seed = 1 };
	char err[128];
	c = conn_new(ctx, &o, &events, NULL, err, sizeof err);
	assert_non_null(c);
}

static void
serve(const char *name)
{
	char cert[64], key[64];
	snprintf(cert, sizeof cert, "%s.pem", name);
	snprintf(key, sizeof key, "%s.key", name);
	serve_as(path(cert), path(key));
	connect_client();
}

static void
client_context(const char *ca)
{
	static struct lws_protocols list[2];
	list[0] = conn_protocol;
	memset(&list[1], 0, sizeof list[1]);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = list;
	info.timeout_secs = 5;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_ca_filepath = ca;
	ctx = lws_create_context(&info);
	assert_non_null(ctx);
	welcomed = 0;
}

static int
teardown(void **state)
{
	(void)state;
	conn_free(c);
	c = NULL;
	lws_sul_cancel(&tick);
	lws_context_destroy(ctx);
	ctx = NULL;
	if (server != NULL) {
		srv_cleanup(server);
		free(server);
		server = NULL;
	}
	srv_reap_all();
	return 0;
}

/* What openssl says the certificate's SHA-256 fingerprint is. */
static void
openssl_fingerprint(const char *pem, char *out, size_t size)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "openssl x509 -in %s -noout -fingerprint -sha256",
	    pem);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[256] = "";
	assert_non_null(fgets(line, sizeof line, p));
	pclose(p);
	char *eq = strchr(line, '=');
	assert_non_null(eq);
	eq[strcspn(eq, "\n")] = '\0';
	snprintf(out, size, "SHA256:%s", eq + 1);
}

static void
tls__a_chain_the_given_ca_signed_is_trusted(void **state)
{
	(void)state;
	client_context(path("ca.pem"));
	serve("srv");
	conn_reconnect_now(c);
	pump_until(got_welcome, 5000);
	assert_int_equal(welcomed, 1);
	assert_int_equal(conn_status(c)->cert, CONN_CERT_OK);
}

static void
tls__a_self_signed_certificate_is_untrusted_and_shows_its_fingerprint(void **state)
{
	(void)state;
	client_context(NULL);
	serve("self");
	conn_reconnect_now(c);
	pump_until(waiting, 5000);
	const struct conn_status *st = conn_status(c);
	assert_int_equal(st->state, CONN_WAITING);
	assert_int_equal(st->cert, CONN_CERT_UNTRUSTED);
	char want[128];
	openssl_fingerprint(path("self.pem"), want, sizeof want);
	assert_string_equal(st->fingerprint, want);
	assert_non_null(strstr(st->last_error, "no trusted authority signed"));
	assert_int_equal(welcomed, 0);
}

static void
tls__a_pinned_certificate_is_accepted(void **state)
{
	(void)state;
	client_context(NULL);
	serve("self");
	char fp[128];
	openssl_fingerprint(path("self.pem"), fp, sizeof fp);
	conn_set_pin(c, fp);
	conn_reconnect_now(c);
	pump_until(got_welcome, 5000);
	assert_int_equal(welcomed, 1);
}

static void
tls__another_certificate_than_the_pinned_one_is_refused_as_changed(void **state)
{
	(void)state;
	client_context(NULL);
	serve("other");
	char fp[128];
	openssl_fingerprint(path("self.pem"), fp, sizeof fp);
	conn_set_pin(c, fp);
	conn_reconnect_now(c);
	pump_until(waiting, 5000);
	const struct conn_status *st = conn_status(c);
	assert_int_equal(st->cert, CONN_CERT_CHANGED);
	assert_non_null(strstr(st->last_error, "CHANGED"));
	char other[128];
	openssl_fingerprint(path("other.pem"), other, sizeof other);
	assert_string_equal(st->fingerprint, other);
	assert_int_equal(welcomed, 0);
}

static void
tls__a_private_ca_the_client_was_not_given_is_untrusted(void **state)
{
	(void)state;
	client_context(NULL);
	serve("srv");
	conn_reconnect_now(c);
	pump_until(waiting, 5000);
	assert_int_equal(conn_status(c)->cert, CONN_CERT_UNTRUSTED);
	assert_int_equal(welcomed, 0);
}

static void
tls__the_wrong_ca_does_not_vouch_for_a_certificate(void **state)
{
	(void)state;
	client_context(path("ca.pem"));
	serve("other");
	conn_reconnect_now(c);
	pump_until(waiting, 5000);
	assert_int_equal(conn_status(c)->cert, CONN_CERT_UNTRUSTED);
	assert_int_equal(welcomed, 0);
}


static void
copy_file(const char *from, const char *to)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	assert_int_equal(system(cmd), 0);
}

/* A renewed certificate is served after SIGHUP, to new connections; the
 * client, which pinned the old one, says so. */
static void
tls__sighup_loads_the_certificate_again(void **state)
{
	(void)state;
	copy_file(path("self.pem"), path("live.pem"));
	copy_file(path("self.key"), path("live.key"));
	client_context(NULL);
	serve_as(path("live.pem"), path("live.key"));
	connect_client();
	char fp[128];
	openssl_fingerprint(path("self.pem"), fp, sizeof fp);
	conn_set_pin(c, fp);
	conn_reconnect_now(c);
	pump_until(got_welcome, 5000);
	assert_int_equal(welcomed, 1);

	copy_file(path("other.pem"), path("live.pem"));
	copy_file(path("other.key"), path("live.key"));
	assert_int_equal(kill(server->pid, SIGHUP), 0);
	char other[128];
	openssl_fingerprint(path("other.pem"), other, sizeof other);
	/* the signal is taken on the server's next turn: retry until then */
	for (int i = 0; i < 50; i++) {
		conn_free(c);
		connect_client();
		conn_set_pin(c, fp);
		conn_reconnect_now(c);
		pump_until(waiting, 5000);
		if (conn_status(c)->cert == CONN_CERT_CHANGED)
			break;
	}
	assert_int_equal(conn_status(c)->cert, CONN_CERT_CHANGED);
	assert_string_equal(conn_status(c)->fingerprint, other);
}

/* https:// on the same port: curl, trusting the test's CA and asking for
 * HTTP/2 (which confabd does not offer: ALPN settles on HTTP/1.1), reads
 * /health; plaintext sent to the TLS port is refused and the server goes
 * on. */
static void
tls__https_serves_health_and_plaintext_is_refused(void **state)
{
	(void)state;
	client_context(path("ca.pem"));
	serve("srv");
	char cmd[512];
	snprintf(cmd, sizeof cmd, "curl -s --http2 --max-time 10 --cacert '%s' "
	    "https://127.0.0.1:%d/health", path("ca.pem"), server->port);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char out[512] = "";
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(out, "\"status\":\"ok\""));

	int fd = rawc_connect(server->port, 5000);
	assert_true(fd >= 0);
	static const char plain[] = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_true(rawc_write(fd, plain, sizeof plain - 1));
	char buf[1024];
	bool eof = false;
	size_t got = rawc_read_all(fd, buf, sizeof buf, 10000, &eof);
	close(fd);
	assert_true(eof);
	assert_null(strstr(got ? buf : "", "\"status\""));

	conn_reconnect_now(c); /* and still serves TLS */
	pump_until(got_welcome, 5000);
	assert_int_equal(welcomed, 1);
}

static int
make_certs(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/confab-tls-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "%s %s", getenv("MAKE_CERTS"), dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
remove_certs(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(getenv("LWS_LOG") ? 15 : 0, NULL);
	const struct CMUnitTest tests[] = {
		T(tls__a_chain_the_given_ca_signed_is_trusted),
		T(tls__a_self_signed_certificate_is_untrusted_and_shows_its_fingerprint),
		T(tls__a_pinned_certificate_is_accepted),
		T(tls__another_certificate_than_the_pinned_one_is_refused_as_changed),
		T(tls__a_private_ca_the_client_was_not_given_is_untrusted),
		T(tls__the_wrong_ca_does_not_vouch_for_a_certificate),
		T(tls__sighup_loads_the_certificate_again),
		T(tls__https_serves_health_and_plaintext_is_refused),
	};
	return cmocka_run_group_tests(tests, make_certs, remove_certs);
}
