// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: kipc queue with the batched send/receive ioctls,
 * cfg->batch messages per system call (one-way). Round trips fall back to
 * one message per call, as a batch of one.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <libkipc.h>

#include "bench.h"
#include "kipc_queue_link.h"

#define MAX_BATCH	KIPC_BATCH_MAX

static int batch_ioctl(int fd, unsigned long cmd, struct kipc_mvec *vec, unsigned int n)
{
	struct kipc_batch b = {
		.size = sizeof(b),
		.vec = (uintptr_t)vec,
		.count = n,
	};
	int ret;

	do {
		ret = ioctl(fd, cmd, &b);
	} while (ret < 0 && errno == EINTR);
	return ret;
}

static int kipc_batch_send(struct bench_endpoint *ep, const struct bench_msg *msgs,
			   unsigned int n)
{
	struct kipc_mvec vec[MAX_BATCH];
	unsigned int done = 0, i;

	if (n > MAX_BATCH)
		n = MAX_BATCH;
	for (i = 0; i < n; i++)
		vec[i] = (struct kipc_mvec){ (uintptr_t)msgs[i].buf, msgs[i].len, 0 };
	/* A batch blocks only for its first message: loop until all went. */
	while (done < n) {
		int moved = batch_ioctl(ep->out, KIPC_IOC_SEND_BATCH, vec + done, n - done);

		if (moved < 0)
			return -1;
		done += moved;
	}
	return 0;
}

static int kipc_batch_recv(struct bench_endpoint *ep, struct bench_msg *msgs, unsigned int n)
{
	struct kipc_mvec vec[MAX_BATCH];
	unsigned int i;
	int got;

	if (n > MAX_BATCH)
		n = MAX_BATCH;
	for (i = 0; i < n; i++)
		vec[i] = (struct kipc_mvec){ (uintptr_t)msgs[i].buf, msgs[i].len, 0 };
	got = batch_ioctl(ep->in, KIPC_IOC_RECV_BATCH, vec, n);
	if (got < 0)
		return -1;
	for (i = 0; i < (unsigned int)got; i++) {
		if (vec[i].len != msgs[i].len) {
			bench_fail("batched receive got %u bytes, expected %zu",
				   vec[i].len, msgs[i].len);
			errno = EPROTO;
			return -1;
		}
	}
	return got;
}

const struct bench_mech bench_mech_kipc_queue_batch = {
	.name = "kipc-queue-batch",
	.title = "kipc queue batched",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "KIPC_IOC_SEND_BATCH/RECV_BATCH: many messages per system call; send_lowat half the queue",
	.textbook = KIPC_QUEUE_TEXTBOOK("target >=5x pipe batched"),
	KIPC_QUEUE_OPS,
	.send_batch = kipc_batch_send,
	.recv_batch = kipc_batch_recv,
};
