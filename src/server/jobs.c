/*
 * jobs: the step-at-a-time runner (jobs.h says what it guarantees).
 */
#include "server/jobs.h"

static void run_cb(lws_sorted_usec_list_t *sul);

void
job_init(struct job *j)
{
	j->waiters = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	j->queued = false;
}

static void
schedule(struct server *srv)
{
	lws_sul_schedule(srv->ctx, 0, &srv->jobs_sul, run_cb, 0);
}

void
jobs_add(struct server *srv, struct job *j)
{
	j->queued = true;
	g_queue_push_tail(&srv->jobs, j);
	if (!srv->destroying)
		schedule(srv);
}

void
job_wait(struct job *j, const struct req *q)
{
	g_array_append_val(j->waiters, q->s->id);
	hub_park(q);
}

void
job_wake(struct job *j, struct server *srv, bool ok)
{
	for (guint i = 0; i < j->waiters->len; i++) {
		struct session *s = g_hash_table_lookup(srv->sessions,
		    GSIZE_TO_POINTER(g_array_index(j->waiters, uint64_t, i)));
		if (s != NULL)
			hub_resume(srv, s, ok);
	}
	g_array_set_size(j->waiters, 0);
}

static void
end(struct server *srv, struct job *j, bool ok)
{
	j->finish(j, srv, ok);
	g_array_free(j->waiters, TRUE);
	j->free(j);
}

/* Steps every job in turn for a slice of this loop turn (its own: socket
 * work has a slice of the same size). */
static void
run_cb(lws_sorted_usec_list_t *sul)
{
	struct server *srv = lws_container_of(sul, struct server, jobs_sul);
	int64_t t0 = mono_us();
	while (!g_queue_is_empty(&srv->jobs) && mono_us() - t0 < WORK_SLICE_US) {
		struct job *j = g_queue_pop_head(&srv->jobs);
		enum job_step st = j->step(j, srv);
		if (st == JOB_MORE)
			g_queue_push_tail(&srv->jobs, j);
		else
			end(srv, j, st == JOB_DONE);
	}
	if (!g_queue_is_empty(&srv->jobs))
		schedule(srv);
}

void
jobs_destroy(struct server *srv)
{
	lws_sul_cancel(&srv->jobs_sul);
	struct job *j;
	while ((j = g_queue_pop_head(&srv->jobs)) != NULL)
		end(srv, j, false);
}
