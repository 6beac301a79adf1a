// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: the aggregate of a case's repeats (see repeats.h). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "repeats.h"

/* Mean and sample standard deviation of one field over @n results. */
static double mean_of(const struct bench_result *const *v, unsigned int n, size_t off,
		      double *sd)
{
	double sum = 0, dev = 0, mean;
	unsigned int k;

	for (k = 0; k < n; k++)
		sum += *(const double *)((const char *)v[k] + off);
	mean = sum / n;
	for (k = 0; k < n; k++) {
		double d = *(const double *)((const char *)v[k] + off) - mean;

		dev += d * d;
	}
	if (sd)
		*sd = n > 1 ? sqrt(dev / (n - 1)) : 0;
	return mean;
}

#define AVG(field)	(agg->field = mean_of(v, n, offsetof(struct bench_result, field), NULL))
#define AVG_SD(field)	(agg->field = mean_of(v, n, offsetof(struct bench_result, field), \
					      &agg->sd_##field))

static void aggregate_case(struct bench_result *agg, const struct bench_result *const *v,
			   unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		if (v[k]->status == RESULT_OK)
			continue;
		*agg = *v[k];
		if (n > 1) {
			char note[sizeof(agg->note)];

			snprintf(note, sizeof(note), "repeat %u of %u: %.170s", k + 1, n, v[k]->note);
			memcpy(agg->note, note, sizeof(note));
		}
		agg->repeat = 0;
		agg->repeats = n;
		return;
	}
	*agg = *v[0];
	agg->repeat = 0;
	agg->repeats = n;
	for (k = 1; k < n; k++)
		agg->verified &= v[k]->verified;
	AVG(elapsed_ns);
	AVG_SD(mean_ns);
	AVG_SD(p50_ns);
	AVG_SD(p99_ns);
	AVG(p999_ns);
	/* The extremes stay extremes: the least and the most of any repeat. */
	for (k = 1; k < n; k++) {
		if (v[k]->min_ns < agg->min_ns)
			agg->min_ns = v[k]->min_ns;
		if (v[k]->max_ns > agg->max_ns)
			agg->max_ns = v[k]->max_ns;
	}
	AVG_SD(msgs_per_s);
	AVG_SD(mb_per_s);
	AVG_SD(cpu_ns_per_msg);
	AVG(user_ns_per_msg);
	AVG(sys_ns_per_msg);
	AVG(switches_per_msg);
	AVG(syscalls_per_msg);
}

void repeats_aggregate(struct bench_run *run)
{
	const struct bench_result *v[1000];
	unsigned int k, n = run->nrepeats;
	size_t i;

	if (n > sizeof(v) / sizeof(v[0]))
		n = sizeof(v) / sizeof(v[0]);
	for (i = 0; i < run->nresults; i++) {
		for (k = 0; k < n; k++)
			v[k] = &run->repeat_results[(size_t)k * run->nresults + i];
		aggregate_case(&run->results[i], v, n);
	}
}
