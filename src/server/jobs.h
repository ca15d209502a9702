/*
 * jobs: long work done a step at a time, between the loop's other events.
 *
 * Loading a heavy document, transforming a late edit against thousands of
 * revisions, rebuilding an old revision's text: each is a job whose step
 * does a small, bounded piece (one operation, one page of the store) and
 * says whether it is finished. The runner takes steps, round robin over
 * every job, while the loop turn has time left (hub_work_left), and comes
 * back on the next turn while any job remains. A job's end is its own:
 * finish is called once (with ok false after a failure), then free.
 *
 * A request that waits for a job parks (hub_park): its session reads
 * nothing more until the job's end resumes it (hub_resume), so every
 * session's requests are still answered in order.
 */
#ifndef CONFAB_JOBS_H
#define CONFAB_JOBS_H

#include "server/server.h"

enum job_step { JOB_MORE, JOB_DONE, JOB_FAILED };

struct job {
	enum job_step (*step)(struct job *j, struct server *srv);
	void (*finish)(struct job *j, struct server *srv, bool ok);
	void (*free)(struct job *j);
	GArray *waiters; /* session ids parked on it (uint64_t) */
	bool queued;
};

/* Sets up the common part of a job. */
void job_init(struct job *j);
/* Queues j; the runner owns it from now on. */
void jobs_add(struct server *srv, struct job *j);
/* Parks q's request on j until j ends. */
void job_wait(struct job *j, const struct req *q);
/* Resumes j's waiters: their parked requests run again (ok) or fail with
 * ERROR internal. */
void job_wake(struct job *j, struct server *srv, bool ok);
void jobs_destroy(struct server *srv);

#endif
