// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: kipc queue with the batched send/receive ioctls
 * (many messages per system call). Not built yet: reported missing.
 *
 * To fill in: as mech_kipc_queue.c, plus
 *   send_batch(ep, msgs, n)  one ioctl sending all n messages (loop only if
 *                            the kernel takes fewer); returns 0;
 *   recv_batch(ep, msgs, n)  one ioctl receiving 1..n messages, blocking
 *                            until at least one is there; returns the count;
 *                            each msgs[i].len must come back cfg->msg_size.
 * The harness calls them in one-way runs with cfg->batch messages per call
 * (--batch, default 32); round trips use send()/recv().
 */
#include "bench.h"
#include "kipc_missing.h"

const struct bench_mech bench_mech_kipc_queue_batch = {
	.name = "kipc-queue-batch",
	.title = "kipc queue batched",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "batched send/receive ioctls, --batch messages per call",
	.textbook = { "kipc queue", "small to large messages", "no",
		      "local message bus with epoll, priorities, timeouts, batches",
		      "target >=5x pipe" },
	.unavailable = kipc_not_built,
};
