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

/* All four set to -1. */
void fd_link_init(struct fd_link *l);
/* Close whatever is open, each descriptor once (a socket may fill two fields). */
void fd_link_close(struct fd_link *l);

int fd_attach(const struct fd_link *l, enum bench_role role, struct bench_endpoint **ep);
void fd_detach(struct bench_endpoint *ep);

/* Byte streams: whole messages by looping on partial reads and writes. */
int fd_stream_send(struct bench_endpoint *ep, const void *buf, size_t len);
int fd_stream_recv(struct bench_endpoint *ep, void *buf, size_t len);

/* Message sockets (datagram, seqpacket): one call per message, sizes checked. */
int fd_message_send(struct bench_endpoint *ep, const void *buf, size_t len);
int fd_message_recv(struct bench_endpoint *ep, void *buf, size_t len);

#endif
