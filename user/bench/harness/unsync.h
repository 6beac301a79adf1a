/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: shared memory without synchronisation (the unsync section).
 * Two processes update one index in shared memory for a fixed time each:
 * a plain ++ (load, add, store), a plain append to a shared log (read the
 * index, write a record there, store index + 1), the same append under a
 * process-shared POSIX semaphore, and an atomic ++. A plain update is lost
 * whenever one process is preempted (or, on two CPUs, runs) between the
 * other's load and store; every lost one is an overwritten log record.
 */
#ifndef KIPC_BENCH_UNSYNC_H
#define KIPC_BENCH_UNSYNC_H

#include <stdbool.h>
#include <stdint.h>

struct bench_options;

struct unsync_row {
	const char *name;	/* "plain ++ (no synchronisation)" */
	uint64_t expected;	/* the adds both processes made */
	uint64_t got;		/* the counter at the end */
	double ns_per_add;	/* wall time / all increments */
	uint64_t preemptions;	/* involuntary switches of both processes */
	bool ok;
	char note[96];
};

#define MAX_UNSYNC_ROWS	4

struct unsync_result {
	bool measured;
	struct unsync_row rows[MAX_UNSYNC_ROWS];
	unsigned int nrows;
	long cpus;		/* CPUs online: 1 needs preemption to race */
};

void unsync_measure(const struct bench_options *o, struct unsync_result *out);

static inline uint64_t unsync_lost(const struct unsync_row *r)
{
	return r->got < r->expected ? r->expected - r->got : 0;
}

#endif
