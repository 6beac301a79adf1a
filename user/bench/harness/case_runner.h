/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: running one case in isolation and turning it into a result. */
#ifndef KIPC_BENCH_CASE_RUNNER_H
#define KIPC_BENCH_CASE_RUNNER_H

#include "case_shared.h"
#include "options.h"
#include "result.h"

/*
 * Decide whether @c can run (missing mechanism, size over its limit, no
 * thread or multi-producer mode); if it can, run it in a forked coordinator
 * under a time limit, remove any SysV object it left behind, and fill @r.
 * @clock_read_ns is subtracted from every latency sample.
 */
void case_run(const struct bench_case *c, const struct bench_options *o,
	      double clock_read_ns, struct bench_result *r);

#endif
