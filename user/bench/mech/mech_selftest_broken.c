// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench test-only mechanisms that are wrong on purpose, so that the
 * selftest can prove --verify catches a broken mechanism instead of letting
 * it look fast. Both are pipes; never in the default selection.
 *   broken-corrupt    flips one bit in the body of the 4th message received;
 *   broken-duplicate  hands the 3rd receive the 2nd message again.
 * Without --verify they run and measure like a pipe; with it they must fail.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "io_full.h"

#define CORRUPT_AT	4
#define DUPLICATE_AT	3

struct bench_link {
	int req[2], rep[2];
};

struct bench_endpoint {
	int in, out;
	unsigned long received;
	void *last;		/* copy of the previous message (duplicate) */
};

static void broken_teardown(struct bench_link *link)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (link->req[i] >= 0)
			close(link->req[i]);
		if (link->rep[i] >= 0)
			close(link->rep[i]);
	}
	free(link);
}

static int broken_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = malloc(sizeof(*link));

	if (!link)
		return -1;
	link->req[0] = link->req[1] = link->rep[0] = link->rep[1] = -1;
	if (pipe2(link->req, O_CLOEXEC) ||
	    (cfg->pattern == BENCH_ROUND_TRIP && pipe2(link->rep, O_CLOEXEC))) {
		broken_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

static int broken_attach(struct bench_link *link, enum bench_role role, unsigned int index,
			 struct bench_endpoint **epp)
{
	struct bench_endpoint *ep = calloc(1, sizeof(*ep));

	(void)index;
	if (!ep)
		return -1;
	ep->in = role == BENCH_PRODUCER ? link->rep[0] : link->req[0];
	ep->out = role == BENCH_PRODUCER ? link->req[1] : link->rep[1];
	*epp = ep;
	return 0;
}

static void broken_detach(struct bench_endpoint *ep)
{
	free(ep->last);
	free(ep);
}

static int broken_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	return write_full(ep->out, buf, len);
}

static int corrupt_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	if (read_full(ep->in, buf, len))
		return -1;
	if (++ep->received == CORRUPT_AT)
		((unsigned char *)buf)[len - 1] ^= 0x10;
	return 0;
}

static int duplicate_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	if (++ep->received == DUPLICATE_AT && ep->last) {
		memcpy(buf, ep->last, len);
		return 0;
	}
	if (read_full(ep->in, buf, len))
		return -1;
	free(ep->last);
	ep->last = malloc(len);
	if (!ep->last)
		return -1;
	memcpy(ep->last, buf, len);
	return 0;
}

/* Both are the same pipe, told apart only by how recv() misbehaves. */
#define BROKEN_PIPE					\
	.kind = BENCH_KIND_STREAM,			\
	.caps = BENCH_CAP_THREADS | BENCH_CAP_HIDDEN,	\
	.textbook = { "(test)", "-", "-", "-", "-" },	\
	.setup = broken_setup,				\
	.teardown = broken_teardown,			\
	.attach = broken_attach,			\
	.detach = broken_detach,			\
	.send = broken_send

const struct bench_mech bench_mech_broken_corrupt = {
	.name = "broken-corrupt",
	.title = "broken: corrupts",
	.how = "test only: a pipe that flips a bit of the 4th message it delivers",
	BROKEN_PIPE,
	.recv = corrupt_recv,
};

const struct bench_mech bench_mech_broken_duplicate = {
	.name = "broken-duplicate",
	.title = "broken: duplicates",
	.how = "test only: a pipe that delivers its 2nd message twice",
	BROKEN_PIPE,
	.recv = duplicate_recv,
};
