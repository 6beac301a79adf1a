// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: kipc shared buffer used as a ring, with kipc's
 * semaphores (syscall-free when uncontended) and zero-copy slot calls. Not
 * built yet: reported missing.
 *
 * To fill in: either reuse shm_ring.c, mapping the kipc shared buffer as
 * the region and passing kipc's semaphores as struct ring_sem_ops (wait /
 * post / init; .fast_path_in_ring = false when kipc's count page already
 * avoids the system call), or drive kipc's own ring calls directly:
 *   send_reserve(ep, len) -> pointer to a free slot of len bytes (blocks
 *                            while the ring is full);
 *   send_commit(ep, len)  -> publish it and wake the consumer if it sleeps;
 *   recv_acquire(ep, len) -> pointer to the next message, in place (blocks
 *                            while empty);
 *   recv_release(ep)      -> give the slot back.
 * send()/recv() must work too (reserve+memcpy+commit and the reverse).
 * A round trip uses two rings (requests, replies), as shm_ring.c does.
 */
#include "bench.h"
#include "kipc_missing.h"

const struct bench_mech bench_mech_kipc_ring = {
	.name = "kipc-ring",
	.title = "kipc shm ring",
	.kind = BENCH_KIND_SHARED_MEMORY,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "ring in the mmap'd kipc shared buffer, kipc semaphores, zero-copy slots",
	.textbook = { "kipc shared buffer", "large", "no",
		      "bulk data with kernel-managed lifetime and semaphores",
		      "target >=20x pipe" },
	.unavailable = kipc_not_built,
};
