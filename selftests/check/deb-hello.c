// SPDX-License-Identifier: GPL-2.0
/*
 * deb.sh's program, built against the installed libkipc-dev: without the
 * module (the host) opening /dev/kipc fails with ENOENT, with it (the test
 * VM) it prints the module's version, which deb.sh looks for.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libkipc.h>

int main(void)
{
	struct kipc_version v;
	int fd;

	fd = kipc_open_device(0);
	if (fd < 0) {
		printf("kipc_open_device: %s\n", strerror(errno));
		return errno == ENOENT ? 0 : 1;
	}
	if (kipc_get_version(fd, &v) < 0) {
		perror("kipc_get_version");
		return 1;
	}
	printf("kipc %u.%u.%u ABI %u\n", v.major, v.minor, v.patch, v.abi);
	close(fd);
	return 0;
}
