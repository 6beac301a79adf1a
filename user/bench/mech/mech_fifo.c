// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: FIFO (named pipe). mkfifo() in a private temporary
 * directory, opened by path for reading and for writing as unrelated
 * processes would, then unlinked at once (an open FIFO works without its
 * name, and a crashed run leaves nothing behind). Same buffer sizing and
 * loops as the pipe.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "fd_endpoint.h"
#include "pipe_buffer.h"

/* Open FIFO @path for both ends without blocking, then make reads blocking. */
static int open_fifo(const char *path, int *rd, int *wr, size_t msg_size)
{
	if (mkfifo(path, 0600))
		return -1;
	*rd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (*rd < 0)
		goto fail;
	*wr = open(path, O_WRONLY | O_CLOEXEC);
	if (*wr < 0 || fcntl(*rd, F_SETFL, 0) || pipe_buffer_fit(*wr, msg_size))
		goto fail;
	return unlink(path);
fail:
	unlink(path);
	return -1;
}

static int fifo_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = fd_link_new();
	const char *tmp = getenv("TMPDIR");
	char dir[256], path[300];
	int rc = -1;

	if (!link)
		return -1;
	snprintf(dir, sizeof(dir), "%s/kipc-bench-fifo.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		goto out;
	snprintf(path, sizeof(path), "%s/requests", dir);
	if (open_fifo(path, &link->fds.consumer_in, &link->fds.producer_out, cfg->msg_size))
		goto out_dir;
	snprintf(path, sizeof(path), "%s/replies", dir);
	if (cfg->pattern == BENCH_ROUND_TRIP &&
	    open_fifo(path, &link->fds.producer_in, &link->fds.consumer_out, cfg->msg_size))
		goto out_dir;
	rc = 0;
out_dir:
	rmdir(dir);
out:
	if (rc) {
		fd_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

const struct bench_mech bench_mech_fifo = {
	.name = "fifo",
	.title = "FIFO",
	.kind = BENCH_KIND_STREAM,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "mkfifo() each way, opened by path, F_SETPIPE_SZ as the pipe, "
	       "read/write looping on partial transfers",
	.textbook = { "FIFO (named pipe)", "byte stream, moderate", "no",
		      "unrelated processes on one host, simple servers",
		      "fast" },
	.max_msg_size = pipe_max_msg_size,
	.setup = fifo_setup,
	.teardown = fd_teardown,
	.attach = fd_attach,
	.detach = fd_detach,
	.send = fd_stream_send,
	.recv = fd_stream_recv,
};
