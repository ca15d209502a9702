/* tlsws: a TLS WebSocket server in a child process (tlsws.h). */
#include "tlsws.h"

#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define WELCOME "{\"type\":\"WELCOME\",\"user\":\"alice\",\"session\":\"t\"," \
	"\"heartbeat_ms\":15000}"

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	if (reason == LWS_CALLBACK_RECEIVE)
		lws_callback_on_writable(wsi);
	if (reason == LWS_CALLBACK_SERVER_WRITEABLE) {
		unsigned char buf[LWS_PRE + sizeof WELCOME];
		memcpy(buf + LWS_PRE, WELCOME, sizeof WELCOME - 1);
		if (lws_write(wsi, buf + LWS_PRE, sizeof WELCOME - 1, LWS_WRITE_TEXT) < 0)
			return -1;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "http", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ "confab.v1", callback, 0, 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

pid_t
tlsws_start(const char *cert, const char *key, int *port)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid != 0) {
		close(fds[1]);
		int p = 0;
		bool ok = pid > 0 && read(fds[0], &p, sizeof p) == sizeof p && p > 0;
		close(fds[0]);
		if (!ok) {
			if (pid > 0)
				kill(pid, SIGKILL);
			return -1;
		}
		*port = p;
		return pid;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(fds[0]);
	lws_set_log_level(0, NULL);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
	    LWS_SERVER_OPTION_DISABLE_IPV6;
	info.ssl_cert_filepath = cert;
	info.ssl_private_key_filepath = key;
	struct lws_context *ctx = lws_create_context(&info);
	struct lws_vhost *vh = ctx ? lws_get_vhost_by_name(ctx, "default") : NULL;
	int p = vh ? lws_get_vhost_listen_port(vh) : -1;
	if (write(fds[1], &p, sizeof p) != sizeof p || p <= 0)
		_exit(1);
	close(fds[1]);
	for (;;)
		lws_service(ctx, 0);
}
