// SPDX-License-Identifier: GPL-2.0
/*
 * Holds an anonymous queue open for kipc_kipcctl_test.sh, which needs an
 * object without a name to show by id and to see "rm" refuse. It prints
 * "ready" once the queue exists and keeps it until it is killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "libkipc.h"

int main(void)
{
	int fd = kipc_queue_anon(O_RDWR, NULL);

	if (fd < 0) {
		perror("kipc_queue_anon");
		return 1;
	}
	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}
