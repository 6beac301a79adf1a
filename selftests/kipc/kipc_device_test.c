// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/kipc character device: node, open/close, version, unknown ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"

TEST(node_is_a_char_device_with_mode_0666)
{
	struct stat st;

	ASSERT_EQ(0, stat(KIPC_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 07777);
	/* misc devices share major 10 and take a dynamic minor */
	EXPECT_EQ(10, major(st.st_rdev));
}

TEST(open_and_close_read_write)
{
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, close(fd));
}

TEST(open_read_only_and_write_only)
{
	int rfd = open(KIPC_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	int wfd = open(KIPC_DEVICE_PATH, O_WRONLY | O_CLOEXEC);

	ASSERT_LE(0, rfd);
	ASSERT_LE(0, wfd);
	EXPECT_EQ(0, close(rfd));
	EXPECT_EQ(0, close(wfd));
}

TEST(many_files_open_at_once)
{
	int fds[256];
	unsigned int i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		fds[i] = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fds[i]);
	}
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		EXPECT_EQ(0, close(fds[i]));
}

TEST(version_ioctl_reports_header_version)
{
	struct kipc_version ver;
	int fd = open(KIPC_DEVICE_PATH, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	memset(&ver, 0xa5, sizeof(ver));
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_VERSION, &ver));
	EXPECT_EQ(KIPC_VERSION_MAJOR, ver.major);
	EXPECT_EQ(KIPC_VERSION_MINOR, ver.minor);
	EXPECT_EQ(KIPC_VERSION_PATCH, ver.patch);
	EXPECT_EQ(KIPC_ABI_VERSION, ver.abi);
	close(fd);
}

TEST(version_ioctl_bad_pointer_is_efault)
{
	int fd = open(KIPC_DEVICE_PATH, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_VERSION, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

TEST(unknown_ioctls_are_enotty)
{
	static const unsigned long cmds[] = {
		0,
		_IO(KIPC_IOC_MAGIC, 0xff),
		_IOR(KIPC_IOC_MAGIC, 0x00, __u64),	/* right nr, wrong size */
		_IOW(KIPC_IOC_MAGIC, 0x00, struct kipc_version),
		_IOR('T', 0x01, int),
		FIONREAD + 0x1000,
	};
	unsigned int i;
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, cmds[i], 0)) TH_LOG("cmd %#lx", cmds[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#lx", cmds[i]);
	}
	close(fd);
}

TEST(lseek_is_espipe)
{
	int fd = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	close(fd);
}

TEST_HARNESS_MAIN
