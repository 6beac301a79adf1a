/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: kipc's performance targets (BRIEF section 6), judged on the
 * numbers of this run. A target is a ratio of kipc's figure to a stock
 * mechanism's at one size; with --repeat it is judged on every repeat alone,
 * and is met only if it is met in every repeat.
 */
#ifndef KIPC_BENCH_TARGETS_H
#define KIPC_BENCH_TARGETS_H

#include <stdbool.h>

#include "run.h"

enum target_verdict {
	TARGET_MET,
	TARGET_NOT_MET,
	TARGET_UNTESTED,	/* one of the two mechanisms not measured in this run */
};

struct target_result {
	const char *target;	/* "queue round trip <= 0.97x POSIX mq" */
	enum target_verdict verdict;
	double ratio;		/* on the aggregate (the means of the repeats) */
	unsigned int met_in, repeats;
	char evidence[320];
};

#define MAX_TARGETS	16

unsigned int targets_judge(const struct bench_run *run, struct target_result *out);
const char *target_verdict_name(enum target_verdict v);

#endif
