// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_abi: print the ABI revision of the loaded kipc module
 * (KIPC_IOC_VERSION), so that the shell test knows what the module takes:
 * before ABI 4, message priorities 0 .. 31 only (linux/kipc.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kipc.h>

int main(void)
{
	struct kipc_version v;
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, KIPC_IOC_VERSION, &v)) {
		perror(KIPC_DEVICE_PATH);
		return 1;
	}
	printf("%u\n", v.abi);
	close(fd);
	return 0;
}
