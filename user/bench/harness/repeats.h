/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: one result per case out of its --repeat runs. */
#ifndef KIPC_BENCH_REPEATS_H
#define KIPC_BENCH_REPEATS_H

#include "run.h"

/*
 * Fill run->results[0..nresults) from run->repeat_results: where every
 * repeat of a case ran, each figure is the mean over the repeats and the
 * sd_* fields the sample standard deviation; where one did not, the case
 * takes the first such repeat's status and reason (a case that failed once
 * failed).
 */
void repeats_aggregate(struct bench_run *run);

#endif
