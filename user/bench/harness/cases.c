// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the cases of a run (see cases.h).
 *
 * Iteration counts follow a byte budget per case, clamped, so small messages
 * get many iterations (p99.9 needs thousands of samples) and 1 MiB messages
 * still finish in the icount VM: a default `make bench` must stay within
 * about 15 minutes of wall time, --quick within a few.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"

struct budget {
	uint64_t bytes, min, max;
};

/*
 * Bytes per case, then the least and most iterations. A one-way run of
 * small messages gets 120000: with 30000 a kipc or pipe stream lasted
 * 13 to 75 ms, and its first milliseconds (forked children start with the
 * scheduler's favour, queues fill) weighed several percent; at 120000 the
 * figure is the steady state's, for a second or two more per run.
 */
static const struct budget latency_budget = { 16ull << 20, 50, 10000 };
static const struct budget latency_quick = { 4ull << 20, 20, 1000 };
static const struct budget throughput_budget = { 32ull << 20, 128, 120000 };
static const struct budget throughput_quick = { 8ull << 20, 32, 5000 };

static uint64_t iterations(const struct budget *b, size_t size, double scale)
{
	uint64_t n = b->bytes / size;

	if (n < b->min)
		n = b->min;
	if (n > b->max)
		n = b->max;
	n = (uint64_t)((double)n * scale);
	return n ? n : 1;
}

static uint64_t warmup_for(uint64_t n)
{
	uint64_t w = n / 10;

	return w < 4 ? 4 : w;
}

size_t cases_select_mechs(const struct bench_options *o, const struct bench_mech **out,
			  size_t max)
{
	const struct bench_mech *const *m;
	size_t n = 0;

	if (!o->mechs) {
		for (m = bench_mechs; *m && n < max; m++)
			if (!((*m)->caps & (BENCH_CAP_HIDDEN | BENCH_CAP_NAMED_ONLY)) &&
			    !(o->stock && bench_mech_is_kipc(*m)))
				out[n++] = *m;
		return n;
	}
	/* Table order, whatever order the list has. */
	for (m = bench_mechs; *m && n < max; m++) {
		char *copy = strdup(o->mechs), *tok, *save = NULL;

		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (!strcmp(tok, (*m)->name)) {
				out[n++] = *m;
				break;
			}
		free(copy);
	}
	{
		char *copy = strdup(o->mechs), *tok, *save = NULL;

		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (!bench_mech_find(tok)) {
				fprintf(stderr, "kipc-bench: no mechanism '%s' (see --list)\n", tok);
				exit(2);
			}
		free(copy);
	}
	return n;
}

static int add(struct case_list *l, const struct bench_case *c)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct bench_case *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return 0;
}

static struct bench_case make_case(const struct bench_options *o, const struct bench_mech *m,
				   enum result_section section, size_t size,
				   unsigned int producers, bool threads)
{
	bool one_way = section == RESULT_THROUGHPUT || section == RESULT_PRODUCERS;
	struct bench_case c = {
		.mech = m,
		.section = section,
		.cfg = {
			.pattern = one_way ? BENCH_ONE_WAY : BENCH_ROUND_TRIP,
			.msg_size = size,
			.producers = producers,
			.threads = threads,
			.batch = o->batch,
		},
		.verify = o->verify,
	};
	const struct budget *b = one_way ? (o->quick ? &throughput_quick : &throughput_budget)
					 : (o->quick ? &latency_quick : &latency_budget);

	c.iterations = iterations(b, size, o->scale);
	/* Producers share one budget: the consumer sees the same total. */
	if (producers > 1)
		c.iterations = (c.iterations + producers - 1) / producers;
	c.warmup = warmup_for(c.iterations);
	return c;
}

unsigned int cases_producer_counts(const struct bench_options *o, unsigned int *out,
				   unsigned int max)
{
	unsigned int n = 0, p;

	for (p = 1; p < o->max_producers && n < max; p *= 2)
		out[n++] = p;
	if (n < max)
		out[n++] = o->max_producers;
	return n;
}

int cases_build(const struct bench_options *o, const struct bench_mech *const *mechs,
		size_t nmechs, struct case_list *l)
{
	unsigned int counts[MAX_PRODUCERS], ncounts, j;
	struct bench_case c;
	size_t i;

	memset(l, 0, sizeof(*l));
	if (o->sections & SECTION_LATENCY)
		for (i = 0; i < nmechs; i++)
			for (j = 0; j < o->nsizes; j++) {
				c = make_case(o, mechs[i], RESULT_LATENCY, o->sizes[j], 1, o->threads);
				if (add(l, &c))
					return -1;
			}
	if ((o->sections & SECTION_THREADS) && !o->threads)
		for (i = 0; i < nmechs; i++) {
			c = make_case(o, mechs[i], RESULT_THREADS, o->threads_size, 1, true);
			if (add(l, &c))
				return -1;
		}
	if (o->sections & SECTION_THROUGHPUT)
		for (i = 0; i < nmechs; i++)
			for (j = 0; j < o->nsizes; j++) {
				c = make_case(o, mechs[i], RESULT_THROUGHPUT, o->sizes[j], 1,
					      o->threads);
				if (add(l, &c))
					return -1;
			}
	ncounts = cases_producer_counts(o, counts, MAX_PRODUCERS);
	if (o->sections & SECTION_PRODUCERS)
		for (i = 0; i < nmechs; i++)
			for (j = 0; j < ncounts; j++) {
				c = make_case(o, mechs[i], RESULT_PRODUCERS, o->producers_size,
					      counts[j], o->threads);
				if (add(l, &c))
					return -1;
			}
	return 0;
}

void cases_free(struct case_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
