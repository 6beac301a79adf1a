// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: endpoints made of two file descriptors (see fd_endpoint.h). */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fd_endpoint.h"
#include "io_full.h"
#include "sock_buffer.h"

struct bench_endpoint {
	int in, out;
};

void fd_link_init(struct fd_link *l)
{
	l->producer_in = l->producer_out = l->consumer_in = l->consumer_out = -1;
}

void fd_link_close(struct fd_link *l)
{
	int *fds[] = { &l->producer_in, &l->producer_out, &l->consumer_in, &l->consumer_out };
	unsigned int i, j;

	/* A socket serves both directions: close each descriptor once. */
	for (i = 0; i < 4; i++) {
		int fd = *fds[i];

		if (fd < 0)
			continue;
		for (j = i; j < 4; j++)
			if (*fds[j] == fd)
				*fds[j] = -1;
		close(fd);
	}
}

struct bench_link *fd_link_new(void)
{
	struct bench_link *link = malloc(sizeof(*link));

	if (link)
		fd_link_init(&link->fds);
	return link;
}

void fd_teardown(struct bench_link *link)
{
	fd_link_close(&link->fds);
	free(link);
}

int fd_socketpair_setup(struct bench_link **linkp, int type, const struct bench_config *cfg)
{
	struct bench_link *link = fd_link_new();
	int sv[2];

	if (!link)
		return -1;
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv))
		goto fail;
	link->fds.producer_in = link->fds.producer_out = sv[0];
	link->fds.consumer_in = link->fds.consumer_out = sv[1];
	if (sock_buffer_fit(sv[0], cfg->msg_size, 4) || sock_buffer_fit(sv[1], cfg->msg_size, 4))
		goto fail;
	*linkp = link;
	return 0;
fail:
	fd_teardown(link);
	return -1;
}

int fd_attach(struct bench_link *link, enum bench_role role, unsigned int index,
	      struct bench_endpoint **epp)
{
	const struct fd_link *l = &link->fds;
	struct bench_endpoint *ep = malloc(sizeof(*ep));

	(void)index;
	if (!ep)
		return -1;
	ep->in = role == BENCH_PRODUCER ? l->producer_in : l->consumer_in;
	ep->out = role == BENCH_PRODUCER ? l->producer_out : l->consumer_out;
	*epp = ep;
	return 0;
}

void fd_detach(struct bench_endpoint *ep)
{
	free(ep);
}

int fd_stream_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	return write_full(ep->out, buf, len);
}

int fd_stream_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	return read_full(ep->in, buf, len);
}

int fd_message_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	ssize_t n;

	do {
		n = send(ep->out, buf, len, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		bench_fail("send() took %zd of %zu bytes of one message", n, len);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

int fd_message_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	ssize_t n;

	/* MSG_TRUNC: the real length of a longer message, so it cannot hide. */
	do {
		n = recv(ep->in, buf, len, MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		bench_fail("recv() returned a %zd-byte message, expected %zu", n, len);
		errno = EPROTO;
		return -1;
	}
	return 0;
}
