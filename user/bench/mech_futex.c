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
	struct ring_link ring;
	void *map;
	size_t map_size;
	struct futex_sem *sems;
	bool private_futex;
};

static int futex_ring_sem_init(void *ctx, unsigned int sem, unsigned int value)
{
	struct bench_link *link = ctx;

	futex_sem_init(&link->sems[sem]);
	(void)value;	/* the ring counts; the futex only holds wake-up tokens */
	return 0;
}

static int futex_ring_sem_wait(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;

	return futex_sem_wait(&link->sems[sem], link->private_futex);
}

static int futex_ring_sem_post(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;

	return futex_sem_post(&link->sems[sem], link->private_futex);
}

static const struct ring_sem_ops futex_ring_sem_ops = {
	.fast_path_in_ring = true,
	.init = futex_ring_sem_init,
	.wait = futex_ring_sem_wait,
	.post = futex_ring_sem_post,
};

static void futex_teardown(struct bench_link *link)
{
	if (link->map)
		bench_shared_free(link->map, link->map_size);
	free(link);
}

static int futex_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = calloc(1, sizeof(*link));

	if (!link)
		return -1;
	link->map_size = SEM_AREA + ring_region_size(cfg);
	link->map = bench_shared_alloc(link->map_size);
	if (!link->map)
		goto fail;
	link->sems = link->map;
	link->private_futex = cfg->threads;
	if (ring_link_init(&link->ring, (char *)link->map + SEM_AREA, cfg,
			   &futex_ring_sem_ops, link))
		goto fail;
	*linkp = link;
	return 0;
fail:
	futex_teardown(link);
	return -1;
}

static int futex_attach(struct bench_link *link, enum bench_role role, unsigned int index,
			struct bench_endpoint **ep)
{
	(void)index;
	return ring_attach(&link->ring, role, ep);
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
	.teardown = futex_teardown,
	.attach = futex_attach,
	.detach = ring_detach,
	.send = ring_send,
	.recv = ring_recv,
	.send_reserve = ring_send_reserve,
	.send_commit = ring_send_commit,
	.recv_acquire = ring_recv_acquire,
	.recv_release = ring_recv_release,
};
