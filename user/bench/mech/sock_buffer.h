/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: socket buffer sizes that fit the messages a socket carries. */
#ifndef KIPC_BENCH_SOCK_BUFFER_H
#define KIPC_BENCH_SOCK_BUFFER_H

#include <stddef.h>

/*
 * Raise SO_SNDBUF and SO_RCVBUF of @fd so that @messages messages of
 * @msg_size bytes fit, never lowering the default. When kipc-bench may raise
 * limits (root), SO_*BUFFORCE goes past net.core.{w,r}mem_max.
 */
int sock_buffer_fit(int fd, size_t msg_size, unsigned int messages);

/*
 * The largest datagram a UNIX datagram or seqpacket socket can send here:
 * af_unix refuses a message longer than the send buffer less 32 bytes, and
 * the send buffer stops at net.core.wmem_max unless SO_SNDBUFFORCE works.
 */
size_t sock_max_datagram(void);
/* The same, as a bench_mech max_msg_size(). */
struct bench_config;
size_t sock_max_msg_size(const struct bench_config *cfg);

#endif
