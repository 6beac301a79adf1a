// SPDX-License-Identifier: LGPL-2.1-or-later
/* libkipc: queue notifications (mq_notify(3)) and notification channels. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>

#include "libkipc.h"
#include "kipc_internal.h"

int kipc_channel_open(int oflag)
{
	struct kipc_channel_open co = { .size = sizeof(co) };

	/* A channel is only read: O_NONBLOCK is all that applies to it. */
	if (oflag & ~(O_NONBLOCK | O_CLOEXEC)) {
		errno = EINVAL;
		return -1;
	}
	return kipc_open_object(O_RDONLY | (oflag & O_NONBLOCK),
				KIPC_IOC_CHANNEL_OPEN, &co);
}

int kipc_notify(int fd, unsigned int how, int channel_fd, uint64_t cookie)
{
	struct kipc_notify n = {
		.size = sizeof(n),
		.how = how,
		.channel_fd = channel_fd,
		.cookie = cookie,
	};

	return ioctl(fd, KIPC_IOC_NOTIFY, &n);
}
