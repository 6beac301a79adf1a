/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the sleeping half of a semaphore, on a bare futex. The ring
 * keeps the semaphore's count in shared memory (shm_ring.h, the fast path)
 * and comes here only when a waiter must sleep or a sleeper must be woken,
 * so no system call happens unless somebody sleeps: what glibc's sem_t does
 * too, but with exactly one FUTEX_WAKE per sleeper.
 */
#ifndef KIPC_BENCH_FUTEX_SEM_H
#define KIPC_BENCH_FUTEX_SEM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "shm_ring.h"

/* Wake-up tokens: one per post that found a sleeper. The futex word. */
struct futex_sem {
	_Atomic uint32_t tokens;
};

void futex_sem_init(struct futex_sem *s);
/* Take a token, sleeping until there is one. */
int futex_sem_wait(struct futex_sem *s, bool private_futex);
/* Give a token and wake one sleeper. */
int futex_sem_post(struct futex_sem *s, bool private_futex);

/*
 * The ring's semaphores (shm_ring.h) on futexes: ctx is a struct
 * futex_ring_sems, the ring keeps the counts (fast_path_in_ring) and the
 * futexes only hold wake-up tokens. Private futexes between threads.
 */
struct futex_ring_sems {
	struct futex_sem *sems;		/* RING_SEMS of them, in shared memory */
	bool private_futex;
};

extern const struct ring_sem_ops futex_ring_sem_ops;

#endif
