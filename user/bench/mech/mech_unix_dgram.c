// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: UNIX datagram socket. One socketpair(SOCK_DGRAM)
 * carries both directions, one send()/recv() per message (the kernel keeps
 * the boundaries); buffers raised to hold four messages (SO_SNDBUFFORCE as
 * root, so messages up to 1 MiB fit). Several producers share the sending
 * end.
 */
#include <sys/socket.h>

#include "bench.h"
#include "fd_endpoint.h"
#include "sock_buffer.h"

static int unix_dgram_setup(struct bench_link **link, const struct bench_config *cfg)
{
	return fd_socketpair_setup(link, SOCK_DGRAM, cfg);
}

const struct bench_mech bench_mech_unix_dgram = {
	.name = "unix-dgram",
	.title = "UNIX datagram",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "socketpair(AF_UNIX, SOCK_DGRAM), SO_SNDBUF/SO_RCVBUF for 4 messages, "
	       "one send()/recv() per message",
	.textbook = { "UNIX domain socket", "any, stream or messages", "no",
		      "local client/server (X11, D-Bus, databases)",
		      "medium" },
	.max_msg_size = sock_max_msg_size,
	.setup = unix_dgram_setup,
	.teardown = fd_teardown,
	.attach = fd_attach,
	.detach = fd_detach,
	.send = fd_message_send,
	.recv = fd_message_recv,
};
