// SPDX-License-Identifier: GPL-2.0
/*
 * mqfs_watch DIR: print the name of every file created in DIR (an mqueue
 * file system) until killed, one a line, flushed at once. The VM's busybox
 * has no inotifyd, and a real POSIX queue of mq_open_tests lives for
 * microseconds: only a watch sees it. "ready" comes first, once the watch
 * is in place; "unavailable" instead on a kernel without inotify.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0 && errno == ENOSYS) {
		/*
		 * A kernel without CONFIG_INOTIFY_USER (the debug kernel's
		 * tinyconfig): say so and stay, so the caller can tell this
		 * from a watch that died, and fall back to the listing.
		 */
		setvbuf(stdout, NULL, _IOLBF, 0);
		printf("unavailable\n");
		for (;;)
			pause();
	}
	if (fd < 0 || inotify_add_watch(fd, argv[1], IN_CREATE) < 0) {
		perror(argv[1]);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		char *p = buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("read");
			return 1;
		}
		while (p < buf + n) {
			struct inotify_event *ev = (struct inotify_event *)p;

			if (ev->mask & IN_Q_OVERFLOW)
				printf("overflow\n");
			else if (ev->len)
				printf("created %s\n", ev->name);
			p += sizeof(*ev) + ev->len;
		}
	}
}
