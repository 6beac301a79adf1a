/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: endpoints made of two file descriptors, one to read and one
 * to write, for every mechanism whose data path is read/write or send/recv
 * on an fd (pipes, FIFOs, sockets). setup() fills a struct fd_link in the
 * coordinator; every participant inherits the descriptors.
 */
#ifndef KIPC_BENCH_FD_ENDPOINT_H
#define KIPC_BENCH_FD_ENDPOINT_H

#include "bench.h"

struct fd_link {
	int producer_in, producer_out;	/* -1 when unused */
	int consumer_in, consumer_out;
};

/* The whole link of every fd mechanism. */
struct bench_link {
	struct fd_link fds;
};

/* All four set to -1. */
void fd_link_init(struct fd_link *l);
/* Close whatever is open, each descriptor once (a socket may fill two fields). */
void fd_link_close(struct fd_link *l);

/* A new link with every descriptor -1, NULL when out of memory. */
struct bench_link *fd_link_new(void);

/*
 * A link whose both ends are one socketpair() of @type, buffers raised for
 * four messages of cfg->msg_size (sock_buffer_fit), as setup() does.
 */
int fd_socketpair_setup(struct bench_link **link, int type, const struct bench_config *cfg);

/* The bench_mech operations, for mechanisms whose link is a struct fd_link. */
void fd_teardown(struct bench_link *link);
int fd_attach(struct bench_link *link, enum bench_role role, unsigned int index,
	      struct bench_endpoint **ep);
void fd_detach(struct bench_endpoint *ep);

/* Byte streams: whole messages by looping on partial reads and writes. */
int fd_stream_send(struct bench_endpoint *ep, const void *buf, size_t len);
int fd_stream_recv(struct bench_endpoint *ep, void *buf, size_t len);

/* Message sockets (datagram, seqpacket): one call per message, sizes checked. */
int fd_message_send(struct bench_endpoint *ep, const void *buf, size_t len);
int fd_message_recv(struct bench_endpoint *ep, void *buf, size_t len);

#endif
