// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: futex, the floor of every shared-memory scheme.
 * The rings live in an anonymous shared mapping; the ring keeps each
 * semaphore's count and enters the kernel only to sleep or to wake, with a
 * bare futex (futex_sem.c) as the sleeping place. Private futexes
 * (FUTEX_PRIVATE_FLAG) between threads, shared ones between processes.
 */
#include "bench.h"
#include "futex_sem.h"
#include "shm_ring.h"

static int futex_setup(struct bench_link **link, const struct bench_config *cfg)
{
	return futex_ring_setup(link, cfg, bench_shared_alloc, cfg->threads);
}

const struct bench_mech bench_mech_futex = {
	.name = "futex",
	.title = "futex",
	.kind = BENCH_KIND_WAKEUP,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "ring in MAP_SHARED|MAP_ANONYMOUS memory, counts in the ring, FUTEX_WAIT/WAKE "
	       "only to sleep/wake (private between threads)",
	.textbook = { "Futex (floor)", "word + shared memory", "no",
		      "the sleep/wake under mutexes, condition variables, sem_t",
		      "(floor)" },
	.setup = futex_setup,
	.teardown = ring_teardown,
	RING_MECH_OPS,
};
