/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: the result of one case, as every output writes it. */
#ifndef KIPC_BENCH_RESULT_H
#define KIPC_BENCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"

enum result_status {
	RESULT_OK,
	RESULT_NA,		/* the mechanism cannot do this case (size, threads, ...) */
	RESULT_MISSING,		/* the mechanism is not in this build (kipc, for now) */
	RESULT_FAILED,		/* it broke: error, timeout, or verify mismatch */
};

/* Which table a case belongs to. */
enum result_section {
	RESULT_LATENCY,		/* round trip, each size */
	RESULT_THROUGHPUT,	/* one-way, each size, one producer */
	RESULT_PRODUCERS,	/* one-way, 1..N producers */
	RESULT_THREADS,		/* round trip between threads */
};

struct bench_result {
	const struct bench_mech *mech;
	enum result_section section;
	enum bench_pattern pattern;
	size_t msg_size;
	unsigned int producers;
	bool threads;
	enum result_status status;
	bool verified;		/* every payload was checked */
	char note[200];		/* why n/a, missing or failed */

	uint64_t messages;	/* timed round trips, or timed messages one-way */
	uint64_t warmup;
	double elapsed_ns;
	/* Round trip, per round trip, one clock read subtracted. */
	double mean_ns, p50_ns, p99_ns, p999_ns, max_ns, min_ns;
	/* One-way. */
	double msgs_per_s, mb_per_s;
	/*
	 * CPU of every participant in the timed part, per message; user/sys
	 * split the total as getrusage's tick samples do (-1: no sample).
	 */
	double cpu_ns_per_msg, user_ns_per_msg, sys_ns_per_msg;
	double switches_per_msg; /* voluntary + involuntary context switches */
	double syscalls_per_msg; /* BENCH_CAP_SYSCALLS mechanisms; else -1 */
	/*
	 * --repeat: a repeat's own result has @repeat 1..N; the aggregate
	 * (struct bench_run.results) has @repeat 0, the means of its
	 * repeats' figures above, and their sample standard deviations here
	 * (0 with one repeat). See harness/repeats.c.
	 */
	unsigned int repeat, repeats;
	double sd_mean_ns, sd_p50_ns, sd_p99_ns, sd_msgs_per_s, sd_mb_per_s, sd_cpu_ns_per_msg;
};

const char *result_status_name(enum result_status s);
const char *result_section_name(enum result_section s);

#endif
