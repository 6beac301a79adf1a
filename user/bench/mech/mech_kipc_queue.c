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
	.how = "write()/read() of one message per call on /dev/kipc bound to a queue; send_lowat half the queue",
	.textbook = KIPC_QUEUE_TEXTBOOK("target <=0.97x mq"),
	KIPC_QUEUE_OPS,
};
