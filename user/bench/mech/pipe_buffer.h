/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: sizing a pipe's buffer for the messages it will carry. */
#ifndef KIPC_BENCH_PIPE_BUFFER_H
#define KIPC_BENCH_PIPE_BUFFER_H

#include <stddef.h>

#include "bench.h"

/*
 * Give pipe @fd room for four messages of @msg_size, between the default
 * 64 KiB and /proc/sys/fs/pipe-max-size (1 MiB by default), as a tuned
 * program does with F_SETPIPE_SZ. Return 0, or -1 with errno set.
 */
int pipe_buffer_fit(int fd, size_t msg_size);

/* Several writers keep their messages whole only up to PIPE_BUF bytes. */
size_t pipe_max_msg_size(const struct bench_config *cfg);

#endif
