// SPDX-License-Identifier: LGPL-2.1-or-later
/* libkipc: opening the device and asking for its version. */
#include <fcntl.h>
#include <sys/ioctl.h>

#include "libkipc.h"

int kipc_open_device(int flags)
{
	return open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC | flags);
}

int kipc_get_version(int fd, struct kipc_version *ver)
{
	return ioctl(fd, KIPC_IOC_VERSION, ver);
}
