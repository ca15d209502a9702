/* port: the helpers every part of the core calls the port through. */
#include "client/port.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/proto.h"
#include "model/xmalloc.h"

bool
port_send(const struct client_port *p, const char *frame)
{
	return frame != NULL && p->send(p->ud, frame, strlen(frame));
}

bool
port_queue(const struct client_port *p, const char *cid, const char *frame)
{
	return p->queue != NULL && frame != NULL && p->queue(p->ud, cid, frame);
}

int64_t
port_now(const struct client_port *p)
{
	return p->now(p->ud);
}

int64_t
port_wall(const struct client_port *p)
{
	return p->wall(p->ud);
}

void
port_note(const struct client_port *p, bool error, const char *fmt, ...)
{
	if (p->note == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	p->note(p->ud, error, text);
	free(text);
}

void
port_log(const struct client_port *p, const char *fmt, ...)
{
	if (p->log == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	p->log(p->ud, text);
	free(text);
}

void
port_redraw(const struct client_port *p)
{
	if (p->redraw != NULL)
		p->redraw(p->ud);
}

bool
port_send_frame(const struct client_port *p, const struct proto_frame *f)
{
	char *s = proto_encode(f, PROTO_TO_SERVER);
	if (s == NULL) {
		port_log(p, "cannot encode a %s frame", proto_type_name(f->type));
		return false;
	}
	bool sent = port_send(p, s);
	free(s);
	return sent;
}
