// SPDX-License-Identifier: GPL-2.0
/*
 * A producer and a consumer in two processes, through a named kipc queue.
 *
 *   queue_producer_consumer [COUNT]
 *
 * The parent creates the queue "example-jobs", forks a consumer that opens it
 * by name read-only, sends COUNT jobs (every tenth one urgent, at a higher
 * priority) and a final "stop"; the consumer prints what it receives. The
 * queue is unlinked at the end, so the example leaves nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkipc.h>

#define QUEUE_NAME	"example-jobs"
#define PRIO_NORMAL	1
#define PRIO_URGENT	10

static int consumer(void)
{
	char msg[128];
	unsigned int prio;
	ssize_t len;
	int fd = kipc_queue_open(QUEUE_NAME, O_RDONLY, 0, NULL);

	if (fd < 0) {
		perror("consumer: kipc_queue_open");
		return 1;
	}
	for (;;) {
		len = kipc_receive(fd, msg, sizeof(msg) - 1, &prio);
		if (len < 0) {
			perror("consumer: kipc_receive");
			return 1;
		}
		msg[len] = 0;
		if (!strcmp(msg, "stop"))
			break;
		printf("consumer: got \"%s\" (priority %u)\n", msg, prio);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct kipc_queue_attr attr = { .maxmsg = 4, .msgsize = 128 };
	int count = argc > 1 ? atoi(argv[1]) : 12;
	char msg[128];
	int fd, status;
	pid_t pid;

	fd = kipc_queue_open(QUEUE_NAME, O_WRONLY | O_CREAT | O_EXCL, 0600, &attr);
	if (fd < 0) {
		perror("producer: kipc_queue_open");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		status = consumer();
		fflush(stdout);
		_exit(status);
	}

	for (int i = 1; i <= count; i++) {
		unsigned int prio = i % 10 ? PRIO_NORMAL : PRIO_URGENT;
		int len = snprintf(msg, sizeof(msg), "job %d%s", i,
				   prio == PRIO_URGENT ? " (urgent)" : "");

		/* blocks while the consumer is 4 jobs behind */
		if (kipc_send(fd, msg, len, prio) < 0) {
			perror("producer: kipc_send");
			return 1;
		}
	}
	/* lowest priority: everything queued before it is taken first */
	if (kipc_send(fd, "stop", 4, 0) < 0) {
		perror("producer: kipc_send");
		return 1;
	}
	waitpid(pid, &status, 0);
	close(fd);
	kipc_unlink(QUEUE_NAME);
	printf("producer: sent %d jobs; consumer exited %d\n", count,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
