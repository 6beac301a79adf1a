// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: sizing a pipe's buffer (see pipe_buffer.h). */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>

#include "pipe_buffer.h"

#define PIPE_DEFAULT_BYTES	(64 * 1024)

static size_t pipe_max_bytes(void)
{
	FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");
	unsigned long v = 1024 * 1024;

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 1024 * 1024;
		fclose(f);
	}
	return v;
}

int pipe_buffer_fit(int fd, size_t msg_size)
{
	size_t want = 4 * msg_size, max = pipe_max_bytes();

	if (want < PIPE_DEFAULT_BYTES)
		want = PIPE_DEFAULT_BYTES;
	if (want > max)
		want = max;
	return fcntl(fd, F_SETPIPE_SZ, (int)want) < 0 ? -1 : 0;
}

size_t pipe_max_msg_size(const struct bench_config *cfg)
{
	return cfg->producers > 1 ? PIPE_BUF : 0;
}
