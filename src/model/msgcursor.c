/*
 * msgcursor: stepping over a room's messages by seq (see msgcursor.h).
 */
#include "model/msgcursor.h"

bool
msgcursor_in_view(const struct room_msg *m, int64_t thread)
{
	if (m->state != ROOM_MSG_CONFIRMED || m->deleted)
		return false;
	if (thread == 0)
		return m->thread == 0 && !m->loose;
	return m->seq == thread || m->thread == thread;
}

int64_t
msgcursor_last(const struct room *r, int64_t thread)
{
	for (size_t i = r->nconfirmed; i-- > 0;)
		if (msgcursor_in_view(r->msgs[i], thread))
			return r->msgs[i]->seq;
	return 0;
}

int64_t
msgcursor_step(const struct room *r, int64_t thread, int64_t seq, int dir)
{
	size_t i = room_seq_index(r, seq);
	if (dir < 0) {
		while (i-- > 0)
			if (msgcursor_in_view(r->msgs[i], thread))
				return r->msgs[i]->seq;
		return seq;
	}
	if (i < r->nconfirmed && r->msgs[i]->seq == seq)
		i++;
	for (; i < r->nconfirmed; i++)
		if (msgcursor_in_view(r->msgs[i], thread))
			return r->msgs[i]->seq;
	return 0;
}

struct room_msg *
msgcursor_msg(const struct room *r, int64_t seq)
{
	size_t i = room_seq_index(r, seq);
	return i < r->nconfirmed && r->msgs[i]->seq == seq ? r->msgs[i] : NULL;
}
