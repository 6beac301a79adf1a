// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: UNIX datagram socket. One socketpair(SOCK_DGRAM)
 * carries both directions, one send()/recv() per message (the kernel keeps
 * the boundaries); buffers raised to hold four messages (SO_SNDBUFFORCE as
 * root, so messages up to 1 MiB fit). Several producers share the sending
 * end.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "bench.h"
#include "fd_endpoint.h"
#include "sock_buffer.h"

struct bench_link {
	struct fd_link fds;
};

static void unix_dgram_teardown(struct bench_link *link)
{
	fd_link_close(&link->fds);
	free(link);
}

static int unix_dgram_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = malloc(sizeof(*link));
	int sv[2];

	if (!link)
		return -1;
	fd_link_init(&link->fds);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
		goto fail;
	link->fds.producer_in = link->fds.producer_out = sv[0];
	link->fds.consumer_in = link->fds.consumer_out = sv[1];
	if (sock_buffer_fit(sv[0], cfg->msg_size, 4) || sock_buffer_fit(sv[1], cfg->msg_size, 4))
		goto fail;
	*linkp = link;
	return 0;
fail:
	unix_dgram_teardown(link);
	return -1;
}

static size_t unix_dgram_max_msg_size(const struct bench_config *cfg)
{
	(void)cfg;
	return sock_max_datagram();
}

static int unix_dgram_attach(struct bench_link *link, enum bench_role role,
			     unsigned int index, struct bench_endpoint **ep)
{
	(void)index;
	return fd_attach(&link->fds, role, ep);
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
	.max_msg_size = unix_dgram_max_msg_size,
	.setup = unix_dgram_setup,
	.teardown = unix_dgram_teardown,
	.attach = unix_dgram_attach,
	.detach = fd_detach,
	.send = fd_message_send,
	.recv = fd_message_recv,
};
