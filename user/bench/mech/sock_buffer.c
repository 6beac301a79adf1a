// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: socket buffer sizes (see sock_buffer.h). */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>

#include "bench.h"
#include "sock_buffer.h"

/* Bytes the kernel charges per skb besides the data, generously. */
#define SKB_OVERHEAD	1024

static int raise_one(int fd, int opt, int force_opt, size_t want)
{
	int cur = 0, val;
	socklen_t len = sizeof(cur);

	if (want > INT_MAX / 2)
		want = INT_MAX / 2;
	/* getsockopt reports the doubled value the kernel keeps. */
	if (getsockopt(fd, SOL_SOCKET, opt, &cur, &len) == 0 && (size_t)cur >= want)
		return 0;
	/* setsockopt doubles what it is given. */
	val = (int)((want + 1) / 2);
	if (bench_may_raise_limits() && setsockopt(fd, SOL_SOCKET, force_opt, &val, sizeof(val)) == 0)
		return 0;
	return setsockopt(fd, SOL_SOCKET, opt, &val, sizeof(val));
}

int sock_buffer_fit(int fd, size_t msg_size, unsigned int messages)
{
	size_t want = (msg_size + SKB_OVERHEAD) * messages;

	if (raise_one(fd, SO_SNDBUF, SO_SNDBUFFORCE, want))
		return -1;
	return raise_one(fd, SO_RCVBUF, SO_RCVBUFFORCE, want);
}

size_t sock_max_datagram(void)
{
	static size_t max;
	int fd, sndbuf = 0;
	socklen_t len = sizeof(sndbuf);

	if (max)
		return max;
	/* Ask for far more than any message needs and see what the kernel grants. */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (sock_buffer_fit(fd, 64u << 20, 1) == 0 &&
	    getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) == 0 && sndbuf > 64 << 20)
		max = 0;	/* forced: as large as any message here */
	else
		/* af_unix refuses len > sk_sndbuf - 32. */
		max = sndbuf > 32 ? (size_t)sndbuf - 32 : 1;
	close(fd);
	return max == 0 ? (max = 64u << 20) : max;
}

size_t sock_max_msg_size(const struct bench_config *cfg)
{
	(void)cfg;
	return sock_max_datagram();
}
