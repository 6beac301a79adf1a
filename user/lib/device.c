// SPDX-License-Identifier: LGPL-2.1-or-later
/* libkipc: opening the device and asking for its version. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libkipc.h"
#include "kipc_internal.h"

int kipc_open_device(int flags)
{
	return open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC | flags);
}

int kipc_get_version(int fd, struct kipc_version *ver)
{
	return ioctl(fd, KIPC_IOC_VERSION, ver);
}

int kipc_name_copy(char *dst, const char *name)
{
	size_t len;

	if (!name)
		return 0;
	len = strnlen(name, KIPC_NAME_MAX);
	if (len == KIPC_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dst, name, len);
	return 0;
}

unsigned int kipc_open_flags(int oflag)
{
	unsigned int kflags = 0;

	if (oflag & O_CREAT)
		kflags |= KIPC_OPEN_CREATE;
	if (oflag & O_EXCL)
		kflags |= KIPC_OPEN_EXCL;
	return kflags;
}

int kipc_open_object(int oflag, unsigned long cmd, void *arg)
{
	int fd, saved;

	fd = open(KIPC_DEVICE_PATH, (oflag & (O_ACCMODE | O_NONBLOCK)) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, cmd, arg) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
