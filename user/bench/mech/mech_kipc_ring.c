// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: a kipc shared buffer used as a ring (libkipc's
 * kipc_ring_*): fixed slots in the mmap'd buffer, two kipc semaphores
 * (free and filled slots) whose uncontended wait and post make no system
 * call, and the zero-copy reserve/commit and peek/release calls. A round
 * trip uses two rings, requests and replies. Each participant attaches its
 * own handle to the ring's descriptor, as libkipc asks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include <libkipc.h>

#include "bench.h"

#define DEPTH_BYTES	(256 * 1024)
#define MIN_SLOTS	4
#define MAX_SLOTS	1024

struct bench_link {
	struct kipc_ring *requests, *replies;
};

struct bench_endpoint {
	struct kipc_ring *in, *out;
	void *slot;		/* reserved by send_reserve, until send_commit */
};

static const char *kipc_ring_unavailable(void)
{
	int fd = kipc_open_device(0);

	if (fd < 0)
		return "kipc.ko not loaded";
	close(fd);
	return NULL;
}

static size_t kipc_ring_max_msg_size(const struct bench_config *cfg)
{
	(void)cfg;
	/* MIN_SLOTS slots must fit the module's default shbuf_size_max (64 MiB). */
	return (64u << 20) / MIN_SLOTS / 2;
}

static struct kipc_ring *new_ring(const struct bench_config *cfg)
{
	size_t slots = DEPTH_BYTES / cfg->msg_size;
	struct kipc_ring_attr attr;

	if (slots < MIN_SLOTS)
		slots = MIN_SLOTS;
	if (slots > MAX_SLOTS)
		slots = MAX_SLOTS;
	attr.slot_size = cfg->msg_size;
	attr.nslots = slots;
	return kipc_ring_create(NULL, 0600, &attr);
}

static void ring_teardown(struct bench_link *link)
{
	kipc_ring_close(link->requests);
	kipc_ring_close(link->replies);
	free(link);
}

static int ring_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = calloc(1, sizeof(*link));

	if (!link)
		return -1;
	link->requests = new_ring(cfg);
	if (!link->requests ||
	    (cfg->pattern == BENCH_ROUND_TRIP && !(link->replies = new_ring(cfg)))) {
		ring_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

static int ring_attach(struct bench_link *link, enum bench_role role, unsigned int index,
		       struct bench_endpoint **epp)
{
	struct bench_endpoint *ep = calloc(1, sizeof(*ep));
	struct kipc_ring *out = role == BENCH_PRODUCER ? link->requests : link->replies;
	struct kipc_ring *in = role == BENCH_PRODUCER ? link->replies : link->requests;

	(void)index;
	if (!ep)
		return -1;
	if ((out && !(ep->out = kipc_ring_attach(kipc_ring_fd(out)))) ||
	    (in && !(ep->in = kipc_ring_attach(kipc_ring_fd(in))))) {
		kipc_ring_close(ep->out);
		free(ep);
		return -1;
	}
	*epp = ep;
	return 0;
}

static void ring_detach(struct bench_endpoint *ep)
{
	kipc_ring_close(ep->in);
	kipc_ring_close(ep->out);
	free(ep);
}

static int ring_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	int ret;

	do {
		ret = kipc_ring_send(ep->out, buf, len, NULL);
	} while (ret < 0 && errno == EINTR);
	return ret;
}

static int ring_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	ssize_t n;

	do {
		n = kipc_ring_receive(ep->in, buf, len, NULL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		bench_fail("kipc_ring_receive() returned %zd bytes, expected %zu", n, len);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/*
 * A batch of bench_msg is handed to the ring as the iovec array it is laid
 * out as: rebuilding an array per call costs more than the ring's own work
 * per message.
 */
_Static_assert(sizeof(struct bench_msg) == sizeof(struct iovec) &&
	       offsetof(struct bench_msg, buf) == offsetof(struct iovec, iov_base) &&
	       offsetof(struct bench_msg, len) == offsetof(struct iovec, iov_len),
	       "struct bench_msg is not laid out as struct iovec");

static int ring_send_batch(struct bench_endpoint *ep, const struct bench_msg *msgs,
			   unsigned int n)
{
	const struct iovec *iov = (const struct iovec *)msgs;
	unsigned int done = 0;

	while (done < n) {
		int sent = kipc_ring_send_batch(ep->out, iov + done, n - done, NULL);

		if (sent < 0 && errno == EINTR)
			continue;
		if (sent < 0)
			return -1;
		done += sent;
	}
	return 0;
}

static int ring_recv_batch(struct bench_endpoint *ep, struct bench_msg *msgs, unsigned int n)
{
	/* The harness's buffers are all of the ring's slot size. */
	size_t want = kipc_ring_slot_size(ep->in);
	unsigned int i;
	int got;

	do {
		got = kipc_ring_receive_batch(ep->in, (struct iovec *)msgs, n, NULL);
	} while (got < 0 && errno == EINTR);
	if (got < 0)
		return -1;
	for (i = 0; i < (unsigned int)got; i++) {
		if (msgs[i].len != want) {
			bench_fail("ring batch got %zu bytes, expected %zu", msgs[i].len, want);
			errno = EPROTO;
			return -1;
		}
	}
	return got;
}

static void *ring_send_reserve(struct bench_endpoint *ep, size_t len)
{
	(void)len;
	do {
		ep->slot = kipc_ring_reserve(ep->out, NULL);
	} while (!ep->slot && errno == EINTR);
	return ep->slot;
}

static int ring_send_commit(struct bench_endpoint *ep, size_t len)
{
	return kipc_ring_commit(ep->out, ep->slot, len);
}

static const void *ring_recv_acquire(struct bench_endpoint *ep, size_t len)
{
	const void *msg;
	size_t got = 0;

	do {
		msg = kipc_ring_peek(ep->in, &got, NULL);
	} while (!msg && errno == EINTR);
	if (msg && got != len) {
		bench_fail("kipc_ring_peek() gave %zu bytes, expected %zu", got, len);
		errno = EPROTO;
		return NULL;
	}
	return msg;
}

static int ring_recv_release(struct bench_endpoint *ep)
{
	return kipc_ring_release(ep->in);
}

const struct bench_mech bench_mech_kipc_ring = {
	.name = "kipc-ring",
	.title = "kipc shm ring",
	.kind = BENCH_KIND_SHARED_MEMORY,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "ring in the mmap'd kipc shared buffer, kipc semaphores, zero-copy slots",
	.textbook = { "kipc shared buffer", "large", "no",
		      "bulk data with kernel-managed lifetime and semaphores",
		      "target >=20x pipe" },
	.unavailable = kipc_ring_unavailable,
	.max_msg_size = kipc_ring_max_msg_size,
	.setup = ring_setup,
	.teardown = ring_teardown,
	.attach = ring_attach,
	.detach = ring_detach,
	.send = ring_send,
	.recv = ring_recv,
	.send_batch = ring_send_batch,
	.recv_batch = ring_recv_batch,
	.send_reserve = ring_send_reserve,
	.send_commit = ring_send_commit,
	.recv_acquire = ring_recv_acquire,
	.recv_release = ring_recv_release,
};
