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
#include <unistd.h>

#include "bench.h"
#include "futex_sem.h"
#include "shm_ring.h"

#define SEM_AREA	4096

struct bench_link {
	struct ring_link ring;		/* first: ring_attach, ring_teardown */
	struct futex_ring_sems fsems;	/* shared futexes: keyed by file and offset */
};

static void *map_file(size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/kipc-bench-mmap.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return ring_map_fd(fd, size);
}

static int mmap_file_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = calloc(1, sizeof(*link));
	char *map;

	if (!link)
		return -1;
	map = ring_link_map(&link->ring, cfg, SEM_AREA, map_file);
	link->fsems.sems = (struct futex_sem *)map;
	if (!map || ring_link_init(&link->ring, map + SEM_AREA, cfg, &futex_ring_sem_ops,
				   &link->fsems)) {
		ring_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
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
