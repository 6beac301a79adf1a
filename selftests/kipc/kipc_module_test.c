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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"

static const char *module_path(void)
{
	const char *path = getenv("KIPC_MODULE");

	return path ? path : "/lib/modules/kipc.ko";
}

static int load_module(void)
{
	int fd = open(module_path(), O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

static int unload_module(void)
{
	return syscall(SYS_delete_module, "kipc", O_NONBLOCK);
}

static int module_loaded(void)
{
	return access("/sys/module/kipc", F_OK) == 0;
}

TEST(unload_refused_while_a_file_is_open)
{
	int fd;

	ASSERT_TRUE(module_loaded());
	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);

	/*
	 * The module loader answers EWOULDBLOCK (== EAGAIN), not EBUSY, for a
	 * module whose reference count is held (kernel/module/main.c,
	 * try_stop_module); busybox rmmod prints it as "Resource temporarily
	 * unavailable".
	 */
	EXPECT_EQ(-1, unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_TRUE(module_loaded());

	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(0, unload_module());
	EXPECT_FALSE(module_loaded());
	EXPECT_EQ(-1, access(KIPC_DEVICE_PATH, F_OK));
	ASSERT_EQ(0, load_module());
}

TEST(unload_refused_while_a_queue_is_bound)
{
	struct kipc_queue_open qo = { .size = sizeof(qo), .flags = KIPC_OPEN_ANON };
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
	ASSERT_EQ(2, write(fd, "hi", 2));
	EXPECT_EQ(-1, unload_module());
	EXPECT_EQ(EWOULDBLOCK, errno);
	ASSERT_EQ(0, close(fd));
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
	ASSERT_EQ(0, unload_module());
	ASSERT_EQ(0, load_module());
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
		ASSERT_EQ(0, unload_module()) TH_LOG("unload %d: %s", i, strerror(errno));
		ASSERT_FALSE(module_loaded());
		ASSERT_EQ(0, load_module()) TH_LOG("load %d: %s", i, strerror(errno));
		ASSERT_EQ(0, stat(KIPC_DEVICE_PATH, &st));
		fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, close(fd));
	}
}

TEST(second_load_is_eexist)
{
	ASSERT_TRUE(module_loaded());
	EXPECT_EQ(-1, load_module());
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
