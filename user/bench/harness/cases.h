/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: the list of cases a run measures, and their iteration counts. */
#ifndef KIPC_BENCH_CASES_H
#define KIPC_BENCH_CASES_H

#include <stddef.h>

#include "case_shared.h"
#include "options.h"

struct case_list {
	struct bench_case *v;
	size_t n, cap;
};

/*
 * The mechanisms --mech names (or every one not hidden), in table order.
 * Exits with a message on an unknown name. Returns how many, in @out.
 */
size_t cases_select_mechs(const struct bench_options *o, const struct bench_mech **out,
			  size_t max);

/* Every case of the selected sections, in the order they run. */
int cases_build(const struct bench_options *o, const struct bench_mech *const *mechs,
		size_t nmechs, struct case_list *list);
void cases_free(struct case_list *list);

/* The producer counts of the producers section: 1, 2, 4, ... up to the max. */
unsigned int cases_producer_counts(const struct bench_options *o, unsigned int *out,
				   unsigned int max);

#endif
