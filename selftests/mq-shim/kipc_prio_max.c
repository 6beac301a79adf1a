// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_prio_max: print how many message priorities the loaded kipc module
 * takes, found by trying: a send of priority 127 (the highest stress-ng
 * uses) on an anonymous queue. Modules before ABI 4 refuse priorities
 * over 31 with EINVAL (linux/kipc.h); so the shell test knows what to
 * expect of stress-ng whichever module it runs on, ABI bumped or not.
 * Prints 32 or 32768; exits 1 when kipc cannot be used at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kipc.h>

int main(void)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo), .flags = KIPC_OPEN_ANON, .mode = 0600,
		.maxmsg = 1, .msgsize = 8,
	};
	char byte = 0;
	struct kipc_msg m = {
		.size = sizeof(m), .flags = KIPC_MSG_NONBLOCK,
		.buf = (uintptr_t)&byte, .len = 1, .prio = 127,
	};
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo)) {
		perror(KIPC_DEVICE_PATH);
		return 1;
	}
	if (!ioctl(fd, KIPC_IOC_SEND, &m))
		printf("%d\n", KIPC_PRIO_MAX);
	else if (errno == EINVAL)
		printf("%d\n", KIPC_PRIO_MAX_V3);
	else {
		perror("KIPC_IOC_SEND");
		return 1;
	}
	close(fd);
	return 0;
}
