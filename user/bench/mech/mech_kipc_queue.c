// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanisms: kipc queue, one message per write()/read() on a
 * /dev/kipc descriptor bound to an anonymous queue (kipc_queue_link.c);
 * and the same on queues created with KIPC_QUEUE_CREDS, each message
 * received with its sender's credentials (KIPC_IOC_RECVMSG): what the
 * option costs; kipc-queue-recvmsg, plain queues received with the same
 * call, tells the option's cost from the ioctl's.
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

const struct bench_mech bench_mech_kipc_queue_creds = {
	.name = "kipc-queue-creds",
	.title = "kipc queue, sender credentials",
	.kind = BENCH_KIND_MESSAGE,
	/* A variant measured against kipc-queue, not a mechanism of its own. */
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER | BENCH_CAP_NAMED_ONLY,
	.how = "write() of one message per call, KIPC_IOC_RECVMSG (kipc_receive_from()) on a queue created with KIPC_QUEUE_CREDS",
	.textbook = KIPC_QUEUE_TEXTBOOK("the option's cost over kipc-queue"),
	.unavailable = kipc_queue_unavailable,
	.max_msg_size = kipc_queue_max_msg_size,
	.setup = kipc_queue_creds_setup,
	.teardown = kipc_queue_teardown,
	.attach = kipc_queue_attach,
	.detach = kipc_queue_detach,
	.send = kipc_queue_send,
	.recv = kipc_queue_creds_recv,
};

const struct bench_mech bench_mech_kipc_queue_recvmsg = {
	.name = "kipc-queue-recvmsg",
	.title = "kipc queue, RECVMSG",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER | BENCH_CAP_NAMED_ONLY,
	.how = "write() of one message per call, KIPC_IOC_RECVMSG (kipc_receive_from()) on a queue without options",
	.textbook = KIPC_QUEUE_TEXTBOOK("the ioctl's cost over kipc-queue"),
	.unavailable = kipc_queue_unavailable,
	.max_msg_size = kipc_queue_max_msg_size,
	.setup = kipc_queue_setup,
	.teardown = kipc_queue_teardown,
	.attach = kipc_queue_attach,
	.detach = kipc_queue_detach,
	.send = kipc_queue_send,
	.recv = kipc_queue_recvmsg_recv,
};
