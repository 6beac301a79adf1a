// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: eventfd, the floor for a kernel-mediated wake-up
 * through a file descriptor. The rings live in an anonymous shared mapping;
 * each ring semaphore is an eventfd in EFD_SEMAPHORE mode (read() takes one,
 * write() of 1 gives one), entered only to sleep or wake: the ring keeps the
 * counts in shared memory (shm_ring.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench.h"
#include "shm_ring.h"

struct bench_link {
	struct ring_link ring;		/* first: ring_attach, ring_teardown */
	int efd[RING_SEMS];
};

static int efd_sem_init(void *ctx, unsigned int sem, unsigned int value)
{
	struct bench_link *link = ctx;

	link->efd[sem] = eventfd(value, EFD_SEMAPHORE | EFD_CLOEXEC);
	return link->efd[sem] < 0 ? -1 : 0;
}

static int efd_sem_wait(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;
	uint64_t v;

	while (read(link->efd[sem], &v, sizeof(v)) != sizeof(v)) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int efd_sem_post(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;
	uint64_t one = 1;

	while (write(link->efd[sem], &one, sizeof(one)) != sizeof(one)) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static const struct ring_sem_ops efd_sem_ops = {
	.fast_path_in_ring = true,
	.init = efd_sem_init,
	.wait = efd_sem_wait,
	.post = efd_sem_post,
};

static void eventfd_teardown(struct bench_link *link)
{
	unsigned int i;

	for (i = 0; i < RING_SEMS; i++)
		if (link->efd[i] >= 0)
			close(link->efd[i]);
	ring_teardown(link);
}

static int eventfd_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = calloc(1, sizeof(*link));
	void *map;
	unsigned int i;

	if (!link)
		return -1;
	for (i = 0; i < RING_SEMS; i++)
		link->efd[i] = -1;
	map = ring_link_map(&link->ring, cfg, 0, bench_shared_alloc);
	if (!map || ring_link_init(&link->ring, map, cfg, &efd_sem_ops, link)) {
		eventfd_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

const struct bench_mech bench_mech_eventfd = {
	.name = "eventfd",
	.title = "eventfd",
	.kind = BENCH_KIND_WAKEUP,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "ring in MAP_SHARED|MAP_ANONYMOUS memory, counts in the ring, "
	       "EFD_SEMAPHORE eventfd read/write only to sleep/wake",
	.textbook = { "eventfd (floor)", "a counter + shared memory", "yes",
		      "event notification into poll/epoll loops",
		      "(floor)" },
	.setup = eventfd_setup,
	.teardown = eventfd_teardown,
	RING_MECH_OPS,
};
