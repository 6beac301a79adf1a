// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: kipc queue with the combined send-and-receive ioctl,
 * two system calls per round trip instead of four (KIPC_IOC_SENDRECV).
 * kipc-queue-sendrecv-track: the same, the requests queue created with
 * KIPC_QUEUE_TRACK (the client is told if its server dies): the option's
 * cost. The server's SENDRECV sends on the untracked replies queue.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libkipc.h>

#include "bench.h"
#include "kipc_queue_link.h"

static int kipc_send_recv(struct bench_endpoint *ep, const void *out, void *in, size_t len)
{
	struct kipc_sendrecv sr = {
		.size = sizeof(sr),
		.recv_fd = ep->in,
		.send_buf = (uintptr_t)out,
		.send_len = len,
		.recv_buf = (uintptr_t)in,
		.recv_len = len,
	};
	int n = ioctl(ep->out, KIPC_IOC_SENDRECV, &sr);

	/* Interrupted after the send: wait for the reply with a plain receive. */
	while (n < 0 && errno == EINTR && (sr.result & KIPC_SENDRECV_SENT)) {
		n = read(ep->in, in, len);
		if (n >= 0)
			break;
	}
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		bench_fail("KIPC_IOC_SENDRECV received %d bytes, expected %zu", n, len);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

const struct bench_mech bench_mech_kipc_queue_sendrecv = {
	.name = "kipc-queue-sendrecv",
	.title = "kipc queue send+recv",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS,
	.how = "combined send-then-receive ioctl, one call per side per round trip",
	.textbook = KIPC_QUEUE_TEXTBOOK("target <=0.85x efd"),
	KIPC_QUEUE_OPS,
	.send_recv = kipc_send_recv,
};

const struct bench_mech bench_mech_kipc_queue_sendrecv_track = {
	.name = "kipc-queue-sendrecv-track",
	.title = "kipc send+recv tracked",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS,
	.how = "kipc-queue-sendrecv, requests tracked (KIPC_QUEUE_TRACK)",
	.textbook = KIPC_QUEUE_TEXTBOOK("the tracking's cost"),
	KIPC_QUEUE_OPS_SETUP(kipc_queue_setup_track),
	.send_recv = kipc_send_recv,
};
