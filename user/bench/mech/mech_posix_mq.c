// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: POSIX message queue. One queue each way, opened by
 * name and unlinked at once; mq_msgsize is the message size and mq_maxmsg
 * holds about 256 KiB (at least 10, the default; 2 for a round trip, which
 * never has more than one message in flight each way). fs.mqueue.msgsize_max
 * and msg_max bound both, and RLIMIT_MSGQUEUE bounds the bytes of all of a
 * user's queues; as root kipc-bench raises the sysctls to 1 MiB and 1024 in
 * its own IPC namespace and lifts the rlimit when it may (limits.c). A size
 * the limits cannot hold is reported n/a.
 *
 * posix-mq-on-kipc is the same program through libkipc-mq, the POSIX mq
 * shim over kipc queues: every mq_* call goes through the table of
 * posix_mq_ops.h, libc's for posix-mq and the shim's for posix-mq-on-kipc,
 * whose queues kipc's msg_max and msgsize_max module parameters bound
 * instead (no rlimit).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "posix_mq_ops.h"

#define MQ_DEPTH_BYTES		(256 * 1024)
#define MQ_MAX_DEPTH		1024
#define MQ_DEFAULT_DEPTH	10
#define MQ_ROUND_TRIP_DEPTH	2
/* Kernel bytes charged per message besides its data (msg_msg, tree node). */
#define MQ_PER_MSG_OVERHEAD	128

struct bench_link {
	const struct posix_mq_ops *ops;
	mqd_t requests, replies;
};

struct bench_endpoint {
	const struct posix_mq_ops *ops;
	mqd_t in, out;
};

static unsigned long read_sysctl(const char *path, unsigned long dflt)
{
	FILE *f = fopen(path, "r");
	unsigned long v = dflt;

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = dflt;
		fclose(f);
	}
	return v;
}

/* The table of posix-mq-on-kipc; NULL when the shim or kipc is missing. */
static const struct posix_mq_ops *kipc_ops(void)
{
	const char *why;

	return posix_mq_kipc_ops(&why);
}

static unsigned int queues(const struct bench_config *cfg)
{
	return cfg->pattern == BENCH_ROUND_TRIP ? 2 : 1;
}

