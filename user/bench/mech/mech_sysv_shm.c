// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: System V shared memory + System V semaphores. The
 * rings live in a shmget() segment (marked for removal as soon as it is
 * attached; fork() keeps the attachment); one semget() set holds the ring
 * semaphores. semop() is a system call every time, so the ring keeps the
 * counts in the segment and calls semop() only to sleep or to wake a
 * sleeper, the way PostgreSQL uses its SysV semaphores (shm_ring.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "bench.h"
#include "shm_ring.h"

struct bench_link {
	struct ring_link ring;		/* first: ring_attach */
	int semid;
};

/* semctl(2): the caller defines union semun. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int sysv_sem_init(void *ctx, unsigned int sem, unsigned int value)
{
	struct bench_link *link = ctx;
	union semun arg = { .val = (int)value };

	return semctl(link->semid, (int)sem, SETVAL, arg) < 0 ? -1 : 0;
}

static int sysv_sem_op(struct bench_link *link, unsigned int sem, short delta)
{
	struct sembuf op = { .sem_num = (unsigned short)sem, .sem_op = delta };

	while (semop(link->semid, &op, 1)) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int sysv_sem_wait(void *ctx, unsigned int sem)
{
	return sysv_sem_op(ctx, sem, -1);
}

static int sysv_sem_post(void *ctx, unsigned int sem)
{
	return sysv_sem_op(ctx, sem, 1);
}

static const struct ring_sem_ops sysv_sem_ops = {
	.fast_path_in_ring = true,
	.init = sysv_sem_init,
	.wait = sysv_sem_wait,
	.post = sysv_sem_post,
};

static void sysv_shm_teardown(struct bench_link *link)
{
	if (link->semid >= 0)
		semctl(link->semid, 0, IPC_RMID);
	if (link->ring.region)
		shmdt(link->ring.region);
	free(link);
}

static int sysv_shm_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = calloc(1, sizeof(*link));
	size_t size = ring_region_size(cfg);
	void *region;
	int shmid;

	if (!link)
		return -1;
	link->semid = -1;
	shmid = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	if (shmid < 0)
		goto fail;
	bench_note_sysv('h', shmid);
	region = shmat(shmid, NULL, 0);
	shmctl(shmid, IPC_RMID, NULL);
	if (region == (void *)-1)
		goto fail;
	link->ring.region = region;
	link->semid = semget(IPC_PRIVATE, RING_SEMS, IPC_CREAT | 0600);
	if (link->semid < 0)
		goto fail;
	bench_note_sysv('s', link->semid);
	if (ring_link_init(&link->ring, region, cfg, &sysv_sem_ops, link))
		goto fail;
	*linkp = link;
	return 0;
fail:
	sysv_shm_teardown(link);
	return -1;
}

const struct bench_mech bench_mech_sysv_shm = {
	.name = "sysv-shm",
	.title = "SysV shm+sem",
	.kind = BENCH_KIND_SHARED_MEMORY,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "ring in a shmget() segment, counts in the segment, semop() only to sleep/wake",
	.textbook = { "Shared memory", "large", "no",
		      "bulk data, images, databases' buffer pools",
		      "fastest" },
	.setup = sysv_shm_setup,
	.teardown = sysv_shm_teardown,
	RING_MECH_OPS,
};
