// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: the time a run has left (see eta.h). */
#include <stdlib.h>
#include <time.h>

#include "eta.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Messages the case moves, warm-up included: what its time grows with. */
static double weight(const struct bench_case *c)
{
	return (double)(c->iterations + c->warmup) * (c->cfg.producers ? c->cfg.producers : 1);
}

int eta_init(struct eta *e, const struct case_list *cases, unsigned int repeats)
{
	e->cases = cases;
	e->repeats = repeats;
	e->first_s = calloc(cases->n ? cases->n : 1, sizeof(*e->first_s));
	e->done_weight = 0;
	e->done_s = 0;
	e->started = now_s();
	return e->first_s ? 0 : -1;
}

void eta_case_start(struct eta *e)
{
	e->started = now_s();
}

void eta_case_done(struct eta *e, unsigned int k, size_t i)
{
	double took = now_s() - e->started;

	if (k > 0)
		return;
	e->first_s[i] = took;
	e->done_weight += weight(&e->cases->v[i]);
	e->done_s += took;
}

double eta_left(const struct eta *e, unsigned int k, size_t i)
{
	double per_weight, left = 0;
	size_t j;

	if (e->done_weight <= 0)
		return -1;
	per_weight = e->done_s / e->done_weight;
	/* The rest of this repeat. */
	for (j = i + 1; j < e->cases->n; j++)
		left += k == 0 ? weight(&e->cases->v[j]) * per_weight : e->first_s[j];
	/* The repeats after it, at the first repeat's times (or its rate). */
	for (j = 0; j < e->cases->n; j++) {
		double one = k == 0 && j > i ? weight(&e->cases->v[j]) * per_weight
					     : e->first_s[j];

		left += one * (double)(e->repeats - k - 1);
	}
	return left;
}

void eta_free(struct eta *e)
{
	free(e->first_s);
	e->first_s = NULL;
}
