// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: kipc queue, one message per write()/read() on a
 * /dev/kipc descriptor bound to a queue. Not built yet: reported missing.
 *
 * To fill in (libkipc, one file, nothing else changes):
 *   struct bench_link     { int requests, replies; }  two anonymous queues
 *                         (or named, unlinked at once) created in setup(),
 *                         message size = cfg->msg_size, depth for ~256 KiB;
 *   setup()/teardown()    create / close them (fds are inherited by fork);
 *   attach()              producer: out = requests, in = replies;
 *                         consumer: the other way round;
 *   send()/recv()         write()/read() of exactly len bytes, EINTR
 *                         retried, a short read is an error (bench_fail);
 *   unavailable()         NULL when /dev/kipc opens, else "kipc.ko not
 *                         loaded" (keep kipc_not_built until it works);
 *   max_msg_size()        the queue's message size limit (0: none).
 *   caps                  BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER.
 */
#include "bench.h"
#include "kipc_missing.h"

const struct bench_mech bench_mech_kipc_queue = {
	.name = "kipc-queue",
	.title = "kipc queue",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "write()/read() of one message per call on /dev/kipc bound to a queue",
	.textbook = { "kipc queue", "small to large messages", "no",
		      "local message bus with epoll, priorities, timeouts, batches",
		      "target <=0.97x mq" },
	.unavailable = kipc_not_built,
};
