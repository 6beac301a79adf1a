// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: UNIX stream socket. One socketpair() carries both
 * directions; buffers raised to hold four messages; read/write loop on
 * partial transfers. A stream has no message boundaries across writers, so
 * one producer only.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "bench.h"
#include "fd_endpoint.h"
#include "sock_buffer.h"

struct bench_link {
	struct fd_link fds;
};

static void unix_stream_teardown(struct bench_link *link)
{
	fd_link_close(&link->fds);
	free(link);
}

static int unix_stream_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = malloc(sizeof(*link));
	int sv[2];

	if (!link)
		return -1;
	fd_link_init(&link->fds);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		goto fail;
	link->fds.producer_in = link->fds.producer_out = sv[0];
	link->fds.consumer_in = link->fds.consumer_out = sv[1];
	if (sock_buffer_fit(sv[0], cfg->msg_size, 4) || sock_buffer_fit(sv[1], cfg->msg_size, 4))
		goto fail;
	*linkp = link;
	return 0;
fail:
	unix_stream_teardown(link);
	return -1;
}

static int unix_stream_attach(struct bench_link *link, enum bench_role role, unsigned int index,
			      struct bench_endpoint **ep)
{
	(void)index;
	return fd_attach(&link->fds, role, ep);
}

const struct bench_mech bench_mech_unix_stream = {
	.name = "unix-stream",
	.title = "UNIX stream",
	.kind = BENCH_KIND_STREAM,
	.caps = BENCH_CAP_THREADS,
	.how = "socketpair(AF_UNIX, SOCK_STREAM), SO_SNDBUF/SO_RCVBUF for 4 messages, "
	       "read/write looping on partial transfers",
	.textbook = { "UNIX domain socket", "any, stream or messages", "no",
		      "local client/server (X11, D-Bus, databases)",
		      "medium" },
	.setup = unix_stream_setup,
	.teardown = unix_stream_teardown,
	.attach = unix_stream_attach,
	.detach = fd_detach,
	.send = fd_stream_send,
	.recv = fd_stream_recv,
};
