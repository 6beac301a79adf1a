// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: System V message queue. One queue carries both
 * directions with the message type as the address (1: requests, 2: replies),
 * as its users do; msg_qbytes raised to hold four messages; the mtype word
 * lives in the harness's headroom in front of the payload, so no message is
 * copied into a separate struct msgbuf. Largest message: kernel.msgmax
 * (kipc-bench raises it to 1 MiB as root, see limits.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/msg.h>

#include "bench.h"

#define TYPE_REQUEST	1
#define TYPE_REPLY	2

struct bench_link {
	int qid;
};

struct bench_endpoint {
	int qid;
	long send_type, recv_type;
};

static size_t sysv_msg_max_msg_size(const struct bench_config *cfg)
{
	FILE *f = fopen("/proc/sys/kernel/msgmax", "r");
	unsigned long v = 8192;

	(void)cfg;
	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 8192;
		fclose(f);
	}
	return v;
}

static int sysv_msg_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = malloc(sizeof(*link));
	struct msqid_ds ds;
	size_t want = 4 * cfg->msg_size;

	if (!link)
		return -1;
	link->qid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (link->qid < 0) {
		free(link);
		return -1;
	}
	bench_note_sysv('m', link->qid);
	/* Above kernel.msgmnb needs CAP_SYS_RESOURCE; without it keep the default. */
	if (msgctl(link->qid, IPC_STAT, &ds) == 0 && ds.msg_qbytes < want) {
		ds.msg_qbytes = want;
		if (msgctl(link->qid, IPC_SET, &ds) && errno != EPERM) {
			msgctl(link->qid, IPC_RMID, NULL);
			free(link);
			return -1;
		}
	}
	*linkp = link;
	return 0;
}

static void sysv_msg_teardown(struct bench_link *link)
{
	msgctl(link->qid, IPC_RMID, NULL);
	free(link);
}

static int sysv_msg_attach(struct bench_link *link, enum bench_role role, unsigned int index,
			   struct bench_endpoint **epp)
{
	struct bench_endpoint *ep = malloc(sizeof(*ep));

	(void)index;
	if (!ep)
		return -1;
	ep->qid = link->qid;
	ep->send_type = role == BENCH_PRODUCER ? TYPE_REQUEST : TYPE_REPLY;
	ep->recv_type = role == BENCH_PRODUCER ? TYPE_REPLY : TYPE_REQUEST;
	*epp = ep;
	return 0;
}

static void sysv_msg_detach(struct bench_endpoint *ep)
{
	free(ep);
}

/* The struct msgbuf view of a harness buffer: mtype sits in the headroom. */
static void *msgbuf_of(const void *buf)
{
	return (char *)(uintptr_t)buf - sizeof(long);
}

static int sysv_msg_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	long *mtype = msgbuf_of(buf);

	*mtype = ep->send_type;
	while (msgsnd(ep->qid, mtype, len, 0)) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int sysv_msg_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	ssize_t n;

	do {
		n = msgrcv(ep->qid, msgbuf_of(buf), len, ep->recv_type, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		bench_fail("msgrcv() returned %zd bytes, expected %zu", n, len);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

const struct bench_mech bench_mech_sysv_msg = {
	.name = "sysv-msg",
	.title = "SysV msg",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.headroom = sizeof(long),
	.how = "one msgget() queue, mtype 1 requests / 2 replies, msg_qbytes for 4 messages, "
	       "msgsnd/msgrcv with mtype in the buffer's headroom",
	.textbook = { "Message queue", "small to medium messages", "no",
		      "structured messages between unrelated processes",
		      "medium" },
	.max_msg_size = sysv_msg_max_msg_size,
	.setup = sysv_msg_setup,
	.teardown = sysv_msg_teardown,
	.attach = sysv_msg_attach,
	.detach = sysv_msg_detach,
	.send = sysv_msg_send,
	.recv = sysv_msg_recv,
};
