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
 * setup() of a mechanism whose rings (shm_ring.h) sleep on futexes: one
 * mapping made by @map (bench_shared_alloc, or a function that maps a file
 * or shm object, see ring_map_fd) holds the futexes in its first page and
 * the rings after it. The ring keeps the counts (fast_path_in_ring); the
 * futexes only hold wake-up tokens, private ones when @private_futex (for
 * threads). The link goes with ring_teardown, ring_attach and the other
 * ring_* operations.
 */
int futex_ring_setup(struct bench_link **link, const struct bench_config *cfg,
		     void *(*map)(size_t size), bool private_futex);

#endif
