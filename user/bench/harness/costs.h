/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the costs every mechanism is built from: a clock read, a bare
 * system call, a userspace memcpy at three sizes, and a context switch
 * between processes and between threads (sched_yield ping-pong and 1-byte
 * pipe ping-pong, both parties on one CPU).
 */
#ifndef KIPC_BENCH_COSTS_H
#define KIPC_BENCH_COSTS_H

#include <stdbool.h>

#include "options.h"

struct cost_result {
	const char *name;	/* "sched_yield switch" */
	const char *between;	/* "processes", "threads", "-" */
	double ns;		/* per operation */
	double switches;	/* context switches counted per operation */
	bool ok;
	char note[120];
};

#define MAX_COSTS	12

/* Measure every cost; returns how many were filled in @out. */
unsigned int costs_measure(const struct bench_options *o, double clock_read_ns,
			   struct cost_result *out);

#endif
