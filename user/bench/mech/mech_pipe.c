// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: anonymous pipe. One pipe each way; read/write loop
 * on partial transfers; the buffer sized with F_SETPIPE_SZ for the message
 * size. Several producers share the write end (messages up to PIPE_BUF).
 */
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"
#include "fd_endpoint.h"
#include "pipe_buffer.h"

static int make_pipe(int *rd, int *wr, size_t msg_size)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	*rd = p[0];
	*wr = p[1];
	return pipe_buffer_fit(p[1], msg_size);
}

static int pipe_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = fd_link_new();

	if (!link)
		return -1;
	if (make_pipe(&link->fds.consumer_in, &link->fds.producer_out, cfg->msg_size) ||
	    (cfg->pattern == BENCH_ROUND_TRIP &&
	     make_pipe(&link->fds.producer_in, &link->fds.consumer_out, cfg->msg_size))) {
		fd_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

const struct bench_mech bench_mech_pipe = {
	.name = "pipe",
	.title = "pipe",
	.kind = BENCH_KIND_STREAM,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "pipe2() each way, F_SETPIPE_SZ to 4 messages (64 KiB..pipe-max-size), "
	       "read/write looping on partial transfers",
	.textbook = { "Pipe", "byte stream, moderate", "yes",
		      "parent-child data flow, shell pipelines", "fast" },
	.max_msg_size = pipe_max_msg_size,
	.setup = pipe_setup,
	.teardown = fd_teardown,
	.attach = fd_attach,
	.detach = fd_detach,
	.send = fd_stream_send,
	.recv = fd_stream_recv,
};
