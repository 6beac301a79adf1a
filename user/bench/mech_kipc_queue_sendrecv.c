// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: kipc queue with the combined send-and-receive ioctl
 * (two system calls per round trip instead of four). Not built yet:
 * reported missing.
 *
 * To fill in: as mech_kipc_queue.c, plus
 *   send_recv(ep, out, in, len)  one ioctl: send @out on ep's out queue,
 *                                then wait for and receive one message of
 *                                @len bytes from ep's in queue into @in.
 * The producer of a round trip calls it per request; the consumer receives
 * the first request with recv(), then answers each one and takes the next
 * with send_recv(), and sends the last reply with send().
 */
#include "bench.h"
#include "kipc_missing.h"

const struct bench_mech bench_mech_kipc_queue_sendrecv = {
	.name = "kipc-queue-sendrecv",
	.title = "kipc queue send+recv",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS,
	.how = "combined send-then-receive ioctl, one call per side per round trip",
	.textbook = { "kipc queue", "small to large messages", "no",
		      "local message bus with epoll, priorities, timeouts, batches",
		      "target <=0.9x efd" },
	.unavailable = kipc_not_built,
};
