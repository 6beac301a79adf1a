/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: clocks. CLOCK_MONOTONIC for time, RUSAGE_THREAD for CPU. */
#ifndef KIPC_BENCH_TIMING_H
#define KIPC_BENCH_TIMING_H

#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * CPU time of the calling thread (a process's only thread, or one thread).
 * The total comes from CLOCK_THREAD_CPUTIME_ID (the scheduler's exact
 * runtime); getrusage(RUSAGE_THREAD) adds the user/system split, which the
 * kernel samples at ticks, and the context-switch counts.
 */
struct cpu_time {
	uint64_t total_ns;
	uint64_t user_ns, sys_ns;
	uint64_t voluntary_switches, involuntary_switches;
	uint64_t syscalls;	/* counted by the mechanism (bench_syscalls) */
};

static inline uint64_t timeval_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

static inline struct cpu_time cpu_time_now(void)
{
	struct rusage ru;
	struct cpu_time c = { 0, 0, 0, 0, 0, bench_syscalls };
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
		c.total_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (getrusage(RUSAGE_THREAD, &ru) == 0) {
		c.user_ns = timeval_ns(ru.ru_utime);
		c.sys_ns = timeval_ns(ru.ru_stime);
		c.voluntary_switches = (uint64_t)ru.ru_nvcsw;
		c.involuntary_switches = (uint64_t)ru.ru_nivcsw;
	}
	return c;
}

static inline struct cpu_time cpu_time_since(struct cpu_time start)
{
	struct cpu_time end = cpu_time_now(), d;

	d.total_ns = end.total_ns - start.total_ns;
	d.user_ns = end.user_ns - start.user_ns;
	d.sys_ns = end.sys_ns - start.sys_ns;
	d.voluntary_switches = end.voluntary_switches - start.voluntary_switches;
	d.involuntary_switches = end.involuntary_switches - start.involuntary_switches;
	d.syscalls = end.syscalls - start.syscalls;
	return d;
}

#endif
