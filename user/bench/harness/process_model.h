/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the process-model sections (creation, crash, unsync): what the
 * textbook says of processes and threads beyond speed, measured.
 */
#ifndef KIPC_BENCH_PROCESS_MODEL_H
#define KIPC_BENCH_PROCESS_MODEL_H

#include "run.h"

/* Run every process-model section that run->opts selects, into @run. */
void process_model_measure(struct bench_run *run);

#endif
