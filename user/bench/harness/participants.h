/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: running the participants of a case as processes or threads. */
#ifndef KIPC_BENCH_PARTICIPANTS_H
#define KIPC_BENCH_PARTICIPANTS_H

#include <pthread.h>
#include <stdbool.h>

typedef int (*participant_fn)(void *arg, unsigned int index);

/*
 * Run @fn(arg, 0..n-1) in @n forked processes (or threads) and wait for all.
 * Return 0 when every one returned 0. When a process fails the others are
 * killed; when a thread fails the whole process exits with status 1, since
 * threads blocked on the failed one could never be joined.
 */
int participants_run(bool threads, unsigned int n, participant_fn fn, void *arg);

/* A process-shared barrier for @n participants; 0 or -1. */
int shared_barrier_init(pthread_barrier_t *b, unsigned int n);

#endif
