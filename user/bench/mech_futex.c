// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: futex, the floor of every shared-memory scheme.
 * The rings live in an anonymous shared mapping; the ring keeps each
 * semaphore's count and enters the kernel only to sleep or to wake, with a
 * bare futex (futex_sem.c) as the sleeping place. Private futexes
 * (FUTEX_PRIVATE_FLAG) between threads, shared ones between processes.
 */
#include <stdlib.h>

#include "bench.h"
#include "futex_sem.h"
#include "shm_ring.h"

#define SEM_AREA	4096

struct bench_link {
	struct ring_link ring;		/* first: ring_attach, ring_teardown */
	struct futex_ring_sems fsems;
};

static int futex_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = calloc(1, sizeof(*link));
	char *map;

	if (!link)
		return -1;
	map = ring_link_map(&link->ring, cfg, SEM_AREA, bench_shared_alloc);
	link->fsems.sems = (struct futex_sem *)map;
	link->fsems.private_futex = cfg->threads;
	if (!map || ring_link_init(&link->ring, map + SEM_AREA, cfg, &futex_ring_sem_ops,
				   &link->fsems)) {
		ring_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

_Static_assert(RING_SEMS * sizeof(struct futex_sem) <= SEM_AREA, "semaphores fit their page");

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
	.attach = ring_attach,
	.detach = ring_detach,
	.send = ring_send,
	.recv = ring_recv,
	.send_reserve = ring_send_reserve,
	.send_commit = ring_send_commit,
	.recv_acquire = ring_recv_acquire,
	.recv_release = ring_recv_release,
};
