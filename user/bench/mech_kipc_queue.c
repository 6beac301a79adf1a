// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: kipc queue, one message per write()/read() on a
 * /dev/kipc descriptor bound to an anonymous queue (kipc_queue_link.c).
 */
#include "bench.h"
#include "kipc_queue_link.h"

const struct bench_mech bench_mech_kipc_queue = {
	.name = "kipc-queue",
	.title = "kipc queue",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "write()/read() of one message per call on /dev/kipc bound to a queue",
	.textbook = { "kipc queue", "small to large messages", "no",
		      "local message bus with epoll, priorities, timeouts, batches",
		      "target <=0.97x mq" },
	.unavailable = kipc_queue_unavailable,
	.max_msg_size = kipc_queue_max_msg_size,
	.setup = kipc_queue_setup,
	.teardown = kipc_queue_teardown,
	.attach = kipc_queue_attach,
	.detach = kipc_queue_detach,
	.send = kipc_queue_send,
	.recv = kipc_queue_recv,
};
