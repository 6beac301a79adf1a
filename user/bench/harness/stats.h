/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: percentiles of latency samples. */
#ifndef KIPC_BENCH_STATS_H
#define KIPC_BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

struct latency_stats {
	double mean, p50, p99, p999, max, min;
};

/*
 * Sort @samples (ns) in place and summarise them, nearest-rank percentiles,
 * after subtracting @overhead_ns (one clock read) from each, floored at 0.
 */
struct latency_stats latency_stats(uint64_t *samples, size_t n, double overhead_ns);

#endif
