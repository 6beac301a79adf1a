// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifetime: an open file pins kipc.ko; load and unload repeat cleanly.
 *
 * Runs in the test VM, where /init has loaded the module from $KIPC_MODULE.
 * Each test leaves the module loaded, as it found it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

TEST(unload_refused_while_a_file_is_open)
{
	int fd;

	ASSERT_TRUE(kt_module_loaded());
	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);

	/*
	 * The module loader answers EWOULDBLOCK (== EAGAIN), not EBUSY, for a
	 * module whose reference count is held (kernel/module/main.c,
	 * try_stop_module); busybox rmmod prints it as "Resource temporarily
	 * unavailable".
	 */
	EXPECT_EQ(-1, kt_unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_TRUE(kt_module_loaded());

	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(0, kt_unload_module());
	EXPECT_FALSE(kt_module_loaded());
	EXPECT_EQ(-1, access(KIPC_DEVICE_PATH, F_OK));
	ASSERT_EQ(0, kt_load_module());
}

TEST(unload_refused_while_a_queue_is_bound)
{
	struct kipc_queue_open qo = { .size = sizeof(qo), .flags = KIPC_OPEN_ANON };
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
	ASSERT_EQ(2, write(fd, "hi", 2));
	EXPECT_EQ(-1, kt_unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	ASSERT_EQ(0, close(fd));
}

TEST(unload_refused_while_a_buffer_is_mapped)
{
	struct kipc_shbuf_open so = {
		.size = sizeof(so),
		.flags = KIPC_OPEN_ANON,
		.mode = 0600,
		.nsems = 1,
		.bufsize = 4096,
	};
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	long psz = sysconf(_SC_PAGESIZE);
	char *p;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_SHBUF_OPEN, &so));
	p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	/* no descriptor left: the mapping alone pins the module */
	ASSERT_EQ(0, close(fd));
	p[psz] = 'm';
	EXPECT_EQ(-1, kt_unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_TRUE(kt_module_loaded());
	EXPECT_EQ('m', p[psz]);
	/* a partial unmap leaves a mapping: still pinned */
	ASSERT_EQ(0, munmap(p, psz));
	EXPECT_EQ(-1, kt_unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	ASSERT_EQ(0, munmap(p + psz, psz));
	EXPECT_EQ(0, kt_unload_module());
	EXPECT_FALSE(kt_module_loaded());
	ASSERT_EQ(0, kt_load_module());
}

TEST(unload_refused_while_a_forked_child_maps_a_buffer)
{
	struct kipc_shbuf_open so = {
		.size = sizeof(so),
		.flags = KIPC_OPEN_ANON,
		.mode = 0600,
		.bufsize = 4096,
	};
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	int pfd[2], status;
	char *p, c;
	pid_t pid;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_SHBUF_OPEN, &so));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 'p';
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(fd);
		close(pfd[1]);
		/* holds only its inherited mapping until the parent says so */
		_exit(read(pfd[0], &c, 1) == 0 && p[0] == 'p' ? 0 : 1);
	}
	close(pfd[0]);
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, munmap(p, 4096));
	EXPECT_EQ(-1, kt_unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	close(pfd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, kt_unload_module());
	ASSERT_EQ(0, kt_load_module());
}

TEST(unload_frees_named_queues_left_behind)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = KIPC_OPEN_CREATE,
		.mode = 0600,
		.name = "left-behind",
	};
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
	ASSERT_EQ(5, write(fd, "stays", 5));
	ASSERT_EQ(0, close(fd));
	/* no file is open: the name alone does not pin the module */
	ASSERT_EQ(0, kt_unload_module());
	ASSERT_EQ(0, kt_load_module());
	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	qo.flags = 0;
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
	EXPECT_EQ(ENOENT, errno);
	close(fd);
}

TEST(load_unload_twenty_times)
{
	struct stat st;
	int i, fd;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, kt_unload_module()) TH_LOG("unload %d: %s", i, strerror(errno));
		ASSERT_FALSE(kt_module_loaded());
		ASSERT_EQ(0, kt_load_module()) TH_LOG("load %d: %s", i, strerror(errno));
		ASSERT_EQ(0, stat(KIPC_DEVICE_PATH, &st));
		fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, close(fd));
	}
}

TEST(second_load_is_eexist)
{
	ASSERT_TRUE(kt_module_loaded());
	EXPECT_EQ(-1, kt_load_module());
	EXPECT_EQ(EEXIST, errno);
}

TEST(version_in_sysfs_matches_header)
{
	char buf[64] = "", want[64];
	int fd, n;

	snprintf(want, sizeof(want), "%d.%d.%d\n", KIPC_VERSION_MAJOR,
		 KIPC_VERSION_MINOR, KIPC_VERSION_PATCH);
	fd = open("/sys/module/kipc/version", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	close(fd);
	EXPECT_STREQ(want, buf);
}

TEST_HARNESS_MAIN
