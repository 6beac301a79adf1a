/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: how long the rest of a run will take, for the progress lines.
 * Within the first repeat a case is expected to take time in proportion to
 * its messages (warm-up included), at the rate the cases so far ran; in
 * later repeats a case is expected to take what it took in the first.
 */
#ifndef KIPC_BENCH_ETA_H
#define KIPC_BENCH_ETA_H

#include <stddef.h>

#include "cases.h"

struct eta {
	const struct case_list *cases;
	unsigned int repeats;
	double *first_s;	/* seconds each case took in the first repeat */
	double done_weight, done_s; /* of the first repeat so far */
	double started;		/* monotonic seconds when the current case began */
};

int eta_init(struct eta *e, const struct case_list *cases, unsigned int repeats);
void eta_case_start(struct eta *e);
/* Case @i of repeat @k (0-based) finished. */
void eta_case_done(struct eta *e, unsigned int k, size_t i);
/* Seconds left after case @i of repeat @k, or -1 when no estimate yet. */
double eta_left(const struct eta *e, unsigned int k, size_t i);
void eta_free(struct eta *e);

#endif
