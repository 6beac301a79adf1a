// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: POSIX shared memory + POSIX semaphores. shm_open()
 * (unlinked at once), ftruncate() and mmap(MAP_SHARED); unnamed sem_t
 * semaphores (sem_init, process-shared unless the participants are threads)
 * at the start of the mapping, the rings after them. glibc's sem_t only
 * enters the kernel (futex) to sleep or to wake, so the ring uses it as is.
 */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "shm_ring.h"

#define SEM_AREA	4096	/* page holding the semaphores, before the rings */

struct bench_link {
	struct ring_link ring;		/* first: ring_attach, ring_teardown */
	sem_t *sems;
	bool pshared;
	unsigned int nsems;		/* initialised so far */
};

static int posix_sem_init(void *ctx, unsigned int sem, unsigned int value)
{
	struct bench_link *link = ctx;

	if (sem_init(&link->sems[sem], link->pshared, value))
		return -1;
	if (sem + 1 > link->nsems)
		link->nsems = sem + 1;
	return 0;
}

static int posix_sem_wait(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;

	while (sem_wait(&link->sems[sem])) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int posix_sem_post(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;

	return sem_post(&link->sems[sem]);
}

static const struct ring_sem_ops posix_sem_ops = {
	.fast_path_in_ring = false,
	.init = posix_sem_init,
	.wait = posix_sem_wait,
	.post = posix_sem_post,
};

static void posix_shm_teardown(struct bench_link *link)
{
	unsigned int i;

	for (i = 0; i < link->nsems; i++)
		sem_destroy(&link->sems[i]);
	ring_teardown(link);
}

static void *map_posix_shm(size_t size)
{
	static atomic_uint serial;
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "/kipc-bench-%d-%u", (int)getpid(),
		 atomic_fetch_add(&serial, 1));
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		shm_unlink(name);
	return ring_map_fd(fd, size);
}

static int posix_shm_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = calloc(1, sizeof(*link));
	char *map;

	if (!link)
		return -1;
	map = ring_link_map(&link->ring, cfg, SEM_AREA, map_posix_shm);
	link->sems = (sem_t *)map;
	link->pshared = !cfg->threads;
	if (!map || ring_link_init(&link->ring, map + SEM_AREA, cfg, &posix_sem_ops, link)) {
		posix_shm_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

_Static_assert(RING_SEMS * sizeof(sem_t) <= SEM_AREA, "semaphores fit their page");

const struct bench_mech bench_mech_posix_shm = {
	.name = "posix-shm",
	.title = "POSIX shm+sem",
	.kind = BENCH_KIND_SHARED_MEMORY,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "ring in shm_open()+mmap(), sem_t in the mapping (futex inside glibc)",
	.textbook = { "Shared memory", "large", "no",
		      "bulk data, images, databases' buffer pools",
		      "fastest" },
	.setup = posix_shm_setup,
	.teardown = posix_shm_teardown,
	RING_MECH_OPS,
};
