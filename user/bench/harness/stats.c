// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: percentiles (see stats.h). */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest sample with at least p of them at or below it. */
static double rank(const uint64_t *s, size_t n, double p)
{
	size_t r = (size_t)ceil(p * (double)n);

	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return (double)s[r - 1];
}

static double less_overhead(double v, double overhead)
{
	return v > overhead ? v - overhead : 0.0;
}

struct latency_stats latency_stats(uint64_t *samples, size_t n, double overhead_ns)
{
	struct latency_stats st = { 0, 0, 0, 0, 0, 0 };
	double sum = 0;
	size_t i;

	if (n == 0)
		return st;
	qsort(samples, n, sizeof(*samples), cmp_u64);
	for (i = 0; i < n; i++)
		sum += (double)samples[i];
	st.mean = less_overhead(sum / (double)n, overhead_ns);
	st.p50 = less_overhead(rank(samples, n, 0.50), overhead_ns);
	st.p99 = less_overhead(rank(samples, n, 0.99), overhead_ns);
	st.p999 = less_overhead(rank(samples, n, 0.999), overhead_ns);
	st.max = less_overhead((double)samples[n - 1], overhead_ns);
	st.min = less_overhead((double)samples[0], overhead_ns);
	return st;
}
