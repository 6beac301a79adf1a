// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: UNIX stream socket. One socketpair() carries both
 * directions; buffers raised to hold four messages; read/write loop on
 * partial transfers. A stream has no message boundaries across writers, so
 * one producer only.
 */
#include <sys/socket.h>

#include "bench.h"
#include "fd_endpoint.h"

static int unix_stream_setup(struct bench_link **link, const struct bench_config *cfg)
{
	return fd_socketpair_setup(link, SOCK_STREAM, cfg);
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
	.teardown = fd_teardown,
	.attach = fd_attach,
	.detach = fd_detach,
	.send = fd_stream_send,
	.recv = fd_stream_recv,
};
