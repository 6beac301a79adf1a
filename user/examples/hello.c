// SPDX-License-Identifier: 0BSD
/* Open a queue, send a message, receive it: the README's first program. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <libkipc.h>

int main(void)
{
	struct kipc_queue_attr attr = { .maxmsg = 8, .msgsize = 64 };
	char buf[64];
	unsigned int prio;
	ssize_t len;
	int fd;

	/* a name has no leading '/'; O_CLOEXEC is implied */
	fd = kipc_queue_open("hello", O_RDWR | O_CREAT, 0600, &attr);
	if (fd < 0 || kipc_send(fd, "hello, kipc", 11, 5) < 0) {
		perror("kipc");
		return 1;
	}
	len = kipc_receive(fd, buf, sizeof(buf), &prio);
	if (len < 0) {
		perror("kipc_receive");
		return 1;
	}
	printf("received \"%.*s\" at priority %u\n", (int)len, buf, prio);
	close(fd);
	kipc_unlink("hello");	/* the queue lives until its last close */
	return 0;
}
