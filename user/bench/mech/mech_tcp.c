// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: TCP over loopback. One connection to 127.0.0.1
 * carries both directions (replies carry the ACKs of requests), TCP_NODELAY
 * on both ends so small messages are not held back by Nagle, buffer sizes
 * left to the kernel's autotuning (setting SO_SNDBUF would switch it off),
 * read/write looping on partial transfers. One producer: a stream has no
 * message boundaries across writers.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "fd_endpoint.h"

static int no_delay(int fd)
{
	int one = 1;

	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* A connected pair over loopback: the listener goes away once accepted. */
static int tcp_pair(int *client, int *server)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int lfd, rc = -1;

	*client = *server = -1;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -1;
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len))
		goto out;
	*client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*client < 0 || connect(*client, (struct sockaddr *)&addr, sizeof(addr)))
		goto out;
	*server = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (*server < 0 || no_delay(*client) || no_delay(*server))
		goto out;
	rc = 0;
out:
	close(lfd);
	return rc;
}

static int tcp_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = fd_link_new();

	(void)cfg;
	if (!link)
		return -1;
	/* On failure tcp_pair() leaves what it opened for fd_teardown() to close. */
	if (tcp_pair(&link->fds.producer_in, &link->fds.consumer_in)) {
		fd_teardown(link);
		return -1;
	}
	link->fds.producer_out = link->fds.producer_in;
	link->fds.consumer_out = link->fds.consumer_in;
	*linkp = link;
	return 0;
}

const struct bench_mech bench_mech_tcp = {
	.name = "tcp",
	.title = "TCP loopback",
	.kind = BENCH_KIND_STREAM,
	.caps = BENCH_CAP_THREADS,
	.how = "one TCP connection over 127.0.0.1, TCP_NODELAY, autotuned buffers, "
	       "read/write looping on partial transfers",
	.textbook = { "TCP socket", "any, stream", "no",
		      "network services, also used locally",
		      "slowest" },
	.setup = tcp_setup,
	.teardown = fd_teardown,
	.attach = fd_attach,
	.detach = fd_detach,
	.send = fd_stream_send,
	.recv = fd_stream_recv,
};
