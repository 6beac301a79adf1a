/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: everything one run measured, as the outputs see it. */
#ifndef KIPC_BENCH_RUN_H
#define KIPC_BENCH_RUN_H

#include <stddef.h>

#include "costs.h"
#include "env.h"
#include "growth.h"
#include "options.h"
#include "result.h"

struct bench_run {
	struct bench_env env;
	const struct bench_options *opts;
	const struct bench_mech **mechs;	/* selected, in table order */
	size_t nmechs;
	struct bench_result *results;
	size_t nresults;
	struct cost_result costs[MAX_COSTS];
	unsigned int ncosts;
	struct growth_result *growth;	/* NULL: not measured */
};

/* The result of @mech in @section at @size with @producers, or NULL. */
const struct bench_result *run_find(const struct bench_run *run, const struct bench_mech *mech,
				    enum result_section section, size_t size,
				    unsigned int producers);

/* The size the one-size tables use: 64 B when measured, else the smallest. */
size_t run_headline_size(const struct bench_run *run);
/* The largest size measured. */
size_t run_largest_size(const struct bench_run *run);

#endif
