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

/* Shared futexes: keyed by the file and offset, they work across unrelated processes. */
static int mmap_file_setup(struct bench_link **link, const struct bench_config *cfg)
{
	return futex_ring_setup(link, cfg, map_file, false);
}

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
	RING_MECH_OPS,
};