/* Bytes one queue may take under RLIMIT_MSGQUEUE. */
static size_t rlimit_per_queue(const struct posix_mq_ops *ops, const struct bench_config *cfg)
{
	struct rlimit rl;

	if (!ops->rlimit || getrlimit(RLIMIT_MSGQUEUE, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return SIZE_MAX;
	return rl.rlim_cur / queues(cfg);
}

static long queue_depth(const struct posix_mq_ops *ops, const struct bench_config *cfg)
{
	size_t depth = MQ_DEPTH_BYTES / cfg->msg_size;
	size_t fit = rlimit_per_queue(ops, cfg) / (cfg->msg_size + MQ_PER_MSG_OVERHEAD);
	unsigned long msg_max = read_sysctl(ops->msg_max, ops->msg_max_default);

	if (depth < MQ_DEFAULT_DEPTH)
		depth = MQ_DEFAULT_DEPTH;
	if (cfg->pattern == BENCH_ROUND_TRIP)
		depth = MQ_ROUND_TRIP_DEPTH;
	if (depth > MQ_MAX_DEPTH)
		depth = MQ_MAX_DEPTH;
	if (depth > msg_max)
		depth = msg_max;
	if (depth > fit)
		depth = fit;
	return (long)depth;
}

static size_t max_msg_size(const struct posix_mq_ops *ops, const struct bench_config *cfg)
{
	size_t max = read_sysctl(ops->msgsize_max, ops->msgsize_max_default);
	size_t fit = rlimit_per_queue(ops, cfg);

	/* One message per queue must fit RLIMIT_MSGQUEUE. */
	if (fit != SIZE_MAX && fit - MQ_PER_MSG_OVERHEAD < max)
		max = fit > MQ_PER_MSG_OVERHEAD ? fit - MQ_PER_MSG_OVERHEAD : 1;
	return max;
}

static size_t posix_mq_max_msg_size(const struct bench_config *cfg)
{
	return max_msg_size(&posix_mq_libc_ops, cfg);
}

static size_t posix_mq_on_kipc_max_msg_size(const struct bench_config *cfg)
{
	const struct posix_mq_ops *ops = kipc_ops();

	return ops ? max_msg_size(ops, cfg) : 1;
}

static mqd_t open_queue(const struct posix_mq_ops *ops, const struct bench_config *cfg,
			const char *which)
{
	static atomic_uint serial;
	struct mq_attr attr = { .mq_maxmsg = queue_depth(ops, cfg),
				.mq_msgsize = (long)cfg->msg_size };
	char name[64];
	mqd_t q;

	snprintf(name, sizeof(name), "/kipc-bench-%d-%u-%s", (int)getpid(),
		 atomic_fetch_add(&serial, 1), which);
	q = ops->open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
	if (q != (mqd_t)-1)
		ops->unlink(name);
	return q;
}

static void posix_mq_teardown(struct bench_link *link)
{
	if (link->requests != (mqd_t)-1)
		link->ops->close(link->requests);
	if (link->replies != (mqd_t)-1)
		link->ops->close(link->replies);
	free(link);
}

static int setup(struct bench_link **linkp, const struct bench_config *cfg,
		 const struct posix_mq_ops *ops)
{
	struct bench_link *link;

	if (!ops) {
		errno = ENOENT;
		return -1;
	}
	link = malloc(sizeof(*link));
	if (!link)
		return -1;
	link->ops = ops;
	link->replies = (mqd_t)-1;
	link->requests = open_queue(ops, cfg, "requests");
	if (link->requests == (mqd_t)-1 ||
	    (cfg->pattern == BENCH_ROUND_TRIP &&
	     (link->replies = open_queue(ops, cfg, "replies")) == (mqd_t)-1)) {
		posix_mq_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

static int posix_mq_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	return setup(linkp, cfg, &posix_mq_libc_ops);
}

static int posix_mq_on_kipc_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	return setup(linkp, cfg, kipc_ops());
}

static int posix_mq_attach(struct bench_link *link, enum bench_role role, unsigned int index,
			   struct bench_endpoint **epp)
{
	struct bench_endpoint *ep = malloc(sizeof(*ep));

	(void)index;
	if (!ep)
		return -1;
	ep->ops = link->ops;
	ep->out = role == BENCH_PRODUCER ? link->requests : link->replies;
	ep->in = role == BENCH_PRODUCER ? link->replies : link->requests;
	*epp = ep;
	return 0;
}

static void posix_mq_detach(struct bench_endpoint *ep)
{
	free(ep);
}

static int posix_mq_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	while (ep->ops->send(ep->out, buf, len, 0)) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int posix_mq_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	ssize_t n;

	do {
		n = ep->ops->receive(ep->in, buf, len, NULL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		bench_fail("mq_receive() returned %zd bytes, expected %zu", n, len);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

const struct bench_mech bench_mech_posix_mq = {
	.name = "posix-mq",
	.title = "POSIX mq",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "mq_open() each way, mq_msgsize = message size, mq_maxmsg for ~256 KiB "
	       "(10..1024), mq_send/mq_receive",
	.textbook = { "Message queue", "small to medium messages", "no",
		      "structured messages between unrelated processes",
		      "medium" },
	.max_msg_size = posix_mq_max_msg_size,
	.setup = posix_mq_setup,
	.teardown = posix_mq_teardown,
	.attach = posix_mq_attach,
	.detach = posix_mq_detach,
	.send = posix_mq_send,
	.recv = posix_mq_recv,
};

static const char *posix_mq_on_kipc_unavailable(void)
{
	const char *why = NULL;

	posix_mq_kipc_ops(&why);
	return why;
}

const struct bench_mech bench_mech_posix_mq_on_kipc = {
	.name = "posix-mq-on-kipc",
	.title = "POSIX mq on kipc",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "posix-mq's program through libkipc-mq.so.0 (its mq_* from dlsym, as "
	       "LD_PRELOAD would reach them): kipc queues",
	.textbook = { "kipc queue", "small to large messages", "no",
		      "POSIX mq programs unchanged, on kipc queues", "target <=1.0x mq" },
	.unavailable = posix_mq_on_kipc_unavailable,
	.max_msg_size = posix_mq_on_kipc_max_msg_size,
	.setup = posix_mq_on_kipc_setup,
	.teardown = posix_mq_teardown,
	.attach = posix_mq_attach,
	.detach = posix_mq_detach,
	.send = posix_mq_send,
	.recv = posix_mq_recv,
};
