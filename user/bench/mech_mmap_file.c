// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: a memory-mapped file. A regular file (in $TMPDIR,
 * /tmp by default) sized with ftruncate() and mapped MAP_SHARED, unlinked
 * once mapped; the rings and their semaphores live in the mapping. The
 * ring keeps the counts; the notification (to sleep or to wake only) is a
 * futex in the file mapping (futex_sem.c): shared futexes
 * are keyed by the file and offset, so unrelated processes that map the same
 * file can use them, which is what a mapped file is for.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "futex_sem.h"
#include "shm_ring.h"

#define SEM_AREA	4096

struct bench_link {
	struct ring_link ring;
	void *map;
	size_t map_size;
	struct futex_sem *sems;
};

static int file_sem_init(void *ctx, unsigned int sem, unsigned int value)
{
	struct bench_link *link = ctx;

	futex_sem_init(&link->sems[sem]);
	(void)value;	/* the ring counts; the futex only holds wake-up tokens */
	return 0;
}

static int file_sem_wait(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;

	return futex_sem_wait(&link->sems[sem], false);
}

static int file_sem_post(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;

	return futex_sem_post(&link->sems[sem], false);
}

static const struct ring_sem_ops file_sem_ops = {
	.fast_path_in_ring = true,
	.init = file_sem_init,
	.wait = file_sem_wait,
	.post = file_sem_post,
};

static void mmap_file_teardown(struct bench_link *link)
{
	if (link->map)
		munmap(link->map, link->map_size);
	free(link);
}

static void *map_file(size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char path[256];
	void *map = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/kipc-bench-mmap.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return NULL;
	unlink(path);
	if (ftruncate(fd, (off_t)size) == 0) {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			map = NULL;
	}
	close(fd);
	return map;
}

static int mmap_file_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = calloc(1, sizeof(*link));

	if (!link)
		return -1;
	link->map_size = SEM_AREA + ring_region_size(cfg);
	link->map = map_file(link->map_size);
	if (!link->map)
		goto fail;
	link->sems = link->map;
	if (ring_link_init(&link->ring, (char *)link->map + SEM_AREA, cfg, &file_sem_ops, link))
		goto fail;
	*linkp = link;
	return 0;
fail:
	mmap_file_teardown(link);
	return -1;
}

static int mmap_file_attach(struct bench_link *link, enum bench_role role, unsigned int index,
			    struct bench_endpoint **ep)
{
	(void)index;
	return ring_attach(&link->ring, role, ep);
}

_Static_assert(RING_SEMS * sizeof(struct futex_sem) <= SEM_AREA, "semaphores fit their page");

const struct bench_mech bench_mech_mmap_file = {
	.name = "mmap-file",
	.title = "mmap'd file",
	.kind = BENCH_KIND_SHARED_MEMORY,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "ring in a MAP_SHARED file mapping ($TMPDIR), notification by shared futexes "
	       "in the mapping",
	.textbook = { "Memory-mapped file", "large, persistent", "no",
		      "sharing file data, persistent shared state",
		      "fast" },
	.setup = mmap_file_setup,
	.teardown = mmap_file_teardown,
	.attach = mmap_file_attach,
	.detach = ring_detach,
	.send = ring_send,
	.recv = ring_recv,
	.send_reserve = ring_send_reserve,
	.send_commit = ring_send_commit,
	.recv_acquire = ring_recv_acquire,
	.recv_release = ring_recv_release,
};
