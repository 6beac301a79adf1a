/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: one case as the harness runs it, and the memory its processes
 * share. The main process maps a struct case_shared before it forks the
 * case's coordinator; the coordinator runs setup(), forks the participants
 * (or starts threads), and everyone reports into this mapping, which
 * outlives them all.
 */
#ifndef KIPC_BENCH_CASE_SHARED_H
#define KIPC_BENCH_CASE_SHARED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "bench.h"
#include "options.h"
#include "result.h"
#include "timing.h"

struct bench_case {
	const struct bench_mech *mech;
	enum result_section section;
	struct bench_config cfg;
	uint64_t iterations;	/* timed round trips, or messages per producer */
	uint64_t warmup;	/* untimed ones before, same unit */
	bool verify;
};

#define CASE_MAX_SYSV		16
#define CASE_MAX_PARTICIPANTS	(MAX_PRODUCERS + 1)

struct participant_report {
	struct cpu_time cpu;	/* in the timed part */
	bool done;
};

struct case_shared {
	pthread_barrier_t start;	/* every participant attached */
	pthread_barrier_t warm;		/* warm-up over (one-way) */
	atomic_int failed;
	char fail_text[200];
	atomic_uint nsysv;
	struct {
		char kind;
		int id;
	} sysv[CASE_MAX_SYSV];
	struct participant_report part[CASE_MAX_PARTICIPANTS];
	uint64_t elapsed_ns;		/* one-way: the consumer's timed span */
	uint64_t nsamples;
	uint64_t samples[];		/* round trip: ns per timed round trip */
};

/* run_latency.c, run_throughput.c: run one case in the coordinator; 0 or -1. */
int latency_case_run(const struct bench_case *c, struct case_shared *sh);
int throughput_case_run(const struct bench_case *c, struct case_shared *sh);

/* Record a failed operation of the current case: "what: strerror(errno)". */
void case_fail_errno(const char *what);

struct payload_tracker;
/*
 * --verify: check a received message (payload_expect()); a bad one fails the
 * current case with "VERIFY FAILED: why". 0 or -1.
 */
int case_verify_payload(struct payload_tracker *t, const void *buf, size_t len);

#endif
