/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: whole-message reads and writes over byte streams. */
#ifndef KIPC_BENCH_IO_FULL_H
#define KIPC_BENCH_IO_FULL_H

#include <stddef.h>

/*
 * Write or read exactly @len bytes, looping on partial transfers and EINTR.
 * Return 0, or -1 with errno set (EPIPE/ECONNRESET on a closed peer, and
 * ENODATA when a read meets end of file).
 */
int write_full(int fd, const void *buf, size_t len);
int read_full(int fd, void *buf, size_t len);

#endif
