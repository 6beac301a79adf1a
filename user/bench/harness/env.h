/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: where a run happened, carried with every result. */
#ifndef KIPC_BENCH_ENV_H
#define KIPC_BENCH_ENV_H

#include <stdbool.h>

#include "options.h"
#include "provenance.h"

struct bench_env {
	char kernel[65];	/* uname -r */
	char machine[65];	/* uname -m */
	char cpu_model[128];
	int vcpus;		/* online CPUs */
	char where[16];		/* "native" or "vm" */
	char clock[16];		/* "icount", "time" (the VM's clock) or "real" */
	bool env_told;		/* from --env / $KIPC_BENCH_ENV, not guessed */
	int pin_cpu;		/* -1: not pinned */
	double clock_read_ns;	/* one clock_gettime, subtracted from latency samples */
	char clocksource[32];
	bool root;
	bool raised_limits;
	char limits[512];	/* what limits.c changed */
	char date[32];		/* UTC, as the machine's clock says */
	char version[64];	/* kipc-bench's own version (git describe) */
	char kipc_params[1024];	/* kipc.ko's module parameters, "name=value ..." */
	char send_lowat[16];	/* $KIPC_BENCH_SEND_LOWAT, or "" for half the queue */
	struct bench_provenance prov;
	bool verify;
	bool quick;
	bool threads;
};

void env_collect(struct bench_env *env, const struct bench_options *o);

/* Minimum time of one clock_gettime(CLOCK_MONOTONIC), in ns. */
double env_clock_read_ns(void);

#endif
