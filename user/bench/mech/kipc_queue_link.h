/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the parts the kipc queue mechanisms share. Two anonymous
 * queues, requests and replies (one-way uses only requests), created in
 * setup() and inherited by every participant.
 */
#ifndef KIPC_BENCH_KIPC_QUEUE_LINK_H
#define KIPC_BENCH_KIPC_QUEUE_LINK_H

#include "bench.h"

struct bench_link {
	int requests, replies;
};

struct bench_endpoint {
	int in, out;
};

const char *kipc_queue_unavailable(void);
size_t kipc_queue_max_msg_size(const struct bench_config *cfg);
int kipc_queue_setup(struct bench_link **link, const struct bench_config *cfg);
/* As kipc_queue_setup(), the requests queue with KIPC_QUEUE_TRACK. */
int kipc_queue_setup_track(struct bench_link **link, const struct bench_config *cfg);
void kipc_queue_teardown(struct bench_link *link);
int kipc_queue_attach(struct bench_link *link, enum bench_role role, unsigned int index,
		      struct bench_endpoint **ep);
void kipc_queue_detach(struct bench_endpoint *ep);
int kipc_queue_send(struct bench_endpoint *ep, const void *buf, size_t len);
int kipc_queue_recv(struct bench_endpoint *ep, void *buf, size_t len);
/* kipc-queue-creds: queues made with KIPC_QUEUE_CREDS, received with RECVMSG. */
int kipc_queue_creds_setup(struct bench_link **link, const struct bench_config *cfg);
int kipc_queue_creds_recv(struct bench_endpoint *ep, void *buf, size_t len);
/* kipc-queue-recvmsg: plain queues received with RECVMSG, to tell the two apart. */
int kipc_queue_recvmsg_recv(struct bench_endpoint *ep, void *buf, size_t len);

/* What the textbook table says of every kipc queue mechanism but the speed. */
#define KIPC_QUEUE_TEXTBOOK(speed)						\
	{ "kipc queue", "small to large messages", "no",			\
	  "local message bus with epoll, priorities, timeouts, batches", speed }

/* The struct bench_mech operations every kipc queue mechanism shares. */
#define KIPC_QUEUE_OPS	KIPC_QUEUE_OPS_SETUP(kipc_queue_setup)

/* The same with another setup(): queues with options. */
#define KIPC_QUEUE_OPS_SETUP(setup_fn)				\
	.unavailable = kipc_queue_unavailable,			\
	.max_msg_size = kipc_queue_max_msg_size,		\
	.setup = setup_fn,					\
	.teardown = kipc_queue_teardown,			\
	.attach = kipc_queue_attach,				\
	.detach = kipc_queue_detach,				\
	.send = kipc_queue_send,				\
	.recv = kipc_queue_recv

#endif
