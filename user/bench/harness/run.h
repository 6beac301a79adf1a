/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: everything one run measured, as the outputs see it. */
#ifndef KIPC_BENCH_RUN_H
#define KIPC_BENCH_RUN_H

#include <stddef.h>

#include "costs.h"
#include "creation.h"
#include "crash.h"
#include "env.h"
#include "fanout.h"
#include "growth.h"
#include "options.h"
#include "result.h"
#include "unsync.h"

struct bench_run {
	struct bench_env env;
	const struct bench_options *opts;
	const struct bench_mech **mechs;	/* selected, in table order */
	size_t nmechs;
	struct bench_result *results;	/* one per case: the aggregate of its repeats */
	size_t nresults;
	/* Every repeat's results: case i of repeat k at [k * nresults + i]. */
	struct bench_result *repeat_results;
	unsigned int nrepeats;
	struct cost_result costs[MAX_COSTS];
	unsigned int ncosts;
	/* The process-model sections (creation.h, crash.h, unsync.h). */
	struct creation_result creation;
	struct crash_result crash;
	struct unsync_result unsync;
	struct fanout_result fanout;
	struct growth_result *growth;	/* NULL: not measured */
};

/* The mechanism named @name among those @run selected, or NULL. */
const struct bench_mech *run_find_mech(const struct bench_run *run, const char *name);

/* The result of @mech in @section at @size with @producers, or NULL. */
const struct bench_result *run_find(const struct bench_run *run, const struct bench_mech *mech,
				    enum result_section section, size_t size,
				    unsigned int producers);

/*
 * @run as repeat @k (0-based) alone: the same run with that repeat's results
 * in place of the aggregate, for judging claims repeat by repeat.
 */
struct bench_run run_repeat_view(const struct bench_run *run, unsigned int k);

/* The size the one-size tables use: 64 B when measured, else the smallest. */
size_t run_headline_size(const struct bench_run *run);
/* The largest size measured. */
size_t run_largest_size(const struct bench_run *run);

#endif
