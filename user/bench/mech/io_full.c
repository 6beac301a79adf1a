// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: whole-message reads and writes over byte streams. */
#include <errno.h>
#include <unistd.h>

#include "io_full.h"

int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = ENODATA;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
