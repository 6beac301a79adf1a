// SPDX-License-Identifier: 0BSD
/*
 * An event loop over several queues with epoll.
 *
 *   epoll_loop [QUEUES [MESSAGES]]
 *
 * The parent creates QUEUES anonymous queues (shared with the children by
 * fork), forks one sender per queue and waits on all of them in one
 * epoll_wait(). A kipc queue is a descriptor like a socket: epoll reports
 * EPOLLIN while it holds a message. The loop drains a ready queue with
 * kipc_receive_batch(..., KIPC_MSG_NONBLOCK) until EAGAIN, as edge-triggered
 * epoll wants; the flag makes that one call non-blocking, so the senders,
 * which share the descriptors, still block while a queue is full. Each
 * sender ends with "done"; the loop stops when every queue said so. SysV
 * msg queues have no descriptor to wait on; POSIX mq descriptors can be
 * polled on Linux, one message per system call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkipc.h>

#define MAXQ	16
#define MSGSIZE	32
#define BATCH	16

static int sender(int fd, int q, int count)
{
	char msg[MSGSIZE];

	for (int i = 0; i < count; i++) {
		int len = snprintf(msg, sizeof(msg), "queue %d msg %d", q, i);

		if (kipc_send(fd, msg, len, 1) < 0) {	/* blocks while full */
			perror("sender: kipc_send");
			return 1;
		}
	}
	/* lowest priority: received after everything sent before it */
	if (kipc_send(fd, "done", 4, 0) < 0) {
		perror("sender: kipc_send");
		return 1;
	}
	return 0;
}

/* Drain queue @q; return 1 once its "done" arrived. */
static int drain(int fd, int q, long *got)
{
	struct kipc_mvec vec[BATCH];
	char bufs[BATCH][MSGSIZE];
	int n, done = 0;

	for (;;) {
		for (int i = 0; i < BATCH; i++)
			vec[i] = (struct kipc_mvec){ .buf = (__u64)(unsigned long)bufs[i],
						     .len = MSGSIZE };
		n = kipc_receive_batch(fd, vec, BATCH, KIPC_MSG_NONBLOCK);
		if (n < 0)
			return errno == EAGAIN ? done : -1;
		for (int i = 0; i < n; i++) {
			if (vec[i].len == 4 && !memcmp(bufs[i], "done", 4))
				done = 1;
			else
				got[q]++;
		}
	}
}

int main(int argc, char **argv)
{
	struct kipc_queue_attr attr = { .maxmsg = 8, .msgsize = MSGSIZE };
	int nq = argc > 1 ? atoi(argv[1]) : 3;
	int count = argc > 2 ? atoi(argv[2]) : 1000;
	struct epoll_event ev, events[MAXQ];
	int fds[MAXQ], ep, open_queues, status, failed = 0;
	long got[MAXQ] = { 0 };

	if (nq < 1 || nq > MAXQ || count < 0) {
		fprintf(stderr, "usage: epoll_loop [QUEUES (1-%d) [MESSAGES]]\n", MAXQ);
		return 2;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		perror("epoll_create1");
		return 1;
	}
	for (int q = 0; q < nq; q++) {
		fds[q] = kipc_queue_anon(O_RDWR, &attr);
		if (fds[q] < 0) {
			perror("kipc_queue_anon");
			return 1;
		}
		ev = (struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u32 = q };
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[q], &ev) < 0) {
			perror("epoll_ctl");
			return 1;
		}
		if (fork() == 0)
			_exit(sender(fds[q], q, count));
	}

	for (open_queues = nq; open_queues > 0;) {
		int n = epoll_wait(ep, events, MAXQ, 10000);

		if (n <= 0) {
			fprintf(stderr, "epoll_wait: %s\n", n ? strerror(errno) : "timed out");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int q = events[i].data.u32, r = drain(fds[q], q, got);

			if (r < 0) {
				perror("kipc_receive_batch");
				return 1;
			}
			if (r) {
				epoll_ctl(ep, EPOLL_CTL_DEL, fds[q], NULL);
				open_queues--;
			}
		}
	}
	while (wait(&status) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	for (int q = 0; q < nq; q++) {
		printf("queue %d: %ld messages\n", q, got[q]);
		failed += got[q] != count;
		close(fds[q]);
	}
	printf("epoll_loop: %d queues, %d messages each, %d failed\n", nq, count, failed);
	return failed != 0;
}
